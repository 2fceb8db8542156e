//! Logging in with UNI-Login and MitID (OpenID Connect) against a real provider
//! (`oidc_provider`): accounts made from verified claims, the age and school rules, every
//! refusal over HTTP leaving no session, linking (password first) and unlinking (never the
//! last way in), password login switched off, and logging out at the provider.
use crate::common::{app, email, path, TestApp, PASSWORD};
use crate::oidc_provider::{Browser, OidcProvider, STEMME};
use app::api::accounts::{Login, Logout, Signup};
use app::api::identities::{LinkLogin, MyLogins, UnlinkLogin};
use app::api::setup::SetSchoolInstitution;
use app::domain::account::RoleKind;
use axum::body::Body;
use axum::http::Request;
use serde_json::json;

/// What one hop at Stemme answered.
struct Hop {
    status: u16,
    location: String,
    flow_cookie: Option<String>,
    session: Option<String>,
}

fn set_cookie(res: &axum::http::Response<Body>, name: &str) -> Option<String> {
    res.headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|v| v.starts_with(&format!("{name}=")))
        .map(|v| v.split(';').next().unwrap_or_default().to_owned())
}

async fn get(app: &TestApp, uri: &str, cookies: &[&str]) -> Hop {
    let mut req = Request::get(uri).header("host", "stemme.test");
    let jar: Vec<&str> = cookies.iter().copied().filter(|c| !c.is_empty()).collect();
    if !jar.is_empty() {
        req = req.header("cookie", jar.join("; "));
    }
    let res = app.send(req.body(Body::empty()).expect("request")).await;
    Hop {
        status: res.status().as_u16(),
        location: res
            .headers()
            .get("location")
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_owned(),
        flow_cookie: set_cookie(&res, "stemme_oidc"),
        session: set_cookie(&res, "stemme_session"),
    }
}

/// Stemme's answer to the provider's redirect back.
async fn callback(app: &TestApp, back: &str, cookies: &[&str]) -> Hop {
    let uri = back.strip_prefix(STEMME).unwrap_or(back);
    get(app, uri, cookies).await
}

/// An app that logs in through the test provider's two clients.
async fn app_with(op: &OidcProvider, password_login: bool) -> TestApp {
    app()
        .await
        .with_login(vec![op.unilogin(), op.mitid()], password_login)
}

/// A whole login: the button, the provider's pages, the callback. Returns Stemme's last
/// answer and the flow cookie.
async fn log_in(app: &TestApp, provider: &str, login: &str) -> (Hop, String) {
    let start = get(app, &format!("/auth/oidc/{provider}/start"), &[]).await;
    assert_eq!(start.status, 303, "start");
    let flow = start.flow_cookie.clone().expect("flow cookie");
    let back = Browser::new().log_in(&start.location, login).await;
    (callback(app, &back, &[&flow]).await, flow)
}

/// A unique person tag (the provider's subject is made from the login string).
fn tag(prefix: &str) -> String {
    let t: String = email(prefix)
        .chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .collect();
    t.chars().take(30).collect()
}

/// A school with this institution number, set by a coordinator through the endpoint.
async fn school_with_institution(app: &TestApp, number: &str) -> i64 {
    let name = format!("Skole {}", &number[..number.len().min(20)]);
    let id = app::ssr::db::schools::create(app.db.pool(), &name)
        .await
        .expect("school");
    let (_, coordinator) = app.login_as("Koordinator", &[RoleKind::Sekretariat]).await;
    let r = app
        .post(
            path::<SetSchoolInstitution>(),
            Some(&coordinator),
            &[
                ("school_id", &id.0.to_string()),
                ("institution_number", number),
            ],
        )
        .await;
    assert!(r.status < 400, "institution: {} {}", r.status, r.body);
    id.0
}

fn refusal(hop: &Hop) -> &str {
    hop.location.split("login-fejl=").nth(1).unwrap_or("(none)")
}

/// No session came of it: no session cookie, and the flow is gone.
fn assert_no_session(hop: &Hop) {
    assert_eq!(
        hop.session, None,
        "a refused login must not leave a session"
    );
}

