//! Proposals: create, edit drafts, list (keyset), the page with its timeline, and the
//! one function every status change goes through ([`step`]).
use super::time::{now_micros, to_datetime};
use super::{Backend, DbError};
use crate::domain::council::VoteId;
use crate::domain::dialogue::CommentRole;
use crate::domain::ids::{CommentId, CommitteeId, CouncilId, ProposalId, SchoolId, UserId};
use crate::domain::message::Msg;
use crate::domain::notification::NotificationKind;
use crate::domain::proposal::{
    Answer, AnswerKind, Author, CommentView, CouncilDecision, Cursor, FollowUpState, Intent,
    ListFilter, ProposalContent, ProposalDetail, ProposalDraft, ProposalPage, ProposalStatus,
    ProposalSummary, Sort, Stage, StatusParts, Target, Theme, TimelineEntry, TimelineEvent, Viewer,
    Visibility, VoteTally,
};
use crate::domain::rights::is_public;
use chrono::{DateTime, Utc};
use sqlx::any::AnyRow;
use sqlx::{AnyPool, FromRow};

/// The councils `school` (the asker's school, if any) may send a proposal to:
/// the Ungeråd(s), other youth bodies and the pupil's own elevråd — none archived.
pub async fn targets(pool: &AnyPool, school: Option<SchoolId>) -> Result<Vec<Target>, DbError> {
    #[derive(sqlx::FromRow)]
    struct TargetRow {
        id: CouncilId,
        name: String,
    }
    let rows: Vec<TargetRow> = sqlx::query_as(
        "SELECT id, name FROM councils WHERE archived_at IS NULL \
         AND (kind IN ('ungeraad', 'anden') OR (kind = 'elevraad' AND school_id = $1)) \
         ORDER BY kind DESC, id",
    )
    .bind(school.map(|s| s.0).unwrap_or(0))
    .fetch_all(pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| Target {
            id: r.id,
            name: r.name,
        })
        .collect())
}

/// Creates a proposal: a draft, or submitted (published or waiting for approval).
pub async fn create(
    pool: &AnyPool,
    author: UserId,
    content: &ProposalContent,
    intent: Intent,
    visibility: Visibility,
    once: Option<&super::submissions::Once>,
) -> Result<ProposalId, DbError> {
    create_at(
        pool,
        author,
        content,
        intent,
        visibility,
        now_micros(),
        once,
    )
    .await
}

/// [`create`] at a given time (demo data and imports; `now` is microseconds).
pub async fn create_at(
    pool: &AnyPool,
    author: UserId,
    content: &ProposalContent,
    intent: Intent,
    visibility: Visibility,
    now: i64,
    once: Option<&super::submissions::Once>,
) -> Result<ProposalId, DbError> {
    let mut tx = super::write_tx(pool).await?;
    if let Some(once) = once {
        super::submissions::claim_or_replay(&mut tx, once).await?;
    }
    let (status, submitted_at) = match intent {
        Intent::Draft => ("draft", None),
        Intent::Submit => ("submitted", Some(now)),
    };
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO proposals (author_id, council_id, title, body, theme, show_name, status, visibility, \
         created_at, updated_at, submitted_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING id",
    )
    .bind(author.0)
    .bind(content.council.0)
    .bind(&content.title)
    .bind(&content.body)
    .bind(content.theme.as_str())
    .bind(i64::from(content.show_name))
    .bind(status)
    .bind(visibility.as_str())
    .bind(now)
    .bind(now)
    .bind(submitted_at)
    .fetch_one(&mut *tx)
    .await?;
    if intent == Intent::Submit {
        insert_event(&mut tx, ProposalId(id), "submitted", Some(author), now).await?;
    }
    if let Some(once) = once {
        super::submissions::settle(&mut tx, once, &id.to_string()).await?;
    }
    tx.commit().await?;
    Ok(ProposalId(id))
}

