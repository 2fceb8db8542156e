//! Councils at work: members and officers, meetings, agenda items, votes and ballots.
use super::decode::Day;
use super::proposals::{step_tx, Step};
use super::submissions::Once;
use super::time::{now_micros, to_datetime, today};
use super::DbError;
use crate::domain::account::CouncilKind;
use crate::domain::council::{
    AgendaItemId, AgendaItemView, Choice, CouncilView, MeetingId, MeetingStatus, MeetingSummary,
    MeetingView, Member, MinutesView, SuggestionStatus, SuggestionView, VoteId, VoteRecord,
    VoteView,
};
use crate::domain::ids::{CouncilId, ProposalId, SchoolId, SuggestionId, UserId};
use crate::domain::message::Msg;
use crate::domain::pool::ApplicationStatus;
use crate::domain::proposal::{Stage, VoteTally};
use chrono::{DateTime, Utc};
use sqlx::AnyPool;

pub(crate) const MEMBER_ROLES: &str = "('ungeraadsmedlem', 'elevraadsmedlem', 'elevraadsformand')";

/// Is `user` a member of `council` with a term that includes today (Copenhagen)? A term's
/// end date is its last day.
pub async fn is_member(pool: &AnyPool, council: CouncilId, user: UserId) -> Result<bool, DbError> {
    let n: i64 = sqlx::query_scalar(&format!(
        "SELECT COUNT(*) FROM user_roles WHERE council_id = $1 AND user_id = $2 AND role IN {MEMBER_ROLES} \
         AND starts_on <= $3 AND ends_on >= $4"
    ))
    .bind(council.0)
    .bind(user.0)
    .bind(today())
    .bind(today())
    .fetch_one(pool)
    .await?;
    Ok(n > 0)
}

/// One council's facts for [`access`]: its kind and school, and how many of the user's
/// officer posts (with a running member term, or as elevrådsformand) and running member
/// terms it has.
#[derive(sqlx::FromRow)]
struct CouncilAccessRow {
    kind: CouncilKind,
    school_id: Option<SchoolId>,
    officer: i64,
    member: i64,
}

/// The facts about `council` and `user` that decide the user's rights there
/// (`domain::rights::CouncilRights`): its kind and school, and whether the user is an
/// officer or a member with a running term (a term includes today, Copenhagen). None when
/// there is no such council. One query.
pub async fn access(
    pool: &AnyPool,
    council: CouncilId,
    user: UserId,
) -> Result<Option<crate::domain::rights::CouncilAccess>, DbError> {
    let running = "r.starts_on <= $3 AND r.ends_on >= $3";
    let row: Option<CouncilAccessRow> = sqlx::query_as(&format!(
        "SELECT c.kind, c.school_id, \
         (SELECT COUNT(*) FROM council_officers o WHERE o.council_id = c.id AND o.user_id = $2 \
          AND EXISTS (SELECT 1 FROM user_roles r WHERE r.council_id = c.id AND r.user_id = $2 \
          AND r.role IN {MEMBER_ROLES} AND {running})) + \
         (SELECT COUNT(*) FROM user_roles r WHERE r.council_id = c.id AND r.user_id = $2 \
          AND r.role = 'elevraadsformand' AND {running}) AS officer, \
         (SELECT COUNT(*) FROM user_roles r WHERE r.council_id = c.id AND r.user_id = $2 \
          AND r.role IN {MEMBER_ROLES} AND {running}) AS member \
         FROM councils c WHERE c.id = $1"
    ))
    .bind(council.0)
    .bind(user.0)
    .bind(today())
    .fetch_optional(pool)
    .await?;
    Ok(row.map(|r| crate::domain::rights::CouncilAccess {
        kind: r.kind,
        school: r.school_id,
        is_officer: r.officer > 0,
        is_member: r.member > 0,
    }))
}

/// Members with an active term.
pub async fn member_count(pool: &AnyPool, council: CouncilId) -> Result<i64, DbError> {
    Ok(sqlx::query_scalar(&format!(
        "SELECT COUNT(DISTINCT user_id) FROM user_roles WHERE council_id = $1 AND role IN {MEMBER_ROLES} \
         AND starts_on <= $2 AND ends_on >= $3"
    ))
    .bind(council.0)
    .bind(today())
    .bind(today())
    .fetch_one(pool)
    .await?)
}

/// Makes `user` the council's chair or secretary (replacing the previous one).
pub async fn set_officer(
    pool: &AnyPool,
    council: CouncilId,
    user: UserId,
    position: &str,
) -> Result<(), DbError> {
    let mut tx = super::write_tx(pool).await?;
    set_officer_tx(&mut tx, council, user, position).await?;
    tx.commit().await?;
    Ok(())
}

/// [`set_officer`] inside a transaction the caller commits (with its audit entry).
pub async fn set_officer_tx(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    council: CouncilId,
    user: UserId,
    position: &str,
) -> Result<(), DbError> {
    // One appointment to a post at a time (PostgreSQL would otherwise let two identical
    // requests both delete and then both insert).
    super::lock(tx, &format!("officer:{}:{position}", council.0)).await?;
    let tx: &mut sqlx::AnyConnection = tx;
    sqlx::query("DELETE FROM council_officers WHERE council_id = $1 AND position = $2")
        .bind(council.0)
        .bind(position)
        .execute(&mut *tx)
        .await?;
    sqlx::query("INSERT INTO council_officers (council_id, user_id, position) VALUES ($1, $2, $3)")
        .bind(council.0)
        .bind(user.0)
        .bind(position)
        .execute(&mut *tx)
        .await?;
    Ok(())
}

/// A member as the council page lists them.
#[derive(sqlx::FromRow)]
struct MemberRow {
    id: i64,
    first_name: String,
    chair: i64,
    secretary: i64,
    starts_on: Option<Day>,
    ends_on: Option<Day>,
}

