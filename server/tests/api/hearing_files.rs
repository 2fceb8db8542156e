//! A hearing's background files over HTTP, with real multipart bodies: who may upload, the
//! size limit (a 30 MB upload refused before it is read), PDFs only, names with path parts
//! or invisible characters refused with their code, the same file twice stored once, at
//! most ten files, and files served as sandboxed attachments under a safe name. The
//! hearing rows are made with SQL (the hearings API is not what is tested here).
use crate::common::{app, body_text, email, TestApp};
use app::domain::account::RoleKind;
use app::domain::hearing_file::{file_path, MAX_FILE_BYTES};
use app::domain::ids::{HearingFileId, HearingId, UserId};
use axum::body::{Body, Bytes};
use axum::http::Request;
use futures::StreamExt;
use http_body_util::BodyExt;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

const BOUNDARY: &str = "----stemmeTestBoundary7MA4YWxkTrZu0gW";

/// An open hearing sent by `sender` to a fresh council; its id.
async fn hearing(app: &TestApp, sender: UserId) -> HearingId {
    let pool = app.db.pool();
    let committee = app::ssr::db::answers::ensure_committee(pool, "Børne- og Ungeudvalget")
        .await
        .expect("committee");
    let council = app.council(RoleKind::Ungeraadsmedlem).await;
    let now = chrono::Utc::now().timestamp_micros();
    let day = 86_400_000_000_i64;
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO hearings (committee_id, sender_id, title, question, background, decision_at, \
         respond_by, feedback_by, allow_input, status, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, '', $5, $6, $7, 0, 'open', $8, $8) RETURNING id",
    )
    .bind(committee.0)
    .bind(sender.0)
    .bind("Ny skolestruktur")
    .bind("Hvad mener I om at samle skolerne på færre matrikler?")
    .bind(now + 30 * day)
    .bind(now + 20 * day)
    .bind(now + 60 * day)
    .bind(now)
    .fetch_one(pool)
    .await
    .expect("hearing");
    sqlx::query(
        "INSERT INTO hearing_councils (hearing_id, council_id, status) VALUES ($1, $2, 'awaiting')",
    )
    .bind(id)
    .bind(council.0)
    .execute(pool)
    .await
    .expect("hearing council");
    HearingId(id)
}

/// A small PDF whose bytes differ by `seed`.
fn pdf(seed: &str) -> Vec<u8> {
    format!("%PDF-1.4\n% {seed}\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n")
        .into_bytes()
}

/// A multipart/form-data body with one file field `file` (and a text field before it, as
/// forms often have).
fn multipart(filename: &str, content: &[u8]) -> Vec<u8> {
    let mut body = Vec::new();
    body.extend_from_slice(
        format!(
            "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"note\"\r\n\r\nhej\r\n\
             --{BOUNDARY}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{filename}\"\r\n\
             Content-Type: application/pdf\r\n\r\n"
        )
        .as_bytes(),
    );
    body.extend_from_slice(content);
    body.extend_from_slice(format!("\r\n--{BOUNDARY}--\r\n").as_bytes());
    body
}

#[derive(Clone, Copy, PartialEq)]
enum Who {
    /// A browser's form post (no JavaScript): asks for a page.
    Browser,
    /// An API client: asks for JSON.
    Api,
}

struct Sent {
    status: u16,
    location: Option<String>,
    body: String,
}

impl Sent {
    fn code(&self) -> String {
        serde_json::from_str::<serde_json::Value>(&self.body).unwrap_or_default()["code"]
            .as_str()
            .unwrap_or("")
            .to_owned()
    }
}

async fn post(
    app: &TestApp,
    hearing: HearingId,
    cookie: Option<&str>,
    who: Who,
    origin: &str,
    body: Body,
    length: Option<usize>,
) -> Sent {
    let mut req = Request::post(format!("/hoeringer/{}/filer", hearing.0))
        .header(
            "content-type",
            format!("multipart/form-data; boundary={BOUNDARY}"),
        )
        .header(
            "accept",
            match who {
                Who::Browser => "text/html,application/xhtml+xml,*/*;q=0.8",
                Who::Api => "application/json",
            },
        )
        .header("host", "localhost")
        .header("origin", origin);
    if let Some(n) = length {
        req = req.header("content-length", n.to_string());
    }
    if let Some(c) = cookie {
        req = req.header("cookie", c);
    }
    let res = app.send(req.body(body).expect("request")).await;
    let status = res.status().as_u16();
    let location = res
        .headers()
        .get("location")
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    Sent {
        status,
        location,
        body: body_text(res).await,
    }
}

