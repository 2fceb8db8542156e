//! Minors on the open web (#22): roles and tallies are public, but the first names of a
//! council's members, of who voted what, and of a pool applicant are shown only to
//! signed-in people of the municipality — unless the council opens names to the public
//! (`names_public`, for adult bodies). Every public page and server-function response is
//! fetched as an anonymous visitor and searched for the names.
//!
//! Reuse: [`NameWorld::seed`] builds the world and [`assert_no_names`] /
//! [`NameWorld::public_urls`] are meant for more public surfaces (an API, feeds): fetch
//! them anonymously and pass each body to `assert_no_names(&body, &world.hidden, what)`.
use crate::common::{self, email, path, TestApp};
use app::api::{
    admin::ListCouncils,
    answers::GetHeardOverview,
    councils::{
        AddAgendaItem, AddApplicationItem, AdvanceMeeting, CastVote, CloseVote, CreateMeeting,
        GetCouncil, GetMeeting, OpenVote,
    },
    hearings::{CouncilHearings, ListHearings},
    pool::{DecideApplication, GetApplication, GetPool},
    proposals::{GetProposal, ListProposals},
    setup::SetCouncilNamesPublic,
};
use app::domain::account::RoleKind;
use app::domain::ids::CouncilId;
use app::domain::pool::{Application, BudgetLine, PoolSettings};
use app::ssr::db::{councils, pool as dbp};

/// Fails naming `what` if `body` contains any of `names` (case-sensitive: first names are
/// stored as typed). For any public surface: a page, a JSON response, a feed.
pub fn assert_no_names(body: &str, names: &[String], what: &str) {
    let found: Vec<&String> = names.iter().filter(|n| body.contains(n.as_str())).collect();
    assert!(
        found.is_empty(),
        "{what} shows {found:?} to an anonymous visitor"
    );
}

/// Fails naming `what` unless `body` contains every one of `names`.
pub fn assert_all_names(body: &str, names: &[String], what: &str) {
    let missing: Vec<&String> = names
        .iter()
        .filter(|n| !body.contains(n.as_str()))
        .collect();
    assert!(missing.is_empty(), "{what} does not show {missing:?}");
}

/// A council with distinctively named members who voted openly on a closed vote, a
/// proposal on its agenda, and a granted pool application.
pub struct NameWorld {
    pub council: CouncilId,
    pub meeting: i64,
    pub proposal: i64,
    pub application: i64,
    pub pool_year: i32,
    /// The members' (and voters') first names, and the pool applicant's.
    pub hidden: Vec<String>,
    /// A signed-in, active person who is not a member (sees names).
    pub outsider: String,
}

