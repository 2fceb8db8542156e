//! Hostile input for every form endpoint (the rows of the authorization matrix): each field
//! in turn replaced by empty, whitespace, NUL, RTL-override, HTML/JS, SQL, negative, huge,
//! non-numeric and 100,000-character values; fields missing, duplicated, percent-encoded
//! invalid UTF-8, raw invalid bytes, a JSON body, an empty body and a 10 MB body. Called as
//! a role that may use the endpoint, so the input — not authorization — is what is judged.
//!
//! Every answer: no 5xx; a refusal (4xx) carries the app's error with a Danish message and
//! stores nothing; an acceptance never stores a NUL or a bidi-override character; and the
//! server still answers `/health` after each endpoint.
use crate::authz::MATRIX;
use crate::common::{app_isolated as app, urlencode, TestApp};
use crate::security::{changed, fingerprint, World};
use axum::body::Body;
use axum::http::Request;

const HTML: &str = "<script>alert(1)</script><img src=x onerror=alert(1)>";
const SQL: &str = "'); DROP TABLE users; --";

fn values() -> Vec<(&'static str, String)> {
    vec![
        ("empty", String::new()),
        ("whitespace", " \t\n  ".into()),
        ("nul", "abc\0def".into()),
        ("rtl-override", "\u{202E}gnp.exe er fint".into()),
        ("zero-width", "\u{200B}\u{200B}\u{FEFF}".into()),
        ("html", HTML.into()),
        ("sql", SQL.into()),
        ("sql-or", "1 OR 1=1".into()),
        ("negative", "-1".into()),
        ("huge", "99999999999999999999999".into()),
        ("i64-overflow", "9223372036854775808".into()),
        ("float", "1e308".into()),
        ("not-a-number", "NaN".into()),
        ("long", "a".repeat(100_000)),
        ("emoji", "🙂🙂🙂".into()),
    ]
}

/// What was sent, for the report.
struct Case {
    what: String,
    body: Vec<u8>,
    content_type: &'static str,
}

fn form(fields: &[(&str, String)]) -> Vec<u8> {
    fields
        .iter()
        .map(|(k, v)| format!("{}={}", urlencode(k), urlencode(v)))
        .collect::<Vec<_>>()
        .join("&")
        .into_bytes()
}

