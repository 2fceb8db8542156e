//! After the answer: follow-up notes, "Forstod du svaret?", clarifications, and the
//! readability hint shown while a politician writes to a young reader.
use crate::domain::error::AppError;
use crate::domain::explanation::{Rule, Writing};
use crate::domain::ids::ProposalId;
use crate::domain::message::Msg;
use crate::i18n::td_string;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// Minimum length of a politician's explanation for Nej or Delvist (visible letters).
pub const MIN_EXPLANATION_CHARS: usize = 200;
/// A politician's explanation of a Nej or Delvist (and of an Opgivet follow-up).
pub const ANSWER_EXPLANATION: Rule = Rule {
    min_letters: MIN_EXPLANATION_CHARS,
    min_words: 12,
    max_chars: 10_000,
    what: Writing::AnswerExplanation,
};

/// A written explanation of a Nej or Delvist: it exists only when validated by
/// [`ANSWER_EXPLANATION`] (at least [`MIN_EXPLANATION_CHARS`] visible letters, real
/// words), also when deserialised.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Explanation(String);

impl Explanation {
    pub fn new(raw: &str) -> Result<Self, AppError> {
        ANSWER_EXPLANATION.validate("explanation", raw).map(Self)
    }

    /// An explanation read back from the database. Answers given before the rule counted
    /// visible letters (migration 0015) are shown as they were written, so this checks only
    /// the floor the database has always enforced: [`MIN_EXPLANATION_CHARS`] characters.
    pub fn stored(text: &str) -> Option<Self> {
        (text.trim().chars().count() >= MIN_EXPLANATION_CHARS).then(|| Self(text.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for Explanation {
    type Error = AppError;
    fn try_from(s: String) -> Result<Self, AppError> {
        Self::new(&s)
    }
}

impl From<Explanation> for String {
    fn from(e: Explanation) -> String {
        e.0
    }
}

/// Follow-up states (opfølgning).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum FollowUpState {
    Planlagt,
    IGang,
    Gennemfoert,
    Opgivet,
}

impl FollowUpState {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Planlagt => "planlagt",
            Self::IGang => "i_gang",
            Self::Gennemfoert => "gennemfoert",
            Self::Opgivet => "opgivet",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        [
            Self::Planlagt,
            Self::IGang,
            Self::Gennemfoert,
            Self::Opgivet,
        ]
        .into_iter()
        .find(|f| f.as_str() == s.trim())
    }

    pub fn label(self, en: bool) -> &'static str {
        let l = crate::domain::lang::locale(en);
        match self {
            Self::Planlagt => td_string!(l, labels.follow_up.planlagt),
            Self::IGang => td_string!(l, labels.follow_up.i_gang),
            Self::Gennemfoert => td_string!(l, labels.follow_up.gennemfoert),
            Self::Opgivet => td_string!(l, labels.follow_up.opgivet),
        }
    }
}

/// The longest follow-up note or clarification.
pub const MAX_NOTE_CHARS: usize = 10_000;
/// A clarification must say something (visible letters).
pub const MIN_CLARIFICATION_CHARS: usize = 20;
/// A politician's clarification of an answer.
pub const CLARIFICATION: Rule = Rule {
    min_letters: MIN_CLARIFICATION_CHARS,
    min_words: 3,
    max_chars: MAX_NOTE_CHARS,
    what: Writing::Clarification,
};
/// A follow-up note that is not Opgivet (Opgivet is explained like a Nej).
pub const FOLLOW_UP_NOTE: Rule = Rule {
    min_letters: 5,
    min_words: 1,
    max_chars: MAX_NOTE_CHARS,
    what: Writing::FollowUpNote,
};

/// Validates a follow-up note: a state and a text. Opgivet (given up) needs an explanation
/// as long as a Nej does; the other states need a note that says something.
pub fn validate_follow_up(state: &str, note: &str) -> Result<(FollowUpState, String), AppError> {
    let state = FollowUpState::parse(state)
        .ok_or_else(|| AppError::invalid("state", Msg::ChooseProgress))?;
    if state == FollowUpState::Opgivet {
        let explanation = Explanation::new(note)?;
        return Ok((state, explanation.as_str().to_owned()));
    }
    let note = FOLLOW_UP_NOTE.validate("explanation", note)?;
    Ok((state, note))
}

/// Validates a politician's clarification of an answer.
pub fn validate_clarification(text: &str) -> Result<String, AppError> {
    CLARIFICATION.validate("clarification", text)
}

/// "Forstod du svaret?" on one proposal: the replies so far and the viewer's own.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct FeedbackSummary {
    pub understood: i64,
    pub not_understood: i64,
    /// The viewer's reply, if any.
    pub mine: Option<bool>,
    /// The viewer waits for a clearer answer.
    pub mine_wants_clearer: bool,
    /// People waiting for a clearer answer.
    pub wants_clearer: i64,
}

impl FeedbackSummary {
    /// Share who understood, in whole percent; None before anyone replied.
    pub fn share(&self) -> Option<i64> {
        percent(self.understood, self.understood + self.not_understood)
    }
}

/// A politician's clarification, shown under the answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Clarification {
    pub at: DateTime<Utc>,
    pub by: String,
    pub body: String,
}

/// An answered proposal where someone asks for a clearer answer (in the inbox).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClearerRequest {
    pub id: ProposalId,
    pub title: String,
    pub committee: String,
    pub waiting: i64,
}

/// `part` of `whole` in whole percent, rounded half up; None when `whole` is 0.
pub fn percent(part: i64, whole: i64) -> Option<i64> {
    (whole > 0).then(|| (part * 200 + whole) / (2 * whole))
}