#[tokio::test]
async fn a_pupil_logs_in_with_uni_login_and_lands_as_elev_at_their_school() {
    let op = OidcProvider::start().await;
    let app = app_with(&op, true).await;
    let number = tag("inst");
    let school = school_with_institution(&app, &number).await;
    let name = tag("Anna");
    let (hop, _) = log_in(&app, "unilogin", &format!("elev:{number}:elev:{name}")).await;
    assert_eq!(hop.status, 303);
    assert_eq!(hop.location, "/konto?ny=1");
    let session = hop.session.expect("session");
    let me = app.me(Some(&session)).await;
    assert_eq!(me["status"], "Active", "no coordinator step: {me}");
    assert_eq!(me["school_id"], school);
    let roles = me["roles"].as_array().cloned().unwrap_or_default();
    assert!(
        roles.contains(&json!("Elev")) && roles.contains(&json!("Ung")),
        "{me}"
    );
    assert_eq!(me["first_name"].as_str(), Some(&name[..name.len().min(50)]));

    // The same pupil again: the same account, no second one.
    let (again, _) = log_in(&app, "unilogin", &format!("elev:{number}:elev:{name}")).await;
    assert_eq!(again.location, "/konto");
    let me2 = app.me(again.session.as_deref()).await;
    assert_eq!(me2["id"], me["id"]);
    let accounts = app
        .count(&format!(
            "SELECT COUNT(*) FROM user_identities WHERE user_id = {}",
            me["id"]
        ))
        .await;
    assert_eq!(accounts, 1);
}

#[tokio::test]
async fn mitid_makes_a_16_year_old_ung_and_refuses_a_12_year_old_and_an_adult() {
    let op = OidcProvider::start().await;
    let app = app_with(&op, true).await;
    let (hop, _) = log_in(&app, "mitid", &format!("mitid:16:{}", tag("Sofie"))).await;
    assert_eq!(hop.location, "/konto?ny=1");
    let me = app.me(hop.session.as_deref()).await;
    assert_eq!(me["status"], "Active", "{me}");
    assert_eq!(me["roles"], json!(["Ung"]));
    let year: i64 = app
        .count(&format!(
            "SELECT CAST(birth_year AS BIGINT) FROM users WHERE id = {}",
            me["id"]
        ))
        .await;
    use chrono::Datelike;
    let now = chrono::Utc::now().year() as i64;
    assert!((now - 17..=now - 16).contains(&year), "birth year {year}");

    let (emil, voksen) = (tag("Emil"), tag("Voksen"));
    let (young, _) = log_in(&app, "mitid", &format!("mitid:12:{emil}")).await;
    assert_eq!(young.location, "/log-ind?login-fejl=too_young");
    assert_no_session(&young);
    let (old, _) = log_in(&app, "mitid", &format!("mitid:40:{voksen}")).await;
    assert_eq!(refusal(&old), "too_old");
    assert_no_session(&old);
    // Neither got an account (their names are their own; the database may be shared).
    let refused = app
        .count(&format!(
            "SELECT COUNT(*) FROM users WHERE first_name IN ('{emil}', '{voksen}')"
        ))
        .await;
    assert_eq!(refused, 0);

    // The login page says why, in Danish.
    let (status, html) = app.get("/log-ind?login-fejl=too_young").await;
    assert_eq!(status, 200);
    assert!(html.contains("mindst 13 år"), "{html}");
}

#[tokio::test]
async fn a_pupil_of_another_municipality_and_a_teacher_get_no_account() {
    let op = OidcProvider::start().await;
    let app = app_with(&op, true).await;
    let (hop, _) = log_in(&app, "unilogin", &format!("elev:{}:elev:Bo", tag("andet"))).await;
    assert_eq!(refusal(&hop), "school_not_here");
    assert_no_session(&hop);
    let number = tag("inst");
    school_with_institution(&app, &number).await;
    let (teacher, _) = log_in(&app, "unilogin", &format!("elev:{number}:laerer:Lis")).await;
    assert_eq!(refusal(&teacher), "staff");
    assert_no_session(&teacher);
}

