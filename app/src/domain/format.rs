//! Formatting for people: dates in Europe/Copenhagen, Danish style, and HTML escaping.
//! Shared by the pages and the mails.
use chrono::{DateTime, Datelike, Timelike, Utc};

use crate::domain::council::copenhagen_time;

const MONTHS: [&str; 12] = [
    "januar",
    "februar",
    "marts",
    "april",
    "maj",
    "juni",
    "juli",
    "august",
    "september",
    "oktober",
    "november",
    "december",
];

/// "22. november 2026", in Copenhagen time.
pub fn date_da(t: DateTime<Utc>) -> String {
    let local = copenhagen_time(t);
    let month = MONTHS.get(local.month0() as usize).copied().unwrap_or("");
    format!("{}. {} {}", local.day(), month, local.year())
}

const MONTHS_EN: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// "22 November 2026", in Copenhagen time.
pub fn date_en(t: DateTime<Utc>) -> String {
    let local = copenhagen_time(t);
    let month = MONTHS_EN
        .get(local.month0() as usize)
        .copied()
        .unwrap_or("");
    format!("{} {} {}", local.day(), month, local.year())
}

/// "3. december 2026 kl. 17.00" / "3 December 2026 at 17:00", in Copenhagen time.
pub fn date_time(t: DateTime<Utc>, en: bool) -> String {
    let local = copenhagen_time(t);
    if en {
        format!(
            "{} at {:02}:{:02}",
            date_en(t),
            local.hour(),
            local.minute()
        )
    } else {
        format!(
            "{} kl. {:02}.{:02}",
            date_da(t),
            local.hour(),
            local.minute()
        )
    }
}

/// A date in the interface's language.
pub fn date(t: DateTime<Utc>, en: bool) -> String {
    if en {
        date_en(t)
    } else {
        date_da(t)
    }
}

/// The `datetime` attribute of a `<time>` element.
pub fn iso(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

/// Escapes text for HTML (mails, refusal pages, and `<title>`: leptos_meta 0.8 writes the
/// title into the document without escaping it).
pub fn escape_html(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn dates_are_in_copenhagen_time() {
        // 23:30 UTC on 31 Dec is already New Year in Copenhagen (UTC+1).
        let t = Utc
            .with_ymd_and_hms(2026, 12, 31, 23, 30, 0)
            .single()
            .unwrap_or_default();
        assert_eq!(date_da(t), "1. januar 2027");
        // 22:30 UTC on 30 June is 00:30 on 1 July in summer time (UTC+2).
        let t = Utc
            .with_ymd_and_hms(2026, 6, 30, 22, 30, 0)
            .single()
            .unwrap_or_default();
        assert_eq!(date_da(t), "1. juli 2026");
        let t = Utc
            .with_ymd_and_hms(2026, 11, 22, 12, 0, 0)
            .single()
            .unwrap_or_default();
        assert_eq!(date_da(t), "22. november 2026");
    }
}