async fn insert_event(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    id: ProposalId,
    kind: &str,
    actor: Option<UserId>,
    at: i64,
) -> Result<(), DbError> {
    sqlx::query(
        "INSERT INTO proposal_events (proposal_id, kind, at, actor_id) VALUES ($1, $2, $3, $4)",
    )
    .bind(id.0)
    .bind(kind)
    .bind(at)
    .bind(actor.map(|a| a.0))
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Saves the author's draft, and submits it when asked. False if there is no such
/// draft of theirs (submitted proposals cannot be edited).
pub async fn update_draft(
    pool: &AnyPool,
    id: ProposalId,
    author: UserId,
    content: &ProposalContent,
    intent: Intent,
    visibility: Visibility,
) -> Result<bool, DbError> {
    let now = now_micros();
    let mut tx = super::write_tx(pool).await?;
    let (status, submitted_at) = match intent {
        Intent::Draft => ("draft", None),
        Intent::Submit => ("submitted", Some(now)),
    };
    let done = sqlx::query(
        "UPDATE proposals SET council_id = $1, title = $2, body = $3, theme = $4, show_name = $5, \
         status = $6, visibility = $7, updated_at = $8, submitted_at = $9 \
         WHERE id = $10 AND author_id = $11 AND status = 'draft'",
    )
    .bind(content.council.0)
    .bind(&content.title)
    .bind(&content.body)
    .bind(content.theme.as_str())
    .bind(i64::from(content.show_name))
    .bind(status)
    .bind(visibility.as_str())
    .bind(now)
    .bind(submitted_at)
    .bind(id.0)
    .bind(author.0)
    .execute(&mut *tx)
    .await?
    .rows_affected()
        == 1;
    if done && intent == Intent::Submit {
        insert_event(&mut tx, id, "submitted", Some(author), now).await?;
    }
    tx.commit().await?;
    Ok(done)
}

/// The author's own draft.
pub async fn draft(
    pool: &AnyPool,
    id: ProposalId,
    author: UserId,
) -> Result<Option<ProposalDraft>, DbError> {
    #[derive(sqlx::FromRow)]
    struct DraftRow {
        title: String,
        body: String,
        theme: Theme,
        council_id: CouncilId,
        show_name: i64,
    }
    let row: Option<DraftRow> = sqlx::query_as(
        "SELECT title, body, theme, council_id, show_name FROM proposals \
         WHERE id = $1 AND author_id = $2 AND status = 'draft'",
    )
    .bind(id.0)
    .bind(author.0)
    .fetch_optional(pool)
    .await?;
    Ok(row.map(|r| ProposalDraft {
        id,
        title: r.title,
        body: r.body,
        theme: r.theme,
        council: r.council_id,
        show_name: r.show_name == 1,
    }))
}

/// Deletes the author's draft (submitted proposals stay: a trigger refuses).
pub async fn delete_draft(pool: &AnyPool, id: ProposalId, author: UserId) -> Result<bool, DbError> {
    Ok(
        sqlx::query("DELETE FROM proposals WHERE id = $1 AND author_id = $2 AND status = 'draft'")
            .bind(id.0)
            .bind(author.0)
            .execute(pool)
            .await?
            .rows_affected()
            == 1,
    )
}

const SUMMARY_COLUMNS: &str =
    "p.id, p.title, p.theme, p.status, p.answer, p.deadline_at, p.show_name, \
     u.first_name, u.status AS author_status, c.name AS council, p.supporters, p.comment_count, \
     p.submitted_at";

/// One row of [`SUMMARY_COLUMNS`].
#[derive(sqlx::FromRow)]
struct SummaryRow {
    id: ProposalId,
    title: String,
    theme: Theme,
    status: Stage,
    answer: Option<AnswerKind>,
    deadline_at: Option<i64>,
    show_name: i64,
    first_name: String,
    author_status: String,
    council: String,
    supporters: i64,
    comment_count: i64,
    submitted_at: Option<i64>,
}

fn summary(row: &AnyRow) -> Result<ProposalSummary, sqlx::Error> {
    let r = SummaryRow::from_row(row)?;
    Ok(ProposalSummary {
        id: r.id,
        title: r.title,
        theme: r.theme,
        stage: r.status,
        answer: r.answer,
        deadline: r.deadline_at.map(to_datetime),
        author: author(r.show_name == 1, r.first_name, &r.author_status),
        council: r.council,
        supporters: r.supporters,
        comments: r.comment_count,
        submitted_at: r.submitted_at.map(to_datetime),
    })
}

fn author(show_name: bool, first_name: String, user_status: &str) -> Author {
    if user_status == "deleted" {
        Author::Former
    } else if show_name {
        Author::Named(first_name)
    } else {
        Author::Anonymous
    }
}

/// One page of the public list: published, submitted proposals, newest or most
/// supported first, after `after` (keyset: no OFFSET), with the filter applied.
pub async fn list(
    pool: &AnyPool,
    backend: Backend,
    filter: &ListFilter,
    after: Option<Cursor>,
    limit: i64,
) -> Result<ProposalPage, DbError> {
    let mut sql = format!(
        "SELECT {SUMMARY_COLUMNS} FROM proposals p JOIN users u ON u.id = p.author_id \
         JOIN councils c ON c.id = p.council_id \
         WHERE {}",
        public_filter()
    );
    let mut n = 0;
    let mut next = || {
        n += 1;
        format!("${n}")
    };
    if filter.stage.is_some() {
        sql += &format!(" AND p.status = {}", next());
    }
    if filter.theme.is_some() {
        sql += &format!(" AND p.theme = {}", next());
    }
    if filter.council.is_some() {
        sql += &format!(" AND p.council_id = {}", next());
    }
    let search = search_expression(backend, &filter.terms);
    if search.is_some() {
        sql += &match backend {
            Backend::Sqlite => format!(
                " AND p.id IN (SELECT rowid FROM proposals_fts WHERE proposals_fts MATCH {})",
                next()
            ),
            Backend::Postgres => format!(" AND p.search @@ to_tsquery('simple', {})", next()),
        };
    }
    let key = match filter.sort {
        Sort::Newest => "p.submitted_at",
        Sort::MostSupported => "p.supporters",
    };
    if after.is_some() {
        let (a, b) = (next(), next());
        sql += &format!(" AND ({key} < {a} OR ({key} = {a} AND p.id < {b}))");
    }
    sql += &format!(" ORDER BY {key} DESC, p.id DESC LIMIT {}", next());

    let mut query = sqlx::query(&sql);
    if let Some(stage) = filter.stage {
        query = query.bind(stage.as_str());
    }
    if let Some(theme) = filter.theme {
        query = query.bind(theme.as_str());
    }
    if let Some(council) = filter.council {
        query = query.bind(council.0);
    }
    if let Some(search) = search {
        query = query.bind(search);
    }
    if let Some(c) = after {
        query = query.bind(c.key).bind(c.id.0);
    }
    query = query.bind(limit + 1);
    let rows = query.fetch_all(pool).await?;
    let mut items = rows.iter().map(summary).collect::<Result<Vec<_>, _>>()?;
    let next = if items.len() as i64 > limit {
        items.truncate(limit as usize);
        items.last().map(|last| Cursor {
            key: match filter.sort {
                Sort::Newest => last.submitted_at.map(|t| t.timestamp_micros()).unwrap_or(0),
                Sort::MostSupported => last.supporters,
            },
            id: last.id,
        })
    } else {
        None
    };
    Ok(ProposalPage { items, next })
}

/// The search expression for the backend: every word as a prefix, all required.
/// Words are letters and digits only (see `search_terms`), so they carry no syntax.
fn search_expression(backend: Backend, terms: &[String]) -> Option<String> {
    if terms.is_empty() {
        return None;
    }
    Some(match backend {
        Backend::Sqlite => terms
            .iter()
            .map(|t| format!("\"{t}\"*"))
            .collect::<Vec<_>>()
            .join(" "),
        Backend::Postgres => terms
            .iter()
            .map(|t| format!("{t}:*"))
            .collect::<Vec<_>>()
            .join(" & "),
    })
}

/// The author's own proposals, drafts included, newest first.
pub async fn by_author(pool: &AnyPool, author: UserId) -> Result<Vec<ProposalSummary>, DbError> {
    let sql = format!(
        "SELECT {SUMMARY_COLUMNS} FROM proposals p JOIN users u ON u.id = p.author_id \
         JOIN councils c ON c.id = p.council_id WHERE p.author_id = $1 ORDER BY p.id DESC LIMIT 200"
    );
    let rows = sqlx::query(&sql).bind(author.0).fetch_all(pool).await?;
    Ok(rows.iter().map(summary).collect::<Result<Vec<_>, _>>()?)
}

/// Proposals waiting for a moderator's approval, oldest first.
pub async fn pending(pool: &AnyPool, limit: i64) -> Result<Vec<ProposalSummary>, DbError> {
    let sql = format!(
        "SELECT {SUMMARY_COLUMNS} FROM proposals p JOIN users u ON u.id = p.author_id \
         JOIN councils c ON c.id = p.council_id \
         WHERE p.visibility = 'pending' AND p.status <> 'draft' ORDER BY p.id LIMIT $1"
    );
    let rows = sqlx::query(&sql).bind(limit).fetch_all(pool).await?;
    Ok(rows.iter().map(summary).collect::<Result<Vec<_>, _>>()?)
}

/// The facts about a proposal that decide who may see and do what (the rules are
/// `domain::rights`).
pub use crate::domain::rights::ProposalAccess as Access;

/// The proposal's access row, without a viewer.
pub async fn access(pool: &AnyPool, id: ProposalId) -> Result<Option<Access>, DbError> {
    access_for(pool, id, None).await
}

/// The proposal's access row with the facts about one person.
#[derive(sqlx::FromRow)]
struct AccessRow {
    author_id: UserId,
    status: Stage,
    visibility: Visibility,
    council_id: CouncilId,
    answer: Option<AnswerKind>,
    committee: Option<String>,
    in_committee: i64,
    supports: i64,
    follows: i64,
}

/// The proposal's access row with the facts about `viewer`: whether they sit on the
/// committee it was forwarded to (a term running today), support it and follow it. One
/// query.
pub async fn access_for(
    pool: &AnyPool,
    id: ProposalId,
    viewer: Option<UserId>,
) -> Result<Option<Access>, DbError> {
    let row: Option<AccessRow> = sqlx::query_as(
        "SELECT p.author_id, p.status, p.visibility, p.council_id, p.answer, p.committee, \
         (SELECT COUNT(*) FROM committee_members m WHERE m.committee_id = p.committee_id \
          AND m.user_id = $2 AND m.starts_on <= $3 AND (m.ends_on IS NULL OR m.ends_on >= $3)) AS in_committee, \
         (SELECT COUNT(*) FROM proposal_supports s WHERE s.proposal_id = p.id AND s.user_id = $2) AS supports, \
         (SELECT COUNT(*) FROM proposal_follows f WHERE f.proposal_id = p.id AND f.user_id = $2) AS follows \
         FROM proposals p WHERE p.id = $1",
    )
    .bind(id.0)
    .bind(viewer.map(|u| u.0).unwrap_or(0))
    .bind(super::time::today())
    .fetch_optional(pool)
    .await?;
    Ok(row.map(|r| Access {
        author: r.author_id,
        stage: r.status,
        visibility: r.visibility,
        council: r.council_id,
        answer: r.answer,
        committee: r.committee,
        in_committee: r.in_committee > 0,
        supports: r.supports > 0,
        follows: r.follows > 0,
    }))
}

/// The public-list condition on `p` (proposals), built from `domain::rights::is_public`:
/// the visibilities it lets through and the stages it keeps out (the rule is a product of
/// the two, which a domain test checks). Written the way the partial indexes are
/// (`visibility = 'published' AND status <> 'draft'`), so they stay usable.
pub fn public_filter() -> String {
    let shown: Vec<String> = Visibility::ALL
        .into_iter()
        .filter(|v| Stage::ALL.into_iter().any(|s| is_public(s, *v)))
        .map(|v| format!("p.visibility = '{}'", v.as_str()))
        .collect();
    let kept_out = Stage::ALL
        .into_iter()
        .filter(|s| !Visibility::ALL.into_iter().any(|v| is_public(*s, v)))
        .map(|s| format!(" AND p.status <> '{}'", s.as_str()));
    let mut sql = match shown.as_slice() {
        [one] => one.clone(),
        more => format!("({})", more.join(" OR ")),
    };
    sql.extend(kept_out);
    sql
}

/// A proposal's title (for its agenda item).
pub async fn title(pool: &AnyPool, id: ProposalId) -> Result<Option<String>, DbError> {
    Ok(
        sqlx::query_scalar("SELECT title FROM proposals WHERE id = $1")
            .bind(id.0)
            .fetch_optional(pool)
            .await?,
    )
}

/// The proposal's own columns for its page.
#[derive(sqlx::FromRow)]
struct DetailRow {
    title: String,
    body: String,
    theme: Theme,
    status: Stage,
    visibility: Visibility,
    hidden_reason: Option<String>,
    show_name: i64,
    first_name: String,
    author_status: String,
    council: String,
    supporters: i64,
    created_at: i64,
    submitted_at: Option<i64>,
    decision_text: Option<String>,
    committee: Option<String>,
    deadline_at: Option<i64>,
    answer: Option<AnswerKind>,
    answer_text: Option<String>,
    answered_at: Option<i64>,
}

/// One entry of `proposal_events`, with its council's name.
#[derive(sqlx::FromRow)]
struct EventRow {
    kind: String,
    at: i64,
    council: Option<String>,
    label: Option<String>,
    body: Option<String>,
    answer: Option<AnswerKind>,
    follow_up: Option<FollowUpState>,
    votes_for: Option<i64>,
    votes_against: Option<i64>,
    votes_abstain: Option<i64>,
    deadline_at: Option<i64>,
    meeting_id: Option<i64>,
}

/// The proposal page: the proposal, its timeline and comments, in a fixed number of
/// queries whatever their size. Who may see it, and what the viewer may do, is the caller's
/// to decide (`domain::rights`, from [`access_for`]); `viewer` is left at its default.
pub async fn detail(pool: &AnyPool, id: ProposalId) -> Result<Option<ProposalDetail>, DbError> {
    let row: Option<DetailRow> = sqlx::query_as(
        "SELECT p.title, p.body, p.theme, p.status, p.visibility, p.hidden_reason, p.show_name, \
         p.author_id, u.first_name, u.status AS author_status, c.name AS council, p.supporters, \
         p.created_at, p.submitted_at, p.decision_text, p.committee, p.deadline_at, p.answer, \
         p.answer_text, p.answered_at \
         FROM proposals p JOIN users u ON u.id = p.author_id JOIN councils c ON c.id = p.council_id \
         WHERE p.id = $1",
    )
    .bind(id.0)
    .fetch_optional(pool)
    .await?;
    let Some(row) = row else { return Ok(None) };
    let stage = row.status;
    let visibility = row.visibility;
    let parts = StatusParts {
        decision_text: row.decision_text,
        committee: row.committee,
        deadline: row.deadline_at.map(to_datetime),
        answer: row.answer,
        answer_text: row.answer_text,
        answered_at: row.answered_at.map(to_datetime),
    };
    let status = ProposalStatus::from_parts(stage, parts).ok_or_else(|| {
        sqlx::Error::Decode(Box::new(super::decode::UnknownValue {
            kind: "proposal status (a stage without its parts)",
            value: stage.as_str().to_owned(),
        }))
    })?;
    let hidden = visibility == Visibility::Hidden;
    let (title, body) = if hidden {
        (String::new(), String::new())
    } else {
        (row.title, row.body)
    };
    let timeline = timeline(pool, id).await?;
    let comments = if hidden {
        Vec::new()
    } else {
        comments(pool, id).await?
    };
    Ok(Some(ProposalDetail {
        id,
        title,
        body,
        theme: row.theme,
        status,
        visibility,
        hidden_reason: row.hidden_reason,
        author: author(row.show_name == 1, row.first_name, &row.author_status),
        council: row.council,
        supporters: row.supporters,
        created_at: to_datetime(row.created_at),
        submitted_at: row.submitted_at.map(to_datetime),
        timeline,
        comments,
        viewer: Viewer::default(),
        answer_meta: None,
        feedback: None,
        clarifications: Vec::new(),
    }))
}

pub(crate) async fn timeline(
    pool: &AnyPool,
    id: ProposalId,
) -> Result<Vec<TimelineEntry>, DbError> {
    let rows: Vec<EventRow> = sqlx::query_as(
        "SELECT e.kind, e.at, c.name AS council, e.label, e.body, e.answer, e.follow_up, \
         e.votes_for, e.votes_against, e.votes_abstain, e.deadline_at, e.meeting_id \
         FROM proposal_events e LEFT JOIN councils c ON c.id = e.council_id \
         WHERE e.proposal_id = $1 ORDER BY e.at, e.id",
    )
    .bind(id.0)
    .fetch_all(pool)
    .await?;
    let mut out = Vec::with_capacity(rows.len());
    for row in rows {
        // The CHECKs on proposal_events guarantee each kind's columns; a row without them
        // (or of a kind this code does not know) is an error, not a made-up value.
        let missing = |what: &'static str| {
            sqlx::Error::Decode(Box::new(super::decode::UnknownValue {
                kind: what,
                value: row.kind.clone(),
            }))
        };
        let council: String = row.council.clone().unwrap_or_default();
        let label = row.label.clone();
        let body = row.body.clone();
        let vote = match (row.votes_for, row.votes_against, row.votes_abstain) {
            (Some(yes), Some(no), Some(abstain)) => Some(VoteTally { yes, no, abstain }),
            _ => None,
        };
        let deadline = row.deadline_at.map(to_datetime);
        let event = match row.kind.as_str() {
            "submitted" => TimelineEvent::Submitted,
            "approved" => TimelineEvent::Approved,
            "on_agenda" => TimelineEvent::OnAgenda {
                council,
                meeting: label,
                meeting_id: row.meeting_id,
            },
            "removed_from_agenda" => TimelineEvent::RemovedFromAgenda { council },
            "forwarded" => TimelineEvent::Decided {
                council,
                decision: CouncilDecision::Forwarded {
                    committee: label.ok_or_else(|| missing("forwarded event without committee"))?,
                    deadline: deadline
                        .ok_or_else(|| missing("forwarded event without deadline"))?,
                },
                vote,
            },
            "rejected_by_council" => TimelineEvent::Decided {
                council,
                decision: CouncilDecision::Rejected {
                    explanation: body.ok_or_else(|| missing("rejection without explanation"))?,
                },
                vote,
            },
            "resolved_by_council" => TimelineEvent::Decided {
                council,
                decision: CouncilDecision::Resolved {
                    how: body.unwrap_or_default(),
                },
                vote,
            },
            "answered" => TimelineEvent::Answered {
                committee: label.unwrap_or_default(),
                answer: row
                    .answer
                    .ok_or_else(|| missing("answer event without answer"))?,
                text: body,
            },
            "follow_up" => TimelineEvent::FollowUp {
                state: row
                    .follow_up
                    .ok_or_else(|| missing("follow-up event without state"))?,
                note: body.unwrap_or_default(),
            },
            _ => return Err(missing("proposal event kind").into()),
        };
        out.push(TimelineEntry {
            at: to_datetime(row.at),
            event,
        });
    }
    // Closed council votes on the proposal, from the votes themselves.
    #[derive(sqlx::FromRow)]
    struct ClosedVote {
        closed_at: i64,
        council: String,
        meeting_id: i64,
        yes: i64,
        no: i64,
        abstain: i64,
        members: i64,
    }
    let votes: Vec<ClosedVote> = sqlx::query_as(
        "SELECT v.closed_at, c.name AS council, m.id AS meeting_id, v.yes, v.no, v.abstain, v.members \
         FROM votes v JOIN agenda_items a ON a.id = v.agenda_item_id JOIN meetings m ON m.id = a.meeting_id \
         JOIN councils c ON c.id = m.council_id WHERE a.proposal_id = $1 AND v.status = 'closed'",
    )
    .bind(id.0)
    .fetch_all(pool)
    .await?;
    for v in votes {
        out.push(TimelineEntry {
            at: to_datetime(v.closed_at),
            event: TimelineEvent::Voted {
                council: v.council,
                meeting_id: v.meeting_id,
                tally: VoteTally {
                    yes: v.yes,
                    no: v.no,
                    abstain: v.abstain,
                },
                members: v.members,
            },
        });
    }
    // Live votes (Bytinget) on agenda items about the proposal.
    for v in super::live::proposal_votes(pool, id).await? {
        out.push(TimelineEntry {
            at: to_datetime(v.at),
            event: TimelineEvent::LiveVoted {
                session: v.session,
                question: v.question,
                ballots: v.ballots,
                options: v.options,
            },
        });
    }
    #[derive(sqlx::FromRow)]
    struct Hop {
        at: i64,
        from_name: String,
        to_name: String,
    }
    let hops: Vec<Hop> = sqlx::query_as(
        "SELECT h.at, f.name AS from_name, t.name AS to_name FROM proposal_hops h \
         JOIN councils f ON f.id = h.from_council \
         JOIN councils t ON t.id = h.to_council WHERE h.proposal_id = $1",
    )
    .bind(id.0)
    .fetch_all(pool)
    .await?;
    for h in hops {
        out.push(TimelineEntry {
            at: to_datetime(h.at),
            event: TimelineEvent::SentOn {
                from: h.from_name,
                to: h.to_name,
            },
        });
    }
    #[derive(sqlx::FromRow)]
    struct DeadlineChange {
        at: i64,
        new_deadline_at: i64,
        reason: String,
    }
    let changes: Vec<DeadlineChange> = sqlx::query_as(
        "SELECT at, new_deadline_at, reason FROM proposal_deadline_changes WHERE proposal_id = $1",
    )
    .bind(id.0)
    .fetch_all(pool)
    .await?;
    for c in changes {
        out.push(TimelineEntry {
            at: to_datetime(c.at),
            event: TimelineEvent::DeadlineChanged {
                deadline: to_datetime(c.new_deadline_at),
                reason: c.reason,
            },
        });
    }
    out.sort_by_key(|e| e.at);
    Ok(out)
}

