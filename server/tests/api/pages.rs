//! The server-rendered pages: Danish by default, English on request, and no JS needed.
#![allow(clippy::expect_used, clippy::unwrap_used)]
use crate::common;

const PAGES: [(&str, &str); 6] = [
    ("/", "Børn og unges stemmer skal høres"),
    ("/forslag", "Forslag"),
    ("/raad", "Råd og møder"),
    ("/puljen", "Ungerådets pulje"),
    ("/om", "Om Stemme"),
    ("/tilgaengelighed", "Tilgængelighedserklæring"),
];

#[tokio::test]
async fn every_page_renders_in_danish_without_javascript() {
    let app = common::app().await;
    for (path, heading) in PAGES {
        let (status, html) = app.get(path).await;
        assert_eq!(status, 200, "{path}");
        assert!(html.contains(r#"lang="da""#), "{path}: no lang=da");
        assert!(html.contains(heading), "{path}: missing {heading}");
        for nav in [
            "Forslag",
            "Råd og møder",
            "Puljen",
            "Om",
            "Tilgængelighedserklæring",
        ] {
            assert!(html.contains(nav), "{path}: nav item {nav} missing");
        }
        assert!(
            html.contains("/pkg/stemme.js"),
            "{path}: no hydration script"
        );
    }
}

#[tokio::test]
async fn english_is_served_when_the_cookie_says_so() {
    let app = common::app().await;
    let (status, html) = app
        .get_with("/", &[("cookie", "i18n_pref_locale=en")])
        .await;
    assert_eq!(status, 200);
    assert!(html.contains(r#"lang="en""#));
    assert!(html.contains("Children and young people must be heard"));
    assert!(html.contains("Accessibility statement"));
    assert!(!html.contains("Børn og unges stemmer skal høres</h1>"));
}

#[tokio::test]
async fn language_switch_sets_cookie_and_redirects_back() {
    let app = common::app().await;
    let req = axum::http::Request::get("/sprog/en?til=/om")
        .body(axum::body::Body::empty())
        .expect("request");
    let res = app.send(req).await;
    assert_eq!(res.status().as_u16(), 303);
    assert_eq!(res.headers()["location"], "/om");
    let cookie = res.headers()["set-cookie"].to_str().unwrap_or_default();
    assert!(cookie.starts_with("i18n_pref_locale=en;"), "{cookie}");
    assert!(cookie.contains("Path=/") && cookie.contains("SameSite=Lax"));
}

#[tokio::test]
async fn language_switch_refuses_foreign_redirects_and_unknown_languages() {
    let app = common::app().await;
    for til in [
        "https://evil.example/",
        "//evil.example",
        "%2F%2Fevil.example",
        "/%5Cevil",
    ] {
        let req = axum::http::Request::get(format!("/sprog/da?til={til}"))
            .body(axum::body::Body::empty())
            .expect("request");
        let res = app.send(req).await;
        assert_eq!(res.status().as_u16(), 303);
        assert_eq!(res.headers()["location"], "/", "til={til}");
    }
    let (status, _) = app.get("/sprog/xx?til=/").await;
    assert_eq!(status, 404);
}

#[tokio::test]
async fn unknown_paths_get_a_danish_404_page() {
    let app = common::app().await;
    let (status, html) = app.get("/findes-ikke").await;
    assert_eq!(status, 404);
    assert!(html.contains("Siden findes ikke"), "{html}");
}

/// Building routers (every test builds one, in parallel threads) never stalls a page that
/// renders meanwhile. leptos lists the routes by rendering the app with a process-wide
/// "do not load resources" flag, and a page whose resource started under it never answered
/// (the parallel-test hang, leptos-rs/leptos#4773): the list is made once per process.
#[tokio::test]
async fn building_routers_never_stalls_a_render_elsewhere() {
    use std::sync::atomic::{AtomicBool, Ordering};
    use std::sync::Arc;
    let app = common::app().await;
    let stop = Arc::new(AtomicBool::new(false));
    let builder = {
        let (stop, build) = (stop.clone(), app.router_builder());
        std::thread::spawn(move || {
            // A runtime of its own, as another test has.
            let rt = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .expect("runtime");
            let mut built = 0;
            while !stop.load(Ordering::Relaxed) {
                rt.block_on(async { drop(build()) });
                built += 1;
            }
            built
        })
    };
    let mut stalled = Vec::new();
    for path in ["/findes-ikke", "/", "/forslag?side=2", "/om"].repeat(5) {
        let req = axum::http::Request::get(path)
            .body(axum::body::Body::empty())
            .expect("request");
        let render = async {
            let res = tower::ServiceExt::oneshot(app.router.clone(), req).await;
            common::body_text(res.expect("response")).await
        };
        if tokio::time::timeout(std::time::Duration::from_secs(10), render)
            .await
            .is_err()
        {
            stalled.push(path);
        }
    }
    stop.store(true, Ordering::Relaxed);
    let built = builder.join().expect("builder thread");
    assert!(built > 0, "no router was built meanwhile");
    assert!(stalled.is_empty(), "stalled renders: {stalled:?}");
}

#[tokio::test]
async fn hostile_paths_are_not_reflected_as_html() {
    let app = common::app().await;
    let (status, html) = app.get("/%3Cscript%3Ealert(1)%3C%2Fscript%3E").await;
    assert_eq!(status, 404);
    assert!(!html.contains("<script>alert(1)</script>"));
}

#[tokio::test]
async fn security_headers_are_set() {
    let app = common::app().await;
    // A page, a page that turns the visitor away, and the 404 page (the fallback): each
    // carries a policy naming its own nonce, and every inline script carries that nonce.
    for path in ["/", "/admin/log", "/findes-ikke"] {
        let req = axum::http::Request::get(path)
            .body(axum::body::Body::empty())
            .expect("request");
        let res = app.send(req).await;
        assert_eq!(res.headers()["x-content-type-options"], "nosniff");
        assert_eq!(res.headers()["x-frame-options"], "DENY");
        assert_eq!(res.headers()["referrer-policy"], "same-origin");
        let nonce = page_scripts_carry_the_policys_nonce(path, res).await;
        assert!(nonce.len() >= 16, "{path}: nonce too short: {nonce}");
    }
    let res = app
        .send(
            axum::http::Request::get("/")
                .body(axum::body::Body::empty())
                .expect("request"),
        )
        .await;
    let nonce = page_scripts_carry_the_policys_nonce("/", res).await;
    // Another response, another nonce.
    let again = app
        .send(
            axum::http::Request::get("/")
                .body(axum::body::Body::empty())
                .expect("request"),
        )
        .await;
    assert!(!again.headers()["content-security-policy"]
        .to_str()
        .expect("ascii")
        .contains(&nonce));
    // Data responses may run and embed nothing.
    let (_, _) = app.get("/health").await;
    let res = app
        .send(
            axum::http::Request::get("/health")
                .body(axum::body::Body::empty())
                .expect("request"),
        )
        .await;
    assert!(res.headers()["content-security-policy"]
        .to_str()
        .expect("ascii")
        .starts_with("default-src 'none'"));
}

#[tokio::test]
async fn danish_is_the_default_even_for_english_browsers() {
    let app = common::app().await;
    let (status, html) = app
        .get_with("/", &[("accept-language", "en-US,en;q=0.9")])
        .await;
    assert_eq!(status, 200);
    assert!(
        html.contains(r#"lang="da""#),
        "English browser got another language"
    );
    assert!(html.contains("Børn og unges stemmer skal høres"));
}

/// The nonce `res`'s policy names, after checking that the policy allows no other inline
/// script and that every inline script of the page carries it.
async fn page_scripts_carry_the_policys_nonce(
    path: &str,
    res: axum::http::Response<axum::body::Body>,
) -> String {
    let csp = res.headers()["content-security-policy"]
        .to_str()
        .expect("ascii")
        .to_owned();
    let nonce = csp
        .split("'nonce-")
        .nth(1)
        .and_then(|rest| rest.split('\'').next())
        .unwrap_or_else(|| panic!("{path}: no nonce in the policy {csp}"))
        .to_owned();
    assert!(!csp.contains("script-src 'self' 'unsafe-inline'"), "{path}");
    assert!(csp.contains("frame-ancestors 'none'"), "{path}");
    let html = common::body_text(res).await;
    let inline_scripts = html.matches("<script").count();
    let with_nonce = html.matches(&format!("nonce=\"{nonce}\"")).count();
    assert!(
        inline_scripts > 0 && with_nonce >= 1,
        "{path}: scripts {inline_scripts}, with nonce {with_nonce}"
    );
    for script in html.split("<script").skip(1) {
        let tag = script.split('>').next().unwrap_or("");
        // An empty inline script (leptos_i18n leaves one) never runs, so CSP ignores it.
        let empty = script.starts_with("></script>");
        assert!(
            tag.contains("src=") || tag.contains(&nonce) || empty,
            "{path}: an inline script without the nonce: <script{tag}>{}",
            script.chars().take(300).collect::<String>()
        );
    }
    nonce
}
