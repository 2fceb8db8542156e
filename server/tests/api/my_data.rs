//! "My data, complete" (#22): every column in the live schema that holds a user id is
//! either exported in `/konto/mine-data.json` or handled when the account is deleted
//! (`db::users::USER_DATA`), and a person with one of everything gets all of it in the
//! export; deleting the account removes their drafts and anonymises the rest.
use crate::common::{self, email, path, TestApp, PASSWORD};

use app::api::accounts::DeleteAccount;
use app::domain::account::RoleKind;
use app::domain::ids::{CouncilId, ProposalId, UserId};
use app::domain::pool::{Application, BudgetLine, PoolSettings};
use app::domain::proposal::{Intent, ProposalContent, Theme, Visibility};
use app::ssr::db::moderation::{add_comment_as, CommentAs};
use app::ssr::db::users::{Export, OnDelete, USER_DATA};
use app::ssr::db::{councils, pool as dbp, proposals, supports};
use std::collections::BTreeSet;

/// The (table, column) pairs in the live schema that hold a user id: a foreign key to
/// `users`, or a column named `user_id` or `actor_id` (some logs keep the id without a key).
async fn user_id_columns(app: &TestApp) -> BTreeSet<(String, String)> {
    let postgres = app.url.starts_with("postgres");
    let sql = if postgres {
        "SELECT kcu.table_name::text AS t, kcu.column_name::text AS c \
         FROM information_schema.table_constraints tc \
         JOIN information_schema.key_column_usage kcu \
           ON kcu.constraint_name = tc.constraint_name AND kcu.table_schema = tc.table_schema \
         JOIN information_schema.constraint_column_usage ccu \
           ON ccu.constraint_name = tc.constraint_name AND ccu.table_schema = tc.table_schema \
         WHERE tc.constraint_type = 'FOREIGN KEY' AND ccu.table_name = 'users' \
           AND ccu.column_name = 'id' AND tc.table_schema = current_schema() \
         UNION \
         SELECT c.table_name::text AS t, c.column_name::text AS c FROM information_schema.columns c \
         JOIN information_schema.tables b ON b.table_name = c.table_name AND b.table_schema = c.table_schema \
         WHERE c.table_schema = current_schema() AND b.table_type = 'BASE TABLE' \
           AND c.column_name IN ('user_id', 'actor_id')"
    } else {
        "SELECT m.name AS t, p.name AS c FROM sqlite_master m, pragma_table_info(m.name) p \
         WHERE m.type = 'table' AND (p.name IN ('user_id', 'actor_id') OR EXISTS ( \
           SELECT 1 FROM pragma_foreign_key_list(m.name) f WHERE f.\"from\" = p.name AND f.\"table\" = 'users'))"
    };
    let rows: Vec<(String, String)> = sqlx::query_as(sql)
        .fetch_all(app.db.pool())
        .await
        .expect("schema");
    rows.into_iter().collect()
}

#[tokio::test]
async fn every_column_holding_a_user_id_is_exported_or_handled_on_deletion() {
    let app = common::app().await;
    let schema = user_id_columns(&app).await;
    assert!(
        schema.contains(&("proposals".into(), "author_id".into()))
            && schema.contains(&("sessions".into(), "user_id".into())),
        "the schema query finds the user-id columns: {schema:?}"
    );
    let listed: BTreeSet<(String, String)> = USER_DATA
        .iter()
        .map(|c| (c.table.to_owned(), c.column.to_owned()))
        .collect();
    assert_eq!(listed.len(), USER_DATA.len(), "a column listed twice");
    let missing: Vec<_> = schema.difference(&listed).collect();
    assert!(
        missing.is_empty(),
        "columns holding a user id that neither the export nor the account deletion \
         handles — add them to db::users::USER_DATA: {missing:?}"
    );
    let stale: Vec<_> = listed.difference(&schema).collect();
    assert!(
        stale.is_empty(),
        "USER_DATA lists columns the schema does not have: {stale:?}"
    );
    // Every entry is covered one way or the other, and secrets are never exported.
    for c in USER_DATA {
        let exported = !matches!(c.export, Export::No(_));
        assert!(
            exported
                || c.on_delete != OnDelete::Keep
                || matches!(c.export, Export::No(r) if !r.is_empty()),
            "{}.{}: neither exported nor handled",
            c.table,
            c.column
        );
        if let Export::Rows { sql, .. } = c.export {
            for secret in ["password", "token", "payload", "nonce", "pkce", "hash"] {
                assert!(!sql.contains(secret), "{}: exports {secret}", c.table);
            }
        }
    }
}