/// Sends a proposal on from the council whose agenda it is on to the next body: it is
/// submitted there, the hop is kept, and the author and followers are told.
#[allow(clippy::too_many_arguments)]
pub async fn send_on(
    pool: &AnyPool,
    id: ProposalId,
    from: CouncilId,
    to: CouncilId,
    vote: VoteId,
    by: UserId,
    at: DateTime<Utc>,
) -> Result<bool, DbError> {
    let mut tx = super::write_tx(pool).await?;
    let moved = send_on_tx(&mut tx, id, from, to, vote, by, at).await?;
    if moved {
        tx.commit().await?;
    }
    Ok(moved)
}

/// [`send_on`] inside a transaction the caller commits (with its audit entry).
#[allow(clippy::too_many_arguments)]
pub async fn send_on_tx(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    id: ProposalId,
    from: CouncilId,
    to: CouncilId,
    vote: VoteId,
    by: UserId,
    at: DateTime<Utc>,
) -> Result<bool, DbError> {
    let now = at.timestamp_micros();
    let moved = sqlx::query(
        "UPDATE proposals SET status = 'submitted', council_id = $1, updated_at = $2, decision_vote_id = $3 \
         WHERE id = $4 AND status = 'on_agenda' AND council_id = $5",
    )
    .bind(to.0)
    .bind(now)
    .bind(vote.0)
    .bind(id.0)
    .bind(from.0)
    .execute(&mut **tx)
    .await
    .map_err(needs_vote)?
    .rows_affected();
    if moved != 1 {
        return Ok(false);
    }
    sqlx::query(
        "INSERT INTO proposal_hops (proposal_id, from_council, to_council, at, by_user) VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(id.0)
    .bind(from.0)
    .bind(to.0)
    .bind(now)
    .bind(by.0)
    .execute(&mut **tx)
    .await?;
    super::notifications::notify_followers(tx, id, NotificationKind::Submitted, Some(by), now)
        .await?;
    Ok(true)
}

async fn comments(pool: &AnyPool, id: ProposalId) -> Result<Vec<CommentView>, DbError> {
    #[derive(sqlx::FromRow)]
    struct CommentRow {
        id: CommentId,
        first_name: String,
        status: String,
        body: String,
        created_at: i64,
        hidden_reason: Option<String>,
        author_role: Option<String>,
        question: i64,
    }
    let rows: Vec<CommentRow> = sqlx::query_as(
        "SELECT k.id, u.first_name, u.status, k.body, k.created_at, k.hidden_reason, k.author_role, k.question \
         FROM comments k JOIN users u ON u.id = k.author_id WHERE k.proposal_id = $1 ORDER BY k.id LIMIT 500",
    )
    .bind(id.0)
    .fetch_all(pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| CommentView {
            id: r.id,
            author: author(true, r.first_name, &r.status),
            at: to_datetime(r.created_at),
            body: r.hidden_reason.is_none().then_some(r.body),
            hidden_reason: r.hidden_reason,
            role: r.author_role.as_deref().and_then(CommentRole::parse),
            question: r.question != 0,
        })
        .collect())
}

