//! Users and their roles.
use super::time::{now_micros, to_datetime};
use super::{is_unique_violation, DbError};
use crate::domain::account::{
    AccountStatus, CouncilRef, MyData, RoleGrant, RoleKind, SessionUser, UserPage, UserSummary,
};
use crate::domain::ids::{CouncilId, RoleGrantId, SchoolId, UserId};
use crate::domain::message::Msg;
use sqlx::AnyPool;

/// A new account, validated by the domain layer.
pub struct NewUser<'a> {
    pub first_name: &'a str,
    pub email: &'a str,
    pub birth_year: i32,
    pub password_hash: &'a str,
    pub status: AccountStatus,
    pub school_id: Option<SchoolId>,
    /// A young person (13–25, or a pupil): gets the role Ung, and Elev with a school.
    /// Staff accounts (politicians, coordinators, moderators) get neither.
    pub youth: bool,
}

/// What a login needs. Never serialised: it holds the password hash.
#[derive(sqlx::FromRow)]
pub struct LoginRow {
    pub id: UserId,
    pub password_hash: String,
}

/// Creates an account; a young person gets the role Ung (and Elev when attached to a school).
pub async fn create(pool: &AnyPool, user: NewUser<'_>) -> Result<UserId, DbError> {
    let mut tx = super::write_tx(pool).await?;
    let id = create_tx(&mut tx, user).await?;
    tx.commit().await?;
    Ok(id)
}

/// [`create`] inside a transaction the caller commits (with its audit entry).
pub async fn create_tx(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    user: NewUser<'_>,
) -> Result<UserId, DbError> {
    let tx: &mut sqlx::AnyConnection = tx;
    let now = now_micros();
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO users (first_name, email, birth_year, password_hash, status, school_id, \
         created_at, search_name) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
    )
    .bind(user.first_name)
    .bind(user.email)
    .bind(user.birth_year)
    .bind(user.password_hash)
    .bind(user.status.as_str())
    .bind(user.school_id.map(|s| s.0))
    .bind(now)
    .bind(user.first_name.to_lowercase())
    .fetch_one(&mut *tx)
    .await
    .map_err(|e| {
        if is_unique_violation(&e) {
            DbError::Conflict(Msg::EmailTaken)
        } else {
            e.into()
        }
    })?;
    youth_roles_tx(tx, UserId(id), user.youth, user.school_id.is_some(), now).await?;
    Ok(UserId(id))
}

/// A young person gets the role Ung, and Elev when attached to a school.
async fn youth_roles_tx(
    tx: &mut sqlx::AnyConnection,
    id: UserId,
    youth: bool,
    pupil: bool,
    now: i64,
) -> Result<(), DbError> {
    let mut roles = Vec::new();
    if youth {
        roles.push(RoleKind::Ung);
        if pupil {
            roles.push(RoleKind::Elev);
        }
    }
    for role in roles {
        sqlx::query("INSERT INTO user_roles (user_id, role, granted_at) VALUES ($1, $2, $3)")
            .bind(id.0)
            .bind(role.as_str())
            .bind(now)
            .execute(&mut *tx)
            .await?;
    }
    Ok(())
}

/// A young person's account made from a login at an identity provider: no password; the
/// e-mail address only when the provider verified it (and no other account has it).
pub struct NewLoginUser<'a> {
    pub first_name: &'a str,
    pub email: Option<&'a str>,
    pub birth_year: Option<i32>,
    pub status: AccountStatus,
    pub school_id: Option<SchoolId>,
}

/// Creates the account of [`NewLoginUser`] with its roles (Ung, and Elev at a school)
/// inside the caller's transaction.
pub async fn create_from_login_tx(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    user: NewLoginUser<'_>,
) -> Result<UserId, DbError> {
    let tx: &mut sqlx::AnyConnection = tx;
    let now = now_micros();
    let email = match user.email {
        Some(e) => {
            let taken: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM users WHERE email = $1")
                .bind(e)
                .fetch_one(&mut *tx)
                .await?;
            (taken == 0).then_some(e)
        }
        None => None,
    };
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO users (first_name, email, birth_year, password_hash, status, school_id, \
         created_at, search_name, email_verified_at) \
         VALUES ($1, $2, $3, NULL, $4, $5, $6, $7, $8) RETURNING id",
    )
    .bind(user.first_name)
    .bind(email)
    .bind(user.birth_year)
    .bind(user.status.as_str())
    .bind(user.school_id.map(|s| s.0))
    .bind(now)
    .bind(user.first_name.to_lowercase())
    .bind(email.map(|_| now))
    .fetch_one(&mut *tx)
    .await?;
    youth_roles_tx(tx, UserId(id), true, user.school_id.is_some(), now).await?;
    Ok(UserId(id))
}

