//! A test app against a real database: a fresh SQLite file by default, or the
//! PostgreSQL named by `DATABASE_URL` (the test script starts a throwaway one).
#![allow(dead_code, clippy::expect_used, clippy::unwrap_used)]

use app::api::{
    accounts::{CurrentUser, Login},
    councils::AdvanceMeeting,
    forms::FormToken,
};
use app::ssr::{db::Db, state::AppState};
use axum::body::Body;
use axum::http::{Request, Response};
use axum::Router;
use http_body_util::BodyExt;
use tower::ServiceExt;

pub struct TestApp {
    pub router: Router,
    pub db: Db,
    /// The database URL (for starting the real server binary on the same database).
    pub url: String,
    state: AppState,
    _dir: Option<tempfile::TempDir>,
}

/// A test app on the shared test database, with the committee most tests forward proposals
/// to ("Børne- og Ungeudvalget"; a real installation starts with none — see `app_isolated`).
pub async fn app() -> TestApp {
    let app = app_plain().await;
    app::ssr::db::answers::ensure_committee(app.db.pool(), "Børne- og Ungeudvalget")
        .await
        .expect("committee");
    app
}

/// A test app exactly as migrated (SQLite: a fresh file; PostgreSQL: the shared database).
async fn app_plain() -> TestApp {
    let (url, dir) = match std::env::var("DATABASE_URL") {
        Ok(url) if url.starts_with("postgres") => (url, None),
        _ => {
            let dir = tempfile::tempdir().expect("temp dir");
            (
                format!("sqlite://{}/test.db", dir.path().display()),
                Some(dir),
            )
        }
    };
    app_on(url, dir).await
}

/// Like [`app`], but on PostgreSQL in a database of its own (created here), for tests
/// that need the demo world exactly as loaded — the shared database has other tests' data —
/// or an empty installation (no committee either).
pub async fn app_isolated() -> TestApp {
    match std::env::var("DATABASE_URL") {
        Ok(url) if url.starts_with("postgres") => {
            sqlx::any::install_default_drivers();
            let name = email("iso")
                .split('@')
                .next()
                .unwrap_or("iso")
                .replace('.', "_");
            let admin = sqlx::AnyPool::connect(&url).await.expect("postgres");
            sqlx::query(&format!("CREATE DATABASE \"{name}\""))
                .execute(&admin)
                .await
                .expect("create database");
            admin.close().await;
            let base = url.rsplit_once('/').map(|(b, _)| b).unwrap_or(&url);
            app_on(format!("{base}/{name}"), None).await
        }
        _ => app_plain().await,
    }
}

async fn app_on(url: String, dir: Option<tempfile::TempDir>) -> TestApp {
    let config = server::config::Config {
        addr: "127.0.0.1:0".parse().expect("addr"),
        database_url: url,
        db_max_connections: 5,
        log: "warn".into(),
        log_format: "text".into(),
        cookie_secure: false,
        site_root: "target/site".into(),
        reminder_interval: 0,
        page_cache_ms: 1000,
        mail: server::config::MailConfig::off(),
        login: server::config::LoginConfig::passwords_only(),
    };
    let url = config.database_url.clone();
    let db = server::connect(&config).await.expect("database");
    let state = AppState {
        leptos: server::leptos_options(&config),
        db: db.clone(),
        cookie_secure: config.cookie_secure,
        public_url: "http://stemme.test".into(),
        smtp_configured: false,
        oidc: std::sync::Arc::new(app::ssr::oidc::Oidc::none()),
        password_login: true,
        live: Default::default(),
    };
    TestApp {
        router: server::router(state.clone()),
        db,
        url,
        state,
        _dir: dir,
    }
}

impl TestApp {
    /// Closes the pool and opens a new one on the same database (after another process
    /// replaced it, e.g. `server restore`).
    pub async fn reopen(self) -> TestApp {
        self.db.close().await;
        app_on(self.url, self._dir).await
    }

