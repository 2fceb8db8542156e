//! Every refusal a browser's form post can get before the server function runs (400, 413,
//! 415, 422) is a page in the person's language with the status kept; an API client gets
//! the app's JSON error with its message. Refusals made inside a function (a missing
//! field, 429) go back to the form with `__err=` for a browser, and are JSON with a message
//! for an API client. Nothing refused is stored.
use crate::common::{app, body_text, email, path, urlencode, TestApp, PASSWORD};
use app::api::{
    accounts::Login,
    proposals::{AddComment, SaveProposal},
};
use app::domain::account::RoleKind;
use axum::body::{Body, Bytes};
use axum::http::Request;

#[derive(Clone, Copy, PartialEq)]
enum Who {
    /// A browser without JavaScript, in Danish (the default).
    Browser,
    /// A browser without JavaScript whose person chose English.
    English,
    /// An API client (or the hydrated app).
    Api,
}

struct Sent {
    status: u16,
    content_type: String,
    csp: String,
    location: Option<String>,
    body: String,
}

async fn send(
    app: &TestApp,
    who: Who,
    path: &str,
    cookie: Option<&str>,
    content_type: &str,
    body: Body,
) -> Sent {
    let mut req = Request::post(path)
        .header("content-type", content_type)
        .header("host", "localhost")
        .header("origin", "http://localhost");
    req = match who {
        Who::Api => req.header("accept", "application/json"),
        Who::Browser | Who::English => req
            .header("accept", "text/html,application/xhtml+xml")
            .header("referer", "http://localhost/forslag/nyt"),
    };
    let mut cookies: Vec<String> = cookie.map(str::to_owned).into_iter().collect();
    if who == Who::English {
        cookies.push("i18n_pref_locale=en".into());
    }
    if !cookies.is_empty() {
        req = req.header("cookie", cookies.join("; "));
    }
    let res = app.send(req.body(body).expect("request")).await;
    let header = |name: &str| {
        res.headers()
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned)
    };
    Sent {
        status: res.status().as_u16(),
        content_type: header("content-type").unwrap_or_default(),
        csp: header("content-security-policy").unwrap_or_default(),
        location: header("location"),
        body: body_text(res).await,
    }
}

/// The answer is the refusal page: `status`, HTML in the right language, the message,
/// a link back to the form, nothing that the Content-Security-Policy would block.
fn assert_page(sent: &Sent, status: u16, lang: &str, message: &str) {
    assert_eq!(sent.status, status, "{}", sent.body);
    assert!(
        sent.content_type.starts_with("text/html"),
        "{}: {}",
        sent.content_type,
        sent.body
    );
    assert!(
        sent.body.contains(&format!("<html lang=\"{lang}\">")),
        "{}",
        sent.body
    );
    assert!(sent.body.contains("<main") && sent.body.contains("<h1>"));
    assert!(sent.body.contains(message), "{message:?} in {}", sent.body);
    assert!(
        sent.body.contains("href=\"/forslag/nyt\""),
        "link back: {}",
        sent.body
    );
    // stemme.css, or stemme.<hash>.css where a hash.txt lies beside the binary.
    assert!(
        sent.body
            .contains("<link rel=\"stylesheet\" href=\"/pkg/stemme.")
            && sent.body.contains(".css\">"),
        "{}",
        sent.body
    );
    assert!(!sent.body.contains("<script") && !sent.body.contains("style="));
    assert!(sent.csp.contains("default-src 'none'"), "{}", sent.csp);
}

/// The answer is the app's JSON error with `status` and a message containing `message`.
fn assert_json(sent: &Sent, status: u16, kind: &str, message: &str) {
    assert_eq!(sent.status, status, "{}", sent.body);
    assert!(
        sent.content_type.starts_with("application/json"),
        "{}: {}",
        sent.content_type,
        sent.body
    );
    let json: serde_json::Value = serde_json::from_str(&sent.body).expect("JSON");
    assert_eq!(json["error"], kind, "{json}");
    assert_eq!(json["status"], status, "{json}");
    let text = json["message"].as_str().unwrap_or_default();
    assert!(text.contains(message), "{message:?} in {json}");
    let parsed: app::domain::error::AppError =
        serde_json::from_str(&sent.body).expect("the app's error");
    assert_eq!(parsed.status(), status);
}

