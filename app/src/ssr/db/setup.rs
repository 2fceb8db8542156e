//! Setting a municipality up: councils, committees and schools as the coordinator manages
//! them (create, rename, archive — never delete what has history), dated memberships and
//! committee seats, and the counts behind the setup checklist.
use super::decode::Day;
use super::time::{now_micros, today};
use super::{is_unique_violation, DbError};
use crate::domain::account::{CouncilKind, RoleKind};
use crate::domain::ids::{CommitteeId, CouncilId, SchoolId, UserId};
use crate::domain::message::Msg;
use crate::domain::setup::{CommitteeAdmin, CouncilAdmin, Membership, SchoolAdmin, SetupCounts};
use chrono::NaiveDate;
use sqlx::{AnyPool, FromRow};

const MEMBER_ROLES: &str = "('ungeraadsmedlem', 'elevraadsmedlem', 'elevraadsformand')";

fn iso(d: NaiveDate) -> String {
    d.format("%Y-%m-%d").to_string()
}

fn conflict(what: Msg) -> impl Fn(sqlx::Error) -> DbError {
    move |e| {
        if is_unique_violation(&e) {
            DbError::Conflict(what.clone())
        } else {
            e.into()
        }
    }
}

#[derive(FromRow)]
struct CouncilRow {
    id: i64,
    kind: CouncilKind,
    name: String,
    school_id: Option<i64>,
    min_age: Option<i64>,
    max_age: Option<i64>,
    archived_at: Option<i64>,
    names_public: i64,
}

#[derive(FromRow)]
struct MemberRow {
    body_id: i64,
    user_id: i64,
    first_name: String,
    post: String,
    starts_on: Day,
    ends_on: Option<Day>,
}

fn membership(r: MemberRow, today: NaiveDate) -> Membership {
    let (starts_on, ends_on) = (r.starts_on.0, r.ends_on.map(|d| d.0));
    let active = starts_on <= today && ends_on.is_none_or(|e| e >= today);
    Membership {
        user_id: UserId(r.user_id),
        first_name: r.first_name,
        post: r.post,
        starts_on,
        ends_on,
        active,
    }
}

/// Every council with its members (current and past), in two queries.
pub async fn councils(pool: &AnyPool) -> Result<Vec<CouncilAdmin>, DbError> {
    let rows: Vec<CouncilRow> = sqlx::query_as(
        "SELECT id, kind, name, school_id, min_age, max_age, archived_at, names_public FROM councils \
         ORDER BY archived_at IS NOT NULL, kind, name",
    )
    .fetch_all(pool)
    .await?;
    let members: Vec<MemberRow> = sqlx::query_as(&format!(
        "SELECT r.council_id AS body_id, u.id AS user_id, u.first_name, \
         COALESCE((SELECT MIN(o.position) FROM council_officers o WHERE o.council_id = r.council_id AND o.user_id = u.id), \
                  CASE WHEN r.role = 'elevraadsformand' THEN 'chair' ELSE '' END) AS post, \
         r.starts_on, r.ends_on \
         FROM user_roles r JOIN users u ON u.id = r.user_id \
         WHERE r.role IN {MEMBER_ROLES} AND r.starts_on IS NOT NULL AND u.status <> 'deleted' \
         ORDER BY r.ends_on DESC, u.first_name"
    ))
    .fetch_all(pool)
    .await?;
    let today = super::decode::date(&today())?;
    let mut out: Vec<CouncilAdmin> = rows
        .into_iter()
        .map(|r| CouncilAdmin {
            id: CouncilId(r.id),
            kind: r.kind,
            name: r.name,
            school_id: r.school_id.map(SchoolId),
            min_age: r.min_age.map(|a| a as i32),
            max_age: r.max_age.map(|a| a as i32),
            archived: r.archived_at.is_some(),
            names_public: r.names_public == 1,
            members: Vec::new(),
        })
        .collect();
    for m in members {
        if let Some(c) = out.iter_mut().find(|c| c.id.0 == m.body_id) {
            c.members.push(membership(m, today));
        }
    }
    Ok(out)
}