/// The public council page.
pub async fn council_view(
    pool: &AnyPool,
    id: CouncilId,
    now: DateTime<Utc>,
) -> Result<Option<CouncilView>, DbError> {
    #[derive(sqlx::FromRow)]
    struct CouncilRow {
        name: String,
        kind: CouncilKind,
        secret_ballot: i64,
        allow_vote_change: i64,
        names_public: i64,
    }
    let row: Option<CouncilRow> = sqlx::query_as(
        "SELECT name, kind, secret_ballot, allow_vote_change, names_public FROM councils WHERE id = $1",
    )
    .bind(id.0)
    .fetch_optional(pool)
    .await?;
    let Some(CouncilRow {
        name,
        kind,
        secret_ballot: secret,
        allow_vote_change: change,
        names_public,
    }) = row
    else {
        return Ok(None);
    };
    let members: Vec<MemberRow> = sqlx::query_as(&format!(
        "SELECT u.id, u.first_name, \
         (SELECT COUNT(*) FROM council_officers o WHERE o.council_id = $1 AND o.user_id = u.id AND o.position = 'chair') \
         + (SELECT COUNT(*) FROM user_roles f WHERE f.council_id = $2 AND f.user_id = u.id AND f.role = 'elevraadsformand') AS chair, \
         (SELECT COUNT(*) FROM council_officers o WHERE o.council_id = $3 AND o.user_id = u.id AND o.position = 'secretary') AS secretary, \
         (SELECT MIN(t.starts_on) FROM user_roles t WHERE t.council_id = $7 AND t.user_id = u.id AND t.role IN {MEMBER_ROLES}) AS starts_on, \
         (SELECT MAX(t.ends_on) FROM user_roles t WHERE t.council_id = $8 AND t.user_id = u.id AND t.role IN {MEMBER_ROLES}) AS ends_on \
         FROM users u WHERE u.status = 'active' AND u.id IN (SELECT user_id FROM user_roles WHERE council_id = $4 \
         AND role IN {MEMBER_ROLES} AND starts_on <= $5 AND ends_on >= $6) ORDER BY u.first_name"
    ))
    .bind(id.0)
    .bind(id.0)
    .bind(id.0)
    .bind(id.0)
    .bind(today())
    .bind(today())
    .bind(id.0)
    .bind(id.0)
    .fetch_all(pool)
    .await?;
    #[derive(sqlx::FromRow)]
    struct MeetingRow {
        id: MeetingId,
        starts_at: i64,
        place: String,
        status: MeetingStatus,
    }
    let meetings: Vec<MeetingRow> = sqlx::query_as(
        "SELECT id, starts_at, place, status FROM meetings WHERE council_id = $1 ORDER BY starts_at DESC LIMIT 200",
    )
    .bind(id.0)
    .fetch_all(pool)
    .await?;
    let (mut upcoming, mut past) = (Vec::new(), Vec::new());
    // A meeting counts as upcoming until three hours after it starts.
    let cutoff = (now - chrono::Duration::hours(3)).timestamp_micros();
    for r in meetings {
        let m = MeetingSummary {
            id: r.id,
            starts_at: to_datetime(r.starts_at),
            place: r.place,
            status: r.status,
        };
        if r.starts_at >= cutoff {
            upcoming.push(m);
        } else {
            past.push(m);
        }
    }
    upcoming.reverse();
    Ok(Some(CouncilView {
        id,
        name,
        kind,
        secret_ballot: secret == 1,
        allow_vote_change: change == 1,
        names_public: names_public == 1,
        names_hidden: false,
        members: members
            .into_iter()
            .map(|m| Member {
                user_id: Some(UserId(m.id)),
                first_name: Some(m.first_name),
                chair: m.chair > 0,
                secretary: m.secretary > 0,
                starts_on: m.starts_on.map(|d| d.0),
                ends_on: m.ends_on.map(|d| d.0),
            })
            .collect(),
        upcoming,
        past,
        can_run: false,
        can_suggest: false,
        suggestions: Vec::new(),
        open_meetings: Vec::new(),
    }))
}

/// Sets the council's ballot rules, in the caller's transaction.
pub async fn set_ballot_rules_tx(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    council: CouncilId,
    secret: bool,
    allow_change: bool,
) -> Result<(), DbError> {
    sqlx::query("UPDATE councils SET secret_ballot = $1, allow_vote_change = $2 WHERE id = $3")
        .bind(i64::from(secret))
        .bind(i64::from(allow_change))
        .bind(council.0)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// Sets whether the council shows its members' names to the public, in the caller's
/// transaction. Returns false when there is no such council.
pub async fn set_names_public_tx(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    council: CouncilId,
    public: bool,
) -> Result<bool, DbError> {
    let done = sqlx::query("UPDATE councils SET names_public = $1 WHERE id = $2")
        .bind(i64::from(public))
        .bind(council.0)
        .execute(&mut **tx)
        .await?;
    Ok(done.rows_affected() == 1)
}

pub async fn create_meeting(
    pool: &AnyPool,
    council: CouncilId,
    starts_at: DateTime<Utc>,
    place: &str,
    by: UserId,
    once: Option<&Once>,
) -> Result<MeetingId, DbError> {
    let mut tx = super::write_tx(pool).await?;
    if let Some(once) = once {
        super::submissions::claim_or_replay(&mut tx, once).await?;
    }
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO meetings (council_id, starts_at, place, status, created_by, created_at) \
         VALUES ($1, $2, $3, 'planned', $4, $5) RETURNING id",
    )
    .bind(council.0)
    .bind(starts_at.timestamp_micros())
    .bind(place)
    .bind(by.0)
    .bind(now_micros())
    .fetch_one(&mut *tx)
    .await?;
    if let Some(once) = once {
        super::submissions::settle(&mut tx, once, &id.to_string()).await?;
    }
    tx.commit().await?;
    Ok(MeetingId(id))
}

/// The meeting's council, status, time and the council's name.
pub async fn meeting_council(
    pool: &AnyPool,
    id: MeetingId,
) -> Result<Option<(CouncilId, MeetingStatus, DateTime<Utc>, String)>, DbError> {
    #[derive(sqlx::FromRow)]
    struct MeetingCouncil {
        council_id: CouncilId,
        status: MeetingStatus,
        starts_at: i64,
        name: String,
    }
    let row: Option<MeetingCouncil> = sqlx::query_as(
        "SELECT m.council_id, m.status, m.starts_at, c.name FROM meetings m JOIN councils c ON c.id = m.council_id \
         WHERE m.id = $1",
    )
    .bind(id.0)
    .fetch_optional(pool)
    .await?;
    Ok(row.map(|r| (r.council_id, r.status, to_datetime(r.starts_at), r.name)))
}

/// Moves the meeting's status one step forward (only from `from`).
pub async fn advance_meeting(
    pool: &AnyPool,
    id: MeetingId,
    from: MeetingStatus,
    to: MeetingStatus,
) -> Result<bool, DbError> {
    Ok(
        sqlx::query("UPDATE meetings SET status = $1 WHERE id = $2 AND status = $3")
            .bind(to.as_str())
            .bind(id.0)
            .bind(from.as_str())
            .execute(pool)
            .await?
            .rows_affected()
            == 1,
    )
}

