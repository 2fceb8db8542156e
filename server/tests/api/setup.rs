//! Putting Stemme into service from an empty database, over HTTP: the checklist, the
//! profile, councils with an age range, dated memberships, committees and politicians,
//! archiving, and the consent age taken from the profile.
use crate::common::{self, app_isolated, email, path, TestApp, PASSWORD};
use app::api::{
    accounts::Signup,
    admin::{CreateSchool, ListSchools},
    councils::{AdvanceMeeting, CreateMeeting},
    proposals::{ProposalTargets, SaveProposal},
    setup::{
        AppointMember, ArchiveCouncil, ArchiveSchool, ChangeDeadline, CreateAdult, CreateCommittee,
        CreateCouncil, EndMembership, GetSetup, RenameSchool, SaveProfile, SeatPolitician,
    },
};
use app::domain::account::RoleKind;

async fn coordinator(app: &TestApp) -> String {
    app.login_as("Lars", &[RoleKind::Sekretariat]).await.1
}

/// A plain account (Ung) born in `birth_year`: (id, e-mail).
async fn person(app: &TestApp, name: &str, birth_year: i64) -> (i64, String) {
    let mail = email(&name.to_lowercase());
    let id = app.user(name, &mail, &[]).await;
    sqlx::query("UPDATE users SET birth_year = $1 WHERE id = $2")
        .bind(birth_year)
        .bind(id.0)
        .execute(app.db.pool())
        .await
        .expect("birth year");
    (id.0, mail)
}

fn this_year() -> i64 {
    use chrono::Datelike;
    i64::from(chrono::Utc::now().year())
}

fn day(offset: i64) -> String {
    (chrono::Utc::now() + chrono::Duration::days(offset))
        .format("%Y-%m-%d")
        .to_string()
}

async fn checklist_done(app: &TestApp, cookie: &str) -> serde_json::Value {
    let r = app.post(path::<GetSetup>(), Some(cookie), &[]).await;
    assert_eq!(r.status, 200, "{}", r.body);
    r.json()["counts"].clone()
}