    /// The same app with the page cache off: every page is rendered (to count what a
    /// render costs).
    pub fn without_page_cache(mut self) -> TestApp {
        self.router = self.router_with_page_cache(std::time::Duration::ZERO);
        self
    }

    /// Another router on this app's state, with a page cache of its own that keeps pages for
    /// `ttl` (`Duration::ZERO`: off).
    pub fn router_with_page_cache(&self, ttl: std::time::Duration) -> Router {
        let cache = server::page_cache::PageCache::new(ttl);
        server::router_with_cache(self.state.clone(), cache)
    }

    /// Another router on this app's state with the page cache `cache` (as a second instance
    /// would have its own).
    pub fn router_with(&self, cache: server::page_cache::PageCache) -> Router {
        server::router_with_cache(self.state.clone(), cache)
    }

    /// Another instance on this app's database, as a second process would be: its own live
    /// hub and page cache. Returns its router and its live hub.
    pub fn other_instance(&self) -> (Router, std::sync::Arc<app::ssr::live_hub::LiveHub>) {
        let mut state = self.state.clone();
        state.live = Default::default();
        let live = state.live.clone();
        (server::router(state), live)
    }

    /// This instance's live hub.
    pub fn live_hub(&self) -> std::sync::Arc<app::ssr::live_hub::LiveHub> {
        self.state.live.clone()
    }

    /// Builds more routers on this app's state (what every test does once), for a thread
    /// of its own.
    pub fn router_builder(&self) -> impl Fn() -> Router + Send + 'static {
        let state = self.state.clone();
        move || server::router(state.clone())
    }

    /// The same app as if an SMTP server were configured (`smtp_configured`: mail leaves
    /// the building, so the outbox page blanks single-use tokens).
    pub fn with_smtp_configured(mut self, on: bool) -> TestApp {
        self.state.smtp_configured = on;
        self.router = server::router(self.state.clone());
        self
    }

    /// With these identity providers (OpenID Connect), and password login on or off.
    pub fn with_login(
        mut self,
        providers: Vec<app::ssr::oidc::ProviderConfig>,
        password_login: bool,
    ) -> TestApp {
        self.state.oidc = std::sync::Arc::new(
            app::ssr::oidc::Oidc::new(providers, &self.state.public_url).expect("providers"),
        );
        self.state.password_login = password_login;
        self.router = server::router(self.state.clone());
        self
    }

    /// Closes the pool without reopening (before another process replaces the database).
    pub async fn close(&self) {
        self.db.close().await;
    }
}

impl TestApp {
    /// Sends a request and reads nothing yet. A request that has not answered within a
    /// minute fails the test naming the request: a hang is a failure that says where, not a
    /// stalled suite (the tests run in parallel threads; `scripts/test-loop` repeats them).
    pub async fn send(&self, req: Request<Body>) -> Response<Body> {
        let what = format!("{} {}", req.method(), req.uri());
        tokio::time::timeout(
            std::time::Duration::from_secs(60),
            self.router.clone().oneshot(req),
        )
        .await
        .unwrap_or_else(|_| panic!("no response within 60 s: {what}"))
        .expect("response")
    }

    pub async fn get(&self, uri: &str) -> (u16, String) {
        self.get_with(uri, &[]).await
    }

    pub async fn get_with(&self, uri: &str, headers: &[(&str, &str)]) -> (u16, String) {
        let mut req = Request::get(uri);
        for (k, v) in headers {
            req = req.header(*k, *v);
        }
        let res = self.send(req.body(Body::empty()).expect("request")).await;
        let status = res.status().as_u16();
        (status, body_text(res).await)
    }
}

pub async fn body_text(res: Response<Body>) -> String {
    let bytes = tokio::time::timeout(
        std::time::Duration::from_secs(60),
        res.into_body().collect(),
    )
    .await
    .unwrap_or_else(|_| panic!("the response body did not end within 60 s"))
    .expect("body")
    .to_bytes();
    String::from_utf8_lossy(&bytes).into_owned()
}

