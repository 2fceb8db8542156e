//! Hearings over HTTP (issue #21): a politician asks two councils; one drafts, comments,
//! adopts its response by a passed vote, the other declines; the sender publishes
//! feedback. Refusals store nothing; the database refuses what the server would.
use crate::common::{app, email, path, TestApp, PASSWORD};
use app::api::councils::{AdvanceMeeting, CastVote, CloseVote, CreateMeeting, OpenVote};
use app::api::hearings::{
    AddHearingInput, AdoptResponse, CommentOnDraft, CreateHearing, DeclineHearing, GetHearing,
    ModerateHearingInput, PublishFeedback, PutHearingOnAgenda, SaveHearingDraft,
};
use app::domain::account::RoleKind;
use app::domain::ids::{CommitteeId, CouncilId, UserId};

struct Council {
    id: CouncilId,
    chair: String,
    members: Vec<(UserId, String)>,
}

struct World {
    politician: String,
    committee: CommitteeId,
    a: Council,
    b: Council,
}

fn year() -> i32 {
    app::api::accounts::current_year()
}

const WHY: &str = "Udvalget har valgt en anden placering end den, rådet foreslog, fordi grunden \
                   ved stationen ejes af staten og ikke kan bruges før 2028. Vi har taget jeres \
                   ønske om lys og overdækning med i planen for Byparken, og I bliver inviteret \
                   med, når tegningerne skal vælges i efteråret.";
const DRAFT: &str = "Vi vil gerne have skateparken tæt på stationen, med lys og tag over.";
const DECLINE: &str = "Vi når ikke at holde et møde om det før fristen.";

/// A fresh Ungeråd-kind council with a chair and `n` other members, all logged in.
async fn council(app: &TestApp, n: usize) -> Council {
    use app::ssr::db::{councils, users};
    let pool = app.db.pool();
    let id = app.council(RoleKind::Ungeraadsmedlem).await;
    let mut members = Vec::new();
    for i in 0..=n {
        let mail = email("hmedlem");
        let uid = app.user(&format!("Medlem{i}"), &mail, &[]).await;
        users::grant(
            pool,
            uid,
            RoleKind::Ungeraadsmedlem,
            Some(id),
            Some((year(), year() + 1)),
            uid,
        )
        .await
        .expect("grant");
        members.push((uid, app.login(&mail, PASSWORD).await));
    }
    let (chair_id, chair) = members.remove(0);
    councils::set_officer(pool, id, chair_id, "chair")
        .await
        .expect("chair");
    Council { id, chair, members }
}

/// An adult with `roles`, logged in: test users are made young (Ung), so that role goes.
async fn adult(app: &TestApp, name: &str, roles: &[RoleKind]) -> (UserId, String) {
    let mail = email(&name.to_lowercase());
    let id = app.user(name, &mail, roles).await;
    sqlx::query(&format!(
        "DELETE FROM user_roles WHERE user_id = {} AND role IN ('ung', 'elev')",
        id.0
    ))
    .execute(app.db.pool())
    .await
    .expect("adult");
    (id, app.login(&mail, PASSWORD).await)
}

async fn world(app: &TestApp) -> World {
    use app::ssr::db::answers;
    let pool = app.db.pool();
    let committee = answers::ensure_committee(pool, &email("udvalg"))
        .await
        .expect("committee");
    let (pid, politician) = adult(app, "Mette", &[RoleKind::Politiker]).await;
    answers::add_member(pool, committee, pid)
        .await
        .expect("seat");
    World {
        politician,
        committee,
        a: council(app, 2).await,
        b: council(app, 1).await,
    }
}

fn day(days: i64) -> String {
    (chrono::Utc::now() + chrono::Duration::days(days))
        .format("%Y-%m-%d")
        .to_string()
}

fn hearing_fields(w: &World, title: &str, allow_input: bool) -> Vec<(&'static str, String)> {
    let mut f = vec![
        ("title", title.to_owned()),
        (
            "question",
            "Hvad skal der til, for at unge bruger den nye skatepark om aftenen?".to_owned(),
        ),
        (
            "background",
            "Byrådet har sat penge af til en skatepark.".to_owned(),
        ),
        ("committee_id", w.committee.0.to_string()),
        ("council_ids[0]", w.a.id.0.to_string()),
        ("council_ids[1]", w.b.id.0.to_string()),
        ("decision_date", day(30)),
        ("respond_date", day(10)),
    ];
    if allow_input {
        f.push(("allow_input", "1".to_owned()));
    }
    f
}

