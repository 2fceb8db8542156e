//! A short-lived cache of the pages most people open: the proposal list and a proposal's
//! page, for everyone, logged in or not.
//!
//! A render costs a millisecond or two of CPU; a kept page costs about as much as a static
//! file. A page is kept with its per-request and per-person parts cut out, and each
//! request gets its own put back in:
//! - the CSP nonce (a fresh one, in the header and in the body);
//! - the header's user menu (`app::ui::components::user_menu::menu_html`: the login link,
//!   or the person's role links, bell count and name, read fresh on every request);
//! - the one-time tokens of the page's forms (`app::ssr::once`, signed for the person).
//!
//! Everything else on a kept page is the same for everyone with the same *variant*: on the
//! list, everyone; on a proposal's page, everyone with the same rights and own actions there
//! (`app::api::proposals::page_variant`: support, follow, author, moderator, committee…).
//! A logged-in request finds its person by the session cookie in two indexed queries, and
//! a session whose expiry is due to be moved on is rendered in full instead, so that the
//! session layer keeps counting the 14 days from the last visit.
//!
//! A page is kept for up to `ttl` (1 s by default) and never stale after a change made
//! through this server: every request that may change data (any method but
//! GET/HEAD/OPTIONS, except the read-only server functions named in [`CHANGES_NO_PAGE`])
//! drops the whole cache when it has finished, and a page whose render overlapped such a
//! request is not kept. A change made by another instance, or by the CLI, shows within
//! 2 × `ttl`.
//!
//! Requests with any cookie but the language and session cookies, or a query naming a
//! refused form (`__err`, `__form`), are rendered. Only a 200 HTML response with a nonce and
//! the user menu, that sets no cookie but the language it was asked in (and the session's,
//! which is not kept), is kept.
use app::api::{
    accounts, admin, answers, councils, forms, identities, live, mail, moderation, notifications,
    pool, proposals,
};
use app::domain::account::SessionUser;
use app::domain::ids::ProposalId;
use app::i18n::Locale;
use app::ssr::changed::{marked_proposal, CHANGED_HEADER};
use app::ssr::peers::{Heard, Peers};
use app::ssr::state::AppState;
use app::ui::components::user_menu::{menu_html, MENU_END, MENU_START};
use axum::body::Body;
use axum::extract::State;
use axum::http::{header, HeaderMap, HeaderName, HeaderValue, Method, Request, StatusCode};
use axum::middleware::Next;
use axum::response::Response;
use leptos::server_fn::ServerFn;
use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

/// Which kept page an address is: the list (`/forslag`) or a proposal (`/forslag/{id}`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    List,
    Proposal(ProposalId),
}

fn kind(path: &str) -> Option<Kind> {
    if path == "/forslag" {
        return Some(Kind::List);
    }
    let id = path.strip_prefix("/forslag/")?;
    if id.is_empty() || id.len() > 15 || !id.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    id.parse::<i64>()
        .ok()
        .filter(|i| *i > 0)
        .map(|i| Kind::Proposal(ProposalId(i)))
}

/// The server functions whose POSTs change nothing any kept page ([`Kind`]) shows: reads
/// (server functions are POSTs), logging in and out, and ballots (a council vote shows on
/// the list only once it closes, which is a request of its own). Named by type, so a renamed
/// endpoint is a compile error; every other request that may change data — any method but
/// GET/HEAD/OPTIONS, a server function added tomorrow included — drops the cache.
/// (`tests/api/page_cache.rs` calls each of these and checks that the cached pages are what
/// a fresh render shows.)
pub const CHANGES_NO_PAGE: &[&str] = &[
    <accounts::CurrentUser as ServerFn>::PATH,
    <accounts::Login as ServerFn>::PATH,
    <accounts::Logout as ServerFn>::PATH,
    <accounts::GetMyData as ServerFn>::PATH,
    <notifications::ListNotifications as ServerFn>::PATH,
    <notifications::MarkRead as ServerFn>::PATH,
    <councils::CastVote as ServerFn>::PATH,
    <proposals::ListProposals as ServerFn>::PATH,
    <proposals::GetProposal as ServerFn>::PATH,
    <proposals::ProposalTargets as ServerFn>::PATH,
    <proposals::GetDraft as ServerFn>::PATH,
    <proposals::MyProposals as ServerFn>::PATH,
    <councils::GetCouncil as ServerFn>::PATH,
    <councils::GetMeeting as ServerFn>::PATH,
    <pool::GetPool as ServerFn>::PATH,
    <pool::MyPoolDraft as ServerFn>::PATH,
    <pool::GetApplication as ServerFn>::PATH,
    <pool::ReportBack as ServerFn>::PATH,
    <answers::GetInbox as ServerFn>::PATH,
    <answers::GetHeardOverview as ServerFn>::PATH,
    <moderation::ModerationQueue as ServerFn>::PATH,
    <admin::ListUsers as ServerFn>::PATH,
    <admin::GetAuditLog as ServerFn>::PATH,
    <admin::ListSchools as ServerFn>::PATH,
    <admin::ListCouncils as ServerFn>::PATH,
    <forms::FormToken as ServerFn>::PATH,
    // Mail choices and the outbox show on no cached page.
    <mail::MailPrefs as ServerFn>::PATH,
    <mail::SaveMailPrefs as ServerFn>::PATH,
    <mail::Unsubscribe as ServerFn>::PATH,
    <mail::OutboxPage as ServerFn>::PATH,
    <mail::OutboxMail as ServerFn>::PATH,
    // Logins at identity providers show on no cached page.
    <identities::LoginOptions as ServerFn>::PATH,
    <identities::MyLogins as ServerFn>::PATH,
    <identities::LinkLogin as ServerFn>::PATH,
    <identities::UnlinkLogin as ServerFn>::PATH,
    // Live sessions show on no cached page; joins, ballots and the speakers' list are the
    // many small writes of a room full of phones.
    <live::GetLive as ServerFn>::PATH,
    <live::MyLiveSessions as ServerFn>::PATH,
    <live::LiveHostKinds as ServerFn>::PATH,
    <live::JoinLive as ServerFn>::PATH,
    <live::CastLiveBallot as ServerFn>::PATH,
    <live::LiveFloor as ServerFn>::PATH,
];

