//! Hearings (høringer, issue #21): a committee's politician or the coordinator asks
//! councils first; each council drafts, adopts its response by a passed vote (or
//! declines); young people outside the councils may add input; the sender publishes what
//! was decided and how each response was used. Every function checks its caller and its
//! input itself (the rules are `domain::hearing`).
// The sender's form has eight fields and its one-time token; the client stub the `server`
// macro generates for the browser build takes the same arguments.
#![allow(clippy::too_many_arguments)]
use crate::domain::error::AppError;
use crate::domain::hearing::{HearingList, HearingView, UseForm};
use crate::domain::ids::{
    AgendaItemId, CommitteeId, CouncilId, HearingId, HearingInputId, MeetingId,
};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

#[cfg(feature = "ssr")]
use crate::{
    domain::account::RoleKind,
    domain::audit::AuditAction,
    domain::council::{self as council_rules, MeetingStatus},
    domain::hearing::{self as rules, InputStatus, Phase, ResponseStatus},
    domain::message::Msg,
    ssr::{
        auth::{self, RateTicket},
        db::{self, councils, hearings},
        frame::Frame,
        once::{self, Outcome},
    },
};

/// What the sender's form offers: the committees the caller may send for, and the
/// councils that may be asked.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct HearingFormData {
    pub committees: Vec<(CommitteeId, String)>,
    pub councils: Vec<(CouncilId, String)>,
}

/// The committees `me` may send a hearing for: the coordinator all active ones, a
/// politician those they sit on.
#[cfg(feature = "ssr")]
async fn committees_for(
    pool: &sqlx::AnyPool,
    me: &crate::domain::account::SessionUser,
) -> Result<Vec<(CommitteeId, String)>, AppError> {
    if me.has(RoleKind::Sekretariat) {
        Ok(db::setup::active_committees(pool).await?)
    } else {
        Ok(hearings::my_committees(pool, me.id).await?)
    }
}

/// The sender's form: refused to anyone who may send no hearing (young people above all).
#[server(prefix = "/api", endpoint = "hearings/form")]
pub async fn hearing_form() -> Result<HearingFormData, AppError> {
    auth::respond(
        async {
            let me = auth::require_active().await?;
            let state = auth::state()?;
            let pool = state.db.pool();
            let committees = committees_for(pool, &me).await?;
            if !rules::may_send(&me, !committees.is_empty()) {
                return Err(AppError::Forbidden);
            }
            Ok(HearingFormData {
                committees,
                councils: hearings::askable_councils(pool).await?,
            })
        }
        .await,
    )
}

/// Sends a hearing to one or more councils. A politician of the chosen committee or the
/// coordinator; never a young person. The one-time `form_token` makes a double submit
/// one hearing.
#[server(prefix = "/api", endpoint = "hearings/new")]
pub async fn create_hearing(
    title: String,
    question: String,
    #[server(default)] background: String,
    #[server(default)] committee_id: String,
    #[server(default)] council_ids: Vec<String>,
    #[server(default)] decision_date: String,
    #[server(default)] respond_date: String,
    allow_input: Option<String>,
    #[server(default)] form_token: String,
) -> Result<HearingId, AppError> {
    auth::respond(
        async {
            let me = auth::require_active().await?;
            let state = auth::state()?;
            let pool = state.db.pool();
            // Who first: a young person is refused whatever the form says.
            if !rules::may_send(&me, true) {
                return Err(AppError::Forbidden);
            }
            let now = chrono::Utc::now();
            let form = rules::validate_hearing(
                &title,
                &question,
                &background,
                &committee_id,
                &council_ids,
                &decision_date,
                &respond_date,
                allow_input.is_some_and(|s| !s.trim().is_empty()),
                now,
            )?;
            let active = db::setup::active_committees(pool).await?;
            if !active.iter().any(|(id, _)| *id == form.committee) {
                return Err(AppError::invalid("committee_id", Msg::ChooseCommittee));
            }
            let in_committee = hearings::in_committee(pool, form.committee, me.id).await?;
            if !rules::may_send(&me, in_committee) {
                return Err(AppError::invalid("committee_id", Msg::NotOnCommittee));
            }
            let askable = hearings::askable_councils(pool).await?;
            if !form
                .councils
                .iter()
                .all(|c| askable.iter().any(|(id, _)| id == c))
            {
                return Err(AppError::invalid("council_ids", Msg::ChooseCouncils));
            }
            let o = once::check(pool, &form_token, me.id, "hearing").await?;
            let done = |id: i64| {
                leptos_axum::redirect(&format!("/hoeringer/{id}"));
                Ok(HearingId(id))
            };
            if let Some(prev) = once::previous(pool, &o).await? {
                return done(prev.parse().map_err(|_| AppError::Internal)?);
            }
            let ticket = auth::limit_user("hearing", me.id, 20, 3600).await?;
            let made = hearings::create(pool, &form, me.id, now, &o).await;
            match once::settle(pool, &o, ticket, made).await? {
                Outcome::Created(id) => {
                    tracing::info!(
                        hearing = id.0,
                        committee = form.committee.0,
                        councils = form.councils.len(),
                        "hearing sent"
                    );
                    done(id.0)
                }
                Outcome::Replayed(prev) => done(prev.parse().map_err(|_| AppError::Internal)?),
            }
        }
        .await,
    )
}

