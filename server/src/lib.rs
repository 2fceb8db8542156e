//! The Stemme web server: routes, static files and the Leptos app, wired to state.
//! `router(state)` is what `main` serves and what the HTTP tests call.
pub mod assets;
pub mod backup;
pub mod config;
pub mod csp;
pub mod hearing_files;
pub mod live;
pub mod mailer;
pub mod oidc;
pub mod open_data;
pub mod page_cache;
pub mod provision;
pub mod refusals;
pub mod telemetry;
pub mod unsubscribe;

use app::domain::lang;
use app::ssr::{db::sessions::DbSessionStore, db::Db, state::AppState};
use app::ui::{shell, App};
use axum::body::Body;
use axum::extract::{Path, Query, State};
use axum::http::{header, HeaderValue, Request, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use leptos::config::{Env, LeptosOptions};
use leptos::prelude::provide_context;
use leptos_axum::{generate_route_list, AxumRouteListing, LeptosRoutes};
use std::collections::HashMap;
use tower_http::compression::predicate::{DefaultPredicate, NotForContentType, Predicate};
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::trace::TraceLayer;
use tower_sessions::cookie::SameSite;
use tower_sessions::{Expiry, SessionManagerLayer};

/// Runs the reminder task every `every`: committee politicians hear 7 days before an
/// answer deadline, the coordinator when it has passed (and, for a hearing whose feedback
/// is past due, its sender and the coordinator); the due mail digests are written;
/// and used form tokens, old mail and spent mail tokens are forgotten. Each reminder is claimed by a
/// database row, so several instances may run this at once without sending twice.
pub fn spawn_reminders(db: Db, every: std::time::Duration) {
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(every);
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            tick.tick().await;
            match app::ssr::db::answers::send_reminders(db.pool(), chrono::Utc::now()).await {
                Ok((0, 0)) => {}
                Ok((soon, overdue)) => tracing::info!(soon, overdue, "answer reminders sent"),
                Err(error) => tracing::warn!(%error, "could not send answer reminders"),
            }
            // Hearings whose feedback is past due: the sender and the coordinator hear (#21).
            match app::ssr::db::hearings::send_overdue(db.pool(), chrono::Utc::now()).await {
                Ok(0) => {}
                Ok(hearings) => tracing::info!(hearings, "hearing feedback reminders sent"),
                Err(error) => tracing::warn!(%error, "could not send hearing feedback reminders"),
            }
            match app::ssr::db::mail::write_digests(db.pool(), chrono::Utc::now()).await {
                Ok(0) => {}
                Ok(digests) => tracing::info!(digests, "mail digests written"),
                Err(error) => tracing::warn!(%error, "could not write mail digests"),
            }
            if let Err(error) = app::ssr::db::mail::prune(db.pool(), chrono::Utc::now()).await {
                tracing::warn!(%error, "could not prune old mail");
            }
            // Used one-time form tokens are kept a day past their week of validity.
            let days = app::ssr::once::VALID_SECS / 86_400 + 1;
            if let Err(error) = app::ssr::db::submissions::prune(db.pool(), days).await {
                tracing::warn!(%error, "could not prune old form submissions");
            }
        }
    });
}

/// Leptos settings for a site built into `site_root` and served on `addr`.
pub fn leptos_options(config: &config::Config) -> LeptosOptions {
    let env = match std::env::var("LEPTOS_ENV").as_deref() {
        Ok("DEV") | Ok("dev") => Env::DEV,
        _ => Env::PROD,
    };
    // With a hash list the js, wasm and css have hashed names; Leptos reads the list from
    // `hash_file` joined to the binary's directory, so an absolute path points it anywhere.
    let hash_file = assets::hash_file(&config.site_root);
    LeptosOptions::builder()
        .output_name("stemme")
        .site_root(config.site_root.to_string_lossy().into_owned())
        .site_pkg_dir("pkg")
        .site_addr(config.addr)
        .env(env)
        .hash_files(hash_file.is_some())
        .hash_file(
            hash_file
                .map(|p| p.to_string_lossy().into_owned())
                .unwrap_or_else(|| assets::HASH_FILE.to_owned())
                .into(),
        )
        .build()
}

