//! Accounts over HTTP: sign-up with the age rules, login, sessions, rate limiting,
//! password change, my data and account deletion.
#![allow(clippy::expect_used, clippy::unwrap_used)]
use crate::common::{self, path};
use app::api::{
    accounts::{ChangePassword, DeleteAccount, GetMyData, Login, Logout, Signup},
    proposals::FollowProposal,
};

use common::{email, PASSWORD};

fn year() -> i32 {
    app::api::accounts::current_year()
}

async fn signup(
    app: &common::TestApp,
    name: &str,
    age: i32,
    mail: &str,
    pw: &str,
) -> common::Reply {
    let by = (year() - age).to_string();
    app.post(
        path::<Signup>(),
        None,
        &[
            ("first_name", name),
            ("birth_year", &by),
            ("email", mail),
            ("password", pw),
        ],
    )
    .await
}

async fn users_with_email(app: &common::TestApp, mail: &str) -> i64 {
    sqlx::query_scalar::<_, i64>("SELECT COUNT(*) FROM users WHERE email = $1")
        .bind(mail)
        .fetch_one(app.db.pool())
        .await
        .expect("count")
}

#[tokio::test]
async fn sixteen_year_old_signs_up_and_is_logged_in_and_active() {
    let app = common::app().await;
    let mail = email("sofie");
    let r = signup(&app, "Sofie", 16, &mail, "en lang god kode").await;
    assert!(r.status < 400, "{} {}", r.status, r.body);
    let cookie = r.cookie.expect("logged in after sign-up");
    let me = app.me(Some(&cookie)).await;
    assert_eq!(me["first_name"], "Sofie");
    assert_eq!(me["status"], "Active");
    assert_eq!(me["roles"], serde_json::json!(["Ung"]));
    // The password is stored as an argon2id hash.
    let hash: String = sqlx::query_scalar("SELECT password_hash FROM users WHERE email = $1")
        .bind(&mail)
        .fetch_one(app.db.pool())
        .await
        .expect("hash");
    assert!(hash.starts_with("$argon2id$"));
}

#[tokio::test]
async fn fourteen_year_old_waits_for_confirmation() {
    let app = common::app().await;
    let r = signup(&app, "Ida", 14, &email("ida"), "en lang god kode").await;
    assert!(r.status < 400, "{}", r.body);
    let me = app.me(r.cookie.as_deref()).await;
    assert_eq!(me["status"], "AwaitingConfirmation");
}

#[tokio::test]
async fn refused_sign_ups_explain_why_in_danish_and_store_nothing() {
    let app = common::app().await;
    let cases: [(&str, i32, String, &str, &str); 7] = [
        ("Bo", 12, email("young"), "en lang god kode", "birth_year"),
        ("Bo", 26, email("old"), "en lang god kode", "birth_year"),
        ("Bo", 16, "ikke-en-mail".into(), "en lang god kode", "email"),
        ("Bo", 16, email("short"), "kort", "password"),
        ("", 16, email("noname"), "en lang god kode", "first_name"),
        (
            "<script>alert(1)</script>",
            16,
            email("xss"),
            "en lang god kode",
            "first_name",
        ),
        (
            &"x".repeat(10_000),
            16,
            email("huge"),
            "en lang god kode",
            "first_name",
        ),
    ];
    for (name, age, mail, pw, field) in cases {
        let r = signup(&app, name, age, &mail, pw).await;
        assert_eq!(r.status, 422, "{field}: {}", r.body);
        let err = r.json();
        assert_eq!(err["field"], field, "{}", r.body);
        let msg = err["message"].as_str().unwrap_or_default();
        assert!(
            msg.chars().count() > 10,
            "a real explanation, not a code: {msg}"
        );
        assert!(r.cookie.is_none(), "no session on refusal");
        assert_eq!(users_with_email(&app, &mail).await, 0);
    }
    // The under-13 message points to the school instead.
    let r = signup(&app, "Bo", 11, &email("eleven"), "en lang god kode").await;
    assert!(r.body.contains("kontaktlærer"), "{}", r.body);
}

#[tokio::test]
async fn the_same_email_cannot_sign_up_twice() {
    let app = common::app().await;
    let mail = email("twice");
    assert!(
        signup(&app, "A", 17, &mail, "en lang god kode")
            .await
            .status
            < 400
    );
    let r = signup(&app, "B", 17, &mail.to_uppercase(), "en lang god kode").await;
    assert_eq!(r.status, 422);
    assert_eq!(r.json()["field"], "email");
    assert_eq!(users_with_email(&app, &mail).await, 1);
}

