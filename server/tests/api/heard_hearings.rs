//! "Bliver vi hørt?" counts hearings: figures checked against a seeded set with known
//! dates (hearings sent in 2017, one in 2018), written straight into the database through
//! the same steps the app takes (ask → vote on an agenda item → respond or decline →
//! feedback), so the triggers of migration 0020 check the seed as they check the app.
use crate::common::{self, path};
use app::api::answers::GetHeardOverview;
use app::domain::account::RoleKind;
use app::domain::ids::{CouncilId, HearingId, UserId};
use app::ssr::db::councils;
use chrono::{DateTime, TimeZone, Utc};

fn at(y: i32, m: u32, d: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(y, m, d, 10, 0, 0).unwrap()
}

fn us(t: DateTime<Utc>) -> i64 {
    t.timestamp_micros()
}

const USED_WHY: &str = "Vi brugte kun en del af jeres svar, fordi budgettet til nye \
    cykelstier i år allerede er fordelt. Idéen om bedre lys på stien ved skolen tager vi med, \
    og den kommer på næste års plan. Det andet forslag om en ny bro kan ikke lade sig gøre, \
    fordi grunden ikke er kommunens.";

struct Seed<'a> {
    app: &'a common::TestApp,
    committee: i64,
    sender: UserId,
    voter: UserId,
}

impl Seed<'_> {
    /// A hearing sent at `sent` to `councils`, answer by 20 days later, decided 30 days
    /// later, feedback due 28 days after the decision.
    async fn hearing(&self, sent: DateTime<Utc>, councils: &[CouncilId]) -> HearingId {
        let pool = self.app.db.pool();
        let respond_by = sent + chrono::Duration::days(20);
        let decision = sent + chrono::Duration::days(30);
        let feedback_by = decision + chrono::Duration::days(28);
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO hearings (committee_id, sender_id, title, question, background, \
             decision_at, respond_by, feedback_by, allow_input, status, created_at, updated_at) \
             VALUES ($1, $2, 'Nye cykelstier', 'Hvor skal de nye cykelstier ligge?', '', \
             $3, $4, $5, 0, 'open', $6, $6) RETURNING id",
        )
        .bind(self.committee)
        .bind(self.sender.0)
        .bind(us(decision))
        .bind(us(respond_by))
        .bind(us(feedback_by))
        .bind(us(sent))
        .fetch_one(pool)
        .await
        .expect("hearing");
        for c in councils {
            sqlx::query(
                "INSERT INTO hearing_councils (hearing_id, council_id, status) VALUES ($1, $2, 'awaiting')",
            )
            .bind(id)
            .bind(c.0)
            .execute(pool)
            .await
            .expect("asked");
        }
        HearingId(id)
    }

    /// The council adopts a response by a passed vote on an agenda item about the hearing.
    async fn respond(&self, h: HearingId, council: CouncilId, when: DateTime<Utc>) {
        let pool = self.app.db.pool();
        let meeting = councils::create_meeting(pool, council, when, "Rådhuset", self.voter, None)
            .await
            .expect("meeting");
        let item: i64 = sqlx::query_scalar(
            "INSERT INTO agenda_items (meeting_id, position, title, created_at, hearing_id) \
             VALUES ($1, 1, 'Høring', $2, $3) RETURNING id",
        )
        .bind(meeting.0)
        .bind(us(when))
        .bind(h.0)
        .fetch_one(pool)
        .await
        .expect("item");
        let vote = self
            .app
            .pass_item_vote(
                meeting,
                app::domain::ids::AgendaItemId(item),
                council,
                self.voter,
                when,
            )
            .await;
        sqlx::query(
            "UPDATE hearing_councils SET status = 'responded', response = $1, vote_id = $2, \
             decided_by = $3, decided_at = $4 WHERE hearing_id = $5 AND council_id = $6 AND status = 'awaiting'",
        )
        .bind("Vi foreslår stien langs åen, for den er mest sikker for de yngste.")
        .bind(vote.0)
        .bind(self.voter.0)
        .bind(us(when))
        .bind(h.0)
        .bind(council.0)
        .execute(pool)
        .await
        .expect("responded");
    }

    async fn decline(&self, h: HearingId, council: CouncilId, when: DateTime<Utc>) {
        sqlx::query(
            "UPDATE hearing_councils SET status = 'declined', decline_reason = $1, decided_by = $2, \
             decided_at = $3 WHERE hearing_id = $4 AND council_id = $5 AND status = 'awaiting'",
        )
        .bind("Emnet ligger uden for det, vores elevråd arbejder med i år.")
        .bind(self.voter.0)
        .bind(us(when))
        .bind(h.0)
        .bind(council.0)
        .execute(self.app.db.pool())
        .await
        .expect("declined");
    }

    async fn feedback(&self, h: HearingId, uses: &[(CouncilId, &str)], when: DateTime<Utc>) {
        let pool = self.app.db.pool();
        for (c, kind) in uses {
            sqlx::query(
                "UPDATE hearing_councils SET use_kind = $1, use_text = $2 WHERE hearing_id = $3 AND council_id = $4",
            )
            .bind(*kind)
            .bind(USED_WHY)
            .bind(h.0)
            .bind(c.0)
            .execute(pool)
            .await
            .expect("use");
        }
        sqlx::query(
            "UPDATE hearings SET status = 'feedback_given', decision_text = $1, feedback_at = $2 \
             WHERE id = $3 AND status = 'open'",
        )
        .bind("Udvalget besluttede at bygge stien langs åen i 2018.")
        .bind(us(when))
        .bind(h.0)
        .execute(pool)
        .await
        .expect("feedback");
    }
}