/// Connects to the database and migrates it.
pub async fn connect(config: &config::Config) -> Result<Db, app::ssr::db::DbError> {
    let db = Db::connect(&config.database_url, config.db_max_connections).await?;
    db.migrate().await?;
    Ok(db)
}

/// The name of the session cookie.
pub const SESSION_COOKIE: &str = "stemme_session";

/// Sessions live in the database; the cookie is HttpOnly, SameSite=Lax, Secure when
/// configured, and expires after 14 days without a visit.
fn session_layer(state: &AppState) -> SessionManagerLayer<DbSessionStore> {
    SessionManagerLayer::new(DbSessionStore::new(state.db.pool().clone()))
        .with_name(SESSION_COOKIE)
        .with_http_only(true)
        .with_same_site(SameSite::Lax)
        .with_secure(state.cookie_secure)
        .with_path("/")
        .with_expiry(Expiry::OnInactivity(time::Duration::days(
            app::ssr::db::sessions::INACTIVITY_DAYS,
        )))
        // Saved on every request, so the 14 days count from the last visit.
        .with_always_save(true)
}

/// How long an anonymous visitor's proposal list is served from the page cache unless
/// `STEMME_PAGE_CACHE_MS` says otherwise (see [`page_cache`]).
pub const PAGE_CACHE_TTL: std::time::Duration = std::time::Duration::from_secs(1);

/// The whole HTTP application, with the default page cache.
pub fn router(state: AppState) -> Router {
    router_with_cache(state, page_cache::PageCache::new(PAGE_CACHE_TTL))
}

/// The app's page routes, found once per process.
///
/// `generate_route_list` renders the whole app with leptos's *process-wide* "do not load
/// resources" flag set (`leptos::server::SuppressResourceLoad`, an `AtomicBool` in
/// leptos_server): a page rendering anywhere else in the process at that moment starts its
/// resources as `pending()` forever, and its response never comes (upstream:
/// leptos-rs/leptos#4773). The list is the same every time, so it is made once, before the
/// first router exists; building more routers (the HTTP tests build one per test, in
/// parallel threads) then never renders the app in the background of another request.
fn page_routes() -> Vec<AxumRouteListing> {
    static ROUTES: std::sync::OnceLock<Vec<AxumRouteListing>> = std::sync::OnceLock::new();
    ROUTES.get_or_init(|| generate_route_list(App)).clone()
}

