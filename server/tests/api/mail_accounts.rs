//! E-mail verification and password reset over HTTP (#19): the mails are outbox rows
//! (read here with SQL; delivery over SMTP is tested elsewhere), their tokens come from the
//! stored payload.
#![allow(clippy::expect_used, clippy::unwrap_used)]
use crate::common::{self, app, email, path, TestApp, PASSWORD};
use app::api::account_mail::{
    MailStatus, RequestPasswordReset, ResendVerification, ResetPassword, VerifyEmail,
};
use app::api::accounts::{Login, Signup};
use app::api::proposals::SaveProposal;
use app::domain::account::RoleKind;
use app::domain::ids::{ProposalId, UserId};
use app::domain::mail::{
    MailPayload, MAX_RESETS_PER_ADDRESS_HOURLY, MAX_RESETS_PER_IP_HOURLY, MAX_VERIFY_RESENDS_HOURLY,
};
use app::domain::notification::NotificationKind;
use axum::body::Body;
use axum::extract::ConnectInfo;
use axum::http::Request;
use http_body_util::BodyExt;
use std::net::SocketAddr;
use std::time::{Duration, Instant};

/// The mails written to `addr`: (kind, lang, payload), oldest first.
async fn mails_to(app: &TestApp, addr: &str) -> Vec<(String, String, MailPayload)> {
    let rows: Vec<(String, String, String)> =
        sqlx::query_as("SELECT kind, lang, payload FROM outbox WHERE to_addr = $1 ORDER BY id")
            .bind(addr)
            .fetch_all(app.db.pool())
            .await
            .expect("outbox");
    rows.into_iter()
        .map(|(k, l, p)| (k, l, serde_json::from_str(&p).expect("payload")))
        .collect()
}

/// The token of the last mail to `addr` (a verification or reset mail).
async fn last_token(app: &TestApp, addr: &str) -> String {
    match mails_to(app, addr).await.pop().map(|m| m.2) {
        Some(MailPayload::Verify { token, .. } | MailPayload::Reset { token, .. }) => token,
        other => panic!("no token mail to {addr}: {other:?}"),
    }
}

/// Signs up a 16-year-old; returns the session cookie. `lang_cookie`: the interface
/// language cookie the browser sends.
async fn signup(app: &TestApp, mail: &str, lang_cookie: Option<&str>) -> String {
    let by = (app::api::accounts::current_year() - 16).to_string();
    let r = app
        .post(
            path::<Signup>(),
            lang_cookie,
            &[
                ("first_name", "Maja"),
                ("birth_year", &by),
                ("email", mail),
                ("password", PASSWORD),
            ],
        )
        .await;
    assert!(r.status < 400, "sign-up: {} {}", r.status, r.body);
    r.cookie.expect("logged in after sign-up")
}

async fn user_id(app: &TestApp, mail: &str) -> i64 {
    sqlx::query_scalar("SELECT id FROM users WHERE email = $1")
        .bind(mail)
        .fetch_one(app.db.pool())
        .await
        .expect("user")
}

async fn verified_at(app: &TestApp, mail: &str) -> Option<i64> {
    sqlx::query_scalar("SELECT email_verified_at FROM users WHERE email = $1")
        .bind(mail)
        .fetch_one(app.db.pool())
        .await
        .expect("user")
}