#[tokio::test]
async fn a_municipality_sets_itself_up_from_an_empty_database() {
    let app = app_isolated().await;
    let lars = coordinator(&app).await;

    // Empty: nothing to send a proposal to, no committee, no pool.
    let c = checklist_done(&app, &lars).await;
    assert_eq!(c["open_councils"], 0);
    assert_eq!(
        c["committees"], 0,
        "the seeded committee is gone on a new install"
    );
    assert_eq!(c["politicians"], 0);
    assert_eq!(c["profile_named"], false);
    let page = app
        .get_with("/admin/opsaetning", &[("cookie", &lars)])
        .await;
    assert_eq!(page.0, 200);
    assert!(
        page.1.contains("Opret Ungerådet"),
        "the checklist says what is missing"
    );

    // The profile.
    let bad = app
        .post(
            path::<SaveProfile>(),
            Some(&lars),
            &[
                ("name", "Testrup Kommune"),
                ("accessibility_contact", "web@testrup.dk"),
                ("answer_weeks", "8"),
                ("consent_age", "14"),
                ("pool_min_age", "13"),
            ],
        )
        .await;
    assert_eq!(bad.status, 422, "{}", bad.body);
    assert!(bad.body.contains("13 eller 15"));
    let ok = app
        .post(
            path::<SaveProfile>(),
            Some(&lars),
            &[
                ("name", "Testrup Kommune"),
                ("accessibility_contact", "web@testrup.dk"),
                ("answer_weeks", "6"),
                ("consent_age", "15"),
                ("pool_min_age", "14"),
            ],
        )
        .await;
    assert!(ok.status < 400, "{}", ok.body);

    // Ungerådet with an age range of 14–20.
    let r = app
        .post(
            path::<CreateCouncil>(),
            Some(&lars),
            &[
                ("kind", "ungeraad"),
                ("name", "Ungerådet"),
                ("min_age", "14"),
                ("max_age", "20"),
            ],
        )
        .await;
    assert!(r.status < 400, "{}", r.body);
    let twice = app
        .post(
            path::<CreateCouncil>(),
            Some(&lars),
            &[("kind", "ungeraad"), ("name", "Ungerådet")],
        )
        .await;
    assert_eq!(
        twice.status, 422,
        "a second council of the same name: {}",
        twice.body
    );
    let council: i64 = sqlx::query_scalar("SELECT id FROM councils WHERE name = 'Ungerådet'")
        .fetch_one(app.db.pool())
        .await
        .expect("council");
    let council_s = council.to_string();

    // Three members in range; one refused for being 22.
    let y = this_year();
    let mut members = Vec::new();
    for (name, born) in [("Freja", y - 16), ("Oskar", y - 17), ("Malthe", y - 15)] {
        let (id, mail) = person(&app, name, born).await;
        let r = app
            .post(
                path::<AppointMember>(),
                Some(&lars),
                &[
                    ("council_id", &council_s),
                    ("email", &mail),
                    ("starts_on", &day(-1)),
                    ("ends_on", &day(364)),
                    ("post", if name == "Freja" { "chair" } else { "" }),
                ],
            )
            .await;
        assert!(r.status < 400, "{name}: {}", r.body);
        members.push(id);
    }
    let (_, old) = person(&app, "Mads", y - 22).await;
    let before = app
        .count("SELECT COUNT(*) FROM user_roles WHERE council_id IS NOT NULL")
        .await;
    let refused = app
        .post(
            path::<AppointMember>(),
            Some(&lars),
            &[
                ("council_id", &council_s),
                ("email", &old),
                ("starts_on", &day(0)),
                ("ends_on", &day(300)),
            ],
        )
        .await;
    assert_eq!(refused.status, 422, "{}", refused.body);
    assert!(refused.body.contains("14–20 år"), "{}", refused.body);
    assert_eq!(
        app.count("SELECT COUNT(*) FROM user_roles WHERE council_id IS NOT NULL")
            .await,
        before,
        "a refused appointment stores nothing"
    );
    // An end before the start, or an unknown e-mail, is refused too.
    let backwards = app
        .post(
            path::<AppointMember>(),
            Some(&lars),
            &[
                ("council_id", &council_s),
                ("email", &old),
                ("starts_on", &day(10)),
                ("ends_on", &day(0)),
            ],
        )
        .await;
    assert_eq!(backwards.status, 422);
    let nobody = app
        .post(
            path::<AppointMember>(),
            Some(&lars),
            &[
                ("council_id", &council_s),
                ("email", "ingen@testrup.dk"),
                ("starts_on", &day(0)),
                ("ends_on", &day(10)),
            ],
        )
        .await;
    assert_eq!(nobody.status, 422);

    // The committee and its politician.
    let r = app
        .post(
            path::<CreateCommittee>(),
            Some(&lars),
            &[("name", "Børne- og Ungeudvalget")],
        )
        .await;
    assert!(r.status < 400, "{}", r.body);
    let committee: i64 =
        sqlx::query_scalar("SELECT id FROM committees WHERE name = 'Børne- og Ungeudvalget'")
            .fetch_one(app.db.pool())
            .await
            .expect("committee");
    // Politicians do not sign up as young people: the coordinator makes their account.
    let mette_mail = email("mette");
    let young = app
        .post(
            path::<CreateAdult>(),
            Some(&lars),
            &[
                ("first_name", "Mette"),
                ("birth_year", &(y - 16).to_string()),
                ("email", &mette_mail),
                ("password", PASSWORD),
            ],
        )
        .await;
    assert_eq!(
        young.status, 422,
        "an adult account is for adults: {}",
        young.body
    );
    let r = app
        .post(
            path::<CreateAdult>(),
            Some(&lars),
            &[
                ("first_name", "Mette"),
                ("birth_year", &(y - 50).to_string()),
                ("email", &mette_mail),
                ("password", PASSWORD),
            ],
        )
        .await;
    assert!(r.status < 400, "{}", r.body);
    let mette: i64 = sqlx::query_scalar("SELECT id FROM users WHERE email = $1")
        .bind(&mette_mail)
        .fetch_one(app.db.pool())
        .await
        .expect("mette");
    let (_, teen) = person(&app, "Viggo", y - 16).await;
    let child = app
        .post(
            path::<SeatPolitician>(),
            Some(&lars),
            &[
                ("committee_id", &committee.to_string()),
                ("email", &teen),
                ("starts_on", &day(0)),
            ],
        )
        .await;
    assert_eq!(
        child.status, 422,
        "a 16-year-old is no politician: {}",
        child.body
    );
    let r = app
        .post(
            path::<SeatPolitician>(),
            Some(&lars),
            &[
                ("committee_id", &committee.to_string()),
                ("email", &mette_mail),
                ("starts_on", &day(0)),
            ],
        )
        .await;
    assert!(r.status < 400, "{}", r.body);
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) FROM user_roles WHERE user_id = {mette} AND role = 'politiker'"
        ))
        .await,
        1,
        "seating gives the Politiker role"
    );

    let c = checklist_done(&app, &lars).await;
    assert_eq!(c["profile_named"], true);
    assert_eq!(c["open_councils"], 1);
    assert_eq!(c["council_members"], 3);
    assert_eq!(c["councils_with_officer"], 1);
    assert_eq!(c["committees"], 1);
    assert_eq!(c["politicians"], 1);
    assert_eq!(
        c["default_committee"], true,
        "the first committee becomes the default"
    );
    assert_eq!(c["pool_year"], false);

    // A young person without a school can now send a proposal to Ungerådet.
    let (_, sofie) = app.login_as("Sofie", &[]).await;
    let targets = app.post(path::<ProposalTargets>(), Some(&sofie), &[]).await;
    assert!(targets.body.contains("Ungerådet"), "{}", targets.body);

    // The council page lists the members; the coordinator's page shows their dates.
    let admin = app.get_with("/admin/raad", &[("cookie", &lars)]).await;
    assert!(
        admin.1.contains("Freja") && admin.1.contains("formand"),
        "{}",
        admin.1.len()
    );
}

