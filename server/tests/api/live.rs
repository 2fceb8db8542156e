//! Live sessions over HTTP (issue #23): a host opens Bytinget, people join by code (with
//! and without accounts), the speakers' list, a live vote counted exactly once per
//! participant — under concurrent replays and reconnects too — with its result on the
//! proposal's timeline; a closed vote, another session's token and an expired session
//! refused, by the endpoints and by the database.
use crate::common::{app, path, TestApp};
use app::api::live::{
    AddLiveItem, CastLiveBallot, CloseLive, CloseLiveVote, GetLive, JoinLive, LiveFloor,
    LiveSpeakers, OpenLive, OpenLiveVote,
};
use app::api::proposals::GetProposal;
use app::domain::account::RoleKind;
use app::domain::ids::ProposalId;

/// A coordinator's session and the join code of a new Bytinget.
async fn bytinget(app: &TestApp) -> (String, String) {
    let (_, host) = app.login_as("Koordinator", &[RoleKind::Sekretariat]).await;
    let r = app
        .post(
            path::<OpenLive>(),
            Some(&host),
            &[("kind", "bytinget"), ("title", "Bytinget 2027")],
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    let code: String = serde_json::from_str(&r.body).expect("code");
    assert_eq!(code.len(), 6);
    (host, code)
}

/// Joins without an account: the participant cookie and the participant's number.
async fn join_anon(app: &TestApp, code: &str) -> (String, i64) {
    let r = app.post(path::<JoinLive>(), None, &[("code", code)]).await;
    assert_eq!(r.status, 200, "{}", r.body);
    let number = r.json()["number"].as_i64().expect("number");
    (r.live_cookie.expect("participant cookie"), number)
}

async fn open_vote(app: &TestApp, host: &str, code: &str, fields: &[(&str, &str)]) -> i64 {
    let mut all = vec![("code", code)];
    all.extend_from_slice(fields);
    let r = app.post(path::<OpenLiveVote>(), Some(host), &all).await;
    assert_eq!(r.status, 200, "{}", r.body);
    r.json().as_i64().expect("vote id")
}

async fn ballot(app: &TestApp, cookie: &str, vote: i64, option: i64) -> common_reply::Out {
    let r = app
        .post(
            path::<CastLiveBallot>(),
            Some(cookie),
            &[
                ("vote_id", &vote.to_string()),
                ("option", &option.to_string()),
            ],
        )
        .await;
    common_reply::Out {
        status: r.status,
        counted: r.json().as_bool(),
        body: r.body,
    }
}

mod common_reply {
    pub struct Out {
        pub status: u16,
        pub counted: Option<bool>,
        pub body: String,
    }
}

async fn live(app: &TestApp, code: &str, cookie: Option<&str>) -> serde_json::Value {
    let r = app.post(path::<GetLive>(), cookie, &[("code", code)]).await;
    assert_eq!(r.status, 200, "{}", r.body);
    r.json()
}

#[tokio::test]
async fn bytinget_from_join_to_the_proposals_timeline() {
    let app = app().await;
    let (host, code) = bytinget(&app).await;
    // A public proposal to put on the agenda.
    let (author, _) = app.login_as("Forslagsstiller", &[]).await;
    let council = app.council(RoleKind::Ungeraadsmedlem).await;
    let proposal = app
        .submitted_proposal(author, council, "Skaterbane ved stationen")
        .await;
    // Five participants: three with accounts, two without.
    let mut people = Vec::new();
    for name in ["Ali", "Bo", "Cem"] {
        let (_, session) = app.login_as(name, &[]).await;
        let r = app
            .post(
                path::<JoinLive>(),
                Some(&session),
                &[("code", &code.to_lowercase())],
            )
            .await;
        assert_eq!(r.status, 200, "{}", r.body);
        people.push(session);
    }
    for _ in 0..2 {
        people.push(join_anon(&app, &code).await.0);
    }
    let page = live(&app, &code, Some(&host)).await;
    assert_eq!(page["state"]["participants"], 5);
    assert!(page["host"]["qr_svg"]
        .as_str()
        .unwrap_or("")
        .contains("<svg"));
    // An account that joins again is the same participant.
    let again = app
        .post(path::<JoinLive>(), Some(&people[0]), &[("code", &code)])
        .await;
    assert_eq!(again.json()["number"], 1);
    assert_eq!(
        live(&app, &code, Some(&host)).await["state"]["participants"],
        5
    );

    // The speakers' list: two ask (one twice), the host orders and gives the floor.
    for p in [&people[3], &people[1], &people[3]] {
        let r = app
            .post(
                path::<LiveFloor>(),
                Some(p),
                &[("code", &code), ("action", "request")],
            )
            .await;
        assert_eq!(r.status, 200, "{}", r.body);
    }
    let speakers = live(&app, &code, None).await["state"]["speakers"].clone();
    assert_eq!(speakers.as_array().map(Vec::len), Some(2));
    let first = speakers[0]["id"].as_i64().expect("id");
    let second = speakers[1]["id"].as_i64().expect("id");
    let up = [
        ("code", code.as_str()),
        ("action", "up"),
        ("speaker", &second.to_string()),
        ("ahead", &first.to_string()),
    ];
    let r = app.post(path::<LiveSpeakers>(), Some(&host), &up).await;
    assert_eq!(r.json(), serde_json::json!(true));
    // Pressed again (the page still shows the old order): nothing moves.
    let r = app.post(path::<LiveSpeakers>(), Some(&host), &up).await;
    assert_eq!(r.json(), serde_json::json!(false));
    let r = app
        .post(
            path::<LiveSpeakers>(),
            Some(&host),
            &[("code", &code), ("action", "next"), ("current", "0")],
        )
        .await;
    assert_eq!(r.json(), serde_json::json!(true));
    let speakers = live(&app, &code, None).await["state"]["speakers"].clone();
    assert_eq!(speakers[0]["id"].as_i64(), Some(second));
    assert_eq!(speakers[0]["speaking"], true);
    // A stale page (it thought nobody spoke) changes nothing.
    let r = app
        .post(
            path::<LiveSpeakers>(),
            Some(&host),
            &[("code", &code), ("action", "next"), ("current", "0")],
        )
        .await;
    assert_eq!(r.json(), serde_json::json!(false));
    // A participant cannot run the list.
    let r = app
        .post(
            path::<LiveSpeakers>(),
            Some(&people[0]),
            &[
                ("code", &code),
                ("action", "next"),
                ("current", &second.to_string()),
            ],
        )
        .await;
    assert_eq!(r.status, 403);

    // The proposal on the agenda, and a vote on it.
    let r = app
        .post(
            path::<AddLiveItem>(),
            Some(&host),
            &[("code", &code), ("proposal", &proposal.0.to_string())],
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    let item = r.json().as_i64().expect("item");
    let vote = open_vote(
        &app,
        &host,
        &code,
        &[
            ("question", "Skal vi støtte forslaget?"),
            ("item_id", &item.to_string()),
            ("seconds", "0"),
        ],
    )
    .await;
    // A second vote cannot open while this one is open.
    let r = app
        .post(
            path::<OpenLiveVote>(),
            Some(&host),
            &[("code", &code), ("question", "Igen?")],
        )
        .await;
    assert_eq!(r.status, 409, "{}", r.body);
    for (p, choice) in people.iter().zip([0, 0, 0, 1, 2]) {
        let out = ballot(&app, p, vote, choice).await;
        assert_eq!((out.status, out.counted), (200, Some(true)), "{}", out.body);
    }
    let state = live(&app, &code, None).await["state"].clone();
    let votes: Vec<i64> = state["vote"]["options"]
        .as_array()
        .expect("options")
        .iter()
        .map(|o| o["votes"].as_i64().unwrap_or(-1))
        .collect();
    assert_eq!(votes, vec![3, 1, 1]);
    assert_eq!(state["vote"]["ballots"], 5);
    // Nobody outside the session votes: no cookie, or only an account that did not join.
    let (_, outsider) = app.login_as("Udenfor", &[]).await;
    assert_eq!(ballot(&app, &outsider, vote, 0).await.status, 403);
    assert_eq!(
        app.post(
            path::<CastLiveBallot>(),
            None,
            &[("vote_id", &vote.to_string()), ("option", "0")]
        )
        .await
        .status,
        403
    );
    // A choice that is not an option.
    let (late, _) = join_anon(&app, &code).await;
    assert_eq!(ballot(&app, &late, vote, 7).await.status, 422);
    // Closed by the host; the late ballot is refused, nothing counted.
    let r = app
        .post(
            path::<CloseLiveVote>(),
            Some(&host),
            &[("vote_id", &vote.to_string())],
        )
        .await;
    assert_eq!(r.json(), serde_json::json!(true));
    let out = ballot(&app, &late, vote, 0).await;
    assert_eq!(out.status, 409, "{}", out.body);
    assert_eq!(
        app.count(&format!(
            "SELECT CAST(SUM(votes) AS BIGINT) FROM live_options WHERE vote_id = {vote}"
        ))
        .await,
        5
    );
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) FROM live_ballots WHERE vote_id = {vote}"
        ))
        .await,
        5
    );
    // The result is on the proposal's timeline.
    let r = app
        .post(
            path::<GetProposal>(),
            None,
            &[("id", &proposal.0.to_string())],
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    let timeline = r.json()["timeline"].to_string();
    assert!(timeline.contains("LiveVoted"), "{timeline}");
    assert!(timeline.contains("Bytinget 2027"), "{timeline}");
    assert!(timeline.contains("\"votes\":3"), "{timeline}");
    // Ending the session: joins refused from then on.
    let r = app
        .post(path::<CloseLive>(), Some(&host), &[("code", &code)])
        .await;
    assert_eq!(r.json(), serde_json::json!(true));
    let r = app.post(path::<JoinLive>(), None, &[("code", &code)]).await;
    assert_eq!(r.status, 422);
    assert!(r.body.contains("live_session_closed"), "{}", r.body);
}