/// A full answer to a POST: status, headers (without date and cookies) and body bytes.
async fn post_full(
    app: &TestApp,
    ip: Option<&str>,
    path: &str,
    fields: &[(&str, &str)],
) -> (u16, Vec<(String, String)>, Vec<u8>) {
    let mut req = Request::post(path)
        .header("content-type", "application/x-www-form-urlencoded")
        .header("accept", "application/json")
        .body(Body::from(common::form_body(fields)))
        .expect("request");
    if let Some(ip) = ip {
        let addr: SocketAddr = format!("{ip}:40000").parse().expect("addr");
        req.extensions_mut().insert(ConnectInfo(addr));
    }
    let res = app.send(req).await;
    let status = res.status().as_u16();
    let mut headers: Vec<(String, String)> = res
        .headers()
        .iter()
        .filter(|(k, _)| !matches!(k.as_str(), "date" | "set-cookie"))
        .map(|(k, v)| {
            let v = v.to_str().unwrap_or_default();
            // The page's CSP nonce differs per response by design.
            let v = if k == "content-security-policy" {
                v.split("'nonce-").next().unwrap_or_default()
            } else {
                v
            };
            (k.to_string(), v.to_owned())
        })
        .collect();
    headers.sort();
    let body = res.into_body().collect().await.expect("body").to_bytes();
    (status, headers, body.to_vec())
}

async fn ask_reset(app: &TestApp, ip: Option<&str>, mail: &str) -> u16 {
    post_full(app, ip, path::<RequestPasswordReset>(), &[("email", mail)])
        .await
        .0
}

#[tokio::test]
async fn sign_up_writes_one_verification_mail_whose_link_verifies_once() {
    let app = app().await;
    // English interface → English mail.
    let mail = email("verify-en");
    let cookie = signup(&app, &mail, Some("i18n_pref_locale=en")).await;
    let mails = mails_to(&app, &mail).await;
    assert_eq!(mails.len(), 1, "one mail at sign-up: {mails:?}");
    assert_eq!((mails[0].0.as_str(), mails[0].1.as_str()), ("verify", "en"));
    let lang: String = sqlx::query_scalar("SELECT lang FROM users WHERE email = $1")
        .bind(&mail)
        .fetch_one(app.db.pool())
        .await
        .expect("lang");
    assert_eq!(lang, "en");
    assert_eq!(
        app.post(path::<MailStatus>(), Some(&cookie), &[])
            .await
            .json()["verified"],
        false
    );
    // Danish by default.
    let da = email("verify-da");
    signup(&app, &da, None).await;
    let da_mails = mails_to(&app, &da).await;
    assert_eq!(da_mails.len(), 1);
    assert_eq!(da_mails[0].1, "da");

    // The link's token verifies, without a session.
    let token = last_token(&app, &mail).await;
    assert_eq!(verified_at(&app, &mail).await, None);
    let r = app
        .post(path::<VerifyEmail>(), None, &[("token", &token)])
        .await;
    assert!(r.status < 400, "verify: {} {}", r.status, r.body);
    let at = verified_at(&app, &mail).await;
    assert!(at.is_some(), "verified");
    assert_eq!(
        app.post(path::<MailStatus>(), Some(&cookie), &[])
            .await
            .json()["verified"],
        true
    );
    // The same link again (a double submit): the address is verified, nothing changes.
    let again = app
        .post(path::<VerifyEmail>(), None, &[("token", &token)])
        .await;
    assert!(
        again.status < 400,
        "second use: {} {}",
        again.status,
        again.body
    );
    assert_eq!(verified_at(&app, &mail).await, at);
    // A made-up or mangled token is refused with a clear message, and changes nothing.
    let other = last_token(&app, &da).await;
    // The last digit changed (to one it is not), so the token is surely wrong.
    let last = if other.ends_with('0') { '1' } else { '0' };
    let mangled = format!("{}{last}", &other[..63]);
    for bad in [mangled.as_str(), "nope", ""] {
        let r = app
            .post(path::<VerifyEmail>(), None, &[("token", bad)])
            .await;
        assert_eq!(r.status, 422, "{bad}: {}", r.body);
        assert!(r.body.contains("verify_link_invalid"), "{}", r.body);
    }
    assert_eq!(verified_at(&app, &da).await, None);
    // Re-sending for a verified address sends nothing.
    let before = mails_to(&app, &mail).await.len();
    let r = app
        .post(path::<ResendVerification>(), Some(&cookie), &[])
        .await;
    assert!(r.status < 400, "{}", r.body);
    assert_eq!(mails_to(&app, &mail).await.len(), before);
    // The verification page renders its button with the token.
    let (status, html) = app.get(&format!("/bekraeft-email?token={other}")).await;
    assert_eq!(status, 200);
    assert!(html.contains("data-testid=\"verify-submit\"") && html.contains(&other));
}

