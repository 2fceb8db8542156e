//! The append-only audit log (the table refuses UPDATE and DELETE by trigger).
use super::time::{now_micros, to_datetime};
use super::DbError;
use crate::domain::audit::{AuditAction, AuditEntry, AuditPage, AUDIT_PER_PAGE};
use crate::domain::ids::{AuditEntryId, UserId};
use sqlx::{AnyPool, Row};

/// Appends one entry. `details` is cut to 2,000 characters.
pub async fn record(
    pool: &AnyPool,
    actor: UserId,
    action: AuditAction,
    subject_kind: &str,
    subject_id: Option<i64>,
    details: &str,
) -> Result<(), DbError> {
    let details: String = details.chars().take(2000).collect();
    insert(pool, actor, action, subject_kind, subject_id, &details).await
}

/// [`record`] inside the decision's transaction: the entry commits with the decision.
pub async fn record_tx(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    actor: UserId,
    action: AuditAction,
    subject_kind: &str,
    subject_id: Option<i64>,
    details: &str,
) -> Result<(), DbError> {
    let details: String = details.chars().take(2000).collect();
    insert(&mut **tx, actor, action, subject_kind, subject_id, &details).await
}

async fn insert<'e, E: sqlx::Executor<'e, Database = sqlx::Any>>(
    executor: E,
    actor: UserId,
    action: AuditAction,
    subject_kind: &str,
    subject_id: Option<i64>,
    details: &str,
) -> Result<(), DbError> {
    sqlx::query(
        "INSERT INTO audit_log (at, actor_id, action, subject_kind, subject_id, details) \
         VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(now_micros())
    .bind(actor.0)
    .bind(action.as_str())
    .bind(subject_kind)
    .bind(subject_id)
    .bind(details)
    .execute(executor)
    .await?;
    Ok(())
}

/// Appends one entry for a change that sets something to a value (a setting, a name, a
/// term), in the change's transaction, unless the newest entry of the same action on the
/// same subject is this one already — same person, same details: then nothing changed
/// (the form was sent twice) and nothing is written. `details` must name the value set.
/// Judged under a lock on the subject taken in the same transaction, so fifty identical
/// requests at once write one line, and the line commits with the change.
pub async fn record_change_tx(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    actor: UserId,
    action: AuditAction,
    subject_kind: &str,
    subject_id: Option<i64>,
    details: &str,
) -> Result<bool, DbError> {
    let details: String = details.chars().take(2000).collect();
    super::lock(
        tx,
        &format!(
            "audit:{}:{subject_kind}:{}",
            action.as_str(),
            subject_id.unwrap_or(0)
        ),
    )
    .await?;
    #[derive(sqlx::FromRow)]
    struct LastEntry {
        actor_id: Option<i64>,
        details: String,
    }
    let last: Option<LastEntry> = sqlx::query_as(
        "SELECT actor_id, details FROM audit_log WHERE action = $1 AND subject_kind = $2 \
         AND COALESCE(subject_id, 0) = $3 ORDER BY id DESC LIMIT 1",
    )
    .bind(action.as_str())
    .bind(subject_kind)
    .bind(subject_id.unwrap_or(0))
    .fetch_optional(&mut **tx)
    .await?;
    if last.is_some_and(|l| l.actor_id == Some(actor.0) && l.details == details) {
        return Ok(false);
    }
    insert(&mut **tx, actor, action, subject_kind, subject_id, &details).await?;
    Ok(true)
}

/// Newest first, `AUDIT_PER_PAGE` at a time, before the entry id `before` (keyset).
pub async fn page(pool: &AnyPool, before: Option<AuditEntryId>) -> Result<AuditPage, DbError> {
    let rows = sqlx::query(
        "SELECT a.id, a.at, a.actor_id, u.first_name, a.action, a.subject_kind, a.subject_id, \
         a.details FROM audit_log a LEFT JOIN users u ON u.id = a.actor_id AND u.status <> 'deleted' \
         WHERE a.id < $1 ORDER BY a.id DESC LIMIT $2",
    )
    .bind(before.map_or(i64::MAX, |b| b.0))
    .bind(AUDIT_PER_PAGE as i64 + 1)
    .fetch_all(pool)
    .await?;
    let mut entries = Vec::with_capacity(rows.len());
    for row in &rows {
        let action: String = row.try_get("action")?;
        let label = AuditAction::parse(&action)
            .map(|a| a.label_da().to_owned())
            .unwrap_or_else(|| action.clone());
        entries.push(AuditEntry {
            id: row.try_get("id")?,
            at: to_datetime(row.try_get("at")?),
            actor: row.try_get::<Option<i64>, _>("actor_id")?.map(UserId),
            actor_name: row.try_get("first_name")?,
            action,
            label,
            subject_kind: row.try_get("subject_kind")?,
            subject_id: row.try_get("subject_id")?,
            details: row.try_get("details")?,
        });
    }
    let next = if entries.len() > AUDIT_PER_PAGE {
        entries.truncate(AUDIT_PER_PAGE);
        entries.last().map(|e| e.id)
    } else {
        None
    };
    Ok(AuditPage { entries, next })
}
