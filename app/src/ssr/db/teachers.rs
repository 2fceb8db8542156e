//! Teachers (the Lærer role at one school, issue #23): the `teachers` table, and the pupils
//! a teacher confirms.
use super::time::{now_micros, to_datetime};
use super::DbError;
use crate::domain::account::{AccountStatus, School};
use crate::domain::ids::{SchoolId, UserId};
use crate::domain::teacher::{ConfirmFacts, PendingPupil, PendingPupils};
use sqlx::AnyPool;

/// What granting the Lærer role at a school did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Granted {
    /// The person was no teacher before.
    New,
    /// The person taught at another school (given) and now teaches at this one.
    Moved(SchoolId),
    /// The person already teaches at this school: nothing changed.
    Same,
}

/// The name of a school that is not archived, or None.
pub async fn active_school(pool: &AnyPool, id: SchoolId) -> Result<Option<String>, DbError> {
    Ok(
        sqlx::query_scalar("SELECT name FROM schools WHERE id = $1 AND archived_at IS NULL")
            .bind(id.0)
            .fetch_optional(pool)
            .await?,
    )
}

/// Makes `user` a teacher at `school` (moving them from another school), in the caller's
/// transaction. Concurrent identical grants: one is `New` (or `Moved`), the rest `Same`.
pub async fn grant_tx(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    user: UserId,
    school: SchoolId,
    by: UserId,
) -> Result<Granted, DbError> {
    let before: Option<SchoolId> =
        sqlx::query_scalar("SELECT school_id FROM teachers WHERE user_id = $1")
            .bind(user.0)
            .fetch_optional(&mut **tx)
            .await?;
    if before == Some(school) {
        return Ok(Granted::Same);
    }
    // A grant made meanwhile by another transaction to the same school changes nothing.
    let done = sqlx::query(
        "INSERT INTO teachers (user_id, school_id, granted_by, granted_at) VALUES ($1, $2, $3, $4) \
         ON CONFLICT (user_id) DO UPDATE SET school_id = excluded.school_id, \
         granted_by = excluded.granted_by, granted_at = excluded.granted_at \
         WHERE teachers.school_id <> excluded.school_id",
    )
    .bind(user.0)
    .bind(school.0)
    .bind(by.0)
    .bind(now_micros())
    .execute(&mut **tx)
    .await?;
    Ok(match (done.rows_affected(), before) {
        (0, _) => Granted::Same,
        (_, Some(old)) => Granted::Moved(old),
        (_, None) => Granted::New,
    })
}

/// Ends `user`'s Lærer role, in the caller's transaction: the school they taught at, or
/// None if they were no teacher.
pub async fn revoke_tx(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    user: UserId,
) -> Result<Option<SchoolId>, DbError> {
    Ok(
        sqlx::query_scalar("DELETE FROM teachers WHERE user_id = $1 RETURNING school_id")
            .bind(user.0)
            .fetch_optional(&mut **tx)
            .await?,
    )
}

/// The schools several users teach at, in one query (no N+1).
pub async fn schools_of(pool: &AnyPool, ids: &[i64]) -> Result<Vec<(UserId, School)>, DbError> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let placeholders: Vec<String> = (1..=ids.len()).map(|i| format!("${i}")).collect();
    let sql = format!(
        "SELECT t.user_id, s.id, s.name FROM teachers t JOIN schools s ON s.id = t.school_id \
         WHERE t.user_id IN ({})",
        placeholders.join(", ")
    );
    let mut q = sqlx::query_as::<_, (i64, i64, String)>(&sql);
    for id in ids {
        q = q.bind(*id);
    }
    Ok(q.fetch_all(pool)
        .await?
        .into_iter()
        .map(|(user, id, name)| {
            (
                UserId(user),
                School {
                    id: SchoolId(id),
                    name,
                },
            )
        })
        .collect())
}

/// SQL: is the account `u` a pupil (Elev at its school, not a teacher)?
const IS_PUPIL: &str = "u.school_id IS NOT NULL \
     AND EXISTS (SELECT 1 FROM user_roles r WHERE r.user_id = u.id AND r.role = 'elev') \
     AND NOT EXISTS (SELECT 1 FROM teachers t WHERE t.user_id = u.id)";

/// What [`crate::domain::teacher::may_confirm`] needs about one account, or None when
/// there is no such (undeleted) account.
pub async fn confirm_facts(pool: &AnyPool, id: UserId) -> Result<Option<ConfirmFacts>, DbError> {
    let sql = format!(
        "SELECT u.status, u.school_id, CASE WHEN {IS_PUPIL} THEN 1 ELSE 0 END AS pupil \
         FROM users u WHERE u.id = $1 AND u.status <> 'deleted'"
    );
    let row: Option<(AccountStatus, Option<SchoolId>, i64)> =
        sqlx::query_as(&sql).bind(id.0).fetch_optional(pool).await?;
    Ok(row.map(|(status, school, pupil)| ConfirmFacts {
        status,
        school,
        pupil: pupil == 1,
    }))
}

/// id, first name, e-mail, birth year, created at.
type PupilRow = (i64, String, Option<String>, Option<i32>, i64);

/// The school's pupils awaiting confirmation, newest first, `limit` before `before`; None
/// when the school does not exist.
pub async fn pending_pupils(
    pool: &AnyPool,
    school: SchoolId,
    before: Option<UserId>,
    limit: i64,
) -> Result<Option<PendingPupils>, DbError> {
    let name: Option<String> = sqlx::query_scalar("SELECT name FROM schools WHERE id = $1")
        .bind(school.0)
        .fetch_optional(pool)
        .await?;
    let Some(name) = name else {
        return Ok(None);
    };
    let sql = format!(
        "SELECT u.id, u.first_name, u.email, u.birth_year, u.created_at FROM users u \
         WHERE u.school_id = $1 AND u.status = 'awaiting_confirmation' AND u.id < $2 \
         AND {IS_PUPIL} ORDER BY u.id DESC LIMIT $3"
    );
    let rows: Vec<PupilRow> = sqlx::query_as(&sql)
        .bind(school.0)
        .bind(before.map(|b| b.0).unwrap_or(i64::MAX))
        .bind(limit + 1)
        .fetch_all(pool)
        .await?;
    let more = rows.len() as i64 > limit;
    let pupils: Vec<PendingPupil> = rows
        .into_iter()
        .take(limit.max(0) as usize)
        .map(
            |(id, first_name, email, birth_year, created)| PendingPupil {
                id: UserId(id),
                first_name,
                email: email.unwrap_or_default(),
                birth_year,
                created_at: to_datetime(created),
            },
        )
        .collect();
    let next = if more {
        pupils.last().map(|p| p.id)
    } else {
        None
    };
    Ok(Some(PendingPupils {
        school: name,
        pupils,
        next,
    }))
}