#[tokio::test]
async fn fifty_identical_ballots_and_reconnects_count_once() {
    let app = app().await;
    let (host, code) = bytinget(&app).await;
    let (cookie, number) = join_anon(&app, &code).await;
    let vote = open_vote(
        &app,
        &host,
        &code,
        &[("question", "Mere grønt i byen?"), ("options", "Ja\nNej")],
    )
    .await;
    let posts = (0..50).map(|_| ballot(&app, &cookie, vote, 0));
    let outs = futures::future::join_all(posts).await;
    let counted = outs.iter().filter(|o| o.counted == Some(true)).count();
    let repeated = outs.iter().filter(|o| o.counted == Some(false)).count();
    assert_eq!(
        (counted, repeated),
        (1, 49),
        "{:?}",
        outs.iter().map(|o| &o.body).collect::<Vec<_>>()
    );
    // A double tap on the join form (its key, no cookie yet): one participant.
    let key = "ab".repeat(32);
    let fields = [("code", code.as_str()), ("key", key.as_str())];
    let taps =
        futures::future::join_all((0..10).map(|_| app.post(path::<JoinLive>(), None, &fields)))
            .await;
    let numbers: std::collections::BTreeSet<i64> = taps
        .iter()
        .filter_map(|r| r.json()["number"].as_i64())
        .collect();
    assert_eq!(
        numbers.len(),
        1,
        "{:?}",
        taps.iter().map(|r| &r.body).collect::<Vec<_>>()
    );
    assert!(taps
        .iter()
        .all(|r| r.live_cookie.as_deref() == Some(&*format!("stemme_live={key}"))));
    // The phone reconnects (joins again with its cookie): the same participant, no new vote.
    let r = app
        .post(path::<JoinLive>(), Some(&cookie), &[("code", &code)])
        .await;
    assert_eq!(r.json()["number"].as_i64(), Some(number));
    assert!(r.live_cookie.is_none(), "a rejoin keeps the cookie it has");
    assert_eq!(ballot(&app, &cookie, vote, 1).await.counted, Some(false));
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) FROM live_ballots WHERE vote_id = {vote}"
        ))
        .await,
        1
    );
    assert_eq!(
        app.count(&format!(
            "SELECT CAST(SUM(votes) AS BIGINT) FROM live_options WHERE vote_id = {vote}"
        ))
        .await,
        1
    );
    assert_eq!(
        app.count(&format!("SELECT ballots FROM live_votes WHERE id = {vote}"))
            .await,
        1
    );
    // Fifty different participants at once: fifty votes, each once.
    let mut cookies = Vec::new();
    for _ in 0..50 {
        cookies.push(join_anon(&app, &code).await.0);
    }
    let outs = futures::future::join_all(cookies.iter().map(|c| ballot(&app, c, vote, 1))).await;
    assert!(
        outs.iter().all(|o| o.counted == Some(true)),
        "{:?}",
        outs.iter().map(|o| &o.body).collect::<Vec<_>>()
    );
    let state = live(&app, &code, None).await["state"]["vote"].clone();
    assert_eq!(state["ballots"], 51);
    assert_eq!(state["options"][1]["votes"], 50);
    assert_eq!(live(&app, &code, None).await["state"]["participants"], 52);
}

