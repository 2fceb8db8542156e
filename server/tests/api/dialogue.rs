//! Dialogue on proposals: politicians and the coordinator comment with their role shown (the
//! server's decision, never the request's), the author is told (bell and mail); a
//! politician of the committee may ask the author a question while the proposal waits for
//! their answer, and the answer deadline does not move.
use crate::answers::{forwarded, LONG};
use crate::common::{app, path, TestApp};
use app::api::answers::AnswerProposal;
use app::api::proposals::{AddComment, GetProposal};
use app::domain::account::RoleKind;
use app::domain::ids::ProposalId;

/// A comment straight from the HTTP endpoint, with the caller's extra fields.
async fn comment(
    app: &TestApp,
    cookie: &str,
    p: ProposalId,
    body: &str,
    extra: &[(&str, &str)],
) -> (u16, String) {
    let id = p.0.to_string();
    let mut fields = vec![("proposal_id", id.as_str()), ("body", body)];
    fields.extend_from_slice(extra);
    let r = app.post(path::<AddComment>(), Some(cookie), &fields).await;
    (r.status, r.body)
}

/// (author_role, question) of every comment on `p` with this body.
async fn stored(app: &TestApp, p: ProposalId, body: &str) -> Vec<(Option<String>, i64)> {
    sqlx::query_as("SELECT author_role, question FROM comments WHERE proposal_id = $1 AND body = $2 ORDER BY id")
        .bind(p.0)
        .bind(body)
        .fetch_all(app.db.pool())
        .await
        .expect("comments")
}

async fn author_of(app: &TestApp, p: ProposalId) -> i64 {
    app.count(&format!(
        "SELECT author_id FROM proposals WHERE id = {}",
        p.0
    ))
    .await
}

/// The author's notifications of `kind` about `p`.
async fn notices(app: &TestApp, p: ProposalId, kind: &str) -> i64 {
    let author = author_of(app, p).await;
    app.count(&format!(
        "SELECT COUNT(*) FROM notifications WHERE user_id = {author} AND proposal_id = {} AND kind = '{kind}'",
        p.0
    ))
    .await
}

/// Mails written to the author (event mails, at once).
async fn mails(app: &TestApp, p: ProposalId) -> i64 {
    let author = author_of(app, p).await;
    app.count(&format!(
        "SELECT COUNT(*) FROM outbox WHERE user_id = {author} AND kind = 'event'"
    ))
    .await
}

/// The author wants every update by mail at once, at a verified address.
async fn mail_at_once(app: &TestApp, p: ProposalId) {
    let author = author_of(app, p).await;
    sqlx::query(
        "UPDATE users SET mail_updates = 'instant', email_verified_at = COALESCE(email_verified_at, 1) WHERE id = $1",
    )
    .bind(author)
    .execute(app.db.pool())
    .await
    .expect("instant mail");
}

async fn deadline(app: &TestApp, p: ProposalId) -> i64 {
    app.count(&format!(
        "SELECT deadline_at FROM proposals WHERE id = {}",
        p.0
    ))
    .await
}

#[tokio::test]
async fn a_politicians_comment_shows_the_role_and_tells_the_author_once() {
    let app = app().await;
    let s = forwarded(&app).await;
    mail_at_once(&app, s.proposal).await;
    // Any politician may comment, not only the committee's.
    let (_, outsider) = app.login_as("Ole", &[RoleKind::Politiker]).await;
    let body = "Tak for forslaget. Vi kigger på det i udvalget.";
    let (status, text) = comment(&app, &outsider, s.proposal, body, &[]).await;
    assert_eq!(status, 200, "{text}");
    assert_eq!(
        stored(&app, s.proposal, body).await,
        vec![(Some("politician".into()), 0)]
    );
    assert_eq!(notices(&app, s.proposal, "adult_comment").await, 1);
    assert_eq!(mails(&app, s.proposal).await, 1, "one mail at once");
    // The page shows the role.
    let page = app
        .post(
            path::<GetProposal>(),
            None,
            &[("id", &s.proposal.0.to_string())],
        )
        .await;
    assert!(
        page.body.contains("\"role\":\"Politician\""),
        "{}",
        page.body
    );
    // The author's own reply tells nobody.
    let reply = "Tak! Vi håber, I siger ja.";
    assert_eq!(
        comment(&app, &s.author, s.proposal, reply, &[]).await.0,
        200
    );
    assert_eq!(stored(&app, s.proposal, reply).await, vec![(None, 0)]);
    assert_eq!(notices(&app, s.proposal, "adult_comment").await, 1);
    assert_eq!(mails(&app, s.proposal).await, 1);
}

