//! The OParl 1.1 read-only API at `/oparl/v1/…` (issue #22): the municipality's councils,
//! committees, meetings, agenda items and papers as the open standard for council
//! information describes them, with Stemme's answers, deadlines, votes and timelines in
//! vendor fields prefixed `stemme:` (documented in docs/oparl.md).
//!
//! * `GET /oparl/v1/system` — the System; `GET /oparl/v1` is the same object.
//! * `GET /oparl/v1/{kind}` — a paged list of one kind (`body`, `organization`, `person`,
//!   `membership`, `meeting`, `agendaitem`, `paper`, `consultation`, `file`), filtered
//!   with `created_since`, `created_until`, `modified_since`, `modified_until` (RFC 3339)
//!   and paged with `limit` (1–500, default 100) and the opaque cursor `after` that the
//!   `links.next` URL carries (keyset paging: a page never shifts when objects are added).
//! * `GET /oparl/v1/{kind}/{id}` — one object; its `id` is that URL.
//!
//! Only what the public pages show (see `db::oparl`); hidden objects stay in the lists as
//! `deleted: true` with nothing but their id, type and times. Every response may be read
//! from any origin (`Access-Control-Allow-Origin: *`).
mod objects;

use crate::ssr::db::{oparl, settings};
use crate::ssr::state::AppState;
use axum::extract::{Path, Query, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use serde_json::{json, Value};
use std::collections::HashMap;

/// Where the API lives.
pub const PREFIX: &str = "/oparl/v1";
/// The largest page.
pub const MAX_LIMIT: usize = 500;
/// A page when `limit` is not given.
pub const DEFAULT_LIMIT: usize = 100;

/// The API's routes (all GET).
pub fn routes() -> Router<AppState> {
    Router::new()
        .route(PREFIX, get(system))
        .route("/oparl/v1/system", get(system))
        .route("/oparl/v1/{kind}", get(list))
        .route("/oparl/v1/{kind}/{id}", get(object))
}

/// The kinds listed, in the order the Body names them.
pub const KINDS: [&str; 9] = [
    "body",
    "organization",
    "person",
    "membership",
    "meeting",
    "agendaitem",
    "paper",
    "consultation",
    "file",
];

/// One object of a list: its place in the keyset order, its times (microseconds) and
/// the object itself.
#[derive(Debug, Clone)]
pub struct Entry {
    pub key: (i64, i64, i64),
    pub created: i64,
    pub modified: i64,
    pub value: Value,
}

fn cursor(key: (i64, i64, i64)) -> String {
    format!("{}.{}.{}", key.0, key.1, key.2)
}

fn parse_cursor(s: &str) -> Option<(i64, i64, i64)> {
    let mut parts = s.split('.').map(|p| p.parse::<i64>().ok());
    let key = (parts.next()??, parts.next()??, parts.next()??);
    parts.next().is_none().then_some(key)
}

/// JSON with the API's headers.
fn reply(status: StatusCode, body: &Value) -> Response {
    let mut res = (status, body.to_string()).into_response();
    let h = res.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json; charset=utf-8"),
    );
    h.insert(
        header::ACCESS_CONTROL_ALLOW_ORIGIN,
        HeaderValue::from_static("*"),
    );
    h.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("public, max-age=60"),
    );
    res
}

fn error(status: StatusCode, message: &str) -> Response {
    reply(
        status,
        &json!({ "error": status.as_u16(), "message": message }),
    )
}

/// The address people reach the site at, without a trailing slash.
fn base(state: &AppState) -> String {
    state.public_url.trim_end_matches('/').to_owned()
}

async fn world(state: &AppState) -> Result<objects::World, Response> {
    let pool = state.db.pool();
    let loaded = async {
        let data = oparl::published(pool).await?;
        let profile = settings::profile(pool).await?;
        Ok::<_, crate::ssr::db::DbError>((data, profile.name))
    }
    .await;
    match loaded {
        Ok((data, name)) => Ok(objects::World::build(
            &base(state),
            &name,
            &data,
            chrono::Utc::now(),
        )),
        Err(error) => {
            tracing::error!(%error, "oparl: could not read the published data");
            Err(error_response())
        }
    }
}

