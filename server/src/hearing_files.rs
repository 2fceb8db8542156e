//! A hearing's background files: `POST /hoeringer/{id}/filer` adds a PDF (a plain
//! multipart form, field `file`: it works without JavaScript), `GET /filer/{id}/{name}`
//! serves one.
//!
//! Upload: the hearing's sender or the coordinator, while the hearing is open. Like every
//! POST it passes the server's same-origin check (`same_origin_posts`: a cross-site post is
//! 403 before it gets here) and the session cookie is SameSite=Lax. Its body may be
//! [`MAX_UPLOAD_BODY`] (the rest of the site: `MAX_BODY_BYTES`): a larger declared
//! `Content-Length` is refused before the body is read, a chunked one as soon as it grows
//! past the limit. A browser is sent back to the hearing (`303`, with `?fil=<code>` when
//! the file was refused, which the page shows next to the field); a client that asks for
//! JSON gets the file (201 new, 200 stored before) or the refusal's status with
//! `{"error", "status", "code", "message", "field"}`.
//!
//! Serving: public like the hearing; always an attachment with a header-safe name, never
//! sniffed, sandboxed, and 404 unless the name in the address is the file's.
use crate::refusals::Lang;
use app::domain::account::{AccountStatus, RoleKind};
use app::domain::hearing_file::{check_file, content_disposition, FileRefusal, MAX_FILE_BYTES};
use app::domain::ids::{HearingFileId, HearingId, UserId};
use app::ssr::db::hearing_files::{self, Stored};
use app::ssr::db::{sessions::USER_ID_KEY, users};
use app::ssr::state::AppState;
use app::ui::components::hearing_file_upload::refusal_text;
use axum::body::Body;
use axum::extract::{DefaultBodyLimit, FromRequest, Multipart, Path, State};
use axum::http::{header, HeaderMap, HeaderValue, Method, Request, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use tower_sessions::Session;

/// Where a file is added (POST).
pub const UPLOAD_PATH: &str = "/hoeringer/{id}/filer";
/// Where a file is served (GET).
pub const SERVE_PATH: &str = "/filer/{file_id}/{name}";
/// The largest upload body: one file at its limit plus room for the multipart framing.
pub const MAX_UPLOAD_BODY: usize = MAX_FILE_BYTES + 64 * 1024;

/// The two routes, with the upload's own body limit (the extractor's default is 2 MB).
pub fn routes() -> Router<AppState> {
    Router::new()
        .route(
            UPLOAD_PATH,
            post(upload).layer(DefaultBodyLimit::max(MAX_UPLOAD_BODY)),
        )
        .route(SERVE_PATH, get(serve))
}

/// A POST to the upload address (it gets [`MAX_UPLOAD_BODY`] instead of the site's limit).
pub fn is_upload(req: &Request<Body>) -> bool {
    req.method() == Method::POST
        && req
            .uri()
            .path()
            .strip_prefix("/hoeringer/")
            .and_then(|rest| rest.strip_suffix("/filer"))
            .is_some_and(|id| !id.is_empty() && id.bytes().all(|b| b.is_ascii_digit()))
}

/// The client asked for JSON (an API client, a test); a browser's form post asks for HTML.
fn wants_json(headers: &HeaderMap) -> bool {
    headers
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.contains("application/json") && !v.contains("text/html"))
}

/// `POST /hoeringer/{id}/filer`.
pub async fn upload(
    State(state): State<AppState>,
    Path(id): Path<String>,
    session: Session,
    req: Request<Body>,
) -> Response {
    let headers = req.headers().clone();
    let json = wants_json(&headers);
    let Ok(hearing) = id.parse::<i64>().map(HearingId) else {
        return refused(FileRefusal::NotFound, None, json, &headers);
    };
    match stored(&state, hearing, &session, req).await {
        Ok(Ok(stored)) => {
            let file = stored.file();
            if let Stored::New(_) = stored {
                tracing::info!(
                    hearing_id = hearing.0,
                    file_id = file.id.0,
                    size = file.size,
                    "hearing file stored"
                );
            }
            if json {
                let status = match stored {
                    Stored::New(_) => StatusCode::CREATED,
                    Stored::Existing(_) => StatusCode::OK,
                };
                (status, Json(file)).into_response()
            } else {
                see_other(&format!("/hoeringer/{}", hearing.0))
            }
        }
        Ok(Err(refusal)) => {
            tracing::info!(
                hearing_id = hearing.0,
                code = refusal.code(),
                "hearing file refused"
            );
            refused(refusal, Some(hearing), json, &headers)
        }
        Err(()) => (
            StatusCode::INTERNAL_SERVER_ERROR,
            Json(app::domain::error::AppError::Internal),
        )
            .into_response(),
    }
}

