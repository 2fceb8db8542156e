//! Shared pieces of the security suites (authorization matrix, hostile input, replay):
//! the demo world logged in once per role, placeholders for its ids, and a fingerprint of
//! the whole database to prove that a refused call changed nothing.
use crate::common::{path, TestApp};
use app::api::councils::{CastVote, CloseVote, OpenVote};
use std::collections::HashMap;

/// Every role the matrix calls as, by key. `anon` has no session.
pub const ROLES: &[(&str, Option<&str>)] = &[
    ("anon", None),
    ("ung", Some("ung@demo.stemme.dk")),
    ("elev", Some("elev@demo.stemme.dk")),
    ("ida", Some("ida14@demo.stemme.dk")),
    ("chair", Some("ungeraad@demo.stemme.dk")),
    ("member", Some("ungeraad2@demo.stemme.dk")),
    ("elevraad", Some("elevraad@demo.stemme.dk")),
    ("formand", Some("formand@demo.stemme.dk")),
    ("politiker", Some("politiker@demo.stemme.dk")),
    ("sekretariat", Some("sekretariat@demo.stemme.dk")),
    ("moderator", Some("moderator@demo.stemme.dk")),
];

pub const DEMO_PASSWORD: &str = "stemme-demo-2026";

/// Tables that change on any request, whoever calls: sessions (kept alive), rate-limit
/// and login-failure counters, refused-form copies.
pub const VOLATILE: &[&str] = &[
    "sessions",
    "rate_events",
    "locks",
    "login_failures",
    "form_flash",
];

/// An address no account has (a password-reset request that sends nothing).
pub const NO_ACCOUNT_EMAIL: &str = "ingen-konto@demo.stemme.dk";

/// The demo world with a session per role.
pub struct World {
    pub cookies: HashMap<&'static str, Option<String>>,
    /// Fixed placeholder values (made once, e.g. a fresh user to grant roles to).
    pub fixed: HashMap<&'static str, String>,
}

impl World {
    pub async fn new(app: &TestApp) -> World {
        server::provision::load_demo(&app.db)
            .await
            .expect("demo data");
        let mut cookies = HashMap::new();
        for (key, email) in ROLES {
            let cookie = match email {
                Some(e) => Some(app.login(e, DEMO_PASSWORD).await),
                None => None,
            };
            cookies.insert(*key, cookie);
        }
        let target_email = crate::common::email("modtager");
        let target = app.user("Modtager", &target_email, &[]).await;
        let mut fixed = HashMap::new();
        fixed.insert("target_user", target.0.to_string());
        fixed.insert("target_email", target_email);
        fixed.insert("adult_email", crate::common::email("voksen"));
        fixed.insert(
            "next_month",
            (chrono::Utc::now() + chrono::Duration::days(30))
                .format("%Y-%m-%d")
                .to_string(),
        );
        fixed.insert("pupil_email", crate::common::email("elevkonto"));
        // Mail: an unsubscribe link of the target user's, and a mail in the outbox.
        let now = chrono::Utc::now();
        let mut tx = app::ssr::db::write_tx(app.db.pool()).await.expect("tx");
        let unsubscribe = app::ssr::db::mail::new_token_tx(
            &mut tx,
            target,
            app::domain::mail::TokenPurpose::UnsubscribeUpdates,
            now,
        )
        .await
        .expect("unsubscribe token");
        app::ssr::db::mail::queue_reset_tx(&mut tx, &fixed["target_email"], now)
            .await
            .expect("reset mail");
        tx.commit().await.expect("commit");
        fixed.insert("unsubscribe_token", unsubscribe);
        fixed.insert("signup_email", crate::common::email("ny"));
        // Without a role (the authorization matrix): one address without an account.
        fixed.insert("own_email", NO_ACCOUNT_EMAIL.to_owned());
        class_session(app, &mut fixed).await;
        World { cookies, fixed }
    }

    pub fn cookie(&self, role: &str) -> Option<&str> {
        self.cookies.get(role).and_then(|c| c.as_deref())
    }