#[tokio::test]
async fn a_closed_or_timed_out_vote_refuses_late_ballots_in_the_database_too() {
    let app = app().await;
    let (host, code) = bytinget(&app).await;
    let (cookie, _) = join_anon(&app, &code).await;
    let vote = open_vote(
        &app,
        &host,
        &code,
        &[("question", "Hurtig runde?"), ("seconds", "10")],
    )
    .await;
    // The timer runs out (moved into the past, as if ten seconds went by).
    sqlx::query("UPDATE live_votes SET opened_at = opened_at - 20000000, closes_at = closes_at - 20000000 WHERE id = $1")
        .bind(vote)
        .execute(app.db.pool())
        .await
        .expect("age the vote");
    let out = ballot(&app, &cookie, vote, 0).await;
    assert_eq!(out.status, 409, "{}", out.body);
    assert!(out.body.contains("vote_closed"), "{}", out.body);
    assert_eq!(
        live(&app, &code, None).await["state"]["vote"]["open"],
        false
    );
    // A new vote may open: the timed-out one is closed at its timer.
    let next = open_vote(&app, &host, &code, &[("question", "Næste spørgsmål?")]).await;
    assert_ne!(next, vote);
    let r = app
        .post(
            path::<CloseLiveVote>(),
            Some(&host),
            &[("vote_id", &next.to_string())],
        )
        .await;
    assert_eq!(r.json(), serde_json::json!(true));
    // Closing twice does nothing the second time.
    let r = app
        .post(
            path::<CloseLiveVote>(),
            Some(&host),
            &[("vote_id", &next.to_string())],
        )
        .await;
    assert_eq!(r.json(), serde_json::json!(false));
    // The database refuses a ballot on a closed vote, and a closed vote cannot reopen.
    let (participant, session): (i64, i64) = sqlx::query_as(
        "SELECT p.id, p.session_id FROM live_participants p JOIN live_sessions s ON s.id = p.session_id WHERE s.code = $1 LIMIT 1",
    )
    .bind(&code)
    .fetch_one(app.db.pool())
    .await
    .expect("participant");
    let direct = sqlx::query("INSERT INTO live_ballots (vote_id, session_id, participant_id, at) VALUES ($1, $2, $3, $4)")
        .bind(next)
        .bind(session)
        .bind(participant)
        .bind(chrono::Utc::now().timestamp_micros())
        .execute(app.db.pool())
        .await;
    assert!(direct.is_err(), "a ballot on a closed vote was stored");
    let reopen = sqlx::query("UPDATE live_votes SET closed_at = NULL WHERE id = $1")
        .bind(next)
        .execute(app.db.pool())
        .await;
    assert!(reopen.is_err(), "a closed vote was reopened");
    let bump = sqlx::query("UPDATE live_options SET votes = votes + 1 WHERE vote_id = $1")
        .bind(next)
        .execute(app.db.pool())
        .await;
    assert!(bump.is_err(), "a closed vote's count moved");
}

