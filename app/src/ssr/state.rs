//! The state every request handler and server function can reach.
use super::db::Db;
use axum::extract::FromRef;
use leptos::config::LeptosOptions;

#[derive(Clone, Debug)]
pub struct AppState {
    pub leptos: LeptosOptions,
    pub db: Db,
    /// Set the `Secure` flag on cookies (behind HTTPS).
    pub cookie_secure: bool,
    /// The site's address as people reach it, for links in mails.
    pub public_url: String,
    /// Whether mail leaves the building (an SMTP server is configured); without one the
    /// coordinator's outbox page is where mail is read, tokens included.
    pub smtp_configured: bool,
    /// The identity providers people may log in with (OpenID Connect).
    pub oidc: std::sync::Arc<super::oidc::Oidc>,
    /// Password login for everyone; when false only the coordinator's (break-glass) account
    /// logs in with a password, and nobody signs up with one.
    pub password_login: bool,
    /// Live sessions' streams (one per session with listeners).
    pub live: std::sync::Arc<super::live_hub::LiveHub>,
}

impl FromRef<AppState> for LeptosOptions {
    fn from_ref(state: &AppState) -> Self {
        state.leptos.clone()
    }
}
