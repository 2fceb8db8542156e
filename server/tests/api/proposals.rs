//! Proposals over HTTP: submit, drafts, list, page, support, follow, comments,
//! moderation, notifications — on SQLite and (with DATABASE_URL) PostgreSQL.
use crate::common::{app, email, path, TestApp};
use app::api::{
    accounts::Logout,
    moderation::{ApproveProposal, HideContent, ModerationQueue, ReportContent, SetPreModeration},
    notifications::{ListNotifications, MarkRead},
    proposals::{
        AddComment, FollowProposal, GetProposal, ListProposals, SaveProposal, SupportProposal,
        UnsupportProposal,
    },
};
use app::domain::account::RoleKind;
use app::domain::ids::{CouncilId, ProposalId, UserId};
use app::domain::proposal::{Answer, TRANSITIONS};
use app::ssr::db::proposals::{self, Step};

const BODY: &str = "Vi vil gerne have flere bænke og bedre lys ved skaterbanen i byen.";

/// A young person with a fresh Ungeråd to send proposals to, logged in.
struct Youth {
    id: UserId,
    cookie: String,
    council: CouncilId,
}

async fn youth(app: &TestApp) -> Youth {
    let mail = email("ung");
    let id = app.user("Sofie", &mail, &[]).await;
    let council = app.council(RoleKind::Ungeraadsmedlem).await;
    let cookie = app.login(&mail, crate::common::PASSWORD).await;
    Youth {
        id,
        cookie,
        council,
    }
}

async fn other(app: &TestApp, roles: &[RoleKind]) -> (UserId, String) {
    let mail = email("anden");
    let id = app.user("Anden", &mail, roles).await;
    let cookie = app.login(&mail, crate::common::PASSWORD).await;
    (id, cookie)
}