/// Longer queries (filters and the page cursor are far shorter) are not cached.
const MAX_QUERY: usize = 256;
/// The bound of the cache: what the kept pages cost together (their bytes, their keys and
/// an allowance for headers and bookkeeping, [`PAGE_OVERHEAD`]). A page is 9–16 kB, so this
/// is ~250 pages; when full, expired pages go first, then the oldest.
pub const MAX_BYTES: usize = 4 * 1024 * 1024;
/// What a kept page costs besides its body and key.
const PAGE_OVERHEAD: usize = 2048;
/// Once the cache is half full, a page is kept only when its address was asked for before
/// (among the last this many): a crowd on a few pages fills the cache, one visitor each on
/// thousands of pages does not churn it.
const SEEN_KEPT: usize = 4096;
/// A list page is ~15 kB; anything much larger is not kept.
const MAX_PAGE_BYTES: usize = 512 * 1024;
/// How many changes are remembered to decide whether a page rendered meanwhile may be kept.
const CHANGES_KEPT: usize = 256;

/// Set to `hit` on a response served from the cache.
pub const CACHE_HEADER: HeaderName = HeaderName::from_static("x-stemme-cache");

/// What a change may have changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    /// Anything: every page goes.
    All,
    /// One proposal: its pages and the lists go.
    Proposal(ProposalId),
}

impl Scope {
    /// Does a change of this scope touch a page of `kind`?
    fn touches(self, kind: Kind) -> bool {
        match (self, kind) {
            (Scope::Proposal(changed), Kind::Proposal(shown)) => changed == shown,
            _ => true,
        }
    }

    /// How a change of this scope is told to the other instances.
    fn told_as(self) -> String {
        match self {
            Scope::All => "all".into(),
            Scope::Proposal(id) => format!("proposal {}", id.0),
        }
    }

    /// The scope another instance told; anything unknown may have changed anything.
    fn told(what: &str) -> Scope {
        match what.split_once(' ') {
            Some(("proposal", id)) => match id.parse::<i64>() {
                Ok(id) if id > 0 => Scope::Proposal(ProposalId(id)),
                _ => Scope::All,
            },
            _ => Scope::All,
        }
    }
}

/// The cache; cheap to clone (shared).
#[derive(Clone)]
pub struct PageCache(Arc<Inner>);

struct Inner {
    ttl: Duration,
    state: Mutex<Kept>,
    /// The other instances on the same PostgreSQL, once sharing.
    peers: Arc<Peers>,
    /// Turns to render a page the cache keeps (see [`RENDERS_AT_ONCE`]).
    renders: tokio::sync::Semaphore,
}

/// How many pages of the kinds the cache keeps are rendered at once; further misses wait
/// for a turn (first come, first served), holding only their request, so what renders hold
/// (half-made pages, rows, reactive graphs) is bounded by this and not by the number of
/// connections. A turn lasts until the body is read, so a waiting request that asks for the
/// same page is then served the kept one instead of rendering it again. Measured (SQLite,
/// random proposal pages, 50 connections): 4 turns cut the peak RSS from 78 to 61 MB but
/// also the rate from 520 to 200 pages/s (a render mostly waits for its queries); 16 gave
/// 566–587 pages/s and no lower peak than none (see bench/NOTES.md).
pub const RENDERS_AT_ONCE: usize = 16;

