//! Mail delivery end to end: notifications become outbox rows in their own transaction,
//! digests collect them, and the sender (server::mailer) hands them to a real SMTP server
//! (the in-process receiver of `smtp.rs`). Fault tests: the SMTP server down for a while,
//! a permanent refusal, the server binary killed mid-delivery, two instances on one
//! database. Every test here runs on a database of its own: the sender claims every
//! due mail it finds.
use crate::binary::Server;
use crate::common::{app_isolated, email, path, TestApp};
use crate::smtp::{free_port, SmtpReceiver};
use app::domain::ids::{ProposalId, UserId};
use app::domain::mail::{MailCategory, MailMode};
use app::domain::notification::NotificationKind;
use app::ssr::db::{self, mail as outbox};
use chrono::Utc;
use server::config::{MailConfig, SmtpUrl};
use server::mailer::Mailer;
use std::collections::HashMap;
use std::time::Duration;

/// A sender aimed at `smtp_url`, retrying after five seconds (long enough that "not due
/// again yet" holds on a loaded machine).
fn mailer(smtp_url: &str) -> Mailer {
    let config = MailConfig {
        smtp_url: Some(SmtpUrl(smtp_url.to_owned())),
        mail_from: "Ungerådet <ungeraad@kommune.test>".into(),
        mail_reply_to: Some("sekretariat@kommune.test".into()),
        public_url: Some("https://stemme.kommune.test".into()),
        mail_poll_ms: 50,
        mail_retry_secs: 5,
        mail_lease_secs: 5,
    };
    Mailer::from_config(&config, "127.0.0.1:3000".parse().expect("addr"))
        .expect("mailer")
        .expect("configured")
}

/// Runs the sender until nothing is due (at most `rounds` batches).
async fn drain(m: &Mailer, app: &TestApp) -> usize {
    let mut n = 0;
    for _ in 0..50 {
        let sent = m.run_once(&app.db).await.expect("run");
        if sent == 0 {
            break;
        }
        n += sent;
    }
    n
}

/// A verified person with `updates` chosen for proposal news.
async fn person(app: &TestApp, name: &str, updates: MailMode) -> (UserId, String) {
    let addr = email(&name.to_lowercase());
    let id = app.user(name, &addr, &[]).await;
    let now = Utc::now();
    let mut tx = db::write_tx(app.db.pool()).await.expect("tx");
    outbox::mark_verified_tx(&mut tx, id, now)
        .await
        .expect("verify");
    outbox::set_mode_tx(&mut tx, id, MailCategory::Updates, updates, now)
        .await
        .expect("mode");
    tx.commit().await.expect("commit");
    (id, addr)
}

/// A submitted proposal by `author` (a fresh council's), through the endpoint.
async fn proposal(app: &TestApp, author_addr: &str) -> ProposalId {
    use app::api::proposals::SaveProposal;
    let council = app
        .council(app::domain::account::RoleKind::Ungeraadsmedlem)
        .await;
    let cookie = app.login(author_addr, crate::common::PASSWORD).await;
    let r = app
        .post(
            path::<SaveProposal>(),
            Some(&cookie),
            &[
                ("title", "Skaterpark ved havnen & <mere>"),
                (
                    "body",
                    "Mange unge har bedt om det, og det ville gøre en stor forskel i hverdagen.",
                ),
                ("theme", "faellesskab"),
                ("council_id", &council.0.to_string()),
                ("intent", "submit"),
            ],
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    ProposalId(r.body.trim().parse().expect("id"))
}

async fn follow(app: &TestApp, proposal: ProposalId, user: UserId) {
    sqlx::query(
        "INSERT INTO proposal_follows (proposal_id, user_id, created_at) VALUES ($1, $2, $3)",
    )
    .bind(proposal.0)
    .bind(user.0)
    .bind(Utc::now().timestamp_micros())
    .execute(app.db.pool())
    .await
    .expect("follow");
}

/// One notification to the author and followers, the way every step of a proposal
/// writes it (the mails in the same transaction).
async fn event(app: &TestApp, proposal: ProposalId, kind: NotificationKind) {
    let mut tx = db::write_tx(app.db.pool()).await.expect("tx");
    let at = Utc::now().timestamp_micros();
    db::notifications::notify_followers(&mut tx, proposal, kind, None, at)
        .await
        .expect("notify");
    tx.commit().await.expect("commit");
}

fn count_by<'a>(items: impl Iterator<Item = &'a str>) -> HashMap<String, usize> {
    let mut m = HashMap::new();
    for i in items {
        *m.entry(i.to_owned()).or_default() += 1;
    }
    m
}

