//! The OParl 1.1 API (issue #22): walked from the System object through every list, page by
//! page, every object (and every object embedded in one) validated against the OParl 1.1
//! JSON schemas kept in `tests/oparl-schema/` (copied from github.com/OParl/spec, CC BY-SA
//! 4.0); paging and `modified_since` with results that could be otherwise; no e-mail
//! address, birth year or council member's name in any response.
use crate::answers::{forwarded, COMMITTEE, LONG};
use crate::common::{app_isolated, email, path, TestApp};
use app::api::answers::AnswerProposal;
use app::api::hearings::CreateHearing;
use app::domain::account::RoleKind;
use app::domain::ids::{HearingId, UserId};
use serde_json::{json, Value};
use std::collections::{BTreeMap, HashMap, HashSet};

const KINDS: [&str; 12] = [
    "System",
    "Body",
    "Organization",
    "Person",
    "Membership",
    "Meeting",
    "AgendaItem",
    "Paper",
    "Consultation",
    "File",
    "LegislativeTerm",
    "Location",
];

/// A birth year no seeded response has any other reason to carry.
const BIRTH_YEAR: i64 = 1931;

fn schema_dir() -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/oparl-schema")
}

/// The OParl schemas name embedded objects with their own keyword (`"schema":
/// "File.json"` next to `"type": "object"`), which JSON Schema does not know: such a node
/// is replaced by the named schema, so embedded objects are validated too.
fn inline(node: &mut Value, all: &HashMap<String, Value>, depth: usize) {
    if let Value::Object(map) = node {
        let named = map
            .get("schema")
            .and_then(Value::as_str)
            .filter(|s| s.ends_with(".json"))
            .map(str::to_owned);
        if let (Some(name), Some("object")) = (named, map.get("type").and_then(Value::as_str)) {
            let mut target = all.get(&name).cloned().expect("referenced schema");
            if depth < 4 {
                inline(&mut target, all, depth + 1);
            }
            *node = target;
            return;
        }
        for v in map.values_mut() {
            inline(v, all, depth);
        }
    } else if let Value::Array(items) = node {
        for v in items {
            inline(v, all, depth);
        }
    }
}

struct Schemas(HashMap<String, jsonschema::Validator>);

impl Schemas {
    fn load() -> Schemas {
        let mut raw = HashMap::new();
        for kind in KINDS {
            let file = format!("{kind}.json");
            let text = std::fs::read_to_string(schema_dir().join(&file)).expect("schema file");
            raw.insert(
                file,
                serde_json::from_str::<Value>(&text).expect("schema json"),
            );
        }
        let mut out = HashMap::new();
        for kind in KINDS {
            let mut schema = raw[&format!("{kind}.json")].clone();
            inline(&mut schema, &raw, 0);
            let validator = jsonschema::options()
                .should_validate_formats(true)
                .with_format("url", |s: &str| {
                    s.starts_with("http://") || s.starts_with("https://")
                })
                .build(&schema)
                .expect("schema compiles");
            out.insert(kind.to_owned(), validator);
        }
        Schemas(out)
    }

    /// The schema errors of `object` (of the kind its `type` names).
    fn errors(&self, object: &Value) -> Vec<String> {
        let kind = object["type"]
            .as_str()
            .and_then(|t| t.strip_prefix("https://schema.oparl.org/1.1/"))
            .unwrap_or("?");
        let Some(v) = self.0.get(kind) else {
            return vec![format!("unknown type {:?}", object["type"])];
        };
        v.iter_errors(object)
            .map(|e| format!("{kind} {}: {e}", e.instance_path()))
            .collect()
    }

    fn check(&self, object: &Value) {
        let errors = self.errors(object);
        assert!(errors.is_empty(), "{errors:#?}\n{object:#}");
    }
}

/// GET as an anonymous visitor from another site: (status, JSON, raw body).
async fn get(app: &TestApp, url: &str) -> (u16, Value, String) {
    let path = url.strip_prefix("http://stemme.test").unwrap_or(url);
    let res = app
        .send(
            axum::http::Request::get(path)
                .header("origin", "https://andet.example")
                .body(axum::body::Body::empty())
                .expect("request"),
        )
        .await;
    let status = res.status().as_u16();
    if status == 200 {
        let h = res.headers();
        assert_eq!(
            h.get("access-control-allow-origin")
                .and_then(|v| v.to_str().ok()),
            Some("*"),
            "{path}"
        );
        assert!(
            h.get("content-type")
                .and_then(|v| v.to_str().ok())
                .is_some_and(|v| v.starts_with("application/json")),
            "{path}"
        );
    }
    let text = crate::common::body_text(res).await;
    let json = serde_json::from_str(&text).unwrap_or(Value::Null);
    (status, json, text)
}