/// A step in a proposal's life, with what it carries.
#[derive(Debug, Clone)]
pub enum Step {
    PutOnAgenda {
        council: CouncilId,
        meeting: Option<String>,
        meeting_id: Option<i64>,
    },
    RemoveFromAgenda {
        council: CouncilId,
    },
    /// The council's decision (forward, reject, resolve), on the council whose agenda the
    /// proposal is on.
    Decide {
        council: CouncilId,
        /// What it decided; a forwarded proposal names its committee by id (the step
        /// stores the committee's current name as shown).
        decision: CouncilDecision<CommitteeId>,
        /// The closed, passed vote the decision rests on (the database checks it).
        vote: Option<VoteId>,
    },
    Answer {
        committee: String,
        answer: Answer,
        reason: Option<crate::domain::proposal::AnswerReason>,
        /// The politician(s) answering, as shown.
        by: String,
    },
}

impl Step {
    fn target(&self) -> Stage {
        match self {
            Self::PutOnAgenda { .. } => Stage::OnAgenda,
            Self::RemoveFromAgenda { .. } => Stage::Submitted,
            Self::Decide { decision, .. } => decision.stage(),
            Self::Answer { .. } => Stage::Answered,
        }
    }

    fn kind(&self) -> NotificationKind {
        match self {
            Self::PutOnAgenda { .. } => NotificationKind::OnAgenda,
            Self::RemoveFromAgenda { .. } => NotificationKind::RemovedFromAgenda,
            Self::Decide { decision, .. } => match decision {
                CouncilDecision::Forwarded { .. } => NotificationKind::Forwarded,
                CouncilDecision::Rejected { .. } => NotificationKind::RejectedByCouncil,
                CouncilDecision::Resolved { .. } => NotificationKind::ResolvedByCouncil,
            },
            Self::Answer { .. } => NotificationKind::Answered,
        }
    }
}