/// The author of a fresh proposal with the given mail address (logged in by `cookie`).
async fn proposal_of(app: &TestApp, cookie: &str) -> ProposalId {
    let council = app.council(RoleKind::Ungeraadsmedlem).await;
    let r = app
        .post(
            path::<SaveProposal>(),
            Some(cookie),
            &[
                ("title", "Lys på cykelstien"),
                (
                    "body",
                    "Stien langs skolen er helt mørk om vinteren, og mange cykler der hver dag.",
                ),
                ("theme", "fritid_kultur"),
                ("council_id", &council.0.to_string()),
                ("show_name", "1"),
                ("intent", "submit"),
            ],
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    ProposalId(r.body.trim().parse().expect("id"))
}

async fn event_mails(app: &TestApp, user: i64) -> i64 {
    sqlx::query_scalar("SELECT COUNT(*) FROM outbox WHERE user_id = $1 AND kind = 'event'")
        .bind(user)
        .fetch_one(app.db.pool())
        .await
        .expect("count")
}

async fn notify(app: &TestApp, proposal: ProposalId) {
    let mut tx = app::ssr::db::write_tx(app.db.pool()).await.expect("tx");
    app::ssr::db::notifications::notify_author(&mut tx, proposal, NotificationKind::Approved)
        .await
        .expect("notify");
    tx.commit().await.expect("commit");
}

#[tokio::test]
async fn an_unverified_address_gets_no_notification_mail_until_verified() {
    let app = app().await;
    let mail = email("uverificeret");
    let cookie = signup(&app, &mail, None).await;
    let id = user_id(&app, &mail).await;
    sqlx::query("UPDATE users SET mail_updates = 'instant' WHERE id = $1")
        .bind(id)
        .execute(app.db.pool())
        .await
        .expect("instant");
    let proposal = proposal_of(&app, &cookie).await;
    let bell: i64 = app
        .count(&format!(
            "SELECT COUNT(*) FROM notifications WHERE user_id = {id}"
        ))
        .await;
    notify(&app, proposal).await;
    // The bell rings, no mail goes.
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) FROM notifications WHERE user_id = {id}"
        ))
        .await,
        bell + 1
    );
    assert_eq!(event_mails(&app, id).await, 0, "no mail before verifying");
    let token = last_token(&app, &mail).await;
    let r = app
        .post(path::<VerifyEmail>(), None, &[("token", &token)])
        .await;
    assert!(r.status < 400, "{}", r.body);
    notify(&app, proposal).await;
    assert_eq!(event_mails(&app, id).await, 1, "mail once verified");
}