#[tokio::test]
async fn followers_get_mail_as_they_chose_at_once_daily_or_none() {
    let app = app_isolated().await;
    let smtp = SmtpReceiver::start().await;
    let m = mailer(&smtp.url());
    let (_, author) = person(&app, "Forfatter", MailMode::None).await;
    let (instant_id, instant) = person(&app, "Straks", MailMode::Instant).await;
    let (daily_id, daily) = person(&app, "Dagligt", MailMode::Daily).await;
    let (none_id, none) = person(&app, "Ingen", MailMode::None).await;
    let p = proposal(&app, &author).await;
    for id in [instant_id, daily_id, none_id] {
        follow(&app, p, id).await;
    }
    let kinds = [
        NotificationKind::OnAgenda,
        NotificationKind::Forwarded,
        NotificationKind::Answered,
    ];
    for kind in kinds {
        event(&app, p, kind).await;
    }
    // At once: three mails, written with the notifications; nothing for the others yet.
    drain(&m, &app).await;
    let got = smtp.messages();
    let to = count_by(got.iter().flat_map(|r| r.to.iter().map(String::as_str)));
    assert_eq!(to.get(&instant).copied(), Some(3), "{to:?}");
    assert_eq!(to.get(&daily), None);
    assert_eq!(to.get(&none), None);
    // The digest, when due (the next morning): one mail, the three events in order.
    let tomorrow = Utc::now() + chrono::Duration::days(2);
    assert_eq!(
        outbox::write_digests(app.db.pool(), tomorrow)
            .await
            .expect("digests"),
        1
    );
    // Due again later: nothing new, nothing written.
    assert_eq!(
        outbox::write_digests(app.db.pool(), tomorrow)
            .await
            .expect("digests"),
        0
    );
    drain(&m, &app).await;
    let got = smtp.messages();
    let digests: Vec<_> = got.iter().filter(|r| r.to.contains(&daily)).collect();
    assert_eq!(digests.len(), 1, "one digest");
    let text = digests[0].text_body();
    let positions: Vec<usize> = kinds
        .iter()
        .map(|k| {
            text.find(k.text(false))
                .unwrap_or_else(|| panic!("{k:?} in {text}"))
        })
        .collect();
    assert!(
        positions.windows(2).all(|w| w[0] < w[1]),
        "in order: {text}"
    );
    assert!(digests[0]
        .header("Subject")
        .expect("subject")
        .contains("(3)"));
    assert!(!got.iter().any(|r| r.to.contains(&none)), "none gets none");
    assert!(
        !got.iter().any(|r| r.to.contains(&author)),
        "the author chose none"
    );

    // Every mail: text and HTML in Danish, the title escaped in HTML, a stable Message-ID
    // on the sender's domain, the municipality's reply-to, RFC 8058 unsubscribe headers.
    for r in &got {
        let id = r.header("Message-ID").expect("message id");
        assert!(id.ends_with("@kommune.test>"), "{id}");
        assert_eq!(
            r.header("Reply-To").as_deref(),
            Some("sekretariat@kommune.test")
        );
        assert_eq!(
            r.header("List-Unsubscribe-Post").as_deref(),
            Some("List-Unsubscribe=One-Click")
        );
        let unsub = r.header("List-Unsubscribe").expect("list-unsubscribe");
        assert!(
            unsub.starts_with("<https://stemme.kommune.test/afmeld?token="),
            "{unsub}"
        );
        let html = r.html_body().expect("html part");
        assert!(
            html.contains("Skaterpark ved havnen &amp; &lt;mere&gt;"),
            "{html}"
        );
        assert!(r.text_body().contains("Skaterpark ved havnen & <mere>"));
        assert!(r
            .text_body()
            .contains(&format!("https://stemme.kommune.test/forslag/{}", p.0)));
    }
    let ids = count_by(
        got.iter()
            .filter_map(|r| r.header("Message-ID"))
            .collect::<Vec<_>>()
            .iter()
            .map(String::as_str),
    );
    assert!(
        ids.values().all(|n| *n == 1),
        "each Message-ID once: {ids:?}"
    );
    // Nothing sent twice: all rows are sent, and another run sends nothing.
    assert_eq!(drain(&m, &app).await, 0);
    assert_eq!(
        app.count("SELECT COUNT(*) FROM outbox WHERE status <> 'sent'")
            .await,
        0
    );
    smtp.stop().await;
}