/// One agenda item with its proposal's and application's status and its vote.
#[derive(sqlx::FromRow)]
struct ItemRow {
    id: i64,
    position: i64,
    title: String,
    body: Option<String>,
    proposal_id: Option<i64>,
    proposal_status: Option<Stage>,
    vote_id: Option<i64>,
    vote_status: Option<String>,
    members: Option<i64>,
    voted: Option<i64>,
    application_id: Option<i64>,
    application_status: Option<ApplicationStatus>,
    asked_ore: Option<i64>,
    hearing_id: Option<i64>,
    hearing_status: Option<crate::domain::hearing::ResponseStatus>,
}

/// The meeting page: the meeting, its ordered agenda with each item's vote, and (for
/// those who run it) the proposals that can be added — a fixed number of queries.
pub async fn meeting_view(
    pool: &AnyPool,
    id: MeetingId,
    viewer: Option<UserId>,
) -> Result<Option<MeetingView>, DbError> {
    #[derive(sqlx::FromRow)]
    struct MeetingRow {
        council_id: CouncilId,
        council_name: String,
        starts_at: i64,
        place: String,
        status: MeetingStatus,
        names_public: i64,
    }
    /// A vote's secrecy and tally (0 while open).
    #[derive(sqlx::FromRow)]
    struct TallyRow {
        id: i64,
        secret: i64,
        yes: i64,
        no: i64,
        abstain: i64,
    }
    /// One named ballot.
    #[derive(sqlx::FromRow)]
    struct BallotRow {
        vote_id: i64,
        first_name: String,
        choice: Choice,
        user_id: UserId,
    }
    /// One version of an item's minutes.
    #[derive(sqlx::FromRow)]
    struct MinutesRow {
        agenda_item_id: i64,
        version: i64,
        summary: String,
        decision: Option<String>,
        written_at: i64,
    }
    let row: Option<MeetingRow> = sqlx::query_as(
        "SELECT m.council_id, c.name AS council_name, m.starts_at, m.place, m.status, c.names_public \
         FROM meetings m JOIN councils c ON c.id = m.council_id WHERE m.id = $1",
    )
    .bind(id.0)
    .fetch_optional(pool)
    .await?;
    let Some(MeetingRow {
        council_id: council,
        council_name,
        starts_at,
        place,
        status,
        names_public,
    }) = row
    else {
        return Ok(None);
    };
    let rows: Vec<ItemRow> = sqlx::query_as(
        "SELECT a.id, a.position, CASE WHEN p.visibility = 'hidden' THEN '—' ELSE a.title END AS title, \
         CASE WHEN p.visibility = 'hidden' THEN NULL ELSE a.body END AS body, a.proposal_id, \
         p.status AS proposal_status, v.id AS vote_id, v.status AS vote_status, v.members, \
         (SELECT COUNT(*) FROM vote_participants vp WHERE vp.vote_id = v.id) AS voted, \
         a.application_id, pa.status AS application_status, pa.asked_ore, \
         a.hearing_id, hc.status AS hearing_status \
         FROM agenda_items a LEFT JOIN proposals p ON p.id = a.proposal_id LEFT JOIN votes v ON v.agenda_item_id = a.id \
         LEFT JOIN pool_applications pa ON pa.id = a.application_id \
         LEFT JOIN hearing_councils hc ON hc.hearing_id = a.hearing_id AND hc.council_id = $2 \
         WHERE a.meeting_id = $1 ORDER BY a.position, a.id",
    )
    .bind(id.0)
    .bind(council.0)
    .fetch_all(pool)
    .await?;
    // Closed votes' tallies and secrecy, and named ballots, for the whole meeting at once.
    let tallies: Vec<TallyRow> = sqlx::query_as(
        "SELECT v.id, v.secret, COALESCE(v.yes, 0) AS yes, COALESCE(v.no, 0) AS no, \
         COALESCE(v.abstain, 0) AS abstain FROM votes v \
         JOIN agenda_items a ON a.id = v.agenda_item_id WHERE a.meeting_id = $1",
    )
    .bind(id.0)
    .fetch_all(pool)
    .await?;
    let named: Vec<BallotRow> = sqlx::query_as(
        "SELECT b.vote_id, u.first_name, b.choice, b.user_id FROM ballots b JOIN users u ON u.id = b.user_id \
         JOIN votes v ON v.id = b.vote_id JOIN agenda_items a ON a.id = v.agenda_item_id \
         WHERE a.meeting_id = $1 AND v.secret = 0 AND b.user_id IS NOT NULL ORDER BY u.first_name",
    )
    .bind(id.0)
    .fetch_all(pool)
    .await?;
    let mine: Vec<i64> = match viewer {
        Some(u) => sqlx::query_scalar(
            "SELECT vp.vote_id FROM vote_participants vp JOIN votes v ON v.id = vp.vote_id \
             JOIN agenda_items a ON a.id = v.agenda_item_id WHERE a.meeting_id = $1 AND vp.user_id = $2",
        )
        .bind(id.0)
        .bind(u.0)
        .fetch_all(pool)
        .await?,
        None => Vec::new(),
    };
    let minutes: Vec<MinutesRow> = sqlx::query_as(
        "SELECT n.agenda_item_id, n.version, n.summary, n.decision, n.written_at FROM minutes n \
         JOIN agenda_items a ON a.id = n.agenda_item_id WHERE a.meeting_id = $1 \
         ORDER BY n.agenda_item_id, n.version DESC",
    )
    .bind(id.0)
    .fetch_all(pool)
    .await?;
    let items = rows
        .into_iter()
        .map(
            |ItemRow {
                 id: item,
                 position,
                 title,
                 body,
                 proposal_id: proposal,
                 proposal_status: p_status,
                 vote_id: vote,
                 vote_status: v_status,
                 members,
                 voted,
                 application_id: application,
                 application_status: a_status,
                 asked_ore: asked,
                 hearing_id,
                 hearing_status,
             }| {
                let vote = vote.map(|vid| {
                    let open = v_status.as_deref() == Some("open");
                    let (secret, tally) = tallies
                        .iter()
                        .find(|t| t.id == vid)
                        .map(|t| {
                            (
                                t.secret == 1,
                                VoteTally {
                                    yes: t.yes,
                                    no: t.no,
                                    abstain: t.abstain,
                                },
                            )
                        })
                        .unwrap_or((
                            true,
                            VoteTally {
                                yes: 0,
                                no: 0,
                                abstain: 0,
                            },
                        ));
                    let members = members.unwrap_or(0);
                    let ballots: Vec<&BallotRow> =
                        named.iter().filter(|n| n.vote_id == vid).collect();
                    VoteView {
                        id: VoteId(vid),
                        open,
                        secret,
                        members,
                        voted: voted.unwrap_or(0),
                        tally: (!open).then_some(tally),
                        outcome: (!open).then(|| crate::domain::council::outcome(tally, members)),
                        named: if open || secret {
                            Vec::new()
                        } else {
                            ballots
                                .iter()
                                .map(|b| (b.first_name.clone(), b.choice))
                                .collect()
                        },
                        i_voted: mine.contains(&vid),
                        my_choice: if secret {
                            None
                        } else {
                            ballots
                                .iter()
                                .find(|b| Some(b.user_id) == viewer)
                                .map(|b| b.choice)
                        },
                    }
                });
                AgendaItemView {
                    id: AgendaItemId(item),
                    position,
                    title,
                    body,
                    // The foreign keys guarantee the joined status with the id.
                    proposal: proposal.zip(p_status).map(|(p, s)| (ProposalId(p), s)),
                    application: application
                        .zip(a_status)
                        .map(|(a, s)| (a, s, asked.unwrap_or(0))),
                    vote,
                    hearing: hearing_id.zip(hearing_status).map(|(h, s)| {
                        (
                            crate::domain::ids::HearingId(h),
                            s == crate::domain::hearing::ResponseStatus::Awaiting,
                        )
                    }),
                    minutes: minutes
                        .iter()
                        .filter(|m| m.agenda_item_id == item)
                        .map(|m| MinutesView {
                            version: m.version,
                            summary: m.summary.clone(),
                            decision: m.decision.clone(),
                            at: to_datetime(m.written_at),
                        })
                        .collect(),
                }
            },
        )
        .collect();
    Ok(Some(MeetingView {
        id,
        council,
        council_name,
        starts_at: to_datetime(starts_at),
        place,
        status,
        items,
        can_run: false,
        is_member: false,
        open_proposals: Vec::new(),
        committees: Vec::new(),
        open_applications: Vec::new(),
        names_public: names_public == 1,
        names_hidden: false,
    }))
}

