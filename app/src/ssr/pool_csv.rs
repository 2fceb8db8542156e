//! The pool's ledger as CSV (open data): one row per grant, return and correction.
//! Written like every open-data CSV (`ssr::table`: BOM, RFC 4180 quoting, CRLF line ends,
//! formulas defused).
use crate::ssr::db;
use crate::ssr::state::AppState;
use crate::ssr::table::{csv_text, defuse, CsvError};
use axum::extract::{Path, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use std::borrow::Cow;

const HEADER: [&str; 7] = [
    "tidspunkt_utc",
    "type",
    "ansoegning_id",
    "titel",
    "beloeb_oere",
    "saldo_efter_oere",
    "note",
];

/// The ledger's CSV text: a header row, then one row per entry, oldest first.
pub fn csv(entries: &[db::pool::LedgerEntry]) -> Result<String, CsvError> {
    csv_text(
        &HEADER,
        entries.iter().map(|e| {
            vec![
                Cow::Owned(e.at.format("%Y-%m-%dT%H:%M:%SZ").to_string()),
                Cow::Borrowed(e.kind.as_str()),
                Cow::Owned(e.application.map(|a| a.to_string()).unwrap_or_default()),
                defuse(e.title.as_deref().unwrap_or("")),
                Cow::Owned(e.amount.to_string()),
                Cow::Owned(e.balance.to_string()),
                defuse(e.note.as_deref().unwrap_or("")),
            ]
        }),
    )
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
    match result.map(|entries| entries.map(|e| csv(&e))) {
        Ok(Some(Ok(text))) => (
            [
                (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_owned()),
                (
                    header::CONTENT_DISPOSITION,
                    format!("attachment; filename=\"puljen-{year}.csv\""),
                ),
            ],
            text,
        )
            .into_response(),
        Ok(None) => StatusCode::NOT_FOUND.into_response(),
        Ok(Some(Err(error))) => {
            tracing::error!(%error, "pool ledger CSV failed");
            StatusCode::INTERNAL_SERVER_ERROR.into_response()
        }
        Err(error) => {
            tracing::error!(%error, "pool ledger export failed");
            StatusCode::INTERNAL_SERVER_ERROR.into_response()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn the_ledger_is_quoted_csv_that_reads_back() {
        let at = chrono::Utc
            .with_ymd_and_hms(2092, 5, 1, 12, 0, 0)
            .single()
            .unwrap_or_default();
        let entry = |kind: &str, title: Option<&str>, note: Option<&str>| db::pool::LedgerEntry {
            at,
            kind: kind.into(),
            application: title.map(|_| 7),
            title: title.map(Into::into),
            amount: -60_000,
            balance: 400_000,
            note: note.map(Into::into),
        };
        let text = csv(&[
            entry("grant", Some("Say \"hi\", all"), Some("=cmd|' /C calc'!A0")),
            entry("correction", None, Some("æble\nlinje 2")),
        ])
        .unwrap_or_default();
        assert!(
            text.starts_with("\u{feff}tidspunkt_utc,type,ansoegning_id,"),
            "{text}"
        );
        assert!(
            text.contains(
                "2092-05-01T12:00:00Z,grant,7,\"Say \"\"hi\"\", all\",-60000,400000,'=cmd"
            ),
            "{text}"
        );
        assert!(text.ends_with("\r\n"));
        let rows: Vec<csv::StringRecord> = csv::Reader::from_reader(text.as_bytes())
            .records()
            .filter_map(Result::ok)
            .collect();
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[0].get(3), Some("Say \"hi\", all"));
        assert_eq!(rows[0].get(6), Some("'=cmd|' /C calc'!A0"));
        assert_eq!(rows[1].get(2), Some(""));
        assert_eq!(rows[1].get(6), Some("æble\nlinje 2"));
    }
}