#[tokio::test]
async fn an_unverified_address_gets_no_notification_mail() {
    let app = app_isolated().await;
    let addr = email("uverificeret");
    let id = app.user("Uverificeret", &addr, &[]).await;
    let mut tx = db::write_tx(app.db.pool()).await.expect("tx");
    outbox::set_mode_tx(
        &mut tx,
        id,
        MailCategory::Updates,
        MailMode::Instant,
        Utc::now(),
    )
    .await
    .expect("mode");
    tx.commit().await.expect("commit");
    let p = proposal(&app, &addr).await;
    event(&app, p, NotificationKind::Answered).await;
    assert_eq!(app.count("SELECT COUNT(*) FROM notifications").await, 1);
    assert_eq!(app.count("SELECT COUNT(*) FROM outbox").await, 0);
}

/// Writes `n` password-reset mails (any mail will do) to fresh verified people.
async fn some_mails(app: &TestApp, n: usize) -> Vec<String> {
    let mut addrs = Vec::new();
    for i in 0..n {
        let (_, addr) = person(app, &format!("Modtager{i}"), MailMode::None).await;
        let mut tx = db::write_tx(app.db.pool()).await.expect("tx");
        assert!(outbox::queue_reset_tx(&mut tx, &addr, Utc::now())
            .await
            .expect("queue"));
        tx.commit().await.expect("commit");
        addrs.push(addr);
    }
    addrs
}

#[tokio::test]
async fn smtp_down_for_a_while_mail_waits_and_goes_once() {
    let app = app_isolated().await;
    let port = free_port();
    let m = mailer(&format!("smtp://127.0.0.1:{port}"));
    let addrs = some_mails(&app, 5).await;
    // Down: every attempt fails for a passing reason; nothing is lost or given up.
    assert_eq!(m.run_once(&app.db).await.expect("run"), 5);
    assert_eq!(
        app.count("SELECT COUNT(*) FROM outbox WHERE status = 'pending' AND attempts = 1 AND last_error IS NOT NULL").await,
        5
    );
    // Not due again before the back-off.
    assert_eq!(m.run_once(&app.db).await.expect("run"), 0);
    // Back up on the same port: after the back-off each mail goes out exactly once.
    let smtp = SmtpReceiver::start_on(port).await;
    tokio::time::sleep(Duration::from_millis(5100)).await;
    drain(&m, &app).await;
    let got = smtp.wait_for(5, Duration::from_secs(10)).await;
    assert_eq!(got.len(), 5);
    for a in &addrs {
        assert_eq!(got.iter().filter(|r| r.to.contains(a)).count(), 1, "{a}");
    }
    assert_eq!(
        app.count("SELECT COUNT(*) FROM outbox WHERE status = 'sent'")
            .await,
        5
    );
    // The token that went out is not kept in the stored copy.
    let payloads: Vec<String> = sqlx::query_scalar("SELECT payload FROM outbox")
        .fetch_all(app.db.pool())
        .await
        .expect("payloads");
    assert!(
        payloads.iter().all(|p| p.contains("\"token\":\"\"")),
        "{payloads:?}"
    );
    assert_eq!(drain(&m, &app).await, 0);
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(smtp.messages().len(), 5, "none twice");
    smtp.stop().await;
}

