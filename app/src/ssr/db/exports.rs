//! What the open-data exports hold (`ssr::open_data` writes them as CSV and JSON): every
//! public proposal with its path through the councils, and every hearing with what each
//! council asked did. One query each; only what the public pages show (proposals by
//! [`public_filter`], no drafts of hearing responses, no person's name).
use super::proposals::public_filter;
use super::time::to_datetime;
use super::DbError;
use crate::domain::answer::FollowUpState;
use crate::domain::hearing::{ResponseStatus, UseKind};
use crate::domain::ids::{HearingId, ProposalId};
use crate::domain::proposal::{AnswerKind, AnswerReason, Stage, Theme};
use chrono::{DateTime, Utc};
use sqlx::AnyPool;

/// A bound on the rows of one export (a municipality has far fewer).
const MAX_ROWS: i64 = 100_000;

/// One public proposal as exported.
#[derive(Debug, Clone, PartialEq)]
pub struct ProposalRow {
    pub id: ProposalId,
    pub title: String,
    pub body: String,
    pub theme: Theme,
    pub council: String,
    pub stage: Stage,
    pub submitted_at: Option<DateTime<Utc>>,
    pub supporters: i64,
    /// The council's explanation of a rejection, or how it resolved the proposal.
    pub decision_text: Option<String>,
    pub committee: Option<String>,
    pub deadline: Option<DateTime<Utc>>,
    pub answer: Option<AnswerKind>,
    pub answer_reason: Option<AnswerReason>,
    pub answer_text: Option<String>,
    pub answered_at: Option<DateTime<Utc>>,
    /// The newest follow-up note.
    pub follow_up: Option<FollowUpState>,
    pub follow_up_note: Option<String>,
    pub follow_up_at: Option<DateTime<Utc>>,
}

/// Every public proposal, newest first.
pub async fn proposals(pool: &AnyPool) -> Result<Vec<ProposalRow>, DbError> {
    #[derive(sqlx::FromRow)]
    struct Row {
        id: ProposalId,
        title: String,
        body: String,
        theme: Theme,
        council: String,
        status: Stage,
        submitted_at: Option<i64>,
        supporters: i64,
        decision_text: Option<String>,
        committee: Option<String>,
        deadline_at: Option<i64>,
        answer: Option<AnswerKind>,
        answer_reason: Option<AnswerReason>,
        answer_text: Option<String>,
        answered_at: Option<i64>,
        follow_up: Option<FollowUpState>,
        follow_up_note: Option<String>,
        follow_up_at: Option<i64>,
    }
    let newest_follow_up = |column: &str| {
        format!(
            "(SELECT e.{column} FROM proposal_events e WHERE e.proposal_id = p.id \
             AND e.kind = 'follow_up' ORDER BY e.at DESC, e.id DESC LIMIT 1)"
        )
    };
    let rows: Vec<Row> = sqlx::query_as(&format!(
        "SELECT p.id, p.title, p.body, p.theme, c.name AS council, p.status, p.submitted_at, \
         p.supporters, p.decision_text, p.committee, p.deadline_at, p.answer, p.answer_reason, \
         p.answer_text, p.answered_at, {} AS follow_up, {} AS follow_up_note, {} AS follow_up_at \
         FROM proposals p JOIN councils c ON c.id = p.council_id WHERE {} \
         ORDER BY p.submitted_at DESC, p.id DESC LIMIT $1",
        newest_follow_up("follow_up"),
        newest_follow_up("body"),
        newest_follow_up("at"),
        public_filter()
    ))
    .bind(MAX_ROWS)
    .fetch_all(pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| ProposalRow {
            id: r.id,
            title: r.title,
            body: r.body,
            theme: r.theme,
            council: r.council,
            stage: r.status,
            submitted_at: r.submitted_at.map(to_datetime),
            supporters: r.supporters,
            decision_text: r.decision_text,
            committee: r.committee,
            deadline: r.deadline_at.map(to_datetime),
            answer: r.answer,
            answer_reason: r.answer_reason,
            answer_text: r.answer_text,
            answered_at: r.answered_at.map(to_datetime),
            follow_up: r.follow_up,
            follow_up_note: r.follow_up_note,
            follow_up_at: r.follow_up_at.map(to_datetime),
        })
        .collect())
}

/// One council asked in a hearing, with the hearing, as exported.
#[derive(Debug, Clone, PartialEq)]
pub struct HearingRow {
    pub id: HearingId,
    pub title: String,
    pub question: String,
    pub committee: String,
    pub sent_at: DateTime<Utc>,
    pub respond_by: DateTime<Utc>,
    pub decision_at: DateTime<Utc>,
    pub feedback_by: DateTime<Utc>,
    /// When the sender published what was decided (and the decision's text).
    pub feedback_at: Option<DateTime<Utc>>,
    pub decision_text: Option<String>,
    pub council: String,
    pub council_status: ResponseStatus,
    pub decided_at: Option<DateTime<Utc>>,
    /// The response the council adopted by vote (never a draft).
    pub response: Option<String>,
    pub decline_reason: Option<String>,
    /// How the response was used, once the feedback is published.
    pub use_kind: Option<UseKind>,
    pub use_text: Option<String>,
}

/// Every hearing, newest first, one row per council asked (by the council's name).
pub async fn hearings(pool: &AnyPool) -> Result<Vec<HearingRow>, DbError> {
    #[derive(sqlx::FromRow)]
    struct Row {
        id: HearingId,
        title: String,
        question: String,
        committee: String,
        created_at: i64,
        respond_by: i64,
        decision_at: i64,
        feedback_by: i64,
        feedback_at: Option<i64>,
        decision_text: Option<String>,
        council: String,
        council_status: ResponseStatus,
        decided_at: Option<i64>,
        response: Option<String>,
        decline_reason: Option<String>,
        use_kind: Option<UseKind>,
        use_text: Option<String>,
    }
    let rows: Vec<Row> = sqlx::query_as(
        "SELECT h.id, h.title, h.question, cm.name AS committee, h.created_at, h.respond_by, \
         h.decision_at, h.feedback_by, h.feedback_at, h.decision_text, c.name AS council, \
         hc.status AS council_status, hc.decided_at, \
         CASE WHEN hc.status = 'responded' THEN hc.response END AS response, \
         CASE WHEN hc.status = 'declined' THEN hc.decline_reason END AS decline_reason, \
         CASE WHEN h.status = 'feedback_given' THEN hc.use_kind END AS use_kind, \
         CASE WHEN h.status = 'feedback_given' THEN hc.use_text END AS use_text \
         FROM hearings h JOIN committees cm ON cm.id = h.committee_id \
         JOIN hearing_councils hc ON hc.hearing_id = h.id JOIN councils c ON c.id = hc.council_id \
         ORDER BY h.id DESC, c.name, c.id LIMIT $1",
    )
    .bind(MAX_ROWS)
    .fetch_all(pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| HearingRow {
            id: r.id,
            title: r.title,
            question: r.question,
            committee: r.committee,
            sent_at: to_datetime(r.created_at),
            respond_by: to_datetime(r.respond_by),
            decision_at: to_datetime(r.decision_at),
            feedback_by: to_datetime(r.feedback_by),
            feedback_at: r.feedback_at.map(to_datetime),
            decision_text: r.decision_text,
            council: r.council,
            council_status: r.council_status,
            decided_at: r.decided_at.map(to_datetime),
            response: r.response,
            decline_reason: r.decline_reason,
            use_kind: r.use_kind,
            use_text: r.use_text,
        })
        .collect())
}
