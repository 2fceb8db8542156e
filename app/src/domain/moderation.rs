//! Moderation: reports from users, the moderators' queue, hiding with a reason.
use crate::domain::account::clean_text;
use crate::domain::error::AppError;
use crate::domain::ids::{CommentId, ProposalId, ReportId};
use crate::domain::proposal::ProposalSummary;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

pub const MIN_REASON_CHARS: usize = 5;
pub const MAX_REASON_CHARS: usize = 500;
/// Open reports shown in the queue at a time.
pub const QUEUE_LIMIT: i64 = 100;

/// The reason for a report or for hiding (one line).
pub const REASON: crate::domain::explanation::Rule = crate::domain::explanation::Rule {
    min_letters: MIN_REASON_CHARS,
    min_words: 1,
    max_chars: MAX_REASON_CHARS,
    what: crate::domain::explanation::Writing::ModerationReason,
};

/// A reason for a report or for hiding: 5–500 characters, plain text, real letters.
pub fn validate_reason(raw: &str) -> Result<String, AppError> {
    let reason = clean_text(raw);
    REASON.check("reason", &reason)?;
    Ok(reason)
}

/// One open report, with what it is about.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReportItem {
    pub id: ReportId,
    pub proposal_id: ProposalId,
    pub proposal_title: String,
    pub comment_id: Option<CommentId>,
    /// The reported text (the comment, or the proposal's body), shortened.
    pub excerpt: String,
    pub reason: String,
    pub at: DateTime<Utc>,
    /// Already hidden (by an earlier decision).
    pub hidden: bool,
}

/// The moderators' queue.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Queue {
    pub reports: Vec<ReportItem>,
    /// Proposals waiting for approval (pre-moderation).
    pub pending: Vec<ProposalSummary>,
    pub pre_moderation: bool,
    /// Weeks the politicians have to answer a forwarded proposal.
    pub answer_weeks: i64,
}

/// Shortens text for the queue, on a character boundary.
pub fn excerpt(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        text.to_owned()
    } else {
        let mut s: String = text.chars().take(max).collect();
        s.push('…');
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reasons() {
        assert!(validate_reason("   ").is_err());
        assert!(validate_reason("spam").is_err());
        assert_eq!(
            validate_reason(" Reklame \u{202E}").ok().as_deref(),
            Some("Reklame")
        );
        assert!(validate_reason(&"x".repeat(501)).is_err());
        assert_eq!(excerpt("æøåæø", 3), "æøå…");
    }
}
