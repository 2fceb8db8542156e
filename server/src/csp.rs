//! The pages' Content-Security-Policy, set by the server around every render.
//!
//! A page's policy names its render's nonce (the hydration bootstrap is inline), so it can
//! only be written once the nonce exists. The render records its nonce in a slot this
//! layer put on the request ([`record_nonce`], called in the render's context), and the
//! layer writes the policy on the HTML response that comes back. The header does not
//! depend on a component inside the page reaching leptos's response options: it is set
//! here, for every page leptos renders — the 404 page and error pages included. Every
//! other response (JSON, CSV, static files, refusal pages) keeps the strict policy of the
//! outer layer, which runs nothing.
use axum::body::Body;
use axum::http::{header, HeaderValue, Request};
use axum::middleware::Next;
use axum::response::Response;
use std::sync::{Arc, OnceLock};

/// The nonce of the page rendered for this request, once it has one.
#[derive(Clone, Default)]
struct NonceSlot(Arc<OnceLock<String>>);

/// The page's policy: scripts only from this site or inline with this response's nonce,
/// wasm compilation allowed, no framing, forms post only here. Inline `style` attributes
/// stay allowed (chart bar widths). `form_targets` are the identity providers' origins:
/// a form whose answer redirects there (linking a login, logging out at the provider) is
/// held to `form-action` on every hop.
pub fn page_policy(nonce: &str, form_targets: &str) -> String {
    let sep = if form_targets.is_empty() { "" } else { " " };
    format!(
        "default-src 'self'; script-src 'self' 'nonce-{nonce}' 'wasm-unsafe-eval'; \
         style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; \
         form-action 'self'{sep}{form_targets}; frame-ancestors 'none'; base-uri 'none'; \
         object-src 'none'"
    )
}

/// The origins forms may lead to besides this site, as the policy lists them.
#[derive(Clone, Default)]
pub struct FormTargets(pub Arc<str>);

/// Records the nonce of the render running in the current reactive context (call it in
/// the additional context of `leptos_routes_with_context` and of the fallback).
pub fn record_nonce() {
    use leptos::prelude::use_context;
    let slot = use_context::<axum::http::request::Parts>()
        .and_then(|parts| parts.extensions.get::<NonceSlot>().cloned());
    if let (Some(slot), Some(nonce)) = (slot, leptos::nonce::use_nonce()) {
        // A second render for the same request (none today) keeps the first nonce.
        let _ = slot.0.set(nonce.to_string());
    }
}

/// The middleware: gives the request a nonce slot and the rendered page its policy.
pub async fn layer(
    axum::extract::State(targets): axum::extract::State<FormTargets>,
    mut req: Request<Body>,
    next: Next,
) -> Response {
    let slot = NonceSlot::default();
    req.extensions_mut().insert(slot.clone());
    let mut res = next.run(req).await;
    let html = res
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("text/html"));
    if let (true, Some(nonce)) = (html, slot.0.get()) {
        match HeaderValue::from_str(&page_policy(nonce, &targets.0)) {
            Ok(policy) => {
                res.headers_mut()
                    .insert(header::CONTENT_SECURITY_POLICY, policy);
            }
            Err(_) => tracing::error!("a page's nonce is not a header value"),
        }
    }
    res
}
