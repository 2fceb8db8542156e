//! Live sessions: sessions and their participants, the agenda, the speakers' list, live
//! votes and, for class sessions, ideas and dots (migration 0023). Every write names the
//! state it moves from, so a second press or a stale tab changes nothing.
use super::time::{now_micros, to_datetime};
use super::DbError;
use crate::domain::ids::{
    IdeaId, LiveItemId, LiveSessionId, LiveVoteId, ParticipantId, ProposalId, SchoolId, UserId,
};
use crate::domain::live::{
    IdeaView, LiveItemView, LiveKind, LiveMe, LiveSessionInfo, LiveState, LiveVoteView,
    OptionTally, PendingIdea, SpeakerView,
};
use crate::domain::message::Msg;
use sqlx::AnyPool;

/// A trigger's refusal, as the message people see.
pub(crate) fn refused(e: sqlx::Error) -> DbError {
    if let sqlx::Error::Database(d) = &e {
        let m = d.message();
        if m.contains("the live vote is closed") {
            return DbError::Conflict(Msg::VoteClosed);
        }
        if m.contains("the live session is closed") {
            return DbError::Conflict(Msg::LiveSessionClosed);
        }
        if m.contains("at most three dots") {
            return DbError::Conflict(Msg::LiveDotsUsed);
        }
    }
    e.into()
}

/// Does `user` run a council (an officer or elevrådsformand with a running term)? Such a
/// person may open Bytinget.
pub async fn runs_a_council(pool: &AnyPool, user: UserId) -> Result<bool, DbError> {
    let n: i64 = sqlx::query_scalar(
        "SELECT (SELECT COUNT(*) FROM council_officers o WHERE o.user_id = $1 AND EXISTS ( \
            SELECT 1 FROM user_roles r WHERE r.council_id = o.council_id AND r.user_id = $1 \
            AND r.starts_on <= $2 AND r.ends_on >= $2)) + \
         (SELECT COUNT(*) FROM user_roles r WHERE r.user_id = $1 AND r.role = 'elevraadsformand' \
            AND r.starts_on <= $2 AND r.ends_on >= $2)",
    )
    .bind(user.0)
    .bind(super::time::today())
    .fetch_one(pool)
    .await?;
    Ok(n > 0)
}

/// A new session to store.
pub struct NewSession<'a> {
    pub kind: LiveKind,
    pub title: &'a str,
    pub host: UserId,
    pub school: Option<SchoolId>,
    pub class_name: Option<&'a str>,
    pub opened_at: i64,
    pub expires_at: i64,
}

/// Stores a session under a fresh random code (drawn again on the rare clash) and returns
/// its id and code. With a one-time token, a replay stores nothing.
pub async fn create_session(
    pool: &AnyPool,
    new: &NewSession<'_>,
    once: Option<&super::submissions::Once>,
) -> Result<(LiveSessionId, String), DbError> {
    use argon2::password_hash::rand_core::{OsRng, RngCore};
    for _ in 0..8 {
        let mut bytes = [0u8; crate::domain::live::CODE_LEN];
        OsRng.fill_bytes(&mut bytes);
        let code = crate::domain::live::code_from_bytes(bytes);
        let mut tx = super::write_tx(pool).await?;
        if let Some(once) = once {
            super::submissions::claim_or_replay(&mut tx, once).await?;
        }
        let made: Result<i64, sqlx::Error> = sqlx::query_scalar(
            "INSERT INTO live_sessions (code, kind, title, host_id, school_id, class_name, opened_at, expires_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
        )
        .bind(&code)
        .bind(new.kind.as_str())
        .bind(new.title)
        .bind(new.host.0)
        .bind(new.school.map(|s| s.0))
        .bind(new.class_name)
        .bind(new.opened_at)
        .bind(new.expires_at)
        .fetch_one(&mut *tx)
        .await;
        match made {
            Ok(id) => {
                if let Some(once) = once {
                    super::submissions::settle(&mut tx, once, &code).await?;
                }
                tx.commit().await?;
                return Ok((LiveSessionId(id), code));
            }
            Err(e) if super::is_unique_violation(&e) => continue,
            Err(e) => return Err(e.into()),
        }
    }
    Err(DbError::Conflict(Msg::Internal))
}

