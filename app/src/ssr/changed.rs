//! What a request changed, as the page cache (`server::page_cache`) needs to know it.
//!
//! By default any request that may change data drops every kept page. A server function
//! whose change touches one proposal only (a support, a follow, a comment) says so here,
//! and the cache drops only that proposal's pages and the lists, which show every
//! proposal's counts. The page cache reads the mark from the response and removes it.
use crate::domain::ids::ProposalId;
use leptos::prelude::use_context;

/// The response header that carries the mark (never sent to the browser).
pub const CHANGED_HEADER: &str = "x-stemme-changed";

/// Marks the response of the running server function: it changed proposal `id` and
/// nothing else any kept page shows.
pub fn only_proposal(id: ProposalId) {
    if let Some(res) = use_context::<leptos_axum::ResponseOptions>() {
        res.insert_header(
            http::HeaderName::from_static(CHANGED_HEADER),
            http::HeaderValue::from(id.0),
        );
    }
}

/// The proposal a response's mark names, if it has one.
pub fn marked_proposal(value: &http::HeaderValue) -> Option<ProposalId> {
    value
        .to_str()
        .ok()?
        .parse::<i64>()
        .ok()
        .filter(|i| *i > 0)
        .map(ProposalId)
}