#[tokio::test]
async fn a_member_whose_term_has_ended_no_longer_counts_or_votes() {
    let app = common::app().await;
    let lars = coordinator(&app).await;
    let name = format!("Ungebyrådet {}", &email("u")[..12]);
    let r = app
        .post(
            path::<CreateCouncil>(),
            Some(&lars),
            &[("kind", "anden"), ("name", &name)],
        )
        .await;
    assert!(r.status < 400, "{}", r.body);
    let council: i64 = sqlx::query_scalar("SELECT id FROM councils WHERE name = $1")
        .bind(&name)
        .fetch_one(app.db.pool())
        .await
        .expect("council");
    let (id, mail) = person(&app, "Karla", this_year() - 17).await;
    let r = app
        .post(
            path::<AppointMember>(),
            Some(&lars),
            &[
                ("council_id", &council.to_string()),
                ("email", &mail),
                ("starts_on", &day(-30)),
                ("ends_on", &day(30)),
            ],
        )
        .await;
    assert!(r.status < 400, "{}", r.body);
    let pool = app.db.pool();
    let today = app::ssr::db::time::today();
    assert!(app::ssr::db::councils::is_member(
        pool,
        app::domain::ids::CouncilId(council),
        app::domain::ids::UserId(id)
    )
    .await
    .expect("member"));
    // The term ended yesterday: no longer a member today.
    let yesterday = day(-1);
    sqlx::query("UPDATE user_roles SET ends_on = $1 WHERE user_id = $2 AND council_id = $3")
        .bind(&yesterday)
        .bind(id)
        .bind(council)
        .execute(pool)
        .await
        .expect("end");
    assert!(yesterday < today);
    assert!(!app::ssr::db::councils::is_member(
        pool,
        app::domain::ids::CouncilId(council),
        app::domain::ids::UserId(id)
    )
    .await
    .expect("member"));
    assert_eq!(
        app::ssr::db::councils::member_count(pool, app::domain::ids::CouncilId(council))
            .await
            .expect("count"),
        0
    );

    // Ending a term through the endpoint: the last day becomes yesterday.
    sqlx::query("UPDATE user_roles SET ends_on = $1 WHERE user_id = $2 AND council_id = $3")
        .bind(day(30))
        .bind(id)
        .bind(council)
        .execute(pool)
        .await
        .expect("reopen");
    let r = app
        .post(
            path::<EndMembership>(),
            Some(&lars),
            &[
                ("council_id", &council.to_string()),
                ("user_id", &id.to_string()),
            ],
        )
        .await;
    assert!(r.status < 400, "{}", r.body);
    assert!(!app::ssr::db::councils::is_member(
        pool,
        app::domain::ids::CouncilId(council),
        app::domain::ids::UserId(id)
    )
    .await
    .expect("member"));
    let again = app
        .post(
            path::<EndMembership>(),
            Some(&lars),
            &[
                ("council_id", &council.to_string()),
                ("user_id", &id.to_string()),
            ],
        )
        .await;
    assert_eq!(again.status, 409, "ending twice: {}", again.body);
}

