//! Councils, meetings, agendas and votes. Running a meeting is for the council's chair or
//! secretary (or the coordinator); voting is for members with an active term, once each.
use crate::domain::council::{CouncilView, MeetingView};
use crate::domain::error::AppError;
use crate::domain::ids::{AgendaItemId, CouncilId, MeetingId, SuggestionId, UserId, VoteId};
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use crate::domain::message::Msg;

#[cfg(feature = "ssr")]
use crate::{
    domain::account::{RoleKind, SessionUser},
    domain::audit::AuditAction,
    domain::council::{self as rules, Choice},
    domain::ids::{CommitteeId, ProposalId},
    domain::proposal::{
        answer_deadline, stored_answer_weeks, CouncilDecision, DecisionKind, Stage, COUNCIL_DECLINE,
    },
    domain::rights::CouncilRights,
    ssr::{
        auth::{self, RateTicket},
        db::{self, councils, proposals::Step},
        frame::Frame,
        once::{self, Outcome},
    },
};

/// No voting once a meeting's minutes are approved.
#[cfg(feature = "ssr")]
async fn refuse_after_minutes(pool: &sqlx::AnyPool, meeting: MeetingId) -> Result<(), AppError> {
    match councils::meeting_council(pool, meeting).await? {
        Some((_, rules::MeetingStatus::MinutesApproved, ..)) => {
            Err(AppError::Conflict(Msg::MinutesApprovedNoVoting))
        }
        _ => Ok(()),
    }
}

/// What `user` may do in `council` (the rules are `domain::rights::CouncilRights`).
#[cfg(feature = "ssr")]
pub(crate) async fn rights(
    user: &SessionUser,
    council: CouncilId,
) -> Result<CouncilRights, AppError> {
    let state = auth::state()?;
    let access = councils::access(state.db.pool(), council, user.id).await?;
    Ok(CouncilRights::of(Some(user), access.as_ref()))
}

/// May `user` run `council`'s meetings (and record its decisions)? The council's chair or
/// secretary with an active term, an elevrådsformand of it, or the coordinator.
#[cfg(feature = "ssr")]
pub(crate) async fn can_run(user: &SessionUser, council: CouncilId) -> Result<bool, AppError> {
    Ok(rights(user, council).await?.run)
}

#[cfg(feature = "ssr")]
async fn require_runner(council: CouncilId) -> Result<SessionUser, AppError> {
    let me = auth::require_active().await?;
    if can_run(&me, council).await? {
        Ok(me)
    } else {
        Err(AppError::Forbidden)
    }
}

#[cfg(feature = "ssr")]
fn meeting_label(council: &str, at: chrono::DateTime<chrono::Utc>) -> String {
    let local = rules::copenhagen_time(at);
    format!("{council}s møde {}", local.format("%d.%m.%Y kl. %H.%M"))
}

/// May `user` suggest an agenda item to `council`? Young people (Ungerådet), pupils
/// (their own school's elevråd, Det Fælles Elevråd), with an active account.
#[cfg(feature = "ssr")]
async fn may_suggest(user: &SessionUser, council: CouncilId) -> Result<bool, AppError> {
    Ok(rights(user, council).await?.suggest)
}

/// Is the caller signed in with an active account (one of the municipality's people, who
/// may see members' names: `domain::council::names_visible`)?
#[cfg(feature = "ssr")]
fn signed_in(me: Option<&SessionUser>) -> bool {
    me.is_some_and(|u| u.status == crate::domain::account::AccountStatus::Active)
}

