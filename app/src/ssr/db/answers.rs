//! Committees, their politicians, and the inbox of proposals waiting for an answer.
use super::time::{now_micros, to_datetime};
use super::DbError;
use crate::domain::answer::FollowUpState;
use crate::domain::answer::{Clarification, ClearerRequest, FeedbackSummary};
use crate::domain::heard::{CouncilOutcome, HeardRow, OverdueItem};
use crate::domain::ids::{CommitteeId, ProposalId, UserId};
use crate::domain::message::Msg;
use crate::domain::notification::NotificationKind;
use crate::domain::proposal::{AnswerKind, AnswerMeta, AnswerReason, InboxItem};
use chrono::{DateTime, Utc};
use sqlx::AnyPool;

/// Creates a committee if it does not exist; returns its id.
pub async fn ensure_committee(pool: &AnyPool, name: &str) -> Result<CommitteeId, DbError> {
    sqlx::query("INSERT INTO committees (name, created_at) VALUES ($1, $2) ON CONFLICT DO NOTHING")
        .bind(name)
        .bind(now_micros())
        .execute(pool)
        .await?;
    Ok(
        sqlx::query_scalar("SELECT id FROM committees WHERE name = $1")
            .bind(name)
            .fetch_one(pool)
            .await?,
    )
}

pub async fn add_member(
    pool: &AnyPool,
    committee: CommitteeId,
    user: UserId,
) -> Result<(), DbError> {
    sqlx::query(
        "INSERT INTO committee_members (committee_id, user_id) VALUES ($1, $2) ON CONFLICT DO NOTHING",
    )
    .bind(committee)
    .bind(user.0)
    .execute(pool)
    .await?;
    Ok(())
}

/// Proposals waiting for an answer from `user`'s committees (all of them with `all`),
/// earliest deadline first — so the overdue ones come first.
pub async fn inbox(pool: &AnyPool, user: UserId, all: bool) -> Result<Vec<InboxItem>, DbError> {
    #[derive(sqlx::FromRow)]
    struct InboxRow {
        id: ProposalId,
        title: String,
        council: String,
        committee: String,
        deadline_at: i64,
    }
    let rows: Vec<InboxRow> = sqlx::query_as(
        "SELECT p.id, p.title, c.name AS council, p.committee, p.deadline_at FROM proposals p \
         JOIN councils c ON c.id = p.council_id \
         WHERE p.status = 'forwarded' AND p.visibility <> 'hidden' AND ($1 = 1 OR p.committee_id IN \
         (SELECT committee_id FROM committee_members WHERE user_id = $2 AND (ends_on IS NULL OR ends_on >= $3))) \
         ORDER BY p.deadline_at, p.id LIMIT 500",
    )
    .bind(i64::from(all))
    .bind(user.0)
    .bind(super::time::today())
    .fetch_all(pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| InboxItem {
            id: r.id,
            title: r.title,
            council: r.council,
            committee: r.committee,
            deadline: to_datetime(r.deadline_at),
        })
        .collect())
}

/// Who answered and the reason category, for the proposal page.
pub async fn answer_meta(
    pool: &AnyPool,
    proposal: ProposalId,
) -> Result<Option<AnswerMeta>, DbError> {
    #[derive(sqlx::FromRow)]
    struct MetaRow {
        answered_by: Option<String>,
        answer_reason: Option<AnswerReason>,
    }
    let row: Option<MetaRow> = sqlx::query_as(
        "SELECT answered_by, answer_reason FROM proposals WHERE id = $1 AND status = 'answered'",
    )
    .bind(proposal.0)
    .fetch_optional(pool)
    .await?;
    Ok(row.map(|r| AnswerMeta {
        by: r.answered_by,
        reason: r.answer_reason,
    }))
}