async fn send(app: &TestApp, w: &World, allow_input: bool) -> i64 {
    let title = format!("Skatepark {}", &email("h")[..20]);
    let f = hearing_fields(w, &title, allow_input);
    let refs: Vec<(&str, &str)> = f.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let r = app
        .post(path::<CreateHearing>(), Some(&w.politician), &refs)
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    r.body.trim().parse().expect("hearing id")
}

async fn meeting(app: &TestApp, c: &Council) -> i64 {
    let r = app
        .post(
            path::<CreateMeeting>(),
            Some(&c.chair),
            &[
                ("council_id", &c.id.0.to_string()),
                ("starts_at", "2030-12-03T17:00"),
                ("place", "Rådhuset"),
            ],
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    let id: i64 = r.body.trim().parse().expect("meeting id");
    let r = app
        .post(
            path::<AdvanceMeeting>(),
            Some(&c.chair),
            &[("meeting_id", &id.to_string())],
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    id
}

async fn on_agenda(app: &TestApp, c: &Council, meeting: i64, hearing: i64) -> i64 {
    let r = app
        .post(
            path::<PutHearingOnAgenda>(),
            Some(&c.chair),
            &[
                ("meeting_id", &meeting.to_string()),
                ("hearing_id", &hearing.to_string()),
            ],
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    app.count(&format!(
        "SELECT MAX(id) FROM agenda_items WHERE meeting_id = {meeting} AND hearing_id = {hearing}"
    ))
    .await
}

/// Opens a vote on `item`, casts `choices` (chair first, then the members), and closes
/// it unless `close` is false. Returns the vote's id.
async fn vote(app: &TestApp, c: &Council, item: i64, choices: &[&str], close: bool) -> String {
    let r = app
        .post(
            path::<OpenVote>(),
            Some(&c.chair),
            &[("item_id", &item.to_string())],
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    let v = r.body.trim().to_owned();
    let voters: Vec<&String> = std::iter::once(&c.chair)
        .chain(c.members.iter().map(|(_, m)| m))
        .collect();
    for (cookie, choice) in voters.iter().zip(choices) {
        let r = app
            .post(
                path::<CastVote>(),
                Some(cookie),
                &[("vote_id", &v), ("choice", choice)],
            )
            .await;
        assert_eq!(r.status, 200, "{}", r.body);
    }
    if close {
        let r = app
            .post(path::<CloseVote>(), Some(&c.chair), &[("vote_id", &v)])
            .await;
        assert_eq!(r.status, 200, "{}", r.body);
    }
    v
}

async fn save_draft(app: &TestApp, c: &Council, hearing: i64) {
    let r = app
        .post(
            path::<SaveHearingDraft>(),
            Some(&c.chair),
            &[
                ("hearing_id", &hearing.to_string()),
                ("council_id", &c.id.0.to_string()),
                ("draft", DRAFT),
            ],
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
}

async fn adopt(app: &TestApp, c: &Council, item: i64) -> u16 {
    app.post(
        path::<AdoptResponse>(),
        Some(&c.chair),
        &[("item_id", &item.to_string())],
    )
    .await
    .status
}

async fn status(app: &TestApp, hearing: i64, c: &Council) -> String {
    sqlx::query_scalar(&format!(
        "SELECT status FROM hearing_councils WHERE hearing_id = {hearing} AND council_id = {}",
        c.id.0
    ))
    .fetch_one(app.db.pool())
    .await
    .expect("status")
}

async fn notes(app: &TestApp, hearing: i64, kind: &str) -> i64 {
    app.count(&format!(
        "SELECT COUNT(*) FROM notifications WHERE hearing_id = {hearing} AND kind = '{kind}'"
    ))
    .await
}

fn feedback_fields(
    hearing: i64,
    c: &Council,
    kind: &str,
    why: &str,
) -> Vec<(&'static str, String)> {
    vec![
        ("hearing_id", hearing.to_string()),
        (
            "decision_text",
            "Udvalget besluttede at bygge skateparken i Byparken.".to_owned(),
        ),
        ("uses[0][council_id]", c.id.0.to_string()),
        ("uses[0][kind]", kind.to_owned()),
        ("uses[0][why]", why.to_owned()),
    ]
}

async fn post_owned(
    app: &TestApp,
    path: &str,
    cookie: &str,
    f: &[(&'static str, String)],
) -> crate::common::Reply {
    let refs: Vec<(&str, &str)> = f.iter().map(|(k, v)| (*k, v.as_str())).collect();
    app.post(path, Some(cookie), &refs).await
}

#[tokio::test]
async fn a_hearing_from_question_to_feedback() {
    let app = app().await;
    let w = world(&app).await;
    let h = send(&app, &w, false).await;
    // Every member of both councils (3 + 2) hears of it.
    assert_eq!(notes(&app, h, "hearing_sent").await, 5);
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) FROM hearing_councils WHERE hearing_id = {h} AND status = 'awaiting'"
        ))
        .await,
        2
    );
    // Council A: the chair drafts, a member comments, a member of B may not.
    save_draft(&app, &w.a, h).await;
    let comment = |cookie: String| {
        let app = &app;
        let council = w.a.id.0.to_string();
        async move {
            app.post(
                path::<CommentOnDraft>(),
                Some(&cookie),
                &[
                    ("hearing_id", &h.to_string()),
                    ("council_id", &council),
                    ("body", "Husk også bænke til dem, der kigger på."),
                ],
            )
            .await
            .status
        }
    };
    assert_eq!(comment(w.a.members[0].1.clone()).await, 200);
    assert_eq!(comment(w.b.members[0].1.clone()).await, 403);
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) FROM hearing_comments WHERE hearing_id = {h}"
        ))
        .await,
        1
    );
    // Only the council's members see the draft and the comments.
    let r = app
        .post(path::<GetHearing>(), None, &[("id", &h.to_string())])
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert!(
        !r.body.contains("tæt på stationen"),
        "draft shown to the public"
    );
    assert!(!r.body.contains("bænke til dem"));
    let r = app
        .post(
            path::<GetHearing>(),
            Some(&w.a.members[1].1),
            &[("id", &h.to_string())],
        )
        .await;
    assert!(r.body.contains("tæt på stationen") && r.body.contains("bænke til dem"));
    let r = app
        .post(
            path::<GetHearing>(),
            Some(&w.b.chair),
            &[("id", &h.to_string())],
        )
        .await;
    assert!(
        !r.body.contains("tæt på stationen"),
        "another council's draft"
    );
    // The agenda, the vote, the adoption.
    let m = meeting(&app, &w.a).await;
    let item = on_agenda(&app, &w.a, m, h).await;
    let v = vote(&app, &w.a, item, &["for", "for", "imod"], true).await;
    assert_eq!(adopt(&app, &w.a, item).await, 200);
    assert_eq!(status(&app, h, &w.a).await, "responded");
    assert_eq!(
        app.count(&format!(
            "SELECT vote_id FROM hearing_councils WHERE hearing_id = {h} AND council_id = {}",
            w.a.id.0
        ))
        .await
        .to_string(),
        v
    );
    // Adopting twice is one decision.
    assert_eq!(adopt(&app, &w.a, item).await, 409);
    assert_eq!(notes(&app, h, "hearing_decided").await, 1);
    // Council B declines (a member may not).
    let decline = |cookie: String, reason: &'static str| {
        let app = &app;
        let council = w.b.id.0.to_string();
        async move {
            app.post(
                path::<DeclineHearing>(),
                Some(&cookie),
                &[
                    ("hearing_id", &h.to_string()),
                    ("council_id", &council),
                    ("reason", reason),
                ],
            )
            .await
            .status
        }
    };
    assert_eq!(decline(w.b.members[0].1.clone(), DECLINE).await, 403);
    assert_eq!(decline(w.b.chair.clone(), "Nej tak").await, 422);
    assert_eq!(status(&app, h, &w.b).await, "awaiting");
    assert_eq!(decline(w.b.chair.clone(), DECLINE).await, 200);
    assert_eq!(status(&app, h, &w.b).await, "declined");
    assert_eq!(notes(&app, h, "hearing_decided").await, 2);
    // Feedback: B declined, so only A's response takes a use.
    let r = post_owned(
        &app,
        path::<PublishFeedback>(),
        &w.a.chair,
        &feedback_fields(h, &w.a, "partly", WHY),
    )
    .await;
    assert_eq!(
        r.status, 403,
        "a council's chair does not give the feedback"
    );
    let r = post_owned(
        &app,
        path::<PublishFeedback>(),
        &w.politician,
        &feedback_fields(h, &w.a, "partly", WHY),
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) FROM hearings WHERE id = {h} AND status = 'feedback_given'"
        ))
        .await,
        1
    );
    // Every member of both councils hears of the feedback.
    assert_eq!(notes(&app, h, "hearing_feedback").await, 5);
    // Published once.
    let r = post_owned(
        &app,
        path::<PublishFeedback>(),
        &w.politician,
        &feedback_fields(h, &w.a, "used", ""),
    )
    .await;
    assert_eq!(r.status, 409, "{}", r.body);
    // The public page has the whole timeline.
    let r = app
        .post(path::<GetHearing>(), None, &[("id", &h.to_string())])
        .await;
    let v = r.json();
    let councils = v["councils"].as_array().cloned().unwrap_or_default();
    let a = councils
        .iter()
        .find(|c| c["council_id"] == w.a.id.0)
        .cloned()
        .unwrap_or_default();
    assert_eq!(a["response"], DRAFT);
    assert_eq!(a["use_kind"], "Partly");
    assert_eq!(a["tally"]["yes"], 2);
    assert_eq!(a["draft"], serde_json::Value::Null);
    let b = councils
        .iter()
        .find(|c| c["council_id"] == w.b.id.0)
        .cloned()
        .unwrap_or_default();
    assert_eq!(b["decline_reason"], DECLINE);
    assert_eq!(v["phase"], "FeedbackGiven");
    // The pages render the timeline without a session.
    let (code, html) = app.get(&format!("/hoeringer/{h}")).await;
    assert_eq!(code, 200);
    assert!(html.contains(DECLINE) && html.contains(DRAFT), "{html}");
    let (code, html) = app.get("/hoeringer").await;
    assert_eq!(code, 200);
    assert!(html.contains(&format!("/hoeringer/{h}")));
    // A member's bell links to the hearing.
    let r = app
        .post(
            path::<app::api::notifications::ListNotifications>(),
            Some(&w.a.members[0].1),
            &[],
        )
        .await;
    assert!(
        r.body.contains(&format!("\"hearing_id\":{h}")),
        "{}",
        r.body
    );
}