/// The public list of hearings, newest first, in sections (open, awaiting feedback,
/// overdue, feedback given); `before` is the cursor of the next page.
#[server(prefix = "/api", endpoint = "hearings/list")]
pub async fn list_hearings(before: Option<String>) -> Result<HearingList, AppError> {
    auth::respond(
        async {
            let state = auth::state()?;
            let pool = state.db.pool();
            let before = before
                .as_deref()
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(|s| s.parse::<HearingId>())
                .transpose()
                .map_err(|_| AppError::invalid("before", Msg::InvalidPage))?;
            let mut list =
                hearings::list(pool, before, rules::PER_PAGE, chrono::Utc::now()).await?;
            if let Some(me) = auth::current_user().await? {
                let committees = committees_for(pool, &me).await?;
                list.can_send = rules::may_send(&me, !committees.is_empty());
            }
            Ok(list)
        }
        .await,
    )
}

/// One hearing with its whole timeline. Public; a council's draft and the comments on it
/// only for that council's members, its officers and the coordinator; input awaiting
/// moderation only for those who moderate it and its author.
#[server(prefix = "/api", endpoint = "hearings/get")]
pub async fn get_hearing(id: HearingId) -> Result<HearingView, AppError> {
    auth::respond(
        async {
            let state = auth::state()?;
            let pool = state.db.pool();
            let me = auth::current_user().await?;
            let now = chrono::Utc::now();
            let (mut view, sender) = hearings::view(pool, id, me.as_ref().map(|u| u.id), now)
                .await?
                .ok_or(AppError::NotFound)?;
            let access = match &me {
                Some(u) => hearings::viewer_access(pool, id, u.id).await?,
                None => Vec::new(),
            };
            let open = now <= view.respond_by && view.phase != Phase::FeedbackGiven;
            for c in &mut view.councils {
                let a = access
                    .iter()
                    .find(|(cid, _)| *cid == c.council_id)
                    .map(|(_, a)| a);
                c.insider = rules::may_see_draft(me.as_ref(), a);
                let awaiting = c.status == ResponseStatus::Awaiting && open;
                if let Some(u) = &me {
                    c.can_act = awaiting && rules::may_act_for_council(u, a);
                    c.can_comment = awaiting && rules::may_comment(u, a);
                }
                if !c.insider {
                    c.draft = None;
                    c.draft_at = None;
                    c.comments.clear();
                }
            }
            let is_sender = me.as_ref().is_some_and(|u| u.id == sender);
            let moderates = me
                .as_ref()
                .is_some_and(|u| rules::may_moderate_input(u, is_sender));
            view.inputs
                .retain(|i| i.status == InputStatus::Approved || i.mine || moderates);
            view.can_moderate_inputs = moderates;
            if let Some(u) = &me {
                let all_decided = view.all_decided();
                view.can_publish_feedback = rules::may_publish_feedback(u, is_sender)
                    && rules::may_publish(now, view.respond_by, all_decided, false).is_ok()
                    && view.phase != Phase::FeedbackGiven;
                view.can_upload_files =
                    rules::may_publish_feedback(u, is_sender) && view.phase != Phase::FeedbackGiven;
                view.can_give_input = view.allow_input
                    && open
                    && !view.inputs.iter().any(|i| i.mine)
                    && rules::may_give_input(u, hearings::member_of_asked(pool, id, u.id).await?);
            }
            Ok(view)
        }
        .await,
    )
}

