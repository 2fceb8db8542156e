//! Politicians answer: only the committee's politicians; Nej and Delvist never without an
//! explanation — not through the endpoint, not straight into the database.
use crate::common::{app, email, path, TestApp, PASSWORD};
use app::api::answers::{AnswerProposal, GetInbox};
use app::domain::account::RoleKind;
use app::domain::ids::ProposalId;
use app::ssr::db::{
    answers,
    proposals::{self, Step},
};

pub(crate) const COMMITTEE: &str = "Børne- og Ungeudvalget";
pub(crate) const LONG: &str = "Vi har regnet på forslaget sammen med forvaltningen. Det koster mere, end der er \
     plads til i budgettet for næste år, fordi bygningen også skal ombygges. Vi vil i stedet se på en \
     mindre løsning til foråret, og vi skriver til jer igen, når vi ved mere om prisen.";

pub(crate) struct Setup {
    pub proposal: ProposalId,
    pub author: String,
    pub politician: String,
    pub politician_id: app::domain::ids::UserId,
}

pub(crate) async fn forwarded(app: &TestApp) -> Setup {
    let pool = app.db.pool();
    let council = app.council(RoleKind::Ungeraadsmedlem).await;
    let mail = email("ung");
    let author_id = app.user("Sofie", &mail, &[]).await;
    let author = app.login(&mail, PASSWORD).await;
    let proposal = app
        .submitted_proposal(author_id, council, "Et nyt ungdomshus")
        .await;
    let now = chrono::Utc::now();
    let vote = app.passed_vote(proposal, council, now).await;
    proposals::step(
        pool,
        proposal,
        Step::Decide {
            council,
            decision: app::domain::proposal::CouncilDecision::Forwarded {
                committee: answers::ensure_committee(pool, COMMITTEE)
                    .await
                    .expect("committee"),
                deadline: now + chrono::Duration::weeks(8),
            },
            vote: Some(vote),
        },
        None,
        now,
    )
    .await
    .expect("forward");
    let mail = email("politiker");
    let pid = app.user("Mette", &mail, &[RoleKind::Politiker]).await;
    let committee = answers::ensure_committee(pool, COMMITTEE)
        .await
        .expect("committee");
    answers::add_member(pool, committee, pid)
        .await
        .expect("member");
    let politician = app.login(&mail, PASSWORD).await;
    Setup {
        proposal,
        author,
        politician,
        politician_id: pid,
    }
}

async fn answer(
    app: &TestApp,
    cookie: Option<&str>,
    p: ProposalId,
    kind: &str,
    text: &str,
    reason: &str,
) -> (u16, String) {
    let r = app
        .post(
            path::<AnswerProposal>(),
            cookie,
            &[
                ("proposal_id", &p.0.to_string()),
                ("answer", kind),
                ("explanation", text),
                ("reason", reason),
            ],
        )
        .await;
    (r.status, r.body)
}

async fn stored(app: &TestApp, p: ProposalId) -> (String, Option<String>) {
    sqlx::query_as(&format!(
        "SELECT status, answer FROM proposals WHERE id = {}",
        p.0
    ))
    .fetch_one(app.db.pool())
    .await
    .expect("proposal")
}

