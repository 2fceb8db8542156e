//! The Lærer (teacher) role (#23): the coordinator grants it at exactly one school (a
//! second grant moves the teacher) and revokes it; a teacher confirms the pending pupils of
//! their own school and no one else; `/skole` lists them.
use crate::common::{self, email, path, TestApp, PASSWORD};
use app::api::admin::{ConfirmUser, GrantRole, ListUsers, RevokeTeacher};
use app::api::teachers::SchoolPupils;
use app::domain::account::{AccountStatus, RoleKind};
use app::domain::ids::{SchoolId, UserId};
use app::ssr::db::{schools, users};

async fn school(app: &TestApp) -> SchoolId {
    let name = email("skole");
    schools::create(app.db.pool(), &name[..name.len().min(40)])
        .await
        .expect("school")
}

/// A young person's account awaiting confirmation: at `school` (a pupil: Ung and Elev), or
/// at no school; `youth: false` gives no roles at all.
async fn pending(app: &TestApp, school: Option<SchoolId>, youth: bool) -> UserId {
    let hash = app::ssr::password::hash(PASSWORD.into())
        .await
        .expect("hash");
    let mail = email("ventende");
    users::create(
        app.db.pool(),
        users::NewUser {
            first_name: "Vilma",
            email: &mail,
            birth_year: 2013,
            password_hash: &hash,
            status: AccountStatus::AwaitingConfirmation,
            school_id: school,
            youth,
        },
    )
    .await
    .expect("pupil")
}

async fn status_of(app: &TestApp, id: UserId) -> String {
    sqlx::query_scalar("SELECT status FROM users WHERE id = $1")
        .bind(id.0)
        .fetch_one(app.db.pool())
        .await
        .expect("status")
}

async fn teacher_school(app: &TestApp, id: UserId) -> Option<i64> {
    sqlx::query_scalar("SELECT school_id FROM teachers WHERE user_id = $1")
        .bind(id.0)
        .fetch_optional(app.db.pool())
        .await
        .expect("teacher")
}

async fn audit_lines(app: &TestApp, action: &str, subject: UserId) -> Vec<String> {
    sqlx::query_scalar(
        "SELECT details FROM audit_log WHERE action = $1 AND subject_kind = 'user' \
         AND subject_id = $2 ORDER BY id",
    )
    .bind(action)
    .bind(subject.0)
    .fetch_all(app.db.pool())
    .await
    .expect("audit")
}

async fn grant(app: &TestApp, cookie: Option<&str>, user: UserId, school: &str) -> common::Reply {
    let user = user.0.to_string();
    let mut fields = vec![("user_id", user.as_str()), ("role", "laerer")];
    if !school.is_empty() {
        fields.push(("school_id", school));
    }
    app.post(path::<GrantRole>(), cookie, &fields).await
}

