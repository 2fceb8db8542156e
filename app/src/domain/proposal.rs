//! Proposals (forslag): themes, the life cycle, validation, and what pages show.
//!
//! The life cycle is one type, [`ProposalStatus`], whose variants carry what each stage
//! needs (a deadline once forwarded, an explanation when a council declines, an answer
//! with its explanation). [`Stage`] is its data-free key, stored in the database, where a
//! trigger allows only the steps in [`TRANSITIONS`].
use crate::domain::account::{clean_text, is_invisible_format};
use crate::domain::error::AppError;
use crate::domain::explanation::Rule;
use crate::domain::ids::{CommentId, CouncilId, ProposalId};
use crate::i18n::td_string;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

pub const MIN_TITLE_CHARS: usize = 5;
pub const MAX_TITLE_CHARS: usize = 120;
pub const MIN_BODY_CHARS: usize = 20;
pub const MAX_BODY_CHARS: usize = 5000;
pub const MIN_COMMENT_CHARS: usize = 2;
pub const MAX_COMMENT_CHARS: usize = 2000;
// Answer types defined with the rest of the answer (domain::answer), re-exported here
// for the proposal page's types and older call sites.
pub use crate::domain::answer::{
    Explanation, FollowUpState, ANSWER_EXPLANATION, MIN_EXPLANATION_CHARS,
};

/// Proposals per list page.
pub const PER_PAGE: i64 = 20;
/// Search words used at most (the rest are ignored).
pub const MAX_SEARCH_TERMS: usize = 8;
/// Minimum length of a council's explanation when it declines a proposal (visible letters).
pub const MIN_COUNCIL_REASON_CHARS: usize = 20;
/// A council's explanation when it declines a proposal.
pub const COUNCIL_DECLINE: Rule = Rule {
    min_letters: MIN_COUNCIL_REASON_CHARS,
    min_words: 3,
    max_chars: 5_000,
    ask: "en begrundelse til forslagsstilleren",
    subject: "Begrundelsen",
};

/// The themes of DOMAIN.md.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Theme {
    FritidKultur,
    SkoleLaering,
    TrivselSundhed,
    Faellesskab,
    ByNatur,
    Andet,
}

impl Theme {
    pub const ALL: [Theme; 6] = [
        Self::FritidKultur,
        Self::SkoleLaering,
        Self::TrivselSundhed,
        Self::Faellesskab,
        Self::ByNatur,
        Self::Andet,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::FritidKultur => "fritid_kultur",
            Self::SkoleLaering => "skole_laering",
            Self::TrivselSundhed => "trivsel_sundhed",
            Self::Faellesskab => "faellesskab",
            Self::ByNatur => "by_natur",
            Self::Andet => "andet",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|t| t.as_str() == s.trim())
    }

    pub fn label(self, en: bool) -> &'static str {
        let l = crate::domain::lang::locale(en);
        match self {
            Self::FritidKultur => td_string!(l, labels.theme.fritid_kultur),
            Self::SkoleLaering => td_string!(l, labels.theme.skole_laering),
            Self::TrivselSundhed => td_string!(l, labels.theme.trivsel_sundhed),
            Self::Faellesskab => td_string!(l, labels.theme.faellesskab),
            Self::ByNatur => td_string!(l, labels.theme.by_natur),
            Self::Andet => td_string!(l, labels.theme.andet),
        }
    }
}

/// Where a proposal is in its life, without the data (the stored status).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Stage {
    Draft,
    Submitted,
    OnAgenda,
    Forwarded,
    RejectedByCouncil,
    ResolvedByCouncil,
    Answered,
}

/// Every legal step. The database holds the same list (`proposal_transitions`).
pub const TRANSITIONS: [(Stage, Stage); 7] = [
    (Stage::Draft, Stage::Submitted),
    (Stage::Submitted, Stage::OnAgenda),
    // Taken off the agenda again (the meeting was cancelled or postponed).
    (Stage::OnAgenda, Stage::Submitted),
    (Stage::OnAgenda, Stage::Forwarded),
    (Stage::OnAgenda, Stage::RejectedByCouncil),
    (Stage::OnAgenda, Stage::ResolvedByCouncil),
    (Stage::Forwarded, Stage::Answered),
];

