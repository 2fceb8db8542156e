//! What the Atom feeds carry (`ssr::feeds` writes them): new proposals, answers, a
//! council's meetings and decisions, a proposal's timeline. Only what the public pages show:
//! proposals by [`proposals::public_filter`] (never drafts, hidden or waiting for a
//! moderator), no person's name. Each feed is one query of its newest [`LIMIT`] events
//! (a proposal's timeline is the page's own, a fixed number of queries).
use super::proposals::{self, public_filter};
use super::time::to_datetime;
use super::DbError;
use crate::domain::ids::{CouncilId, MeetingId, ProposalId};
use crate::domain::proposal::{AnswerKind, Stage, Theme, TimelineEntry, Visibility, VoteTally};
use crate::domain::rights::is_public;
use chrono::{DateTime, Utc};
use sqlx::AnyPool;

/// The most entries a feed holds.
pub const LIMIT: i64 = 50;

/// A newly submitted public proposal.
#[derive(Debug, Clone, PartialEq)]
pub struct NewProposal {
    pub id: ProposalId,
    pub title: String,
    pub body: String,
    pub theme: Theme,
    pub council: String,
    pub submitted_at: DateTime<Utc>,
}

/// The newest public proposals, newest first.
pub async fn new_proposals(pool: &AnyPool) -> Result<Vec<NewProposal>, DbError> {
    #[derive(sqlx::FromRow)]
    struct Row {
        id: ProposalId,
        title: String,
        body: String,
        theme: Theme,
        council: String,
        submitted_at: i64,
    }
    let rows: Vec<Row> = sqlx::query_as(&format!(
        "SELECT p.id, p.title, p.body, p.theme, c.name AS council, p.submitted_at \
         FROM proposals p JOIN councils c ON c.id = p.council_id \
         WHERE {} AND p.submitted_at IS NOT NULL \
         ORDER BY p.submitted_at DESC, p.id DESC LIMIT $1",
        public_filter()
    ))
    .bind(LIMIT)
    .fetch_all(pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| NewProposal {
            id: r.id,
            title: r.title,
            body: r.body,
            theme: r.theme,
            council: r.council,
            submitted_at: to_datetime(r.submitted_at),
        })
        .collect())
}

/// A politician's answer to a public proposal.
#[derive(Debug, Clone, PartialEq)]
pub struct AnswerItem {
    pub id: ProposalId,
    pub title: String,
    pub committee: String,
    pub answer: AnswerKind,
    pub text: Option<String>,
    pub answered_at: DateTime<Utc>,
}

/// The newest answers to public proposals, newest first.
pub async fn answers(pool: &AnyPool) -> Result<Vec<AnswerItem>, DbError> {
    #[derive(sqlx::FromRow)]
    struct Row {
        id: ProposalId,
        title: String,
        committee: Option<String>,
        answer: AnswerKind,
        answer_text: Option<String>,
        answered_at: i64,
    }
    let rows: Vec<Row> = sqlx::query_as(&format!(
        "SELECT p.id, p.title, p.committee, p.answer, p.answer_text, p.answered_at \
         FROM proposals p WHERE {} AND p.answer IS NOT NULL AND p.answered_at IS NOT NULL \
         ORDER BY p.answered_at DESC, p.id DESC LIMIT $1",
        public_filter()
    ))
    .bind(LIMIT)
    .fetch_all(pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| AnswerItem {
            id: r.id,
            title: r.title,
            committee: r.committee.unwrap_or_default(),
            answer: r.answer,
            text: r.answer_text,
            answered_at: to_datetime(r.answered_at),
        })
        .collect())
}

/// What happened in a council.
#[derive(Debug, Clone, PartialEq)]
pub enum CouncilEvent {
    /// A meeting was planned (the event's time is when).
    MeetingPlanned,
    /// A meeting was held (its status says so; the event's time is its start).
    MeetingHeld,
    /// A vote on an agenda item closed.
    VoteClosed {
        item: String,
        tally: VoteTally,
        members: i64,
    },
    /// An agenda item's minutes were written (the newest version).
    Minutes {
        item: String,
        summary: String,
        decision: Option<String>,
    },
}

/// One entry of a council's feed.
#[derive(Debug, Clone, PartialEq)]
pub struct CouncilEntry {
    pub at: DateTime<Utc>,
    pub meeting: MeetingId,
    /// The agenda item, for votes and minutes.
    pub item: Option<i64>,
    pub starts_at: DateTime<Utc>,
    pub place: String,
    pub event: CouncilEvent,
}