/// The PostgreSQL channel the instances tell each other their changes on.
pub const CHANNEL: &str = "stemme_page_cache";

/// Everything behind the cache's one lock.
#[derive(Default)]
struct Kept {
    /// Counts changes; a page remembers the count its render started at.
    generation: u64,
    /// The last changes: (generation after it, scope).
    changes: std::collections::VecDeque<(u64, Scope)>,
    pages: HashMap<Key, Arc<Page>>,
    bytes: usize,
    /// The hashes of the keys last asked for and not kept (see [`SEEN_KEPT`]).
    seen: std::collections::HashSet<u64>,
}

#[derive(Debug, Hash, PartialEq, Eq)]
struct Key {
    uri: String,
    lang: Option<String>,
    /// What of the page depends on who looks (empty on the list).
    variant: String,
}

/// A rendered page, cut where its per-request and per-person parts were.
struct Page {
    kind: Kind,
    stored: Instant,
    generation: u64,
    status: StatusCode,
    headers: HeaderMap,
    csp: Vec<String>,
    body: Vec<Piece>,
    len: usize,
    /// What it costs in the cache (set when kept).
    cost: usize,
    /// Set by the request that renders this page anew once it is older than `ttl`.
    refreshing: AtomicBool,
}

/// A piece of a kept page: its own text, or a hole each request fills.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Piece {
    Text(String),
    Nonce,
    Menu,
    Token,
}

/// Where a one-time token's value starts in a rendered form.
const TOKEN_AT: &str = "name=\"form_token\" value=\"";

/// Who a kept page is served to.
struct Reader<'a> {
    user: Option<&'a SessionUser>,
    locale: Locale,
    path: &'a str,
    /// Signs the forms' tokens (a page without forms needs none).
    db: Option<&'a app::ssr::db::Db>,
}

impl PageCache {
    /// Keeps pages for `ttl`; `Duration::ZERO` turns the cache off.
    pub fn new(ttl: Duration) -> Self {
        Self(Arc::new(Inner {
            ttl,
            state: Mutex::default(),
            peers: Arc::new(Peers::new(CHANNEL)),
            renders: tokio::sync::Semaphore::new(RENDERS_AT_ONCE),
        }))
    }

    /// Shares changes with every other instance on the same PostgreSQL database, at once
    /// (`LISTEN`/`NOTIFY` on [`CHANNEL`]): each change this instance sees is told to the
    /// others, and theirs drop pages here as if made here. Without it, another instance's
    /// change shows within 2 × `ttl`. While the listening connection is down (it is made
    /// again by itself), every page goes as it comes back, as changes may have been missed.
    pub async fn share_changes(&self, url: &str, pool: sqlx::AnyPool) -> Result<(), sqlx::Error> {
        let cache = self.clone();
        self.0
            .peers
            .listen(url, pool, move |heard| match heard {
                Heard::Told(what) => cache.apply(Scope::told(what)),
                Heard::Lost => cache.apply(Scope::All),
            })
            .await
    }