async fn upload(
    app: &TestApp,
    hearing: HearingId,
    cookie: Option<&str>,
    who: Who,
    filename: &str,
    content: &[u8],
) -> Sent {
    let body = multipart(filename, content);
    let n = body.len();
    post(
        app,
        hearing,
        cookie,
        who,
        "http://localhost",
        Body::from(body),
        Some(n),
    )
    .await
}

/// A streamed body of `bytes` in 64 KiB chunks, and how many bytes the server pulled.
fn counted(bytes: Vec<u8>) -> (Body, Arc<AtomicUsize>) {
    let read = Arc::new(AtomicUsize::new(0));
    let seen = read.clone();
    let chunks: Vec<Bytes> = bytes
        .chunks(64 * 1024)
        .map(Bytes::copy_from_slice)
        .collect();
    let stream = futures::stream::iter(chunks).map(move |c| {
        seen.fetch_add(c.len(), Ordering::SeqCst);
        Ok::<_, std::io::Error>(c)
    });
    (Body::from_stream(stream), read)
}

async fn files(app: &TestApp, hearing: HearingId) -> i64 {
    app::ssr::db::hearing_files::count(app.db.pool(), hearing)
        .await
        .expect("count")
}

#[tokio::test]
async fn a_good_pdf_is_stored_once_and_served_as_a_sandboxed_attachment_under_a_safe_name() {
    let app = app().await;
    let (sender, cookie) = app.login_as("Politiker", &[RoleKind::Politiker]).await;
    let h = hearing(&app, sender).await;
    let name = "Høringsnotat skoler & Ærø 2026.pdf";
    let content = pdf(&email("notat"));

    let first = upload(&app, h, Some(&cookie), Who::Browser, name, &content).await;
    assert_eq!(first.status, 303, "{}", first.body);
    assert_eq!(
        first.location.as_deref(),
        Some(&*format!("/hoeringer/{}", h.0))
    );
    // Pressed twice (or sent again under another name): the same file, not a second row.
    let again = upload(&app, h, Some(&cookie), Who::Browser, name, &content).await;
    assert_eq!(again.status, 303);
    let api = upload(&app, h, Some(&cookie), Who::Api, "andet navn.pdf", &content).await;
    assert_eq!(api.status, 200, "{}", api.body);
    assert_eq!(files(&app, h).await, 1);
    let listed = app::ssr::db::hearing_files::list(app.db.pool(), h)
        .await
        .expect("list");
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0].name, name);
    assert_eq!(listed[0].size, content.len() as i64);
    let json: serde_json::Value = serde_json::from_str(&api.body).expect("json");
    assert_eq!(json["id"], listed[0].id.0);
    assert_eq!(json["name"], name);

    // Served to anyone (public like the hearing), byte for byte, as an attachment.
    let res = app
        .send(
            Request::get(listed[0].href())
                .body(Body::empty())
                .expect("request"),
        )
        .await;
    assert_eq!(res.status(), 200);
    let header = |n: &str| {
        res.headers()
            .get(n)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
            .to_owned()
    };
    assert_eq!(header("content-type"), "application/pdf");
    assert_eq!(
        header("content-disposition"),
        "attachment; filename=\"Hoeringsnotat skoler & Aeroe 2026.pdf\"; \
         filename*=UTF-8''H%C3%B8ringsnotat%20skoler%20&%20%C3%86r%C3%B8%202026.pdf"
    );
    assert_eq!(header("x-content-type-options"), "nosniff");
    assert!(
        header("content-security-policy").contains("sandbox")
            && header("content-security-policy").contains("default-src 'none'"),
        "{}",
        header("content-security-policy")
    );
    assert!(header("cache-control").contains("max-age"));
    let etag = header("etag");
    let bytes = res.into_body().collect().await.expect("body").to_bytes();
    assert_eq!(bytes, Bytes::from(content.clone()));

    // Asked again with its ETag: not sent again.
    let (status, _) = app
        .get_with(&listed[0].href(), &[("if-none-match", &etag)])
        .await;
    assert_eq!(status, 304);

    // The id with another name, or an unknown id: not found.
    let id = listed[0].id;
    for wrong in [
        file_path(id, "andet navn.pdf"),
        file_path(id, "Høringsnotat.pdf"),
        format!(
            "/filer/{}/{}",
            id.0, "H%C3%B8ringsnotat%20skoler%20%26%20%C3%86r%C3%B8%202026.PDF"
        ),
        file_path(HearingFileId(id.0 + 1_000_000), name),
        format!("/filer/x/{}", "a.pdf"),
    ] {
        let (status, _) = app.get(&wrong).await;
        assert_eq!(status, 404, "{wrong}");
    }
}

