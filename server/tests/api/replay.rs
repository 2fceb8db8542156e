//! Replay: many identical requests at once (a double-tap, a retrying phone, a script) to
//! support, vote, answer and grant, on the demo world. The invariants must hold whatever
//! the interleaving: one support and one ballot per person, one answer per proposal, one
//! decision per application, and the pool never below zero.
use crate::authz::MATRIX;
use crate::common::{app_isolated as app, path, TestApp};
use crate::security::{registered_endpoints, tables, try_resolve_as, World, VOLATILE};
use app::api::{
    answers::AnswerProposal,
    councils::{CastVote, CloseVote, OpenVote},
    pool::DecideApplication,
    proposals::SupportProposal,
};
use futures::future::join_all;
use std::collections::HashMap;

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
                    path::<SupportProposal>(),
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
            path::<OpenVote>(),
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
                    path::<CastVote>(),
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
        (0..REPLAYS).map(|_| app.post(path::<CloseVote>(), world.cookie("chair"), &close)),
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
        (0..REPLAYS)
            .map(|_| app.post(path::<AnswerProposal>(), world.cookie("politiker"), &fields)),
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
        (0..REPLAYS).map(|_| app.post(path::<DecideApplication>(), world.cookie("chair"), &fields)),
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

/// How many identical posts the "every endpoint" replay fires at once.
const BURST: usize = 50;

/// One database state, normalised so that two worlds built the same way compare equal:
/// per table, the rows without their ids, timestamps, hashes and tokens (sequence values
/// and clocks differ between the worlds; what a row *says* must not).
async fn normalised(app: &TestApp, world: &World, names: &World) -> HashMap<String, Vec<String>> {
    let pool = app.db.pool();
    let sqlite = app.db.backend().name() == "sqlite";
    let tables = tables(app).await;
    let mut out = HashMap::new();
    // Full-text indexes are derived from the proposals (their shadow tables hold blobs).
    for t in tables
        .into_iter()
        .filter(|t| !VOLATILE.contains(&t.as_str()) && !t.contains("_fts"))
    {
        let cols: Vec<String> = if sqlite {
            sqlx::query_scalar("SELECT name FROM pragma_table_info($1)")
                .bind(&t)
                .fetch_all(pool)
                .await
                .expect("columns")
        } else {
            sqlx::query_scalar(
                "SELECT CAST(column_name AS TEXT) FROM information_schema.columns \
                 WHERE table_schema = current_schema() AND table_name = $1 ORDER BY ordinal_position",
            )
            .bind(&t)
            .fetch_all(pool)
            .await
            .expect("columns")
        };
        let kept: Vec<&String> = cols.iter().filter(|c| !incidental(c)).collect();
        if kept.is_empty() {
            continue;
        }
        let row = kept
            .iter()
            .map(|c| format!("COALESCE(CAST(\"{c}\" AS TEXT), '∅')"))
            .collect::<Vec<_>>()
            .join(" || '|' || ");
        let mut rows: Vec<String> = sqlx::query_scalar(&format!("SELECT {row} FROM \"{t}\""))
            .fetch_all(pool)
            .await
            .unwrap_or_else(|e| panic!("{t}: {e}"));
        // The worlds' generated e-mail addresses differ: name them by their role in the world.
        for r in rows.iter_mut() {
            for (k, v) in &world.fixed {
                if let Some(same) = names.fixed.get(k) {
                    if r.contains(v.as_str()) {
                        *r = r.replace(v.as_str(), same);
                    }
                }
            }
        }
        // Ids quoted in text (the vote an audit line names) differ as the ids do.
        for r in rows.iter_mut() {
            *r = mask_ids(r);
        }
        rows.sort();
        out.insert(t, rows);
    }
    out
}

