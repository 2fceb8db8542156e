//! Comments, reports and the moderators' decisions.
use super::time::{now_micros, to_datetime};
use super::DbError;
use crate::domain::dialogue::CommentRole;
use crate::domain::ids::{CommentId, ProposalId, ReportId, UserId};
use crate::domain::message::Msg;
use crate::domain::moderation::{excerpt, ReportItem};
use crate::domain::notification::NotificationKind;
use crate::domain::proposal::Visibility;
use sqlx::AnyPool;

/// Adds a young person's (or a moderator's) comment to a published, submitted proposal:
/// no role, not a question, nobody notified. None if there is no such proposal.
pub async fn add_comment(
    pool: &AnyPool,
    proposal: ProposalId,
    author: UserId,
    body: &str,
    once: Option<&super::submissions::Once>,
) -> Result<Option<CommentId>, DbError> {
    add_comment_as(pool, proposal, author, body, CommentAs::default(), once).await
}

/// How a comment is written, as the server decided it (`domain::dialogue`).
#[derive(Debug, Clone, Copy, Default)]
pub struct CommentAs {
    /// The role shown (politician, coordinator), None for young people and moderators.
    pub role: Option<CommentRole>,
    /// A politician's question to the author: stored only while the proposal is forwarded.
    pub question: bool,
    /// The author's notification (with its mail), in the same transaction.
    pub notice: Option<NotificationKind>,
}

/// Adds a comment to a published, submitted proposal (a question: to a forwarded one), with
/// the role shown and the author's notification. None if there is no such proposal (for a
/// question: none waiting for its answer); then nothing is stored and nobody notified. The
/// answer deadline is not touched.
pub async fn add_comment_as(
    pool: &AnyPool,
    proposal: ProposalId,
    author: UserId,
    body: &str,
    how: CommentAs,
    once: Option<&super::submissions::Once>,
) -> Result<Option<CommentId>, DbError> {
    let mut tx = super::write_tx(pool).await?;
    if let Some(once) = once {
        super::submissions::claim_or_replay(&mut tx, once).await?;
    }
    let id: Option<i64> = sqlx::query_scalar(
        "INSERT INTO comments (proposal_id, author_id, body, created_at, author_role, question) \
         SELECT id, $1, $2, $3, $4, $5 FROM proposals WHERE id = $6 AND visibility = 'published' AND status <> 'draft' \
         AND ($7 = 0 OR (status = 'forwarded' AND answer IS NULL)) \
         RETURNING id",
    )
    .bind(author.0)
    .bind(body)
    .bind(now_micros())
    .bind(how.role.map(CommentRole::as_str))
    .bind(i64::from(how.question))
    .bind(proposal.0)
    .bind(i64::from(how.question))
    .fetch_optional(&mut *tx)
    .await?;
    let Some(id) = id else {
        // Nothing made: the claim goes with the rollback.
        return Ok(None);
    };
    if let Some(kind) = how.notice {
        super::notifications::notify_author(&mut tx, proposal, kind).await?;
    }
    if let Some(once) = once {
        super::submissions::settle(&mut tx, once, &id.to_string()).await?;
    }
    tx.commit().await?;
    Ok(Some(CommentId(id)))
}

/// Does the comment belong to the proposal?
pub async fn comment_on(
    pool: &AnyPool,
    proposal: ProposalId,
    comment: CommentId,
) -> Result<bool, DbError> {
    let n: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM comments WHERE id = $1 AND proposal_id = $2 AND hidden_at IS NULL",
    )
    .bind(comment.0)
    .bind(proposal.0)
    .fetch_one(pool)
    .await?;
    Ok(n > 0)
}

/// Files a report. A second open report by the same person on the same item is
/// ignored (returns false).
pub async fn report(
    pool: &AnyPool,
    reporter: UserId,
    proposal: ProposalId,
    comment: Option<CommentId>,
    reason: &str,
) -> Result<bool, DbError> {
    let done = sqlx::query(
        "INSERT INTO reports (proposal_id, comment_id, reporter_id, reason, created_at) \
         VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING",
    )
    .bind(proposal.0)
    .bind(comment.map(|c| c.0))
    .bind(reporter.0)
    .bind(reason)
    .bind(now_micros())
    .execute(pool)
    .await?
    .rows_affected();
    Ok(done == 1)
}

