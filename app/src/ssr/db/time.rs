//! Time as stored: integer microseconds since the Unix epoch, UTC.
use chrono::{DateTime, Utc};

pub fn now_micros() -> i64 {
    Utc::now().timestamp_micros()
}

pub fn to_datetime(micros: i64) -> DateTime<Utc> {
    DateTime::from_timestamp_micros(micros).unwrap_or_default()
}

/// Today's date in Copenhagen as stored in term columns (YYYY-MM-DD).
pub fn today() -> String {
    crate::domain::setup::copenhagen_date(Utc::now())
        .format("%Y-%m-%d")
        .to_string()
}