pub async fn find_login(pool: &AnyPool, email: &str) -> Result<Option<LoginRow>, DbError> {
    Ok(sqlx::query_as(
        "SELECT id, password_hash FROM users WHERE email = $1 AND status <> 'deleted' \
         AND password_hash IS NOT NULL",
    )
    .bind(email)
    .fetch_optional(pool)
    .await?)
}

pub async fn password_hash(pool: &AnyPool, id: UserId) -> Result<Option<String>, DbError> {
    let h: Option<Option<String>> =
        sqlx::query_scalar("SELECT password_hash FROM users WHERE id = $1")
            .bind(id.0)
            .fetch_optional(pool)
            .await?;
    Ok(h.flatten())
}

pub async fn set_password(pool: &AnyPool, id: UserId, hash: &str) -> Result<(), DbError> {
    sqlx::query("UPDATE users SET password_hash = $1 WHERE id = $2 AND status <> 'deleted'")
        .bind(hash)
        .bind(id.0)
        .execute(pool)
        .await?;
    Ok(())
}

/// [`set_password`] inside a transaction the caller commits (a password reset by mail).
pub async fn set_password_tx(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    id: UserId,
    hash: &str,
) -> Result<(), DbError> {
    sqlx::query("UPDATE users SET password_hash = $1 WHERE id = $2 AND status <> 'deleted'")
        .bind(hash)
        .bind(id.0)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// The account facts a session shows: one row, read by id or by session.
#[derive(sqlx::FromRow)]
struct SessionRow {
    id: i64,
    first_name: String,
    status: AccountStatus,
    school_id: Option<SchoolId>,
    teacher_school: Option<SchoolId>,
    unread: i64,
    expiry_date: i64,
}

/// The columns of [`SessionRow`] but `expiry_date`, from `users`.
const SESSION_COLUMNS: &str = "users.id, users.first_name, users.status, users.school_id, \
     (SELECT t.school_id FROM teachers t WHERE t.user_id = users.id) AS teacher_school, \
     (SELECT COUNT(*) FROM notifications n WHERE n.user_id = users.id AND n.read_at IS NULL) \
     AS unread";

/// The logged-in person with their role kinds, or None if the account is gone.
pub async fn session_user(pool: &AnyPool, id: UserId) -> Result<Option<SessionUser>, DbError> {
    let row: Option<SessionRow> = sqlx::query_as(&format!(
        "SELECT {SESSION_COLUMNS}, CAST(0 AS BIGINT) AS expiry_date FROM users \
         WHERE id = $1 AND status <> 'deleted'"
    ))
    .bind(id.0)
    .fetch_optional(pool)
    .await?;
    match row {
        Some(row) => Ok(Some(with_roles(pool, row).await?)),
        None => Ok(None),
    }
}

/// The person logged in with the session `session_id` (a session cookie's value) and when
/// the session expires (µs), or None for an unknown, expired or anonymous session or a
/// deleted account: the same person `session_user` gives, in two queries without going
/// through the session layer (the page cache serves logged-in people this way).
pub async fn session_user_by_session(
    pool: &AnyPool,
    session_id: &str,
) -> Result<Option<(SessionUser, i64)>, DbError> {
    let row: Option<SessionRow> = sqlx::query_as(&format!(
        "SELECT {SESSION_COLUMNS}, s.expiry_date FROM sessions s JOIN users ON users.id = s.user_id \
         WHERE s.id = $1 AND s.expiry_date > $2 AND users.status <> 'deleted'"
    ))
    .bind(session_id)
    .bind(now_micros())
    .fetch_optional(pool)
    .await?;
    match row {
        Some(row) => {
            let expiry = row.expiry_date;
            Ok(Some((with_roles(pool, row).await?, expiry)))
        }
        None => Ok(None),
    }
}

/// The session user of `row`, with the role kinds read in a second query.
async fn with_roles(pool: &AnyPool, row: SessionRow) -> Result<SessionUser, DbError> {
    let SessionRow {
        id,
        first_name,
        status,
        school_id,
        teacher_school,
        unread,
        expiry_date: _,
    } = row;
    let mut roles: Vec<RoleKind> = sqlx::query_scalar(
        "SELECT role FROM user_roles WHERE user_id = $1 GROUP BY role ORDER BY MIN(id)",
    )
    .bind(id)
    .fetch_all(pool)
    .await?;
    // A teacher's school is the person's school (a teacher is not also a pupil).
    let school_id = match teacher_school {
        Some(school) => {
            roles.push(RoleKind::Laerer);
            Some(school)
        }
        None => school_id,
    };
    Ok(SessionUser {
        id: UserId(id),
        first_name,
        status,
        roles,
        school_id,
        unread,
    })
}

/// One role grant with its council's name.
#[derive(sqlx::FromRow)]
struct RoleRow {
    id: i64,
    user_id: i64,
    role: RoleKind,
    council_id: Option<i64>,
    council_name: Option<String>,
    term_start: Option<i32>,
    term_end: Option<i32>,
}

/// Role grants of several users in one query (no N+1).
async fn grants_of(pool: &AnyPool, ids: &[i64]) -> Result<Vec<(UserId, RoleGrant)>, DbError> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let placeholders: Vec<String> = (1..=ids.len()).map(|i| format!("${i}")).collect();
    let sql = format!(
        "SELECT r.id, r.user_id, r.role, r.council_id, c.name AS council_name, r.term_start, r.term_end \
         FROM user_roles r LEFT JOIN councils c ON c.id = r.council_id \
         WHERE r.user_id IN ({}) ORDER BY r.id",
        placeholders.join(", ")
    );
    let mut q = sqlx::query_as::<_, RoleRow>(&sql);
    for id in ids {
        q = q.bind(*id);
    }
    let rows = q.fetch_all(pool).await?;
    Ok(rows
        .into_iter()
        .map(
            |RoleRow {
                 id,
                 user_id,
                 role,
                 council_id,
                 council_name,
                 term_start: start,
                 term_end: end,
             }| {
                (
                    UserId(user_id),
                    RoleGrant {
                        id: RoleGrantId(id),
                        role,
                        council: council_id.zip(council_name).map(|(id, name)| CouncilRef {
                            id: CouncilId(id),
                            name,
                        }),
                        term: start.zip(end),
                    },
                )
            },
        )
        .collect())
}

