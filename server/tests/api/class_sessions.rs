//! Class sessions (issue #23): a teacher opens a session for a class, pupils without
//! accounts join with the code and send ideas, the teacher approves them before anyone sees
//! them, everyone dot-votes (three dots each, one per idea), and the top idea goes to the
//! school's elevråd as a proposal in the class's name. On SQLite and PostgreSQL.
use crate::common::{app, email, form_body, path, TestApp, PASSWORD};
use app::api::class_session::{
    DotClassIdea, ReviewClassIdea, SendClassIdea, SubmitClassIdea, SwitchClass, UndotClassIdea,
};
use app::api::live::{GetLive, JoinLive, OpenLive};
use app::domain::ids::{ProposalId, SchoolId, UserId};
use axum::body::Body;
use axum::http::Request;
use futures::future::join_all;

/// A reply: status, body, and the live participant cookie if one was set.
struct Live {
    status: u16,
    body: String,
    cookie: Option<String>,
}

/// POSTs a form as an API client with `cookie` (a session cookie, a participant cookie,
/// or both joined by "; ").
async fn post(app: &TestApp, p: &str, cookie: Option<&str>, fields: &[(&str, &str)]) -> Live {
    let mut req = Request::post(p)
        .header("content-type", "application/x-www-form-urlencoded")
        .header("accept", "application/json")
        .header("host", "localhost")
        .header("origin", "http://localhost");
    if let Some(c) = cookie {
        req = req.header("cookie", c);
    }
    let res = app
        .send(req.body(Body::from(form_body(fields))).expect("request"))
        .await;
    let status = res.status().as_u16();
    let cookie = res
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|v| v.starts_with("stemme_live="))
        .map(|v| v.split(';').next().unwrap_or_default().to_owned());
    Live {
        status,
        body: crate::common::body_text(res).await,
        cookie,
    }
}

/// A school (with its elevråd) and a teacher there, logged in: (school, school name,
/// teacher, session cookie).
async fn school_and_teacher(app: &TestApp) -> (SchoolId, String, UserId, String) {
    let pool = app.db.pool();
    let name: String = format!("Skole {}", email("s").replace(['@', '.'], ""))
        .chars()
        .take(60)
        .collect();
    let school = app::ssr::db::schools::create(pool, &name)
        .await
        .expect("school");
    let mail = email("laerer");
    let teacher = app.user("Lærer", &mail, &[]).await;
    sqlx::query(
        "INSERT INTO teachers (user_id, school_id, granted_by, granted_at) VALUES ($1, $2, NULL, $3)",
    )
    .bind(teacher.0)
    .bind(school.0)
    .bind(chrono::Utc::now().timestamp_micros())
    .execute(pool)
    .await
    .expect("teacher");
    let cookie = app.login(&mail, PASSWORD).await;
    (school, name, teacher, cookie)
}

/// The teacher opens a class session for `class`: its code.
async fn open_class(app: &TestApp, teacher: &str, class: &str) -> String {
    let token = app.form_token(Some(teacher)).await;
    let r = post(
        app,
        path::<OpenLive>(),
        Some(teacher),
        &[
            ("kind", "klasse"),
            ("title", "Klassens time"),
            ("class_name", class),
            ("form_token", &token),
        ],
    )
    .await;
    assert!(r.status < 400, "open: {} {}", r.status, r.body);
    serde_json::from_str::<String>(&r.body).expect("code")
}

/// A pupil without an account joins: their participant cookie.
async fn join(app: &TestApp, code: &str) -> String {
    let r = post(app, path::<JoinLive>(), None, &[("code", code)]).await;
    assert!(r.status < 400, "join: {} {}", r.status, r.body);
    r.cookie.expect("participant cookie")
}

async fn page(app: &TestApp, cookie: Option<&str>, code: &str) -> serde_json::Value {
    let r = post(app, path::<GetLive>(), cookie, &[("code", code)]).await;
    assert_eq!(r.status, 200, "get: {}", r.body);
    serde_json::from_str(&r.body).expect("page")
}

