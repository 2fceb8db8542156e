//! The page cache is never stale after a change made through the server. Every POST drops
//! it except the read-only server functions in `server::page_cache::CHANGES_NO_PAGE`; this
//! suite calls each of those as every role allowed to (in the authorization matrix's world,
//! after the rows before it, so e.g. a vote is open when a ballot is cast) and checks that
//! every cached page is still exactly what a fresh render shows, to anonymous visitors and
//! to logged-in people in several roles. A state-changing endpoint put on that list, or
//! one whose change shows on a cached page, fails here. The other tests check that a page
//! kept for one person is exactly what a render shows another with the same variant, with
//! nothing of the first person's in it.
use crate::authz::MATRIX;
use crate::common::{app_isolated as app, TestApp};
use crate::security::{registered_endpoints, World};
use axum::body::Body;
use axum::http::Request;
use axum::Router;
use server::page_cache::{CACHE_HEADER, CHANGES_NO_PAGE};
use std::time::Duration;

/// The server functions that mark their change as one proposal's (`app::ssr::changed`):
/// the pages they leave in the cache are checked like those after an exempt call.
const SCOPED: [&str; 4] = [
    "/api/proposals/support",
    "/api/proposals/unsupport",
    "/api/proposals/follow",
    "/api/proposals/comment",
];

/// The viewers whose pages are compared after each call.
const VIEWERS: [&str; 3] = ["anon", "ung", "politiker"];

/// A GET of `uri` through `router` (as the session `cookie`): was it served from the cache,
/// and the body with this response's nonce and the forms' one-time tokens taken out (two
/// renders for one person differ in nothing else).
async fn page(router: &Router, uri: &str, cookie: Option<&str>) -> (bool, String) {
    let mut req = Request::get(uri);
    if let Some(cookie) = cookie {
        req = req.header("cookie", cookie);
    }
    let req = req.body(Body::empty()).expect("request");
    let res = tower::ServiceExt::oneshot(router.clone(), req)
        .await
        .expect("response");
    assert_eq!(res.status().as_u16(), 200, "GET {uri}");
    let hit = res.headers().contains_key(CACHE_HEADER);
    let nonce = res
        .headers()
        .get("content-security-policy")
        .and_then(|v| v.to_str().ok())
        .and_then(|csp| csp.split("'nonce-").nth(1))
        .and_then(|rest| rest.split('\'').next())
        .unwrap_or_default()
        .to_owned();
    let body = crate::common::body_text(res).await;
    assert!(nonce.len() >= 16, "GET {uri}: no nonce");
    (hit, without_tokens(&body.replace(&nonce, "")))
}

/// `html` with the values of its one-time form tokens blanked.
fn without_tokens(html: &str) -> String {
    const AT: &str = "name=\"form_token\" value=\"";
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(i) = rest.find(AT) {
        out.push_str(&rest[..i + AT.len()]);
        rest = &rest[i + AT.len()..];
        let end = rest.find('"').unwrap_or(rest.len());
        rest = &rest[end..];
    }
    out.push_str(rest);
    out
}

