//! Logging in through identity providers: the login page's buttons, the caller's linked
//! logins, linking one (after a password check) and removing one (never the last way in).
//! The login itself is two plain routes (`server::oidc`): a start link and the callback.
use crate::domain::error::AppError;
use crate::domain::identity::{AccountLogins, LoginChoices};
use crate::domain::ids::IdentityId;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use crate::{
    domain::identity::{LinkedLogin, ProviderButton},
    domain::message::Msg,
    ssr::{auth, db, oidc_flow, password},
};

/// How this site lets people in. Open to everyone.
#[server(prefix = "/api", endpoint = "login_options")]
pub async fn login_options() -> Result<LoginChoices, AppError> {
    auth::respond(
        async {
            let state = auth::state()?;
            Ok(LoginChoices {
                providers: state.oidc.buttons(),
                password_login: state.password_login,
            })
        }
        .await,
    )
}

/// The caller's ways in: password or not, linked logins, providers still to link.
#[server(prefix = "/api", endpoint = "my_logins")]
pub async fn my_logins() -> Result<AccountLogins, AppError> {
    auth::respond(
        async {
            let user = auth::require_user().await?;
            let state = auth::state()?;
            let (has_password, rows) = db::identities::of_user(state.db.pool(), user.id).await?;
            let count = rows.len();
            let linked: Vec<LinkedLogin> = rows
                .into_iter()
                .map(|r| LinkedLogin {
                    id: r.id,
                    label: state
                        .oidc
                        .label(&r.provider)
                        .unwrap_or_else(|| r.provider.clone()),
                    provider: r.provider,
                    linked_at: r.linked_at,
                    last_login_at: r.last_login_at,
                    may_unlink: crate::domain::identity::may_unlink(has_password, count),
                })
                .collect();
            let linkable: Vec<ProviderButton> = state
                .oidc
                .buttons()
                .into_iter()
                .filter(|b| !linked.iter().any(|l| l.provider == b.id))
                .collect();
            Ok(AccountLogins {
                has_password,
                linked,
                linkable,
            })
        }
        .await,
    )
}

/// Links a login at `provider` to the caller's account: the password is checked first
/// (someone at an unlocked screen must not tie their own MitID to another's account), then
/// the browser goes to the provider, and the callback links what it proves.
#[server(prefix = "/api", endpoint = "link_login")]
pub async fn link_login(provider: String, password: String) -> Result<(), AppError> {
    auth::respond(
        async {
            let user = auth::require_user().await?;
            let state = auth::state()?;
            let pool = state.db.pool();
            if !state.oidc.has(&provider) {
                return Err(AppError::invalid("provider", Msg::UnknownLoginProvider));
            }
            let stored = db::users::password_hash(pool, user.id).await?;
            let Some(stored) = stored else {
                // An account without a password links further logins by … a password it
                // does not have: refused, saying so.
                return Err(AppError::invalid("password", Msg::WrongPassword));
            };
            crate::api::accounts::throttle(pool, &format!("uid:{}", user.id.0)).await?;
            if !password::verify(password, stored).await {
                return Err(AppError::invalid("password", Msg::WrongPassword));
            }
            let cookie = leptos_axum::extract::<http::HeaderMap>()
                .await
                .ok()
                .and_then(|h| {
                    h.get(http::header::COOKIE)
                        .and_then(|v| v.to_str().ok())
                        .and_then(|c| oidc_flow::cookie_value(Some(c), oidc_flow::FLOW_COOKIE))
                        .map(str::to_owned)
                });
            let begun = oidc_flow::begin(&state, &provider, Some(user.id), cookie.as_deref())
                .await
                .map_err(|r| AppError::invalid("provider", r.msg()))?;
            if let (Some(options), Ok(value)) = (
                use_context::<leptos_axum::ResponseOptions>(),
                http::HeaderValue::from_str(&begun.set_cookie),
            ) {
                options.append_header(http::header::SET_COOKIE, value);
            }
            leptos_axum::redirect(&begun.url);
            Ok(())
        }
        .await,
    )
}

/// Removes one of the caller's linked logins, unless it is their last way in. A second
/// press (the login gone already) changes nothing and succeeds.
#[server(prefix = "/api", endpoint = "unlink_login")]
pub async fn unlink_login(identity_id: IdentityId) -> Result<(), AppError> {
    auth::respond(
        async {
            let user = auth::require_user().await?;
            let state = auth::state()?;
            match db::identities::unlink(state.db.pool(), user.id, identity_id).await? {
                db::identities::UnlinkOutcome::Removed => {
                    tracing::info!(user_id = user.id.0, "login unlinked");
                }
                db::identities::UnlinkOutcome::NotFound => {}
                db::identities::UnlinkOutcome::LastWayIn => {
                    return Err(AppError::invalid("identity_id", Msg::LastWayIn));
                }
            }
            leptos_axum::redirect("/konto?fjernet=1");
            Ok(())
        }
        .await,
    )
}