#[tokio::test]
async fn cancelling_at_the_provider_says_so_and_logs_nobody_in() {
    let op = OidcProvider::start().await;
    let app = app_with(&op, true).await;
    let start = get(&app, "/auth/oidc/mitid/start", &[]).await;
    let flow = start.flow_cookie.clone().expect("flow cookie");
    let back = Browser::new().cancel(&start.location).await;
    assert!(back.contains("error=access_denied"), "{back}");
    let hop = callback(&app, &back, &[&flow]).await;
    assert_eq!(refusal(&hop), "cancelled");
    assert_no_session(&hop);
}

#[tokio::test]
async fn the_callback_refuses_a_missing_wrong_or_reused_state_and_a_replayed_code() {
    let op = OidcProvider::start().await;
    let app = app_with(&op, true).await;
    let start = get(&app, "/auth/oidc/mitid/start", &[]).await;
    let flow = start.flow_cookie.clone().expect("flow cookie");
    let back = Browser::new()
        .log_in(&start.location, &format!("mitid:17:{}", tag("Replay")))
        .await;
    let url = reqwest::Url::parse(&back).expect("url");
    let code = url
        .query_pairs()
        .find(|(k, _)| k == "code")
        .map(|(_, v)| v.into_owned())
        .expect("code");

    // No state, a state Stemme never made: refused, and the real flow still stands.
    let no_state = get(
        &app,
        &format!("/auth/oidc/mitid/callback?code={code}"),
        &[&flow],
    )
    .await;
    assert_eq!(refusal(&no_state), "failed");
    assert_no_session(&no_state);
    let wrong = get(
        &app,
        &format!("/auth/oidc/mitid/callback?code={code}&state=forged"),
        &[&flow],
    )
    .await;
    assert_eq!(refusal(&wrong), "failed");
    assert_no_session(&wrong);

    // The right state from another browser (no flow cookie): refused; that also uses the
    // flow up, so the real browser cannot finish it afterwards either.
    let stranger = callback(&app, &back, &[]).await;
    assert_eq!(refusal(&stranger), "failed");
    assert_no_session(&stranger);
    let late = callback(&app, &back, &[&flow]).await;
    assert_eq!(refusal(&late), "failed");
    assert_no_session(&late);

    // A fresh flow, with the old (already presented) code: the provider refuses the code
    // (it was issued for another PKCE challenge and is single-use).
    let start2 = get(&app, "/auth/oidc/mitid/start", &[&flow]).await;
    let state2 = reqwest::Url::parse(&start2.location)
        .expect("url")
        .query_pairs()
        .find(|(k, _)| k == "state")
        .map(|(_, v)| v.into_owned())
        .expect("state");
    let replay = get(
        &app,
        &format!("/auth/oidc/mitid/callback?code={code}&state={state2}"),
        &[&flow],
    )
    .await;
    assert_eq!(refusal(&replay), "failed");
    assert_no_session(&replay);

    // A whole login, then the same callback again (a reload, a replay): the second is refused.
    let (first, flow3) = log_in(&app, "mitid", &format!("mitid:17:{}", tag("Twice"))).await;
    assert!(first.session.is_some());
    let start4 = get(&app, "/auth/oidc/mitid/start", &[&flow3]).await;
    let back4 = Browser::new()
        .log_in(&start4.location, &format!("mitid:17:{}", tag("Thrice")))
        .await;
    let ok = callback(&app, &back4, &[&flow3]).await;
    assert!(ok.session.is_some(), "{}", ok.location);
    let again = callback(&app, &back4, &[&flow3]).await;
    assert_eq!(refusal(&again), "failed");
    assert_no_session(&again);
}

/// One login whose ID token the test provider changes on its way (`tamper`): Stemme must
/// refuse it and leave no session.
async fn refused_when_tampered(change: serde_json::Value) {
    let op = OidcProvider::start().await;
    let app = app_with(&op, true).await;
    // A first login fills Stemme's cache of the provider's keys.
    let (ok, _) = log_in(&app, "mitid", &format!("mitid:18:{}", tag("Ok"))).await;
    assert!(ok.session.is_some(), "an untampered login works");
    op.tamper(change.clone()).await;
    let name = tag("Tampered");
    let (hop, _) = log_in(&app, "mitid", &format!("mitid:18:{name}")).await;
    assert_eq!(refusal(&hop), "failed", "{change}");
    assert_no_session(&hop);
    let made = app
        .count(&format!(
            "SELECT COUNT(*) FROM users WHERE first_name = '{name}'"
        ))
        .await;
    assert_eq!(made, 0, "{change}");
}