#[tokio::test]
async fn a_participant_token_votes_only_in_its_own_session() {
    let app = app().await;
    let (host_a, code_a) = bytinget(&app).await;
    let (host_b, code_b) = bytinget(&app).await;
    let (cookie_a, _) = join_anon(&app, &code_a).await;
    let (cookie_b, _) = join_anon(&app, &code_b).await;
    let _ = host_a;
    let vote_b = open_vote(&app, &host_b, &code_b, &[("question", "Kun for B?")]).await;
    let out = ballot(&app, &cookie_a, vote_b, 0).await;
    assert_eq!(out.status, 403, "{}", out.body);
    assert_eq!(ballot(&app, &cookie_b, vote_b, 0).await.counted, Some(true));
    // A's participant cannot run B either.
    let r = app
        .post(
            path::<LiveFloor>(),
            Some(&cookie_a),
            &[("code", &code_b), ("action", "request")],
        )
        .await;
    assert_eq!(r.status, 403);
    // The database refuses a ballot whose participant belongs to another session.
    let pa: i64 = sqlx::query_scalar(
        "SELECT p.id FROM live_participants p JOIN live_sessions s ON s.id = p.session_id WHERE s.code = $1",
    )
    .bind(&code_a)
    .fetch_one(app.db.pool())
    .await
    .expect("participant a");
    let sb: i64 = sqlx::query_scalar("SELECT id FROM live_sessions WHERE code = $1")
        .bind(&code_b)
        .fetch_one(app.db.pool())
        .await
        .expect("session b");
    let direct = sqlx::query("INSERT INTO live_ballots (vote_id, session_id, participant_id, at) VALUES ($1, $2, $3, $4)")
        .bind(vote_b)
        .bind(sb)
        .bind(pa)
        .bind(chrono::Utc::now().timestamp_micros())
        .execute(app.db.pool())
        .await;
    assert!(direct.is_err(), "a ballot crossed sessions");
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) FROM live_ballots WHERE vote_id = {vote_b}"
        ))
        .await,
        1
    );
}