/// Submitted applications to the pool years `council` decides that are not on an agenda
/// whose minutes are still open, oldest first (to put on an agenda).
pub async fn open_applications(
    pool: &AnyPool,
    council: CouncilId,
) -> Result<Vec<(i64, String)>, DbError> {
    #[derive(sqlx::FromRow)]
    struct OpenApplication {
        id: i64,
        title: String,
    }
    let rows: Vec<OpenApplication> = sqlx::query_as(
        "SELECT pa.id, pa.title FROM pool_applications pa JOIN pool_years y ON y.id = pa.pool_year_id \
         WHERE y.council_id = $1 AND pa.status = 'submitted' AND NOT EXISTS (SELECT 1 FROM agenda_items a \
         JOIN meetings m ON m.id = a.meeting_id WHERE a.application_id = pa.id AND m.status <> 'minutes_approved') \
         ORDER BY pa.submitted_at, pa.id LIMIT 200",
    )
    .bind(council.0)
    .fetch_all(pool)
    .await?;
    Ok(rows.into_iter().map(|r| (r.id, r.title)).collect())
}

/// Puts a pool application on a meeting's agenda (at the end), unless it already is on
/// an agenda whose minutes are not approved; `None` then.
pub async fn add_application_item(
    pool: &AnyPool,
    meeting: MeetingId,
    title: &str,
    application: i64,
    at: DateTime<Utc>,
) -> Result<Option<AgendaItemId>, DbError> {
    // Under the application's lock: on PostgreSQL two posts at once would otherwise both
    // see no item yet (NOT EXISTS reads the snapshot before the other's commit).
    let mut tx = super::write_tx(pool).await?;
    super::lock(&mut tx, &format!("application-agenda:{application}")).await?;
    let id: Option<i64> = sqlx::query_scalar(
        "INSERT INTO agenda_items (meeting_id, position, title, application_id, created_at) \
         SELECT $1, (SELECT COALESCE(MAX(position), 0) + 1 FROM agenda_items WHERE meeting_id = $1), $2, $3, $4 \
         WHERE NOT EXISTS (SELECT 1 FROM agenda_items a JOIN meetings m ON m.id = a.meeting_id \
         WHERE a.application_id = $3 AND m.status <> 'minutes_approved') RETURNING id",
    )
    .bind(meeting.0)
    .bind(title)
    .bind(application)
    .bind(at.timestamp_micros())
    .fetch_optional(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(id.map(AgendaItemId))
}

/// The pool application an agenda item is about, if any.
pub async fn item_application(pool: &AnyPool, item: AgendaItemId) -> Result<Option<i64>, DbError> {
    Ok(sqlx::query_scalar::<_, Option<i64>>(
        "SELECT application_id FROM agenda_items WHERE id = $1",
    )
    .bind(item.0)
    .fetch_optional(pool)
    .await?
    .flatten())
}

/// The vote on an agenda item, as stored, if one was opened.
pub async fn item_vote(pool: &AnyPool, item: AgendaItemId) -> Result<Option<VoteRecord>, DbError> {
    let row: Option<StoredVote> = sqlx::query_as(
        "SELECT id, status, yes, no, abstain, members FROM votes WHERE agenda_item_id = $1",
    )
    .bind(item.0)
    .fetch_optional(pool)
    .await?;
    Ok(row.map(vote_record))
}

/// A vote as stored; the tally is set once it is closed.
#[derive(sqlx::FromRow)]
struct StoredVote {
    id: VoteId,
    status: String,
    yes: Option<i64>,
    no: Option<i64>,
    abstain: Option<i64>,
    members: i64,
}

fn vote_record(v: StoredVote) -> VoteRecord {
    VoteRecord {
        id: v.id,
        open: v.status == "open",
        tally: match (v.yes, v.no, v.abstain) {
            (Some(yes), Some(no), Some(abstain)) if v.status == "closed" => {
                Some(VoteTally { yes, no, abstain })
            }
            _ => None,
        },
        members: v.members,
    }
}

/// The agenda items about a pool application, newest first: the item, its meeting, the
/// meeting's council and the item's vote.
pub async fn application_items(
    pool: &AnyPool,
    application: i64,
) -> Result<Vec<(AgendaItemId, MeetingId, CouncilId, Option<VoteRecord>)>, DbError> {
    /// An item with its meeting's council and its vote's columns (all NULL without a vote).
    #[derive(sqlx::FromRow)]
    struct ItemVoteRow {
        id: AgendaItemId,
        meeting_id: MeetingId,
        council_id: CouncilId,
        vote_id: Option<VoteId>,
        vote_status: Option<String>,
        yes: Option<i64>,
        no: Option<i64>,
        abstain: Option<i64>,
        members: Option<i64>,
    }
    let rows: Vec<ItemVoteRow> = sqlx::query_as(
        "SELECT a.id, a.meeting_id, m.council_id, v.id AS vote_id, v.status AS vote_status, \
         v.yes, v.no, v.abstain, v.members \
         FROM agenda_items a JOIN meetings m ON m.id = a.meeting_id LEFT JOIN votes v ON v.agenda_item_id = a.id \
         WHERE a.application_id = $1 ORDER BY a.id DESC LIMIT 50",
    )
    .bind(application)
    .fetch_all(pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| {
            let vote = match (r.vote_id, r.vote_status) {
                (Some(id), Some(status)) => Some(vote_record(StoredVote {
                    id,
                    status,
                    yes: r.yes,
                    no: r.no,
                    abstain: r.abstain,
                    members: r.members.unwrap_or(0),
                })),
                _ => None,
            };
            (r.id, r.meeting_id, r.council_id, vote)
        })
        .collect())
}

