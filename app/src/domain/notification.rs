//! In-app notifications: the author and followers hear when a proposal moves on.
use crate::domain::ids::{NotificationId, ProposalId};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// Notifications shown per page.
pub const PER_PAGE: i64 = 30;

/// What happened.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum NotificationKind {
    Submitted,
    Approved,
    OnAgenda,
    RemovedFromAgenda,
    Forwarded,
    RejectedByCouncil,
    ResolvedByCouncil,
    Answered,
    FollowUp,
    Hidden,
    /// To the committee's politicians: the answer deadline is 7 days away.
    DeadlineSoon,
    /// To the coordinator: the answer deadline has passed.
    Overdue,
    /// To the committee's politicians: someone asks for a clearer answer.
    ClearerRequested,
    /// To the author and followers: the politicians explained their answer further.
    Clarified,
}

impl NotificationKind {
    pub const ALL: [NotificationKind; 14] = [
        Self::Submitted,
        Self::Approved,
        Self::OnAgenda,
        Self::RemovedFromAgenda,
        Self::Forwarded,
        Self::RejectedByCouncil,
        Self::ResolvedByCouncil,
        Self::Answered,
        Self::FollowUp,
        Self::Hidden,
        Self::DeadlineSoon,
        Self::Overdue,
        Self::ClearerRequested,
        Self::Clarified,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Submitted => "submitted",
            Self::Approved => "approved",
            Self::OnAgenda => "on_agenda",
            Self::RemovedFromAgenda => "removed_from_agenda",
            Self::Forwarded => "forwarded",
            Self::RejectedByCouncil => "rejected_by_council",
            Self::ResolvedByCouncil => "resolved_by_council",
            Self::Answered => "answered",
            Self::FollowUp => "follow_up",
            Self::Hidden => "hidden",
            Self::DeadlineSoon => "deadline_soon",
            Self::Overdue => "overdue",
            Self::ClearerRequested => "clearer_requested",
            Self::Clarified => "clarified",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == s)
    }

    /// "…" is the proposal's title.
    pub fn text(self, en: bool) -> &'static str {
        match (self, en) {
            (Self::Submitted, false) => "Forslaget er sendt",
            (Self::Submitted, true) => "The proposal was submitted",
            (Self::Approved, false) => "Forslaget er godkendt og offentligt",
            (Self::Approved, true) => "The proposal was approved and is public",
            (Self::OnAgenda, false) => "Forslaget er sat på rådets dagsorden",
            (Self::OnAgenda, true) => "The proposal is on the council's agenda",
            (Self::RemovedFromAgenda, false) => "Forslaget er taget af dagsordenen igen",
            (Self::RemovedFromAgenda, true) => "The proposal was taken off the agenda",
            (Self::Forwarded, false) => "Rådet har sendt forslaget til politikerne",
            (Self::Forwarded, true) => "The council sent the proposal to the politicians",
            (Self::RejectedByCouncil, false) => "Rådet har afvist forslaget — læs begrundelsen",
            (Self::RejectedByCouncil, true) => "The council declined the proposal — read why",
            (Self::ResolvedByCouncil, false) => "Rådet har selv løst forslaget",
            (Self::ResolvedByCouncil, true) => "The council resolved the proposal itself",
            (Self::Answered, false) => "Politikerne har svaret",
            (Self::Answered, true) => "The politicians answered",
            (Self::FollowUp, false) => "Nyt om opfølgningen",
            (Self::FollowUp, true) => "News on the follow-up",
            (Self::Hidden, false) => "Forslaget er skjult af en moderator",
            (Self::Hidden, true) => "The proposal was hidden by a moderator",
            (Self::DeadlineSoon, false) => "Påmindelse: svarfristen er om 7 dage",
            (Self::DeadlineSoon, true) => "Reminder: the answer is due in 7 days",
            (Self::Overdue, false) => "Svarfristen er overskredet",
            (Self::Overdue, true) => "The answer deadline has passed",
            (Self::ClearerRequested, false) => "En ung beder om et klarere svar",
            (Self::ClearerRequested, true) => "A young person asks for a clearer answer",
            (Self::Clarified, false) => "Politikerne har uddybet deres svar",
            (Self::Clarified, true) => "The politicians explained their answer further",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Notification {
    pub id: NotificationId,
    pub proposal_id: ProposalId,
    pub proposal_title: String,
    pub kind: NotificationKind,
    pub at: DateTime<Utc>,
    pub read: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NotificationPage {
    pub items: Vec<Notification>,
    pub unread: i64,
    pub next: Option<NotificationId>,
}