#[tokio::test]
async fn no_post_the_cache_lets_through_changes_a_cached_page() {
    let mut app: TestApp = app().await;
    let world = World::new(&app).await;
    // Pages stay for an hour, so only a drop can make the next request render anew.
    app.router = app.router_with_page_cache(Duration::from_secs(3600));
    let fresh = app.router_with_page_cache(Duration::ZERO);
    // The list, a proposal on a meeting's agenda (ballots are exempt) and an answered one
    // (its page has the feedback form).
    let mut pages = vec!["/forslag".to_owned()];
    for p in ["{bus}", "{cykelsti_ja}"] {
        pages.push(format!("/forslag/{}", world.resolve(&app, p).await));
    }

    // Every exempt path is a server function, and the matrix has a row to call it with.
    let registered = registered_endpoints();
    for path in CHANGES_NO_PAGE {
        assert!(
            registered.iter().any(|p| p == path),
            "{path} is exempt from dropping the page cache but is no server function"
        );
        assert!(
            MATRIX.iter().any(|r| r.path == *path),
            "{path} is exempt from dropping the page cache but has no row in the authorization \
             matrix to check it with"
        );
    }

    let mut checked = 0;
    let mut problems = Vec::new();
    for r in MATRIX {
        // Exempt calls must leave every page as it is; the calls that drop only one
        // proposal's pages must leave the others as they are.
        let exempt = CHANGES_NO_PAGE.contains(&r.path) || SCOPED.contains(&r.path);
        for role in r.allowed {
            if exempt {
                for uri in &pages {
                    for viewer in VIEWERS {
                        page(&app.router, uri, world.cookie(viewer)).await;
                        let (hit, _) = page(&app.router, uri, world.cookie(viewer)).await;
                        // A viewer the call before logged out is rendered every time.
                        assert!(
                            hit || viewer != "anon" || !CHANGES_NO_PAGE.contains(&r.path),
                            "GET {uri} was not kept in the cache"
                        );
                    }
                }
            }
            let mut fields = Vec::new();
            for (k, v) in r.fields {
                fields.push((*k, world.resolve(&app, v).await));
            }
            let refs: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
            let reply = app.post(r.path, world.cookie(role), &refs).await;
            if !exempt {
                continue;
            }
            checked += 1;
            for uri in &pages {
                for viewer in VIEWERS {
                    let cookie = world.cookie(viewer);
                    let (hit, cached) = page(&app.router, uri, cookie).await;
                    if !hit {
                        continue;
                    }
                    let (_, now) = page(&fresh, uri, cookie).await;
                    if cached != now {
                        problems.push(format!(
                            "{} as {role} (status {}): the cached {uri} no longer shows {viewer} \
                             what a render shows",
                            r.path, reply.status
                        ));
                    }
                }
            }
        }
    }
    println!(
        "page cache: {} exempt endpoints, {checked} calls, cached pages checked after each",
        CHANGES_NO_PAGE.len()
    );
    assert!(
        problems.is_empty(),
        "{} stale pages:\n{}",
        problems.len(),
        problems.join("\n")
    );
}

/// Two young people who may do the same on a proposal share its kept page: the second gets
/// it from the cache, with their own name, bell and form tokens, exactly as a render shows
/// them, and nothing of the first person's.
#[tokio::test]
async fn a_page_kept_for_one_person_is_anothers_own_page() {
    use app::domain::account::RoleKind;
    let mut app: TestApp = app().await;
    app.router = app.router_with_page_cache(Duration::from_secs(3600));
    let fresh = app.router_with_page_cache(Duration::ZERO);
    let council = app.council(RoleKind::Ungeraadsmedlem).await;
    let (author, author_cookie) = app.login_as("Forfatter", &[]).await;
    let (_, first) = app.login_as("Zorblax", &[]).await;
    let (_, second) = app.login_as("Quimbly", &[]).await;
    let id = app
        .submitted_proposal(author, council, "Bænke ved søen til alle")
        .await;
    let uri = format!("/forslag/{}", id.0);
    for path in ["/forslag", uri.as_str()] {
        let (hit, mine) = page(&app.router, path, Some(&first)).await;
        assert!(!hit, "{path}: the first request renders");
        assert!(mine.contains("Zorblax"));
        let (hit, theirs) = page(&app.router, path, Some(&second)).await;
        assert!(
            hit,
            "{path}: the second person with the same variant is served the kept page"
        );
        assert!(
            theirs.contains("Quimbly") && !theirs.contains("Zorblax"),
            "{path}"
        );
        let (_, rendered) = page(&fresh, path, Some(&second)).await;
        assert_eq!(
            theirs, rendered,
            "{path}: the kept page is what a render shows"
        );
        // Anonymous visitors share the list, with the login link.
        let (hit, anon) = page(&app.router, path, None).await;
        assert_eq!(hit, path == "/forslag", "{path}");
        assert!(anon.contains("/log-ind") && !anon.contains("Quimbly"));
    }
    // The author has other rights on their own proposal: a page of its own.
    let (hit, own) = page(&app.router, &uri, Some(&author_cookie)).await;
    assert!(!hit && own.contains("Forfatter"));
    // Each person's forms carry tokens signed for them: a comment from the kept page works.
    let req = Request::get(&uri)
        .header("cookie", &second)
        .body(Body::empty())
        .expect("request");
    let res = tower::ServiceExt::oneshot(app.router.clone(), req)
        .await
        .expect("response");
    assert!(res.headers().contains_key(CACHE_HEADER));
    let html = crate::common::body_text(res).await;
    let token = html
        .split("name=\"form_token\" value=\"")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .expect("a comment form with a token")
        .to_owned();
    let id_text = id.0.to_string();
    let reply = app
        .post(
            "/api/proposals/comment",
            Some(&second),
            &[
                ("proposal_id", id_text.as_str()),
                ("body", "Det er en rigtig god idé, synes jeg."),
                ("form_token", token.as_str()),
            ],
        )
        .await;
    assert!(reply.status < 400, "{} {}", reply.status, reply.body);
    // The comment dropped the kept page: it shows at once.
    let (hit, after) = page(&app.router, &uri, Some(&first)).await;
    assert!(!hit && after.contains("rigtig god idé"));
}