fn error_response() -> Response {
    error(StatusCode::INTERNAL_SERVER_ERROR, "internal error")
}

async fn system(State(state): State<AppState>) -> Response {
    let pool = state.db.pool();
    match settings::profile(pool).await {
        Ok(profile) => reply(
            StatusCode::OK,
            &objects::system(&base(&state), &profile.name),
        ),
        Err(error) => {
            tracing::error!(%error, "oparl: could not read the profile");
            error_response()
        }
    }
}

/// A time filter's value (RFC 3339) as microseconds.
/// A refused parameter: the message of the 400.
fn micros(query: &HashMap<String, String>, key: &str) -> Result<Option<i64>, String> {
    match query.get(key) {
        None => Ok(None),
        Some(v) => chrono::DateTime::parse_from_rfc3339(v.trim())
            .map(|t| Some(t.timestamp_micros()))
            .map_err(|_| format!("{key}: not an RFC 3339 date-time")),
    }
}

/// The filters and paging of a list request.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct ListQuery {
    pub created_since: Option<i64>,
    pub created_until: Option<i64>,
    pub modified_since: Option<i64>,
    pub modified_until: Option<i64>,
    pub limit: usize,
    pub after: Option<(i64, i64, i64)>,
    /// The filters as given, for the links to the next pages.
    pub carried: Vec<(String, String)>,
}

fn list_query(query: &HashMap<String, String>) -> Result<ListQuery, String> {
    let limit = match query.get("limit") {
        None => DEFAULT_LIMIT,
        Some(v) => match v.trim().parse::<usize>() {
            Ok(n) if (1..=MAX_LIMIT).contains(&n) => n,
            _ => return Err(format!("limit: a whole number from 1 to {MAX_LIMIT}")),
        },
    };
    let after = match query.get("after") {
        None => None,
        Some(v) => Some(parse_cursor(v).ok_or_else(|| "after: unknown cursor".to_owned())?),
    };
    let mut carried: Vec<(String, String)> = [
        "created_since",
        "created_until",
        "modified_since",
        "modified_until",
    ]
    .into_iter()
    .filter_map(|k| query.get(k).map(|v| (k.to_owned(), v.clone())))
    .collect();
    if query.contains_key("limit") {
        carried.push(("limit".into(), limit.to_string()));
    }
    Ok(ListQuery {
        created_since: micros(query, "created_since")?,
        created_until: micros(query, "created_until")?,
        modified_since: micros(query, "modified_since")?,
        modified_until: micros(query, "modified_until")?,
        limit,
        after,
        carried,
    })
}

fn encode(s: &str) -> String {
    let mut out = String::new();
    for b in s.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                out.push(b as char)
            }
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

fn list_url(url: &str, params: &[(String, String)]) -> String {
    if params.is_empty() {
        return url.to_owned();
    }
    let q: Vec<String> = params
        .iter()
        .map(|(k, v)| format!("{k}={}", encode(v)))
        .collect();
    format!("{url}?{}", q.join("&"))
}