    fn enabled(&self) -> bool {
        !self.0.ttl.is_zero()
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Kept> {
        self.0.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    fn generation(&self) -> u64 {
        self.lock().generation
    }

    /// Forgets every page (after a request that may have changed anything).
    pub fn invalidate(&self) {
        self.changed(Scope::All);
    }

    /// Forgets the pages a change of `scope` may have changed, here and (when sharing) on
    /// the other instances.
    pub fn changed(&self, scope: Scope) {
        self.apply(scope);
        self.0.peers.tell(scope.told_as());
    }

    /// Forgets the pages a change of `scope` may have changed, here.
    fn apply(&self, scope: Scope) {
        let mut kept = self.lock();
        kept.generation += 1;
        let generation = kept.generation;
        kept.changes.push_back((generation, scope));
        if kept.changes.len() > CHANGES_KEPT {
            kept.changes.pop_front();
        }
        let mut freed = 0;
        kept.pages.retain(|_, page| {
            let keep = !scope.touches(page.kind);
            if !keep {
                freed += page.cost;
            }
            keep
        });
        kept.bytes -= freed;
    }

    /// The page to serve for `key`, if any. Once a page is older than `ttl` the first
    /// request renders it anew while the others are still served the old one (for at most
    /// another `ttl`), so that 50 waiting connections do not all render at the same moment.
    fn get(&self, key: &Key) -> Option<Arc<Page>> {
        let page = self.lock().pages.get(key).cloned()?;
        let age = page.stored.elapsed();
        let someone_renders = || page.refreshing.swap(true, Ordering::SeqCst);
        (age < self.0.ttl || (age < 2 * self.0.ttl && someone_renders())).then_some(page)
    }

    /// Serves the kept page for `key` to `reader`, if there is one (see [`PageCache::get`]).
    async fn serve(&self, key: &Key, reader: &Reader<'_>) -> Option<Response> {
        self.get(key)?.serve(reader).await
    }

    /// Serves the kept page for `key` only while it is younger than `ttl`: for a request
    /// that waited for its turn to render, which must render a page older than that itself
    /// (it may be the one [`PageCache::get`] chose to refresh it).
    async fn serve_fresh(&self, key: &Key, reader: &Reader<'_>) -> Option<Response> {
        let page = self.lock().pages.get(key).cloned()?;
        if page.stored.elapsed() >= self.0.ttl {
            return None;
        }
        page.serve(reader).await
    }

    fn put(&self, key: Key, page: Page) {
        let mut kept = self.lock();
        // Checked under the lock `changed` drops pages under: a page whose render overlapped
        // a change that touches it is never kept. Changes too long ago to be remembered
        // count as touching it.
        if page.generation != kept.generation {
            let remembered = kept
                .changes
                .front()
                .is_some_and(|(first, _)| *first <= page.generation + 1);
            let touched = kept
                .changes
                .iter()
                .any(|(g, scope)| *g > page.generation && scope.touches(page.kind));
            if !remembered || touched {
                return;
            }
        }
        let mut page = page;
        page.cost = page.len + key.uri.len() + key.variant.len() + PAGE_OVERHEAD;
        if kept.bytes + page.cost > MAX_BYTES / 2 && !kept.pages.contains_key(&key) {
            use std::hash::{Hash, Hasher};
            let mut hasher = std::collections::hash_map::DefaultHasher::new();
            key.hash(&mut hasher);
            let hash = hasher.finish();
            if !kept.seen.remove(&hash) {
                if kept.seen.len() >= SEEN_KEPT {
                    kept.seen.clear();
                }
                kept.seen.insert(hash);
                return;
            }
        }
        if kept.bytes + page.cost > MAX_BYTES {
            let ttl = self.0.ttl;
            kept.pages.retain(|_, p| p.stored.elapsed() < 2 * ttl);
            kept.bytes = kept.pages.values().map(|p| p.cost).sum();
            if kept.bytes + page.cost > MAX_BYTES {
                // The oldest go until a quarter is free.
                let mut by_age: Vec<(Instant, usize)> = Vec::with_capacity(kept.pages.len());
                by_age.extend(kept.pages.values().map(|p| (p.stored, p.cost)));
                by_age.sort_unstable_by_key(|(stored, _)| *stored);
                let mut bytes = kept.bytes;
                let mut cutoff = None;
                for (stored, cost) in by_age {
                    if bytes + page.cost <= MAX_BYTES * 3 / 4 {
                        break;
                    }
                    bytes -= cost;
                    cutoff = Some(stored);
                }
                if let Some(cutoff) = cutoff {
                    kept.pages.retain(|_, p| p.stored > cutoff);
                }
                kept.bytes = kept.pages.values().map(|p| p.cost).sum();
            }
        }
        let cost = page.cost;
        if let Some(old) = kept.pages.insert(key, Arc::new(page)) {
            kept.bytes -= old.cost;
        }
        kept.bytes += cost;
    }
}

/// The middleware: serves cached pages, keeps new ones, and drops them all after a change.
pub async fn layer(
    State((cache, state)): State<(PageCache, AppState)>,
    req: Request<Body>,
    next: Next,
) -> Response {
    if !cache.enabled() {
        let mut res = next.run(req).await;
        res.headers_mut().remove(CHANGED_HEADER);
        return res;
    }
    if !matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS) {
        let changes = !CHANGES_NO_PAGE.contains(&req.uri().path());
        let mut res = next.run(req).await;
        let mark = res.headers_mut().remove(CHANGED_HEADER);
        if changes {
            cache.changed(match mark.as_ref().and_then(marked_proposal) {
                Some(id) => Scope::Proposal(id),
                None => Scope::All,
            });
        }
        return res;
    }
    let Some(asked) = asked(&req) else {
        return next.run(req).await;
    };
    let pool = state.db.pool();
    let user = match &asked.session {
        None => None,
        Some(session) => match app::ssr::db::users::session_user_by_session(pool, session).await {
            Ok(Some((user, expiry))) if expiry_is_fresh(expiry) => Some(user),
            // Logged out, unknown, or due to have its expiry moved on: the session layer
            // sees to it in a full render.
            Ok(_) => return next.run(req).await,
            Err(error) => {
                tracing::warn!(%error, "page cache: session lookup failed");
                return next.run(req).await;
            }
        },
    };
    let variant = match asked.kind {
        Kind::List => String::new(),
        Kind::Proposal(id) => match proposals::page_variant(pool, id, user.as_ref()).await {
            Ok(Some(variant)) => variant,
            // Not to be seen (a 404), or an error: rendered as usual.
            Ok(None) => return next.run(req).await,
            Err(error) => {
                tracing::warn!(?error, "page cache: proposal variant failed");
                return next.run(req).await;
            }
        },
    };
    let key = Key {
        uri: asked.uri,
        lang: asked.lang,
        variant,
    };
    let path = req.uri().path().to_owned();
    let reader = Reader {
        user: user.as_ref(),
        locale: if key.lang.as_deref() == Some("en") {
            Locale::en
        } else {
            Locale::da
        },
        path: &path,
        db: Some(&state.db),
    };
    if let Some(res) = cache.serve(&key, &reader).await {
        return res;
    }
    // A miss waits for its turn to render (see RENDERS_AT_ONCE), and then looks again: the
    // same page may have been rendered meanwhile by a request ahead of it.
    let _turn = cache.0.renders.acquire().await.ok();
    if let Some(res) = cache.serve_fresh(&key, &reader).await {
        return res;
    }
    let generation = cache.generation();
    let mut req = req;
    if let Some(user) = user {
        req.extensions_mut().insert(app::ssr::auth::KnownUser(user));
    }
    let res = next.run(req).await;
    keep(&cache, key, asked.kind, generation, res).await
}

/// True while a session's stored expiry is less than an hour behind "14 days from now",
/// i.e. while the session layer would not write it anyway.
fn expiry_is_fresh(expiry_micros: i64) -> bool {
    use app::ssr::db::sessions::{EXPIRY_REFRESH_MICROS, INACTIVITY_DAYS};
    let now = chrono::Utc::now().timestamp_micros();
    expiry_micros - now > INACTIVITY_DAYS * 86_400 * 1_000_000 - EXPIRY_REFRESH_MICROS
}

/// A GET of a page the cache may serve.
#[derive(Debug)]
struct Asked {
    kind: Kind,
    uri: String,
    lang: Option<String>,
    /// The session cookie's value, if any.
    session: Option<String>,
}

/// What the request asks for, or `None` when it must be rendered.
fn asked(req: &Request<Body>) -> Option<Asked> {
    if req.method() != Method::GET || req.headers().contains_key(header::AUTHORIZATION) {
        return None;
    }
    let kind = kind(req.uri().path())?;
    let query = req.uri().query().unwrap_or("");
    if query.len() > MAX_QUERY || query.contains("__") {
        return None;
    }
    let mut lang = None;
    let mut session = None;
    for value in req.headers().get_all(header::COOKIE) {
        for cookie in value.to_str().ok()?.split(';') {
            let (name, value) = cookie.trim().split_once('=')?;
            if name == app::domain::lang::LANG_COOKIE && app::domain::lang::is_supported(value) {
                lang = Some(value.to_owned());
            } else if name == crate::SESSION_COOKIE
                && session.is_none()
                && (1..=64).contains(&value.len())
                && value
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
            {
                session = Some(value.to_owned());
            } else {
                return None;
            }
        }
    }
    Some(Asked {
        kind,
        uri: req.uri().to_string(),
        lang,
        session,
    })
}

/// Stores `res` when it can be served again with its holes filled; returns it unchanged.
async fn keep(
    cache: &PageCache,
    key: Key,
    key_kind: Kind,
    generation: u64,
    res: Response,
) -> Response {
    let nonce = res
        .headers()
        .get(header::CONTENT_SECURITY_POLICY)
        .and_then(|v| v.to_str().ok())
        .and_then(|csp| csp.split("'nonce-").nth(1))
        .and_then(|rest| rest.split('\'').next())
        .filter(|n| n.len() >= 16)
        .map(str::to_owned);
    let html = res
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("text/html"));
    // The only cookies a kept page may set are the language cookie it was asked in
    // (leptos_i18n renews it), which every request with this key would get too, and the
    // session's (its expiry moved on), which is not kept.
    let own_lang_cookie = key
        .lang
        .as_ref()
        .map(|l| format!("{}={l};", app::domain::lang::LANG_COOKIE));
    let session_cookie = format!("{}=", crate::SESSION_COOKIE);
    let sets_only_lang = res.headers().get_all(header::SET_COOKIE).iter().all(|v| {
        let v = v.to_str().unwrap_or("");
        v.starts_with(session_cookie.as_str())
            || own_lang_cookie
                .as_ref()
                .is_some_and(|own| v.starts_with(own.as_str()))
    });
    let cacheable = res.status() == StatusCode::OK
        && html
        && sets_only_lang
        && !res.headers().contains_key(header::CONTENT_ENCODING);
    let (Some(nonce), true) = (nonce, cacheable) else {
        return res;
    };
    let (parts, body) = res.into_parts();
    // The body is our own render of a bounded page; it is read whole either way.
    let bytes = match axum::body::to_bytes(body, usize::MAX).await {
        Ok(bytes) => bytes,
        Err(error) => {
            tracing::warn!(%error, "page could not be read for the cache");
            return Response::from_parts(parts, Body::empty());
        }
    };
    let csp = parts
        .headers
        .get(header::CONTENT_SECURITY_POLICY)
        .and_then(|v| v.to_str().ok())
        .map(|csp| csp.split(nonce.as_str()).map(str::to_owned).collect());
    if let (Ok(text), Some(csp)) = (std::str::from_utf8(&bytes), csp) {
        if let (true, Some(pieces)) = (bytes.len() <= MAX_PAGE_BYTES, cut(text, &nonce)) {
            let mut headers = parts.headers.clone();
            for name in [
                header::CONTENT_LENGTH,
                header::TRANSFER_ENCODING,
                header::DATE,
                header::SET_COOKIE,
            ] {
                headers.remove(name);
            }
            // The language cookie is every reader's of this key: put it back.
            for v in parts.headers.get_all(header::SET_COOKIE) {
                if !v.as_bytes().starts_with(session_cookie.as_bytes()) {
                    headers.append(header::SET_COOKIE, v.clone());
                }
            }
            cache.put(
                key,
                Page {
                    kind: key_kind,
                    stored: Instant::now(),
                    generation,
                    status: parts.status,
                    headers,
                    csp,
                    body: pieces,
                    len: bytes.len(),
                    cost: 0,
                    refreshing: AtomicBool::new(false),
                },
            );
        }
    }
    Response::from_parts(parts, Body::from(bytes))
}