/// What a step writes: the council, a label (meeting or committee), a text (explanation,
/// how, answer), the answer, the vote and the deadline.
#[derive(Default)]
struct Columns {
    council: Option<i64>,
    /// The committee a forwarded proposal goes to.
    committee: Option<CommitteeId>,
    label: Option<String>,
    text: Option<String>,
    answer: Option<&'static str>,
    vote: Option<i64>,
    deadline: Option<i64>,
    meeting_id: Option<i64>,
}

impl Columns {
    fn of(step: &Step) -> Self {
        match step {
            Step::PutOnAgenda {
                council,
                meeting,
                meeting_id,
            } => Self {
                council: Some(council.0),
                label: meeting.clone(),
                meeting_id: *meeting_id,
                ..Self::default()
            },
            Step::RemoveFromAgenda { council } => Self {
                council: Some(council.0),
                ..Self::default()
            },
            Step::Decide {
                council,
                decision,
                vote,
            } => {
                let (committee, text, deadline) = match decision {
                    CouncilDecision::Forwarded {
                        committee,
                        deadline,
                    } => (Some(*committee), None, Some(deadline.timestamp_micros())),
                    CouncilDecision::Rejected { explanation: text }
                    | CouncilDecision::Resolved { how: text } => (None, Some(text.clone()), None),
                };
                Self {
                    council: Some(council.0),
                    committee,
                    text,
                    vote: vote.map(|v| v.0),
                    deadline,
                    ..Self::default()
                }
            }
            Step::Answer {
                committee, answer, ..
            } => Self {
                label: Some(committee.clone()),
                text: answer.text().map(str::to_owned),
                answer: Some(answer.kind().as_str()),
                ..Self::default()
            },
        }
    }
}