#[tokio::test]
async fn refusals_store_nothing() {
    let app = app().await;
    let w = world(&app).await;
    // A young person cannot send a hearing, whatever the form says.
    let (_, youth) = app.login_as("Ung", &[]).await;
    let before = app.count("SELECT COUNT(*) FROM hearings").await;
    let f = hearing_fields(&w, "Skatepark fra en ung", false);
    assert_eq!(
        post_owned(&app, path::<CreateHearing>(), &youth, &f)
            .await
            .status,
        403
    );
    // A politician who is also a young person (Ung): still refused.
    let (young_pid, member_politician) = app.login_as("Blandet", &[RoleKind::Politiker]).await;
    app::ssr::db::answers::add_member(app.db.pool(), w.committee, young_pid)
        .await
        .expect("seat");
    assert_eq!(
        post_owned(&app, path::<CreateHearing>(), &member_politician, &f)
            .await
            .status,
        403
    );
    // A politician outside the committee may not either.
    let (_, outsider) = adult(&app, "Anden", &[RoleKind::Politiker]).await;
    assert_eq!(
        post_owned(&app, path::<CreateHearing>(), &outsider, &f)
            .await
            .status,
        422
    );
    assert_eq!(app.count("SELECT COUNT(*) FROM hearings").await, before);

    let h = send(&app, &w, false).await;
    save_draft(&app, &w.a, h).await;
    let m = meeting(&app, &w.a).await;
    let item = on_agenda(&app, &w.a, m, h).await;
    // No vote yet.
    assert_eq!(adopt(&app, &w.a, item).await, 422);
    // An open vote.
    let v = vote(&app, &w.a, item, &["for", "for"], false).await;
    assert_eq!(adopt(&app, &w.a, item).await, 409);
    assert_eq!(status(&app, h, &w.a).await, "awaiting");
    let r = app
        .post(path::<CloseVote>(), Some(&w.a.chair), &[("vote_id", &v)])
        .await;
    assert_eq!(r.status, 200);
    // The vote passed, but the deadline has passed meanwhile.
    let past = (chrono::Utc::now() - chrono::Duration::days(1)).timestamp_micros();
    sqlx::query(&format!(
        "UPDATE hearings SET respond_by = {past} WHERE id = {h}"
    ))
    .execute(app.db.pool())
    .await
    .expect("move the deadline");
    assert_eq!(adopt(&app, &w.a, item).await, 409);
    assert_eq!(status(&app, h, &w.a).await, "awaiting");
    assert_eq!(notes(&app, h, "hearing_decided").await, 0);
    // The database refuses a late response too.
    let late = sqlx::query(&format!(
        "UPDATE hearing_councils SET status = 'responded', response = '{DRAFT}', vote_id = {v}, \
         decided_at = {} WHERE hearing_id = {h} AND council_id = {}",
        chrono::Utc::now().timestamp_micros(),
        w.a.id.0
    ))
    .execute(app.db.pool())
    .await;
    assert!(late.is_err(), "a response after the deadline");

    // A failed vote adopts nothing.
    let h2 = send(&app, &w, false).await;
    save_draft(&app, &w.a, h2).await;
    let m2 = meeting(&app, &w.a).await;
    let item2 = on_agenda(&app, &w.a, m2, h2).await;
    vote(&app, &w.a, item2, &["for", "imod", "imod"], true).await;
    assert_eq!(adopt(&app, &w.a, item2).await, 422);
    assert_eq!(status(&app, h2, &w.a).await, "awaiting");
    // The database refuses a response on the failed vote too.
    let other_vote: i64 = app
        .count(&format!(
            "SELECT v.id FROM votes v WHERE v.agenda_item_id = {item2}"
        ))
        .await;
    let direct = sqlx::query(&format!(
        "UPDATE hearing_councils SET status = 'responded', response = '{DRAFT}', vote_id = {other_vote}, \
         decided_at = {} WHERE hearing_id = {h2} AND council_id = {}",
        chrono::Utc::now().timestamp_micros(),
        w.a.id.0
    ))
    .execute(app.db.pool())
    .await;
    assert!(direct.is_err(), "a response on a failed vote");

    // Feedback that does not follow the response needs the Nej explanation.
    let h3 = send(&app, &w, false).await;
    save_draft(&app, &w.a, h3).await;
    let m3 = meeting(&app, &w.a).await;
    let item3 = on_agenda(&app, &w.a, m3, h3).await;
    vote(&app, &w.a, item3, &["for", "for", "for"], true).await;
    assert_eq!(adopt(&app, &w.a, item3).await, 200);
    // B has not decided and the deadline is ahead: too early.
    let r = post_owned(
        &app,
        path::<PublishFeedback>(),
        &w.politician,
        &feedback_fields(h3, &w.a, "used", ""),
    )
    .await;
    assert_eq!(r.status, 409, "{}", r.body);
    let past = (chrono::Utc::now() - chrono::Duration::hours(1)).timestamp_micros();
    sqlx::query(&format!(
        "UPDATE hearings SET respond_by = {past} WHERE id = {h3}"
    ))
    .execute(app.db.pool())
    .await
    .expect("move the deadline");
    for (kind, why) in [
        ("not_used", ""),
        ("partly", "Det passede ikke ind."),
        ("not_used", &"Nej tak. ".repeat(40)[..]),
        ("", WHY),
    ] {
        let r = post_owned(
            &app,
            path::<PublishFeedback>(),
            &w.politician,
            &feedback_fields(h3, &w.a, kind, why),
        )
        .await;
        assert_eq!(r.status, 422, "{kind}: {}", r.body);
    }
    let r = post_owned(
        &app,
        path::<PublishFeedback>(),
        &w.politician,
        &[("hearing_id", h3.to_string())],
    )
    .await;
    assert_eq!(r.status, 422, "{}", r.body);
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) FROM hearing_councils WHERE hearing_id = {h3} AND use_kind IS NOT NULL"
        ))
        .await,
        0
    );
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) FROM hearings WHERE id = {h3} AND status = 'open'"
        ))
        .await,
        1
    );
    assert_eq!(notes(&app, h3, "hearing_feedback").await, 0);
    // The database refuses feedback without an explanation, by UPDATE or INSERT.
    let pool = app.db.pool();
    let update = sqlx::query(&format!(
        "UPDATE hearing_councils SET use_kind = 'not_used', use_text = 'Det passede ikke.' \
         WHERE hearing_id = {h3} AND council_id = {}",
        w.a.id.0
    ))
    .execute(pool)
    .await;
    assert!(update.is_err(), "not used without an explanation");
    let update = sqlx::query(&format!(
        "UPDATE hearing_councils SET use_kind = 'partly' WHERE hearing_id = {h3} AND council_id = {}",
        w.a.id.0
    ))
    .execute(pool)
    .await;
    assert!(update.is_err(), "partly without any text");
    let vote3 = app
        .count(&format!(
            "SELECT vote_id FROM hearing_councils WHERE hearing_id = {h3} AND council_id = {}",
            w.a.id.0
        ))
        .await;
    let other = app.council(RoleKind::Ungeraadsmedlem).await;
    let insert = sqlx::query(&format!(
        "INSERT INTO hearing_councils (hearing_id, council_id, status, response, vote_id, decided_at, \
         use_kind, use_text) VALUES ({h3}, {}, 'responded', '{DRAFT}', {vote3}, 1, 'not_used', '{}')",
        other.0,
        ".".repeat(300)
    ))
    .execute(pool)
    .await;
    assert!(insert.is_err(), "inserted feedback without an explanation");
    // The hearing cannot be marked as having feedback while a response has no use.
    let mark = sqlx::query(&format!(
        "UPDATE hearings SET status = 'feedback_given', decision_text = 'Udvalget besluttede noget.', \
         feedback_at = 1 WHERE id = {h3}"
    ))
    .execute(pool)
    .await;
    assert!(mark.is_err(), "feedback without a use");
    // With the explanation it goes through.
    let r = post_owned(
        &app,
        path::<PublishFeedback>(),
        &w.politician,
        &feedback_fields(h3, &w.a, "not_used", WHY),
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.body);

    // Input when the hearing does not allow it.
    let (_, young) = app.login_as("Freja", &[]).await;
    let r = app
        .post(
            path::<AddHearingInput>(),
            Some(&young),
            &[
                ("hearing_id", &h2.to_string()),
                ("body", "Jeg vil gerne have lys i parken."),
            ],
        )
        .await;
    assert_eq!(r.status, 409, "{}", r.body);
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) FROM hearing_inputs WHERE hearing_id = {h2}"
        ))
        .await,
        0
    );
    let direct = sqlx::query(&format!(
        "INSERT INTO hearing_inputs (hearing_id, author_id, body, anonymous, status, created_at) \
         VALUES ({h2}, (SELECT MIN(id) FROM users), 'Jeg vil gerne have lys.', 0, 'pending', 1)"
    ))
    .execute(pool)
    .await;
    assert!(direct.is_err(), "input to a hearing that takes none");
}

