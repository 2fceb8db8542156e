//! Hearings (issue #21): the hearing, each asked council's draft, decision and the
//! sender's feedback on it, members' comments on drafts, young people's input, agenda
//! items about a hearing, and the notifications they send. The rules are in
//! `domain::hearing`; the database (migration 0020) holds them too.
use super::councils::MEMBER_ROLES;
use super::submissions::Once;
use super::time::{to_datetime, today};
use super::DbError;
use crate::domain::account::CouncilKind;
use crate::domain::hearing::{
    phase, CouncilResponse, DraftComment, HearingCard, HearingList, HearingView, InputStatus,
    InputView, NewHearing, ResponseStatus, ResponseUse, UseKind,
};
use crate::domain::hearing_file::HearingFile;
use crate::domain::ids::{
    AgendaItemId, CommitteeId, CouncilId, HearingCommentId, HearingFileId, HearingId,
    HearingInputId, MeetingId, SchoolId, UserId, VoteId,
};
use crate::domain::notification::NotificationKind;
use crate::domain::proposal::VoteTally;
use crate::domain::rights::CouncilAccess;
use chrono::{DateTime, Utc};
use sqlx::AnyPool;

type Tx = sqlx::Transaction<'static, sqlx::Any>;

/// Does `user` sit on `committee` (a term running today)?
pub async fn in_committee(
    pool: &AnyPool,
    committee: CommitteeId,
    user: UserId,
) -> Result<bool, DbError> {
    let n: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM committee_members m WHERE m.committee_id = $1 AND m.user_id = $2 \
         AND m.starts_on <= $3 AND (m.ends_on IS NULL OR m.ends_on >= $3)",
    )
    .bind(committee.0)
    .bind(user.0)
    .bind(today())
    .fetch_one(pool)
    .await?;
    Ok(n > 0)
}

/// The committees `user` sits on now (for the sender's form), active ones only, by name.
pub async fn my_committees(
    pool: &AnyPool,
    user: UserId,
) -> Result<Vec<(CommitteeId, String)>, DbError> {
    #[derive(sqlx::FromRow)]
    struct Row {
        id: CommitteeId,
        name: String,
    }
    let rows: Vec<Row> = sqlx::query_as(
        "SELECT c.id, c.name FROM committees c WHERE c.archived_at IS NULL AND EXISTS (\
         SELECT 1 FROM committee_members m WHERE m.committee_id = c.id AND m.user_id = $1 \
         AND m.starts_on <= $2 AND (m.ends_on IS NULL OR m.ends_on >= $2)) ORDER BY c.name",
    )
    .bind(user.0)
    .bind(today())
    .fetch_all(pool)
    .await?;
    Ok(rows.into_iter().map(|r| (r.id, r.name)).collect())
}

/// Councils that are not archived, by name (the councils a hearing may ask).
pub async fn askable_councils(pool: &AnyPool) -> Result<Vec<(CouncilId, String)>, DbError> {
    #[derive(sqlx::FromRow)]
    struct Row {
        id: CouncilId,
        name: String,
    }
    let rows: Vec<Row> = sqlx::query_as(
        "SELECT id, name FROM councils WHERE archived_at IS NULL ORDER BY name LIMIT 500",
    )
    .fetch_all(pool)
    .await?;
    Ok(rows.into_iter().map(|r| (r.id, r.name)).collect())
}

/// Notifies the active members of every council asked in `hearing` (not `actor`).
async fn notify_members_tx(
    tx: &mut Tx,
    hearing: HearingId,
    kind: NotificationKind,
    actor: UserId,
    at: i64,
    with_input_authors: bool,
) -> Result<(), DbError> {
    let inputs = if with_input_authors {
        " UNION SELECT i.author_id AS user_id FROM hearing_inputs i WHERE i.hearing_id = $1 AND i.status = 'approved'"
    } else {
        ""
    };
    sqlx::query(&format!(
        "INSERT INTO notifications (user_id, hearing_id, kind, created_at) \
         SELECT w.user_id, $1, $2, $3 FROM (\
           SELECT r.user_id FROM user_roles r JOIN hearing_councils hc ON hc.council_id = r.council_id \
           WHERE hc.hearing_id = $1 AND r.role IN {MEMBER_ROLES} AND r.starts_on <= $4 AND r.ends_on >= $4\
           {inputs}) w JOIN users u ON u.id = w.user_id WHERE u.status <> 'deleted' AND w.user_id <> $5"
    ))
    .bind(hearing.0)
    .bind(kind.as_str())
    .bind(at)
    .bind(today())
    .bind(actor.0)
    .execute(&mut **tx)
    .await?;
    super::mail::queue_instant_hearing_tx(tx, hearing, kind, at).await?;
    Ok(())
}