impl Stage {
    pub const ALL: [Stage; 7] = [
        Self::Draft,
        Self::Submitted,
        Self::OnAgenda,
        Self::Forwarded,
        Self::RejectedByCouncil,
        Self::ResolvedByCouncil,
        Self::Answered,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Draft => "draft",
            Self::Submitted => "submitted",
            Self::OnAgenda => "on_agenda",
            Self::Forwarded => "forwarded",
            Self::RejectedByCouncil => "rejected_by_council",
            Self::ResolvedByCouncil => "resolved_by_council",
            Self::Answered => "answered",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|t| t.as_str() == s.trim())
    }

    /// Is `self → next` a legal step?
    pub fn can_move_to(self, next: Stage) -> bool {
        TRANSITIONS.contains(&(self, next))
    }

    pub fn label(self, en: bool) -> &'static str {
        let l = crate::domain::lang::locale(en);
        match self {
            Self::Draft => td_string!(l, labels.stage.draft),
            Self::Submitted => td_string!(l, labels.stage.submitted),
            Self::OnAgenda => td_string!(l, labels.stage.on_agenda),
            Self::Forwarded => td_string!(l, labels.stage.forwarded),
            Self::RejectedByCouncil => td_string!(l, labels.stage.rejected_by_council),
            Self::ResolvedByCouncil => td_string!(l, labels.stage.resolved_by_council),
            Self::Answered => td_string!(l, labels.stage.answered),
        }
    }
}

/// A politician's answer, without its text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum AnswerKind {
    Ja,
    Delvist,
    Nej,
}

