//! A politician's answer as stored with the proposal: Ja, Delvist or Nej, its reason
//! category, and the answer form's validation.
use super::content::clean_multiline;
use crate::domain::answer::Explanation;
use crate::domain::error::AppError;
use crate::domain::message::Msg;
use crate::i18n::td_string;
use serde::{Deserialize, Serialize};

/// A politician's answer, without its text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum AnswerKind {
    Ja,
    Delvist,
    Nej,
}

impl AnswerKind {
    /// Follow-up notes (opfølgning) are written after a Ja or a Delvist, never after a Nej.
    pub fn allows_follow_up(self) -> bool {
        matches!(self, Self::Ja | Self::Delvist)
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Ja => "ja",
            Self::Delvist => "delvist",
            Self::Nej => "nej",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        match s.trim() {
            "ja" => Some(Self::Ja),
            "delvist" => Some(Self::Delvist),
            "nej" => Some(Self::Nej),
            _ => None,
        }
    }

    pub fn label(self, en: bool) -> &'static str {
        let l = crate::domain::lang::locale(en);
        match self {
            Self::Ja => td_string!(l, labels.answer_kind.ja),
            Self::Delvist => td_string!(l, labels.answer_kind.delvist),
            Self::Nej => td_string!(l, labels.answer_kind.nej),
        }
    }
}

/// Why a proposal cannot be done (fully): required with Nej and Delvist.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum AnswerReason {
    Oekonomi,
    Lovgivning,
    IkkeKommunensAnsvar,
    AlleredePlanlagt,
    Andet,
}

impl AnswerReason {
    pub const ALL: [AnswerReason; 5] = [
        Self::Oekonomi,
        Self::Lovgivning,
        Self::IkkeKommunensAnsvar,
        Self::AlleredePlanlagt,
        Self::Andet,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Oekonomi => "oekonomi",
            Self::Lovgivning => "lovgivning",
            Self::IkkeKommunensAnsvar => "ikke_kommunens_ansvar",
            Self::AlleredePlanlagt => "allerede_planlagt",
            Self::Andet => "andet",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|r| r.as_str() == s.trim())
    }

    pub fn label(self, en: bool) -> &'static str {
        let l = crate::domain::lang::locale(en);
        match self {
            Self::Oekonomi => td_string!(l, labels.answer_reason.oekonomi),
            Self::Lovgivning => td_string!(l, labels.answer_reason.lovgivning),
            Self::IkkeKommunensAnsvar => td_string!(l, labels.answer_reason.ikke_kommunens_ansvar),
            Self::AlleredePlanlagt => td_string!(l, labels.answer_reason.allerede_planlagt),
            Self::Andet => td_string!(l, labels.answer_reason.andet),
        }
    }
}

/// Validates the answer form: Ja (with an optional note), or Delvist/Nej with an
/// explanation of at least [`MIN_EXPLANATION_CHARS`] and a reason category.
pub fn validate_answer(
    kind: &str,
    explanation: &str,
    reason: &str,
) -> Result<(Answer, Option<AnswerReason>), AppError> {
    let kind =
        AnswerKind::parse(kind).ok_or_else(|| AppError::invalid("answer", Msg::ChooseAnswer))?;
    match kind {
        AnswerKind::Ja => {
            let note = clean_multiline(explanation);
            if note.chars().count() > 10_000 {
                return Err(AppError::invalid(
                    "explanation",
                    Msg::TextTooLong { max: 10_000 },
                ));
            }
            Ok((
                Answer::Ja {
                    note: (!note.is_empty()).then_some(note),
                },
                None,
            ))
        }
        AnswerKind::Delvist | AnswerKind::Nej => {
            let explanation = Explanation::new(explanation)?;
            let reason = AnswerReason::parse(reason)
                .ok_or_else(|| AppError::invalid("reason", Msg::ChooseReason))?;
            let answer = if kind == AnswerKind::Nej {
                Answer::Nej(explanation)
            } else {
                Answer::Delvist(explanation)
            };
            Ok((answer, Some(reason)))
        }
    }
}

/// An answer: Nej and Delvist cannot be made without an [`Explanation`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Answer {
    Ja { note: Option<String> },
    Delvist(Explanation),
    Nej(Explanation),
}

impl Answer {
    pub fn kind(&self) -> AnswerKind {
        match self {
            Self::Ja { .. } => AnswerKind::Ja,
            Self::Delvist(_) => AnswerKind::Delvist,
            Self::Nej(_) => AnswerKind::Nej,
        }
    }

    pub fn text(&self) -> Option<&str> {
        match self {
            Self::Ja { note } => note.as_deref(),
            Self::Delvist(e) | Self::Nej(e) => Some(e.as_str()),
        }
    }

    /// Rebuilds an answer from stored parts; None if they break the rule.
    pub fn from_parts(kind: AnswerKind, text: Option<&str>) -> Option<Self> {
        match kind {
            AnswerKind::Ja => Some(Self::Ja {
                note: text.map(str::to_owned),
            }),
            AnswerKind::Delvist => Explanation::stored(text?).map(Self::Delvist),
            AnswerKind::Nej => Explanation::stored(text?).map(Self::Nej),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_rejection_without_explanation() {
        assert!(Explanation::new("for kort").is_err());
        assert!(Answer::from_parts(AnswerKind::Nej, None).is_none());
        assert!(Answer::from_parts(AnswerKind::Delvist, Some("kort")).is_none());
        assert!(Answer::from_parts(AnswerKind::Ja, None).is_some());
        let long = "Vi har undersøgt forslaget grundigt sammen med forvaltningen. Det vil \
                    koste omkring 400.000 kr. om året at holde svømmehallen åben om aftenen, og \
                    de penge er ikke i budgettet for næste år. Vi ser i stedet på, om skolernes \
                    idrætshaller kan bruges, og svarer jer igen efter sommerferien.";
        // Long enough, but one sentence over and over is not an explanation.
        let repeated = "Vi har undersøgt forslaget grundigt. ".repeat(8);
        assert!(Explanation::new(&repeated).is_err());
        // ... but an answer stored before the rule is still shown as it was written.
        assert!(Answer::from_parts(AnswerKind::Nej, Some(&repeated)).is_some());
        // Invisible characters are not an explanation, also when deserialised.
        let blank = format!(r#"{{"Nej":"{}"}}"#, "\u{3164}".repeat(200));
        assert!(serde_json::from_str::<Answer>(&blank).is_err());
        assert!(matches!(
            Answer::from_parts(AnswerKind::Nej, Some(long)),
            Some(Answer::Nej(_))
        ));
        // Deserialising cannot sneak a short explanation in either.
        let json = r#"{"Nej":"nej tak"}"#;
        assert!(serde_json::from_str::<Answer>(json).is_err());
    }
}