async fn idea_id(app: &TestApp, code: &str, body: &str) -> String {
    let id: i64 = sqlx::query_scalar(
        "SELECT i.id FROM class_ideas i JOIN live_sessions s ON s.id = i.session_id \
         WHERE s.code = $1 AND i.body = $2",
    )
    .bind(code)
    .bind(body)
    .fetch_one(app.db.pool())
    .await
    .expect("idea");
    id.to_string()
}

async fn dots(app: &TestApp, idea: &str) -> i64 {
    let stored: i64 = sqlx::query_scalar("SELECT dots FROM class_ideas WHERE id = $1")
        .bind(idea.parse::<i64>().expect("id"))
        .fetch_one(app.db.pool())
        .await
        .expect("dots");
    let counted: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM class_dots WHERE idea_id = $1")
        .bind(idea.parse::<i64>().expect("id"))
        .fetch_one(app.db.pool())
        .await
        .expect("count");
    assert_eq!(stored, counted, "the stored count equals the dots");
    stored
}

async fn switch(app: &TestApp, teacher: &str, code: &str, what: &str, open: &str) -> Live {
    post(
        app,
        path::<SwitchClass>(),
        Some(teacher),
        &[("code", code), ("what", what), ("open", open)],
    )
    .await
}

async fn dot(app: &TestApp, pupil: &str, idea: &str) -> Live {
    post(
        app,
        path::<DotClassIdea>(),
        Some(pupil),
        &[("idea_id", idea)],
    )
    .await
}

const IDEAS: [&str; 4] = [
    "Flere bænke i skolegården",
    "Frugt i frikvarteret hver dag",
    "En fodboldbane med kunstgræs",
    "Dumme ord om en lærer",
];

