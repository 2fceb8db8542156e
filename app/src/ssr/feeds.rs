//! Atom feeds (RFC 4287), written with `atom_syndication`, of what the public pages show:
//! `GET /forslag/feed.atom` (new proposals), `GET /forslag/svar.atom` (politicians'
//! answers), `GET /raad/{id}/feed.atom` (a council's meetings, closed votes and minutes) and
//! `GET /forslag/{id}/feed.atom` (a public proposal's timeline; 404 for one that is not
//! public). The data is `db::feeds`; entries are newest first, at most 50, each with a
//! stable id (an absolute URL on the site), `updated` from the event's time and a link to
//! its page. No person is named: the feed's author is the site.
use crate::domain::council::{outcome, MeetingStatus};
use crate::domain::ids::{CouncilId, ProposalId};
use crate::domain::lang::locale;
use crate::domain::proposal::{CouncilDecision, TimelineEntry, TimelineEvent};
use crate::i18n::td_string;
use crate::ssr::db::feeds::{self, CouncilEntry, CouncilEvent};
use crate::ssr::state::AppState;
use atom_syndication::{Category, Entry, Feed, Generator, Link, Person, Text};
use axum::extract::{Path, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, Utc};

/// The media type of an Atom feed (also what pages name in `<link rel="alternate">`).
pub const ATOM: &str = "application/atom+xml";

/// Longest summary, in characters (the page has the rest).
const SUMMARY_CHARS: usize = 600;

/// Text as XML 1.0 may carry it: control characters other than tab and line breaks
/// dropped (the writer escapes `<`, `&` and quotes).
fn clean(text: &str) -> String {
    text.chars()
        .filter(|c| !c.is_control() || matches!(c, '\n' | '\t'))
        .collect()
}

/// `text` cut to [`SUMMARY_CHARS`] at a character boundary, with an ellipsis when cut.
fn summary(text: &str) -> String {
    let text = clean(text.trim());
    match text.char_indices().nth(SUMMARY_CHARS) {
        Some((cut, _)) => format!("{}…", text[..cut].trim_end()),
        None => text,
    }
}

/// One entry, as the feeds make them.
#[derive(Debug, Clone, PartialEq)]
pub struct Item {
    /// A stable, absolute URL naming the event.
    pub id: String,
    pub title: String,
    /// The page the event is shown on (absolute).
    pub link: String,
    pub updated: DateTime<Utc>,
    pub summary: Option<String>,
    pub category: Option<String>,
}

/// What a feed is about: its title, its own address and its page's (both absolute).
#[derive(Debug, Clone)]
pub struct About {
    pub title: String,
    pub subtitle: Option<String>,
    pub self_url: String,
    pub page_url: String,
}

/// The feed's XML. Its `updated` is the newest entry's, or `now` for an empty feed.
pub fn atom(
    about: &About,
    items: &[Item],
    now: DateTime<Utc>,
) -> Result<String, atom_syndication::Error> {
    let link = |href: &str, rel: &str, mime: Option<&str>| Link {
        href: href.to_owned(),
        rel: rel.to_owned(),
        mime_type: mime.map(str::to_owned),
        ..Link::default()
    };
    let entries = items
        .iter()
        .map(|i| Entry {
            title: Text::plain(clean(&i.title)),
            id: i.id.clone(),
            updated: i.updated.fixed_offset(),
            links: vec![link(&i.link, "alternate", Some("text/html"))],
            summary: i.summary.as_deref().map(|s| Text::plain(summary(s))),
            categories: i
                .category
                .iter()
                .map(|c| Category {
                    term: clean(c),
                    ..Category::default()
                })
                .collect(),
            ..Entry::default()
        })
        .collect();
    let feed = Feed {
        title: Text::plain(clean(&about.title)),
        subtitle: about.subtitle.as_deref().map(|s| Text::plain(clean(s))),
        id: about.self_url.clone(),
        updated: items
            .iter()
            .map(|i| i.updated)
            .max()
            .unwrap_or(now)
            .fixed_offset(),
        authors: vec![Person {
            name: "Stemme".into(),
            ..Person::default()
        }],
        generator: Some(Generator {
            value: "Stemme".into(),
            ..Generator::default()
        }),
        links: vec![
            link(&about.self_url, "self", Some(ATOM)),
            link(&about.page_url, "alternate", Some("text/html")),
        ],
        lang: Some("da".into()),
        entries,
        ..Feed::default()
    };
    let bytes = feed.write_to(Vec::new())?;
    Ok(String::from_utf8_lossy(&bytes).into_owned())
}

