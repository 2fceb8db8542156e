//! Local time in Denmark (Europe/Copenhagen), shared by councils, the pool and the
//! figures: its own module, so those do not import each other for it.
use chrono::{DateTime, NaiveDateTime, Utc};

/// `t` in Danish local time. The rules (summer time from the last Sunday of March to the
/// last Sunday of October, 01:00 UTC) come from the IANA time-zone database via chrono-tz,
/// built with only Europe/Copenhagen in it (see `.cargo/config.toml`).
pub fn copenhagen_time(t: DateTime<Utc>) -> DateTime<chrono_tz::Tz> {
    t.with_timezone(&chrono_tz::Europe::Copenhagen)
}

/// Europe/Copenhagen offset from UTC, in hours, at `t` (1 in winter, 2 in summer).
pub fn copenhagen_offset_hours(t: DateTime<Utc>) -> i64 {
    use chrono::Offset;
    i64::from(copenhagen_time(t).offset().fix().local_minus_utc()) / 3600
}

/// The instant a Danish wall-clock time denotes. In the autumn hour that happens twice the
/// earlier (summer-time) one is meant; a time in the skipped spring hour is read with the
/// winter offset (02.30 becomes 03.30 summer time).
pub fn from_copenhagen(local: NaiveDateTime) -> Option<DateTime<Utc>> {
    use chrono::TimeZone;
    let tz = chrono_tz::Europe::Copenhagen;
    tz.from_local_datetime(&local)
        .earliest()
        .or_else(|| {
            tz.from_local_datetime(&local.checked_add_signed(chrono::Duration::hours(1))?)
                .earliest()
        })
        .map(|t| t.with_timezone(&Utc))
}