#[tokio::test]
async fn the_coordinator_grants_laerer_at_one_school_and_a_second_grant_moves_the_teacher() {
    let app = common::app().await;
    let (_, coordinator) = app.login_as("Koordinator", &[RoleKind::Sekretariat]).await;
    let c = Some(coordinator.as_str());
    let mail = email("laerer");
    let teacher = app.user("Lærke", &mail, &[]).await;
    let first = school(&app).await;
    let second = school(&app).await;

    let r = grant(&app, c, teacher, &first.0.to_string()).await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(teacher_school(&app, teacher).await, Some(first.0));
    // Not a user_roles row: the generic grants stay as they were (Ung only).
    let grants = app
        .count(&format!(
            "SELECT COUNT(*) FROM user_roles WHERE user_id = {}",
            teacher.0
        ))
        .await;
    assert_eq!(grants, 1);

    // The teacher's session has the role and the school.
    let cookie = app.login(&mail, PASSWORD).await;
    let me = app.me(Some(&cookie)).await;
    assert!(
        me["roles"]
            .as_array()
            .is_some_and(|r| r.contains(&"Laerer".into())),
        "{me}"
    );
    assert_eq!(me["school_id"], first.0, "{me}");

    // The coordinator's user list shows "Lærer (school)".
    let r = app
        .post(
            path::<ListUsers>(),
            c,
            &[("query", &mail), ("awaiting", "false")],
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(
        r.json()["users"][0]["teacher_at"]["id"],
        first.0,
        "{}",
        r.body
    );

    // The same grant again changes nothing and writes no second audit line.
    let r = grant(&app, c, teacher, &first.0.to_string()).await;
    assert_eq!(r.status, 409, "{}", r.body);
    assert_eq!(audit_lines(&app, "role_granted", teacher).await.len(), 1);

    // Granted at another school: the teacher moves there (one row), with an audit line.
    let r = grant(&app, c, teacher, &second.0.to_string()).await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(teacher_school(&app, teacher).await, Some(second.0));
    let lines = audit_lines(&app, "role_granted", teacher).await;
    assert_eq!(lines.len(), 2, "{lines:?}");
    assert!(
        lines[1].contains(&format!("flyttet fra skole {}", first.0)),
        "{lines:?}"
    );
    let me = app.me(Some(&cookie)).await;
    assert_eq!(me["school_id"], second.0, "{me}");

    // /konto lists the role with the school's name.
    let school_name: String = sqlx::query_scalar("SELECT name FROM schools WHERE id = $1")
        .bind(second.0)
        .fetch_one(app.db.pool())
        .await
        .expect("name");
    let (status, page) = app.get_with("/konto", &[("cookie", &cookie)]).await;
    assert_eq!(status, 200);
    assert!(
        page.contains(&format!("Lærer ({school_name})")),
        "the account page names the teacher's school"
    );
}

#[tokio::test]
async fn a_grant_without_a_school_or_with_an_unknown_one_is_refused_and_stores_nothing() {
    let app = common::app().await;
    let (_, coordinator) = app.login_as("Koordinator", &[RoleKind::Sekretariat]).await;
    let c = Some(coordinator.as_str());
    let teacher = app.user("Lærke", &email("laerer"), &[]).await;
    for school in ["", "  ", "abc", "999999999"] {
        let r = grant(&app, c, teacher, school).await;
        assert_eq!(r.status, 422, "school {school:?}: {}", r.body);
        assert_eq!(r.json()["field"], "school_id", "{}", r.body);
    }
    // An archived school takes no new teachers.
    let archived = school(&app).await;
    sqlx::query("UPDATE schools SET archived_at = 1 WHERE id = $1")
        .bind(archived.0)
        .execute(app.db.pool())
        .await
        .expect("archive");
    let r = grant(&app, c, teacher, &archived.0.to_string()).await;
    assert_eq!(
        (r.status, r.json()["field"].clone()),
        (422, "school_id".into())
    );
    assert_eq!(teacher_school(&app, teacher).await, None);
    assert!(audit_lines(&app, "role_granted", teacher).await.is_empty());
}

#[tokio::test]
async fn only_the_coordinator_grants_and_revokes_the_teacher_role() {
    let app = common::app().await;
    let target = app.user("Lærke", &email("laerer"), &[]).await;
    let at = school(&app).await.0.to_string();
    let existing = app
        .user("Lars", &email("laerer"), &[RoleKind::Laerer])
        .await;
    let existing_school = teacher_school(&app, existing).await;
    let mut callers: Vec<(String, Option<String>)> = vec![("anonymous".into(), None)];
    for role in [
        RoleKind::Elev,
        RoleKind::Moderator,
        RoleKind::Politiker,
        RoleKind::Elevraadsformand,
        RoleKind::Laerer,
    ] {
        let (_, cookie) = app.login_as("Udenfor", &[role]).await;
        callers.push((role.as_str().to_owned(), Some(cookie)));
    }
    for (who, cookie) in &callers {
        let expected = if cookie.is_some() { 403 } else { 401 };
        let r = grant(&app, cookie.as_deref(), target, &at).await;
        assert_eq!(r.status, expected, "{who} grants: {}", r.body);
        let r = app
            .post(
                path::<RevokeTeacher>(),
                cookie.as_deref(),
                &[("user_id", &existing.0.to_string())],
            )
            .await;
        assert_eq!(r.status, expected, "{who} revokes: {}", r.body);
    }
    assert_eq!(teacher_school(&app, target).await, None);
    assert_eq!(teacher_school(&app, existing).await, existing_school);
    assert!(existing_school.is_some());
}

#[tokio::test]
async fn a_teacher_confirms_the_pending_pupils_of_their_own_school_only() {
    let app = common::app().await;
    let mail = email("laerer");
    let teacher = app.user("Lærke", &mail, &[RoleKind::Laerer]).await;
    let cookie = app.login(&mail, PASSWORD).await;
    let t = Some(cookie.as_str());
    let mine = SchoolId(teacher_school(&app, teacher).await.expect("school"));
    let other = school(&app).await;

    let pupil = pending(&app, Some(mine), true).await;
    let elsewhere = pending(&app, Some(other), true).await;
    let no_school = pending(&app, None, true).await;
    // At the school but not a pupil (no Elev role).
    let not_pupil = pending(&app, Some(mine), false).await;

    // /skole's list: the own school's pending pupils only.
    let r = app.post(path::<SchoolPupils>(), t, &[]).await;
    assert_eq!(r.status, 200, "{}", r.body);
    let listed: Vec<i64> = r.json()["pupils"]
        .as_array()
        .map(|a| a.iter().filter_map(|p| p["id"].as_i64()).collect())
        .unwrap_or_default();
    assert_eq!(listed, vec![pupil.0], "{}", r.body);
    // The page, as a browser without JavaScript gets it: a plain form per pupil.
    let (status, page) = app.get_with("/skole", &[("cookie", &cookie)]).await;
    assert_eq!(status, 200);
    assert!(page.contains("Vilma") && page.contains("Bekræft"), "{page}");
    assert!(page.contains(&format!("value=\"{}\"", pupil.0)));

    // Not theirs: refused, nothing changes.
    for (what, id) in [
        ("a pupil of another school", elsewhere),
        ("an account at no school", no_school),
        ("an account at the school that is not a pupil", not_pupil),
    ] {
        let r = app
            .post(path::<ConfirmUser>(), t, &[("user_id", &id.0.to_string())])
            .await;
        assert_eq!(r.status, 403, "{what}: {}", r.body);
        assert_eq!(status_of(&app, id).await, "awaiting_confirmation", "{what}");
    }
    let r = app
        .post(path::<ConfirmUser>(), t, &[("user_id", "999999999")])
        .await;
    assert_eq!(r.status, 403, "no such account: {}", r.body);

    // Their own pupil: confirmed, by the teacher, with an audit line.
    let r = app
        .post(
            path::<ConfirmUser>(),
            t,
            &[("user_id", &pupil.0.to_string())],
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(status_of(&app, pupil).await, "active");
    let by = app
        .count(&format!(
            "SELECT confirmed_by FROM users WHERE id = {}",
            pupil.0
        ))
        .await;
    assert_eq!(by, teacher.0);
    let actor = app
        .count(&format!(
            "SELECT actor_id FROM audit_log WHERE action = 'user_confirmed' AND subject_id = {}",
            pupil.0
        ))
        .await;
    assert_eq!(actor, teacher.0);
    // Confirmed once: a second time finds nothing to confirm, and the list is empty.
    let r = app
        .post(
            path::<ConfirmUser>(),
            t,
            &[("user_id", &pupil.0.to_string())],
        )
        .await;
    assert_eq!(r.status, 404, "{}", r.body);
    let r = app.post(path::<SchoolPupils>(), t, &[]).await;
    assert_eq!(r.json()["pupils"], serde_json::json!([]), "{}", r.body);

    // The coordinator keeps the right to confirm any pending account.
    let (_, coordinator) = app.login_as("Koordinator", &[RoleKind::Sekretariat]).await;
    let r = app
        .post(
            path::<ConfirmUser>(),
            Some(&coordinator),
            &[("user_id", &elsewhere.0.to_string())],
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(status_of(&app, elsewhere).await, "active");

    // Someone who is not a teacher has no school list.
    let (_, young) = app.login_as("Ung", &[RoleKind::Elev]).await;
    let r = app.post(path::<SchoolPupils>(), Some(&young), &[]).await;
    assert_eq!(r.status, 403, "{}", r.body);
    let r = app.post(path::<SchoolPupils>(), None, &[]).await;
    assert_eq!(r.status, 401, "{}", r.body);
}

#[tokio::test]
async fn revoking_the_teacher_role_removes_the_right_to_confirm() {
    let app = common::app().await;
    let (_, coordinator) = app.login_as("Koordinator", &[RoleKind::Sekretariat]).await;
    let c = Some(coordinator.as_str());
    let mail = email("laerer");
    let teacher = app.user("Lærke", &mail, &[]).await;
    let at = school(&app).await;
    let r = grant(&app, c, teacher, &at.0.to_string()).await;
    assert_eq!(r.status, 200, "{}", r.body);
    let cookie = app.login(&mail, PASSWORD).await;
    let pupil = pending(&app, Some(at), true).await;
    let r = app.post(path::<SchoolPupils>(), Some(&cookie), &[]).await;
    assert_eq!(r.status, 200, "{}", r.body);

    let id = teacher.0.to_string();
    let r = app
        .post(path::<RevokeTeacher>(), c, &[("user_id", &id)])
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(teacher_school(&app, teacher).await, None);
    let lines = audit_lines(&app, "role_revoked", teacher).await;
    assert_eq!(lines, vec![format!("laerer (skole {})", at.0)]);
    // Revoking again finds nothing.
    let r = app
        .post(path::<RevokeTeacher>(), c, &[("user_id", &id)])
        .await;
    assert_eq!(r.status, 404, "{}", r.body);

    // The same session no longer has the role.
    let me = app.me(Some(&cookie)).await;
    assert!(
        !me["roles"]
            .as_array()
            .is_some_and(|r| r.contains(&"Laerer".into())),
        "{me}"
    );
    let r = app
        .post(
            path::<ConfirmUser>(),
            Some(&cookie),
            &[("user_id", &pupil.0.to_string())],
        )
        .await;
    assert_eq!(r.status, 403, "{}", r.body);
    assert_eq!(status_of(&app, pupil).await, "awaiting_confirmation");
    let r = app.post(path::<SchoolPupils>(), Some(&cookie), &[]).await;
    assert_eq!(r.status, 403, "{}", r.body);
}
