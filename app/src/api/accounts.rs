//! Sign up, log in, log out, change password, my data, delete my account.
use crate::domain::account::{MyData, SessionUser};
use crate::domain::error::AppError;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use crate::domain::message::Msg;

#[cfg(feature = "ssr")]
use crate::{
    domain::account as rules,
    ssr::{auth, db, password},
};

/// The logged-in person, or None. Open to everyone.
#[server(prefix = "/api", endpoint = "me")]
pub async fn current_user() -> Result<Option<SessionUser>, AppError> {
    auth::respond(auth::current_user().await)
}

/// Self sign-up for 13–25-year-olds. Under 15 the account waits for confirmation.
#[server(prefix = "/api", endpoint = "signup")]
pub async fn signup(
    first_name: String,
    birth_year: String,
    email: String,
    password: String,
) -> Result<(), AppError> {
    auth::respond(
        async {
            if !auth::state()?.password_login {
                return Err(AppError::invalid("email", Msg::PasswordLoginOff));
            }
            let first_name = rules::validate_first_name(&first_name)?;
            let birth_year = rules::parse_birth_year(&birth_year)?;
            let consent_age = db::settings::profile(auth::state()?.db.pool())
                .await?
                .consent_age;
            let status = rules::signup_status(current_year(), birth_year, consent_age)?;
            let email = rules::validate_email(&email)?;
            rules::validate_new_password("password", &password)?;
            // A whole class may sign up from one school network: generous, but a script
            // making thousands of accounts is stopped.
            let ticket = auth::limit_ip("signup", rules::MAX_SIGNUPS_PER_IP_HOURLY, 3600).await?;
            let state = auth::state()?;
            let hash = match password::hash_new(password).await {
                Ok(h) => h,
                Err(e) => {
                    ticket.give_back().await;
                    return Err(e);
                }
            };
            // The account, its mail language and its verification mail in one transaction.
            let lang = crate::api::account_mail::request_lang();
            let made = async {
                let mut tx = db::write_tx(state.db.pool()).await?;
                let id = db::users::create_tx(
                    &mut tx,
                    db::users::NewUser {
                        first_name: &first_name,
                        email: &email,
                        birth_year,
                        password_hash: &hash,
                        status,
                        school_id: None,
                        youth: true,
                    },
                )
                .await?;
                db::mail::set_lang_tx(&mut tx, id, lang).await?;
                db::mail::queue_verification_tx(&mut tx, id, chrono::Utc::now()).await?;
                tx.commit().await?;
                Ok::<_, db::DbError>(id)
            }
            .await;
            // A second identical sign-up (a double click) finds the e-mail taken: it made
            // nothing and does not count toward the school network's limit.
            let id = match made {
                Ok(id) => {
                    ticket.keep();
                    id
                }
                Err(e) => {
                    ticket.give_back().await;
                    return Err(AppError::from(e).conflict_on("email"));
                }
            };
            tracing::info!(user_id = id.0, status = status.as_str(), "account created");
            auth::log_in(id).await?;
            leptos_axum::redirect("/konto");
            Ok(())
        }
        .await,
    )
}

/// Logs in. Failed attempts per e-mail are limited (see `MAX_FAILED_LOGINS`).
#[server(prefix = "/api", endpoint = "login")]
pub async fn login(email: String, password: String) -> Result<(), AppError> {
    auth::respond(
        async {
            let state = auth::state()?;
            let pool = state.db.pool();
            // Throttle by the normalised address, valid or not. The attempt is recorded
            // before it is judged, so parallel guesses cannot slip past the count.
            // Control characters (NUL above all: PostgreSQL cannot store it) are dropped.
            let key: String = email
                .trim()
                .to_lowercase()
                .chars()
                .filter(|c| !c.is_control())
                .take(300)
                .collect();
            throttle_ip(pool).await?;
            throttle(pool, &key).await?;
            let found = match rules::validate_email(&email) {
                Ok(e) => db::users::find_login(pool, &e).await?,
                Err(_) => None,
            };
            let (user, stored) = match found {
                Some(row) => (Some(row.id), row.password_hash),
                None => (None, password::dummy_hash().await),
            };
            let ok = password::verify(password, stored).await;
            match (user, ok) {
                (Some(id), true) => {
                    db::login_failures::clear(pool, &key).await?;
                    // With password login off only the coordinator's break-glass account
                    // gets in this way (told only after the right password).
                    if !state.password_login {
                        let coordinator = db::users::session_user(pool, id)
                            .await?
                            .is_some_and(|u| u.has(crate::domain::account::RoleKind::Sekretariat));
                        if !coordinator {
                            return Err(AppError::invalid("password", Msg::PasswordLoginOff));
                        }
                    }
                    auth::log_in(id).await?;
                    tracing::info!(user_id = id.0, "logged in");
                    leptos_axum::redirect("/konto");
                    Ok(())
                }
                _ => {
                    // Guessing across many addresses from one place is limited too.
                    if let Some(ip) = auth::client_ip() {
                        db::rate::hit(pool, &format!("login-failed:ip:{ip}"), 600).await?;
                    }
                    Err(AppError::invalid("password", rules::WRONG_LOGIN))
                }
            }
        }
        .await,
    )
}