/// Notifies the hearing's sender (not when they acted themselves).
async fn notify_sender_tx(
    tx: &mut Tx,
    hearing: HearingId,
    kind: NotificationKind,
    actor: UserId,
    at: i64,
) -> Result<(), DbError> {
    sqlx::query(
        "INSERT INTO notifications (user_id, hearing_id, kind, created_at) \
         SELECT h.sender_id, h.id, $1, $2 FROM hearings h JOIN users u ON u.id = h.sender_id \
         WHERE h.id = $3 AND u.status <> 'deleted' AND h.sender_id <> $4",
    )
    .bind(kind.as_str())
    .bind(at)
    .bind(hearing.0)
    .bind(actor.0)
    .execute(&mut **tx)
    .await?;
    super::mail::queue_instant_hearing_tx(tx, hearing, kind, at).await?;
    Ok(())
}

/// Stores a new hearing with its asked councils and tells their members, in one
/// transaction that claims the form's one-time token (a replay stores nothing).
pub async fn create(
    pool: &AnyPool,
    h: &NewHearing,
    sender: UserId,
    now: DateTime<Utc>,
    once: &Once,
) -> Result<HearingId, DbError> {
    let at = now.timestamp_micros();
    let mut tx = super::write_tx(pool).await?;
    super::submissions::claim_or_replay(&mut tx, once).await?;
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO hearings (committee_id, sender_id, title, question, background, decision_at, \
         respond_by, feedback_by, allow_input, status, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 'open', $10, $10) RETURNING id",
    )
    .bind(h.committee.0)
    .bind(sender.0)
    .bind(&h.title)
    .bind(&h.question)
    .bind(&h.background)
    .bind(h.decision_at.timestamp_micros())
    .bind(h.respond_by.timestamp_micros())
    .bind(h.feedback_by.timestamp_micros())
    .bind(i64::from(h.allow_input))
    .bind(at)
    .fetch_one(&mut *tx)
    .await?;
    for c in &h.councils {
        sqlx::query(
            "INSERT INTO hearing_councils (hearing_id, council_id, status) VALUES ($1, $2, 'awaiting')",
        )
        .bind(id)
        .bind(c.0)
        .execute(&mut *tx)
        .await?;
    }
    let hearing = HearingId(id);
    notify_members_tx(
        &mut tx,
        hearing,
        NotificationKind::HearingSent,
        sender,
        at,
        false,
    )
    .await?;
    super::submissions::settle(&mut tx, once, &id.to_string()).await?;
    tx.commit().await?;
    Ok(hearing)
}

/// What the server functions need to know about a hearing.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct HearingAccess {
    pub id: HearingId,
    pub sender_id: UserId,
    pub committee_id: CommitteeId,
    pub status: String,
    pub respond_by: i64,
    pub feedback_by: i64,
    pub allow_input: i64,
    /// Asked councils that have not decided.
    pub awaiting: i64,
}

impl HearingAccess {
    pub fn respond_by(&self) -> DateTime<Utc> {
        to_datetime(self.respond_by)
    }
    pub fn feedback_given(&self) -> bool {
        self.status == "feedback_given"
    }
}

/// One hearing's facts (None when there is none).
pub async fn access(pool: &AnyPool, id: HearingId) -> Result<Option<HearingAccess>, DbError> {
    Ok(sqlx::query_as(
        "SELECT h.id, h.sender_id, h.committee_id, h.status, h.respond_by, h.feedback_by, h.allow_input, \
         (SELECT COUNT(*) FROM hearing_councils hc WHERE hc.hearing_id = h.id AND hc.status = 'awaiting') AS awaiting \
         FROM hearings h WHERE h.id = $1",
    )
    .bind(id.0)
    .fetch_optional(pool)
    .await?)
}

/// A council's row in a hearing: its status and draft (None: the council was not asked).
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct AskedCouncil {
    pub status: ResponseStatus,
    pub draft: Option<String>,
}

pub async fn asked(
    pool: &AnyPool,
    hearing: HearingId,
    council: CouncilId,
) -> Result<Option<AskedCouncil>, DbError> {
    Ok(sqlx::query_as(
        "SELECT status, draft FROM hearing_councils WHERE hearing_id = $1 AND council_id = $2",
    )
    .bind(hearing.0)
    .bind(council.0)
    .fetch_optional(pool)
    .await?)
}

/// The councils that responded (adopted a response) in `hearing`.
pub async fn responded(pool: &AnyPool, hearing: HearingId) -> Result<Vec<CouncilId>, DbError> {
    Ok(sqlx::query_scalar(
        "SELECT council_id FROM hearing_councils WHERE hearing_id = $1 AND status = 'responded' \
         ORDER BY council_id",
    )
    .bind(hearing.0)
    .fetch_all(pool)
    .await?)
}