/// A session and who hosts it.
pub struct SessionRow {
    pub info: LiveSessionInfo,
    pub host: UserId,
    pub school: Option<SchoolId>,
}

#[derive(sqlx::FromRow)]
struct SessionDbRow {
    id: i64,
    code: String,
    kind: String,
    title: String,
    class_name: Option<String>,
    school_id: Option<i64>,
    school: Option<String>,
    host_id: i64,
    opened_at: i64,
    expires_at: i64,
    closed_at: Option<i64>,
}

impl SessionDbRow {
    fn into_row(self) -> SessionRow {
        SessionRow {
            info: LiveSessionInfo {
                id: LiveSessionId(self.id),
                code: self.code,
                kind: LiveKind::parse(&self.kind).unwrap_or(LiveKind::Bytinget),
                title: self.title,
                class_name: self.class_name,
                school: self.school,
                opened_at: to_datetime(self.opened_at),
                expires_at: to_datetime(self.expires_at),
                closed_at: self.closed_at.map(to_datetime),
            },
            host: UserId(self.host_id),
            school: self.school_id.map(SchoolId),
        }
    }
}

const SESSION_SELECT: &str = "SELECT s.id, s.code, s.kind, s.title, s.class_name, s.school_id, \
     sc.name AS school, s.host_id, s.opened_at, s.expires_at, s.closed_at \
     FROM live_sessions s LEFT JOIN schools sc ON sc.id = s.school_id";

/// The session with this code.
pub async fn by_code(pool: &AnyPool, code: &str) -> Result<Option<SessionRow>, DbError> {
    let row: Option<SessionDbRow> = sqlx::query_as(&format!("{SESSION_SELECT} WHERE s.code = $1"))
        .bind(code)
        .fetch_optional(pool)
        .await?;
    Ok(row.map(SessionDbRow::into_row))
}

/// The session with this id.
pub async fn by_id(pool: &AnyPool, id: LiveSessionId) -> Result<Option<SessionRow>, DbError> {
    let row: Option<SessionDbRow> = sqlx::query_as(&format!("{SESSION_SELECT} WHERE s.id = $1"))
        .bind(id.0)
        .fetch_optional(pool)
        .await?;
    Ok(row.map(SessionDbRow::into_row))
}

/// The sessions `host` opened, newest first (bounded).
pub async fn hosted_by(pool: &AnyPool, host: UserId) -> Result<Vec<LiveSessionInfo>, DbError> {
    let rows: Vec<SessionDbRow> = sqlx::query_as(&format!(
        "{SESSION_SELECT} WHERE s.host_id = $1 ORDER BY s.id DESC LIMIT 20"
    ))
    .bind(host.0)
    .fetch_all(pool)
    .await?;
    Ok(rows.into_iter().map(|r| r.into_row().info).collect())
}

/// One participant.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Participant {
    pub id: ParticipantId,
    pub session: LiveSessionId,
    pub number: i64,
}

#[derive(sqlx::FromRow)]
struct ParticipantRow {
    id: i64,
    session_id: i64,
    number: i64,
}

impl From<ParticipantRow> for Participant {
    fn from(r: ParticipantRow) -> Self {
        Self {
            id: ParticipantId(r.id),
            session: LiveSessionId(r.session_id),
            number: r.number,
        }
    }
}

/// The participant a token belongs to (in whichever session it was made for).
pub async fn by_token(pool: &AnyPool, token_hash: &str) -> Result<Option<Participant>, DbError> {
    let row: Option<ParticipantRow> = sqlx::query_as(
        "SELECT id, session_id, number FROM live_participants WHERE token_hash = $1",
    )
    .bind(token_hash)
    .fetch_optional(pool)
    .await?;
    Ok(row.map(Into::into))
}

/// The participant with `user`'s account in `session`.
pub async fn by_user(
    pool: &AnyPool,
    session: LiveSessionId,
    user: UserId,
) -> Result<Option<Participant>, DbError> {
    let row: Option<ParticipantRow> = sqlx::query_as(
        "SELECT id, session_id, number FROM live_participants WHERE session_id = $1 AND user_id = $2",
    )
    .bind(session.0)
    .bind(user.0)
    .fetch_optional(pool)
    .await?;
    Ok(row.map(Into::into))
}

