//! Refusals made outside the server functions, shaped for whoever asked.
//!
//! Before a server function sees a POST to `/api/`, [`layer`] reads its body itself: over
//! [`MAX_BODY_BYTES`] is 413 (also when it comes chunked, without a `Content-Length`), a
//! body that breaks off is 400, a `Content-Type` other than a form is 415, and a form field
//! whose text is not UTF-8 — raw, or after percent-decoding — is 422 naming the field.
//!
//! On the way out, every 4xx answer to a browser's form post (no JavaScript: the
//! function's own refusals are redirects back to the form with `__err=`, so what is left
//! was refused before the function ran) becomes a small page in the person's language, with
//! the status kept and a link back; API clients get the app's JSON error with its message
//! instead of whatever text the framework wrote. The message (page or JSON `message`) is
//! written from the error's code in the person's language (`app::ui::error_text`): an
//! error the app wrote in Danish is rewritten in English for a person who chose English.
use crate::MAX_BODY_BYTES;
use app::domain::error::AppError;
use app::domain::format::escape_html;
use app::domain::lang;
use app::i18n::Locale;
use app::ui::error_text::error_text;
use axum::body::{Body, Bytes, HttpBody};
use axum::http::{header, HeaderMap, HeaderValue, Method, Request, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;

/// The only body the server functions read (the `PostUrl` encoding of leptos).
const FORM: &str = "application/x-www-form-urlencoded";

/// The language a refusal is written in: Danish unless English was chosen with the
/// language switch (the cookie; `Accept-Language` is not followed, see `danish_by_default`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lang {
    Da,
    En,
}

impl Lang {
    /// The interface's locale for this language.
    pub fn locale(self) -> Locale {
        match self {
            Self::Da => Locale::da,
            Self::En => Locale::en,
        }
    }

    /// The person's language, from the language cookie.
    pub fn of(headers: &HeaderMap) -> Self {
        let english = headers
            .get_all(header::COOKIE)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .flat_map(|v| v.split(';'))
            .filter_map(|c| c.trim().split_once('='))
            .any(|(name, value)| name == lang::LANG_COOKIE && value == "en");
        if english {
            Self::En
        } else {
            Self::Da
        }
    }
}

/// The middleware: checks `/api/` POST bodies before the function reads them, and shapes
/// every 4xx answer for a browser form post (a page) or an API client (JSON).
pub async fn layer(req: Request<Body>, next: axum::middleware::Next) -> Response {
    let browser = is_browser_post(&req);
    let api = req.uri().path().starts_with("/api/");
    let lang = Lang::of(req.headers());
    let back = back_link(req.headers());
    let req = if api && req.method() == Method::POST {
        match checked(req).await {
            Ok(req) => req,
            Err(refusal) => {
                tracing::info!(
                    status = refusal.status(),
                    kind = refusal.kind(),
                    "request refused"
                );
                return refuse(&refusal, browser, lang, back.as_deref());
            }
        }
    } else {
        req
    };
    let res = next.run(req).await;
    if !res.status().is_client_error() {
        if res.status().is_server_error() && lang == Lang::En && is_json(&res) {
            return in_language(res, lang).await;
        }
        return res;
    }
    if browser {
        let status = res.status();
        let (parts, body) = res.into_parts();
        let error = app_error(body, status).await;
        let mut page = refusal_page(status, &error, lang, back.as_deref());
        // Keep what the inner layers set (session cookie, headers), but not the old body's.
        for (name, value) in parts.headers.iter() {
            if !matches!(
                *name,
                header::CONTENT_TYPE | header::CONTENT_LENGTH | header::CONTENT_ENCODING
            ) {
                page.headers_mut().append(name.clone(), value.clone());
            }
        }
        return page;
    }
    let is_json = is_json(&res);
    if is_json && lang == Lang::En {
        return in_language(res, lang).await;
    }
    let outside_app = matches!(
        res.status(),
        StatusCode::PAYLOAD_TOO_LARGE | StatusCode::UNSUPPORTED_MEDIA_TYPE
    );
    if !is_json && (api || outside_app) {
        let status = res.status();
        let error = if status == StatusCode::BAD_REQUEST && api {
            // leptos answers a path that names no server function with a 400 and a text.
            AppError::NotFound
        } else {
            AppError::for_status(status.as_u16())
        };
        return json(&error, lang);
    }
    res
}

