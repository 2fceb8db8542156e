//! The overview's influence and participation figures: the pool by year, what it funded,
//! and who proposed and supported (counted per birth year and school, never per person).
use super::DbError;
use crate::domain::heard::{FundedActivity, PoolFigures, PoolYearSpent};
use crate::domain::ids::ApplicationId;
use crate::domain::participation::ParticipantCount;
use chrono::{DateTime, Utc};
use sqlx::AnyPool;

/// Every pool year's amount and what was spent (granted minus returned), oldest first.
pub async fn pool_years(pool: &AnyPool) -> Result<Vec<PoolYearSpent>, DbError> {
    #[derive(sqlx::FromRow)]
    struct Row {
        year: i64,
        amount_ore: i64,
        spent_ore: i64,
    }
    let rows: Vec<Row> = sqlx::query_as(
        "SELECT year, amount_ore, granted_ore - returned_ore AS spent_ore \
         FROM pool_years ORDER BY year",
    )
    .fetch_all(pool)
    .await?;
    Ok(rows
        .into_iter()
        .filter_map(|r| {
            Some(PoolYearSpent {
                year: i32::try_from(r.year).ok()?,
                amount_ore: r.amount_ore,
                spent_ore: r.spent_ore,
            })
        })
        .collect())
}

/// The pool of `year` with its grants, largest first (at most 100).
pub async fn pool_figures(pool: &AnyPool, year: PoolYearSpent) -> Result<PoolFigures, DbError> {
    #[derive(sqlx::FromRow)]
    struct Row {
        id: ApplicationId,
        title: String,
        granted_ore: i64,
        participants: i64,
    }
    let funded: Vec<Row> = sqlx::query_as(
        "SELECT a.id, a.title, a.granted_ore, \
         COALESCE(a.report_participants, a.participants) AS participants \
         FROM pool_applications a JOIN pool_years y ON y.id = a.pool_year_id \
         WHERE y.year = $1 AND a.status IN ('granted', 'partly_granted') \
         ORDER BY a.granted_ore DESC, a.id LIMIT 100",
    )
    .bind(i64::from(year.year))
    .fetch_all(pool)
    .await?;
    let grants: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM pool_applications a JOIN pool_years y ON y.id = a.pool_year_id \
         WHERE y.year = $1 AND a.status IN ('granted', 'partly_granted')",
    )
    .bind(i64::from(year.year))
    .fetch_one(pool)
    .await?;
    Ok(PoolFigures {
        year: year.year,
        amount_ore: year.amount_ore,
        spent_ore: year.spent_ore,
        grants,
        funded: funded
            .into_iter()
            .map(|r| FundedActivity {
                id: r.id,
                title: r.title,
                granted_ore: r.granted_ore,
                participants: r.participants,
            })
            .collect(),
    })
}

/// Proposers (authors of proposals submitted in [start, end), hidden ones left out) and
/// supporters (who supported in [start, end)), each person once, grouped by birth year
/// and school.
pub async fn participants(
    pool: &AnyPool,
    start: DateTime<Utc>,
    end: DateTime<Utc>,
) -> Result<(Vec<ParticipantCount>, Vec<ParticipantCount>), DbError> {
    #[derive(sqlx::FromRow)]
    struct Row {
        role: String,
        birth_year: Option<i64>,
        school: Option<String>,
        people: i64,
    }
    let rows: Vec<Row> = sqlx::query_as(
        "SELECT 'proposer' AS role, CAST(u.birth_year AS BIGINT) AS birth_year, s.name AS school, \
         COUNT(*) AS people \
         FROM users u LEFT JOIN schools s ON s.id = u.school_id \
         WHERE u.id IN (SELECT p.author_id FROM proposals p WHERE p.submitted_at >= $1 \
                        AND p.submitted_at < $2 AND p.visibility <> 'hidden') \
         GROUP BY u.birth_year, s.name \
         UNION ALL \
         SELECT 'supporter' AS role, CAST(u.birth_year AS BIGINT) AS birth_year, s.name AS school, \
         COUNT(*) AS people \
         FROM users u LEFT JOIN schools s ON s.id = u.school_id \
         WHERE u.id IN (SELECT ps.user_id FROM proposal_supports ps WHERE ps.created_at >= $1 \
                        AND ps.created_at < $2) \
         GROUP BY u.birth_year, s.name",
    )
    .bind(start.timestamp_micros())
    .bind(end.timestamp_micros())
    .fetch_all(pool)
    .await?;
    let mut proposers = Vec::new();
    let mut supporters = Vec::new();
    for r in rows {
        let count = ParticipantCount {
            birth_year: r.birth_year.and_then(|y| i32::try_from(y).ok()),
            school: r.school,
            people: r.people,
        };
        if r.role == "proposer" {
            proposers.push(count);
        } else {
            supporters.push(count);
        }
    }
    Ok((proposers, supporters))
}