/// "Forstod du svaret?" on one proposal, with `viewer`'s own reply.
pub async fn feedback_summary(
    pool: &AnyPool,
    proposal: ProposalId,
    viewer: Option<UserId>,
) -> Result<FeedbackSummary, DbError> {
    /// `mine` is 0 without a reply of the viewer's, else their `understood` + 1.
    #[derive(sqlx::FromRow)]
    struct FeedbackRow {
        understood: i64,
        not_understood: i64,
        wants_clearer: i64,
        mine: i64,
        mine_wants_clearer: i64,
    }
    let r: FeedbackRow = sqlx::query_as(
        "SELECT CAST(COALESCE(SUM(understood), 0) AS BIGINT) AS understood, \
         CAST(COALESCE(SUM(1 - understood), 0) AS BIGINT) AS not_understood, \
         CAST(COALESCE(SUM(wants_clearer), 0) AS BIGINT) AS wants_clearer, \
         CAST(COALESCE(MAX(CASE WHEN user_id = $2 THEN understood + 1 ELSE 0 END), 0) AS BIGINT) AS mine, \
         CAST(COALESCE(MAX(CASE WHEN user_id = $2 THEN wants_clearer ELSE 0 END), 0) AS BIGINT) \
         AS mine_wants_clearer \
         FROM answer_feedback WHERE proposal_id = $1",
    )
    .bind(proposal.0)
    .bind(viewer.map(|v| v.0).unwrap_or(0))
    .fetch_one(pool)
    .await?;
    Ok(FeedbackSummary {
        understood: r.understood,
        not_understood: r.not_understood,
        mine: match r.mine {
            1 => Some(false),
            2 => Some(true),
            _ => None,
        },
        mine_wants_clearer: r.mine_wants_clearer == 1,
        wants_clearer: r.wants_clearer,
    })
}

/// Stores (or changes) `user`'s reply. Asking for a clearer answer notifies the
/// committee's politicians, once per open request.
pub async fn give_feedback(
    pool: &AnyPool,
    proposal: ProposalId,
    user: UserId,
    understood: bool,
    wants_clearer: bool,
    at: DateTime<Utc>,
) -> Result<(), DbError> {
    let at = at.timestamp_micros();
    let mut tx = super::write_tx(pool).await?;
    // Write first (SQLite takes the write lock at the first write).
    let newly_clearer = if wants_clearer {
        sqlx::query(
            "UPDATE answer_feedback SET wants_clearer = 1, understood = 0 \
             WHERE proposal_id = $1 AND user_id = $2 AND wants_clearer = 0",
        )
        .bind(proposal.0)
        .bind(user.0)
        .execute(&mut *tx)
        .await?
        .rows_affected()
    } else {
        0
    };
    let inserted = sqlx::query(
        "INSERT INTO answer_feedback (proposal_id, user_id, understood, wants_clearer, at) \
         VALUES ($1, $2, $3, $4, $5) ON CONFLICT (proposal_id, user_id) DO NOTHING",
    )
    .bind(proposal.0)
    .bind(user.0)
    .bind(i64::from(understood && !wants_clearer))
    .bind(i64::from(wants_clearer))
    .bind(at)
    .execute(&mut *tx)
    .await?
    .rows_affected();
    if inserted == 0 {
        sqlx::query(
            "UPDATE answer_feedback SET understood = $1, wants_clearer = $2, at = $3 \
             WHERE proposal_id = $4 AND user_id = $5",
        )
        .bind(i64::from(understood && !wants_clearer))
        .bind(i64::from(wants_clearer))
        .bind(at)
        .bind(proposal.0)
        .bind(user.0)
        .execute(&mut *tx)
        .await?;
    }
    if wants_clearer && newly_clearer + inserted > 0 {
        notify_committee(&mut tx, proposal, NotificationKind::ClearerRequested, at).await?;
    }
    tx.commit().await?;
    Ok(())
}