/// A young person who may write proposals, and a form for a new one.
async fn writer(app: &TestApp) -> (String, String) {
    let mail = email("skriver");
    app.user("Sofie", &mail, &[]).await;
    let council = app.council(RoleKind::Ungeraadsmedlem).await;
    let cookie = app.login(&mail, PASSWORD).await;
    // The form as its page carries it, with its one-time token.
    let token = app.form_token(Some(&cookie)).await;
    let form = format!(
        "title={}&body={}&theme=fritid_kultur&council_id={}&show_name=1&intent=submit&form_token={}",
        urlencode("En skaterbane ved skolen"),
        urlencode("Vi vil gerne have en skaterbane ved skolen, så vi har et sted at mødes."),
        council.0,
        urlencode(&token)
    );
    (cookie, form)
}

async fn proposals(app: &TestApp) -> i64 {
    app.count("SELECT COUNT(*) FROM proposals").await
}

const FORM: &str = "application/x-www-form-urlencoded";

#[tokio::test]
async fn a_form_post_over_the_limit_is_413() {
    let app = app().await;
    let (cookie, form) = writer(&app).await;
    let before = proposals(&app).await;
    let big = format!("{form}&x={}", "a".repeat(300 * 1024));
    for who in [Who::Browser, Who::English, Who::Api] {
        let sent = send(
            &app,
            who,
            path::<SaveProposal>(),
            Some(&cookie),
            FORM,
            Body::from(big.clone()),
        )
        .await;
        match who {
            Who::Browser => assert_page(&sent, 413, "da", "Det, du sendte, er for stort."),
            Who::English => assert_page(&sent, 413, "en", "What you sent is too large."),
            Who::Api => assert_json(&sent, 413, "TooLarge", "for stort"),
        }
    }
    assert_eq!(proposals(&app).await, before);
}

#[tokio::test]
async fn a_chunked_body_over_the_limit_is_413_not_422() {
    let app = app().await;
    let (cookie, form) = writer(&app).await;
    let before = proposals(&app).await;
    for who in [Who::Browser, Who::Api] {
        // 1 MB in 16 kB chunks, without a Content-Length.
        let mut chunks = vec![Ok::<_, std::io::Error>(Bytes::from(format!("{form}&x=")))];
        chunks.extend((0..64).map(|_| Ok(Bytes::from(vec![b'a'; 16 * 1024]))));
        let body = Body::from_stream(futures::stream::iter(chunks));
        let sent = send(&app, who, path::<SaveProposal>(), Some(&cookie), FORM, body).await;
        match who {
            Who::Api => assert_json(&sent, 413, "TooLarge", "for stort"),
            _ => assert_page(&sent, 413, "da", "Det, du sendte, er for stort."),
        }
    }
    assert_eq!(proposals(&app).await, before);
}

#[tokio::test]
async fn a_body_that_breaks_off_is_400() {
    let app = app().await;
    let (cookie, form) = writer(&app).await;
    let before = proposals(&app).await;
    for who in [Who::Browser, Who::English, Who::Api] {
        let chunks = vec![
            Ok(Bytes::from(form.clone())),
            Err(std::io::Error::other("the connection broke")),
        ];
        let body = Body::from_stream(futures::stream::iter(chunks));
        let sent = send(&app, who, path::<SaveProposal>(), Some(&cookie), FORM, body).await;
        match who {
            Who::Browser => assert_page(&sent, 400, "da", "kom ikke helt frem"),
            Who::English => assert_page(&sent, 400, "en", "did not arrive in full"),
            Who::Api => assert_json(&sent, 400, "Unreadable", "kom ikke helt frem"),
        }
    }
    assert_eq!(proposals(&app).await, before);
}

#[tokio::test]
async fn a_body_that_is_not_a_form_is_415() {
    let app = app().await;
    let (cookie, form) = writer(&app).await;
    let before = proposals(&app).await;
    for content_type in [
        "text/plain",
        "application/xml",
        "multipart/form-data; boundary=x",
    ] {
        for who in [Who::Browser, Who::English, Who::Api] {
            let sent = send(
                &app,
                who,
                path::<SaveProposal>(),
                Some(&cookie),
                content_type,
                Body::from(form.clone()),
            )
            .await;
            match who {
                Who::Browser => assert_page(&sent, 415, "da", "almindelig formular"),
                Who::English => assert_page(&sent, 415, "en", "expects an ordinary form"),
                Who::Api => assert_json(&sent, 415, "UnsupportedMediaType", "almindelig formular"),
            }
        }
    }
    assert_eq!(proposals(&app).await, before);
    // The form itself, with a charset, is read as before.
    let sent = send(
        &app,
        Who::Api,
        path::<SaveProposal>(),
        Some(&cookie),
        "application/x-www-form-urlencoded; charset=UTF-8",
        Body::from(form),
    )
    .await;
    assert_eq!(sent.status, 200, "{}", sent.body);
    assert_eq!(proposals(&app).await, before + 1);
}