/// Moves a proposal one step on: the status and its data, the timeline entry and the
/// notifications to the author and followers, in one transaction. The step must be legal
/// from the current stage (checked here, and by the database trigger); a proposal that
/// moved on meanwhile gives a conflict.
pub async fn step(
    pool: &AnyPool,
    id: ProposalId,
    step: Step,
    actor: Option<UserId>,
    at: DateTime<Utc>,
) -> Result<(), DbError> {
    let mut tx = super::write_tx(pool).await?;
    step_tx(&mut tx, id, step, actor, at).await?;
    tx.commit().await?;
    Ok(())
}

/// [`step`] inside a transaction the caller commits (e.g. with the agenda item it goes with).
pub async fn step_tx(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    id: ProposalId,
    step: Step,
    actor: Option<UserId>,
    at: DateTime<Utc>,
) -> Result<(), DbError> {
    let at = at.timestamp_micros();
    // Write first: SQLite takes the write lock now rather than failing on upgrade.
    sqlx::query("UPDATE proposals SET updated_at = updated_at WHERE id = $1")
        .bind(id.0)
        .execute(&mut **tx)
        .await?;
    let current: Option<Stage> = sqlx::query_scalar("SELECT status FROM proposals WHERE id = $1")
        .bind(id.0)
        .fetch_optional(&mut **tx)
        .await?;
    let Some(from) = current else {
        return Err(DbError::Conflict(Msg::ProposalMissing));
    };
    let to = step.target();
    if !from.can_move_to(to) {
        return Err(DbError::Conflict(Msg::StageStep { from, to }));
    }
    let mut c = Columns::of(&step);
    if let Some(committee) = c.committee {
        // Forwarding: the proposal refers to the committee by id and keeps the name it was
        // sent to (shown on its page and timeline) as a label.
        let name: Option<String> =
            sqlx::query_scalar("SELECT name FROM committees WHERE id = $1 AND archived_at IS NULL")
                .bind(committee)
                .fetch_optional(&mut **tx)
                .await?;
        c.label = Some(name.ok_or_else(|| DbError::Conflict(Msg::CommitteeMissing))?);
    }
    let updated = if let Step::Answer { reason, by, .. } = &step {
        sqlx::query(
            "UPDATE proposals SET status = $1, answer = $2, answer_text = $3, answered_at = $4, updated_at = $5, \
             answer_reason = $6, answered_by = $7 WHERE id = $8 AND status = $9",
        )
        .bind(to.as_str())
        .bind(c.answer)
        .bind(c.text.clone())
        .bind(Some(at))
        .bind(at)
        .bind(reason.map(|r| r.as_str()))
        .bind(by.clone())
        .bind(id.0)
        .bind(from.as_str())
        .execute(&mut **tx)
        .await?
    } else {
        let decided = matches!(step, Step::Decide { .. });
        sqlx::query(
            "UPDATE proposals SET status = $1, decision_text = $2, committee = $3, deadline_at = $4, \
             decided_at = $5, updated_at = $6, committee_id = $7, \
             decision_vote_id = CASE WHEN $11 = 1 THEN $12 ELSE decision_vote_id END \
             WHERE id = $8 AND status = $9 AND council_id = $10",
        )
        .bind(to.as_str())
        .bind(if decided { c.text.clone() } else { None })
        .bind(c.label.clone().filter(|_| to == Stage::Forwarded))
        .bind(c.deadline)
        .bind(decided.then_some(at))
        .bind(at)
        .bind(c.committee)
        .bind(id.0)
        .bind(from.as_str())
        // Only the council the proposal belongs to can move it.
        .bind(c.council)
        .bind(i64::from(decided))
        .bind(c.vote)
        .execute(&mut **tx)
        .await
        .map_err(needs_vote)?
    };
    if updated.rows_affected() != 1 {
        return Err(DbError::Conflict(Msg::ProposalChangedJustNow));
    }
    // The timeline entry.
    sqlx::query(
        "INSERT INTO proposal_events (proposal_id, kind, at, actor_id, council_id, label, body, answer, \
         votes_for, votes_against, votes_abstain, deadline_at, meeting_id, vote_id) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, (SELECT yes FROM votes WHERE id = $9), \
         (SELECT no FROM votes WHERE id = $10), (SELECT abstain FROM votes WHERE id = $11), $12, $13, $14)",
    )
    .bind(id.0)
    .bind(to.as_str())
    .bind(at)
    .bind(actor.map(|a| a.0))
    .bind(c.council)
    .bind(c.label)
    .bind(c.text)
    .bind(c.answer)
    .bind(c.vote)
    .bind(c.vote)
    .bind(c.vote)
    .bind(c.deadline)
    .bind(c.meeting_id)
    .bind(c.vote)
    .execute(&mut **tx)
    .await?;
    super::notifications::notify_followers(tx, id, step.kind(), actor, at).await?;
    Ok(())
}

