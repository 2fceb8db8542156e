//! A test app against a real database: a fresh SQLite file by default, or the
//! PostgreSQL named by `DATABASE_URL` (the test script starts a throwaway one).
#![allow(dead_code, clippy::expect_used, clippy::unwrap_used)]

use app::ssr::{db::Db, state::AppState};
use axum::body::Body;
use axum::http::{Request, Response};
use axum::Router;
use http_body_util::BodyExt;
use tower::ServiceExt;

pub struct TestApp {
    pub router: Router,
    pub db: Db,
    _dir: Option<tempfile::TempDir>,
}

pub async fn app() -> TestApp {
    let (url, dir) = match std::env::var("DATABASE_URL") {
        Ok(url) if url.starts_with("postgres") => (url, None),
        _ => {
            let dir = tempfile::tempdir().expect("temp dir");
            (
                format!("sqlite://{}/test.db", dir.path().display()),
                Some(dir),
            )
        }
    };
    let config = server::config::Config {
        addr: "127.0.0.1:0".parse().expect("addr"),
        database_url: url,
        db_max_connections: 5,
        log: "warn".into(),
        log_format: "text".into(),
        cookie_secure: false,
        site_root: "target/site".into(),
    };
    let db = server::connect(&config).await.expect("database");
    let state = AppState {
        leptos: server::leptos_options(&config),
        db: db.clone(),
        cookie_secure: config.cookie_secure,
    };
    TestApp {
        router: server::router(state),
        db,
        _dir: dir,
    }
}

impl TestApp {
    pub async fn send(&self, req: Request<Body>) -> Response<Body> {
        self.router.clone().oneshot(req).await.expect("response")
    }

    pub async fn get(&self, uri: &str) -> (u16, String) {
        self.get_with(uri, &[]).await
    }

    pub async fn get_with(&self, uri: &str, headers: &[(&str, &str)]) -> (u16, String) {
        let mut req = Request::get(uri);
        for (k, v) in headers {
            req = req.header(*k, *v);
        }
        let res = self.send(req.body(Body::empty()).expect("request")).await;
        let status = res.status().as_u16();
        (status, body_text(res).await)
    }
}

pub async fn body_text(res: Response<Body>) -> String {
    let bytes = res.into_body().collect().await.expect("body").to_bytes();
    String::from_utf8_lossy(&bytes).into_owned()
}
