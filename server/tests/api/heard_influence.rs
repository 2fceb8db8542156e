//! "Bliver vi hørt?" shows influence and who takes part: figures checked against a seeded
//! year (2016) written straight into the database, including a moderated-away proposal
//! that must count nowhere, and groups of 4 (suppressed) and 5 (shown).
use crate::common::{self, path};
use app::api::answers::GetHeardOverview;
use app::domain::account::{AccountStatus, RoleKind};
use app::domain::ids::{CouncilId, SchoolId, UserId};
use app::ssr::db::{schools, users};
use chrono::{DateTime, TimeZone, Utc};
use serde_json::Value;

fn at(y: i32, m: u32, d: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(y, m, d, 10, 0, 0).unwrap()
}

fn us(t: DateTime<Utc>) -> i64 {
    t.timestamp_micros()
}

const WHY: &str = "Vi kan kun gøre en del af det, fordi pengene til nye bænke i år allerede er \
    brugt på legepladsen ved hallen. Vi sætter to nye bænke op ved skolen til foråret, og resten \
    kommer med i budgettet for næste år, hvor vi også spørger jer, hvor de skal stå.";

struct Seed<'a> {
    app: &'a common::TestApp,
    council: CouncilId,
}

impl Seed<'_> {
    async fn person(&self, birth_year: i32, school: SchoolId) -> UserId {
        users::create(
            self.app.db.pool(),
            users::NewUser {
                first_name: "Deltager",
                email: &common::email("deltager"),
                birth_year,
                password_hash: "never-logs-in",
                status: AccountStatus::Active,
                school_id: Some(school),
                youth: true,
            },
        )
        .await
        .expect("user")
    }

    /// A proposal submitted on `day` of 2016, in `status` (hidden when `hidden`).
    async fn proposal(
        &self,
        author: UserId,
        status: &str,
        answer: Option<&str>,
        hidden: bool,
    ) -> i64 {
        let submitted = at(2016, 3, 1);
        let answered = status == "answered";
        let decision = match status {
            "rejected_by_council" => Some("Rådet siger nej, fordi det allerede findes i byen."),
            "resolved_by_council" => Some("Rådet ordner det selv."),
            _ => None,
        };
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO proposals (author_id, council_id, title, body, theme, show_name, status, \
             visibility, created_at, updated_at, submitted_at, decided_at, decision_text, committee, \
             deadline_at, answer, answer_text, answered_at, hidden_reason, hidden_at) \
             VALUES ($1, $2, 'Flere bænke i byen', 'Der mangler steder at sidde ved skolen og i parken.', \
             'by_natur', 1, $3, $4, $5, $5, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14) RETURNING id",
        )
        .bind(author.0)
        .bind(self.council.0)
        .bind(status)
        .bind(if hidden { "hidden" } else { "published" })
        .bind(us(submitted))
        .bind(decision.map(|_| us(at(2016, 3, 10))))
        .bind(decision)
        .bind(answered.then_some("Børne- og Ungeudvalget"))
        .bind(answered.then(|| us(at(2016, 6, 1))))
        .bind(answer)
        .bind(answer.filter(|a| *a != "ja").map(|_| WHY))
        .bind(answered.then(|| us(at(2016, 4, 1))))
        .bind(hidden.then_some("Krænkende indhold"))
        .bind(hidden.then(|| us(at(2016, 3, 2))))
        .fetch_one(self.app.db.pool())
        .await
        .expect("proposal");
        if answered {
            self.event(id, "forwarded", at(2016, 3, 15), None, None)
                .await;
            self.event(id, "answered", at(2016, 4, 1), answer, None)
                .await;
        }
        id
    }

    async fn event(
        &self,
        p: i64,
        kind: &str,
        when: DateTime<Utc>,
        answer: Option<&str>,
        follow_up: Option<&str>,
    ) {
        sqlx::query(
            "INSERT INTO proposal_events (proposal_id, kind, at, label, body, answer, follow_up, deadline_at) \
             VALUES ($1, $2, $3, 'Børne- og Ungeudvalget', $4, $5, $6, $7)",
        )
        .bind(p)
        .bind(kind)
        .bind(us(when))
        .bind(answer.filter(|a| *a != "ja").map(|_| WHY))
        .bind(answer)
        .bind(follow_up)
        .bind((kind == "forwarded").then(|| us(at(2016, 6, 1))))
        .execute(self.app.db.pool())
        .await
        .expect("event");
    }

    async fn follow_up(&self, p: i64, state: &str, when: DateTime<Utc>) {
        self.event(p, "follow_up", when, None, Some(state)).await;
    }

    async fn support(&self, p: i64, who: UserId, when: DateTime<Utc>) {
        sqlx::query(
            "INSERT INTO proposal_supports (proposal_id, user_id, created_at) VALUES ($1, $2, $3)",
        )
        .bind(p)
        .bind(who.0)
        .bind(us(when))
        .execute(self.app.db.pool())
        .await
        .expect("support");
    }
}