#[tokio::test]
async fn a_class_sends_ideas_approves_dot_votes_and_sends_the_top_idea_to_its_elevraad() {
    let app = app().await;
    let pool = app.db.pool();
    let (school, school_name, teacher_id, teacher) = school_and_teacher(&app).await;
    let code = open_class(&app, &teacher, "6.B").await;

    // Four pupils without accounts join with the code and send an idea each.
    let mut pupils = Vec::new();
    for _ in 0..4 {
        pupils.push(join(&app, &code).await);
    }
    for (pupil, idea) in pupils.iter().zip(IDEAS) {
        let r = post(
            &app,
            path::<SubmitClassIdea>(),
            Some(pupil),
            &[("code", &code), ("body", idea)],
        )
        .await;
        assert_eq!((r.status, r.body.as_str()), (200, "true"), "idea {idea}");
    }
    // The same text again from the same pupil is the same idea.
    let again = post(
        &app,
        path::<SubmitClassIdea>(),
        Some(&pupils[0]),
        &[("code", &code), ("body", IDEAS[0])],
    )
    .await;
    assert_eq!((again.status, again.body.as_str()), (200, "false"));
    // Too short, and no participant at all.
    let short = post(
        &app,
        path::<SubmitClassIdea>(),
        Some(&pupils[0]),
        &[("code", &code), ("body", "ja")],
    )
    .await;
    assert_eq!(short.status, 422, "{}", short.body);
    let stranger = post(
        &app,
        path::<SubmitClassIdea>(),
        None,
        &[("code", &code), ("body", "Noget helt andet")],
    )
    .await;
    assert_eq!(stranger.status, 403);
    let stored: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM class_ideas i JOIN live_sessions s ON s.id = i.session_id WHERE s.code = $1",
    )
    .bind(&code)
    .fetch_one(pool)
    .await
    .expect("count");
    assert_eq!(stored, 4);

    // Before approval nobody but the pupil and the teacher sees an idea.
    let public = page(&app, None, &code).await;
    assert_eq!(public["state"]["ideas"].as_array().map(Vec::len), Some(0));
    assert!(!public.to_string().contains(IDEAS[0]), "{public}");
    let own = page(&app, Some(&pupils[0]), &code).await;
    assert_eq!(own["me"]["pending"][0], IDEAS[0]);
    assert!(
        !own.to_string().contains(IDEAS[1]),
        "another pupil's pending idea"
    );
    assert!(own["host"].is_null());
    let host = page(&app, Some(&teacher), &code).await;
    assert_eq!(host["host"]["pending"].as_array().map(Vec::len), Some(4));
    assert!(host["host"]["elevraad"]
        .as_str()
        .is_some_and(|n| n.contains(&school_name)));

    // A pupil cannot review.
    let ids: Vec<String> = {
        let mut v = Vec::new();
        for idea in IDEAS {
            v.push(idea_id(&app, &code, idea).await);
        }
        v
    };
    let r = post(
        &app,
        path::<ReviewClassIdea>(),
        Some(&pupils[1]),
        &[("idea_id", &ids[1]), ("decision", "approve")],
    )
    .await;
    // Without an account: 401 (not logged in), never let through.
    assert!(matches!(r.status, 401 | 403), "{} {}", r.status, r.body);

    // The teacher approves three and rejects one; a second press changes nothing.
    for (i, id) in ids.iter().enumerate() {
        let decision = if i == 3 { "reject" } else { "approve" };
        let r = post(
            &app,
            path::<ReviewClassIdea>(),
            Some(&teacher),
            &[("idea_id", id), ("decision", decision)],
        )
        .await;
        assert_eq!(
            (r.status, r.body.as_str()),
            (200, "true"),
            "{decision} {id}"
        );
    }
    let stale = post(
        &app,
        path::<ReviewClassIdea>(),
        Some(&teacher),
        &[("idea_id", &ids[0]), ("decision", "reject")],
    )
    .await;
    assert_eq!((stale.status, stale.body.as_str()), (200, "false"));
    let public = page(&app, None, &code).await;
    let shown: Vec<&str> = public["state"]["ideas"]
        .as_array()
        .expect("ideas")
        .iter()
        .filter_map(|i| i["body"].as_str())
        .collect();
    assert_eq!(shown, IDEAS[..3].to_vec(), "the approved ideas, in order");

    // Dots are closed until the teacher opens them; pupils cannot open them.
    let r = dot(&app, &pupils[0], &ids[0]).await;
    assert_eq!(r.status, 409, "dots closed: {}", r.body);
    let r = switch(&app, &pupils[0], &code, "dots", "true").await;
    assert_eq!(r.status, 401, "{}", r.body);
    let r = switch(&app, &teacher, &code, "dots", "true").await;
    assert_eq!((r.status, r.body.as_str()), (200, "true"));
    // Ideas can be closed: a late idea is refused.
    let r = switch(&app, &teacher, &code, "ideas", "false").await;
    assert_eq!((r.status, r.body.as_str()), (200, "true"));
    let late = post(
        &app,
        path::<SubmitClassIdea>(),
        Some(&pupils[1]),
        &[("code", &code), ("body", "En sen idé om skolegården")],
    )
    .await;
    assert_eq!(late.status, 409, "{}", late.body);
    // A fourth approved idea (ideas open again), for the limit of three dots.
    assert_eq!(
        switch(&app, &teacher, &code, "ideas", "true").await.status,
        200
    );
    let fourth = "Musik i frikvarteret om fredagen";
    let r = post(
        &app,
        path::<SubmitClassIdea>(),
        Some(&pupils[1]),
        &[("code", &code), ("body", fourth)],
    )
    .await;
    assert_eq!(r.status, 200);
    let fourth_id = idea_id(&app, &code, fourth).await;
    // A pending idea takes no dot.
    let r = dot(&app, &pupils[0], &fourth_id).await;
    assert_eq!(r.status, 409, "pending: {}", r.body);
    let r = post(
        &app,
        path::<ReviewClassIdea>(),
        Some(&teacher),
        &[("idea_id", &fourth_id), ("decision", "approve")],
    )
    .await;
    assert_eq!(r.body, "true");
    // A rejected idea takes no dot.
    let r = dot(&app, &pupils[0], &ids[3]).await;
    assert_eq!(r.status, 409, "rejected: {}", r.body);

    // Pupil 0: three dots; the same dot twice is one; the fourth is refused.
    for id in &ids[..3] {
        let r = dot(&app, &pupils[0], id).await;
        assert_eq!((r.status, r.body.as_str()), (200, "true"), "dot {id}");
    }
    let r = dot(&app, &pupils[0], &ids[0]).await;
    assert_eq!((r.status, r.body.as_str()), (200, "false"));
    assert_eq!(dots(&app, &ids[0]).await, 1);
    let r = dot(&app, &pupils[0], &fourth_id).await;
    assert_eq!(r.status, 409, "fourth dot: {}", r.body);
    assert_eq!(dots(&app, &fourth_id).await, 0);
    let me = page(&app, Some(&pupils[0]), &code).await;
    assert_eq!(me["me"]["dots"].as_array().map(Vec::len), Some(3));

    // The database itself refuses a fourth dot, whatever the code does.
    let (session, participant): (i64, i64) =
        sqlx::query_as("SELECT session_id, participant_id FROM class_dots WHERE idea_id = $1")
            .bind(ids[0].parse::<i64>().expect("id"))
            .fetch_one(pool)
            .await
            .expect("dot row");
    let direct = sqlx::query(
        "INSERT INTO class_dots (idea_id, session_id, participant_id, at) VALUES ($1, $2, $3, $4)",
    )
    .bind(fourth_id.parse::<i64>().expect("id"))
    .bind(session)
    .bind(participant)
    .bind(chrono::Utc::now().timestamp_micros())
    .execute(pool)
    .await;
    assert!(direct.is_err(), "a fourth dot stored directly");

    // Fifty identical posts at once are one dot.
    let burst = join_all((0..50).map(|_| dot(&app, &pupils[1], &ids[0]))).await;
    assert!(
        burst.iter().all(|r| r.status == 200),
        "{:?}",
        burst.iter().map(|r| r.status).collect::<Vec<_>>()
    );
    assert_eq!(burst.iter().filter(|r| r.body == "true").count(), 1);
    assert_eq!(dots(&app, &ids[0]).await, 2);
    // Pupil 2 gives a dot and takes it back (twice: once).
    assert_eq!(dot(&app, &pupils[2], &ids[1]).await.body, "true");
    let undo_form = [("idea_id", ids[1].as_str())];
    let undo = join_all(
        (0..20).map(|_| post(&app, path::<UndotClassIdea>(), Some(&pupils[2]), &undo_form)),
    )
    .await;
    assert_eq!(undo.iter().filter(|r| r.body == "true").count(), 1);
    assert!(undo.iter().all(|r| r.status == 200));
    assert_eq!(dots(&app, &ids[1]).await, 1);
    assert_eq!(dot(&app, &pupils[3], &ids[0]).await.body, "true");
    assert_eq!(dots(&app, &ids[0]).await, 3);

    // Ranked by dots.
    let public = page(&app, None, &code).await;
    let first = &public["state"]["ideas"][0];
    assert_eq!(first["body"], IDEAS[0]);
    assert_eq!(first["dots"], 3);

    // A participant of another session can neither dot nor send ideas here.
    let other_code = open_class(&app, &teacher, "7.A").await;
    let outsider = join(&app, &other_code).await;
    assert_eq!(dot(&app, &outsider, &ids[2]).await.status, 403);
    let r = post(
        &app,
        path::<SubmitClassIdea>(),
        Some(&outsider),
        &[("code", &code), ("body", "Jeg er fra en anden klasse")],
    )
    .await;
    assert_eq!(r.status, 403);
    assert_eq!(dots(&app, &ids[2]).await, 1);

    // Closed dots: no dot given or taken back.
    assert_eq!(
        switch(&app, &teacher, &code, "dots", "false").await.body,
        "true"
    );
    assert_eq!(dot(&app, &pupils[3], &ids[1]).await.status, 409);
    let r = post(
        &app,
        path::<UndotClassIdea>(),
        Some(&pupils[3]),
        &[("idea_id", &ids[0])],
    )
    .await;
    assert_eq!(r.status, 409, "{}", r.body);
    assert_eq!(dots(&app, &ids[0]).await, 3);

    // Sending: not by a pupil, not a rejected idea.
    let r = post(
        &app,
        path::<SendClassIdea>(),
        Some(&pupils[0]),
        &[("idea_id", &ids[0])],
    )
    .await;
    assert_eq!(r.status, 401);
    let r = post(
        &app,
        path::<SendClassIdea>(),
        Some(&teacher),
        &[("idea_id", &ids[3])],
    )
    .await;
    assert_eq!(r.status, 409, "{}", r.body);
    // The top idea goes to the school's elevråd, in the class's name; twice is once.
    let send_form = [("idea_id", ids[0].as_str())];
    let sends =
        join_all((0..10).map(|_| post(&app, path::<SendClassIdea>(), Some(&teacher), &send_form)))
            .await;
    assert!(
        sends.iter().all(|r| r.status == 200),
        "{:?}",
        sends
            .iter()
            .map(|r| (r.status, r.body.clone()))
            .collect::<Vec<_>>()
    );
    let proposal: i64 = sends[0].body.parse().expect("proposal id");
    assert!(sends.iter().all(|r| r.body == sends[0].body));
    let again = post(
        &app,
        path::<SendClassIdea>(),
        Some(&teacher),
        &[("idea_id", &ids[0])],
    )
    .await;
    assert_eq!(again.body, proposal.to_string());
    let made: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM proposals WHERE author_id = $1")
        .bind(teacher_id.0)
        .fetch_one(pool)
        .await
        .expect("count");
    assert_eq!(made, 1);
    let (council, on_behalf, status, title, body): (i64, String, String, String, String) =
        sqlx::query_as(
            "SELECT council_id, on_behalf, status, title, body FROM proposals WHERE id = $1",
        )
        .bind(proposal)
        .fetch_one(pool)
        .await
        .expect("proposal");
    let (elevraad, _) = app::ssr::db::live::school_elevraad(pool, school)
        .await
        .expect("elevråd")
        .expect("has one");
    assert_eq!(council, elevraad.0);
    assert_eq!(on_behalf, format!("6.B, {school_name}"));
    assert_eq!(status, "submitted");
    assert_eq!(title, IDEAS[0]);
    assert!(body.starts_with(IDEAS[0]));
    assert!(
        body.ends_with(&format!(
            "Sendt af 6.B på {school_name} fra en klassesession: 3 prikker af 4 elever."
        )),
        "{body}"
    );
    let events: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM proposal_events WHERE proposal_id = $1 AND kind = 'submitted'",
    )
    .bind(proposal)
    .fetch_one(pool)
    .await
    .expect("events");
    assert_eq!(events, 1);
    let linked: Option<i64> =
        sqlx::query_scalar("SELECT proposal_id FROM class_ideas WHERE id = $1")
            .bind(ids[0].parse::<i64>().expect("id"))
            .fetch_one(pool)
            .await
            .expect("idea");
    assert_eq!(linked, Some(proposal));
    // Shown in the class's name, not the teacher's.
    let detail = app::ssr::db::proposals::detail(pool, ProposalId(proposal))
        .await
        .expect("detail")
        .expect("proposal");
    assert_eq!(
        detail.author,
        app::domain::proposal::Author::Class(format!("6.B, {school_name}"))
    );
    assert_eq!(
        detail.author.label(false),
        format!("Fra 6.B, {school_name}")
    );
    let (status, html) = app.get(&format!("/forslag/{proposal}")).await;
    assert_eq!(status, 200);
    assert!(
        html.contains(&format!("Fra 6.B, {school_name}")),
        "proposal page"
    );
    assert!(!html.contains("Lærer"), "the teacher's name is not shown");
    let public = page(&app, None, &code).await;
    assert_eq!(public["state"]["ideas"][0]["proposal"], proposal);
}