fn da() -> crate::i18n::Locale {
    locale(false)
}

/// A date and time in Danish time as the pages write it (`5.3.2026 kl. 17.00`).
fn when(t: DateTime<Utc>) -> String {
    crate::domain::localtime::copenhagen_time(t)
        .format("%-d.%-m.%Y kl. %H.%M")
        .to_string()
}

fn tally_text(yes: i64, no: i64, abstain: i64) -> String {
    let l = da();
    format!(
        "{yes} {}, {no} {}, {abstain} {}",
        td_string!(l, vote_for),
        td_string!(l, vote_against),
        td_string!(l, vote_abstain)
    )
}

/// The new-proposals feed's entries.
pub fn proposal_items(rows: &[feeds::NewProposal], base: &str) -> Vec<Item> {
    rows.iter()
        .map(|p| Item {
            id: format!("{base}/forslag/{}", p.id.0),
            title: p.title.clone(),
            link: format!("{base}/forslag/{}", p.id.0),
            updated: p.submitted_at,
            summary: Some(format!("Til {}. {}", p.council, p.body)),
            category: Some(p.theme.label(false).to_owned()),
        })
        .collect()
}

/// The answers feed's entries: "Ja: <title>".
pub fn answer_items(rows: &[feeds::AnswerItem], base: &str) -> Vec<Item> {
    rows.iter()
        .map(|a| Item {
            id: format!("{base}/forslag/{}#svar", a.id.0),
            title: format!("{}: {}", a.answer.label(false), a.title),
            link: format!("{base}/forslag/{}#svaret", a.id.0),
            updated: a.answered_at,
            summary: Some(match &a.text {
                Some(text) => format!("Svar fra {}: {text}", a.committee),
                None => format!("Svar fra {}.", a.committee),
            }),
            category: Some(a.answer.label(false).to_owned()),
        })
        .collect()
}

/// A council's feed entries.
pub fn council_items(rows: &[CouncilEntry], base: &str) -> Vec<Item> {
    let l = da();
    rows.iter()
        .map(|e| {
            let meeting = format!("{base}/moeder/{}", e.meeting.0);
            let at = format!("{} ({})", when(e.starts_at), e.place);
            let item = e.item.unwrap_or(0);
            match &e.event {
                CouncilEvent::MeetingPlanned => Item {
                    id: format!("{meeting}#planlagt"),
                    title: format!("Møde planlagt: {at}"),
                    link: meeting,
                    updated: e.at,
                    summary: None,
                    category: Some(MeetingStatus::Planned.label(false).to_owned()),
                },
                CouncilEvent::MeetingHeld => Item {
                    id: format!("{meeting}#afholdt"),
                    title: format!("Møde afholdt: {at}"),
                    link: meeting,
                    updated: e.at,
                    summary: None,
                    category: Some(MeetingStatus::Held.label(false).to_owned()),
                },
                CouncilEvent::VoteClosed {
                    item: title,
                    tally,
                    members,
                } => Item {
                    id: format!("{meeting}#afstemning-{item}"),
                    title: format!(
                        "{}: {title} — {}",
                        td_string!(l, timeline_vote),
                        outcome(*tally, *members).label(false)
                    ),
                    link: format!("{meeting}#punkt-{item}"),
                    updated: e.at,
                    summary: Some(format!(
                        "{}. Mødet {at}.",
                        tally_text(tally.yes, tally.no, tally.abstain)
                    )),
                    category: Some(td_string!(l, timeline_vote).to_owned()),
                },
                CouncilEvent::Minutes {
                    item: title,
                    summary,
                    decision,
                } => Item {
                    id: format!("{meeting}#referat-{item}"),
                    title: format!("Referat: {title}"),
                    link: format!("{meeting}#punkt-{item}"),
                    updated: e.at,
                    summary: Some(match decision {
                        Some(d) if !d.trim().is_empty() => format!("{summary}\n\nBeslutning: {d}"),
                        _ => summary.clone(),
                    }),
                    category: Some("Referat".to_owned()),
                },
            }
        })
        .collect()
}

