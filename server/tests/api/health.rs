#![allow(clippy::expect_used, clippy::unwrap_used)]
use crate::common;

#[tokio::test]
async fn health_reports_the_database() {
    let app = common::app().await;
    let (status, body) = app.get("/health").await;
    assert_eq!(status, 200, "{body}");
    let json: serde_json::Value = serde_json::from_str(&body).expect("json");
    assert_eq!(json["status"], "ok");
    // The suite runs twice: without DATABASE_URL on SQLite, with it on PostgreSQL.
    let expected = match std::env::var("DATABASE_URL") {
        Ok(url) if url.starts_with("postgres") => "postgres",
        _ => "sqlite",
    };
    assert_eq!(json["database"], expected);
    assert!(json["schema_version"].as_i64().unwrap_or(0) >= 1, "{json}");
}

#[tokio::test]
async fn health_fails_when_the_database_is_gone() {
    let app = common::app().await;
    app.db.close().await;
    let (status, body) = app.get("/health").await;
    assert_eq!(status, 503, "{body}");
    assert!(body.contains("unavailable"));
}

#[tokio::test]
async fn migrations_are_idempotent() {
    let app = common::app().await;
    app.db.migrate().await.expect("second migrate");
    let (status, _) = app.get("/health").await;
    assert_eq!(status, 200);
}
