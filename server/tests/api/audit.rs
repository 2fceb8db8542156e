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