/// One council's kind, name and age range (archived or not).
pub async fn council(pool: &AnyPool, id: CouncilId) -> Result<Option<CouncilAdmin>, DbError> {
    let row: Option<CouncilRow> = sqlx::query_as(
        "SELECT id, kind, name, school_id, min_age, max_age, archived_at, names_public FROM councils WHERE id = $1",
    )
    .bind(id.0)
    .fetch_optional(pool)
    .await?;
    Ok(row.map(|r| CouncilAdmin {
        id: CouncilId(r.id),
        kind: r.kind,
        name: r.name,
        school_id: r.school_id.map(SchoolId),
        min_age: r.min_age.map(|a| a as i32),
        max_age: r.max_age.map(|a| a as i32),
        archived: r.archived_at.is_some(),
        names_public: r.names_public == 1,
        members: Vec::new(),
    }))
}

/// Creates a council. An elevråd needs its school; the others have none.
pub async fn create_council(
    pool: &AnyPool,
    kind: CouncilKind,
    name: &str,
    school: Option<SchoolId>,
    ages: (Option<i32>, Option<i32>),
) -> Result<CouncilId, DbError> {
    let mut tx = super::write_tx(pool).await?;
    let id = create_council_tx(&mut tx, kind, name, school, ages).await?;
    tx.commit().await?;
    Ok(id)
}

/// [`create_council`] inside a transaction the caller commits (with its audit entry).
pub async fn create_council_tx(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    kind: CouncilKind,
    name: &str,
    school: Option<SchoolId>,
    ages: (Option<i32>, Option<i32>),
) -> Result<CouncilId, DbError> {
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO councils (kind, name, school_id, created_at, min_age, max_age) \
         VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
    )
    .bind(kind.as_str())
    .bind(name)
    .bind(school.map(|s| s.0))
    .bind(now_micros())
    .bind(ages.0.map(i64::from))
    .bind(ages.1.map(i64::from))
    .fetch_one(&mut **tx)
    .await
    .map_err(conflict(Msg::CouncilNameTaken))?;
    Ok(CouncilId(id))
}

/// Renames a council and sets its age range. False if it does not exist or is archived.
pub async fn update_council_tx(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    id: CouncilId,
    name: &str,
    ages: (Option<i32>, Option<i32>),
) -> Result<bool, DbError> {
    let done = sqlx::query(
        "UPDATE councils SET name = $1, min_age = $2, max_age = $3 WHERE id = $4 AND archived_at IS NULL",
    )
    .bind(name)
    .bind(ages.0.map(i64::from))
    .bind(ages.1.map(i64::from))
    .bind(id.0)
    .execute(&mut **tx)
    .await
    .map_err(conflict(Msg::CouncilNameTaken))?;
    Ok(done.rows_affected() == 1)
}

/// Archives a council: its history stays public, it takes no new proposals or meetings.
/// False if it was already archived (or does not exist).
pub async fn archive_council_tx(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    id: CouncilId,
) -> Result<bool, DbError> {
    let done =
        sqlx::query("UPDATE councils SET archived_at = $1 WHERE id = $2 AND archived_at IS NULL")
            .bind(now_micros())
            .bind(id.0)
            .execute(&mut **tx)
            .await?;
    Ok(done.rows_affected() == 1)
}

/// Is the council archived? None if it does not exist.
pub async fn council_archived(pool: &AnyPool, id: CouncilId) -> Result<Option<bool>, DbError> {
    let row: Option<Option<i64>> =
        sqlx::query_scalar("SELECT archived_at FROM councils WHERE id = $1")
            .bind(id.0)
            .fetch_optional(pool)
            .await?;
    Ok(row.map(|a| a.is_some()))
}

/// Appoints `user` to a council role for a dated term; appointing again changes the dates.
/// Returns true if the person was new to the role in this council.
pub async fn appoint(
    pool: &AnyPool,
    user: UserId,
    role: RoleKind,
    council: CouncilId,
    term: (NaiveDate, NaiveDate),
    by: UserId,
) -> Result<bool, DbError> {
    let mut tx = super::write_tx(pool).await?;
    let new = appoint_tx(&mut tx, user, role, council, term, by).await?;
    tx.commit().await?;
    Ok(new)
}