/// What a timeline entry says, as the proposal page's timeline says it (Danish): its
/// heading, a text, and a short name for its id.
fn timeline_text(event: &TimelineEvent) -> (String, Option<String>, &'static str) {
    let l = da();
    match event {
        TimelineEvent::Submitted => (td_string!(l, timeline_submitted).into(), None, "indsendt"),
        TimelineEvent::Approved => (td_string!(l, timeline_approved).into(), None, "godkendt"),
        TimelineEvent::OnAgenda {
            council, meeting, ..
        } => (
            format!("{} {council}", td_string!(l, timeline_on_agenda)),
            meeting.clone(),
            "dagsorden",
        ),
        TimelineEvent::RemovedFromAgenda { council } => (
            format!("{} ({council})", td_string!(l, timeline_removed)),
            None,
            "af-dagsorden",
        ),
        TimelineEvent::SentOn { from, to } => (
            format!(
                "{} {from} {} {to}",
                td_string!(l, timeline_sent_on_from),
                td_string!(l, timeline_sent_on_to)
            ),
            None,
            "sendt-videre",
        ),
        TimelineEvent::Voted {
            council,
            tally,
            members,
            ..
        } => (
            format!("{} {council}", td_string!(l, timeline_voted)),
            Some(format!(
                "{} — {}",
                tally_text(tally.yes, tally.no, tally.abstain),
                outcome(*tally, *members).label(false)
            )),
            "afstemning",
        ),
        TimelineEvent::LiveVoted {
            session,
            question,
            options,
            ..
        } => (
            format!("{} {session}", td_string!(l, timeline_live_voted)),
            Some(format!(
                "{question}: {}",
                options
                    .iter()
                    .map(|o| format!("{} {}", o.label, o.votes))
                    .collect::<Vec<_>>()
                    .join(", ")
            )),
            "live-afstemning",
        ),
        TimelineEvent::Decided {
            council,
            decision,
            vote,
        } => {
            let (what, text) = match decision {
                CouncilDecision::Forwarded {
                    committee,
                    deadline,
                } => (
                    format!("{} {committee}", td_string!(l, timeline_forwarded)),
                    format!("{} {}", td_string!(l, timeline_deadline), when(*deadline)),
                ),
                CouncilDecision::Rejected { explanation } => {
                    (td_string!(l, timeline_rejected).into(), explanation.clone())
                }
                CouncilDecision::Resolved { how } => {
                    (td_string!(l, timeline_resolved).into(), how.clone())
                }
            };
            let text = match vote {
                Some(v) => format!(
                    "{text}\n\n{}: {}",
                    td_string!(l, timeline_vote),
                    tally_text(v.yes, v.no, v.abstain)
                ),
                None => text,
            };
            (format!("{council}: {what}"), Some(text), "afgoerelse")
        }
        TimelineEvent::Answered {
            committee,
            answer,
            text,
        } => (
            format!(
                "{} {committee}: {}",
                td_string!(l, timeline_answered),
                answer.label(false)
            ),
            text.clone(),
            "svar",
        ),
        TimelineEvent::FollowUp { state, note } => (
            format!(
                "{}: {}",
                td_string!(l, timeline_follow_up),
                state.label(false)
            ),
            Some(note.clone()),
            "opfoelgning",
        ),
        TimelineEvent::DeadlineChanged { deadline, reason } => (
            format!("Svarfristen blev ændret til {}", when(*deadline)),
            Some(reason.clone()),
            "svarfrist",
        ),
    }
}

/// A proposal's timeline entries (newest first, as given). An entry's id is the proposal's
/// address with the event's kind and time, which never change once written.
pub fn timeline_items(id: ProposalId, entries: &[TimelineEntry], base: &str) -> Vec<Item> {
    let page = format!("{base}/forslag/{}", id.0);
    entries
        .iter()
        .map(|e| {
            let (title, text, kind) = timeline_text(&e.event);
            Item {
                id: format!("{page}#{kind}-{}", e.at.timestamp_micros()),
                title,
                link: page.clone(),
                updated: e.at,
                summary: text.filter(|t| !t.trim().is_empty()),
                category: None,
            }
        })
        .collect()
}

fn feed_response(result: Result<String, atom_syndication::Error>) -> Response {
    match result {
        Ok(xml) => (
            [
                (header::CONTENT_TYPE, "application/atom+xml; charset=utf-8"),
                (header::CACHE_CONTROL, "public, max-age=300"),
            ],
            xml,
        )
            .into_response(),
        Err(error) => {
            tracing::error!(%error, "Atom feed could not be written");
            StatusCode::INTERNAL_SERVER_ERROR.into_response()
        }
    }
}