/// One user as [`USER_COLUMNS`] reads them.
#[derive(sqlx::FromRow)]
struct UserRow {
    id: i64,
    first_name: String,
    email: Option<String>,
    birth_year: Option<i32>,
    status: AccountStatus,
    school: Option<String>,
    created_at: i64,
    confirmed_at: Option<i64>,
}

const USER_COLUMNS: &str =
    "u.id, u.first_name, u.email, u.birth_year, u.status, s.name AS school, \
                            u.created_at, u.confirmed_at FROM users u \
                            LEFT JOIN schools s ON s.id = u.school_id";

/// Everything stored about one user.
pub async fn my_data(pool: &AnyPool, id: UserId) -> Result<Option<MyData>, DbError> {
    let sql = format!("SELECT {USER_COLUMNS} WHERE u.id = $1 AND u.status <> 'deleted'");
    let row: Option<UserRow> = sqlx::query_as(&sql).bind(id.0).fetch_optional(pool).await?;
    let Some(UserRow {
        id: uid,
        first_name,
        email,
        birth_year,
        status,
        school,
        created_at: created,
        confirmed_at: confirmed,
    }) = row
    else {
        return Ok(None);
    };
    let roles = grants_of(pool, &[uid])
        .await?
        .into_iter()
        .map(|(_, g)| g)
        .collect();
    let has_password = password_hash(pool, UserId(uid)).await?.is_some();
    let teacher_at = super::teachers::schools_of(pool, &[uid])
        .await?
        .into_iter()
        .map(|(_, s)| s)
        .next();
    Ok(Some(MyData {
        id: UserId(uid),
        first_name,
        email: email.unwrap_or_default(),
        birth_year,
        has_password,
        status,
        school,
        created_at: to_datetime(created),
        confirmed_at: confirmed.map(to_datetime),
        roles,
        teacher_at,
    }))
}