#[tokio::test]
async fn archived_councils_take_no_proposals_and_keep_their_page() {
    let app = common::app().await;
    let lars = coordinator(&app).await;
    let name = format!("Ungeråd {}", &email("a")[..12]);
    app.post(
        path::<CreateCouncil>(),
        Some(&lars),
        &[("kind", "ungeraad"), ("name", &name)],
    )
    .await;
    let council: i64 = sqlx::query_scalar("SELECT id FROM councils WHERE name = $1")
        .bind(&name)
        .fetch_one(app.db.pool())
        .await
        .expect("council");
    let (_, ung) = app.login_as("Asta", &[]).await;
    let t = app.post(path::<ProposalTargets>(), Some(&ung), &[]).await;
    assert!(t.body.contains(&name));
    let r = app
        .post(
            path::<ArchiveCouncil>(),
            Some(&lars),
            &[("council_id", &council.to_string())],
        )
        .await;
    assert!(r.status < 400, "{}", r.body);
    let again = app
        .post(
            path::<ArchiveCouncil>(),
            Some(&lars),
            &[("council_id", &council.to_string())],
        )
        .await;
    assert_eq!(again.status, 409);
    let t = app.post(path::<ProposalTargets>(), Some(&ung), &[]).await;
    assert!(
        !t.body.contains(&name),
        "an archived council takes no proposals"
    );
    let saved = app
        .post(
            path::<SaveProposal>(),
            Some(&ung),
            &[
                ("title", "Lys i parken om vinteren"),
                (
                    "body",
                    "Parken er helt mørk om aftenen, og vi går hjem derfra efter træning.",
                ),
                ("theme", "by_natur"),
                ("council_id", &council.to_string()),
                ("intent", "submit"),
            ],
        )
        .await;
    assert!(
        saved.status >= 400,
        "a proposal to an archived council: {}",
        saved.body
    );
    assert_eq!(
        app.get(&format!("/raad/{council}")).await.0,
        200,
        "its page stays"
    );
    // Never deleted.
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) FROM councils WHERE id = {council}"
        ))
        .await,
        1
    );
}

