//! The audit log: decisions are written to it, the coordinator reads it, and nobody —
//! not even the database owner with SQL — can change or remove a line.
use crate::common::{app_isolated as app, path};
use crate::security::World;
use app::api::{admin::CreateSchool, councils::OpenVote, pool::DecideApplication};

#[tokio::test]
async fn decisions_are_logged_and_the_log_is_append_only() {
    let app = app().await;
    let world = World::new(&app).await;
    // The council votes on the waiting application first (its own audit lines).
    let waiting_item = world.pass_waiting_app(&app).await;
    let before = app.count("SELECT COUNT(*) FROM audit_log").await;

    // Three decisions of different kinds.
    let school = app
        .post(
            path::<CreateSchool>(),
            world.cookie("sekretariat"),
            &[("name", "Logskolen")],
        )
        .await;
    assert!(school.status < 400, "{}", school.body);
    let item = world.resolve(&app, "{bus_item}").await;
    let vote = app
        .post(
            path::<OpenVote>(),
            world.cookie("chair"),
            &[("item_id", &item)],
        )
        .await;
    assert_eq!(vote.status, 200, "{}", vote.body);
    let waiting = world.resolve(&app, "{waiting_app}").await;
    let grant = app
        .post(
            path::<DecideApplication>(),
            world.cookie("chair"),
            &[
                ("application_id", &waiting),
                ("item_id", &waiting_item),
                ("decision", "bevilget"),
            ],
        )
        .await;
    assert!(grant.status < 400, "{}", grant.body);
    // A refused attempt is not a decision.
    let refused = app
        .post(
            path::<CreateSchool>(),
            world.cookie("ung"),
            &[("name", "Ikke min skole")],
        )
        .await;
    assert_eq!(refused.status, 403);

    let after = app.count("SELECT COUNT(*) FROM audit_log").await;
    assert_eq!(after - before, 3, "one line per decision");
    for (action, subject) in [
        ("school_created", "school"),
        ("vote_opened", "vote"),
        ("pool_decided", "pool_application"),
    ] {
        let n = app
            .count(&format!(
                "SELECT COUNT(*) FROM audit_log WHERE action = '{action}' AND subject_kind = '{subject}' AND actor_id IS NOT NULL"
            ))
            .await;
        assert!(n >= 1, "{action} not logged");
    }

    // The coordinator reads it on /admin/log; the page names who did what.
    let (status, html) = app
        .get_with(
            "/admin/log",
            &[("cookie", world.cookie("sekretariat").unwrap_or(""))],
        )
        .await;
    assert_eq!(status, 200);
    assert!(
        html.contains("Ansøgning til puljen afgjort"),
        "the grant is on the page"
    );
    assert!(html.contains("Freja"), "the chair is named");
    let (_, html) = app
        .get_with(
            "/admin/log",
            &[("cookie", world.cookie("moderator").unwrap_or(""))],
        )
        .await;
    assert!(
        !html.contains("Ansøgning til puljen afgjort"),
        "only the coordinator reads the log"
    );

    // Append-only, enforced by the database itself.
    let pool = app.db.pool();
    let update = sqlx::query("UPDATE audit_log SET details = 'rettet'")
        .execute(pool)
        .await;
    assert!(update.is_err(), "UPDATE on the audit log must fail");
    let delete = sqlx::query("DELETE FROM audit_log").execute(pool).await;
    assert!(delete.is_err(), "DELETE on the audit log must fail");
    assert_eq!(app.count("SELECT COUNT(*) FROM audit_log").await, after);
    println!("audit log: 3 decisions logged, UPDATE and DELETE refused by the database");
}