/// An open report with what it is about.
#[derive(sqlx::FromRow)]
struct ReportRow {
    id: ReportId,
    proposal_id: ProposalId,
    title: String,
    comment_id: Option<CommentId>,
    comment_body: Option<String>,
    body: String,
    reason: String,
    created_at: i64,
    visibility: Visibility,
    comment_hidden: Option<String>,
}

/// Open reports, oldest first.
pub async fn open_reports(pool: &AnyPool, limit: i64) -> Result<Vec<ReportItem>, DbError> {
    let rows: Vec<ReportRow> =
        sqlx::query_as(
            "SELECT r.id, r.proposal_id, p.title, r.comment_id, k.body AS comment_body, p.body, r.reason, \
             r.created_at, p.visibility, k.hidden_reason AS comment_hidden \
             FROM reports r JOIN proposals p ON p.id = r.proposal_id LEFT JOIN comments k ON k.id = r.comment_id \
             WHERE r.resolved_at IS NULL ORDER BY r.id LIMIT $1",
        )
        .bind(limit)
        .fetch_all(pool)
        .await?;
    Ok(rows
        .into_iter()
        .map(|r| {
            let hidden = match r.comment_id {
                Some(_) => r.comment_hidden.is_some(),
                None => r.visibility == Visibility::Hidden,
            };
            ReportItem {
                id: r.id,
                proposal_id: r.proposal_id,
                proposal_title: r.title,
                comment_id: r.comment_id,
                excerpt: excerpt(r.comment_body.as_deref().unwrap_or(&r.body), 300),
                reason: r.reason,
                at: to_datetime(r.created_at),
                hidden,
            }
        })
        .collect())
}

/// What a report is about.
pub async fn report_target(
    pool: &AnyPool,
    id: ReportId,
) -> Result<Option<(ProposalId, Option<CommentId>)>, DbError> {
    #[derive(sqlx::FromRow)]
    struct ReportTarget {
        proposal_id: ProposalId,
        comment_id: Option<CommentId>,
    }
    let row: Option<ReportTarget> = sqlx::query_as(
        "SELECT proposal_id, comment_id FROM reports WHERE id = $1 AND resolved_at IS NULL",
    )
    .bind(id.0)
    .fetch_optional(pool)
    .await?;
    Ok(row.map(|r| (r.proposal_id, r.comment_id)))
}

/// Hides a proposal (or one of its comments) with a reason shown in its place, and
/// closes the open reports about it. The author of a hidden proposal is told.
pub async fn hide(
    pool: &AnyPool,
    proposal: ProposalId,
    comment: Option<CommentId>,
    reason: &str,
    moderator: UserId,
) -> Result<bool, DbError> {
    let mut tx = super::write_tx(pool).await?;
    let done = hide_tx(&mut tx, proposal, comment, reason, moderator).await?;
    if done {
        tx.commit().await?;
    }
    Ok(done)
}