#[tokio::test]
async fn a_30_mb_upload_is_refused_before_it_is_read_and_nothing_is_stored() {
    let app = app().await;
    let (sender, cookie) = app.login_as("Politiker", &[RoleKind::Politiker]).await;
    let h = hearing(&app, sender).await;
    let big = {
        let mut b = pdf("stor");
        b.resize(30 * 1024 * 1024, b'x');
        b
    };

    // Declared: 413 with the code (an API client), back to the form (a browser), and not
    // one byte of the body read.
    let body = multipart("stor.pdf", &big);
    let n = body.len();
    let (stream, read) = counted(body);
    let api = post(
        &app,
        h,
        Some(&cookie),
        Who::Api,
        "http://localhost",
        stream,
        Some(n),
    )
    .await;
    assert_eq!(api.status, 413, "{}", api.body);
    assert_eq!(api.code(), "too_large");
    assert_eq!(read.load(Ordering::SeqCst), 0);
    let browser = upload(&app, h, Some(&cookie), Who::Browser, "stor.pdf", &big).await;
    assert_eq!(browser.status, 303);
    assert_eq!(
        browser.location.as_deref(),
        Some(&*format!("/hoeringer/{}?fil=too_large", h.0))
    );

    // Chunked, without a Content-Length: cut off at the limit as it is read.
    let (stream, read) = counted(multipart("stor.pdf", &big));
    let chunked = post(
        &app,
        h,
        Some(&cookie),
        Who::Api,
        "http://localhost",
        stream,
        None,
    )
    .await;
    assert_eq!(chunked.status, 413, "{}", chunked.body);
    assert_eq!(chunked.code(), "too_large");
    let read = read.load(Ordering::SeqCst);
    assert!(read <= MAX_FILE_BYTES + 256 * 1024, "{read} bytes read");

    // One byte over 10 MiB inside a body under the route's limit: refused by the file rule.
    let mut over = pdf("over");
    over.resize(MAX_FILE_BYTES + 1, b'x');
    let r = upload(&app, h, Some(&cookie), Who::Api, "over.pdf", &over).await;
    assert_eq!(
        (r.status, r.code().as_str()),
        (413, "too_large"),
        "{}",
        r.body
    );
    assert_eq!(files(&app, h).await, 0);

    // Exactly 10 MiB is fine (the database's limit is the same).
    let mut max = pdf("max");
    max.resize(MAX_FILE_BYTES, b'x');
    let r = upload(&app, h, Some(&cookie), Who::Api, "max.pdf", &max).await;
    assert_eq!(r.status, 201, "{}", r.body);
    assert_eq!(files(&app, h).await, 1);
}