/// A response's status, body and session cookie (if one was set).
pub struct Reply {
    pub status: u16,
    pub body: String,
    pub cookie: Option<String>,
    pub location: Option<String>,
    /// A live session's participant cookie (`stemme_live=…`), if one was set.
    pub live_cookie: Option<String>,
}

impl Reply {
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.body).unwrap_or(serde_json::Value::Null)
    }
}

pub fn form_body(fields: &[(&str, &str)]) -> String {
    fields
        .iter()
        .map(|(k, v)| format!("{}={}", urlencode(k), urlencode(v)))
        .collect::<Vec<_>>()
        .join("&")
}

pub fn urlencode(s: &str) -> String {
    let mut out = String::new();
    for b in s.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                out.push(b as char)
            }
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

impl TestApp {
    /// POSTs a form to a server function, as an API client (no `Accept: text/html`).
    pub async fn post(&self, path: &str, cookie: Option<&str>, fields: &[(&str, &str)]) -> Reply {
        // A form that creates something carries the one-time token its page was rendered
        // with: a test posting such a form without one gets a fresh token, as a person
        // opening the form would (tests of the token itself pass their own).
        if cookie.is_some()
            && app::api::forms::ONE_TIME.contains(&path)
            && !fields.iter().any(|(k, _)| *k == "form_token")
        {
            let token = self.form_token(cookie).await;
            let mut with: Vec<(&str, &str)> = fields.to_vec();
            with.push(("form_token", &token));
            return self.post_raw(path, cookie, &with).await;
        }
        // "Næste trin" names the step the page shows; a test that does not say sends the
        // meeting's step as it is now (tests of stale steps pass their own).
        if path == self::path::<AdvanceMeeting>() && !fields.iter().any(|(k, _)| *k == "from") {
            let id = fields
                .iter()
                .find(|(k, _)| *k == "meeting_id")
                .and_then(|(_, v)| v.parse::<i64>().ok())
                .unwrap_or(0);
            let status: Option<String> =
                sqlx::query_scalar("SELECT status FROM meetings WHERE id = $1")
                    .bind(id)
                    .fetch_optional(self.db.pool())
                    .await
                    .expect("meeting status");
            let status = status.unwrap_or_default();
            let mut with: Vec<(&str, &str)> = fields.to_vec();
            with.push(("from", &status));
            return self.post_raw(path, cookie, &with).await;
        }
        self.post_raw(path, cookie, fields).await
    }

    /// A one-time form token for the session in `cookie` (empty without a session).
    pub async fn form_token(&self, cookie: Option<&str>) -> String {
        let r = self.post_raw(path::<FormToken>(), cookie, &[]).await;
        serde_json::from_str::<String>(&r.body).unwrap_or_default()
    }

