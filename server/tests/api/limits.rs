//! Rate limits by client IP (sign-up, failed logins), counted in the database so they hold
//! across instances. The IP comes from the connection (here: set on the request as the
//! server's `into_make_service_with_connect_info` would).
use crate::common::{self, app, email, path, urlencode};
use app::api::accounts::{Login, Signup};
use app::domain::account::{MAX_FAILED_LOGINS_PER_IP, MAX_SIGNUPS_PER_IP_HOURLY};
use axum::body::Body;
use axum::extract::ConnectInfo;
use axum::http::Request;
use std::net::SocketAddr;

async fn post_from(app: &common::TestApp, ip: &str, path: &str, fields: &[(&str, &str)]) -> u16 {
    let body = fields
        .iter()
        .map(|(k, v)| format!("{}={}", urlencode(k), urlencode(v)))
        .collect::<Vec<_>>()
        .join("&");
    let mut req = Request::post(path)
        .header("content-type", "application/x-www-form-urlencoded")
        .header("accept", "application/json")
        .body(Body::from(body))
        .expect("request");
    let addr: SocketAddr = format!("{ip}:40000").parse().expect("addr");
    req.extensions_mut().insert(ConnectInfo(addr));
    app.send(req).await.status().as_u16()
}

#[tokio::test]
async fn one_address_cannot_make_unlimited_accounts() {
    let app = app().await;
    // Unique per run: the PostgreSQL test database is shared between test runs' tests.
    let ip = format!("198.51.100.{}", std::process::id() % 250 + 1);
    let limit = usize::try_from(MAX_SIGNUPS_PER_IP_HOURLY).expect("small");
    for i in 0..limit {
        let mail = email("klasse");
        let status = post_from(
            &app,
            &ip,
            path::<Signup>(),
            &[
                ("first_name", "Elev"),
                ("birth_year", "2009"),
                ("email", &mail),
                ("password", "en lang nok adgangskode"),
            ],
        )
        .await;
        assert!(
            status < 400,
            "sign-up {i} from one school network refused: {status}"
        );
    }
    let mail = email("en-for-meget");
    let status = post_from(
        &app,
        &ip,
        path::<Signup>(),
        &[
            ("first_name", "Elev"),
            ("birth_year", "2009"),
            ("email", &mail),
            ("password", "en lang nok adgangskode"),
        ],
    )
    .await;
    assert_eq!(status, 429, "sign-up {} from one address", limit + 1);
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) FROM users WHERE email = '{mail}'"
        ))
        .await,
        0
    );
    // Another address is not affected.
    let other = post_from(
        &app,
        "203.0.113.9",
        path::<Signup>(),
        &[
            ("first_name", "Elev"),
            ("birth_year", "2009"),
            ("email", &email("anden")),
            ("password", "en lang nok adgangskode"),
        ],
    )
    .await;
    assert!(other < 400, "{other}");
}

#[tokio::test]
async fn guessing_across_many_addresses_from_one_ip_is_stopped() {
    let app = app().await;
    let ip = format!("192.0.2.{}", std::process::id() % 250 + 1);
    let limit = usize::try_from(MAX_FAILED_LOGINS_PER_IP).expect("small");
    for i in 0..limit {
        // A different e-mail each time, so the per-e-mail limit never triggers.
        let status = post_from(
            &app,
            &ip,
            path::<Login>(),
            &[
                ("email", &email(&format!("gaet{i}"))),
                ("password", "forkert adgangskode"),
            ],
        )
        .await;
        assert_eq!(status, 422, "failed login {i}");
    }
    let status = post_from(
        &app,
        &ip,
        path::<Login>(),
        &[
            ("email", &email("gaet-igen")),
            ("password", "forkert adgangskode"),
        ],
    )
    .await;
    assert_eq!(status, 429, "failed login {} from one address", limit + 1);
}