impl AnswerKind {
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
    let kind = AnswerKind::parse(kind)
        .ok_or_else(|| AppError::invalid("answer", "Vælg Ja, Delvist eller Nej."))?;
    match kind {
        AnswerKind::Ja => {
            let note = clean_multiline(explanation);
            if note.chars().count() > 10_000 {
                return Err(AppError::invalid(
                    "explanation",
                    "Teksten må højst være 10.000 tegn.",
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
            let reason = AnswerReason::parse(reason).ok_or_else(|| {
                AppError::invalid(
                    "reason",
                    "Vælg hvorfor forslaget ikke kan gennemføres (helt).",
                )
            })?;
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

/// The life of a proposal, with what each stage carries.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum ProposalStatus {
    Draft,
    Submitted,
    OnAgenda,
    Forwarded {
        committee: String,
        deadline: DateTime<Utc>,
    },
    RejectedByCouncil {
        explanation: String,
    },
    ResolvedByCouncil {
        how: String,
    },
    Answered {
        committee: String,
        deadline: DateTime<Utc>,
        answered_at: DateTime<Utc>,
        answer: Answer,
    },
}

/// The stored columns a status is rebuilt from.
#[derive(Debug, Clone, Default)]
pub struct StatusParts {
    pub decision_text: Option<String>,
    pub committee: Option<String>,
    pub deadline: Option<DateTime<Utc>>,
    pub answer: Option<AnswerKind>,
    pub answer_text: Option<String>,
    pub answered_at: Option<DateTime<Utc>>,
}

impl ProposalStatus {
    /// Ja, Delvist or Nej, once answered.
    pub fn answer_kind(&self) -> Option<AnswerKind> {
        match self {
            Self::Answered { answer, .. } => Some(answer.kind()),
            _ => None,
        }
    }

    pub fn stage(&self) -> Stage {
        match self {
            Self::Draft => Stage::Draft,
            Self::Submitted => Stage::Submitted,
            Self::OnAgenda => Stage::OnAgenda,
            Self::Forwarded { .. } => Stage::Forwarded,
            Self::RejectedByCouncil { .. } => Stage::RejectedByCouncil,
            Self::ResolvedByCouncil { .. } => Stage::ResolvedByCouncil,
            Self::Answered { .. } => Stage::Answered,
        }
    }

    /// Rebuilds the status from stored columns; None when they do not fit the stage
    /// (the database constraints make that impossible, this keeps the type honest).
    pub fn from_parts(stage: Stage, p: StatusParts) -> Option<Self> {
        Some(match stage {
            Stage::Draft => Self::Draft,
            Stage::Submitted => Self::Submitted,
            Stage::OnAgenda => Self::OnAgenda,
            Stage::Forwarded => Self::Forwarded {
                committee: p.committee?,
                deadline: p.deadline?,
            },
            Stage::RejectedByCouncil => Self::RejectedByCouncil {
                explanation: p.decision_text?,
            },
            Stage::ResolvedByCouncil => Self::ResolvedByCouncil {
                how: p.decision_text?,
            },
            Stage::Answered => Self::Answered {
                committee: p.committee?,
                deadline: p.deadline?,
                answered_at: p.answered_at?,
                answer: Answer::from_parts(p.answer?, p.answer_text.as_deref())?,
            },
        })
    }

    /// The answer deadline, while it matters (forwarded, not yet answered).
    pub fn open_deadline(&self) -> Option<DateTime<Utc>> {
        match self {
            Self::Forwarded { deadline, .. } => Some(*deadline),
            _ => None,
        }
    }
}

/// Whole days past `deadline` at `now` (None if not past).
pub fn days_overdue(deadline: DateTime<Utc>, now: DateTime<Utc>) -> Option<i64> {
    (now > deadline).then(|| (now - deadline).num_days().max(1))
}

/// Who wrote something, as shown publicly.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Author {
    Named(String),
    Anonymous,
    /// The account was deleted; the contribution stays, anonymised.
    Former,
}

impl Author {
    pub fn label(&self, en: bool) -> String {
        let l = crate::domain::lang::locale(en);
        match self {
            Self::Named(n) => n.clone(),
            Self::Anonymous => td_string!(l, labels.author.anonymous).into(),
            Self::Former => td_string!(l, labels.author.former).into(),
        }
    }
}

/// Is the proposal visible to everyone?
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Visibility {
    Published,
    /// Pre-moderation is on and a moderator has not approved it yet.
    Pending,
    Hidden,
}

impl Visibility {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Published => "published",
            Self::Pending => "pending",
            Self::Hidden => "hidden",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "published" => Some(Self::Published),
            "pending" => Some(Self::Pending),
            "hidden" => Some(Self::Hidden),
            _ => None,
        }
    }
}

/// Removes invisible formatting and control characters but keeps line breaks
/// (normalised to `\n`, at most two in a row), and trims.
pub fn clean_multiline(raw: &str) -> String {
    let normalised = raw.replace("\r\n", "\n").replace('\r', "\n");
    let mut out = String::with_capacity(normalised.len());
    let mut newlines = 0;
    for c in normalised.chars() {
        if c == '\n' {
            newlines += 1;
            if newlines <= 2 {
                out.push('\n');
            }
            continue;
        }
        if c.is_control() && c != '\t' || is_invisible_format(c) {
            continue;
        }
        newlines = 0;
        out.push(if c == '\t' { ' ' } else { c });
    }
    out.trim().to_owned()
}

fn length_error(field: &str, n: usize, min: usize, max: usize, what: &str) -> Option<AppError> {
    if n < min {
        Some(AppError::invalid(
            field,
            format!("{what} skal være mindst {min} tegn (nu {n})."),
        ))
    } else if n > max {
        Some(AppError::invalid(
            field,
            format!("{what} må højst være {max} tegn (nu {n})."),
        ))
    } else {
        None
    }
}

/// Submit now, or keep as a draft.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Intent {
    Draft,
    Submit,
}

impl Intent {
    pub fn parse(s: &str) -> Self {
        if s.trim() == "submit" {
            Self::Submit
        } else {
            Self::Draft
        }
    }
}

/// A proposal's content, validated.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProposalContent {
    pub title: String,
    pub body: String,
    pub theme: Theme,
    pub council: CouncilId,
    pub show_name: bool,
}