/// A simple readability measure: LIX (läsbarhetsindex), the Danish standard.
/// LIX = words per sentence + percentage of words longer than six letters.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Readability {
    pub lix: u32,
    pub words: u32,
    pub sentences: u32,
    /// Words longer than six letters.
    pub long_words: u32,
    /// Sentences of more than 20 words.
    pub long_sentences: u32,
}

/// Words of more than this many letters count as long.
const LONG_WORD: usize = 6;
/// Sentences of more than this many words count as long.
const LONG_SENTENCE: u32 = 20;

impl Readability {
    pub fn of(text: &str) -> Self {
        let mut words = 0u32;
        let mut long_words = 0u32;
        let mut sentences = 0u32;
        let mut long_sentences = 0u32;
        let mut in_sentence = 0u32;
        for token in text.split_whitespace() {
            let letters = token.chars().filter(|c| c.is_alphanumeric()).count();
            if letters > 0 {
                words += 1;
                in_sentence += 1;
                if letters > LONG_WORD {
                    long_words += 1;
                }
            }
            if token.ends_with(['.', '!', '?', ':', ';']) && in_sentence > 0 {
                sentences += 1;
                if in_sentence > LONG_SENTENCE {
                    long_sentences += 1;
                }
                in_sentence = 0;
            }
        }
        if in_sentence > 0 {
            sentences += 1;
            if in_sentence > LONG_SENTENCE {
                long_sentences += 1;
            }
        }
        let lix = if words == 0 {
            0
        } else {
            (f64::from(words) / f64::from(sentences.max(1))
                + f64::from(long_words) * 100.0 / f64::from(words))
            .round() as u32
        };
        Self {
            lix,
            words,
            sentences,
            long_words,
            long_sentences,
        }
    }

    /// The usual Danish LIX bands, in words a young reader knows.
    pub fn level(&self, en: bool) -> &'static str {
        let l = crate::domain::lang::locale(en);
        match self.lix {
            0..=24 => td_string!(l, labels.readability.very_easy),
            25..=34 => td_string!(l, labels.readability.easy),
            35..=44 => td_string!(l, labels.readability.medium),
            45..=54 => td_string!(l, labels.readability.hard),
            _ => td_string!(l, labels.readability.very_hard),
        }
    }

    /// Worth a hint: harder than "middel", or long sentences.
    pub fn too_hard(&self) -> bool {
        self.lix >= 45 || self.long_sentences > 0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lix_of_short_plain_sentences_is_low() {
        let r =
            Readability::of("Vi kan ikke gøre det. Det koster for meget. Vi prøver igen næste år.");
        assert_eq!(r.words, 14);
        assert_eq!(r.sentences, 3);
        assert_eq!(r.long_sentences, 0);
        assert!(r.lix < 25, "{r:?}");
        assert!(!r.too_hard());
    }

    #[test]
    fn lix_of_long_bureaucratic_text_is_high() {
        let text = "Forvaltningen har udarbejdet en konsekvensvurdering vedrørende implementeringen \
            af forslaget, hvoraf det fremgår, at de budgetmæssige forudsætninger for gennemførelsen \
            af anlægsprojektet ikke aktuelt er tilstede inden for den eksisterende økonomiske ramme \
            og at yderligere administrative ressourcer vil være nødvendige.";
        let r = Readability::of(text);
        assert_eq!(r.sentences, 1);
        assert_eq!(r.long_sentences, 1);
        assert!(r.lix >= 55, "{r:?}");
        assert_eq!(r.level(false), "meget svær");
        assert!(r.too_hard());
    }

    #[test]
    fn lix_of_nothing_is_zero() {
        assert_eq!(Readability::of("  \n ").lix, 0);
        assert_eq!(Readability::of("…").words, 0);
    }

    #[test]
    fn follow_up_rules() {
        assert!(validate_follow_up("planlagt", "Vi starter i marts.").is_ok());
        assert_eq!(
            validate_follow_up("", "Vi starter i marts.")
                .unwrap_err()
                .field(),
            Some("state")
        );
        assert_eq!(
            validate_follow_up("i_gang", "  ").unwrap_err().field(),
            Some("explanation")
        );
        // Opgivet needs a real explanation, like a Nej.
        assert!(validate_follow_up("opgivet", "Det blev for dyrt.").is_err());
        // The same sentence over and over is not an explanation.
        assert!(validate_follow_up("opgivet", &"Det blev for dyrt. ".repeat(12)).is_err());
        let real = "Vi har opgivet at bygge skaterampen ved skolen. Grunden er, at naboerne \
                    klagede over støjen, og kommunen fik afslag på byggetilladelsen i maj. Vi \
                    leder nu efter et andet sted, fx ved idrætsanlægget, og I hører fra os, \
                    når vi ved mere om pladsen og prisen.";
        assert!(validate_follow_up("opgivet", real).is_ok());
    }

    #[test]
    fn clarification_rules() {
        assert!(validate_clarification("kort").is_err());
        assert!(validate_clarification(&"x".repeat(10_001)).is_err());
        assert_eq!(
            validate_clarification("  Vi mener, at bussen er for dyr.  ").unwrap(),
            "Vi mener, at bussen er for dyr."
        );
    }

    #[test]
    fn percent_rounds_half_up() {
        assert_eq!(percent(1, 3), Some(33));
        assert_eq!(percent(2, 3), Some(67));
        assert_eq!(percent(1, 2), Some(50));
        assert_eq!(percent(0, 0), None);
    }
}