/// Is `user` a member (running term) of a council asked in `hearing`?
pub async fn member_of_asked(
    pool: &AnyPool,
    hearing: HearingId,
    user: UserId,
) -> Result<bool, DbError> {
    let n: i64 = sqlx::query_scalar(&format!(
        "SELECT COUNT(*) FROM user_roles r JOIN hearing_councils hc ON hc.council_id = r.council_id \
         WHERE hc.hearing_id = $1 AND r.user_id = $2 AND r.role IN {MEMBER_ROLES} \
         AND r.starts_on <= $3 AND r.ends_on >= $3"
    ))
    .bind(hearing.0)
    .bind(user.0)
    .bind(today())
    .fetch_one(pool)
    .await?;
    Ok(n > 0)
}

/// Saves the council's draft while it has not decided. False when it has.
pub async fn save_draft(
    pool: &AnyPool,
    hearing: HearingId,
    council: CouncilId,
    draft: &str,
    by: UserId,
    now: DateTime<Utc>,
) -> Result<bool, DbError> {
    let n = sqlx::query(
        "UPDATE hearing_councils SET draft = $1, draft_by = $2, draft_at = $3 \
         WHERE hearing_id = $4 AND council_id = $5 AND status = 'awaiting'",
    )
    .bind(draft)
    .bind(by.0)
    .bind(now.timestamp_micros())
    .bind(hearing.0)
    .bind(council.0)
    .execute(pool)
    .await?
    .rows_affected();
    Ok(n == 1)
}

/// A member's comment on the draft, while the council has not decided (None then), in a
/// transaction that claims the form's one-time token.
pub async fn comment(
    pool: &AnyPool,
    hearing: HearingId,
    council: CouncilId,
    by: UserId,
    body: &str,
    now: DateTime<Utc>,
    once: &Once,
) -> Result<Option<HearingCommentId>, DbError> {
    let mut tx = super::write_tx(pool).await?;
    super::submissions::claim_or_replay(&mut tx, once).await?;
    let id: Option<i64> = sqlx::query_scalar(
        "INSERT INTO hearing_comments (hearing_id, council_id, author_id, body, created_at) \
         SELECT hearing_id, council_id, $1, $2, $3 FROM hearing_councils \
         WHERE hearing_id = $4 AND council_id = $5 AND status = 'awaiting' RETURNING id",
    )
    .bind(by.0)
    .bind(body)
    .bind(now.timestamp_micros())
    .bind(hearing.0)
    .bind(council.0)
    .fetch_optional(&mut *tx)
    .await?;
    let Some(id) = id else {
        return Ok(None);
    };
    super::submissions::settle(&mut tx, once, &id.to_string()).await?;
    tx.commit().await?;
    Ok(Some(HearingCommentId(id)))
}

/// Hearings `council` was asked in and has not decided, before their deadline, and not on
/// an agenda of the council whose minutes are still open (to put on an agenda).
pub async fn open_for_council(
    pool: &AnyPool,
    council: CouncilId,
    now: DateTime<Utc>,
) -> Result<Vec<(HearingId, String)>, DbError> {
    #[derive(sqlx::FromRow)]
    struct Row {
        id: HearingId,
        title: String,
    }
    let rows: Vec<Row> = sqlx::query_as(
        "SELECT h.id, h.title FROM hearings h JOIN hearing_councils hc ON hc.hearing_id = h.id \
         WHERE hc.council_id = $1 AND hc.status = 'awaiting' AND h.respond_by >= $2 \
         AND NOT EXISTS (SELECT 1 FROM agenda_items a JOIN meetings m ON m.id = a.meeting_id \
         WHERE a.hearing_id = h.id AND m.council_id = $1 AND m.status <> 'minutes_approved') \
         ORDER BY h.respond_by, h.id LIMIT 100",
    )
    .bind(council.0)
    .bind(now.timestamp_micros())
    .fetch_all(pool)
    .await?;
    Ok(rows.into_iter().map(|r| (r.id, r.title)).collect())
}

