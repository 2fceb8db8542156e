//! Councils at work over HTTP: meetings, agendas, votes and decisions — who may do what,
//! one ballot each, closed votes stay closed, secret ballots stay secret.
use crate::common::{app, email, path, TestApp, PASSWORD};
use app::api::{
    councils::{
        AcceptSuggestion, AddAgendaItem, AdvanceMeeting, AppointOfficer, CastVote, CloseVote,
        CreateMeeting, DecideProposal, DeclineSuggestion, GetMeeting, OpenVote, SetBallotRules,
        SuggestItem, WriteMinutes,
    },
    moderation::SetAnswerWeeks,
    proposals::SaveProposal,
};
use app::domain::account::RoleKind;
use app::domain::ids::{CouncilId, UserId, VoteId};

struct Council {
    id: CouncilId,
    chair: String,
    members: Vec<(UserId, String)>,
}

fn year() -> i32 {
    app::api::accounts::current_year()
}

/// A fresh Ungeråd with a chair and `n` other members, all logged in.
async fn council(app: &TestApp, n: usize) -> Council {
    use app::ssr::db::{councils, users};
    let pool = app.db.pool();
    let id = app.council(RoleKind::Ungeraadsmedlem).await;
    let mut members = Vec::new();
    for i in 0..=n {
        let mail = email("medlem");
        let uid = app.user(&format!("Medlem{i}"), &mail, &[]).await;
        users::grant(
            pool,
            uid,
            RoleKind::Ungeraadsmedlem,
            Some(id),
            Some((year(), year() + 1)),
            uid,
        )
        .await
        .expect("grant");
        members.push((uid, app.login(&mail, PASSWORD).await));
    }
    let (chair_id, chair) = members.remove(0);
    councils::set_officer(pool, id, chair_id, "chair")
        .await
        .expect("chair");
    Council { id, chair, members }
}

async fn meeting(app: &TestApp, c: &Council) -> i64 {
    let r = app
        .post(
            path::<CreateMeeting>(),
            Some(&c.chair),
            &[
                ("council_id", &c.id.0.to_string()),
                ("starts_at", "2030-12-03T17:00"),
                ("place", "Rådhuset"),
            ],
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    let id: i64 = r.body.trim().parse().expect("meeting id");
    // Publish the agenda, so everyone can see it.
    let r = app
        .post(
            path::<AdvanceMeeting>(),
            Some(&c.chair),
            &[("meeting_id", &id.to_string())],
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    id
}

async fn item(app: &TestApp, c: &Council, meeting: i64, proposal: Option<i64>) -> i64 {
    let p = proposal.map(|p| p.to_string()).unwrap_or_default();
    let r = app
        .post(
            path::<AddAgendaItem>(),
            Some(&c.chair),
            &[
                ("meeting_id", &meeting.to_string()),
                ("proposal_id", &p),
                ("title", "Budget for sommerfesten"),
                ("body", ""),
            ],
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    app.count(&format!(
        "SELECT MAX(id) FROM agenda_items WHERE meeting_id = {meeting}"
    ))
    .await
}

async fn open_vote(app: &TestApp, c: &Council, item: i64) -> VoteId {
    let r = app
        .post(
            path::<OpenVote>(),
            Some(&c.chair),
            &[("item_id", &item.to_string())],
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    r.body.trim().parse().expect("vote id")
}

async fn cast(app: &TestApp, cookie: Option<&str>, vote: VoteId, choice: &str) -> u16 {
    app.post(
        path::<CastVote>(),
        cookie,
        &[("vote_id", &vote.to_string()), ("choice", choice)],
    )
    .await
    .status
}

async fn ballots(app: &TestApp, vote: VoteId) -> i64 {
    app.count(&format!(
        "SELECT COUNT(*) FROM ballots WHERE vote_id = {vote}"
    ))
    .await
}

#[tokio::test]
async fn only_members_vote() {
    let app = app().await;
    let c = council(&app, 2).await;
    let m = meeting(&app, &c).await;
    let i = item(&app, &c, m, None).await;
    // A member who is not chair cannot open the vote.
    let r = app
        .post(
            path::<OpenVote>(),
            Some(&c.members[0].1),
            &[("item_id", &i.to_string())],
        )
        .await;
    assert_eq!(r.status, 403);
    let v = open_vote(&app, &c, i).await;
    let outsider = app.login_as("Udenfor", &[]).await.1;
    let politician = app.login_as("Mette", &[RoleKind::Politiker]).await.1;
    // A member of another council.
    let other = council(&app, 0).await;
    assert_eq!(cast(&app, Some(&outsider), v, "for").await, 403);
    assert_eq!(cast(&app, Some(&politician), v, "for").await, 403);
    assert_eq!(cast(&app, Some(&other.chair), v, "for").await, 403);
    assert_eq!(cast(&app, None, v, "for").await, 401);
    assert_eq!(ballots(&app, v).await, 0);
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) FROM vote_participants WHERE vote_id = {v}"
        ))
        .await,
        0
    );
    assert_eq!(cast(&app, Some(&c.members[0].1), v, "måske").await, 422);
    assert_eq!(cast(&app, Some(&c.members[0].1), v, "for").await, 200);
    assert_eq!(ballots(&app, v).await, 1);
    // Creating meetings is for those who run the council.
    let r = app
        .post(
            path::<CreateMeeting>(),
            Some(&c.members[1].1),
            &[
                ("council_id", &c.id.0.to_string()),
                ("starts_at", "2030-12-03T17:00"),
                ("place", "Rådhuset"),
            ],
        )
        .await;
    assert_eq!(r.status, 403);
}