#[tokio::test]
async fn invisible_unicode_is_stripped_from_names() {
    let app = common::app().await;
    let r = signup(
        &app,
        "\u{202E}Åse\u{200B}",
        18,
        &email("aase"),
        "en lang god kode",
    )
    .await;
    assert!(r.status < 400, "{}", r.body);
    assert_eq!(app.me(r.cookie.as_deref()).await["first_name"], "Åse");
}

#[tokio::test]
async fn login_logout_and_server_side_session_end() {
    let app = common::app().await;
    let mail = email("login");
    app.user("Karl", &mail, &[]).await;
    let cookie = app.login(&mail, PASSWORD).await;
    assert_eq!(app.me(Some(&cookie)).await["first_name"], "Karl");

    let r = app.post(path::<Logout>(), Some(&cookie), &[]).await;
    assert!(r.status < 400, "{}", r.body);
    // The old cookie no longer works: the session is gone from the database.
    assert!(app.me(Some(&cookie)).await.is_null());
}

#[tokio::test]
async fn login_rotates_the_session_id() {
    let app = common::app().await;
    let mail = email("rotate");
    app.user("Rie", &mail, &[]).await;
    let first = app.login(&mail, PASSWORD).await;
    let r = app
        .post(
            path::<Login>(),
            Some(&first),
            &[("email", &mail), ("password", PASSWORD)],
        )
        .await;
    let second = r.cookie.expect("new cookie");
    assert_ne!(first, second);
    assert!(
        app.me(Some(&first)).await.is_null(),
        "old session id is dead"
    );
    assert_eq!(app.me(Some(&second)).await["first_name"], "Rie");
}

#[tokio::test]
async fn wrong_password_and_unknown_email_get_the_same_danish_error() {
    let app = common::app().await;
    let mail = email("wrong");
    app.user("Per", &mail, &[]).await;
    let a = app
        .post(
            path::<Login>(),
            None,
            &[("email", &mail), ("password", "forkert forkert")],
        )
        .await;
    let b = app
        .post(
            path::<Login>(),
            None,
            &[("email", &email("nobody")), ("password", "forkert forkert")],
        )
        .await;
    assert_eq!(a.status, 422);
    assert_eq!(a.body, b.body);
    assert!(
        a.body.contains("Forkert e-mail eller adgangskode"),
        "{}",
        a.body
    );
    assert!(a.cookie.is_none());
}

#[tokio::test]
async fn ten_failed_logins_in_a_minute_are_refused() {
    let app = common::app().await;
    let mail = email("brute");
    app.user("Lise", &mail, &[]).await;
    let mut statuses = Vec::new();
    for i in 0..10 {
        let pw = format!("gæt nummer {i}");
        statuses.push(
            app.post(
                path::<Login>(),
                None,
                &[("email", &mail), ("password", &pw)],
            )
            .await
            .status,
        );
    }
    assert_eq!(&statuses[..5], &[422; 5], "{statuses:?}");
    assert_eq!(&statuses[5..], &[429; 5], "{statuses:?}");
    // Even the right password is refused until the minute has passed.
    let r = app
        .post(
            path::<Login>(),
            None,
            &[("email", &mail), ("password", PASSWORD)],
        )
        .await;
    assert_eq!(r.status, 429);
    assert_eq!(r.json()["error"], "RateLimited");
    assert!(r.json()["message"]
        .as_str()
        .is_some_and(|m| m.contains("for mange gange")));
    assert!(app::domain::error::AppError::RateLimited
        .to_string()
        .contains("for mange gange"));
    assert!(r.cookie.is_none());
}

#[tokio::test]
async fn change_password_checks_the_old_one_and_ends_other_sessions() {
    let app = common::app().await;
    let mail = email("pw");
    app.user("Ole", &mail, &[]).await;
    let here = app.login(&mail, PASSWORD).await;
    let elsewhere = app.login(&mail, PASSWORD).await;

    let r = app
        .post(
            path::<ChangePassword>(),
            Some(&here),
            &[
                ("current", "forkert kode"),
                ("new_password", "ny lang kode 123"),
            ],
        )
        .await;
    assert_eq!(r.status, 422);
    assert_eq!(r.json()["field"], "current");

    let r = app
        .post(
            path::<ChangePassword>(),
            Some(&here),
            &[("current", PASSWORD), ("new_password", "kort")],
        )
        .await;
    assert_eq!(r.json()["field"], "new_password");

    let r = app
        .post(
            path::<ChangePassword>(),
            Some(&here),
            &[("current", PASSWORD), ("new_password", "ny lang kode 123")],
        )
        .await;
    assert!(r.status < 400, "{}", r.body);
    let here = r.cookie.unwrap_or(here);
    assert_eq!(app.me(Some(&here)).await["first_name"], "Ole");
    assert!(
        app.me(Some(&elsewhere)).await.is_null(),
        "other session ended"
    );
    let old = app
        .post(
            path::<Login>(),
            None,
            &[("email", &mail), ("password", PASSWORD)],
        )
        .await;
    assert_eq!(old.status, 422);
    app.login(&mail, "ny lang kode 123").await;

    let anon = app
        .post(
            path::<ChangePassword>(),
            None,
            &[("current", "x"), ("new_password", "ny lang kode 123")],
        )
        .await;
    assert_eq!(anon.status, 401);
}

