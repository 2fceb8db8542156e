//! Class sessions (issue #23): pupils' ideas, the teacher's approval, dot-voting, and an
//! idea sent to the school's elevråd as a proposal in the class's name (migration 0023:
//! `class_ideas`, `class_dots`). Every write names the state it moves from, so a second
//! press or a stale tab changes nothing; dots lock the pupil's participant row first, so
//! fifty identical posts at once are one dot and three is the most anyone has.
use super::live::refused;
use super::time::now_micros;
use super::DbError;
use crate::domain::ids::{IdeaId, LiveSessionId, ParticipantId, ProposalId, UserId};
use crate::domain::message::Msg;
use crate::domain::proposal::{Intent, ProposalContent, Visibility};
use sqlx::AnyPool;

/// A session's switches and whether it takes actions now (open and not expired).
pub struct Switches {
    pub open: bool,
    pub ideas_open: bool,
    pub dots_open: bool,
    pub participants: i64,
}

pub async fn switches(pool: &AnyPool, session: LiveSessionId) -> Result<Option<Switches>, DbError> {
    let row: Option<(i64, i64, i64, i64, Option<i64>)> = sqlx::query_as(
        "SELECT ideas_open, dots_open, participants, expires_at, closed_at FROM live_sessions WHERE id = $1",
    )
    .bind(session.0)
    .fetch_optional(pool)
    .await?;
    let now = now_micros();
    Ok(
        row.map(|(ideas, dots, participants, expires, closed)| Switches {
            open: closed.is_none() && now < expires,
            ideas_open: ideas == 1,
            dots_open: dots == 1,
            participants,
        }),
    )
}

/// Stores a pupil's idea as pending, while the session is open and takes ideas. True when
/// stored; false when this pupil had sent the same text already (one idea).
pub async fn submit(
    pool: &AnyPool,
    session: LiveSessionId,
    participant: ParticipantId,
    body: &str,
) -> Result<bool, DbError> {
    let now = now_micros();
    let n = sqlx::query(
        "INSERT INTO class_ideas (session_id, participant_id, body, status, created_at) \
         SELECT $1, $2, $3, 'pending', $4 WHERE EXISTS ( \
            SELECT 1 FROM live_sessions s WHERE s.id = $1 AND s.kind = 'klasse' AND s.ideas_open = 1 \
            AND s.closed_at IS NULL AND s.expires_at > $4) \
         ON CONFLICT DO NOTHING",
    )
    .bind(session.0)
    .bind(participant.0)
    .bind(body)
    .bind(now)
    .execute(pool)
    .await?
    .rows_affected();
    if n == 1 {
        return Ok(true);
    }
    let had: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM class_ideas WHERE session_id = $1 AND participant_id = $2 AND body = $3",
    )
    .bind(session.0)
    .bind(participant.0)
    .bind(body)
    .fetch_one(pool)
    .await?;
    if had > 0 {
        Ok(false)
    } else {
        Err(DbError::Conflict(Msg::LiveIdeasClosed))
    }
}

/// One idea: its session, status, dots and the proposal it became.
#[derive(Debug, Clone)]
pub struct IdeaRow {
    pub id: IdeaId,
    pub session: LiveSessionId,
    pub body: String,
    pub status: String,
    pub dots: i64,
    pub proposal: Option<ProposalId>,
}

pub async fn idea(pool: &AnyPool, id: IdeaId) -> Result<Option<IdeaRow>, DbError> {
    let row: Option<(i64, String, String, i64, Option<i64>)> = sqlx::query_as(
        "SELECT session_id, body, status, dots, proposal_id FROM class_ideas WHERE id = $1",
    )
    .bind(id.0)
    .fetch_optional(pool)
    .await?;
    Ok(row.map(|(session, body, status, dots, proposal)| IdeaRow {
        id,
        session: LiveSessionId(session),
        body,
        status,
        dots,
        proposal: proposal.map(ProposalId),
    }))
}

/// Moves a pending idea to `status` ('approved' or 'rejected'). False when it was not
/// pending (a second press, a stale tab).
pub async fn review(pool: &AnyPool, id: IdeaId, status: &str) -> Result<bool, DbError> {
    let n = sqlx::query(
        "UPDATE class_ideas SET status = $1 WHERE id = $2 AND status = 'pending' \
         AND $1 IN ('approved', 'rejected')",
    )
    .bind(status)
    .bind(id.0)
    .execute(pool)
    .await?
    .rows_affected();
    Ok(n == 1)
}

/// Locks the participant's row for the rest of the transaction: one pupil's dots are
/// given and taken one at a time.
async fn lock_participant(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    participant: ParticipantId,
) -> Result<(), DbError> {
    sqlx::query("UPDATE live_participants SET number = number WHERE id = $1")
        .bind(participant.0)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// The session's dot switch and whether it is open, read inside the transaction.
async fn dots_open(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    session: LiveSessionId,
) -> Result<bool, DbError> {
    let n: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM live_sessions WHERE id = $1 AND dots_open = 1 AND closed_at IS NULL \
         AND expires_at > $2",
    )
    .bind(session.0)
    .bind(now_micros())
    .fetch_one(&mut **tx)
    .await?;
    Ok(n == 1)
}