#[tokio::test]
async fn a_replayed_ballot_counts_once() {
    let app = app().await;
    let c = council(&app, 1).await;
    let m = meeting(&app, &c).await;
    let i = item(&app, &c, m, None).await;
    let v = open_vote(&app, &c, i).await;
    let cookie = c.members[0].1.clone();
    let vs = v.to_string();
    let fields = [("vote_id", vs.as_str()), ("choice", "for")];
    let replies = futures::future::join_all(
        (0..20).map(|_| app.post(path::<CastVote>(), Some(&cookie), &fields)),
    )
    .await;
    let ok = replies.iter().filter(|r| r.status == 200).count();
    assert_eq!(ok, 1, "one accepted, the rest told they already voted");
    assert!(replies.iter().all(|r| r.status == 200 || r.status == 409));
    assert_eq!(ballots(&app, v).await, 1);
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) FROM vote_participants WHERE vote_id = {v}"
        ))
        .await,
        1
    );
}

#[tokio::test]
async fn closed_votes_stay_closed_and_the_tally_equals_the_ballots() {
    let app = app().await;
    let c = council(&app, 3).await;
    let m = meeting(&app, &c).await;
    let i = item(&app, &c, m, None).await;
    let v = open_vote(&app, &c, i).await;
    assert_eq!(cast(&app, Some(&c.members[0].1), v, "for").await, 200);
    assert_eq!(cast(&app, Some(&c.members[1].1), v, "for").await, 200);
    assert_eq!(cast(&app, Some(&c.members[2].1), v, "imod").await, 200);
    // Only the chair closes.
    assert_eq!(
        app.post(
            path::<CloseVote>(),
            Some(&c.members[0].1),
            &[("vote_id", &v.to_string())]
        )
        .await
        .status,
        403
    );
    assert_eq!(
        app.post(
            path::<CloseVote>(),
            Some(&c.chair),
            &[("vote_id", &v.to_string())]
        )
        .await
        .status,
        200
    );
    assert_eq!(
        cast(&app, Some(&c.chair), v, "for").await,
        409,
        "voting on a closed vote is refused"
    );
    let pool = app.db.pool();
    // The database refuses too, whatever the application does.
    let late = sqlx::query(&format!(
        "INSERT INTO ballots (vote_id, user_id, choice, at) VALUES ({v}, NULL, 'for', 0)"
    ))
    .execute(pool)
    .await;
    assert!(late.is_err(), "a ballot on a closed vote");
    assert!(
        sqlx::query(&format!("UPDATE votes SET yes = 99 WHERE id = {v}"))
            .execute(pool)
            .await
            .is_err()
    );
    assert!(
        sqlx::query(&format!("DELETE FROM ballots WHERE vote_id = {v}"))
            .execute(pool)
            .await
            .is_err()
    );
    let stored: (i64, i64, i64) = sqlx::query_as(&format!(
        "SELECT yes, no, abstain FROM votes WHERE id = {v}"
    ))
    .fetch_one(pool)
    .await
    .expect("tally");
    let counted: (i64, i64, i64) = sqlx::query_as(&format!(
        "SELECT (SELECT COUNT(*) FROM ballots WHERE vote_id = {v} AND choice = 'for'), \
         (SELECT COUNT(*) FROM ballots WHERE vote_id = {v} AND choice = 'imod'), \
         (SELECT COUNT(*) FROM ballots WHERE vote_id = {v} AND choice = 'undlader')"
    ))
    .fetch_one(pool)
    .await
    .expect("ballots");
    assert_eq!(stored, counted);
    assert_eq!(stored, (2, 1, 0));
    let (_, html) = app.get(&format!("/moeder/{m}")).await;
    assert!(
        html.contains("Resultat: 2 for, 1 imod, 0 undlod — vedtaget"),
        "result on the meeting page"
    );
    // Named ballot: the result is public, who voted what is for signed-in people (#22).
    assert!(
        !html.contains("Medlem1: For"),
        "no names for anonymous visitors"
    );
    let (_, html) = app
        .get_with(&format!("/moeder/{m}"), &[("cookie", &c.chair)])
        .await;
    assert!(html.contains("Medlem1: For"));
}

