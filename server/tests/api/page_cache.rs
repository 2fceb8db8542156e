//! The page cache is never stale after a change made through the server. Every POST drops
//! it except the read-only server functions in `server::page_cache::CHANGES_NO_PAGE`; this
//! suite calls each of those as every role allowed to (in the authorization matrix's world,
//! after the rows before it, so e.g. a vote is open when a ballot is cast) and checks that
//! every cached page is still exactly what a fresh render shows. A state-changing endpoint
//! put on that list, or one whose change shows on a cached page, fails here.
use crate::authz::MATRIX;
use crate::common::{app_isolated as app, TestApp};
use crate::security::{registered_endpoints, World};
use axum::body::Body;
use axum::http::Request;
use axum::Router;
use server::page_cache::{CACHE_HEADER, CHANGES_NO_PAGE, PAGES};
use std::time::Duration;

/// An anonymous GET of `uri` through `router`: was it served from the cache, and the body
/// with this response's nonce taken out (two renders differ in nothing else).
async fn page(router: &Router, uri: &str) -> (bool, String) {
    let req = Request::get(uri).body(Body::empty()).expect("request");
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
    (hit, body.replace(&nonce, ""))
}

#[tokio::test]
async fn no_post_the_cache_lets_through_changes_a_cached_page() {
    let mut app: TestApp = app().await;
    let world = World::new(&app).await;
    // Pages stay for an hour, so only a drop can make the next request render anew.
    app.router = app.router_with_page_cache(Duration::from_secs(3600));
    let fresh = app.router_with_page_cache(Duration::ZERO);

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
        let exempt = CHANGES_NO_PAGE.contains(&r.path);
        for role in r.allowed {
            if exempt {
                for uri in PAGES {
                    page(&app.router, uri).await;
                    let (hit, _) = page(&app.router, uri).await;
                    assert!(hit, "GET {uri} was not kept in the cache");
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
            for uri in PAGES {
                let (hit, cached) = page(&app.router, uri).await;
                if !hit {
                    continue;
                }
                let (_, now) = page(&fresh, uri).await;
                if cached != now {
                    problems.push(format!(
                        "{} as {role} (status {}): the cached {uri} no longer shows what a \
                         render shows",
                        r.path, reply.status
                    ));
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