impl NameWorld {
    /// `tag` makes the names unique to the calling test (PostgreSQL shares one database);
    /// `year` is a pool year no other test uses.
    pub async fn seed(app: &TestApp, tag: &str, year: i32) -> NameWorld {
        let chair_name = format!("Zyxwina{tag}");
        let member_name = format!("Qorvath{tag}");
        let applicant_name = format!("Plimbrant{tag}");
        let (chair_id, chair) = app
            .login_as(&chair_name, &[RoleKind::Ungeraadsmedlem])
            .await;
        let council = CouncilId(
            app.count(&format!(
                "SELECT council_id FROM user_roles WHERE user_id = {} AND council_id IS NOT NULL",
                chair_id.0
            ))
            .await,
        );
        councils::set_officer(app.db.pool(), council, chair_id, "chair")
            .await
            .expect("chair");
        let (member_id, member) = app.login_as(&member_name, &[]).await;
        app::ssr::db::users::grant(
            app.db.pool(),
            member_id,
            RoleKind::Ungeraadsmedlem,
            Some(council),
            Some((2026, 2027)),
            chair_id,
        )
        .await
        .expect("member");
        // The author shows her own name by her choice (not on the list of hidden names).
        let author = app.user("Forfatterine", &email("forfatter"), &[]).await;
        let proposal = app
            .submitted_proposal(author, council, "Lys på stien ved skolen")
            .await;
        let (applicant, _) = app.login_as(&applicant_name, &[]).await;
        let (_, outsider) = app.login_as("Udenforine", &[]).await;
        let year_id = dbp::open_year(
            app.db.pool(),
            &PoolSettings {
                year,
                amount: 10_000_000,
                max_grant: 2_500_000,
                min_age: 13,
                rules: String::new(),
            },
            council,
            chair_id,
        )
        .await
        .expect("pool year");
        let application = dbp::create_application(
            app.db.pool(),
            year_id,
            applicant,
            &Application {
                title: "Koncert i parken".into(),
                activity: "En koncert, som unge selv arrangerer i parken.".into(),
                audience: "Unge i kommunen".into(),
                participants: 40,
                date: chrono::Utc::now().date_naive() + chrono::Duration::days(40),
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

        // A published meeting with the proposal and the application on the agenda.
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
        let m = meeting.to_string();
        let r = app
            .post(
                path::<AddAgendaItem>(),
                Some(&chair),
                &[("meeting_id", &m), ("proposal_id", &proposal.0.to_string())],
            )
            .await;
        assert!(r.status < 400, "{}", r.body);
        let r = app
            .post(
                path::<AdvanceMeeting>(),
                Some(&chair),
                &[("meeting_id", &m)],
            )
            .await;
        assert_eq!(r.status, 200, "{}", r.body);
        let r = app
            .post(
                path::<AddApplicationItem>(),
                Some(&chair),
                &[
                    ("meeting_id", &m),
                    ("application_id", &application.to_string()),
                ],
            )
            .await;
        assert_eq!(r.status, 200, "{}", r.body);
        // An open-ballot vote on each item, closed: on the proposal the two disagree, the
        // application both grant (then the chair decides it: a public, granted application).
        let items: Vec<i64> = sqlx::query_scalar(
            "SELECT id FROM agenda_items WHERE meeting_id = $1 ORDER BY position, id",
        )
        .bind(meeting)
        .fetch_all(app.db.pool())
        .await
        .expect("items");
        assert_eq!(items.len(), 2);
        for (item, member_choice) in items.iter().zip(["imod", "for"]) {
            let r = app
                .post(
                    path::<OpenVote>(),
                    Some(&chair),
                    &[("item_id", &item.to_string())],
                )
                .await;
            assert_eq!(r.status, 200, "{}", r.body);
            let vote = r.body.trim().to_owned();
            for (cookie, choice) in [(&chair, "for"), (&member, member_choice)] {
                let r = app
                    .post(
                        path::<CastVote>(),
                        Some(cookie),
                        &[("vote_id", &vote), ("choice", choice)],
                    )
                    .await;
                assert_eq!(r.status, 200, "{}", r.body);
            }
            let r = app
                .post(path::<CloseVote>(), Some(&chair), &[("vote_id", &vote)])
                .await;
            assert_eq!(r.status, 200, "{}", r.body);
        }
        let r = app
            .post(
                path::<DecideApplication>(),
                Some(&chair),
                &[
                    ("application_id", &application.to_string()),
                    ("item_id", &items[1].to_string()),
                    ("decision", "bevilget"),
                ],
            )
            .await;
        assert!(r.status < 400, "decide: {} {}", r.status, r.body);
        NameWorld {
            council,
            meeting,
            proposal: proposal.0,
            application,
            pool_year: year,
            hidden: vec![chair_name, member_name, applicant_name],
            outsider,
        }
    }

    /// The public pages that show the world.
    pub fn public_urls(&self) -> Vec<String> {
        vec![
            "/".into(),
            "/forslag".into(),
            format!("/forslag/{}", self.proposal),
            "/raad".into(),
            format!("/raad/{}", self.council.0),
            format!("/moeder/{}", self.meeting),
            "/puljen".into(),
            format!("/puljen?aar={}", self.pool_year),
            format!("/puljen/ansoegning/{}", self.application),
            "/bliver-vi-hoert".into(),
            "/hoeringer".into(),
            format!("/raad/{}/kalender.ics", self.council.0),
            format!("/puljen/{}/regnskab.csv", self.pool_year),
            // Open data follows the public view (#22): feeds and exports.
            "/forslag/feed.atom".into(),
            "/forslag/svar.atom".into(),
            format!("/forslag/{}/feed.atom", self.proposal),
            format!("/raad/{}/feed.atom", self.council.0),
            "/forslag/eksport.csv".into(),
            "/forslag/eksport.json".into(),
            "/hoeringer/eksport.csv".into(),
            "/hoeringer/eksport.json".into(),
            format!("/bliver-vi-hoert/{}.json", self.pool_year),
            format!("/bliver-vi-hoert/{}.csv", self.pool_year),
        ]
    }

    /// The server functions behind those pages, with their arguments.
    pub fn public_calls(&self) -> Vec<(&'static str, Vec<(&'static str, String)>)> {
        vec![
            (
                path::<GetCouncil>(),
                vec![("id", self.council.0.to_string())],
            ),
            (path::<GetMeeting>(), vec![("id", self.meeting.to_string())]),
            (
                path::<GetProposal>(),
                vec![("id", self.proposal.to_string())],
            ),
            (
                path::<ListProposals>(),
                vec![
                    ("sort", "new".into()),
                    ("stage", String::new()),
                    ("theme", String::new()),
                    ("council", String::new()),
                    ("q", String::new()),
                    ("after", String::new()),
                ],
            ),
            (path::<ListCouncils>(), vec![]),
            (path::<GetPool>(), vec![]),
            (
                path::<GetApplication>(),
                vec![("id", self.application.to_string())],
            ),
            (path::<GetHeardOverview>(), vec![]),
            (path::<ListHearings>(), vec![]),
            (
                path::<CouncilHearings>(),
                vec![("council", self.council.0.to_string())],
            ),
        ]
    }
}

async fn call(
    app: &TestApp,
    cookie: Option<&str>,
    path: &str,
    fields: &[(&'static str, String)],
) -> String {
    let refs: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let r = app.post(path, cookie, &refs).await;
    assert!(r.status < 500, "{path}: {} {}", r.status, r.body);
    r.body
}

#[tokio::test]
async fn anonymous_visitors_see_roles_and_tallies_but_no_names() {
    let app = common::app().await;
    let w = NameWorld::seed(&app, "Anon", 2073).await;

    for url in w.public_urls() {
        let (status, body) = app.get(&url).await;
        assert!(status < 500, "{url}: {status}");
        assert_no_names(&body, &w.hidden, &url);
    }
    for (p, fields) in w.public_calls() {
        let body = call(&app, None, p, &fields).await;
        assert_no_names(&body, &w.hidden, p);
    }

    // Roles and tallies are still public.
    let (_, page) = app.get(&format!("/raad/{}", w.council.0)).await;
    assert!(
        page.contains("data-testid=\"council-names-hidden\""),
        "{page}"
    );
    assert!(page.contains("formand"), "the chair's role is shown");
    let (_, page) = app.get(&format!("/moeder/{}", w.meeting)).await;
    assert!(
        page.contains("data-testid=\"vote-result\""),
        "the tally is shown"
    );
    assert!(page.contains("data-testid=\"vote-names-hidden\""));
    // The pool's balance chart: axes in kroner, months, and the same figures as a table.
    let (_, page) = app.get(&format!("/puljen?aar={}", w.pool_year)).await;
    let page = page.replace("<!>", "");
    assert!(page.contains("data-testid=\"pool-chart\""), "{page}");
    assert!(page.contains(">100.000 kr.</text>") && page.contains(">0 kr.</text>"));
    assert!(page.contains(">jan</text>") && page.contains(">dec</text>"));
    assert!(page.contains("Vis som tabel") && page.contains("data-testid=\"pool-chart-table\""));
    assert!(page.contains("aria-describedby=\"chart-desc\""));
    let view = app
        .post(
            path::<GetCouncil>(),
            None,
            &[("id", &w.council.0.to_string())],
        )
        .await
        .json();
    assert_eq!(view["members"].as_array().map(Vec::len), Some(2), "{view}");
    assert!(view["members"]
        .as_array()
        .is_some_and(|m| m.iter().all(|m| m["first_name"].is_null())));
    assert_eq!(view["names_hidden"], true);
}

/// The OParl API, walked from the System object through every list and every page, as
/// an anonymous client (the API has no sessions): council members and voters appear by
/// role only, never by name.
#[tokio::test]
async fn the_oparl_api_names_no_member_or_voter() {
    let app = common::app_isolated().await;
    let w = NameWorld::seed(&app, "Oparl", 2072).await;
    let (status, system) = app.get("/oparl/v1/system").await;
    assert_eq!(status, 200);
    assert_no_names(&system, &w.hidden, "system");
    let mut queue: Vec<String> = Vec::new();
    let json = |body: &str| serde_json::from_str::<serde_json::Value>(body).expect("json");
    let (_, body) = app
        .get(&local(json(&system)["body"].as_str().expect("body list")))
        .await;
    assert_no_names(&body, &w.hidden, "body list");
    for b in json(&body)["data"].as_array().expect("bodies") {
        for key in [
            "organization",
            "person",
            "meeting",
            "paper",
            "agendaItem",
            "consultation",
            "file",
            "membership",
        ] {
            if let Some(url) = b[key].as_str() {
                queue.push(local(url));
            }
        }
    }
    assert!(queue.len() >= 5, "the body links its lists: {queue:?}");
    let mut pages = 0;
    while let Some(url) = queue.pop() {
        let (status, body) = app.get(&url).await;
        assert_eq!(status, 200, "{url}");
        assert_no_names(&body, &w.hidden, &url);
        pages += 1;
        if let Some(next) = json(&body)["links"]["next"].as_str() {
            queue.push(local(next));
        }
    }
    assert!(pages >= 5);
    let (_, members) = app.get("/oparl/v1/membership?limit=500").await;
    assert!(
        members.contains("\"role\""),
        "seats are published by role: {members}"
    );
}

/// A path on the test app from an absolute OParl id.
fn local(url: &str) -> String {
    match url.find("/oparl/") {
        Some(i) => url[i..].to_string(),
        None => url.to_string(),
    }
}

#[tokio::test]
async fn signed_in_people_see_the_names() {
    let app = common::app().await;
    let w = NameWorld::seed(&app, "Inde", 2074).await;
    let members = &w.hidden[..2];
    let (_, page) = app
        .get_with(
            &format!("/raad/{}", w.council.0),
            &[("cookie", &w.outsider)],
        )
        .await;
    assert_all_names(&page, members, "the council page, signed in");
    let (_, page) = app
        .get_with(
            &format!("/moeder/{}", w.meeting),
            &[("cookie", &w.outsider)],
        )
        .await;
    assert_all_names(&page, members, "the meeting page, signed in");
    let body = call(
        &app,
        Some(&w.outsider),
        path::<GetMeeting>(),
        &[("id", w.meeting.to_string())],
    )
    .await;
    assert_all_names(&body, members, "get_meeting, signed in");
    assert!(!body.contains("\"names_hidden\":true"));
    let body = call(
        &app,
        Some(&w.outsider),
        path::<GetApplication>(),
        &[("id", w.application.to_string())],
    )
    .await;
    assert_all_names(&body, &w.hidden[2..], "the granted application, signed in");
}

#[tokio::test]
async fn a_council_that_opens_names_shows_them_to_everyone() {
    let app = common::app().await;
    let w = NameWorld::seed(&app, "Aaben", 2075).await;
    let members = w.hidden[..2].to_vec();
    let (_, coordinator) = app.login_as("Koordinator", &[RoleKind::Sekretariat]).await;
    let r = app
        .post(
            path::<SetCouncilNamesPublic>(),
            Some(&coordinator),
            &[
                ("council_id", &w.council.0.to_string()),
                ("names_public", "1"),
            ],
        )
        .await;
    assert!(r.status < 400, "{} {}", r.status, r.body);
    let (_, page) = app.get(&format!("/raad/{}", w.council.0)).await;
    assert_all_names(&page, &members, "the open council's page, anonymous");
    let (_, page) = app.get(&format!("/moeder/{}", w.meeting)).await;
    assert_all_names(&page, &members, "the open council's meeting, anonymous");
    let body = call(
        &app,
        None,
        path::<GetCouncil>(),
        &[("id", w.council.0.to_string())],
    )
    .await;
    assert_all_names(&body, &members, "get_council, anonymous, names public");

    // A member may not open the names; the coordinator can close them again.
    let r = app
        .post(
            path::<SetCouncilNamesPublic>(),
            Some(&w.outsider),
            &[("council_id", &w.council.0.to_string())],
        )
        .await;
    assert_eq!(r.status, 403, "{}", r.body);
    let r = app
        .post(
            path::<SetCouncilNamesPublic>(),
            Some(&coordinator),
            &[("council_id", &w.council.0.to_string())],
        )
        .await;
    assert!(r.status < 400, "{} {}", r.status, r.body);
    let (_, page) = app.get(&format!("/moeder/{}", w.meeting)).await;
    assert_no_names(&page, &members, "the meeting after closing the names again");
}