    /// POSTs exactly these fields (no one-time token added).
    pub async fn post_raw(
        &self,
        path: &str,
        cookie: Option<&str>,
        fields: &[(&str, &str)],
    ) -> Reply {
        // An API client with a session says where it comes from (CSRF check).
        let mut req = Request::post(path)
            .header("content-type", "application/x-www-form-urlencoded")
            .header("accept", "application/json")
            .header("host", "localhost")
            .header("origin", "http://localhost");
        if let Some(c) = cookie {
            req = req.header("cookie", c);
        }
        let res = self
            .send(req.body(Body::from(form_body(fields))).expect("request"))
            .await;
        let status = res.status().as_u16();
        let cookie = res
            .headers()
            .get_all("set-cookie")
            .iter()
            .filter_map(|v| v.to_str().ok())
            .find(|v| v.starts_with("stemme_session="))
            .map(|v| v.split(';').next().unwrap_or_default().to_owned());
        let live_cookie = res
            .headers()
            .get_all("set-cookie")
            .iter()
            .filter_map(|v| v.to_str().ok())
            .find(|v| v.starts_with("stemme_live="))
            .map(|v| v.split(';').next().unwrap_or_default().to_owned());
        let location = res
            .headers()
            .get("location")
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned);
        Reply {
            status,
            body: body_text(res).await,
            cookie,
            location,
            live_cookie,
        }
    }

    /// Logs in over HTTP and returns the session cookie.
    pub async fn login(&self, email: &str, password: &str) -> String {
        let r = self
            .post(
                path::<Login>(),
                None,
                &[("email", email), ("password", password)],
            )
            .await;
        assert!(r.status < 400, "login {email}: {} {}", r.status, r.body);
        r.cookie.expect("session cookie")
    }

    /// The logged-in user as `/api/me` reports it.
    pub async fn me(&self, cookie: Option<&str>) -> serde_json::Value {
        self.post(path::<CurrentUser>(), cookie, &[]).await.json()
    }

    /// Creates an active user straight in the database, with extra roles.
    pub async fn user(
        &self,
        first_name: &str,
        email: &str,
        roles: &[app::domain::account::RoleKind],
    ) -> app::domain::ids::UserId {
        use app::ssr::db::users;
        let pool = self.db.pool();
        let hash = app::ssr::password::hash(PASSWORD.into())
            .await
            .expect("hash");
        let id = users::create(
            pool,
            users::NewUser {
                first_name,
                email,
                birth_year: 2008,
                password_hash: &hash,
                status: app::domain::account::AccountStatus::Active,
                school_id: None,
                youth: true,
            },
        )
        .await
        .expect("create user");
        for role in roles {
            // A teacher (Lærer) is a `teachers` row at a fresh school, not a role grant.
            if *role == app::domain::account::RoleKind::Laerer {
                let name = crate::common::email("skole");
                let school = app::ssr::db::schools::create(pool, &name[..name.len().min(40)])
                    .await
                    .expect("school");
                let mut tx = app::ssr::db::write_tx(pool).await.expect("tx");
                app::ssr::db::teachers::grant_tx(&mut tx, id, school, id)
                    .await
                    .expect("teacher");
                tx.commit().await.expect("commit");
                continue;
            }
            let council = if role.needs_council() {
                Some(self.council(*role).await)
            } else {
                None
            };
            let term = council.map(|_| (2026, 2027));
            users::grant(pool, id, *role, council, term, id)
                .await
                .expect("grant");
        }
        id
    }

    /// A fresh council that the role fits (Ungeråd or Det Fælles Elevråd kind).
    pub async fn council(
        &self,
        role: app::domain::account::RoleKind,
    ) -> app::domain::ids::CouncilId {
        use app::domain::account::{CouncilKind, RoleKind};
        let kind = if role == RoleKind::Ungeraadsmedlem {
            CouncilKind::Ungeraad
        } else {
            CouncilKind::FaellesElevraad
        };
        let name = email("raad");
        app::ssr::db::schools::create_council(
            self.db.pool(),
            kind,
            &name[..40.min(name.len())],
            None,
        )
        .await
        .expect("council")
    }

    /// A fresh active user with `roles`, logged in: (id, session cookie).
    pub async fn login_as(
        &self,
        first_name: &str,
        roles: &[app::domain::account::RoleKind],
    ) -> (app::domain::ids::UserId, String) {
        let mail = email(&first_name.to_lowercase());
        let id = self.user(first_name, &mail, roles).await;
        (id, self.login(&mail, PASSWORD).await)
    }

    /// Puts `proposal` on the agenda of a new, published meeting of `council` (at `at`)
    /// and closes a passed vote on it (one member, one ballot For): the vote, for a
    /// council decision step.
    pub async fn passed_vote(
        &self,
        proposal: app::domain::ids::ProposalId,
        council: app::domain::ids::CouncilId,
        at: chrono::DateTime<chrono::Utc>,
    ) -> app::domain::council::VoteId {
        use app::ssr::db::councils;
        let pool = self.db.pool();
        let voter = self.user("Stemmer", &email("stemmer"), &[]).await;
        let meeting = councils::create_meeting(pool, council, at, "Rådhuset", voter, None)
            .await
            .expect("meeting");
        let item = councils::add_item_at(
            pool,
            meeting,
            council,
            "Rådets møde".into(),
            "Forslaget",
            None,
            Some(proposal),
            voter,
            at,
            None,
        )
        .await
        .expect("item");
        self.pass_item_vote(meeting, item, council, voter, at).await
    }

    /// Publishes `meeting`'s agenda and closes a passed vote on its `item` at `at`: one
    /// member (`voter`), one ballot For.
    pub async fn pass_item_vote(
        &self,
        meeting: app::domain::ids::MeetingId,
        item: app::domain::ids::AgendaItemId,
        council: app::domain::ids::CouncilId,
        voter: app::domain::ids::UserId,
        at: chrono::DateTime<chrono::Utc>,
    ) -> app::domain::council::VoteId {
        use app::domain::council::{Choice, MeetingStatus};
        use app::ssr::db::councils;
        let pool = self.db.pool();
        councils::advance_meeting(
            pool,
            meeting,
            MeetingStatus::Planned,
            MeetingStatus::Published,
        )
        .await
        .expect("published");
        let vote = councils::open_vote_at(pool, item, council, 1, at)
            .await
            .expect("vote");
        councils::cast(pool, vote, voter, Choice::For, false, false)
            .await
            .expect("ballot");
        councils::close_vote_at(pool, vote, at)
            .await
            .expect("close");
        vote
    }

    /// A submitted, published proposal by `author` to `council`.
    pub async fn submitted_proposal(
        &self,
        author: app::domain::ids::UserId,
        council: app::domain::ids::CouncilId,
        title: &str,
    ) -> app::domain::ids::ProposalId {
        app::ssr::db::proposals::create(
            self.db.pool(),
            author,
            &app::domain::proposal::ProposalContent {
                title: title.into(),
                body: "Der er for få steder at være, når vi mødes efter skole om eftermiddagen."
                    .into(),
                theme: app::domain::proposal::Theme::FritidKultur,
                council,
                show_name: true,
            },
            app::domain::proposal::Intent::Submit,
            app::domain::proposal::Visibility::Published,
            None,
        )
        .await
        .expect("proposal")
    }

    pub async fn count(&self, sql: &str) -> i64 {
        sqlx::query_scalar::<_, i64>(sql)
            .fetch_one(self.db.pool())
            .await
            .expect("count")
    }
}

