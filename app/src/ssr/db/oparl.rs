//! What the OParl API (`ssr::oparl`) publishes, read in a fixed number of queries.
//!
//! Only what the public pages show is read: proposals through [`proposals::public_filter`]
//! (plus the moderated-away ones, which the API lists as deleted with no content), agenda
//! items of meetings whose agenda is published, minutes once approved, vote tallies once
//! closed, hearings (public like their pages) and pool applications that are shown in
//! public (a rejected one is listed as deleted). No e-mail address, birth year or author
//! is ever selected; people appear as the first name of a committee's politician (adults)
//! or, in a council of young people, by their role alone (no user is selected there).
use super::{proposals, DbError};
use sqlx::AnyPool;

#[derive(sqlx::FromRow, Debug, Clone)]
pub struct OrgRow {
    pub id: i64,
    pub kind: String,
    pub name: String,
    pub created_at: i64,
    pub archived_at: Option<i64>,
}

/// A seat in a council: the role, its dates and whether its holder is chair or secretary.
#[derive(sqlx::FromRow, Debug, Clone)]
pub struct CouncilSeatRow {
    pub id: i64,
    pub council_id: i64,
    pub role: String,
    pub starts_on: Option<String>,
    pub ends_on: Option<String>,
    pub granted_at: i64,
    pub position: Option<String>,
    pub gone: i64,
}

/// A politician's seat in a committee, with their first name (adults, named in public).
#[derive(sqlx::FromRow, Debug, Clone)]
pub struct CommitteeSeatRow {
    pub committee_id: i64,
    pub user_id: i64,
    pub starts_on: String,
    pub ends_on: Option<String>,
    pub first_name: String,
    pub created_at: i64,
    pub gone: i64,
}

#[derive(sqlx::FromRow, Debug, Clone)]
pub struct MeetingRow {
    pub id: i64,
    pub council_id: i64,
    pub starts_at: i64,
    pub place: String,
    pub status: String,
    pub created_at: i64,
}

#[derive(sqlx::FromRow, Debug, Clone)]
pub struct ItemRow {
    pub id: i64,
    pub meeting_id: i64,
    pub council_id: i64,
    pub position: i64,
    pub title: String,
    pub proposal_id: Option<i64>,
    pub hearing_id: Option<i64>,
    pub application_id: Option<i64>,
    pub created_at: i64,
    pub vote_status: Option<String>,
    pub secret: Option<i64>,
    pub yes: Option<i64>,
    pub no: Option<i64>,
    pub abstain: Option<i64>,
    pub closed_at: Option<i64>,
    pub decision: Option<String>,
    pub minutes_at: Option<i64>,
}

#[derive(sqlx::FromRow, Debug, Clone)]
pub struct ProposalRow {
    pub id: i64,
    pub council_id: i64,
    pub title: String,
    pub body: String,
    pub theme: String,
    pub status: String,
    pub created_at: i64,
    pub updated_at: i64,
    pub submitted_at: Option<i64>,
    pub decided_at: Option<i64>,
    pub decision_text: Option<String>,
    pub committee_id: Option<i64>,
    pub deadline_at: Option<i64>,
    pub answer: Option<String>,
    pub answer_text: Option<String>,
    pub answered_at: Option<i64>,
    pub supporters: i64,
    pub hidden_at: Option<i64>,
    /// 1 when the public sees it; 0 when moderated away (listed as deleted).
    pub shown: i64,
}

#[derive(sqlx::FromRow, Debug, Clone)]
pub struct EventRow {
    pub proposal_id: i64,
    pub kind: String,
    pub at: i64,
    pub council_id: Option<i64>,
    pub meeting_id: Option<i64>,
    pub answer: Option<String>,
    pub follow_up: Option<String>,
    pub votes_for: Option<i64>,
    pub votes_against: Option<i64>,
    pub votes_abstain: Option<i64>,
    pub deadline_at: Option<i64>,
}

#[derive(sqlx::FromRow, Debug, Clone)]
pub struct HopRow {
    pub proposal_id: i64,
    pub to_council: i64,
    pub at: i64,
}

#[derive(sqlx::FromRow, Debug, Clone)]
pub struct HearingRow {
    pub id: i64,
    pub committee_id: i64,
    pub title: String,
    pub question: String,
    pub status: String,
    pub decision_at: i64,
    pub respond_by: i64,
    pub feedback_by: i64,
    pub decision_text: Option<String>,
    pub created_at: i64,
    pub updated_at: i64,
}

#[derive(sqlx::FromRow, Debug, Clone)]
pub struct AskedRow {
    pub hearing_id: i64,
    pub council_id: i64,
    pub status: String,
    pub response: Option<String>,
    pub decided_at: Option<i64>,
}

#[derive(sqlx::FromRow, Debug, Clone)]
pub struct FileRow {
    pub id: i64,
    pub hearing_id: i64,
    pub name: String,
    pub size: i64,
    pub sha256: String,
    pub created_at: i64,
}

#[derive(sqlx::FromRow, Debug, Clone)]
pub struct ApplicationRow {
    pub id: i64,
    pub council_id: i64,
    pub title: String,
    pub status: String,
    pub asked_ore: i64,
    pub granted_ore: i64,
    pub explanation: Option<String>,
    pub votes_for: Option<i64>,
    pub votes_against: Option<i64>,
    pub votes_abstain: Option<i64>,
    pub submitted_at: i64,
    pub decided_at: Option<i64>,
    pub reported_at: Option<i64>,
}