/// Joins `session` as a new participant with `token_hash` (and `user`'s account, if
/// logged in). The session's stored count moves first, which numbers the participant and
/// refuses a closed or expired session; a person with an account who joined before gets
/// their participant back.
pub async fn join(
    pool: &AnyPool,
    session: LiveSessionId,
    token_hash: &str,
    user: Option<UserId>,
) -> Result<Participant, DbError> {
    let now = now_micros();
    let mut tx = super::write_tx(pool).await?;
    if let Some(user) = user {
        let row: Option<ParticipantRow> = sqlx::query_as(
            "SELECT id, session_id, number FROM live_participants WHERE session_id = $1 AND user_id = $2",
        )
        .bind(session.0)
        .bind(user.0)
        .fetch_optional(&mut *tx)
        .await?;
        if let Some(row) = row {
            tx.commit().await?;
            return Ok(row.into());
        }
    }
    let number: Option<i64> = sqlx::query_scalar(
        "UPDATE live_sessions SET participants = participants + 1 \
         WHERE id = $1 AND closed_at IS NULL AND expires_at > $2 RETURNING participants",
    )
    .bind(session.0)
    .bind(now)
    .fetch_optional(&mut *tx)
    .await?;
    let Some(number) = number else {
        return Err(DbError::Conflict(Msg::LiveSessionClosed));
    };
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO live_participants (session_id, token_hash, user_id, number, joined_at) \
         VALUES ($1, $2, $3, $4, $5) RETURNING id",
    )
    .bind(session.0)
    .bind(token_hash)
    .bind(user.map(|u| u.0))
    .bind(number)
    .bind(now)
    .fetch_one(&mut *tx)
    .await
    .map_err(refused)?;
    tx.commit().await?;
    Ok(Participant {
        id: ParticipantId(id),
        session,
        number,
    })
}

/// Ends a session (joins and actions stop; the record stays). False when it had ended.
pub async fn close_session(pool: &AnyPool, session: LiveSessionId) -> Result<bool, DbError> {
    let now = now_micros();
    let mut tx = super::write_tx(pool).await?;
    // Votes still open end with the session.
    sqlx::query(
        "UPDATE live_votes SET closed_at = CASE WHEN closes_at IS NOT NULL AND closes_at < $2 THEN closes_at ELSE $2 END \
         WHERE session_id = $1 AND closed_at IS NULL",
    )
    .bind(session.0)
    .bind(now)
    .execute(&mut *tx)
    .await?;
    let n =
        sqlx::query("UPDATE live_sessions SET closed_at = $2 WHERE id = $1 AND closed_at IS NULL")
            .bind(session.0)
            .bind(now)
            .execute(&mut *tx)
            .await?
            .rows_affected();
    tx.commit().await?;
    Ok(n == 1)
}

/// Which switch of a session.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Switch {
    Speakers,
    Ideas,
    Dots,
}

/// Opens or closes the speakers' list, idea submission or dot-voting. False when it was
/// already so.
pub async fn set_switch(
    pool: &AnyPool,
    session: LiveSessionId,
    switch: Switch,
    open: bool,
) -> Result<bool, DbError> {
    let column = match switch {
        Switch::Speakers => "speakers_open",
        Switch::Ideas => "ideas_open",
        Switch::Dots => "dots_open",
    };
    let (to, from) = if open { (1, 0) } else { (0, 1) };
    let n = sqlx::query(&format!(
        "UPDATE live_sessions SET {column} = $1 WHERE id = $2 AND {column} = $3 AND closed_at IS NULL"
    ))
    .bind(to as i64)
    .bind(session.0)
    .bind(from as i64)
    .execute(pool)
    .await?
    .rows_affected();
    Ok(n == 1)
}

/// The title of a public proposal (submitted and published), for the agenda.
pub async fn public_proposal_title(
    pool: &AnyPool,
    id: ProposalId,
) -> Result<Option<String>, DbError> {
    Ok(sqlx::query_scalar(
        "SELECT title FROM proposals WHERE id = $1 AND status <> 'draft' AND visibility = 'published'",
    )
    .bind(id.0)
    .fetch_optional(pool)
    .await?)
}