#[tokio::test]
async fn the_coordinators_comment_shows_the_coordinator() {
    let app = app().await;
    let s = forwarded(&app).await;
    let (_, coordinator) = app.login_as("Kirsten", &[RoleKind::Sekretariat]).await;
    let body = "Forslaget er sendt videre til udvalget, som svarer inden fristen.";
    assert_eq!(
        comment(&app, &coordinator, s.proposal, body, &[]).await.0,
        200
    );
    assert_eq!(
        stored(&app, s.proposal, body).await,
        vec![(Some("coordinator".into()), 0)]
    );
    assert_eq!(notices(&app, s.proposal, "adult_comment").await, 1);
    // The author chose daily mail (the default): the bell rings, no mail at once.
    assert_eq!(mails(&app, s.proposal).await, 0);
    // The coordinator cannot ask a question: that is the committee's politicians'.
    let q = "Hvor mange unge vil bruge huset om aftenen?";
    let (status, _) = comment(&app, &coordinator, s.proposal, q, &[("question", "1")]).await;
    assert_eq!(status, 403);
    assert!(stored(&app, s.proposal, q).await.is_empty());
}

#[tokio::test]
async fn a_young_person_cannot_claim_a_role_or_ask_a_question() {
    let app = app().await;
    let s = forwarded(&app).await;
    let (youth_id, youth) = app.login_as("Emil", &[]).await;
    let body = "Jeg er politiker, tro mig.";
    let (status, text) = comment(
        &app,
        &youth,
        s.proposal,
        body,
        &[("author_role", "politician")],
    )
    .await;
    // The field is not the request's to set: ignored, the comment is a young person's.
    assert_eq!(status, 200, "{text}");
    assert_eq!(stored(&app, s.proposal, body).await, vec![(None, 0)]);
    let q = "Et spørgsmål fra en ung, forklædt som politiker.";
    for extra in [
        &[("question", "1")][..],
        &[("question", "1"), ("author_role", "politician")],
    ] {
        let (status, _) = comment(&app, &youth, s.proposal, q, extra).await;
        assert_eq!(status, 403, "{extra:?}");
    }
    assert!(stored(&app, s.proposal, q).await.is_empty());
    assert_eq!(notices(&app, s.proposal, "adult_comment").await, 0);
    assert_eq!(notices(&app, s.proposal, "adult_question").await, 0);
    // Straight into the database: a role the author does not hold, or a young person's
    // question, is refused on both engines.
    let youth_id = youth_id.0;
    let pool = app.db.pool();
    for (role, question) in [("'politician'", 0), ("'coordinator'", 0), ("NULL", 1)] {
        let sql = format!(
            "INSERT INTO comments (proposal_id, author_id, body, created_at, author_role, question) \
             VALUES ({}, {youth_id}, 'Direkte i databasen', 1, {role}, {question})",
            s.proposal.0
        );
        assert!(sqlx::query(&sql).execute(pool).await.is_err(), "{sql}");
    }
    // Nor can a comment become a question afterwards.
    let sql = format!(
        "UPDATE comments SET question = 1 WHERE proposal_id = {} AND body = '{body}'",
        s.proposal.0
    );
    assert!(sqlx::query(&sql).execute(pool).await.is_err(), "{sql}");
    assert_eq!(stored(&app, s.proposal, body).await, vec![(None, 0)]);
}

#[tokio::test]
async fn the_committees_politician_asks_and_the_deadline_stays() {
    let app = app().await;
    let s = forwarded(&app).await;
    mail_at_once(&app, s.proposal).await;
    let before = deadline(&app, s.proposal).await;
    assert!(before > 0);
    let q = "Hvilke aftener skal huset have åbent, og hvem skal have nøglen?";
    let (status, text) = comment(&app, &s.politician, s.proposal, q, &[("question", "1")]).await;
    assert_eq!(status, 200, "{text}");
    assert_eq!(
        stored(&app, s.proposal, q).await,
        vec![(Some("politician".into()), 1)]
    );
    assert_eq!(notices(&app, s.proposal, "adult_question").await, 1);
    assert_eq!(notices(&app, s.proposal, "adult_comment").await, 0);
    assert_eq!(mails(&app, s.proposal).await, 1);
    assert_eq!(
        deadline(&app, s.proposal).await,
        before,
        "the deadline does not move"
    );
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) FROM proposals WHERE id = {} AND status = 'forwarded'",
            s.proposal.0
        ))
        .await,
        1
    );
    // The page marks it as a question; the author may reply with an ordinary comment.
    let page = app
        .post(
            path::<GetProposal>(),
            Some(&s.author),
            &[("id", &s.proposal.0.to_string())],
        )
        .await;
    assert!(page.body.contains("\"question\":true"), "{}", page.body);
    // The politician sees that they may ask; the author does not.
    let mine = app
        .post(
            path::<GetProposal>(),
            Some(&s.politician),
            &[("id", &s.proposal.0.to_string())],
        )
        .await;
    assert!(mine.body.contains("\"can_ask\":true"), "{}", mine.body);
    assert!(page.body.contains("\"can_ask\":false"), "{}", page.body);
    // The rendered page (no JavaScript): everyone sees the mark and the role; the author
    // sees the question highlighted with a reply form; the politician the question box and
    // that the deadline does not move.
    let uri = format!("/forslag/{}", s.proposal.0);
    let (status, html) = app.get(&uri).await;
    assert_eq!(status, 200);
    assert!(html.contains("Spørgsmål til forslagsstilleren"), "{html}");
    assert!(
        html.contains("comment__role") && html.contains(">Politiker<"),
        "{html}"
    );
    assert!(!html.contains("comment--for-you"));
    let (_, mine) = app.get_with(&uri, &[("cookie", &s.author)]).await;
    assert!(mine.contains("comment--for-you") && mine.contains("Dit svar på spørgsmålet"));
    let (_, theirs) = app.get_with(&uri, &[("cookie", &s.politician)]).await;
    assert!(
        theirs.contains("name=\"question\"") && theirs.contains("Svarfristen flytter sig ikke")
    );
}