#[tokio::test]
async fn no_elevraad_no_sending_another_teacher_runs_nothing_and_bytinget_takes_no_ideas() {
    let app = app().await;
    let pool = app.db.pool();
    let (school, _, _, teacher) = school_and_teacher(&app).await;
    sqlx::query("UPDATE councils SET archived_at = $1 WHERE school_id = $2 AND kind = 'elevraad'")
        .bind(chrono::Utc::now().timestamp_micros())
        .bind(school.0)
        .execute(pool)
        .await
        .expect("archive");
    let code = open_class(&app, &teacher, "5.C").await;
    let pupil = join(&app, &code).await;
    let idea = "Et drivhus i skolegården";
    let r = post(
        &app,
        path::<SubmitClassIdea>(),
        Some(&pupil),
        &[("code", &code), ("body", idea)],
    )
    .await;
    assert_eq!(r.status, 200);
    let id = idea_id(&app, &code, idea).await;
    // Before approval there is nothing to send.
    let r = post(
        &app,
        path::<SendClassIdea>(),
        Some(&teacher),
        &[("idea_id", &id)],
    )
    .await;
    assert_eq!(r.status, 409);
    let r = post(
        &app,
        path::<ReviewClassIdea>(),
        Some(&teacher),
        &[("idea_id", &id), ("decision", "approve")],
    )
    .await;
    assert_eq!(r.body, "true");
    let r = post(
        &app,
        path::<SendClassIdea>(),
        Some(&teacher),
        &[("idea_id", &id)],
    )
    .await;
    assert_eq!(r.status, 409);
    assert!(
        r.body.contains("live_no_elevraad") || r.body.contains("LiveNoElevraad"),
        "{}",
        r.body
    );
    let linked: Option<i64> =
        sqlx::query_scalar("SELECT proposal_id FROM class_ideas WHERE id = $1")
            .bind(id.parse::<i64>().expect("id"))
            .fetch_one(pool)
            .await
            .expect("idea");
    assert_eq!(linked, None);
    let page = page(&app, Some(&teacher), &code).await;
    assert!(page["host"]["elevraad"].is_null());

    // Another session's idea cannot be reviewed by a teacher who does not run it.
    let (_, _, _, other_teacher) = school_and_teacher(&app).await;
    let r = post(
        &app,
        path::<ReviewClassIdea>(),
        Some(&other_teacher),
        &[("idea_id", &id), ("decision", "reject")],
    )
    .await;
    assert_eq!(r.status, 403);
    let r = switch(&app, &other_teacher, &code, "dots", "true").await;
    assert_eq!(r.status, 403);

    // Bytinget is no class session: no ideas, no dots.
    let (_, coordinator) = app
        .login_as(
            "Koordinator",
            &[app::domain::account::RoleKind::Sekretariat],
        )
        .await;
    let token = app.form_token(Some(&coordinator)).await;
    let r = post(
        &app,
        path::<OpenLive>(),
        Some(&coordinator),
        &[
            ("kind", "bytinget"),
            ("title", "Bytinget"),
            ("form_token", &token),
        ],
    )
    .await;
    assert!(r.status < 400, "{}", r.body);
    let bytinget: String = serde_json::from_str(&r.body).expect("code");
    let participant = join(&app, &bytinget).await;
    let r = post(
        &app,
        path::<SubmitClassIdea>(),
        Some(&participant),
        &[("code", &bytinget), ("body", "En idé til Bytinget")],
    )
    .await;
    assert_eq!(r.status, 409, "{}", r.body);
    let r = switch(&app, &coordinator, &bytinget, "ideas", "false").await;
    assert_eq!(r.status, 409, "{}", r.body);
}