/// [`hide`] inside a transaction the caller commits (with its audit entry).
pub async fn hide_tx(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    proposal: ProposalId,
    comment: Option<CommentId>,
    reason: &str,
    moderator: UserId,
) -> Result<bool, DbError> {
    let now = now_micros();
    let changed = match comment {
        Some(c) => sqlx::query(
            "UPDATE comments SET hidden_reason = $1, hidden_by = $2, hidden_at = $3 \
             WHERE id = $4 AND proposal_id = $5 AND hidden_at IS NULL",
        )
        .bind(reason)
        .bind(moderator.0)
        .bind(now)
        .bind(c.0)
        .bind(proposal.0)
        .execute(&mut **tx)
        .await?
        .rows_affected(),
        None => sqlx::query(
            "UPDATE proposals SET visibility = 'hidden', hidden_reason = $1, hidden_by = $2, hidden_at = $3 \
             WHERE id = $4 AND status <> 'draft' AND visibility <> 'hidden'",
        )
        .bind(reason)
        .bind(moderator.0)
        .bind(now)
        .bind(proposal.0)
        .execute(&mut **tx)
        .await?
        .rows_affected(),
    };
    if changed != 1 {
        // Hidden already (the same press twice, or another moderator was first)?
        let hidden: i64 = match comment {
            Some(c) => sqlx::query_scalar(
                "SELECT COUNT(*) FROM comments WHERE id = $1 AND proposal_id = $2 AND hidden_at IS NOT NULL",
            )
            .bind(c.0)
            .bind(proposal.0)
            .fetch_one(&mut **tx)
            .await?,
            None => sqlx::query_scalar(
                "SELECT COUNT(*) FROM proposals WHERE id = $1 AND visibility = 'hidden'",
            )
            .bind(proposal.0)
            .fetch_one(&mut **tx)
            .await?,
        };
        if hidden > 0 {
            return Err(DbError::Conflict(Msg::HiddenAlready));
        }
        return Ok(false);
    }
    sqlx::query(
        "UPDATE reports SET resolved_at = $1, resolved_by = $2, resolution = 'hidden' \
         WHERE proposal_id = $3 AND COALESCE(comment_id, 0) = $4 AND resolved_at IS NULL",
    )
    .bind(now)
    .bind(moderator.0)
    .bind(proposal.0)
    .bind(comment.map(|c| c.0).unwrap_or(0))
    .execute(&mut **tx)
    .await?;
    if comment.is_none() {
        super::notifications::notify_author(tx, proposal, NotificationKind::Hidden).await?;
    }
    Ok(true)
}

/// Closes a report without hiding anything.
pub async fn dismiss(pool: &AnyPool, id: ReportId, moderator: UserId) -> Result<bool, DbError> {
    dismiss_on(pool, id, moderator).await
}

/// [`dismiss`] inside a transaction the caller commits (with its audit entry).
pub async fn dismiss_tx(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    id: ReportId,
    moderator: UserId,
) -> Result<bool, DbError> {
    dismiss_on(&mut **tx, id, moderator).await
}

async fn dismiss_on<'e, E: sqlx::Executor<'e, Database = sqlx::Any>>(
    executor: E,
    id: ReportId,
    moderator: UserId,
) -> Result<bool, DbError> {
    Ok(sqlx::query(
        "UPDATE reports SET resolved_at = $1, resolved_by = $2, resolution = 'dismissed' \
         WHERE id = $3 AND resolved_at IS NULL",
    )
    .bind(now_micros())
    .bind(moderator.0)
    .bind(id.0)
    .execute(executor)
    .await?
    .rows_affected()
        == 1)
}

/// Approves a proposal waiting under pre-moderation: it becomes public, the timeline
/// says so and the author is told.
pub async fn approve(
    pool: &AnyPool,
    proposal: ProposalId,
    moderator: UserId,
) -> Result<bool, DbError> {
    let mut tx = super::write_tx(pool).await?;
    let done = approve_tx(&mut tx, proposal, moderator).await?;
    if done {
        tx.commit().await?;
    }
    Ok(done)
}

/// [`approve`] inside a transaction the caller commits (with its audit entry).
pub async fn approve_tx(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    proposal: ProposalId,
    moderator: UserId,
) -> Result<bool, DbError> {
    let now = now_micros();
    let changed = sqlx::query(
        "UPDATE proposals SET visibility = 'published', updated_at = $1 \
         WHERE id = $2 AND visibility = 'pending' AND status <> 'draft'",
    )
    .bind(now)
    .bind(proposal.0)
    .execute(&mut **tx)
    .await?
    .rows_affected();
    if changed != 1 {
        return Ok(false);
    }
    sqlx::query(
        "INSERT INTO proposal_events (proposal_id, kind, at, actor_id) VALUES ($1, 'approved', $2, $3)",
    )
    .bind(proposal.0)
    .bind(now)
    .bind(moderator.0)
    .execute(&mut **tx)
    .await?;
    super::notifications::notify_author(tx, proposal, NotificationKind::Approved).await?;
    Ok(true)
}
