//! The caller's notifications (the bell).
use crate::domain::error::AppError;
use crate::domain::ids::NotificationId;
use crate::domain::notification::NotificationPage;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use crate::{
    domain::notification::PER_PAGE,
    ssr::{auth, db},
};

/// A page of the caller's notifications, newest first.
#[server(prefix = "/api", endpoint = "notifications")]
pub async fn list_notifications(
    before: Option<NotificationId>,
) -> Result<NotificationPage, AppError> {
    auth::respond(
        async {
            let me = auth::require_user().await?;
            let state = auth::state()?;
            Ok(db::notifications::list(state.db.pool(), me.id, before, PER_PAGE).await?)
        }
        .await,
    )
}

/// Marks one notification (`id`) or all of them (no id) as read.
#[server(prefix = "/api", endpoint = "notifications/read")]
pub async fn mark_read(id: Option<String>) -> Result<(), AppError> {
    auth::respond(
        async {
            let me = auth::require_user().await?;
            let id = match id.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
                None => None,
                Some(s) => Some(NotificationId(
                    s.parse().map_err(|_| AppError::not_a_number("id"))?,
                )),
            };
            let state = auth::state()?;
            db::notifications::mark_read(state.db.pool(), me.id, id).await?;
            Ok(())
        }
        .await,
    )
}