/// Notifies the politicians of the committee the proposal was sent to.
async fn notify_committee(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    proposal: ProposalId,
    kind: NotificationKind,
    at: i64,
) -> Result<u64, DbError> {
    let told = sqlx::query(
        "INSERT INTO notifications (user_id, proposal_id, kind, created_at) \
         SELECT m.user_id, p.id, $1, $2 FROM proposals p JOIN committee_members m ON m.committee_id = p.committee_id \
         JOIN users u ON u.id = m.user_id WHERE p.id = $3 AND u.status <> 'deleted' \
         AND (m.ends_on IS NULL OR m.ends_on >= $4)",
    )
    .bind(kind.as_str())
    .bind(at)
    .bind(proposal.0)
    .bind(super::time::today())
    .execute(&mut **tx)
    .await?
    .rows_affected();
    super::mail::queue_instant_tx(tx, proposal, kind, at).await?;
    Ok(told)
}

/// A politician's clarification: stored, open requests closed, author and followers told.
pub async fn clarify(
    pool: &AnyPool,
    proposal: ProposalId,
    actor: UserId,
    by: &str,
    body: &str,
    at: DateTime<Utc>,
    once: Option<&super::submissions::Once>,
) -> Result<(), DbError> {
    let mut tx = super::write_tx(pool).await?;
    clarify_tx(&mut tx, proposal, actor, by, body, at, once).await?;
    tx.commit().await?;
    Ok(())
}

/// [`clarify`] inside a transaction the caller commits (with its audit entry).
pub async fn clarify_tx(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    proposal: ProposalId,
    actor: UserId,
    by: &str,
    body: &str,
    at: DateTime<Utc>,
    once: Option<&super::submissions::Once>,
) -> Result<(), DbError> {
    let at = at.timestamp_micros();
    if let Some(once) = once {
        super::submissions::claim_or_replay(tx, once).await?;
    }
    let inserted = sqlx::query(
        "INSERT INTO answer_clarifications (proposal_id, actor_id, by_name, body, at) \
         SELECT id, $1, $2, $3, $4 FROM proposals WHERE id = $5 AND status = 'answered'",
    )
    .bind(actor.0)
    .bind(by)
    .bind(body)
    .bind(at)
    .bind(proposal.0)
    .execute(&mut **tx)
    .await?
    .rows_affected();
    if inserted != 1 {
        return Err(DbError::Conflict(Msg::NotAnsweredYet));
    }
    sqlx::query(
        "UPDATE answer_feedback SET wants_clearer = 0 WHERE proposal_id = $1 AND wants_clearer = 1",
    )
    .bind(proposal.0)
    .execute(&mut **tx)
    .await?;
    super::notifications::notify_followers(
        tx,
        proposal,
        NotificationKind::Clarified,
        Some(actor),
        at,
    )
    .await?;
    Ok(())
}

/// The clarifications of an answer, oldest first.
pub async fn clarifications(
    pool: &AnyPool,
    proposal: ProposalId,
) -> Result<Vec<Clarification>, DbError> {
    #[derive(sqlx::FromRow)]
    struct ClarificationRow {
        at: i64,
        by_name: String,
        body: String,
    }
    let rows: Vec<ClarificationRow> = sqlx::query_as(
        "SELECT at, by_name, body FROM answer_clarifications WHERE proposal_id = $1 ORDER BY at, id LIMIT 100",
    )
    .bind(proposal.0)
    .fetch_all(pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| Clarification {
            at: to_datetime(r.at),
            by: r.by_name,
            body: r.body,
        })
        .collect())
}

/// Answered proposals of `user`'s committees (all with `all`) where someone waits for a
/// clearer answer.
pub async fn clearer_requests(
    pool: &AnyPool,
    user: UserId,
    all: bool,
) -> Result<Vec<ClearerRequest>, DbError> {
    #[derive(sqlx::FromRow)]
    struct ClearerRow {
        id: ProposalId,
        title: String,
        committee: String,
        waiting: i64,
    }
    let rows: Vec<ClearerRow> = sqlx::query_as(
        "SELECT p.id, p.title, COALESCE(p.committee, '') AS committee, COUNT(*) AS waiting \
         FROM answer_feedback f \
         JOIN proposals p ON p.id = f.proposal_id \
         WHERE f.wants_clearer = 1 AND p.visibility <> 'hidden' AND ($1 = 1 OR p.committee_id IN \
         (SELECT committee_id FROM committee_members WHERE user_id = $2)) \
         GROUP BY p.id, p.title, p.committee ORDER BY MIN(f.at) LIMIT 200",
    )
    .bind(i64::from(all))
    .bind(user.0)
    .fetch_all(pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| ClearerRequest {
            id: r.id,
            title: r.title,
            committee: r.committee,
            waiting: r.waiting,
        })
        .collect())
}

