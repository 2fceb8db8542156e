//! Explanations must be written with real letters and words (issue #17): invisible
//! characters, dots, markup and one word over and over are refused by every endpoint that
//! takes an explanation, with a Danish message on the right field, and nothing is stored.
//! The database refuses a too-thin explanation written straight into it as well.
// The demo world exactly as loaded: on PostgreSQL a database of its own.
use crate::common::{app_isolated as app, path, TestApp};
use crate::security::{changed, fingerprint, World};
use app::api::{
    answers::{AddFollowUp, AnswerProposal},
    councils::{DecideProposal, DeclineSuggestion, SuggestItem},
    pool::DecideApplication,
};

/// Hostile explanations, each long enough to pass a check on length alone, and the start
/// of the message each must get.
fn hostile() -> Vec<(&'static str, String, &'static str)> {
    vec![
        (
            "Hangul fillers",
            "\u{3164}".repeat(250),
            "skal være skrevet med almindelige bogstaver",
        ),
        (
            "Braille blanks",
            "\u{2800}".repeat(250),
            "skal være skrevet med almindelige bogstaver",
        ),
        (
            "fillers between spaces",
            "\u{3164} \u{FFA0} \u{115F} ".repeat(80),
            "skal være skrevet med almindelige bogstaver",
        ),
        (
            "dots",
            ".".repeat(250),
            "skal være skrevet med almindelige bogstaver",
        ),
        (
            "markup only",
            format!(
                "{}{}",
                "<script>alert(1)</script>".repeat(10),
                " ".repeat(50)
            ),
            "skal være skrevet med almindelige bogstaver",
        ),
        ("zero-width spaces", "\u{200B}".repeat(250), "Skriv "),
        (
            "one word over and over",
            "Nej tak. ".repeat(40),
            "Brug flere forskellige ord",
        ),
    ]
}

/// Posts every hostile explanation in `field` (the other fields from `fields`) and checks
/// the refusal: 422, the message on `field`, and no change anywhere in the database.
async fn refuses_all(
    app: &TestApp,
    path: &str,
    cookie: Option<&str>,
    fields: &[(&str, &str)],
    field: &str,
) {
    for (what, text, message) in hostile() {
        let before = fingerprint(app).await;
        let mut form: Vec<(&str, &str)> = fields.to_vec();
        form.push((field, &text));
        let r = app.post(path, cookie, &form).await;
        assert_eq!(r.status, 422, "{path} {what}: {}", r.body);
        let refusal: app::domain::error::AppError =
            serde_json::from_str(&r.body).expect("the app's error");
        assert_eq!(refusal.field(), Some(field), "{path} {what}: {}", r.body);
        let said = refusal.to_string();
        assert!(said.contains(message), "{path} {what}: {said}");
        let diff = changed(&before, &fingerprint(app).await);
        assert!(diff.is_empty(), "{path} {what} changed {diff:?}");
    }
}

#[tokio::test]
async fn a_politicians_nej_needs_real_words() {
    let app = app().await;
    let world = World::new(&app).await;
    let proposal = world.resolve(&app, "{lys_forwarded}").await;
    refuses_all(
        &app,
        path::<AnswerProposal>(),
        world.cookie("politiker"),
        &[
            ("proposal_id", &proposal),
            ("answer", "nej"),
            ("reason", "oekonomi"),
        ],
        "explanation",
    )
    .await;
    // A real explanation goes through, as typed.
    let r = app
        .post(
            path::<AnswerProposal>(),
            world.cookie("politiker"),
            &[
                ("proposal_id", &proposal),
                ("answer", "nej"),
                ("reason", "oekonomi"),
                ("explanation", crate::answers::LONG),
            ],
        )
        .await;
    assert!(r.status < 400, "{}", r.body);
    let stored: String = sqlx::query_scalar(&format!(
        "SELECT answer_text FROM proposals WHERE id = {proposal}"
    ))
    .fetch_one(app.db.pool())
    .await
    .expect("answer");
    assert_eq!(stored, crate::answers::LONG);
    // The answer section shows the explanation itself, before the timeline.
    let (status, html) = app.get(&format!("/forslag/{proposal}")).await;
    assert_eq!(status, 200);
    let section = html
        .find("data-testid=\"answer-text\"")
        .expect("the answer's text");
    let timeline = html.find("id=\"forloeb\"").expect("the timeline");
    let start = &crate::answers::LONG[..40];
    assert!(
        html[section..timeline].contains(start),
        "the explanation is in the answer section"
    );
}

#[tokio::test]
async fn a_follow_up_giving_up_needs_real_words() {
    let app = app().await;
    let world = World::new(&app).await;
    let proposal = world.resolve(&app, "{cykelsti_ja}").await;
    refuses_all(
        &app,
        path::<AddFollowUp>(),
        world.cookie("politiker"),
        &[("proposal_id", &proposal), ("state", "opgivet")],
        "explanation",
    )
    .await;
}

