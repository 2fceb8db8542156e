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

/// The logged-in person with their role kinds, or None if the account is gone.
pub async fn session_user(pool: &AnyPool, id: UserId) -> Result<Option<SessionUser>, DbError> {
    #[derive(sqlx::FromRow)]
    struct SessionRow {
        first_name: String,
        status: AccountStatus,
        school_id: Option<SchoolId>,
        unread: i64,
    }
    let row: Option<SessionRow> = sqlx::query_as(
        "SELECT first_name, status, school_id, \
         (SELECT COUNT(*) FROM notifications n WHERE n.user_id = users.id AND n.read_at IS NULL) \
         AS unread \
         FROM users WHERE id = $1 AND status <> 'deleted'",
    )
    .bind(id.0)
    .fetch_optional(pool)
    .await?;
    let Some(SessionRow {
        first_name,
        status,
        school_id,
        unread,
    }) = row
    else {
        return Ok(None);
    };
    let roles: Vec<RoleKind> = sqlx::query_scalar(
        "SELECT role FROM user_roles WHERE user_id = $1 GROUP BY role ORDER BY MIN(id)",
    )
    .bind(id.0)
    .fetch_all(pool)
    .await?;
    Ok(Some(SessionUser {
        id,
        first_name,
        status,
        roles,
        school_id,
        unread,
    }))
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

/// Deletes an account: personal data is erased, the row stays so public
/// contributions can show "Tidligere bruger". Roles, sessions and mail go.
pub async fn delete_account(pool: &AnyPool, id: UserId) -> Result<(), DbError> {
    let mut tx = super::write_tx(pool).await?;
    sqlx::query("DELETE FROM user_roles WHERE user_id = $1")
        .bind(id.0)
        .execute(&mut *tx)
        .await?;
    sqlx::query(
        "UPDATE users SET first_name = 'Tidligere bruger', search_name = '', email = NULL, \
         password_hash = NULL, \
         birth_year = NULL, school_id = NULL, status = 'deleted', deleted_at = $1 WHERE id = $2",
    )
    .bind(now_micros())
    .bind(id.0)
    .execute(&mut *tx)
    .await?;
    sqlx::query("DELETE FROM sessions WHERE user_id = $1")
        .bind(id.0)
        .execute(&mut *tx)
        .await?;
    // Their mail goes too: the outbox holds their address, the tokens act for them.
    for table in [
        "outbox",
        "mail_tokens",
        "mail_digests",
        "user_identities",
        "oidc_flows",
    ] {
        sqlx::query(&format!("DELETE FROM {table} WHERE user_id = $1"))
            .bind(id.0)
            .execute(&mut *tx)
            .await?;
    }
    tx.commit().await?;
    Ok(())
}