#[tokio::test]
async fn a_permanent_refusal_is_recorded_and_the_rest_go_out() {
    let app = app_isolated().await;
    let smtp = SmtpReceiver::start().await;
    let m = mailer(&smtp.url());
    let addrs = some_mails(&app, 3).await;
    smtp.reject_recipient(&addrs[1]);
    drain(&m, &app).await;
    let got = smtp.messages();
    assert_eq!(got.len(), 2);
    let failed: Vec<(String, i64, Option<String>)> =
        sqlx::query_as("SELECT to_addr, attempts, last_error FROM outbox WHERE status = 'failed'")
            .fetch_all(app.db.pool())
            .await
            .expect("failed");
    assert_eq!(failed.len(), 1);
    assert_eq!(failed[0].0, addrs[1]);
    assert_eq!(failed[0].1, 1, "not retried");
    assert!(
        failed[0].2.as_deref().unwrap_or("").contains("550"),
        "{failed:?}"
    );
    smtp.stop().await;
}

/// A TCP listener that accepts SMTP connections and never answers: a sender talking to
/// it is stuck mid-delivery.
async fn stalling_listener() -> (u16, tokio::task::JoinHandle<()>) {
    let l = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let port = l.local_addr().expect("addr").port();
    let task = tokio::spawn(async move {
        let mut held = Vec::new();
        while let Ok((s, _)) = l.accept().await {
            held.push(s);
        }
    });
    (port, task)
}

fn mail_env(smtp_url: &str) -> Vec<(&'static str, String)> {
    vec![
        ("STEMME_SMTP_URL", smtp_url.to_owned()),
        (
            "STEMME_MAIL_FROM",
            "Stemme <stemme@kommune.test>".to_owned(),
        ),
        ("STEMME_MAIL_POLL_MS", "50".to_owned()),
        ("STEMME_MAIL_RETRY_SECS", "1".to_owned()),
        ("STEMME_MAIL_LEASE_SECS", "3".to_owned()),
    ]
}

