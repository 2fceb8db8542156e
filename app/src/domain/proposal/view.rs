//! What the proposal page and the politician's inbox show.
use super::answering::{AnswerKind, AnswerReason};
use super::content::Theme;
use super::lifecycle::{CouncilDecision, ProposalStatus, VoteTally};
use crate::domain::answer::FollowUpState;
use crate::domain::ids::{CommentId, CouncilId, ProposalId};
use crate::i18n::td_string;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

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
    pub const ALL: [Visibility; 3] = [Self::Published, Self::Pending, Self::Hidden];

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
    /// A live vote on the proposal at a live session (Bytinget): the question and the tally.
    LiveVoted {
        session: String,
        question: String,
        ballots: i64,
        options: Vec<crate::domain::live::OptionTally>,
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
    /// An adult's role (politician or coordinator); None for young people and moderators.
    pub role: Option<crate::domain::dialogue::CommentRole>,
    /// A politician's question to the author.
    pub question: bool,
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
    /// The coordinator, while the proposal waits for an answer.
    pub can_change_deadline: bool,
    /// Young people, staff and politicians with an active account, while public.
    pub can_comment: bool,
    /// A politician of the committee, while the proposal waits for their answer: may ask
    /// the author a question.
    pub can_ask: bool,
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