/// The public council page: members, upcoming and past meetings.
#[server(prefix = "/api", endpoint = "councils/get")]
pub async fn get_council(id: CouncilId) -> Result<CouncilView, AppError> {
    auth::respond(
        async {
            let state = auth::state()?;
            let mut view = councils::council_view(state.db.pool(), id, chrono::Utc::now())
                .await?
                .ok_or(AppError::NotFound)?;
            let me = auth::current_user().await?;
            let coordinator = me.as_ref().is_some_and(|u| u.has(RoleKind::Sekretariat));
            if !coordinator {
                view.members.iter_mut().for_each(|m| m.user_id = None);
            }
            // Members' names are not sent to anonymous visitors (minors on the open web).
            if !rules::names_visible(signed_in(me.as_ref()), view.names_public) {
                view.withhold_names();
            }
            if let Some(me) = me {
                let pool = state.db.pool();
                let rights = rights(&me, view.id).await?;
                view.can_run = rights.run;
                view.can_suggest = rights.suggest;
                view.suggestions =
                    councils::suggestions(pool, view.id, me.id, view.can_run).await?;
                if view.can_run {
                    view.open_meetings = councils::open_meetings(pool, view.id).await?;
                }
            }
            Ok(view)
        }
        .await,
    )
}

/// Sets how the council votes: secret ballots, and whether a vote may be changed while open.
#[server(prefix = "/api", endpoint = "councils/rules")]
pub async fn set_ballot_rules(
    council_id: CouncilId,
    secret: Option<String>,
    allow_change: Option<String>,
) -> Result<(), AppError> {
    auth::respond(
        async {
            let council = council_id;
            let frame = Frame::new(require_runner(council).await?)?;
            let secret = secret.is_some_and(|s| !s.is_empty());
            let allow_change = allow_change.is_some_and(|s| !s.is_empty());
            let mut tx = frame.begin().await?;
            councils::set_ballot_rules_tx(&mut tx, council, secret, allow_change).await?;
            tx.audit_change(
                AuditAction::BallotRulesSet,
                "council",
                Some(council.0),
                &format!("hemmelig: {secret}, kan ændres: {allow_change}"),
            )
            .await?;
            tx.commit().await?;
            Ok(())
        }
        .await,
    )
}

/// Plans a meeting: time (Copenhagen, `datetime-local`) and place.
#[server(prefix = "/api", endpoint = "councils/meeting/new")]
pub async fn create_meeting(
    council_id: CouncilId,
    starts_at: String,
    place: String,
    #[server(default)] form_token: String,
) -> Result<i64, AppError> {
    auth::respond(
        async {
            let council = council_id;
            let me = require_runner(council).await?;
            let at = rules::parse_local_time(&starts_at)?;
            let place = rules::validate_place(&place)?;
            let state = auth::state()?;
            let pool = state.db.pool();
            let o = once::check(pool, &form_token, me.id, "meeting").await?;
            let done = |id: i64| {
                leptos_axum::redirect(&format!("/moeder/{id}"));
                Ok(id)
            };
            if let Some(prev) = once::previous(pool, &o).await? {
                return done(prev.parse().map_err(|_| AppError::Internal)?);
            }
            match db::setup::council_archived(state.db.pool(), council).await? {
                None => return Err(AppError::NotFound),
                Some(true) => return Err(AppError::Conflict(Msg::CouncilArchivedNoMeetings)),
                Some(false) => {}
            }
            let made = councils::create_meeting(pool, council, at, &place, me.id, Some(&o)).await;
            match once::settle(pool, &o, RateTicket::default(), made).await? {
                Outcome::Created(id) => {
                    tracing::info!(meeting = id.0, council = council.0, "meeting planned");
                    done(id.0)
                }
                Outcome::Replayed(prev) => done(prev.parse().map_err(|_| AppError::Internal)?),
            }
        }
        .await,
    )
}

