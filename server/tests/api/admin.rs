//! The coordinator's endpoints, called directly over HTTP: anonymous callers get 401,
//! every other role 403, and nothing changes; the coordinator succeeds.
#![allow(clippy::expect_used, clippy::unwrap_used)]
use crate::common::{self, path};
use app::api::admin::{
    ConfirmUser, CreatePupil, CreateSchool, GrantRole, ListCouncils, ListSchools, ListUsers,
    RevokeRole,
};

use app::domain::account::RoleKind;
use common::{email, TestApp, PASSWORD};

/// One logged-in caller per role that is not Sekretariat, plus anonymous (None).
async fn outsiders(app: &TestApp) -> Vec<(String, Option<String>)> {
    let mut callers = vec![("anonymous".to_owned(), None)];
    for role in RoleKind::ALL {
        if role == RoleKind::Sekretariat {
            continue;
        }
        let mail = email(role.as_str());
        let roles: Vec<RoleKind> = if role == RoleKind::Ung {
            vec![]
        } else {
            vec![role]
        };
        app.user("Udenfor", &mail, &roles).await;
        callers.push((
            role.as_str().to_owned(),
            Some(app.login(&mail, PASSWORD).await),
        ));
    }
    callers
}

async fn coordinator(app: &TestApp) -> String {
    let mail = email("koordinator");
    app.user("Koordinator", &mail, &[RoleKind::Sekretariat])
        .await;
    app.login(&mail, PASSWORD).await
}

async fn awaiting_user(app: &TestApp) -> (i64, String) {
    let mail = email("venter");
    let id = app.user("Venter", &mail, &[]).await;
    sqlx::query("UPDATE users SET status = 'awaiting_confirmation' WHERE id = $1")
        .bind(id.0)
        .execute(app.db.pool())
        .await
        .expect("update");
    (id.0, mail)
}

async fn status_of(app: &TestApp, id: i64) -> String {
    sqlx::query_scalar("SELECT status FROM users WHERE id = $1")
        .bind(id)
        .fetch_one(app.db.pool())
        .await
        .expect("status")
}

async fn roles_of(app: &TestApp, id: i64) -> i64 {
    sqlx::query_scalar("SELECT COUNT(*) FROM user_roles WHERE user_id = $1")
        .bind(id)
        .fetch_one(app.db.pool())
        .await
        .expect("roles")
}

fn expected(caller: &str) -> u16 {
    if caller == "anonymous" {
        401
    } else {
        403
    }
}

#[tokio::test]
async fn outsiders_cannot_use_any_coordinator_endpoint_and_change_nothing() {
    let app = common::app().await;
    let (target, _) = awaiting_user(&app).await;
    let council = app.council(RoleKind::Ungeraadsmedlem).await;
    let grant: i64 = sqlx::query_scalar("SELECT id FROM user_roles WHERE user_id = $1")
        .bind(target)
        .fetch_one(app.db.pool())
        .await
        .expect("grant");
    let target_s = target.to_string();
    let grant_s = grant.to_string();
    let council_s = council.0.to_string();
    let school_name = email("skole");
    let pupil_mail = email("elev");

    for (who, cookie) in outsiders(&app).await {
        let c = cookie.as_deref();
        let calls: Vec<(&str, Vec<(&str, &str)>)> = vec![
            (
                path::<ListUsers>(),
                vec![("query", ""), ("awaiting", "false")],
            ),
            (path::<ConfirmUser>(), vec![("user_id", &target_s)]),
            (
                path::<GrantRole>(),
                vec![("user_id", &target_s), ("role", "sekretariat")],
            ),
            (
                path::<GrantRole>(),
                vec![
                    ("user_id", &target_s),
                    ("role", "ungeraadsmedlem"),
                    ("council_id", &council_s),
                    ("term_start", "2026"),
                    ("term_end", "2027"),
                ],
            ),
            (path::<RevokeRole>(), vec![("grant_id", &grant_s)]),
            (path::<CreateSchool>(), vec![("name", &school_name)]),
            (
                path::<CreatePupil>(),
                vec![
                    ("first_name", "Elev"),
                    ("birth_year", "2015"),
                    ("email", &pupil_mail),
                    ("password", "en lang god kode"),
                    ("school_id", "1"),
                ],
            ),
        ];
        for (path, fields) in calls {
            let r = app.post(path, c, &fields).await;
            assert_eq!(r.status, expected(&who), "{who} → {path}: {}", r.body);
        }
        assert_eq!(
            status_of(&app, target).await,
            "awaiting_confirmation",
            "{who}"
        );
        assert_eq!(roles_of(&app, target).await, 1, "{who}");
    }
    // Scoped to this test's own school: other tests add schools in parallel (PostgreSQL).
    let schools: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM schools WHERE name = $1")
        .bind(&school_name)
        .fetch_one(app.db.pool())
        .await
        .expect("count");
    assert_eq!(schools, 0);
    let pupils: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM users WHERE email = $1")
        .bind(&pupil_mail)
        .fetch_one(app.db.pool())
        .await
        .expect("count");
    assert_eq!(pupils, 0);
}