async fn submit(app: &TestApp, y: &Youth, title: &str, body: &str) -> ProposalId {
    let council = y.council.0.to_string();
    let r = app
        .post(
            path::<SaveProposal>(),
            Some(&y.cookie),
            &[
                ("title", title),
                ("body", body),
                ("theme", "fritid_kultur"),
                ("council_id", &council),
                ("show_name", "1"),
                ("intent", "submit"),
            ],
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    ProposalId(r.body.trim().parse().expect("id"))
}

async fn list(app: &TestApp, council: CouncilId, extra: &[(&str, &str)]) -> serde_json::Value {
    let council = council.0.to_string();
    let mut fields = vec![
        ("sort", ""),
        ("stage", ""),
        ("theme", ""),
        ("council", council.as_str()),
        ("q", ""),
        ("after", ""),
    ];
    for (k, v) in extra {
        if let Some(f) = fields.iter_mut().find(|(fk, _)| fk == k) {
            f.1 = v;
        }
    }
    let r = app.post(path::<ListProposals>(), None, &fields).await;
    assert_eq!(r.status, 200, "{}", r.body);
    r.json()
}

fn titles(page: &serde_json::Value) -> Vec<String> {
    page["items"]
        .as_array()
        .map(|a| {
            a.iter()
                .map(|i| i["title"].as_str().unwrap_or_default().to_owned())
                .collect()
        })
        .unwrap_or_default()
}

async fn own_count(app: &TestApp, author: UserId) -> i64 {
    app.count(&format!(
        "SELECT COUNT(*) FROM proposals WHERE author_id = {}",
        author.0
    ))
    .await
}

#[tokio::test]
async fn submit_list_and_page() {
    let app = app().await;
    let y = youth(&app).await;
    let id = submit(&app, &y, "Flere bænke ved skaterbanen", BODY).await;
    let page = list(&app, y.council, &[]).await;
    assert_eq!(titles(&page), vec!["Flere bænke ved skaterbanen"]);
    assert_eq!(page["items"][0]["author"]["Named"], "Sofie");
    let (status, html) = app.get(&format!("/forslag/{}", id.0)).await;
    assert_eq!(status, 200);
    assert!(html.contains("Flere bænke ved skaterbanen"));
    assert!(html.contains("Sendt — venter på at komme på rådets dagsorden"));
    assert!(
        html.contains("Sendt til rådet"),
        "timeline shows the submission"
    );
}

#[tokio::test]
async fn bad_input_is_refused_per_field_and_nothing_is_stored() {
    let app = app().await;
    let y = youth(&app).await;
    let council = y.council.0.to_string();
    let long = "x".repeat(5001);
    let cases: [(&str, &str, &str, &str, &str); 6] = [
        ("Hej", BODY, "andet", &council, "title"),
        ("   \u{200B}\u{202E}   ", BODY, "andet", &council, "title"),
        ("Et fint forslag", "for kort", "andet", &council, "body"),
        ("Et fint forslag", &long, "andet", &council, "body"),
        (
            "Et fint forslag",
            BODY,
            "'; DROP TABLE proposals; --",
            &council,
            "theme",
        ),
        ("Et fint forslag", BODY, "andet", "999999999", "council_id"),
    ];
    for (title, body, theme, council_id, field) in cases {
        let r = app
            .post(
                path::<SaveProposal>(),
                Some(&y.cookie),
                &[
                    ("title", title),
                    ("body", body),
                    ("theme", theme),
                    ("council_id", council_id),
                    ("intent", "submit"),
                ],
            )
            .await;
        assert_eq!(r.status, 422, "{field}: {}", r.body);
        assert!(r.body.contains(field), "{field}: {}", r.body);
    }
    assert_eq!(own_count(&app, y.id).await, 0);
}

#[tokio::test]
async fn only_young_people_with_active_accounts_submit() {
    let app = app().await;
    let y = youth(&app).await;
    let council = y.council.0.to_string();
    let fields = [
        ("title", "Et fint forslag"),
        ("body", BODY),
        ("theme", "andet"),
        ("council_id", council.as_str()),
        ("intent", "submit"),
    ];
    let r = app.post(path::<SaveProposal>(), None, &fields).await;
    assert_eq!(r.status, 401);
    // Staff (a politician) are not young people.
    let mail = email("politiker");
    let staff = app.db.pool().clone();
    let hash = app::ssr::password::hash(crate::common::PASSWORD.into())
        .await
        .expect("hash");
    let pid = app::ssr::db::users::create(
        &staff,
        app::ssr::db::users::NewUser {
            first_name: "Mette",
            email: &mail,
            birth_year: 1975,
            password_hash: &hash,
            status: app::domain::account::AccountStatus::Active,
            school_id: None,
            youth: false,
        },
    )
    .await
    .expect("user");
    app::ssr::db::users::grant(&staff, pid, RoleKind::Politiker, None, None, pid)
        .await
        .expect("grant");
    let cookie = app.login(&mail, crate::common::PASSWORD).await;
    let r = app
        .post(path::<SaveProposal>(), Some(&cookie), &fields)
        .await;
    assert_eq!(r.status, 403, "{}", r.body);
    assert_eq!(own_count(&app, pid).await, 0);
}

#[tokio::test]
async fn drafts_are_private_until_submitted() {
    let app = app().await;
    let y = youth(&app).await;
    let council = y.council.0.to_string();
    let r = app
        .post(
            path::<SaveProposal>(),
            Some(&y.cookie),
            &[
                ("title", "Halv idé"),
                ("body", "kort"),
                ("theme", "andet"),
                ("council_id", &council),
                ("intent", "draft"),
            ],
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    let id: i64 = r.body.trim().parse().expect("id");
    assert_eq!(
        r.location.as_deref(),
        Some(format!("/forslag/{id}/rediger?gemt=1").as_str())
    );
    assert!(titles(&list(&app, y.council, &[]).await).is_empty());
    let (_, other_cookie) = other(&app, &[]).await;
    let r = app
        .post(
            path::<GetProposal>(),
            Some(&other_cookie),
            &[("id", &id.to_string())],
        )
        .await;
    assert_eq!(r.status, 404);
    let r = app
        .post(
            path::<GetProposal>(),
            Some(&y.cookie),
            &[("id", &id.to_string())],
        )
        .await;
    assert_eq!(r.status, 200);
    // Someone else cannot edit it.
    let r = app
        .post(
            path::<SaveProposal>(),
            Some(&other_cookie),
            &[
                ("id", &id.to_string()),
                ("title", "Overtaget forslag"),
                ("body", BODY),
                ("theme", "andet"),
                ("council_id", &council),
                ("intent", "submit"),
            ],
        )
        .await;
    assert!(
        r.status == 404 || r.status == 422,
        "{} {}",
        r.status,
        r.body
    );
    // Finishing it needs the full rules; then it is public.
    let finish = |body: &'static str| {
        [
            ("id", id.to_string()),
            ("title", "Hel idé nu".to_owned()),
            ("body", body.to_owned()),
            ("theme", "andet".to_owned()),
            ("council_id", council.clone()),
            ("intent", "submit".to_owned()),
        ]
    };
    let short = finish("kort");
    let fields: Vec<(&str, &str)> = short.iter().map(|(k, v)| (*k, v.as_str())).collect();
    assert_eq!(
        app.post(path::<SaveProposal>(), Some(&y.cookie), &fields)
            .await
            .status,
        422
    );
    let ok = finish(BODY);
    let fields: Vec<(&str, &str)> = ok.iter().map(|(k, v)| (*k, v.as_str())).collect();
    assert_eq!(
        app.post(path::<SaveProposal>(), Some(&y.cookie), &fields)
            .await
            .status,
        200
    );
    assert_eq!(
        titles(&list(&app, y.council, &[]).await),
        vec!["Hel idé nu"]
    );
}

#[tokio::test]
async fn twenty_concurrent_supports_make_one() {
    let app = app().await;
    let y = youth(&app).await;
    let id = submit(&app, &y, "Støt mig gerne", BODY).await;
    let (supporter, cookie) = other(&app, &[]).await;
    let pid = id.0.to_string();
    let fields = [("proposal_id", pid.as_str())];
    let posts = (0..20).map(|_| app.post(path::<SupportProposal>(), Some(&cookie), &fields));
    let replies = futures::future::join_all(posts).await;
    for r in &replies {
        assert_eq!(r.status, 200, "{}", r.body);
    }
    let rows = app
        .count(&format!(
            "SELECT COUNT(*) FROM proposal_supports WHERE proposal_id = {} AND user_id = {}",
            id.0, supporter.0
        ))
        .await;
    let stored = app
        .count(&format!(
            "SELECT supporters FROM proposals WHERE id = {}",
            id.0
        ))
        .await;
    assert_eq!((rows, stored), (1, 1));
    // Withdrawing brings it back to 0; withdrawing again changes nothing.
    for _ in 0..2 {
        let r = app
            .post(
                path::<UnsupportProposal>(),
                Some(&cookie),
                &[("proposal_id", &pid)],
            )
            .await;
        assert_eq!(r.status, 200);
        assert_eq!(r.body.trim(), "0");
    }
    // The author cannot support their own proposal.
    let r = app
        .post(
            path::<SupportProposal>(),
            Some(&y.cookie),
            &[("proposal_id", &pid)],
        )
        .await;
    assert_eq!(r.status, 422, "{}", r.body);
    // Anonymous callers cannot support.
    let r = app
        .post(path::<SupportProposal>(), None, &[("proposal_id", &pid)])
        .await;
    assert_eq!(r.status, 401);
    let stored = app
        .count(&format!(
            "SELECT supporters FROM proposals WHERE id = {}",
            id.0
        ))
        .await;
    assert_eq!(stored, 0);
}

#[tokio::test]
async fn hostile_html_renders_as_text() {
    let app = app().await;
    let y = youth(&app).await;
    let body = "Se her: <script>alert(1)</script> og <img src=x onerror=alert(2)> slut.";
    let id = submit(
        &app,
        &y,
        "<b>Fed</b></title><script>alert(4)</script>",
        body,
    )
    .await;
    let (_, cookie) = other(&app, &[]).await;
    let r = app
        .post(
            path::<AddComment>(),
            Some(&cookie),
            &[
                ("proposal_id", &id.0.to_string()),
                ("body", "<script>alert(3)</script>"),
            ],
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    let (status, html) = app.get(&format!("/forslag/{}", id.0)).await;
    assert_eq!(status, 200);
    assert!(
        !html.contains("<script>alert"),
        "script tag rendered as HTML"
    );
    assert!(!html.contains("<img src=x"), "img tag rendered as HTML");
    assert!(!html.contains("<b>Fed</b>"), "title rendered as HTML");
    assert!(
        html.contains("<title>&lt;b&gt;Fed&lt;/b&gt;&lt;/title&gt;&lt;script&gt;alert(4)"),
        "page title escaped"
    );
    assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
    assert!(html.contains("&lt;img src=x onerror=alert(2)&gt;"));
    assert!(html.contains("&lt;script&gt;alert(3)&lt;/script&gt;"));
}

#[tokio::test]
async fn keyset_pages_cover_everything_once() {
    let app = app().await;
    let y = youth(&app).await;
    proposals::insert_many(app.db.pool(), y.id, y.council, 45)
        .await
        .expect("seed");
    let mut seen = Vec::new();
    let mut after = String::new();
    let mut sizes = Vec::new();
    loop {
        let page = list(&app, y.council, &[("after", &after)]).await;
        let t = titles(&page);
        sizes.push(t.len());
        seen.extend(t);
        match page["next"].as_object() {
            Some(n) => after = format!("{}_{}", n["key"], n["id"]),
            None => break,
        }
    }
    assert_eq!(sizes, vec![20, 20, 5]);
    let mut unique = seen.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(unique.len(), 45);
    assert_eq!(
        seen.first().map(String::as_str),
        Some("Forslag nummer 44"),
        "newest first"
    );
    // A forged cursor is refused.
    let r = app
        .post(
            path::<ListProposals>(),
            None,
            &[
                ("sort", ""),
                ("stage", ""),
                ("theme", ""),
                ("council", ""),
                ("q", ""),
                ("after", "1 OR 1=1"),
            ],
        )
        .await;
    assert_eq!(r.status, 422);
}

#[tokio::test]
async fn search_and_filters() {
    let app = app().await;
    let y = youth(&app).await;
    submit(
        &app,
        &y,
        "Cykelstier til skolen",
        "Vi ønsker sikre cykelstier hele vejen til skolen om morgenen.",
    )
    .await;
    submit(
        &app,
        &y,
        "Gratis busser",
        "Busserne om aftenen er for dyre for unge, der går til sport.",
    )
    .await;
    let hits = |q: &'static str| {
        let app = &app;
        let council = y.council;
        async move { titles(&list(app, council, &[("q", q)]).await) }
    };
    assert_eq!(
        hits("cykelsti").await,
        vec!["Cykelstier til skolen"],
        "prefix match"
    );
    assert_eq!(
        hits("BUSSER aftenen").await,
        vec!["Gratis busser"],
        "all words, any case"
    );
    assert!(hits("busser cykelstier").await.is_empty());
    assert_eq!(
        hits("\"sport*\" (aftenen)").await,
        vec!["Gratis busser"],
        "syntax is ignored"
    );
    assert!(hits("'; DROP TABLE proposals; --").await.is_empty());
    assert_eq!(
        titles(&list(&app, y.council, &[("theme", "by_natur")]).await),
        Vec::<String>::new()
    );
    assert_eq!(
        titles(&list(&app, y.council, &[("stage", "submitted")]).await).len(),
        2
    );
}

#[tokio::test]
async fn the_database_refuses_illegal_states() {
    let app = app().await;
    let y = youth(&app).await;
    let id = submit(&app, &y, "Et lovligt forslag", BODY).await;
    let pool = app.db.pool();
    let exec = |sql: String| async move { sqlx::query(&sql).execute(pool).await };
    // Skipping steps: submitted → answered.
    assert!(exec(format!(
        "UPDATE proposals SET status = 'answered', answer = 'ja', answered_at = 1, committee = 'x', deadline_at = 1 WHERE id = {}",
        id.0
    ))
    .await
    .is_err());
    // Back to draft.
    assert!(exec(format!(
        "UPDATE proposals SET status = 'draft', submitted_at = NULL WHERE id = {}",
        id.0
    ))
    .await
    .is_err());
    // Submitted proposals cannot be deleted.
    assert!(exec(format!("DELETE FROM proposals WHERE id = {}", id.0))
        .await
        .is_err());
    // A council rejection without an explanation.
    proposals::step(
        pool,
        id,
        Step::PutOnAgenda {
            council: y.council,
            meeting: None,
            meeting_id: None,
        },
        None,
        chrono::Utc::now(),
    )
    .await
    .expect("on agenda");
    assert!(exec(format!(
        "UPDATE proposals SET status = 'rejected_by_council' WHERE id = {}",
        id.0
    ))
    .await
    .is_err());
    // The timeline is append-only.
    assert!(exec(format!(
        "UPDATE proposal_events SET at = 0 WHERE proposal_id = {}",
        id.0
    ))
    .await
    .is_err());
    assert!(exec(format!(
        "DELETE FROM proposal_events WHERE proposal_id = {}",
        id.0
    ))
    .await
    .is_err());
    // The domain's legal steps are exactly the database's.
    let rows: Vec<(String, String)> =
        sqlx::query_as("SELECT from_status, to_status FROM proposal_transitions")
            .fetch_all(pool)
            .await
            .expect("transitions");
    let mut db: Vec<(String, String)> = rows;
    db.sort();
    let mut domain: Vec<(String, String)> = TRANSITIONS
        .iter()
        .map(|(a, b)| (a.as_str().to_owned(), b.as_str().to_owned()))
        .collect();
    domain.sort();
    assert_eq!(db, domain);
    // And the step function refuses an illegal step too.
    let answer = Answer::Ja { note: None };
    assert!(proposals::step(
        pool,
        id,
        Step::Answer {
            committee: "Udvalget".into(),
            answer,
            reason: None,
            by: "Mette".into(),
        },
        None,
        chrono::Utc::now()
    )
    .await
    .is_err());
}

#[tokio::test]
async fn followers_and_author_are_notified() {
    let app = app().await;
    let y = youth(&app).await;
    let id = submit(&app, &y, "Følg med her", BODY).await;
    let (_, follower) = other(&app, &[]).await;
    let (_, bystander) = other(&app, &[]).await;
    let r = app
        .post(
            path::<FollowProposal>(),
            Some(&follower),
            &[("proposal_id", &id.0.to_string()), ("follow", "1")],
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    let pool = app.db.pool();
    let vote = app.passed_vote(id, y.council, chrono::Utc::now()).await;
    proposals::step(
        pool,
        id,
        Step::Decide {
            council: y.council,
            decision: app::domain::proposal::CouncilDecision::Forwarded {
                committee: app::ssr::db::answers::ensure_committee(pool, "Børne- og Ungeudvalget")
                    .await
                    .expect("committee"),
                deadline: chrono::Utc::now() + chrono::Duration::weeks(8),
            },
            vote: Some(vote),
        },
        None,
        chrono::Utc::now(),
    )
    .await
    .expect("forward");
    for (cookie, expected) in [(&y.cookie, 2), (&follower, 2), (&bystander, 0)] {
        assert_eq!(app.me(Some(cookie)).await["unread"], expected);
    }
    let r = app
        .post(path::<ListNotifications>(), Some(&follower), &[])
        .await;
    let items = r.json()["items"].as_array().cloned().unwrap_or_default();
    assert_eq!(items.len(), 2);
    assert_eq!(items[0]["kind"], "Forwarded");
    // The bell shows the count in the header.
    let (_, html) = app.get_with("/forslag", &[("cookie", &follower)]).await;
    assert!(
        html.contains(r#"class="bell__count">2<"#),
        "bell count in header"
    );
    // Mark one, then all, as read.
    let first = items[0]["id"].to_string();
    app.post(path::<MarkRead>(), Some(&follower), &[("id", &first)])
        .await;
    assert_eq!(app.me(Some(&follower)).await["unread"], 1);
    app.post(path::<MarkRead>(), Some(&follower), &[]).await;
    assert_eq!(app.me(Some(&follower)).await["unread"], 0);
    // The timeline shows the vote (its ballots: one For) and the deadline.
    let (_, html) = app.get(&format!("/forslag/{}", id.0)).await;
    assert!(
        html.contains("Afstemning: 1 for, 0 imod, 0 undlod"),
        "vote on the timeline"
    );
    assert!(html.contains("Venter på svar fra politikerne — svarfrist"));
}

#[tokio::test]
async fn reports_hiding_and_pre_moderation() {
    // Its own database: pre-moderation is a setting of the whole installation, and on the
    // shared PostgreSQL database a proposal submitted by another test while it is on
    // waits for approval and is missing from that test's list.
    let app = crate::common::app_isolated().await;
    let y = youth(&app).await;
    let id = submit(&app, &y, "Noget upassende", BODY).await;
    let pid = id.0.to_string();
    let (_, reporter) = other(&app, &[]).await;
    let (_, moderator) = other(&app, &[RoleKind::Moderator]).await;
    let (_, coordinator) = other(&app, &[RoleKind::Sekretariat]).await;
    // Report: a reason is required; the same report twice is stored once.
    let r = app
        .post(
            path::<ReportContent>(),
            Some(&reporter),
            &[("proposal_id", &pid), ("reason", "")],
        )
        .await;
    assert_eq!(r.status, 422);
    for _ in 0..2 {
        let r = app
            .post(
                path::<ReportContent>(),
                Some(&reporter),
                &[("proposal_id", &pid), ("reason", "Det er reklame")],
            )
            .await;
        assert_eq!(r.status, 200, "{}", r.body);
    }
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) FROM reports WHERE proposal_id = {pid}"
        ))
        .await,
        1
    );
    assert_eq!(
        app.post(
            path::<ReportContent>(),
            None,
            &[("proposal_id", &pid), ("reason", "Det er reklame")]
        )
        .await
        .status,
        401
    );
    // Only moderators see the queue and hide.
    assert_eq!(
        app.post(path::<ModerationQueue>(), Some(&reporter), &[])
            .await
            .status,
        403
    );
    let q = app
        .post(path::<ModerationQueue>(), Some(&moderator), &[])
        .await;
    assert_eq!(q.status, 200);
    assert!(q.body.contains("Noget upassende"));
    let hide = [
        ("proposal_id", pid.as_str()),
        ("reason", "Reklame for en butik"),
    ];
    assert_eq!(
        app.post(path::<HideContent>(), Some(&reporter), &hide)
            .await
            .status,
        403
    );
    assert_eq!(
        app.post(path::<HideContent>(), Some(&moderator), &hide)
            .await
            .status,
        200
    );
    let (_, html) = app.get(&format!("/forslag/{pid}")).await;
    assert!(html.contains("Skjult af moderator"));
    assert!(html.contains("Reklame for en butik"));
    assert!(
        !html.contains("Noget upassende"),
        "the hidden title is not shown"
    );
    assert!(titles(&list(&app, y.council, &[]).await).is_empty());
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) FROM reports WHERE proposal_id = {pid} AND resolved_at IS NULL"
        ))
        .await,
        0
    );
    assert_eq!(
        app.me(Some(&y.cookie)).await["unread"],
        1,
        "the author is told"
    );

    // Pre-moderation: only the coordinator switches it.
    assert_eq!(
        app.post(
            path::<SetPreModeration>(),
            Some(&moderator),
            &[("on", "on")]
        )
        .await
        .status,
        403
    );
    assert_eq!(
        app.post(
            path::<SetPreModeration>(),
            Some(&coordinator),
            &[("on", "on")]
        )
        .await
        .status,
        200
    );
    let waiting = submit(&app, &y, "Venter på godkendelse", BODY).await;
    let wid = waiting.0.to_string();
    // Switched off again: what was submitted while it was on still waits.
    assert_eq!(
        app.post(
            path::<SetPreModeration>(),
            Some(&coordinator),
            &[("on", "off")]
        )
        .await
        .status,
        200
    );
    assert!(titles(&list(&app, y.council, &[]).await).is_empty());
    assert_eq!(
        app.post(path::<GetProposal>(), Some(&reporter), &[("id", &wid)])
            .await
            .status,
        404
    );
    assert_eq!(
        app.post(path::<GetProposal>(), Some(&y.cookie), &[("id", &wid)])
            .await
            .status,
        200
    );
    assert_eq!(
        app.post(
            path::<SupportProposal>(),
            Some(&reporter),
            &[("proposal_id", &wid)]
        )
        .await
        .status,
        404
    );
    assert_eq!(
        app.post(
            path::<ApproveProposal>(),
            Some(&reporter),
            &[("proposal_id", &wid)]
        )
        .await
        .status,
        403
    );
    assert_eq!(
        app.post(
            path::<ApproveProposal>(),
            Some(&moderator),
            &[("proposal_id", &wid)]
        )
        .await
        .status,
        200
    );
    assert_eq!(
        titles(&list(&app, y.council, &[]).await),
        vec!["Venter på godkendelse"]
    );
}