/// The meeting page.
#[server(prefix = "/api", endpoint = "councils/meeting")]
pub async fn get_meeting(id: MeetingId) -> Result<MeetingView, AppError> {
    auth::respond(
        async {
            let state = auth::state()?;
            let pool = state.db.pool();
            let me = auth::current_user().await?;
            let mut view = councils::meeting_view(pool, id, me.as_ref().map(|u| u.id))
                .await?
                .ok_or(AppError::NotFound)?;
            // Who voted what is not sent to anonymous visitors; the tallies are public.
            if !rules::names_visible(signed_in(me.as_ref()), view.names_public) {
                view.withhold_names();
            }
            if me.is_none() && view.status != rules::MeetingStatus::MinutesApproved {
                view.items.iter_mut().for_each(|i| i.minutes.clear());
            }
            // A planned meeting's agenda is the council's own until it is published.
            let mut insider = false;
            if let Some(me) = me {
                let rights = rights(&me, view.council).await?;
                view.can_run = rights.run;
                view.is_member = rights.vote;
                if !view.can_run && view.status != rules::MeetingStatus::MinutesApproved {
                    // Minutes are public once approved; until then only those who write them see them.
                    view.items.iter_mut().for_each(|i| i.minutes.clear());
                }
                insider = view.can_run || view.is_member;
                if view.can_run {
                    view.open_proposals = councils::open_proposals(pool, view.council).await?;
                    view.open_applications =
                        councils::open_applications(pool, view.council).await?;
                    // Active committees, the municipality's default one first (preselected).
                    let default = db::settings::profile(pool).await?.default_committee;
                    let mut committees = db::setup::active_committees(pool).await?;
                    committees.sort_by_key(|(id, _)| Some(id.0) != default);
                    view.committees = committees;
                }
            }
            if view.status == rules::MeetingStatus::Planned && !insider {
                view.items.clear();
            }
            Ok(view)
        }
        .await,
    )
}

/// Moves the meeting on: Planlagt → Dagsorden offentliggjort → Afholdt → Referat godkendt.
/// `from` is the status the caller's page showed (the meeting page always sends it): when
/// the meeting has moved on since, nothing happens and the caller is told the page was out
/// of date — so a double click or a replayed form moves the meeting one step, not two.
#[server(prefix = "/api", endpoint = "councils/meeting/advance")]
pub async fn advance_meeting(meeting_id: MeetingId, from: String) -> Result<(), AppError> {
    auth::respond(
        async {
            let state = auth::state()?;
            let pool = state.db.pool();
            let id = meeting_id;
            let (council, status, ..) = councils::meeting_council(pool, id)
                .await?
                .ok_or(AppError::NotFound)?;
            require_runner(council).await?;
            // The form names the step it moves the meeting from: a double click, a
            // replayed post or an out-of-date tab moves it one step, never two.
            let shown = rules::MeetingStatus::parse(&from)
                .ok_or_else(|| AppError::invalid("from", Msg::MissingStep))?;
            if shown != status {
                return Err(AppError::Conflict(Msg::MeetingMovedOn { status }));
            }
            let next = status
                .next()
                .ok_or(AppError::Conflict(Msg::MeetingFinished))?;
            if next == rules::MeetingStatus::MinutesApproved
                && councils::open_votes(pool, id).await? > 0
            {
                return Err(AppError::Conflict(Msg::CloseVotesBeforeMinutes));
            }
            if !councils::advance_meeting(pool, id, status, next).await? {
                return Err(AppError::Conflict(Msg::MeetingJustMoved));
            }
            Ok(())
        }
        .await,
    )
}