fn cases(fields: &[(&'static str, String)]) -> Vec<Case> {
    let urlencoded = "application/x-www-form-urlencoded";
    let mut out = Vec::new();
    for (i, (name, _)) in fields.iter().enumerate() {
        for (label, value) in values() {
            let mut f = fields.to_vec();
            f[i].1 = value;
            out.push(Case {
                what: format!("{name}={label}"),
                body: form(&f),
                content_type: urlencoded,
            });
        }
        let mut missing = fields.to_vec();
        missing.remove(i);
        out.push(Case {
            what: format!("{name} missing"),
            body: form(&missing),
            content_type: urlencoded,
        });
        let mut dup = fields.to_vec();
        dup.push((name, "0".into()));
        out.push(Case {
            what: format!("{name} twice"),
            body: form(&dup),
            content_type: urlencoded,
        });
        let mut bad = form(fields);
        bad.extend_from_slice(format!("&{name}=%FF%FE%80").as_bytes());
        out.push(Case {
            what: format!("{name} percent-encoded invalid UTF-8"),
            body: bad,
            content_type: urlencoded,
        });
        let mut raw = form(&fields[..i]);
        if !raw.is_empty() {
            raw.push(b'&');
        }
        raw.extend_from_slice(format!("{name}=").as_bytes());
        raw.extend_from_slice(&[0xFF, 0xFE, 0xC3, 0x28]);
        out.push(Case {
            what: format!("{name} raw invalid UTF-8 bytes"),
            body: raw,
            content_type: urlencoded,
        });
    }
    out.push(Case {
        what: "empty body".into(),
        body: Vec::new(),
        content_type: urlencoded,
    });
    out.push(Case {
        what: "JSON instead of a form".into(),
        body: br#"{"id": {"$gt": ""}, "title": ["a", "b"]}"#.to_vec(),
        content_type: urlencoded,
    });
    out.push(Case {
        what: "10 MB body".into(),
        body: {
            let mut b = form(fields);
            b.extend_from_slice(b"&x=");
            b.resize(10 * 1024 * 1024, b'a');
            b
        },
        content_type: urlencoded,
    });
    out
}

async fn send(app: &TestApp, path: &str, cookie: Option<&str>, case: &Case) -> (u16, String) {
    let mut req = Request::post(path)
        .header("content-type", case.content_type)
        .header("accept", "application/json")
        .header("host", "localhost")
        .header("origin", "http://localhost")
        .header("content-length", case.body.len());
    if let Some(c) = cookie {
        req = req.header("cookie", c);
    }
    let res = app
        .send(req.body(Body::from(case.body.clone())).expect("request"))
        .await;
    let status = res.status().as_u16();
    (status, crate::common::body_text(res).await)
}

/// Tables holding `needle` anywhere (either database).
async fn stored_anywhere(app: &TestApp, needle: &str) -> Vec<String> {
    let fp = fingerprint(app).await;
    if app.db.backend().name() == "sqlite" {
        return fp
            .into_iter()
            .filter(|(_, content)| content.contains(needle))
            .map(|(t, _)| t)
            .collect();
    }
    let mut out = Vec::new();
    for (t, _) in fp {
        let n: i64 = sqlx::query_scalar(&format!(
            "SELECT COUNT(*) FROM \"{t}\" t WHERE strpos(CAST(t AS TEXT), $1) > 0"
        ))
        .bind(needle)
        .fetch_one(app.db.pool())
        .await
        .expect("search");
        if n > 0 {
            out.push(t);
        }
    }
    out
}

#[tokio::test]
async fn hostile_input_to_every_form_endpoint_is_refused_or_made_harmless() {
    let app = app().await;
    let world = World::new(&app).await;
    let mut tried = 0;
    let mut refused = 0;
    let mut endpoints = 0;
    let mut problems = Vec::new();
    for r in MATRIX.iter().filter(|r| !r.fields.is_empty()) {
        endpoints += 1;
        // Anyone-may-call endpoints (sign-up, log-in) are tried without a session.
        let role = if r.allowed.contains(&"anon") {
            "anon"
        } else {
            r.allowed[0]
        };
        let mut fields = Vec::new();
        for (k, v) in r.fields {
            fields.push((*k, world.resolve(&app, v).await));
        }
        // Forms that create something carry their page's one-time token.
        if app::api::forms::ONE_TIME.contains(&r.path) {
            fields.push(("form_token", app.form_token(world.cookie(role)).await));
        }
        let mut before = fingerprint(&app).await;
        for case in cases(&fields) {
            let (status, body) = send(&app, r.path, world.cookie(role), &case).await;
            tried += 1;
            let what = format!("{} {} as {role}", r.path, case.what);
            if status >= 500 {
                problems.push(format!(
                    "{what}: {status} {}",
                    body.chars().take(120).collect::<String>()
                ));
                continue;
            }
            if status >= 400 {
                refused += 1;
                let after = fingerprint(&app).await;
                let diff = changed(&before, &after);
                if !diff.is_empty() {
                    problems.push(format!(
                        "{what}: refused with {status} but changed {diff:?}"
                    ));
                }
                before = after;
                match serde_json::from_str::<app::domain::error::AppError>(&body) {
                    Ok(e) if !e.to_string().trim().is_empty() => {}
                    _ => problems.push(format!(
                        "{what}: {status} without the app's error message: {}",
                        body.chars().take(120).collect::<String>()
                    )),
                }
            } else {
                before = fingerprint(&app).await;
            }
        }
        // PostgreSQL cannot store a NUL in text at all (it would have been a 5xx above).
        let needles: &[&str] = if app.db.backend().name() == "sqlite" {
            &["\0", "\u{202E}"]
        } else {
            &["\u{202E}"]
        };
        for needle in needles {
            let found = stored_anywhere(&app, needle).await;
            if !found.is_empty() {
                problems.push(format!("{}: {needle:?} was stored in {found:?}", r.path));
            }
        }
        let (health, _) = app.get("/health").await;
        if health != 200 {
            problems.push(format!("{}: /health answered {health} afterwards", r.path));
        }
    }
    println!(
        "hostile input: {tried} requests to {endpoints} form endpoints, {refused} refused with a Danish message and nothing stored, 0 server errors allowed"
    );
    assert!(
        problems.is_empty(),
        "{} problems:\n{}",
        problems.len(),
        problems.join("\n")
    );
}