/// Escapes `%`, `_` and `\` for a LIKE pattern.
fn like_pattern(q: &str) -> String {
    let mut p = String::from("%");
    for c in q.to_lowercase().chars() {
        if matches!(c, '%' | '_' | '\\') {
            p.push('\\');
        }
        p.push(c);
    }
    p.push('%');
    p
}

/// A page of users, newest first, optionally filtered by name or e-mail; keyset-paged by id.
pub async fn list(
    pool: &AnyPool,
    query: &str,
    only_awaiting: bool,
    before: Option<UserId>,
    limit: i64,
) -> Result<UserPage, DbError> {
    let sql = format!(
        "SELECT {USER_COLUMNS} WHERE u.status <> 'deleted' AND u.id < $1 \
         AND ($2 = '' OR u.search_name LIKE $3 ESCAPE '\\' OR u.email LIKE $3 ESCAPE '\\') \
         AND ($4 = 0 OR u.status = 'awaiting_confirmation') \
         ORDER BY u.id DESC LIMIT $5"
    );
    let rows: Vec<UserRow> = sqlx::query_as(&sql)
        .bind(before.map(|b| b.0).unwrap_or(i64::MAX))
        .bind(query)
        .bind(like_pattern(query))
        .bind(i64::from(only_awaiting))
        .bind(limit + 1)
        .fetch_all(pool)
        .await?;
    let has_more = rows.len() as i64 > limit;
    let rows: Vec<UserRow> = rows.into_iter().take(limit as usize).collect();
    let ids: Vec<i64> = rows.iter().map(|r| r.id).collect();
    let grants = grants_of(pool, &ids).await?;
    let teaching = super::teachers::schools_of(pool, &ids).await?;
    let users: Vec<UserSummary> = rows
        .into_iter()
        .map(
            |UserRow {
                 id,
                 first_name,
                 email,
                 birth_year,
                 status,
                 school,
                 ..
             }| UserSummary {
                id: UserId(id),
                first_name,
                email: email.unwrap_or_default(),
                birth_year,
                status,
                school,
                roles: grants
                    .iter()
                    .filter(|(u, _)| u.0 == id)
                    .map(|(_, g)| g.clone())
                    .collect(),
                teacher_at: teaching
                    .iter()
                    .find(|(u, _)| u.0 == id)
                    .map(|(_, s)| s.clone()),
            },
        )
        .collect();
    let next = if has_more {
        users.last().map(|u| u.id)
    } else {
        None
    };
    Ok(UserPage { users, next })
}

/// Confirms an under-15 account, in the caller's transaction. Returns false if there was
/// nothing to confirm.
pub async fn confirm_tx(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    id: UserId,
    by: UserId,
) -> Result<bool, DbError> {
    let done = sqlx::query(
        "UPDATE users SET status = 'active', confirmed_at = $1, confirmed_by = $2 \
         WHERE id = $3 AND status = 'awaiting_confirmation'",
    )
    .bind(now_micros())
    .bind(by.0)
    .bind(id.0)
    .execute(&mut **tx)
    .await?;
    Ok(done.rows_affected() == 1)
}

pub async fn exists(pool: &AnyPool, id: UserId) -> Result<bool, DbError> {
    let n: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM users WHERE id = $1 AND status <> 'deleted'")
            .bind(id.0)
            .fetch_one(pool)
            .await?;
    Ok(n > 0)
}

/// Grants a role. The database refuses duplicates and council roles without a council.
pub async fn grant(
    pool: &AnyPool,
    user: UserId,
    role: RoleKind,
    council: Option<CouncilId>,
    term: Option<(i32, i32)>,
    by: UserId,
) -> Result<RoleGrantId, DbError> {
    let mut tx = super::write_tx(pool).await?;
    let id = grant_tx(&mut tx, user, role, council, term, by).await?;
    tx.commit().await?;
    Ok(id)
}

