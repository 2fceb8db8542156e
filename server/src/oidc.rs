//! `GET /auth/oidc/{provider}/start` and `GET /auth/oidc/{provider}/callback`: logging in
//! through an identity provider (UNI-Login, MitID). Plain links and redirects, so they work
//! without JavaScript; the flow itself is `app::ssr::oidc_flow`.
use app::domain::identity::{LoginRefusal, MAX_STARTS_PER_IP};
use app::ssr::auth::ClientIp;
use app::ssr::oidc_flow::{self, CallbackParams, Landed, Refused};
use app::ssr::state::AppState;
use axum::extract::{Path, Query, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Extension;
use tower_sessions::Session;

/// A 303 to `to`, with the flow cookie when one is given.
fn see_other(to: &str, set_cookie: Option<&str>) -> Response {
    let mut response = StatusCode::SEE_OTHER.into_response();
    if let Ok(v) = HeaderValue::from_str(to) {
        response.headers_mut().insert(header::LOCATION, v);
    }
    if let Some(cookie) = set_cookie.and_then(|c| HeaderValue::from_str(c).ok()) {
        response.headers_mut().append(header::SET_COOKIE, cookie);
    }
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

/// Back to the login page (or the account page, for a linking) with the reason.
fn refused(refusal: LoginRefusal, linking: bool) -> Response {
    let page = if linking { "/konto" } else { "/log-ind" };
    see_other(&format!("{page}?login-fejl={}", refusal.as_str()), None)
}

fn cookie_header(headers: &HeaderMap) -> Option<&str> {
    headers.get(header::COOKIE).and_then(|v| v.to_str().ok())
}

/// Sends the browser to the provider's login page.
pub async fn start(
    State(state): State<AppState>,
    Path(provider): Path<String>,
    ip: Option<Extension<ClientIp>>,
    headers: HeaderMap,
) -> Response {
    if !state.oidc.has(&provider) {
        return StatusCode::NOT_FOUND.into_response();
    }
    // Each start stores a flow: a script cannot fill the table from one address.
    if let Some(Extension(ClientIp(ip))) = ip {
        let bucket = format!("oidc-start:ip:{ip}");
        match app::ssr::db::rate::take(state.db.pool(), &bucket, MAX_STARTS_PER_IP, 600).await {
            Ok(Some(_)) => {}
            Ok(None) => return StatusCode::TOO_MANY_REQUESTS.into_response(),
            Err(error) => {
                tracing::error!(%error, "rate limit unavailable");
                return StatusCode::INTERNAL_SERVER_ERROR.into_response();
            }
        }
    }
    let cookie = oidc_flow::cookie_value(cookie_header(&headers), oidc_flow::FLOW_COOKIE);
    match oidc_flow::begin(&state, &provider, None, cookie).await {
        Ok(begun) => see_other(&begun.url, Some(&begun.set_cookie)),
        Err(refusal) => refused(refusal, false),
    }
}

/// Where the provider sends the browser back: finishes the login (or the linking).
pub async fn callback(
    State(state): State<AppState>,
    Path(provider): Path<String>,
    Query(params): Query<CallbackParams>,
    session: Session,
    headers: HeaderMap,
) -> Response {
    if !state.oidc.has(&provider) {
        return StatusCode::NOT_FOUND.into_response();
    }
    let cookie = oidc_flow::cookie_value(cookie_header(&headers), oidc_flow::FLOW_COOKIE);
    match oidc_flow::complete(&state, &provider, params, cookie).await {
        Ok(Landed::LoggedIn {
            user,
            created,
            id_token,
        }) => {
            if app::ssr::auth::start_session(&session, user).await.is_err() {
                return refused(LoginRefusal::ProviderDown, false);
            }
            let kept = async {
                session
                    .insert(oidc_flow::SESSION_PROVIDER_KEY, &provider)
                    .await?;
                session
                    .insert(oidc_flow::SESSION_ID_TOKEN_KEY, &id_token)
                    .await
            }
            .await;
            if let Err(error) = kept {
                // Logged in all the same; only the provider's logout will be skipped.
                tracing::warn!(%error, "could not keep the provider login in the session");
            }
            tracing::info!(user_id = user.0, provider = %provider, created, "logged in through a provider");
            see_other(if created { "/konto?ny=1" } else { "/konto" }, None)
        }
        Ok(Landed::Linked { .. }) => see_other(&format!("/konto?tilknyttet={provider}"), None),
        Err(Refused { refusal, linking }) => refused(refusal, linking),
    }
}
