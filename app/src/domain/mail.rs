//! E-mail rules (DOMAIN.md: "Notifications go to the bell and, by each person's choice, by
//! e-mail: none, at once, daily or weekly digest. Every mail can be unsubscribed from with
//! one click. Addresses are verified; passwords can be reset by mail.")
use crate::domain::ids::ProposalId;
use crate::domain::localtime::{copenhagen_time, from_copenhagen};
use crate::domain::notification::NotificationKind;
use chrono::{DateTime, Datelike, Duration, NaiveTime, Utc};
use serde::{Deserialize, Serialize};

/// How often a person wants mail of one category.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum MailMode {
    None,
    Instant,
    Daily,
    Weekly,
}

impl MailMode {
    pub const ALL: [MailMode; 4] = [Self::None, Self::Instant, Self::Daily, Self::Weekly];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::None => "none",
            Self::Instant => "instant",
            Self::Daily => "daily",
            Self::Weekly => "weekly",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|m| m.as_str() == s)
    }

    /// A daily or weekly digest.
    pub fn is_digest(self) -> bool {
        matches!(self, Self::Daily | Self::Weekly)
    }
}

/// The two kinds of mail a person chooses for separately.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum MailCategory {
    /// What happens to proposals one wrote or follows.
    Updates,
    /// Answer deadlines (politicians) and overdue answers (the coordinator).
    Deadlines,
}

impl MailCategory {
    pub const ALL: [MailCategory; 2] = [Self::Updates, Self::Deadlines];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Updates => "updates",
            Self::Deadlines => "deadlines",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|c| c.as_str() == s)
    }

    /// The default choice: a daily digest of updates (young people should not be flooded),
    /// deadline reminders at once (a politician must not miss one).
    pub fn default_mode(self) -> MailMode {
        match self {
            Self::Updates => MailMode::Daily,
            Self::Deadlines => MailMode::Instant,
        }
    }

    /// The `mail_tokens.purpose` of this category's unsubscribe link.
    pub fn unsubscribe_purpose(self) -> TokenPurpose {
        match self {
            Self::Updates => TokenPurpose::UnsubscribeUpdates,
            Self::Deadlines => TokenPurpose::UnsubscribeDeadlines,
        }
    }
}

/// The category a notification's mail belongs to.
pub fn category_of(kind: NotificationKind) -> MailCategory {
    match kind {
        NotificationKind::DeadlineSoon
        | NotificationKind::Overdue
        | NotificationKind::ClearerRequested
        | NotificationKind::HearingOverdue => MailCategory::Deadlines,
        _ => MailCategory::Updates,
    }
}

/// Digests go out at this hour, Danish time.
pub const DIGEST_HOUR: u32 = 7;

/// When the next digest of `mode` is due after `now`: the next 07:00 in Copenhagen (daily)
/// or the next Monday 07:00 (weekly). None for the modes without digests.
pub fn next_digest_at(mode: MailMode, now: DateTime<Utc>) -> Option<DateTime<Utc>> {
    let local = copenhagen_time(now);
    let at = NaiveTime::from_hms_opt(DIGEST_HOUR, 0, 0)?;
    let mut day = local.date_naive();
    // The first candidate day whose 07:00 lies after now.
    if local.time() >= at {
        day = day.succ_opt()?;
    }
    match mode {
        MailMode::Daily => {}
        MailMode::Weekly => {
            while day.weekday() != chrono::Weekday::Mon {
                day = day.succ_opt()?;
            }
        }
        MailMode::None | MailMode::Instant => return None,
    }
    from_copenhagen(day.and_time(at))
}

/// Whether a digest cursor survives a change of mode: between daily and weekly the events
/// not yet sent stay pending; from "none" or "at once" the digest starts from now (those
/// events were declined or already mailed).
pub fn digest_cursor_kept(old: MailMode, new: MailMode) -> bool {
    old.is_digest() && new.is_digest()
}

/// What a mail token is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenPurpose {
    Verify,
    Reset,
    UnsubscribeUpdates,
    UnsubscribeDeadlines,
}

impl TokenPurpose {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Verify => "verify",
            Self::Reset => "reset",
            Self::UnsubscribeUpdates => "unsubscribe_updates",
            Self::UnsubscribeDeadlines => "unsubscribe_deadlines",
        }
    }

    /// How long a token is good for; None: until used (unsubscribing may be repeated).
    pub fn lifetime(self) -> Option<Duration> {
        match self {
            Self::Verify => Some(Duration::days(7)),
            Self::Reset => Some(Duration::hours(1)),
            Self::UnsubscribeUpdates | Self::UnsubscribeDeadlines => None,
        }
    }

    /// Whether using the token spends it.
    pub fn single_use(self) -> bool {
        matches!(self, Self::Verify | Self::Reset)
    }

    /// The category an unsubscribe token turns off.
    pub fn unsubscribes(self) -> Option<MailCategory> {
        match self {
            Self::UnsubscribeUpdates => Some(MailCategory::Updates),
            Self::UnsubscribeDeadlines => Some(MailCategory::Deadlines),
            Self::Verify | Self::Reset => None,
        }
    }
}

