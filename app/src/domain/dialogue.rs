//! Dialogue on proposals: politicians and the coordinator comment with their role shown, and
//! a politician of the committee may ask the author a question before answering (the answer
//! deadline does not move). Who may comment and ask is in [`crate::domain::rights`]; the role
//! shown is decided here, by the server, never taken from the request.
use crate::domain::account::{RoleKind, SessionUser};
use crate::domain::notification::NotificationKind;
use crate::i18n::td_string;
use serde::{Deserialize, Serialize};

/// The role shown with an adult's comment (`comments.author_role`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum CommentRole {
    Politician,
    Coordinator,
}

impl CommentRole {
    pub const ALL: [CommentRole; 2] = [Self::Politician, Self::Coordinator];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Politician => "politician",
            Self::Coordinator => "coordinator",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|r| r.as_str() == s)
    }

    /// "Politiker" / "Sekretariatet".
    pub fn label(self, en: bool) -> &'static str {
        let l = crate::domain::lang::locale(en);
        match self {
            Self::Politician => td_string!(l, labels.comment_role.politician),
            Self::Coordinator => td_string!(l, labels.comment_role.coordinator),
        }
    }
}

/// The role a person's comment is shown with: a politician comments as a politician, the
/// coordinator (Sekretariat) as the coordinator, everyone else (young people, moderators)
/// without a role.
///
/// A person who is both a politician and the coordinator is shown as a politician: an
/// elected politician's words on a proposal must never look like the administration's, and
/// only a politician may ask the author a question, so the role shown is the same for their
/// comments and their questions.
pub fn comment_role(user: &SessionUser) -> Option<CommentRole> {
    if user.has(RoleKind::Politiker) {
        Some(CommentRole::Politician)
    } else if user.has(RoleKind::Sekretariat) {
        Some(CommentRole::Coordinator)
    } else {
        None
    }
}

/// What the author is told about a new comment on their proposal: an adult's comment
/// (`AdultComment`) or a politician's question (`AdultQuestion`); nothing for young people's
/// comments, nor for the author's own.
pub fn author_notice(
    role: Option<CommentRole>,
    question: bool,
    by_author: bool,
) -> Option<NotificationKind> {
    match (role, by_author) {
        (_, true) | (None, false) => None,
        (Some(_), false) if question => Some(NotificationKind::AdultQuestion),
        (Some(_), false) => Some(NotificationKind::AdultComment),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn user(roles: &[RoleKind]) -> SessionUser {
        SessionUser::for_test(1, roles)
    }

    #[test]
    fn the_role_shown_comes_from_the_person() {
        assert_eq!(
            comment_role(&user(&[RoleKind::Politiker])),
            Some(CommentRole::Politician)
        );
        assert_eq!(
            comment_role(&user(&[RoleKind::Sekretariat])),
            Some(CommentRole::Coordinator)
        );
        // Both: shown as a politician.
        assert_eq!(
            comment_role(&user(&[RoleKind::Sekretariat, RoleKind::Politiker])),
            Some(CommentRole::Politician)
        );
        for young in [
            &[RoleKind::Ung][..],
            &[RoleKind::Elev, RoleKind::Elevraadsformand],
            &[RoleKind::Ung, RoleKind::Ungeraadsmedlem],
            &[RoleKind::Moderator],
            &[],
        ] {
            assert_eq!(comment_role(&user(young)), None, "{young:?}");
        }
    }

    #[test]
    fn the_author_hears_of_adults_comments_and_questions_not_their_own() {
        use NotificationKind::{AdultComment, AdultQuestion};
        let p = Some(CommentRole::Politician);
        let c = Some(CommentRole::Coordinator);
        assert_eq!(author_notice(p, false, false), Some(AdultComment));
        assert_eq!(author_notice(c, false, false), Some(AdultComment));
        assert_eq!(author_notice(p, true, false), Some(AdultQuestion));
        assert_eq!(author_notice(p, false, true), None);
        assert_eq!(author_notice(p, true, true), None);
        assert_eq!(author_notice(None, false, false), None);
        // Both are news to the young author, in their "updates" mail (not the politicians'
        // deadline reminders).
        for k in [AdultComment, AdultQuestion] {
            assert_eq!(
                crate::domain::mail::category_of(k),
                crate::domain::mail::MailCategory::Updates
            );
        }
    }

    #[test]
    fn roles_round_trip_and_have_labels_in_both_languages() {
        for r in CommentRole::ALL {
            assert_eq!(CommentRole::parse(r.as_str()), Some(r));
            assert!(!r.label(false).is_empty() && r.label(false) != r.label(true));
        }
        assert_eq!(CommentRole::Politician.label(false), "Politiker");
        assert_eq!(CommentRole::Coordinator.label(false), "Sekretariatet");
        assert_eq!(CommentRole::Coordinator.label(true), "Coordinator");
        assert_eq!(CommentRole::parse("admin"), None);
    }
}