fn is_json(res: &Response) -> bool {
    res.headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/json"))
}

/// The app's error as JSON, its message in `lang`.
fn json(error: &AppError, lang: Lang) -> Response {
    let message = error_text(lang.locale(), error);
    (status_of(error), Json(error.to_wire(message))).into_response()
}

/// A JSON answer with the app's error (written in Danish), its message rewritten in
/// `lang`; anything else is passed on as it was.
async fn in_language(res: Response, lang: Lang) -> Response {
    let (parts, body) = res.into_parts();
    let Ok(bytes) = read_limited(body, 64 * 1024).await else {
        return (
            parts.status,
            Json(AppError::Internal.to_wire(error_text(lang.locale(), &AppError::Internal))),
        )
            .into_response();
    };
    match serde_json::from_slice::<AppError>(&bytes) {
        Ok(error) => {
            let mut res = json(&error, lang);
            *res.status_mut() = parts.status;
            for (name, value) in parts.headers.iter() {
                if !matches!(*name, header::CONTENT_TYPE | header::CONTENT_LENGTH) {
                    res.headers_mut().append(name.clone(), value.clone());
                }
            }
            res
        }
        Err(_) => Response::from_parts(parts, Body::from(bytes)),
    }
}

/// A POST from a browser without JavaScript, i.e. one that asks for a page back (any
/// `enctype`: a `text/plain` or multipart form is refused with a page too).
fn is_browser_post(req: &Request<Body>) -> bool {
    req.method() == Method::POST
        && req
            .headers()
            .get(header::ACCEPT)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.contains("text/html"))
}

/// The request with its body read and checked, or why it is refused.
async fn checked(req: Request<Body>) -> Result<Request<Body>, AppError> {
    let declared = req
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse::<u64>().ok());
    if declared.is_some_and(|n| n > MAX_BODY_BYTES as u64) {
        return Err(AppError::TooLarge);
    }
    let media_type = req.headers().get(header::CONTENT_TYPE).map(|v| {
        v.to_str()
            .unwrap_or("?")
            .split(';')
            .next()
            .unwrap_or("")
            .trim()
            .to_ascii_lowercase()
    });
    if media_type.as_deref().is_some_and(|t| t != FORM) {
        return Err(AppError::UnsupportedMediaType);
    }
    let (parts, body) = req.into_parts();
    let bytes = read_limited(body, MAX_BODY_BYTES).await?;
    match media_type {
        Some(_) => check_form(&bytes)?,
        // No Content-Type: only an empty body (a function without arguments).
        None if !bytes.is_empty() => return Err(AppError::UnsupportedMediaType),
        None => {}
    }
    Ok(Request::from_parts(parts, Body::from(bytes)))
}

/// Reads a body of at most `limit` bytes: more is 413 (however it came), a body that
/// breaks off is 400.
pub async fn read_limited(mut body: Body, limit: usize) -> Result<Bytes, AppError> {
    let mut buf: Vec<u8> = Vec::new();
    while let Some(frame) =
        std::future::poll_fn(|cx| std::pin::Pin::new(&mut body).poll_frame(cx)).await
    {
        let Ok(frame) = frame else {
            return Err(AppError::Unreadable);
        };
        if let Ok(data) = frame.into_data() {
            if buf.len() + data.len() > limit {
                return Err(AppError::TooLarge);
            }
            buf.extend_from_slice(&data);
        }
    }
    Ok(Bytes::from(buf))
}

