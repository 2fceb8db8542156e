//! Query discipline: the proposal list (page 1 and page 50) and the proposal page run
//! the same number of SQL statements with 10 or 5,000 proposals — no N+1, no OFFSET.
//!
//! Statements are counted from sqlx's own per-statement `sqlx::query` trace events by a
//! subscriber installed in a child process that runs only this test, so the counts are
//! not mixed with other tests running in parallel.
use crate::common::{app, email, TestApp};
use app::domain::account::RoleKind;
use app::domain::proposal::{ListFilter, PER_PAGE};
use app::ssr::db::proposals;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Mutex;
use tracing::field::{Field, Visit};
use tracing_subscriber::layer::{Context, Layer, SubscriberExt};

/// The summary of every statement run (sqlx's `summary` field: its first words).
static STATEMENTS: Mutex<Vec<String>> = Mutex::new(Vec::new());
static OFFSET_SEEN: AtomicBool = AtomicBool::new(false);

struct Counter;

#[derive(Default)]
struct Fields {
    summary: String,
}

impl Visit for Fields {
    fn record_str(&mut self, field: &Field, value: &str) {
        self.check(field, value);
    }
    fn record_debug(&mut self, field: &Field, value: &dyn std::fmt::Debug) {
        self.check(field, &format!("{value:?}"));
    }
}

impl Fields {
    fn check(&mut self, field: &Field, value: &str) {
        if value.to_uppercase().contains(" OFFSET ") {
            OFFSET_SEEN.store(true, Ordering::SeqCst);
        }
        if field.name() == "summary" {
            self.summary = value.to_owned();
        }
    }
}

impl<S: tracing::Subscriber> Layer<S> for Counter {
    fn on_event(&self, event: &tracing::Event<'_>, _ctx: Context<'_, S>) {
        if event.metadata().target() == "sqlx::query" {
            let mut fields = Fields::default();
            event.record(&mut fields);
            // Connection set-up (opening a new pooled connection) is not the page's work.
            if !fields
                .summary
                .trim_start()
                .to_uppercase()
                .starts_with("PRAGMA")
            {
                if let Ok(mut all) = STATEMENTS.lock() {
                    all.push(fields.summary);
                }
            }
        }
    }
}

fn statement_count() -> usize {
    STATEMENTS.lock().map(|s| s.len()).unwrap_or(0)
}

/// Statements run while fetching `uri` (status must be 200). The page is fetched once
/// before counting, so one-time work (opening a pooled connection) is not counted.
async fn statements(app: &TestApp, uri: &str, cookie: Option<&str>) -> usize {
    let headers: Vec<(&str, &str)> = cookie.map(|c| vec![("cookie", c)]).unwrap_or_default();
    app.get_with(uri, &headers).await;
    let before = statement_count();
    let (status, body) = app.get_with(uri, &headers).await;
    assert_eq!(status, 200, "{uri}: {body}");
    let after = statement_count();
    if let Ok(all) = STATEMENTS.lock() {
        println!(
            "{uri} ({}): {:?}",
            if cookie.is_some() {
                "logged in"
            } else {
                "anonymous"
            },
            &all[before..after]
        );
    }
    after - before
}

#[tokio::test]
async fn list_and_page_queries_do_not_grow_with_data() {
    let exe = std::env::current_exe().expect("test binary");
    let out = std::process::Command::new(exe)
        .args([
            "--exact",
            "query_count::child_counts_statements",
            "--ignored",
            "--nocapture",
            "--test-threads=1",
        ])
        .output()
        .expect("run child");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    println!("{stdout}");
    assert!(out.status.success(), "child failed:\n{stdout}\n{stderr}");
    assert!(
        stdout.contains("1 passed"),
        "the child test did not run:\n{stdout}"
    );
}

#[tokio::test]
#[ignore = "run by list_and_page_queries_do_not_grow_with_data in its own process"]
async fn child_counts_statements() {
    let subscriber = tracing_subscriber::registry().with(Counter);
    tracing::subscriber::set_global_default(subscriber).expect("subscriber");
    // What a render costs: the anonymous list would otherwise come from the page cache
    // (no statements at all; see server/src/page_cache.rs).
    let app = app().await.without_page_cache();
    let mail = email("tael");
    let author = app.user("Tæller", &mail, &[]).await;
    let council = app.council(RoleKind::Ungeraadsmedlem).await;
    let cookie = app.login(&mail, crate::common::PASSWORD).await;
    let pool = app.db.pool();
    proposals::insert_many(pool, author, council, 10)
        .await
        .expect("seed 10");
    let first = proposals::list(
        pool,
        app.db.backend(),
        &ListFilter {
            council: Some(council),
            ..Default::default()
        },
        None,
        1,
    )
    .await
    .expect("first")
    .items[0]
        .id;
    let list_uri = format!("/forslag?raad={}", council.0);
    let detail_uri = format!("/forslag/{}", first.0);
    let small = (
        statements(&app, &list_uri, None).await,
        statements(&app, &list_uri, Some(&cookie)).await,
        statements(&app, &detail_uri, None).await,
        statements(&app, &detail_uri, Some(&cookie)).await,
    );
    proposals::insert_many(pool, author, council, 4990)
        .await
        .expect("seed 5000");
    // Page 50: the cursor after 49 pages.
    let filter = ListFilter {
        council: Some(council),
        ..Default::default()
    };
    let cursor = proposals::list(pool, app.db.backend(), &filter, None, 49 * PER_PAGE)
        .await
        .expect("cursor")
        .next
        .expect("more pages");
    let page_50 = format!("{list_uri}&efter={}", cursor.encode());
    let (_, html) = app.get(&page_50).await;
    assert_eq!(
        html.matches("class=\"card\"").count(),
        20,
        "page 50 has 20 proposals"
    );
    let large = (
        statements(&app, &list_uri, None).await,
        statements(&app, &list_uri, Some(&cookie)).await,
        statements(&app, &detail_uri, None).await,
        statements(&app, &detail_uri, Some(&cookie)).await,
    );
    let page_50_count = statements(&app, &page_50, None).await;
    println!(
        "statements with 10 proposals (list, list logged in, page, page logged in): {small:?}"
    );
    println!("statements with 5000 proposals: {large:?}; page 50: {page_50_count}");
    assert!(small.0 > 0, "statements are counted");
    assert_eq!(small, large);
    assert_eq!(page_50_count, large.0);
    assert!(
        !OFFSET_SEEN.load(Ordering::SeqCst),
        "no OFFSET in any statement"
    );
}