#[tokio::test]
async fn no_rejection_without_an_explanation() {
    let app = app().await;
    let s = forwarded(&app).await;
    for kind in ["nej", "delvist"] {
        for text in [
            "",
            "    ",
            "\u{200B}\u{202E}",
            "For dyrt.",
            &"x".repeat(199),
        ] {
            let (status, body) = answer(
                &app,
                Some(&s.politician),
                s.proposal,
                kind,
                text,
                "oekonomi",
            )
            .await;
            assert_eq!(status, 422, "{kind} {text:?}: {body}");
            assert!(
                body.contains("explanation") && body.contains("mindst 200 tegn"),
                "{body}"
            );
        }
        let (status, body) = answer(&app, Some(&s.politician), s.proposal, kind, LONG, "").await;
        assert_eq!(status, 422, "a reason category is needed: {body}");
    }
    assert_eq!(stored(&app, s.proposal).await, ("forwarded".into(), None));
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) FROM proposal_events WHERE proposal_id = {} AND kind = 'answered'",
            s.proposal.0
        ))
        .await,
        0
    );
    // Straight into the database: refused on both engines.
    let pool = app.db.pool();
    let id = s.proposal.0;
    for sql in [
        format!("UPDATE proposals SET status = 'answered', answer = 'nej', answered_at = 1, answer_reason = 'oekonomi' WHERE id = {id}"),
        format!("UPDATE proposals SET status = 'answered', answer = 'delvist', answered_at = 1, answer_text = 'For dyrt', answer_reason = 'oekonomi' WHERE id = {id}"),
        format!("UPDATE proposals SET status = 'answered', answer = 'nej', answered_at = 1, answer_text = '{}' WHERE id = {id}", LONG.replace('\'', "''")),
        format!("INSERT INTO proposal_events (proposal_id, kind, at, answer) VALUES ({id}, 'answered', 1, 'nej')"),
    ] {
        assert!(sqlx::query(&sql).execute(pool).await.is_err(), "{sql}");
    }
    assert_eq!(stored(&app, s.proposal).await, ("forwarded".into(), None));
}

#[tokio::test]
async fn only_the_committees_politicians_answer() {
    let app = app().await;
    let s = forwarded(&app).await;
    let outsider = app.login_as("Ole", &[RoleKind::Politiker]).await.1;
    assert_eq!(
        answer(&app, Some(&outsider), s.proposal, "nej", LONG, "oekonomi")
            .await
            .0,
        403
    );
    assert_eq!(
        answer(&app, Some(&s.author), s.proposal, "ja", "", "")
            .await
            .0,
        403
    );
    assert_eq!(answer(&app, None, s.proposal, "ja", "", "").await.0, 401);
    assert_eq!(stored(&app, s.proposal).await, ("forwarded".into(), None));
    // The inbox lists it for the committee's politician, not for the outsider.
    let inbox = app.post(path::<GetInbox>(), Some(&s.politician), &[]).await;
    assert!(inbox.body.contains("Et nyt ungdomshus"), "{}", inbox.body);
    let other = app.post(path::<GetInbox>(), Some(&outsider), &[]).await;
    assert!(!other.body.contains(&format!("\"id\":{}", s.proposal.0)));
    assert_eq!(
        app.post(path::<GetInbox>(), Some(&s.author), &[])
            .await
            .status,
        403
    );
}

#[tokio::test]
async fn a_nej_with_its_explanation_reaches_the_author() {
    let app = app().await;
    let s = forwarded(&app).await;
    let (status, body) = answer(
        &app,
        Some(&s.politician),
        s.proposal,
        "nej",
        LONG,
        "oekonomi",
    )
    .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(
        stored(&app, s.proposal).await,
        ("answered".into(), Some("nej".into()))
    );
    // On the agenda, forwarded, answered.
    assert_eq!(app.me(Some(&s.author)).await["unread"], 3);
    let (_, html) = app
        .get_with(
            &format!("/forslag/{}", s.proposal.0),
            &[("cookie", &s.author)],
        )
        .await;
    assert!(html.contains("Besvaret: Nej — læs politikernes forklaring nedenfor"));
    assert!(html.contains("Vi har regnet på forslaget sammen med forvaltningen."));
    assert!(html
        .replace("<!>", "")
        .contains("Svaret af Mette (Børne- og Ungeudvalget)."));
    assert!(html.replace("<!>", "").contains("Begrundelse: Økonomi"));
    // Once answered, it stays answered.
    assert_eq!(
        answer(&app, Some(&s.politician), s.proposal, "ja", "", "")
            .await
            .0,
        409
    );
}
