//! `GET /raad/{id}/kalender.ics`: a council's meetings as an iCalendar feed (RFC 5545),
//! to subscribe to from a phone's calendar.
use crate::domain::ids::CouncilId;
use crate::ssr::db::councils;
use crate::ssr::state::AppState;
use axum::extract::{Path, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, Utc};

/// Escapes TEXT values (RFC 5545 3.3.11).
fn escape(text: &str) -> String {
    text.chars()
        .filter(|c| !c.is_control() || *c == '\n')
        .flat_map(|c| match c {
            '\\' => vec!['\\', '\\'],
            ';' => vec!['\\', ';'],
            ',' => vec!['\\', ','],
            '\n' => vec!['\\', 'n'],
            c => vec![c],
        })
        .collect()
}

/// Folds a content line at 75 octets, on character boundaries (RFC 5545 3.1).
fn fold(line: &str) -> String {
    let mut out = String::with_capacity(line.len() + 8);
    let mut width = 0;
    for c in line.chars() {
        let n = c.len_utf8();
        if width + n > 75 {
            out.push_str("\r\n ");
            width = 1;
        }
        out.push(c);
        width += n;
    }
    out.push_str("\r\n");
    out
}

fn stamp(t: DateTime<Utc>) -> String {
    t.format("%Y%m%dT%H%M%SZ").to_string()
}

/// The feed's text.
pub fn ics(council: &str, meetings: &[(i64, DateTime<Utc>, String)], now: DateTime<Utc>) -> String {
    let mut out = String::new();
    for line in [
        "BEGIN:VCALENDAR".to_owned(),
        "VERSION:2.0".to_owned(),
        "PRODID:-//Stemme//Raad og moeder//DA".to_owned(),
        "CALSCALE:GREGORIAN".to_owned(),
        format!("X-WR-CALNAME:{}", escape(council)),
    ] {
        out.push_str(&fold(&line));
    }
    for (id, at, place) in meetings {
        for line in [
            "BEGIN:VEVENT".to_owned(),
            format!("UID:moede-{id}@stemme"),
            format!("DTSTAMP:{}", stamp(now)),
            format!("DTSTART:{}", stamp(*at)),
            format!(
                "DTEND:{}",
                stamp(
                    at.checked_add_signed(chrono::Duration::hours(2))
                        .unwrap_or(*at)
                )
            ),
            format!("SUMMARY:{}", escape(&format!("{council}: møde"))),
            format!("LOCATION:{}", escape(place)),
            format!(
                "DESCRIPTION:{}",
                escape(&format!("Dagsorden og referat: /moeder/{id}"))
            ),
            "END:VEVENT".to_owned(),
        ] {
            out.push_str(&fold(&line));
        }
    }
    out.push_str(&fold("END:VCALENDAR"));
    out
}

pub async fn council_calendar(State(state): State<AppState>, Path(id): Path<String>) -> Response {
    let Ok(id) = id.parse::<i64>() else {
        return StatusCode::NOT_FOUND.into_response();
    };
    match councils::council_view(state.db.pool(), CouncilId(id), Utc::now()).await {
        Ok(Some(view)) => {
            let meetings: Vec<(i64, DateTime<Utc>, String)> = view
                .upcoming
                .iter()
                .chain(view.past.iter())
                .map(|m| (m.id.0, m.starts_at, m.place.clone()))
                .collect();
            (
                [
                    (header::CONTENT_TYPE, "text/calendar; charset=utf-8"),
                    (header::CACHE_CONTROL, "public, max-age=300"),
                ],
                ics(&view.name, &meetings, Utc::now()),
            )
                .into_response()
        }
        Ok(None) => StatusCode::NOT_FOUND.into_response(),
        Err(error) => {
            tracing::error!(%error, "calendar feed failed");
            StatusCode::INTERNAL_SERVER_ERROR.into_response()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_and_folds() {
        assert_eq!(escape("a,b;c\\d\ne"), "a\\,b\\;c\\\\d\\ne");
        let long = format!("LOCATION:{}", "æ".repeat(60));
        let folded = fold(&long);
        assert!(folded.split("\r\n").all(|l| l.len() <= 75));
        assert_eq!(folded.replace("\r\n ", ""), format!("{long}\r\n"));
    }

    #[test]
    fn a_feed_has_one_event_per_meeting() {
        let at = DateTime::from_timestamp(1_796_000_000, 0).unwrap_or_default();
        let feed = ics("Ungerådet", &[(7, at, "Rådhuset, lokale 2".into())], at);
        assert!(feed.starts_with("BEGIN:VCALENDAR\r\n"));
        assert!(feed.contains("UID:moede-7@stemme\r\n"));
        assert!(feed.contains("LOCATION:Rådhuset\\, lokale 2\r\n"));
        assert_eq!(feed.matches("BEGIN:VEVENT").count(), 1);
        assert!(feed.ends_with("END:VCALENDAR\r\n"));
    }
}