/// Days before the deadline the committee's politicians are reminded.
pub const REMIND_DAYS_BEFORE: i64 = 7;

/// Creates due reminders: to the committee's politicians when the deadline is at most
/// [`REMIND_DAYS_BEFORE`] days away, to the coordinators when it has passed. Each is sent
/// once per proposal: the `reminders_sent` primary key decides, so several server
/// instances can run this at the same moment. Returns (soon, overdue) reminders sent.
pub async fn send_reminders(pool: &AnyPool, now: DateTime<Utc>) -> Result<(u64, u64), DbError> {
    let now_us = now.timestamp_micros();
    let soon_us = (now + chrono::Duration::days(REMIND_DAYS_BEFORE)).timestamp_micros();
    #[derive(sqlx::FromRow)]
    struct DueRow {
        id: ProposalId,
        deadline_at: i64,
    }
    let due: Vec<DueRow> = sqlx::query_as(
        "SELECT p.id, p.deadline_at FROM proposals p WHERE p.status = 'forwarded' AND p.deadline_at <= $1 \
         AND NOT EXISTS (SELECT 1 FROM reminders_sent r WHERE r.proposal_id = p.id AND r.kind = \
         CASE WHEN p.deadline_at < $2 THEN 'overdue' ELSE 'deadline_soon' END) \
         ORDER BY p.deadline_at LIMIT 500",
    )
    .bind(soon_us)
    .bind(now_us)
    .fetch_all(pool)
    .await?;
    let (mut soon, mut overdue) = (0, 0);
    for DueRow { id, deadline_at } in due {
        let is_overdue = deadline_at < now_us;
        let kind = if is_overdue {
            "overdue"
        } else {
            "deadline_soon"
        };
        let mut tx = super::write_tx(pool).await?;
        let claimed = sqlx::query(
            "INSERT INTO reminders_sent (proposal_id, kind, at) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING",
        )
        .bind(id.0)
        .bind(kind)
        .bind(now_us)
        .execute(&mut *tx)
        .await?
        .rows_affected();
        if claimed == 1 {
            if is_overdue {
                sqlx::query(
                    "INSERT INTO notifications (user_id, proposal_id, kind, created_at) \
                     SELECT DISTINCT r.user_id, $1, 'overdue', $2 FROM user_roles r JOIN users u ON u.id = r.user_id \
                     WHERE r.role = 'sekretariat' AND u.status <> 'deleted'",
                )
                .bind(id.0)
                .bind(now_us)
                .execute(&mut *tx)
                .await?;
                super::mail::queue_instant_tx(&mut tx, id, NotificationKind::Overdue, now_us)
                    .await?;
                overdue += 1;
            } else {
                notify_committee(&mut tx, id, NotificationKind::DeadlineSoon, now_us).await?;
                soon += 1;
            }
        }
        tx.commit().await?;
    }
    Ok((soon, overdue))
}

