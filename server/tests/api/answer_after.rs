//! After the answer: follow-up notes, "Forstod du svaret?" and clarifications, the
//! reminder task, and the "Bliver vi hørt?" overview checked against a known data set.
use crate::answers::{forwarded, COMMITTEE, LONG};
use crate::common::{app, path, TestApp};
use app::api::{
    answers::{AddFollowUp, AnswerUnderstood, ClarifyAnswer, GetHeardOverview, GetInbox},
    proposals::GetProposal,
};
use app::domain::account::RoleKind;
use app::domain::ids::{CouncilId, ProposalId, UserId};
use app::domain::proposal::{
    Answer, AnswerReason, Explanation, Intent, ProposalContent, Theme, Visibility,
};
use app::ssr::db::{
    answers,
    proposals::{self, Step},
    supports,
};
use chrono::{DateTime, TimeZone, Utc};

async fn answer_with(app: &TestApp, p: ProposalId, answer: Answer, at: DateTime<Utc>) {
    let reason = (!matches!(answer, Answer::Ja { .. })).then_some(AnswerReason::Oekonomi);
    proposals::step(
        app.db.pool(),
        p,
        Step::Answer {
            committee: COMMITTEE.into(),
            answer,
            reason,
            by: "Mette (Børne- og Ungeudvalget)".into(),
        },
        None,
        at,
    )
    .await
    .expect("answer");
}

fn nej() -> Answer {
    Answer::Nej(Explanation::new(LONG).expect("explanation"))
}

async fn notifications(app: &TestApp, p: ProposalId, kind: &str) -> i64 {
    app.count(&format!(
        "SELECT COUNT(*) FROM notifications WHERE proposal_id = {} AND kind = '{kind}'",
        p.0
    ))
    .await
}

/// (notifications of `kind` on `p` for `user`, duplicates of any user) — exact even while
/// other tests add users to the shared committee (PostgreSQL runs them in one database).
async fn sent_to(app: &TestApp, p: ProposalId, kind: &str, user: UserId) -> (i64, i64) {
    let mine = app
        .count(&format!(
            "SELECT COUNT(*) FROM notifications WHERE proposal_id = {} AND kind = '{kind}' AND user_id = {}",
            p.0, user.0
        ))
        .await;
    let duplicates = app
        .count(&format!(
            "SELECT COUNT(*) - COUNT(DISTINCT user_id) FROM notifications WHERE proposal_id = {} AND kind = '{kind}'",
            p.0
        ))
        .await;
    (mine, duplicates)
}