/// Adds an item at the end of the agenda.
pub async fn add_item(
    pool: &AnyPool,
    session: LiveSessionId,
    title: &str,
    proposal: Option<ProposalId>,
    once: Option<&super::submissions::Once>,
) -> Result<LiveItemId, DbError> {
    let mut tx = super::write_tx(pool).await?;
    if let Some(once) = once {
        super::submissions::claim_or_replay(&mut tx, once).await?;
    }
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO live_items (session_id, position, title, proposal_id, created_at) \
         VALUES ($1, (SELECT COALESCE(MAX(position), 0) + 1 FROM live_items WHERE session_id = $1), $2, $3, $4) \
         RETURNING id",
    )
    .bind(session.0)
    .bind(title)
    .bind(proposal.map(|p| p.0))
    .bind(now_micros())
    .fetch_one(&mut *tx)
    .await?;
    if let Some(once) = once {
        super::submissions::settle(&mut tx, once, &id.to_string()).await?;
    }
    tx.commit().await?;
    Ok(LiveItemId(id))
}

/// The item's session and title.
pub async fn item(
    pool: &AnyPool,
    item: LiveItemId,
) -> Result<Option<(LiveSessionId, String)>, DbError> {
    let row: Option<(i64, String)> =
        sqlx::query_as("SELECT session_id, title FROM live_items WHERE id = $1")
            .bind(item.0)
            .fetch_optional(pool)
            .await?;
    Ok(row.map(|(s, t)| (LiveSessionId(s), t)))
}

/// Puts a participant on the speakers' list (at the end). False when already on it.
pub async fn request_floor(
    pool: &AnyPool,
    session: LiveSessionId,
    participant: ParticipantId,
) -> Result<bool, DbError> {
    let now = now_micros();
    let n = sqlx::query(
        "INSERT INTO live_speakers (session_id, participant_id, sort_key, state, requested_at) \
         SELECT $1, $2, $3, 'waiting', $3 WHERE EXISTS ( \
            SELECT 1 FROM live_sessions s WHERE s.id = $1 AND s.speakers_open = 1 AND s.closed_at IS NULL) \
         ON CONFLICT DO NOTHING",
    )
    .bind(session.0)
    .bind(participant.0)
    .bind(now)
    .execute(pool)
    .await?
    .rows_affected();
    Ok(n == 1)
}

/// Takes a waiting participant off the list (themselves, or the host by the place's id).
pub async fn withdraw(
    pool: &AnyPool,
    session: LiveSessionId,
    participant: Option<ParticipantId>,
    speaker: Option<i64>,
) -> Result<bool, DbError> {
    let n = sqlx::query(
        "UPDATE live_speakers SET state = 'done' WHERE session_id = $1 AND state = 'waiting' \
         AND (participant_id = $2 OR id = $3)",
    )
    .bind(session.0)
    .bind(participant.map_or(-1, |p| p.0))
    .bind(speaker.unwrap_or(-1))
    .execute(pool)
    .await?
    .rows_affected();
    Ok(n == 1)
}

/// A transaction that reads the speakers' list and then changes it. On PostgreSQL the
/// session's row is locked first, so two presses at once queue up and the second one sees
/// what the first did (under READ COMMITTED both would otherwise read the same list and both
/// act on it); SQLite's `BEGIN IMMEDIATE` already lets one writer in at a time.
async fn speakers_tx(
    pool: &AnyPool,
    session: LiveSessionId,
) -> Result<sqlx::Transaction<'static, sqlx::Any>, DbError> {
    let mut tx = super::write_tx(pool).await?;
    if !super::is_sqlite(pool) {
        sqlx::query("SELECT id FROM live_sessions WHERE id = $1 FOR UPDATE")
            .bind(session.0)
            .execute(&mut *tx)
            .await?;
    }
    Ok(tx)
}