/// Submitted, published proposals to the council, oldest first (to put on an agenda).
pub async fn open_proposals(
    pool: &AnyPool,
    council: CouncilId,
) -> Result<Vec<(ProposalId, String)>, DbError> {
    #[derive(sqlx::FromRow)]
    struct OpenProposal {
        id: ProposalId,
        title: String,
    }
    let rows: Vec<OpenProposal> = sqlx::query_as(
        "SELECT id, title FROM proposals WHERE council_id = $1 AND status = 'submitted' \
         AND visibility = 'published' ORDER BY submitted_at LIMIT 200",
    )
    .bind(council.0)
    .fetch_all(pool)
    .await?;
    Ok(rows.into_iter().map(|r| (r.id, r.title)).collect())
}

/// Adds an item at the end of the agenda. A proposal item also moves the proposal onto
/// the agenda (timeline, notifications) in the same transaction.
#[allow(clippy::too_many_arguments)]
pub async fn add_item(
    pool: &AnyPool,
    meeting: MeetingId,
    council: CouncilId,
    meeting_label: String,
    title: &str,
    body: Option<&str>,
    proposal: Option<ProposalId>,
    by: UserId,
    once: Option<&Once>,
) -> Result<AgendaItemId, DbError> {
    add_item_at(
        pool,
        meeting,
        council,
        meeting_label,
        title,
        body,
        proposal,
        by,
        Utc::now(),
        once,
    )
    .await
}

/// [`add_item`] at a given time (the demo data's past meetings).
#[allow(clippy::too_many_arguments)]
pub async fn add_item_at(
    pool: &AnyPool,
    meeting: MeetingId,
    council: CouncilId,
    meeting_label: String,
    title: &str,
    body: Option<&str>,
    proposal: Option<ProposalId>,
    by: UserId,
    at: DateTime<Utc>,
    once: Option<&Once>,
) -> Result<AgendaItemId, DbError> {
    let now = at.timestamp_micros();
    let mut tx = super::write_tx(pool).await?;
    if let Some(once) = once {
        super::submissions::claim_or_replay(&mut tx, once).await?;
    }
    let id = insert_item(&mut tx, meeting, title, body, proposal, now).await?;
    if let Some(once) = once {
        super::submissions::settle(&mut tx, once, &id.0.to_string()).await?;
    }
    if let Some(p) = proposal {
        step_tx(
            &mut tx,
            p,
            Step::PutOnAgenda {
                council,
                meeting: Some(meeting_label),
                meeting_id: Some(meeting.0),
            },
            Some(by),
            to_datetime(now),
        )
        .await?;
    }
    tx.commit().await?;
    Ok(id)
}

/// Inserts an item at the end of the meeting's agenda.
async fn insert_item(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    meeting: MeetingId,
    title: &str,
    body: Option<&str>,
    proposal: Option<ProposalId>,
    now: i64,
) -> Result<AgendaItemId, DbError> {
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO agenda_items (meeting_id, position, title, body, proposal_id, created_at) \
         VALUES ($1, (SELECT COALESCE(MAX(position), 0) + 1 FROM agenda_items WHERE meeting_id = $2), $3, $4, $5, $6) \
         RETURNING id",
    )
    .bind(meeting.0)
    .bind(meeting.0)
    .bind(title)
    .bind(body)
    .bind(proposal.map(|p| p.0))
    .bind(now)
    .fetch_one(&mut **tx)
    .await?;
    Ok(AgendaItemId(id))
}

/// A suggested agenda item from a young person or pupil.
pub async fn suggest(
    pool: &AnyPool,
    council: CouncilId,
    user: UserId,
    title: &str,
    body: &str,
    once: Option<&Once>,
) -> Result<i64, DbError> {
    let mut tx = super::write_tx(pool).await?;
    if let Some(once) = once {
        super::submissions::claim_or_replay(&mut tx, once).await?;
    }
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO agenda_suggestions (council_id, user_id, title, body, status, created_at) \
         VALUES ($1, $2, $3, $4, 'pending', $5) RETURNING id",
    )
    .bind(council.0)
    .bind(user.0)
    .bind(title)
    .bind(body)
    .bind(now_micros())
    .fetch_one(&mut *tx)
    .await?;
    if let Some(once) = once {
        super::submissions::settle(&mut tx, once, &id.to_string()).await?;
    }
    tx.commit().await?;
    Ok(id)
}