/// One event in a mail: what happened to which proposal, when.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MailEvent {
    /// The proposal, or None for a hearing's event (mails stored before hearings carry a
    /// number here, which reads as Some).
    pub proposal_id: Option<ProposalId>,
    /// The hearing (issue #21).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hearing_id: Option<crate::domain::ids::HearingId>,
    /// Empty for a hidden proposal (its title is not repeated anywhere).
    pub title: String,
    pub kind: NotificationKind,
    pub at: DateTime<Utc>,
}

impl MailEvent {
    /// The page the event links to, under `base`.
    pub fn url(&self, base: &str) -> String {
        match (self.hearing_id, self.proposal_id) {
            (Some(h), _) => format!("{base}/hoeringer/{}", h.0),
            (None, Some(p)) => format!("{base}/forslag/{}", p.0),
            (None, None) => format!("{base}/notifikationer"),
        }
    }
}

/// What a mail says, as data: stored in the outbox and rendered into text and HTML, in the
/// recipient's language, when it is sent or shown. Server-side only (the coordinator's
/// outbox page gets the rendered text, with any token blanked).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "t", rename_all = "snake_case")]
pub enum MailPayload {
    /// "Confirm your address": the one mail an unverified account gets.
    Verify { name: String, token: String },
    /// "Choose a new password".
    Reset { name: String, token: String },
    /// One event at once (`digest` None) or a digest of several.
    Events {
        name: String,
        category: MailCategory,
        digest: Option<MailMode>,
        unsubscribe: String,
        events: Vec<MailEvent>,
    },
}

impl MailPayload {
    /// The `outbox.kind` of this mail.
    pub fn kind(&self) -> &'static str {
        match self {
            Self::Verify { .. } => "verify",
            Self::Reset { .. } => "reset",
            Self::Events { digest: None, .. } => "event",
            Self::Events {
                digest: Some(_), ..
            } => "digest",
        }
    }

    /// The same mail with its single-use token blanked (kept once the mail has gone out,
    /// and shown to the coordinator when mail leaves the building).
    pub fn without_token(&self) -> Self {
        match self {
            Self::Verify { name, .. } => Self::Verify {
                name: name.clone(),
                token: String::new(),
            },
            Self::Reset { name, .. } => Self::Reset {
                name: name.clone(),
                token: String::new(),
            },
            other => other.clone(),
        }
    }
}

/// A person's mail choices, as `/konto` shows them (`api::mail::mail_prefs`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MailChoices {
    pub updates: MailMode,
    pub deadlines: MailMode,
    /// "da" or "en".
    pub lang: String,
    /// Whether the address is verified (an unverified account gets no mail but that).
    pub verified: bool,
    /// Whether the person gets deadline mail at all (politicians and the coordinator):
    /// the page shows that choice only to them.
    pub deadline_reminders: bool,
}

/// Mails shown per page on `/admin/post`.
pub const OUTBOX_PER_PAGE: i64 = 50;

/// The statuses of a mail in the outbox, in the order `/admin/post` shows them.
pub const OUTBOX_STATUSES: [&str; 4] = ["pending", "sent", "failed", "cancelled"];

/// One mail in the coordinator's list (`/admin/post`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OutboxItem {
    pub id: i64,
    pub created_at: DateTime<Utc>,
    pub to_addr: String,
    pub subject: String,
    pub status: String,
    pub attempts: i64,
    pub last_error: Option<String>,
}

/// A page of the outbox, newest first, with the count of mails per status.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OutboxPageView {
    /// (status, count) for every status in [`OUTBOX_STATUSES`].
    pub counts: Vec<(String, i64)>,
    pub mails: Vec<OutboxItem>,
    /// The `before` cursor of the next (older) page, if there is one.
    pub next: Option<i64>,
    /// Whether mail leaves over SMTP (else it is kept here to be read).
    pub smtp: bool,
}

/// One mail as the coordinator reads it (`/admin/post/{id}`): rendered, with any
/// single-use token blanked when mail leaves over SMTP.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OutboxMailView {
    pub id: i64,
    pub created_at: DateTime<Utc>,
    pub sent_at: Option<DateTime<Utc>>,
    pub to_addr: String,
    pub message_id: String,
    pub kind: String,
    pub lang: String,
    pub status: String,
    pub attempts: i64,
    pub last_error: Option<String>,
    pub subject: String,
    pub text: String,
    pub unsubscribe_url: Option<String>,
    pub smtp: bool,
}