#[tokio::test]
async fn follow_up_after_ja_by_the_committee_only() {
    let app = app().await;
    let s = forwarded(&app).await;
    answer_with(&app, s.proposal, Answer::Ja { note: None }, Utc::now()).await;
    let id = s.proposal.0.to_string();
    let post = |cookie: Option<String>, state: &'static str, text: String| {
        let app = &app;
        let id = id.clone();
        async move {
            app.post(
                path::<AddFollowUp>(),
                cookie.as_deref(),
                &[
                    ("proposal_id", &id),
                    ("state", state),
                    ("explanation", &text),
                ],
            )
            .await
        }
    };
    let events_sql = format!(
        "SELECT COUNT(*) FROM proposal_events WHERE proposal_id = {id} AND kind = 'follow_up'"
    );
    let events = || app.count(&events_sql);
    let outsider = app.login_as("Ole", &[RoleKind::Politiker]).await.1;
    assert_eq!(
        post(None, "planlagt", "Vi går i gang i marts.".into())
            .await
            .status,
        401
    );
    assert_eq!(
        post(
            Some(s.author.clone()),
            "planlagt",
            "Vi går i gang i marts.".into()
        )
        .await
        .status,
        403
    );
    assert_eq!(
        post(Some(outsider), "planlagt", "Vi går i gang i marts.".into())
            .await
            .status,
        403
    );
    // Opgivet without a real explanation is refused, like a Nej.
    let r = post(
        Some(s.politician.clone()),
        "opgivet",
        "Det blev for dyrt.".into(),
    )
    .await;
    assert_eq!(r.status, 422, "{}", r.body);
    assert!(r.body.contains("mindst 200 tegn"), "{}", r.body);
    let r = post(
        Some(s.politician.clone()),
        "",
        "Vi går i gang i marts.".into(),
    )
    .await;
    assert_eq!(r.status, 422, "{}", r.body);
    assert_eq!(events().await, 0);
    assert_eq!(notifications(&app, s.proposal, "follow_up").await, 0);

    let r = post(
        Some(s.politician.clone()),
        "i_gang",
        "Vi går i gang i marts <b>med</b> at bygge.".into(),
    )
    .await;
    assert!(r.status < 400, "{} {}", r.status, r.body);
    let coordinator = app.login_as("Lars", &[RoleKind::Sekretariat]).await.1;
    let r = post(Some(coordinator), "opgivet", LONG.into()).await;
    assert!(r.status < 400, "{} {}", r.status, r.body);
    assert_eq!(events().await, 2);
    // The author hears about each.
    assert_eq!(notifications(&app, s.proposal, "follow_up").await, 2);
    let (_, html) = app.get(&format!("/forslag/{id}")).await;
    assert!(
        html.contains("I gang") && html.contains("Opgivet"),
        "timeline shows the states"
    );
    assert!(
        html.contains("&lt;b&gt;med&lt;/b&gt;"),
        "notes are text, never HTML"
    );
}

#[tokio::test]
async fn no_follow_up_after_nej() {
    let app = app().await;
    let s = forwarded(&app).await;
    answer_with(&app, s.proposal, nej(), Utc::now()).await;
    let r = app
        .post(
            path::<AddFollowUp>(),
            Some(&s.politician),
            &[
                ("proposal_id", &s.proposal.0.to_string()),
                ("state", "planlagt"),
                ("explanation", "Vi går i gang i marts."),
            ],
        )
        .await;
    assert_eq!(r.status, 409, "{}", r.body);
}

