//! The coordinator's (Sekretariat) tools: users, roles, confirmations, schools.
use crate::domain::account::{Council, School, UserPage};
use crate::domain::error::AppError;
use crate::domain::ids::{AuditEntryId, RoleGrantId, UserId};
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use crate::domain::message::Msg;

#[cfg(feature = "ssr")]
use crate::{
    domain::account::{self as rules, RoleKind},
    domain::audit::AuditAction,
    domain::ids::{CouncilId, SchoolId},
    ssr::{auth, db, frame::Frame, password},
};

/// A page of users, newest first, filtered by name/e-mail and "awaiting confirmation".
#[server(prefix = "/api", endpoint = "admin/users")]
pub async fn list_users(
    query: String,
    awaiting: bool,
    before: Option<UserId>,
) -> Result<UserPage, AppError> {
    auth::respond(
        async {
            auth::require(&[RoleKind::Sekretariat]).await?;
            let q = rules::clean_text(&query);
            if q.chars().count() > 100 {
                return Err(AppError::invalid("query", Msg::SearchTooLong { max: 100 }));
            }
            let state = auth::state()?;
            Ok(
                db::users::list(state.db.pool(), &q, awaiting, before, rules::USERS_PER_PAGE)
                    .await?,
            )
        }
        .await,
    )
}

/// Confirms an under-15 account so it can post: the coordinator any account, a teacher
/// (Lærer) only a pupil of their own school (`domain::teacher::may_confirm`, also used by
/// `/skole`).
#[server(prefix = "/api", endpoint = "admin/confirm")]
pub async fn confirm_user(user_id: UserId) -> Result<(), AppError> {
    auth::respond(
        async {
            let frame =
                Frame::new(auth::require(&[RoleKind::Sekretariat, RoleKind::Laerer]).await?)?;
            let me = &frame.user;
            let Some(facts) = db::teachers::confirm_facts(frame.pool(), user_id).await? else {
                return Err(if me.has(RoleKind::Sekretariat) {
                    AppError::NotFound
                } else {
                    AppError::Forbidden
                });
            };
            let gate = crate::domain::teacher::may_confirm(me, &facts);
            gate.authorize()?;
            gate.now(|| AppError::NotFound)?;
            let mut tx = frame.begin().await?;
            if !db::users::confirm_tx(&mut tx, user_id, me.id).await? {
                return Err(AppError::NotFound);
            }
            tx.audit(AuditAction::UserConfirmed, "user", Some(user_id.0), "")
                .await?;
            tx.commit().await?;
            tracing::info!(user_id = user_id.0, by = me.id.0, "account confirmed");
            Ok(())
        }
        .await,
    )
}