#[tokio::test]
async fn an_id_token_for_another_audience_is_refused() {
    refused_when_tampered(json!({ "aud": "another-client" })).await;
}

#[tokio::test]
async fn an_id_token_from_another_issuer_is_refused() {
    refused_when_tampered(json!({ "iss": "https://evil.example" })).await;
}

#[tokio::test]
async fn an_expired_id_token_is_refused() {
    refused_when_tampered(json!({ "exp_offset": -3600 })).await;
}

#[tokio::test]
async fn an_id_token_with_another_nonce_is_refused() {
    refused_when_tampered(json!({ "nonce": "not-the-nonce-stemme-sent" })).await;
}

#[tokio::test]
async fn an_id_token_signed_with_an_unknown_key_is_refused() {
    refused_when_tampered(json!({ "unknown_key": true })).await;
}

#[tokio::test]
async fn a_rotated_provider_key_is_fetched_and_accepted() {
    let op = OidcProvider::start().await;
    let app = app_with(&op, true).await;
    let (ok, _) = log_in(&app, "mitid", &format!("mitid:18:{}", tag("Before"))).await;
    assert!(ok.session.is_some());
    op.rotate().await;
    // Stemme's cached keys lack the new one: it fetches them again (at most every 5 s).
    tokio::time::sleep(std::time::Duration::from_millis(5200)).await;
    let (after, _) = log_in(&app, "mitid", &format!("mitid:18:{}", tag("After"))).await;
    assert_eq!(after.location, "/konto?ny=1", "{}", after.location);
    assert!(after.session.is_some());
}

#[tokio::test]
async fn a_provider_that_is_down_is_named_as_the_reason() {
    let mut down = OidcProvider::start().await.mitid();
    down.issuer = format!("http://127.0.0.1:{}", crate::smtp::free_port());
    let app = app().await.with_login(vec![down], true);
    let hop = get(&app, "/auth/oidc/mitid/start", &[]).await;
    assert_eq!(hop.status, 303);
    assert_eq!(refusal(&hop), "provider_down");
    assert_eq!(hop.flow_cookie, None);
    let unknown = get(&app, "/auth/oidc/nope/start", &[]).await;
    assert_eq!(unknown.status, 404);
}

/// Posts the link form with the right password as the page does: (flow cookie, provider URL).
async fn start_link(app: &TestApp, session: &str) -> (String, String) {
    let res = app
        .send(
            Request::post(path::<LinkLogin>())
                .header("content-type", "application/x-www-form-urlencoded")
                .header("host", "localhost")
                .header("origin", "http://localhost")
                .header("cookie", session)
                .body(Body::from(format!(
                    "provider=mitid&password={}",
                    crate::common::urlencode(PASSWORD)
                )))
                .expect("request"),
        )
        .await;
    let flow = set_cookie(&res, "stemme_oidc").expect("flow cookie");
    let to = res
        .headers()
        .get("location")
        .and_then(|v| v.to_str().ok())
        .expect("location")
        .to_owned();
    (flow, to)
}