/// `afstemning 14` → `afstemning #`: numbers after the words audit lines (and the default
/// committee setting) name ids with.
fn mask_ids(row: &str) -> String {
    let mut out = row.to_owned();
    for word in [
        "afstemning ",
        "bruger ",
        "vote ",
        "tildeling ",
        "default_committee|",
    ] {
        let mut from = 0;
        while let Some(at) = out[from..].find(word) {
            let start = from + at + word.len();
            let digits = out[start..]
                .chars()
                .take_while(char::is_ascii_digit)
                .count();
            if digits > 0 {
                out.replace_range(start..start + digits, "#");
            }
            from = start;
        }
    }
    out
}

/// Columns whose values differ between two equal worlds: ids, clocks, secrets.
fn incidental(column: &str) -> bool {
    column == "id"
        || column == "at"
        || column.ends_with("_id")
        || column.ends_with("_at")
        || column.ends_with("_micros")
        || column.contains("hash")
        || column.contains("token")
        || column.contains("secret")
        || column == "sort_key"
        // A live session's join code is drawn at random.
        || column == "code"
        || column == "result"
        // A mail's random Message-ID, its cause (a notification's id) and its payload
        // (the event's time, a fresh unsubscribe token); to, kind and status are compared.
        || column == "message_id"
        || column == "dedupe_key"
        || column == "payload"
}

/// What a call did: per table, the rows that went and the rows that came.
fn effect(
    before: &HashMap<String, Vec<String>>,
    after: &HashMap<String, Vec<String>>,
) -> Vec<(String, Vec<String>, Vec<String>)> {
    let mut out = Vec::new();
    let mut names: Vec<&String> = before.keys().chain(after.keys()).collect();
    names.sort();
    names.dedup();
    for t in names {
        let empty = Vec::new();
        let b = before.get(t).unwrap_or(&empty);
        let a = after.get(t).unwrap_or(&empty);
        let (gone, came) = multiset_diff(b, a);
        if !gone.is_empty() || !came.is_empty() {
            out.push((t.clone(), gone, came));
        }
    }
    out
}

fn multiset_diff(b: &[String], a: &[String]) -> (Vec<String>, Vec<String>) {
    let mut counts: HashMap<&str, i64> = HashMap::new();
    for r in b {
        *counts.entry(r).or_default() -= 1;
    }
    for r in a {
        *counts.entry(r).or_default() += 1;
    }
    let mut gone = Vec::new();
    let mut came = Vec::new();
    for (r, n) in counts {
        for _ in 0..n.abs() {
            if n < 0 {
                gone.push(r.to_owned());
            } else {
                came.push(r.to_owned());
            }
        }
    }
    gone.sort();
    came.sort();
    (gone, came)
}

fn short(e: &[(String, Vec<String>, Vec<String>)]) -> String {
    e.iter()
        .map(|(t, gone, came)| {
            let cut = |v: &Vec<String>| {
                v.iter()
                    .map(|r| r.chars().take(90).collect::<String>())
                    .collect::<Vec<_>>()
                    .join(" ¦ ")
            };
            format!(
                "{t}: -{} +{} [-{}] [+{}]",
                gone.len(),
                came.len(),
                cut(gone),
                cut(came)
            )
        })
        .collect::<Vec<_>>()
        .join("\n      ")
}