/// The path a server function is served at, from its type: `path::<Login>()` is
/// `/api/login`. Tests call endpoints by the function, so a renamed or moved endpoint is a
/// compile error here, not a 404 at run time.
pub const fn path<F: leptos::server_fn::ServerFn>() -> &'static str {
    F::PATH
}

/// The password of users made with [`TestApp::user`].
pub const PASSWORD: &str = "korrekt hest batteri";

/// A unique e-mail address per call (tests share a PostgreSQL database).
pub fn email(tag: &str) -> String {
    use std::sync::atomic::{AtomicU64, Ordering};
    static N: AtomicU64 = AtomicU64::new(0);
    let n = N.fetch_add(1, Ordering::Relaxed);
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.subsec_nanos())
        .unwrap_or(0);
    format!("{tag}.{}.{n}.{nanos}@test.stemme.dk", std::process::id())
}

/// The value (`<dd>`) of the figure marked `data-testid="{key}"` on a rendered page.
pub fn figure(html: &str, key: &str) -> Option<String> {
    let html = html.replace("<!>", "");
    let start = html.find(&format!("data-testid=\"{key}\""))?;
    let rest = &html[start..];
    let dd = rest.find("<dd>")? + 4;
    let end = rest[dd..].find("</dd>")?;
    Some(rest[dd..dd + end].to_owned())
}