#[tokio::test]
async fn linking_needs_the_password_and_the_last_way_in_stays() {
    let op = OidcProvider::start().await;
    let app = app_with(&op, true).await;
    let (user, cookie) = app.login_as("Linda", &[]).await;

    // Wrong password: refused at the field, nothing started.
    let wrong = app
        .post(
            path::<LinkLogin>(),
            Some(&cookie),
            &[("provider", "mitid"), ("password", "forkert-kodeord")],
        )
        .await;
    assert_eq!(wrong.status, 422, "{}", wrong.body);
    assert_eq!(wrong.json()["field"], "password");
    let started = format!("SELECT COUNT(*) FROM oidc_flows WHERE user_id = {}", user.0);
    assert_eq!(app.count(&started).await, 0, "no flow for a wrong password");

    // The right password: the browser goes to the provider; its callback links.
    let ok = app
        .post(
            path::<LinkLogin>(),
            Some(&cookie),
            &[("provider", "mitid"), ("password", PASSWORD)],
        )
        .await;
    assert!(ok.status < 400, "{} {}", ok.status, ok.body);
    let to = ok.location.clone().unwrap_or_default();
    assert!(to.starts_with(&op.issuer), "{to}");
    // The flow cookie comes with the redirect (a plain form post gets it the same way).
    let (flow, to) = start_link(&app, &cookie).await;
    let person = format!("mitid:30:{}", tag("Linda"));
    let back = Browser::new().log_in(&to, &person).await;
    let linked = callback(&app, &back, &[&flow]).await;
    assert_eq!(linked.location, "/konto?tilknyttet=mitid");

    let logins = app
        .post(path::<MyLogins>(), Some(&cookie), &[])
        .await
        .json();
    assert_eq!(logins["has_password"], true);
    assert_eq!(logins["linked"][0]["provider"], "mitid");
    assert_eq!(logins["linked"][0]["may_unlink"], true);
    let identity = logins["linked"][0]["id"].as_i64().expect("id").to_string();

    // Now MitID logs this 30-year-old into their own account (no age rule: it exists).
    let (again, _) = log_in(&app, "mitid", &person).await;
    assert_eq!(again.location, "/konto");
    let me = app.me(again.session.as_deref()).await;
    assert_eq!(me["id"], user.0);

    // Another account cannot link the same MitID.
    let (_, other) = app.login_as("Other", &[]).await;
    let (flow2, to2) = start_link(&app, &other).await;
    let back2 = Browser::new().log_in(&to2, &person).await;
    let taken = callback(&app, &back2, &[&flow2]).await;
    assert_eq!(taken.location, "/konto?login-fejl=linked_elsewhere");

    // With a password the login can go …
    let un = app
        .post(
            path::<UnlinkLogin>(),
            Some(&cookie),
            &[("identity_id", &identity)],
        )
        .await;
    assert!(un.status < 400, "{} {}", un.status, un.body);
    // … and a second press changes nothing.
    let twice = app
        .post(
            path::<UnlinkLogin>(),
            Some(&cookie),
            &[("identity_id", &identity)],
        )
        .await;
    assert!(twice.status < 400);

    // An account made from a login has no password: its only login stays.
    let (pupil, _) = log_in(&app, "mitid", &format!("mitid:15:{}", tag("Solo"))).await;
    let solo = pupil.session.expect("session");
    let mine = app.post(path::<MyLogins>(), Some(&solo), &[]).await.json();
    assert_eq!(mine["has_password"], false);
    assert_eq!(mine["linked"][0]["may_unlink"], false);
    let only = mine["linked"][0]["id"].as_i64().expect("id").to_string();
    let refused = app
        .post(
            path::<UnlinkLogin>(),
            Some(&solo),
            &[("identity_id", &only)],
        )
        .await;
    assert_eq!(refused.status, 422, "{}", refused.body);
    assert_eq!(refused.json()["code"], "last_way_in");
    let still = app
        .count(&format!(
            "SELECT COUNT(*) FROM user_identities WHERE id = {only}"
        ))
        .await;
    assert_eq!(still, 1);
    // Someone else's login cannot be removed by id either.
    let foreign = app
        .post(
            path::<UnlinkLogin>(),
            Some(&cookie),
            &[("identity_id", &only)],
        )
        .await;
    assert!(foreign.status < 400);
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) FROM user_identities WHERE id = {only}"
        ))
        .await,
        1
    );
}

#[tokio::test]
async fn with_password_login_off_only_the_coordinator_uses_a_password() {
    let op = OidcProvider::start().await;
    let app = app_with(&op, false).await;
    let young = email("ung");
    app.user("Ung", &young, &[]).await;
    let r = app
        .post(
            path::<Login>(),
            None,
            &[("email", &young), ("password", PASSWORD)],
        )
        .await;
    assert_eq!(r.status, 422, "{}", r.body);
    assert_eq!(r.json()["code"], "password_login_off");
    assert_eq!(r.cookie, None);
    let boss = email("koordinator");
    app.user("Koordinator", &boss, &[RoleKind::Sekretariat])
        .await;
    let ok = app.login(&boss, PASSWORD).await;
    assert!(!ok.is_empty());
    let signup = app
        .post(
            path::<Signup>(),
            None,
            &[
                ("first_name", "Ny"),
                ("birth_year", "2010"),
                ("email", &email("ny")),
                ("password", PASSWORD),
            ],
        )
        .await;
    assert_eq!(signup.status, 422);
    assert_eq!(signup.json()["code"], "password_login_off");
    // The login page offers the providers and keeps the password form for the coordinator.
    let (_, html) = app.get("/log-ind").await;
    assert!(html.contains("/auth/oidc/unilogin/start"), "{html}");
    assert!(
        html.contains("Koordinator: log ind med adgangskode"),
        "{html}"
    );
}