/// Grants a role. Council roles need a fitting council and a term (years, inclusive); the
/// Lærer role needs a school (a teacher teaches at one school: granted at another, they
/// move there).
#[server(prefix = "/api", endpoint = "admin/grant")]
pub async fn grant_role(
    user_id: UserId,
    role: String,
    council_id: Option<String>,
    term_start: Option<String>,
    term_end: Option<String>,
    school_id: Option<String>,
) -> Result<(), AppError> {
    auth::respond(
        async {
            let frame = Frame::new(auth::require(&[RoleKind::Sekretariat]).await?)?;
            let me = &frame.user;
            let role =
                RoleKind::parse(&role).ok_or_else(|| AppError::invalid("role", Msg::ChooseRole))?;
            let pool = frame.pool();
            if !db::users::exists(pool, user_id).await? {
                return Err(AppError::NotFound);
            }
            let non_empty = |s: Option<String>| s.filter(|s| !s.trim().is_empty());
            if role == RoleKind::Laerer {
                let school = non_empty(school_id)
                    .and_then(|s| s.trim().parse::<i64>().ok())
                    .map(SchoolId)
                    .ok_or_else(|| AppError::invalid("school_id", Msg::ChooseSchool))?;
                if db::teachers::active_school(pool, school).await?.is_none() {
                    return Err(AppError::invalid("school_id", Msg::SchoolMissing));
                }
                let mut tx = frame.begin().await?;
                let details = match db::teachers::grant_tx(&mut tx, user_id, school, me.id).await? {
                    db::teachers::Granted::Same => return Err(AppError::Conflict(Msg::RoleTaken)),
                    db::teachers::Granted::New => format!("laerer (skole {})", school.0),
                    db::teachers::Granted::Moved(old) => {
                        format!("laerer (skole {}, flyttet fra skole {})", school.0, old.0)
                    }
                };
                tx.audit(AuditAction::RoleGranted, "user", Some(user_id.0), &details)
                    .await?;
                tx.commit().await?;
                tracing::info!(
                    user_id = user_id.0,
                    school = school.0,
                    by = me.id.0,
                    "teacher role granted"
                );
                return Ok(());
            }
            let (council, term) = if role.needs_council() {
                let council_id: i64 = non_empty(council_id)
                    .and_then(|c| c.trim().parse().ok())
                    .ok_or_else(|| AppError::invalid("council_id", Msg::ChooseRoleCouncil))?;
                let council = db::schools::council(pool, CouncilId(council_id))
                    .await?
                    .ok_or_else(|| AppError::invalid("council_id", Msg::CouncilMissing))?;
                if !rules::role_fits_council(role, council.kind) {
                    return Err(AppError::invalid("council_id", Msg::RoleDoesNotFitCouncil));
                }
                let year = |s: Option<String>, field: &str| {
                    non_empty(s)
                        .and_then(|s| s.trim().parse::<i32>().ok())
                        .filter(|y| (2000..=2100).contains(y))
                        .ok_or_else(|| AppError::invalid(field, Msg::WriteYear))
                };
                let start = year(term_start, "term_start")?;
                let end = year(term_end, "term_end")?;
                if end < start || end - start > 4 {
                    return Err(AppError::invalid("term_end", Msg::TermYears));
                }
                (Some(council.id), Some((start, end)))
            } else {
                (None, None)
            };
            let mut tx = frame.begin().await?;
            let grant = db::users::grant_tx(&mut tx, user_id, role, council, term, me.id).await?;
            tx.audit(
                AuditAction::RoleGranted,
                "user",
                Some(user_id.0),
                &format!("{} (tildeling {})", role.as_str(), grant.0),
            )
            .await?;
            tx.commit().await?;
            tracing::info!(
                user_id = user_id.0,
                grant = grant.0,
                role = role.as_str(),
                by = me.id.0,
                "role granted"
            );
            Ok(())
        }
        .await,
    )
}

/// Revokes one role grant.
#[server(prefix = "/api", endpoint = "admin/revoke")]
pub async fn revoke_role(grant_id: RoleGrantId) -> Result<(), AppError> {
    auth::respond(
        async {
            let frame = Frame::new(auth::require(&[RoleKind::Sekretariat]).await?)?;
            let mut tx = frame.begin().await?;
            if !db::users::revoke_tx(&mut tx, grant_id).await? {
                return Err(AppError::NotFound);
            }
            tx.audit(AuditAction::RoleRevoked, "role_grant", Some(grant_id.0), "")
                .await?;
            tx.commit().await?;
            tracing::info!(grant = grant_id.0, by = frame.user.id.0, "role revoked");
            Ok(())
        }
        .await,
    )
}

/// Ends a person's Lærer role (the `teachers` row; not a `user_roles` grant).
#[server(prefix = "/api", endpoint = "admin/revoke-teacher")]
pub async fn revoke_teacher(user_id: UserId) -> Result<(), AppError> {
    auth::respond(
        async {
            let frame = Frame::new(auth::require(&[RoleKind::Sekretariat]).await?)?;
            let mut tx = frame.begin().await?;
            let Some(school) = db::teachers::revoke_tx(&mut tx, user_id).await? else {
                return Err(AppError::NotFound);
            };
            tx.audit(
                AuditAction::RoleRevoked,
                "user",
                Some(user_id.0),
                &format!("laerer (skole {})", school.0),
            )
            .await?;
            tx.commit().await?;
            tracing::info!(
                user_id = user_id.0,
                by = frame.user.id.0,
                "teacher role revoked"
            );
            Ok(())
        }
        .await,
    )
}

