//! The teacher's (Lærer) tools: the school's pupils awaiting confirmation (`/skole`). The
//! confirmation itself is `admin::confirm_user`, which lets a teacher confirm only pupils
//! of their own school (`domain::teacher::may_confirm`).
use crate::domain::error::AppError;
use crate::domain::ids::UserId;
use crate::domain::teacher::PendingPupils;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use crate::{
    domain::account::RoleKind,
    domain::teacher::{teacher_school, PUPILS_PER_PAGE},
    ssr::{auth, db},
};

/// The caller's school and a page of its pupils awaiting confirmation, newest first, before
/// pupil `before`. Teachers only.
#[server(prefix = "/api", endpoint = "school/pupils")]
pub async fn school_pupils(before: Option<UserId>) -> Result<PendingPupils, AppError> {
    auth::respond(
        async {
            let me = auth::require(&[RoleKind::Laerer]).await?;
            let school = teacher_school(&me).ok_or(AppError::Forbidden)?;
            let state = auth::state()?;
            db::teachers::pending_pupils(state.db.pool(), school, before, PUPILS_PER_PAGE)
                .await?
                .ok_or(AppError::NotFound)
        }
        .await,
    )
}
