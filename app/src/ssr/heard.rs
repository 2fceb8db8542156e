//! "Bliver vi hørt?" computed once for every reader of it: the page's server function and
//! the year's CSV/JSON export.
use crate::domain::heard::{self, HeardOverview, HeardStats, HearingStats};
use crate::domain::influence;
use crate::domain::participation::{Breakdown, Participation};
use crate::ssr::db::{self, DbError};
use chrono::{DateTime, Utc};
use sqlx::AnyPool;

/// The overview of `year` (the current Danish year when absent) as of `now`; `None` for a
/// year outside 2000 to next year.
pub async fn overview(
    pool: &AnyPool,
    year: Option<i32>,
    now: DateTime<Utc>,
) -> Result<Option<HeardOverview>, DbError> {
    let this_year = heard::local_year(now);
    let year = year.unwrap_or(this_year);
    if !(2000..=this_year + 1).contains(&year) {
        return Ok(None);
    }
    let first_proposal = db::answers::first_submitted(pool).await?;
    let first_hearing = db::heard_hearings::first_sent(pool).await?;
    let first = first_proposal
        .into_iter()
        .chain(first_hearing)
        .min()
        .map(heard::local_year)
        .unwrap_or(this_year)
        .min(this_year);
    let (Some((start, end)), Some((all_start, _)), Some((_, all_end))) = (
        heard::year_bounds(year),
        heard::year_bounds(first.min(year)),
        heard::year_bounds(this_year.max(year)),
    ) else {
        return Ok(None);
    };
    // One read of every year's proposals feeds both this year's figures and the trend.
    let all_rows = db::answers::heard_rows(pool, all_start, all_end).await?;
    let rows: Vec<_> = all_rows
        .iter()
        .filter(|r| heard::local_year(r.submitted_at) == year)
        .copied()
        .collect();
    let (understood, not_understood) = db::answers::feedback_totals(pool, start, end).await?;
    let hearing_rows = db::heard_hearings::hearing_rows(pool, start, end).await?;
    let pools = db::influence::pool_years(pool).await?;
    let pool_figures = match pools.iter().find(|p| p.year == year) {
        Some(p) => Some(db::influence::pool_figures(pool, *p).await?),
        None => None,
    };
    let (proposers, supporters) = db::influence::participants(pool, start, end).await?;
    Ok(Some(HeardOverview {
        stats: HeardStats::compute(year, &rows, understood, not_understood, now),
        hearings: HearingStats::compute(&hearing_rows, now),
        years: (first..=this_year).rev().collect(),
        overdue: db::answers::overdue(pool, now).await?,
        overdue_hearings: db::heard_hearings::overdue_hearings(pool, now).await?,
        pool: pool_figures,
        trend: influence::trend(first, this_year, &all_rows, &pools, now),
        participation: Participation {
            proposers: Breakdown::compute(year, &proposers),
            supporters: Breakdown::compute(year, &supporters),
        },
    }))
}