#[tokio::test]
async fn an_expired_session_refuses_joins() {
    let app = app().await;
    let (_, code) = bytinget(&app).await;
    let (cookie, _) = join_anon(&app, &code).await;
    // Seven hours later.
    sqlx::query("UPDATE live_sessions SET opened_at = opened_at - 25200000000, expires_at = expires_at - 25200000000 WHERE code = $1")
        .bind(&code)
        .execute(app.db.pool())
        .await
        .expect("age the session");
    let r = app.post(path::<JoinLive>(), None, &[("code", &code)]).await;
    assert_eq!(r.status, 422, "{}", r.body);
    assert!(r.body.contains("live_session_closed"), "{}", r.body);
    let before = app.count("SELECT COUNT(*) FROM live_participants").await;
    let r = app
        .post(
            path::<LiveFloor>(),
            Some(&cookie),
            &[("code", &code), ("action", "request")],
        )
        .await;
    assert_eq!(r.status, 409, "{}", r.body);
    // The database refuses a join too.
    let session: i64 = sqlx::query_scalar("SELECT id FROM live_sessions WHERE code = $1")
        .bind(&code)
        .fetch_one(app.db.pool())
        .await
        .expect("session");
    let direct = sqlx::query("INSERT INTO live_participants (session_id, token_hash, number, joined_at) VALUES ($1, $2, 99, $3)")
        .bind(session)
        .bind("a".repeat(64))
        .bind(chrono::Utc::now().timestamp_micros())
        .execute(app.db.pool())
        .await;
    assert!(direct.is_err(), "a join of an expired session was stored");
    assert_eq!(
        app.count("SELECT COUNT(*) FROM live_participants").await,
        before
    );
    // An unknown code is a field error, not a crash.
    let r = app
        .post(path::<JoinLive>(), None, &[("code", "<b>x</b>")])
        .await;
    assert_eq!(r.status, 422);
    assert!(r.body.contains("live_code_unknown"), "{}", r.body);
}

