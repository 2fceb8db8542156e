//! E-mail: the transactional outbox, mail tokens, each person's mail choices and digests.
//!
//! A mail is a row in `outbox`, written in the transaction of the event that causes it;
//! the sender (server/src/mailer.rs) claims rows, delivers them and records acceptance.
use super::time::now_micros;
use super::{Backend, Db, DbError};
use crate::domain::ids::{ProposalId, UserId};
use crate::domain::mail::{
    self as rules, MailCategory, MailEvent, MailMode, MailPayload, TokenPurpose,
};
use crate::domain::notification::NotificationKind;
use argon2::password_hash::rand_core::{OsRng, RngCore};
use chrono::{DateTime, Utc};
use sqlx::AnyPool;

type Tx<'c> = sqlx::Transaction<'c, sqlx::Any>;

/// 32 random bytes as 64 hex digits.
pub fn random_hex() -> String {
    let mut bytes = [0u8; 32];
    OsRng.fill_bytes(&mut bytes);
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// How a token is stored: its SHA-256, in hex.
pub fn token_hash(token: &str) -> String {
    use sha2::Digest;
    sha2::Sha256::digest(token.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Makes a token for `user`, stores its hash, and returns the token itself (to go in a
/// mail, never into a log).
pub async fn new_token_tx(
    tx: &mut Tx<'_>,
    user: UserId,
    purpose: TokenPurpose,
    now: DateTime<Utc>,
) -> Result<String, DbError> {
    let token = random_hex();
    sqlx::query(
        "INSERT INTO mail_tokens (token_hash, user_id, purpose, created_at, expires_at) \
         VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(token_hash(&token))
    .bind(user.0)
    .bind(purpose.as_str())
    .bind(now.timestamp_micros())
    .bind(purpose.lifetime().map(|d| (now + d).timestamp_micros()))
    .execute(&mut **tx)
    .await?;
    Ok(token)
}

/// The person a token belongs to, if it is valid now for `purpose` (not expired, not used).
/// Spends a single-use token: of two requests with the same token only one gets the person.
pub async fn use_token_tx(
    tx: &mut Tx<'_>,
    token: &str,
    purpose: TokenPurpose,
    now: DateTime<Utc>,
) -> Result<Option<UserId>, DbError> {
    if token.len() != 64 || !token.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Ok(None);
    }
    let now = now.timestamp_micros();
    let user: Option<i64> = if purpose.single_use() {
        sqlx::query_scalar(
            "UPDATE mail_tokens SET used_at = $1 WHERE token_hash = $2 AND purpose = $3 \
             AND used_at IS NULL AND (expires_at IS NULL OR expires_at > $4) RETURNING user_id",
        )
        .bind(now)
        .bind(token_hash(token))
        .bind(purpose.as_str())
        .bind(now)
        .fetch_optional(&mut **tx)
        .await?
    } else {
        sqlx::query_scalar(
            "SELECT user_id FROM mail_tokens WHERE token_hash = $1 AND purpose = $2 \
             AND (expires_at IS NULL OR expires_at > $3)",
        )
        .bind(token_hash(token))
        .bind(purpose.as_str())
        .bind(now)
        .fetch_optional(&mut **tx)
        .await?
    };
    Ok(user.map(UserId))
}

/// Whether a token is valid now for `purpose`, without spending it (to show the form).
pub async fn token_is_valid(
    pool: &AnyPool,
    token: &str,
    purpose: TokenPurpose,
    now: DateTime<Utc>,
) -> Result<bool, DbError> {
    let found: Option<i64> = sqlx::query_scalar(
        "SELECT user_id FROM mail_tokens WHERE token_hash = $1 AND purpose = $2 \
         AND used_at IS NULL AND (expires_at IS NULL OR expires_at > $3)",
    )
    .bind(token_hash(token))
    .bind(purpose.as_str())
    .bind(now.timestamp_micros())
    .fetch_optional(pool)
    .await?;
    Ok(found.is_some())
}

/// A mail to write to the outbox.
pub struct NewMail<'a> {
    pub user: Option<UserId>,
    pub to_addr: &'a str,
    pub lang: &'a str,
    pub payload: &'a MailPayload,
    /// The cause; the same cause never writes two mails.
    pub dedupe_key: String,
}

/// Writes a mail to the outbox inside the caller's transaction. False when a mail with the
/// same cause is there already.
pub async fn enqueue_tx(
    tx: &mut Tx<'_>,
    mail: NewMail<'_>,
    now: DateTime<Utc>,
) -> Result<bool, DbError> {
    let payload = serde_json::to_string(mail.payload)
        .map_err(|e| DbError::Sqlx(sqlx::Error::Encode(Box::new(e))))?;
    // Due at once: when the clock of the caller runs ahead (a digest written for a given
    // time), the mail is still due now, not then.
    let now = now.timestamp_micros().min(now_micros());
    let done = sqlx::query(
        "INSERT INTO outbox (user_id, to_addr, lang, kind, payload, message_id, dedupe_key, status, \
         next_attempt_at, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, 'pending', $8, $9) \
         ON CONFLICT (dedupe_key) DO NOTHING",
    )
    .bind(mail.user.map(|u| u.0))
    .bind(mail.to_addr)
    .bind(if mail.lang == "en" { "en" } else { "da" })
    .bind(mail.payload.kind())
    .bind(payload)
    .bind(random_hex())
    .bind(mail.dedupe_key.chars().take(200).collect::<String>())
    .bind(now)
    .bind(now)
    .execute(&mut **tx)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Who a mail goes to, as stored on the account.
#[derive(sqlx::FromRow)]
struct RecipientRow {
    id: UserId,
    email: Option<String>,
    lang: String,
    first_name: String,
    email_verified_at: Option<i64>,
}

/// A live account, by id or by address.
async fn recipient(
    tx: &mut Tx<'_>,
    by: Result<UserId, &str>,
) -> Result<Option<RecipientRow>, DbError> {
    const SELECT: &str = "SELECT id, email, lang, first_name, email_verified_at FROM users \
                          WHERE status <> 'deleted' AND ";
    let (sql, query) = match by {
        Ok(user) => (format!("{SELECT}id = $1"), Ok(user.0)),
        Err(email) => (format!("{SELECT}email = $1"), Err(email)),
    };
    let q = sqlx::query_as(&sql);
    let q = match query {
        Ok(id) => q.bind(id),
        Err(email) => q.bind(email),
    };
    Ok(q.fetch_optional(&mut **tx).await?)
}

/// Writes a mail carrying a new `purpose` token to `to` (an account with an address).
async fn queue_token_mail_tx(
    tx: &mut Tx<'_>,
    to: RecipientRow,
    purpose: TokenPurpose,
    now: DateTime<Utc>,
) -> Result<bool, DbError> {
    let Some(email) = to.email else {
        return Ok(false);
    };
    let token = new_token_tx(tx, to.id, purpose, now).await?;
    let key = format!("{}:{}", purpose.as_str(), &token_hash(&token)[..32]);
    let name = to.first_name;
    let payload = match purpose {
        TokenPurpose::Reset => MailPayload::Reset { name, token },
        _ => MailPayload::Verify { name, token },
    };
    enqueue_tx(
        tx,
        NewMail {
            user: Some(to.id),
            to_addr: &email,
            lang: &to.lang,
            payload: &payload,
            dedupe_key: key,
        },
        now,
    )
    .await
}

/// Writes a verification mail for `user` (the one mail an unverified account gets).
/// False when the account has no address or is verified already.
pub async fn queue_verification_tx(
    tx: &mut Tx<'_>,
    user: UserId,
    now: DateTime<Utc>,
) -> Result<bool, DbError> {
    match recipient(tx, Ok(user)).await? {
        Some(to) if to.email_verified_at.is_none() => {
            queue_token_mail_tx(tx, to, TokenPurpose::Verify, now).await
        }
        _ => Ok(false),
    }
}

/// Writes a password-reset mail to the account with `email`, if there is one. Returns
/// whether a mail was written (the caller answers the same either way).
pub async fn queue_reset_tx(
    tx: &mut Tx<'_>,
    email: &str,
    now: DateTime<Utc>,
) -> Result<bool, DbError> {
    match recipient(tx, Err(email)).await? {
        Some(to) => queue_token_mail_tx(tx, to, TokenPurpose::Reset, now).await,
        None => Ok(false),
    }
}

/// Marks the address of `user` verified (from now on they get the mail they chose) and
/// starts their digests from now. False when it was verified already.
pub async fn mark_verified_tx(
    tx: &mut Tx<'_>,
    user: UserId,
    now: DateTime<Utc>,
) -> Result<bool, DbError> {
    let done = sqlx::query(
        "UPDATE users SET email_verified_at = $1 WHERE id = $2 AND email_verified_at IS NULL \
         AND status <> 'deleted'",
    )
    .bind(now.timestamp_micros())
    .bind(user.0)
    .execute(&mut **tx)
    .await?;
    if done.rows_affected() != 1 {
        return Ok(false);
    }
    let prefs = prefs_tx(tx, user).await?;
    for category in MailCategory::ALL {
        start_digest_tx(tx, user, category, prefs.mode(category), now).await?;
    }
    Ok(true)
}

/// The highest notification id now: digests started now cover what comes after it.
async fn notifications_high_water(tx: &mut Tx<'_>) -> Result<i64, DbError> {
    Ok(
        sqlx::query_scalar::<_, Option<i64>>("SELECT MAX(id) FROM notifications")
            .fetch_one(&mut **tx)
            .await?
            .unwrap_or(0),
    )
}

/// Starts (or stops) the digest of one category from now, for `mode`.
async fn start_digest_tx(
    tx: &mut Tx<'_>,
    user: UserId,
    category: MailCategory,
    mode: MailMode,
    now: DateTime<Utc>,
) -> Result<(), DbError> {
    sqlx::query("DELETE FROM mail_digests WHERE user_id = $1 AND category = $2")
        .bind(user.0)
        .bind(category.as_str())
        .execute(&mut **tx)
        .await?;
    if let Some(due) = rules::next_digest_at(mode, now) {
        let after = notifications_high_water(tx).await?;
        sqlx::query(
            "INSERT INTO mail_digests (user_id, category, after_id, due_at) VALUES ($1, $2, $3, $4)",
        )
        .bind(user.0)
        .bind(category.as_str())
        .bind(after)
        .bind(due.timestamp_micros())
        .execute(&mut **tx)
        .await?;
    }
    Ok(())
}

/// A person's mail settings.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MailPrefs {
    pub updates: MailMode,
    pub deadlines: MailMode,
    pub verified: bool,
    /// Whether the account has an address at all (one made from a login may have none).
    pub has_address: bool,
    pub lang: String,
}

impl MailPrefs {
    pub fn mode(&self, category: MailCategory) -> MailMode {
        match category {
            MailCategory::Updates => self.updates,
            MailCategory::Deadlines => self.deadlines,
        }
    }
}

#[derive(sqlx::FromRow)]
struct PrefsRow {
    mail_updates: String,
    mail_deadlines: String,
    email_verified_at: Option<i64>,
    has_address: i64,
    lang: String,
}

impl From<PrefsRow> for MailPrefs {
    fn from(r: PrefsRow) -> Self {
        MailPrefs {
            updates: MailMode::parse(&r.mail_updates)
                .unwrap_or(MailCategory::Updates.default_mode()),
            deadlines: MailMode::parse(&r.mail_deadlines)
                .unwrap_or(MailCategory::Deadlines.default_mode()),
            verified: r.email_verified_at.is_some(),
            has_address: r.has_address != 0,
            lang: r.lang,
        }
    }
}

const PREFS_SQL: &str = "SELECT mail_updates, mail_deadlines, email_verified_at, \
     CAST(CASE WHEN email IS NULL THEN 0 ELSE 1 END AS BIGINT) AS has_address, lang \
     FROM users WHERE id = $1";

async fn prefs_tx(tx: &mut Tx<'_>, user: UserId) -> Result<MailPrefs, DbError> {
    let row: PrefsRow = sqlx::query_as(PREFS_SQL)
        .bind(user.0)
        .fetch_one(&mut **tx)
        .await?;
    Ok(row.into())
}

/// A person's mail settings.
pub async fn prefs(pool: &AnyPool, user: UserId) -> Result<Option<MailPrefs>, DbError> {
    let row: Option<PrefsRow> = sqlx::query_as(PREFS_SQL)
        .bind(user.0)
        .fetch_optional(pool)
        .await?;
    Ok(row.map(Into::into))
}

/// Sets how `user` gets mail of `category`. Between daily and weekly the pending events
/// stay pending; from a digest to "at once" they go out at once as a last digest;
/// otherwise a digest starts from now. Returns whether anything changed.
pub async fn set_mode_tx(
    tx: &mut Tx<'_>,
    user: UserId,
    category: MailCategory,
    mode: MailMode,
    now: DateTime<Utc>,
) -> Result<bool, DbError> {
    let old = prefs_tx(tx, user).await?.mode(category);
    if old == mode {
        return Ok(false);
    }
    let column = match category {
        MailCategory::Updates => "mail_updates",
        MailCategory::Deadlines => "mail_deadlines",
    };
    sqlx::query(&format!("UPDATE users SET {column} = $1 WHERE id = $2"))
        .bind(mode.as_str())
        .bind(user.0)
        .execute(&mut **tx)
        .await?;
    if old.is_digest() && mode == MailMode::Instant && prefs_tx(tx, user).await?.verified {
        // What waited for the digest goes now, as a last digest: from here on each event
        // comes at once, and nothing from before is missed.
        let after: Option<i64> = sqlx::query_scalar(
            "SELECT after_id FROM mail_digests WHERE user_id = $1 AND category = $2",
        )
        .bind(user.0)
        .bind(category.as_str())
        .fetch_optional(&mut **tx)
        .await?;
        if let Some(after) = after {
            let high = notifications_high_water(tx).await?;
            digest_tx(tx, user, category, (after, high), Some(old), now).await?;
        }
    }
    if rules::digest_cursor_kept(old, mode) {
        if let Some(due) = rules::next_digest_at(mode, now) {
            sqlx::query("UPDATE mail_digests SET due_at = $1 WHERE user_id = $2 AND category = $3")
                .bind(due.timestamp_micros())
                .bind(user.0)
                .bind(category.as_str())
                .execute(&mut **tx)
                .await?;
        }
    } else {
        start_digest_tx(tx, user, category, mode, now).await?;
    }
    Ok(true)
}

/// Sets the language of `user`'s mail.
pub async fn set_lang_tx(tx: &mut Tx<'_>, user: UserId, lang: &str) -> Result<(), DbError> {
    sqlx::query("UPDATE users SET lang = $1 WHERE id = $2")
        .bind(if lang == "en" { "en" } else { "da" })
        .bind(user.0)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// Turns off the category an unsubscribe token names, for the one person it belongs to.
/// Returns the category turned off (also when it was off already), or None for a token
/// that is not an unsubscribe token.
pub async fn unsubscribe_tx(
    tx: &mut Tx<'_>,
    token: &str,
    now: DateTime<Utc>,
) -> Result<Option<(UserId, MailCategory)>, DbError> {
    for purpose in [
        TokenPurpose::UnsubscribeUpdates,
        TokenPurpose::UnsubscribeDeadlines,
    ] {
        if let Some(user) = use_token_tx(tx, token, purpose, now).await? {
            let Some(category) = purpose.unsubscribes() else {
                continue;
            };
            set_mode_tx(tx, user, category, MailMode::None, now).await?;
            return Ok(Some((user, category)));
        }
    }
    Ok(None)
}

/// One event of a mail, as read from the notifications.
#[derive(sqlx::FromRow)]
struct EventRow {
    id: i64,
    user_id: UserId,
    kind: NotificationKind,
    created_at: i64,
    proposal_id: Option<ProposalId>,
    hearing_id: Option<crate::domain::ids::HearingId>,
    title: String,
    visibility: String,
}

/// The columns of an [`EventRow`], from `notifications n` with its proposal `p` or its
/// hearing `h` (LEFT JOINed: a notification is about exactly one of them).
const EVENT_COLUMNS: &str = "n.id, n.user_id, n.kind, n.created_at, n.proposal_id, n.hearing_id, \
     COALESCE(p.title, h.title, '') AS title, COALESCE(p.visibility, 'published') AS visibility";
const EVENT_JOINS: &str =
    "LEFT JOIN proposals p ON p.id = n.proposal_id LEFT JOIN hearings h ON h.id = n.hearing_id";

impl EventRow {
    fn event(&self) -> MailEvent {
        MailEvent {
            proposal_id: self.proposal_id,
            hearing_id: self.hearing_id,
            // A hidden proposal's title is not repeated anywhere.
            title: if self.visibility == "hidden" {
                String::new()
            } else {
                self.title.clone()
            },
            kind: self.kind,
            at: super::time::to_datetime(self.created_at),
        }
    }
}

/// Writes the "at once" mails for the notifications just written about `proposal`
/// (`kind`, at `at`), inside the same transaction: one per verified recipient whose
/// choice for the category is "at once". Each carries an unsubscribe token.
pub async fn queue_instant_tx(
    tx: &mut Tx<'_>,
    proposal: ProposalId,
    kind: NotificationKind,
    at: i64,
) -> Result<u64, DbError> {
    queue_instant_about_tx(tx, "n.proposal_id", proposal.0, kind, at).await
}

/// [`queue_instant_tx`] for the notifications just written about a hearing (issue #21).
pub async fn queue_instant_hearing_tx(
    tx: &mut Tx<'_>,
    hearing: crate::domain::ids::HearingId,
    kind: NotificationKind,
    at: i64,
) -> Result<u64, DbError> {
    queue_instant_about_tx(tx, "n.hearing_id", hearing.0, kind, at).await
}

/// The "at once" mails for the notifications about `subject` (`n.proposal_id` or
/// `n.hearing_id`) = `id`.
async fn queue_instant_about_tx(
    tx: &mut Tx<'_>,
    subject: &'static str,
    id: i64,
    kind: NotificationKind,
    at: i64,
) -> Result<u64, DbError> {
    let category = rules::category_of(kind);
    let column = match category {
        MailCategory::Updates => "u.mail_updates",
        MailCategory::Deadlines => "u.mail_deadlines",
    };
    #[derive(sqlx::FromRow)]
    struct Row {
        #[sqlx(flatten)]
        event: EventRow,
        email: Option<String>,
        lang: String,
        first_name: String,
    }
    let rows: Vec<Row> = sqlx::query_as(&format!(
        "SELECT {EVENT_COLUMNS}, u.email, u.lang, u.first_name \
         FROM notifications n JOIN users u ON u.id = n.user_id {EVENT_JOINS} \
         WHERE {subject} = $1 AND n.kind = $2 AND n.created_at = $3 AND u.status <> 'deleted' \
         AND u.email_verified_at IS NOT NULL AND {column} = 'instant' ORDER BY n.id"
    ))
    .bind(id)
    .bind(kind.as_str())
    .bind(at)
    .fetch_all(&mut **tx)
    .await?;
    let now = super::time::to_datetime(at);
    let mut written = 0;
    for row in rows {
        let Some(email) = row.email else { continue };
        let unsubscribe =
            new_token_tx(tx, row.event.user_id, category.unsubscribe_purpose(), now).await?;
        let payload = MailPayload::Events {
            name: row.first_name,
            category,
            digest: None,
            unsubscribe,
            events: vec![row.event.event()],
        };
        if enqueue_tx(
            tx,
            NewMail {
                user: Some(row.event.user_id),
                to_addr: &email,
                lang: &row.lang,
                payload: &payload,
                dedupe_key: format!("event:{}", row.event.id),
            },
            now,
        )
        .await?
        {
            written += 1;
        }
    }
    Ok(written)
}

/// Notifications younger than this are left for the next digest: on PostgreSQL an id can
/// commit after a higher one, and a digest must not step over it.
const DIGEST_SETTLE_MICROS: i64 = 60 * 1_000_000;

/// Writes one digest for `user` of `category`: every notification of that category with
/// an id in `(after, high]`, in order; nothing when there is none. True when written.
async fn digest_tx(
    tx: &mut Tx<'_>,
    user: UserId,
    category: MailCategory,
    (after, high): (i64, i64),
    mode: Option<MailMode>,
    now: DateTime<Utc>,
) -> Result<bool, DbError> {
    let events: Vec<EventRow> = sqlx::query_as(&format!(
        "SELECT {EVENT_COLUMNS} FROM notifications n {EVENT_JOINS} \
         WHERE n.user_id = $1 AND n.id > $2 AND n.id <= $3 ORDER BY n.id"
    ))
    .bind(user.0)
    .bind(after)
    .bind(high)
    .fetch_all(&mut **tx)
    .await?;
    let events: Vec<MailEvent> = events
        .iter()
        .filter(|e| rules::category_of(e.kind) == category)
        .map(EventRow::event)
        .collect();
    if events.is_empty() {
        return Ok(false);
    }
    let Some(RecipientRow {
        email: Some(email),
        lang,
        first_name,
        ..
    }) = recipient(tx, Ok(user)).await?
    else {
        return Ok(false);
    };
    let unsubscribe = new_token_tx(tx, user, category.unsubscribe_purpose(), now).await?;
    let payload = MailPayload::Events {
        name: first_name,
        category,
        digest: mode,
        unsubscribe,
        events,
    };
    enqueue_tx(
        tx,
        NewMail {
            user: Some(user),
            to_addr: &email,
            lang: &lang,
            payload: &payload,
            dedupe_key: format!("digest:{}:{}:{}", user.0, category.as_str(), after),
        },
        now,
    )
    .await
}

/// Writes the digests due at `now`: for each person and category whose digest is due,
/// one mail listing every notification of that category since the last digest, in order,
/// then moves their cursor and due time on (a compare-and-set, so two instances never
/// both write one). Nothing is written for a person with no new events. Returns the
/// number of digest mails written.
pub async fn write_digests(pool: &AnyPool, now: DateTime<Utc>) -> Result<u64, DbError> {
    #[derive(sqlx::FromRow)]
    struct DueRow {
        user_id: UserId,
        category: String,
        after_id: i64,
        due_at: i64,
        mail_updates: String,
        mail_deadlines: String,
    }
    let now_us = now.timestamp_micros();
    let due: Vec<DueRow> = sqlx::query_as(
        "SELECT d.user_id, d.category, d.after_id, d.due_at, u.mail_updates, u.mail_deadlines \
         FROM mail_digests d JOIN users u ON u.id = d.user_id \
         WHERE d.due_at <= $1 AND u.status <> 'deleted' AND u.email_verified_at IS NOT NULL \
         ORDER BY d.due_at LIMIT 500",
    )
    .bind(now_us)
    .fetch_all(pool)
    .await?;
    let mut written = 0;
    for row in due {
        let Some(category) = MailCategory::parse(&row.category) else {
            continue;
        };
        let mode = MailMode::parse(match category {
            MailCategory::Updates => &row.mail_updates,
            MailCategory::Deadlines => &row.mail_deadlines,
        });
        let mut tx = super::write_tx(pool).await?;
        let high: Option<i64> =
            sqlx::query_scalar("SELECT MAX(id) FROM notifications WHERE created_at <= $1")
                .bind(now_us - DIGEST_SETTLE_MICROS)
                .fetch_one(&mut *tx)
                .await?;
        let high = high.unwrap_or(0).max(row.after_id);
        let next = mode
            .and_then(|m| rules::next_digest_at(m, now))
            .map(|t| t.timestamp_micros())
            .unwrap_or(i64::MAX);
        let claimed = sqlx::query(
            "UPDATE mail_digests SET after_id = $1, due_at = $2, sent_at = $3 \
             WHERE user_id = $4 AND category = $5 AND after_id = $6 AND due_at = $7",
        )
        .bind(high)
        .bind(next)
        .bind(now_us)
        .bind(row.user_id.0)
        .bind(category.as_str())
        .bind(row.after_id)
        .bind(row.due_at)
        .execute(&mut *tx)
        .await?
        .rows_affected();
        if claimed != 1 || !mode.is_some_and(MailMode::is_digest) {
            tx.commit().await?;
            continue;
        }
        if digest_tx(
            &mut tx,
            row.user_id,
            category,
            (row.after_id, high),
            mode,
            now,
        )
        .await?
        {
            written += 1;
        }
        tx.commit().await?;
    }
    Ok(written)
}

/// A mail the sender has claimed.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ClaimedMail {
    pub id: i64,
    pub to_addr: String,
    pub lang: String,
    pub payload: String,
    pub message_id: String,
    pub attempts: i64,
}

/// Claims up to `limit` mails due at `now` for the sender `me`, for `lease`: no other
/// instance takes them until the lease runs out (then one does: a sender that died
/// mid-way loses nothing). PostgreSQL skips rows another instance is claiming
/// (`FOR UPDATE SKIP LOCKED`); SQLite has one writer at a time. Each claim is also a
/// compare-and-set on the lease, so two instances can never hold the same mail.
pub async fn claim(
    db: &Db,
    me: &str,
    now: DateTime<Utc>,
    lease: chrono::Duration,
    limit: i64,
) -> Result<Vec<ClaimedMail>, DbError> {
    let now_us = now.timestamp_micros();
    let until = (now + lease).timestamp_micros();
    // A cheap look first: an idle sender takes no write lock (SQLite has one for all).
    let due: Option<i64> = sqlx::query_scalar(
        "SELECT id FROM outbox WHERE status = 'pending' AND next_attempt_at <= $1 \
         AND (claimed_until IS NULL OR claimed_until < $2) LIMIT 1",
    )
    .bind(now_us)
    .bind(now_us)
    .fetch_optional(db.pool())
    .await?;
    if due.is_none() {
        return Ok(Vec::new());
    }
    let mut tx = super::write_tx(db.pool()).await?;
    let lock = match db.backend() {
        Backend::Postgres => " FOR UPDATE SKIP LOCKED",
        Backend::Sqlite => "",
    };
    let ids: Vec<i64> = sqlx::query_scalar(&format!(
        "SELECT id FROM outbox WHERE status = 'pending' AND next_attempt_at <= $1 \
         AND (claimed_until IS NULL OR claimed_until < $2) ORDER BY next_attempt_at, id LIMIT $3{lock}"
    ))
    .bind(now_us)
    .bind(now_us)
    .bind(limit)
    .fetch_all(&mut *tx)
    .await?;
    let mut claimed = Vec::with_capacity(ids.len());
    for id in ids {
        let row: Option<ClaimedMail> = sqlx::query_as(
            "UPDATE outbox SET claimed_by = $1, claimed_until = $2 WHERE id = $3 \
             AND status = 'pending' AND (claimed_until IS NULL OR claimed_until < $4) \
             RETURNING id, to_addr, lang, payload, message_id, attempts",
        )
        .bind(me)
        .bind(until)
        .bind(id)
        .bind(now_us)
        .fetch_optional(&mut *tx)
        .await?;
        claimed.extend(row);
    }
    tx.commit().await?;
    Ok(claimed)
}

/// Records that the SMTP server accepted mail `id`. The first thing done after the
/// acceptance, so a crash after it cannot send the mail again. `claimed_by` stays: which
/// instance sent it. `payload` replaces the
/// stored one (the sender blanks a token that has gone out).
pub async fn mark_sent(pool: &AnyPool, id: i64, payload: Option<&str>) -> Result<(), DbError> {
    let now = now_micros();
    sqlx::query(
        "UPDATE outbox SET status = 'sent', sent_at = $1, attempts = attempts + 1, \
         claimed_until = NULL, last_error = NULL, \
         payload = COALESCE($2, payload) WHERE id = $3 AND status = 'pending'",
    )
    .bind(now)
    .bind(payload)
    .bind(id)
    .execute(pool)
    .await?;
    Ok(())
}

/// Records a failed attempt: tried again at `next` (a passing failure), or given up when
/// `next` is None (a permanent failure, or too many attempts): visible on /admin/post.
pub async fn mark_failed(
    pool: &AnyPool,
    id: i64,
    error: &str,
    next: Option<DateTime<Utc>>,
) -> Result<(), DbError> {
    let error: String = error.chars().take(1000).collect();
    match next {
        Some(next) => sqlx::query(
            "UPDATE outbox SET attempts = attempts + 1, next_attempt_at = $1, last_error = $2, \
             claimed_by = NULL, claimed_until = NULL WHERE id = $3 AND status = 'pending'",
        )
        .bind(next.timestamp_micros())
        .bind(error)
        .bind(id),
        None => sqlx::query(
            "UPDATE outbox SET attempts = attempts + 1, status = 'failed', last_error = $1, \
             claimed_by = NULL, claimed_until = NULL WHERE id = $2 AND status = 'pending'",
        )
        .bind(error)
        .bind(id),
    }
    .execute(pool)
    .await?;
    Ok(())
}

/// One mail as the coordinator sees it on /admin/post.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct OutboxRow {
    pub id: i64,
    pub to_addr: String,
    pub lang: String,
    pub kind: String,
    pub payload: String,
    pub message_id: String,
    pub status: String,
    pub attempts: i64,
    pub next_attempt_at: i64,
    pub sent_at: Option<i64>,
    pub last_error: Option<String>,
    pub created_at: i64,
}

const OUTBOX_COLUMNS: &str = "id, to_addr, lang, kind, payload, message_id, status, attempts, \
     next_attempt_at, sent_at, last_error, created_at";

/// A page of the outbox, newest first, optionally of one status only.
pub async fn list(
    pool: &AnyPool,
    status: Option<&str>,
    before: Option<i64>,
    limit: i64,
) -> Result<Vec<OutboxRow>, DbError> {
    let rows = match status {
        Some(status) => {
            sqlx::query_as(&format!(
                "SELECT {OUTBOX_COLUMNS} FROM outbox WHERE status = $1 AND id < $2 \
                 ORDER BY id DESC LIMIT $3"
            ))
            .bind(status)
            .bind(before.unwrap_or(i64::MAX))
            .bind(limit)
            .fetch_all(pool)
            .await?
        }
        None => {
            sqlx::query_as(&format!(
                "SELECT {OUTBOX_COLUMNS} FROM outbox WHERE id < $1 ORDER BY id DESC LIMIT $2"
            ))
            .bind(before.unwrap_or(i64::MAX))
            .bind(limit)
            .fetch_all(pool)
            .await?
        }
    };
    Ok(rows)
}

/// One mail of the outbox.
pub async fn get(pool: &AnyPool, id: i64) -> Result<Option<OutboxRow>, DbError> {
    Ok(sqlx::query_as(&format!(
        "SELECT {OUTBOX_COLUMNS} FROM outbox WHERE id = $1"
    ))
    .bind(id)
    .fetch_optional(pool)
    .await?)
}

/// How many mails are in each status (pending, sent, failed, cancelled).
pub async fn counts(pool: &AnyPool) -> Result<Vec<(String, i64)>, DbError> {
    #[derive(sqlx::FromRow)]
    struct Row {
        status: String,
        n: i64,
    }
    let rows: Vec<Row> =
        sqlx::query_as("SELECT status, COUNT(*) AS n FROM outbox GROUP BY status ORDER BY status")
            .fetch_all(pool)
            .await?;
    Ok(rows.into_iter().map(|r| (r.status, r.n)).collect())
}

/// Days a sent or given-up mail is kept (the outbox holds addresses: not for ever).
pub const KEEP_DAYS: i64 = 30;

/// Forgets mail sent or given up more than [`KEEP_DAYS`] ago, and mail tokens that have
/// expired or were used more than a day ago.
pub async fn prune(pool: &AnyPool, now: DateTime<Utc>) -> Result<(), DbError> {
    let old = (now - chrono::Duration::days(KEEP_DAYS)).timestamp_micros();
    sqlx::query(
        "DELETE FROM outbox WHERE status IN ('sent', 'failed', 'cancelled') AND created_at < $1",
    )
    .bind(old)
    .execute(pool)
    .await?;
    let now_us = now.timestamp_micros();
    sqlx::query(
        "DELETE FROM mail_tokens WHERE (expires_at IS NOT NULL AND expires_at < $1) OR used_at < $2",
    )
    .bind(now_us)
    .bind(now_us - 86_400 * 1_000_000)
    .execute(pool)
    .await?;
    Ok(())
}