#[tokio::test]
async fn files_that_are_not_pdfs_or_whose_names_are_unsafe_are_refused_with_their_code() {
    let app = app().await;
    let (sender, cookie) = app.login_as("Politiker", &[RoleKind::Politiker]).await;
    let h = hearing(&app, sender).await;
    let good = pdf("navne");
    let cases: [(&str, &[u8], u16, &str); 9] = [
        (
            "notat.pdf",
            b"<html><script>alert(1)</script></html>",
            415,
            "not_pdf",
        ),
        ("notat.pdf", b"PK\x03\x04 a zip in disguise", 415, "not_pdf"),
        ("../../x.pdf", &good, 422, "name_path"),
        ("..\\x.pdf", &good, 422, "name_path"),
        ("/etc/x.pdf", &good, 422, "name_path"),
        // A right-to-left override: the end of the name shows reversed ("…fdp.exe.pdf"
        // reads as "…fdp.exe" backwards), the classic way to disguise what a file is.
        ("faktura\u{202E}fdp.exe.pdf", &good, 422, "name_invisible"),
        ("notat\u{200B}.pdf", &good, 422, "name_invisible"),
        ("notat.exe", &good, 415, "name_not_pdf"),
        ("", b"", 422, "no_file"),
    ];
    for (name, content, status, code) in cases {
        let r = upload(&app, h, Some(&cookie), Who::Api, name, content).await;
        assert_eq!(
            (r.status, r.code().as_str()),
            (status, code),
            "{name:?}: {}",
            r.body
        );
        let json: serde_json::Value = serde_json::from_str(&r.body).expect("json");
        assert!(
            json["message"].as_str().is_some_and(|m| m.len() > 10),
            "{name:?}: {}",
            r.body
        );
    }
    // A browser goes back to the hearing with the code, which the page shows at the field.
    let r = upload(&app, h, Some(&cookie), Who::Browser, "../../x.pdf", &good).await;
    assert_eq!(r.status, 303);
    assert_eq!(
        r.location.as_deref(),
        Some(&*format!("/hoeringer/{}?fil=name_path", h.0))
    );
    // A form without the file field.
    let body = format!(
        "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"note\"\r\n\r\nhej\r\n--{BOUNDARY}--\r\n"
    );
    let n = body.len();
    let r = post(
        &app,
        h,
        Some(&cookie),
        Who::Api,
        "http://localhost",
        Body::from(body),
        Some(n),
    )
    .await;
    assert_eq!((r.status, r.code().as_str()), (422, "no_file"));
    // Not multipart at all.
    let r = app
        .send(
            Request::post(format!("/hoeringer/{}/filer", h.0))
                .header("content-type", "text/plain")
                .header("accept", "application/json")
                .header("host", "localhost")
                .header("origin", "http://localhost")
                .header("cookie", &cookie)
                .body(Body::from("%PDF-1.4"))
                .expect("request"),
        )
        .await;
    assert_eq!(r.status(), 400);
    assert_eq!(files(&app, h).await, 0);
}

#[tokio::test]
async fn only_the_sender_and_the_coordinator_may_add_files_while_the_hearing_is_open() {
    let app = app().await;
    let (sender, sender_cookie) = app.login_as("Politiker", &[RoleKind::Politiker]).await;
    let (_, other_politician) = app.login_as("Anden", &[RoleKind::Politiker]).await;
    // A young person (every account made by `user` is one; no extra role).
    let (_, young) = app.login_as("Ung", &[]).await;
    let (_, member) = app.login_as("Medlem", &[RoleKind::Ungeraadsmedlem]).await;
    let (_, coordinator) = app.login_as("Koordinator", &[RoleKind::Sekretariat]).await;
    let h = hearing(&app, sender).await;
    let content = pdf(&email("rettigheder"));

    let r = upload(&app, h, None, Who::Api, "bilag.pdf", &content).await;
    assert_eq!((r.status, r.code().as_str()), (401, "login"));
    let r = upload(&app, h, None, Who::Browser, "bilag.pdf", &content).await;
    assert_eq!(
        r.location.as_deref(),
        Some(&*format!("/hoeringer/{}?fil=login", h.0))
    );
    for cookie in [&young, &member, &other_politician] {
        let r = upload(&app, h, Some(cookie), Who::Api, "bilag.pdf", &content).await;
        assert_eq!(
            (r.status, r.code().as_str()),
            (403, "forbidden"),
            "{}",
            r.body
        );
    }
    // A cross-site post with the sender's cookie (CSRF): refused before anything is read.
    let body = multipart("bilag.pdf", &content);
    let n = body.len();
    let r = post(
        &app,
        h,
        Some(&sender_cookie),
        Who::Browser,
        "https://evil.example",
        Body::from(body),
        Some(n),
    )
    .await;
    assert_eq!(r.status, 403);
    // An unknown hearing.
    let r = upload(
        &app,
        HearingId(h.0 + 1_000_000),
        Some(&coordinator),
        Who::Api,
        "bilag.pdf",
        &content,
    )
    .await;
    assert_eq!((r.status, r.code().as_str()), (404, "not_found"));
    assert_eq!(files(&app, h).await, 0);

    // The coordinator may; so may the sender.
    let r = upload(&app, h, Some(&coordinator), Who::Api, "bilag.pdf", &content).await;
    assert_eq!(r.status, 201, "{}", r.body);
    let r = upload(
        &app,
        h,
        Some(&sender_cookie),
        Who::Api,
        "b2.pdf",
        &pdf("b2"),
    )
    .await;
    assert_eq!(r.status, 201, "{}", r.body);
    assert_eq!(files(&app, h).await, 2);

    // After feedback the hearing is closed: no more files.
    sqlx::query(
        "UPDATE hearings SET status = 'feedback_given', feedback_at = $1, \
         decision_text = 'Udvalget besluttede at samle skolerne.' WHERE id = $2",
    )
    .bind(chrono::Utc::now().timestamp_micros())
    .bind(h.0)
    .execute(app.db.pool())
    .await
    .expect("feedback");
    let r = upload(
        &app,
        h,
        Some(&sender_cookie),
        Who::Api,
        "sent.pdf",
        &pdf("sent"),
    )
    .await;
    assert_eq!((r.status, r.code().as_str()), (409, "closed"));
    assert_eq!(files(&app, h).await, 2);
}