/// [`grant`] inside a transaction the caller commits (with its audit entry).
pub async fn grant_tx(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    user: UserId,
    role: RoleKind,
    council: Option<CouncilId>,
    term: Option<(i32, i32)>,
    by: UserId,
) -> Result<RoleGrantId, DbError> {
    // The Lærer role is a `teachers` row at one school (`db::teachers::grant_tx`), never a
    // `user_roles` row: the caller must route it there.
    if role == RoleKind::Laerer {
        return Err(DbError::Conflict(Msg::ChooseSchool));
    }
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO user_roles (user_id, role, council_id, term_start, term_end, granted_by, granted_at, \
         starts_on, ends_on) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id",
    )
    .bind(user.0)
    .bind(role.as_str())
    .bind(council.map(|c| c.0))
    .bind(term.map(|t| t.0))
    .bind(term.map(|t| t.1))
    .bind(by.0)
    .bind(now_micros())
    // A term given in whole years runs from 1 January to 31 December.
    .bind(term.map(|t| format!("{:04}-01-01", t.0)))
    .bind(term.map(|t| format!("{:04}-12-31", t.1)))
    .fetch_one(&mut **tx)
    .await
    .map_err(|e| {
        if is_unique_violation(&e) {
            DbError::Conflict(Msg::RoleTaken)
        } else {
            e.into()
        }
    })?;
    Ok(RoleGrantId(id))
}

/// Revokes one role grant, in the caller's transaction. Returns false if it did not exist.
pub async fn revoke_tx(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    grant: RoleGrantId,
) -> Result<bool, DbError> {
    let done = sqlx::query("DELETE FROM user_roles WHERE id = $1")
        .bind(grant.0)
        .execute(&mut **tx)
        .await?;
    Ok(done.rows_affected() == 1)
}

/// What becomes of one column that holds a user id when the account is deleted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OnDelete {
    /// The person's rows go.
    Delete,
    /// The person's drafts go; what they submitted stays on the public record, pointing at
    /// the anonymised account ("Tidligere bruger").
    DeleteDrafts,
    /// Stays, pointing at the anonymised account: the public record (ballots, comments,
    /// supports) or an act in an office (a chair's minutes, a moderator's decision).
    Keep,
    /// The row stays, no longer linked to the person (the column is set to NULL, as its
    /// foreign key's `ON DELETE SET NULL` would): a live-session participant who joined
    /// with an account becomes an anonymous participant.
    Unlink,
}

/// Where one column that holds a user id shows in `/konto/mine-data.json`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Export {
    /// A section of its own: the query (one parameter, the user's id) and its name.
    Rows {
        section: &'static str,
        sql: &'static str,
    },
    /// In the account section (`MyData`).
    Account,
    /// Not exported, and why (a secret, a technical record, or an act in an office that
    /// is on the public record anyway).
    No(&'static str),
}

/// One column that holds a user id: how the export covers it and what deleting the
/// account does to it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct UserColumn {
    pub table: &'static str,
    pub column: &'static str,
    pub export: Export,
    pub on_delete: OnDelete,
}

const fn col(
    table: &'static str,
    column: &'static str,
    export: Export,
    on_delete: OnDelete,
) -> UserColumn {
    UserColumn {
        table,
        column,
        export,
        on_delete,
    }
}

const OFFICE: Export = Export::No("an act in an office, on the record");