#[tokio::test]
async fn comments_and_their_moderation() {
    let app = app().await;
    let y = youth(&app).await;
    let id = submit(&app, &y, "Kommentér gerne", BODY).await;
    let pid = id.0.to_string();
    let (_, c) = other(&app, &[]).await;
    let (_, moderator) = other(&app, &[RoleKind::Moderator]).await;
    assert_eq!(
        app.post(
            path::<AddComment>(),
            Some(&c),
            &[("proposal_id", &pid), ("body", " \u{200B} ")]
        )
        .await
        .status,
        422
    );
    assert_eq!(
        app.post(
            path::<AddComment>(),
            None,
            &[("proposal_id", &pid), ("body", "Hej med jer")]
        )
        .await
        .status,
        401
    );
    assert_eq!(
        app.post(
            path::<AddComment>(),
            Some(&c),
            &[("proposal_id", &pid), ("body", "Køb ting på spam.dk")]
        )
        .await
        .status,
        200
    );
    let comment = app
        .count(&format!(
            "SELECT MAX(id) FROM comments WHERE proposal_id = {pid}"
        ))
        .await
        .to_string();
    assert_eq!(
        app.count(&format!(
            "SELECT comment_count FROM proposals WHERE id = {pid}"
        ))
        .await,
        1
    );
    let r = app
        .post(
            path::<ReportContent>(),
            Some(&y.cookie),
            &[
                ("proposal_id", &pid),
                ("comment_id", &comment),
                ("reason", "Det er spam"),
            ],
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    let r = app
        .post(
            path::<HideContent>(),
            Some(&moderator),
            &[
                ("proposal_id", &pid),
                ("comment_id", &comment),
                ("reason", "Spam og reklame"),
            ],
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    let (_, html) = app.get(&format!("/forslag/{pid}")).await;
    assert!(html.contains("Skjult af moderator"));
    assert!(html.contains("Spam og reklame"));
    assert!(!html.contains("spam.dk"));
}

/// The nonce of a page: the one its CSP header names, which must be the only one its
/// scripts carry.
fn page_nonce(res: &axum::http::Response<axum::body::Body>) -> String {
    let csp = res.headers()["content-security-policy"].to_str().unwrap();
    let nonce = csp
        .split("'nonce-")
        .nth(1)
        .unwrap()
        .split('\'')
        .next()
        .unwrap();
    nonce.to_owned()
}

async fn anonymous_list(app: &TestApp, uri: &str, cookie: Option<&str>) -> (bool, String, String) {
    let mut req = axum::http::Request::get(uri);
    if let Some(c) = cookie {
        req = req.header("cookie", c);
    }
    let res = app.send(req.body(axum::body::Body::empty()).unwrap()).await;
    assert_eq!(res.status(), 200);
    let hit = res
        .headers()
        .get(server::page_cache::CACHE_HEADER)
        .is_some();
    let nonce = page_nonce(&res);
    let html = crate::common::body_text(res).await;
    assert_eq!(
        html.matches(&format!("nonce=\"{nonce}\"")).count(),
        html.matches("nonce=\"").count(),
        "every script carries the header's nonce"
    );
    (hit, nonce, html)
}

#[tokio::test]
async fn the_anonymous_list_is_cached_with_a_fresh_nonce_and_never_stale() {
    let app = app().await;
    let y = youth(&app).await;
    let id = submit(&app, &y, "Cache mig ikke forkert", BODY).await;
    let uri = format!("/forslag?raad={}", y.council.0);
    let card = |html: &str| {
        let at = html.find("Cache mig ikke forkert").expect("card");
        let rest = &html[at..];
        let s = rest.find("data-testid=\"supporters\">").expect("count") + 25;
        rest[s..s + rest[s..].find('<').unwrap()].to_owned()
    };

    let (hit1, nonce1, html1) = anonymous_list(&app, &uri, None).await;
    let (hit2, nonce2, html2) = anonymous_list(&app, &uri, None).await;
    assert!(
        !hit1 && hit2,
        "the second anonymous request is served from the cache"
    );
    assert_ne!(nonce1, nonce2, "each response has a nonce of its own");
    assert_eq!(html1.replace(&nonce1, "N"), html2.replace(&nonce2, "N"));
    assert_eq!(card(&html2), "0");

    // Logged in: the same kept page with the member's own menu put in (#24), and the
    // member's menu is never served to anyone else.
    let (_, cookie) = other(&app, &[]).await;
    let session = cookie.split(';').next().unwrap().to_owned();
    let (hit, _, html) = anonymous_list(&app, &uri, Some(&session)).await;
    assert!(hit);
    assert!(html.contains(path::<Logout>()) && html.contains("Log ud"));

    // A support made through the server shows on the very next anonymous request.
    let pid = id.0.to_string();
    let r = app
        .post(
            path::<SupportProposal>(),
            Some(&cookie),
            &[("proposal_id", &pid)],
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    let (hit, _, html) = anonymous_list(&app, &uri, None).await;
    assert!(!hit, "a change empties the cache");
    assert_eq!(card(&html), "1");
    let (hit, _, html) = anonymous_list(&app, &uri, None).await;
    assert!(hit);
    assert_eq!(card(&html), "1");
    assert!(!html.contains("Log ud"), "the member's page was not cached");

    // English is cached apart from Danish.
    let (hit, _, html) = anonymous_list(&app, &uri, Some("i18n_pref_locale=en")).await;
    assert!(!hit);
    assert!(html.contains(r#"lang="en""#));
    let (hit, _, html) = anonymous_list(&app, &uri, Some("i18n_pref_locale=en")).await;
    assert!(hit && html.contains(r#"lang="en""#));
    let (_, _, html) = anonymous_list(&app, &uri, None).await;
    assert!(html.contains(r#"lang="da""#));

    // A change made behind the server's back (another instance): the first request after
    // the TTL renders the page anew.
    sqlx::query("UPDATE proposals SET supporters = 7 WHERE id = $1")
        .bind(id.0)
        .execute(app.db.pool())
        .await
        .unwrap();
    tokio::time::sleep(server::PAGE_CACHE_TTL).await;
    let (hit, _, html) = anonymous_list(&app, &uri, None).await;
    assert!(!hit);
    assert_eq!(card(&html), "7");
}