    /// Like [`World::resolve`], for a call made as `role`: `{form_token}` is a one-time
    /// submission token issued to that role's session (as the form page would carry it).
    pub async fn resolve_as(&self, app: &TestApp, value: &str, role: &str) -> String {
        if value == "{form_token}" {
            return app.form_token(self.cookie(role)).await;
        }
        // The caller's own address (an address without an account for anonymous callers):
        // a password-reset request per role, so the roles do not share one address's limit.
        if value == "{own_email}" {
            return ROLES
                .iter()
                .find(|(k, _)| *k == role)
                .and_then(|(_, e)| *e)
                .unwrap_or(NO_ACCOUNT_EMAIL)
                .to_owned();
        }
        self.resolve(app, value).await
    }

    /// Replaces every `{name}` in `value` with the id it names, looked up now.
    pub async fn resolve(&self, app: &TestApp, value: &str) -> String {
        let mut out = value.to_owned();
        while let Some(start) = out.find('{') {
            let Some(len) = out[start..].find('}') else {
                break;
            };
            let name = out[start + 1..start + len].to_owned();
            let v = match self.fixed.get(name.as_str()) {
                Some(v) => v.clone(),
                None => lookup(app, &name).await,
            };
            out.replace_range(start..start + len + 1, &v);
        }
        out
    }
}

/// The class session of the world (issue #23): opened by a teacher at the demo's first
/// school (which has an elevråd), with the demo's Elev joined by account, one idea waiting
/// for approval and one approved. Its code is fixed, so two worlds compare equal.
pub const CLASS_CODE: &str = "KZ7XQ3";