/// Gives the floor to the next one waiting: the one speaking now (`current`, as the host's
/// page saw it; 0 for nobody) is done. A stale page (someone else speaks by now) changes
/// nothing and gets false.
pub async fn next_speaker(
    pool: &AnyPool,
    session: LiveSessionId,
    current: i64,
) -> Result<bool, DbError> {
    let mut tx = speakers_tx(pool, session).await?;
    let speaking: Option<i64> = sqlx::query_scalar(
        "SELECT id FROM live_speakers WHERE session_id = $1 AND state = 'speaking'",
    )
    .bind(session.0)
    .fetch_optional(&mut *tx)
    .await?;
    if speaking.unwrap_or(0) != current {
        return Ok(false);
    }
    sqlx::query(
        "UPDATE live_speakers SET state = 'done' WHERE session_id = $1 AND state = 'speaking'",
    )
    .bind(session.0)
    .execute(&mut *tx)
    .await?;
    sqlx::query(
        "UPDATE live_speakers SET state = 'speaking' WHERE id = ( \
            SELECT id FROM live_speakers WHERE session_id = $1 AND state = 'waiting' \
            ORDER BY sort_key, id LIMIT 1)",
    )
    .bind(session.0)
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(true)
}

/// Moves a waiting speaker one place up, before `ahead` — only while `ahead` is still the
/// one waiting just before them (a second press changes nothing).
pub async fn move_up(
    pool: &AnyPool,
    session: LiveSessionId,
    speaker: i64,
    ahead: i64,
) -> Result<bool, DbError> {
    let mut tx = speakers_tx(pool, session).await?;
    let rows: Vec<(i64, i64)> = sqlx::query_as(
        "SELECT id, sort_key FROM live_speakers WHERE session_id = $1 AND state = 'waiting' ORDER BY sort_key, id",
    )
    .bind(session.0)
    .fetch_all(&mut *tx)
    .await?;
    let Some(at) = rows.iter().position(|(id, _)| *id == speaker) else {
        return Ok(false);
    };
    if at == 0 || rows[at - 1].0 != ahead {
        return Ok(false);
    }
    let (prev_id, prev_key) = rows[at - 1];
    let (_, key) = rows[at];
    // Equal keys (same microsecond) are split so that the swap really reorders.
    let (new_mine, new_prev) = if prev_key == key {
        (key - 1, key)
    } else {
        (prev_key, key)
    };
    for (id, k) in [(speaker, new_mine), (prev_id, new_prev)] {
        sqlx::query("UPDATE live_speakers SET sort_key = $1 WHERE id = $2")
            .bind(k)
            .bind(id)
            .execute(&mut *tx)
            .await?;
    }
    tx.commit().await?;
    Ok(true)
}

/// What a vote needs to take a ballot.
pub struct VoteCtx {
    pub session: LiveSessionId,
    pub closed_at: Option<i64>,
    pub closes_at: Option<i64>,
    pub options: i64,
    pub item_proposal: Option<ProposalId>,
}

pub async fn vote_ctx(pool: &AnyPool, vote: LiveVoteId) -> Result<Option<VoteCtx>, DbError> {
    #[derive(sqlx::FromRow)]
    struct Row {
        session_id: i64,
        closed_at: Option<i64>,
        closes_at: Option<i64>,
        options: i64,
        proposal_id: Option<i64>,
    }
    let row: Option<Row> = sqlx::query_as(
        "SELECT v.session_id, v.closed_at, v.closes_at, \
         (SELECT COUNT(*) FROM live_options o WHERE o.vote_id = v.id) AS options, i.proposal_id \
         FROM live_votes v LEFT JOIN live_items i ON i.id = v.item_id WHERE v.id = $1",
    )
    .bind(vote.0)
    .fetch_optional(pool)
    .await?;
    Ok(row.map(|r| VoteCtx {
        session: LiveSessionId(r.session_id),
        closed_at: r.closed_at,
        closes_at: r.closes_at,
        options: r.options,
        item_proposal: r.proposal_id.map(ProposalId),
    }))
}

