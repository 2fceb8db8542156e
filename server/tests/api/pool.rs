//! Ungerådets pulje over HTTP: never overspent (also by 20 grants at once), no partial
//! grant or rejection without an explanation, amounts in whole kroner within the rules,
//! and unspent money back to the pool through the append-only ledger.
//!
//! Pool years are unique, and PostgreSQL runs every test in one database: each test owns
//! its year(s).
use crate::common::{app, path, TestApp};
use app::api::{
    councils::{AddApplicationItem, AdvanceMeeting, CastVote, CloseVote, CreateMeeting, OpenVote},
    pool::{ApplyToPool, DecideApplication, GetApplication, MyPoolDraft, ReportBack},
};
use app::domain::account::RoleKind;
use app::domain::ids::{CouncilId, UserId};
use app::domain::pool::{Application, BudgetLine, PoolSettings};
use app::ssr::db::{councils, pool as dbp};
use chrono::NaiveDate;

struct Pool {
    year_id: i64,
    chair: String,
    council: CouncilId,
    /// A published meeting of the council, to put applications on its agenda.
    meeting: i64,
}

/// A council with a chair, and pool year `year` of `amount_kr` for it.
async fn pool_year(app: &TestApp, year: i32, amount_kr: i64) -> Pool {
    let (chair_id, chair) = app.login_as("Freja", &[RoleKind::Ungeraadsmedlem]).await;
    let council: i64 = app
        .count(&format!(
            "SELECT council_id FROM user_roles WHERE user_id = {} AND role = 'ungeraadsmedlem'",
            chair_id.0
        ))
        .await;
    let council = CouncilId(council);
    councils::set_officer(app.db.pool(), council, chair_id, "chair")
        .await
        .expect("chair");
    let year_id = dbp::open_year(
        app.db.pool(),
        &PoolSettings {
            year,
            amount: amount_kr * 100,
            max_grant: 25_000.min(amount_kr) * 100,
            min_age: 16,
            rules: String::new(),
        },
        council,
        chair_id,
    )
    .await
    .expect("open year");
    let r = app
        .post(
            path::<CreateMeeting>(),
            Some(&chair),
            &[
                ("council_id", &council.0.to_string()),
                ("starts_at", "2030-12-03T17:00"),
                ("place", "Ungdomshuset"),
            ],
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    let meeting: i64 = r.body.trim().parse().expect("meeting id");
    let r = app
        .post(
            path::<AdvanceMeeting>(),
            Some(&chair),
            &[("meeting_id", &meeting.to_string())],
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    Pool {
        year_id,
        chair,
        council,
        meeting,
    }
}

/// Puts application `id` on the pool's meeting, opens the vote, lets each `(cookie,
/// choice)` vote and closes it: the agenda item and the vote.
async fn vote_on(app: &TestApp, p: &Pool, id: i64, ballots: &[(&str, &str)]) -> (i64, i64) {
    let r = app
        .post(
            path::<AddApplicationItem>(),
            Some(&p.chair),
            &[
                ("meeting_id", &p.meeting.to_string()),
                ("application_id", &id.to_string()),
            ],
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    let item = app
        .count(&format!(
            "SELECT MAX(id) FROM agenda_items WHERE application_id = {id}"
        ))
        .await;
    let r = app
        .post(
            path::<OpenVote>(),
            Some(&p.chair),
            &[("item_id", &item.to_string())],
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    let vote: i64 = r.body.trim().parse().expect("vote id");
    for (cookie, choice) in ballots {
        let r = app
            .post(
                path::<CastVote>(),
                Some(cookie),
                &[("vote_id", &vote.to_string()), ("choice", choice)],
            )
            .await;
        assert_eq!(r.status, 200, "{}", r.body);
    }
    let r = app
        .post(
            path::<CloseVote>(),
            Some(&p.chair),
            &[("vote_id", &vote.to_string())],
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    (item, vote)
}

/// The chair (the council's only member) votes For: a passed vote.
async fn passed(app: &TestApp, p: &Pool, id: i64) -> i64 {
    vote_on(app, p, id, &[(p.chair.as_str(), "for")]).await.0
}

fn application(title: &str, kr: &[i64], date: NaiveDate) -> Application {
    let lines: Vec<BudgetLine> = kr
        .iter()
        .enumerate()
        .map(|(i, k)| BudgetLine {
            text: format!("Udgift {}", i + 1),
            amount: k * 100,
            actual: None,
        })
        .collect();
    Application {
        title: title.into(),
        activity: "En aktivitet, som unge selv har fundet på.".into(),
        audience: "Unge i kommunen".into(),
        participants: 30,
        date,
        place: "Ungdomshuset".into(),
        members: String::new(),
        amount: lines.iter().map(|l| l.amount).sum(),
        lines,
    }
}

async fn applicant(app: &TestApp) -> (UserId, String) {
    app.login_as("Sofie", &[]).await
}

async fn decide(
    app: &TestApp,
    cookie: Option<&str>,
    id: i64,
    fields: &[(&str, &str)],
) -> (u16, String) {
    let id = id.to_string();
    let mut all = vec![("application_id", id.as_str())];
    all.extend_from_slice(fields);
    let r = app.post(path::<DecideApplication>(), cookie, &all).await;
    (r.status, r.body)
}

async fn year_totals(app: &TestApp, year_id: i64) -> (i64, i64, i64) {
    sqlx::query_as(&format!(
        "SELECT amount_ore - granted_ore + returned_ore + corrected_ore, granted_ore, returned_ore FROM pool_years WHERE id = {year_id}"
    ))
    .fetch_one(app.db.pool())
    .await
    .expect("year")
}

fn future() -> NaiveDate {
    chrono::Utc::now().date_naive() + chrono::Duration::days(30)
}

#[tokio::test]
async fn twenty_grants_at_once_never_overspend() {
    let app = app().await;
    let p = pool_year(&app, 2090, 10_000).await;
    let (who, _) = applicant(&app).await;
    let mut ids = Vec::new();
    for i in 0..20 {
        let a = application(&format!("Aktivitet {i}"), &[1_000], future());
        let id = dbp::create_application(app.db.pool(), p.year_id, who, &a, None)
            .await
            .expect("app");
        passed(&app, &p, id).await;
        ids.push(id);
    }
    let replies = futures::future::join_all(
        ids.iter()
            .map(|id| decide(&app, Some(&p.chair), *id, &[("decision", "bevilget")])),
    )
    .await;
    let ok = replies.iter().filter(|(s, _)| *s < 400).count();
    let refused: Vec<&(u16, String)> = replies.iter().filter(|(s, _)| *s >= 400).collect();
    println!("pool replay: 20 concurrent grants of 1.000 kr. with 10.000 kr. left → {ok} granted, {} refused", refused.len());
    assert_eq!(ok, 10, "{replies:?}");
    assert!(
        refused
            .iter()
            .all(|(s, b)| *s == 409 && b.contains("ikke penge nok")),
        "{refused:?}"
    );
    let (balance, granted, _) = year_totals(&app, p.year_id).await;
    assert_eq!((balance, granted), (0, 1_000_000));
    let (entries, sum): (i64, i64) = sqlx::query_as(&format!(
        "SELECT COUNT(*), CAST(COALESCE(SUM(amount_ore), 0) AS BIGINT) FROM pool_ledger WHERE pool_year_id = {} AND kind = 'grant'",
        p.year_id
    ))
    .fetch_one(app.db.pool())
    .await
    .expect("ledger");
    assert_eq!(
        (entries, sum),
        (10, 1_000_000),
        "the ledger holds exactly the grants"
    );
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) FROM pool_applications WHERE pool_year_id = {} AND status = 'granted'",
            p.year_id
        ))
        .await,
        10
    );
    // The public page says so.
    let (_, html) = app.get("/puljen?aar=2090").await;
    let html = html.replace("<!>", "");
    assert_eq!(
        crate::common::figure(&html, "pool-granted").as_deref(),
        Some("10.000,00 kr.")
    );
    assert_eq!(
        crate::common::figure(&html, "pool-remaining").as_deref(),
        Some("0,00 kr.")
    );
    // And the database itself refuses to go below zero.
    let overspend = format!(
        "UPDATE pool_years SET granted_ore = granted_ore + 100 WHERE id = {}",
        p.year_id
    );
    assert!(sqlx::query(&overspend)
        .execute(app.db.pool())
        .await
        .is_err());
}

#[tokio::test]
async fn no_partial_grant_or_rejection_without_an_explanation() {
    let app = app().await;
    let p = pool_year(&app, 2091, 100_000).await;
    let (who, applicant_cookie) = applicant(&app).await;
    let id = dbp::create_application(
        app.db.pool(),
        p.year_id,
        who,
        &application("Koncert", &[4_000, 3_000, 1_000], future()),
        None,
    )
    .await
    .expect("app");
    let outsider = app.login_as("Oskar", &[RoleKind::Ungeraadsmedlem]).await.1;
    let item = passed(&app, &p, id).await;
    assert_eq!(
        decide(&app, None, id, &[("decision", "bevilget")]).await.0,
        401
    );
    assert_eq!(
        decide(
            &app,
            Some(&applicant_cookie),
            id,
            &[("decision", "bevilget")]
        )
        .await
        .0,
        403
    );
    assert_eq!(
        decide(&app, Some(&outsider), id, &[("decision", "bevilget")])
            .await
            .0,
        403,
        "chair of another council"
    );
    for (decision, amount, explanation, field) in [
        ("afslaaet", "", "", "explanation"),
        ("afslaaet", "", "   \u{200B}  ", "explanation"),
        ("afslaaet", "", "For dyrt.", "explanation"),
        ("delvist", "6.000", "", "explanation"),
        (
            "delvist",
            "8.000",
            "Vi giver ikke penge til plakater.",
            "amount",
        ),
        (
            "delvist",
            "6000,50",
            "Vi giver ikke penge til plakater.",
            "amount",
        ),
        (
            "delvist",
            "-6000",
            "Vi giver ikke penge til plakater.",
            "amount",
        ),
        ("maaske", "", "", "decision"),
    ] {
        let (status, body) = decide(
            &app,
            Some(&p.chair),
            id,
            &[
                ("decision", decision),
                ("amount", amount),
                ("explanation", explanation),
            ],
        )
        .await;
        assert_eq!(status, 422, "{decision} {amount} {explanation:?}: {body}");
        assert!(body.contains(field), "{body}");
    }
    assert_eq!(year_totals(&app, p.year_id).await.1, 0);
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) FROM pool_applications WHERE id = {id} AND status = 'submitted'"
        ))
        .await,
        1
    );
    // Straight into the database: refused on both engines (the passed vote not stored
    // with it, or no explanation).
    for sql in [
        format!("UPDATE pool_applications SET status = 'granted', granted_ore = asked_ore, decided_at = 1 WHERE id = {id}"),
        format!("UPDATE pool_applications SET status = 'rejected', decided_at = 1 WHERE id = {id}"),
        format!("UPDATE pool_applications SET status = 'rejected', decided_at = 1, explanation = 'Nej.' WHERE id = {id}"),
        format!("UPDATE pool_applications SET status = 'partly_granted', granted_ore = 600000, decided_at = 1 WHERE id = {id}"),
    ] {
        assert!(sqlx::query(&sql).execute(app.db.pool()).await.is_err(), "{sql}");
    }
    // Partly granted with an explanation: 6.000 of 8.000 kr.
    let (status, body) = decide(
        &app,
        Some(&p.chair),
        id,
        &[
            ("decision", "delvist"),
            ("amount", "6.000"),
            (
                "explanation",
                "Vi giver ikke penge til plakater; dem kan skolen printe.",
            ),
            // Typed-in counts are not part of the endpoint: ignored.
            ("votes_for", "5"),
            ("votes_against", "1"),
            ("votes_abstain", "0"),
            ("item_id", &item.to_string()),
        ],
    )
    .await;
    assert!(status < 400, "{status} {body}");
    assert_eq!(year_totals(&app, p.year_id).await, (9_400_000, 600_000, 0));
    // Decided once: a second decision is refused, by the endpoint and the database.
    assert_eq!(
        decide(&app, Some(&p.chair), id, &[("decision", "bevilget")])
            .await
            .0,
        409
    );
    let again = format!(
        "UPDATE pool_applications SET status = 'granted', granted_ore = 800000 WHERE id = {id}"
    );
    assert!(sqlx::query(&again).execute(app.db.pool()).await.is_err());
    let detail = app
        .post(path::<GetApplication>(), None, &[("id", &id.to_string())])
        .await
        .json();
    assert_eq!(detail["status"], "PartlyGranted");
    assert_eq!(detail["granted"], 600_000);
    assert_eq!(
        detail["votes"],
        serde_json::json!([1, 0, 0]),
        "the tally is the ballots'"
    );
    let _ = p.council;
}