/// Password-reset requests allowed per address per hour.
pub const MAX_RESETS_PER_ADDRESS_HOURLY: i64 = 3;
/// Password-reset requests allowed per IP address per hour (a school network shares one).
pub const MAX_RESETS_PER_IP_HOURLY: i64 = 30;
/// Verification mails a person may ask for again per hour.
pub const MAX_VERIFY_RESENDS_HOURLY: i64 = 3;

/// Delivery attempts before a mail that keeps failing for a passing reason is given up.
pub const MAX_ATTEMPTS: i64 = 12;

/// The wait before attempt `attempts + 1`, after `attempts` failed ones: doubling from
/// `base`, at most an hour.
pub fn retry_delay(base: Duration, attempts: i64) -> Duration {
    let doublings = attempts.clamp(1, 20) - 1;
    let factor = 1i64 << doublings;
    let delay = base * i32::try_from(factor).unwrap_or(i32::MAX);
    delay.min(Duration::hours(1)).max(base)
}

/// An SMTP reply code that means "this will never work" (5xx), not "try later" (4xx).
pub fn is_permanent_failure(code: u16) -> bool {
    (500..600).contains(&code)
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn utc(y: i32, m: u32, d: u32, h: u32, min: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(y, m, d, h, min, 0)
            .single()
            .unwrap_or_default()
    }

    #[test]
    fn daily_digest_is_the_next_seven_oclock_in_copenhagen() {
        // 30 Nov 2026 is a Monday; winter time (UTC+1): 07:00 local is 06:00 UTC.
        assert_eq!(
            next_digest_at(MailMode::Daily, utc(2026, 11, 30, 5, 0)),
            Some(utc(2026, 11, 30, 6, 0))
        );
        assert_eq!(
            next_digest_at(MailMode::Daily, utc(2026, 11, 30, 6, 0)),
            Some(utc(2026, 12, 1, 6, 0))
        );
        // Summer time (UTC+2).
        assert_eq!(
            next_digest_at(MailMode::Daily, utc(2026, 6, 10, 12, 0)),
            Some(utc(2026, 6, 11, 5, 0))
        );
    }

    #[test]
    fn weekly_digest_is_the_next_monday_morning() {
        // Tuesday 1 Dec → Monday 7 Dec 07:00 local.
        assert_eq!(
            next_digest_at(MailMode::Weekly, utc(2026, 12, 1, 10, 0)),
            Some(utc(2026, 12, 7, 6, 0))
        );
        // Monday before 07:00 → the same Monday.
        assert_eq!(
            next_digest_at(MailMode::Weekly, utc(2026, 11, 30, 5, 59)),
            Some(utc(2026, 11, 30, 6, 0))
        );
        assert_eq!(
            next_digest_at(MailMode::Instant, utc(2026, 11, 30, 5, 0)),
            None
        );
        assert_eq!(
            next_digest_at(MailMode::None, utc(2026, 11, 30, 5, 0)),
            None
        );
    }

    #[test]
    fn categories_and_defaults() {
        assert_eq!(
            category_of(NotificationKind::Answered),
            MailCategory::Updates
        );
        assert_eq!(
            category_of(NotificationKind::DeadlineSoon),
            MailCategory::Deadlines
        );
        assert_eq!(
            category_of(NotificationKind::Overdue),
            MailCategory::Deadlines
        );
        assert_eq!(MailCategory::Updates.default_mode(), MailMode::Daily);
        assert_eq!(MailCategory::Deadlines.default_mode(), MailMode::Instant);
        for m in MailMode::ALL {
            assert_eq!(MailMode::parse(m.as_str()), Some(m));
        }
        assert!(digest_cursor_kept(MailMode::Daily, MailMode::Weekly));
        assert!(!digest_cursor_kept(MailMode::Instant, MailMode::Daily));
        assert!(!digest_cursor_kept(MailMode::None, MailMode::Weekly));
    }

    #[test]
    fn retries_back_off_to_an_hour() {
        let base = Duration::seconds(30);
        assert_eq!(retry_delay(base, 1), Duration::seconds(30));
        assert_eq!(retry_delay(base, 2), Duration::seconds(60));
        assert_eq!(retry_delay(base, 4), Duration::seconds(240));
        assert_eq!(retry_delay(base, 30), Duration::hours(1));
        assert!(is_permanent_failure(550));
        assert!(!is_permanent_failure(451));
    }

    #[test]
    fn tokens_expire_and_spend_as_documented() {
        assert_eq!(TokenPurpose::Reset.lifetime(), Some(Duration::hours(1)));
        assert!(TokenPurpose::Reset.single_use());
        assert!(!TokenPurpose::UnsubscribeUpdates.single_use());
        assert_eq!(
            TokenPurpose::UnsubscribeDeadlines.unsubscribes(),
            Some(MailCategory::Deadlines)
        );
    }
}