/// The decision and its audit line commit together (`ssr::frame::Tx`): a decision whose
/// transaction fails after both were written leaves neither; committed, both are there.
#[tokio::test]
async fn the_audit_line_commits_with_the_decision() {
    use app::domain::account::RoleKind;
    use app::domain::audit::AuditAction;
    use app::domain::proposal::{Intent, ProposalContent, Theme, Visibility};
    use app::ssr::db::{self, moderation, proposals};
    let app = app().await;
    let pool = app.db.pool();
    let author = app.user("Asta", &crate::common::email("asta"), &[]).await;
    let moderator = app.user("Mona", &crate::common::email("mona"), &[]).await;
    let council = app.council(RoleKind::Ungeraadsmedlem).await;
    let content = ProposalContent {
        title: "Flere bænke i parken".into(),
        body: "Der mangler steder at sidde i parken ved søen om sommeren.".into(),
        theme: Theme::ByNatur,
        council,
        show_name: true,
    };
    let id = proposals::create(
        pool,
        author,
        &content,
        Intent::Submit,
        Visibility::Pending,
        None,
    )
    .await
    .expect("create");
    let lines = |action: &'static str| {
        format!(
            "SELECT COUNT(*) FROM audit_log WHERE action = '{action}' AND subject_id = {}",
            id.0
        )
    };
    let approved = format!(
        "SELECT COUNT(*) FROM proposals WHERE id = {} AND visibility = 'published'",
        id.0
    );
    let action = AuditAction::ProposalApproved;

    // The decision and its line are written, then the request fails before the commit.
    let mut tx = db::write_tx(pool).await.expect("tx");
    assert!(moderation::approve_tx(&mut tx, id, moderator)
        .await
        .expect("approve"));
    db::audit::record_tx(&mut tx, moderator, action, "proposal", Some(id.0), "")
        .await
        .expect("audit");
    drop(tx);
    assert_eq!(
        app.count(&approved).await,
        0,
        "no decision without its commit"
    );
    assert_eq!(
        app.count(&lines(action.as_str())).await,
        0,
        "a failed decision leaves no audit line"
    );

    // Committed: both.
    let mut tx = db::write_tx(pool).await.expect("tx");
    assert!(moderation::approve_tx(&mut tx, id, moderator)
        .await
        .expect("approve"));
    db::audit::record_tx(&mut tx, moderator, action, "proposal", Some(id.0), "")
        .await
        .expect("audit");
    tx.commit().await.expect("commit");
    assert_eq!(app.count(&approved).await, 1);
    assert_eq!(app.count(&lines(action.as_str())).await, 1);
}

/// A pool decision and its audit line commit together: written in one transaction that
/// then fails, neither the grant (status, ledger, the year's total) nor its line remain;
/// through the endpoint, both are stored.
#[tokio::test]
async fn a_pool_decision_and_its_audit_line_commit_together() {
    use app::domain::audit::AuditAction;
    use app::domain::ids::{AgendaItemId, UserId};
    use app::domain::pool::Decision;
    use app::ssr::db;
    let app = app().await;
    let world = World::new(&app).await;
    let item = world.pass_waiting_app(&app).await;
    let application: i64 = world
        .resolve(&app, "{waiting_app}")
        .await
        .parse()
        .expect("application id");
    let pool = app.db.pool();
    let vote = db::councils::item_vote(pool, AgendaItemId(item.parse().expect("item id")))
        .await
        .expect("vote")
        .expect("a closed vote on the item")
        .id;
    let chair = UserId(
        app.count("SELECT MIN(id) FROM users WHERE email = 'ungeraad@demo.stemme.dk'")
            .await,
    );
    let granted = format!(
        "SELECT COUNT(*) FROM pool_applications WHERE id = {application} AND status = 'granted'"
    );
    let ledger = format!(
        "SELECT COUNT(*) FROM pool_ledger WHERE application_id = {application} AND kind = 'grant'"
    );
    let lines = format!(
        "SELECT COUNT(*) FROM audit_log WHERE action = 'pool_decided' AND subject_id = {application}"
    );
    let total = "SELECT CAST(SUM(granted_ore) AS BIGINT) FROM pool_years";
    let total_before = app.count(total).await;

    let mut tx = db::write_tx(pool).await.expect("tx");
    let amount = db::pool::decide_tx(
        &mut tx,
        application,
        &Decision::Bevilget { conditions: None },
        vote,
        chair,
        chrono::Utc::now(),
    )
    .await
    .expect("decide");
    assert!(amount > 0);
    db::audit::record_tx(
        &mut tx,
        chair,
        AuditAction::PoolDecided,
        "pool_application",
        Some(application),
        "",
    )
    .await
    .expect("audit");
    drop(tx);
    assert_eq!(app.count(&granted).await, 0, "no grant without its commit");
    assert_eq!(app.count(&ledger).await, 0, "no ledger entry");
    assert_eq!(app.count(total).await, total_before, "no money taken");
    assert_eq!(app.count(&lines).await, 0, "no audit line");

    let r = app
        .post(
            path::<DecideApplication>(),
            world.cookie("chair"),
            &[
                ("application_id", &application.to_string()),
                ("item_id", &item),
                ("decision", "bevilget"),
            ],
        )
        .await;
    assert!(r.status < 400, "{}", r.body);
    assert_eq!(app.count(&granted).await, 1);
    assert_eq!(app.count(&ledger).await, 1);
    assert_eq!(app.count(total).await, total_before + amount);
    assert_eq!(app.count(&lines).await, 1, "one line with the decision");
}