#[tokio::test]
async fn the_council_decides_a_proposal_with_its_vote() {
    let app = app().await;
    let c = council(&app, 3).await;
    // A young person's proposal to this council.
    let mail = email("ung");
    app.user("Sofie", &mail, &[]).await;
    let youth = app.login(&mail, PASSWORD).await;
    let r = app
        .post(
            path::<SaveProposal>(),
            Some(&youth),
            &[
                ("title", "Gratis frugt i frikvarteret"),
                (
                    "body",
                    "Mange elever spiser ikke morgenmad. Gratis frugt ville hjælpe.",
                ),
                ("theme", "trivsel_sundhed"),
                ("council_id", &c.id.0.to_string()),
                ("intent", "submit"),
            ],
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    let p: i64 = r.body.trim().parse().expect("id");
    let m = meeting(&app, &c).await;
    let i = item(&app, &c, m, Some(p)).await;
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) FROM proposals WHERE id = {p} AND status = 'on_agenda'"
        ))
        .await,
        1
    );
    // The same proposal cannot be put on an agenda twice.
    let again = app
        .post(
            path::<AddAgendaItem>(),
            Some(&c.chair),
            &[
                ("meeting_id", &m.to_string()),
                ("proposal_id", &p.to_string()),
            ],
        )
        .await;
    assert_eq!(again.status, 422);
    let v = open_vote(&app, &c, i).await;
    for (k, choice) in ["for", "for", "imod"].iter().enumerate() {
        assert_eq!(cast(&app, Some(&c.members[k].1), v, choice).await, 200);
    }
    app.post(
        path::<CloseVote>(),
        Some(&c.chair),
        &[("vote_id", &v.to_string())],
    )
    .await;
    // Declining without an explanation is refused, and nothing changes.
    for text in ["", "   ", "Nej tak."] {
        let r = app
            .post(
                path::<DecideProposal>(),
                Some(&c.chair),
                &[
                    ("item_id", &i.to_string()),
                    ("decision", "reject"),
                    ("text", text),
                ],
            )
            .await;
        assert_eq!(r.status, 422, "{}", r.body);
        assert!(r.body.contains("begrundelse"), "{}", r.body);
    }
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) FROM proposals WHERE id = {p} AND status = 'on_agenda'"
        ))
        .await,
        1
    );
    // ... and by the database.
    let direct = sqlx::query(&format!(
        "UPDATE proposals SET status = 'rejected_by_council', decision_text = 'nej' WHERE id = {p}"
    ))
    .execute(app.db.pool())
    .await;
    assert!(direct.is_err());
    // A member cannot decide; the chair forwards it.
    let fwd = [
        ("item_id", i.to_string()),
        ("decision", "forward".into()),
        ("text", String::new()),
        ("committee", committee_id(&app).await),
    ];
    let fwd: Vec<(&str, &str)> = fwd.iter().map(|(k, v)| (*k, v.as_str())).collect();
    assert_eq!(
        app.post(path::<DecideProposal>(), Some(&c.members[0].1), &fwd)
            .await
            .status,
        403
    );
    let r = app
        .post(path::<DecideProposal>(), Some(&c.chair), &fwd)
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    let (_, html) = app.get(&format!("/forslag/{p}")).await;
    assert!(
        html.contains("2 for, 1 imod, 0 undlod — vedtaget"),
        "vote on the proposal's timeline"
    );
    assert!(html.contains("sendt til Børne- og Ungeudvalget"));
    assert!(html.contains("Venter på svar fra politikerne — svarfrist"));
    assert!(
        html.contains(&format!("/moeder/{m}")),
        "the timeline links the meeting"
    );
    assert_eq!(
        app.me(Some(&youth)).await["unread"],
        2,
        "the author heard of agenda and decision"
    );
}

#[tokio::test]
async fn a_secret_ballot_reveals_nobody() {
    let app = app().await;
    let c = council(&app, 3).await;
    app.post(
        path::<SetBallotRules>(),
        Some(&c.chair),
        &[("council_id", &c.id.0.to_string()), ("secret", "1")],
    )
    .await;
    let m = meeting(&app, &c).await;
    let i = item(&app, &c, m, None).await;
    let v = open_vote(&app, &c, i).await;
    let choices = ["for", "imod", "undlader"];
    for (k, choice) in choices.iter().enumerate() {
        assert_eq!(cast(&app, Some(&c.members[k].1), v, choice).await, 200);
    }
    let mut responses = Vec::new();
    for (_, cookie) in &c.members {
        responses.push(
            app.post(
                path::<GetMeeting>(),
                Some(cookie),
                &[("id", &m.to_string())],
            )
            .await
            .body,
        );
        responses.push(
            app.get_with(&format!("/moeder/{m}"), &[("cookie", cookie)])
                .await
                .1,
        );
    }
    app.post(
        path::<CloseVote>(),
        Some(&c.chair),
        &[("vote_id", &v.to_string())],
    )
    .await;
    for cookie in c
        .members
        .iter()
        .map(|m| m.1.as_str())
        .chain([c.chair.as_str()])
    {
        responses.push(
            app.post(
                path::<GetMeeting>(),
                Some(cookie),
                &[("id", &m.to_string())],
            )
            .await
            .body,
        );
        responses.push(
            app.get_with(&format!("/moeder/{m}"), &[("cookie", cookie)])
                .await
                .1,
        );
    }
    responses.push(app.get(&format!("/moeder/{m}")).await.1);
    for body in &responses {
        for k in 0..3 {
            let name = format!("Medlem{}", k + 1);
            for label in [
                "For",
                "Imod",
                "Undlader",
                "\"For\"",
                "\"Imod\"",
                "\"Undlader\"",
            ] {
                assert!(
                    !body.contains(&format!("{name}: {label}")),
                    "secret ballot revealed"
                );
            }
        }
        assert!(!body.contains("\"my_choice\":\""), "a choice in the JSON");
        assert!(!body.contains("\"named\":[["), "named ballots in the JSON");
    }
    // Nothing in the database links a voter to a choice: no ballot rows, no voting times.
    assert_eq!(
        app.count(&format!("SELECT COUNT(*) FROM ballots WHERE vote_id = {v}"))
            .await,
        0
    );
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) FROM vote_participants WHERE vote_id = {v} AND at <> 0"
        ))
        .await,
        0
    );
    assert_eq!(
        app.count(&format!(
            "SELECT CAST(SUM(n) AS BIGINT) FROM secret_counts WHERE vote_id = {v}"
        ))
        .await,
        3
    );
    assert_eq!(
        app.count(&format!(
            "SELECT yes + no + abstain FROM votes WHERE id = {v}"
        ))
        .await,
        3
    );
    assert!(responses
        .last()
        .is_some_and(|h| h.contains("1 for, 1 imod, 1 undlod")));
}

