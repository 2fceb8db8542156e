//! Crash safety: the real server binary under a write load (supports, ballots, grant
//! decisions) is killed with SIGKILL halfway through, then started again on the same
//! database. Every write the server acknowledged must be there, every refusal it
//! acknowledged must have left nothing, and every invariant must hold.
use crate::binary::{self, Server};
use crate::common::{app_isolated, email, path, TestApp, PASSWORD};
use app::api::{
    councils::{CastVote, CloseVote, OpenVote},
    pool::DecideApplication,
    proposals::SupportProposal,
};
use app::domain::account::{AccountStatus, RoleKind};
use app::domain::council::{Choice, MeetingStatus};
use app::domain::ids::{CouncilId, UserId};
use app::domain::pool::{Application, BudgetLine};
use app::ssr::db::{councils, pool as dbp, users};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

/// Council members casting ballots and supporting proposals.
const MEMBERS: usize = 30;
/// Applications to the pool, more than it can pay for.
const APPLICATIONS: usize = 24;
/// Requests in flight at a time.
const WORKERS: usize = 6;

#[derive(Clone, Debug)]
enum Job {
    Support { member: usize, proposal: i64 },
    Ballot { member: usize },
    Decide { application: i64, item: i64 },
}

#[derive(Debug)]
enum Acked {
    Supported(UserId, i64),
    Voted(UserId),
    Granted(i64),
    /// The pool could not pay: acknowledged as refused, so nothing may be stored.
    Refused(i64),
}

struct Member {
    id: UserId,
    cookie: String,
}

async fn n(app: &TestApp, sql: &str) -> i64 {
    app.count(sql).await
}