#[tokio::test]
async fn applications_are_checked_against_the_rules() {
    let app = app().await;
    // The newest year: the apply endpoint applies to it.
    let p = pool_year(&app, 2099, 100_000).await;
    let (who, cookie) = applicant(&app).await;
    let date = future().format("%Y-%m-%d").to_string();
    let base: Vec<(&str, String)> = vec![
        ("title", "Koncert i ungdomshuset".into()),
        (
            "activity",
            "Tre lokale bands spiller gratis for unge.".into(),
        ),
        ("audience", "Unge 13–18 år".into()),
        ("participants", "120".into()),
        ("date", date.clone()),
        ("place", "Ungdomshuset".into()),
        ("amount", "8.000".into()),
        ("already_paid", "nej".into()),
        ("line1_text", "Lydanlæg".into()),
        ("line1_amount", "4.000".into()),
        ("line2_text", "Honorar".into()),
        ("line2_amount", "3.000".into()),
        ("line3_text", "Plakater".into()),
        ("line3_amount", "1.000".into()),
    ];
    let apply = |cookie: Option<String>, changes: Vec<(&'static str, &'static str)>| {
        let mut fields = base.clone();
        for (k, v) in changes {
            fields.retain(|(name, _)| *name != k);
            fields.push((k, v.to_owned()));
        }
        let app = &app;
        async move {
            let refs: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
            app.post(path::<ApplyToPool>(), cookie.as_deref(), &refs)
                .await
        }
    };
    let stored_sql = format!(
        "SELECT COUNT(*) FROM pool_applications WHERE applicant_id = {}",
        who.0
    );
    let stored = || app.count(&stored_sql);
    let mut tried = 0;
    for (changes, field, words) in [
        (
            vec![("line2_amount", "3000,50"), ("amount", "8000,50")],
            "line2_amount",
            "hele kroner",
        ),
        (
            vec![("line3_amount", "-1000")],
            "line3_amount",
            "større end 0",
        ),
        (vec![("amount", "9.000")], "amount", "skal være det samme"),
        (
            vec![("line1_amount", "24.000"), ("amount", "28.000")],
            "amount",
            "højst søge 25.000,00 kr.",
        ),
        (
            vec![("already_paid", "ja")],
            "already_paid",
            "allerede er betalt",
        ),
        (vec![("date", "2020-01-01")], "date", "ikke er holdt endnu"),
        (
            vec![("participants", "mange")],
            "participants",
            "som et tal",
        ),
        (vec![("title", "<")], "title", "titel"),
        (vec![("line1_text", "")], "line1_text", "linje 1"),
        (vec![("amount", "1e5")], "amount", "tal"),
    ] {
        tried += 1;
        let r = apply(Some(cookie.clone()), changes.clone()).await;
        assert_eq!(r.status, 422, "{changes:?}: {}", r.body);
        assert!(
            r.body.contains(field) && r.body.contains(words),
            "{changes:?}: {}",
            r.body
        );
    }
    assert_eq!(
        stored().await,
        0,
        "nothing stored after {tried} refused applications"
    );
    assert_eq!(apply(None, vec![]).await.status, 401);
    // Too young to be the responsible applicant.
    let (young, young_cookie) = app.login_as("Ida", &[]).await;
    sqlx::query(&format!(
        "UPDATE users SET birth_year = 2012 WHERE id = {}",
        young.0
    ))
    .execute(app.db.pool())
    .await
    .expect("age");
    let r = apply(Some(young_cookie), vec![]).await;
    assert_eq!(r.status, 422);
    assert!(
        r.body.contains("applicant") && r.body.contains("mindst 16 år"),
        "{}",
        r.body
    );

    // A draft is kept as typed, without the checks, and only for its writer.
    let r = apply(
        Some(cookie.clone()),
        vec![("intent", "draft"), ("amount", "mange penge")],
    )
    .await;
    assert!(r.status < 400, "{} {}", r.status, r.body);
    assert_eq!(stored().await, 0, "a draft is not an application");
    let draft = app
        .post(path::<MyPoolDraft>(), Some(&cookie), &[])
        .await
        .json();
    assert_eq!(draft["amount"], "mange penge");
    assert_eq!(draft["lines"][0][0], "Lydanlæg");
    assert_eq!(
        app.post(path::<MyPoolDraft>(), None, &[]).await.json(),
        serde_json::Value::Null
    );

    // HTML and SQL in the text are stored as text.
    let r = apply(
        Some(cookie.clone()),
        vec![
            ("title", "Koncert'); DROP TABLE pool_ledger;--"),
            ("place", "<script>alert(1)</script>"),
        ],
    )
    .await;
    assert!(r.status < 400, "{} {}", r.status, r.body);
    assert_eq!(stored().await, 1);
    assert_eq!(
        app.post(path::<MyPoolDraft>(), Some(&cookie), &[])
            .await
            .json(),
        serde_json::Value::Null,
        "sending the application removes the draft"
    );
    let id = app
        .count(&format!(
            "SELECT MAX(id) FROM pool_applications WHERE applicant_id = {}",
            who.0
        ))
        .await;
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) FROM pool_budget_lines WHERE application_id = {id}"
        ))
        .await,
        3
    );
    // Undecided: the applicant and the chair see it, others do not.
    let get = |cookie: Option<String>| {
        let app = &app;
        async move {
            app.post(
                path::<GetApplication>(),
                cookie.as_deref(),
                &[("id", &id.to_string())],
            )
            .await
            .status
        }
    };
    assert_eq!(get(Some(cookie.clone())).await, 200);
    assert_eq!(get(Some(p.chair.clone())).await, 200);
    assert_eq!(get(None).await, 404);
    let (_, page) = app.get(&format!("/puljen/ansoegning/{id}")).await;
    assert!(!page.contains("<script>alert(1)"));
}