#[tokio::test]
async fn overview_counts_hearings_sent_in_the_year() {
    let app = common::app_isolated().await;
    let pool = app.db.pool();
    let committee = app::ssr::db::answers::ensure_committee(pool, "Teknik- og Miljøudvalget")
        .await
        .expect("committee")
        .0;
    let sender = app
        .user("Mette", &common::email("mette"), &[RoleKind::Politiker])
        .await;
    let voter = app.user("Stemmer", &common::email("stemmer"), &[]).await;
    let s = Seed {
        app: &app,
        committee,
        sender,
        voter,
    };
    let (a, b, c) = (
        app.council(RoleKind::Ungeraadsmedlem).await,
        app.council(RoleKind::Elevraadsmedlem).await,
        app.council(RoleKind::Elevraadsmedlem).await,
    );

    // 1: A responds, B declines; feedback in time, A's response used.
    let h1 = s.hearing(at(2017, 3, 1), &[a, b]).await;
    s.respond(h1, a, at(2017, 3, 10)).await;
    s.decline(h1, b, at(2017, 3, 12)).await;
    s.feedback(h1, &[(a, "used")], at(2017, 4, 10)).await;
    // 2: both respond; feedback late (decided 05-01, due 05-29, given 06-10).
    let h2 = s.hearing(at(2017, 4, 1), &[a, b]).await;
    s.respond(h2, a, at(2017, 4, 5)).await;
    s.respond(h2, b, at(2017, 4, 6)).await;
    s.feedback(h2, &[(a, "partly"), (b, "not_used")], at(2017, 6, 10))
        .await;
    // 3: three asked, one responds, no feedback: overdue now, two never answered.
    let h3 = s.hearing(at(2017, 9, 1), &[a, b, c]).await;
    s.respond(h3, c, at(2017, 9, 3)).await;
    // 4: sent in 2018, counted there only.
    let h4 = s.hearing(at(2018, 1, 5), &[a]).await;
    s.respond(h4, a, at(2018, 1, 6)).await;

    let o = app
        .post(path::<GetHeardOverview>(), None, &[("year", "2017")])
        .await
        .json();
    let h = &o["hearings"];
    let got = |k: &str| h[k].as_i64().unwrap_or(-1);
    assert_eq!(got("sent"), 3, "{h}");
    assert_eq!(got("asked"), 7);
    assert_eq!(got("responded"), 4);
    assert_eq!(got("declined"), 1);
    assert_eq!(got("no_response"), 2);
    assert_eq!(got("feedback_given"), 2);
    assert_eq!(got("feedback_in_time"), 1);
    assert_eq!(got("feedback_overdue_now"), 1, "h3 (h4 is 2018's)");
    assert_eq!((got("used"), got("partly"), got("not_used")), (1, 1, 1));
    let overdue: Vec<i64> = o["overdue_hearings"]
        .as_array()
        .expect("overdue hearings")
        .iter()
        .filter_map(|x| x["id"].as_i64())
        .collect();
    assert_eq!(
        overdue,
        vec![h3.0, h4.0],
        "most overdue first, feedback given not listed"
    );
    assert!(o["years"].as_array().expect("years").contains(&2017.into()));

    let o18 = app
        .post(path::<GetHeardOverview>(), None, &[("year", "2018")])
        .await
        .json();
    assert_eq!(o18["hearings"]["sent"], 1);
    assert_eq!(o18["hearings"]["responded"], 1);

    // The public page shows the same figures.
    let (status, html) = app.get("/bliver-vi-hoert?aar=2017").await;
    assert_eq!(status, 200);
    for (key, expected) in [
        ("h-sent", "3"),
        ("h-asked", "7"),
        ("h-responded", "4 (57 %)"),
        ("h-declined", "1"),
        ("h-no-response", "2"),
        ("h-feedback", "2"),
        ("h-feedback-in-time", "50 %"),
        ("h-feedback-overdue", "1"),
        ("h-used", "1"),
        ("h-partly", "1"),
        ("h-not-used", "1"),
    ] {
        assert_eq!(
            common::figure(&html, key).as_deref(),
            Some(expected),
            "figure {key}"
        );
    }
    assert!(
        html.contains(&format!("/hoeringer/{}", h3.0)),
        "overdue hearing linked"
    );
}