/// The rows of the table marked `data-testid="{key}"`: (row header, cells).
fn table_rows(html: &str, key: &str) -> Vec<(String, Vec<String>)> {
    let start = html.find(&format!("data-testid=\"{key}\"")).expect("table");
    let end = start + html[start..].find("</table>").expect("table end");
    let text = |s: &str| {
        let mut out = String::new();
        let mut tag = false;
        for c in s.chars() {
            match c {
                '<' => tag = true,
                '>' => tag = false,
                c if !tag => out.push(c),
                _ => {}
            }
        }
        out.trim().to_string()
    };
    html[start..end]
        .split("<tr")
        .skip(2) // the table's start, the header row
        .filter_map(|row| {
            let head = row.split("<th").nth(1)?;
            let head = text(&format!("<th{}", head.split("</th>").next()?));
            let cells = row
                .split("<td")
                .skip(1)
                .filter_map(|c| Some(text(&format!("<td{}", c.split("</td>").next()?))))
                .collect();
            Some((head, cells))
        })
        .collect()
}

#[tokio::test]
async fn overview_shows_influence_and_who_takes_part() {
    let app = common::app_isolated().await;
    let pool = app.db.pool();
    let council = app.council(RoleKind::Ungeraadsmedlem).await;
    let s = Seed { app: &app, council };
    let a = schools::create(pool, "Aaskolen").await.expect("school");
    let b = schools::create(pool, "Bøgeskolen").await.expect("school");

    // Proposers: four aged 14 at Aaskolen, five aged 17 and six aged 20 at Bøgeskolen.
    let mut young = Vec::new();
    for _ in 0..4 {
        young.push(s.person(2002, a).await);
    }
    let mut seventeen = Vec::new();
    for _ in 0..5 {
        seventeen.push(s.person(1999, b).await);
    }
    let mut twenty = Vec::new();
    for _ in 0..6 {
        twenty.push(s.person(1996, b).await);
    }
    let p_changed = s.proposal(young[0], "answered", Some("ja"), false).await;
    s.follow_up(p_changed, "planlagt", at(2016, 5, 1)).await;
    s.follow_up(p_changed, "gennemfoert", at(2016, 9, 1)).await;
    let p_partly_done = s
        .proposal(young[1], "answered", Some("delvist"), false)
        .await;
    s.follow_up(p_partly_done, "gennemfoert", at(2016, 10, 1))
        .await;
    let p_underway = s.proposal(young[2], "answered", Some("ja"), false).await;
    s.follow_up(p_underway, "i_gang", at(2016, 5, 1)).await;
    s.proposal(young[3], "rejected_by_council", None, false)
        .await;
    s.proposal(seventeen[0], "resolved_by_council", None, false)
        .await;
    for &p in seventeen.iter().skip(1).chain(twenty.iter()) {
        s.proposal(p, "submitted", None, false).await;
    }
    // A fifth 14-year-old at Aaskolen, whose proposal was moderated away: counts nowhere
    // (if it did, Aaskolen's group would be 5 and shown).
    let hidden_author = s.person(2002, a).await;
    s.proposal(hidden_author, "rejected_by_council", None, true)
        .await;
    // Supporters in 2016: the five 17-year-olds; one support in 2017 is not 2016's.
    for &p in &seventeen {
        s.support(p_changed, p, at(2016, 8, 1)).await;
    }
    s.support(p_changed, twenty[0], at(2017, 1, 10)).await;

    // The pool of 2016: 100.000 kr., one grant of 3.000 kr. of which 500 kr. came back.
    let year_id: i64 = sqlx::query_scalar(
        "INSERT INTO pool_years (year, council_id, amount_ore, max_grant_ore, min_age, rules, \
         granted_ore, returned_ore, created_at) VALUES (2016, $1, 10000000, 2500000, 13, '', 300000, 50000, $2) \
         RETURNING id",
    )
    .bind(council.0)
    .bind(us(at(2016, 1, 2)))
    .fetch_one(pool)
    .await
    .expect("pool year");
    sqlx::query(
        "INSERT INTO pool_applications (pool_year_id, applicant_id, title, activity, audience, participants, \
         activity_date, place, members, asked_ore, status, granted_ore, decided_at, submitted_at, \
         report, report_participants, reported_at, returned_ore) \
         VALUES ($1, $2, 'Musik i parken', 'En eftermiddag med tre unge bands i parken.', 'Alle unge', 60, \
         '2016-06-10', 'Parken', '', 300000, 'granted', 300000, $3, $3, \
         'Det gik godt, og der kom mange flere end vi troede.', 140, $4, 50000)",
    )
    .bind(year_id)
    .bind(twenty[1].0)
    .bind(us(at(2016, 4, 1)))
    .bind(us(at(2016, 7, 1)))
    .execute(pool)
    .await
    .expect("grant");

    let o: Value = app
        .post(path::<GetHeardOverview>(), None, &[("year", "2016")])
        .await
        .json();
    let st = &o["stats"];
    let got = |k: &str| st[k].as_i64().unwrap_or(-1);
    assert_eq!(
        got("received"),
        15,
        "the hidden proposal is not counted: {st}"
    );
    assert_eq!(got("answered"), 3);
    assert_eq!(got("changed"), 2, "newest follow-up decides");
    assert_eq!(got("underway"), 1);
    assert_eq!(got("rejected_by_council"), 1);
    assert_eq!(got("resolved_by_council"), 1);
    assert_eq!(o["pool"]["spent_ore"], 250_000);
    assert_eq!(o["pool"]["grants"], 1);
    assert_eq!(o["pool"]["funded"][0]["title"], "Musik i parken");
    assert_eq!(
        o["pool"]["funded"][0]["participants"], 140,
        "from the report"
    );

    let trend = o["trend"].as_array().expect("trend");
    let y2016 = trend
        .iter()
        .find(|t| t["year"] == 2016)
        .expect("2016 in the trend");
    assert_eq!(
        (y2016["received"].as_i64(), y2016["changed"].as_i64()),
        (Some(15), Some(2))
    );
    assert_eq!(y2016["pool_spent_ore"], 250_000);
    let years: Vec<i64> = trend.iter().filter_map(|t| t["year"].as_i64()).collect();
    assert!(
        years.windows(2).all(|w| w[1] == w[0] + 1),
        "every year, oldest first: {years:?}"
    );

    let proposers = &o["participation"]["proposers"];
    assert_eq!(
        proposers["by_age"],
        serde_json::json!([
            {"label": "From13To15", "count": null},
            {"label": "From16To18", "count": 5},
            {"label": "From19To21", "count": 6},
        ]),
        "a group of 4 is suppressed, a group of 5 is shown"
    );
    assert_eq!(
        proposers["by_school"],
        serde_json::json!([
            {"label": "Aaskolen", "count": null},
            {"label": "Bøgeskolen", "count": 11},
        ])
    );
    assert_eq!(
        proposers["total"],
        Value::Null,
        "15 − 11 would reveal the 4"
    );
    let supporters = &o["participation"]["supporters"];
    assert_eq!(
        supporters["by_age"],
        serde_json::json!([{"label": "From16To18", "count": 5}])
    );
    assert_eq!(supporters["total"], 5);

    // The public page shows the same, and never the 4.
    let (status, html) = app.get("/bliver-vi-hoert?aar=2016").await;
    assert_eq!(status, 200);
    assert_eq!(
        common::figure(&html, "changed").as_deref(),
        Some("2 (67 %)")
    );
    assert_eq!(
        common::figure(&html, "rejected-by-council").as_deref(),
        Some("1")
    );
    assert_eq!(
        common::figure(&html, "pool-spent").as_deref(),
        Some("2.500,00 kr. af 100.000,00 kr.")
    );
    let ages = table_rows(&html, "who-age");
    assert_eq!(
        ages,
        vec![
            (
                "13–15 år".to_string(),
                vec!["under 5".to_string(), "0".to_string()]
            ),
            (
                "16–18 år".to_string(),
                vec!["5".to_string(), "5".to_string()]
            ),
            (
                "19–21 år".to_string(),
                vec!["6".to_string(), "0".to_string()]
            ),
            (
                "I alt".to_string(),
                vec![
                    "skjult, så en lille gruppe ikke kan regnes ud".to_string(),
                    "5".to_string()
                ]
            ),
        ]
    );
    let schools_rows = table_rows(&html, "who-school");
    assert_eq!(schools_rows[0].0, "Aaskolen");
    assert_eq!(schools_rows[0].1[0], "under 5");
    let trend_rows = table_rows(&html, "trend-table");
    let row16 = trend_rows
        .iter()
        .find(|(y, _)| y == "2016")
        .expect("2016 row");
    assert_eq!(row16.1[0], "15");
    assert_eq!(row16.1[3], "2");
    assert_eq!(row16.1[5], "2.500,00 kr.");
    assert!(html.contains("data-testid=\"trend-chart\""));
    assert!(html.contains("/puljen/ansoegning/"), "the grant is linked");

    // The year's open data carries the same, suppressed the same way.
    let (status, body) = app.get("/bliver-vi-hoert/2016.json").await;
    assert_eq!(status, 200);
    let json: Value = serde_json::from_str(body.trim_start_matches('\u{feff}')).expect("json");
    assert_eq!(json["forslag"]["changed"], 2);
    assert_eq!(json["pulje"]["brugt_oere"], 250_000);
    let ages = &json["deltagelse"]["forslagsstillere"]["alder"];
    assert_eq!(
        ages[0],
        serde_json::json!({"gruppe": "13–15 år", "antal": null})
    );
    assert_eq!(
        ages[1],
        serde_json::json!({"gruppe": "16–18 år", "antal": 5})
    );
    let (status, csv) = app.get("/bliver-vi-hoert/2016.csv").await;
    assert_eq!(status, 200);
    assert!(
        csv.contains("deltagelse,forslagsstillere_alder: 16–18 år,5"),
        "{csv}"
    );
    assert!(
        csv.contains("deltagelse,forslagsstillere_alder: 13–15 år,\r\n")
            || csv.contains("deltagelse,forslagsstillere_alder: 13–15 år,\n"),
        "{csv}"
    );
}
