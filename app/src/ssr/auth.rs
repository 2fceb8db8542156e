//! Who is calling, and what they may do. Every server function starts here:
//! `require_user()`, `require_active()` or `require(&[RoleKind::…])`, so a missing check
//! stands out in review.
use crate::domain::account::{AccountStatus, RoleKind, SessionUser};
use crate::domain::error::AppError;
use crate::domain::ids::UserId;
use crate::ssr::db::sessions::USER_ID_KEY;
use crate::ssr::db::users;
use crate::ssr::state::AppState;
use leptos::prelude::use_context;
use tower_sessions::Session;

/// The application state, from the request context.
pub fn state() -> Result<AppState, AppError> {
    use_context::<AppState>().ok_or_else(|| {
        tracing::error!("AppState missing from context");
        AppError::Internal
    })
}

/// The request's session (set up by the session layer).
pub async fn session() -> Result<Session, AppError> {
    leptos_axum::extract::<Session>().await.map_err(|error| {
        tracing::error!(%error, "session layer missing");
        AppError::Internal
    })
}

fn session_error(error: tower_sessions::session::Error) -> AppError {
    tracing::error!(%error, "session store error");
    AppError::Internal
}

/// The id the session is logged in as, without loading the account (for work that needs
/// only the id, e.g. issuing a form token on a page that has loaded the account already).
pub async fn session_user_id() -> Result<Option<UserId>, AppError> {
    let session = session().await?;
    let id: Option<i64> = session.get(USER_ID_KEY).await.map_err(session_error)?;
    Ok(id.map(UserId))
}

/// The person the page cache has already found for this request by its session cookie
/// (`server::page_cache`), put in the request's extensions so that the render does not
/// read them again. Only the server sets extensions; a request cannot carry one.
#[derive(Clone, Debug)]
pub struct KnownUser(pub SessionUser);

/// The logged-in user, if any.
pub async fn current_user() -> Result<Option<SessionUser>, AppError> {
    if let Some(parts) = use_context::<http::request::Parts>() {
        if let Some(KnownUser(user)) = parts.extensions.get::<KnownUser>() {
            return Ok(Some(user.clone()));
        }
    }
    let session = session().await?;
    let id: Option<i64> = session.get(USER_ID_KEY).await.map_err(session_error)?;
    let Some(id) = id else {
        return Ok(None);
    };
    let state = state()?;
    let user = users::session_user(state.db.pool(), UserId(id)).await?;
    if user.is_none() {
        // The account is gone: end the session.
        session.flush().await.map_err(session_error)?;
    }
    Ok(user)
}

/// Anyone logged in (401 otherwise).
pub async fn require_user() -> Result<SessionUser, AppError> {
    current_user().await?.ok_or(AppError::Unauthenticated)
}

/// Logged in and allowed to post: under-15 accounts wait for confirmation (403).
pub async fn require_active() -> Result<SessionUser, AppError> {
    let user = require_user().await?;
    if user.status != AccountStatus::Active {
        return Err(AppError::Forbidden);
    }
    Ok(user)
}

/// Logged in and holding at least one of `roles` (401 / 403 otherwise).
pub async fn require(roles: &[RoleKind]) -> Result<SessionUser, AppError> {
    let user = require_user().await?;
    if roles.iter().any(|r| user.has(*r)) {
        Ok(user)
    } else {
        Err(AppError::Forbidden)
    }
}

/// Starts a logged-in session: a new session id (no fixation), then the user id.
pub async fn log_in(user: UserId) -> Result<(), AppError> {
    start_session(&session().await?, user).await
}

/// [`log_in`] on a session at hand (a plain axum handler: the login callback).
pub async fn start_session(session: &Session, user: UserId) -> Result<(), AppError> {
    session.cycle_id().await.map_err(session_error)?;
    // A provider login of the session before belongs to that login.
    for key in [
        super::oidc_flow::SESSION_PROVIDER_KEY,
        super::oidc_flow::SESSION_ID_TOKEN_KEY,
    ] {
        session.remove_value(key).await.map_err(session_error)?;
    }
    session
        .insert(USER_ID_KEY, user.0)
        .await
        .map_err(session_error)?;
    Ok(())
}

/// Ends the session on the server and clears the cookie.
pub async fn log_out() -> Result<(), AppError> {
    session().await?.flush().await.map_err(session_error)
}

/// Sets the HTTP status of an error response for API clients. Plain HTML form posts
/// (no JavaScript) keep their redirect back to the form, which shows the error.
pub fn respond<T>(result: Result<T, AppError>) -> Result<T, AppError> {
    if let Err(error) = &result {
        let accepts_html = use_context::<http::request::Parts>()
            .and_then(|p| p.headers.get(http::header::ACCEPT).cloned())
            .and_then(|v| v.to_str().ok().map(|s| s.contains("text/html")))
            .unwrap_or(false);
        if !accepts_html {
            if let (Some(options), Ok(status)) = (
                use_context::<leptos_axum::ResponseOptions>(),
                http::StatusCode::from_u16(error.status()),
            ) {
                options.set_status(status);
            }
        }
    }
    result
}

/// The caller's IP address, put on the request by the server's `client_ip` middleware
/// (the socket's peer, or the proxy's `X-Forwarded-For` when configured to trust it).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ClientIp(pub std::net::IpAddr);

/// The caller's IP address, when known.
pub fn client_ip() -> Option<std::net::IpAddr> {
    use_context::<http::request::Parts>()
        .and_then(|p| p.extensions.get::<ClientIp>().copied())
        .map(|c| c.0)
}

/// Takes one event from `bucket`; 429 when the bucket has had `max` in the last
/// `window_secs` seconds (the refused request is not recorded). Kept in the database, so
/// it holds across instances. The ticket can be given back when the request stores
/// nothing after all ([`RateTicket::give_back`]).
pub async fn limit(bucket: &str, max: i64, window_secs: i64) -> Result<RateTicket, AppError> {
    let state = state()?;
    match crate::ssr::db::rate::take(state.db.pool(), bucket, max, window_secs).await? {
        Some(event) => Ok(RateTicket(Some(event))),
        None => {
            let kind = bucket.split(':').next().unwrap_or("");
            tracing::warn!(kind, "rate limited");
            Err(AppError::RateLimited)
        }
    }
}

/// One counted request (or none, when the caller's IP is unknown).
#[derive(Debug, Default)]
#[must_use = "a rate ticket is given back when the request stores nothing"]
pub struct RateTicket(Option<crate::ssr::db::rate::RateEvent>);

impl RateTicket {
    /// The request was refused or replayed after it was counted: it does not count.
    pub async fn give_back(self) {
        let (Some(event), Ok(state)) = (self.0, state()) else {
            return;
        };
        if let Err(error) = crate::ssr::db::rate::give_back(state.db.pool(), &event).await {
            tracing::warn!(%error, "could not give a rate-limit event back");
        }
    }

    /// The request did what it asked: the event stays counted.
    pub fn keep(self) {}
}

/// Like [`limit`], per client IP; does nothing when the IP is unknown.
pub async fn limit_ip(kind: &str, max: i64, window_secs: i64) -> Result<RateTicket, AppError> {
    match client_ip() {
        Some(ip) => limit(&format!("{kind}:ip:{ip}"), max, window_secs).await,
        None => Ok(RateTicket::default()),
    }
}

/// Like [`limit`], per user.
pub async fn limit_user(
    kind: &str,
    user: UserId,
    max: i64,
    window_secs: i64,
) -> Result<RateTicket, AppError> {
    limit(&format!("{kind}:user:{}", user.0), max, window_secs).await
}