/// Gives the participant's dot to an approved idea of their session while dot-voting is
/// open: at most one per idea and three in all (`domain::live::may_dot`, and the database's
/// trigger). The idea's stored count moves in the same transaction. True when given; false
/// when the participant's dot was already there.
pub async fn dot(
    pool: &AnyPool,
    idea: IdeaId,
    session: LiveSessionId,
    participant: ParticipantId,
) -> Result<bool, DbError> {
    let mut tx = super::write_tx(pool).await?;
    lock_participant(&mut tx, participant).await?;
    let given: Vec<i64> = sqlx::query_scalar(
        "SELECT idea_id FROM class_dots WHERE session_id = $1 AND participant_id = $2",
    )
    .bind(session.0)
    .bind(participant.0)
    .fetch_all(&mut *tx)
    .await?;
    if given.contains(&idea.0) {
        return Ok(false);
    }
    if !dots_open(&mut tx, session).await? {
        return Err(DbError::Conflict(Msg::LiveDotsClosed));
    }
    let approved: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM class_ideas WHERE id = $1 AND session_id = $2 AND status = 'approved'",
    )
    .bind(idea.0)
    .bind(session.0)
    .fetch_one(&mut *tx)
    .await?;
    if approved != 1 {
        return Err(DbError::Conflict(Msg::LiveIdeaNotApproved));
    }
    crate::domain::live::may_dot(given.len() as i64)
        .map_err(|_| DbError::Conflict(Msg::LiveDotsUsed))?;
    sqlx::query(
        "INSERT INTO class_dots (idea_id, session_id, participant_id, at) VALUES ($1, $2, $3, $4)",
    )
    .bind(idea.0)
    .bind(session.0)
    .bind(participant.0)
    .bind(now_micros())
    .execute(&mut *tx)
    .await
    .map_err(refused)?;
    sqlx::query("UPDATE class_ideas SET dots = dots + 1 WHERE id = $1")
        .bind(idea.0)
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(true)
}

/// Takes the participant's dot back from an idea while dot-voting is open. True when taken;
/// false when there was none.
pub async fn undot(
    pool: &AnyPool,
    idea: IdeaId,
    session: LiveSessionId,
    participant: ParticipantId,
) -> Result<bool, DbError> {
    let mut tx = super::write_tx(pool).await?;
    lock_participant(&mut tx, participant).await?;
    if !dots_open(&mut tx, session).await? {
        return Err(DbError::Conflict(Msg::LiveDotsClosed));
    }
    let n = sqlx::query(
        "DELETE FROM class_dots WHERE idea_id = $1 AND session_id = $2 AND participant_id = $3",
    )
    .bind(idea.0)
    .bind(session.0)
    .bind(participant.0)
    .execute(&mut *tx)
    .await?
    .rows_affected();
    if n != 1 {
        return Ok(false);
    }
    sqlx::query("UPDATE class_ideas SET dots = dots - 1 WHERE id = $1")
        .bind(idea.0)
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(true)
}

/// Sends an approved idea to the elevråd (`content.council`) as a submitted proposal by
/// `teacher` on behalf of the class (`on_behalf`), made as every proposal is (with its
/// 'submitted' timeline entry), and remembers it on the idea — in one transaction. An idea
/// sent before gives its proposal back (sent: false); nothing new is made. None when there
/// is no such idea.
pub async fn send(
    pool: &AnyPool,
    idea: IdeaId,
    teacher: UserId,
    content: &ProposalContent,
    visibility: Visibility,
    on_behalf: &str,
) -> Result<Option<(ProposalId, bool)>, DbError> {
    let mut tx = super::write_tx(pool).await?;
    // Locks the idea: two sends at once make one proposal.
    let row: Option<(String, Option<i64>)> = sqlx::query_as(
        "UPDATE class_ideas SET dots = dots WHERE id = $1 RETURNING status, proposal_id",
    )
    .bind(idea.0)
    .fetch_optional(&mut *tx)
    .await?;
    let Some((status, proposal)) = row else {
        return Ok(None);
    };
    if let Some(p) = proposal {
        return Ok(Some((ProposalId(p), false)));
    }
    if status != "approved" {
        return Err(DbError::Conflict(Msg::LiveIdeaNotApproved));
    }
    let id = super::proposals::create_tx(
        &mut tx,
        teacher,
        content,
        Intent::Submit,
        visibility,
        now_micros(),
        Some(on_behalf),
    )
    .await?;
    sqlx::query("UPDATE class_ideas SET proposal_id = $1 WHERE id = $2 AND proposal_id IS NULL")
        .bind(id.0)
        .bind(idea.0)
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(Some((id, true)))
}