#[tokio::test]
async fn resending_the_verification_mail_is_limited_per_person() {
    let app = app().await;
    let mail = email("gensend");
    let cookie = signup(&app, &mail, None).await;
    assert_eq!(mails_to(&app, &mail).await.len(), 1);
    // /konto says the address is not verified and offers the button.
    let (_, html) = app.get_with("/konto", &[("cookie", &cookie)]).await;
    assert!(
        html.contains("data-testid=\"mail-unverified\"")
            && html.contains("data-testid=\"verify-resend\""),
        "{html}"
    );
    for n in 0..MAX_VERIFY_RESENDS_HOURLY {
        let r = app
            .post(path::<ResendVerification>(), Some(&cookie), &[])
            .await;
        assert!(r.status < 400, "re-send {n}: {} {}", r.status, r.body);
        let mails = mails_to(&app, &mail).await;
        assert_eq!(mails.len() as i64, n + 2, "each re-send writes a mail");
        assert!(mails.iter().all(|m| m.0 == "verify"));
    }
    let r = app
        .post(path::<ResendVerification>(), Some(&cookie), &[])
        .await;
    assert_eq!(r.status, 429, "re-send over the limit: {}", r.body);
    assert_eq!(
        mails_to(&app, &mail).await.len() as i64,
        MAX_VERIFY_RESENDS_HOURLY + 1
    );
    // Anonymous callers are refused.
    assert_eq!(
        app.post(path::<ResendVerification>(), None, &[])
            .await
            .status,
        401
    );
    // The newest link verifies.
    let token = last_token(&app, &mail).await;
    let r = app
        .post(path::<VerifyEmail>(), None, &[("token", &token)])
        .await;
    assert!(r.status < 400, "{}", r.body);
    assert!(verified_at(&app, &mail).await.is_some());
    let (_, html) = app.get_with("/konto", &[("cookie", &cookie)]).await;
    assert!(html.contains("data-testid=\"mail-verified\""), "{html}");
}

/// An account with `mail`, made straight in the database (no password hashing: fast).
async fn quick_account(app: &TestApp, mail: &str) -> UserId {
    app::ssr::db::users::create(
        app.db.pool(),
        app::ssr::db::users::NewUser {
            first_name: "Hurtig",
            email: mail,
            birth_year: 2008,
            password_hash: "ikke-en-hash",
            status: app::domain::account::AccountStatus::Active,
            school_id: None,
            youth: true,
        },
    )
    .await
    .expect("user")
}

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

#[tokio::test]
async fn a_reset_request_looks_the_same_for_known_and_unknown_addresses() {
    let app = app().await;
    let known = email("kendt");
    quick_account(&app, &known).await;
    let unknown = email("ukendt");
    let a = post_full(
        &app,
        None,
        path::<RequestPasswordReset>(),
        &[("email", &known)],
    )
    .await;
    let b = post_full(
        &app,
        None,
        path::<RequestPasswordReset>(),
        &[("email", &unknown)],
    )
    .await;
    assert_eq!(a.0, b.0, "status");
    assert!(a.0 < 400, "{} {}", a.0, String::from_utf8_lossy(&a.2));
    assert_eq!(a.1, b.1, "headers");
    assert_eq!(a.2, b.2, "body bytes");
    let known_mails = mails_to(&app, &known).await;
    assert_eq!(known_mails.len(), 1, "one mail to the known address");
    assert_eq!(known_mails[0].0, "reset");
    assert!(mails_to(&app, &unknown).await.is_empty());
    // A repeated request at once (a double click) writes no second mail.
    assert!(ask_reset(&app, None, &known).await < 400);
    assert_eq!(mails_to(&app, &known).await.len(), 1);
    // Invalid syntax is the normal field error.
    let bad = app
        .post(
            path::<RequestPasswordReset>(),
            None,
            &[("email", "ikke en adresse")],
        )
        .await;
    assert_eq!(bad.status, 422);
    assert!(bad.body.contains("invalid_email"), "{}", bad.body);

    // Timing: alternating requests for fresh known and unknown addresses.
    let mut known_times = Vec::new();
    let mut unknown_times = Vec::new();
    for i in 0..15 {
        let k = email("tid-kendt");
        quick_account(&app, &k).await;
        let u = email("tid-ukendt");
        let pairs = if i % 2 == 0 {
            [(&k, true), (&u, false)]
        } else {
            [(&u, false), (&k, true)]
        };
        for (addr, is_known) in pairs {
            let start = Instant::now();
            let status = ask_reset(&app, None, addr).await;
            let took = start.elapsed();
            assert!(status < 400, "{status}");
            if is_known {
                known_times.push(took);
            } else {
                unknown_times.push(took);
            }
        }
    }
    let (k, u) = (median(known_times), median(unknown_times));
    println!("password reset request medians: known address {k:?}, unknown address {u:?}");
    let diff = k.abs_diff(u);
    assert!(
        diff < Duration::from_millis(50),
        "known {k:?} vs unknown {u:?}: the timing tells them apart"
    );
}