/// The database refused a council decision that does not rest on a passed vote.
fn needs_vote(e: sqlx::Error) -> DbError {
    match &e {
        sqlx::Error::Database(d) if d.message().contains("needs a passed vote") => {
            DbError::Conflict(Msg::DecisionNeedsVote)
        }
        _ => e.into(),
    }
}

/// Adds a follow-up note (opfølgning) after an answer; notifies author and followers.
pub async fn follow_up(
    pool: &AnyPool,
    id: ProposalId,
    state: FollowUpState,
    note: &str,
    actor: Option<UserId>,
    at: DateTime<Utc>,
    once: Option<&super::submissions::Once>,
) -> Result<(), DbError> {
    let mut tx = super::write_tx(pool).await?;
    follow_up_tx(&mut tx, id, state, note, actor, at, once).await?;
    tx.commit().await?;
    Ok(())
}

/// [`follow_up`] inside a transaction the caller commits (with its audit entry). The rule
/// (after a Ja or Delvist only: `AnswerKind::allows_follow_up`) is checked on the row
/// locked in this transaction.
pub async fn follow_up_tx(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    id: ProposalId,
    state: FollowUpState,
    note: &str,
    actor: Option<UserId>,
    at: DateTime<Utc>,
    once: Option<&super::submissions::Once>,
) -> Result<(), DbError> {
    let at = at.timestamp_micros();
    if let Some(once) = once {
        super::submissions::claim_or_replay(tx, once).await?;
    }
    // Write first: SQLite takes the write lock now rather than failing on upgrade.
    sqlx::query(
        "UPDATE proposals SET updated_at = updated_at WHERE id = $1 AND status = 'answered'",
    )
    .bind(id.0)
    .execute(&mut **tx)
    .await?;
    let answer: Option<Option<String>> =
        sqlx::query_scalar("SELECT answer FROM proposals WHERE id = $1 AND status = 'answered'")
            .bind(id.0)
            .fetch_optional(&mut **tx)
            .await?;
    let allowed = answer
        .flatten()
        .as_deref()
        .and_then(AnswerKind::parse)
        .is_some_and(AnswerKind::allows_follow_up);
    if !allowed {
        return Err(DbError::Conflict(Msg::FollowUpAfterYes));
    }
    sqlx::query(
        "INSERT INTO proposal_events (proposal_id, kind, at, actor_id, body, follow_up) \
         VALUES ($1, 'follow_up', $2, $3, $4, $5)",
    )
    .bind(id.0)
    .bind(at)
    .bind(actor.map(|a| a.0))
    .bind(note)
    .bind(state.as_str())
    .execute(&mut **tx)
    .await?;
    super::notifications::notify_followers(tx, id, NotificationKind::FollowUp, actor, at).await?;
    Ok(())
}