/// [`appoint`] inside a transaction the caller commits (with its audit entry).
pub async fn appoint_tx(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    user: UserId,
    role: RoleKind,
    council: CouncilId,
    term: (NaiveDate, NaiveDate),
    by: UserId,
) -> Result<bool, DbError> {
    use chrono::Datelike;
    let (start, end) = term;
    // Update-or-insert, one request at a time (two at once would both insert).
    super::lock(
        tx,
        &format!("appoint:{}:{}:{}", user.0, role.as_str(), council.0),
    )
    .await?;
    let tx: &mut sqlx::AnyConnection = tx;
    let changed = sqlx::query(
        "UPDATE user_roles SET starts_on = $1, ends_on = $2, term_start = $3, term_end = $4, granted_by = $5, granted_at = $6 \
         WHERE user_id = $7 AND role = $8 AND council_id = $9",
    )
    .bind(iso(start))
    .bind(iso(end))
    .bind(i64::from(start.year()))
    .bind(i64::from(end.year()))
    .bind(by.0)
    .bind(now_micros())
    .bind(user.0)
    .bind(role.as_str())
    .bind(council.0)
    .execute(&mut *tx)
    .await?
    .rows_affected();
    let new = changed == 0;
    if new {
        sqlx::query(
            "INSERT INTO user_roles (user_id, role, council_id, term_start, term_end, granted_by, granted_at, starts_on, ends_on) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
        )
        .bind(user.0)
        .bind(role.as_str())
        .bind(council.0)
        .bind(i64::from(start.year()))
        .bind(i64::from(end.year()))
        .bind(by.0)
        .bind(now_micros())
        .bind(iso(start))
        .bind(iso(end))
        .execute(&mut *tx)
        .await
        .map_err(conflict(Msg::RoleInCouncilTaken))?;
    }
    Ok(new)
}

/// Ends a council membership: the last day is yesterday (or the start day, for a term that
/// had not begun), so the person stops voting today. False if there was no active term.
pub async fn end_membership_tx(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    user: UserId,
    council: CouncilId,
) -> Result<bool, DbError> {
    let today = today();
    let yesterday = iso(super::decode::date(&today)?.pred_opt().unwrap_or_default());
    let done = sqlx::query(&format!(
        "UPDATE user_roles SET ends_on = CASE WHEN starts_on > $1 THEN starts_on ELSE $2 END \
         WHERE user_id = $3 AND council_id = $4 AND role IN {MEMBER_ROLES} AND ends_on >= $5"
    ))
    .bind(yesterday.clone())
    .bind(yesterday)
    .bind(user.0)
    .bind(council.0)
    .bind(today)
    .execute(&mut **tx)
    .await?;
    Ok(done.rows_affected() > 0)
}

/// Every committee with its politicians (current and past), in two queries.
pub async fn committees(
    pool: &AnyPool,
    default: Option<i64>,
) -> Result<Vec<CommitteeAdmin>, DbError> {
    #[derive(sqlx::FromRow)]
    struct CommitteeRow {
        id: i64,
        name: String,
        archived_at: Option<i64>,
    }
    let rows: Vec<CommitteeRow> = sqlx::query_as(
        "SELECT id, name, archived_at FROM committees ORDER BY archived_at IS NOT NULL, name",
    )
    .fetch_all(pool)
    .await?;
    let members: Vec<MemberRow> = sqlx::query_as(
        "SELECT m.committee_id AS body_id, u.id AS user_id, u.first_name, '' AS post, m.starts_on, m.ends_on \
         FROM committee_members m JOIN users u ON u.id = m.user_id WHERE u.status <> 'deleted' \
         ORDER BY u.first_name",
    )
    .fetch_all(pool)
    .await?;
    let today = super::decode::date(&today())?;
    let mut out: Vec<CommitteeAdmin> = rows
        .into_iter()
        .map(|r| CommitteeAdmin {
            id: r.id,
            name: r.name,
            archived: r.archived_at.is_some(),
            is_default: default == Some(r.id),
            members: Vec::new(),
        })
        .collect();
    for m in members {
        if let Some(c) = out.iter_mut().find(|c| c.id == m.body_id) {
            c.members.push(membership(m, today));
        }
    }
    Ok(out)
}

/// Active committees (id, name), by name: where a council may forward a proposal.
pub async fn active_committees(pool: &AnyPool) -> Result<Vec<(CommitteeId, String)>, DbError> {
    #[derive(sqlx::FromRow)]
    struct ActiveCommittee {
        id: CommitteeId,
        name: String,
    }
    let rows: Vec<ActiveCommittee> =
        sqlx::query_as("SELECT id, name FROM committees WHERE archived_at IS NULL ORDER BY name")
            .fetch_all(pool)
            .await?;
    Ok(rows.into_iter().map(|r| (r.id, r.name)).collect())
}

pub async fn create_committee_tx(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    name: &str,
) -> Result<i64, DbError> {
    sqlx::query_scalar("INSERT INTO committees (name, created_at) VALUES ($1, $2) RETURNING id")
        .bind(name)
        .bind(now_micros())
        .fetch_one(&mut **tx)
        .await
        .map_err(conflict(Msg::CommitteeNameTaken))
}