#[tokio::test]
async fn reports_return_unspent_money_and_the_ledger_is_append_only() {
    let app = app().await;
    let p = pool_year(&app, 2092, 20_000).await;
    let (who, cookie) = applicant(&app).await;
    let held = chrono::Utc::now().date_naive() - chrono::Duration::days(3);
    let id = dbp::create_application(
        app.db.pool(),
        p.year_id,
        who,
        &application("Sommerkoncert", &[9_000, 6_000, 1_000], held),
        None,
    )
    .await
    .expect("app");
    passed(&app, &p, id).await;
    assert!(
        decide(&app, Some(&p.chair), id, &[("decision", "bevilget")])
            .await
            .0
            < 400
    );
    assert_eq!(year_totals(&app, p.year_id).await, (400_000, 1_600_000, 0));
    // The activity was held: the applicant is reminded on the pool page.
    let (_, html) = app
        .get_with("/puljen?aar=2092", &[("cookie", &cookie)])
        .await;
    assert!(html.contains("Husk at afrapportere") && html.contains("Afrapportering mangler"));
    let report = |cookie: String, actual3: &'static str| {
        let app = &app;
        async move {
            app.post(
                path::<ReportBack>(),
                Some(&cookie),
                &[
                    ("application_id", &id.to_string()),
                    ("report", "Over 300 kom, og tre nye bands spillede."),
                    ("participants", "310"),
                    ("actual1", "9.000"),
                    ("actual2", "6.000"),
                    ("actual3", actual3),
                ],
            )
            .await
        }
    };
    assert_eq!(
        report(p.chair.clone(), "400").await.status,
        403,
        "only the applicant reports"
    );
    assert_eq!(report(cookie.clone(), "400,50").await.status, 422);
    let r = report(cookie.clone(), "400").await;
    assert!(r.status < 400, "{} {}", r.status, r.body);
    // 600 kr. unspent went back.
    assert_eq!(
        year_totals(&app, p.year_id).await,
        (460_000, 1_600_000, 60_000)
    );
    assert_eq!(
        report(cookie.clone(), "400").await.status,
        409,
        "one report"
    );
    // The balance derives from the entries: amount − grants + returns.
    let from_ledger: i64 = app
        .count(&format!(
            "SELECT CAST(2000000 - COALESCE(SUM(CASE WHEN kind = 'grant' THEN amount_ore ELSE 0 END), 0) \
             + COALESCE(SUM(CASE WHEN kind = 'return' THEN amount_ore ELSE 0 END), 0) AS BIGINT) \
             FROM pool_ledger WHERE pool_year_id = {}",
            p.year_id
        ))
        .await;
    assert_eq!(from_ledger, 460_000);
    for sql in [
        format!(
            "UPDATE pool_ledger SET amount_ore = 1 WHERE pool_year_id = {}",
            p.year_id
        ),
        format!("DELETE FROM pool_ledger WHERE pool_year_id = {}", p.year_id),
    ] {
        assert!(
            sqlx::query(&sql).execute(app.db.pool()).await.is_err(),
            "{sql}"
        );
    }
    // The ledger as CSV.
    let (status, csv) = app.get("/puljen/2092/regnskab.csv").await;
    assert_eq!(status, 200);
    assert_eq!(csv.lines().count(), 3, "{csv}");
    assert!(csv.contains(",grant,") && csv.contains(",return,") && csv.contains(",Sommerkoncert,"));
    assert!(
        csv.contains(",1600000,400000,") && csv.contains(",60000,460000,"),
        "{csv}"
    );
    let (_, page) = app.get("/puljen?aar=2092").await;
    let page = page.replace("<!>", "");
    assert!(page.contains("Over 300 kom"), "what the money became");
    assert_eq!(
        crate::common::figure(&page, "pool-remaining").as_deref(),
        Some("4.600,00 kr.")
    );
    assert_eq!(
        crate::common::figure(&page, "pool-returned").as_deref(),
        Some("600,00 kr.")
    );
}