#[tokio::test]
async fn a_pool_rejection_needs_real_words() {
    let app = app().await;
    let world = World::new(&app).await;
    let item = world.pass_waiting_app(&app).await;
    let application = world.resolve(&app, "{waiting_app}").await;
    for decision in ["afslaaet", "delvist"] {
        refuses_all(
            &app,
            path::<DecideApplication>(),
            world.cookie("chair"),
            &[
                ("application_id", &application),
                ("item_id", &item),
                ("decision", decision),
                ("amount", "100"),
            ],
            "explanation",
        )
        .await;
    }
}

#[tokio::test]
async fn a_council_decline_needs_real_words() {
    let app = app().await;
    let world = World::new(&app).await;
    let item = world.resolve(&app, "{bus_item}").await;
    world.pass_item(&app, &item).await;
    refuses_all(
        &app,
        path::<DecideProposal>(),
        world.cookie("chair"),
        &[("item_id", &item), ("decision", "reject")],
        "text",
    )
    .await;
}

#[tokio::test]
async fn a_declined_suggestion_needs_real_words() {
    let app = app().await;
    let world = World::new(&app).await;
    let suggestion = suggestion(&app, &world).await;
    refuses_all(
        &app,
        path::<DeclineSuggestion>(),
        world.cookie("chair"),
        &[("suggestion_id", &suggestion)],
        "reason",
    )
    .await;
}

/// A young person suggests an agenda item to the Ungeråd; returns the suggestion's id.
async fn suggestion(app: &TestApp, world: &World) -> String {
    let council = world.resolve(app, "{ungeraad}").await;
    let r = app
        .post(
            path::<SuggestItem>(),
            world.cookie("ung"),
            &[
                ("council_id", &council),
                ("title", "Mere om trivsel"),
                ("body", "Kan vi tale om trivsel på næste møde?"),
            ],
        )
        .await;
    assert!(r.status < 400, "suggest: {}", r.body);
    world.resolve(app, "{suggestion_new}").await
}

/// Runs `sql` straight against the database; Err when the database refuses it.
async fn exec(app: &TestApp, sql: &str) -> Result<(), String> {
    sqlx::query(sql)
        .execute(app.db.pool())
        .await
        .map(|_| ())
        .map_err(|e| e.to_string())
}

#[tokio::test]
async fn the_database_refuses_thin_explanations() {
    let app = app().await;
    let world = World::new(&app).await;
    let nej = world.resolve(&app, "{skoejte_nej}").await;
    let rejected = world.resolve(&app, "{mobilfri}").await;
    let suggestion = suggestion(&app, &world).await;
    let pool_rejected: i64 =
        sqlx::query_scalar("SELECT MIN(id) FROM pool_applications WHERE status = 'rejected'")
            .fetch_one(app.db.pool())
            .await
            .expect("a rejected application in the demo");
    let fillers = "\u{3164}".repeat(250);
    let dots = format!("{}x", ".".repeat(250));
    let blanks = format!("  {}  ", "\u{2800}".repeat(30));
    let before = fingerprint(&app).await;
    for sql in [
        format!("UPDATE proposals SET answer_text = '{fillers}' WHERE id = {nej}"),
        format!("UPDATE proposals SET answer_text = '{dots}' WHERE id = {nej}"),
        format!("UPDATE proposals SET decision_text = '{blanks}' WHERE id = {rejected}"),
        format!("UPDATE pool_applications SET explanation = '{dots}' WHERE id = {pool_rejected}"),
        format!(
            "UPDATE agenda_suggestions SET status = 'declined', decided_at = 1, \
             decline_reason = '{blanks}' WHERE id = {suggestion}"
        ),
    ] {
        let r = exec(&app, &sql).await;
        assert!(r.is_err(), "the database took {sql}");
    }
    assert!(changed(&before, &fingerprint(&app).await).is_empty());
    // Real explanations, and changes to other columns of the rows, still go through.
    let real = crate::answers::LONG.replace('\'', "''");
    exec(
        &app,
        &format!("UPDATE proposals SET answer_text = '{real}' WHERE id = {nej}"),
    )
    .await
    .expect("a real explanation");
    exec(
        &app,
        &format!("UPDATE proposals SET supporters = supporters + 1 WHERE id = {rejected}"),
    )
    .await
    .expect("another column");
    exec(
        &app,
        &format!(
            "UPDATE agenda_suggestions SET status = 'declined', decided_at = 1, \
             decline_reason = 'Det har vi allerede talt om på sidste møde.' WHERE id = {suggestion}"
        ),
    )
    .await
    .expect("a real reason");
}