/// Adds an agenda item: a proposal to this council (`proposal_id`), or free text.
#[server(prefix = "/api", endpoint = "councils/item/add")]
pub async fn add_agenda_item(
    meeting_id: MeetingId,
    proposal_id: Option<String>,
    title: Option<String>,
    body: Option<String>,
    #[server(default)] form_token: String,
) -> Result<(), AppError> {
    auth::respond(
        async {
            let state = auth::state()?;
            let pool = state.db.pool();
            let meeting = meeting_id;
            let (council, status, at, council_name) = councils::meeting_council(pool, meeting)
                .await?
                .ok_or(AppError::NotFound)?;
            let me = require_runner(council).await?;
            let o = once::check(pool, &form_token, me.id, "agenda_item").await?;
            if once::previous(pool, &o).await?.is_some() {
                return Ok(());
            }
            if matches!(status, rules::MeetingStatus::MinutesApproved) {
                return Err(AppError::Conflict(Msg::AgendaLocked));
            }
            let proposal = proposal_id
                .as_deref()
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(|s| s.parse::<i64>().map(ProposalId))
                .transpose()
                .map_err(|_| AppError::invalid("proposal_id", Msg::ChooseProposal))?;
            let (title, body) = match proposal {
                Some(p) => {
                    let access = db::proposals::access(pool, p)
                        .await?
                        .ok_or_else(|| AppError::invalid("proposal_id", Msg::ProposalMissing))?;
                    if access.council != council
                        || access.stage != Stage::Submitted
                        || !crate::domain::rights::is_public(access.stage, access.visibility)
                    {
                        return Err(AppError::invalid("proposal_id", Msg::ProposalNotForAgenda));
                    }
                    let title = db::proposals::title(pool, p).await?.unwrap_or_default();
                    (title.chars().take(200).collect::<String>(), None)
                }
                None => rules::validate_item(
                    title.as_deref().unwrap_or(""),
                    body.as_deref().unwrap_or(""),
                )?,
            };
            let made = councils::add_item(
                pool,
                meeting,
                council,
                meeting_label(&council_name, at),
                &title,
                body.as_deref(),
                proposal,
                me.id,
                Some(&o),
            )
            .await;
            once::settle(pool, &o, RateTicket::default(), made).await?;
            Ok(())
        }
        .await,
    )
}

/// Moves an agenda item up or down ("up"/"down").
#[server(prefix = "/api", endpoint = "councils/item/move")]
pub async fn move_agenda_item(item_id: AgendaItemId, direction: String) -> Result<(), AppError> {
    auth::respond(
        async {
            let state = auth::state()?;
            let pool = state.db.pool();
            let item = item_id;
            let (_, council, _) = councils::item_context(pool, item)
                .await?
                .ok_or(AppError::NotFound)?;
            require_runner(council).await?;
            councils::move_item(pool, item, direction.trim() == "up").await?;
            Ok(())
        }
        .await,
    )
}

/// Opens the vote on an agenda item.
#[server(prefix = "/api", endpoint = "councils/vote/open")]
pub async fn open_vote(item_id: AgendaItemId) -> Result<VoteId, AppError> {
    auth::respond(
        async {
            let state = auth::state()?;
            let pool = state.db.pool();
            let item = item_id;
            let (meeting, council, _) = councils::item_context(pool, item)
                .await?
                .ok_or(AppError::NotFound)?;
            let frame = Frame::new(require_runner(council).await?)?;
            let (_, status, ..) = councils::meeting_council(pool, meeting)
                .await?
                .ok_or(AppError::NotFound)?;
            rules::may_open_vote(status)?;
            let members = councils::member_count(pool, council).await?;
            let mut tx = frame.begin().await?;
            let vote =
                councils::open_vote_tx(&mut tx, item, council, members, chrono::Utc::now()).await?;
            tx.audit(
                AuditAction::VoteOpened,
                "vote",
                Some(vote.0),
                &format!("punkt {}", item.0),
            )
            .await?;
            tx.commit().await?;
            tracing::info!(
                vote = vote.0,
                item = item.0,
                by = frame.user.id.0,
                members,
                "vote opened"
            );
            Ok(vote)
        }
        .await,
    )
}

/// Casts the caller's ballot: For, Imod or Undlader. Members with an active term only,
/// once each (a replay changes nothing).
#[server(prefix = "/api", endpoint = "councils/vote/cast")]
pub async fn cast_vote(vote_id: VoteId, choice: String) -> Result<(), AppError> {
    auth::respond(
        async {
            let me = auth::require_active().await?;
            let choice = Choice::parse(&choice)
                .ok_or_else(|| AppError::invalid("choice", Msg::ChooseVote))?;
            let state = auth::state()?;
            let pool = state.db.pool();
            let vote = vote_id;
            let ctx = councils::vote_context(pool, vote)
                .await?
                .ok_or(AppError::NotFound)?;
            if !rights(&me, ctx.council).await?.vote {
                return Err(AppError::Forbidden);
            }
            if !ctx.open {
                return Err(AppError::Conflict(Msg::VoteClosed));
            }
            refuse_after_minutes(pool, ctx.meeting).await?;
            let result =
                councils::cast(pool, vote, me.id, choice, ctx.secret, ctx.allow_change).await?;
            // Never log who voted what.
            tracing::info!(vote = vote.0, "ballot received");
            match result {
                councils::Cast::Counted | councils::Cast::Changed => Ok(()),
                councils::Cast::AlreadyVoted => Err(AppError::Conflict(Msg::AlreadyVoted)),
            }
        }
        .await,
    )
}