/// Suggestions to the council: all pending ones (for those who run it, `runner`) and the
/// viewer's own, newest first.
pub async fn suggestions(
    pool: &AnyPool,
    council: CouncilId,
    viewer: UserId,
    runner: bool,
) -> Result<Vec<SuggestionView>, DbError> {
    let rows: Vec<SuggestionRow> = sqlx::query_as(
        "SELECT s.id, s.title, s.body, u.first_name, s.user_id, s.status, s.decline_reason, a.meeting_id \
         FROM agenda_suggestions s JOIN users u ON u.id = s.user_id LEFT JOIN agenda_items a ON a.id = s.agenda_item_id \
         WHERE s.council_id = $1 AND (s.user_id = $2 OR ($3 = 1 AND s.status = 'pending')) ORDER BY s.id DESC LIMIT 100",
    )
    .bind(council.0)
    .bind(viewer.0)
    .bind(i64::from(runner))
    .fetch_all(pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(
            |SuggestionRow {
                 id,
                 title,
                 body,
                 first_name: by,
                 user_id: user,
                 status,
                 decline_reason: reason,
                 meeting_id: meeting,
             }| SuggestionView {
                id,
                title,
                body,
                by,
                mine: user == viewer.0,
                status,
                decline_reason: reason,
                meeting: meeting.map(MeetingId),
            },
        )
        .collect())
}

/// A suggestion with its suggester's first name and the meeting it was put on.
#[derive(sqlx::FromRow)]
struct SuggestionRow {
    id: i64,
    title: String,
    body: String,
    first_name: String,
    user_id: i64,
    status: SuggestionStatus,
    decline_reason: Option<String>,
    meeting_id: Option<i64>,
}

/// A pending suggestion's council, title and text.
pub async fn suggestion(
    pool: &AnyPool,
    id: SuggestionId,
) -> Result<Option<(CouncilId, String, String)>, DbError> {
    #[derive(sqlx::FromRow)]
    struct PendingSuggestion {
        council_id: CouncilId,
        title: String,
        body: String,
    }
    let row: Option<PendingSuggestion> = sqlx::query_as(
        "SELECT council_id, title, body FROM agenda_suggestions WHERE id = $1 AND status = 'pending'",
    )
    .bind(id)
    .fetch_optional(pool)
    .await?;
    Ok(row.map(|r| (r.council_id, r.title, r.body)))
}

/// Accepts a suggestion onto a meeting's agenda, in the caller's transaction (false: it
/// was decided already, and the caller must not commit).
pub async fn accept_suggestion_tx(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    id: SuggestionId,
    meeting: MeetingId,
    title: &str,
    body: &str,
    by: UserId,
) -> Result<bool, DbError> {
    let now = now_micros();
    let body = (!body.is_empty()).then_some(body);
    let item = insert_item(tx, meeting, title, body, None, now).await?;
    let done = sqlx::query(
        "UPDATE agenda_suggestions SET status = 'accepted', agenda_item_id = $1, decided_at = $2, decided_by = $3 \
         WHERE id = $4 AND status = 'pending'",
    )
    .bind(item.0)
    .bind(now)
    .bind(by.0)
    .bind(id)
    .execute(&mut **tx)
    .await?
    .rows_affected();
    Ok(done == 1)
}

/// Declines a suggestion with an explanation (the database requires one), in the caller's
/// transaction.
pub async fn decline_suggestion_tx(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    id: SuggestionId,
    reason: &str,
    by: UserId,
) -> Result<bool, DbError> {
    Ok(sqlx::query(
        "UPDATE agenda_suggestions SET status = 'declined', decline_reason = $1, decided_at = $2, decided_by = $3 \
         WHERE id = $4 AND status = 'pending'",
    )
    .bind(reason)
    .bind(now_micros())
    .bind(by.0)
    .bind(id)
    .execute(&mut **tx)
    .await?
    .rows_affected()
        == 1)
}

/// Writes a new version of an item's minutes.
pub async fn write_minutes(
    pool: &AnyPool,
    item: AgendaItemId,
    summary: &str,
    decision: Option<&str>,
    by: UserId,
) -> Result<Option<i64>, DbError> {
    let mut tx = super::write_tx(pool).await?;
    let version = write_minutes_tx(&mut tx, item, summary, decision, by).await?;
    if version.is_some() {
        tx.commit().await?;
    }
    Ok(version)
}

/// [`write_minutes`] inside a transaction the caller commits (with its audit entry). None:
/// the text is the newest version's, nothing was written.
pub async fn write_minutes_tx(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    item: AgendaItemId,
    summary: &str,
    decision: Option<&str>,
    by: UserId,
) -> Result<Option<i64>, DbError> {
    super::lock(tx, &format!("minutes:{}", item.0)).await?;
    let tx: &mut sqlx::AnyConnection = tx;
    // The same text as the newest version (the form sent twice): no new version.
    #[derive(sqlx::FromRow)]
    struct MinutesText {
        summary: String,
        decision: Option<String>,
    }
    let newest: Option<MinutesText> = sqlx::query_as(
        "SELECT summary, decision FROM minutes WHERE agenda_item_id = $1 ORDER BY version DESC LIMIT 1",
    )
    .bind(item.0)
    .fetch_optional(&mut *tx)
    .await?;
    if newest.is_some_and(|n| n.summary == summary && n.decision.as_deref() == decision) {
        return Ok(None);
    }
    let version: i64 = sqlx::query_scalar(
        "INSERT INTO minutes (agenda_item_id, version, summary, decision, written_by, written_at) \
         VALUES ($1, (SELECT COALESCE(MAX(version), 0) + 1 FROM minutes WHERE agenda_item_id = $2), $3, $4, $5, $6) \
         RETURNING version",
    )
    .bind(item.0)
    .bind(item.0)
    .bind(summary)
    .bind(decision)
    .bind(by.0)
    .bind(now_micros())
    .fetch_one(&mut *tx)
    .await
    .map_err(|e| {
        if super::is_unique_violation(&e) {
            DbError::Conflict(Msg::MinutesSavedByOther)
        } else if e.to_string().contains("minutes are written after the meeting is held") {
            DbError::Conflict(Msg::MinutesAfterMeeting)
        } else {
            e.into()
        }
    })?;
    Ok(Some(version))
}

/// Upcoming meetings of the council whose minutes are not approved (to accept items onto).
pub async fn open_meetings(
    pool: &AnyPool,
    council: CouncilId,
) -> Result<Vec<(MeetingId, DateTime<Utc>)>, DbError> {
    #[derive(sqlx::FromRow)]
    struct OpenMeeting {
        id: MeetingId,
        starts_at: i64,
    }
    let rows: Vec<OpenMeeting> = sqlx::query_as(
        "SELECT id, starts_at FROM meetings WHERE council_id = $1 AND status IN ('planned', 'published') \
         ORDER BY starts_at LIMIT 50",
    )
    .bind(council.0)
    .fetch_all(pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| (r.id, to_datetime(r.starts_at)))
        .collect())
}