#[tokio::test]
async fn logging_out_ends_the_session_at_the_provider_too() {
    let op = OidcProvider::start().await;
    let app = app_with(&op, true).await;
    let (hop, _) = log_in(&app, "mitid", &format!("mitid:19:{}", tag("Ud"))).await;
    let session = hop.session.expect("session");
    let out = app.post(path::<Logout>(), Some(&session), &[]).await;
    let to = out.location.clone().unwrap_or_default();
    assert!(
        to.starts_with(&op.issuer)
            && to.contains("id_token_hint=")
            && to.contains("post_logout_redirect_uri="),
        "{to}"
    );
    assert_eq!(app.me(Some(&session)).await, serde_json::Value::Null);
    // A password login logs out at home.
    let (_, cookie) = app.login_as("Pia", &[]).await;
    let home = app.post(path::<Logout>(), Some(&cookie), &[]).await;
    assert_eq!(home.location.as_deref(), Some("/"));
}

#[tokio::test]
async fn pages_let_forms_lead_to_the_providers_and_nowhere_else() {
    let op = OidcProvider::start().await;
    let app = app_with(&op, true).await;
    let res = app
        .send(
            Request::get("/log-ind")
                .body(Body::empty())
                .expect("request"),
        )
        .await;
    let policy = res
        .headers()
        .get("content-security-policy")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    assert!(
        policy.contains(&format!("form-action 'self' {};", op.issuer)),
        "{policy}"
    );
    // Without providers, forms post only here.
    let plain = crate::common::app().await;
    let res = plain
        .send(
            Request::get("/log-ind")
                .body(Body::empty())
                .expect("request"),
        )
        .await;
    let policy = res
        .headers()
        .get("content-security-policy")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    assert!(policy.contains("form-action 'self';"), "{policy}");
}

#[tokio::test]
async fn an_account_from_a_login_has_no_address_to_verify_and_deletes_with_a_confirmation() {
    use app::api::account_mail::MailStatus;
    use app::api::accounts::DeleteAccount;
    let op = OidcProvider::start().await;
    let app = app_with(&op, true).await;
    let person = format!("mitid:17:{}", tag("Slet"));
    let (hop, _) = log_in(&app, "mitid", &person).await;
    let session = hop.session.expect("session");
    let status = app
        .post(path::<MailStatus>(), Some(&session), &[])
        .await
        .json();
    assert_eq!(status["has_address"], false, "{status}");
    let id = app.me(Some(&session)).await["id"].as_i64().expect("id");

    // No password to check: without the confirmation nothing happens …
    let r = app
        .post(path::<DeleteAccount>(), Some(&session), &[("password", "")])
        .await;
    assert_eq!(r.status, 422, "{}", r.body);
    assert_eq!(r.json()["field"], "confirm");
    // … with it the account goes, and its login with it.
    let r = app
        .post(
            path::<DeleteAccount>(),
            Some(&session),
            &[("password", ""), ("confirm", "ja")],
        )
        .await;
    assert!(r.status < 400, "{} {}", r.status, r.body);
    let left = app
        .count(&format!(
            "SELECT COUNT(*) FROM user_identities WHERE user_id = {id}"
        ))
        .await;
    assert_eq!(left, 0);
    // The same MitID later makes a new, empty account.
    let (again, _) = log_in(&app, "mitid", &person).await;
    assert_eq!(again.location, "/konto?ny=1");
    let me = app.me(again.session.as_deref()).await;
    assert_ne!(me["id"], id);
}
