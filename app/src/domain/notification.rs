//! In-app notifications: the author and followers hear when a proposal moves on.
use crate::domain::ids::{HearingId, NotificationId, ProposalId};
use crate::i18n::td_string;
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
    /// To the author: a politician or the coordinator commented on the proposal.
    AdultComment,
    /// To the author: a politician of the committee asks them a question before answering.
    AdultQuestion,
    /// To the members of each council asked: a hearing was sent to them.
    HearingSent,
    /// To the hearing's sender: a council adopted its response or declined.
    HearingDecided,
    /// To the asked councils' members and the authors of approved input: feedback.
    HearingFeedback,
    /// To the sender and the coordinator: feedback is overdue.
    HearingOverdue,
}

impl NotificationKind {
    pub const ALL: [NotificationKind; 20] = [
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
        Self::AdultComment,
        Self::AdultQuestion,
        Self::HearingSent,
        Self::HearingDecided,
        Self::HearingFeedback,
        Self::HearingOverdue,
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
            Self::AdultComment => "adult_comment",
            Self::AdultQuestion => "adult_question",
            Self::HearingSent => "hearing_sent",
            Self::HearingDecided => "hearing_decided",
            Self::HearingFeedback => "hearing_feedback",
            Self::HearingOverdue => "hearing_overdue",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == s)
    }

    /// "…" is the proposal's title.
    pub fn text(self, en: bool) -> &'static str {
        let l = crate::domain::lang::locale(en);
        match self {
            Self::Submitted => td_string!(l, labels.notification.submitted),
            Self::Approved => td_string!(l, labels.notification.approved),
            Self::OnAgenda => td_string!(l, labels.notification.on_agenda),
            Self::RemovedFromAgenda => td_string!(l, labels.notification.removed_from_agenda),
            Self::Forwarded => td_string!(l, labels.notification.forwarded),
            Self::RejectedByCouncil => td_string!(l, labels.notification.rejected_by_council),
            Self::ResolvedByCouncil => td_string!(l, labels.notification.resolved_by_council),
            Self::Answered => td_string!(l, labels.notification.answered),
            Self::FollowUp => td_string!(l, labels.notification.follow_up),
            Self::Hidden => td_string!(l, labels.notification.hidden),
            Self::DeadlineSoon => td_string!(l, labels.notification.deadline_soon),
            Self::Overdue => td_string!(l, labels.notification.overdue),
            Self::ClearerRequested => td_string!(l, labels.notification.clearer_requested),
            Self::Clarified => td_string!(l, labels.notification.clarified),
            Self::AdultComment => td_string!(l, labels.notification.adult_comment),
            Self::AdultQuestion => td_string!(l, labels.notification.adult_question),
            Self::HearingSent => td_string!(l, labels.notification.hearing_sent),
            Self::HearingDecided => td_string!(l, labels.notification.hearing_decided),
            Self::HearingFeedback => td_string!(l, labels.notification.hearing_feedback),
            Self::HearingOverdue => td_string!(l, labels.notification.hearing_overdue),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Notification {
    pub id: NotificationId,
    /// The proposal it is about, or (for a hearing's notifications) None.
    pub proposal_id: Option<ProposalId>,
    /// The hearing it is about (issue #21).
    pub hearing_id: Option<HearingId>,
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

impl Notification {
    /// The page the notification links to.
    pub fn href(&self) -> String {
        match (self.hearing_id, self.proposal_id) {
            (Some(h), _) => format!("/hoeringer/{}", h.0),
            (None, Some(p)) => format!("/forslag/{}", p.0),
            (None, None) => "/notifikationer".to_owned(),
        }
    }
}