#[tokio::test]
async fn only_hosts_open_and_run_sessions() {
    let app = app().await;
    let (_, young) = app.login_as("Ung", &[]).await;
    let r = app
        .post(
            path::<OpenLive>(),
            Some(&young),
            &[("kind", "bytinget"), ("title", "Mit eget ting")],
        )
        .await;
    assert_eq!(r.status, 403);
    let r = app
        .post(
            path::<OpenLive>(),
            None,
            &[("kind", "bytinget"), ("title", "Anonymt ting")],
        )
        .await;
    assert_eq!(r.status, 401);
    // A coordinator may not open a class session (a teacher does, at their school).
    let (_, coordinator) = app.login_as("Koord", &[RoleKind::Sekretariat]).await;
    let r = app
        .post(
            path::<OpenLive>(),
            Some(&coordinator),
            &[
                ("kind", "klasse"),
                ("title", "Klassens time"),
                ("class_name", "6.B"),
            ],
        )
        .await;
    assert_eq!(r.status, 403);
    let r = app
        .post(
            path::<OpenLive>(),
            Some(&coordinator),
            &[("kind", "bytinget"), ("title", "x")],
        )
        .await;
    assert_eq!(r.status, 422);
    assert!(r.body.contains("live_title"), "{}", r.body);
    // The same form sent twice opens one session.
    let token = app.form_token(Some(&coordinator)).await;
    // Unique per run: tests share a PostgreSQL database.
    let title = format!("Bytinget {}", crate::common::email("t").replace('@', " "));
    let title = &title[..title.len().min(100)];
    let fields = [
        ("kind", "bytinget"),
        ("title", title),
        ("form_token", token.as_str()),
    ];
    let a = app
        .post(path::<OpenLive>(), Some(&coordinator), &fields)
        .await;
    let b = app
        .post(path::<OpenLive>(), Some(&coordinator), &fields)
        .await;
    assert_eq!(a.body, b.body);
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) FROM live_sessions WHERE title = '{title}'"
        ))
        .await,
        1
    );
    let code: String = serde_json::from_str(&a.body).expect("code");
    // Participants and other people cannot run it.
    let (participant, _) = join_anon(&app, &code).await;
    let r = app
        .post(
            path::<OpenLiveVote>(),
            Some(&participant),
            &[("code", &code), ("question", "Hej?")],
        )
        .await;
    assert_eq!(r.status, 401);
    let r = app
        .post(
            path::<OpenLiveVote>(),
            Some(&young),
            &[("code", &code), ("question", "Hej?")],
        )
        .await;
    assert_eq!(r.status, 403);
    let r = app
        .post(path::<CloseLive>(), Some(&young), &[("code", &code)])
        .await;
    assert_eq!(r.status, 403);
    // Bad input from the host is a field error and stores nothing.
    for (field, value) in [
        ("options", "Kun én"),
        ("seconds", "5"),
        ("seconds", "abc"),
        ("question", ""),
    ] {
        let mut fields = vec![("code", code.as_str()), ("question", "Et spørgsmål?")];
        fields.retain(|(k, _)| *k != field);
        fields.push((field, value));
        let r = app
            .post(path::<OpenLiveVote>(), Some(&coordinator), &fields)
            .await;
        assert_eq!(r.status, 422, "{field}={value}: {}", r.body);
    }
    let r = app
        .post(
            path::<AddLiveItem>(),
            Some(&coordinator),
            &[("code", &code), ("proposal", "999999999")],
        )
        .await;
    assert_eq!(r.status, 422);
    assert_eq!(app.count(&format!("SELECT COUNT(*) FROM live_votes v JOIN live_sessions s ON s.id = v.session_id WHERE s.code = '{code}'")).await, 0);
    let _ = ProposalId(0);
}

#[tokio::test]
async fn the_stream_sends_the_state_and_then_each_change() {
    let app = app().await;
    let (host, code) = bytinget(&app).await;
    let (cookie, _) = join_anon(&app, &code).await;
    let vote = open_vote(&app, &host, &code, &[("question", "Live?")]).await;
    let res = app
        .send(
            axum::http::Request::get(format!("/live/{code}/stream"))
                .body(axum::body::Body::empty())
                .expect("request"),
        )
        .await;
    assert_eq!(res.status(), 200);
    assert_eq!(
        res.headers()
            .get("content-type")
            .and_then(|v| v.to_str().ok()),
        Some("text/event-stream")
    );
    let mut stream = Stream::of(res);
    let first = stream.next(FIVE_S).await.expect("an event within 5 s");
    assert_eq!(first["participants"], 1);
    assert_eq!(first["vote"]["ballots"], 0);
    assert_eq!(ballot(&app, &cookie, vote, 0).await.counted, Some(true));
    let second = stream.next(FIVE_S).await.expect("an event within 5 s");
    assert_eq!(second["vote"]["ballots"], 1);
    assert_eq!(second["vote"]["options"][0]["votes"], 1);
    assert!(second["version"].as_u64() > first["version"].as_u64());
    assert!(second["changed_ms"].as_i64().unwrap_or(0) > 0);
    // An unknown session has no stream.
    let (status, _) = app.get("/live/ZZZZZZ/stream").await;
    assert_eq!(status, 404);
}