#[tokio::test]
async fn my_data_shows_and_exports_only_my_own_data() {
    let app = common::app().await;
    let mail = email("mine");
    app.user(
        "Maja",
        &mail,
        &[app::domain::account::RoleKind::Ungeraadsmedlem],
    )
    .await;
    let cookie = app.login(&mail, PASSWORD).await;

    let r = app.post(path::<GetMyData>(), Some(&cookie), &[]).await;
    assert_eq!(r.status, 200, "{}", r.body);
    let data = r.json();
    assert_eq!(data["email"], mail.as_str());
    assert_eq!(data["first_name"], "Maja");
    assert_eq!(data["roles"].as_array().map(Vec::len), Some(2));
    assert!(!r.body.contains("argon2"), "no password hash in the export");

    let res = app
        .send(
            axum::http::Request::get("/konto/mine-data.json")
                .header("cookie", &cookie)
                .body(axum::body::Body::empty())
                .expect("request"),
        )
        .await;
    assert_eq!(res.status(), 200);
    assert!(res.headers()["content-disposition"]
        .to_str()
        .unwrap_or_default()
        .contains("attachment"));
    let body = common::body_text(res).await;
    assert!(body.contains(&mail) && !body.contains("argon2"));

    assert_eq!(app.post(path::<GetMyData>(), None, &[]).await.status, 401);
    let (status, _) = app.get("/konto/mine-data.json").await;
    assert_eq!(status, 401);
}

#[tokio::test]
async fn deleting_my_account_erases_personal_data_and_sessions() {
    let app = common::app().await;
    let mail = email("bye");
    let id = app.user("Vera", &mail, &[]).await;
    let cookie = app.login(&mail, PASSWORD).await;

    let anon = app
        .post(path::<DeleteAccount>(), None, &[("password", PASSWORD)])
        .await;
    assert_eq!(anon.status, 401);
    assert_eq!(users_with_email(&app, &mail).await, 1);

    let r = app
        .post(
            path::<DeleteAccount>(),
            Some(&cookie),
            &[("password", "forkert kode")],
        )
        .await;
    assert_eq!(r.status, 422);
    assert_eq!(users_with_email(&app, &mail).await, 1);

    let r = app
        .post(
            path::<DeleteAccount>(),
            Some(&cookie),
            &[("password", PASSWORD)],
        )
        .await;
    assert!(r.status < 400, "{}", r.body);
    assert!(app.me(Some(&cookie)).await.is_null());
    assert_eq!(users_with_email(&app, &mail).await, 0);
    let (name, status): (String, String) =
        sqlx::query_as("SELECT first_name, status FROM users WHERE id = $1")
            .bind(id.0)
            .fetch_one(app.db.pool())
            .await
            .expect("row kept for public contributions");
    assert_eq!(
        (name.as_str(), status.as_str()),
        ("Tidligere bruger", "deleted")
    );
    let r = app
        .post(
            path::<Login>(),
            None,
            &[("email", &mail), ("password", PASSWORD)],
        )
        .await;
    assert_eq!(r.status, 422);
}

#[tokio::test]
async fn the_database_refuses_a_council_role_without_a_council() {
    let app = common::app().await;
    let id = app.user("Tor", &email("db"), &[]).await;
    let r = sqlx::query(
        "INSERT INTO user_roles (user_id, role, granted_at) VALUES ($1, 'ungeraadsmedlem', 0)",
    )
    .bind(id.0)
    .execute(app.db.pool())
    .await;
    assert!(r.is_err(), "CHECK constraint must refuse it");
}

