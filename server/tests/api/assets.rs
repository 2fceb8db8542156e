//! Hashed static assets through the real router: a site root with a hash list (as
//! cargo-leptos `hash-files` writes it) makes the pages name `stemme.<hash>.*`, and those
//! files are served precompressed and cacheable for a year.
use app::ssr::state::AppState;
use axum::body::Body;
use axum::http::Request;
use tower::ServiceExt;

const JS: &str = "Js0123456789abcdefgh_-";
const WASM: &str = "Wasm456789abcdefghij_-";
const CSS: &str = "Css3456789abcdefghij_-";

async fn get(router: &axum::Router, uri: &str, br: bool) -> axum::http::Response<Body> {
    let mut req = Request::get(uri);
    if br {
        req = req.header("accept-encoding", "br");
    }
    router
        .clone()
        .oneshot(req.body(Body::empty()).expect("request"))
        .await
        .expect("response")
}

fn header(res: &axum::http::Response<Body>, name: &str) -> Option<String> {
    res.headers()
        .get(name)
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned)
}

#[tokio::test]
async fn hashed_assets_are_named_in_pages_and_served_immutable() {
    let site = tempfile::tempdir().expect("site dir");
    let pkg = site.path().join("pkg");
    std::fs::create_dir_all(&pkg).expect("pkg dir");
    std::fs::write(
        site.path().join(server::assets::HASH_FILE),
        format!("js: {JS}\nwasm: {WASM}\ncss: {CSS}\n"),
    )
    .expect("hash file");
    std::fs::write(
        pkg.join(format!("stemme.{JS}.js")),
        "export default function(){}\n".repeat(50),
    )
    .expect("js");
    std::fs::write(pkg.join(format!("stemme.{WASM}.wasm")), [0u8; 4096]).expect("wasm");
    std::fs::write(
        pkg.join(format!("stemme.{CSS}.css")),
        "body{margin:0}\n".repeat(50),
    )
    .expect("css");
    std::fs::write(site.path().join("favicon.svg"), "<svg></svg>").expect("favicon");
    server::assets::precompress(site.path()).expect("precompress");

    let db_dir = tempfile::tempdir().expect("db dir");
    let config = server::config::Config {
        addr: "127.0.0.1:0".parse().expect("addr"),
        database_url: format!("sqlite://{}/test.db", db_dir.path().display()),
        db_max_connections: 2,
        log: "warn".into(),
        log_format: "text".into(),
        cookie_secure: false,
        site_root: site.path().to_path_buf(),
        reminder_interval: 0,
        page_cache_ms: 0,
        mail: server::config::MailConfig::off(),
        login: server::config::LoginConfig::passwords_only(),
    };
    let db = server::connect(&config).await.expect("database");
    let router = server::router(AppState {
        leptos: server::leptos_options(&config),
        db: db.clone(),
        cookie_secure: false,
        public_url: "http://stemme.test".into(),
        smtp_configured: false,
        oidc: std::sync::Arc::new(app::ssr::oidc::Oidc::none()),
        password_login: true,
        live: Default::default(),
    });

    let page = get(&router, "/om", false).await;
    assert_eq!(page.status(), 200);
    let html = crate::common::body_text(page).await;
    for name in [
        format!("/pkg/stemme.{JS}.js"),
        format!("/pkg/stemme.{WASM}.wasm"),
        format!("href=\"/pkg/stemme.{CSS}.css\""),
    ] {
        assert!(html.contains(&name), "{name} not in the page: {html}");
    }
    assert!(!html.contains("/pkg/stemme.css"), "{html}");

    let wasm = get(&router, &format!("/pkg/stemme.{WASM}.wasm"), true).await;
    assert_eq!(wasm.status(), 200);
    assert_eq!(header(&wasm, "content-encoding").as_deref(), Some("br"));
    assert_eq!(
        header(&wasm, "content-type").as_deref(),
        Some("application/wasm")
    );
    assert_eq!(
        header(&wasm, "cache-control").as_deref(),
        Some(server::assets::IMMUTABLE)
    );
    for uri in [
        format!("/pkg/stemme.{CSS}.css"),
        format!("/pkg/stemme.{JS}.js"),
    ] {
        let res = get(&router, &uri, false).await;
        assert_eq!(res.status(), 200, "{uri}");
        assert_eq!(
            header(&res, "cache-control").as_deref(),
            Some(server::assets::IMMUTABLE),
            "{uri}"
        );
    }
    let favicon = get(&router, "/favicon.svg", false).await;
    assert_eq!(favicon.status(), 200);
    assert_eq!(
        header(&favicon, "cache-control").as_deref(),
        Some(server::assets::SHORT)
    );
    let missing = get(&router, "/pkg/stemme.css", false).await;
    assert_eq!(missing.status(), 404);
    assert_ne!(
        header(&missing, "cache-control").as_deref(),
        Some(server::assets::IMMUTABLE)
    );
    db.close().await;
}