/// Closes a vote; the tally is counted from the ballots and stored.
#[server(prefix = "/api", endpoint = "councils/vote/close")]
pub async fn close_vote(vote_id: VoteId) -> Result<(), AppError> {
    auth::respond(
        async {
            let state = auth::state()?;
            let pool = state.db.pool();
            let vote = vote_id;
            let ctx = councils::vote_context(pool, vote)
                .await?
                .ok_or(AppError::NotFound)?;
            let frame = Frame::new(require_runner(ctx.council).await?)?;
            let mut tx = frame.begin().await?;
            let tally = councils::close_vote_tx(&mut tx, vote, chrono::Utc::now())
                .await?
                .ok_or(AppError::Conflict(Msg::VoteAlreadyClosed))?;
            tx.audit(
                AuditAction::VoteClosed,
                "vote",
                Some(vote.0),
                &format!(
                    "for {}, imod {}, undlader {}",
                    tally.yes, tally.no, tally.abstain
                ),
            )
            .await?;
            tx.commit().await?;
            tracing::info!(
                vote = vote.0,
                by = frame.user.id.0,
                yes = tally.yes,
                no = tally.no,
                abstain = tally.abstain,
                "vote closed"
            );
            Ok(())
        }
        .await,
    )
}

/// The council's decision on a proposal item: "forward" to a committee (the answer
/// deadline follows the coordinator's setting), "reject" (explanation required), "send_on"
/// to the next council, or "resolve" (how the council handles it). Forwarding, rejecting
/// and sending on rest on the closed vote on this very item, which must have met the
/// quorum and the majority ([`rules::decision_basis`]); the decision stores that vote, and
/// its tally is the one shown. Resolving needs no vote, only its explanation.
#[server(prefix = "/api", endpoint = "councils/decide")]
pub async fn decide_proposal(
    item_id: AgendaItemId,
    decision: String,
    #[server(default)] text: String,
    committee: Option<String>,
) -> Result<(), AppError> {
    auth::respond(
        async {
            let state = auth::state()?;
            let pool = state.db.pool();
            let item = item_id;
            let (_, council, proposal) = councils::item_context(pool, item)
                .await?
                .ok_or(AppError::NotFound)?;
            let me = require_runner(council).await?;
            let proposal =
                proposal.ok_or_else(|| AppError::invalid("decision", Msg::ItemNotProposal))?;
            let decision = DecisionKind::parse(&decision)
                .ok_or_else(|| AppError::invalid("decision", Msg::ChooseDecision))?;
            let item_vote = councils::item_vote(pool, item).await?;
            let vote = if !decision.needs_vote() {
                // No vote needed; a closed one on the item goes with the decision.
                match item_vote {
                    Some(v) if v.open => return Err(AppError::Conflict(Msg::CloseVoteFirst)),
                    Some(v) => Some(v.id),
                    None => None,
                }
            } else {
                Some(rules::decision_basis(item_vote)?.0)
            };
            let now = chrono::Utc::now();
            let frame = Frame::new(me)?;
            let me = &frame.user;
            if decision == DecisionKind::SendOn {
                let vote = vote.ok_or(AppError::Internal)?;
                let from = db::schools::council(pool, council)
                    .await?
                    .ok_or(AppError::NotFound)?;
                let kind = rules::next_body(from.kind).ok_or_else(|| {
                    AppError::invalid("decision", Msg::YouthCouncilSendsToPoliticians)
                })?;
                let to = db::schools::councils(pool)
                    .await?
                    .into_iter()
                    .find(|c| c.kind == kind)
                    .ok_or_else(|| AppError::invalid("decision", Msg::NoCouncilToSendTo))?;
                let mut tx = frame.begin().await?;
                if !db::proposals::send_on_tx(&mut tx, proposal, council, to.id, vote, me.id, now)
                    .await?
                {
                    return Err(AppError::Conflict(Msg::NotOnAgenda));
                }
                tx.audit(
                    crate::domain::audit::AuditAction::CouncilDecided,
                    "proposal",
                    Some(proposal.0),
                    &format!("sendt videre (afstemning {})", vote.0),
                )
                .await?;
                tx.commit().await?;
                tracing::info!(
                    proposal = proposal.0,
                    from = council.0,
                    to = to.id.0,
                    vote = vote.0,
                    "proposal sent on"
                );
                return Ok(());
            }
            let text = crate::domain::proposal::clean_multiline(&text);
            let n = text.chars().count();
            if n > 5000 {
                return Err(AppError::invalid("text", Msg::TextTooLong { max: 5_000 }));
            }
            let decided = match decision {
                DecisionKind::Forward => {
                    // The committee by its id (the form's value); its name is only shown.
                    let active = db::setup::active_committees(pool).await?;
                    let committee = committee
                        .and_then(|c| c.trim().parse::<CommitteeId>().ok())
                        .filter(|c| active.iter().any(|(id, _)| id == c))
                        .ok_or_else(|| AppError::invalid("committee", Msg::ChooseCommittee))?;
                    let weeks = stored_answer_weeks(
                        db::settings::get(pool, "answer_weeks").await?.as_deref(),
                    );
                    CouncilDecision::Forwarded {
                        committee,
                        deadline: answer_deadline(now, weeks),
                    }
                }
                DecisionKind::Reject => {
                    if let Err(e) = COUNCIL_DECLINE.check("text", &text) {
                        return Err(AppError::invalid(
                            "text",
                            Msg::ShownToEveryone {
                                first: Box::new(e.msg()),
                            },
                        ));
                    }
                    CouncilDecision::Rejected { explanation: text }
                }
                DecisionKind::Resolve | DecisionKind::SendOn => {
                    if n < 5 {
                        return Err(AppError::invalid("text", Msg::WriteWhatCouncilDoes));
                    }
                    CouncilDecision::Resolved { how: text }
                }
            };
            let decision = decision.as_str();
            let mut tx = frame.begin().await?;
            db::proposals::step_tx(
                &mut tx,
                proposal,
                Step::Decide {
                    council,
                    decision: decided,
                    vote,
                },
                Some(me.id),
                now,
            )
            .await?;
            let details = match vote {
                Some(v) => format!("{decision} (afstemning {})", v.0),
                None => decision.to_owned(),
            };
            tx.audit(
                crate::domain::audit::AuditAction::CouncilDecided,
                "proposal",
                Some(proposal.0),
                &details,
            )
            .await?;
            tx.commit().await?;
            tracing::info!(
                proposal = proposal.0,
                decision,
                vote = vote.map(|v| v.0),
                by = me.id.0,
                "council decision"
            );
            Ok(())
        }
        .await,
    )
}