fn failed(error: impl std::fmt::Display) -> Response {
    tracing::error!(%error, "Atom feed failed");
    StatusCode::INTERNAL_SERVER_ERROR.into_response()
}

/// `GET /forslag/feed.atom`.
pub async fn proposals_feed(State(state): State<AppState>) -> Response {
    let base = &state.public_url;
    match feeds::new_proposals(state.db.pool()).await {
        Ok(rows) => feed_response(atom(
            &About {
                title: "Stemme: nye forslag".into(),
                subtitle: Some("Børn og unges forslag til rådene".into()),
                self_url: format!("{base}/forslag/feed.atom"),
                page_url: format!("{base}/forslag"),
            },
            &proposal_items(&rows, base),
            Utc::now(),
        )),
        Err(error) => failed(error),
    }
}

/// `GET /forslag/svar.atom`.
pub async fn answers_feed(State(state): State<AppState>) -> Response {
    let base = &state.public_url;
    match feeds::answers(state.db.pool()).await {
        Ok(rows) => feed_response(atom(
            &About {
                title: "Stemme: politikernes svar".into(),
                subtitle: Some("Svar på børn og unges forslag: Ja, Delvist eller Nej".into()),
                self_url: format!("{base}/forslag/svar.atom"),
                page_url: format!("{base}/bliver-vi-hoert"),
            },
            &answer_items(&rows, base),
            Utc::now(),
        )),
        Err(error) => failed(error),
    }
}

/// `GET /raad/{id}/feed.atom`.
pub async fn council_feed(State(state): State<AppState>, Path(id): Path<String>) -> Response {
    let Ok(id) = id.parse::<i64>() else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let base = &state.public_url;
    match feeds::council(state.db.pool(), CouncilId(id)).await {
        Ok(Some((name, rows))) => feed_response(atom(
            &About {
                title: format!("{name}: møder og beslutninger"),
                subtitle: None,
                self_url: format!("{base}/raad/{id}/feed.atom"),
                page_url: format!("{base}/raad/{id}"),
            },
            &council_items(&rows, base),
            Utc::now(),
        )),
        Ok(None) => StatusCode::NOT_FOUND.into_response(),
        Err(error) => failed(error),
    }
}

/// `GET /forslag/{id}/feed.atom`.
pub async fn proposal_feed(State(state): State<AppState>, Path(id): Path<String>) -> Response {
    let Ok(id) = id.parse::<i64>() else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let base = &state.public_url;
    match feeds::proposal(state.db.pool(), ProposalId(id)).await {
        Ok(Some((title, entries))) => feed_response(atom(
            &About {
                title: format!("Forslag: {title}"),
                subtitle: Some("Forslagets forløb".into()),
                self_url: format!("{base}/forslag/{id}/feed.atom"),
                page_url: format!("{base}/forslag/{id}"),
            },
            &timeline_items(ProposalId(id), &entries, base),
            Utc::now(),
        )),
        Ok(None) => StatusCode::NOT_FOUND.into_response(),
        Err(error) => failed(error),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_text_is_cut_and_control_characters_dropped() {
        assert_eq!(summary("  a\u{0}b\u{1b}c\n "), "abc");
        let long = "æ".repeat(SUMMARY_CHARS + 10);
        let cut = summary(&long);
        assert_eq!(cut.chars().count(), SUMMARY_CHARS + 1);
        assert!(cut.ends_with('…'));
        assert_eq!(
            summary(&"ø".repeat(SUMMARY_CHARS)),
            "ø".repeat(SUMMARY_CHARS)
        );
    }

    #[test]
    fn an_empty_feed_is_still_a_feed() {
        let now = DateTime::from_timestamp(1_796_000_000, 0).unwrap_or_default();
        let about = About {
            title: "T <&>".into(),
            subtitle: None,
            self_url: "http://x/f.atom".into(),
            page_url: "http://x/".into(),
        };
        let xml = atom(&about, &[], now).unwrap_or_default();
        assert!(
            xml.contains("<feed xmlns=\"http://www.w3.org/2005/Atom\""),
            "{xml}"
        );
        assert!(xml.contains("<title>T &lt;&amp;&gt;</title>"), "{xml}");
        assert!(
            xml.contains("<updated>2026-11-30T00:53:20+00:00</updated>"),
            "{xml}"
        );
        assert!(xml.contains("rel=\"self\""), "{xml}");
        assert!(!xml.contains("<entry>"));
    }
}