#[tokio::test]
async fn suggestions_are_accepted_or_declined_with_an_explanation() {
    let app = app().await;
    let c = council(&app, 1).await;
    let m = meeting(&app, &c).await;
    let mail = email("ung");
    app.user("Sofie", &mail, &[]).await;
    let youth = app.login(&mail, PASSWORD).await;
    let cid = c.id.0.to_string();
    assert_eq!(
        app.post(
            path::<SuggestItem>(),
            None,
            &[("council_id", &cid), ("title", "Flere bænke"), ("body", "")]
        )
        .await
        .status,
        401
    );
    assert_eq!(
        app.post(
            path::<SuggestItem>(),
            Some(&youth),
            &[("council_id", &cid), ("title", "Hej"), ("body", "")]
        )
        .await
        .status,
        422
    );
    for title in ["Flere bænke i parken", "Musik i frikvarteret"] {
        let r = app
            .post(
                path::<SuggestItem>(),
                Some(&youth),
                &[("council_id", &cid), ("title", title), ("body", "")],
            )
            .await;
        assert_eq!(r.status, 200, "{}", r.body);
    }
    let first = app
        .count(&format!(
            "SELECT MIN(id) FROM agenda_suggestions WHERE council_id = {cid}"
        ))
        .await;
    let second = first + 1;
    // Only the chair decides; declining needs an explanation (server and database).
    let id2 = second.to_string();
    assert_eq!(
        app.post(
            path::<DeclineSuggestion>(),
            Some(&youth),
            &[
                ("suggestion_id", &id2),
                ("reason", "Det passer ikke ind i år, desværre.")
            ]
        )
        .await
        .status,
        403
    );
    for reason in ["", "Nej.", "   \u{200B}   "] {
        let r = app
            .post(
                path::<DeclineSuggestion>(),
                Some(&c.chair),
                &[("suggestion_id", &id2), ("reason", reason)],
            )
            .await;
        assert_eq!(r.status, 422, "{}", r.body);
        assert!(
            r.body
                .contains("hvorfor punktet ikke kommer på dagsordenen"),
            "{}",
            r.body
        );
    }
    let direct = sqlx::query(&format!(
        "UPDATE agenda_suggestions SET status = 'declined', decline_reason = 'nej', decided_at = 1 WHERE id = {second}"
    ))
    .execute(app.db.pool())
    .await;
    assert!(
        direct.is_err(),
        "the database refuses a decline without explanation"
    );
    let r = app
        .post(
            path::<DeclineSuggestion>(),
            Some(&c.chair),
            &[
                ("suggestion_id", &id2),
                (
                    "reason",
                    "Skolen har allerede musik om fredagen, så vi prioriterer andre punkter.",
                ),
            ],
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    let r = app
        .post(
            path::<AcceptSuggestion>(),
            Some(&c.chair),
            &[
                ("suggestion_id", &first.to_string()),
                ("meeting_id", &m.to_string()),
            ],
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    let (_, html) = app.get(&format!("/moeder/{m}")).await;
    assert!(
        html.contains("Flere bænke i parken"),
        "accepted onto the agenda"
    );
    let (_, html) = app
        .get_with(&format!("/raad/{cid}"), &[("cookie", &youth)])
        .await;
    assert!(
        html.contains("Skolen har allerede musik om fredagen"),
        "the suggester sees why"
    );
}

#[tokio::test]
async fn minutes_are_versioned_and_public_once_approved() {
    let app = app().await;
    let c = council(&app, 1).await;
    let m = meeting(&app, &c).await;
    let i = item(&app, &c, m, None).await;
    let is = i.to_string();
    let advance = || {
        let app = &app;
        let chair = c.chair.clone();
        async move {
            app.post(
                path::<AdvanceMeeting>(),
                Some(&chair),
                &[("meeting_id", &m.to_string())],
            )
            .await
        }
    };
    let write = |summary: &'static str| {
        let is = is.clone();
        let chair = c.chair.clone();
        let app = &app;
        async move {
            app.post(
                path::<WriteMinutes>(),
                Some(&chair),
                &[
                    ("item_id", &is),
                    ("summary", summary),
                    ("decision", "Vedtaget"),
                ],
            )
            .await
            .status
        }
    };
    assert_eq!(
        app.post(
            path::<WriteMinutes>(),
            Some(&c.members[0].1),
            &[
                ("item_id", &is),
                ("summary", "Vi talte om det"),
                ("decision", "")
            ]
        )
        .await
        .status,
        403
    );
    // Minutes are written once the meeting is held, not before (the agenda is published).
    let early = app
        .post(
            path::<WriteMinutes>(),
            Some(&c.chair),
            &[
                ("item_id", &is),
                ("summary", "For tidligt."),
                ("decision", ""),
            ],
        )
        .await;
    assert_eq!(early.status, 409, "{}", early.body);
    assert!(early.body.contains("når mødet er holdt"), "{}", early.body);
    let r = advance().await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(write("Vi talte om budgettet.").await, 200);
    assert!(
        !app.get(&format!("/moeder/{m}"))
            .await
            .1
            .contains("Vi talte om budgettet."),
        "not public before approval"
    );
    // A correction is a new version; the old one is kept.
    assert_eq!(write("Vi talte om budgettet og sommerfesten.").await, 200);
    let r = advance().await;
    assert_eq!(r.status, 200, "{}", r.body);
    let (_, html) = app.get(&format!("/moeder/{m}")).await;
    assert!(html.contains("Referat godkendt"));
    assert!(html.contains("Vi talte om budgettet og sommerfesten."));
    assert!(html.contains("Tidligere versioner"));
    // Approved minutes are final.
    assert_eq!(write("Vi talte også om noget andet.").await, 409);
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) FROM minutes WHERE agenda_item_id = {i}"
        ))
        .await,
        2
    );
    let pool = app.db.pool();
    assert!(sqlx::query(&format!(
        "UPDATE minutes SET summary = 'x' WHERE agenda_item_id = {i}"
    ))
    .execute(pool)
    .await
    .is_err());
    assert!(
        sqlx::query(&format!("DELETE FROM minutes WHERE agenda_item_id = {i}"))
            .execute(pool)
            .await
            .is_err()
    );
    assert_eq!(
        app.post(
            path::<AdvanceMeeting>(),
            Some(&c.chair),
            &[("meeting_id", &m.to_string())]
        )
        .await
        .status,
        409
    );
    // No votes after the minutes are approved.
    assert_eq!(
        app.post(path::<OpenVote>(), Some(&c.chair), &[("item_id", &is)])
            .await
            .status,
        409
    );
}

