//! The logged-in user and the actions that change it, shared by header and pages.
use crate::api::accounts::{current_user, DeleteAccount, Login, Logout, Signup};
use crate::domain::account::SessionUser;
use crate::domain::error::AppError;
use leptos::prelude::*;

#[derive(Clone, Copy)]
pub struct Auth {
    pub login: ServerAction<Login>,
    pub logout: ServerAction<Logout>,
    pub signup: ServerAction<Signup>,
    pub delete: ServerAction<DeleteAccount>,
    /// The current user; refetched whenever one of the actions above completes.
    pub user: Resource<Result<Option<SessionUser>, AppError>>,
}

impl Auth {
    /// The user, once known (None while loading or when logged out).
    pub fn current(&self) -> Option<SessionUser> {
        self.user.get().and_then(|r| r.ok()).flatten()
    }
}

pub fn provide_auth() -> Auth {
    let login = ServerAction::<Login>::new();
    let logout = ServerAction::<Logout>::new();
    let signup = ServerAction::<Signup>::new();
    let delete = ServerAction::<DeleteAccount>::new();
    let user = Resource::new(
        move || {
            (
                login.version().get(),
                logout.version().get(),
                signup.version().get(),
                delete.version().get(),
            )
        },
        |_| current_user(),
    );
    let auth = Auth {
        login,
        logout,
        signup,
        delete,
        user,
    };
    provide_context(auth);
    auth
}

pub fn use_auth() -> Auth {
    use_context::<Auth>().unwrap_or_else(provide_auth)
}

/// The error of an action's last result, if it failed.
pub fn action_error<S>(action: ServerAction<S>) -> Signal<Option<AppError>>
where
    S: leptos::server_fn::ServerFn<Error = AppError> + Clone + Send + Sync + 'static,
    S::Output: Clone + Send + Sync + 'static,
{
    Signal::derive(move || action.value().get().and_then(|r| r.err()))
}