#[tokio::test]
async fn a_pool_decision_rests_on_a_closed_passed_vote_on_that_application() {
    use app::ssr::db::users;
    let app = app().await;
    let p = pool_year(&app, 2093, 100_000).await;
    // A second member, so a tie is possible (two members: quorum is both).
    let (second_id, second) = app.login_as("Malthe", &[]).await;
    users::grant(
        app.db.pool(),
        second_id,
        RoleKind::Ungeraadsmedlem,
        Some(p.council),
        Some((2026, 2027)),
        second_id,
    )
    .await
    .expect("member");
    let (who, _) = applicant(&app).await;
    let mut ids = Vec::new();
    for title in [
        "Stemmelighed",
        "Ingen stemte",
        "Vedtaget",
        "Aldrig på dagsordenen",
    ] {
        ids.push(
            dbp::create_application(
                app.db.pool(),
                p.year_id,
                who,
                &application(title, &[2_000], future()),
                None,
            )
            .await
            .expect("app"),
        );
    }
    let (tie, none, yes, never) = (ids[0], ids[1], ids[2], ids[3]);
    let undecided = |id: i64| {
        let app = &app;
        async move {
            app.count(&format!(
                "SELECT COUNT(*) FROM pool_applications WHERE id = {id} AND status = 'submitted' \
                 AND vote_id IS NULL AND votes_for IS NULL"
            ))
            .await
                == 1
        }
    };
    let grant = [("decision", "bevilget")];
    // No vote at all.
    let (status, body) = decide(&app, Some(&p.chair), never, &grant).await;
    assert_eq!(status, 422, "{body}");
    assert!(body.contains("ikke stemt"), "{body}");
    // A vote that is still open.
    let r = app
        .post(
            path::<AddApplicationItem>(),
            Some(&p.chair),
            &[
                ("meeting_id", &p.meeting.to_string()),
                ("application_id", &none.to_string()),
            ],
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    // ... and not twice on an open agenda.
    let again = app
        .post(
            path::<AddApplicationItem>(),
            Some(&p.chair),
            &[
                ("meeting_id", &p.meeting.to_string()),
                ("application_id", &none.to_string()),
            ],
        )
        .await;
    assert_eq!(again.status, 409, "{}", again.body);
    let none_item = app
        .count(&format!(
            "SELECT MAX(id) FROM agenda_items WHERE application_id = {none}"
        ))
        .await;
    let r = app
        .post(
            path::<OpenVote>(),
            Some(&p.chair),
            &[("item_id", &none_item.to_string())],
        )
        .await;
    let none_vote: i64 = r.body.trim().parse().expect("vote id");
    let (status, body) = decide(&app, Some(&p.chair), none, &grant).await;
    assert_eq!(status, 409, "{body}");
    // Closed with nobody voting: no quorum.
    let r = app
        .post(
            path::<CloseVote>(),
            Some(&p.chair),
            &[("vote_id", &none_vote.to_string())],
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    let (status, body) = decide(&app, Some(&p.chair), none, &grant).await;
    assert_eq!(status, 422, "{body}");
    assert!(body.contains("beslutningsdygtigt"), "{body}");
    // A tie.
    let (_, tie_vote) = vote_on(
        &app,
        &p,
        tie,
        &[(p.chair.as_str(), "for"), (second.as_str(), "imod")],
    )
    .await;
    let (status, body) = decide(&app, Some(&p.chair), tie, &grant).await;
    assert_eq!(status, 422, "{body}");
    assert!(body.contains("stemmelighed"), "{body}");
    // A passed vote on another application's item does not count.
    let (yes_item, yes_vote) = vote_on(
        &app,
        &p,
        yes,
        &[(p.chair.as_str(), "for"), (second.as_str(), "undlader")],
    )
    .await;
    let (status, body) = decide(
        &app,
        Some(&p.chair),
        tie,
        &[("decision", "bevilget"), ("item_id", &yes_item.to_string())],
    )
    .await;
    assert_eq!(status, 422, "{body}");
    assert!(body.contains("item_id"), "{body}");
    for id in [tie, none, never] {
        assert!(undecided(id).await, "application {id} stays undecided");
    }
    assert_eq!(year_totals(&app, p.year_id).await.1, 0);
    // The database refuses a decision without its own passed vote, whatever the tally says.
    for sql in [
        format!(
            "UPDATE pool_applications SET status = 'granted', granted_ore = asked_ore, decided_at = 1, \
             vote_id = {yes_vote}, votes_for = 1, votes_against = 0, votes_abstain = 1 WHERE id = {tie}"
        ),
        format!(
            "UPDATE pool_applications SET status = 'granted', granted_ore = asked_ore, decided_at = 1, \
             vote_id = {tie_vote}, votes_for = 1, votes_against = 1, votes_abstain = 0 WHERE id = {tie}"
        ),
        format!(
            "UPDATE pool_applications SET status = 'granted', granted_ore = asked_ore, decided_at = 1, \
             vote_id = {yes_vote}, votes_for = 5, votes_against = 0, votes_abstain = 0 WHERE id = {yes}"
        ),
    ] {
        assert!(sqlx::query(&sql).execute(app.db.pool()).await.is_err(), "{sql}");
    }
    // Those who run the council decide on the passed vote; typed-in counts are ignored and
    // the stored tally is the ballots'.
    let (status, body) = decide(&app, Some(&second), yes, &[("decision", "bevilget")]).await;
    assert_eq!(status, 403, "a member who does not run the council: {body}");
    let (status, body) = decide(
        &app,
        Some(&p.chair),
        yes,
        &[
            ("decision", "bevilget"),
            ("votes_for", "9"),
            ("votes_against", "0"),
            ("votes_abstain", "0"),
        ],
    )
    .await;
    assert!(status < 400, "{status} {body}");
    let stored: (Option<i64>, i64, i64, i64) = sqlx::query_as(&format!(
        "SELECT vote_id, votes_for, votes_against, votes_abstain FROM pool_applications WHERE id = {yes}"
    ))
    .fetch_one(app.db.pool())
    .await
    .expect("decision");
    assert_eq!(stored, (Some(yes_vote), 1, 0, 1));
    // The tally and vote of a decision never change afterwards.
    assert!(sqlx::query(&format!(
        "UPDATE pool_applications SET votes_for = 9 WHERE id = {yes}"
    ))
    .execute(app.db.pool())
    .await
    .is_err());
    // A decided application cannot go on an agenda again.
    let r = app
        .post(
            path::<AddApplicationItem>(),
            Some(&p.chair),
            &[
                ("meeting_id", &p.meeting.to_string()),
                ("application_id", &yes.to_string()),
            ],
        )
        .await;
    assert_eq!(r.status, 422, "{}", r.body);
    // Nor on another council's agenda.
    let other = pool_year(&app, 2094, 1_000).await;
    let r = app
        .post(
            path::<AddApplicationItem>(),
            Some(&other.chair),
            &[
                ("meeting_id", &other.meeting.to_string()),
                ("application_id", &never.to_string()),
            ],
        )
        .await;
    assert_eq!(r.status, 422, "{}", r.body);
    // The application page shows the form only with the passed vote, and its tally.
    let (_, html) = app
        .get_with(
            &format!("/puljen/ansoegning/{tie}"),
            &[("cookie", &p.chair)],
        )
        .await;
    assert!(!html.contains("name=\"votes_for\""), "no typed-in tally");
    assert!(
        !html.contains("id=\"afgoer\""),
        "no decision form after a tie"
    );
    assert!(html.contains("data-testid=\"pool-waits\""));
}