/// Puts a pool application on the agenda of a meeting of the council that decides the
/// pool year's applications: it must be submitted (undecided) and not already on an
/// agenda whose minutes are still open.
#[server(prefix = "/api", endpoint = "councils/item/application")]
pub async fn add_application_item(
    meeting_id: MeetingId,
    application_id: String,
) -> Result<(), AppError> {
    auth::respond(
        async {
            let state = auth::state()?;
            let pool = state.db.pool();
            let meeting = meeting_id;
            let (council, status, ..) = councils::meeting_council(pool, meeting)
                .await?
                .ok_or(AppError::NotFound)?;
            let me = require_runner(council).await?;
            if matches!(status, rules::MeetingStatus::MinutesApproved) {
                return Err(AppError::Conflict(Msg::AgendaLocked));
            }
            let application = application_id
                .trim()
                .parse::<crate::domain::ids::ApplicationId>()
                .map_err(|_| AppError::invalid("application_id", Msg::ChooseApplication))?;
            let a = db::pool::application(pool, application)
                .await?
                .ok_or_else(|| AppError::invalid("application_id", Msg::ApplicationMissing))?;
            if a.council != council {
                return Err(AppError::invalid(
                    "application_id",
                    Msg::OtherCouncilsApplication,
                ));
            }
            if a.status != crate::domain::pool::ApplicationStatus::Submitted {
                return Err(AppError::invalid("application_id", Msg::ApplicationDecided));
            }
            let title: String = format!("Ansøgning til puljen: {}", a.app.title)
                .chars()
                .take(200)
                .collect();
            let item =
                councils::add_application_item(pool, meeting, &title, a.id, chrono::Utc::now())
                    .await?
                    .ok_or(AppError::Conflict(Msg::ApplicationOnAgenda))?;
            tracing::info!(
                item = item.0,
                application = a.id,
                meeting = meeting.0,
                by = me.id.0,
                "pool application put on the agenda"
            );
            Ok(())
        }
        .await,
    )
}

