//! The audit log: who decided what, when. Shown to the coordinator.
use crate::domain::ids::UserId;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// Entries shown per page of the audit log.
pub const AUDIT_PER_PAGE: usize = 50;

/// What was decided. The string forms are stored; never rename one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum AuditAction {
    VoteOpened,
    VoteClosed,
    CouncilDecided,
    BallotRulesSet,
    OfficerAppointed,
    SuggestionAccepted,
    SuggestionDeclined,
    MinutesWritten,
    Answered,
    FollowUp,
    Clarified,
    PoolYearOpened,
    PoolDecided,
    PoolReported,
    ContentHidden,
    ReportDismissed,
    ProposalApproved,
    PreModerationSet,
    AnswerWeeksSet,
    UserConfirmed,
    RoleGranted,
    RoleRevoked,
    SchoolCreated,
    PupilCreated,
    SetupChanged,
}

impl AuditAction {
    pub const ALL: [AuditAction; 25] = [
        Self::VoteOpened,
        Self::VoteClosed,
        Self::CouncilDecided,
        Self::BallotRulesSet,
        Self::OfficerAppointed,
        Self::SuggestionAccepted,
        Self::SuggestionDeclined,
        Self::MinutesWritten,
        Self::Answered,
        Self::FollowUp,
        Self::Clarified,
        Self::PoolYearOpened,
        Self::PoolDecided,
        Self::PoolReported,
        Self::ContentHidden,
        Self::ReportDismissed,
        Self::ProposalApproved,
        Self::PreModerationSet,
        Self::AnswerWeeksSet,
        Self::UserConfirmed,
        Self::RoleGranted,
        Self::RoleRevoked,
        Self::SchoolCreated,
        Self::PupilCreated,
        Self::SetupChanged,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::VoteOpened => "vote_opened",
            Self::VoteClosed => "vote_closed",
            Self::CouncilDecided => "council_decided",
            Self::BallotRulesSet => "ballot_rules_set",
            Self::OfficerAppointed => "officer_appointed",
            Self::SuggestionAccepted => "suggestion_accepted",
            Self::SuggestionDeclined => "suggestion_declined",
            Self::MinutesWritten => "minutes_written",
            Self::Answered => "answered",
            Self::FollowUp => "follow_up",
            Self::Clarified => "clarified",
            Self::PoolYearOpened => "pool_year_opened",
            Self::PoolDecided => "pool_decided",
            Self::PoolReported => "pool_reported",
            Self::ContentHidden => "content_hidden",
            Self::ReportDismissed => "report_dismissed",
            Self::ProposalApproved => "proposal_approved",
            Self::PreModerationSet => "pre_moderation_set",
            Self::AnswerWeeksSet => "answer_weeks_set",
            Self::UserConfirmed => "user_confirmed",
            Self::RoleGranted => "role_granted",
            Self::RoleRevoked => "role_revoked",
            Self::SchoolCreated => "school_created",
            Self::PupilCreated => "pupil_created",
            Self::SetupChanged => "setup_changed",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|a| a.as_str() == s)
    }

    /// The Danish label shown in the log.
    pub fn label_da(self) -> &'static str {
        match self {
            Self::VoteOpened => "Afstemning åbnet",
            Self::VoteClosed => "Afstemning lukket",
            Self::CouncilDecided => "Rådet har besluttet",
            Self::BallotRulesSet => "Afstemningsregler ændret",
            Self::OfficerAppointed => "Formand/næstformand udpeget",
            Self::SuggestionAccepted => "Punktforslag sat på dagsorden",
            Self::SuggestionDeclined => "Punktforslag afvist",
            Self::MinutesWritten => "Referat skrevet",
            Self::Answered => "Politisk svar givet",
            Self::FollowUp => "Opfølgning skrevet",
            Self::Clarified => "Svar uddybet",
            Self::PoolYearOpened => "Puljeår åbnet",
            Self::PoolDecided => "Ansøgning til puljen afgjort",
            Self::PoolReported => "Tilbagemelding til puljen",
            Self::ContentHidden => "Indhold skjult",
            Self::ReportDismissed => "Anmeldelse afvist",
            Self::ProposalApproved => "Forslag godkendt",
            Self::PreModerationSet => "Forhåndsmoderation ændret",
            Self::AnswerWeeksSet => "Svarfrist ændret",
            Self::UserConfirmed => "Konto bekræftet",
            Self::RoleGranted => "Rolle tildelt",
            Self::RoleRevoked => "Rolle frataget",
            Self::SchoolCreated => "Skole oprettet",
            Self::PupilCreated => "Elevkonto oprettet",
            Self::SetupChanged => "Opsætning ændret",
        }
    }
}

/// One line of the audit log as the coordinator sees it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AuditEntry {
    pub id: i64,
    pub at: DateTime<Utc>,
    pub actor: Option<UserId>,
    /// The actor's first name, or None when the account is gone.
    pub actor_name: Option<String>,
    pub action: String,
    pub label: String,
    pub subject_kind: String,
    pub subject_id: Option<i64>,
    pub details: String,
}

/// A page of the log, newest first; `next` is the keyset cursor for the next page.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AuditPage {
    pub entries: Vec<AuditEntry>,
    pub next: Option<i64>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stored_names_round_trip_and_are_unique() {
        let mut seen = std::collections::HashSet::new();
        for a in AuditAction::ALL {
            assert_eq!(AuditAction::parse(a.as_str()), Some(a));
            assert!(seen.insert(a.as_str()), "duplicate {}", a.as_str());
            assert!(a.as_str().len() <= 60);
        }
        assert_eq!(AuditAction::parse("nope"), None);
    }
}
