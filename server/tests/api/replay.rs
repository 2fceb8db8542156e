//! Replay: many identical requests at once (a double-tap, a retrying phone, a script) to
//! support, vote, answer and grant, on the demo world. The invariants must hold whatever
//! the interleaving: one support and one ballot per person, one answer per proposal, one
//! decision per application, and the pool never below zero.
use crate::common::{app_isolated as app, TestApp};
use crate::security::World;
use futures::future::join_all;

const REPLAYS: usize = 20;

async fn n(app: &TestApp, sql: &str) -> i64 {
    app.count(sql).await
}

#[tokio::test]
async fn identical_requests_at_once_keep_every_invariant() {
    let app = app().await;
    let world = World::new(&app).await;
    let mut sent = 0;

    // Supports: six young people, each tapping twenty times at once.
    let proposal = world.resolve(&app, "{vandautomat}").await;
    let supporters = ["ung", "elev", "chair", "member", "elevraad", "formand"];
    let posts = supporters.iter().flat_map(|role| {
        let cookie = world.cookie(role).map(str::to_owned);
        let proposal = proposal.clone();
        let app = &app;
        (0..REPLAYS).map(move |_| {
            let cookie = cookie.clone();
            let proposal = proposal.clone();
            async move {
                app.post(
                    "/api/proposals/support",
                    cookie.as_deref(),
                    &[("proposal_id", &proposal)],
                )
                .await
                .status
            }
        })
    });
    let statuses = join_all(posts).await;
    sent += statuses.len();
    assert!(
        statuses.iter().all(|s| *s < 500),
        "support replay: {statuses:?}"
    );
    let dupes = n(
        &app,
        "SELECT COUNT(*) FROM (SELECT user_id FROM proposal_supports GROUP BY proposal_id, user_id HAVING COUNT(*) > 1) d",
    )
    .await;
    assert_eq!(dupes, 0, "a person supports a proposal twice");
    let rows = n(
        &app,
        &format!("SELECT COUNT(*) FROM proposal_supports WHERE proposal_id = {proposal}"),
    )
    .await;
    let stored = n(
        &app,
        &format!("SELECT supporters FROM proposals WHERE id = {proposal}"),
    )
    .await;
    assert_eq!(
        rows, stored,
        "the stored support count drifted from the rows"
    );
    // The author (elev) cannot support; everyone else now does, once.
    assert_eq!(rows, 5, "five supporters expected, found {rows}");
    let drift = n(
        &app,
        "SELECT COUNT(*) FROM proposals p WHERE p.supporters <> (SELECT COUNT(*) FROM proposal_supports s WHERE s.proposal_id = p.id)",
    )
    .await;
    assert_eq!(drift, 0, "stored support counts drifted");

    // A council vote: the chair opens it, the members each cast twenty identical ballots.
    let item = world.resolve(&app, "{bus_item}").await;
    let opened = app
        .post(
            "/api/councils/vote/open",
            world.cookie("chair"),
            &[("item_id", &item)],
        )
        .await;
    assert_eq!(opened.status, 200, "open vote: {}", opened.body);
    let vote = opened.body.trim().to_owned();
    let casts = ["chair", "member"].iter().flat_map(|role| {
        let cookie = world.cookie(role).map(str::to_owned);
        let vote = vote.clone();
        let app = &app;
        (0..REPLAYS).map(move |_| {
            let cookie = cookie.clone();
            let vote = vote.clone();
            async move {
                app.post(
                    "/api/councils/vote/cast",
                    cookie.as_deref(),
                    &[("vote_id", &vote), ("choice", "for")],
                )
                .await
                .status
            }
        })
    });
    let statuses = join_all(casts).await;
    sent += statuses.len();
    let counted = statuses.iter().filter(|s| **s == 200).count();
    assert!(
        statuses.iter().all(|s| matches!(s, 200 | 409)),
        "ballot replay: {statuses:?}"
    );
    assert_eq!(counted, 2, "each member's ballot is counted once");
    let participants = n(
        &app,
        &format!("SELECT COUNT(*) FROM vote_participants WHERE vote_id = {vote}"),
    )
    .await;
    let ballots = n(
        &app,
        &format!("SELECT COUNT(*) FROM ballots WHERE vote_id = {vote}"),
    )
    .await;
    assert_eq!((participants, ballots), (2, 2), "one ballot per member");
    let close = [("vote_id", vote.as_str())];
    let closes = join_all(
        (0..REPLAYS).map(|_| app.post("/api/councils/vote/close", world.cookie("chair"), &close)),
    )
    .await;
    sent += closes.len();
    assert_eq!(
        closes.iter().filter(|r| r.status == 200).count(),
        1,
        "closed once"
    );
    let yes = n(&app, &format!("SELECT yes FROM votes WHERE id = {vote}")).await;
    assert_eq!(yes, 2, "the tally counts each ballot once");

    // An answer: the politician's answer form sent twenty times at once.
    let forwarded = world.resolve(&app, "{lys_forwarded}").await;
    let answer = "Ja. Vi sætter lys og bænke op ved skaterbanen i foråret. Teknik og Miljø står for arbejdet, og I bliver inviteret med, når placeringen skal vælges.";
    let fields = [
        ("proposal_id", forwarded.as_str()),
        ("answer", "ja"),
        ("explanation", answer),
    ];
    let answers = join_all(
        (0..REPLAYS).map(|_| app.post("/api/answers/answer", world.cookie("politiker"), &fields)),
    )
    .await;
    sent += answers.len();
    assert!(
        answers.iter().all(|r| r.status < 500),
        "answer replay: {:?}",
        answers.iter().map(|r| r.status).collect::<Vec<_>>()
    );
    assert_eq!(
        answers.iter().filter(|r| r.status < 400).count(),
        1,
        "answered once"
    );
    let answered = n(
        &app,
        &format!("SELECT COUNT(*) FROM proposal_events WHERE proposal_id = {forwarded} AND kind = 'answered'"),
    )
    .await;
    assert_eq!(answered, 1, "one answer on the timeline");

    // A grant: the chair's decision sent twenty times at once.
    let application = world.resolve(&app, "{waiting_app}").await;
    let item = world.pass_waiting_app(&app).await;
    let fields = [
        ("application_id", application.as_str()),
        ("item_id", item.as_str()),
        ("decision", "bevilget"),
    ];
    let grants = join_all(
        (0..REPLAYS).map(|_| app.post("/api/pool/decide", world.cookie("chair"), &fields)),
    )
    .await;
    sent += grants.len();
    assert!(
        grants.iter().all(|r| r.status < 500),
        "grant replay: {:?}",
        grants.iter().map(|r| r.status).collect::<Vec<_>>()
    );
    assert_eq!(
        grants.iter().filter(|r| r.status < 400).count(),
        1,
        "decided once"
    );
    let entries = n(
        &app,
        &format!("SELECT COUNT(*) FROM pool_ledger WHERE application_id = {application} AND kind = 'grant'"),
    )
    .await;
    assert_eq!(entries, 1, "one grant in the ledger");
    let off = n(
        &app,
        "SELECT COUNT(*) FROM pool_years y WHERE y.amount_ore - y.granted_ore + y.returned_ore + y.corrected_ore < 0 \
         OR y.granted_ore <> COALESCE((SELECT SUM(amount_ore) FROM pool_ledger l WHERE l.pool_year_id = y.id AND l.kind = 'grant'), 0)",
    )
    .await;
    assert_eq!(
        off, 0,
        "a pool year is overspent or its totals disagree with the ledger"
    );

    println!("replay: {sent} requests replayed (support, ballot, close, answer, grant); every invariant held");
}