/// The whole HTTP application, with the given page cache.
pub fn router_with_cache(state: AppState, cache: page_cache::PageCache) -> Router {
    let routes = page_routes();
    let ctx = state.clone();
    let ctx_fallback = state.clone();
    let shell_options = state.leptos.clone();
    let hash_file = state
        .leptos
        .hash_files
        .then(|| std::path::PathBuf::from(state.leptos.hash_file.as_ref()));
    let stylesheet: std::sync::Arc<str> = assets::stylesheet_href(hash_file.as_deref()).into();

    Router::new()
        .route("/health", get(health))
        .route("/sprog/{code}", get(switch_language))
        .route("/konto/mine-data.json", get(app::ssr::export::my_data_json))
        .route(
            "/raad/{id}/kalender.ics",
            get(app::ssr::calendar::council_calendar),
        )
        .route(
            "/puljen/{year}/regnskab.csv",
            get(app::ssr::pool_csv::ledger_csv),
        )
        .route("/api/{*fn_name}", get(server_fns).post(server_fns))
        // Login through an identity provider (OpenID Connect).
        .route("/auth/oidc/{provider}/start", get(oidc::start))
        .route("/auth/oidc/{provider}/callback", get(oidc::callback))
        // RFC 8058 one-click unsubscribe (the page at the same address is a GET).
        .route(
            unsubscribe::PATH,
            axum::routing::post(unsubscribe::one_click),
        )
        // A hearing's background files (PDF): upload and download.
        .merge(hearing_files::routes())
        // Atom feeds and CSV/JSON exports (open data).
        .merge(open_data::routes())
        // The OParl 1.1 read-only API (open data for council information, #22).
        .merge(app::ssr::oparl::routes())
        // Live sessions' streams (server-sent events).
        .merge(live::routes())
        .leptos_routes_with_context(
            &state,
            routes,
            move || {
                provide_context(ctx.clone());
                csp::record_nonce();
            },
            move || shell(shell_options.clone()),
        )
        // Static files from the site root, else the 404 page.
        .fallback(
            axum::handler::Handler::layer(
                leptos_axum::file_and_error_handler_with_context::<AppState, _>(
                    move || {
                        provide_context(ctx_fallback.clone());
                        csp::record_nonce();
                    },
                    shell,
                ),
                axum::middleware::from_fn(static_cache_control),
            ),
        )
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            refused_form,
        ))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            keep_refused_forms,
        ))
        .layer(axum::middleware::from_fn(unreadable_is_not_a_server_error))
        .layer(session_layer(&state))
        .layer(axum::middleware::from_fn(client_ip))
        .layer(axum::middleware::from_fn(same_origin_posts))
        // Bodies of other requests than `/api/` POSTs (which `refusals` reads itself).
        .layer(axum::middleware::from_fn(body_limit))
        // Outside the body limit (its 413 becomes a page or the app's JSON), inside the
        // security headers (its pages get them too).
        .layer(axum::middleware::from_fn(refusals::layer))
        .layer(axum::middleware::from_fn_with_state(
            stylesheet,
            assets::with_stylesheet,
        ))
        .layer(axum::middleware::map_request(danish_by_default))
        .layer(SetResponseHeaderLayer::if_not_present(
            header::X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        ))
        .layer(SetResponseHeaderLayer::if_not_present(
            header::REFERRER_POLICY,
            HeaderValue::from_static("same-origin"),
        ))
        .layer(SetResponseHeaderLayer::if_not_present(
            header::X_FRAME_OPTIONS,
            HeaderValue::from_static("DENY"),
        ))
        // Pages get their policy with their render's nonce (see `csp`)...
        .layer(axum::middleware::from_fn_with_state(
            csp::FormTargets(state.oidc.origins().join(" ").into()),
            csp::layer,
        ))
        // ...everything else (JSON, CSV, static files, refusal pages) may run nothing and
        // be framed by nobody.
        .layer(SetResponseHeaderLayer::if_not_present(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static(
                "default-src 'none'; style-src 'self'; img-src 'self'; frame-ancestors 'none'; base-uri 'none'",
            ),
        ))
        .layer(SetResponseHeaderLayer::if_not_present(
            header::HeaderName::from_static("cross-origin-opener-policy"),
            HeaderValue::from_static("same-origin"),
        ))
        .layer(SetResponseHeaderLayer::if_not_present(
            header::HeaderName::from_static("permissions-policy"),
            HeaderValue::from_static("camera=(), microphone=(), geolocation=(), interest-cohort=()"),
        ))
        // Inside compression (a cached page is compressed per response like any other),
        // outside everything that would otherwise run per request.
        .layer(axum::middleware::from_fn_with_state(
            (cache, state.clone()),
            page_cache::layer,
        ))
        // Pages and JSON are compressed on the fly (brotli at quality 4: most of the gain
        // for a fraction of the CPU of the default 11); static files come precompressed
        // and already carry their Content-Encoding, which this layer leaves alone.
        .layer(
            tower_http::compression::CompressionLayer::new()
                .quality(tower_http::CompressionLevel::Precise(4))
                // PDFs are compressed inside already, and a hearing's file is up to 10 MiB.
                .compress_when(DefaultPredicate::new().and(NotForContentType::const_new(
                    "application/pdf",
                ))),
        )
        .layer(TraceLayer::new_for_http())
        .with_state(state)
}