/// The item's meeting, council and proposal.
pub async fn item_context(
    pool: &AnyPool,
    item: AgendaItemId,
) -> Result<Option<(MeetingId, CouncilId, Option<ProposalId>)>, DbError> {
    #[derive(sqlx::FromRow)]
    struct ItemContext {
        meeting_id: MeetingId,
        council_id: CouncilId,
        proposal_id: Option<ProposalId>,
    }
    let row: Option<ItemContext> = sqlx::query_as(
        "SELECT a.meeting_id, m.council_id, a.proposal_id FROM agenda_items a JOIN meetings m ON m.id = a.meeting_id \
         WHERE a.id = $1",
    )
    .bind(item.0)
    .fetch_optional(pool)
    .await?;
    Ok(row.map(|r| (r.meeting_id, r.council_id, r.proposal_id)))
}

/// Swaps the item with its neighbour above (`up`) or below.
pub async fn move_item(pool: &AnyPool, item: AgendaItemId, up: bool) -> Result<bool, DbError> {
    let mut tx = super::write_tx(pool).await?;
    // Write first, so SQLite takes the write lock now (a read-then-write transaction can
    // fail with "database is locked" when another write lands in between).
    sqlx::query("UPDATE agenda_items SET position = position WHERE id = $1")
        .bind(item.0)
        .execute(&mut *tx)
        .await?;
    /// An agenda item's place: its id or its meeting's, and its position.
    #[derive(sqlx::FromRow)]
    struct Place {
        id: i64,
        position: i64,
    }
    let me: Option<Place> =
        sqlx::query_as("SELECT meeting_id AS id, position FROM agenda_items WHERE id = $1")
            .bind(item.0)
            .fetch_optional(&mut *tx)
            .await?;
    let Some(Place {
        id: meeting,
        position,
    }) = me
    else {
        return Ok(false);
    };
    let sql = if up {
        "SELECT id, position FROM agenda_items WHERE meeting_id = $1 AND position < $2 ORDER BY position DESC LIMIT 1"
    } else {
        "SELECT id, position FROM agenda_items WHERE meeting_id = $1 AND position > $2 ORDER BY position LIMIT 1"
    };
    let other: Option<Place> = sqlx::query_as(sql)
        .bind(meeting)
        .bind(position)
        .fetch_optional(&mut *tx)
        .await?;
    let Some(Place {
        id: other_id,
        position: other_position,
    }) = other
    else {
        return Ok(false);
    };
    for (id, pos) in [(item.0, other_position), (other_id, position)] {
        sqlx::query("UPDATE agenda_items SET position = $1 WHERE id = $2")
            .bind(pos)
            .bind(id)
            .execute(&mut *tx)
            .await?;
    }
    tx.commit().await?;
    Ok(true)
}

/// Opens the vote on an item (one per item), with the council's ballot rule and the number
/// of members now (for the quorum).
pub async fn open_vote(
    pool: &AnyPool,
    item: AgendaItemId,
    council: CouncilId,
    members: i64,
) -> Result<VoteId, DbError> {
    open_vote_at(pool, item, council, members, Utc::now()).await
}

/// [`open_vote`] at a given time (the demo data's past meetings).
pub async fn open_vote_at(
    pool: &AnyPool,
    item: AgendaItemId,
    council: CouncilId,
    members: i64,
    at: DateTime<Utc>,
) -> Result<VoteId, DbError> {
    let mut tx = super::write_tx(pool).await?;
    let vote = open_vote_tx(&mut tx, item, council, members, at).await?;
    tx.commit().await?;
    Ok(vote)
}

/// [`open_vote_at`] inside a transaction the caller commits (with its audit entry).
pub async fn open_vote_tx(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    item: AgendaItemId,
    council: CouncilId,
    members: i64,
    at: DateTime<Utc>,
) -> Result<VoteId, DbError> {
    let tx: &mut sqlx::AnyConnection = tx;
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO votes (agenda_item_id, status, secret, members, opened_at) \
         SELECT $1, 'open', secret_ballot, $2, $3 FROM councils WHERE id = $4 RETURNING id",
    )
    .bind(item.0)
    .bind(members)
    .bind(at.timestamp_micros())
    .bind(council.0)
    .fetch_one(&mut *tx)
    .await
    .map_err(|e| {
        if super::is_unique_violation(&e) {
            DbError::Conflict(Msg::VoteExists)
        } else if e
            .to_string()
            .contains("votes open only on a published agenda")
        {
            DbError::Conflict(Msg::PublishAgendaFirst)
        } else {
            e.into()
        }
    })?;
    // A secret vote is counted in three counters (see `cast`).
    sqlx::query(
        "INSERT INTO secret_counts (vote_id, choice, n) \
         SELECT $1, c.choice, 0 FROM (SELECT 'for' AS choice UNION ALL SELECT 'imod' UNION ALL SELECT 'undlader') c \
         WHERE (SELECT secret FROM votes WHERE id = $2) = 1",
    )
    .bind(id)
    .bind(id)
    .execute(&mut *tx)
    .await?;
    Ok(VoteId(id))
}

/// A vote's council, whether it is open, secret, and whether votes may change.
pub struct VoteContext {
    pub council: CouncilId,
    pub meeting: MeetingId,
    pub item: AgendaItemId,
    pub proposal: Option<ProposalId>,
    pub open: bool,
    pub secret: bool,
    pub allow_change: bool,
}

/// council, meeting, item, proposal, status, secret, allow change.
type VoteRow = (i64, i64, i64, Option<i64>, String, i64, i64);

pub async fn vote_context(pool: &AnyPool, vote: VoteId) -> Result<Option<VoteContext>, DbError> {
    let row: Option<VoteRow> = sqlx::query_as(
        "SELECT m.council_id, m.id, a.id, a.proposal_id, v.status, v.secret, c.allow_vote_change FROM votes v \
         JOIN agenda_items a ON a.id = v.agenda_item_id JOIN meetings m ON m.id = a.meeting_id \
         JOIN councils c ON c.id = m.council_id WHERE v.id = $1",
    )
    .bind(vote.0)
    .fetch_optional(pool)
    .await?;
    Ok(row.map(
        |(council, meeting, item, proposal, status, secret, change)| VoteContext {
            council: CouncilId(council),
            meeting: MeetingId(meeting),
            item: AgendaItemId(item),
            proposal: proposal.map(ProposalId),
            open: status == "open",
            secret: secret == 1,
            allow_change: change == 1 && secret == 0,
        },
    ))
}

