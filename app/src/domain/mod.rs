//! The rules of DOMAIN.md as plain Rust. Compiles for wasm: no sqlx, tokio or axum here.
pub mod account;
pub mod answer;
pub mod audit;
pub mod council;
pub mod dialogue;
pub mod error;
pub mod explanation;
pub mod form;
pub mod format;
mod fuzz;
pub mod heard;
pub mod hearing;
pub mod hearing_file;
pub mod identity;
pub mod ids;
pub mod influence;
pub mod lang;
pub mod live;
pub mod localtime;
pub mod mail;
pub mod meeting_status;
pub mod message;
pub mod moderation;
pub mod notification;
pub mod participation;
pub mod pool;
pub mod proposal;
pub mod rights;
pub mod setup;

#[cfg(test)]
mod label_tests {
    /// The labels live in `locales/*.json` under `labels`; a key missing in en.json would
    /// silently fall back to Danish.
    #[test]
    fn labels_come_from_the_locale_files_in_both_languages() {
        use crate::domain::{account, council, notification, proposal, setup};
        assert_eq!(
            proposal::Theme::FritidKultur.label(false),
            "Fritid og kultur"
        );
        assert_eq!(
            proposal::Theme::FritidKultur.label(true),
            "Leisure and culture"
        );
        assert_eq!(council::Choice::Imod.label(true), "Against");
        let mut pairs: Vec<(&str, &str)> = Vec::new();
        pairs.extend(proposal::Theme::ALL.map(|x| (x.label(false), x.label(true))));
        pairs.extend(proposal::Stage::ALL.map(|x| (x.label(false), x.label(true))));
        pairs.extend(proposal::AnswerReason::ALL.map(|x| (x.label(false), x.label(true))));
        pairs.extend(notification::NotificationKind::ALL.map(|x| (x.text(false), x.text(true))));
        pairs.extend(account::CouncilKind::ALL.map(|x| (x.label(false), x.label(true))));
        pairs.extend(council::MeetingStatus::ALL.map(|x| (x.label(false), x.label(true))));
        for done in [false, true] {
            pairs.extend(
                setup::ChecklistItem::ALL.map(|x| (x.text(done, false), x.text(done, true))),
            );
        }
        for (da, en) in pairs {
            assert!(!da.is_empty() && da != en, "{da} / {en}");
        }
    }
}