#[tokio::test]
async fn cross_site_form_posts_are_refused() {
    let app = common::app().await;
    let mail = email("csrf");
    let body = format!(
        "first_name=Eve&birth_year={}&email={}&password=en+lang+god+kode",
        year() - 17,
        common::urlencode(&mail)
    );
    for (name, value) in [
        ("origin", "https://evil.example"),
        ("sec-fetch-site", "cross-site"),
    ] {
        let req = axum::http::Request::post(path::<Signup>())
            .header("content-type", "application/x-www-form-urlencoded")
            .header("host", "stemme.example")
            .header(name, value)
            .body(axum::body::Body::from(body.clone()))
            .expect("request");
        let res = app.send(req).await;
        assert_eq!(res.status(), 403, "{name}");
    }
    assert_eq!(users_with_email(&app, &mail).await, 0);
    // The same post from the site itself goes through.
    let req = axum::http::Request::post(path::<Signup>())
        .header("content-type", "application/x-www-form-urlencoded")
        .header("host", "stemme.example")
        .header("origin", "https://stemme.example")
        .header("sec-fetch-site", "same-origin")
        .body(axum::body::Body::from(body))
        .expect("request");
    assert!(app.send(req).await.status().as_u16() < 400);
    assert_eq!(users_with_email(&app, &mail).await, 1);

    // A logged-in browser that says nothing of where a post comes from (no Origin, no
    // Referer, no Sec-Fetch-Site — an old browser) is refused: SameSite is not relied on.
    let cookie = app.login(&mail, "en lang god kode").await;
    let req = axum::http::Request::post(path::<FollowProposal>())
        .header("content-type", "application/x-www-form-urlencoded")
        .header("host", "stemme.example")
        .header("cookie", &cookie)
        .body(axum::body::Body::from("proposal_id=1&follow=1"))
        .expect("request");
    assert_eq!(
        app.send(req).await.status(),
        403,
        "silent post with a session"
    );
    // A Referer from this site is enough (old browsers send it; Referrer-Policy is same-origin).
    let req = axum::http::Request::post(path::<Logout>())
        .header("content-type", "application/x-www-form-urlencoded")
        .header("host", "stemme.example")
        .header("referer", "https://stemme.example/konto")
        .header("cookie", &cookie)
        .body(axum::body::Body::empty())
        .expect("request");
    assert!(
        app.send(req).await.status().as_u16() < 400,
        "same-site referer"
    );
    // …and a Referer from elsewhere is not.
    let req = axum::http::Request::post(path::<Logout>())
        .header("content-type", "application/x-www-form-urlencoded")
        .header("host", "stemme.example")
        .header("referer", "https://stemme.example.evil.test/")
        .header("cookie", &cookie)
        .body(axum::body::Body::empty())
        .expect("request");
    assert_eq!(app.send(req).await.status(), 403, "foreign referer");
}

#[tokio::test]
async fn guessing_the_current_password_is_throttled_too() {
    let app = common::app().await;
    let mail = email("guess");
    app.user("Gry", &mail, &[]).await;
    let cookie = app.login(&mail, PASSWORD).await;
    let mut statuses = Vec::new();
    for i in 0..7 {
        let pw = format!("gæt {i} gæt gæt");
        let r = app
            .post(path::<DeleteAccount>(), Some(&cookie), &[("password", &pw)])
            .await;
        statuses.push(r.status);
    }
    assert_eq!(&statuses[..5], &[422; 5], "{statuses:?}");
    assert_eq!(&statuses[5..], &[429; 2], "{statuses:?}");
    assert_eq!(users_with_email(&app, &mail).await, 1);
}

/// A logged-in request does not write its session back just to move the expiry (that was
/// one database write per page view); a change to the session still is written.
#[tokio::test]
async fn a_logged_in_request_costs_no_session_write() {
    let app = common::app().await;
    let (_, cookie) = app.login_as("Sara", &[]).await;
    let id = cookie.trim_start_matches("stemme_session=").to_owned();
    let row = || async {
        sqlx::query_as::<_, (String, i64)>("SELECT data, expiry_date FROM sessions WHERE id = $1")
            .bind(&id)
            .fetch_one(app.db.pool())
            .await
            .expect("session row")
    };
    let before = row().await;
    for _ in 0..3 {
        assert_eq!(app.me(Some(&cookie)).await["first_name"], "Sara");
    }
    assert_eq!(row().await, before, "the session was written back");
    // Nor do several requests of the session at once (a page and its calls).
    let header = [("cookie", cookie.as_str())];
    let pages = (0..8).map(|_| app.get_with("/forslag", &header));
    for (status, _) in futures::future::join_all(pages).await {
        assert_eq!(status, 200);
    }
    assert_eq!(
        row().await,
        before,
        "concurrent requests wrote the session back"
    );
    // Logging out still deletes it.
    let out = app.post(path::<Logout>(), Some(&cookie), &[]).await;
    assert!(out.status < 400, "logout: {}", out.status);
    let left: i64 = app
        .count(&format!("SELECT COUNT(*) FROM sessions WHERE id = '{id}'"))
        .await;
    assert_eq!(left, 0, "the session outlived the logout");
}