/// All schools. Public: school names are not personal data.
#[server(prefix = "/api", endpoint = "schools")]
pub async fn list_schools() -> Result<Vec<School>, AppError> {
    auth::respond(async { Ok(db::schools::list(auth::state()?.db.pool()).await?) }.await)
}

/// All councils. Public.
#[server(prefix = "/api", endpoint = "councils")]
pub async fn list_councils() -> Result<Vec<Council>, AppError> {
    auth::respond(async { Ok(db::schools::councils(auth::state()?.db.pool()).await?) }.await)
}

/// Adds a school (and its elevråd).
#[server(prefix = "/api", endpoint = "admin/school")]
pub async fn create_school(name: String) -> Result<(), AppError> {
    auth::respond(
        async {
            let frame = Frame::new(auth::require(&[RoleKind::Sekretariat]).await?)?;
            let name = rules::clean_text(&name);
            let n = name.chars().count();
            if !(2..=100).contains(&n) || name.contains(['<', '>']) {
                return Err(AppError::invalid("name", Msg::SchoolName));
            }
            let mut tx = frame.begin().await?;
            let id = db::schools::create_tx(&mut tx, &name)
                .await
                .map_err(|e| AppError::from(e).conflict_on("name"))?;
            tx.audit(AuditAction::SchoolCreated, "school", Some(id.0), "")
                .await?;
            tx.commit().await?;
            tracing::info!(school = id.0, by = frame.user.id.0, "school created");
            leptos_axum::redirect("/admin/skoler?gemt=skole");
            Ok(())
        }
        .await,
    )
}

/// Creates a pupil's account (younger pupils do not sign up themselves). The account is
/// active at once, attached to the school, with the roles Ung and Elev.
#[server(prefix = "/api", endpoint = "admin/pupil")]
pub async fn create_pupil(
    first_name: String,
    birth_year: String,
    email: String,
    password: String,
    school_id: String,
) -> Result<(), AppError> {
    auth::respond(
        async {
            let frame = Frame::new(auth::require(&[RoleKind::Sekretariat]).await?)?;
            let first_name = rules::validate_first_name(&first_name)?;
            let birth_year = rules::parse_birth_year(&birth_year)?;
            let age = rules::age_in(crate::api::accounts::current_year(), birth_year);
            if !(10..=rules::MAX_SIGNUP_AGE).contains(&age) {
                return Err(AppError::invalid("birth_year", Msg::PupilAge));
            }
            let email = rules::validate_email(&email)?;
            rules::validate_new_password("password", &password)?;
            let school: i64 = school_id
                .trim()
                .parse()
                .map_err(|_| AppError::invalid("school_id", Msg::ChooseSchool))?;
            if !db::schools::exists(frame.pool(), SchoolId(school)).await? {
                return Err(AppError::invalid("school_id", Msg::SchoolMissing));
            }
            let hash = password::hash_new(password).await?;
            let mut tx = frame.begin().await?;
            let id = db::users::create_tx(
                &mut tx,
                db::users::NewUser {
                    first_name: &first_name,
                    email: &email,
                    birth_year,
                    password_hash: &hash,
                    status: rules::AccountStatus::Active,
                    school_id: Some(SchoolId(school)),
                    youth: true,
                },
            )
            .await
            .map_err(|e| AppError::from(e).conflict_on("email"))?;
            // The pupil confirms the address the coordinator typed (verification mail).
            db::mail::queue_verification_tx(&mut tx, id, chrono::Utc::now()).await?;
            tx.audit(AuditAction::PupilCreated, "user", Some(id.0), "")
                .await?;
            tx.commit().await?;
            tracing::info!(
                user_id = id.0,
                by = frame.user.id.0,
                "pupil account created"
            );
            leptos_axum::redirect("/admin/skoler?gemt=elev");
            Ok(())
        }
        .await,
    )
}

/// The audit log, newest first, 50 at a time before entry `before`. Coordinator only.
#[server(prefix = "/api", endpoint = "admin/audit")]
pub async fn get_audit_log(
    before: Option<AuditEntryId>,
) -> Result<crate::domain::audit::AuditPage, AppError> {
    auth::respond(
        async {
            auth::require(&[RoleKind::Sekretariat]).await?;
            Ok(db::audit::page(auth::state()?.db.pool(), before).await?)
        }
        .await,
    )
}