#[tokio::test]
async fn the_consent_age_comes_from_the_profile() {
    let app = app_isolated().await;
    let lars = coordinator(&app).await;
    let born = (this_year() - 13).to_string();
    let first = email("tretten");
    let r = app
        .post(
            path::<Signup>(),
            None,
            &[
                ("first_name", "Alma"),
                ("birth_year", &born),
                ("email", &first),
                ("password", PASSWORD),
            ],
        )
        .await;
    assert!(r.status < 400, "{}", r.body);
    let status: String = sqlx::query_scalar("SELECT status FROM users WHERE email = $1")
        .bind(&first)
        .fetch_one(app.db.pool())
        .await
        .expect("status");
    assert_eq!(status, "awaiting_confirmation", "15 by default");
    let r = app
        .post(
            path::<SaveProfile>(),
            Some(&lars),
            &[
                ("name", "Testrup Kommune"),
                ("accessibility_contact", "web@testrup.dk"),
                ("answer_weeks", "8"),
                ("consent_age", "13"),
                ("pool_min_age", "13"),
            ],
        )
        .await;
    assert!(r.status < 400, "{}", r.body);
    let second = email("tretten");
    app.post(
        path::<Signup>(),
        None,
        &[
            ("first_name", "Bo"),
            ("birth_year", &born),
            ("email", &second),
            ("password", PASSWORD),
        ],
    )
    .await;
    let status: String = sqlx::query_scalar("SELECT status FROM users WHERE email = $1")
        .bind(&second)
        .fetch_one(app.db.pool())
        .await
        .expect("status");
    assert_eq!(
        status, "active",
        "a municipality relying on its public task sets 13"
    );
}

#[tokio::test]
async fn schools_are_renamed_and_archived_with_their_elevraad() {
    let app = common::app().await;
    let lars = coordinator(&app).await;
    let name = format!("Skole {}", &email("s")[..10]);
    let r = app
        .post(path::<CreateSchool>(), Some(&lars), &[("name", &name)])
        .await;
    assert!(r.status < 400, "{}", r.body);
    let id: i64 = sqlx::query_scalar("SELECT id FROM schools WHERE name = $1")
        .bind(&name)
        .fetch_one(app.db.pool())
        .await
        .expect("school");
    let new_name = format!("{name} Nord");
    let r = app
        .post(
            path::<RenameSchool>(),
            Some(&lars),
            &[("school_id", &id.to_string()), ("name", &new_name)],
        )
        .await;
    assert!(r.status < 400, "{}", r.body);
    assert_eq!(
        app.count(&format!("SELECT COUNT(*) FROM councils WHERE school_id = {id} AND name = 'Elevrådet på {new_name}'")).await,
        1,
        "the elevråd follows the school's new name"
    );
    let r = app
        .post(
            path::<ArchiveSchool>(),
            Some(&lars),
            &[("school_id", &id.to_string())],
        )
        .await;
    assert!(r.status < 400, "{}", r.body);
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) FROM councils WHERE school_id = {id} AND archived_at IS NOT NULL"
        ))
        .await,
        1
    );
    let list = app.post(path::<ListSchools>(), None, &[]).await;
    assert!(
        !list.body.contains(&new_name),
        "archived schools are not offered"
    );
}