#[tokio::test]
async fn killed_mid_delivery_the_mail_goes_once_after_restart() {
    let app = app_isolated().await;
    let addrs = some_mails(&app, 3).await;
    // The server claims the mails and is stuck talking to an SMTP server that never
    // answers; then it is killed (SIGKILL), its claims still on the rows.
    let (stall, stall_task) = stalling_listener().await;
    let first = Server::start_with(&app.url, &mail_env(&format!("smtp://127.0.0.1:{stall}"))).await;
    let mut claimed = 0;
    for _ in 0..100 {
        claimed = app
            .count("SELECT COUNT(*) FROM outbox WHERE claimed_by IS NOT NULL")
            .await;
        if claimed > 0 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert!(claimed > 0, "the first server claimed mail");
    first.kill().await;
    stall_task.abort();
    assert_eq!(
        app.count("SELECT COUNT(*) FROM outbox WHERE status = 'sent'")
            .await,
        0
    );
    // Restarted with a working SMTP server: once the dead claim's lease runs out, every
    // mail goes out exactly once.
    let smtp = SmtpReceiver::start().await;
    let second = Server::start_with(&app.url, &mail_env(&smtp.url())).await;
    let got = smtp.wait_for(3, Duration::from_secs(30)).await;
    tokio::time::sleep(Duration::from_millis(500)).await;
    let got_after = smtp.messages();
    assert_eq!(got.len(), 3);
    assert_eq!(got_after.len(), 3, "none twice");
    for a in &addrs {
        assert_eq!(
            got_after.iter().filter(|r| r.to.contains(a)).count(),
            1,
            "{a}"
        );
    }
    second.kill().await;
    smtp.stop().await;
}

#[tokio::test]
async fn two_server_instances_send_each_mail_once() {
    let app = app_isolated().await;
    let smtp = SmtpReceiver::start().await;
    let env = mail_env(&smtp.url());
    let a = Server::start_with(&app.url, &env).await;
    let b = Server::start_with(&app.url, &env).await;
    // Mail written while both are polling.
    let addrs = some_mails(&app, 40).await;
    let got = smtp.wait_for(40, Duration::from_secs(60)).await;
    tokio::time::sleep(Duration::from_millis(500)).await;
    let got = if smtp.messages().len() > got.len() {
        smtp.messages()
    } else {
        got
    };
    assert_eq!(got.len(), 40, "each mail once");
    let ids = count_by(
        got.iter()
            .filter_map(|r| r.header("Message-ID"))
            .collect::<Vec<_>>()
            .iter()
            .map(String::as_str),
    );
    assert_eq!(ids.len(), 40);
    for a in &addrs {
        assert_eq!(got.iter().filter(|r| r.to.contains(a)).count(), 1, "{a}");
    }
    // Every row is recorded as sent. Which instance sent how many is printed, not
    // asserted: one instance may win every claim, and that is correct too.
    let sent = app
        .count("SELECT COUNT(*) FROM outbox WHERE status = 'sent'")
        .await;
    assert_eq!(sent, 40);
    let by: Vec<(Option<String>, i64)> = sqlx::query_as(
        "SELECT claimed_by, COUNT(*) FROM outbox GROUP BY claimed_by ORDER BY claimed_by",
    )
    .fetch_all(app.db.pool())
    .await
    .expect("by instance");
    println!("two instances: 40 mails, each delivered once; sent per instance: {by:?}");
    a.kill().await;
    b.kill().await;
    smtp.stop().await;
}

#[tokio::test]
async fn switching_from_a_digest_to_at_once_sends_what_was_waiting() {
    let app = app_isolated().await;
    let (_, author) = person(&app, "Forfatter", MailMode::None).await;
    let (id, addr) = person(&app, "Skifter", MailMode::Daily).await;
    let p = proposal(&app, &author).await;
    follow(&app, p, id).await;
    event(&app, p, NotificationKind::OnAgenda).await;
    event(&app, p, NotificationKind::Forwarded).await;
    let mails_to = |kind: &'static str| {
        format!(
            "SELECT COUNT(*) FROM outbox WHERE to_addr = '{}' AND kind = '{kind}'",
            addr
        )
    };
    assert_eq!(
        app.count(&mails_to("digest")).await,
        0,
        "waiting for the morning"
    );
    // Now "at once": the two waiting events go as one last digest, right away.
    let mut tx = db::write_tx(app.db.pool()).await.expect("tx");
    outbox::set_mode_tx(
        &mut tx,
        id,
        MailCategory::Updates,
        MailMode::Instant,
        Utc::now(),
    )
    .await
    .expect("mode");
    tx.commit().await.expect("commit");
    assert_eq!(app.count(&mails_to("digest")).await, 1);
    let payload: String = sqlx::query_scalar(&format!(
        "SELECT payload FROM outbox WHERE to_addr = '{addr}' AND kind = 'digest'"
    ))
    .fetch_one(app.db.pool())
    .await
    .expect("payload");
    assert!(
        payload.find("OnAgenda") < payload.find("Forwarded") && payload.contains("Forwarded"),
        "{payload}"
    );
    // From here each event comes at once; no digest repeats them.
    event(&app, p, NotificationKind::Answered).await;
    assert_eq!(app.count(&mails_to("event")).await, 1);
    let later = Utc::now() + chrono::Duration::days(8);
    outbox::write_digests(app.db.pool(), later)
        .await
        .expect("digests");
    assert_eq!(app.count(&mails_to("digest")).await, 1);
}
