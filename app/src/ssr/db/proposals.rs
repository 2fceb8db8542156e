//! Proposals: create, edit drafts, list (keyset), the page with its timeline, and the
//! one function every status change goes through ([`step`]).
use super::time::{now_micros, to_datetime};
use super::{Backend, DbError};
use crate::domain::council::VoteId;
use crate::domain::ids::{CouncilId, ProposalId, SchoolId, UserId};
use crate::domain::message::Msg;
use crate::domain::notification::NotificationKind;
use crate::domain::proposal::{
    Answer, AnswerKind, Author, CommentView, CouncilDecision, Cursor, FollowUpState, Intent,
    ListFilter, ProposalContent, ProposalDetail, ProposalDraft, ProposalPage, ProposalStatus,
    ProposalSummary, Sort, Stage, StatusParts, Target, Theme, TimelineEntry, TimelineEvent, Viewer,
    Visibility, VoteTally,
};
use chrono::{DateTime, Utc};
use sqlx::any::AnyRow;
use sqlx::{AnyPool, Row};

/// The councils `school` (the asker's school, if any) may send a proposal to:
/// the Ungeråd(s), other youth bodies and the pupil's own elevråd — none archived.
pub async fn targets(pool: &AnyPool, school: Option<SchoolId>) -> Result<Vec<Target>, DbError> {
    let rows: Vec<(i64, String)> = sqlx::query_as(
        "SELECT id, name FROM councils WHERE archived_at IS NULL \
         AND (kind IN ('ungeraad', 'anden') OR (kind = 'elevraad' AND school_id = $1)) \
         ORDER BY kind DESC, id",
    )
    .bind(school.map(|s| s.0).unwrap_or(0))
    .fetch_all(pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(id, name)| Target {
            id: CouncilId(id),
            name,
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
    let row: Option<(String, String, String, i64, i64)> = sqlx::query_as(
        "SELECT title, body, theme, council_id, show_name FROM proposals \
         WHERE id = $1 AND author_id = $2 AND status = 'draft'",
    )
    .bind(id.0)
    .bind(author.0)
    .fetch_optional(pool)
    .await?;
    Ok(
        row.map(|(title, body, theme, council, show_name)| ProposalDraft {
            id,
            title,
            body,
            theme: Theme::parse(&theme).unwrap_or(Theme::Andet),
            council: CouncilId(council),
            show_name: show_name == 1,
        }),
    )
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
     u.first_name, u.status, c.name, p.supporters, p.comment_count, p.submitted_at";

fn summary(row: &AnyRow) -> Result<ProposalSummary, sqlx::Error> {
    let author = author(
        row.try_get::<i64, _>(6)? == 1,
        row.try_get(7)?,
        &row.try_get::<String, _>(8)?,
    );
    Ok(ProposalSummary {
        id: ProposalId(row.try_get(0)?),
        title: row.try_get(1)?,
        theme: Theme::parse(&row.try_get::<String, _>(2)?).unwrap_or(Theme::Andet),
        stage: Stage::parse(&row.try_get::<String, _>(3)?).unwrap_or(Stage::Submitted),
        answer: row
            .try_get::<Option<String>, _>(4)?
            .and_then(|a| AnswerKind::parse(&a)),
        deadline: row.try_get::<Option<i64>, _>(5)?.map(to_datetime),
        author,
        council: row.try_get(9)?,
        supporters: row.try_get(10)?,
        comments: row.try_get(11)?,
        submitted_at: row.try_get::<Option<i64>, _>(12)?.map(to_datetime),
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
         WHERE p.visibility = 'published' AND p.status <> 'draft'"
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

/// The facts about a proposal that decide who may see and do what.
#[derive(Debug, Clone)]
pub struct Access {
    pub author: UserId,
    pub stage: Stage,
    pub visibility: Visibility,
    pub council: CouncilId,
}

pub async fn access(pool: &AnyPool, id: ProposalId) -> Result<Option<Access>, DbError> {
    let row: Option<(i64, String, String, i64)> = sqlx::query_as(
        "SELECT author_id, status, visibility, council_id FROM proposals WHERE id = $1",
    )
    .bind(id.0)
    .fetch_optional(pool)
    .await?;
    Ok(row.and_then(|(author, status, visibility, council)| {
        Some(Access {
            author: UserId(author),
            stage: Stage::parse(&status)?,
            visibility: Visibility::parse(&visibility)?,
            council: CouncilId(council),
        })
    }))
}

/// The proposal page: the proposal, its timeline, comments and the viewer's state,
/// in four queries whatever their size. `viewer` is (user, may moderate).
pub async fn detail(
    pool: &AnyPool,
    id: ProposalId,
    viewer: Option<(UserId, bool, bool)>,
) -> Result<Option<ProposalDetail>, DbError> {
    let row = sqlx::query(
        "SELECT p.title, p.body, p.theme, p.status, p.visibility, p.hidden_reason, p.show_name, \
         p.author_id, u.first_name, u.status, c.name, p.supporters, p.created_at, p.submitted_at, \
         p.decision_text, p.committee, p.deadline_at, p.answer, p.answer_text, p.answered_at \
         FROM proposals p JOIN users u ON u.id = p.author_id JOIN councils c ON c.id = p.council_id \
         WHERE p.id = $1",
    )
    .bind(id.0)
    .fetch_optional(pool)
    .await?;
    let Some(row) = row else { return Ok(None) };
    let stage = Stage::parse(&row.try_get::<String, _>(3)?).unwrap_or(Stage::Submitted);
    let visibility = Visibility::parse(&row.try_get::<String, _>(4)?).unwrap_or(Visibility::Hidden);
    let author_id = UserId(row.try_get(7)?);
    let (user, can_moderate, can_act) = match viewer {
        Some((u, m, a)) => (Some(u), m, a),
        None => (None, false, false),
    };
    let is_author = user == Some(author_id);
    // Drafts are the author's; proposals awaiting approval are the author's and the moderators'.
    let allowed = match (stage, visibility) {
        (Stage::Draft, _) => is_author,
        (_, Visibility::Pending) => is_author || can_moderate,
        _ => true,
    };
    if !allowed {
        return Ok(None);
    }
    let parts = StatusParts {
        decision_text: row.try_get(14)?,
        committee: row.try_get(15)?,
        deadline: row.try_get::<Option<i64>, _>(16)?.map(to_datetime),
        answer: row
            .try_get::<Option<String>, _>(17)?
            .and_then(|a| AnswerKind::parse(&a)),
        answer_text: row.try_get(18)?,
        answered_at: row.try_get::<Option<i64>, _>(19)?.map(to_datetime),
    };
    let status = ProposalStatus::from_parts(stage, parts).unwrap_or(ProposalStatus::Submitted);
    let hidden = visibility == Visibility::Hidden;
    let (title, body) = if hidden {
        (String::new(), String::new())
    } else {
        (row.try_get(0)?, row.try_get(1)?)
    };
    let timeline = timeline(pool, id).await?;
    let comments = if hidden {
        Vec::new()
    } else {
        comments(pool, id).await?
    };
    let (supports, follows) = match user {
        Some(u) => {
            let (s, f): (i64, i64) = sqlx::query_as(
                "SELECT (SELECT COUNT(*) FROM proposal_supports WHERE proposal_id = $1 AND user_id = $2), \
                 (SELECT COUNT(*) FROM proposal_follows WHERE proposal_id = $3 AND user_id = $4)",
            )
            .bind(id.0)
            .bind(u.0)
            .bind(id.0)
            .bind(u.0)
            .fetch_one(pool)
            .await?;
            (s > 0, f > 0)
        }
        None => (false, false),
    };
    Ok(Some(ProposalDetail {
        id,
        title,
        body,
        theme: Theme::parse(&row.try_get::<String, _>(2)?).unwrap_or(Theme::Andet),
        status,
        visibility,
        hidden_reason: row.try_get(5)?,
        author: author(
            row.try_get::<i64, _>(6)? == 1,
            row.try_get(8)?,
            &row.try_get::<String, _>(9)?,
        ),
        council: row.try_get(10)?,
        supporters: row.try_get(11)?,
        created_at: to_datetime(row.try_get(12)?),
        submitted_at: row.try_get::<Option<i64>, _>(13)?.map(to_datetime),
        timeline,
        comments,
        viewer: Viewer {
            logged_in: user.is_some(),
            can_act,
            is_author,
            supports,
            follows,
            can_moderate,
            can_answer: false,
            can_follow_up: false,
            can_clarify: false,
            can_give_feedback: false,
        },
        answer_meta: None,
        feedback: None,
        clarifications: Vec::new(),
    }))
}

async fn timeline(pool: &AnyPool, id: ProposalId) -> Result<Vec<TimelineEntry>, DbError> {
    let rows = sqlx::query(
        "SELECT e.kind, e.at, c.name, e.label, e.body, e.answer, e.follow_up, \
         e.votes_for, e.votes_against, e.votes_abstain, e.deadline_at, e.meeting_id \
         FROM proposal_events e LEFT JOIN councils c ON c.id = e.council_id \
         WHERE e.proposal_id = $1 ORDER BY e.at, e.id",
    )
    .bind(id.0)
    .fetch_all(pool)
    .await?;
    let mut out = Vec::with_capacity(rows.len());
    for row in &rows {
        let kind: String = row.try_get(0)?;
        let council: String = row.try_get::<Option<String>, _>(2)?.unwrap_or_default();
        let label: Option<String> = row.try_get(3)?;
        let body: Option<String> = row.try_get(4)?;
        let vote = match (
            row.try_get::<Option<i64>, _>(7)?,
            row.try_get::<Option<i64>, _>(8)?,
            row.try_get::<Option<i64>, _>(9)?,
        ) {
            (Some(yes), Some(no), Some(abstain)) => Some(VoteTally { yes, no, abstain }),
            _ => None,
        };
        let deadline = row.try_get::<Option<i64>, _>(10)?.map(to_datetime);
        let event = match kind.as_str() {
            "submitted" => TimelineEvent::Submitted,
            "approved" => TimelineEvent::Approved,
            "on_agenda" => TimelineEvent::OnAgenda {
                council,
                meeting: label,
                meeting_id: row.try_get(11)?,
            },
            "removed_from_agenda" => TimelineEvent::RemovedFromAgenda { council },
            "forwarded" => TimelineEvent::Decided {
                council,
                decision: CouncilDecision::Forwarded {
                    committee: label.unwrap_or_default(),
                    deadline: deadline.unwrap_or_default(),
                },
                vote,
            },
            "rejected_by_council" => TimelineEvent::Decided {
                council,
                decision: CouncilDecision::Rejected {
                    explanation: body.unwrap_or_default(),
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
                    .try_get::<Option<String>, _>(5)?
                    .and_then(|a| AnswerKind::parse(&a))
                    .unwrap_or(AnswerKind::Ja),
                text: body,
            },
            "follow_up" => TimelineEvent::FollowUp {
                state: row
                    .try_get::<Option<String>, _>(6)?
                    .and_then(|s| FollowUpState::parse(&s))
                    .unwrap_or(FollowUpState::Planlagt),
                note: body.unwrap_or_default(),
            },
            _ => continue,
        };
        out.push(TimelineEntry {
            at: to_datetime(row.try_get(1)?),
            event,
        });
    }
    // Closed council votes on the proposal, from the votes themselves.
    let votes: Vec<(i64, String, i64, i64, i64, i64, i64)> = sqlx::query_as(
        "SELECT v.closed_at, c.name, m.id, v.yes, v.no, v.abstain, v.members \
         FROM votes v JOIN agenda_items a ON a.id = v.agenda_item_id JOIN meetings m ON m.id = a.meeting_id \
         JOIN councils c ON c.id = m.council_id WHERE a.proposal_id = $1 AND v.status = 'closed'",
    )
    .bind(id.0)
    .fetch_all(pool)
    .await?;
    for (at, council, meeting_id, yes, no, abstain, members) in votes {
        out.push(TimelineEntry {
            at: to_datetime(at),
            event: TimelineEvent::Voted {
                council,
                meeting_id,
                tally: VoteTally { yes, no, abstain },
                members,
            },
        });
    }
    let hops: Vec<(i64, String, String)> = sqlx::query_as(
        "SELECT h.at, f.name, t.name FROM proposal_hops h JOIN councils f ON f.id = h.from_council \
         JOIN councils t ON t.id = h.to_council WHERE h.proposal_id = $1",
    )
    .bind(id.0)
    .fetch_all(pool)
    .await?;
    for (at, from, to) in hops {
        out.push(TimelineEntry {
            at: to_datetime(at),
            event: TimelineEvent::SentOn { from, to },
        });
    }
    let changes: Vec<(i64, i64, String)> = sqlx::query_as(
        "SELECT at, new_deadline_at, reason FROM proposal_deadline_changes WHERE proposal_id = $1",
    )
    .bind(id.0)
    .fetch_all(pool)
    .await?;
    for (at, deadline, reason) in changes {
        out.push(TimelineEntry {
            at: to_datetime(at),
            event: TimelineEvent::DeadlineChanged {
                deadline: to_datetime(deadline),
                reason,
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
    let now = at.timestamp_micros();
    let mut tx = super::write_tx(pool).await?;
    let moved = sqlx::query(
        "UPDATE proposals SET status = 'submitted', council_id = $1, updated_at = $2, decision_vote_id = $3 \
         WHERE id = $4 AND status = 'on_agenda' AND council_id = $5",
    )
    .bind(to.0)
    .bind(now)
    .bind(vote.0)
    .bind(id.0)
    .bind(from.0)
    .execute(&mut *tx)
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
    .execute(&mut *tx)
    .await?;
    super::notifications::notify_followers(&mut tx, id, NotificationKind::Submitted, Some(by), now)
        .await?;
    tx.commit().await?;
    Ok(true)
}

async fn comments(pool: &AnyPool, id: ProposalId) -> Result<Vec<CommentView>, DbError> {
    let rows: Vec<(i64, String, String, String, i64, Option<String>)> = sqlx::query_as(
        "SELECT k.id, u.first_name, u.status, k.body, k.created_at, k.hidden_reason \
         FROM comments k JOIN users u ON u.id = k.author_id WHERE k.proposal_id = $1 ORDER BY k.id LIMIT 500",
    )
    .bind(id.0)
    .fetch_all(pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(cid, name, status, body, at, hidden)| CommentView {
            id: crate::domain::ids::CommentId(cid),
            author: author(true, name, &status),
            at: to_datetime(at),
            body: hidden.is_none().then_some(body),
            hidden_reason: hidden,
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
    Forward {
        council: CouncilId,
        committee: String,
        deadline: DateTime<Utc>,
        /// The closed, passed vote the decision rests on (the database checks it).
        vote: Option<VoteId>,
    },
    Reject {
        council: CouncilId,
        explanation: String,
        /// The closed, passed vote the decision rests on (the database checks it).
        vote: Option<VoteId>,
    },
    Resolve {
        council: CouncilId,
        how: String,
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
            Self::Forward { .. } => Stage::Forwarded,
            Self::Reject { .. } => Stage::RejectedByCouncil,
            Self::Resolve { .. } => Stage::ResolvedByCouncil,
            Self::Answer { .. } => Stage::Answered,
        }
    }

    fn kind(&self) -> NotificationKind {
        match self {
            Self::PutOnAgenda { .. } => NotificationKind::OnAgenda,
            Self::RemoveFromAgenda { .. } => NotificationKind::RemovedFromAgenda,
            Self::Forward { .. } => NotificationKind::Forwarded,
            Self::Reject { .. } => NotificationKind::RejectedByCouncil,
            Self::Resolve { .. } => NotificationKind::ResolvedByCouncil,
            Self::Answer { .. } => NotificationKind::Answered,
        }
    }
}

/// What a step writes: the council, a label (meeting or committee), a text (explanation,
/// how, answer), the answer, the vote and the deadline.
#[derive(Default)]
struct Columns {
    council: Option<i64>,
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
            Step::Forward {
                council,
                committee,
                deadline,
                vote,
            } => Self {
                council: Some(council.0),
                label: Some(committee.clone()),
                vote: vote.map(|v| v.0),
                deadline: Some(deadline.timestamp_micros()),
                ..Self::default()
            },
            Step::Reject {
                council,
                explanation,
                vote,
            } => Self {
                council: Some(council.0),
                text: Some(explanation.clone()),
                vote: vote.map(|v| v.0),
                ..Self::default()
            },
            Step::Resolve { council, how, vote } => Self {
                council: Some(council.0),
                text: Some(how.clone()),
                vote: vote.map(|v| v.0),
                ..Self::default()
            },
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
    let current: Option<String> = sqlx::query_scalar("SELECT status FROM proposals WHERE id = $1")
        .bind(id.0)
        .fetch_optional(&mut **tx)
        .await?;
    let Some(from) = current.as_deref().and_then(Stage::parse) else {
        return Err(DbError::Conflict(Msg::ProposalMissing));
    };
    let to = step.target();
    if !from.can_move_to(to) {
        return Err(DbError::Conflict(Msg::StageStep { from, to }));
    }
    let c = Columns::of(&step);
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
        let decided = matches!(
            step,
            Step::Forward { .. } | Step::Reject { .. } | Step::Resolve { .. }
        );
        sqlx::query(
            "UPDATE proposals SET status = $1, decision_text = $2, committee = $3, deadline_at = $4, \
             decided_at = $5, updated_at = $6, committee_id = (SELECT id FROM committees WHERE name = $7), \
             decision_vote_id = CASE WHEN $11 = 1 THEN $12 ELSE decision_vote_id END \
             WHERE id = $8 AND status = $9 AND council_id = $10",
        )
        .bind(to.as_str())
        .bind(if decided { c.text.clone() } else { None })
        .bind(c.label.clone().filter(|_| matches!(step, Step::Forward { .. })))
        .bind(c.deadline)
        .bind(decided.then_some(at))
        .bind(at)
        .bind(c.label.clone().filter(|_| matches!(step, Step::Forward { .. })))
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
    let at = at.timestamp_micros();
    let mut tx = super::write_tx(pool).await?;
    if let Some(once) = once {
        super::submissions::claim_or_replay(&mut tx, once).await?;
    }
    let inserted = sqlx::query(
        "INSERT INTO proposal_events (proposal_id, kind, at, actor_id, body, follow_up) \
         SELECT id, 'follow_up', $1, $2, $3, $4 FROM proposals WHERE id = $5 AND status = 'answered' \
         AND answer IN ('ja', 'delvist')",
    )
    .bind(at)
    .bind(actor.map(|a| a.0))
    .bind(note)
    .bind(state.as_str())
    .bind(id.0)
    .execute(&mut *tx)
    .await?
    .rows_affected();
    if inserted != 1 {
        return Err(DbError::Conflict(Msg::FollowUpAfterYes));
    }
    super::notifications::notify_followers(&mut tx, id, NotificationKind::FollowUp, actor, at)
        .await?;
    tx.commit().await?;
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