/// Renames an active committee. Proposals already forwarded keep the name they were sent
/// under (their timeline says so). False if it does not exist or is archived.
pub async fn rename_committee_tx(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    id: CommitteeId,
    name: &str,
) -> Result<bool, DbError> {
    let done = sqlx::query("UPDATE committees SET name = $1 WHERE id = $2 AND archived_at IS NULL")
        .bind(name)
        .bind(id)
        .execute(&mut **tx)
        .await
        .map_err(conflict(Msg::CommitteeNameTaken))?;
    Ok(done.rows_affected() == 1)
}

pub async fn archive_committee_tx(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    id: CommitteeId,
) -> Result<bool, DbError> {
    let done =
        sqlx::query("UPDATE committees SET archived_at = $1 WHERE id = $2 AND archived_at IS NULL")
            .bind(now_micros())
            .bind(id)
            .execute(&mut **tx)
            .await?;
    Ok(done.rows_affected() == 1)
}

/// Is there an active committee with this id?
pub async fn committee_active(pool: &AnyPool, id: CommitteeId) -> Result<bool, DbError> {
    let n: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM committees WHERE id = $1 AND archived_at IS NULL")
            .bind(id)
            .fetch_one(pool)
            .await?;
    Ok(n > 0)
}

/// Seats a politician on a committee from `from` (no end yet), and gives them the
/// Politiker role if they lack it — in one transaction. Seating again reopens the seat.
pub async fn seat_politician(
    pool: &AnyPool,
    committee: CommitteeId,
    user: UserId,
    from: NaiveDate,
    by: UserId,
) -> Result<(), DbError> {
    let mut tx = super::write_tx(pool).await?;
    seat_politician_tx(&mut tx, committee, user, from, by).await?;
    tx.commit().await?;
    Ok(())
}

/// [`seat_politician`] inside a transaction the caller commits (with its audit entry).
pub async fn seat_politician_tx(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    committee: CommitteeId,
    user: UserId,
    from: NaiveDate,
    by: UserId,
) -> Result<(), DbError> {
    // Update-or-insert, one request at a time (two at once would both insert).
    super::lock(tx, &format!("seat:{committee}:{}", user.0)).await?;
    let tx: &mut sqlx::AnyConnection = tx;
    let changed = sqlx::query(
        "UPDATE committee_members SET starts_on = $1, ends_on = NULL WHERE committee_id = $2 AND user_id = $3",
    )
    .bind(iso(from))
    .bind(committee)
    .bind(user.0)
    .execute(&mut *tx)
    .await?
    .rows_affected();
    if changed == 0 {
        sqlx::query(
            "INSERT INTO committee_members (committee_id, user_id, starts_on) VALUES ($1, $2, $3)",
        )
        .bind(committee)
        .bind(user.0)
        .bind(iso(from))
        .execute(&mut *tx)
        .await?;
    }
    sqlx::query(
        "INSERT INTO user_roles (user_id, role, granted_by, granted_at) \
         SELECT $1, 'politiker', $2, $3 WHERE NOT EXISTS \
         (SELECT 1 FROM user_roles WHERE user_id = $4 AND role = 'politiker')",
    )
    .bind(user.0)
    .bind(by.0)
    .bind(now_micros())
    .bind(user.0)
    .execute(&mut *tx)
    .await?;
    Ok(())
}

/// Ends a politician's seat: `until` is the last day. False if there was no open seat.
pub async fn unseat_politician_tx(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    committee: CommitteeId,
    user: UserId,
    until: NaiveDate,
) -> Result<bool, DbError> {
    let done = sqlx::query(
        "UPDATE committee_members SET ends_on = CASE WHEN starts_on > $1 THEN starts_on ELSE $2 END \
         WHERE committee_id = $3 AND user_id = $4 AND ends_on IS NULL",
    )
    .bind(iso(until))
    .bind(iso(until))
    .bind(committee)
    .bind(user.0)
    .execute(&mut **tx)
    .await?;
    Ok(done.rows_affected() == 1)
}

pub async fn schools(pool: &AnyPool) -> Result<Vec<SchoolAdmin>, DbError> {
    #[derive(sqlx::FromRow)]
    struct SchoolRow {
        id: SchoolId,
        name: String,
        archived_at: Option<i64>,
        institution_number: Option<String>,
    }
    let rows: Vec<SchoolRow> = sqlx::query_as(
        "SELECT id, name, archived_at, institution_number FROM schools \
         ORDER BY archived_at IS NOT NULL, name",
    )
    .fetch_all(pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| SchoolAdmin {
            id: r.id,
            name: r.name,
            archived: r.archived_at.is_some(),
            institution_number: r.institution_number,
        })
        .collect())
}