/// Every column in the schema that holds a user id (a foreign key to `users`, or a
/// `user_id`/`actor_id` column). `tests/api/my_data.rs` compares this list with the live
/// schema on both databases: a new table with a user id that is neither exported nor
/// handled here fails that test.
pub const USER_DATA: &[UserColumn] = &[
    col("users", "confirmed_by", OFFICE, OnDelete::Keep),
    col("user_roles", "user_id", Export::Account, OnDelete::Delete),
    col("user_roles", "granted_by", OFFICE, OnDelete::Keep),
    col(
        "proposals",
        "author_id",
        Export::Rows {
            section: "proposals",
            sql: "SELECT id, status, visibility, title, body, theme, council_id, show_name, \
                  created_at, submitted_at FROM proposals WHERE author_id = $1 ORDER BY id",
        },
        OnDelete::DeleteDrafts,
    ),
    col("proposals", "hidden_by", OFFICE, OnDelete::Keep),
    col(
        "comments",
        "author_id",
        Export::Rows {
            section: "comments",
            sql: "SELECT id, proposal_id, body, created_at, hidden_reason, question FROM comments \
                  WHERE author_id = $1 ORDER BY id",
        },
        OnDelete::Keep,
    ),
    col("comments", "hidden_by", OFFICE, OnDelete::Keep),
    col(
        "proposal_supports",
        "user_id",
        Export::Rows {
            section: "supports",
            sql: "SELECT proposal_id, created_at FROM proposal_supports WHERE user_id = $1 \
                  ORDER BY proposal_id",
        },
        OnDelete::Keep,
    ),
    col(
        "proposal_follows",
        "user_id",
        Export::Rows {
            section: "follows",
            sql: "SELECT proposal_id, created_at FROM proposal_follows WHERE user_id = $1 \
                  ORDER BY proposal_id",
        },
        OnDelete::Delete,
    ),
    col(
        "notifications",
        "user_id",
        Export::Rows {
            section: "notifications",
            sql:
                "SELECT id, kind, proposal_id, hearing_id, created_at, read_at FROM notifications \
                  WHERE user_id = $1 ORDER BY id",
        },
        OnDelete::Delete,
    ),
    col(
        "reports",
        "reporter_id",
        Export::Rows {
            section: "reports",
            sql: "SELECT id, proposal_id, comment_id, reason, created_at, resolved_at, resolution \
                  FROM reports WHERE reporter_id = $1 ORDER BY id",
        },
        OnDelete::Keep,
    ),
    col("reports", "resolved_by", OFFICE, OnDelete::Keep),
    col("proposal_events", "actor_id", OFFICE, OnDelete::Keep),
    col("proposal_hops", "by_user", OFFICE, OnDelete::Keep),
    col(
        "proposal_deadline_changes",
        "actor_id",
        OFFICE,
        OnDelete::Keep,
    ),
    col(
        "answer_feedback",
        "user_id",
        Export::Rows {
            section: "answer_feedback",
            sql: "SELECT proposal_id, understood, wants_clearer, at FROM answer_feedback \
                  WHERE user_id = $1 ORDER BY proposal_id",
        },
        OnDelete::Keep,
    ),
    col("answer_clarifications", "actor_id", OFFICE, OnDelete::Keep),
    col(
        "council_officers",
        "user_id",
        Export::Rows {
            section: "council_posts",
            sql: "SELECT council_id, position FROM council_officers WHERE user_id = $1 \
                  ORDER BY council_id",
        },
        OnDelete::Delete,
    ),
    col(
        "committee_members",
        "user_id",
        Export::Rows {
            section: "committee_seats",
            sql:
                "SELECT committee_id, starts_on, ends_on FROM committee_members WHERE user_id = $1 \
                  ORDER BY committee_id",
        },
        OnDelete::Delete,
    ),
    col("meetings", "created_by", OFFICE, OnDelete::Keep),
    col("minutes", "written_by", OFFICE, OnDelete::Keep),
    col(
        "agenda_suggestions",
        "user_id",
        Export::Rows {
            section: "agenda_suggestions",
            sql: "SELECT id, council_id, title, body, status, created_at, decline_reason \
                  FROM agenda_suggestions WHERE user_id = $1 ORDER BY id",
        },
        OnDelete::Keep,
    ),
    col("agenda_suggestions", "decided_by", OFFICE, OnDelete::Keep),
    // Open (named) ballots only: a secret ballot is stored without its voter.
    col(
        "ballots",
        "user_id",
        Export::Rows {
            section: "open_ballots",
            sql:
                "SELECT b.vote_id, b.choice, b.at FROM ballots b JOIN votes v ON v.id = b.vote_id \
                  WHERE b.user_id = $1 AND v.secret = 0 ORDER BY b.vote_id",
        },
        OnDelete::Keep,
    ),
    col(
        "vote_participants",
        "user_id",
        Export::Rows {
            section: "votes_taken_part_in",
            sql: "SELECT vote_id, at FROM vote_participants WHERE user_id = $1 ORDER BY vote_id",
        },
        OnDelete::Keep,
    ),
    col(
        "pool_drafts",
        "user_id",
        Export::Rows {
            section: "pool_application_draft",
            sql: "SELECT body, updated_at FROM pool_drafts WHERE user_id = $1",
        },
        OnDelete::Delete,
    ),
    col(
        "pool_applications",
        "applicant_id",
        Export::Rows {
            section: "pool_applications",
            sql:
                "SELECT id, pool_year_id, title, activity, audience, participants, activity_date, \
                  place, members, asked_ore, status, granted_ore, explanation, conditions, \
                  decided_at, report, report_participants, reported_at, returned_ore, submitted_at \
                  FROM pool_applications WHERE applicant_id = $1 ORDER BY id",
        },
        OnDelete::Keep,
    ),
    col("pool_applications", "decided_by", OFFICE, OnDelete::Keep),
    col("pool_years", "opened_by", OFFICE, OnDelete::Keep),
    col("pool_ledger", "actor_id", OFFICE, OnDelete::Keep),
    col(
        "audit_log",
        "actor_id",
        Export::No("the security log: never removed (see 0011_security.sql)"),
        OnDelete::Keep,
    ),
    col(
        "sessions",
        "user_id",
        Export::No("a login session: technical"),
        OnDelete::Delete,
    ),
    col(
        "form_submissions",
        "user_id",
        Export::No("a form's one-time token: technical"),
        OnDelete::Delete,
    ),
    col(
        "outbox",
        "user_id",
        Export::Rows {
            section: "mails",
            // Not the payload: a verification or reset mail carries a token.
            sql: "SELECT id, kind, status, created_at, sent_at FROM outbox WHERE user_id = $1 \
                  ORDER BY id",
        },
        OnDelete::Delete,
    ),
    col(
        "mail_digests",
        "user_id",
        Export::No("where a digest has got to: technical"),
        OnDelete::Delete,
    ),
    col(
        "mail_tokens",
        "user_id",
        Export::No("single-use tokens: secrets"),
        OnDelete::Delete,
    ),
    col(
        "user_identities",
        "user_id",
        Export::Rows {
            section: "linked_logins",
            sql: "SELECT provider, subject, created_at, last_login_at FROM user_identities \
                  WHERE user_id = $1 ORDER BY id",
        },
        OnDelete::Delete,
    ),
    col(
        "oidc_flows",
        "user_id",
        Export::No("a login under way: secrets, ten minutes at most"),
        OnDelete::Delete,
    ),
    col("hearings", "sender_id", OFFICE, OnDelete::Keep),
    col("hearing_councils", "draft_by", OFFICE, OnDelete::Keep),
    col("hearing_councils", "decided_by", OFFICE, OnDelete::Keep),
    col("hearing_files", "uploaded_by", OFFICE, OnDelete::Keep),
    col(
        "hearing_comments",
        "author_id",
        Export::Rows {
            section: "hearing_draft_comments",
            sql: "SELECT id, hearing_id, council_id, body, created_at FROM hearing_comments \
                  WHERE author_id = $1 ORDER BY id",
        },
        OnDelete::Keep,
    ),
    col(
        "hearing_inputs",
        "author_id",
        Export::Rows {
            section: "hearing_inputs",
            sql: "SELECT id, hearing_id, body, anonymous, status, created_at FROM hearing_inputs \
                  WHERE author_id = $1 ORDER BY id",
        },
        OnDelete::Keep,
    ),
    col("hearing_inputs", "moderated_by", OFFICE, OnDelete::Keep),
    // Live sessions and teachers (0023_live.sql, #23).
    col(
        "teachers",
        "user_id",
        Export::Rows {
            section: "teacher_at_school",
            sql: "SELECT t.school_id, s.name AS school, t.granted_at FROM teachers t \
                  JOIN schools s ON s.id = t.school_id WHERE t.user_id = $1",
        },
        OnDelete::Delete,
    ),
    col("teachers", "granted_by", OFFICE, OnDelete::Keep),
    col(
        "live_sessions",
        "host_id",
        Export::Rows {
            section: "live_sessions_hosted",
            sql: "SELECT id, code, kind, title, opened_at FROM live_sessions WHERE host_id = $1 \
                  ORDER BY id",
        },
        OnDelete::Keep,
    ),
    col(
        "live_participants",
        "user_id",
        Export::Rows {
            section: "live_sessions_joined",
            sql: "SELECT session_id, number, joined_at FROM live_participants WHERE user_id = $1 \
                  ORDER BY id",
        },
        OnDelete::Unlink,
    ),
];