/// Checks and stores the upload: the declared size first (nothing is read), then who asks
/// and the hearing, then the body. `Err(())` is a server fault (logged here).
async fn stored(
    state: &AppState,
    hearing: HearingId,
    session: &Session,
    req: Request<Body>,
) -> Result<Result<Stored, FileRefusal>, ()> {
    let declared = req
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse::<u64>().ok());
    if declared.is_some_and(|n| n > MAX_UPLOAD_BODY as u64) {
        return Ok(Err(FileRefusal::TooLarge));
    }
    let pool = state.db.pool();
    let fault = |error: &dyn std::fmt::Display| {
        tracing::error!(%error, "hearing file upload failed");
    };
    let user_id: Option<i64> = session.get(USER_ID_KEY).await.map_err(|e| fault(&e))?;
    let Some(user_id) = user_id else {
        return Ok(Err(FileRefusal::Unauthenticated));
    };
    let Some(user) = users::session_user(pool, UserId(user_id))
        .await
        .map_err(|e| fault(&e))?
    else {
        return Ok(Err(FileRefusal::Unauthenticated));
    };
    let Some(target) = hearing_files::upload_target(pool, hearing)
        .await
        .map_err(|e| fault(&e))?
    else {
        return Ok(Err(FileRefusal::NotFound));
    };
    let allowed = user.status == AccountStatus::Active
        && (user.id == target.sender || user.has(RoleKind::Sekretariat));
    if !allowed {
        return Ok(Err(FileRefusal::Forbidden));
    }
    if !target.open {
        return Ok(Err(FileRefusal::Closed));
    }
    let (name, bytes) = match read_file(req).await {
        Ok(file) => file,
        Err(refusal) => return Ok(Err(refusal)),
    };
    if let Err(refusal) = check_file(&name, &bytes) {
        return Ok(Err(refusal));
    }
    hearing_files::insert(pool, hearing, &name, &bytes, user.id)
        .await
        .map_err(|e| fault(&e))
}

/// The `file` field's name and bytes, read at most to [`MAX_FILE_BYTES`] + 1 (a larger
/// file is refused without reading the rest). Other fields are skipped.
async fn read_file(req: Request<Body>) -> Result<(String, Vec<u8>), FileRefusal> {
    let mut multipart = Multipart::from_request(req, &())
        .await
        .map_err(|_| FileRefusal::Unreadable)?;
    let unreadable = |e: axum::extract::multipart::MultipartError| {
        if e.status() == StatusCode::PAYLOAD_TOO_LARGE || over_limit(&e) {
            FileRefusal::TooLarge
        } else {
            FileRefusal::Unreadable
        }
    };
    while let Some(mut field) = multipart.next_field().await.map_err(unreadable)? {
        if field.name() != Some("file") {
            continue;
        }
        let name = field.file_name().unwrap_or("").to_owned();
        let mut bytes: Vec<u8> = Vec::new();
        while let Some(chunk) = field.chunk().await.map_err(unreadable)? {
            if bytes.len() + chunk.len() > MAX_FILE_BYTES {
                return Err(FileRefusal::TooLarge);
            }
            bytes.extend_from_slice(&chunk);
        }
        // A form sent without a chosen file has the field with no name and no bytes.
        if name.is_empty() && bytes.is_empty() {
            return Err(FileRefusal::NoFile);
        }
        return Ok((name, bytes));
    }
    Err(FileRefusal::NoFile)
}