async fn council_of(app: &TestApp, user: UserId) -> CouncilId {
    CouncilId(
        app.count(&format!(
            "SELECT council_id FROM user_roles WHERE user_id = {} AND council_id IS NOT NULL",
            user.0
        ))
        .await,
    )
}

async fn proposal(app: &TestApp, author: UserId, council: CouncilId, intent: Intent) -> ProposalId {
    proposals::create(
        app.db.pool(),
        author,
        &ProposalContent {
            title: "Flere bænke ved søen".into(),
            body: "Der er for få steder at sidde, når vi mødes ved søen efter skole.".into(),
            theme: Theme::ByNatur,
            council,
            show_name: true,
        },
        intent,
        Visibility::Published,
        None,
    )
    .await
    .expect("proposal")
}

/// A closed vote at a new meeting of `council` on a free-text item, with `voter`'s ballot.
async fn closed_vote(app: &TestApp, council: CouncilId, voter: UserId, secret: bool) -> i64 {
    let pool = app.db.pool();
    let mut tx = app::ssr::db::write_tx(pool).await.expect("tx");
    councils::set_ballot_rules_tx(&mut tx, council, secret, false)
        .await
        .expect("rules");
    tx.commit().await.expect("commit");
    let at = chrono::Utc::now();
    let meeting = councils::create_meeting(pool, council, at, "Rådhuset", voter, None)
        .await
        .expect("meeting");
    let item = councils::add_item_at(
        pool,
        meeting,
        council,
        "Rådets møde".into(),
        "Skaterbanen",
        None,
        None,
        voter,
        at,
        None,
    )
    .await
    .expect("item");
    use app::domain::council::{Choice, MeetingStatus};
    councils::advance_meeting(
        pool,
        meeting,
        MeetingStatus::Planned,
        MeetingStatus::Published,
    )
    .await
    .expect("published");
    let vote = councils::open_vote_at(pool, item, council, 1, at)
        .await
        .expect("vote");
    councils::cast(pool, vote, voter, Choice::For, secret, false)
        .await
        .expect("ballot");
    councils::close_vote_at(pool, vote, at)
        .await
        .expect("close");
    vote.0
}