/// Suggests an agenda item to a council.
#[server(prefix = "/api", endpoint = "councils/suggest")]
pub async fn suggest_item(
    council_id: CouncilId,
    title: String,
    body: String,
    #[server(default)] form_token: String,
) -> Result<(), AppError> {
    auth::respond(
        async {
            let me = auth::require_active().await?;
            let council = council_id;
            if !may_suggest(&me, council).await? {
                return Err(AppError::Forbidden);
            }
            let (title, body) = rules::validate_suggestion(&title, &body)?;
            let state = auth::state()?;
            let pool = state.db.pool();
            let o = once::check(pool, &form_token, me.id, "suggestion").await?;
            if once::previous(pool, &o).await?.is_none() {
                let ticket = auth::limit_user("suggest", me.id, 10, 3600).await?;
                let made = councils::suggest(pool, council, me.id, &title, &body, Some(&o)).await;
                if let Outcome::Created(id) = once::settle(pool, &o, ticket, made).await? {
                    tracing::info!(
                        suggestion = id,
                        council = council.0,
                        "agenda item suggested"
                    );
                }
            }
            leptos_axum::redirect(&format!("/raad/{}?foreslaaet=1", council.0));
            Ok(())
        }
        .await,
    )
}

/// Accepts a suggestion onto one of the council's coming meetings.
#[server(prefix = "/api", endpoint = "councils/suggestion/accept")]
pub async fn accept_suggestion(
    suggestion_id: SuggestionId,
    meeting_id: String,
) -> Result<(), AppError> {
    auth::respond(
        async {
            let state = auth::state()?;
            let pool = state.db.pool();
            let (council, title, body) = councils::suggestion(pool, suggestion_id)
                .await?
                .ok_or(AppError::NotFound)?;
            let frame = Frame::new(require_runner(council).await?)?;
            let meeting = meeting_id
                .trim()
                .parse::<i64>()
                .map(MeetingId)
                .map_err(|_| AppError::invalid("meeting_id", Msg::ChooseMeeting))?;
            match councils::meeting_council(pool, meeting).await? {
                Some((c, status, ..))
                    if c == council
                        && matches!(
                            status,
                            rules::MeetingStatus::Planned | rules::MeetingStatus::Published
                        ) => {}
                _ => return Err(AppError::invalid("meeting_id", Msg::ChooseUpcomingMeeting)),
            }
            let mut tx = frame.begin().await?;
            if !councils::accept_suggestion_tx(
                &mut tx,
                suggestion_id,
                meeting,
                &title,
                &body,
                frame.user.id,
            )
            .await?
            {
                return Err(AppError::Conflict(Msg::ProposalHandled));
            }
            tx.audit(
                AuditAction::SuggestionAccepted,
                "suggestion",
                Some(suggestion_id.0),
                &format!("møde {}", meeting.0),
            )
            .await?;
            tx.commit().await?;
            Ok(())
        }
        .await,
    )
}