/// `text` cut into its own pieces and holes: the nonce wherever it is, the user menu (the
/// first, in the site header) and the forms' one-time token values. None without a menu.
fn cut(text: &str, nonce: &str) -> Option<Vec<Piece>> {
    let body = text.find("<body").unwrap_or(0);
    let menu_start = body + text[body..].find(MENU_START)?;
    let menu_end = menu_start + text[menu_start..].find(MENU_END)? + MENU_END.len();
    let mut holes: Vec<(usize, usize, Piece)> = vec![(menu_start, menu_end, Piece::Menu)];
    holes.extend(
        text.match_indices(nonce)
            .map(|(at, n)| (at, at + n.len(), Piece::Nonce)),
    );
    for (at, _) in text.match_indices(TOKEN_AT) {
        let start = at + TOKEN_AT.len();
        let len = text[start..].find('"')?;
        holes.push((start, start + len, Piece::Token));
    }
    holes.sort_by_key(|(start, _, _)| *start);
    let mut pieces = Vec::with_capacity(2 * holes.len() + 1);
    let mut at = 0;
    for (start, end, hole) in holes {
        if start < at {
            // Overlapping holes: not a page this cache understands.
            return None;
        }
        pieces.push(Piece::Text(text[at..start].to_owned()));
        pieces.push(hole);
        at = end;
    }
    pieces.push(Piece::Text(text[at..].to_owned()));
    Some(pieces)
}