/// The bell on a kept page is counted on every request, not kept with the page.
#[tokio::test]
async fn the_bell_on_a_kept_page_is_counted_fresh() {
    use app::domain::account::RoleKind;
    let mut app: TestApp = app().await;
    app.router = app.router_with_page_cache(Duration::from_secs(3600));
    let council = app.council(RoleKind::Ungeraadsmedlem).await;
    let (me, cookie) = app.login_as("Klokke", &[]).await;
    let id = app
        .submitted_proposal(me, council, "Klokken ringer i parken")
        .await;
    page(&app.router, "/forslag", Some(&cookie)).await;
    let bell = |html: &str| {
        html.split("class=\"bell__count\">")
            .nth(1)
            .and_then(|rest| rest.split('<').next())
            .map(str::to_owned)
    };
    let (hit, before) = page(&app.router, "/forslag", Some(&cookie)).await;
    assert!(hit);
    assert_eq!(bell(&before).as_deref(), Some("0"));
    // A notification made behind the server's back (as a reminder job would).
    sqlx::query(
        "INSERT INTO notifications (user_id, proposal_id, kind, created_at) \
         VALUES ($1, $2, 'submitted', $3)",
    )
    .bind(me.0)
    .bind(id.0)
    .bind(chrono::Utc::now().timestamp_micros())
    .execute(app.db.pool())
    .await
    .expect("notification");
    let (hit, after) = page(&app.router, "/forslag", Some(&cookie)).await;
    assert!(hit, "the page itself did not change");
    assert_eq!(bell(&after).as_deref(), Some("1"));
}

/// A support drops the supported proposal's page and the list, and no other page; the mark
/// that tells the cache so never reaches the browser.
#[tokio::test]
async fn a_support_drops_only_its_proposals_pages() {
    use app::domain::account::RoleKind;
    let mut app: TestApp = app().await;
    app.router = app.router_with_page_cache(Duration::from_secs(3600));
    let council = app.council(RoleKind::Ungeraadsmedlem).await;
    let (author, _) = app.login_as("Forfatter", &[]).await;
    let (_, fan) = app.login_as("Fan", &[]).await;
    let a = app
        .submitted_proposal(author, council, "Flere bænke ved stranden")
        .await;
    let b = app
        .submitted_proposal(author, council, "Lys på stien til hallen")
        .await;
    let pages = [
        "/forslag".to_owned(),
        format!("/forslag/{}", a.0),
        format!("/forslag/{}", b.0),
    ];
    for uri in &pages {
        page(&app.router, uri, None).await;
        assert!(page(&app.router, uri, None).await.0, "{uri} kept");
    }
    let id = a.0.to_string();
    let req = Request::post("/api/proposals/support")
        .header("cookie", &fan)
        .header("content-type", "application/x-www-form-urlencoded")
        .header("accept", "application/json")
        .header("host", "localhost")
        .header("origin", "http://localhost")
        .body(Body::from(format!("proposal_id={id}")))
        .expect("request");
    let res = tower::ServiceExt::oneshot(app.router.clone(), req)
        .await
        .expect("response");
    assert!(res.status().is_success(), "{}", res.status());
    assert!(!res
        .headers()
        .contains_key(app::ssr::changed::CHANGED_HEADER));
    let hits: Vec<bool> = {
        let mut v = Vec::new();
        for uri in &pages {
            v.push(page(&app.router, uri, None).await.0);
        }
        v
    };
    assert_eq!(
        hits,
        vec![false, false, true],
        "list, the supported one, the other"
    );
}

