//! A short-lived cache of the proposal list for visitors who are not logged in.
//!
//! The proposal list is the page most people open, and for everyone who is not logged in
//! it is the same page: two renders differ only in the CSP nonce. So a rendered page is kept
//! for up to `ttl` (1 s by default) and served again with a fresh nonce put in place of the
//! old one, in the header and in the body — about the cost of a static file instead of a
//! render (see BENCHMARKS.md).
//!
//! It is never stale after a change made through this server: every request that may change
//! data (any method but GET/HEAD/OPTIONS, except the read-only server functions named in
//! [`CHANGES_NO_PAGE`]) drops the whole cache when it has finished, and a page whose render
//! overlapped such a request is not kept. A change made by another instance, or by the CLI,
//! shows within 2 × `ttl`.
//!
//! Only anonymous requests use it: any cookie but the language cookie (a session above all)
//! bypasses it, as does a query naming a refused form (`__err`, `__form`). Only a 200 HTML
//! response that carries a nonce and sets no cookie but the language it was asked in is kept.
use app::api::{
    accounts, admin, answers, councils, forms, identities, live, mail, moderation, notifications,
    pool, proposals,
};
use axum::body::Body;
use axum::extract::State;
use axum::http::{header, HeaderMap, HeaderName, HeaderValue, Method, Request, StatusCode};
use axum::middleware::Next;
use axum::response::Response;
use leptos::server_fn::ServerFn;
use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

/// The pages that may be served from the cache.
pub const PAGES: [&str; 1] = ["/forslag"];

/// The server functions whose POSTs change nothing any page in [`PAGES`] shows: reads
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

/// Longer queries (filters and the page cursor are far shorter) are not cached, and
/// neither are more than `MAX_PAGES` different addresses at once.
const MAX_QUERY: usize = 256;
const MAX_PAGES: usize = 64;
/// A list page is ~15 kB; anything much larger is not kept.
const MAX_PAGE_BYTES: usize = 512 * 1024;

/// Set to `hit` on a response served from the cache.
pub const CACHE_HEADER: HeaderName = HeaderName::from_static("x-stemme-cache");

/// The cache; cheap to clone (shared).
#[derive(Clone)]
pub struct PageCache(Arc<Inner>);

struct Inner {
    ttl: Duration,
    generation: AtomicU64,
    pages: Mutex<HashMap<Key, Arc<Page>>>,
}

#[derive(Debug, Hash, PartialEq, Eq)]
struct Key {
    uri: String,
    lang: Option<String>,
}

/// A rendered page, cut where its nonce was.
struct Page {
    stored: Instant,
    generation: u64,
    status: StatusCode,
    headers: HeaderMap,
    csp: Vec<String>,
    body: Vec<String>,
    len: usize,
    /// Set by the request that renders this page anew once it is older than `ttl`.
    refreshing: AtomicBool,
}

impl PageCache {
    /// Keeps pages for `ttl`; `Duration::ZERO` turns the cache off.
    pub fn new(ttl: Duration) -> Self {
        Self(Arc::new(Inner {
            ttl,
            generation: AtomicU64::new(0),
            pages: Mutex::new(HashMap::new()),
        }))
    }

    fn enabled(&self) -> bool {
        !self.0.ttl.is_zero()
    }

    fn generation(&self) -> u64 {
        self.0.generation.load(Ordering::SeqCst)
    }

    /// Forgets every page (after a request that may have changed data).
    pub fn invalidate(&self) {
        self.0.generation.fetch_add(1, Ordering::SeqCst);
        self.0
            .pages
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clear();
    }

    fn fresh(&self, page: &Page, generation: u64) -> bool {
        page.generation == generation && page.stored.elapsed() < 2 * self.0.ttl
    }

    /// The page to serve for `key`, if any. Once a page is older than `ttl` the first
    /// request renders it anew while the others are still served the old one (for at most
    /// another `ttl`), so that 50 waiting connections do not all render at the same moment.
    fn get(&self, key: &Key) -> Option<Arc<Page>> {
        let page = self
            .0
            .pages
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .get(key)
            .cloned()?;
        if page.generation != self.generation() {
            return None;
        }
        let age = page.stored.elapsed();
        let someone_renders = || page.refreshing.swap(true, Ordering::SeqCst);
        (age < self.0.ttl || (age < 2 * self.0.ttl && someone_renders())).then_some(page)
    }

    fn put(&self, key: Key, page: Page) {
        let mut pages = self.0.pages.lock().unwrap_or_else(PoisonError::into_inner);
        // Checked under the lock `invalidate` clears through: a page rendered while data
        // changed is never stored after the clear.
        let generation = self.generation();
        if page.generation != generation {
            return;
        }
        if pages.len() >= MAX_PAGES && !pages.contains_key(&key) {
            pages.retain(|_, p| self.fresh(p, generation));
            if pages.len() >= MAX_PAGES {
                return;
            }
        }
        pages.insert(key, Arc::new(page));
    }
}

/// The middleware: serves cached pages, keeps new ones, and drops them all after a change.
pub async fn layer(State(cache): State<PageCache>, req: Request<Body>, next: Next) -> Response {
    if !cache.enabled() {
        return next.run(req).await;
    }
    if !matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS) {
        let changes = !CHANGES_NO_PAGE.contains(&req.uri().path());
        let res = next.run(req).await;
        if changes {
            cache.invalidate();
        }
        return res;
    }
    let Some(key) = cache_key(&req) else {
        return next.run(req).await;
    };
    if let Some(page) = cache.get(&key) {
        return page.serve();
    }
    let generation = cache.generation();
    let res = next.run(req).await;
    keep(&cache, key, generation, res).await
}