/// Static files (served by the fallback from the site root) get a `Cache-Control`: a
/// year and immutable for names with a content hash, an hour for the rest. The fallback's
/// 404 page is left alone.
async fn static_cache_control(req: Request<Body>, next: axum::middleware::Next) -> Response {
    let path = req.uri().path().to_owned();
    let mut res = next.run(req).await;
    let served = matches!(
        res.status(),
        StatusCode::OK | StatusCode::NOT_MODIFIED | StatusCode::PARTIAL_CONTENT
    );
    if served && assets::is_file_path(&path) && !res.headers().contains_key(header::CACHE_CONTROL) {
        res.headers_mut().insert(
            header::CACHE_CONTROL,
            HeaderValue::from_static(assets::cache_control(&path)),
        );
    }
    res
}

/// The largest request body accepted (a long proposal is ~10 kB); larger gets 413, also
/// when it comes chunked (see [`refusals`]).
pub const MAX_BODY_BYTES: usize = 256 * 1024;

/// The request body limit: [`MAX_BODY_BYTES`], or [`hearing_files::MAX_UPLOAD_BODY`] for
/// a hearing's file upload. A declared `Content-Length` over it is 413 at once (the upload
/// checks its own, to send a browser back to the form); a body without one is cut off at
/// the limit as it is read (413 from whoever reads it), never buffered beyond it.
async fn body_limit(req: Request<Body>, next: axum::middleware::Next) -> Response {
    let upload = hearing_files::is_upload(&req);
    let limit = if upload {
        hearing_files::MAX_UPLOAD_BODY
    } else {
        MAX_BODY_BYTES
    };
    let declared = req
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse::<u64>().ok());
    if !upload && declared.is_some_and(|n| n > limit as u64) {
        return (StatusCode::PAYLOAD_TOO_LARGE, "length limit exceeded").into_response();
    }
    let (parts, body) = req.into_parts();
    let body = Body::new(http_body_util::Limited::new(body, limit));
    next.run(Request::from_parts(parts, body)).await
}

async fn server_fns(State(state): State<AppState>, req: Request<Body>) -> impl IntoResponse {
    leptos_axum::handle_server_fns_with_context(move || provide_context(state.clone()), req).await
}

/// Arguments the server function could not even read (missing or duplicated fields, a
/// number that is not one) come back from leptos as a 500 with the app's `BadRequest`
/// (naming the field when serde does); they are the client's mistake, so they get its
/// status (422).
async fn unreadable_is_not_a_server_error(
    req: Request<Body>,
    next: axum::middleware::Next,
) -> Response {
    let api = req.uri().path().starts_with("/api/");
    let res = next.run(req).await;
    if !api || res.status() != StatusCode::INTERNAL_SERVER_ERROR {
        return res;
    }
    let (mut parts, body) = res.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, 64 * 1024).await else {
        return (
            StatusCode::INTERNAL_SERVER_ERROR,
            Json(app::domain::error::AppError::Internal),
        )
            .into_response();
    };
    let bad_request = serde_json::from_slice::<app::domain::error::AppError>(&bytes)
        .is_ok_and(|e| matches!(e, app::domain::error::AppError::BadRequest(_)));
    if bad_request {
        parts.status = StatusCode::UNPROCESSABLE_ENTITY;
    }
    Response::from_parts(parts, Body::from(bytes))
}