#[tokio::test]
async fn understood_clearer_request_and_clarification() {
    let app = app().await;
    let s = forwarded(&app).await;
    let p = s.proposal;
    let id = p.0.to_string();
    // Not answered yet: nothing to understand.
    let early = app
        .post(
            path::<AnswerUnderstood>(),
            Some(&s.author),
            &[("proposal_id", &id), ("understood", "ja")],
        )
        .await;
    assert_eq!(early.status, 403, "{}", early.body);
    answer_with(&app, p, nej(), Utc::now()).await;

    let (supporter_id, supporter) = app.login_as("Ali", &[]).await;
    supports::support(app.db.pool(), p, supporter_id)
        .await
        .expect("support");
    let (_, stranger) = app.login_as("Bo", &[]).await;
    let say = |cookie: String, understood: &'static str, clearer: &'static str| {
        let app = &app;
        let id = id.clone();
        async move {
            app.post(
                path::<AnswerUnderstood>(),
                Some(&cookie),
                &[
                    ("proposal_id", &id),
                    ("understood", understood),
                    ("clearer", clearer),
                ],
            )
            .await
        }
    };
    // Only the author and supporters may reply.
    assert_eq!(say(stranger.clone(), "ja", "").await.status, 403);
    assert_eq!(
        app.post(
            path::<AnswerUnderstood>(),
            None,
            &[("proposal_id", &id), ("understood", "ja")]
        )
        .await
        .status,
        401
    );
    assert_eq!(say(s.author.clone(), "kanske", "").await.status, 422);
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) FROM answer_feedback WHERE proposal_id = {id}"
        ))
        .await,
        0
    );

    assert!(say(supporter.clone(), "ja", "").await.status < 400);
    // Twenty identical "clearer answer" requests at once: one reply, one round of notifications.
    let replies =
        futures::future::join_all((0..20).map(|_| say(s.author.clone(), "nej", "1"))).await;
    assert!(
        replies.iter().all(|r| r.status < 400),
        "{:?}",
        replies.iter().map(|r| r.status).collect::<Vec<_>>()
    );
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) FROM answer_feedback WHERE proposal_id = {id}"
        ))
        .await,
        2
    );
    assert_eq!(
        sent_to(&app, p, "clearer_requested", s.politician_id).await,
        (1, 0),
        "one notification to the politician, none twice"
    );

    // The politician sees the request in the inbox and on the page.
    let inbox = app
        .post(path::<GetInbox>(), Some(&s.politician), &[])
        .await
        .json();
    let item = inbox["clearer"]
        .as_array()
        .expect("clearer list")
        .iter()
        .find(|c| c["id"] == p.0)
        .cloned()
        .expect("the request is in the inbox");
    assert_eq!(item["waiting"], 1);
    let detail = app
        .post(path::<GetProposal>(), Some(&s.author), &[("id", &id)])
        .await
        .json();
    assert_eq!(detail["feedback"]["understood"], 1);
    assert_eq!(detail["feedback"]["not_understood"], 1);
    assert_eq!(detail["feedback"]["mine_wants_clearer"], true);

    // Clarifying: the author may not, the politician may; too short is refused.
    let clarify = |cookie: String, text: String| {
        let app = &app;
        let id = id.clone();
        async move {
            app.post(
                path::<ClarifyAnswer>(),
                Some(&cookie),
                &[("proposal_id", &id), ("clarification", &text)],
            )
            .await
        }
    };
    assert_eq!(clarify(s.author.clone(), LONG.into()).await.status, 403);
    assert_eq!(
        clarify(s.politician.clone(), "   kort   ".into())
            .await
            .status,
        422
    );
    let r = clarify(
        s.politician.clone(),
        "Bussen koster 2 mio. kr. om året. Det har vi ikke råd til.".into(),
    )
    .await;
    assert!(r.status < 400, "{} {}", r.status, r.body);
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) FROM answer_feedback WHERE proposal_id = {id} AND wants_clearer = 1"
        ))
        .await,
        0,
        "the request is answered"
    );
    let listeners = app
        .count(&format!(
            "SELECT COUNT(*) FROM (SELECT author_id AS u FROM proposals WHERE id = {id} \
             UNION SELECT user_id FROM proposal_follows WHERE proposal_id = {id}) w"
        ))
        .await;
    assert_eq!(notifications(&app, p, "clarified").await, listeners);
    let (_, html) = app.get(&format!("/forslag/{id}")).await;
    assert!(
        html.contains("Det har vi ikke råd til."),
        "the clarification is public"
    );
    assert!(html
        .replace("<!>", "")
        .contains("50 % af dem, der har svaret, forstod svaret"));
    let inbox = app
        .post(path::<GetInbox>(), Some(&s.politician), &[])
        .await
        .json();
    assert!(!inbox["clearer"]
        .as_array()
        .expect("list")
        .iter()
        .any(|c| c["id"] == p.0));
}

/// Creates a submitted proposal at `at` by `author` to `council`.
async fn submitted_at(
    app: &TestApp,
    author: UserId,
    council: CouncilId,
    title: &str,
    at: DateTime<Utc>,
) -> ProposalId {
    proposals::create_at(
        app.db.pool(),
        author,
        &ProposalContent {
            title: title.into(),
            body: "Et forslag til oversigten over, om de unge bliver hørt.".into(),
            theme: Theme::FritidKultur,
            council,
            show_name: true,
        },
        Intent::Submit,
        Visibility::Published,
        at.timestamp_micros(),
        None,
    )
    .await
    .expect("proposal")
}