/// Every name and value of a form body must be UTF-8 after percent-decoding (`+` is a
/// space); otherwise 422 naming the field. (Raw invalid bytes fail the same way.)
pub fn check_form(body: &[u8]) -> Result<(), AppError> {
    for pair in body.split(|b| *b == b'&').filter(|p| !p.is_empty()) {
        let (name, value) = match pair.iter().position(|b| *b == b'=') {
            Some(i) => (&pair[..i], &pair[i + 1..]),
            None => (pair, &[][..]),
        };
        let name = percent_decode(name);
        let value = percent_decode(value);
        match std::str::from_utf8(&name) {
            Err(_) => return Err(AppError::unreadable_field(&String::from_utf8_lossy(&name))),
            Ok(name) if std::str::from_utf8(&value).is_err() => {
                return Err(AppError::unreadable_field(name))
            }
            Ok(_) => {}
        }
    }
    Ok(())
}

/// `application/x-www-form-urlencoded` decoding to bytes: `+` is a space, `%XX` a byte,
/// a `%` not followed by two hex digits stays as it is (as `form_urlencoded` does).
fn percent_decode(input: &[u8]) -> Vec<u8> {
    let hex = |b: u8| (b as char).to_digit(16).and_then(|d| u8::try_from(d).ok());
    let mut out = Vec::with_capacity(input.len());
    let mut i = 0;
    while i < input.len() {
        match input[i] {
            b'+' => out.push(b' '),
            b'%' => {
                let high = input.get(i + 1).copied().and_then(hex);
                let low = input.get(i + 2).copied().and_then(hex);
                if let (Some(h), Some(l)) = (high, low) {
                    out.push(h * 16 + l);
                    i += 3;
                    continue;
                }
                out.push(b'%');
            }
            b => out.push(b),
        }
        i += 1;
    }
    out
}

pub(crate) fn status_of(error: &AppError) -> StatusCode {
    StatusCode::from_u16(error.status()).unwrap_or(StatusCode::BAD_REQUEST)
}

/// The refusal as the asker wants it: a page for a browser form post, JSON otherwise.
fn refuse(error: &AppError, browser: bool, lang: Lang, back: Option<&str>) -> Response {
    if browser {
        refusal_page(status_of(error), error, lang, back)
    } else {
        json(error, lang)
    }
}

/// The app's error in a refusal's body, or the one its status stands for.
async fn app_error(body: Body, status: StatusCode) -> AppError {
    read_limited(body, 64 * 1024)
        .await
        .ok()
        .and_then(|b| serde_json::from_slice::<AppError>(&b).ok())
        .unwrap_or_else(|| AppError::for_status(status.as_u16()))
}

/// Where the "back" link goes: the page the form was on when the browser says so and it
/// is on this site (its path and query), else nothing (the link goes to the front page).
fn back_link(headers: &HeaderMap) -> Option<String> {
    let get = |name: &str| headers.get(name).and_then(|v| v.to_str().ok());
    let host = get("x-forwarded-host").or_else(|| get("host"))?;
    let referer = get("referer")?;
    let rest = referer.split_once("://").map(|(_, r)| r)?;
    let (authority, path) = match rest.find(['/', '?', '#']) {
        Some(i) => (&rest[..i], &rest[i..]),
        None => (rest, "/"),
    };
    if host.is_empty() || !authority.eq_ignore_ascii_case(host) {
        return None;
    }
    let path = path.split('#').next().unwrap_or("/");
    let safe = lang::safe_return_path(Some(path));
    (safe != "/" || path == "/").then_some(safe)
}

/// The heading of a refusal page for `status`, in Danish and English.
fn heading(status: StatusCode) -> (&'static str, &'static str) {
    match status.as_u16() {
        400 => (
            "Det, du sendte, kunne ikke læses",
            "What you sent could not be read",
        ),
        401 => ("Du er ikke logget ind", "You are not logged in"),
        403 => ("Ingen adgang", "No access"),
        404 => ("Ikke fundet", "Not found"),
        413 => ("Det, du sendte, er for stort", "What you sent is too large"),
        415 => ("Forkert slags indhold", "The wrong kind of content"),
        422 => (
            "Det, du sendte, kunne ikke bruges",
            "What you sent could not be used",
        ),
        429 => ("For mange forsøg", "Too many attempts"),
        _ => ("Det gik ikke", "That did not work"),
    }
}