async fn class_session(app: &TestApp, fixed: &mut HashMap<&'static str, String>) {
    let pool = app.db.pool();
    let now = chrono::Utc::now().timestamp_micros();
    let teacher_email = crate::common::email("klasselaerer");
    let teacher = app.user("Klasselærer", &teacher_email, &[]).await;
    fixed.insert("class_teacher_email", teacher_email);
    let school: i64 =
        sqlx::query_scalar("SELECT MIN(school_id) FROM councils WHERE kind = 'elevraad'")
            .fetch_one(pool)
            .await
            .expect("a school with an elevråd");
    let elev: i64 = sqlx::query_scalar("SELECT id FROM users WHERE email = 'elev@demo.stemme.dk'")
        .fetch_one(pool)
        .await
        .expect("elev");
    sqlx::query("INSERT INTO teachers (user_id, school_id, granted_by, granted_at) VALUES ($1, $2, NULL, $3)")
        .bind(teacher.0)
        .bind(school)
        .bind(now)
        .execute(pool)
        .await
        .expect("teacher");
    let session: i64 = sqlx::query_scalar(
        "INSERT INTO live_sessions (code, kind, title, host_id, school_id, class_name, participants, opened_at, expires_at) \
         VALUES ($1, 'klasse', 'Klassens time', $2, $3, '6.B', 1, $4, $5) RETURNING id",
    )
    .bind(CLASS_CODE)
    .bind(teacher.0)
    .bind(school)
    .bind(now)
    .bind(now + 6 * 3600 * 1_000_000)
    .fetch_one(pool)
    .await
    .expect("class session");
    let participant: i64 = sqlx::query_scalar(
        "INSERT INTO live_participants (session_id, token_hash, user_id, number, joined_at) \
         VALUES ($1, $2, $3, 1, $4) RETURNING id",
    )
    .bind(session)
    .bind("c".repeat(64))
    .bind(elev)
    .bind(now)
    .fetch_one(pool)
    .await
    .expect("participant");
    for (body, status) in [
        ("Flere bænke i skolegården", "pending"),
        ("Frugt i frikvarteret", "approved"),
    ] {
        sqlx::query(
            "INSERT INTO class_ideas (session_id, participant_id, body, status, created_at) \
             VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(session)
        .bind(participant)
        .bind(body)
        .bind(status)
        .bind(now)
        .execute(pool)
        .await
        .expect("idea");
    }
    fixed.insert("class_code", CLASS_CODE.to_owned());
}

const WAITING_APP: &str =
    "SELECT MIN(id) FROM pool_applications WHERE title = 'Brætspilsaften i biblioteket'";

impl World {
    /// The Ungeråd votes on the demo's waiting pool application (on the next meeting's
    /// agenda): the chair opens the vote, the chair and a member vote For, the vote is
    /// closed. Returns the agenda item's id, for `/api/pool/decide`.
    pub async fn pass_waiting_app(&self, app: &TestApp) -> String {
        let item = self.resolve(app, "{waiting_item}").await;
        self.pass_item(app, &item).await;
        item
    }

    /// The chair opens a vote on agenda item `item`, the chair and a member vote For, the
    /// chair closes it.
    pub async fn pass_item(&self, app: &TestApp, item: &str) {
        let opened = app
            .post(
                path::<OpenVote>(),
                self.cookie("chair"),
                &[("item_id", item)],
            )
            .await;
        assert_eq!(opened.status, 200, "open vote: {}", opened.body);
        let vote = opened.body.trim().to_owned();
        for role in ["chair", "member"] {
            let r = app
                .post(
                    path::<CastVote>(),
                    self.cookie(role),
                    &[("vote_id", &vote), ("choice", "for")],
                )
                .await;
            assert_eq!(r.status, 200, "{role} votes: {}", r.body);
        }
        let r = app
            .post(
                path::<CloseVote>(),
                self.cookie("chair"),
                &[("vote_id", &vote)],
            )
            .await;
        assert_eq!(r.status, 200, "close: {}", r.body);
    }
}

async fn id(app: &TestApp, sql: &str) -> String {
    let v: Option<String> = sqlx::query_scalar(&format!("SELECT CAST(({sql}) AS TEXT)"))
        .fetch_one(app.db.pool())
        .await
        .unwrap_or_else(|e| panic!("{sql}: {e}"));
    v.unwrap_or_else(|| panic!("no row for {sql}")).to_string()
}

fn proposal(title: &str) -> String {
    format!("SELECT MIN(id) FROM proposals WHERE title = '{title}'")
}

async fn lookup(app: &TestApp, name: &str) -> String {
    id(app, &lookup_sql(name)).await
}

/// Like [`World::resolve_as`], or `None` when a placeholder names nothing (yet).
pub async fn try_resolve_as(
    world: &World,
    app: &TestApp,
    value: &str,
    role: &str,
) -> Option<String> {
    if let Some(name) = value.strip_prefix('{').and_then(|v| v.strip_suffix('}')) {
        if name != "form_token" && !world.fixed.contains_key(name) {
            let v: Option<String> =
                sqlx::query_scalar(&format!("SELECT CAST(({}) AS TEXT)", lookup_sql(name)))
                    .fetch_one(app.db.pool())
                    .await
                    .ok()?;
            return v;
        }
    }
    Some(world.resolve_as(app, value, role).await)
}

fn lookup_sql(name: &str) -> String {
    let ungeraad = "(SELECT MIN(id) FROM councils WHERE name = 'Ungerådet')";
    let sql = match name {
        "vandautomat" => proposal("Vandautomat på 2. sal"),
        "musik_draft" => proposal("Musik i frikvartererne"),
        "skrald_pending" => proposal("Flere skraldespande i Byparken"),
        "mobilfri" => proposal("Mobilfri skole hele dagen"),
        "lys_forwarded" => proposal("Lys og bænke ved skaterbanen"),
        "cykelsti_ja" => proposal("Cykelsti langs Skolevej"),
        "skoejte_nej" => proposal("Skøjtebane på torvet hele vinteren"),
        "bus" => proposal("Gratis bus for unge om aftenen"),
        "ungeraad" => format!("SELECT {ungeraad}"),
        // Hearings (#21): the newest one (the matrix sends it), its agenda item and input,
        // and a committee the demo politician sits on (0, which names nothing, before the
        // matrix has made them: the demo has no hearings).
        "hearing" => "SELECT COALESCE(MAX(id), 0) FROM hearings".to_owned(),
        // Live sessions (#23): the newest session's code (the matrix opens them; the demo
        // has none), its newest vote and who speaks now (0: nobody).
        "live_code" => "SELECT code FROM live_sessions WHERE id = (SELECT MAX(id) FROM live_sessions)".to_owned(),
        "live_vote" => "SELECT COALESCE(MAX(id), 0) FROM live_votes".to_owned(),
        "live_speaking" => {
            "SELECT COALESCE(MAX(id), 0) FROM live_speakers WHERE state = 'speaking'".to_owned()
        }
        "hearing_item" => {
            "SELECT COALESCE(MAX(id), 0) FROM agenda_items WHERE hearing_id IS NOT NULL".to_owned()
        }
        "hearing_input" => "SELECT COALESCE(MAX(id), 0) FROM hearing_inputs".to_owned(),
        "politiker_committee" => "SELECT COALESCE(MIN(m.committee_id), 0) FROM committee_members m \
             JOIN users u ON u.id = m.user_id WHERE u.email = 'politiker@demo.stemme.dk'"
            .to_owned(),
        "outbox_mail" => "SELECT MAX(id) FROM outbox".to_owned(),
        "next_meeting" => format!(
            "SELECT MAX(id) FROM meetings WHERE council_id = {ungeraad} \
             AND status IN ('planned', 'published')"
        ),
        // The step the next meeting is on (what its page's "Næste trin" form carries).
        "next_meeting_status" => format!(
            "SELECT status FROM meetings WHERE id = (SELECT MAX(id) FROM meetings WHERE council_id = {ungeraad} \
             AND status IN ('planned', 'published'))"
        ),
        "bus_item" => format!(
            "SELECT MAX(id) FROM agenda_items WHERE proposal_id = ({})",
            proposal("Gratis bus for unge om aftenen")
        ),
        "any_item" => format!(
            "SELECT MAX(a.id) FROM agenda_items a JOIN meetings m ON m.id = a.meeting_id \
             WHERE m.council_id = {ungeraad} AND m.status IN ('planned', 'published')"
        ),
        "open_vote" => format!(
            "SELECT MAX(v.id) FROM votes v JOIN agenda_items a ON a.id = v.agenda_item_id \
             JOIN meetings m ON m.id = a.meeting_id WHERE m.council_id = {ungeraad}"
        ),
        "suggestion_new" => format!(
            "SELECT MAX(id) FROM agenda_suggestions WHERE council_id = {ungeraad} AND status = 'pending'"
        ),
        "suggestion_old" => format!(
            "SELECT MIN(id) FROM agenda_suggestions WHERE council_id = {ungeraad} AND status = 'pending'"
        ),
        "open_report" => "SELECT MIN(id) FROM reports WHERE resolved_at IS NULL".to_owned(),
        "ida" => "SELECT MIN(id) FROM users WHERE email = 'ida14@demo.stemme.dk'".to_owned(),
        "oskar" => "SELECT MIN(id) FROM users WHERE email = 'ungeraad2@demo.stemme.dk'".to_owned(),
        "school" => "SELECT MIN(id) FROM schools".to_owned(),
        "target_grant" => "SELECT MAX(id) FROM user_roles".to_owned(),
        "waiting_app" => WAITING_APP.to_owned(),
        // The demo puts the waiting application on the next meeting's agenda.
        "waiting_item" => format!(
            "SELECT MAX(id) FROM agenda_items WHERE application_id = ({WAITING_APP})"
        ),
        "graffiti_app" => "SELECT MIN(id) FROM pool_applications WHERE title = 'Graffitivæg ved stationen'"
            .to_owned(),
        // An item of a held meeting (the matrix holds the meeting it plans; runs that do
        // not, e.g. hostile input, get the newest item).
        "held_item" => format!(
            "SELECT COALESCE((SELECT MAX(a.id) FROM agenda_items a JOIN meetings m ON m.id = a.meeting_id \
             WHERE m.council_id = {ungeraad} AND m.status = 'held'), (SELECT MAX(id) FROM agenda_items))"
        ),
        "unreported_grant" => "SELECT MIN(id) FROM pool_applications WHERE status IN ('granted', \
             'partly_granted') AND report IS NULL"
            .to_owned(),
                // What the matrix's own rows create; other suites (hostile input) call the rows
        // without creating them first and get any council, committee or school.
        "matrix_council" => "SELECT COALESCE((SELECT MIN(id) FROM councils WHERE name = 'Ungebyrådet i Matrixen'), \
             (SELECT MIN(id) FROM councils))"
            .to_owned(),
        "matrix_committee" => "SELECT COALESCE((SELECT MIN(id) FROM committees WHERE name LIKE 'Teknik%Matrixen'), \
             (SELECT MIN(id) FROM committees))"
            .to_owned(),
        "matrix_school" => "SELECT COALESCE((SELECT MIN(id) FROM schools WHERE name LIKE '%skolen i Matrixen'), \
             (SELECT MIN(id) FROM schools))"
            .to_owned(),
        "mette" => "SELECT MIN(id) FROM users WHERE email = 'politiker@demo.stemme.dk'".to_owned(),
        // The world's class session (issue #23): its first idea waiting for approval, and
        // its first approved idea.
        "class_pending" => format!(
            "SELECT MIN(i.id) FROM class_ideas i JOIN live_sessions s ON s.id = i.session_id \
             WHERE s.code = '{CLASS_CODE}' AND i.status = 'pending'"
        ),
        "class_approved" => format!(
            "SELECT MIN(i.id) FROM class_ideas i JOIN live_sessions s ON s.id = i.session_id \
             WHERE s.code = '{CLASS_CODE}' AND i.status = 'approved'"
        ),
        other => panic!("unknown placeholder {{{other}}}"),
    };
    sql
}

/// The database's own tables (not SQLite's or sqlx's), by name.
pub async fn tables(app: &TestApp) -> Vec<String> {
    let sql = if app.db.backend().name() == "sqlite" {
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' \
         AND name NOT LIKE '_sqlx%' ORDER BY name"
    } else {
        "SELECT CAST(tablename AS TEXT) FROM pg_tables WHERE schemaname = current_schema() \
         AND tablename NOT LIKE '_sqlx%' ORDER BY tablename"
    };
    sqlx::query_scalar(sql)
        .fetch_all(app.db.pool())
        .await
        .expect("tables")
}

/// A fingerprint of every table's full contents (except the volatile ones): equal before
/// and after a call means the call stored, changed and deleted nothing.
pub async fn fingerprint(app: &TestApp) -> Vec<(String, String)> {
    let pool = app.db.pool();
    let sqlite = app.db.backend().name() == "sqlite";
    let tables = tables(app).await;
    let mut out = Vec::new();
    for t in tables
        .into_iter()
        .filter(|t| !VOLATILE.contains(&t.as_str()))
    {
        let content: String = if sqlite {
            let cols: Vec<String> = sqlx::query_scalar("SELECT name FROM pragma_table_info($1)")
                .bind(&t)
                .fetch_all(pool)
                .await
                .expect("columns");
            let row = cols
                .iter()
                .map(|c| format!("quote(\"{c}\")"))
                .collect::<Vec<_>>()
                .join(" || '|' || ");
            sqlx::query_scalar(&format!(
                "SELECT COALESCE(group_concat(r, char(10)), '') FROM \
                 (SELECT {row} AS r FROM \"{t}\" ORDER BY r)"
            ))
            .fetch_one(pool)
            .await
            .expect("content")
        } else {
            sqlx::query_scalar(&format!(
                "SELECT COALESCE(md5(string_agg(CAST(t AS TEXT), E'\\n' ORDER BY CAST(t AS TEXT))), '') \
                 FROM \"{t}\" t"
            ))
            .fetch_one(pool)
            .await
            .expect("content")
        };
        out.push((t, content));
    }
    out
}

/// The names of the tables whose contents differ between two fingerprints.
pub fn changed(before: &[(String, String)], after: &[(String, String)]) -> Vec<String> {
    let b: HashMap<_, _> = before.iter().cloned().collect();
    let mut out: Vec<String> = after
        .iter()
        .filter(|(t, c)| b.get(t) != Some(c))
        .map(|(t, _)| t.clone())
        .collect();
    if before.len() != after.len() {
        out.push("(a table came or went)".into());
    }
    out
}

/// Every server function route the app registered, e.g. `/api/proposals/support`.
pub fn registered_endpoints() -> Vec<String> {
    let mut v: Vec<String> = leptos::server_fn::axum::server_fn_paths()
        .map(|(path, _)| path.to_owned())
        .collect();
    v.sort();
    v.dedup();
    v
}
