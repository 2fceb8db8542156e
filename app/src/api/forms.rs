//! One-time form tokens for the forms that create something (see `ssr::once`).
use crate::domain::error::AppError;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use crate::ssr::{auth, once};

/// The endpoints whose forms carry a one-time token (`form_token`): a second post with
/// the same token creates nothing and gets the first result.
pub const ONE_TIME: &[&str] = &[
    "/api/proposals/save",
    "/api/proposals/comment",
    "/api/councils/suggest",
    "/api/councils/meeting/new",
    "/api/councils/item/add",
    "/api/answers/follow-up",
    "/api/answers/clarify",
    "/api/pool/apply",
    "/api/hearings/new",
    "/api/hearings/comment",
    "/api/hearings/input",
    "/api/live/open",
    "/api/live/item/add",
];

/// A new one-time token for a form on the page being rendered (logged-in people only:
/// every creating form needs a login). Signed for the session's account; costs no query
/// (the account is checked again when the form is sent).
#[server(prefix = "/api", endpoint = "form/token")]
pub async fn form_token() -> Result<String, AppError> {
    auth::respond(
        async {
            let me = auth::session_user_id()
                .await?
                .ok_or(AppError::Unauthenticated)?;
            let state = auth::state()?;
            once::issue(state.db.pool(), me).await
        }
        .await,
    )
}