/// Opens a vote (one open vote per session: a vote whose timer ran out is closed first).
pub async fn open_vote(
    pool: &AnyPool,
    session: LiveSessionId,
    item: Option<LiveItemId>,
    question: &str,
    options: &[String],
    seconds: Option<i64>,
) -> Result<LiveVoteId, DbError> {
    let now = now_micros();
    let mut tx = super::write_tx(pool).await?;
    sqlx::query(
        "UPDATE live_votes SET closed_at = closes_at WHERE session_id = $1 AND closed_at IS NULL \
         AND closes_at IS NOT NULL AND closes_at <= $2",
    )
    .bind(session.0)
    .bind(now)
    .execute(&mut *tx)
    .await?;
    let made: Result<i64, sqlx::Error> = sqlx::query_scalar(
        "INSERT INTO live_votes (session_id, item_id, question, opened_at, closes_at) \
         VALUES ($1, $2, $3, $4, $5) RETURNING id",
    )
    .bind(session.0)
    .bind(item.map(|i| i.0))
    .bind(question)
    .bind(now)
    .bind(seconds.map(|s| now + s * 1_000_000))
    .fetch_one(&mut *tx)
    .await;
    let id = match made {
        Ok(id) => id,
        Err(e) if super::is_unique_violation(&e) => {
            return Err(DbError::Conflict(Msg::LiveVoteOpen))
        }
        Err(e) => return Err(e.into()),
    };
    for (position, label) in options.iter().enumerate() {
        sqlx::query("INSERT INTO live_options (vote_id, position, label) VALUES ($1, $2, $3)")
            .bind(id)
            .bind(position as i64)
            .bind(label)
            .execute(&mut *tx)
            .await?;
    }
    tx.commit().await?;
    Ok(LiveVoteId(id))
}

/// Counts one ballot: the vote's count moves first (which locks the vote and refuses a
/// closed one or one past its timer), then the participant is recorded once, then the
/// option's counter moves. A second ballot of the same participant rolls everything back
/// and returns false.
pub async fn ballot(
    pool: &AnyPool,
    vote: LiveVoteId,
    session: LiveSessionId,
    participant: ParticipantId,
    option: i64,
) -> Result<bool, DbError> {
    let now = now_micros();
    let mut tx = super::write_tx(pool).await?;
    let moved = sqlx::query(
        "UPDATE live_votes SET ballots = ballots + 1 WHERE id = $1 AND session_id = $2 \
         AND closed_at IS NULL AND (closes_at IS NULL OR closes_at > $3)",
    )
    .bind(vote.0)
    .bind(session.0)
    .bind(now)
    .execute(&mut *tx)
    .await
    .map_err(refused)?
    .rows_affected();
    if moved != 1 {
        return Err(DbError::Conflict(Msg::VoteClosed));
    }
    let first = sqlx::query(
        "INSERT INTO live_ballots (vote_id, session_id, participant_id, at) VALUES ($1, $2, $3, $4) \
         ON CONFLICT DO NOTHING",
    )
    .bind(vote.0)
    .bind(session.0)
    .bind(participant.0)
    .bind(now)
    .execute(&mut *tx)
    .await
    .map_err(refused)?
    .rows_affected()
        == 1;
    if !first {
        tx.rollback().await?;
        return Ok(false);
    }
    let counted = sqlx::query(
        "UPDATE live_options SET votes = votes + 1 WHERE vote_id = $1 AND position = $2",
    )
    .bind(vote.0)
    .bind(option)
    .execute(&mut *tx)
    .await
    .map_err(refused)?
    .rows_affected();
    if counted != 1 {
        tx.rollback().await?;
        return Err(DbError::Conflict(Msg::LiveChooseOption));
    }
    tx.commit().await?;
    Ok(true)
}

/// Closes a vote (at its timer, if that ran out first). False when it was closed.
pub async fn close_vote(pool: &AnyPool, vote: LiveVoteId) -> Result<bool, DbError> {
    let now = now_micros();
    let n = sqlx::query(
        "UPDATE live_votes SET closed_at = CASE WHEN closes_at IS NOT NULL AND closes_at < $2 THEN closes_at ELSE $2 END \
         WHERE id = $1 AND closed_at IS NULL",
    )
    .bind(vote.0)
    .bind(now)
    .execute(pool)
    .await?
    .rows_affected();
    Ok(n == 1)
}

/// The options of a vote with their counts.
async fn tallies(pool: &AnyPool, vote: i64) -> Result<Vec<OptionTally>, DbError> {
    let rows: Vec<(String, i64)> = sqlx::query_as(
        "SELECT label, votes FROM live_options WHERE vote_id = $1 ORDER BY position",
    )
    .bind(vote)
    .fetch_all(pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(label, votes)| OptionTally { label, votes })
        .collect())
}