/// One page of `entries` (in keyset order) as an OParl list object.
pub fn page(url: &str, entries: &[Entry], q: &ListQuery) -> Value {
    let matching: Vec<&Entry> = entries
        .iter()
        .filter(|e| q.created_since.is_none_or(|t| e.created >= t))
        .filter(|e| q.created_until.is_none_or(|t| e.created <= t))
        .filter(|e| q.modified_since.is_none_or(|t| e.modified >= t))
        .filter(|e| q.modified_until.is_none_or(|t| e.modified <= t))
        .collect();
    let total = matching.len();
    let rest: Vec<&&Entry> = matching
        .iter()
        .filter(|e| q.after.is_none_or(|a| e.key > a))
        .collect();
    let data: Vec<Value> = rest.iter().take(q.limit).map(|e| e.value.clone()).collect();
    let mut links = serde_json::Map::new();
    links.insert("first".into(), json!(list_url(url, &q.carried)));
    let mut this = q.carried.clone();
    if let Some(after) = q.after {
        this.push(("after".into(), cursor(after)));
    }
    links.insert("self".into(), json!(list_url(url, &this)));
    if rest.len() > q.limit {
        if let Some(last) = rest.get(q.limit - 1) {
            let mut next = q.carried.clone();
            next.push(("after".into(), cursor(last.key)));
            links.insert("next".into(), json!(list_url(url, &next)));
        }
    }
    json!({
        "data": data,
        "pagination": {
            "totalElements": total,
            "elementsPerPage": q.limit,
        },
        "links": links,
    })
}

async fn list(
    State(state): State<AppState>,
    Path(kind): Path<String>,
    Query(query): Query<HashMap<String, String>>,
) -> Response {
    if !KINDS.contains(&kind.as_str()) {
        return error(StatusCode::NOT_FOUND, "no such list");
    }
    let q = match list_query(&query) {
        Ok(q) => q,
        Err(message) => return error(StatusCode::BAD_REQUEST, &message),
    };
    let world = match world(&state).await {
        Ok(w) => w,
        Err(res) => return res,
    };
    let url = format!("{}{PREFIX}/{kind}", base(&state));
    reply(StatusCode::OK, &page(&url, world.list(&kind), &q))
}

async fn object(
    State(state): State<AppState>,
    Path((kind, id)): Path<(String, String)>,
) -> Response {
    if !KINDS.contains(&kind.as_str()) {
        return error(StatusCode::NOT_FOUND, "no such object");
    }
    let world = match world(&state).await {
        Ok(w) => w,
        Err(res) => return res,
    };
    let url = format!("{}{PREFIX}/{kind}/{id}", base(&state));
    match world
        .list(&kind)
        .iter()
        .find(|e| e.value.get("id").and_then(Value::as_str) == Some(url.as_str()))
    {
        Some(e) => reply(StatusCode::OK, &e.value),
        None => error(StatusCode::NOT_FOUND, "no such object"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entries(n: i64) -> Vec<Entry> {
        (1..=n)
            .map(|i| Entry {
                key: (1, i, 0),
                created: i * 10,
                modified: i * 100,
                value: json!({ "id": i }),
            })
            .collect()
    }

    #[test]
    fn pages_follow_the_keyset_and_carry_the_filters() {
        let all = entries(5);
        let q = ListQuery {
            limit: 2,
            modified_since: Some(200),
            carried: vec![("modified_since".into(), "x y".into())],
            ..Default::default()
        };
        let first = page("http://h/l", &all, &q);
        assert_eq!(first["data"], json!([{ "id": 2 }, { "id": 3 }]));
        assert_eq!(first["pagination"]["totalElements"], 4);
        assert_eq!(
            first["links"]["next"],
            "http://h/l?modified_since=x%20y&after=1.3.0"
        );
        let q2 = ListQuery {
            after: Some((1, 3, 0)),
            ..q.clone()
        };
        let second = page("http://h/l", &all, &q2);
        assert_eq!(second["data"], json!([{ "id": 4 }, { "id": 5 }]));
        assert!(second["links"].get("next").is_none(), "{second}");
    }

    #[test]
    fn cursors_round_trip_and_junk_is_refused() {
        assert_eq!(parse_cursor(&cursor((3, -1, 9))), Some((3, -1, 9)));
        assert_eq!(parse_cursor("1.2"), None);
        assert_eq!(parse_cursor("1.2.3.4"), None);
        assert_eq!(parse_cursor("a.b.c"), None);
    }
}