const FIVE_S: std::time::Duration = std::time::Duration::from_secs(5);

/// A live stream being read, one state at a time.
struct Stream {
    body: axum::body::Body,
    seen: String,
}

impl Stream {
    fn of(res: axum::http::Response<axum::body::Body>) -> Stream {
        Stream {
            body: res.into_body(),
            seen: String::new(),
        }
    }

    /// Opens the stream of session `code` on `router` (an instance).
    async fn open(router: &axum::Router, code: &str) -> Stream {
        use tower::ServiceExt;
        let res = router
            .clone()
            .oneshot(
                axum::http::Request::get(format!("/live/{code}/stream"))
                    .body(axum::body::Body::empty())
                    .expect("request"),
            )
            .await
            .expect("response");
        assert_eq!(res.status(), 200);
        Stream::of(res)
    }

    /// The next state sent, or None when none comes within `wait`.
    async fn next(&mut self, wait: std::time::Duration) -> Option<serde_json::Value> {
        use http_body_util::BodyExt;
        let until = tokio::time::Instant::now() + wait;
        loop {
            if let Some(end) = self.seen.find("\n\n") {
                let event: String = self.seen.drain(..end + 2).collect();
                if let Some(data) = event.lines().find_map(|l| l.strip_prefix("data: ")) {
                    return Some(serde_json::from_str(data).expect("state json"));
                }
                continue;
            }
            let frame = tokio::time::timeout_at(until, self.body.frame())
                .await
                .ok()?
                .expect("a frame")
                .expect("frame ok");
            if let Ok(data) = frame.into_data() {
                self.seen.push_str(&String::from_utf8_lossy(&data));
            }
        }
    }
}

/// Two instances on one PostgreSQL (#24): a ballot cast through one reaches the live stream
/// the other serves at once (`LISTEN`/`NOTIFY`), not only at that instance's next own
/// change. A third instance that does not listen sends nothing new, so the test can fail.
#[tokio::test]
async fn a_ballot_through_one_instance_reaches_the_stream_on_the_other() {
    let app = app().await;
    if app.db.backend() != app::ssr::db::Backend::Postgres {
        println!("two instances: SQLite is one instance by design; run on PostgreSQL");
        return;
    }
    let (two, two_hub) = app.other_instance();
    let (deaf, _) = app.other_instance();
    for hub in [app.live_hub(), two_hub] {
        hub.share_changes(&app.url, app.db.pool().clone())
            .await
            .expect("listening");
    }
    let (host, code) = bytinget(&app).await;
    let (cookie, _) = join_anon(&app, &code).await;
    let vote = open_vote(&app, &host, &code, &[("question", "To steder?")]).await;
    let mut on_two = Stream::open(&two, &code).await;
    let mut on_deaf = Stream::open(&deaf, &code).await;
    for stream in [&mut on_two, &mut on_deaf] {
        let first = stream.next(FIVE_S).await.expect("the state at once");
        assert_eq!(first["vote"]["ballots"], 0);
    }
    // Cast through the first instance (`app`), which serves no stream of this session.
    let cast = std::time::Instant::now();
    assert_eq!(ballot(&app, &cookie, vote, 0).await.counted, Some(true));
    let seen = on_two
        .next(FIVE_S)
        .await
        .expect("the other instance's stream moves");
    let took = cast.elapsed();
    assert_eq!(seen["vote"]["ballots"], 1);
    assert!(
        took < std::time::Duration::from_secs(1),
        "the ballot reached the other instance's stream after {took:?}"
    );
    assert!(
        on_deaf
            .next(std::time::Duration::from_millis(800))
            .await
            .is_none(),
        "an instance that does not listen has nothing new to send"
    );
    println!("two instances: a ballot through one reached the other's live stream in {took:?}");
}