/// One row as JSON: integers, text and decimals as they are; times (`…_at`, integer
/// microseconds) as RFC 3339.
fn row_json(row: &sqlx::any::AnyRow) -> serde_json::Map<String, serde_json::Value> {
    use serde_json::Value;
    use sqlx::{Column, Row};
    let mut out = serde_json::Map::new();
    for (i, c) in row.columns().iter().enumerate() {
        let name = c.name();
        let value = if let Ok(v) = row.try_get::<Option<i64>, _>(i) {
            match v {
                // A secret ballot keeps no time of voting (0).
                Some(0) if name == "at" || name.ends_with("_at") => Value::Null,
                Some(t) if name == "at" || name.ends_with("_at") => {
                    Value::String(to_datetime(t).to_rfc3339())
                }
                Some(n) => Value::from(n),
                None => Value::Null,
            }
        } else if let Ok(v) = row.try_get::<Option<i32>, _>(i) {
            v.map(Value::from).unwrap_or(Value::Null)
        } else if let Ok(v) = row.try_get::<Option<String>, _>(i) {
            v.map(Value::String).unwrap_or(Value::Null)
        } else if let Ok(v) = row.try_get::<Option<f64>, _>(i) {
            v.map(Value::from).unwrap_or(Value::Null)
        } else if let Ok(v) = row.try_get::<Option<bool>, _>(i) {
            v.map(Value::Bool).unwrap_or(Value::Null)
        } else {
            Value::Null
        };
        out.insert(name.to_owned(), value);
    }
    out
}