/// A small page for a refusal: the status kept, the message in the person's language, a
/// link back. No script and no inline style (the stylesheet is the site's), so it passes
/// the strict Content-Security-Policy every non-page response gets.
pub fn refusal_page(
    status: StatusCode,
    error: &AppError,
    lang: Lang,
    back: Option<&str>,
) -> Response {
    let (da, en) = heading(status);
    let (code, title, message, back_text, note) = match lang {
        Lang::Da => (
            "da",
            da,
            error_text(Locale::da, error),
            if back.is_some() {
                "Tilbage til siden"
            } else {
                "Til forsiden"
            },
            "Brug browserens tilbage-knap, hvis du vil beholde det, du skrev.",
        ),
        Lang::En => (
            "en",
            en,
            error_text(Locale::en, error),
            if back.is_some() {
                "Back to the page"
            } else {
                "To the front page"
            },
            "Use the browser's back button if you want to keep what you typed.",
        ),
    };
    let html = format!(
        "<!DOCTYPE html>\n<html lang=\"{code}\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>{title} · Stemme</title>\n\
         <link rel=\"stylesheet\" href=\"{css}\">\n\
         <link rel=\"icon\" type=\"image/svg+xml\" href=\"/favicon.svg\">\n</head>\n<body>\n\
         <main id=\"indhold\">\n<h1>{title}</h1>\n<p class=\"form-error\" role=\"alert\">{message}</p>\n\
         <p>{note}</p>\n<p><a href=\"{href}\">{back_text}</a></p>\n</main>\n</body>\n</html>\n",
        title = escape_html(title),
        message = escape_html(&message),
        note = escape_html(note),
        href = escape_html(back.unwrap_or("/")),
        back_text = escape_html(back_text),
        css = escape_html(&crate::assets::stylesheet()),
    );
    let mut res = (status, html).into_response();
    res.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/html; charset=utf-8"),
    );
    res.headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    res
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percent_encoded_invalid_utf8_names_the_field() {
        assert_eq!(check_form(b"title=Hej+%C3%A6ble&body=ok%21"), Ok(()));
        assert_eq!(check_form(b"a=100%25&b=%&c=%zz&d"), Ok(()));
        assert_eq!(
            check_form(b"body=ok&title=Probe%FF%FE%FDutf"),
            Err(AppError::unreadable_field("title"))
        );
        assert_eq!(
            check_form(b"title=\xff\xfe"),
            Err(AppError::unreadable_field("title"))
        );
        assert!(check_form(b"%FF=1").is_err());
    }

    #[test]
    fn the_back_link_is_a_local_path_on_this_site() {
        let headers = |referer: &str| {
            let mut h = HeaderMap::new();
            h.insert("host", HeaderValue::from_static("localhost"));
            if let Ok(v) = HeaderValue::from_str(referer) {
                h.insert("referer", v);
            }
            h
        };
        assert_eq!(
            back_link(&headers("http://localhost/forslag/nyt?x=1#top")).as_deref(),
            Some("/forslag/nyt?x=1")
        );
        assert_eq!(
            back_link(&headers("http://localhost")).as_deref(),
            Some("/")
        );
        assert_eq!(back_link(&headers("https://evil.example/forslag")), None);
        assert_eq!(back_link(&headers("http://localhost//evil.example")), None);
    }

    #[test]
    fn the_language_is_the_cookie_s() {
        let mut h = HeaderMap::new();
        assert_eq!(Lang::of(&h), Lang::Da);
        h.insert(
            header::COOKIE,
            HeaderValue::from_static("stemme_session=x; i18n_pref_locale=en"),
        );
        assert_eq!(Lang::of(&h), Lang::En);
    }
}