/// A plain HTML form post to a server function: keep the body, so that if the server
/// refuses it the form comes back filled in (the redirect gets `__form=<token>`).
async fn keep_refused_forms(
    State(state): State<AppState>,
    req: Request<Body>,
    next: axum::middleware::Next,
) -> Response {
    if !(is_browser_form_post(&req) && req.uri().path().starts_with("/api/")) {
        return next.run(req).await;
    }
    let (parts, body) = req.into_parts();
    let bytes = match refusals::read_limited(body, MAX_BODY_BYTES).await {
        Ok(bytes) => bytes,
        Err(refused) => return refusals::status_of(&refused).into_response(),
    };
    let mut res = next
        .run(Request::from_parts(parts, Body::from(bytes.clone())))
        .await;
    let refused_to = res
        .headers()
        .get(header::LOCATION)
        .and_then(|v| v.to_str().ok())
        .filter(|l| res.status().is_redirection() && l.contains("__err="))
        .map(str::to_owned);
    if let Some(location) = refused_to {
        if let Some(token) = app::ssr::form_flash::store(state.db.pool(), &bytes).await {
            if let Ok(v) = HeaderValue::from_str(&format!("{location}&__form={token}")) {
                res.headers_mut().insert(header::LOCATION, v);
            }
        }
    }
    res
}

/// A form posted by a browser without JavaScript (it asks for a page back).
pub(crate) fn is_browser_form_post(req: &Request<Body>) -> bool {
    let header_has = |name: header::HeaderName, what: &str| {
        req.headers()
            .get(name)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.contains(what))
    };
    req.method() == axum::http::Method::POST
        && header_has(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        && header_has(header::ACCEPT, "text/html")
}

/// Pages opened with `__form=<token>` (after a refused form post) get what was typed, as a
/// request extension the form fields read.
async fn refused_form(
    State(state): State<AppState>,
    mut req: Request<Body>,
    next: axum::middleware::Next,
) -> Response {
    if req.method() == axum::http::Method::GET {
        let token = req.uri().query().and_then(|q| {
            q.split('&')
                .find_map(|kv| kv.strip_prefix("__form="))
                .map(str::to_owned)
        });
        if let Some(token) = token {
            if let Some(flash) = app::ssr::form_flash::load(state.db.pool(), &token).await {
                req.extensions_mut().insert(flash);
            }
        }
    }
    next.run(req).await
}

/// `GET /health`: 200 when the database answers, 503 when it does not.
async fn health(State(state): State<AppState>) -> Response {
    let backend = state.db.backend().name();
    match state.db.health().await {
        Ok(schema_version) => Json(serde_json::json!({
            "status": "ok",
            "database": backend,
            "schema_version": schema_version,
        }))
        .into_response(),
        Err(error) => {
            tracing::error!(%error, database = backend, "health check failed");
            (
                StatusCode::SERVICE_UNAVAILABLE,
                Json(serde_json::json!({ "status": "unavailable", "database": backend })),
            )
                .into_response()
        }
    }
}

/// `GET /sprog/{code}?til=/path`: remember the language in a cookie and go back.
/// Works without JavaScript; only local return paths are followed.
async fn switch_language(
    State(state): State<AppState>,
    Path(code): Path<String>,
    Query(query): Query<HashMap<String, String>>,
) -> Response {
    if !lang::is_supported(&code) {
        return (StatusCode::NOT_FOUND, "Ukendt sprog / unknown language").into_response();
    }
    let back = lang::location_value(&lang::safe_return_path(
        query.get("til").map(String::as_str),
    ));
    let secure = if state.cookie_secure { "; Secure" } else { "" };
    let cookie = format!(
        "{}={code}; Path=/; Max-Age=31536000; SameSite=Lax{secure}",
        lang::LANG_COOKIE
    );
    match (HeaderValue::from_str(&back), HeaderValue::from_str(&cookie)) {
        (Ok(location), Ok(cookie)) => (
            StatusCode::SEE_OTHER,
            [(header::LOCATION, location), (header::SET_COOKIE, cookie)],
        )
            .into_response(),
        _ => (StatusCode::BAD_REQUEST, "Ugyldig adresse").into_response(),
    }
}