impl Page {
    /// The page for `reader`, with a new nonce of its own, their menu and their tokens;
    /// None when it cannot be made (then the page is rendered).
    async fn serve(&self, reader: &Reader<'_>) -> Option<Response> {
        let nonce = leptos::nonce::Nonce::new().to_string();
        let menu = menu_html(reader.user, reader.locale, reader.path);
        let mut body = String::with_capacity(self.len + menu.len() + 64);
        for piece in &self.body {
            match piece {
                Piece::Text(text) => body.push_str(text),
                Piece::Nonce => body.push_str(&nonce),
                Piece::Menu => body.push_str(&menu),
                Piece::Token => {
                    // A page with forms was kept for a variant of a logged-in person.
                    let (user, db) = (reader.user?, reader.db?);
                    match app::ssr::once::issue_in(db, user.id).await {
                        Ok(token) => body.push_str(&token),
                        Err(error) => {
                            tracing::warn!(?error, "page cache: no form token");
                            return None;
                        }
                    }
                }
            }
        }
        let mut res = Response::new(Body::from(body));
        *res.status_mut() = self.status;
        *res.headers_mut() = self.headers.clone();
        if let Ok(csp) = HeaderValue::from_str(&self.csp.join(&nonce)) {
            res.headers_mut()
                .insert(header::CONTENT_SECURITY_POLICY, csp);
        }
        res.headers_mut()
            .insert(CACHE_HEADER, HeaderValue::from_static("hit"));
        Some(res)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn get(uri: &str, cookie: Option<&str>) -> Request<Body> {
        let mut req = Request::get(uri);
        if let Some(c) = cookie {
            req = req.header(header::COOKIE, c);
        }
        req.body(Body::empty()).unwrap_or_default()
    }

    #[test]
    fn a_scope_told_to_the_others_is_the_scope_they_apply() {
        for scope in [Scope::All, Scope::Proposal(ProposalId(42))] {
            assert_eq!(Scope::told(&scope.told_as()), scope);
        }
        // Anything not understood may have changed anything.
        for what in ["", "proposal", "proposal x", "proposal -3", "live 7"] {
            assert_eq!(Scope::told(what), Scope::All, "{what:?}");
        }
    }

    #[test]
    fn gets_of_the_list_and_proposal_pages_with_known_cookies_are_asked() {
        assert!(asked(&get("/forslag", None)).is_some());
        assert!(asked(&get("/forslag?sort=nyeste&tema=natur", None)).is_some());
        let en = asked(&get("/forslag", Some("i18n_pref_locale=en")));
        assert_eq!(en.and_then(|k| k.lang).as_deref(), Some("en"));
        let both = asked(&get(
            "/forslag/12",
            Some("i18n_pref_locale=en; stemme_session=Ab-_9"),
        ));
        assert_eq!(
            both.map(|a| (a.kind, a.lang, a.session)),
            Some((
                Kind::Proposal(ProposalId(12)),
                Some("en".to_owned()),
                Some("Ab-_9".to_owned())
            ))
        );
        assert!(asked(&get("/forslag", Some("stemme_session=a b"))).is_none());
        assert!(asked(&get("/forslag", Some("stemme_session=a; stemme_session=b"))).is_none());
        assert!(asked(&get("/forslag", Some("other=1"))).is_none());
        assert!(asked(&get("/forslag", Some("i18n_pref_locale=xx"))).is_none());
        assert!(asked(&get("/forslag?__err=x", None)).is_none());
        for path in [
            "/forslag/0",
            "/forslag/x1",
            "/forslag/1/rediger",
            "/forslag/",
            "/konto",
        ] {
            assert!(asked(&get(path, None)).is_none(), "{path}");
        }
        let long = format!("/forslag?q={}", "a".repeat(MAX_QUERY));
        assert!(asked(&get(&long, None)).is_none());
    }

    #[test]
    fn a_page_is_cut_at_its_nonce_menu_and_tokens() {
        let nonce = "n0nce-n0nce-n0nce";
        let page = format!(
            "<head><script nonce=\"{nonce}\"></script></head><body><div class=\"user-menu\">\
             {MENU_START}<a>Zorblax</a>{MENU_END}</div><form><input {TOKEN_AT}1.ab.cd\"></form>\
             <script nonce=\"{nonce}\"></script></body>"
        );
        let pieces = cut(&page, nonce).unwrap_or_default();
        let holes: Vec<&Piece> = pieces
            .iter()
            .filter(|p| !matches!(p, Piece::Text(_)))
            .collect();
        assert_eq!(
            holes,
            vec![&Piece::Nonce, &Piece::Menu, &Piece::Token, &Piece::Nonce]
        );
        let kept: String = pieces
            .iter()
            .filter_map(|p| match p {
                Piece::Text(t) => Some(t.as_str()),
                _ => None,
            })
            .collect();
        assert!(!kept.contains("Zorblax") && !kept.contains("1.ab.cd") && !kept.contains(nonce));
        assert!(cut("<body>no menu</body>", nonce).is_none());
    }

    fn page(generation: u64) -> Page {
        page_of(Kind::List, generation, 32)
    }

    fn page_of(kind: Kind, generation: u64, len: usize) -> Page {
        Page {
            kind,
            stored: Instant::now(),
            generation,
            status: StatusCode::OK,
            headers: HeaderMap::new(),
            csp: vec!["script-src 'nonce-".into(), "'".into()],
            body: vec![
                Piece::Text("<script nonce=\"".into()),
                Piece::Nonce,
                Piece::Text("\"></script>".into()),
                Piece::Menu,
            ],
            len,
            cost: 0,
            refreshing: AtomicBool::new(false),
        }
    }

    fn key(uri: &str) -> Key {
        Key {
            uri: uri.into(),
            lang: None,
            variant: String::new(),
        }
    }

    #[test]
    fn a_change_drops_pages_and_a_page_rendered_during_it_is_not_kept() {
        let cache = PageCache::new(Duration::from_secs(60));
        cache.put(key("/forslag"), page(cache.generation()));
        assert!(cache.get(&key("/forslag")).is_some());
        let before = cache.generation();
        cache.invalidate();
        assert!(cache.get(&key("/forslag")).is_none());
        cache.put(key("/forslag"), page(before));
        assert!(cache.get(&key("/forslag")).is_none());
    }

    #[test]
    fn a_change_to_one_proposal_drops_its_pages_and_the_lists_only() {
        let cache = PageCache::new(Duration::from_secs(60));
        let (one, two) = (Kind::Proposal(ProposalId(1)), Kind::Proposal(ProposalId(2)));
        cache.put(key("/forslag"), page(0));
        cache.put(key("/forslag/1"), page_of(one, 0, 32));
        cache.put(key("/forslag/2"), page_of(two, 0, 32));
        let before = cache.generation();
        cache.changed(Scope::Proposal(ProposalId(1)));
        assert!(cache.get(&key("/forslag")).is_none());
        assert!(cache.get(&key("/forslag/1")).is_none());
        assert!(cache.get(&key("/forslag/2")).is_some());
        // Rendered while proposal 1 changed: 2's page may be kept, 1's and the list not.
        cache.put(key("/forslag/2"), page_of(two, before, 32));
        cache.put(key("/forslag/1"), page_of(one, before, 32));
        cache.put(key("/forslag"), page(before));
        assert!(cache.get(&key("/forslag/2")).is_some());
        assert!(cache.get(&key("/forslag/1")).is_none());
        assert!(cache.get(&key("/forslag")).is_none());
        // A render older than the remembered changes is not kept.
        for _ in 0..CHANGES_KEPT + 1 {
            cache.changed(Scope::Proposal(ProposalId(1)));
        }
        cache.put(key("/forslag/2?sprog"), page_of(two, before, 32));
        assert!(cache.get(&key("/forslag/2?sprog")).is_none());
    }

    #[test]
    fn pages_expire_and_are_bounded_in_bytes() {
        let cache = PageCache::new(Duration::from_millis(30));
        cache.put(key("/forslag"), page(0));
        std::thread::sleep(Duration::from_millis(40));
        // Expired: the first request renders, the others get the old page meanwhile.
        assert!(cache.get(&key("/forslag")).is_none());
        assert!(cache.get(&key("/forslag")).is_some());
        std::thread::sleep(Duration::from_millis(30));
        assert!(cache.get(&key("/forslag")).is_none());
        let cache = PageCache::new(Duration::from_secs(60));
        let len = 10_000;
        let n = 2 * MAX_BYTES / len;
        // Once half full, a page is kept the second time its address is asked for.
        for i in 0..n {
            cache.put(
                key(&format!("/forslag?side={i}")),
                page_of(Kind::List, 0, len),
            );
            cache.put(
                key(&format!("/forslag?side={i}")),
                page_of(Kind::List, 0, len),
            );
            assert!(cache.lock().bytes <= MAX_BYTES);
        }
        {
            let kept = cache.lock();
            assert_eq!(
                kept.bytes,
                kept.pages.values().map(|p| p.cost).sum::<usize>()
            );
            assert!(kept.bytes > MAX_BYTES / 2, "{} bytes kept", kept.bytes);
            // The newest page is among those kept.
            assert!(kept
                .pages
                .contains_key(&key(&format!("/forslag?side={}", n - 1))));
        }
        // Addresses asked for once each do not push out what is kept.
        let before: Vec<String> = cache.lock().pages.keys().map(|k| k.uri.clone()).collect();
        for i in 0..n {
            cache.put(
                key(&format!("/forslag?once={i}")),
                page_of(Kind::List, 0, len),
            );
        }
        let kept = cache.lock();
        assert!(before.iter().all(|uri| kept.pages.contains_key(&key(uri))));
    }

    #[tokio::test]
    async fn each_hit_gets_its_own_nonce_in_header_and_body() {
        let p = page(0);
        let reader = Reader {
            user: None,
            locale: Locale::da,
            path: "/forslag",
            db: None,
        };
        let (Some(a), Some(b)) = (p.serve(&reader).await, p.serve(&reader).await) else {
            panic!("a page without forms is served to anyone");
        };
        let csp = |r: &Response| {
            r.headers()
                .get(header::CONTENT_SECURITY_POLICY)
                .and_then(|v| v.to_str().ok())
                .map(str::to_owned)
                .unwrap_or_default()
        };
        assert_ne!(csp(&a), csp(&b));
        assert!(csp(&a).starts_with("script-src 'nonce-") && csp(&a).len() > 30);
        assert_eq!(
            a.headers().get(CACHE_HEADER).map(|v| v.as_bytes()),
            Some(&b"hit"[..])
        );
    }
}