/// Sets (or, with None, clears) a school's institution number: None when the school is
/// archived or missing, Some(false) when it had this number already (a second press), and
/// another school's number is a conflict.
pub async fn set_institution_tx(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    id: SchoolId,
    number: Option<&str>,
) -> Result<Option<bool>, DbError> {
    let current: Option<Option<String>> = sqlx::query_scalar(
        "SELECT institution_number FROM schools WHERE id = $1 AND archived_at IS NULL",
    )
    .bind(id.0)
    .fetch_optional(&mut **tx)
    .await?;
    let Some(current) = current else {
        return Ok(None);
    };
    if current.as_deref() == number {
        return Ok(Some(false));
    }
    sqlx::query("UPDATE schools SET institution_number = $1 WHERE id = $2")
        .bind(number)
        .bind(id.0)
        .execute(&mut **tx)
        .await
        .map_err(conflict(Msg::InstitutionTaken))?;
    Ok(Some(true))
}

/// Renames a school and its elevråd (when the elevråd still has the name it was given).
pub async fn rename_school_tx(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    id: SchoolId,
    name: &str,
) -> Result<bool, DbError> {
    let tx: &mut sqlx::AnyConnection = tx;
    let old: Option<String> =
        sqlx::query_scalar("SELECT name FROM schools WHERE id = $1 AND archived_at IS NULL")
            .bind(id.0)
            .fetch_optional(&mut *tx)
            .await?;
    let Some(old) = old else {
        return Ok(false);
    };
    sqlx::query("UPDATE schools SET name = $1 WHERE id = $2")
        .bind(name)
        .bind(id.0)
        .execute(&mut *tx)
        .await
        .map_err(conflict(Msg::SchoolNameTaken))?;
    sqlx::query(
        "UPDATE councils SET name = $1 WHERE school_id = $2 AND kind = 'elevraad' AND name = $3",
    )
    .bind(format!("Elevrådet på {name}"))
    .bind(id.0)
    .bind(format!("Elevrådet på {old}"))
    .execute(&mut *tx)
    .await
    .map_err(conflict(Msg::StudentCouncilNameTaken))?;
    Ok(true)
}

/// Archives a school and its elevråd, together (in the caller's transaction).
pub async fn archive_school_tx(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    id: SchoolId,
) -> Result<bool, DbError> {
    let tx: &mut sqlx::AnyConnection = tx;
    let now = now_micros();
    let done =
        sqlx::query("UPDATE schools SET archived_at = $1 WHERE id = $2 AND archived_at IS NULL")
            .bind(now)
            .bind(id.0)
            .execute(&mut *tx)
            .await?
            .rows_affected();
    sqlx::query(
        "UPDATE councils SET archived_at = $1 WHERE school_id = $2 AND kind = 'elevraad' AND archived_at IS NULL",
    )
    .bind(now)
    .bind(id.0)
    .execute(&mut *tx)
    .await?;
    Ok(done == 1)
}