/// The caller, who must act for `council` in `hearing` (its chair or secretary, or the
/// coordinator), and the hearing's facts. Not asked: 404.
#[cfg(feature = "ssr")]
async fn require_council_actor(
    hearing: HearingId,
    council: CouncilId,
) -> Result<(crate::domain::account::SessionUser, hearings::HearingAccess), AppError> {
    let me = auth::require_active().await?;
    let state = auth::state()?;
    let pool = state.db.pool();
    let h = hearings::access(pool, hearing)
        .await?
        .ok_or(AppError::NotFound)?;
    let access = councils::access(pool, council, me.id).await?;
    if !rules::may_act_for_council(&me, access.as_ref()) {
        return Err(AppError::Forbidden);
    }
    Ok((me, h))
}

/// Saves the council's draft response (chair, secretary or coordinator) while the
/// council has not decided and the deadline has not passed.
#[server(prefix = "/api", endpoint = "hearings/draft")]
pub async fn save_hearing_draft(
    hearing_id: HearingId,
    council_id: CouncilId,
    #[server(default)] draft: String,
) -> Result<(), AppError> {
    auth::respond(
        async {
            let (me, h) = require_council_actor(hearing_id, council_id).await?;
            let state = auth::state()?;
            let pool = state.db.pool();
            let asked = hearings::asked(pool, hearing_id, council_id)
                .await?
                .ok_or(AppError::NotFound)?;
            let draft = rules::validate_draft(&draft)?;
            let now = chrono::Utc::now();
            rules::may_decide(now, h.respond_by())?;
            if asked.status != ResponseStatus::Awaiting
                || !hearings::save_draft(pool, hearing_id, council_id, &draft, me.id, now).await?
            {
                return Err(AppError::Conflict(Msg::HearingDecided));
            }
            Ok(())
        }
        .await,
    )
}

/// A council member comments on the council's draft (members with a running term).
#[server(prefix = "/api", endpoint = "hearings/comment")]
pub async fn comment_on_draft(
    hearing_id: HearingId,
    council_id: CouncilId,
    body: String,
    #[server(default)] form_token: String,
) -> Result<(), AppError> {
    auth::respond(
        async {
            let me = auth::require_active().await?;
            let state = auth::state()?;
            let pool = state.db.pool();
            let h = hearings::access(pool, hearing_id)
                .await?
                .ok_or(AppError::NotFound)?;
            let access = councils::access(pool, council_id, me.id).await?;
            if !rules::may_comment(&me, access.as_ref()) {
                return Err(AppError::Forbidden);
            }
            hearings::asked(pool, hearing_id, council_id)
                .await?
                .ok_or(AppError::NotFound)?;
            let body = rules::validate_comment(&body)?;
            let now = chrono::Utc::now();
            rules::may_decide(now, h.respond_by())?;
            let o = once::check(pool, &form_token, me.id, "hearing_comment").await?;
            if once::previous(pool, &o).await?.is_some() {
                return Ok(());
            }
            let made = hearings::comment(pool, hearing_id, council_id, me.id, &body, now, &o).await;
            match once::settle(pool, &o, RateTicket::default(), made).await? {
                Outcome::Created(None) => Err(AppError::Conflict(Msg::HearingDecided)),
                Outcome::Created(Some(_)) | Outcome::Replayed(_) => Ok(()),
            }
        }
        .await,
    )
}