#[tokio::test]
async fn a_planned_agenda_is_the_councils_own_until_published() {
    let app = app().await;
    let c = council(&app, 1).await;
    let r = app
        .post(
            path::<CreateMeeting>(),
            Some(&c.chair),
            &[
                ("council_id", &c.id.0.to_string()),
                ("starts_at", "2030-12-03T17:00"),
                ("place", "Rådhuset"),
            ],
        )
        .await;
    let m: i64 = r.body.trim().parse().expect("id");
    item(&app, &c, m, None).await;
    assert!(!app
        .get(&format!("/moeder/{m}"))
        .await
        .1
        .contains("Budget for sommerfesten"));
    assert!(app
        .get(&format!("/moeder/{m}"))
        .await
        .1
        .contains("Dagsordenen er ikke offentliggjort endnu."));
    let (_, html) = app
        .get_with(&format!("/moeder/{m}"), &[("cookie", &c.members[0].1)])
        .await;
    assert!(html.contains("Budget for sommerfesten"), "members see it");
    app.post(
        path::<AdvanceMeeting>(),
        Some(&c.chair),
        &[("meeting_id", &m.to_string())],
    )
    .await;
    assert!(app
        .get(&format!("/moeder/{m}"))
        .await
        .1
        .contains("Budget for sommerfesten"));
}

#[tokio::test]
async fn the_calendar_feed_lists_the_meetings() {
    let app = app().await;
    let c = council(&app, 0).await;
    let m = meeting(&app, &c).await;
    let res = app
        .send(
            axum::http::Request::get(format!("/raad/{}/kalender.ics", c.id.0))
                .body(axum::body::Body::empty())
                .expect("request"),
        )
        .await;
    assert_eq!(res.status(), 200);
    assert_eq!(
        res.headers()
            .get("content-type")
            .and_then(|v| v.to_str().ok()),
        Some("text/calendar; charset=utf-8")
    );
    let body = crate::common::body_text(res).await;
    assert!(body.contains(&format!("UID:moede-{m}@stemme")), "{body}");
    // 17:00 in Copenhagen on 3 December is 16:00 UTC.
    assert!(body.contains("DTSTART:20301203T160000Z"), "{body}");
    assert_eq!(app.get("/raad/999999999/kalender.ics").await.0, 404);
}

