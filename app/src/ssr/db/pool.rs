//! Ungerådets pulje: pool years, applications, decisions, reports and the ledger.
//!
//! A grant is one conditional UPDATE of the year's running totals ("only if the balance
//! covers it") followed by the decision and a ledger entry, in one transaction; the
//! database's CHECK refuses a negative balance whatever the code does.
use super::decode::Day;
use super::time::{now_micros, to_datetime};
use super::DbError;
use crate::domain::council::VoteId;
use crate::domain::ids::{ApplicationId, CouncilId, UserId};
use crate::domain::message::Msg;
use crate::domain::pool::{
    Application, ApplicationStatus, ApplicationSummary, BudgetLine, Decision, Ledger, PoolSettings,
    Report, ReportState,
};
use chrono::{DateTime, NaiveDate, Utc};
use sqlx::AnyPool;

/// A pool year as stored.
#[derive(Debug, Clone)]
pub struct YearRow {
    pub id: i64,
    pub council: CouncilId,
    pub settings: PoolSettings,
    pub ledger: Ledger,
}

type YearTuple = (i64, i64, i64, i64, i64, i64, String, i64, i64, i64);

fn year_row(t: YearTuple) -> YearRow {
    let (id, year, council, amount, max_grant, min_age, rules, granted, returned, corrected) = t;
    YearRow {
        id,
        council: CouncilId(council),
        settings: PoolSettings {
            year: year as i32,
            amount,
            max_grant,
            min_age: min_age as i32,
            rules,
        },
        ledger: Ledger {
            amount,
            granted,
            returned,
            corrected,
        },
    }
}

const YEAR_COLUMNS: &str = "id, year, council_id, amount_ore, max_grant_ore, min_age, rules, \
     granted_ore, returned_ore, corrected_ore";

/// Opens a pool year; a year can be opened once.
pub async fn open_year(
    pool: &AnyPool,
    s: &PoolSettings,
    council: CouncilId,
    actor: UserId,
) -> Result<i64, DbError> {
    let mut tx = super::write_tx(pool).await?;
    let id = open_year_tx(&mut tx, s, council, actor).await?;
    tx.commit().await?;
    Ok(id)
}