/// Validates the form. A draft needs a title and may be short; a submission meets
/// every length rule. The first problem is returned, with its field.
pub fn validate_content(
    title: &str,
    body: &str,
    theme: &str,
    council: &str,
    intent: Intent,
) -> Result<(String, String, Theme, CouncilId), AppError> {
    let title = clean_text(title);
    let body = clean_multiline(body);
    let (min_title, min_body) = match intent {
        Intent::Submit => (MIN_TITLE_CHARS, MIN_BODY_CHARS),
        Intent::Draft => (1, 0),
    };
    if let Some(e) = length_error(
        "title",
        title.chars().count(),
        min_title,
        MAX_TITLE_CHARS,
        "Titlen",
    ) {
        return Err(e);
    }
    if let Some(e) = length_error(
        "body",
        body.chars().count(),
        min_body,
        MAX_BODY_CHARS,
        "Beskrivelsen",
    ) {
        return Err(e);
    }
    let theme = Theme::parse(theme).ok_or_else(|| AppError::invalid("theme", "Vælg et tema."))?;
    let council = council
        .trim()
        .parse::<i64>()
        .ok()
        .filter(|id| *id > 0)
        .map(CouncilId)
        .ok_or_else(|| AppError::invalid("council_id", "Vælg hvem forslaget er til."))?;
    Ok((title, body, theme, council))
}

/// Validates a comment.
pub fn validate_comment(raw: &str) -> Result<String, AppError> {
    let body = clean_multiline(raw);
    match length_error(
        "body",
        body.chars().count(),
        MIN_COMMENT_CHARS,
        MAX_COMMENT_CHARS,
        "Kommentaren",
    ) {
        Some(e) => Err(e),
        None => Ok(body),
    }
}

/// How a list is sorted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
pub enum Sort {
    #[default]
    Newest,
    MostSupported,
}

impl Sort {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Newest => "nyeste",
            Self::MostSupported => "mest-stoettede",
        }
    }

    pub fn parse(s: &str) -> Self {
        if s == "mest-stoettede" {
            Self::MostSupported
        } else {
            Self::Newest
        }
    }
}

/// Where the next page starts: the sort key and id of the last row shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Cursor {
    pub key: i64,
    pub id: ProposalId,
}

impl Cursor {
    /// `"<key>_<id>"`, for links.
    pub fn encode(self) -> String {
        format!("{}_{}", self.key, self.id.0)
    }

    pub fn decode(s: &str) -> Option<Self> {
        let (key, id) = s.trim().split_once('_')?;
        Some(Self {
            key: key.parse().ok()?,
            id: ProposalId(id.parse().ok().filter(|i: &i64| *i > 0)?),
        })
    }
}

/// The words of a search, lower-cased, letters and digits only (so nothing in them
/// can be read as search syntax by FTS5 or tsquery).
pub fn search_terms(q: &str) -> Vec<String> {
    q.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(|w| w.chars().take(40).collect::<String>().to_lowercase())
        .take(MAX_SEARCH_TERMS)
        .collect()
}

/// A filter for the public list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct ListFilter {
    pub sort: Sort,
    pub stage: Option<Stage>,
    pub theme: Option<Theme>,
    pub council: Option<CouncilId>,
    pub terms: Vec<String>,
}

/// A proposal in a list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProposalSummary {
    pub id: ProposalId,
    pub title: String,
    pub theme: Theme,
    pub stage: Stage,
    pub answer: Option<AnswerKind>,
    pub deadline: Option<DateTime<Utc>>,
    pub author: Author,
    pub council: String,
    pub supporters: i64,
    pub comments: i64,
    pub submitted_at: Option<DateTime<Utc>>,
}