#[tokio::test]
async fn double_submits_do_one_thing() {
    let app = app().await;
    let w = world(&app).await;
    let title = format!("Skatepark {}", &email("dobbelt")[..24]);
    let token = app.form_token(Some(&w.politician)).await;
    let mut f = hearing_fields(&w, &title, false);
    f.push(("form_token", token));
    let first = post_owned(&app, path::<CreateHearing>(), &w.politician, &f).await;
    let second = post_owned(&app, path::<CreateHearing>(), &w.politician, &f).await;
    assert_eq!(first.status, 200, "{}", first.body);
    assert_eq!(second.status, 200, "{}", second.body);
    assert_eq!(first.body, second.body, "the replay gets the first hearing");
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) FROM hearings WHERE title = '{title}'"
        ))
        .await,
        1
    );
}

#[tokio::test]
async fn young_people_give_input_that_is_moderated_and_overdue_feedback_is_told() {
    let app = app().await;
    let w = world(&app).await;
    let h = send(&app, &w, true).await;
    let (_, young) = app.login_as("Freja", &[]).await;
    let give = |cookie: String, body: &'static str| {
        let app = &app;
        async move {
            app.post(
                path::<AddHearingInput>(),
                Some(&cookie),
                &[
                    ("hearing_id", &h.to_string()),
                    ("body", body),
                    ("anonymous", "1"),
                ],
            )
            .await
            .status
        }
    };
    // A member of an asked council speaks through the council.
    assert_eq!(
        give(w.a.members[0].1.clone(), "Jeg vil have lys i parken.").await,
        403
    );
    assert_eq!(
        give(w.politician.clone(), "Jeg vil have lys i parken.").await,
        403
    );
    assert_eq!(give(young.clone(), "Kort").await, 422);
    assert_eq!(
        give(
            young.clone(),
            "Lys og tag over, tak — vi er der om vinteren."
        )
        .await,
        200
    );
    assert_eq!(
        give(young.clone(), "En gang til, med andre ord.").await,
        409
    );
    let id = app
        .count(&format!(
            "SELECT MAX(id) FROM hearing_inputs WHERE hearing_id = {h}"
        ))
        .await;
    // Pending input is not public.
    let r = app
        .post(path::<GetHearing>(), None, &[("id", &h.to_string())])
        .await;
    assert!(!r.body.contains("vi er der om vinteren"));
    // Another young person may not moderate it; the sender may.
    let moderate = |cookie: String| {
        let app = &app;
        async move {
            app.post(
                path::<ModerateHearingInput>(),
                Some(&cookie),
                &[("input_id", &id.to_string()), ("decision", "approve")],
            )
            .await
            .status
        }
    };
    assert_eq!(moderate(w.a.chair.clone()).await, 403);
    assert_eq!(moderate(w.politician.clone()).await, 200);
    assert_eq!(moderate(w.politician.clone()).await, 409);
    let r = app
        .post(path::<GetHearing>(), None, &[("id", &h.to_string())])
        .await;
    let v = r.json();
    let inputs = v["inputs"].as_array().cloned().unwrap_or_default();
    assert_eq!(inputs.len(), 1);
    assert_eq!(inputs[0]["author"], serde_json::Value::Null, "anonymous");
    assert!(r.body.contains("vi er der om vinteren"));

    // Feedback past due: the sender and the coordinator are told, once.
    let now = chrono::Utc::now();
    let us = |d: i64| (now + chrono::Duration::days(d)).timestamp_micros();
    sqlx::query(&format!(
        "UPDATE hearings SET respond_by = {}, decision_at = {}, feedback_by = {} WHERE id = {h}",
        us(-40),
        us(-30),
        // Two days late, less an hour: "2 days overdue" however long the test takes.
        us(-2) + 3_600_000_000
    ))
    .execute(app.db.pool())
    .await
    .expect("move the dates");
    let sent = app::ssr::db::hearings::send_overdue(app.db.pool(), now)
        .await
        .expect("overdue");
    assert!(sent >= 1);
    let told = notes(&app, h, "hearing_overdue").await;
    assert!(told >= 1, "the sender at least");
    app::ssr::db::hearings::send_overdue(app.db.pool(), now)
        .await
        .expect("overdue again");
    assert_eq!(notes(&app, h, "hearing_overdue").await, told);
    let r = app
        .post(path::<GetHearing>(), None, &[("id", &h.to_string())])
        .await;
    assert_eq!(r.json()["phase"]["FeedbackOverdue"]["days"], 2);
    // The input's author hears of the feedback once it is published.
    let r = post_owned(
        &app,
        path::<PublishFeedback>(),
        &w.politician,
        &[
            ("hearing_id", h.to_string()),
            (
                "decision_text",
                "Udvalget besluttede at vente et år med skateparken.".to_owned(),
            ),
        ],
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(notes(&app, h, "hearing_feedback").await, 6);
}