#[tokio::test]
async fn an_eleventh_file_is_refused() {
    let app = app().await;
    let (sender, cookie) = app.login_as("Politiker", &[RoleKind::Politiker]).await;
    let h = hearing(&app, sender).await;
    for i in 1..=10 {
        let r = upload(
            &app,
            h,
            Some(&cookie),
            Who::Api,
            &format!("bilag {i}.pdf"),
            &pdf(&format!("bilag {i}")),
        )
        .await;
        assert_eq!(r.status, 201, "{i}: {}", r.body);
    }
    let r = upload(&app, h, Some(&cookie), Who::Api, "bilag 11.pdf", &pdf("11")).await;
    assert_eq!((r.status, r.code().as_str()), (409, "too_many"));
    let r = upload(
        &app,
        h,
        Some(&cookie),
        Who::Browser,
        "bilag 11.pdf",
        &pdf("11"),
    )
    .await;
    assert_eq!(
        r.location.as_deref(),
        Some(&*format!("/hoeringer/{}?fil=too_many", h.0))
    );
    // One of the ten again is still the same file, not a refusal.
    let r = upload(
        &app,
        h,
        Some(&cookie),
        Who::Api,
        "bilag 3.pdf",
        &pdf("bilag 3"),
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(files(&app, h).await, 10);
}

#[tokio::test]
async fn a_backup_copy_holds_the_files_bytes() {
    let app = app().await;
    if !app::ssr::db::is_sqlite(app.db.pool()) {
        // PostgreSQL is copied with pg_dump (server/src/backup.rs), BYTEA included.
        return;
    }
    let (sender, cookie) = app.login_as("Politiker", &[RoleKind::Politiker]).await;
    let h = hearing(&app, sender).await;
    let mut content = pdf("backup");
    content.extend((0..=255u8).cycle().take(70_000));
    let r = upload(&app, h, Some(&cookie), Who::Api, "backup.pdf", &content).await;
    assert_eq!(r.status, 201, "{}", r.body);
    let id = HearingFileId(
        serde_json::from_str::<serde_json::Value>(&r.body).expect("json")["id"]
            .as_i64()
            .expect("id"),
    );
    let dir = tempfile::tempdir().expect("dir");
    let copy = dir.path().join("copy.db");
    app.db
        .sqlite_copy_to(&copy.to_string_lossy())
        .await
        .expect("copy");
    let restored = app::ssr::db::Db::connect(&format!("sqlite://{}", copy.display()), 1)
        .await
        .expect("open copy");
    let file = app::ssr::db::hearing_files::fetch(restored.pool(), id)
        .await
        .expect("fetch")
        .expect("the file is in the copy");
    assert_eq!(file.content, content);
    assert_eq!(
        file.sha256,
        app::ssr::db::hearing_files::sha256_hex(&content)
    );
    restored.close().await;
}