/// One page of a list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProposalPage {
    pub items: Vec<ProposalSummary>,
    pub next: Option<Cursor>,
}

/// A council's decision on a proposal, as shown on the timeline.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum CouncilDecision {
    Forwarded {
        committee: String,
        deadline: DateTime<Utc>,
    },
    Rejected {
        explanation: String,
    },
    Resolved {
        how: String,
    },
}

/// The counted votes of a council decision.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct VoteTally {
    pub yes: i64,
    pub no: i64,
    pub abstain: i64,
}

/// One step on a proposal's timeline.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum TimelineEvent {
    Submitted,
    /// Approved by a moderator (pre-moderation).
    Approved,
    OnAgenda {
        council: String,
        meeting: Option<String>,
        /// The meeting's page (`/moeder/{id}`), when the meeting is in Stemme.
        meeting_id: Option<i64>,
    },
    /// Sent on from one council to the next (elevråd → Det Fælles Elevråd → Ungerådet).
    SentOn {
        from: String,
        to: String,
    },
    /// A council vote on the proposal was closed.
    Voted {
        council: String,
        meeting_id: i64,
        tally: VoteTally,
        members: i64,
    },
    RemovedFromAgenda {
        council: String,
    },
    Decided {
        council: String,
        decision: CouncilDecision,
        vote: Option<VoteTally>,
    },
    Answered {
        committee: String,
        answer: AnswerKind,
        text: Option<String>,
    },
    FollowUp {
        state: FollowUpState,
        note: String,
    },
    /// The coordinator set or extended the answer deadline, with a public reason.
    DeadlineChanged {
        deadline: DateTime<Utc>,
        reason: String,
    },
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TimelineEntry {
    pub at: DateTime<Utc>,
    pub event: TimelineEvent,
}

/// A comment, or the moderator's notice in its place.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CommentView {
    pub id: CommentId,
    pub author: Author,
    pub at: DateTime<Utc>,
    /// None when hidden.
    pub body: Option<String>,
    pub hidden_reason: Option<String>,
}

/// What the person looking may do and has done.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct Viewer {
    pub logged_in: bool,
    pub can_act: bool,
    pub is_author: bool,
    pub supports: bool,
    pub follows: bool,
    pub can_moderate: bool,
    /// A politician of the committee the proposal waits for.
    pub can_answer: bool,
    /// The committee's politicians or the coordinator, after a Ja or Delvist.
    pub can_follow_up: bool,
    /// A politician of the committee that answered.
    pub can_clarify: bool,
    /// The author or a supporter, once answered: "Forstod du svaret?"
    pub can_give_feedback: bool,
}

/// Everything the proposal page shows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProposalDetail {
    pub id: ProposalId,
    /// Empty when hidden by a moderator (only the reason is shown).
    pub title: String,
    pub body: String,
    pub theme: Theme,
    pub status: ProposalStatus,
    pub visibility: Visibility,
    pub hidden_reason: Option<String>,
    pub author: Author,
    pub council: String,
    pub supporters: i64,
    pub created_at: DateTime<Utc>,
    pub submitted_at: Option<DateTime<Utc>>,
    pub timeline: Vec<TimelineEntry>,
    pub comments: Vec<CommentView>,
    pub viewer: Viewer,
    /// Set when answered.
    pub answer_meta: Option<AnswerMeta>,
    /// "Forstod du svaret?" replies, when answered.
    pub feedback: Option<crate::domain::answer::FeedbackSummary>,
    /// The politicians' clarifications of their answer.
    pub clarifications: Vec<crate::domain::answer::Clarification>,
}

/// The politician's inbox: proposals waiting for an answer, and answers someone asks to
/// have made clearer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Inbox {
    pub waiting: Vec<InboxItem>,
    pub clearer: Vec<crate::domain::answer::ClearerRequest>,
}

