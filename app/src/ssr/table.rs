//! Open data as tables: one set of rows written as CSV and as JSON, so the two downloads
//! always say the same. The CSV is UTF-8 with a byte-order mark (a spreadsheet then opens
//! "æøå" as they are), comma-separated with RFC 4180 quoting and CRLF line ends (the `csv`
//! crate), and every text cell is defused against formula injection ([`defuse`], the one
//! place that rule lives: the pool's ledger uses it too).
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, Utc};
use std::borrow::Cow;

/// The UTF-8 byte-order mark every CSV starts with.
pub const BOM: &str = "\u{feff}";

/// A text cell that a spreadsheet would read as a formula (a leading `=`, `+`, `-`, `@`,
/// tab or carriage return) gets a leading apostrophe, so it stays text.
pub fn defuse(raw: &str) -> Cow<'_, str> {
    if raw.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        Cow::Owned(format!("'{raw}"))
    } else {
        Cow::Borrowed(raw)
    }
}

#[derive(Debug, thiserror::Error)]
pub enum CsvError {
    #[error(transparent)]
    Csv(#[from] csv::Error),
    #[error(transparent)]
    Flush(#[from] std::io::Error),
    #[error(transparent)]
    Utf8(#[from] std::string::FromUtf8Error),
}

/// Writes `header` and `rows` as CSV text, starting with the [`BOM`]. The cells are written
/// as given: defuse text cells first (or use [`Table`], which does).
pub fn csv_text<'a, R>(header: &[&str], rows: R) -> Result<String, CsvError>
where
    R: IntoIterator<Item = Vec<Cow<'a, str>>>,
{
    let mut out = csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .from_writer(BOM.as_bytes().to_vec());
    out.write_record(header)?;
    for row in rows {
        out.write_record(row.iter().map(|cell| cell.as_bytes()))?;
    }
    let bytes = out.into_inner().map_err(|e| e.into_error())?;
    Ok(String::from_utf8(bytes)?)
}

/// One cell of a [`Table`].
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    /// Text as people typed it (defused in the CSV, as is in the JSON).
    Text(Option<String>),
    /// A whole number.
    Int(Option<i64>),
    /// A point in time, written in Danish time with its offset
    /// (`2026-03-01T13:00:00+01:00`).
    Time(Option<DateTime<Utc>>),
}

impl Cell {
    pub fn text(s: impl Into<String>) -> Self {
        Self::Text(Some(s.into()))
    }

    fn csv(&self) -> Cow<'_, str> {
        match self {
            Self::Text(t) => defuse(t.as_deref().unwrap_or("")),
            Self::Int(n) => Cow::Owned(n.map(|n| n.to_string()).unwrap_or_default()),
            Self::Time(t) => Cow::Owned(t.map(local_time).unwrap_or_default()),
        }
    }

    fn json(&self) -> serde_json::Value {
        use serde_json::Value;
        match self {
            Self::Text(t) => t.clone().map(Value::String).unwrap_or(Value::Null),
            Self::Int(n) => n.map(Value::from).unwrap_or(Value::Null),
            Self::Time(t) => t
                .map(|t| Value::String(local_time(t)))
                .unwrap_or(Value::Null),
        }
    }
}

/// `t` in Danish time, ISO 8601 with the offset (unambiguous in summer and winter).
pub fn local_time(t: DateTime<Utc>) -> String {
    crate::domain::localtime::copenhagen_time(t)
        .format("%Y-%m-%dT%H:%M:%S%:z")
        .to_string()
}

/// Rows under named columns.
#[derive(Debug, Clone)]
pub struct Table {
    pub columns: &'static [&'static str],
    pub rows: Vec<Vec<Cell>>,
}

impl Table {
    /// The table as CSV (see the module's text).
    pub fn csv(&self) -> Result<String, CsvError> {
        csv_text(
            self.columns,
            self.rows
                .iter()
                .map(|row| row.iter().map(Cell::csv).collect()),
        )
    }

