//! The OParl objects, built from what `db::oparl` read. Ids are the objects' URLs; keys
//! order each list for keyset paging.
use super::{Entry, PREFIX};
use crate::ssr::db::oparl::{ItemRow, Published};
use crate::ssr::db::time::to_datetime;
use chrono::{DateTime, SecondsFormat, Utc};
use serde_json::{json, Value};
use std::collections::{BTreeMap, HashMap, HashSet};

const OPARL: &str = "https://schema.oparl.org/1.1/";

fn ty(kind: &str) -> String {
    format!("{OPARL}{kind}")
}

fn time(micros: i64) -> String {
    to_datetime(micros).to_rfc3339_opts(SecondsFormat::Secs, true)
}

fn date(micros: i64) -> String {
    to_datetime(micros)
        .with_timezone(&chrono_tz::Europe::Copenhagen)
        .format("%Y-%m-%d")
        .to_string()
}

/// A stored `YYYY-MM-DD` that really is one (term dates are text columns).
fn valid_date(s: &Option<String>) -> Option<String> {
    s.as_deref()
        .filter(|d| chrono::NaiveDate::parse_from_str(d, "%Y-%m-%d").is_ok())
        .map(str::to_owned)
}

fn answer_label(answer: &str) -> &'static str {
    match answer {
        "ja" => "Ja",
        "delvist" => "Delvist",
        _ => "Nej",
    }
}

fn council_kind_label(kind: &str) -> &'static str {
    match kind {
        "ungeraad" => "Ungeråd",
        "elevraad" => "Elevråd",
        "faelles_elevraad" => "Fælles Elevråd",
        _ => "Udvalg",
    }
}

fn meeting_state(status: &str) -> &'static str {
    match status {
        "planned" => "Planlagt",
        "published" => "Dagsorden offentliggjort",
        "held" => "Afholdt",
        _ => "Referat godkendt",
    }
}

fn seat_role(role: &str, position: Option<&str>) -> String {
    match (position, role) {
        (Some("chair"), _) | (_, "elevraadsformand") => "Formand".into(),
        (Some("secretary"), _) => "Sekretær".into(),
        (_, "ungeraadsmedlem") | (_, "elevraadsmedlem") => "Medlem".into(),
        (_, other) => other.into(),
    }
}

fn votes(yes: Option<i64>, no: Option<i64>, abstain: Option<i64>) -> Option<Value> {
    match (yes, no, abstain) {
        (Some(y), Some(n), a) => Some(json!({ "for": y, "against": n, "abstain": a.unwrap_or(0) })),
        _ => None,
    }
}

/// A deleted object: its id, type and times, nothing else.
fn deleted(id: &str, kind: &str, created: i64, modified: i64) -> Value {
    json!({
        "id": id,
        "type": ty(kind),
        "deleted": true,
        "created": time(created),
        "modified": time(modified),
    })
}

/// The System object.
pub fn system(base: &str, name: &str) -> Value {
    let api = format!("{base}{PREFIX}");
    json!({
        "id": format!("{api}/system"),
        "type": ty("System"),
        "oparlVersion": OPARL,
        "name": format!("Stemme – {}", display_name(name)),
        "body": format!("{api}/body"),
        "website": format!("{base}/"),
        "web": format!("{base}/"),
    })
}

fn display_name(name: &str) -> &str {
    if name.trim().is_empty() {
        "Kommunen"
    } else {
        name.trim()
    }
}

/// Every object of every list.
#[derive(Debug, Default)]
pub struct World {
    lists: HashMap<&'static str, Vec<Entry>>,
}

/// The URLs of the objects.
struct Urls {
    api: String,
    base: String,
}

impl Urls {
    fn of(&self, kind: &str, id: impl std::fmt::Display) -> String {
        format!("{}/{kind}/{id}", self.api)
    }
    fn council(&self, id: i64) -> String {
        self.of("organization", format!("c{id}"))
    }
    fn committee(&self, id: i64) -> String {
        self.of("organization", format!("k{id}"))
    }
    fn body(&self) -> String {
        self.of("body", 1)
    }
    fn web(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }
}

/// What a paper's consultations are built from: one per council or committee it passed.
struct Consulted {
    /// (kind code, organization id) → role.
    orgs: BTreeMap<(i64, i64), &'static str>,
}