/// Inserts `n` submitted, published proposals by `author` to `council` in one
/// transaction, one second apart (for benchmarks and the query-count test).
pub async fn insert_many(
    pool: &AnyPool,
    author: UserId,
    council: CouncilId,
    n: usize,
) -> Result<(), DbError> {
    let start = now_micros() - (n as i64) * 1_000_000;
    let mut tx = super::write_tx(pool).await?;
    for i in 0..n {
        let at = start + (i as i64) * 1_000_000;
        let theme = Theme::ALL[i % Theme::ALL.len()];
        sqlx::query(
            "INSERT INTO proposals (author_id, council_id, title, body, theme, show_name, status, visibility, \
             created_at, updated_at, submitted_at, supporters) \
             VALUES ($1, $2, $3, $4, $5, 1, 'submitted', 'published', $6, $7, $8, 0)",
        )
        .bind(author.0)
        .bind(council.0)
        .bind(format!("Forslag nummer {i}"))
        .bind(format!("Beskrivelse af forslag nummer {i}: mere lys, flere bænke og bedre busser."))
        .bind(theme.as_str())
        .bind(at)
        .bind(at)
        .bind(at)
        .execute(&mut *tx)
        .await?;
    }
    tx.commit().await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    #[test]
    fn public_filter_matches_the_partial_indexes() {
        assert_eq!(
            super::public_filter(),
            "p.visibility = 'published' AND p.status <> 'draft'"
        );
    }
}