#[tokio::test]
async fn percent_encoded_invalid_utf8_is_422_and_never_stored() {
    let app = app().await;
    let (cookie, form) = writer(&app).await;
    let before = proposals(&app).await;
    let title = urlencode("En skaterbane ved skolen");
    let bad = form.replace(&format!("title={title}"), "title=Probe%FF%FE%FDutf");
    assert_ne!(bad, form);
    for who in [Who::Browser, Who::English, Who::Api] {
        let sent = send(
            &app,
            who,
            path::<SaveProposal>(),
            Some(&cookie),
            FORM,
            Body::from(bad.clone()),
        )
        .await;
        match who {
            Who::Browser => assert_page(
                &sent,
                422,
                "da",
                "Feltet «title» indeholder tegn, der ikke kan læses.",
            ),
            Who::English => assert_page(
                &sent,
                422,
                "en",
                "The field «title» contains characters that cannot be read.",
            ),
            Who::Api => assert_json(&sent, 422, "BadRequest", "Feltet «title» indeholder tegn"),
        }
    }
    // Also in a field's name, and as raw bytes.
    let mut raw = form.clone().into_bytes();
    raw.extend_from_slice(b"&note=\xff\xfe");
    for body in [format!("{form}&%C3%28=1").into_bytes(), raw] {
        let sent = send(
            &app,
            Who::Api,
            path::<SaveProposal>(),
            Some(&cookie),
            FORM,
            Body::from(body),
        )
        .await;
        assert_json(
            &sent,
            422,
            "BadRequest",
            "indeholder tegn, der ikke kan læses",
        );
    }
    assert_eq!(proposals(&app).await, before);
    assert_eq!(
        app.count("SELECT COUNT(*) FROM proposals WHERE title LIKE '%Probe%'")
            .await,
        0
    );
}

#[tokio::test]
async fn a_missing_field_is_422_naming_it() {
    let app = app().await;
    let (cookie, _) = writer(&app).await;
    let comments = || app.count("SELECT COUNT(*) FROM comments");
    let before = comments().await;
    let sent = send(
        &app,
        Who::Api,
        path::<AddComment>(),
        Some(&cookie),
        FORM,
        Body::from("proposal_id=1"),
    )
    .await;
    assert_json(&sent, 422, "BadRequest", "Feltet «body» mangler");
    // A browser is sent back to the form with the error (`__err=`), where the page shows it.
    let sent = send(
        &app,
        Who::Browser,
        path::<AddComment>(),
        Some(&cookie),
        FORM,
        Body::from("proposal_id=1"),
    )
    .await;
    assert!((300..400).contains(&sent.status), "{}", sent.status);
    let location = sent.location.unwrap_or_default();
    assert!(
        location.starts_with("http://localhost/forslag/nyt?") && location.contains("__err="),
        "{location}"
    );
    assert_eq!(comments().await, before);
}

#[tokio::test]
async fn too_many_attempts_is_429_with_a_message() {
    let app = app().await;
    let mail = email("gaetter");
    app.user("Gitte", &mail, &[]).await;
    let wrong = format!("email={}&password=forkert-adgangskode", urlencode(&mail));
    let mut last = None;
    for _ in 0..6 {
        last = Some(
            send(
                &app,
                Who::Api,
                path::<Login>(),
                None,
                FORM,
                Body::from(wrong.clone()),
            )
            .await,
        );
    }
    let sent = last.expect("sent");
    assert_json(&sent, 429, "RateLimited", "for mange gange");
    // A browser goes back to the log-in form with the error (`__err=`): the form shows it.
    let sessions = app.count("SELECT COUNT(*) FROM sessions").await;
    let mut req = Request::post(path::<Login>())
        .header("content-type", FORM)
        .header("accept", "text/html")
        .header("host", "localhost")
        .header("origin", "http://localhost")
        .header("referer", "http://localhost/log-ind");
    req = req.header("content-length", wrong.len());
    let res = app
        .send(req.body(Body::from(wrong)).expect("request"))
        .await;
    assert!(res.status().is_redirection(), "{}", res.status());
    let location = res
        .headers()
        .get("location")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    assert!(location.contains("__err="), "{location}");
    let (status, html) = app
        .get(location.trim_start_matches("http://localhost"))
        .await;
    assert_eq!(status, 200);
    assert!(
        html.contains("for mange gange"),
        "the log-in form shows the refusal"
    );
    assert_eq!(app.count("SELECT COUNT(*) FROM sessions").await, sessions);
}