/// Every proposal submitted in [start, end) (hidden ones left out), as the overview needs it.
pub async fn heard_rows(
    pool: &AnyPool,
    start: DateTime<Utc>,
    end: DateTime<Utc>,
) -> Result<Vec<HeardRow>, DbError> {
    #[derive(sqlx::FromRow)]
    struct Row {
        submitted_at: i64,
        status: String,
        answer: Option<AnswerKind>,
        forwarded_at: Option<i64>,
        deadline_at: Option<i64>,
        answered_at: Option<i64>,
        follow_up: Option<String>,
    }
    let rows: Vec<Row> = sqlx::query_as(
        "SELECT p.submitted_at, p.status, p.answer, \
         (SELECT MIN(e.at) FROM proposal_events e WHERE e.proposal_id = p.id AND e.kind = 'forwarded') \
         AS forwarded_at, \
         (SELECT MAX(e.deadline_at) FROM proposal_events e WHERE e.proposal_id = p.id AND e.kind = 'forwarded') \
         AS deadline_at, \
         (SELECT MIN(e.at) FROM proposal_events e WHERE e.proposal_id = p.id AND e.kind = 'answered') \
         AS answered_at, \
         (SELECT e.follow_up FROM proposal_events e WHERE e.proposal_id = p.id AND e.kind = 'follow_up' \
          ORDER BY e.at DESC, e.id DESC LIMIT 1) AS follow_up \
         FROM proposals p WHERE p.submitted_at >= $1 AND p.submitted_at < $2 AND p.visibility <> 'hidden'",
    )
    .bind(start.timestamp_micros())
    .bind(end.timestamp_micros())
    .fetch_all(pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| HeardRow {
            submitted_at: to_datetime(r.submitted_at),
            forwarded_at: r.forwarded_at.map(to_datetime),
            deadline: r.deadline_at.map(to_datetime),
            answered_at: r.answered_at.map(to_datetime),
            answer: r.answer,
            council: match r.status.as_str() {
                "rejected_by_council" => Some(CouncilOutcome::Rejected),
                "resolved_by_council" => Some(CouncilOutcome::Resolved),
                _ => None,
            },
            follow_up: r.follow_up.as_deref().and_then(FollowUpState::parse),
        })
        .collect())
}

/// "Forstod du svaret?" replies (understood, not understood) on the proposals submitted in
/// [start, end).
pub async fn feedback_totals(
    pool: &AnyPool,
    start: DateTime<Utc>,
    end: DateTime<Utc>,
) -> Result<(i64, i64), DbError> {
    #[derive(sqlx::FromRow)]
    struct FeedbackTotals {
        understood: i64,
        not_understood: i64,
    }
    let totals: FeedbackTotals = sqlx::query_as(
        "SELECT CAST(COALESCE(SUM(f.understood), 0) AS BIGINT) AS understood, \
         CAST(COALESCE(SUM(1 - f.understood), 0) AS BIGINT) AS not_understood \
         FROM answer_feedback f JOIN proposals p ON p.id = f.proposal_id \
         WHERE p.submitted_at >= $1 AND p.submitted_at < $2 AND p.visibility <> 'hidden'",
    )
    .bind(start.timestamp_micros())
    .bind(end.timestamp_micros())
    .fetch_one(pool)
    .await?;
    Ok((totals.understood, totals.not_understood))
}

/// Forwarded proposals past their deadline, most overdue first.
pub async fn overdue(pool: &AnyPool, now: DateTime<Utc>) -> Result<Vec<OverdueItem>, DbError> {
    #[derive(sqlx::FromRow)]
    struct OverdueRow {
        id: ProposalId,
        title: String,
        committee: Option<String>,
        deadline_at: i64,
    }
    let rows: Vec<OverdueRow> = sqlx::query_as(
        "SELECT id, title, committee, deadline_at FROM proposals \
         WHERE status = 'forwarded' AND deadline_at < $1 AND visibility <> 'hidden' \
         ORDER BY deadline_at, id LIMIT 200",
    )
    .bind(now.timestamp_micros())
    .fetch_all(pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| OverdueItem {
            id: r.id,
            title: r.title,
            committee: r.committee.unwrap_or_default(),
            deadline: to_datetime(r.deadline_at),
        })
        .collect())
}

/// The first year anything was submitted (None on an empty platform).
pub async fn first_submitted(pool: &AnyPool) -> Result<Option<DateTime<Utc>>, DbError> {
    let first: Option<i64> = sqlx::query_scalar(
        "SELECT MIN(submitted_at) FROM proposals WHERE submitted_at IS NOT NULL",
    )
    .fetch_one(pool)
    .await?;
    Ok(first.map(to_datetime))
}