/// [`open_year`] inside a transaction the caller commits (with its audit entry).
pub async fn open_year_tx(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    s: &PoolSettings,
    council: CouncilId,
    actor: UserId,
) -> Result<i64, DbError> {
    let result = sqlx::query(
        "INSERT INTO pool_years (year, council_id, amount_ore, max_grant_ore, min_age, rules, opened_by, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(i64::from(s.year))
    .bind(council.0)
    .bind(s.amount)
    .bind(s.max_grant)
    .bind(i64::from(s.min_age))
    .bind(&s.rules)
    .bind(actor.0)
    .bind(now_micros())
    .execute(&mut **tx)
    .await;
    match result {
        Err(sqlx::Error::Database(e)) if e.is_unique_violation() => {
            Err(DbError::Conflict(Msg::PoolAlreadyOpen { year: s.year }))
        }
        Err(e) => Err(e.into()),
        Ok(_) => Ok(
            sqlx::query_scalar("SELECT id FROM pool_years WHERE year = $1")
                .bind(i64::from(s.year))
                .fetch_one(&mut **tx)
                .await?,
        ),
    }
}

/// The pool year `year`, or the newest one.
pub async fn year(pool: &AnyPool, year: Option<i32>) -> Result<Option<YearRow>, DbError> {
    let row: Option<YearTuple> = match year {
        Some(y) => {
            sqlx::query_as(&format!(
                "SELECT {YEAR_COLUMNS} FROM pool_years WHERE year = $1"
            ))
            .bind(i64::from(y))
            .fetch_optional(pool)
            .await?
        }
        None => {
            sqlx::query_as(&format!(
                "SELECT {YEAR_COLUMNS} FROM pool_years ORDER BY year DESC LIMIT 1"
            ))
            .fetch_optional(pool)
            .await?
        }
    };
    Ok(row.map(year_row))
}

pub async fn years(pool: &AnyPool) -> Result<Vec<i32>, DbError> {
    let ys: Vec<i64> = sqlx::query_scalar("SELECT year FROM pool_years ORDER BY year DESC")
        .fetch_all(pool)
        .await?;
    Ok(ys.into_iter().map(|y| y as i32).collect())
}

/// The first Ungeråd (the pool's council).
pub async fn ungeraad(pool: &AnyPool) -> Result<Option<CouncilId>, DbError> {
    let id: Option<i64> =
        sqlx::query_scalar("SELECT MIN(id) FROM councils WHERE kind = 'ungeraad'")
            .fetch_one(pool)
            .await?;
    Ok(id.map(CouncilId))
}

pub async fn birth_year(pool: &AnyPool, user: UserId) -> Result<i32, DbError> {
    let y: i64 = sqlx::query_scalar("SELECT birth_year FROM users WHERE id = $1")
        .bind(user.0)
        .fetch_one(pool)
        .await?;
    Ok(y as i32)
}

/// Stores a submitted application and its budget lines.
pub async fn create_application(
    pool: &AnyPool,
    year_id: i64,
    applicant: UserId,
    a: &Application,
    once: Option<&super::submissions::Once>,
) -> Result<i64, DbError> {
    let now = now_micros();
    let mut tx = super::write_tx(pool).await?;
    if let Some(once) = once {
        super::submissions::claim_or_replay(&mut tx, once).await?;
    }
    sqlx::query(
        "INSERT INTO pool_applications (pool_year_id, applicant_id, title, activity, audience, participants, \
         activity_date, place, members, asked_ore, status, submitted_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, 'submitted', $11)",
    )
    .bind(year_id)
    .bind(applicant.0)
    .bind(&a.title)
    .bind(&a.activity)
    .bind(&a.audience)
    .bind(a.participants)
    .bind(a.date.format("%Y-%m-%d").to_string())
    .bind(&a.place)
    .bind(&a.members)
    .bind(a.amount)
    .bind(now)
    .execute(&mut *tx)
    .await?;
    let id: i64 = sqlx::query_scalar(
        "SELECT MAX(id) FROM pool_applications WHERE applicant_id = $1 AND submitted_at = $2",
    )
    .bind(applicant.0)
    .bind(now)
    .fetch_one(&mut *tx)
    .await?;
    for (i, l) in a.lines.iter().enumerate() {
        sqlx::query(
            "INSERT INTO pool_budget_lines (application_id, position, text, amount_ore) VALUES ($1, $2, $3, $4)",
        )
        .bind(id)
        .bind(i as i64 + 1)
        .bind(&l.text)
        .bind(l.amount)
        .execute(&mut *tx)
        .await?;
    }
    if let Some(once) = once {
        super::submissions::settle(&mut tx, once, &id.to_string()).await?;
    }
    tx.commit().await?;
    Ok(id)
}

/// An application row as stored (everything but the lines).
#[derive(Debug, Clone)]
pub struct ApplicationRow {
    pub id: i64,
    pub year: i32,
    pub year_id: i64,
    pub council: CouncilId,
    pub applicant_id: UserId,
    pub applicant: String,
    pub app: Application,
    pub status: ApplicationStatus,
    pub granted: i64,
    pub explanation: Option<String>,
    pub conditions: Option<String>,
    pub votes: Option<(i64, i64, i64)>,
    pub decided_at: Option<DateTime<Utc>>,
    pub report: Option<Report>,
    pub returned: i64,
    pub submitted_at: DateTime<Utc>,
}

/// The columns [`application`] reads, by name.
#[derive(sqlx::FromRow)]
struct StoredApplication {
    id: i64,
    year: i64,
    year_id: i64,
    council_id: CouncilId,
    applicant_id: UserId,
    first_name: String,
    title: String,
    activity: String,
    audience: String,
    participants: i64,
    activity_date: Day,
    place: String,
    members: String,
    asked_ore: i64,
    status: ApplicationStatus,
    granted_ore: i64,
    explanation: Option<String>,
    conditions: Option<String>,
    votes_for: Option<i64>,
    votes_against: Option<i64>,
    votes_abstain: Option<i64>,
    decided_at: Option<i64>,
    report: Option<String>,
    report_participants: Option<i64>,
    returned_ore: i64,
    submitted_at: i64,
}

/// One budget line as stored.
#[derive(sqlx::FromRow)]
struct StoredLine {
    text: String,
    amount_ore: i64,
    actual_ore: Option<i64>,
}

/// An application's money before a decision or report: asked (or granted), and its year.
#[derive(sqlx::FromRow)]
struct Amounts {
    amount: i64,
    pool_year_id: i64,
}

pub async fn application(
    pool: &AnyPool,
    id: ApplicationId,
) -> Result<Option<ApplicationRow>, DbError> {
    let Some(r) = sqlx::query_as::<_, StoredApplication>(
        "SELECT a.id, y.year, y.id AS year_id, y.council_id, a.applicant_id, u.first_name, a.title, \
         a.activity, a.audience, a.participants, a.activity_date, a.place, a.members, a.asked_ore, \
         a.status, a.granted_ore, a.explanation, a.conditions, a.votes_for, a.votes_against, \
         a.votes_abstain, a.decided_at, a.report, a.report_participants, a.returned_ore, a.submitted_at \
         FROM pool_applications a JOIN pool_years y ON y.id = a.pool_year_id JOIN users u ON u.id = a.applicant_id \
         WHERE a.id = $1",
    )
    .bind(id)
    .fetch_optional(pool)
    .await?
    else {
        return Ok(None);
    };
    let lines: Vec<StoredLine> = sqlx::query_as(
        "SELECT text, amount_ore, actual_ore FROM pool_budget_lines WHERE application_id = $1 ORDER BY position",
    )
    .bind(id)
    .fetch_all(pool)
    .await?;
    let votes = match (r.votes_for, r.votes_against, r.votes_abstain) {
        (Some(a), Some(b), Some(c)) => Some((a, b, c)),
        _ => None,
    };
    let report = match (r.report, r.report_participants) {
        (Some(text), Some(participants)) => Some(Report {
            text,
            participants,
            actual: lines.iter().map(|l| l.actual_ore.unwrap_or(0)).collect(),
        }),
        _ => None,
    };
    Ok(Some(ApplicationRow {
        id: r.id,
        year: r.year as i32,
        year_id: r.year_id,
        council: r.council_id,
        applicant_id: r.applicant_id,
        applicant: r.first_name,
        app: Application {
            title: r.title,
            activity: r.activity,
            audience: r.audience,
            participants: r.participants,
            date: r.activity_date.0,
            place: r.place,
            members: r.members,
            amount: r.asked_ore,
            lines: lines
                .into_iter()
                .map(|l| BudgetLine {
                    text: l.text,
                    amount: l.amount_ore,
                    actual: l.actual_ore,
                })
                .collect(),
        },
        status: r.status,
        granted: r.granted_ore,
        explanation: r.explanation,
        conditions: r.conditions,
        votes,
        decided_at: r.decided_at.map(to_datetime),
        report,
        returned: r.returned_ore,
        submitted_at: to_datetime(r.submitted_at),
    }))
}

/// Records the decision, resting on `vote` (a closed, passed vote on an agenda item about
/// the application; the database refuses any other and stores that vote's tally). A grant first takes the money from the year's balance with a
/// conditional UPDATE — refused when the balance does not cover it — then marks the
/// application (only if still undecided) and appends the ledger entry; all or nothing.
pub async fn decide(
    pool: &AnyPool,
    id: i64,
    decision: &Decision,
    vote: VoteId,
    actor: UserId,
    at: DateTime<Utc>,
) -> Result<i64, DbError> {
    let mut tx = super::write_tx(pool).await?;
    let granted = decide_tx(&mut tx, id, decision, vote, actor, at).await?;
    tx.commit().await?;
    Ok(granted)
}

/// [`decide`] inside a transaction the caller commits (with its audit entry).
pub async fn decide_tx(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    id: i64,
    decision: &Decision,
    vote: VoteId,
    actor: UserId,
    at: DateTime<Utc>,
) -> Result<i64, DbError> {
    let at = at.timestamp_micros();
    // These never change. (A write transaction holds SQLite's write lock from its start,
    // so reading first cannot fail to upgrade a read lock.)
    let Amounts {
        amount: asked,
        pool_year_id: year_id,
    } = sqlx::query_as(
        "SELECT asked_ore AS amount, pool_year_id FROM pool_applications WHERE id = $1",
    )
    .bind(id)
    .fetch_one(&mut **tx)
    .await?;
    let granted = decision.granted(asked);
    if granted > 0 {
        let taken = sqlx::query(
            "UPDATE pool_years SET granted_ore = granted_ore + $1 \
             WHERE id = $2 AND amount_ore - granted_ore + returned_ore + corrected_ore >= $3",
        )
        .bind(granted)
        .bind(year_id)
        .bind(granted)
        .execute(&mut **tx)
        .await?
        .rows_affected();
        if taken != 1 {
            return Err(DbError::Conflict(Msg::PoolTooLittleLeft));
        }
    }
    let (explanation, conditions) = match decision {
        Decision::Bevilget { conditions } => (None, conditions.clone()),
        Decision::Delvist {
            explanation,
            conditions,
            ..
        } => (Some(explanation.clone()), conditions.clone()),
        Decision::Afslaaet { explanation } => (Some(explanation.clone()), None),
    };
    let marked = sqlx::query(
        "UPDATE pool_applications SET status = $1, granted_ore = $2, explanation = $3, conditions = $4, \
         vote_id = $5, votes_for = (SELECT yes FROM votes WHERE id = $5), \
         votes_against = (SELECT no FROM votes WHERE id = $5), votes_abstain = (SELECT abstain FROM votes WHERE id = $5), \
         decided_by = $6, decided_at = $7 WHERE id = $8 AND status = 'submitted'",
    )
    .bind(decision.status().as_str())
    .bind(granted)
    .bind(explanation)
    .bind(conditions)
    .bind(vote.0)
    .bind(actor.0)
    .bind(at)
    .bind(id)
    .execute(&mut **tx)
    .await
    .map_err(|e| match &e {
        sqlx::Error::Database(d) if d.message().contains("needs a passed vote") => DbError::Conflict(
            Msg::PoolDecisionNeedsVote,
        ),
        _ => e.into(),
    })?
    .rows_affected();
    if marked != 1 {
        return Err(DbError::Conflict(Msg::ApplicationDecided));
    }
    if granted > 0 {
        append_entry(tx, year_id, Some(id), "grant", granted, None, actor, at).await?;
    }
    Ok(granted)
}

/// Files the report-back: actual spend per line, and unspent money back to the pool.
pub async fn file_report(
    pool: &AnyPool,
    id: i64,
    report: &Report,
    actor: UserId,
    at: DateTime<Utc>,
) -> Result<i64, DbError> {
    let mut tx = super::write_tx(pool).await?;
    let unspent = file_report_tx(&mut tx, id, report, actor, at).await?;
    tx.commit().await?;
    Ok(unspent)
}

/// [`file_report`] inside a transaction the caller commits (with its audit entry).
pub async fn file_report_tx(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    id: i64,
    report: &Report,
    actor: UserId,
    at: DateTime<Utc>,
) -> Result<i64, DbError> {
    let at = at.timestamp_micros();
    // A decided grant never changes (a trigger keeps it so).
    let Amounts {
        amount: granted,
        pool_year_id: year_id,
    } = sqlx::query_as(
        "SELECT granted_ore AS amount, pool_year_id FROM pool_applications WHERE id = $1",
    )
    .bind(id)
    .fetch_one(&mut **tx)
    .await?;
    let unspent = report.unspent(granted);
    let filed = sqlx::query(
        "UPDATE pool_applications SET report = $1, report_participants = $2, reported_at = $3, returned_ore = $4 \
         WHERE id = $5 AND reported_at IS NULL AND status IN ('granted', 'partly_granted')",
    )
    .bind(&report.text)
    .bind(report.participants)
    .bind(at)
    .bind(unspent)
    .bind(id)
    .execute(&mut **tx)
    .await?
    .rows_affected();
    if filed != 1 {
        return Err(DbError::Conflict(Msg::ReportSent));
    }
    for (i, spent) in report.actual.iter().enumerate() {
        sqlx::query(
            "UPDATE pool_budget_lines SET actual_ore = $1 WHERE application_id = $2 AND position = $3",
        )
        .bind(*spent)
        .bind(id)
        .bind(i as i64 + 1)
        .execute(&mut **tx)
        .await?;
    }
    if unspent > 0 {
        sqlx::query("UPDATE pool_years SET returned_ore = returned_ore + $1 WHERE id = $2")
            .bind(unspent)
            .bind(year_id)
            .execute(&mut **tx)
            .await?;
        append_entry(
            tx,
            year_id,
            Some(id),
            "return",
            unspent,
            Some("Ubrugte penge tilbage til puljen"),
            actor,
            at,
        )
        .await?;
    }
    Ok(unspent)
}

/// A correction by the coordinator (signed), never below zero.
pub async fn correct(
    pool: &AnyPool,
    year_id: i64,
    delta: i64,
    note: &str,
    actor: UserId,
) -> Result<(), DbError> {
    let at = now_micros();
    let mut tx = super::write_tx(pool).await?;
    let done = sqlx::query(
        "UPDATE pool_years SET corrected_ore = corrected_ore + $1 \
         WHERE id = $2 AND amount_ore - granted_ore + returned_ore + corrected_ore + $3 >= 0",
    )
    .bind(delta)
    .bind(year_id)
    .bind(delta)
    .execute(&mut *tx)
    .await?
    .rows_affected();
    if done != 1 {
        return Err(DbError::Conflict(Msg::BalanceNegative));
    }
    append_entry(
        &mut tx,
        year_id,
        None,
        "correction",
        delta,
        Some(note),
        actor,
        at,
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Appends a ledger entry with the year's balance after it (the totals are already updated
/// in the same transaction).
#[allow(clippy::too_many_arguments)]
async fn append_entry(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    year_id: i64,
    application: Option<i64>,
    kind: &str,
    amount: i64,
    note: Option<&str>,
    actor: UserId,
    at: i64,
) -> Result<(), DbError> {
    sqlx::query(
        "INSERT INTO pool_ledger (pool_year_id, application_id, kind, amount_ore, balance_ore, note, actor_id, at) \
         SELECT id, $1, $2, $3, amount_ore - granted_ore + returned_ore + corrected_ore, $4, $5, $6 \
         FROM pool_years WHERE id = $7",
    )
    .bind(application)
    .bind(kind)
    .bind(amount)
    .bind(note)
    .bind(actor.0)
    .bind(at)
    .bind(year_id)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// One row of [`SUMMARY_COLUMNS`].
#[derive(sqlx::FromRow)]
struct SummaryRow {
    id: i64,
    title: String,
    asked_ore: i64,
    granted_ore: i64,
    status: ApplicationStatus,
    activity_date: Day,
    decided_at: Option<i64>,
    reported_at: Option<i64>,
}

fn summary(r: SummaryRow, today: NaiveDate) -> ApplicationSummary {
    let date = r.activity_date.0;
    ApplicationSummary {
        id: r.id,
        title: r.title,
        asked: r.asked_ore,
        granted: r.granted_ore,
        status: r.status,
        date,
        decided_at: r.decided_at.map(to_datetime),
        report: ReportState::of(date, r.reported_at.is_some(), today),
    }
}

const SUMMARY_COLUMNS: &str =
    "id, title, asked_ore, granted_ore, status, activity_date, decided_at, reported_at";

/// Applications of a year with status in `statuses`, in decision/submission order.
pub async fn list(
    pool: &AnyPool,
    year_id: i64,
    granted: bool,
    today: NaiveDate,
) -> Result<Vec<ApplicationSummary>, DbError> {
    let sql = if granted {
        format!(
            "SELECT {SUMMARY_COLUMNS} FROM pool_applications WHERE pool_year_id = $1 \
             AND status IN ('granted', 'partly_granted') ORDER BY decided_at, id LIMIT 1000"
        )
    } else {
        format!(
            "SELECT {SUMMARY_COLUMNS} FROM pool_applications WHERE pool_year_id = $1 \
             AND status = 'submitted' ORDER BY submitted_at, id LIMIT 1000"
        )
    };
    let rows: Vec<SummaryRow> = sqlx::query_as(&sql).bind(year_id).fetch_all(pool).await?;
    Ok(rows.into_iter().map(|t| summary(t, today)).collect())
}

/// `user`'s applications (all years), newest first.
pub async fn mine(
    pool: &AnyPool,
    user: UserId,
    today: NaiveDate,
) -> Result<Vec<ApplicationSummary>, DbError> {
    let rows: Vec<SummaryRow> = sqlx::query_as(&format!(
        "SELECT {SUMMARY_COLUMNS} FROM pool_applications WHERE applicant_id = $1 ORDER BY id DESC LIMIT 100"
    ))
    .bind(user.0)
    .fetch_all(pool)
    .await?;
    Ok(rows.into_iter().map(|t| summary(t, today)).collect())
}

/// What the money became: (application id, title, report, participants), newest first.
pub async fn reports(
    pool: &AnyPool,
    year_id: i64,
) -> Result<Vec<(i64, String, String, i64)>, DbError> {
    #[derive(sqlx::FromRow)]
    struct ReportRow {
        id: i64,
        title: String,
        report: String,
        report_participants: i64,
    }
    let rows: Vec<ReportRow> = sqlx::query_as(
        "SELECT id, title, report, report_participants FROM pool_applications \
         WHERE pool_year_id = $1 AND reported_at IS NOT NULL ORDER BY reported_at DESC, id LIMIT 200",
    )
    .bind(year_id)
    .fetch_all(pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| (r.id, r.title, r.report, r.report_participants))
        .collect())
}

/// One ledger entry.
#[derive(Debug, Clone)]
pub struct LedgerEntry {
    pub at: DateTime<Utc>,
    pub kind: String,
    pub application: Option<i64>,
    pub title: Option<String>,
    pub amount: i64,
    pub balance: i64,
    pub note: Option<String>,
}

/// The year's ledger, oldest first.
pub async fn ledger(pool: &AnyPool, year_id: i64) -> Result<Vec<LedgerEntry>, DbError> {
    #[derive(sqlx::FromRow)]
    struct LedgerRow {
        at: i64,
        kind: String,
        application_id: Option<i64>,
        title: Option<String>,
        amount_ore: i64,
        balance_ore: i64,
        note: Option<String>,
    }
    let rows: Vec<LedgerRow> = sqlx::query_as(
        "SELECT l.at, l.kind, l.application_id, a.title, l.amount_ore, l.balance_ore, l.note \
         FROM pool_ledger l LEFT JOIN pool_applications a ON a.id = l.application_id \
         WHERE l.pool_year_id = $1 ORDER BY l.id LIMIT 100000",
    )
    .bind(year_id)
    .fetch_all(pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| LedgerEntry {
            at: to_datetime(r.at),
            kind: r.kind,
            application: r.application_id,
            title: r.title,
            amount: r.amount_ore,
            balance: r.balance_ore,
            note: r.note,
        })
        .collect())
}

/// Saves `user`'s draft (the form as typed, JSON), replacing an earlier one.
pub async fn save_draft(pool: &AnyPool, user: UserId, json: &str) -> Result<(), DbError> {
    sqlx::query(
        "INSERT INTO pool_drafts (user_id, body, updated_at) VALUES ($1, $2, $3) \
         ON CONFLICT (user_id) DO UPDATE SET body = excluded.body, updated_at = excluded.updated_at",
    )
    .bind(user.0)
    .bind(json)
    .bind(now_micros())
    .execute(pool)
    .await?;
    Ok(())
}

pub async fn draft(pool: &AnyPool, user: UserId) -> Result<Option<String>, DbError> {
    Ok(
        sqlx::query_scalar("SELECT body FROM pool_drafts WHERE user_id = $1")
            .bind(user.0)
            .fetch_optional(pool)
            .await?,
    )
}

pub async fn delete_draft(pool: &AnyPool, user: UserId) -> Result<(), DbError> {
    sqlx::query("DELETE FROM pool_drafts WHERE user_id = $1")
        .bind(user.0)
        .execute(pool)
        .await?;
    Ok(())
}
