//! The live stream of a session (`/live/{code}/stream`, server-sent events): the projector
//! and the phones get the session's state at once and after every change (coalesced by
//! `app::ssr::live_hub`). A dropped connection reconnects by itself (EventSource) and gets
//! the current state first, so nothing is missed and nothing is counted twice: the stream
//! only reads.
use app::domain::live::normalize_code;
use app::ssr::state::AppState;
use axum::extract::{Path, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use std::convert::Infallible;
use std::time::Duration;

pub const STREAM_PATH: &str = "/live/{code}/stream";

pub fn routes() -> Router<AppState> {
    Router::new().route(STREAM_PATH, get(stream))
}

async fn stream(State(state): State<AppState>, Path(code): Path<String>) -> Response {
    let Some(code) = normalize_code(&code) else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let pool = state.db.pool();
    let session = match app::ssr::db::live::by_code(pool, &code).await {
        Ok(Some(s)) => s,
        Ok(None) => return StatusCode::NOT_FOUND.into_response(),
        Err(error) => {
            tracing::error!(%error, "live session lookup failed");
            return StatusCode::INTERNAL_SERVER_ERROR.into_response();
        }
    };
    let rx = match state.live.subscribe(pool, session.info.id).await {
        Ok(Some(rx)) => rx,
        Ok(None) => return StatusCode::NOT_FOUND.into_response(),
        Err(error) => {
            tracing::error!(%error, "live stream could not start");
            return StatusCode::INTERNAL_SERVER_ERROR.into_response();
        }
    };
    // The first item is the state as it is now; then one per change.
    let events = futures::stream::unfold((rx, true), |(mut rx, first)| async move {
        if !first && rx.changed().await.is_err() {
            return None;
        }
        let data = rx.borrow_and_update().clone();
        Some((
            Ok::<_, Infallible>(Event::default().event("state").data(&*data)),
            (rx, false),
        ))
    });
    let mut res = Sse::new(events)
        .keep_alive(KeepAlive::new().interval(Duration::from_secs(15)))
        .into_response();
    res.headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    // Tells a proxy (nginx) not to buffer the stream.
    res.headers_mut().insert(
        header::HeaderName::from_static("x-accel-buffering"),
        HeaderValue::from_static("no"),
    );
    res
}