/// Puts a hearing on a meeting's agenda (at the end), for the meeting's council, while
/// that council has not decided and the hearing is not on another of its agendas whose
/// minutes are open; `None` otherwise.
pub async fn add_agenda_item(
    pool: &AnyPool,
    meeting: MeetingId,
    council: CouncilId,
    title: &str,
    hearing: HearingId,
    at: DateTime<Utc>,
) -> Result<Option<AgendaItemId>, DbError> {
    let mut tx = super::write_tx(pool).await?;
    // Two posts at once would otherwise both see no item yet (PostgreSQL snapshots).
    super::lock(
        &mut tx,
        &format!("hearing-agenda:{}:{}", hearing.0, council.0),
    )
    .await?;
    let id: Option<i64> = sqlx::query_scalar(
        "INSERT INTO agenda_items (meeting_id, position, title, hearing_id, created_at) \
         SELECT $1, (SELECT COALESCE(MAX(position), 0) + 1 FROM agenda_items WHERE meeting_id = $1), $2, $3, $4 \
         WHERE EXISTS (SELECT 1 FROM hearing_councils hc WHERE hc.hearing_id = $3 AND hc.council_id = $5 \
           AND hc.status = 'awaiting') \
         AND NOT EXISTS (SELECT 1 FROM agenda_items a JOIN meetings m ON m.id = a.meeting_id \
           WHERE a.hearing_id = $3 AND m.council_id = $5 AND m.status <> 'minutes_approved') RETURNING id",
    )
    .bind(meeting.0)
    .bind(title)
    .bind(hearing.0)
    .bind(at.timestamp_micros())
    .bind(council.0)
    .fetch_optional(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(id.map(AgendaItemId))
}

/// The hearing an agenda item is about, if any.
pub async fn item_hearing(
    pool: &AnyPool,
    item: AgendaItemId,
) -> Result<Option<HearingId>, DbError> {
    Ok(sqlx::query_scalar::<_, Option<HearingId>>(
        "SELECT hearing_id FROM agenda_items WHERE id = $1",
    )
    .bind(item.0)
    .fetch_optional(pool)
    .await?
    .flatten())
}

/// Adopts the council's response by the passed vote `vote`, in the caller's transaction,
/// and tells the sender. Only from awaiting: false when the council has already decided.
#[allow(clippy::too_many_arguments)]
pub async fn adopt_tx(
    tx: &mut Tx,
    hearing: HearingId,
    council: CouncilId,
    response: &str,
    vote: VoteId,
    by: UserId,
    now: DateTime<Utc>,
) -> Result<bool, DbError> {
    let at = now.timestamp_micros();
    let n = sqlx::query(
        "UPDATE hearing_councils SET status = 'responded', response = $1, vote_id = $2, \
         decided_by = $3, decided_at = $4 WHERE hearing_id = $5 AND council_id = $6 AND status = 'awaiting'",
    )
    .bind(response)
    .bind(vote.0)
    .bind(by.0)
    .bind(at)
    .bind(hearing.0)
    .bind(council.0)
    .execute(&mut **tx)
    .await?
    .rows_affected();
    if n == 1 {
        notify_sender_tx(tx, hearing, NotificationKind::HearingDecided, by, at).await?;
    }
    Ok(n == 1)
}

/// Declines on the council's behalf, in the caller's transaction, and tells the sender.
/// Only from awaiting.
pub async fn decline_tx(
    tx: &mut Tx,
    hearing: HearingId,
    council: CouncilId,
    reason: &str,
    by: UserId,
    now: DateTime<Utc>,
) -> Result<bool, DbError> {
    let at = now.timestamp_micros();
    let n = sqlx::query(
        "UPDATE hearing_councils SET status = 'declined', decline_reason = $1, decided_by = $2, \
         decided_at = $3 WHERE hearing_id = $4 AND council_id = $5 AND status = 'awaiting'",
    )
    .bind(reason)
    .bind(by.0)
    .bind(at)
    .bind(hearing.0)
    .bind(council.0)
    .execute(&mut **tx)
    .await?
    .rows_affected();
    if n == 1 {
        notify_sender_tx(tx, hearing, NotificationKind::HearingDecided, by, at).await?;
    }
    Ok(n == 1)
}

/// A young person's input, pre-moderated, in a transaction that claims the form's
/// one-time token. None when they already gave one.
pub async fn add_input(
    pool: &AnyPool,
    hearing: HearingId,
    author: UserId,
    body: &str,
    anonymous: bool,
    now: DateTime<Utc>,
    once: &Once,
) -> Result<Option<HearingInputId>, DbError> {
    let mut tx = super::write_tx(pool).await?;
    super::submissions::claim_or_replay(&mut tx, once).await?;
    let id: Option<i64> = sqlx::query_scalar(
        "INSERT INTO hearing_inputs (hearing_id, author_id, body, anonymous, status, created_at) \
         VALUES ($1, $2, $3, $4, 'pending', $5) ON CONFLICT (hearing_id, author_id) DO NOTHING RETURNING id",
    )
    .bind(hearing.0)
    .bind(author.0)
    .bind(body)
    .bind(i64::from(anonymous))
    .bind(now.timestamp_micros())
    .fetch_optional(&mut *tx)
    .await?;
    let Some(id) = id else {
        return Ok(None);
    };
    super::submissions::settle(&mut tx, once, &id.to_string()).await?;
    tx.commit().await?;
    Ok(Some(HearingInputId(id)))
}

/// An input's hearing, its hearing's sender and its status.
pub async fn input_context(
    pool: &AnyPool,
    input: HearingInputId,
) -> Result<Option<(HearingId, UserId, InputStatus)>, DbError> {
    #[derive(sqlx::FromRow)]
    struct Row {
        hearing_id: HearingId,
        sender_id: UserId,
        status: InputStatus,
    }
    let row: Option<Row> = sqlx::query_as(
        "SELECT i.hearing_id, h.sender_id, i.status FROM hearing_inputs i \
         JOIN hearings h ON h.id = i.hearing_id WHERE i.id = $1",
    )
    .bind(input.0)
    .fetch_optional(pool)
    .await?;
    Ok(row.map(|r| (r.hearing_id, r.sender_id, r.status)))
}

/// Approves or rejects a pending input. False when it was already moderated.
pub async fn moderate_input(
    pool: &AnyPool,
    input: HearingInputId,
    approve: bool,
    by: UserId,
    now: DateTime<Utc>,
) -> Result<bool, DbError> {
    let n = sqlx::query(
        "UPDATE hearing_inputs SET status = $1, moderated_by = $2, moderated_at = $3 \
         WHERE id = $4 AND status = 'pending'",
    )
    .bind(if approve { "approved" } else { "rejected" })
    .bind(by.0)
    .bind(now.timestamp_micros())
    .bind(input.0)
    .execute(pool)
    .await?
    .rows_affected();
    Ok(n == 1)
}

/// Publishes the feedback in the caller's transaction: each responded council's use
/// (only where none is set yet), then the hearing's decision (only from open), then the
/// notifications. False, with nothing to commit, when something moved on meanwhile.
pub async fn publish_feedback_tx(
    tx: &mut Tx,
    hearing: HearingId,
    decision_text: &str,
    uses: &[ResponseUse],
    by: UserId,
    now: DateTime<Utc>,
) -> Result<bool, DbError> {
    let at = now.timestamp_micros();
    for u in uses {
        let n = sqlx::query(
            "UPDATE hearing_councils SET use_kind = $1, use_text = $2 WHERE hearing_id = $3 \
             AND council_id = $4 AND status = 'responded' AND use_kind IS NULL",
        )
        .bind(u.kind.as_str())
        .bind(u.why.as_deref())
        .bind(hearing.0)
        .bind(u.council.0)
        .execute(&mut **tx)
        .await?
        .rows_affected();
        if n != 1 {
            return Ok(false);
        }
    }
    let n = sqlx::query(
        "UPDATE hearings SET status = 'feedback_given', decision_text = $1, feedback_at = $2, \
         updated_at = $2 WHERE id = $3 AND status = 'open'",
    )
    .bind(decision_text)
    .bind(at)
    .bind(hearing.0)
    .execute(&mut **tx)
    .await?
    .rows_affected();
    if n != 1 {
        return Ok(false);
    }
    notify_members_tx(tx, hearing, NotificationKind::HearingFeedback, by, at, true).await?;
    Ok(true)
}

/// Tells the sender and the coordinators about every open hearing whose feedback is past
/// due, once per hearing (claimed under a lock, so several instances send it once).
/// Returns how many hearings were reported.
pub async fn send_overdue(pool: &AnyPool, now: DateTime<Utc>) -> Result<u64, DbError> {
    let now_us = now.timestamp_micros();
    let due: Vec<HearingId> = sqlx::query_scalar(
        "SELECT h.id FROM hearings h WHERE h.status = 'open' AND h.feedback_by < $1 \
         AND NOT EXISTS (SELECT 1 FROM notifications n WHERE n.hearing_id = h.id AND n.kind = 'hearing_overdue') \
         ORDER BY h.feedback_by LIMIT 500",
    )
    .bind(now_us)
    .fetch_all(pool)
    .await?;
    let mut sent = 0;
    for id in due {
        let mut tx = super::write_tx(pool).await?;
        super::lock(&mut tx, &format!("hearing-overdue:{}", id.0)).await?;
        let n = sqlx::query(
            "INSERT INTO notifications (user_id, hearing_id, kind, created_at) \
             SELECT w.user_id, $1, 'hearing_overdue', $2 FROM (\
               SELECT h.sender_id AS user_id FROM hearings h WHERE h.id = $1 AND h.status = 'open' \
               UNION SELECT r.user_id FROM user_roles r WHERE r.role = 'sekretariat') w \
             JOIN users u ON u.id = w.user_id WHERE u.status <> 'deleted' \
             AND EXISTS (SELECT 1 FROM hearings h2 WHERE h2.id = $1 AND h2.status = 'open') \
             AND NOT EXISTS (SELECT 1 FROM notifications n WHERE n.hearing_id = $1 AND n.kind = 'hearing_overdue')",
        )
        .bind(id.0)
        .bind(now_us)
        .execute(&mut *tx)
        .await?
        .rows_affected();
        if n > 0 {
            super::mail::queue_instant_hearing_tx(
                &mut tx,
                id,
                NotificationKind::HearingOverdue,
                now_us,
            )
            .await?;
            sent += 1;
        }
        tx.commit().await?;
    }
    Ok(sent)
}

/// One hearing as a card, with its decision counts.
#[derive(sqlx::FromRow)]
struct CardRow {
    id: HearingId,
    title: String,
    committee: String,
    respond_by: i64,
    decision_at: i64,
    feedback_by: i64,
    status: String,
    awaiting: i64,
    responded: i64,
    declined: i64,
}

/// An asked council's name, for the cards.
#[derive(sqlx::FromRow)]
struct CardCouncil {
    hearing_id: HearingId,
    name: String,
}

const CARD_COLUMNS: &str = "h.id, h.title, cm.name AS committee, h.respond_by, h.decision_at, h.feedback_by, h.status, \
     (SELECT COUNT(*) FROM hearing_councils x WHERE x.hearing_id = h.id AND x.status = 'awaiting') AS awaiting, \
     (SELECT COUNT(*) FROM hearing_councils x WHERE x.hearing_id = h.id AND x.status = 'responded') AS responded, \
     (SELECT COUNT(*) FROM hearing_councils x WHERE x.hearing_id = h.id AND x.status = 'declined') AS declined";

/// Cards of hearings with ids below `before`, newest first, at most `limit` (all of them,
/// or those asking `council`); two queries.
async fn cards(
    pool: &AnyPool,
    council: Option<CouncilId>,
    before: i64,
    limit: i64,
    now: DateTime<Utc>,
) -> Result<Vec<HearingCard>, DbError> {
    let rows: Vec<CardRow> = sqlx::query_as(&format!(
        "SELECT {CARD_COLUMNS} FROM hearings h JOIN committees cm ON cm.id = h.committee_id \
         WHERE h.id < $1 AND ($2 = 0 OR EXISTS (SELECT 1 FROM hearing_councils y \
         WHERE y.hearing_id = h.id AND y.council_id = $2)) ORDER BY h.id DESC LIMIT $3"
    ))
    .bind(before)
    .bind(council.map(|c| c.0).unwrap_or(0))
    .bind(limit)
    .fetch_all(pool)
    .await?;
    let (Some(lo), Some(hi)) = (
        rows.iter().map(|r| r.id.0).min(),
        rows.iter().map(|r| r.id.0).max(),
    ) else {
        return Ok(Vec::new());
    };
    let names: Vec<CardCouncil> = sqlx::query_as(
        "SELECT hc.hearing_id, c.name FROM hearing_councils hc JOIN councils c ON c.id = hc.council_id \
         WHERE hc.hearing_id BETWEEN $1 AND $2 ORDER BY c.name",
    )
    .bind(lo)
    .bind(hi)
    .fetch_all(pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| {
            let respond_by = to_datetime(r.respond_by);
            let feedback_by = to_datetime(r.feedback_by);
            HearingCard {
                id: r.id,
                councils: names
                    .iter()
                    .filter(|n| n.hearing_id == r.id)
                    .map(|n| n.name.clone())
                    .collect(),
                phase: phase(
                    now,
                    respond_by,
                    feedback_by,
                    r.awaiting == 0,
                    r.status == "feedback_given",
                ),
                title: r.title,
                committee: r.committee,
                respond_by,
                decision_at: to_datetime(r.decision_at),
                feedback_by,
                responded: r.responded,
                declined: r.declined,
            }
        })
        .collect())
}