/// Refuses cross-site POSTs (CSRF, login CSRF): a POST is let through only when the browser
/// says it comes from this site — `Sec-Fetch-Site: same-origin`/`none`, else an `Origin`,
/// else a `Referer` naming this host. A POST that says nothing of where it comes from is
/// let through only without a session cookie (an API client or a test logging in), so an
/// old browser that sends neither header cannot be made to act for its user: SameSite=Lax
/// is the second line, not the only one. Refused: 403 with the app's error. Exempt: the
/// one-click unsubscribe (`POST /afmeld`), which acts by its token alone.
async fn same_origin_posts(req: Request<Body>, next: axum::middleware::Next) -> Response {
    // The one-click unsubscribe is posted by mail providers, from no page of ours; its
    // token is the whole credential and no session is read (see `unsubscribe`).
    let one_click = req.uri().path() == unsubscribe::PATH;
    if req.method() == axum::http::Method::POST && !one_click && !is_same_origin(req.headers()) {
        tracing::warn!(path = %req.uri().path(), "cross-site POST refused");
        return (
            StatusCode::FORBIDDEN,
            Json(app::domain::error::AppError::Forbidden),
        )
            .into_response();
    }
    next.run(req).await
}

fn is_same_origin(headers: &axum::http::HeaderMap) -> bool {
    let get = |name: &str| headers.get(name).and_then(|v| v.to_str().ok());
    let host = get("x-forwarded-host")
        .or_else(|| get("host"))
        .unwrap_or("");
    let same_host = |url: &str| {
        let rest = url.split_once("://").map(|(_, r)| r).unwrap_or("");
        let authority = rest.split(['/', '?', '#']).next().unwrap_or("");
        !host.is_empty() && authority.eq_ignore_ascii_case(host)
    };
    if let Some(site) = get("sec-fetch-site") {
        if !matches!(site, "same-origin" | "none") {
            return false;
        }
    }
    if let Some(origin) = get("origin") {
        return same_host(origin);
    }
    if let Some(referer) = get("referer") {
        return same_host(referer);
    }
    if get("sec-fetch-site").is_some() {
        return true;
    }
    let has_session = headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .any(|v| v.contains(&format!("{SESSION_COOKIE}=")));
    !has_session
}

/// Puts the caller's IP address on the request (for rate limits): the socket's peer, or —
/// when `STEMME_TRUST_PROXY=true` because a reverse proxy sits in front — the last address
/// in `X-Forwarded-For` (the one the proxy itself saw; earlier ones can be forged).
async fn client_ip(mut req: Request<Body>, next: axum::middleware::Next) -> Response {
    if let Some(ip) = caller_ip(&req) {
        req.extensions_mut().insert(app::ssr::auth::ClientIp(ip));
    }
    next.run(req).await
}

fn caller_ip(req: &Request<Body>) -> Option<std::net::IpAddr> {
    static TRUST_PROXY: std::sync::OnceLock<bool> = std::sync::OnceLock::new();
    let trust = *TRUST_PROXY
        .get_or_init(|| std::env::var("STEMME_TRUST_PROXY").is_ok_and(|v| v == "true" || v == "1"));
    let peer = req
        .extensions()
        .get::<axum::extract::ConnectInfo<std::net::SocketAddr>>()
        .map(|c| c.0.ip());
    if !trust {
        return peer;
    }
    req.headers()
        .get_all("x-forwarded-for")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .next_back()
        .and_then(|v| v.trim().parse::<std::net::IpAddr>().ok())
        .or(peer)
}

/// Danish is the language of the site for everyone; English only when chosen with the
/// language switch (cookie). The browser's `Accept-Language` is not followed: many
/// Danish phones are set to English, and the municipality speaks Danish first.
async fn danish_by_default(mut req: Request<Body>) -> Request<Body> {
    req.headers_mut().remove(header::ACCEPT_LANGUAGE);
    req
}
