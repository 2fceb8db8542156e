//! Plain HTML form posts that the server refuses come back filled in (never with the
//! password), and oversized bodies are refused.
use crate::common::{app, body_text, path, urlencode, TestApp};
use app::api::{accounts::Login, proposals::SaveProposal};
use axum::body::Body;
use http::Request;

/// Posts a form like a browser without JavaScript; returns (status, Location).
async fn browser_post(
    app: &TestApp,
    path: &str,
    from: &str,
    cookie: Option<&str>,
    body: String,
) -> (u16, Option<String>) {
    let mut req = Request::post(path)
        .header("content-type", "application/x-www-form-urlencoded")
        .header("accept", "text/html,application/xhtml+xml")
        .header("host", "localhost")
        .header("referer", format!("http://localhost{from}"));
    if let Some(c) = cookie {
        req = req.header("cookie", c);
    }
    let res = app.send(req.body(Body::from(body)).expect("request")).await;
    let location = res
        .headers()
        .get("location")
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    (res.status().as_u16(), location)
}

#[tokio::test]
async fn a_refused_form_comes_back_filled_in() {
    let app = app().await;
    let (_, cookie) = app.login_as("Sofie", &[]).await;
    let title = "Vores <b>egen</b> festival";
    let body = format!(
        "title={}&body=kort&theme=fritid_kultur&council_id=0&intent=submit",
        urlencode(title)
    );
    let (status, location) = browser_post(
        &app,
        path::<SaveProposal>(),
        "/forslag/nyt",
        Some(&cookie),
        body,
    )
    .await;
    assert!((300..400).contains(&status), "{status}");
    let location = location.expect("redirect back to the form");
    assert!(
        location.contains("__err=") && location.contains("__form="),
        "{location}"
    );
    let path = location.trim_start_matches("http://localhost");
    let res = app
        .send(
            Request::get(path)
                .header("cookie", &cookie)
                .body(Body::empty())
                .expect("request"),
        )
        .await;
    let html = body_text(res).await;
    assert!(
        html.contains("value=\"Vores &lt;b&gt;egen&lt;/b&gt; festival\""),
        "the title is given back, escaped"
    );
    // A forged token gives nothing; the page still renders.
    let (status, _) = app
        .get("/forslag/nyt?__form=00000000000000000000000000000000")
        .await;
    assert_eq!(status, 200);
}

#[tokio::test]
async fn passwords_are_never_kept() {
    let app = app().await;
    let (status, location) = browser_post(
        &app,
        path::<Login>(),
        "/log-ind",
        None,
        "email=ingen%40example.dk&password=hemmelig-kode-123".into(),
    )
    .await;
    assert!((300..400).contains(&status), "{status}");
    let location = location.expect("redirect");
    assert!(location.contains("__form="), "{location}");
    let (_, html) = app
        .get(location.trim_start_matches("http://localhost"))
        .await;
    assert!(
        html.contains("ingen@example.dk"),
        "the e-mail is given back"
    );
    assert!(!html.contains("hemmelig-kode-123"));
    assert_eq!(
        app.count("SELECT COUNT(*) FROM form_flash WHERE body LIKE '%hemmelig%'")
            .await,
        0
    );
}

#[tokio::test]
async fn oversized_form_posts_are_refused() {
    let app = app().await;
    let body = format!("email=a%40b.dk&password={}", "x".repeat(300 * 1024));
    let (status, _) = browser_post(&app, path::<Login>(), "/log-ind", None, body).await;
    assert_eq!(status, 413);
}