async fn forward_at(
    app: &TestApp,
    p: ProposalId,
    council: CouncilId,
    at: DateTime<Utc>,
    deadline: DateTime<Utc>,
) {
    let pool = app.db.pool();
    let vote = app.passed_vote(p, council, at).await;
    proposals::step(
        pool,
        p,
        Step::Decide {
            council,
            decision: app::domain::proposal::CouncilDecision::Forwarded {
                committee: app::ssr::db::answers::ensure_committee(pool, COMMITTEE)
                    .await
                    .expect("committee"),
                deadline,
            },
            vote: Some(vote),
        },
        None,
        at,
    )
    .await
    .expect("forward");
}

#[tokio::test]
async fn reminders_are_sent_once_even_by_several_instances() {
    let app = app().await;
    let s = forwarded(&app).await;
    let p = s.proposal;
    let pool = app.db.pool();
    let deadline: i64 = app
        .count(&format!(
            "SELECT deadline_at FROM proposals WHERE id = {}",
            p.0
        ))
        .await;
    let deadline = DateTime::from_timestamp_micros(deadline).expect("deadline");
    let (lars, _) = app.login_as("Lars", &[RoleKind::Sekretariat]).await;
    // Both have verified addresses; deadline mail comes at once by default.
    for who in [lars, s.politician_id] {
        let mut tx = app::ssr::db::write_tx(pool).await.expect("tx");
        app::ssr::db::mail::mark_verified_tx(&mut tx, who, Utc::now())
            .await
            .expect("verify");
        tx.commit().await.expect("commit");
    }
    // Eight days before: nothing yet.
    answers::send_reminders(pool, deadline - chrono::Duration::days(8))
        .await
        .expect("run");
    assert_eq!(notifications(&app, p, "deadline_soon").await, 0);
    // Six days before, four "instances" at once: one reminder per politician.
    let at = deadline - chrono::Duration::days(6);
    let runs = futures::future::join_all((0..4).map(|_| answers::send_reminders(pool, at))).await;
    assert!(runs.iter().all(Result::is_ok), "{runs:?}");
    assert_eq!(
        sent_to(&app, p, "deadline_soon", s.politician_id).await,
        (1, 0)
    );
    // A day late: the coordinators hear, once.
    let late = deadline + chrono::Duration::days(1);
    let runs = futures::future::join_all((0..4).map(|_| answers::send_reminders(pool, late))).await;
    assert!(runs.iter().all(Result::is_ok), "{runs:?}");
    assert_eq!(sent_to(&app, p, "overdue", lars).await, (1, 0));
    assert_eq!(sent_to(&app, p, "overdue", s.politician_id).await.0, 0);
    assert_eq!(
        sent_to(&app, p, "deadline_soon", s.politician_id).await,
        (1, 0)
    );
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) FROM reminders_sent WHERE proposal_id = {}",
            p.0
        ))
        .await,
        2
    );
    // Each reminder also went to the outbox once, in the reminder's transaction.
    for who in [lars, s.politician_id] {
        assert_eq!(
            app.count(&format!(
                "SELECT COUNT(*) FROM outbox WHERE user_id = {} AND kind = 'event' \
                 AND payload LIKE '%\"proposal_id\":{},%'",
                who.0, p.0
            ))
            .await,
            1,
            "one deadline mail for user {}",
            who.0
        );
    }
}