/// Everything the API publishes.
#[derive(Debug, Default, Clone)]
pub struct Published {
    pub councils: Vec<OrgRow>,
    pub committees: Vec<OrgRow>,
    pub council_seats: Vec<CouncilSeatRow>,
    pub committee_seats: Vec<CommitteeSeatRow>,
    pub meetings: Vec<MeetingRow>,
    pub items: Vec<ItemRow>,
    pub proposals: Vec<ProposalRow>,
    pub events: Vec<EventRow>,
    pub hops: Vec<HopRow>,
    pub hearings: Vec<HearingRow>,
    pub asked: Vec<AskedRow>,
    pub files: Vec<FileRow>,
    pub applications: Vec<ApplicationRow>,
}

/// Reads what the API publishes (13 queries, whatever the amount of data).
pub async fn published(pool: &AnyPool) -> Result<Published, DbError> {
    let public = proposals::public_filter();
    Ok(Published {
        councils: sqlx::query_as(
            "SELECT id, kind, name, created_at, archived_at FROM councils ORDER BY id",
        )
        .fetch_all(pool)
        .await?,
        committees: sqlx::query_as(
            "SELECT id, 'udvalg' AS kind, name, created_at, archived_at FROM committees ORDER BY id",
        )
        .fetch_all(pool)
        .await?,
        council_seats: sqlx::query_as(
            "SELECT r.id, r.council_id, r.role, r.starts_on, r.ends_on, r.granted_at, \
             (SELECT MIN(o.position) FROM council_officers o \
              WHERE o.council_id = r.council_id AND o.user_id = r.user_id) AS position, \
             CASE WHEN u.status = 'deleted' THEN 1 ELSE 0 END AS gone \
             FROM user_roles r JOIN users u ON u.id = r.user_id \
             WHERE r.council_id IS NOT NULL ORDER BY r.id",
        )
        .fetch_all(pool)
        .await?,
        committee_seats: sqlx::query_as(
            "SELECT m.committee_id, m.user_id, m.starts_on, m.ends_on, u.first_name, u.created_at, \
             CASE WHEN u.status = 'deleted' THEN 1 ELSE 0 END AS gone \
             FROM committee_members m JOIN users u ON u.id = m.user_id \
             ORDER BY m.committee_id, m.user_id",
        )
        .fetch_all(pool)
        .await?,
        meetings: sqlx::query_as(
            "SELECT id, council_id, starts_at, place, status, created_at FROM meetings ORDER BY id",
        )
        .fetch_all(pool)
        .await?,
        items: sqlx::query_as(
            "SELECT a.id, a.meeting_id, m.council_id, a.position, a.title, a.proposal_id, \
             a.hearing_id, a.application_id, a.created_at, \
             v.status AS vote_status, v.secret, v.yes, v.no, v.abstain, v.closed_at, \
             (SELECT mi.decision FROM minutes mi WHERE mi.agenda_item_id = a.id \
              AND m.status = 'minutes_approved' ORDER BY mi.version DESC LIMIT 1) AS decision, \
             (SELECT MAX(mi.written_at) FROM minutes mi WHERE mi.agenda_item_id = a.id \
              AND m.status = 'minutes_approved') AS minutes_at \
             FROM agenda_items a JOIN meetings m ON m.id = a.meeting_id \
             LEFT JOIN votes v ON v.agenda_item_id = a.id \
             WHERE m.status <> 'planned' ORDER BY a.id",
        )
        .fetch_all(pool)
        .await?,
        proposals: sqlx::query_as(&format!(
            "SELECT p.id, p.council_id, p.title, p.body, p.theme, p.status, p.created_at, \
             p.updated_at, p.submitted_at, p.decided_at, p.decision_text, p.committee_id, \
             p.deadline_at, p.answer, p.answer_text, p.answered_at, p.supporters, p.hidden_at, \
             CASE WHEN {public} THEN 1 ELSE 0 END AS shown \
             FROM proposals p WHERE ({public}) OR (p.visibility = 'hidden' AND p.status <> 'draft') \
             ORDER BY p.id"
        ))
        .fetch_all(pool)
        .await?,
        events: sqlx::query_as(&format!(
            "SELECT e.proposal_id, e.kind, e.at, e.council_id, e.meeting_id, e.answer, \
             e.follow_up, e.votes_for, e.votes_against, e.votes_abstain, e.deadline_at \
             FROM proposal_events e JOIN proposals p ON p.id = e.proposal_id \
             WHERE {public} ORDER BY e.proposal_id, e.at, e.id"
        ))
        .fetch_all(pool)
        .await?,
        hops: sqlx::query_as(&format!(
            "SELECT h.proposal_id, h.to_council, h.at FROM proposal_hops h \
             JOIN proposals p ON p.id = h.proposal_id WHERE {public} ORDER BY h.id"
        ))
        .fetch_all(pool)
        .await?,
        hearings: sqlx::query_as(
            "SELECT id, committee_id, title, question, status, decision_at, respond_by, \
             feedback_by, decision_text, created_at, updated_at FROM hearings ORDER BY id",
        )
        .fetch_all(pool)
        .await?,
        asked: sqlx::query_as(
            "SELECT hearing_id, council_id, status, \
             CASE WHEN status = 'responded' THEN response ELSE NULL END AS response, decided_at \
             FROM hearing_councils ORDER BY hearing_id, council_id",
        )
        .fetch_all(pool)
        .await?,
        files: sqlx::query_as(
            "SELECT id, hearing_id, name, size, sha256, created_at FROM hearing_files ORDER BY id",
        )
        .fetch_all(pool)
        .await?,
        applications: sqlx::query_as(
            "SELECT a.id, y.council_id, a.title, a.status, a.asked_ore, a.granted_ore, \
             a.explanation, a.votes_for, a.votes_against, a.votes_abstain, a.submitted_at, \
             a.decided_at, a.reported_at \
             FROM pool_applications a JOIN pool_years y ON y.id = a.pool_year_id ORDER BY a.id",
        )
        .fetch_all(pool)
        .await?,
    })
}