#[tokio::test]
async fn no_question_from_outside_the_committee_after_the_answer_or_before_forwarding() {
    let app = app().await;
    let s = forwarded(&app).await;
    let before = deadline(&app, s.proposal).await;
    let q = "Et spørgsmål, der ikke må stilles her?";
    // A politician not on the committee: refused, nothing stored.
    let (_, outsider) = app.login_as("Ole", &[RoleKind::Politiker]).await;
    let (status, _) = comment(&app, &outsider, s.proposal, q, &[("question", "1")]).await;
    assert_eq!(status, 403);
    // After the answer: refused with a reason, nothing stored.
    let r = app
        .post(
            path::<AnswerProposal>(),
            Some(&s.politician),
            &[
                ("proposal_id", &s.proposal.0.to_string()),
                ("answer", "nej"),
                ("explanation", LONG),
                ("reason", "oekonomi"),
            ],
        )
        .await;
    assert!(r.status < 400, "answer: {} {}", r.status, r.body);
    let (status, body) = comment(&app, &s.politician, s.proposal, q, &[("question", "1")]).await;
    assert_eq!(status, 409, "{body}");
    assert!(body.contains("question_not_now"), "{body}");
    assert!(stored(&app, s.proposal, q).await.is_empty());
    assert_eq!(notices(&app, s.proposal, "adult_question").await, 0);
    assert_eq!(deadline(&app, s.proposal).await, before);
    // An ordinary comment after the answer is still fine.
    let c = "Vi håber, at I vil komme med et nyt forslag.";
    assert_eq!(
        comment(&app, &s.politician, s.proposal, c, &[]).await.0,
        200
    );
    assert_eq!(
        stored(&app, s.proposal, c).await,
        vec![(Some("politician".into()), 0)]
    );

    // A proposal not forwarded (submitted only): no question, even from a committee's
    // politician; straight into the database neither.
    let fresh = submitted(&app).await;
    let (status, body) = comment(&app, &s.politician, fresh, q, &[("question", "1")]).await;
    assert_eq!(status, 403, "not their committee's (yet): {body}");
    assert!(stored(&app, fresh, q).await.is_empty());
    let sql = format!(
        "INSERT INTO comments (proposal_id, author_id, body, created_at, author_role, question) \
         VALUES ({}, {}, 'Direkte i databasen', 1, 'politician', 1)",
        fresh.0, s.politician_id.0
    );
    assert!(
        sqlx::query(&sql).execute(app.db.pool()).await.is_err(),
        "{sql}"
    );
    // Nor on the answered one.
    let sql = format!(
        "INSERT INTO comments (proposal_id, author_id, body, created_at, author_role, question) \
         VALUES ({}, {}, 'Direkte i databasen', 1, 'politician', 1)",
        s.proposal.0, s.politician_id.0
    );
    assert!(
        sqlx::query(&sql).execute(app.db.pool()).await.is_err(),
        "{sql}"
    );
}

/// A submitted, published proposal by a fresh young author.
async fn submitted(app: &TestApp) -> ProposalId {
    let council = app.council(RoleKind::Ungeraadsmedlem).await;
    let author = app.user("Noah", &crate::common::email("noah"), &[]).await;
    app.submitted_proposal(author, council, "Flere bænke ved søen")
        .await
}

#[tokio::test]
async fn the_same_form_twice_is_one_question() {
    let app = app().await;
    let s = forwarded(&app).await;
    let token = app.form_token(Some(&s.politician)).await;
    let q = "Må vi komme forbi og høre mere om jeres idé?";
    for _ in 0..2 {
        let (status, text) = comment(
            &app,
            &s.politician,
            s.proposal,
            q,
            &[("question", "1"), ("form_token", &token)],
        )
        .await;
        assert_eq!(status, 200, "{text}");
    }
    assert_eq!(
        stored(&app, s.proposal, q).await,
        vec![(Some("politician".into()), 1)]
    );
    assert_eq!(notices(&app, s.proposal, "adult_question").await, 1);
}
