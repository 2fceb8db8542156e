//! The logged-in user, read once per page render and shared by header and pages.
use crate::api::accounts::current_user;
use crate::domain::account::SessionUser;
use crate::domain::error::AppError;
use leptos::prelude::*;

#[derive(Clone, Copy)]
pub struct Auth {
    pub user: Resource<Result<Option<SessionUser>, AppError>>,
}

impl Auth {
    /// The user, once known (None while loading or when logged out).
    pub fn current(&self) -> Option<SessionUser> {
        self.user.get().and_then(|r| r.ok()).flatten()
    }
}

pub fn provide_auth() -> Auth {
    let auth = Auth {
        user: Resource::new(|| (), |_| current_user()),
    };
    provide_context(auth);
    auth
}

pub fn use_auth() -> Auth {
    use_context::<Auth>().unwrap_or_else(provide_auth)
}

/// The error of an action's last result, if it failed. Actions must be created inside
/// the page (under `<Routes>`), where the router hands them the error of a plain form post.
pub fn action_error<S>(action: ServerAction<S>) -> Signal<Option<AppError>>
where
    S: leptos::server_fn::ServerFn<Error = AppError> + Clone + Send + Sync + 'static,
    S::Output: Clone + Send + Sync + 'static,
{
    Signal::derive(move || action.value().get().and_then(|r| r.err()))
}
