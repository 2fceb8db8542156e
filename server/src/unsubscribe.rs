//! `POST /afmeld?token=…`: one-click unsubscribe (RFC 8058). A mail provider posts the
//! body `List-Unsubscribe=One-Click` to the address in the mail's `List-Unsubscribe`
//! header, with no cookie and from no page of ours: the token is the whole credential,
//! and it names one person and one kind of mail. (A person clicking the link gets the
//! page `/afmeld`, which changes nothing until its button is pressed.)
use app::ssr::state::AppState;
use axum::body::Bytes;
use axum::extract::{Query, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use std::collections::HashMap;

/// The path, for the router and the CSRF exemption.
pub const PATH: &str = "/afmeld";

/// The form field RFC 8058 requires.
const ONE_CLICK: &str = "List-Unsubscribe=One-Click";

/// The handler: 200 with a short text when the kind of mail is off (also when it already
/// was), 404 for a token that unsubscribes nothing, 400 for a post that is not a one-click
/// unsubscribe.
pub async fn one_click(
    State(state): State<AppState>,
    Query(query): Query<HashMap<String, String>>,
    body: Bytes,
) -> Response {
    let one_click = std::str::from_utf8(&body)
        .map(|b| b.split('&').any(|field| field.trim() == ONE_CLICK))
        .unwrap_or(false);
    let Some(token) = query.get("token").filter(|_| one_click) else {
        return text(
            StatusCode::BAD_REQUEST,
            "Forventede List-Unsubscribe=One-Click og et token. / Expected List-Unsubscribe=One-Click and a token.",
        );
    };
    let done = async {
        let mut tx = app::ssr::db::write_tx(state.db.pool()).await?;
        let done =
            app::ssr::db::mail::unsubscribe_tx(&mut tx, token.trim(), chrono::Utc::now()).await?;
        tx.commit().await?;
        Ok::<_, app::ssr::db::DbError>(done)
    }
    .await;
    match done {
        Ok(Some((user, category))) => {
            tracing::info!(
                user_id = user.0,
                category = category.as_str(),
                "unsubscribed by one click"
            );
            text(StatusCode::OK, "Du er afmeldt. / You are unsubscribed.")
        }
        Ok(None) => text(
            StatusCode::NOT_FOUND,
            "Linket virker ikke. / The link does not work.",
        ),
        Err(error) => {
            tracing::error!(%error, "one-click unsubscribe failed");
            text(
                StatusCode::INTERNAL_SERVER_ERROR,
                "Noget gik galt. Prøv igen om lidt. / Something went wrong. Try again later.",
            )
        }
    }
}

fn text(status: StatusCode, body: &'static str) -> Response {
    (
        status,
        [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
        body,
    )
        .into_response()
}
