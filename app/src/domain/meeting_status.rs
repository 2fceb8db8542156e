//! Where a meeting is in its life (Planlagt → Dagsorden offentliggjort → Afholdt →
//! Referat godkendt): its own module, because messages name it and councils use messages.
use crate::i18n::td_string;
use serde::{Deserialize, Serialize};

/// Where a meeting is: Planlagt → Dagsorden offentliggjort → Afholdt → Referat godkendt.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum MeetingStatus {
    Planned,
    Published,
    Held,
    MinutesApproved,
}

impl MeetingStatus {
    pub const ALL: [MeetingStatus; 4] = [
        Self::Planned,
        Self::Published,
        Self::Held,
        Self::MinutesApproved,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Planned => "planned",
            Self::Published => "published",
            Self::Held => "held",
            Self::MinutesApproved => "minutes_approved",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|m| m.as_str() == s.trim())
    }

    pub fn label(self, en: bool) -> &'static str {
        let l = crate::domain::lang::locale(en);
        match self {
            Self::Planned => td_string!(l, labels.meeting_status.planned),
            Self::Published => td_string!(l, labels.meeting_status.published),
            Self::Held => td_string!(l, labels.meeting_status.held),
            Self::MinutesApproved => td_string!(l, labels.meeting_status.minutes_approved),
        }
    }

    /// The next status, if any (statuses only move forward).
    pub fn next(self) -> Option<Self> {
        match self {
            Self::Planned => Some(Self::Published),
            Self::Published => Some(Self::Held),
            Self::Held => Some(Self::MinutesApproved),
            Self::MinutesApproved => None,
        }
    }
}
