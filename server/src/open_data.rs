//! The open-data addresses (#22): Atom feeds and CSV/JSON exports of what the public pages
//! show. The handlers are `app::ssr::feeds` and `app::ssr::open_data`; every address is a
//! plain GET that needs no session and sets no cookie.
use app::ssr::state::AppState;
use app::ssr::{feeds, open_data};
use axum::routing::get;
use axum::Router;

/// Every feed and export address, as paths (for tests and the security suite).
pub const PATHS: &[&str] = &[
    "/forslag/feed.atom",
    "/forslag/svar.atom",
    "/forslag/{id}/feed.atom",
    "/raad/{id}/feed.atom",
    "/forslag/eksport.csv",
    "/forslag/eksport.json",
    "/hoeringer/eksport.csv",
    "/hoeringer/eksport.json",
    "/bliver-vi-hoert/{file}",
];

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/forslag/feed.atom", get(feeds::proposals_feed))
        .route("/forslag/svar.atom", get(feeds::answers_feed))
        .route("/forslag/{id}/feed.atom", get(feeds::proposal_feed))
        .route("/raad/{id}/feed.atom", get(feeds::council_feed))
        .route("/forslag/eksport.csv", get(open_data::proposals_csv))
        .route("/forslag/eksport.json", get(open_data::proposals_json))
        .route("/hoeringer/eksport.csv", get(open_data::hearings_csv))
        .route("/hoeringer/eksport.json", get(open_data::hearings_json))
        // `{year}.csv` and `{year}.json`: the handler reads the ending.
        .route("/bliver-vi-hoert/{file}", get(open_data::heard_export))
}
