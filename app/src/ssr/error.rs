//! Server-side errors: wrapped, logged once where they are turned into an [`AppError`].
use crate::domain::error::AppError;
use crate::ssr::db::DbError;

impl From<DbError> for AppError {
    fn from(error: DbError) -> Self {
        match error {
            DbError::Conflict(message) => AppError::Conflict(message),
            other => {
                tracing::error!(error = %other, "database error");
                AppError::Internal
            }
        }
    }
}

impl From<sqlx::Error> for AppError {
    fn from(error: sqlx::Error) -> Self {
        DbError::from(error).into()
    }
}
