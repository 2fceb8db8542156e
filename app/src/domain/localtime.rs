//! Local time in Denmark (Europe/Copenhagen), shared by councils, the pool and the
//! figures: its own module, so those do not import each other for it.
use chrono::{DateTime, Utc};

/// Europe/Copenhagen offset from UTC, in hours, at `t` (EU rule: summer time from the last
/// Sunday of March 01:00 UTC to the last Sunday of October 01:00 UTC).
pub fn copenhagen_offset_hours(t: DateTime<Utc>) -> i64 {
    use chrono::Datelike;
    fn last_sunday(year: i32, month: u32) -> Option<DateTime<Utc>> {
        let first_next = if month == 12 {
            chrono::NaiveDate::from_ymd_opt(year + 1, 1, 1)?
        } else {
            chrono::NaiveDate::from_ymd_opt(year, month + 1, 1)?
        };
        let last = first_next.pred_opt()?;
        let back = last.weekday().num_days_from_sunday();
        let day = last - chrono::Duration::days(i64::from(back));
        Some(day.and_hms_opt(1, 0, 0)?.and_utc())
    }
    match (last_sunday(t.year(), 3), last_sunday(t.year(), 10)) {
        (Some(start), Some(end)) if t >= start && t < end => 2,
        _ => 1,
    }
}