/// A draft or submitted proposal as its author edits it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProposalDraft {
    pub id: ProposalId,
    pub title: String,
    pub body: String,
    pub theme: Theme,
    pub council: CouncilId,
    pub show_name: bool,
}

/// A proposal waiting for an answer, in a politician's inbox.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InboxItem {
    pub id: ProposalId,
    pub title: String,
    pub council: String,
    pub committee: String,
    pub deadline: DateTime<Utc>,
}

/// Who answered, and why not (fully), as shown with the answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AnswerMeta {
    pub by: Option<String>,
    pub reason: Option<AnswerReason>,
}

/// A council a proposal can be sent to by the person asking.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Target {
    pub id: CouncilId,
    pub name: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_listed_steps_are_legal() {
        for from in Stage::ALL {
            for to in Stage::ALL {
                assert_eq!(from.can_move_to(to), TRANSITIONS.contains(&(from, to)));
            }
        }
        assert!(Stage::Draft.can_move_to(Stage::Submitted));
        assert!(!Stage::Submitted.can_move_to(Stage::Answered));
        assert!(!Stage::Answered.can_move_to(Stage::Draft));
        assert!(!Stage::Draft.can_move_to(Stage::Draft));
    }

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

    #[test]
    fn status_needs_its_data() {
        assert!(ProposalStatus::from_parts(Stage::Forwarded, StatusParts::default()).is_none());
        assert_eq!(
            ProposalStatus::from_parts(Stage::Submitted, StatusParts::default()),
            Some(ProposalStatus::Submitted)
        );
    }

    #[test]
    fn content_rules() {
        let ok = validate_content(
            "  Bedre cykelstier  ",
            "Vi vil have cykelstier hele vejen til skolen.",
            "by_natur",
            "3",
            Intent::Submit,
        );
        assert!(ok.is_ok(), "{ok:?}");
        let short = validate_content("Hej", "kort", "andet", "1", Intent::Submit);
        assert_eq!(
            short.err().and_then(|e| e.field().map(str::to_owned)),
            Some("title".into())
        );
        let draft = validate_content("Hej", "kort", "andet", "1", Intent::Draft);
        assert!(draft.is_ok());
        let no_theme =
            validate_content("Hej med dig", &"x".repeat(30), "nope", "1", Intent::Submit);
        assert_eq!(
            no_theme.err().and_then(|e| e.field().map(str::to_owned)),
            Some("theme".into())
        );
        let long = validate_content(&"a".repeat(121), "", "andet", "1", Intent::Draft);
        assert!(long.is_err());
    }

    #[test]
    fn multiline_keeps_breaks_drops_tricks() {
        assert_eq!(clean_multiline("a\r\nb\u{202E}c\u{200B}\0"), "a\nbc");
        assert_eq!(clean_multiline("a\n\n\n\n\nb"), "a\n\nb");
    }

    #[test]
    fn cursor_round_trip() {
        let c = Cursor {
            key: 1_700_000_000_000_000,
            id: ProposalId(42),
        };
        assert_eq!(Cursor::decode(&c.encode()), Some(c));
        assert_eq!(Cursor::decode("x_1"), None);
        assert_eq!(Cursor::decode("1_-3"), None);
        assert_eq!(Cursor::decode("' OR 1=1 --"), None);
    }

    #[test]
    fn search_terms_are_plain_words() {
        assert_eq!(
            search_terms("Cykel-stier \"OR\" *skole* NEAR(x)"),
            vec!["cykel", "stier", "or", "skole", "near", "x"]
        );
        assert_eq!(search_terms("a b c d e f g h i j").len(), MAX_SEARCH_TERMS);
        assert!(search_terms("  '';--  ").is_empty());
    }

    #[test]
    fn overdue_days() {
        let d = DateTime::from_timestamp(1_700_000_000, 0).unwrap_or_default();
        assert_eq!(days_overdue(d, d), None);
        assert_eq!(days_overdue(d, d + chrono::Duration::days(5)), Some(5));
    }
}