/// Every endpoint the app registered (the authorization matrix has a row for each, and
/// `authz` fails when one is missing) is called by each role allowed to call it: once in
/// one world, and fifty times at once with the identical form in a second world built the
/// same way. Both worlds must then differ from before in exactly the same way: one
/// proposal, one application, one note, one step, one audit line, one notification per
/// follower — whatever the interleaving.
#[tokio::test]
async fn fifty_identical_posts_at_every_endpoint_do_what_one_does() {
    let registered = registered_endpoints();
    let covered: Vec<&str> = MATRIX.iter().map(|r| r.path).collect();
    let missing: Vec<_> = registered
        .iter()
        .filter(|p| !covered.contains(&p.as_str()))
        .collect();
    assert!(
        missing.is_empty(),
        "endpoints the replay does not cover: {missing:?}"
    );

    let once = app().await;
    let w1 = World::new(&once).await;
    let burst = app().await;
    let w2 = World::new(&burst).await;

    let mut problems = Vec::new();
    let mut posts = 0;
    let mut changing = 0;
    let mut notified = 0;
    let mut skipped = 0;
    for r in MATRIX {
        // Calls that end the caller's own session are made once, without one.
        for role in r.allowed.iter().take(3) {
            let mut f1 = Vec::new();
            let mut f2 = Vec::new();
            let mut unresolved = false;
            for (k, v) in r.fields {
                match (
                    try_resolve_as(&w1, &once, v, role).await,
                    try_resolve_as(&w2, &burst, v, role).await,
                ) {
                    (Some(a), Some(b)) => {
                        f1.push((*k, a));
                        f2.push((*k, b));
                    }
                    _ => unresolved = true,
                }
            }
            if unresolved {
                // An earlier role used up what the row names (e.g. the last pending
                // suggestion): nothing to replay for this one.
                skipped += 1;
                continue;
            }
            // The form as its page carries it: with a one-time token (one per world),
            // identical in all fifty posts.
            if app::api::forms::ONE_TIME.contains(&r.path) {
                f1.push(("form_token", once.form_token(w1.cookie(role)).await));
                f2.push(("form_token", burst.form_token(w2.cookie(role)).await));
            }
            let refs1: Vec<(&str, &str)> = f1.iter().map(|(k, v)| (*k, v.as_str())).collect();
            let refs2: Vec<(&str, &str)> = f2.iter().map(|(k, v)| (*k, v.as_str())).collect();

            let b1 = normalised(&once, &w1, &w1).await;
            let single = once.post(r.path, w1.cookie(role), &refs1).await;
            let a1 = normalised(&once, &w1, &w1).await;

            let b2 = normalised(&burst, &w2, &w1).await;
            let replies =
                join_all((0..BURST).map(|_| burst.post(r.path, w2.cookie(role), &refs2))).await;
            let a2 = normalised(&burst, &w2, &w1).await;
            posts += 1 + replies.len();

            let e1 = effect(&b1, &a1);
            let e2 = effect(&b2, &a2);
            if !e1.is_empty() {
                changing += 1;
            }
            notified += e1
                .iter()
                .filter(|(t, _, _)| t == "notifications")
                .map(|(_, _, came)| came.len())
                .sum::<usize>();
            let errors: Vec<u16> = replies
                .iter()
                .map(|r| r.status)
                .filter(|s| *s >= 500)
                .collect();
            if !errors.is_empty() || single.status >= 500 {
                problems.push(format!(
                    "{} as {role}: server errors {errors:?} (single {}): {}",
                    r.path,
                    single.status,
                    replies
                        .iter()
                        .find(|r| r.status >= 500)
                        .map(|r| r.body.chars().take(160).collect::<String>())
                        .unwrap_or_default()
                ));
            }
            let ok = replies.iter().filter(|r| r.status < 400).count();
            if single.status < 400 && ok == 0 {
                problems.push(format!(
                    "{} as {role}: one post succeeded ({}), fifty at once all failed: {:?}",
                    r.path,
                    single.status,
                    replies.iter().map(|r| r.status).collect::<Vec<_>>()
                ));
            }
            if e1 != e2 {
                problems.push(format!(
                    "{} as {role}: one post did\n      {}\n    fifty at once did\n      {}",
                    r.path,
                    short(&e1),
                    short(&e2)
                ));
            }
        }
    }
    println!(
        "replay: {} endpoints, {posts} posts ({BURST} at once per endpoint and role), {changing} calls that change something, {notified} notifications, {skipped} calls with nothing left to act on — fifty identical posts did exactly what one did",
        MATRIX.len()
    );
    assert!(
        problems.is_empty(),
        "{} problems:\n{}",
        problems.len(),
        problems.join("\n")
    );
}