/// What the setup checklist counts, in one statement.
pub async fn counts(
    pool: &AnyPool,
    year: i32,
    default_committee: Option<i64>,
) -> Result<SetupCounts, DbError> {
    let today = today();
    #[derive(sqlx::FromRow)]
    struct CountsRow {
        profile_named: i64,
        accessibility_contact: i64,
        open_councils: i64,
        council_members: i64,
        councils_with_officer: i64,
        committees: i64,
        politicians: i64,
        pool_year: i64,
    }
    let row: CountsRow = sqlx::query_as(&format!(
        "SELECT \
         (SELECT COUNT(*) FROM settings WHERE key = 'municipality_name' AND value <> '') AS profile_named, \
         (SELECT COUNT(*) FROM settings WHERE key = 'accessibility_contact' AND value <> '') \
            AS accessibility_contact, \
         (SELECT COUNT(*) FROM councils WHERE kind IN ('ungeraad', 'anden') AND archived_at IS NULL) \
            AS open_councils, \
         (SELECT COUNT(*) FROM user_roles r JOIN councils c ON c.id = r.council_id WHERE c.archived_at IS NULL \
            AND r.role IN {MEMBER_ROLES} AND r.starts_on <= $1 AND r.ends_on >= $2) AS council_members, \
         (SELECT COUNT(DISTINCT o.council_id) FROM council_officers o JOIN user_roles r ON r.council_id = o.council_id \
            AND r.user_id = o.user_id JOIN councils c ON c.id = o.council_id WHERE c.archived_at IS NULL \
            AND r.starts_on <= $3 AND r.ends_on >= $4) AS councils_with_officer, \
         (SELECT COUNT(*) FROM committees WHERE archived_at IS NULL) AS committees, \
         (SELECT COUNT(*) FROM committee_members m JOIN committees c ON c.id = m.committee_id \
            WHERE c.archived_at IS NULL AND m.starts_on <= $5 AND (m.ends_on IS NULL OR m.ends_on >= $6)) \
            AS politicians, \
         (SELECT COUNT(*) FROM pool_years WHERE year = $7) AS pool_year"
    ))
    .bind(today.clone())
    .bind(today.clone())
    .bind(today.clone())
    .bind(today.clone())
    .bind(today.clone())
    .bind(today)
    .bind(i64::from(year))
    .fetch_one(pool)
    .await?;
    let default_ok = match default_committee {
        Some(id) => committee_active(pool, CommitteeId(id)).await?,
        None => false,
    };
    Ok(SetupCounts {
        profile_named: row.profile_named > 0,
        accessibility_contact: row.accessibility_contact > 0,
        open_councils: row.open_councils,
        council_members: row.council_members,
        councils_with_officer: row.councils_with_officer,
        committees: row.committees,
        politicians: row.politicians,
        default_committee: default_ok,
        pool_year: row.pool_year > 0,
    })
}

/// A person found by e-mail for an appointment: id, first name, birth year, school.
pub struct Person {
    pub id: UserId,
    pub first_name: String,
    pub birth_year: Option<i32>,
    pub school_id: Option<SchoolId>,
}

pub async fn person_by_email(pool: &AnyPool, email: &str) -> Result<Option<Person>, DbError> {
    #[derive(sqlx::FromRow)]
    struct PersonRow {
        id: UserId,
        first_name: String,
        birth_year: Option<i64>,
        school_id: Option<SchoolId>,
    }
    let row: Option<PersonRow> = sqlx::query_as(
        "SELECT id, first_name, birth_year, school_id FROM users WHERE email = $1 AND status <> 'deleted'",
    )
    .bind(email)
    .fetch_optional(pool)
    .await?;
    Ok(row.map(|r| Person {
        id: r.id,
        first_name: r.first_name,
        birth_year: r.birth_year.map(|y| y as i32),
        school_id: r.school_id,
    }))
}

/// Sets one forwarded proposal's answer deadline, with a public reason, in one transaction:
/// the proposal must still wait for its answer. False when it does not (anymore).
pub async fn change_deadline_tx(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    proposal: crate::domain::ids::ProposalId,
    deadline: chrono::DateTime<chrono::Utc>,
    reason: &str,
    actor: UserId,
) -> Result<bool, DbError> {
    let tx: &mut sqlx::AnyConnection = tx;
    let now = now_micros();
    let old: Option<Option<i64>> = sqlx::query_scalar(
        "SELECT deadline_at FROM proposals WHERE id = $1 AND status = 'forwarded'",
    )
    .bind(proposal.0)
    .fetch_optional(&mut *tx)
    .await?;
    let Some(old) = old else {
        return Ok(false);
    };
    if old == Some(deadline.timestamp_micros()) {
        return Ok(false);
    }
    let done = sqlx::query(
        "UPDATE proposals SET deadline_at = $1, updated_at = $2 WHERE id = $3 AND status = 'forwarded' \
         AND deadline_at = $4",
    )
    .bind(deadline.timestamp_micros())
    .bind(now)
    .bind(proposal.0)
    // The deadline read above: a second identical post (double click) finds it moved and
    // changes nothing, so the timeline gets one entry.
    .bind(old)
    .execute(&mut *tx)
    .await?
    .rows_affected();
    if done != 1 {
        return Ok(false);
    }
    sqlx::query(
        "INSERT INTO proposal_deadline_changes (proposal_id, old_deadline_at, new_deadline_at, reason, actor_id, at) \
         VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(proposal.0)
    .bind(old)
    .bind(deadline.timestamp_micros())
    .bind(reason)
    .bind(actor.0)
    .bind(now)
    .execute(&mut *tx)
    .await?;
    Ok(true)
}