/// A page of the public list, newest first, sorted into its sections.
pub async fn list(
    pool: &AnyPool,
    before: Option<HearingId>,
    limit: i64,
    now: DateTime<Utc>,
) -> Result<HearingList, DbError> {
    let mut rows = cards(
        pool,
        None,
        before.map(|b| b.0).unwrap_or(i64::MAX),
        limit + 1,
        now,
    )
    .await?;
    let mut out = HearingList::default();
    if rows.len() as i64 > limit {
        rows.truncate(limit as usize);
        out.next = rows.last().map(|c| c.id);
    }
    for card in rows {
        out.push(card);
    }
    Ok(out)
}

/// The hearings a council was asked in, newest first (its page shows the newest 50).
pub async fn for_council(
    pool: &AnyPool,
    council: CouncilId,
    now: DateTime<Utc>,
) -> Result<Vec<HearingCard>, DbError> {
    cards(pool, Some(council), i64::MAX, 50, now).await
}

/// The facts about the person looking for each council asked in a hearing (for
/// `domain::hearing`'s rights): one query.
pub async fn viewer_access(
    pool: &AnyPool,
    hearing: HearingId,
    user: UserId,
) -> Result<Vec<(CouncilId, CouncilAccess)>, DbError> {
    #[derive(sqlx::FromRow)]
    struct Row {
        id: CouncilId,
        kind: CouncilKind,
        school_id: Option<SchoolId>,
        officer: i64,
        member: i64,
    }
    let running = "r.starts_on <= $3 AND r.ends_on >= $3";
    let rows: Vec<Row> = sqlx::query_as(&format!(
        "SELECT c.id, c.kind, c.school_id, \
         (SELECT COUNT(*) FROM council_officers o WHERE o.council_id = c.id AND o.user_id = $2 \
          AND EXISTS (SELECT 1 FROM user_roles r WHERE r.council_id = c.id AND r.user_id = $2 \
          AND r.role IN {MEMBER_ROLES} AND {running})) + \
         (SELECT COUNT(*) FROM user_roles r WHERE r.council_id = c.id AND r.user_id = $2 \
          AND r.role = 'elevraadsformand' AND {running}) AS officer, \
         (SELECT COUNT(*) FROM user_roles r WHERE r.council_id = c.id AND r.user_id = $2 \
          AND r.role IN {MEMBER_ROLES} AND {running}) AS member \
         FROM councils c JOIN hearing_councils hc ON hc.council_id = c.id WHERE hc.hearing_id = $1"
    ))
    .bind(hearing.0)
    .bind(user.0)
    .bind(today())
    .fetch_all(pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| {
            (
                r.id,
                CouncilAccess {
                    kind: r.kind,
                    school: r.school_id,
                    is_officer: r.officer > 0,
                    is_member: r.member > 0,
                },
            )
        })
        .collect())
}