impl World {
    pub fn list(&self, kind: &str) -> &[Entry] {
        self.lists.get(kind).map(Vec::as_slice).unwrap_or(&[])
    }

    pub fn build(base: &str, name: &str, data: &Published, now: DateTime<Utc>) -> World {
        let u = Urls {
            api: format!("{base}{PREFIX}"),
            base: base.to_owned(),
        };
        let mut lists: HashMap<&'static str, Vec<Entry>> = HashMap::new();
        let body = u.body();

        // --- Body
        lists.insert(
            "body",
            vec![Entry {
                key: (0, 1, 0),
                created: 0,
                modified: 0,
                value: json!({
                    "id": body,
                    "type": ty("Body"),
                    "system": format!("{}/system", u.api),
                    "name": display_name(name),
                    "website": u.web("/"),
                    "organization": format!("{}/organization", u.api),
                    "person": format!("{}/person", u.api),
                    "membership": format!("{}/membership", u.api),
                    "meeting": format!("{}/meeting", u.api),
                    "agendaItem": format!("{}/agendaitem", u.api),
                    "paper": format!("{}/paper", u.api),
                    "consultation": format!("{}/consultation", u.api),
                    "file": format!("{}/file", u.api),
                    "legislativeTerm": [],
                    "classification": "Kommune",
                    "web": u.web("/"),
                }),
            }],
        );

        // --- Memberships (a council's: the role only; a committee's: the politician)
        let mut memberships = Vec::new();
        let mut org_members: HashMap<(i64, i64), Vec<String>> = HashMap::new();
        for s in &data.council_seats {
            let id = u.of("membership", format!("r{}", s.id));
            let value = if s.gone == 1 {
                deleted(&id, "Membership", s.granted_at, s.granted_at)
            } else {
                org_members
                    .entry((1, s.council_id))
                    .or_default()
                    .push(id.clone());
                let mut m = json!({
                    "id": id,
                    "type": ty("Membership"),
                    "organization": u.council(s.council_id),
                    "role": seat_role(&s.role, s.position.as_deref()),
                    "votingRight": true,
                    "created": time(s.granted_at),
                    "modified": time(s.granted_at),
                });
                if let Some(d) = valid_date(&s.starts_on) {
                    m["startDate"] = json!(d);
                }
                if let Some(d) = valid_date(&s.ends_on) {
                    m["endDate"] = json!(d);
                }
                m
            };
            memberships.push(Entry {
                key: (1, s.id, 0),
                created: s.granted_at,
                modified: s.granted_at,
                value,
            });
        }
        let mut person_memberships: BTreeMap<i64, (i64, bool, String, Vec<Value>)> =
            BTreeMap::new();
        for s in &data.committee_seats {
            let id = u.of("membership", format!("k{}-{}", s.committee_id, s.user_id));
            let person = u.of("person", s.user_id);
            let value = if s.gone == 1 {
                deleted(&id, "Membership", s.created_at, s.created_at)
            } else {
                org_members
                    .entry((2, s.committee_id))
                    .or_default()
                    .push(id.clone());
                let mut m = json!({
                    "id": id,
                    "type": ty("Membership"),
                    "person": person,
                    "organization": u.committee(s.committee_id),
                    "role": "Politiker",
                    "votingRight": true,
                    "startDate": s.starts_on,
                    "created": time(s.created_at),
                    "modified": time(s.created_at),
                });
                if let Some(d) = valid_date(&s.ends_on) {
                    m["endDate"] = json!(d);
                }
                if valid_date(&Some(s.starts_on.clone())).is_none() {
                    if let Some(o) = m.as_object_mut() {
                        o.remove("startDate");
                    }
                }
                m
            };
            let p = person_memberships.entry(s.user_id).or_insert((
                s.created_at,
                s.gone == 1,
                s.first_name.clone(),
                Vec::new(),
            ));
            if s.gone == 0 {
                p.3.push(value.clone());
            }
            memberships.push(Entry {
                key: (2, s.committee_id, s.user_id),
                created: s.created_at,
                modified: s.created_at,
                value,
            });
        }
        lists.insert("membership", memberships);

        // --- Persons: a committee's politicians, by first name
        let persons = person_memberships
            .into_iter()
            .map(|(uid, (created, gone, first_name, ms))| {
                let id = u.of("person", uid);
                let value = if gone {
                    deleted(&id, "Person", created, created)
                } else {
                    json!({
                        "id": id,
                        "type": ty("Person"),
                        "body": body,
                        "name": first_name,
                        "givenName": first_name,
                        "membership": ms,
                        "created": time(created),
                        "modified": time(created),
                    })
                };
                Entry {
                    key: (1, uid, 0),
                    created,
                    modified: created,
                    value,
                }
            })
            .collect();
        lists.insert("person", persons);

        // --- Organizations
        let mut orgs = Vec::new();
        for (code, rows) in [(1, &data.councils), (2, &data.committees)] {
            for o in rows.iter() {
                let id = if code == 1 {
                    u.council(o.id)
                } else {
                    u.committee(o.id)
                };
                let members = org_members.get(&(code, o.id)).cloned().unwrap_or_default();
                let modified = o.archived_at.unwrap_or(o.created_at);
                let mut v = json!({
                    "id": id,
                    "type": ty("Organization"),
                    "body": body,
                    "name": o.name,
                    "organizationType": "Gremium",
                    "classification": council_kind_label(&o.kind),
                    "membership": members,
                    "memberCount": members.len(),
                    "startDate": date(o.created_at),
                    "created": time(o.created_at),
                    "modified": time(modified),
                });
                if code == 1 {
                    v["web"] = json!(u.web(&format!("/raad/{}", o.id)));
                }
                if let Some(a) = o.archived_at {
                    v["endDate"] = json!(date(a));
                }
                orgs.push(Entry {
                    key: (code, o.id, 0),
                    created: o.created_at,
                    modified,
                    value: v,
                });
            }
        }
        lists.insert("organization", orgs);

        // --- Which papers are public (and which deleted)
        let shown_proposals: HashSet<i64> = data
            .proposals
            .iter()
            .filter(|p| p.shown == 1)
            .map(|p| p.id)
            .collect();
        let shown_applications: HashSet<i64> = data
            .applications
            .iter()
            .filter(|a| a.status != "rejected")
            .map(|a| a.id)
            .collect();
        let hearing_ids: HashSet<i64> = data.hearings.iter().map(|h| h.id).collect();

        // The latest agenda item per (paper kind, paper id, council).
        let mut item_of: HashMap<(i64, i64, i64), &ItemRow> = HashMap::new();
        for i in &data.items {
            for (kind, pid) in [(1, i.proposal_id), (2, i.hearing_id), (3, i.application_id)] {
                if let Some(pid) = pid {
                    item_of.insert((kind, pid, i.council_id), i);
                }
            }
        }
        let paper_key = |i: &ItemRow| -> Option<(i64, String)> {
            if let Some(p) = i.proposal_id.filter(|p| shown_proposals.contains(p)) {
                return Some((1, format!("p{p}")));
            }
            if let Some(h) = i.hearing_id.filter(|h| hearing_ids.contains(h)) {
                return Some((2, format!("h{h}")));
            }
            i.application_id
                .filter(|a| shown_applications.contains(a))
                .map(|a| (3, format!("a{a}")))
        };

        // --- Agenda items and meetings
        let mut items_by_meeting: HashMap<i64, Vec<Value>> = HashMap::new();
        let mut meeting_touched: HashMap<i64, i64> = HashMap::new();
        let mut items = Vec::new();
        for i in &data.items {
            let modified = [Some(i.created_at), i.closed_at, i.minutes_at]
                .into_iter()
                .flatten()
                .max()
                .unwrap_or(i.created_at);
            let mut v = json!({
                "id": u.of("agendaitem", i.id),
                "type": ty("AgendaItem"),
                "meeting": u.of("meeting", i.meeting_id),
                "number": i.position.to_string(),
                "order": i.position,
                "name": i.title,
                "public": true,
                "created": time(i.created_at),
                "modified": time(modified),
                "web": u.web(&format!("/moeder/{}", i.meeting_id)),
            });
            if let Some((_, paper)) = paper_key(i) {
                v["consultation"] =
                    json!(u.of("consultation", format!("{paper}-c{}", i.council_id)));
            }
            if i.vote_status.as_deref() == Some("closed") {
                if let Some(t) = votes(i.yes, i.no, i.abstain) {
                    v["result"] = json!(format!(
                        "For {} · Imod {} · Undlader {}",
                        t["for"], t["against"], t["abstain"]
                    ));
                    v["stemme:votes"] = t;
                    v["stemme:secretBallot"] = json!(i.secret == Some(1));
                }
            }
            if let Some(d) = i.decision.as_deref().filter(|d| !d.trim().is_empty()) {
                v["resolutionText"] = json!(d);
            }
            items_by_meeting
                .entry(i.meeting_id)
                .or_default()
                .push(v.clone());
            let t = meeting_touched.entry(i.meeting_id).or_insert(modified);
            *t = (*t).max(modified);
            items.push(Entry {
                key: (1, i.id, 0),
                created: i.created_at,
                modified,
                value: v,
            });
        }
        lists.insert("agendaitem", items);

        let council_names: HashMap<i64, &str> = data
            .councils
            .iter()
            .map(|c| (c.id, c.name.as_str()))
            .collect();
        let meetings = data
            .meetings
            .iter()
            .map(|m| {
                let modified = meeting_touched
                    .get(&m.id)
                    .copied()
                    .unwrap_or(m.created_at)
                    .max(m.created_at);
                let council = council_names.get(&m.council_id).copied().unwrap_or("Rådet");
                let mut agenda = items_by_meeting.remove(&m.id).unwrap_or_default();
                agenda.sort_by_key(|v| v["order"].as_i64().unwrap_or(0));
                Entry {
                    key: (1, m.id, 0),
                    created: m.created_at,
                    modified,
                    value: json!({
                        "id": u.of("meeting", m.id),
                        "type": ty("Meeting"),
                        "name": format!("{council}: møde {}", date(m.starts_at)),
                        "meetingState": meeting_state(&m.status),
                        "cancelled": false,
                        "start": time(m.starts_at),
                        "organization": [u.council(m.council_id)],
                        "agendaItem": agenda,
                        "created": time(m.created_at),
                        "modified": time(modified),
                        "web": u.web(&format!("/moeder/{}", m.id)),
                        "stemme:place": m.place,
                    }),
                }
            })
            .collect();
        lists.insert("meeting", meetings);

        // --- Files (a hearing's background PDFs)
        let mut files_of: HashMap<i64, Vec<Value>> = HashMap::new();
        let mut files = Vec::new();
        for f in &data.files {
            let href = crate::domain::hearing_file::file_path(
                crate::domain::ids::HearingFileId(f.id),
                &f.name,
            );
            let v = json!({
                "id": u.of("file", f.id),
                "type": ty("File"),
                "name": f.name,
                "fileName": f.name,
                "mimeType": "application/pdf",
                "size": f.size,
                "date": date(f.created_at),
                "accessUrl": u.web(&href),
                "downloadUrl": u.web(&href),
                "paper": [u.of("paper", format!("h{}", f.hearing_id))],
                "created": time(f.created_at),
                "modified": time(f.created_at),
                "web": u.web(&format!("/hoeringer/{}", f.hearing_id)),
                "stemme:sha256Checksum": f.sha256,
            });
            files_of.entry(f.hearing_id).or_default().push(v.clone());
            files.push(Entry {
                key: (1, f.id, 0),
                created: f.created_at,
                modified: f.created_at,
                value: v,
            });
        }
        lists.insert("file", files);

        // --- Papers and their consultations
        let mut papers = Vec::new();
        let mut consultations = Vec::new();
        let consultation = |paper_code: i64,
                            paper_id: i64,
                            paper_ref: &str,
                            org: (i64, i64),
                            role: &str,
                            created: i64,
                            modified: i64|
         -> Entry {
            let (org_url, suffix) = match org.0 {
                1 => (u.council(org.1), format!("c{}", org.1)),
                _ => (u.committee(org.1), format!("k{}", org.1)),
            };
            let mut v = json!({
                "id": u.of("consultation", format!("{paper_ref}-{suffix}")),
                "type": ty("Consultation"),
                "paper": u.of("paper", paper_ref),
                "organization": [org_url],
                "role": role,
                "authoritative": org.0 == 2,
                "created": time(created),
                "modified": time(modified),
            });
            if org.0 == 1 {
                if let Some(i) = item_of.get(&(paper_code, paper_id, org.1)) {
                    v["agendaItem"] = json!(u.of("agendaitem", i.id));
                    v["meeting"] = json!(u.of("meeting", i.meeting_id));
                }
            }
            Entry {
                key: (paper_code * 10 + org.0, paper_id, org.1),
                created,
                modified,
                value: v,
            }
        };

        let mut events_of: HashMap<i64, Vec<&crate::ssr::db::oparl::EventRow>> = HashMap::new();
        for e in &data.events {
            events_of.entry(e.proposal_id).or_default().push(e);
        }
        for p in &data.proposals {
            let reference = format!("p{}", p.id);
            let id = u.of("paper", &reference);
            let events = events_of.remove(&p.id).unwrap_or_default();
            let modified = events
                .iter()
                .map(|e| e.at)
                .chain([p.updated_at])
                .chain(p.hidden_at)
                .max()
                .unwrap_or(p.updated_at);
            if p.shown == 0 {
                papers.push(Entry {
                    key: (1, p.id, 0),
                    created: p.created_at,
                    modified,
                    value: deleted(&id, "Paper", p.created_at, modified),
                });
                continue;
            }
            let mut consulted = Consulted {
                orgs: BTreeMap::new(),
            };
            consulted.orgs.insert((1, p.council_id), "Behandling");
            for h in data.hops.iter().filter(|h| h.proposal_id == p.id) {
                consulted
                    .orgs
                    .entry((1, h.to_council))
                    .or_insert("Behandling");
            }
            for i in data.items.iter().filter(|i| i.proposal_id == Some(p.id)) {
                consulted
                    .orgs
                    .entry((1, i.council_id))
                    .or_insert("Behandling");
            }
            if let Some(k) = p.committee_id {
                consulted.orgs.insert((2, k), "Besvarelse");
            }
            let mut embedded = Vec::new();
            for (org, role) in &consulted.orgs {
                let c = consultation(1, p.id, &reference, *org, role, p.created_at, modified);
                embedded.push(c.value.clone());
                consultations.push(c);
            }
            let timeline: Vec<Value> = events
                .iter()
                .map(|e| {
                    let mut t = json!({ "kind": e.kind, "at": time(e.at) });
                    if let Some(c) = e.council_id {
                        t["organization"] = json!(u.council(c));
                    }
                    if let Some(m) = e.meeting_id {
                        t["meeting"] = json!(u.of("meeting", m));
                    }
                    if let Some(a) = &e.answer {
                        t["answer"] = json!(answer_label(a));
                    }
                    if let Some(f) = &e.follow_up {
                        t["followUp"] = json!(f);
                    }
                    if let Some(v) = votes(e.votes_for, e.votes_against, e.votes_abstain) {
                        t["votes"] = v;
                    }
                    if let Some(d) = e.deadline_at {
                        t["deadline"] = json!(time(d));
                    }
                    t
                })
                .collect();
            let mut v = json!({
                "id": id,
                "type": ty("Paper"),
                "body": body,
                "name": p.title,
                "reference": format!("F-{}", p.id),
                "paperType": "Forslag",
                "consultation": embedded,
                "originatorOrganization": [u.council(p.council_id)],
                "created": time(p.created_at),
                "modified": time(modified),
                "web": u.web(&format!("/forslag/{}", p.id)),
                "stemme:status": p.status,
                "stemme:theme": p.theme,
                "stemme:text": p.body,
                "stemme:supporters": p.supporters,
                "stemme:timeline": timeline,
            });
            if let Some(s) = p.submitted_at {
                v["date"] = json!(date(s));
            }
            if let Some(d) = &p.decision_text {
                v["stemme:decision"] = json!(d);
            }
            if let Some(d) = p.decided_at {
                v["stemme:decidedAt"] = json!(time(d));
            }
            if let Some(a) = &p.answer {
                v["stemme:answer"] = json!(answer_label(a));
            }
            if let Some(t) = &p.answer_text {
                v["stemme:explanation"] = json!(t);
            }
            if let Some(a) = p.answered_at {
                v["stemme:answeredAt"] = json!(time(a));
            }
            if let Some(d) = p.deadline_at {
                v["stemme:deadline"] = json!(time(d));
                let until = p.answered_at.unwrap_or_else(|| now.timestamp_micros());
                v["stemme:daysOverdue"] = json!(((until - d) / 86_400_000_000).max(0));
            }
            if let Some(t) = events
                .iter()
                .rev()
                .find_map(|e| votes(e.votes_for, e.votes_against, e.votes_abstain))
            {
                v["stemme:votes"] = t;
            }
            papers.push(Entry {
                key: (1, p.id, 0),
                created: p.created_at,
                modified,
                value: v,
            });
        }

        for h in &data.hearings {
            let reference = format!("h{}", h.id);
            let asked: Vec<_> = data.asked.iter().filter(|a| a.hearing_id == h.id).collect();
            let modified = asked
                .iter()
                .filter_map(|a| a.decided_at)
                .chain([h.updated_at])
                .max()
                .unwrap_or(h.updated_at);
            let mut embedded = Vec::new();
            for a in &asked {
                let c = consultation(
                    2,
                    h.id,
                    &reference,
                    (1, a.council_id),
                    "Høringssvar",
                    h.created_at,
                    modified,
                );
                embedded.push(c.value.clone());
                consultations.push(c);
            }
            let responses: Vec<Value> = asked
                .iter()
                .map(|a| {
                    let mut r =
                        json!({ "organization": u.council(a.council_id), "status": a.status });
                    if let Some(t) = &a.response {
                        r["response"] = json!(t);
                    }
                    r
                })
                .collect();
            let mut v = json!({
                "id": u.of("paper", &reference),
                "type": ty("Paper"),
                "body": body,
                "name": h.title,
                "reference": format!("H-{}", h.id),
                "date": date(h.created_at),
                "paperType": "Høring",
                "underDirectionOf": [u.committee(h.committee_id)],
                "consultation": embedded,
                "auxiliaryFile": files_of.remove(&h.id).unwrap_or_default(),
                "created": time(h.created_at),
                "modified": time(modified),
                "web": u.web(&format!("/hoeringer/{}", h.id)),
                "stemme:status": h.status,
                "stemme:question": h.question,
                "stemme:deadline": time(h.respond_by),
                "stemme:decisionDate": time(h.decision_at),
                "stemme:feedbackDeadline": time(h.feedback_by),
                "stemme:responses": responses,
            });
            if let Some(t) = &h.decision_text {
                v["stemme:feedback"] = json!(t);
            }
            if h.decision_text.is_none() {
                v["stemme:daysOverdue"] =
                    json!(((now.timestamp_micros() - h.feedback_by) / 86_400_000_000).max(0));
            }
            papers.push(Entry {
                key: (2, h.id, 0),
                created: h.created_at,
                modified,
                value: v,
            });
        }

        for a in &data.applications {
            let reference = format!("a{}", a.id);
            let modified = [Some(a.submitted_at), a.decided_at, a.reported_at]
                .into_iter()
                .flatten()
                .max()
                .unwrap_or(a.submitted_at);
            let id = u.of("paper", &reference);
            if !shown_applications.contains(&a.id) {
                papers.push(Entry {
                    key: (3, a.id, 0),
                    created: a.submitted_at,
                    modified,
                    value: deleted(&id, "Paper", a.submitted_at, modified),
                });
                continue;
            }
            let c = consultation(
                3,
                a.id,
                &reference,
                (1, a.council_id),
                "Bevilling",
                a.submitted_at,
                modified,
            );
            let embedded = vec![c.value.clone()];
            consultations.push(c);
            let mut v = json!({
                "id": id,
                "type": ty("Paper"),
                "body": body,
                "name": a.title,
                "reference": format!("P-{}", a.id),
                "date": date(a.submitted_at),
                "paperType": "Puljeansøgning",
                "consultation": embedded,
                "created": time(a.submitted_at),
                "modified": time(modified),
                "web": u.web(&format!("/puljen/ansoegning/{}", a.id)),
                "stemme:status": a.status,
                "stemme:askedOre": a.asked_ore,
                "stemme:grantedOre": a.granted_ore,
            });
            if let Some(e) = &a.explanation {
                v["stemme:explanation"] = json!(e);
            }
            if let Some(d) = a.decided_at {
                v["stemme:decidedAt"] = json!(time(d));
            }
            if let Some(t) = votes(a.votes_for, a.votes_against, a.votes_abstain) {
                v["stemme:votes"] = t;
            }
            papers.push(Entry {
                key: (3, a.id, 0),
                created: a.submitted_at,
                modified,
                value: v,
            });
        }
        papers.sort_by_key(|e| e.key);
        consultations.sort_by_key(|e| e.key);
        lists.insert("paper", papers);
        lists.insert("consultation", consultations);

        for list in lists.values_mut() {
            list.sort_by_key(|e| e.key);
        }
        World { lists }
    }
}