#[tokio::test]
async fn my_data_holds_one_of_everything_and_deletion_removes_drafts_and_anonymises() {
    let app = common::app().await;
    let pool = app.db.pool();
    let mail = email("eksport");
    let me = app
        .user("Eksportia", &mail, &[RoleKind::Ungeraadsmedlem])
        .await;
    let cookie = app.login(&mail, PASSWORD).await;
    let council = council_of(&app, me).await;
    let other = app.user("Andenia", &email("anden"), &[]).await;

    // One of everything.
    let draft = proposal(&app, me, council, Intent::Draft).await;
    let mine = proposal(&app, me, council, Intent::Submit).await;
    let theirs = proposal(&app, other, council, Intent::Submit).await;
    supports::support(pool, theirs, me).await.expect("support");
    supports::follow(pool, theirs, me, true)
        .await
        .expect("follow");
    add_comment_as(
        pool,
        theirs,
        me,
        "Godt forslag, jeg er med.",
        CommentAs::default(),
        None,
    )
    .await
    .expect("comment")
    .expect("stored");
    // Someone comments on mine: a notification for me.
    add_comment_as(
        pool,
        mine,
        other,
        "Det vil jeg også gerne have.",
        CommentAs {
            notice: Some(app::domain::notification::NotificationKind::Submitted),
            ..CommentAs::default()
        },
        None,
    )
    .await
    .expect("comment")
    .expect("stored");
    sqlx::query(
        "INSERT INTO notifications (user_id, proposal_id, kind, created_at) VALUES ($1, $2, 'approved', 1)",
    )
    .bind(me.0)
    .bind(mine.0)
    .execute(pool)
    .await
    .expect("notification");
    dbp::save_draft(pool, me, r#"{"title":"Kladde til puljen"}"#)
        .await
        .expect("pool draft");
    let year_id = dbp::open_year(
        pool,
        &PoolSettings {
            year: 2071,
            amount: 10_000_000,
            max_grant: 2_500_000,
            min_age: 13,
            rules: String::new(),
        },
        council,
        me,
    )
    .await
    .expect("pool year");
    let date = chrono::Utc::now().date_naive() + chrono::Duration::days(30);
    dbp::create_application(
        pool,
        year_id,
        me,
        &Application {
            title: "Koncert i parken".into(),
            activity: "En koncert, som unge selv arrangerer.".into(),
            audience: "Unge i kommunen".into(),
            participants: 40,
            date,
            place: "Parken".into(),
            members: String::new(),
            amount: 300_000,
            lines: vec![BudgetLine {
                text: "Lydanlæg".into(),
                amount: 300_000,
                actual: None,
            }],
        },
        None,
    )
    .await
    .expect("application");
    let open_vote = closed_vote(&app, council, me, false).await;
    let secret_vote = closed_vote(&app, council, me, true).await;
    sqlx::query("UPDATE users SET mail_updates = 'weekly' WHERE id = $1")
        .bind(me.0)
        .execute(pool)
        .await
        .expect("mail choice");
    // A teacher at a school, hosting one live session and taking part in it (#23).
    let school_name = email("skole");
    let school_name = &school_name[..school_name.len().min(40)];
    let school = app::ssr::db::schools::create(pool, school_name)
        .await
        .expect("school");
    sqlx::query(
        "INSERT INTO teachers (user_id, school_id, granted_by, granted_at) VALUES ($1, $2, $1, 1)",
    )
    .bind(me.0)
    .bind(school.0)
    .execute(pool)
    .await
    .expect("teacher");
    let now = app::ssr::db::time::now_micros();
    let code = format!("M{:05}", me.0 % 100_000);
    let live: i64 = sqlx::query_scalar(
        "INSERT INTO live_sessions (code, kind, title, host_id, opened_at, expires_at) \
         VALUES ($1, 'bytinget', 'Bytinget i testen', $2, $3, $4) RETURNING id",
    )
    .bind(&code)
    .bind(me.0)
    .bind(now)
    .bind(now + 3_600_000_000)
    .fetch_one(pool)
    .await
    .expect("live session");
    sqlx::query(
        "INSERT INTO live_participants (session_id, token_hash, user_id, number, joined_at) \
         VALUES ($1, $2, $3, 1, $4)",
    )
    .bind(live)
    .bind(format!("{:064x}", me.0))
    .bind(me.0)
    .bind(now)
    .execute(pool)
    .await
    .expect("participant");
    let subject = email("uni");
    sqlx::query(
        "INSERT INTO user_identities (user_id, provider, subject, created_at, last_login_at) \
         VALUES ($1, 'unilogin', $2, 1, 2)",
    )
    .bind(me.0)
    .bind(&subject)
    .execute(pool)
    .await
    .expect("identity");

    // The export.
    let res = app
        .send(
            axum::http::Request::get("/konto/mine-data.json")
                .header("cookie", &cookie)
                .body(axum::body::Body::empty())
                .expect("request"),
        )
        .await;
    assert_eq!(res.status(), 200);
    let body = common::body_text(res).await;
    let data: serde_json::Value = serde_json::from_str(&body).expect("json");
    let section = |name: &str| -> Vec<serde_json::Value> {
        data[name]
            .as_array()
            .unwrap_or_else(|| panic!("section {name} in {data}"))
            .clone()
    };
    for c in USER_DATA {
        if let Export::Rows { section: name, .. } = c.export {
            section(name);
        }
    }
    assert_eq!(data["account"]["email"], mail.as_str());
    assert_eq!(data["account"]["first_name"], "Eksportia");
    assert_eq!(data["notification_choices"]["mail_updates"], "weekly");
    let props = section("proposals");
    let ids: Vec<i64> = props.iter().filter_map(|p| p["id"].as_i64()).collect();
    assert_eq!(ids, vec![draft.0, mine.0], "{props:?}");
    assert_eq!(props[0]["status"], "draft");
    assert!(props[1]["submitted_at"]
        .as_str()
        .is_some_and(|t| t.contains('T')));
    assert_eq!(section("comments").len(), 1);
    assert_eq!(section("comments")[0]["proposal_id"], theirs.0);
    assert_eq!(section("supports")[0]["proposal_id"], theirs.0);
    assert!(section("follows")
        .iter()
        .any(|f| f["proposal_id"] == theirs.0));
    assert!(section("notifications").len() >= 2, "{data}");
    assert_eq!(section("pool_application_draft").len(), 1);
    assert!(section("pool_application_draft")[0]["body"]
        .as_str()
        .is_some_and(|b| b.contains("Kladde til puljen")));
    assert_eq!(section("pool_applications")[0]["title"], "Koncert i parken");
    let ballots = section("open_ballots");
    assert_eq!(ballots.len(), 1, "the open ballot only: {ballots:?}");
    assert_eq!(ballots[0]["vote_id"], open_vote);
    assert_eq!(ballots[0]["choice"], "for");
    let took_part: Vec<i64> = section("votes_taken_part_in")
        .iter()
        .filter_map(|v| v["vote_id"].as_i64())
        .collect();
    assert_eq!(took_part, vec![open_vote, secret_vote]);
    assert_eq!(section("linked_logins")[0]["provider"], "unilogin");
    assert_eq!(section("teacher_at_school")[0]["school"], school_name);
    assert_eq!(section("live_sessions_hosted")[0]["code"], code.as_str());
    assert_eq!(section("live_sessions_joined")[0]["session_id"], live);
    assert_eq!(section("live_sessions_joined")[0]["number"], 1);
    assert!(data["account"]["roles"]
        .as_array()
        .is_some_and(|r| !r.is_empty()));
    for secret in ["argon2", "password_hash", "token_hash", "pkce"] {
        assert!(!body.contains(secret), "the export holds {secret}");
    }

    // Deleting the account.
    let r = app
        .post(
            path::<DeleteAccount>(),
            Some(&cookie),
            &[("password", PASSWORD)],
        )
        .await;
    assert!(r.status < 400, "{} {}", r.status, r.body);
    let n = |sql: String| {
        let sql = sql.replace("{me}", &me.0.to_string());
        let app = &app;
        async move { app.count(&sql).await }
    };
    assert_eq!(
        n(format!(
            "SELECT COUNT(*) FROM proposals WHERE id = {}",
            draft.0
        ))
        .await,
        0,
        "the draft is gone"
    );
    assert_eq!(
        n(format!(
            "SELECT COUNT(*) FROM proposals WHERE id = {}",
            mine.0
        ))
        .await,
        1,
        "the submitted proposal stays"
    );
    assert_eq!(
        n(format!(
            "SELECT COUNT(*) FROM live_participants WHERE session_id = {live} AND user_id IS NULL"
        ))
        .await,
        1,
        "the live participant stays, anonymous"
    );
    for c in USER_DATA {
        let left = match c.on_delete {
            OnDelete::Delete => {
                n(format!(
                    "SELECT COUNT(*) FROM {} WHERE {} = {{me}}",
                    c.table, c.column
                ))
                .await
            }
            OnDelete::DeleteDrafts => {
                n(format!(
                    "SELECT COUNT(*) FROM {} WHERE {} = {{me}} AND status = 'draft'",
                    c.table, c.column
                ))
                .await
            }
            OnDelete::Unlink => {
                n(format!(
                    "SELECT COUNT(*) FROM {} WHERE {} = {{me}}",
                    c.table, c.column
                ))
                .await
            }
            OnDelete::Keep => 0,
        };
        assert_eq!(left, 0, "{}.{} left after deletion", c.table, c.column);
    }
    let (first, mail_left, birth): (String, Option<String>, Option<i64>) =
        sqlx::query_as("SELECT first_name, email, birth_year FROM users WHERE id = $1")
            .bind(me.0)
            .fetch_one(pool)
            .await
            .expect("the row stays");
    assert_eq!(first, "Tidligere bruger");
    assert_eq!((mail_left, birth), (None, None));
    // What stays on the record is anonymised: the proposal and the comment name nobody.
    let (_, page) = app.get(&format!("/forslag/{}", mine.0)).await;
    assert!(
        !page.contains("Eksportia"),
        "the proposal still names the author"
    );
    let (_, page) = app.get(&format!("/forslag/{}", theirs.0)).await;
    assert!(page.contains("Godt forslag"), "the comment stays");
    assert!(
        !page.contains("Eksportia"),
        "the comment still names the author"
    );
    let (status, _) = app
        .get_with("/konto/mine-data.json", &[("cookie", &cookie)])
        .await;
    assert_eq!(status, 401);
}