/// Puts a hearing on the agenda of a planned or published meeting of a council asked in
/// it (its chair or secretary, or the coordinator), while the council has not decided.
#[server(prefix = "/api", endpoint = "hearings/agenda")]
pub async fn put_hearing_on_agenda(
    meeting_id: MeetingId,
    hearing_id: String,
) -> Result<(), AppError> {
    auth::respond(
        async {
            let state = auth::state()?;
            let pool = state.db.pool();
            let (council, status, ..) = councils::meeting_council(pool, meeting_id)
                .await?
                .ok_or(AppError::NotFound)?;
            let me = auth::require_active().await?;
            let access = councils::access(pool, council, me.id).await?;
            if !rules::may_act_for_council(&me, access.as_ref()) {
                return Err(AppError::Forbidden);
            }
            if !matches!(status, MeetingStatus::Planned | MeetingStatus::Published) {
                return Err(AppError::Conflict(Msg::AgendaLocked));
            }
            let hearing = hearing_id
                .trim()
                .parse::<HearingId>()
                .map_err(|_| AppError::invalid("hearing_id", Msg::ChooseHearing))?;
            let h = hearings::access(pool, hearing)
                .await?
                .ok_or_else(|| AppError::invalid("hearing_id", Msg::ChooseHearing))?;
            let asked = hearings::asked(pool, hearing, council)
                .await?
                .ok_or_else(|| AppError::invalid("hearing_id", Msg::ChooseHearing))?;
            if asked.status != ResponseStatus::Awaiting {
                return Err(AppError::invalid("hearing_id", Msg::HearingDecided));
            }
            let now = chrono::Utc::now();
            rules::may_decide(now, h.respond_by())?;
            let name = hearings::open_for_council(pool, council, now)
                .await?
                .into_iter()
                .find(|(id, _)| *id == hearing)
                .map(|(_, t)| t)
                .ok_or(AppError::Conflict(Msg::HearingOnAgenda))?;
            let title: String = format!("Høring: {name}").chars().take(200).collect();
            let item = hearings::add_agenda_item(pool, meeting_id, council, &title, hearing, now)
                .await?
                .ok_or(AppError::Conflict(Msg::HearingOnAgenda))?;
            tracing::info!(
                item = item.0,
                hearing = hearing.0,
                meeting = meeting_id.0,
                by = me.id.0,
                "hearing put on the agenda"
            );
            leptos_axum::redirect(&format!("/moeder/{}", meeting_id.0));
            Ok(())
        }
        .await,
    )
}

/// Adopts the council's response (its saved draft) by the closed, passed vote on this
/// agenda item (quorum and majority, as a council's decision on a proposal); stores the
/// vote. Refused after the response deadline and once the council has decided.
#[server(prefix = "/api", endpoint = "hearings/adopt")]
pub async fn adopt_response(item_id: AgendaItemId) -> Result<(), AppError> {
    auth::respond(
        async {
            let state = auth::state()?;
            let pool = state.db.pool();
            let (meeting, council, _) = councils::item_context(pool, item_id)
                .await?
                .ok_or(AppError::NotFound)?;
            let me = auth::require_active().await?;
            let access = councils::access(pool, council, me.id).await?;
            if !rules::may_act_for_council(&me, access.as_ref()) {
                return Err(AppError::Forbidden);
            }
            let hearing = hearings::item_hearing(pool, item_id)
                .await?
                .ok_or_else(|| AppError::invalid("decision", Msg::ItemNotHearing))?;
            let h = hearings::access(pool, hearing)
                .await?
                .ok_or(AppError::NotFound)?;
            let asked = hearings::asked(pool, hearing, council)
                .await?
                .ok_or_else(|| AppError::invalid("decision", Msg::ItemNotHearing))?;
            if asked.status != ResponseStatus::Awaiting {
                return Err(AppError::Conflict(Msg::HearingDecided));
            }
            let now = chrono::Utc::now();
            rules::may_decide(now, h.respond_by())?;
            let (vote, tally) =
                council_rules::decision_basis(councils::item_vote(pool, item_id).await?)?;
            let response = rules::validate_response(asked.draft.as_deref().unwrap_or(""))
                .map_err(|e| AppError::invalid("draft", e.msg()))?;
            let frame = Frame::new(me)?;
            let mut tx = frame.begin().await?;
            if !hearings::adopt_tx(
                &mut tx,
                hearing,
                council,
                &response,
                vote,
                frame.user.id,
                now,
            )
            .await?
            {
                return Err(AppError::Conflict(Msg::HearingDecided));
            }
            tx.audit(
                AuditAction::CouncilDecided,
                "hearing",
                Some(hearing.0),
                &format!(
                    "høringssvar fra råd {} (afstemning {}: for {}, imod {}, undlader {})",
                    council.0, vote.0, tally.yes, tally.no, tally.abstain
                ),
            )
            .await?;
            tx.commit().await?;
            tracing::info!(
                hearing = hearing.0,
                council = council.0,
                vote = vote.0,
                "hearing response adopted"
            );
            leptos_axum::redirect(&format!("/moeder/{}", meeting.0));
            Ok(())
        }
        .await,
    )
}

