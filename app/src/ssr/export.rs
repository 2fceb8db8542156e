//! `GET /konto/mine-data.json`: everything stored about the logged-in user, as a download:
//! the account and one section per kind of record (`db::users::USER_DATA`).
use crate::domain::error::AppError;
use crate::domain::ids::UserId;
use crate::ssr::db::{sessions::USER_ID_KEY, users};
use crate::ssr::state::AppState;
use axum::extract::State;
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use tower_sessions::Session;

pub async fn my_data_json(State(state): State<AppState>, session: Session) -> Response {
    let id: Option<i64> = session.get(USER_ID_KEY).await.ok().flatten();
    let Some(id) = id else {
        return (StatusCode::UNAUTHORIZED, Json(AppError::Unauthenticated)).into_response();
    };
    match users::my_data_export(state.db.pool(), UserId(id)).await {
        Ok(Some(data)) => (
            [
                (
                    header::CONTENT_DISPOSITION,
                    "attachment; filename=\"stemme-mine-data.json\"",
                ),
                (header::CACHE_CONTROL, "no-store"),
            ],
            Json(data),
        )
            .into_response(),
        Ok(None) => (StatusCode::UNAUTHORIZED, Json(AppError::Unauthenticated)).into_response(),
        Err(error) => {
            tracing::error!(%error, "my data export failed");
            (StatusCode::INTERNAL_SERVER_ERROR, Json(AppError::Internal)).into_response()
        }
    }
}
