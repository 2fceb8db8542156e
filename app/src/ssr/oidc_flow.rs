//! One login through an identity provider, from the button to the account: the flow is
//! stored (hashed state, nonce, PKCE verifier) and bound to the browser by a cookie; the
//! callback takes it back exactly once, checks the answer (`ssr::oidc`) and finds, makes or
//! links the account by the rules of `domain::identity`.
use super::db::{self, identities, identities::LinkOutcome};
use super::oidc::Finished;
use super::state::AppState;
use crate::domain::account::AccountStatus;
use crate::domain::identity::{plan_account, AccountPlan, LoginRefusal, FLOW_TTL_SECS};
use crate::domain::ids::UserId;
use argon2::password_hash::rand_core::{OsRng, RngCore};
use sha2::{Digest, Sha256};

/// The cookie that binds a login under way to the browser that started it.
pub const FLOW_COOKIE: &str = "stemme_oidc";
/// Session keys of a session that logged in at a provider (for logging out there too).
pub const SESSION_PROVIDER_KEY: &str = "oidc_provider";
pub const SESSION_ID_TOKEN_KEY: &str = "oidc_id_token";

pub(crate) fn sha256_hex(s: &str) -> String {
    Sha256::digest(s.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

pub(crate) fn random_hex() -> String {
    let mut bytes = [0u8; 32];
    OsRng.fill_bytes(&mut bytes);
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// A flow cookie's value as we make them (64 hex digits); anything else is ignored.
pub(crate) fn usable_cookie(value: Option<&str>) -> Option<&str> {
    value.filter(|v| v.len() == 64 && v.bytes().all(|b| b.is_ascii_hexdigit()))
}

/// The value of cookie `name` in a `Cookie` header.
pub fn cookie_value<'a>(header: Option<&'a str>, name: &str) -> Option<&'a str> {
    header?.split(';').find_map(|part| {
        let (k, v) = part.trim().split_once('=')?;
        (k == name).then_some(v)
    })
}

/// A login sent on its way: where the browser goes, and the flow cookie to set.
pub struct Begun {
    pub url: String,
    pub set_cookie: String,
}

/// Starts a login (or, with `link_to`, the linking of a login to that account, after the
/// caller checked the password). The browser's flow cookie is kept when it has one, so
/// two tabs can log in at once.
pub async fn begin(
    state: &AppState,
    provider: &str,
    link_to: Option<UserId>,
    cookie: Option<&str>,
) -> Result<Begun, LoginRefusal> {
    let start = state.oidc.authorize(provider).await?;
    let browser = usable_cookie(cookie)
        .map(str::to_owned)
        .unwrap_or_else(random_hex);
    identities::insert_flow(
        state.db.pool(),
        identities::NewFlow {
            state_hash: &sha256_hex(&start.state),
            browser_hash: &sha256_hex(&browser),
            provider,
            nonce: &start.nonce,
            pkce_verifier: &start.pkce_verifier,
            link_to,
            ttl_secs: FLOW_TTL_SECS,
        },
    )
    .await
    .map_err(|error| {
        tracing::error!(%error, "could not store a login flow");
        LoginRefusal::ProviderDown
    })?;
    // Lax: the provider sends the browser back with a top-level GET from its own site.
    let secure = if state.cookie_secure { "; Secure" } else { "" };
    Ok(Begun {
        url: start.url,
        set_cookie: format!(
            "{FLOW_COOKIE}={browser}; Path=/auth/oidc; HttpOnly; SameSite=Lax; Max-Age={FLOW_TTL_SECS}{secure}"
        ),
    })
}

/// What the provider sent back to the callback.
#[derive(Debug, Default, serde::Deserialize)]
pub struct CallbackParams {
    pub code: Option<String>,
    pub state: Option<String>,
    pub error: Option<String>,
}

/// Where a finished flow leaves the person.
pub enum Landed {
    /// Logged in as `user` (an account found or just made).
    LoggedIn {
        user: UserId,
        created: bool,
        id_token: String,
    },
    /// The login is now linked to `user`'s account.
    Linked { user: UserId },
}

/// A refused callback, and whether it was a linking (the person goes back to their
/// account page, not to the login page).
pub struct Refused {
    pub refusal: LoginRefusal,
    pub linking: bool,
}

/// Finishes the flow the callback names. Every refusal leaves no session and no account.
pub async fn complete(
    state: &AppState,
    provider: &str,
    params: CallbackParams,
    cookie: Option<&str>,
) -> Result<Landed, Refused> {
    let refuse = |refusal, linking| Refused { refusal, linking };
    let pool = state.db.pool();
    let Some(flow_state) = params
        .state
        .as_deref()
        .filter(|s| !s.is_empty() && s.len() <= 512)
    else {
        tracing::warn!(provider, "login callback without state");
        return Err(refuse(LoginRefusal::Failed, false));
    };
    let flow = identities::take_flow(pool, &sha256_hex(flow_state))
        .await
        .map_err(|error| {
            tracing::error!(%error, "could not read a login flow");
            refuse(LoginRefusal::ProviderDown, false)
        })?;
    let Some(flow) = flow else {
        tracing::warn!(provider, "login callback with an unknown or used state");
        return Err(refuse(LoginRefusal::Failed, false));
    };
    let linking = flow.user_id.is_some();
    let browser_ok = usable_cookie(cookie).is_some_and(|c| sha256_hex(c) == flow.browser_hash);
    if !browser_ok || flow.provider != provider || identities::flow_expired(&flow) {
        tracing::warn!(
            provider,
            browser_ok,
            "login callback refused: another browser, provider or too late"
        );
        return Err(refuse(LoginRefusal::Failed, linking));
    }
    if let Some(error) = params.error.as_deref() {
        let refusal = match error {
            "access_denied" | "login_required" | "consent_required" => LoginRefusal::Cancelled,
            "temporarily_unavailable" | "server_error" => LoginRefusal::ProviderDown,
            _ => LoginRefusal::Failed,
        };
        tracing::info!(
            provider,
            refusal = refusal.as_str(),
            "provider returned no login"
        );
        return Err(refuse(refusal, linking));
    }
    let Some(code) = params
        .code
        .as_deref()
        .filter(|c| !c.is_empty() && c.len() <= 2048)
    else {
        return Err(refuse(LoginRefusal::Failed, linking));
    };
    let Finished { person, id_token } = state
        .oidc
        .finish(provider, code, &flow.nonce, &flow.pkce_verifier)
        .await
        .map_err(|r| refuse(r, linking))?;
    let db_error = |error: db::DbError| {
        tracing::error!(%error, "login could not be stored");
        refuse(LoginRefusal::ProviderDown, linking)
    };
    if let Some(user) = flow.user_id.map(UserId) {
        return match identities::link(pool, user, provider, &person.subject)
            .await
            .map_err(db_error)?
        {
            LinkOutcome::Linked | LinkOutcome::AlreadyThis => {
                tracing::info!(user_id = user.0, provider, "login linked");
                Ok(Landed::Linked { user })
            }
            LinkOutcome::Elsewhere => Err(refuse(LoginRefusal::LinkedElsewhere, true)),
            LinkOutcome::ProviderTaken => Err(refuse(LoginRefusal::AlreadyLinked, true)),
        };
    }
    if let Some(user) = identities::login_user(pool, provider, &person.subject)
        .await
        .map_err(db_error)?
    {
        return Ok(Landed::LoggedIn {
            user,
            created: false,
            id_token,
        });
    }
    // A first login: the account is made from what the provider proved.
    let consent_age = db::settings::profile(pool)
        .await
        .map_err(db_error)?
        .consent_age;
    let today = crate::domain::localtime::copenhagen_time(chrono::Utc::now()).date_naive();
    let plan = plan_account(
        &person,
        &state.oidc.pupil_roles(provider),
        today,
        consent_age,
    )
    .map_err(|r| refuse(r, false))?;
    let (school, birth_year, status) = match plan {
        AccountPlan::Pupil {
            institutions,
            birth_year,
        } => {
            let school = identities::school_by_institution(pool, &institutions)
                .await
                .map_err(db_error)?
                .ok_or_else(|| refuse(LoginRefusal::SchoolNotHere, false))?;
            (Some(school), birth_year, AccountStatus::Active)
        }
        AccountPlan::Youth { birth_year, status } => (None, Some(birth_year), status),
    };
    let first_name = person
        .first_name
        .as_deref()
        .and_then(|n| crate::domain::account::validate_first_name(n).ok())
        .unwrap_or_else(|| "Ung".to_owned());
    let made = async {
        let mut tx = db::write_tx(pool).await?;
        let id = db::users::create_from_login_tx(
            &mut tx,
            db::users::NewLoginUser {
                first_name: &first_name,
                email: person.email.as_deref(),
                birth_year,
                status,
                school_id: school,
            },
        )
        .await?;
        let linked = identities::insert_tx(&mut tx, id, provider, &person.subject).await?;
        if linked {
            tx.commit().await?;
        }
        Ok::<_, db::DbError>(linked.then_some(id))
    }
    .await
    .map_err(db_error)?;
    match made {
        Some(user) => {
            tracing::info!(
                user_id = user.0,
                provider,
                status = status.as_str(),
                "account made from a login"
            );
            Ok(Landed::LoggedIn {
                user,
                created: true,
                id_token,
            })
        }
        // The same person's first login finished in another tab a moment earlier.
        None => match identities::login_user(pool, provider, &person.subject)
            .await
            .map_err(db_error)?
        {
            Some(user) => Ok(Landed::LoggedIn {
                user,
                created: false,
                id_token,
            }),
            None => Err(refuse(LoginRefusal::Failed, false)),
        },
    }
}