/// Declines a suggestion; the explanation (at least 20 characters) is shown to the suggester.
#[server(prefix = "/api", endpoint = "councils/suggestion/decline")]
pub async fn decline_suggestion(
    suggestion_id: SuggestionId,
    reason: String,
) -> Result<(), AppError> {
    auth::respond(
        async {
            let state = auth::state()?;
            let pool = state.db.pool();
            let (council, ..) = councils::suggestion(pool, suggestion_id)
                .await?
                .ok_or(AppError::NotFound)?;
            let frame = Frame::new(require_runner(council).await?)?;
            let reason = rules::validate_decline_reason(&reason)?;
            let mut tx = frame.begin().await?;
            if !councils::decline_suggestion_tx(&mut tx, suggestion_id, &reason, frame.user.id)
                .await?
            {
                return Err(AppError::Conflict(Msg::ProposalHandled));
            }
            tx.audit(
                AuditAction::SuggestionDeclined,
                "suggestion",
                Some(suggestion_id.0),
                "",
            )
            .await?;
            tx.commit().await?;
            Ok(())
        }
        .await,
    )
}

/// Writes the minutes of an agenda item: each save is a new version, the old ones kept.
#[server(prefix = "/api", endpoint = "councils/minutes")]
pub async fn write_minutes(
    item_id: AgendaItemId,
    summary: String,
    decision: String,
) -> Result<(), AppError> {
    auth::respond(
        async {
            let state = auth::state()?;
            let pool = state.db.pool();
            let item = item_id;
            let (meeting, council, _) = councils::item_context(pool, item)
                .await?
                .ok_or(AppError::NotFound)?;
            let frame = Frame::new(require_runner(council).await?)?;
            let (_, status, ..) = councils::meeting_council(pool, meeting)
                .await?
                .ok_or(AppError::NotFound)?;
            rules::may_write_minutes(status)?;
            let (summary, decision) = rules::validate_minutes(&summary, &decision)?;
            let mut tx = frame.begin().await?;
            // The same text as the newest version is no new version (a double click).
            if let Some(version) = councils::write_minutes_tx(
                &mut tx,
                item,
                &summary,
                decision.as_deref(),
                frame.user.id,
            )
            .await?
            {
                tx.audit(
                    AuditAction::MinutesWritten,
                    "agenda_item",
                    Some(item.0),
                    &format!("version {version}"),
                )
                .await?;
                tx.commit().await?;
                tracing::info!(item = item.0, version, "minutes written");
            }
            Ok(())
        }
        .await,
    )
}

/// Appoints a member as the council's chair or secretary. Coordinator only.
#[server(prefix = "/api", endpoint = "councils/officer")]
pub async fn appoint_officer(
    council_id: CouncilId,
    user_id: UserId,
    position: String,
) -> Result<(), AppError> {
    auth::respond(
        async {
            let frame = Frame::new(auth::require(&[RoleKind::Sekretariat]).await?)?;
            let position = match position.trim() {
                "chair" => "chair",
                "secretary" => "secretary",
                _ => return Err(AppError::invalid("position", Msg::ChooseOfficer)),
            };
            let council = council_id;
            let user = user_id;
            if !councils::is_member(frame.pool(), council, user).await? {
                return Err(AppError::invalid("user_id", Msg::ChooseMember));
            }
            let mut tx = frame.begin().await?;
            councils::set_officer_tx(&mut tx, council, user, position).await?;
            tx.audit_change(
                AuditAction::OfficerAppointed,
                "council",
                Some(council.0),
                &format!("bruger {user_id}: {position}"),
            )
            .await?;
            tx.commit().await?;
            tracing::info!(
                council = council.0,
                user_id = user_id.0,
                position,
                by = frame.user.id.0,
                "officer appointed"
            );
            Ok(())
        }
        .await,
    )
}