#[tokio::test]
async fn an_elevraad_sends_a_proposal_on_and_the_coordinator_appoints_officers() {
    use app::domain::proposal::{Intent, ProposalContent, Theme, Visibility};
    use app::ssr::db::{proposals, schools, users};
    let app = app().await;
    let pool = app.db.pool();
    let school_name = email("skole");
    let school = schools::create(pool, &school_name[..60.min(school_name.len())])
        .await
        .expect("school");
    let elevraad = schools::councils(pool)
        .await
        .expect("councils")
        .into_iter()
        .find(|c| c.school_id == Some(school))
        .expect("elevråd")
        .id;
    schools::create_council(
        pool,
        app::domain::account::CouncilKind::FaellesElevraad,
        &email("faelles-elevraad"),
        None,
    )
    .await
    .expect("FER");
    // The elevrådsformand runs the elevråd.
    let mail = email("formand");
    let chair_id = app.user("Emma", &mail, &[]).await;
    users::grant(
        pool,
        chair_id,
        RoleKind::Elevraadsformand,
        Some(elevraad),
        Some((year(), year() + 1)),
        chair_id,
    )
    .await
    .expect("grant");
    let chair = app.login(&mail, PASSWORD).await;
    let author = app.user("Ali", &email("elev"), &[]).await;
    let p = proposals::create(
        pool,
        author,
        &ProposalContent {
            title: "Mere skolemad".into(),
            body: "Vi vil gerne have varm mad i kantinen hver dag.".into(),
            theme: Theme::SkoleLaering,
            council: elevraad,
            show_name: true,
        },
        Intent::Submit,
        Visibility::Published,
        None,
    )
    .await
    .expect("proposal");
    let c = Council {
        id: elevraad,
        chair,
        members: Vec::new(),
    };
    let m = meeting(&app, &c).await;
    let i = item(&app, &c, m, Some(p.0)).await;
    let send_on = [
        ("item_id", i.to_string()),
        ("decision", "send_on".to_owned()),
        ("text", String::new()),
    ];
    let send_on: Vec<(&str, &str)> = send_on.iter().map(|(k, v)| (*k, v.as_str())).collect();
    // Sending on rests on the council's vote, too.
    let r = app
        .post(path::<DecideProposal>(), Some(&c.chair), &send_on)
        .await;
    assert_eq!(r.status, 422, "{}", r.body);
    let v = open_vote(&app, &c, i).await;
    assert_eq!(cast(&app, Some(&c.chair), v, "for").await, 200);
    app.post(
        path::<CloseVote>(),
        Some(&c.chair),
        &[("vote_id", &v.to_string())],
    )
    .await;
    let r = app
        .post(path::<DecideProposal>(), Some(&c.chair), &send_on)
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    let moved: (String, String) = sqlx::query_as(&format!(
        "SELECT p.status, c.kind FROM proposals p JOIN councils c ON c.id = p.council_id WHERE p.id = {}",
        p.0
    ))
    .fetch_one(pool)
    .await
    .expect("proposal");
    assert_eq!(
        moved,
        ("submitted".to_owned(), "faelles_elevraad".to_owned())
    );
    let (_, html) = app.get(&format!("/forslag/{}", p.0)).await;
    assert!(html.contains(&format!(
        "Sendt videre fra Elevrådet på {}",
        &school_name[..60.min(school_name.len())]
    )));

    // Det Fælles Elevråd puts it on its agenda; the elevråd can no longer decide it.
    let coordinator = app.login_as("Lars", &[RoleKind::Sekretariat]).await.1;
    let fer: i64 = app
        .count(&format!(
            "SELECT council_id FROM proposals WHERE id = {}",
            p.0
        ))
        .await;
    let fer = Council {
        id: CouncilId(fer),
        chair: coordinator.clone(),
        members: Vec::new(),
    };
    let fm = meeting(&app, &fer).await;
    item(&app, &fer, fm, Some(p.0)).await;
    let late = app
        .post(
            path::<DecideProposal>(),
            Some(&c.chair),
            &[
                ("item_id", &i.to_string()),
                ("decision", "reject"),
                (
                    "text",
                    "Elevrådet afviser det alligevel, fordi vi har ombestemt os.",
                ),
            ],
        )
        .await;
    assert_eq!(late.status, 409, "{}", late.body);
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) FROM proposals WHERE id = {} AND status = 'on_agenda'",
            p.0
        ))
        .await,
        1
    );

    // Appointing officers is the coordinator's.
    let u = council(&app, 1).await;
    let member = u.members[0].0 .0.to_string();
    let fields = [
        ("council_id", u.id.0.to_string()),
        ("user_id", member),
        ("position", "secretary".to_owned()),
    ];
    let fields: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
    assert_eq!(
        app.post(path::<AppointOfficer>(), Some(&u.chair), &fields)
            .await
            .status,
        403
    );
    let coordinator = app.login_as("Lars", &[RoleKind::Sekretariat]).await.1;
    assert_eq!(
        app.post(path::<AppointOfficer>(), Some(&coordinator), &fields)
            .await
            .status,
        200
    );
    let (_, html) = app.get(&format!("/raad/{}", u.id.0)).await;
    assert!(
        html.replace("<!>", "").contains("medlem (sekretær)") && !html.contains("Medlem1"),
        "the secretary is shown by role to anonymous visitors (#22)"
    );
    let (_, signed_in) = app
        .get_with(&format!("/raad/{}", u.id.0), &[("cookie", &u.chair)])
        .await;
    assert!(
        signed_in.replace("<!>", "").contains("Medlem1 (sekretær)"),
        "the secretary is shown"
    );
    assert!(
        !html.contains("name=\"user_id\""),
        "members' ids only for the coordinator"
    );
}