/// Every object of a list, following `links.next`: (objects, pages, raw bodies).
async fn walk(app: &TestApp, schemas: &Schemas, first: &str) -> (Vec<Value>, usize, Vec<String>) {
    let mut url = Some(first.to_owned());
    let mut objects = Vec::new();
    let mut raws = Vec::new();
    let mut pages = 0;
    while let Some(u) = url.take() {
        let (status, page, raw) = get(app, &u).await;
        assert_eq!(status, 200, "{u}: {raw}");
        pages += 1;
        assert!(pages < 500, "paging does not end: {u}");
        let data = page["data"].as_array().expect("data").clone();
        assert!(page["pagination"].is_object(), "{raw}");
        assert!(page["links"]["first"].is_string(), "{raw}");
        for o in &data {
            schemas.check(o);
        }
        objects.extend(data);
        raws.push(raw);
        url = page["links"]["next"].as_str().map(str::to_owned);
    }
    (objects, pages, raws)
}

/// Every string and number in `v`, with the key it is under.
fn leaves<'a>(v: &'a Value, key: &'a str, out: &mut Vec<(&'a str, &'a Value)>) {
    match v {
        Value::Object(m) => m.iter().for_each(|(k, v)| leaves(v, k, out)),
        Value::Array(a) => a.iter().for_each(|v| leaves(v, key, out)),
        other => out.push((key, other)),
    }
}

struct Seeded {
    /// Every seeded person's e-mail address.
    emails: Vec<String>,
    /// First names of young council members (roles only in public).
    minors: Vec<String>,
    politician: UserId,
    answered: i64,
    hidden_title: String,
    hearing: HearingId,
    council: i64,
}