/// The key of an anonymous GET of a cached page, or `None` when it must be rendered.
fn cache_key(req: &Request<Body>) -> Option<Key> {
    if req.method() != Method::GET
        || !PAGES.contains(&req.uri().path())
        || req.headers().contains_key(header::AUTHORIZATION)
    {
        return None;
    }
    let query = req.uri().query().unwrap_or("");
    if query.len() > MAX_QUERY || query.contains("__") {
        return None;
    }
    let mut lang = None;
    for value in req.headers().get_all(header::COOKIE) {
        for cookie in value.to_str().ok()?.split(';') {
            let (name, value) = cookie.trim().split_once('=')?;
            if name != app::domain::lang::LANG_COOKIE || !app::domain::lang::is_supported(value) {
                return None;
            }
            lang = Some(value.to_owned());
        }
    }
    Some(Key {
        uri: req.uri().to_string(),
        lang,
    })
}

/// Stores `res` when it is a page every anonymous visitor would get; returns it unchanged.
async fn keep(cache: &PageCache, key: Key, generation: u64, res: Response) -> Response {
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
    // The only cookie a kept page may set is the language cookie it was asked in
    // (leptos_i18n renews it), which every request with this key would get too.
    let own_lang_cookie = key
        .lang
        .as_ref()
        .map(|l| format!("{}={l};", app::domain::lang::LANG_COOKIE));
    let sets_only_lang = res.headers().get_all(header::SET_COOKIE).iter().all(|v| {
        let v = v.to_str().unwrap_or("");
        own_lang_cookie
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
        if bytes.len() <= MAX_PAGE_BYTES {
            let mut headers = parts.headers.clone();
            for name in [
                header::CONTENT_LENGTH,
                header::TRANSFER_ENCODING,
                header::DATE,
            ] {
                headers.remove(name);
            }
            cache.put(
                key,
                Page {
                    stored: Instant::now(),
                    generation,
                    status: parts.status,
                    headers,
                    csp,
                    body: text.split(nonce.as_str()).map(str::to_owned).collect(),
                    len: bytes.len(),
                    refreshing: AtomicBool::new(false),
                },
            );
        }
    }
    Response::from_parts(parts, Body::from(bytes))
}

impl Page {
    /// The page with a new nonce of its own.
    fn serve(&self) -> Response {
        let nonce = leptos::nonce::Nonce::new().to_string();
        let mut body = String::with_capacity(self.len + 64);
        for (i, part) in self.body.iter().enumerate() {
            if i > 0 {
                body.push_str(&nonce);
            }
            body.push_str(part);
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
        res
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
    fn only_anonymous_gets_of_the_list_have_a_key() {
        assert!(cache_key(&get("/forslag", None)).is_some());
        assert!(cache_key(&get("/forslag?sort=nyeste&tema=natur", None)).is_some());
        let en = cache_key(&get("/forslag", Some("i18n_pref_locale=en")));
        assert_eq!(en.and_then(|k| k.lang).as_deref(), Some("en"));
        assert!(cache_key(&get("/forslag", Some("stemme_session=abc"))).is_none());
        assert!(cache_key(&get(
            "/forslag",
            Some("i18n_pref_locale=en; stemme_session=x")
        ))
        .is_none());
        assert!(cache_key(&get("/forslag", Some("i18n_pref_locale=xx"))).is_none());
        assert!(cache_key(&get("/forslag?__err=x", None)).is_none());
        assert!(cache_key(&get("/forslag/1", None)).is_none());
        assert!(cache_key(&get("/konto", None)).is_none());
        let long = format!("/forslag?q={}", "a".repeat(MAX_QUERY));
        assert!(cache_key(&get(&long, None)).is_none());
    }

    fn page(generation: u64) -> Page {
        Page {
            stored: Instant::now(),
            generation,
            status: StatusCode::OK,
            headers: HeaderMap::new(),
            csp: vec!["script-src 'nonce-".into(), "'".into()],
            body: vec!["<script nonce=\"".into(), "\"></script>".into()],
            len: 32,
            refreshing: AtomicBool::new(false),
        }
    }

    fn key(uri: &str) -> Key {
        Key {
            uri: uri.into(),
            lang: None,
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
    fn pages_expire_and_are_bounded() {
        let cache = PageCache::new(Duration::from_millis(30));
        cache.put(key("/forslag"), page(0));
        std::thread::sleep(Duration::from_millis(40));
        // Expired: the first request renders, the others get the old page meanwhile.
        assert!(cache.get(&key("/forslag")).is_none());
        assert!(cache.get(&key("/forslag")).is_some());
        std::thread::sleep(Duration::from_millis(30));
        assert!(cache.get(&key("/forslag")).is_none());
        for i in 0..MAX_PAGES + 10 {
            cache.put(key(&format!("/forslag?side={i}")), page(0));
        }
        let stored = cache.0.pages.lock().map(|p| p.len()).unwrap_or_default();
        assert_eq!(stored, MAX_PAGES);
    }

    #[test]
    fn each_hit_gets_its_own_nonce_in_header_and_body() {
        let p = page(0);
        let (a, b) = (p.serve(), p.serve());
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