#[tokio::test]
async fn the_coordinator_extends_one_proposals_deadline_with_a_public_reason() {
    use app::domain::ids::ProposalId;
    use app::ssr::db::proposals::{self, Step};
    let app = common::app().await;
    let lars = coordinator(&app).await;
    let pool = app.db.pool();
    let (author, _) = app.login_as("Ella", &[]).await;
    let council = app.council(RoleKind::Ungeraadsmedlem).await;
    let id: ProposalId = app
        .submitted_proposal(author, council, "Flere bænke i byparken")
        .await;
    let pid = id.0.to_string();
    let reason = "Udvalget holder ikke møde i juli, så svaret kommer i august.";
    let early = app
        .post(
            path::<ChangeDeadline>(),
            Some(&lars),
            &[
                ("proposal_id", &pid),
                ("deadline", &day(40)),
                ("reason", reason),
            ],
        )
        .await;
    assert_eq!(early.status, 409, "not forwarded yet: {}", early.body);

    let now = chrono::Utc::now();
    let vote = app.passed_vote(id, council, now).await;
    proposals::step(
        pool,
        id,
        Step::Decide {
            council,
            decision: app::domain::proposal::CouncilDecision::Forwarded {
                committee: app::ssr::db::answers::ensure_committee(pool, "Børne- og Ungeudvalget")
                    .await
                    .expect("committee"),
                deadline: now + chrono::Duration::days(3),
            },
            vote: Some(vote),
        },
        None,
        now,
    )
    .await
    .expect("forward");
    for (deadline, why, status) in [
        (day(-1), reason, 422),
        (day(400), reason, 422),
        (day(40), "fordi", 422),
    ] {
        let r = app
            .post(
                path::<ChangeDeadline>(),
                Some(&lars),
                &[
                    ("proposal_id", &pid),
                    ("deadline", &deadline),
                    ("reason", why),
                ],
            )
            .await;
        assert_eq!(r.status, status, "{deadline} {why}: {}", r.body);
    }
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) FROM proposal_deadline_changes WHERE proposal_id = {}",
            id.0
        ))
        .await,
        0
    );
    let r = app
        .post(
            path::<ChangeDeadline>(),
            Some(&lars),
            &[
                ("proposal_id", &pid),
                ("deadline", &day(40)),
                ("reason", reason),
            ],
        )
        .await;
    assert!(r.status < 400, "{}", r.body);
    let twice = app
        .post(
            path::<ChangeDeadline>(),
            Some(&lars),
            &[
                ("proposal_id", &pid),
                ("deadline", &day(40)),
                ("reason", reason),
            ],
        )
        .await;
    assert_eq!(
        twice.status, 409,
        "a double post changes nothing: {}",
        twice.body
    );
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) FROM proposal_deadline_changes WHERE proposal_id = {}",
            id.0
        ))
        .await,
        1,
        "one timeline entry"
    );
    let page = app
        .get(&format!("/forslag/{}", id.0))
        .await
        .1
        .replace("<!>", "");
    assert!(
        page.contains("Svarfristen blev ændret til"),
        "the change is on the timeline"
    );
    assert!(page.contains("svaret kommer i august"), "with its reason");
    assert!(
        page.contains("dage tilbage"),
        "the status line counts the days left"
    );
    let (_, ung) = app.login_as("Ukendt", &[]).await;
    let refused = app
        .post(
            path::<ChangeDeadline>(),
            Some(&ung),
            &[
                ("proposal_id", &pid),
                ("deadline", &day(50)),
                ("reason", reason),
            ],
        )
        .await;
    assert_eq!(refused.status, 403);
}

#[tokio::test]
async fn a_double_click_on_next_step_moves_the_meeting_one_step() {
    let app = common::app().await;
    let lars = coordinator(&app).await;
    let council = app.council(RoleKind::Ungeraadsmedlem).await;
    let r = app
        .post(
            path::<CreateMeeting>(),
            Some(&lars),
            &[
                ("council_id", &council.0.to_string()),
                ("starts_at", "2099-06-01T16:00"),
                ("place", "Rådhuset"),
            ],
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    let meeting = r.body.trim().to_owned();
    let fields = [("meeting_id", meeting.as_str()), ("from", "planned")];
    let posts = (0..3).map(|_| app.post(path::<AdvanceMeeting>(), Some(&lars), &fields));
    let replies = futures::future::join_all(posts).await;
    let ok = replies.iter().filter(|r| r.status < 400).count();
    assert_eq!(
        ok,
        1,
        "one step: {:?}",
        replies
            .iter()
            .map(|r| (r.status, r.body.clone()))
            .collect::<Vec<_>>()
    );
    assert!(replies
        .iter()
        .any(|r| r.status == 409 && r.body.contains("Siden var ikke opdateret")));
    let status: String = sqlx::query_scalar("SELECT status FROM meetings WHERE id = $1")
        .bind(meeting.parse::<i64>().expect("id"))
        .fetch_one(app.db.pool())
        .await
        .expect("status");
    assert_eq!(
        status, "published",
        "Planlagt → Dagsorden offentliggjort, no further"
    );
}