/// A council with a chair and members, a meeting with an agenda item and a closed vote,
/// a proposal answered Nej with an explanation, a hidden proposal, a hearing with a PDF.
async fn seed(app: &TestApp) -> Seeded {
    use app::ssr::db::{councils, hearing_files, moderation, settings, users};
    let pool = app.db.pool();
    settings::set(pool, "municipality_name", "Testrup Kommune")
        .await
        .expect("name");
    // Forwarded after a passed vote, answered Nej with its explanation.
    let s = forwarded(app).await;
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
    assert_eq!(r.status, 200, "{}", r.body);
    let council: i64 = sqlx::query_scalar("SELECT council_id FROM proposals WHERE id = $1")
        .bind(s.proposal.0)
        .fetch_one(pool)
        .await
        .expect("council");
    // Members with their chair, named in a way no other text is.
    let mut minors = Vec::new();
    let mut emails = Vec::new();
    for (i, name) in ["Zulfiqara", "Wilhelmiine", "Quorvina"].iter().enumerate() {
        let mail = email("oparl.medlem");
        let uid = app.user(name, &mail, &[]).await;
        users::grant(
            pool,
            uid,
            RoleKind::Ungeraadsmedlem,
            Some(app::domain::ids::CouncilId(council)),
            Some((2026, 2027)),
            uid,
        )
        .await
        .expect("member");
        if i == 0 {
            councils::set_officer(pool, app::domain::ids::CouncilId(council), uid, "chair")
                .await
                .expect("chair");
        }
        minors.push((*name).to_owned());
        emails.push(mail);
    }
    // A second council (Det Fælles Elevråd kind), with nobody in it yet.
    app.council(RoleKind::Elevraadsmedlem).await;
    // A proposal moderated away: listed as deleted, its title nowhere.
    let author = app.user("Forfatter", &email("oparl.forf"), &[]).await;
    let hidden_title = "Skjult forslag om Xylofonhuset".to_owned();
    let hidden = app
        .submitted_proposal(author, app::domain::ids::CouncilId(council), &hidden_title)
        .await;
    let moderator = app
        .user("Moderator", &email("oparl.mod"), &[RoleKind::Moderator])
        .await;
    assert!(
        moderation::hide(pool, hidden, None, "Personlige oplysninger", moderator)
            .await
            .expect("hide")
    );
    // A hearing from the committee to the council, with a background PDF. Test users are
    // made young (Ung); a politician who asks is an adult (as in tests/api/hearings.rs).
    sqlx::query(&format!(
        "DELETE FROM user_roles WHERE user_id = {} AND role IN ('ung', 'elev')",
        s.politician_id.0
    ))
    .execute(pool)
    .await
    .expect("adult");
    let committee = app::ssr::db::answers::ensure_committee(pool, COMMITTEE)
        .await
        .expect("committee");
    let day = |d: i64| {
        (chrono::Utc::now() + chrono::Duration::days(d))
            .format("%Y-%m-%d")
            .to_string()
    };
    let r = app
        .post(
            path::<CreateHearing>(),
            Some(&s.politician),
            &[
                ("title", "Ny cykelsti ved skolen"),
                (
                    "question",
                    "Hvor skal den nye cykelsti gå, så flest unge bruger den?",
                ),
                ("background", "Kommunen har afsat penge til en cykelsti."),
                ("committee_id", &committee.0.to_string()),
                ("council_ids[0]", &council.to_string()),
                ("decision_date", &day(30)),
                ("respond_date", &day(10)),
            ],
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    let hearing = HearingId(r.body.trim().parse().expect("hearing id"));
    let pdf = b"%PDF-1.4\n% oparl\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n";
    hearing_files::insert(pool, hearing, "Bilag om cykelsti.pdf", pdf, s.politician_id)
        .await
        .expect("file")
        .expect("stored");
    // Test councils are named after unique e-mail-like strings; give them plain names.
    sqlx::query("UPDATE councils SET name = 'Rådet nr. ' || CAST(id AS TEXT)")
        .execute(pool)
        .await
        .expect("council names");
    // Everyone seeded gets the same unusual birth year, and their e-mails are collected.
    sqlx::query(&format!("UPDATE users SET birth_year = {BIRTH_YEAR}"))
        .execute(pool)
        .await
        .expect("birth years");
    let all: Vec<Option<String>> = sqlx::query_scalar("SELECT email FROM users")
        .fetch_all(pool)
        .await
        .expect("emails");
    emails.extend(all.into_iter().flatten());
    Seeded {
        emails,
        minors,
        politician: s.politician_id,
        answered: s.proposal.0,
        hidden_title,
        hearing,
        council,
    }
}

#[tokio::test]
async fn the_whole_api_validates_and_publishes_no_personal_data() {
    let app = app_isolated().await;
    let schemas = Schemas::load();
    let seeded = seed(&app).await;

    // The validator is not vacuous: a wrong object fails.
    assert!(!schemas
        .errors(&json!({ "type": "https://schema.oparl.org/1.1/Paper", "id": 7 }))
        .is_empty());
    assert!(!schemas
        .errors(&json!({
            "type": "https://schema.oparl.org/1.1/Meeting", "id": "http://x/m",
            "agendaItem": [{ "type": "https://schema.oparl.org/1.1/AgendaItem", "id": "http://x/a" }]
        }))
        .is_empty(), "an embedded AgendaItem without `order` fails");

    let mut raws = Vec::new();
    let (status, system, raw) = get(&app, "/oparl/v1/system").await;
    assert_eq!(status, 200, "{raw}");
    schemas.check(&system);
    raws.push(raw);
    let (bodies, _, r) = walk(&app, &schemas, system["body"].as_str().expect("body")).await;
    raws.extend(r);
    assert_eq!(bodies.len(), 1);
    let body = &bodies[0];
    assert_eq!(body["name"], "Testrup Kommune");

    // Every list, two objects a page; every object also at its own id.
    let mut all: BTreeMap<&str, Vec<Value>> = BTreeMap::new();
    for list in [
        "organization",
        "person",
        "membership",
        "meeting",
        "agendaItem",
        "paper",
        "consultation",
        "file",
    ] {
        let url = body[list].as_str().expect("list url");
        let (objects, pages, r) = walk(&app, &schemas, &format!("{url}?limit=2")).await;
        raws.extend(r);
        let (unpaged, one, _) = walk(&app, &schemas, url).await;
        assert_eq!(one, 1, "{list}: fewer than 100 objects fit on one page");
        assert_eq!(objects, unpaged, "{list}: paging loses or repeats nothing");
        assert_eq!(pages, objects.len().div_ceil(2).max(1), "{list}");
        let ids: HashSet<&str> = objects.iter().filter_map(|o| o["id"].as_str()).collect();
        assert_eq!(ids.len(), objects.len(), "{list}: ids are unique");
        for o in &objects {
            let id = o["id"].as_str().expect("id");
            let (status, one, raw) = get(&app, id).await;
            assert_eq!(status, 200, "{id}");
            assert_eq!(&one, o, "{id}");
            raws.push(raw);
        }
        all.insert(list, objects);
    }
    for list in ["organization", "membership", "paper", "consultation"] {
        assert!(
            all[list].len() > 2,
            "{list} is paged: {:?}",
            all[list].len()
        );
    }

    // The answered proposal with Stemme's fields.
    let paper_id = format!("http://stemme.test/oparl/v1/paper/p{}", seeded.answered);
    let paper = all["paper"]
        .iter()
        .find(|p| p["id"] == paper_id.as_str())
        .expect("answered paper");
    assert_eq!(paper["stemme:answer"], "Nej");
    assert_eq!(paper["stemme:explanation"], LONG);
    assert_eq!(paper["stemme:status"], "answered");
    assert_eq!(paper["stemme:daysOverdue"], 0);
    assert!(paper["stemme:deadline"].is_string());
    assert_eq!(
        paper["stemme:votes"],
        json!({ "for": 1, "against": 0, "abstain": 0 })
    );
    let kinds: Vec<&str> = paper["stemme:timeline"]
        .as_array()
        .expect("timeline")
        .iter()
        .filter_map(|e| e["kind"].as_str())
        .collect();
    assert!(
        kinds.contains(&"submitted") && kinds.contains(&"answered"),
        "{kinds:?}"
    );
    let orgs: Vec<&str> = paper["consultation"]
        .as_array()
        .expect("consultations")
        .iter()
        .filter_map(|c| c["organization"][0].as_str())
        .collect();
    assert_eq!(orgs.len(), 2, "the council and the committee: {orgs:?}");
    let council_url = format!(
        "http://stemme.test/oparl/v1/organization/c{}",
        seeded.council
    );
    assert!(orgs.contains(&council_url.as_str()), "{orgs:?}");
    let item_url = paper["consultation"][0]["agendaItem"]
        .as_str()
        .expect("the council's consultation names its agenda item");
    let item = all["agendaItem"]
        .iter()
        .find(|i| i["id"] == item_url)
        .expect("agenda item");
    assert_eq!(
        item["stemme:votes"],
        json!({ "for": 1, "against": 0, "abstain": 0 })
    );
    let meeting = all["meeting"]
        .iter()
        .find(|m| m["id"] == item["meeting"])
        .expect("meeting");
    assert_eq!(meeting["agendaItem"][0], *item, "embedded in its meeting");

    // The hidden proposal: deleted, nothing but id, type and times.
    let deleted: Vec<&Value> = all["paper"]
        .iter()
        .filter(|p| p["deleted"] == true)
        .collect();
    assert_eq!(deleted.len(), 1, "{deleted:?}");
    let keys: HashSet<&str> = deleted[0]
        .as_object()
        .expect("object")
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(
        keys,
        HashSet::from(["id", "type", "deleted", "created", "modified"])
    );

    // The hearing with its PDF at the download address.
    let hearing = all["paper"]
        .iter()
        .find(|p| {
            p["id"] == format!("http://stemme.test/oparl/v1/paper/h{}", seeded.hearing.0).as_str()
        })
        .expect("hearing paper");
    assert_eq!(hearing["paperType"], "Høring");
    let file = &hearing["auxiliaryFile"][0];
    assert_eq!(all["file"].len(), 1);
    assert_eq!(*file, all["file"][0]);
    let access = file["accessUrl"].as_str().expect("access url");
    let res = app
        .send(
            axum::http::Request::get(access.strip_prefix("http://stemme.test").expect("ours"))
                .body(axum::body::Body::empty())
                .expect("request"),
        )
        .await;
    assert_eq!(res.status(), 200, "{access}");

    // Council seats carry roles, not people; the committee's politician is a Person.
    let memberships = &all["membership"];
    let council_seats: Vec<&Value> = memberships
        .iter()
        .filter(|m| m["organization"] == council_url.as_str())
        .collect();
    assert!(council_seats.len() >= 3, "{council_seats:?}");
    assert!(council_seats.iter().all(|m| m.get("person").is_none()));
    assert!(council_seats.iter().any(|m| m["role"] == "Formand"));
    assert_eq!(
        all["person"]
            .iter()
            .map(|p| p["id"].as_str().unwrap_or(""))
            .collect::<Vec<_>>(),
        vec![format!(
            "http://stemme.test/oparl/v1/person/{}",
            seeded.politician.0
        )]
    );
    assert_eq!(all["person"][0]["name"], "Mette");

    // No e-mail address, birth year, young member's name or hidden text anywhere.
    for raw in &raws {
        assert!(!raw.contains('@'), "an e-mail address: {raw}");
        for mail in &seeded.emails {
            assert!(!raw.contains(mail.as_str()));
        }
        for name in &seeded.minors {
            assert!(!raw.contains(name.as_str()), "{name} in {raw}");
        }
        assert!(!raw.contains(&seeded.hidden_title), "{raw}");
        let v: Value = serde_json::from_str(raw).expect("json");
        let mut out = Vec::new();
        leaves(&v, "", &mut out);
        for (key, leaf) in out {
            assert_ne!(leaf.as_i64(), Some(BIRTH_YEAR), "{key}");
            if key != "stemme:sha256Checksum" {
                assert!(
                    !leaf
                        .as_str()
                        .is_some_and(|s| s.contains(&BIRTH_YEAR.to_string())),
                    "a birth year under {key}: {raw}"
                );
            }
        }
    }
}

#[tokio::test]
async fn modified_since_and_created_filters_select_what_changed() {
    let app = app_isolated().await;
    let schemas = Schemas::load();
    let council = app.council(RoleKind::Ungeraadsmedlem).await;
    let author = app.user("Ida", &email("oparl.ida"), &[]).await;
    let old = app
        .submitted_proposal(author, council, "Et gammelt forslag")
        .await;
    tokio::time::sleep(std::time::Duration::from_millis(5)).await;
    let since = chrono::Utc::now();
    tokio::time::sleep(std::time::Duration::from_millis(5)).await;
    let new = app
        .submitted_proposal(author, council, "Et nyt forslag")
        .await;
    let enc = |t: chrono::DateTime<chrono::Utc>| {
        crate::common::urlencode(&t.to_rfc3339_opts(chrono::SecondsFormat::Micros, true))
    };
    let ids = |objects: &[Value]| -> Vec<String> {
        objects
            .iter()
            .filter_map(|o| o["id"].as_str().map(str::to_owned))
            .collect()
    };
    let url = |p: i64| format!("http://stemme.test/oparl/v1/paper/p{p}");
    let (all, _, _) = walk(&app, &schemas, "/oparl/v1/paper").await;
    assert_eq!(ids(&all), vec![url(old.0), url(new.0)]);
    let (changed, _, _) = walk(
        &app,
        &schemas,
        &format!("/oparl/v1/paper?modified_since={}", enc(since)),
    )
    .await;
    assert_eq!(ids(&changed), vec![url(new.0)]);
    let (before, _, _) = walk(
        &app,
        &schemas,
        &format!("/oparl/v1/paper?created_until={}", enc(since)),
    )
    .await;
    assert_eq!(ids(&before), vec![url(old.0)]);
    // Paging keeps the filter in its links.
    let (s, page, raw) = get(
        &app,
        &format!(
            "/oparl/v1/organization?limit=1&created_since={}",
            enc(since)
        ),
    )
    .await;
    assert_eq!(s, 200, "{raw}");
    assert_eq!(page["data"].as_array().map(Vec::len), Some(0), "{raw}");

    // The old proposal changes (its answer deadline moves): now it is "modified since".
    let later = chrono::Utc::now();
    tokio::time::sleep(std::time::Duration::from_millis(5)).await;
    let hidden =
        app::ssr::db::moderation::hide(app.db.pool(), old, None, "Personlige oplysninger", author)
            .await
            .expect("hide");
    assert!(hidden);
    let (changed, _, _) = walk(
        &app,
        &schemas,
        &format!("/oparl/v1/paper?modified_since={}", enc(later)),
    )
    .await;
    assert_eq!(ids(&changed), vec![url(old.0)]);
    assert_eq!(changed[0]["deleted"], true);

    // Refusals: a bad date, a bad limit, an unknown kind or object.
    for bad in [
        "/oparl/v1/paper?modified_since=i%20g%C3%A5r",
        "/oparl/v1/paper?limit=0",
        "/oparl/v1/paper?limit=501",
        "/oparl/v1/paper?after=x",
    ] {
        assert_eq!(get(&app, bad).await.0, 400, "{bad}");
    }
    for missing in [
        "/oparl/v1/brugere",
        "/oparl/v1/paper/p999999",
        "/oparl/v1/person/1",
    ] {
        assert_eq!(get(&app, missing).await.0, 404, "{missing}");
    }
}