#[tokio::test]
async fn reset_requests_are_limited_per_address_and_per_ip() {
    let app = app().await;
    let known = email("graense-kendt");
    quick_account(&app, &known).await;
    let unknown = email("graense-ukendt");
    let mut refusals = Vec::new();
    for addr in [&known, &unknown] {
        for n in 0..MAX_RESETS_PER_ADDRESS_HOURLY {
            assert!(
                ask_reset(&app, None, addr).await < 400,
                "request {n} for {addr}"
            );
        }
        let r = post_full(
            &app,
            None,
            path::<RequestPasswordReset>(),
            &[("email", addr)],
        )
        .await;
        assert_eq!(r.0, 429, "request over the limit for {addr}");
        refusals.push(r);
    }
    // The refusal looks the same for both.
    assert_eq!(refusals[0].1, refusals[1].1);
    assert_eq!(refusals[0].2, refusals[1].2);
    // Per IP: a school network shares one, so the limit is higher, but there is one.
    // Unique per run: the PostgreSQL test database is shared between runs.
    let ip = format!("192.0.2.{}", std::process::id() % 250 + 1);
    for n in 0..MAX_RESETS_PER_IP_HOURLY {
        let addr = email("ip");
        assert!(
            ask_reset(&app, Some(&ip), &addr).await < 400,
            "request {n} from one IP"
        );
    }
    assert_eq!(
        ask_reset(&app, Some(&ip), &email("ip-for-meget")).await,
        429
    );
    // Another IP is not affected.
    assert!(ask_reset(&app, Some("203.0.113.77"), &email("andet-ip")).await < 400);
}

#[tokio::test]
async fn a_reset_link_sets_a_new_password_once_and_ends_every_session() {
    let app = app().await;
    let mail = email("nulstil");
    let signup_cookie = signup(&app, &mail, None).await;
    let other_cookie = app.login(&mail, PASSWORD).await;
    assert!(!app.me(Some(&other_cookie)).await.is_null());
    assert!(ask_reset(&app, None, &mail).await < 400);
    let token = last_token(&app, &mail).await;
    // A new password that breaks the sign-up rules is refused; the link still works.
    let short = app
        .post(
            path::<ResetPassword>(),
            None,
            &[("token", &token), ("password", "kort")],
        )
        .await;
    assert_eq!(short.status, 422, "{}", short.body);
    let new_password = "et helt nyt kodeord til mig";
    let r = app
        .post(
            path::<ResetPassword>(),
            None,
            &[("token", &token), ("password", new_password)],
        )
        .await;
    assert!(r.status < 400, "reset: {} {}", r.status, r.body);
    // Every earlier session is gone.
    for cookie in [&signup_cookie, &other_cookie] {
        assert!(app.me(Some(cookie)).await.is_null(), "old session survived");
    }
    // The new password logs in, the old one does not.
    let old = app
        .post(
            path::<Login>(),
            None,
            &[("email", &mail), ("password", PASSWORD)],
        )
        .await;
    assert_eq!(old.status, 422, "old password: {}", old.body);
    app.login(&mail, new_password).await;
    // They read the mail: the address counts as verified.
    assert!(verified_at(&app, &mail).await.is_some());
    // The link works once.
    let again = app
        .post(
            path::<ResetPassword>(),
            None,
            &[("token", &token), ("password", "endnu et nyt kodeord her")],
        )
        .await;
    assert_eq!(again.status, 422, "{}", again.body);
    assert!(again.body.contains("reset_link_invalid"), "{}", again.body);
    // An expired link is refused and changes nothing.
    assert!(ask_reset(&app, None, &mail).await < 400);
    let late = last_token(&app, &mail).await;
    assert_ne!(late, token);
    sqlx::query(
        "UPDATE mail_tokens SET expires_at = $1 WHERE user_id = $2 AND purpose = 'reset' \
         AND used_at IS NULL",
    )
    .bind(chrono::Utc::now().timestamp_micros() - 1)
    .bind(user_id(&app, &mail).await)
    .execute(app.db.pool())
    .await
    .expect("expire");
    let expired = app
        .post(
            path::<ResetPassword>(),
            None,
            &[("token", &late), ("password", "endnu et nyt kodeord her")],
        )
        .await;
    assert_eq!(expired.status, 422, "{}", expired.body);
    assert!(expired.body.contains("reset_link_invalid"));
    app.login(&mail, new_password).await;
    // The pages render.
    let (status, html) = app.get(&format!("/nyt-kodeord?token={late}")).await;
    assert_eq!(status, 200);
    assert!(html.contains("autocomplete=\"new-password\"") && html.contains(&late));
    let (status, html) = app.get("/glemt-kodeord").await;
    assert_eq!(status, 200);
    assert!(html.contains("autocomplete=\"email\""));
    let (_, html) = app.get("/log-ind?nyt-kodeord=1").await;
    assert!(html.contains("data-testid=\"reset-done\"") && html.contains("/glemt-kodeord"));
}