/// Declines to respond on the council's behalf, with an explanation (the rule of a
/// council's decline of a proposal). Before the deadline, once.
#[server(prefix = "/api", endpoint = "hearings/decline")]
pub async fn decline_hearing(
    hearing_id: HearingId,
    council_id: CouncilId,
    #[server(default)] reason: String,
) -> Result<(), AppError> {
    auth::respond(
        async {
            let (me, h) = require_council_actor(hearing_id, council_id).await?;
            let state = auth::state()?;
            let pool = state.db.pool();
            let asked = hearings::asked(pool, hearing_id, council_id)
                .await?
                .ok_or(AppError::NotFound)?;
            let reason = rules::validate_decline(&reason)?;
            if asked.status != ResponseStatus::Awaiting {
                return Err(AppError::Conflict(Msg::HearingDecided));
            }
            let now = chrono::Utc::now();
            rules::may_decide(now, h.respond_by())?;
            let frame = Frame::new(me)?;
            let mut tx = frame.begin().await?;
            if !hearings::decline_tx(&mut tx, hearing_id, council_id, &reason, frame.user.id, now)
                .await?
            {
                return Err(AppError::Conflict(Msg::HearingDecided));
            }
            tx.audit(
                AuditAction::CouncilDecided,
                "hearing",
                Some(hearing_id.0),
                &format!("råd {} takkede nej", council_id.0),
            )
            .await?;
            tx.commit().await?;
            tracing::info!(
                hearing = hearing_id.0,
                council = council_id.0,
                "hearing declined"
            );
            Ok(())
        }
        .await,
    )
}

/// A young person's own input to a hearing that allows it, while it is open: not for
/// members of an asked council (they speak through their council). Pre-moderated; shown
/// with the first name or anonymously, as the author chooses. One each.
#[server(prefix = "/api", endpoint = "hearings/input")]
pub async fn add_hearing_input(
    hearing_id: HearingId,
    body: String,
    anonymous: Option<String>,
    #[server(default)] form_token: String,
) -> Result<(), AppError> {
    auth::respond(
        async {
            let me = auth::require_active().await?;
            let state = auth::state()?;
            let pool = state.db.pool();
            let h = hearings::access(pool, hearing_id)
                .await?
                .ok_or(AppError::NotFound)?;
            let member = hearings::member_of_asked(pool, hearing_id, me.id).await?;
            if !rules::may_give_input(&me, member) {
                return Err(AppError::Forbidden);
            }
            let now = chrono::Utc::now();
            if h.allow_input != 1 || h.feedback_given() || now > h.respond_by() {
                return Err(AppError::Conflict(Msg::HearingNoInput));
            }
            let body = rules::validate_input(&body)?;
            let o = once::check(pool, &form_token, me.id, "hearing_input").await?;
            if once::previous(pool, &o).await?.is_some() {
                return Ok(());
            }
            let anonymous = anonymous.is_some_and(|s| !s.trim().is_empty());
            let ticket = auth::limit_user("hearing_input", me.id, 10, 3600).await?;
            let made =
                hearings::add_input(pool, hearing_id, me.id, &body, anonymous, now, &o).await;
            match once::settle(pool, &o, ticket, made).await? {
                Outcome::Created(None) => Err(AppError::Conflict(Msg::HearingInputGiven)),
                Outcome::Created(Some(id)) => {
                    tracing::info!(input = id.0, hearing = hearing_id.0, "hearing input given");
                    Ok(())
                }
                Outcome::Replayed(_) => Ok(()),
            }
        }
        .await,
    )
}

