//! The pool's ledger as CSV (open data): one row per grant, return and correction.
use crate::ssr::db;
use crate::ssr::state::AppState;
use axum::extract::{Path, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};

/// One CSV field: quoted, quotes doubled, and a leading `=`, `+`, `-`, `@` (a formula in
/// a spreadsheet) defused with an apostrophe.
pub fn field(raw: &str) -> String {
    let text = if raw.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{raw}")
    } else {
        raw.to_owned()
    };
    format!("\"{}\"", text.replace('"', "\"\""))
}

pub fn csv(entries: &[db::pool::LedgerEntry]) -> String {
    let mut out = String::from(
        "tidspunkt_utc,type,ansoegning_id,titel,beloeb_oere,saldo_efter_oere,note\r\n",
    );
    for e in entries {
        out.push_str(&format!(
            "{},{},{},{},{},{},{}\r\n",
            e.at.format("%Y-%m-%dT%H:%M:%SZ"),
            e.kind,
            e.application.map(|a| a.to_string()).unwrap_or_default(),
            field(e.title.as_deref().unwrap_or("")),
            e.amount,
            e.balance,
            field(e.note.as_deref().unwrap_or("")),
        ));
    }
    out
}

pub async fn ledger_csv(State(state): State<AppState>, Path(year): Path<String>) -> Response {
    let Ok(year) = year.parse::<i32>() else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let pool = state.db.pool();
    let result = async {
        match db::pool::year(pool, Some(year)).await? {
            Some(y) => Ok(Some(db::pool::ledger(pool, y.id).await?)),
            None => Ok::<_, db::DbError>(None),
        }
    }
    .await;
    match result {
        Ok(Some(entries)) => (
            [
                (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_owned()),
                (
                    header::CONTENT_DISPOSITION,
                    format!("attachment; filename=\"puljen-{year}.csv\""),
                ),
            ],
            csv(&entries),
        )
            .into_response(),
        Ok(None) => StatusCode::NOT_FOUND.into_response(),
        Err(error) => {
            tracing::error!(%error, "pool ledger export failed");
            StatusCode::INTERNAL_SERVER_ERROR.into_response()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_are_quoted_and_formulas_defused() {
        assert_eq!(field("Koncert"), "\"Koncert\"");
        assert_eq!(field("Say \"hi\""), "\"Say \"\"hi\"\"\"");
        assert_eq!(field("=HYPERLINK(\"x\")"), "\"'=HYPERLINK(\"\"x\"\")\"");
        assert_eq!(field("-1+2"), "\"'-1+2\"");
    }
}