#[tokio::test]
async fn a_refusal_by_the_rules_speaks_the_persons_language() {
    let app = app().await;
    let (cookie, _) = writer(&app).await;
    let council = app.council(RoleKind::Ungeraadsmedlem).await;
    let before = proposals(&app).await;
    let english = format!("{cookie}; i18n_pref_locale=en");
    let form = |token: &str| {
        format!(
            "title=Hej&body={}&theme=fritid_kultur&council_id={}&show_name=1&intent=submit&form_token={}",
            urlencode("Vi vil gerne have en skaterbane ved skolen, så vi har et sted at mødes."),
            council.0,
            urlencode(token)
        )
    };
    // An API client gets the code, its parameters and the text in the chosen language.
    for (cookie, message) in [
        (cookie.as_str(), "Titlen skal være mindst 5 tegn (nu 3)."),
        (
            english.as_str(),
            "The title must be at least 5 characters (now 3).",
        ),
    ] {
        let token = app.form_token(Some(cookie)).await;
        let sent = send(
            &app,
            Who::Api,
            "/api/proposals/save",
            Some(cookie),
            FORM,
            Body::from(form(&token)),
        )
        .await;
        assert_json(&sent, 422, "Validation", message);
        let json: serde_json::Value = serde_json::from_str(&sent.body).expect("JSON");
        assert_eq!(json["code"], "title_too_short", "{json}");
        assert_eq!(json["params"]["min"], 5, "{json}");
        assert_eq!(json["field"], "title", "{json}");
    }
    // A browser goes back to the form, which shows the refusal in English.
    let token = app.form_token(Some(&english)).await;
    let sent = send(
        &app,
        Who::English,
        "/api/proposals/save",
        Some(&cookie),
        FORM,
        Body::from(form(&token)),
    )
    .await;
    assert!((300..400).contains(&sent.status), "{}", sent.status);
    let location = sent.location.unwrap_or_default();
    assert!(location.contains("__err="), "{location}");
    let (status, html) = app
        .get_with(
            location.trim_start_matches("http://localhost"),
            &[("cookie", english.as_str())],
        )
        .await;
    assert_eq!(status, 200);
    assert!(
        html.contains("The title must be at least 5 characters (now 3).")
            && !html.contains("Titlen skal være mindst"),
        "the form shows the refusal in English"
    );
    assert_eq!(proposals(&app).await, before);
}

#[tokio::test]
async fn a_refusal_page_and_its_json_speak_english_when_chosen() {
    let app = app().await;
    let (cookie, _) = writer(&app).await;
    let english = format!("{cookie}; i18n_pref_locale=en");
    // Refused before the function runs: a text that is not UTF-8 names its field.
    let body = Body::from(Bytes::from_static(b"proposal_id=1&body=\xff\xfe"));
    let sent = send(
        &app,
        Who::English,
        "/api/proposals/comment",
        Some(&cookie),
        FORM,
        body,
    )
    .await;
    assert_page(
        &sent,
        422,
        "en",
        "The field «body» contains characters that cannot be read.",
    );
    let body = Body::from(Bytes::from_static(b"proposal_id=1&body=\xff\xfe"));
    let sent = send(
        &app,
        Who::Api,
        "/api/proposals/comment",
        Some(&english),
        FORM,
        body,
    )
    .await;
    assert_json(
        &sent,
        422,
        "BadRequest",
        "The field «body» contains characters that cannot be read.",
    );
    let json: serde_json::Value = serde_json::from_str(&sent.body).expect("JSON");
    assert_eq!(json["code"], "unreadable_field", "{json}");
    assert_eq!(json["params"]["field"], "body", "{json}");
}
