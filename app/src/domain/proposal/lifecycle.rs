//! The life cycle: stages, the legal steps, the status with what each stage carries,
//! and the council's decision.
use super::answering::{Answer, AnswerKind};
use crate::domain::explanation::Rule;
use crate::i18n::td_string;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// Minimum length of a council's explanation when it declines a proposal (visible letters).
pub const MIN_COUNCIL_REASON_CHARS: usize = 20;
/// A council's explanation when it declines a proposal.
pub const COUNCIL_DECLINE: Rule = Rule {
    min_letters: MIN_COUNCIL_REASON_CHARS,
    min_words: 3,
    max_chars: 5_000,
    what: crate::domain::explanation::Writing::CouncilDecline,
};

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

/// A council's decision on a proposal: what it stores (through `db::proposals::Step::Decide`,
/// naming the committee by its id) and what the timeline shows (naming it as it was called
/// then: `C` is the committee's name there).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum CouncilDecision<C = String> {
    Forwarded {
        committee: C,
        deadline: DateTime<Utc>,
    },
    Rejected {
        explanation: String,
    },
    Resolved {
        how: String,
    },
}

impl<C> CouncilDecision<C> {
    /// The stage the decision moves the proposal to (its stored text is [`Stage::as_str`]).
    pub fn stage(&self) -> Stage {
        match self {
            Self::Forwarded { .. } => Stage::Forwarded,
            Self::Rejected { .. } => Stage::RejectedByCouncil,
            Self::Resolved { .. } => Stage::ResolvedByCouncil,
        }
    }

    pub fn kind(&self) -> DecisionKind {
        match self {
            Self::Forwarded { .. } => DecisionKind::Forward,
            Self::Rejected { .. } => DecisionKind::Reject,
            Self::Resolved { .. } => DecisionKind::Resolve,
        }
    }
}

/// What a council decides about a proposal on its agenda, without the data: the choice on
/// the meeting page's form. Sending on moves the proposal to the next council (not a
/// [`CouncilDecision`], which ends the council's part).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum DecisionKind {
    Forward,
    Reject,
    SendOn,
    Resolve,
}

impl DecisionKind {
    pub const ALL: [DecisionKind; 4] = [Self::Forward, Self::Reject, Self::SendOn, Self::Resolve];

    /// The form value (and the audit log's word).
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Forward => "forward",
            Self::Reject => "reject",
            Self::SendOn => "send_on",
            Self::Resolve => "resolve",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == s.trim())
    }

    /// Forwarding, rejecting and sending on rest on a passed vote; resolving does not.
    pub fn needs_vote(self) -> bool {
        self != Self::Resolve
    }
}

/// The answer deadline in weeks when the municipality has not chosen.
pub const DEFAULT_ANSWER_WEEKS: i64 = 8;

/// The answer deadline the coordinator may set, in weeks.
pub const ANSWER_WEEKS: std::ops::RangeInclusive<i64> = 1..=52;

/// Is `weeks` an answer deadline the coordinator may set?
pub fn answer_weeks_ok(weeks: i64) -> bool {
    ANSWER_WEEKS.contains(&weeks)
}

/// The answer deadline in weeks from its form field: a whole number in [`ANSWER_WEEKS`].
pub fn parse_answer_weeks(raw: &str) -> Option<i64> {
    raw.trim()
        .parse::<i64>()
        .ok()
        .filter(|w| answer_weeks_ok(*w))
}

/// The answer deadline in weeks from the stored setting: the default when it was never set
/// or holds something out of range.
pub fn stored_answer_weeks(stored: Option<&str>) -> i64 {
    stored
        .and_then(parse_answer_weeks)
        .unwrap_or(DEFAULT_ANSWER_WEEKS)
}

/// The answer deadline of a proposal forwarded at `now`.
pub fn answer_deadline(now: DateTime<Utc>, weeks: i64) -> DateTime<Utc> {
    now + chrono::Duration::weeks(weeks)
}

/// The counted votes of a council decision.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct VoteTally {
    pub yes: i64,
    pub no: i64,
    pub abstain: i64,
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
    fn answer_weeks_range() {
        assert_eq!(parse_answer_weeks(" 12 "), Some(12));
        assert_eq!(parse_answer_weeks("0"), None);
        assert_eq!(parse_answer_weeks("53"), None);
        assert_eq!(parse_answer_weeks("otte"), None);
        assert_eq!(stored_answer_weeks(Some("52")), 52);
        assert_eq!(stored_answer_weeks(Some("99")), 8);
        assert_eq!(stored_answer_weeks(None), 8);
    }

    #[test]
    fn decisions_round_trip() {
        for k in DecisionKind::ALL {
            assert_eq!(DecisionKind::parse(k.as_str()), Some(k));
        }
        assert_eq!(DecisionKind::parse("accept"), None);
        assert!(!DecisionKind::Resolve.needs_vote());
        let d: CouncilDecision = CouncilDecision::Rejected {
            explanation: "x".into(),
        };
        assert_eq!(d.kind(), DecisionKind::Reject);
        assert_eq!(d.stage(), Stage::RejectedByCouncil);
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
    fn overdue_days() {
        let d = DateTime::from_timestamp(1_700_000_000, 0).unwrap_or_default();
        assert_eq!(days_overdue(d, d), None);
        assert_eq!(days_overdue(d, d + chrono::Duration::days(5)), Some(5));
    }
}