/// The body was cut off at its limit (the body limit's error, however deeply the body
/// wrappers and the multipart parser have wrapped it).
fn over_limit(error: &(dyn std::error::Error + 'static)) -> bool {
    let mut next = Some(error);
    while let Some(e) = next {
        if e.is::<http_body_util::LengthLimitError>()
            || e.to_string().contains("length limit exceeded")
        {
            return true;
        }
        next = e.source();
    }
    false
}

/// A refusal as the asker wants it: back to the hearing's page with `?fil=<code>`, or the
/// status and a JSON body.
fn refused(
    refusal: FileRefusal,
    hearing: Option<HearingId>,
    json: bool,
    headers: &HeaderMap,
) -> Response {
    match hearing {
        Some(hearing) if !json => {
            see_other(&format!("/hoeringer/{}?fil={}", hearing.0, refusal.code()))
        }
        _ => {
            let status = StatusCode::from_u16(refusal.status()).unwrap_or(StatusCode::BAD_REQUEST);
            let kind = match refusal {
                FileRefusal::Unauthenticated => "Unauthenticated",
                FileRefusal::Forbidden => "Forbidden",
                FileRefusal::NotFound => "NotFound",
                FileRefusal::TooLarge => "TooLarge",
                FileRefusal::Closed | FileRefusal::TooMany => "Conflict",
                FileRefusal::Unreadable => "Unreadable",
                _ => "Validation",
            };
            let body = serde_json::json!({
                "error": kind,
                "status": refusal.status(),
                "code": refusal.code(),
                "message": refusal_text(Lang::of(headers).locale(), refusal),
                "field": "file",
            });
            let mut res = (status, Json(body)).into_response();
            res.headers_mut()
                .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
            res
        }
    }
}

fn see_other(location: &str) -> Response {
    match HeaderValue::from_str(location) {
        Ok(v) => (StatusCode::SEE_OTHER, [(header::LOCATION, v)]).into_response(),
        Err(_) => StatusCode::BAD_REQUEST.into_response(),
    }
}

/// The policy a served file gets: nothing runs, nothing loads, nothing frames it — also
/// should a browser show it inline after all.
const FILE_CSP: &str = "sandbox; default-src 'none'; frame-ancestors 'none'";

/// `GET /filer/{file_id}/{name}`: the file's bytes as an attachment; 404 for an unknown id
/// or a name that is not the file's.
pub async fn serve(
    State(state): State<AppState>,
    Path((file_id, name)): Path<(String, String)>,
    headers: HeaderMap,
) -> Response {
    let Ok(id) = file_id.parse::<i64>().map(HearingFileId) else {
        return not_found();
    };
    let file = match hearing_files::fetch(state.db.pool(), id).await {
        Ok(Some(file)) if file.file.name == name => file,
        Ok(_) => return not_found(),
        Err(error) => {
            tracing::error!(%error, file_id = id.0, "hearing file could not be read");
            return (
                StatusCode::INTERNAL_SERVER_ERROR,
                [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
                "Noget gik galt. Prøv igen om lidt. / Something went wrong. Try again later.",
            )
                .into_response();
        }
    };
    let etag = format!("\"{}\"", file.sha256);
    let common = |res: &mut Response| {
        let h = res.headers_mut();
        h.insert(
            header::CACHE_CONTROL,
            HeaderValue::from_static("public, max-age=3600"),
        );
        h.insert(
            header::X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        );
        h.insert(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static(FILE_CSP),
        );
        if let Ok(v) = HeaderValue::from_str(&etag) {
            h.insert(header::ETAG, v);
        }
    };
    let fresh = headers
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.split(',').any(|t| t.trim() == etag || t.trim() == "*"));
    if fresh {
        let mut res = StatusCode::NOT_MODIFIED.into_response();
        common(&mut res);
        return res;
    }
    let Ok(disposition) = HeaderValue::from_str(&content_disposition(&file.file.name)) else {
        return not_found();
    };
    let mut res = (
        [
            (
                header::CONTENT_TYPE,
                HeaderValue::from_static("application/pdf"),
            ),
            (header::CONTENT_DISPOSITION, disposition),
        ],
        file.content,
    )
        .into_response();
    common(&mut res);
    res
}

fn not_found() -> Response {
    (
        StatusCode::NOT_FOUND,
        [
            (header::CONTENT_TYPE, "text/plain; charset=utf-8"),
            (header::CACHE_CONTROL, "no-store"),
        ],
        "Filen findes ikke. / The file does not exist.",
    )
        .into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_posts_to_a_hearing_s_files_get_the_upload_limit() {
        let req = |method: Method, path: &str| {
            Request::builder()
                .method(method)
                .uri(path)
                .body(Body::empty())
                .unwrap_or_default()
        };
        assert!(is_upload(&req(Method::POST, "/hoeringer/12/filer")));
        assert!(!is_upload(&req(Method::GET, "/hoeringer/12/filer")));
        assert!(!is_upload(&req(Method::POST, "/hoeringer//filer")));
        assert!(!is_upload(&req(Method::POST, "/hoeringer/1/2/filer")));
        assert!(!is_upload(&req(Method::POST, "/api/hoeringer/1/filer")));
        assert!(!is_upload(&req(Method::POST, "/hoeringer/1/filer/x")));
    }
}