/// Approves ("approve") or rejects ("reject") a young person's input awaiting moderation:
/// the moderators, the coordinator or the hearing's sender. Once.
#[server(prefix = "/api", endpoint = "hearings/input/moderate")]
pub async fn moderate_hearing_input(
    input_id: HearingInputId,
    decision: String,
) -> Result<(), AppError> {
    auth::respond(
        async {
            let me = auth::require_active().await?;
            let state = auth::state()?;
            let pool = state.db.pool();
            let (hearing, sender, status) = hearings::input_context(pool, input_id)
                .await?
                .ok_or(AppError::NotFound)?;
            if !rules::may_moderate_input(&me, sender == me.id) {
                return Err(AppError::Forbidden);
            }
            let approve = match decision.trim() {
                "approve" => true,
                "reject" => false,
                _ => return Err(AppError::invalid("decision", Msg::InvalidChoice)),
            };
            if status != InputStatus::Pending
                || !hearings::moderate_input(pool, input_id, approve, me.id, chrono::Utc::now())
                    .await?
            {
                return Err(AppError::Conflict(Msg::HiddenAlready));
            }
            tracing::info!(
                input = input_id.0,
                hearing = hearing.0,
                approve,
                "hearing input moderated"
            );
            Ok(())
        }
        .await,
    )
}

/// Publishes the feedback: what the committee decided and, for each council that
/// responded, whether its response was used, partly used or not used, with the
/// explanation a Nej answer needs where it was not (fully) used. The sender or the
/// coordinator; once every council has decided or the response deadline has passed; all
/// in one transaction, so a refusal stores nothing.
#[server(prefix = "/api", endpoint = "hearings/feedback")]
pub async fn publish_feedback(
    hearing_id: HearingId,
    #[server(default)] decision_text: String,
    #[server(default)] uses: Vec<UseForm>,
) -> Result<(), AppError> {
    auth::respond(
        async {
            let me = auth::require_active().await?;
            let state = auth::state()?;
            let pool = state.db.pool();
            let h = hearings::access(pool, hearing_id)
                .await?
                .ok_or(AppError::NotFound)?;
            if !rules::may_publish_feedback(&me, h.sender_id == me.id) {
                return Err(AppError::Forbidden);
            }
            let now = chrono::Utc::now();
            rules::may_publish(now, h.respond_by(), h.awaiting == 0, h.feedback_given())?;
            let responded = hearings::responded(pool, hearing_id).await?;
            let feedback = rules::validate_feedback(&decision_text, &responded, &uses)?;
            let frame = Frame::new(me)?;
            let mut tx = frame.begin().await?;
            if !hearings::publish_feedback_tx(
                &mut tx,
                hearing_id,
                &feedback.decision_text,
                &feedback.uses,
                frame.user.id,
                now,
            )
            .await?
            {
                // Dropped without a commit: nothing of it is stored.
                return Err(AppError::Conflict(Msg::HearingFeedbackGiven));
            }
            let summary: Vec<String> = feedback
                .uses
                .iter()
                .map(|u| format!("råd {}: {}", u.council.0, u.kind.as_str()))
                .collect();
            tx.audit(
                AuditAction::Answered,
                "hearing",
                Some(hearing_id.0),
                &format!("tilbagemelding ({})", summary.join(", ")),
            )
            .await?;
            tx.commit().await?;
            tracing::info!(
                hearing = hearing_id.0,
                responses = feedback.uses.len(),
                "hearing feedback published"
            );
            Ok(())
        }
        .await,
    )
}

/// The hearings a council was asked in (for its page), newest first.
#[server(prefix = "/api", endpoint = "hearings/council")]
pub async fn council_hearings(
    council_id: CouncilId,
) -> Result<Vec<crate::domain::hearing::HearingCard>, AppError> {
    auth::respond(
        async {
            let state = auth::state()?;
            Ok(hearings::for_council(state.db.pool(), council_id, chrono::Utc::now()).await?)
        }
        .await,
    )
}

/// Hearings a meeting's council may put on its agenda (for those who run it; others get
/// an empty list).
#[server(prefix = "/api", endpoint = "hearings/for-meeting")]
pub async fn hearings_for_meeting(
    meeting_id: MeetingId,
) -> Result<Vec<(HearingId, String)>, AppError> {
    auth::respond(
        async {
            let state = auth::state()?;
            let pool = state.db.pool();
            let (council, ..) = councils::meeting_council(pool, meeting_id)
                .await?
                .ok_or(AppError::NotFound)?;
            let Some(me) = auth::current_user().await? else {
                return Ok(Vec::new());
            };
            let access = councils::access(pool, council, me.id).await?;
            if !rules::may_act_for_council(&me, access.as_ref()) {
                return Ok(Vec::new());
            }
            Ok(hearings::open_for_council(pool, council, chrono::Utc::now()).await?)
        }
        .await,
    )
}