#[tokio::test]
async fn overview_figures_match_a_known_data_set() {
    let app = app().await;
    let council = app.council(RoleKind::Ungeraadsmedlem).await;
    let (author, author_cookie) = app.login_as("Sofie", &[]).await;
    let (supporter, supporter_cookie) = app.login_as("Ali", &[]).await;
    // 2019 belongs to this test alone (the PostgreSQL test database is shared).
    let t = |m: u32, d: u32| Utc.with_ymd_and_hms(2019, m, d, 10, 0, 0).unwrap();
    let deadline = t(4, 26);
    let only_received = submitted_at(&app, author, council, "Kun modtaget 2019", t(1, 10)).await;
    let ja = submitted_at(&app, author, council, "Ja i tide 2019", t(2, 1)).await;
    let nej_late = submitted_at(&app, author, council, "Nej for sent 2019", t(2, 2)).await;
    let delvist = submitted_at(&app, author, council, "Delvist 2019", t(2, 3)).await;
    let waiting = submitted_at(&app, author, council, "Venter stadig 2019", t(2, 4)).await;
    // Submitted in Copenhagen's 2020 (23:30 UTC on New Year's Eve): not counted.
    let next_year = submitted_at(
        &app,
        author,
        council,
        "Nytårsaften 2019",
        Utc.with_ymd_and_hms(2019, 12, 31, 23, 30, 0).unwrap(),
    )
    .await;
    for p in [ja, nej_late, delvist, waiting] {
        forward_at(&app, p, council, t(3, 1), deadline).await;
    }
    answer_with(&app, ja, Answer::Ja { note: None }, t(3, 11)).await; // 10 days, in time
    answer_with(&app, nej_late, nej(), t(5, 1)).await; // 61 days, late
    answer_with(
        &app,
        delvist,
        Answer::Delvist(Explanation::new(LONG).expect("explanation")),
        t(3, 21),
    )
    .await; // 20 days, in time
    supports::support(app.db.pool(), delvist, supporter)
        .await
        .expect("support");
    for (cookie, p, understood) in [
        (&author_cookie, ja, "ja"),
        (&author_cookie, nej_late, "nej"),
        (&supporter_cookie, delvist, "ja"),
    ] {
        let r = app
            .post(
                path::<AnswerUnderstood>(),
                Some(cookie),
                &[
                    ("proposal_id", &p.0.to_string()),
                    ("understood", understood),
                ],
            )
            .await;
        assert!(r.status < 400, "{} {}", r.status, r.body);
    }
    let _ = (only_received, next_year);

    let o = app
        .post(path::<GetHeardOverview>(), None, &[("year", "2019")])
        .await
        .json();
    let s = &o["stats"];
    assert_eq!(s["year"], 2019);
    assert_eq!(s["received"], 5);
    assert_eq!(s["forwarded"], 4);
    assert_eq!(s["answered"], 3);
    assert_eq!(s["answered_in_time"], 2);
    assert_eq!(s["median_tenth_days"], 200, "median of 10, 20 and 61 days");
    assert_eq!(
        (s["ja"].clone(), s["delvist"].clone(), s["nej"].clone()),
        (1.into(), 1.into(), 1.into())
    );
    assert_eq!(s["overdue_now"], 1);
    assert_eq!(s["understood"], 2);
    assert_eq!(s["not_understood"], 1);
    assert!(o["years"].as_array().expect("years").contains(&2019.into()));
    let overdue = o["overdue"].as_array().expect("overdue");
    assert!(
        overdue.iter().any(|i| i["id"] == waiting.0),
        "the waiting one is listed"
    );
    assert!(!overdue.iter().any(|i| i["id"] == ja.0));

    // The page shows the same figures, and the overdue proposal on the list and its page.
    let (status, html) = app.get("/bliver-vi-hoert?aar=2019").await;
    assert_eq!(status, 200);
    let html = html.replace("<!>", "");
    for (key, expected) in [
        ("received", "5"),
        ("forwarded", "4"),
        ("answered", "3"),
        ("in-time", "67 %"),
        ("median-days", "20,0"),
        ("ja", "1 (33 %)"),
        ("delvist", "1 (33 %)"),
        ("nej", "1 (33 %)"),
        ("overdue-now", "1"),
        ("understood", "67 %"),
    ] {
        assert_eq!(
            crate::common::figure(&html, key).as_deref(),
            Some(expected),
            "{key} on the overview"
        );
    }
    assert!(
        html.contains("Venter stadig 2019"),
        "the overdue one is listed"
    );
    let (_, page) = app.get(&format!("/forslag/{}", waiting.0)).await;
    assert!(
        page.replace("<!>", "").contains("overskredet"),
        "overdue on its page"
    );
}