/// The council's name and its newest events, newest first; `None` for no such council.
/// Votes and minutes on an agenda item about a proposal that is not public are left out.
pub async fn council(
    pool: &AnyPool,
    id: CouncilId,
) -> Result<Option<(String, Vec<CouncilEntry>)>, DbError> {
    let name: Option<String> = sqlx::query_scalar("SELECT name FROM councils WHERE id = $1")
        .bind(id.0)
        .fetch_optional(pool)
        .await?;
    let Some(name) = name else { return Ok(None) };
    #[derive(sqlx::FromRow)]
    struct Row {
        kind: String,
        at: i64,
        meeting_id: MeetingId,
        item_id: Option<i64>,
        starts_at: i64,
        place: String,
        title: Option<String>,
        summary: Option<String>,
        decision: Option<String>,
        yes: Option<i64>,
        no: Option<i64>,
        abstain: Option<i64>,
        members: Option<i64>,
    }
    let item_public = format!(
        "(a.proposal_id IS NULL OR EXISTS (SELECT 1 FROM proposals p WHERE p.id = a.proposal_id AND {}))",
        public_filter()
    );
    let no_text = "CAST(NULL AS TEXT)";
    let no_int = "CAST(NULL AS BIGINT)";
    let rows: Vec<Row> = sqlx::query_as(&format!(
        "SELECT kind, at, meeting_id, item_id, starts_at, place, title, summary, decision, \
         yes, no, abstain, members FROM (\
         SELECT 'planned' AS kind, m.created_at AS at, m.id AS meeting_id, {no_int} AS item_id, \
           m.starts_at, m.place, {no_text} AS title, {no_text} AS summary, {no_text} AS decision, \
           {no_int} AS yes, {no_int} AS no, {no_int} AS abstain, {no_int} AS members \
           FROM meetings m WHERE m.council_id = $1 \
         UNION ALL SELECT 'held', m.starts_at, m.id, {no_int}, m.starts_at, m.place, {no_text}, \
           {no_text}, {no_text}, {no_int}, {no_int}, {no_int}, {no_int} \
           FROM meetings m WHERE m.council_id = $2 AND m.status IN ('held', 'minutes_approved') \
         UNION ALL SELECT 'vote', v.closed_at, m.id, a.id, m.starts_at, m.place, a.title, \
           {no_text}, {no_text}, v.yes, v.no, v.abstain, v.members \
           FROM votes v JOIN agenda_items a ON a.id = v.agenda_item_id \
           JOIN meetings m ON m.id = a.meeting_id \
           WHERE m.council_id = $3 AND v.status = 'closed' AND {item_public} \
         UNION ALL SELECT 'minutes', n.written_at, m.id, a.id, m.starts_at, m.place, a.title, \
           n.summary, n.decision, {no_int}, {no_int}, {no_int}, {no_int} \
           FROM minutes n JOIN agenda_items a ON a.id = n.agenda_item_id \
           JOIN meetings m ON m.id = a.meeting_id \
           WHERE m.council_id = $4 AND {item_public} AND n.version = \
           (SELECT MAX(x.version) FROM minutes x WHERE x.agenda_item_id = n.agenda_item_id)\
         ) e ORDER BY at DESC, meeting_id DESC, COALESCE(item_id, 0) DESC, kind LIMIT $5"
    ))
    .bind(id.0)
    .bind(id.0)
    .bind(id.0)
    .bind(id.0)
    .bind(LIMIT)
    .fetch_all(pool)
    .await?;
    let mut out = Vec::with_capacity(rows.len());
    for r in rows {
        let unknown = |what: &'static str| {
            sqlx::Error::Decode(Box::new(super::decode::UnknownValue {
                kind: what,
                value: r.kind.clone(),
            }))
        };
        let event = match r.kind.as_str() {
            "planned" => CouncilEvent::MeetingPlanned,
            "held" => CouncilEvent::MeetingHeld,
            "vote" => match (r.yes, r.no, r.abstain) {
                (Some(yes), Some(no), Some(abstain)) => CouncilEvent::VoteClosed {
                    item: r.title.clone().unwrap_or_default(),
                    tally: VoteTally { yes, no, abstain },
                    members: r.members.unwrap_or(0),
                },
                _ => return Err(unknown("closed vote without its tally").into()),
            },
            "minutes" => CouncilEvent::Minutes {
                item: r.title.clone().unwrap_or_default(),
                summary: r.summary.clone().unwrap_or_default(),
                decision: r.decision.clone(),
            },
            _ => return Err(unknown("council feed event").into()),
        };
        out.push(CouncilEntry {
            at: to_datetime(r.at),
            meeting: r.meeting_id,
            item: r.item_id,
            starts_at: to_datetime(r.starts_at),
            place: r.place,
            event,
        });
    }
    Ok(Some((name, out)))
}

/// A public proposal's title and its timeline (as its page shows it), newest first, at
/// most [`LIMIT`] entries; `None` when there is no such proposal or it is not public.
pub async fn proposal(
    pool: &AnyPool,
    id: ProposalId,
) -> Result<Option<(String, Vec<TimelineEntry>)>, DbError> {
    #[derive(sqlx::FromRow)]
    struct Row {
        title: String,
        status: Stage,
        visibility: Visibility,
    }
    let row: Option<Row> =
        sqlx::query_as("SELECT title, status, visibility FROM proposals WHERE id = $1")
            .bind(id.0)
            .fetch_optional(pool)
            .await?;
    let Some(row) = row.filter(|r| is_public(r.status, r.visibility)) else {
        return Ok(None);
    };
    let mut timeline = proposals::timeline(pool, id).await?;
    timeline.reverse();
    timeline.truncate(LIMIT as usize);
    Ok(Some((row.title, timeline)))
}