/// Everything stored about one user, for `/konto/mine-data.json`: the account (with the
/// notification choices) and one section per [`USER_DATA`] entry that is exported.
pub async fn my_data_export(
    pool: &AnyPool,
    id: UserId,
) -> Result<Option<serde_json::Value>, DbError> {
    let Some(account) = my_data(pool, id).await? else {
        return Ok(None);
    };
    let mut out = serde_json::Map::new();
    out.insert(
        "account".into(),
        serde_json::to_value(&account).unwrap_or_default(),
    );
    #[derive(sqlx::FromRow)]
    struct Choices {
        lang: String,
        mail_updates: String,
        mail_deadlines: String,
    }
    let choices: Choices =
        sqlx::query_as("SELECT lang, mail_updates, mail_deadlines FROM users WHERE id = $1")
            .bind(id.0)
            .fetch_one(pool)
            .await?;
    out.insert(
        "notification_choices".into(),
        serde_json::json!({
            "language": choices.lang,
            "mail_updates": choices.mail_updates,
            "mail_deadlines": choices.mail_deadlines,
        }),
    );
    for c in USER_DATA {
        if let Export::Rows { section, sql } = c.export {
            let rows = sqlx::query(sql).bind(id.0).fetch_all(pool).await?;
            let rows: Vec<serde_json::Value> = rows
                .iter()
                .map(|r| serde_json::Value::Object(row_json(r)))
                .collect();
            out.insert(section.into(), serde_json::Value::Array(rows));
        }
    }
    Ok(Some(serde_json::Value::Object(out)))
}

/// Deletes an account: personal data is erased, the row stays so public contributions
/// show "Tidligere bruger". Each column that holds the user's id is handled as
/// [`USER_DATA`] says: roles, sessions, mail, logins, follows, notifications and drafts
/// (proposals and the pool application) go; the public record stays, anonymised.
pub async fn delete_account(pool: &AnyPool, id: UserId) -> Result<(), DbError> {
    let mut tx = super::write_tx(pool).await?;
    // Rows that go first, then drafts (a draft may be followed by its author), then the
    // rows that stay unlinked.
    let order = USER_DATA
        .iter()
        .filter(|c| c.on_delete == OnDelete::Delete)
        .chain(
            USER_DATA
                .iter()
                .filter(|c| c.on_delete == OnDelete::DeleteDrafts),
        )
        .chain(USER_DATA.iter().filter(|c| c.on_delete == OnDelete::Unlink));
    for c in order {
        let sql = match c.on_delete {
            OnDelete::Keep => continue,
            OnDelete::Delete => format!("DELETE FROM {} WHERE {} = $1", c.table, c.column),
            OnDelete::DeleteDrafts => format!(
                "DELETE FROM {} WHERE {} = $1 AND status = 'draft'",
                c.table, c.column
            ),
            OnDelete::Unlink => format!(
                "UPDATE {} SET {} = NULL WHERE {} = $1",
                c.table, c.column, c.column
            ),
        };
        sqlx::query(&sql).bind(id.0).execute(&mut *tx).await?;
    }
    sqlx::query(
        "UPDATE users SET first_name = 'Tidligere bruger', search_name = '', email = NULL, \
         password_hash = NULL, email_verified_at = NULL, \
         birth_year = NULL, school_id = NULL, status = 'deleted', deleted_at = $1 WHERE id = $2",
    )
    .bind(now_micros())
    .bind(id.0)
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(())
}