/// Logs out: the session is deleted on the server.
#[server(prefix = "/api", endpoint = "logout")]
pub async fn logout() -> Result<(), AppError> {
    auth::respond(
        async {
            // A session that logged in at a provider logs out there too (RP-initiated
            // logout), when the provider offers it; the Stemme session ends either way.
            let session = auth::session().await?;
            let provider: Option<String> = session
                .get(crate::ssr::oidc_flow::SESSION_PROVIDER_KEY)
                .await
                .ok()
                .flatten();
            let id_token: Option<String> = session
                .get(crate::ssr::oidc_flow::SESSION_ID_TOKEN_KEY)
                .await
                .ok()
                .flatten();
            auth::log_out().await?;
            let there = match (provider, id_token) {
                (Some(p), Some(t)) => auth::state()?.oidc.end_session_url(&p, &t).await,
                _ => None,
            };
            leptos_axum::redirect(there.as_deref().unwrap_or("/"));
            Ok(())
        }
        .await,
    )
}

/// Changes the password; every other session of this user is ended.
#[server(prefix = "/api", endpoint = "change_password")]
pub async fn change_password(current: String, new_password: String) -> Result<(), AppError> {
    auth::respond(
        async {
            let user = auth::require_user().await?;
            let state = auth::state()?;
            let pool = state.db.pool();
            let stored = db::users::password_hash(pool, user.id)
                .await?
                .ok_or(AppError::Unauthenticated)?;
            if !password::verify(current, stored).await {
                return Err(AppError::invalid("current", Msg::WrongCurrentPassword));
            }
            rules::validate_new_password("new_password", &new_password)?;
            let hash = password::hash_new(new_password).await?;
            db::users::set_password(pool, user.id, &hash).await?;
            // End every stored session of this user. The current one survives: log_in
            // gives it a new id, written to the store when this response is sent.
            db::sessions::delete_user_sessions(pool, user.id.0, None)
                .await
                .map_err(AppError::from)?;
            auth::log_in(user.id).await?;
            tracing::info!(user_id = user.id.0, "password changed");
            leptos_axum::redirect("/konto?skiftet=1");
            Ok(())
        }
        .await,
    )
}

/// Everything stored about the caller.
#[server(prefix = "/api", endpoint = "my_data")]
pub async fn get_my_data() -> Result<MyData, AppError> {
    auth::respond(
        async {
            let user = auth::require_user().await?;
            let state = auth::state()?;
            db::users::my_data(state.db.pool(), user.id)
                .await?
                .ok_or(AppError::NotFound)
        }
        .await,
    )
}

/// Deletes the caller's account after checking the password. Public contributions
/// stay, shown as "Tidligere bruger".
#[server(prefix = "/api", endpoint = "delete_account")]
pub async fn delete_account(
    password: String,
    /// An account without a password (made from a login) confirms with `confirm=ja`.
    #[server(default)]
    confirm: String,
) -> Result<(), AppError> {
    auth::respond(
        async {
            let user = auth::require_user().await?;
            let state = auth::state()?;
            let pool = state.db.pool();
            match db::users::password_hash(pool, user.id).await? {
                Some(stored) => {
                    throttle(pool, &format!("uid:{}", user.id.0)).await?;
                    if !password::verify(password, stored).await {
                        return Err(AppError::invalid("password", Msg::WrongPassword));
                    }
                }
                None if confirm == "ja" => {}
                None => return Err(AppError::invalid("confirm", Msg::ConfirmDeletion)),
            }
            db::users::delete_account(pool, user.id).await?;
            auth::log_out().await?;
            tracing::info!(user_id = user.id.0, "account deleted");
            leptos_axum::redirect("/?slettet=1");
            Ok(())
        }
        .await,
    )
}

/// Records one password attempt for `key` and refuses it when there have been too many:
/// more than `MAX_FAILED_LOGINS` a minute or `MAX_FAILED_LOGINS_HOURLY` an hour.
/// A successful attempt clears the record.
#[cfg(feature = "ssr")]
pub(crate) async fn throttle(pool: &sqlx::AnyPool, key: &str) -> Result<(), AppError> {
    db::login_failures::record(pool, key).await?;
    let minute = db::login_failures::recent(pool, key, rules::LOGIN_WINDOW_SECS).await?;
    let hour = db::login_failures::recent(pool, key, 3600).await?;
    if minute > rules::MAX_FAILED_LOGINS || hour > rules::MAX_FAILED_LOGINS_HOURLY {
        tracing::warn!("password attempts throttled");
        return Err(AppError::RateLimited);
    }
    Ok(())
}

/// Failed logins per client IP (any address): 429 over the limit, before any checking.
#[cfg(feature = "ssr")]
async fn throttle_ip(pool: &sqlx::AnyPool) -> Result<(), AppError> {
    if let Some(ip) = auth::client_ip() {
        let failed = db::rate::count(pool, &format!("login-failed:ip:{ip}"), 600).await?;
        if failed >= rules::MAX_FAILED_LOGINS_PER_IP {
            tracing::warn!("logins throttled for an address");
            return Err(AppError::RateLimited);
        }
    }
    Ok(())
}

/// The current calendar year (birth years are all we store, so age is by year).
#[cfg(feature = "ssr")]
pub fn current_year() -> i32 {
    use chrono::Datelike;
    chrono::Utc::now().year()
}