#[tokio::test]
async fn acknowledged_writes_survive_sigkill() {
    let app = app_isolated().await;
    server::provision::load_demo(&app.db).await.expect("demo");
    let pool = app.db.pool();
    let year = chrono::Datelike::year(&chrono::Utc::now().date_naive());
    let ungeraad = CouncilId(
        n(
            &app,
            "SELECT MIN(id) FROM councils WHERE name = 'Ungerådet'",
        )
        .await,
    );
    let chair = app
        .login("ungeraad@demo.stemme.dk", crate::security::DEMO_PASSWORD)
        .await;

    // Thirty more members of Ungerådet, logged in.
    let hash = app::ssr::password::hash(PASSWORD.into())
        .await
        .expect("hash");
    let mut members = Vec::new();
    for i in 0..MEMBERS {
        let mail = email(&format!("medlem{i}"));
        let id = users::create(
            pool,
            users::NewUser {
                first_name: "Medlem",
                email: &mail,
                birth_year: 2008,
                password_hash: &hash,
                status: AccountStatus::Active,
                school_id: None,
                youth: true,
            },
        )
        .await
        .expect("member");
        users::grant(
            pool,
            id,
            RoleKind::Ungeraadsmedlem,
            Some(ungeraad),
            Some((year, year + 1)),
            id,
        )
        .await
        .expect("role");
        members.push(Member {
            id,
            cookie: app.login(&mail, PASSWORD).await,
        });
    }

    // A vote, opened by the chair.
    let item = n(
        &app,
        "SELECT MAX(id) FROM agenda_items WHERE proposal_id = \
         (SELECT MIN(id) FROM proposals WHERE title = 'Gratis bus for unge om aftenen')",
    )
    .await;
    let opened = app
        .post(
            path::<OpenVote>(),
            Some(&chair),
            &[("item_id", &item.to_string())],
        )
        .await;
    assert_eq!(opened.status, 200, "open vote: {}", opened.body);
    let vote: i64 = opened.body.trim().parse().expect("vote id");

    // Applications to this year's pool, together asking three times what it has left.
    let (year_id, left, max_grant): (i64, i64, i64) = sqlx::query_as(
        "SELECT id, amount_ore - granted_ore + returned_ore + corrected_ore, max_grant_ore \
         FROM pool_years WHERE id = (SELECT pool_year_id FROM pool_applications \
         WHERE title = 'Brætspilsaften i biblioteket')",
    )
    .fetch_one(pool)
    .await
    .expect("pool year");
    let each = (left * 3 / APPLICATIONS as i64 / 100 * 100).clamp(100, max_grant);
    let date = chrono::Utc::now().date_naive() + chrono::Duration::days(30);
    let mut applications = Vec::new();
    for (i, m) in members.iter().take(APPLICATIONS).enumerate() {
        let a = Application {
            title: format!("Aktivitet nummer {i}"),
            activity: "En aktivitet, som unge selv har fundet på.".into(),
            audience: "Unge i kommunen".into(),
            participants: 20,
            date,
            place: "Ungdomshuset".into(),
            members: String::new(),
            amount: each,
            lines: vec![BudgetLine {
                text: "Udgifter".into(),
                amount: each,
                actual: None,
            }],
        };
        applications.push(
            dbp::create_application(pool, year_id, m.id, &a, None)
                .await
                .expect("application"),
        );
    }

    // The council votes on every application first (a grant rests on a passed vote on
    // its agenda item): a published meeting, an item each, more than half of the members For.
    let meeting = councils::create_meeting(
        pool,
        ungeraad,
        chrono::Utc::now(),
        "Ungdomshuset",
        members[0].id,
        None,
    )
    .await
    .expect("meeting");
    councils::advance_meeting(
        pool,
        meeting,
        MeetingStatus::Planned,
        MeetingStatus::Published,
    )
    .await
    .expect("published");
    let council_members = councils::member_count(pool, ungeraad)
        .await
        .expect("members");
    let mut items = Vec::new();
    for &application in &applications {
        let item = councils::add_application_item(
            pool,
            meeting,
            "Ansøgning til puljen",
            application,
            chrono::Utc::now(),
        )
        .await
        .expect("item")
        .expect("not on an agenda yet");
        let vote = councils::open_vote(pool, item, ungeraad, council_members)
            .await
            .expect("vote");
        for m in members.iter().take(council_members as usize / 2 + 1) {
            councils::cast(pool, vote, m.id, Choice::For, false, false)
                .await
                .expect("ballot");
        }
        councils::close_vote(pool, vote).await.expect("close");
        items.push((application, item.0));
    }

    // Every proposal that can be supported, by every member; a ballot each; a decision on
    // every application — interleaved.
    let proposals: Vec<i64> = sqlx::query_scalar(
        "SELECT id FROM proposals WHERE status <> 'draft' AND visibility = 'published' ORDER BY id",
    )
    .fetch_all(pool)
    .await
    .expect("proposals");
    assert!(!proposals.is_empty(), "no proposal to support");
    let mut jobs = Vec::new();
    for (member, _) in members.iter().enumerate() {
        for &proposal in &proposals {
            jobs.push(Job::Support { member, proposal });
        }
        jobs.push(Job::Ballot { member });
    }
    jobs.extend(
        items
            .iter()
            .map(|&(application, item)| Job::Decide { application, item }),
    );
    // A fixed shuffle (so a failure can be replayed).
    let mut seed: u64 = 0x5eed;
    for i in (1..jobs.len()).rev() {
        seed = seed
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        jobs.swap(i, (seed >> 33) as usize % (i + 1));
    }
    let total = jobs.len();

    let server = Server::start(&app.url).await;
    let addr = server.addr;
    let jobs = Arc::new(jobs);
    let members = Arc::new(members);
    let next = Arc::new(AtomicUsize::new(0));
    let acked = Arc::new(Mutex::new(Vec::new()));
    let killed = Arc::new(AtomicBool::new(false));
    let mut workers = Vec::new();
    for _ in 0..WORKERS {
        let (jobs, members, next, acked, killed, chair) = (
            jobs.clone(),
            members.clone(),
            next.clone(),
            acked.clone(),
            killed.clone(),
            chair.clone(),
        );
        workers.push(tokio::spawn(async move {
            let mut unanswered = 0;
            loop {
                let i = next.fetch_add(1, Ordering::SeqCst);
                let Some(job) = jobs.get(i) else { break };
                if killed.load(Ordering::SeqCst) {
                    break;
                }
                let (reply, ack) = match job {
                    Job::Support { member, proposal } => {
                        let m = &members[*member];
                        let r = binary::post(
                            addr,
                            path::<SupportProposal>(),
                            &m.cookie,
                            &[("proposal_id", &proposal.to_string())],
                        )
                        .await;
                        let ok = matches!(r, Ok((200, _)));
                        (r, ok.then_some(Acked::Supported(m.id, *proposal)))
                    }
                    Job::Ballot { member } => {
                        let m = &members[*member];
                        let r = binary::post(
                            addr,
                            path::<CastVote>(),
                            &m.cookie,
                            &[("vote_id", &vote.to_string()), ("choice", "for")],
                        )
                        .await;
                        let ok = matches!(r, Ok((200, _)));
                        (r, ok.then_some(Acked::Voted(m.id)))
                    }
                    Job::Decide { application, item } => {
                        let r = binary::post(
                            addr,
                            path::<DecideApplication>(),
                            &chair,
                            &[
                                ("application_id", &application.to_string()),
                                ("item_id", &item.to_string()),
                                ("decision", "bevilget"),
                            ],
                        )
                        .await;
                        let ack = match &r {
                            Ok((200, _)) => Some(Acked::Granted(*application)),
                            Ok((409, _)) => Some(Acked::Refused(*application)),
                            _ => None,
                        };
                        (r, ack)
                    }
                };
                match (reply, ack) {
                    (_, Some(a)) => acked.lock().expect("acks").push(a),
                    (Ok((status, body)), None) => {
                        panic!("{job:?} answered {status} before the kill: {body}")
                    }
                    (Err(_), None) => unanswered += 1,
                }
            }
            unanswered
        }));
    }

    // Kill the server when half the writes are acknowledged: the rest are in flight.
    while acked.lock().expect("acks").len() < total / 2 {
        tokio::time::sleep(std::time::Duration::from_millis(2)).await;
    }
    killed.store(true, Ordering::SeqCst);
    server.kill().await;
    let mut unanswered = 0;
    for w in workers {
        unanswered += w.await.expect("worker");
    }
    let acked = std::mem::take(&mut *acked.lock().expect("acks"));
    let acknowledged = acked.len();
    assert!(
        acknowledged >= total / 2 && acknowledged < total,
        "{acknowledged} of {total} acknowledged: the kill did not land mid-load"
    );

    // Start again on the same files, as an operator (or systemd) would.
    let server = Server::start(&app.url).await;
    let mut checked = 0;
    let mut found = 0;
    for a in &acked {
        let present = match a {
            Acked::Supported(user, proposal) => {
                n(&app, &format!("SELECT COUNT(*) FROM proposal_supports WHERE proposal_id = {proposal} AND user_id = {}", user.0)).await == 1
            }
            Acked::Voted(user) => {
                n(&app, &format!("SELECT COUNT(*) FROM vote_participants WHERE vote_id = {vote} AND user_id = {}", user.0)).await == 1
            }
            Acked::Granted(id) => {
                n(&app, &format!("SELECT COUNT(*) FROM pool_applications WHERE id = {id} AND status = 'granted' AND granted_ore = asked_ore")).await == 1
                    && n(&app, &format!("SELECT COUNT(*) FROM pool_ledger WHERE application_id = {id} AND kind = 'grant'")).await == 1
                    && n(&app, &format!("SELECT COUNT(*) FROM audit_log WHERE action = 'pool_decided' AND subject_id = {id}")).await == 1
            }
            Acked::Refused(id) => {
                n(&app, &format!("SELECT COUNT(*) FROM pool_applications WHERE id = {id} AND status = 'submitted' AND granted_ore = 0")).await == 1
                    && n(&app, &format!("SELECT COUNT(*) FROM pool_ledger WHERE application_id = {id}")).await == 0
            }
        };
        assert!(
            present,
            "acknowledged before the kill, missing after: {a:?}"
        );
        found += 1;
    }
    checked += 1;

    // Invariants over everything, acknowledged or not.
    let invariants: [(&str, String); 5] = [
        (
            "a stored support count differs from its rows",
            "SELECT COUNT(*) FROM proposals p WHERE p.supporters <> \
             (SELECT COUNT(*) FROM proposal_supports s WHERE s.proposal_id = p.id)"
                .into(),
        ),
        (
            "a pool year is overspent or disagrees with its ledger",
            "SELECT COUNT(*) FROM pool_years y WHERE \
             y.amount_ore - y.granted_ore + y.returned_ore + y.corrected_ore < 0 \
             OR y.granted_ore <> COALESCE((SELECT SUM(amount_ore) FROM pool_ledger l \
             WHERE l.pool_year_id = y.id AND l.kind = 'grant'), 0)"
                .into(),
        ),
        (
            "a pool year's grants differ from its applications'",
            "SELECT COUNT(*) FROM pool_years y WHERE y.granted_ore <> COALESCE((SELECT \
             SUM(a.granted_ore) FROM pool_applications a WHERE a.pool_year_id = y.id), 0)"
                .into(),
        ),
        (
            "a decided application has no ledger entry, or an undecided one has",
            "SELECT COUNT(*) FROM pool_applications a WHERE (a.status IN ('granted', \
             'partly_granted')) <> EXISTS (SELECT 1 FROM pool_ledger l \
             WHERE l.application_id = a.id AND l.kind = 'grant')"
                .into(),
        ),
        (
            "a ballot without a participant or a participant without a ballot",
            format!(
                "SELECT (SELECT COUNT(*) FROM vote_participants WHERE vote_id = {vote}) - \
                 (SELECT COUNT(*) FROM ballots WHERE vote_id = {vote})"
            ),
        ),
    ];
    for (what, sql) in &invariants {
        assert_eq!(n(&app, sql).await, 0, "{what}");
        checked += 1;
    }
    if app.db.backend().name() == "sqlite" {
        assert!(
            app.db.sqlite_integrity_ok().await.expect("integrity"),
            "SQLite integrity check"
        );
        checked += 1;
    }

    // The restarted server works: a write, then the vote closes with every ballot counted.
    let last = &members[MEMBERS - 1];
    let r = binary::post(
        server.addr,
        path::<SupportProposal>(),
        &last.cookie,
        &[("proposal_id", &proposals[0].to_string())],
    )
    .await
    .expect("support after restart");
    assert_eq!(r.0, 200, "support after restart: {}", r.1);
    let r = binary::post(
        server.addr,
        path::<CloseVote>(),
        &chair,
        &[("vote_id", &vote.to_string())],
    )
    .await
    .expect("close after restart");
    assert_eq!(r.0, 200, "close after restart: {}", r.1);
    let tally = n(
        &app,
        &format!("SELECT yes + no + abstain FROM votes WHERE id = {vote}"),
    )
    .await;
    let voters = n(
        &app,
        &format!("SELECT COUNT(*) FROM vote_participants WHERE vote_id = {vote}"),
    )
    .await;
    assert_eq!(tally, voters, "the tally after restart counts every ballot");
    checked += 1;
    server.kill().await;

    let by_kind = |f: fn(&Acked) -> bool| acked.iter().filter(|a| f(a)).count();
    println!(
        "crash test: {acknowledged} writes acknowledged of {total} sent ({} supports, {} ballots, {} grants, {} refusals), {found} found after SIGKILL and restart, {unanswered} cut off unanswered, {checked} invariants checked ({})",
        by_kind(|a| matches!(a, Acked::Supported(..))),
        by_kind(|a| matches!(a, Acked::Voted(_))),
        by_kind(|a| matches!(a, Acked::Granted(_))),
        by_kind(|a| matches!(a, Acked::Refused(_))),
        app.db.backend().name()
    );
}