#[tokio::test]
async fn the_coordinator_confirms_grants_revokes_and_adds_schools_and_pupils() {
    let app = common::app().await;
    let c = coordinator(&app).await;
    let c = Some(c.as_str());
    let (target, mail) = awaiting_user(&app).await;
    let t = target.to_string();

    let r = app.post(path::<ConfirmUser>(), c, &[("user_id", &t)]).await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(status_of(&app, target).await, "active");
    // Confirming twice finds nothing to confirm.
    assert_eq!(
        app.post(path::<ConfirmUser>(), c, &[("user_id", &t)])
            .await
            .status,
        404
    );

    let council = app.council(RoleKind::Ungeraadsmedlem).await.0.to_string();
    let grant = |extra: Vec<(&'static str, String)>| {
        let mut f: Vec<(String, String)> = vec![("user_id".into(), t.clone())];
        f.extend(extra.into_iter().map(|(k, v)| (k.to_owned(), v)));
        f
    };
    let send = |fields: Vec<(String, String)>| {
        let app = &app;
        async move {
            let f: Vec<(&str, &str)> = fields
                .iter()
                .map(|(k, v)| (k.as_str(), v.as_str()))
                .collect();
            app.post(path::<GrantRole>(), c, &f).await
        }
    };
    // A council role needs a council…
    let r = send(grant(vec![("role", "ungeraadsmedlem".into())])).await;
    assert_eq!(
        (r.status, r.json()["field"].clone()),
        (422, "council_id".into())
    );
    // …of the right kind…
    let joint = app.council(RoleKind::Elevraadsmedlem).await.0.to_string();
    let r = send(grant(vec![
        ("role", "ungeraadsmedlem".into()),
        ("council_id", joint),
        ("term_start", "2026".into()),
        ("term_end", "2027".into()),
    ]))
    .await;
    assert_eq!(r.json()["field"], "council_id");
    // …and a sensible term.
    let r = send(grant(vec![
        ("role", "ungeraadsmedlem".into()),
        ("council_id", council.clone()),
        ("term_start", "2027".into()),
        ("term_end", "2026".into()),
    ]))
    .await;
    assert_eq!(r.json()["field"], "term_end");
    let r = send(grant(vec![
        ("role", "ungeraadsmedlem".into()),
        ("council_id", council.clone()),
        ("term_start", "2026".into()),
        ("term_end", "2027".into()),
    ]))
    .await;
    assert_eq!(r.status, 200, "{}", r.body);
    let r = send(grant(vec![("role", "moderator".into())])).await;
    assert_eq!(r.status, 200, "{}", r.body);
    let r = send(grant(vec![("role", "moderator".into())])).await;
    assert_eq!(r.status, 409, "duplicate role: {}", r.body);
    let r = send(grant(vec![("role", "konge".into())])).await;
    assert_eq!(r.status, 422);
    assert_eq!(roles_of(&app, target).await, 3);

    // The user now holds both roles, with council and term.
    let cookie = app.login(&mail, PASSWORD).await;
    let me = app.me(Some(&cookie)).await;
    let roles = me["roles"].as_array().cloned().unwrap_or_default();
    assert!(
        roles.contains(&"Ungeraadsmedlem".into()) && roles.contains(&"Moderator".into()),
        "{me}"
    );

    let grant_id: i64 =
        sqlx::query_scalar("SELECT id FROM user_roles WHERE user_id = $1 AND role = 'moderator'")
            .bind(target)
            .fetch_one(app.db.pool())
            .await
            .expect("grant");
    let r = app
        .post(
            path::<RevokeRole>(),
            c,
            &[("grant_id", &grant_id.to_string())],
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(roles_of(&app, target).await, 2);

    let school = email("skole");
    let school = &school[..school.len().min(40)];
    let r = app
        .post(path::<CreateSchool>(), c, &[("name", school)])
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    let r = app
        .post(path::<CreateSchool>(), c, &[("name", school)])
        .await;
    assert_eq!(r.json()["field"], "name");
    let school_id: i64 = sqlx::query_scalar("SELECT id FROM schools WHERE name = $1")
        .bind(school)
        .fetch_one(app.db.pool())
        .await
        .expect("school");
    let elevraad: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM councils WHERE school_id = $1 AND kind = 'elevraad'",
    )
    .bind(school_id)
    .fetch_one(app.db.pool())
    .await
    .expect("elevraad");
    assert_eq!(elevraad, 1, "a school comes with its elevråd");

    let pupil = email("elev11");
    let by = (app::api::accounts::current_year() - 11).to_string();
    let r = app
        .post(
            path::<CreatePupil>(),
            c,
            &[
                ("first_name", "Lille"),
                ("birth_year", &by),
                ("email", &pupil),
                ("password", "en lang god kode"),
                ("school_id", &school_id.to_string()),
            ],
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    let cookie = app.login(&pupil, "en lang god kode").await;
    let me = app.me(Some(&cookie)).await;
    assert_eq!(me["status"], "Active");
    assert_eq!(me["roles"], serde_json::json!(["Ung", "Elev"]));
}

#[tokio::test]
async fn the_user_list_is_searchable_and_keyset_paged() {
    let app = common::app().await;
    let c = coordinator(&app).await;
    let tag = format!("pagetest{}", std::process::id());
    for i in 0..25 {
        app.user(&format!("{tag}{i:02}"), &email(&format!("{tag}{i}")), &[])
            .await;
    }
    let r = app
        .post(
            path::<ListUsers>(),
            Some(&c),
            &[("query", &tag), ("awaiting", "false")],
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    let page = r.json();
    let users = page["users"].as_array().cloned().unwrap_or_default();
    assert_eq!(users.len(), 20);
    assert_eq!(users[0]["first_name"], format!("{tag}24"), "newest first");
    let next = page["next"].as_i64().expect("next cursor");
    let r = app
        .post(
            path::<ListUsers>(),
            Some(&c),
            &[
                ("query", &tag),
                ("awaiting", "false"),
                ("before", &next.to_string()),
            ],
        )
        .await;
    let page2 = r.json();
    let users2 = page2["users"].as_array().cloned().unwrap_or_default();
    assert_eq!(users2.len(), 5);
    assert!(page2["next"].is_null());
    assert_eq!(users2[4]["first_name"], format!("{tag}00"));
    // LIKE wildcards in the search are literal.
    let r = app
        .post(
            path::<ListUsers>(),
            Some(&c),
            &[("query", "%"), ("awaiting", "false")],
        )
        .await;
    assert_eq!(r.json()["users"].as_array().map(Vec::len), Some(0));
}

#[tokio::test]
async fn schools_and_councils_are_public() {
    let app = common::app().await;
    assert_eq!(app.post(path::<ListSchools>(), None, &[]).await.status, 200);
    assert_eq!(
        app.post(path::<ListCouncils>(), None, &[]).await.status,
        200
    );
}

#[tokio::test]
async fn search_is_unicode_aware_on_both_databases() {
    let app = common::app().await;
    let c = coordinator(&app).await;
    let tag = format!("Ærø{}", std::process::id());
    app.user(&format!("Åse{tag}"), &email("aase"), &[]).await;
    let q = format!("åse{}", tag.to_lowercase());
    let r = app
        .post(
            path::<ListUsers>(),
            Some(&c),
            &[("query", &q), ("awaiting", "false")],
        )
        .await;
    assert_eq!(
        r.json()["users"].as_array().map(Vec::len),
        Some(1),
        "{}",
        r.body
    );
}

#[tokio::test]
async fn demo_data_has_one_account_per_role_and_staff_are_not_youth() {
    let app = common::app().await;
    server::provision::load_demo(&app.db).await.expect("demo");
    // Loading twice changes nothing.
    assert_eq!(
        server::provision::load_demo(&app.db)
            .await
            .expect("demo again"),
        0
    );
    let pw = server::provision::DEMO_PASSWORD;
    for (mail, roles) in [
        ("ung@demo.stemme.dk", serde_json::json!(["Ung"])),
        ("elev@demo.stemme.dk", serde_json::json!(["Ung", "Elev"])),
        (
            "ungeraad@demo.stemme.dk",
            serde_json::json!(["Ung", "Ungeraadsmedlem"]),
        ),
        ("politiker@demo.stemme.dk", serde_json::json!(["Politiker"])),
        (
            "sekretariat@demo.stemme.dk",
            serde_json::json!(["Sekretariat"]),
        ),
        ("moderator@demo.stemme.dk", serde_json::json!(["Moderator"])),
    ] {
        let cookie = app.login(mail, pw).await;
        assert_eq!(app.me(Some(&cookie)).await["roles"], roles, "{mail}");
    }
    let cookie = app.login("ida14@demo.stemme.dk", pw).await;
    assert_eq!(
        app.me(Some(&cookie)).await["status"],
        "AwaitingConfirmation"
    );

    let coordinator = email("cli");
    let id =
        server::provision::create_coordinator(&app.db, "Kim", &coordinator, "en lang god kode")
            .await
            .expect("coordinator");
    let cookie = app.login(&coordinator, "en lang god kode").await;
    let me = app.me(Some(&cookie)).await;
    assert_eq!(
        (me["id"].as_i64(), me["roles"].clone()),
        (Some(id.0), serde_json::json!(["Sekretariat"]))
    );
}