/// What everyone sees now (`version` and `changed_ms` are the stream's to fill in).
pub async fn state(pool: &AnyPool, session: LiveSessionId) -> Result<Option<LiveState>, DbError> {
    let now = now_micros();
    #[derive(sqlx::FromRow)]
    struct Head {
        participants: i64,
        speakers_open: i64,
        ideas_open: i64,
        dots_open: i64,
        expires_at: i64,
        closed_at: Option<i64>,
    }
    let head: Option<Head> = sqlx::query_as(
        "SELECT participants, speakers_open, ideas_open, dots_open, expires_at, closed_at \
         FROM live_sessions WHERE id = $1",
    )
    .bind(session.0)
    .fetch_optional(pool)
    .await?;
    let Some(head) = head else {
        return Ok(None);
    };
    let agenda: Vec<(i64, String, Option<i64>)> = sqlx::query_as(
        "SELECT id, title, proposal_id FROM live_items WHERE session_id = $1 ORDER BY position, id",
    )
    .bind(session.0)
    .fetch_all(pool)
    .await?;
    let speakers: Vec<(i64, i64, String)> = sqlx::query_as(
        "SELECT sp.id, p.number, sp.state FROM live_speakers sp \
         JOIN live_participants p ON p.id = sp.participant_id \
         WHERE sp.session_id = $1 AND sp.state <> 'done' \
         ORDER BY CASE WHEN sp.state = 'speaking' THEN 0 ELSE 1 END, sp.sort_key, sp.id",
    )
    .bind(session.0)
    .fetch_all(pool)
    .await?;
    #[derive(sqlx::FromRow)]
    struct VoteRow {
        id: i64,
        question: String,
        item: Option<String>,
        closes_at: Option<i64>,
        closed_at: Option<i64>,
        ballots: i64,
    }
    let vote: Option<VoteRow> = sqlx::query_as(
        "SELECT v.id, v.question, i.title AS item, v.closes_at, v.closed_at, v.ballots \
         FROM live_votes v LEFT JOIN live_items i ON i.id = v.item_id \
         WHERE v.session_id = $1 ORDER BY v.id DESC LIMIT 1",
    )
    .bind(session.0)
    .fetch_optional(pool)
    .await?;
    let vote = match vote {
        Some(v) => Some(LiveVoteView {
            id: LiveVoteId(v.id),
            question: v.question,
            item: v.item,
            open: v.closed_at.is_none() && v.closes_at.is_none_or(|c| now < c),
            closes_at_ms: v.closes_at.map(|c| c / 1000),
            ballots: v.ballots,
            options: tallies(pool, v.id).await?,
        }),
        None => None,
    };
    let ideas: Vec<(i64, String, i64, Option<i64>)> = sqlx::query_as(
        "SELECT id, body, dots, proposal_id FROM class_ideas WHERE session_id = $1 AND status = 'approved' \
         ORDER BY dots DESC, id LIMIT 200",
    )
    .bind(session.0)
    .fetch_all(pool)
    .await?;
    Ok(Some(LiveState {
        version: 0,
        changed_ms: 0,
        open: head.closed_at.is_none() && now < head.expires_at,
        participants: head.participants,
        agenda: agenda
            .into_iter()
            .map(|(id, title, proposal)| LiveItemView {
                id: LiveItemId(id),
                title,
                proposal: proposal.map(ProposalId),
            })
            .collect(),
        speakers_open: head.speakers_open == 1,
        speakers: speakers
            .into_iter()
            .map(|(id, number, state)| SpeakerView {
                id,
                number,
                speaking: state == "speaking",
            })
            .collect(),
        vote,
        ideas_open: head.ideas_open == 1,
        dots_open: head.dots_open == 1,
        ideas: ideas
            .into_iter()
            .map(|(id, body, dots, proposal)| IdeaView {
                id: IdeaId(id),
                body,
                dots,
                proposal: proposal.map(ProposalId),
            })
            .collect(),
    }))
}

