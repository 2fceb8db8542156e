//! The frame of a server function that decides something: the application state, the
//! caller, and one write transaction in which the decision and its audit entry are stored
//! together — both or neither.
//!
//! ```ignore
//! let frame = Frame::new(auth::require(&[RoleKind::Politiker]).await?)?;
//! let mut tx = frame.begin().await?;
//! db::proposals::step_tx(&mut tx, id, step, Some(frame.user.id), now).await?;
//! tx.audit(AuditAction::Answered, "proposal", Some(id.0), kind.as_str()).await?;
//! tx.commit().await?;
//! ```
use crate::domain::account::SessionUser;
use crate::domain::audit::AuditAction;
use crate::domain::error::AppError;
use crate::domain::ids::UserId;
use crate::ssr::db::{self, DbError};
use crate::ssr::state::AppState;
use sqlx::AnyPool;

/// The state and the caller of one server function.
pub struct Frame {
    pub state: AppState,
    pub user: SessionUser,
}

impl Frame {
    /// The frame for `user` (already authenticated by `auth::require…`).
    pub fn new(user: SessionUser) -> Result<Self, AppError> {
        Ok(Self {
            state: super::auth::state()?,
            user,
        })
    }

    pub fn pool(&self) -> &AnyPool {
        self.state.db.pool()
    }

    /// A write transaction whose audit entries are the caller's.
    pub async fn begin(&self) -> Result<Tx, DbError> {
        Ok(Tx {
            tx: db::write_tx(self.pool()).await?,
            actor: self.user.id,
        })
    }
}

/// A write transaction of one caller: the decision's statements run on it (it derefs to
/// the sqlx transaction), its audit entry is written on it, and [`Tx::commit`] stores both.
/// Dropped without a commit, neither is stored.
pub struct Tx {
    tx: sqlx::Transaction<'static, sqlx::Any>,
    actor: UserId,
}

impl std::ops::Deref for Tx {
    type Target = sqlx::Transaction<'static, sqlx::Any>;
    fn deref(&self) -> &Self::Target {
        &self.tx
    }
}

impl std::ops::DerefMut for Tx {
    fn deref_mut(&mut self) -> &mut Self::Target {
        &mut self.tx
    }
}

impl Tx {
    /// Writes the decision's audit entry in this transaction.
    pub async fn audit(
        &mut self,
        action: AuditAction,
        subject_kind: &str,
        subject_id: Option<i64>,
        details: &str,
    ) -> Result<(), DbError> {
        db::audit::record_tx(
            &mut self.tx,
            self.actor,
            action,
            subject_kind,
            subject_id,
            details,
        )
        .await
    }

    /// Like [`Tx::audit`], for a change that sets a value: a repeat of the newest identical
    /// entry writes nothing (see `db::audit::record_change_tx`).
    pub async fn audit_change(
        &mut self,
        action: AuditAction,
        subject_kind: &str,
        subject_id: Option<i64>,
        details: &str,
    ) -> Result<bool, DbError> {
        db::audit::record_change_tx(
            &mut self.tx,
            self.actor,
            action,
            subject_kind,
            subject_id,
            details,
        )
        .await
    }

    pub async fn commit(self) -> Result<(), DbError> {
        self.tx.commit().await?;
        Ok(())
    }
}