/// What happened to a ballot.
#[derive(Debug, PartialEq, Eq)]
pub enum Cast {
    Counted,
    Changed,
    /// Already voted (and changing is not allowed, or the same choice again).
    AlreadyVoted,
}

/// Casts `user`'s ballot: one per member, in one transaction; a secret ballot stores the
/// choice without the voter. The database refuses ballots on a closed vote.
pub async fn cast(
    pool: &AnyPool,
    vote: VoteId,
    user: UserId,
    choice: Choice,
    secret: bool,
    allow_change: bool,
) -> Result<Cast, DbError> {
    let now = now_micros();
    let mut tx = super::write_tx(pool).await?;
    let first = sqlx::query(
        "INSERT INTO vote_participants (vote_id, user_id, at) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING",
    )
    .bind(vote.0)
    .bind(user.0)
    // A secret vote keeps no time of voting (it could be matched with other records).
    .bind(if secret { 0 } else { now })
    .execute(&mut *tx)
    .await
    .map_err(closed_vote)?
    .rows_affected()
        == 1;
    let result = if first && secret {
        // No ballot row: only the counter moves, so nothing links the voter to the choice.
        sqlx::query("UPDATE secret_counts SET n = n + 1 WHERE vote_id = $1 AND choice = $2")
            .bind(vote.0)
            .bind(choice.as_str())
            .execute(&mut *tx)
            .await
            .map_err(closed_vote)?;
        Cast::Counted
    } else if first {
        sqlx::query("INSERT INTO ballots (vote_id, user_id, choice, at) VALUES ($1, $2, $3, $4)")
            .bind(vote.0)
            .bind(user.0)
            .bind(choice.as_str())
            .bind(now)
            .execute(&mut *tx)
            .await
            .map_err(closed_vote)?;
        Cast::Counted
    } else if allow_change && !secret {
        let changed = sqlx::query(
            "UPDATE ballots SET choice = $1, at = $2 WHERE vote_id = $3 AND user_id = $4 AND choice <> $5",
        )
        .bind(choice.as_str())
        .bind(now)
        .bind(vote.0)
        .bind(user.0)
        .bind(choice.as_str())
        .execute(&mut *tx)
        .await
        .map_err(closed_vote)?
        .rows_affected();
        if changed == 1 {
            Cast::Changed
        } else {
            Cast::AlreadyVoted
        }
    } else {
        Cast::AlreadyVoted
    };
    tx.commit().await?;
    Ok(result)
}

fn closed_vote(e: sqlx::Error) -> DbError {
    match &e {
        sqlx::Error::Database(d) if d.message().contains("the vote is closed") => {
            DbError::Conflict(Msg::VoteClosed)
        }
        _ => e.into(),
    }
}

/// Closes the vote and stores its tally, counted from the ballots. The vote row is locked
/// first, so every ballot committed before the close is counted and none can follow it.
pub async fn close_vote(pool: &AnyPool, vote: VoteId) -> Result<Option<VoteTally>, DbError> {
    close_vote_at(pool, vote, Utc::now()).await
}

/// [`close_vote`] at a given time (the demo data's past meetings).
pub async fn close_vote_at(
    pool: &AnyPool,
    vote: VoteId,
    at: DateTime<Utc>,
) -> Result<Option<VoteTally>, DbError> {
    let mut tx = super::write_tx(pool).await?;
    let tally = close_vote_tx(&mut tx, vote, at).await?;
    if tally.is_some() {
        tx.commit().await?;
    }
    Ok(tally)
}

/// [`close_vote_at`] inside a transaction the caller commits (with its audit entry). None:
/// the vote was not open.
pub async fn close_vote_tx(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    vote: VoteId,
    at: DateTime<Utc>,
) -> Result<Option<VoteTally>, DbError> {
    let tx: &mut sqlx::AnyConnection = tx;
    // Takes the row lock on PostgreSQL (a no-op write on SQLite, which locks the database).
    let open = sqlx::query("UPDATE votes SET status = 'open' WHERE id = $1 AND status = 'open'")
        .bind(vote.0)
        .execute(&mut *tx)
        .await?
        .rows_affected();
    if open != 1 {
        return Ok(None);
    }
    sqlx::query(
        "UPDATE votes SET status = 'closed', closed_at = $1, \
         yes = (SELECT COUNT(*) FROM ballots WHERE vote_id = $2 AND choice = 'for') \
               + (SELECT CAST(COALESCE(SUM(n), 0) AS BIGINT) FROM secret_counts WHERE vote_id = $3 AND choice = 'for'), \
         no = (SELECT COUNT(*) FROM ballots WHERE vote_id = $4 AND choice = 'imod') \
               + (SELECT CAST(COALESCE(SUM(n), 0) AS BIGINT) FROM secret_counts WHERE vote_id = $5 AND choice = 'imod'), \
         abstain = (SELECT COUNT(*) FROM ballots WHERE vote_id = $6 AND choice = 'undlader') \
               + (SELECT CAST(COALESCE(SUM(n), 0) AS BIGINT) FROM secret_counts WHERE vote_id = $7 AND choice = 'undlader') \
         WHERE id = $8",
    )
    .bind(at.timestamp_micros())
    .bind(vote.0)
    .bind(vote.0)
    .bind(vote.0)
    .bind(vote.0)
    .bind(vote.0)
    .bind(vote.0)
    .bind(vote.0)
    .execute(&mut *tx)
    .await?;
    #[derive(sqlx::FromRow)]
    struct Counted {
        yes: i64,
        no: i64,
        abstain: i64,
    }
    let tally: Counted = sqlx::query_as("SELECT yes, no, abstain FROM votes WHERE id = $1")
        .bind(vote.0)
        .fetch_one(&mut *tx)
        .await?;
    Ok(Some(VoteTally {
        yes: tally.yes,
        no: tally.no,
        abstain: tally.abstain,
    }))
}

/// Open votes on the meeting's agenda.
pub async fn open_votes(pool: &AnyPool, meeting: MeetingId) -> Result<i64, DbError> {
    Ok(sqlx::query_scalar(
        "SELECT COUNT(*) FROM votes v JOIN agenda_items a ON a.id = v.agenda_item_id \
         WHERE a.meeting_id = $1 AND v.status = 'open'",
    )
    .bind(meeting.0)
    .fetch_one(pool)
    .await?)
}