/// A role grant and its audit line commit together; a grant the database refuses (the
/// same role twice) writes no line; a revocation is stored with its line.
#[tokio::test]
async fn a_role_change_and_its_audit_line_commit_together() {
    use app::api::admin::{GrantRole, RevokeRole};
    use app::domain::account::RoleKind;
    use app::domain::audit::AuditAction;
    use app::ssr::db;
    let app = app().await;
    let world = World::new(&app).await;
    let pool = app.db.pool();
    let target = world.resolve(&app, "{target_user}").await;
    let user = app::domain::ids::UserId(target.parse().expect("user id"));
    let coordinator = app::domain::ids::UserId(
        app.count("SELECT MIN(user_id) FROM user_roles WHERE role = 'sekretariat'")
            .await,
    );
    let roles =
        format!("SELECT COUNT(*) FROM user_roles WHERE user_id = {target} AND role = 'moderator'");
    let granted_lines = format!(
        "SELECT COUNT(*) FROM audit_log WHERE action = 'role_granted' AND subject_id = {target}"
    );

    let mut tx = db::write_tx(pool).await.expect("tx");
    db::users::grant_tx(&mut tx, user, RoleKind::Moderator, None, None, coordinator)
        .await
        .expect("grant");
    db::audit::record_tx(
        &mut tx,
        coordinator,
        AuditAction::RoleGranted,
        "user",
        Some(user.0),
        "moderator",
    )
    .await
    .expect("audit");
    drop(tx);
    assert_eq!(app.count(&roles).await, 0, "no role without its commit");
    assert_eq!(app.count(&granted_lines).await, 0, "no audit line");

    let form = [("user_id", target.as_str()), ("role", "moderator")];
    let grant = || app.post(path::<GrantRole>(), world.cookie("sekretariat"), &form);
    let r = grant().await;
    assert!(r.status < 400, "{}", r.body);
    assert_eq!(app.count(&roles).await, 1);
    assert_eq!(
        app.count(&granted_lines).await,
        1,
        "one line with the grant"
    );
    // The same role again: refused by the database, and no line for it.
    let again = grant().await;
    assert_eq!(again.status, 409, "{}", again.body);
    assert_eq!(
        app.count(&granted_lines).await,
        1,
        "a refused grant writes no line"
    );

    let grant_id = app
        .count(&format!(
            "SELECT MAX(id) FROM user_roles WHERE user_id = {target} AND role = 'moderator'"
        ))
        .await;
    let r = app
        .post(
            path::<RevokeRole>(),
            world.cookie("sekretariat"),
            &[("grant_id", &grant_id.to_string())],
        )
        .await;
    assert!(r.status < 400, "{}", r.body);
    assert_eq!(app.count(&roles).await, 0);
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) FROM audit_log WHERE action = 'role_revoked' AND subject_id = {grant_id}"
        ))
        .await,
        1,
        "one line with the revocation"
    );
}

/// A change that sets a value writes its line in its own transaction, under the subject's
/// lock: the same rules sent several times at once are stored with one line; other rules
/// get a second.
#[tokio::test]
async fn a_setting_sent_twice_at_once_writes_one_line() {
    use app::api::councils::SetBallotRules;
    let app = app().await;
    let world = World::new(&app).await;
    let council = world.resolve(&app, "{ungeraad}").await;
    let lines = format!(
        "SELECT COUNT(*) FROM audit_log WHERE action = 'ballot_rules_set' AND subject_id = {council}"
    );
    let before = app.count(&lines).await;
    let form = [("council_id", council.as_str()), ("allow_change", "1")];
    let send = || app.post(path::<SetBallotRules>(), world.cookie("chair"), &form);
    let (a, b, c) = tokio::join!(send(), send(), send());
    for r in [a, b, c] {
        assert!(r.status < 400, "{}", r.body);
    }
    assert_eq!(
        app.count(&lines).await,
        before + 1,
        "one line for one change"
    );
    let other = [("council_id", council.as_str()), ("secret", "1")];
    let r = app
        .post(path::<SetBallotRules>(), world.cookie("chair"), &other)
        .await;
    assert!(r.status < 400, "{}", r.body);
    assert_eq!(
        app.count(&lines).await,
        before + 2,
        "a new value, a new line"
    );
}