/// The hearing's page, before the person looking is taken into account: every draft,
/// comment and input is in it (the server function removes what they may not see). A
/// fixed number of queries.
pub async fn view(
    pool: &AnyPool,
    id: HearingId,
    viewer: Option<UserId>,
    now: DateTime<Utc>,
) -> Result<Option<(HearingView, UserId)>, DbError> {
    #[derive(sqlx::FromRow)]
    struct HearingRow {
        title: String,
        question: String,
        background: String,
        committee: String,
        sender: String,
        sender_id: UserId,
        created_at: i64,
        decision_at: i64,
        respond_by: i64,
        feedback_by: i64,
        allow_input: i64,
        status: String,
        decision_text: Option<String>,
        feedback_at: Option<i64>,
    }
    #[derive(sqlx::FromRow)]
    struct CouncilRow {
        council_id: CouncilId,
        name: String,
        status: ResponseStatus,
        draft: Option<String>,
        draft_at: Option<i64>,
        response: Option<String>,
        vote_id: Option<VoteId>,
        yes: Option<i64>,
        no: Option<i64>,
        abstain: Option<i64>,
        decline_reason: Option<String>,
        decided_at: Option<i64>,
        use_kind: Option<UseKind>,
        use_text: Option<String>,
        item_id: Option<AgendaItemId>,
        meeting_id: Option<MeetingId>,
    }
    #[derive(sqlx::FromRow)]
    struct CommentRow {
        id: HearingCommentId,
        council_id: CouncilId,
        first_name: String,
        body: String,
        created_at: i64,
    }
    #[derive(sqlx::FromRow)]
    struct FileRow {
        id: HearingFileId,
        name: String,
        size: i64,
    }
    #[derive(sqlx::FromRow)]
    struct InputRow {
        id: HearingInputId,
        author_id: UserId,
        first_name: String,
        anonymous: i64,
        body: String,
        status: InputStatus,
        created_at: i64,
    }
    let row: Option<HearingRow> = sqlx::query_as(
        "SELECT h.title, h.question, h.background, cm.name AS committee, u.first_name AS sender, \
         h.sender_id, h.created_at, h.decision_at, h.respond_by, h.feedback_by, h.allow_input, h.status, \
         h.decision_text, h.feedback_at FROM hearings h JOIN committees cm ON cm.id = h.committee_id \
         JOIN users u ON u.id = h.sender_id WHERE h.id = $1",
    )
    .bind(id.0)
    .fetch_optional(pool)
    .await?;
    let Some(h) = row else {
        return Ok(None);
    };
    let councils: Vec<CouncilRow> = sqlx::query_as(
        "SELECT hc.council_id, c.name, hc.status, hc.draft, hc.draft_at, hc.response, hc.vote_id, \
         v.yes, v.no, v.abstain, hc.decline_reason, hc.decided_at, hc.use_kind, hc.use_text, \
         (SELECT MAX(a.id) FROM agenda_items a JOIN meetings m ON m.id = a.meeting_id \
          WHERE a.hearing_id = hc.hearing_id AND m.council_id = hc.council_id) AS item_id, \
         (SELECT a2.meeting_id FROM agenda_items a2 WHERE a2.id = (SELECT MAX(a.id) FROM agenda_items a \
          JOIN meetings m ON m.id = a.meeting_id WHERE a.hearing_id = hc.hearing_id \
          AND m.council_id = hc.council_id)) AS meeting_id \
         FROM hearing_councils hc JOIN councils c ON c.id = hc.council_id \
         LEFT JOIN votes v ON v.id = hc.vote_id WHERE hc.hearing_id = $1 ORDER BY c.name",
    )
    .bind(id.0)
    .fetch_all(pool)
    .await?;
    let comments: Vec<CommentRow> = sqlx::query_as(
        "SELECT k.id, k.council_id, u.first_name, k.body, k.created_at FROM hearing_comments k \
         JOIN users u ON u.id = k.author_id WHERE k.hearing_id = $1 ORDER BY k.id LIMIT 1000",
    )
    .bind(id.0)
    .fetch_all(pool)
    .await?;
    let files: Vec<FileRow> = sqlx::query_as(
        "SELECT id, name, size FROM hearing_files WHERE hearing_id = $1 ORDER BY id",
    )
    .bind(id.0)
    .fetch_all(pool)
    .await?;
    let inputs: Vec<InputRow> = sqlx::query_as(
        "SELECT i.id, i.author_id, u.first_name, i.anonymous, i.body, i.status, i.created_at \
         FROM hearing_inputs i JOIN users u ON u.id = i.author_id WHERE i.hearing_id = $1 \
         ORDER BY i.id LIMIT 1000",
    )
    .bind(id.0)
    .fetch_all(pool)
    .await?;
    let respond_by = to_datetime(h.respond_by);
    let feedback_by = to_datetime(h.feedback_by);
    let all_decided = councils
        .iter()
        .all(|c| c.status != ResponseStatus::Awaiting);
    let view = HearingView {
        id,
        title: h.title,
        question: h.question,
        background: h.background,
        committee: h.committee,
        sender: h.sender,
        created_at: to_datetime(h.created_at),
        decision_at: to_datetime(h.decision_at),
        respond_by,
        feedback_by,
        allow_input: h.allow_input == 1,
        phase: phase(
            now,
            respond_by,
            feedback_by,
            all_decided,
            h.status == "feedback_given",
        ),
        decision_text: h.decision_text,
        feedback_at: h.feedback_at.map(to_datetime),
        files: files
            .into_iter()
            .map(|f| HearingFile {
                id: f.id,
                name: f.name,
                size: f.size,
            })
            .collect(),
        councils: councils
            .into_iter()
            .map(|c| CouncilResponse {
                council_id: c.council_id,
                council: c.name,
                status: c.status,
                draft: c.draft,
                draft_at: c.draft_at.map(to_datetime),
                comments: comments
                    .iter()
                    .filter(|k| k.council_id == c.council_id)
                    .map(|k| DraftComment {
                        id: k.id,
                        by: k.first_name.clone(),
                        body: k.body.clone(),
                        at: to_datetime(k.created_at),
                    })
                    .collect(),
                response: c.response,
                vote: c.vote_id,
                tally: match (c.yes, c.no, c.abstain) {
                    (Some(yes), Some(no), Some(abstain)) => Some(VoteTally { yes, no, abstain }),
                    _ => None,
                },
                decline_reason: c.decline_reason,
                decided_at: c.decided_at.map(to_datetime),
                use_kind: c.use_kind,
                use_text: c.use_text,
                agenda: c.meeting_id.zip(c.item_id),
                insider: false,
                can_act: false,
                can_comment: false,
            })
            .collect(),
        inputs: inputs
            .into_iter()
            .map(|i| InputView {
                id: i.id,
                author: (i.anonymous == 0).then_some(i.first_name),
                body: i.body,
                status: i.status,
                at: to_datetime(i.created_at),
                mine: Some(i.author_id) == viewer,
            })
            .collect(),
        can_publish_feedback: false,
        can_upload_files: false,
        can_give_input: false,
        can_moderate_inputs: false,
        is_sender: Some(h.sender_id) == viewer,
    };
    Ok(Some((view, h.sender_id)))
}