/// Posts a form like a browser without JavaScript from page `from`; follows the redirect
/// and returns the page it lands on.
async fn browser_round_trip(
    app: &TestApp,
    path: &str,
    from: &str,
    fields: &[(&str, &str)],
) -> (String, String) {
    let req = Request::post(path)
        .header("content-type", "application/x-www-form-urlencoded")
        .header("accept", "text/html,application/xhtml+xml")
        .header("host", "localhost")
        .header("referer", format!("http://localhost{from}"))
        .body(Body::from(common::form_body(fields)))
        .expect("request");
    let res = app.send(req).await;
    assert!(res.status().is_redirection(), "{path}: {}", res.status());
    let location = res
        .headers()
        .get("location")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .trim_start_matches("http://localhost")
        .to_owned();
    let (status, html) = app.get(&location).await;
    assert_eq!(status, 200, "GET {location}");
    (location, html)
}

#[tokio::test]
async fn the_pages_work_without_javascript() {
    let app = app().await;
    let mail = email("uden-js");
    signup(&app, &mail, None).await;
    let token = last_token(&app, &mail).await;
    // A wrong link: back on the page with the message, the form still there.
    let bad = "ab".repeat(32);
    let (_, html) = browser_round_trip(
        &app,
        path::<VerifyEmail>(),
        &format!("/bekraeft-email?token={bad}"),
        &[("token", &bad)],
    )
    .await;
    assert!(html.contains("data-testid=\"verify-invalid\""), "{html}");
    // The right one: the confirmation.
    let (location, html) = browser_round_trip(
        &app,
        path::<VerifyEmail>(),
        &format!("/bekraeft-email?token={token}"),
        &[("token", &token)],
    )
    .await;
    assert!(
        !location.contains(&token),
        "the token leaves the address bar"
    );
    assert!(html.contains("data-testid=\"verify-done\""), "{html}");
    // Forgot password: the same answer page.
    let (_, html) = browser_round_trip(
        &app,
        path::<RequestPasswordReset>(),
        "/glemt-kodeord",
        &[("email", &mail)],
    )
    .await;
    assert!(html.contains("data-testid=\"reset-requested\""), "{html}");
    let reset = last_token(&app, &mail).await;
    let (_, html) = browser_round_trip(
        &app,
        path::<ResetPassword>(),
        &format!("/nyt-kodeord?token={reset}"),
        &[("token", &reset), ("password", "et nyt og langt kodeord")],
    )
    .await;
    assert!(html.contains("data-testid=\"reset-done\""), "{html}");
    app.login(&mail, "et nyt og langt kodeord").await;
}
