//! `GET /raad/{id}/kalender.ics`: a council's meetings as an iCalendar feed (RFC 5545),
//! to subscribe to from a phone's calendar.
use crate::domain::ids::CouncilId;
use crate::ssr::db::councils;
use crate::ssr::state::AppState;
use axum::extract::{Path, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, Utc};

/// Text as the feed may carry it: control characters other than line breaks dropped
/// (the `icalendar` crate escapes `\\ ; , \n` and folds the lines, RFC 5545 3.1, 3.3.11).
fn clean(text: &str) -> String {
    text.chars()
        .filter(|c| !c.is_control() || *c == '\n')
        .collect()
}

/// The feed's text. A meeting's UID is derived from its id, so a calendar that subscribed
/// updates the same event when the meeting moves.
pub fn ics(council: &str, meetings: &[(i64, DateTime<Utc>, String)], now: DateTime<Utc>) -> String {
    use icalendar::{Calendar, Component, EventLike};
    let mut calendar = Calendar::empty();
    calendar
        .append_property(("VERSION", "2.0"))
        .append_property(("PRODID", "-//Stemme//Raad og moeder//DA"))
        .append_property(("CALSCALE", "GREGORIAN"))
        .name(&clean(council));
    for (id, at, place) in meetings {
        let end = at
            .checked_add_signed(chrono::Duration::hours(2))
            .unwrap_or(*at);
        calendar.push(
            icalendar::Event::new()
                .uid(&format!("moede-{id}@stemme"))
                .timestamp(now)
                .starts(*at)
                .ends(end)
                .summary(&clean(&format!("{council}: møde")))
                .location(&clean(place))
                .description(&format!("Dagsorden og referat: /moeder/{id}"))
                .done(),
        );
    }
    calendar.done().to_string()
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
        let at = DateTime::from_timestamp(1_796_000_000, 0).unwrap_or_default();
        let place = format!("a,b;c\\d\ne\r{}", "æ".repeat(60));
        let feed = ics("Råd", &[(1, at, place)], at);
        assert!(feed.split("\r\n").all(|l| l.len() <= 75), "{feed}");
        let unfolded = feed.replace("\r\n ", "");
        assert!(
            unfolded.contains(&format!(
                "\r\nLOCATION:a\\,b\\;c\\\\d\\ne{}\r\n",
                "æ".repeat(60)
            )),
            "{unfolded}"
        );
        assert!(feed
            .split("\r\n")
            .all(|l| std::str::from_utf8(l.as_bytes()).is_ok()));
    }

    #[test]
    fn a_feed_has_one_event_per_meeting() {
        let at = DateTime::from_timestamp(1_796_000_000, 0).unwrap_or_default();
        let feed = ics("Ungerådet", &[(7, at, "Rådhuset, lokale 2".into())], at);
        assert!(feed.starts_with("BEGIN:VCALENDAR\r\n"));
        assert!(feed.contains("PRODID:-//Stemme//Raad og moeder//DA\r\n"));
        assert!(feed.contains("X-WR-CALNAME:Ungerådet\r\n"));
        assert!(feed.contains("DTSTART:20261130T005320Z\r\n"), "{feed}");
        assert!(feed.contains("DTEND:20261130T025320Z\r\n"), "{feed}");
        assert!(feed.contains("DTSTAMP:20261130T005320Z\r\n"), "{feed}");
        assert_eq!(
            feed,
            ics("Ungerådet", &[(7, at, "Rådhuset, lokale 2".into())], at),
            "the same meetings give the same feed (stable UIDs)"
        );
        assert!(feed.contains("UID:moede-7@stemme\r\n"));
        assert!(feed.contains("LOCATION:Rådhuset\\, lokale 2\r\n"));
        assert_eq!(feed.matches("BEGIN:VEVENT").count(), 1);
        assert!(feed.ends_with("END:VCALENDAR\r\n"));
    }
}