/// What one participant has done.
pub async fn me(pool: &AnyPool, p: &Participant) -> Result<LiveMe, DbError> {
    let voted: Vec<i64> = sqlx::query_scalar(
        "SELECT vote_id FROM live_ballots WHERE participant_id = $1 ORDER BY vote_id DESC LIMIT 50",
    )
    .bind(p.id.0)
    .fetch_all(pool)
    .await?;
    let on_list: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM live_speakers WHERE participant_id = $1 AND state <> 'done'",
    )
    .bind(p.id.0)
    .fetch_one(pool)
    .await?;
    let dots: Vec<i64> = sqlx::query_scalar(
        "SELECT idea_id FROM class_dots WHERE participant_id = $1 ORDER BY idea_id",
    )
    .bind(p.id.0)
    .fetch_all(pool)
    .await?;
    let pending: Vec<String> = sqlx::query_scalar(
        "SELECT body FROM class_ideas WHERE participant_id = $1 AND status = 'pending' ORDER BY id LIMIT 20",
    )
    .bind(p.id.0)
    .fetch_all(pool)
    .await?;
    Ok(LiveMe {
        number: p.number,
        voted: voted.into_iter().map(LiveVoteId).collect(),
        on_list: on_list > 0,
        dots: dots.into_iter().map(IdeaId).collect(),
        pending,
    })
}

/// Ideas awaiting the teacher's approval.
pub async fn pending_ideas(
    pool: &AnyPool,
    session: LiveSessionId,
) -> Result<Vec<PendingIdea>, DbError> {
    let rows: Vec<(i64, String)> = sqlx::query_as(
        "SELECT id, body FROM class_ideas WHERE session_id = $1 AND status = 'pending' ORDER BY id LIMIT 200",
    )
    .bind(session.0)
    .fetch_all(pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(id, body)| PendingIdea {
            id: IdeaId(id),
            body,
        })
        .collect())
}

/// A live vote on a proposal, for its timeline.
pub struct ProposalLiveVote {
    pub at: i64,
    pub session: String,
    pub question: String,
    pub ballots: i64,
    pub options: Vec<OptionTally>,
}

/// The closed live votes on agenda items about `proposal` (a vote whose timer ran out
/// counts as closed at its timer).
pub async fn proposal_votes(
    pool: &AnyPool,
    proposal: ProposalId,
) -> Result<Vec<ProposalLiveVote>, DbError> {
    #[derive(sqlx::FromRow)]
    struct Row {
        id: i64,
        at: i64,
        session: String,
        question: String,
        ballots: i64,
    }
    let rows: Vec<Row> = sqlx::query_as(
        "SELECT v.id, COALESCE(v.closed_at, v.closes_at) AS at, s.title AS session, v.question, v.ballots \
         FROM live_votes v JOIN live_items i ON i.id = v.item_id JOIN live_sessions s ON s.id = v.session_id \
         WHERE i.proposal_id = $1 AND (v.closed_at IS NOT NULL OR v.closes_at <= $2) ORDER BY v.id LIMIT 50",
    )
    .bind(proposal.0)
    .bind(now_micros())
    .fetch_all(pool)
    .await?;
    if rows.is_empty() {
        return Ok(Vec::new());
    }
    let ids: Vec<String> = rows.iter().map(|r| r.id.to_string()).collect();
    let options: Vec<(i64, String, i64)> = sqlx::query_as(&format!(
        "SELECT vote_id, label, votes FROM live_options WHERE vote_id IN ({}) ORDER BY vote_id, position",
        ids.join(", ")
    ))
    .fetch_all(pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| ProposalLiveVote {
            at: r.at,
            options: options
                .iter()
                .filter(|(v, ..)| *v == r.id)
                .map(|(_, label, votes)| OptionTally {
                    label: label.clone(),
                    votes: *votes,
                })
                .collect(),
            session: r.session,
            question: r.question,
            ballots: r.ballots,
        })
        .collect())
}

/// The elevråd of `school` (where a class sends its ideas): its id and name.
pub async fn school_elevraad(
    pool: &AnyPool,
    school: SchoolId,
) -> Result<Option<(crate::domain::ids::CouncilId, String)>, DbError> {
    let row: Option<(i64, String)> = sqlx::query_as(
        "SELECT id, name FROM councils WHERE school_id = $1 AND kind = 'elevraad' AND archived_at IS NULL ORDER BY id LIMIT 1",
    )
    .bind(school.0)
    .fetch_optional(pool)
    .await?;
    Ok(row.map(|(id, name)| (crate::domain::ids::CouncilId(id), name)))
}