    /// The rows as JSON objects keyed by column.
    pub fn json_rows(&self) -> serde_json::Value {
        serde_json::Value::Array(
            self.rows
                .iter()
                .map(|row| {
                    serde_json::Value::Object(
                        self.columns
                            .iter()
                            .zip(row)
                            .map(|(c, v)| ((*c).to_owned(), v.json()))
                            .collect(),
                    )
                })
                .collect(),
        )
    }
}

/// A CSV download named `filename`, or a 500 when it could not be written.
pub fn csv_response(text: Result<String, CsvError>, filename: &str) -> Response {
    match text {
        Ok(text) => (
            [
                (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_owned()),
                (
                    header::CONTENT_DISPOSITION,
                    format!("attachment; filename=\"{filename}\""),
                ),
                (header::CACHE_CONTROL, "public, max-age=300".to_owned()),
            ],
            text,
        )
            .into_response(),
        Err(error) => {
            tracing::error!(%error, "CSV export failed");
            StatusCode::INTERNAL_SERVER_ERROR.into_response()
        }
    }
}

/// A JSON download named `filename`.
pub fn json_response(value: &serde_json::Value, filename: &str) -> Response {
    match serde_json::to_string_pretty(value) {
        Ok(text) => (
            [
                (header::CONTENT_TYPE, "application/json".to_owned()),
                (
                    header::CONTENT_DISPOSITION,
                    format!("attachment; filename=\"{filename}\""),
                ),
                (header::CACHE_CONTROL, "public, max-age=300".to_owned()),
            ],
            text,
        )
            .into_response(),
        Err(error) => {
            tracing::error!(%error, "JSON export failed");
            StatusCode::INTERNAL_SERVER_ERROR.into_response()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn formulas_are_defused() {
        assert_eq!(defuse("Koncert"), "Koncert");
        assert_eq!(defuse("=HYPERLINK(\"x\")"), "'=HYPERLINK(\"x\")");
        assert_eq!(defuse("-1+2"), "'-1+2");
        assert_eq!(defuse("+45"), "'+45");
        assert_eq!(defuse("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(defuse("\tx"), "'\tx");
        assert_eq!(defuse("\rx"), "'\rx");
        assert_eq!(defuse("a=b"), "a=b");
        assert_eq!(defuse(""), "");
    }

    #[test]
    fn a_table_is_the_same_in_csv_and_json() {
        let winter = Utc.with_ymd_and_hms(2026, 1, 5, 12, 0, 0).single();
        let summer = Utc.with_ymd_and_hms(2026, 7, 5, 12, 0, 0).single();
        let table = Table {
            columns: &["id", "titel", "tidspunkt"],
            rows: vec![
                vec![Cell::Int(Some(-3)), Cell::text("=1+1"), Cell::Time(winter)],
                vec![
                    Cell::Int(None),
                    Cell::text("æble, \"pære\""),
                    Cell::Time(summer),
                ],
                vec![Cell::Int(Some(7)), Cell::Text(None), Cell::Time(None)],
            ],
        };
        let text = table.csv().unwrap_or_default();
        assert!(text.starts_with("\u{feff}id,titel,tidspunkt\r\n"), "{text}");
        assert!(
            text.contains("\r\n-3,'=1+1,2026-01-05T13:00:00+01:00\r\n"),
            "numbers are not defused, text is: {text}"
        );
        assert!(
            text.contains("\r\n,\"æble, \"\"pære\"\"\",2026-07-05T14:00:00+02:00\r\n"),
            "{text}"
        );
        assert!(text.ends_with("\r\n7,,\r\n"), "{text}");
        let json = table.json_rows();
        assert_eq!(json[0]["id"], -3);
        assert_eq!(json[0]["titel"], "=1+1", "JSON keeps the text as typed");
        assert_eq!(json[1]["tidspunkt"], "2026-07-05T14:00:00+02:00");
        assert!(json[2]["titel"].is_null() && json[1]["id"].is_null());
    }
}
