//! Schools and councils.
use super::time::now_micros;
use super::{is_unique_violation, DbError};
use crate::domain::account::{Council, CouncilKind, School};
use crate::domain::ids::{CouncilId, SchoolId};
use crate::domain::message::Msg;
use sqlx::AnyPool;

/// A school row.
#[derive(sqlx::FromRow)]
struct SchoolRow {
    id: SchoolId,
    name: String,
}

/// A council row.
#[derive(sqlx::FromRow)]
struct CouncilRow {
    id: CouncilId,
    kind: CouncilKind,
    name: String,
    school_id: Option<SchoolId>,
}

impl From<CouncilRow> for Council {
    fn from(r: CouncilRow) -> Self {
        Council {
            id: r.id,
            kind: r.kind,
            name: r.name,
            school_id: r.school_id,
        }
    }
}

pub async fn list(pool: &AnyPool) -> Result<Vec<School>, DbError> {
    let rows: Vec<SchoolRow> =
        sqlx::query_as("SELECT id, name FROM schools WHERE archived_at IS NULL ORDER BY name")
            .fetch_all(pool)
            .await?;
    Ok(rows
        .into_iter()
        .map(|r| School {
            id: r.id,
            name: r.name,
        })
        .collect())
}

/// Creates a school and its elevråd, in one transaction.
pub async fn create(pool: &AnyPool, name: &str) -> Result<SchoolId, DbError> {
    let mut tx = super::write_tx(pool).await?;
    let id = create_tx(&mut tx, name).await?;
    tx.commit().await?;
    Ok(id)
}

/// [`create`] inside a transaction the caller commits (with its audit entry).
pub async fn create_tx(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    name: &str,
) -> Result<SchoolId, DbError> {
    let tx: &mut sqlx::AnyConnection = tx;
    let now = now_micros();
    let id: i64 = match sqlx::query_scalar(
        "INSERT INTO schools (name, created_at) VALUES ($1, $2) RETURNING id",
    )
    .bind(name)
    .bind(now)
    .fetch_one(&mut *tx)
    .await
    {
        Ok(id) => id,
        Err(e) if is_unique_violation(&e) => return Err(DbError::Conflict(Msg::SchoolNameTaken)),
        Err(e) => return Err(e.into()),
    };
    sqlx::query(
        "INSERT INTO councils (kind, name, school_id, created_at) VALUES ('elevraad', $1, $2, $3)",
    )
    .bind(format!("Elevrådet på {name}"))
    .bind(id)
    .bind(now)
    .execute(&mut *tx)
    .await
    .map_err(|e| {
        if is_unique_violation(&e) {
            DbError::Conflict(Msg::StudentCouncilNameTaken)
        } else {
            e.into()
        }
    })?;
    Ok(SchoolId(id))
}

pub async fn exists(pool: &AnyPool, id: SchoolId) -> Result<bool, DbError> {
    let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM schools WHERE id = $1")
        .bind(id.0)
        .fetch_one(pool)
        .await?;
    Ok(n > 0)
}

/// Creates a council that belongs to no school (the Ungeråd, Det Fælles Elevråd).
pub async fn create_council(
    pool: &AnyPool,
    kind: CouncilKind,
    name: &str,
    school: Option<SchoolId>,
) -> Result<CouncilId, DbError> {
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO councils (kind, name, school_id, created_at) VALUES ($1, $2, $3, $4) RETURNING id",
    )
    .bind(kind.as_str())
    .bind(name)
    .bind(school.map(|s| s.0))
    .bind(now_micros())
    .fetch_one(pool)
    .await
    .map_err(|e| {
        if is_unique_violation(&e) {
            DbError::Conflict(Msg::CouncilNameTaken)
        } else {
            e.into()
        }
    })?;
    Ok(CouncilId(id))
}

/// Active councils (archived ones keep their pages, reachable by id).
pub async fn councils(pool: &AnyPool) -> Result<Vec<Council>, DbError> {
    let rows: Vec<CouncilRow> = sqlx::query_as(
        "SELECT id, kind, name, school_id FROM councils WHERE archived_at IS NULL ORDER BY id",
    )
    .fetch_all(pool)
    .await?;
    Ok(rows.into_iter().map(Council::from).collect())
}

/// One council, archived or not.
pub async fn council(pool: &AnyPool, id: CouncilId) -> Result<Option<Council>, DbError> {
    let row: Option<CouncilRow> =
        sqlx::query_as("SELECT id, kind, name, school_id FROM councils WHERE id = $1")
            .bind(id.0)
            .fetch_optional(pool)
            .await?;
    Ok(row.map(Council::from))
}