/// Two instances on one PostgreSQL database, each with its own page cache: a support made
/// through one shows on the other's kept page within 100 ms (LISTEN/NOTIFY), where an
/// instance that does not listen keeps showing the old page. (SQLite is one instance by
/// design: the test says so and stops.)
#[tokio::test]
async fn a_change_on_one_instance_shows_on_the_other_within_100_ms() {
    use app::domain::account::RoleKind;
    use server::page_cache::PageCache;
    let mut app: TestApp = app().await;
    if app.db.backend() != app::ssr::db::Backend::Postgres {
        println!("two instances: SQLite is one instance by design; run on PostgreSQL");
        return;
    }
    let ttl = Duration::from_secs(3600);
    let (one, two, deaf) = (
        PageCache::new(ttl),
        PageCache::new(ttl),
        PageCache::new(ttl),
    );
    for cache in [&one, &two] {
        cache
            .share_changes(&app.url, app.db.pool().clone())
            .await
            .expect("listening");
    }
    // Requests through `app` go to instance one.
    app.router = app.router_with(one);
    let (two, deaf) = (app.router_with(two), app.router_with(deaf));
    let council = app.council(RoleKind::Ungeraadsmedlem).await;
    let (author, _) = app.login_as("Forfatter", &[]).await;
    let (_, fan) = app.login_as("Fan", &[]).await;
    let id = app
        .submitted_proposal(author, council, "Vandpost ved boldbanen i parken")
        .await;
    let uri = format!("/forslag/{}", id.0);
    let supporters = |html: &str| {
        html.split("data-testid=\"support-count\">")
            .nth(1)
            .and_then(|rest| rest.split('<').next())
            .and_then(|n| n.parse::<i64>().ok())
            .unwrap_or(-1)
    };
    for router in [&two, &deaf] {
        page(router, &uri, None).await;
        let (hit, html) = page(router, &uri, None).await;
        assert!(hit && supporters(&html) == 0);
    }
    let reply = app
        .post(
            "/api/proposals/support",
            Some(&fan),
            &[("proposal_id", id.0.to_string().as_str())],
        )
        .await;
    assert!(reply.status < 400, "{}", reply.body);
    // Instance two is asked again and again; the first request it renders instead of
    // serving its kept page shows the support. The time counted is when that request was
    // sent (a render in a debug build on a busy machine takes longer than the message).
    let told = std::time::Instant::now();
    let mut seen = None;
    while told.elapsed() < Duration::from_secs(2) {
        let sent = told.elapsed();
        let (hit, html) = page(&two, &uri, None).await;
        if !hit {
            assert_eq!(supporters(&html), 1, "a render shows the support");
            seen = Some(sent);
            break;
        }
        assert_eq!(supporters(&html), 0);
        tokio::time::sleep(Duration::from_millis(2)).await;
    }
    println!("two instances: instance two dropped its page within {seen:?} of the support");
    assert!(
        seen.is_some_and(|t| t <= Duration::from_millis(100)),
        "instance two still served the old page: {seen:?}"
    );
    let (hit, html) = page(&deaf, &uri, None).await;
    assert!(
        hit && supporters(&html) == 0,
        "an instance that does not listen keeps its page"
    );
}

/// Misses take turns to render (`RENDERS_AT_ONCE`, #24): three times that many requests at
/// once for a page nobody has asked for yet render it at most `RENDERS_AT_ONCE` times; the
/// others wait for a turn, find it kept by then and are served it. Without the turns every
/// one of them rendered it (and held its half-made page in memory meanwhile).
#[tokio::test]
async fn misses_at_once_render_a_page_at_most_renders_at_once_times() {
    use app::domain::account::RoleKind;
    use server::page_cache::RENDERS_AT_ONCE;
    let mut app: TestApp = app().await;
    app.router = app.router_with_page_cache(Duration::from_secs(3600));
    let council = app.council(RoleKind::Ungeraadsmedlem).await;
    let (author, _) = app.login_as("Forfatter", &[]).await;
    let id = app
        .submitted_proposal(author, council, "Skaterampe ved skolen")
        .await;
    let uri = format!("/forslag/{}", id.0);
    let asked = 3 * RENDERS_AT_ONCE;
    let replies =
        futures::future::join_all((0..asked).map(|_| page(&app.router, &uri, None))).await;
    let rendered = replies.iter().filter(|(hit, _)| !hit).count();
    assert!(
        (1..=RENDERS_AT_ONCE).contains(&rendered),
        "{rendered} of {asked} requests at once rendered the page"
    );
    // Every one got the same page.
    assert!(replies.iter().all(|(_, html)| *html == replies[0].1));
    println!("{asked} requests at once for one page: {rendered} rendered it, the others were served it kept");
}