#[tokio::test]
async fn changing_a_vote_only_when_the_council_allows_it() {
    let app = app().await;
    let c = council(&app, 1).await;
    let m = meeting(&app, &c).await;
    let first = item(&app, &c, m, None).await;
    let v = open_vote(&app, &c, first).await;
    let member = c.members[0].1.clone();
    assert_eq!(cast(&app, Some(&member), v, "for").await, 200);
    assert_eq!(
        cast(&app, Some(&member), v, "imod").await,
        409,
        "not allowed by default"
    );
    // The council allows changes (named ballots): a new vote can be changed while open.
    let r = app
        .post(
            path::<SetBallotRules>(),
            Some(&c.chair),
            &[("council_id", &c.id.0.to_string()), ("allow_change", "1")],
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    let second = item(&app, &c, m, None).await;
    let v2 = open_vote(&app, &c, second).await;
    assert_eq!(cast(&app, Some(&member), v2, "for").await, 200);
    assert_eq!(cast(&app, Some(&member), v2, "imod").await, 200);
    let choice: String =
        sqlx::query_scalar(&format!("SELECT choice FROM ballots WHERE vote_id = {v2}"))
            .fetch_one(app.db.pool())
            .await
            .expect("ballot");
    assert_eq!(choice, "imod");
    assert_eq!(ballots(&app, v2).await, 1);
}

#[tokio::test]
async fn the_answer_deadline_follows_the_coordinators_setting() {
    let app = app().await;
    let coordinator = app.login_as("Lars", &[RoleKind::Sekretariat]).await.1;
    let c = council(&app, 0).await;
    assert_eq!(
        app.post(path::<SetAnswerWeeks>(), Some(&c.chair), &[("weeks", "4")])
            .await
            .status,
        403
    );
    assert_eq!(
        app.post(
            path::<SetAnswerWeeks>(),
            Some(&coordinator),
            &[("weeks", "0")]
        )
        .await
        .status,
        422
    );
    assert_eq!(
        app.post(
            path::<SetAnswerWeeks>(),
            Some(&coordinator),
            &[("weeks", "abc")]
        )
        .await
        .status,
        422
    );
    assert_eq!(
        app.post(
            path::<SetAnswerWeeks>(),
            Some(&coordinator),
            &[("weeks", "8")]
        )
        .await
        .status,
        200
    );
    let weeks: String = sqlx::query_scalar("SELECT value FROM settings WHERE key = 'answer_weeks'")
        .fetch_one(app.db.pool())
        .await
        .expect("setting");
    assert_eq!(weeks, "8");
}

/// A proposal by a fresh young person, submitted to the council `c`: its id.
async fn proposal(app: &TestApp, c: &Council, title: &str) -> i64 {
    let mail = email("ung");
    app.user("Sofie", &mail, &[]).await;
    let youth = app.login(&mail, PASSWORD).await;
    let r = app
        .post(
            path::<SaveProposal>(),
            Some(&youth),
            &[
                ("title", title),
                (
                    "body",
                    "Mange unge har bedt om det, og det ville gøre en stor forskel i hverdagen.",
                ),
                ("theme", "faellesskab"),
                ("council_id", &c.id.0.to_string()),
                ("intent", "submit"),
            ],
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    r.body.trim().parse().expect("id")
}

async fn close(app: &TestApp, c: &Council, vote: VoteId) {
    let r = app
        .post(
            path::<CloseVote>(),
            Some(&c.chair),
            &[("vote_id", &vote.to_string())],
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
}

#[tokio::test]
async fn a_decision_needs_a_closed_passed_vote_on_that_item() {
    let app = app().await;
    // The chair and three members: quorum is three.
    let c = council(&app, 3).await;
    let m = meeting(&app, &c).await;
    let untouched = proposal(&app, &c, "Flere bænke i byen").await;
    let tied = proposal(&app, &c, "Gratis svømmehal om søndagen").await;
    let few = proposal(&app, &c, "Længere åbent i biblioteket").await;
    let i_untouched = item(&app, &c, m, Some(untouched)).await;
    let i_tied = item(&app, &c, m, Some(tied)).await;
    let i_few = item(&app, &c, m, Some(few)).await;
    let free = item(&app, &c, m, None).await;
    let committee = committee_id(&app).await;
    let decide = |item: i64, decision: &'static str| {
        let app = &app;
        let chair = c.chair.clone();
        let committee = committee.clone();
        async move {
            app.post(
                path::<DecideProposal>(),
                Some(&chair),
                &[
                    ("item_id", &item.to_string()),
                    ("decision", decision),
                    (
                        "text",
                        "Rådet mener ikke, at forslaget kan lade sig gøre i år, fordi pengene er brugt.",
                    ),
                    ("committee", committee.as_str()),
                ],
            )
            .await
        }
    };
    let on_agenda = |p: i64| {
        let app = &app;
        async move {
            app.count(&format!(
                "SELECT COUNT(*) FROM proposals WHERE id = {p} AND status = 'on_agenda' \
                 AND decision_vote_id IS NULL"
            ))
            .await
                == 1
                && app
                    .count(&format!(
                        "SELECT COUNT(*) FROM proposal_events WHERE proposal_id = {p} \
                         AND kind IN ('forwarded', 'rejected_by_council', 'resolved_by_council')"
                    ))
                    .await
                    == 0
        }
    };
    // No vote at all: refused, whatever the decision.
    for decision in ["forward", "reject", "send_on"] {
        let r = decide(i_untouched, decision).await;
        assert_eq!(r.status, 422, "{decision}: {}", r.body);
        assert!(r.body.contains("ikke stemt"), "{}", r.body);
    }
    // A passed vote on another item of the meeting does not count.
    let v_free = open_vote(&app, &c, free).await;
    for k in 0..3 {
        assert_eq!(cast(&app, Some(&c.members[k].1), v_free, "for").await, 200);
    }
    close(&app, &c, v_free).await;
    let r = decide(i_untouched, "forward").await;
    assert_eq!(r.status, 422, "{}", r.body);
    // An open vote: close it first.
    let v_tied = open_vote(&app, &c, i_tied).await;
    let r = decide(i_tied, "forward").await;
    assert_eq!(r.status, 409, "{}", r.body);
    // A tie fails.
    for (k, choice) in ["for", "for", "imod"].iter().enumerate() {
        assert_eq!(cast(&app, Some(&c.members[k].1), v_tied, choice).await, 200);
    }
    assert_eq!(cast(&app, Some(&c.chair), v_tied, "imod").await, 200);
    close(&app, &c, v_tied).await;
    for decision in ["forward", "reject"] {
        let r = decide(i_tied, decision).await;
        assert_eq!(r.status, 422, "{}", r.body);
        assert!(r.body.contains("stemmelighed"), "{}", r.body);
    }
    // Two of four members voted: no quorum, however they voted.
    let v_few = open_vote(&app, &c, i_few).await;
    assert_eq!(cast(&app, Some(&c.members[0].1), v_few, "for").await, 200);
    assert_eq!(cast(&app, Some(&c.members[1].1), v_few, "for").await, 200);
    close(&app, &c, v_few).await;
    let r = decide(i_few, "forward").await;
    assert_eq!(r.status, 422, "{}", r.body);
    assert!(r.body.contains("beslutningsdygtigt"), "{}", r.body);
    for p in [untouched, tied, few] {
        assert!(on_agenda(p).await, "proposal {p}: nothing stored");
    }
    // The database refuses too: no vote, another item's passed vote, its own failed vote.
    for (p, vote) in [
        (untouched, "NULL".to_owned()),
        (untouched, v_free.to_string()),
        (tied, v_tied.to_string()),
        (few, v_few.to_string()),
    ] {
        for set in [
            "status = 'forwarded', committee = 'Børne- og Ungeudvalget', deadline_at = 1".to_owned(),
            "status = 'rejected_by_council', decision_text = 'Rådet siger nej, fordi pengene er brugt.'"
                .to_owned(),
        ] {
            let sql = format!(
                "UPDATE proposals SET {set}, decision_vote_id = {vote} WHERE id = {p}"
            );
            assert!(
                sqlx::query(&sql).execute(app.db.pool()).await.is_err(),
                "{sql}"
            );
        }
    }
    // Resolving in the council needs no vote, only what the council does.
    let r = app
        .post(
            path::<DecideProposal>(),
            Some(&c.chair),
            &[
                ("item_id", &i_untouched.to_string()),
                ("decision", "resolve"),
                (
                    "text",
                    "Rådet sætter selv bænke op sammen med en lokal forening.",
                ),
            ],
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
}

#[tokio::test]
async fn the_decision_stores_its_vote_and_the_timeline_shows_the_ballots() {
    let app = app().await;
    let c = council(&app, 2).await;
    let m = meeting(&app, &c).await;
    let p = proposal(&app, &c, "Bedre cykelparkering").await;
    let i = item(&app, &c, m, Some(p)).await;
    let v = open_vote(&app, &c, i).await;
    assert_eq!(cast(&app, Some(&c.members[0].1), v, "for").await, 200);
    assert_eq!(cast(&app, Some(&c.members[1].1), v, "undlader").await, 200);
    close(&app, &c, v).await;
    // Typed-in counts are not part of the endpoint (ignored if sent).
    let r = app
        .post(
            path::<DecideProposal>(),
            Some(&c.chair),
            &[
                ("item_id", &i.to_string()),
                ("decision", "reject"),
                (
                    "text",
                    "Rådet mener, at der allerede er cykelparkering nok ved skolerne i år.",
                ),
                ("votes_for", "9"),
                ("vote", "9"),
            ],
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    let stored: (Option<VoteId>, String) = sqlx::query_as(&format!(
        "SELECT decision_vote_id, status FROM proposals WHERE id = {p}"
    ))
    .fetch_one(app.db.pool())
    .await
    .expect("proposal");
    assert_eq!(stored, (Some(v), "rejected_by_council".to_owned()));
    let event: (Option<VoteId>, Option<i64>, Option<i64>, Option<i64>) = sqlx::query_as(&format!(
        "SELECT vote_id, votes_for, votes_against, votes_abstain FROM proposal_events \
         WHERE proposal_id = {p} AND kind = 'rejected_by_council'"
    ))
    .fetch_one(app.db.pool())
    .await
    .expect("event");
    assert_eq!(event, (Some(v), Some(1), Some(0), Some(1)));
    let (_, html) = app.get(&format!("/forslag/{p}")).await;
    assert!(
        html.contains("1 for, 0 imod, 1 undlod"),
        "the ballots' tally"
    );
}

#[tokio::test]
async fn votes_open_on_a_published_agenda_and_minutes_follow_the_meeting() {
    let app = app().await;
    let c = council(&app, 1).await;
    let r = app
        .post(
            path::<CreateMeeting>(),
            Some(&c.chair),
            &[
                ("council_id", &c.id.0.to_string()),
                ("starts_at", "2030-12-03T17:00"),
                ("place", "Rådhuset"),
            ],
        )
        .await;
    let m: i64 = r.body.trim().parse().expect("id");
    let i = item(&app, &c, m, None).await;
    let is = i.to_string();
    // Planned: no vote, no minutes.
    let r = app
        .post(path::<OpenVote>(), Some(&c.chair), &[("item_id", &is)])
        .await;
    assert_eq!(r.status, 409, "{}", r.body);
    assert!(
        r.body.contains("Dagsordenen skal offentliggøres"),
        "{}",
        r.body
    );
    let minutes = [
        ("item_id", is.as_str()),
        ("summary", "Rådet drøftede punktet."),
        ("decision", ""),
    ];
    let r = app
        .post(path::<WriteMinutes>(), Some(&c.chair), &minutes)
        .await;
    assert_eq!(r.status, 409, "{}", r.body);
    assert!(r.body.contains("når mødet er holdt"), "{}", r.body);
    assert_eq!(
        app.count(&format!(
            "SELECT (SELECT COUNT(*) FROM votes WHERE agenda_item_id = {i}) + \
             (SELECT COUNT(*) FROM minutes WHERE agenda_item_id = {i})"
        ))
        .await,
        0
    );
    // The database refuses as well.
    let pool = app.db.pool();
    let vote = format!(
        "INSERT INTO votes (agenda_item_id, status, secret, members, opened_at) VALUES ({i}, 'open', 0, 2, 1)"
    );
    assert!(sqlx::query(&vote).execute(pool).await.is_err(), "{vote}");
    let note = format!(
        "INSERT INTO minutes (agenda_item_id, version, summary, written_at) VALUES ({i}, 1, 'Referat', 1)"
    );
    assert!(sqlx::query(&note).execute(pool).await.is_err(), "{note}");
    let advance = || {
        let app = &app;
        let chair = c.chair.clone();
        async move {
            let r = app
                .post(
                    path::<AdvanceMeeting>(),
                    Some(&chair),
                    &[("meeting_id", &m.to_string())],
                )
                .await;
            assert_eq!(r.status, 200, "{}", r.body);
        }
    };
    // Published: a vote opens; the minutes still wait for the meeting.
    advance().await;
    let v = open_vote(&app, &c, i).await;
    assert_eq!(
        app.post(path::<WriteMinutes>(), Some(&c.chair), &minutes)
            .await
            .status,
        409
    );
    assert!(sqlx::query(&note).execute(pool).await.is_err(), "{note}");
    // Held: minutes are written.
    close(&app, &c, v).await;
    advance().await;
    let r = app
        .post(path::<WriteMinutes>(), Some(&c.chair), &minutes)
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    // A new item at the held meeting can still be voted on.
    let j = item(&app, &c, m, None).await;
    open_vote(&app, &c, j).await;
}

/// The shared committee's id, as the forwarding form posts it.
async fn committee_id(app: &TestApp) -> String {
    app::ssr::db::answers::ensure_committee(app.db.pool(), "Børne- og Ungeudvalget")
        .await
        .expect("committee")
        .to_string()
}
