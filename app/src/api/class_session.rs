//! Class sessions (issue #23): a teacher and a class. Pupils (participants of the session,
//! mostly without accounts) send short ideas, which wait for the teacher's approval before
//! anyone sees them; everyone gives up to three dots; the teacher sends the top ideas to the
//! school's elevråd as proposals in the class's name. Every function checks its caller and
//! input itself and tells the session's live stream after each committed change.
use crate::domain::error::AppError;
use crate::domain::ids::IdeaId;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use crate::{
    api::live::{changed, require_participant, require_runner, session_by_code},
    domain::account::SessionUser,
    domain::class_session::{self as class_rules, Review},
    domain::live::{self as rules, LiveKind},
    domain::message::Msg,
    domain::proposal::{self as proposal_rules, Intent, ProposalContent, Visibility},
    ssr::{
        auth,
        db::{self, class_ideas, live},
        state::AppState,
    },
};

/// Refuses a session that is not a class session.
#[cfg(feature = "ssr")]
fn require_class(session: &live::SessionRow) -> Result<(), AppError> {
    if session.info.kind == LiveKind::Klasse {
        Ok(())
    } else {
        Err(AppError::Conflict(Msg::LiveNotClass))
    }
}

/// Refuses a session that has ended or expired.
#[cfg(feature = "ssr")]
fn require_open(session: &live::SessionRow) -> Result<(), AppError> {
    rules::require_open(
        session.info.closed_at,
        session.info.expires_at,
        chrono::Utc::now(),
    )
}

/// The idea (404 when there is none) and its session.
#[cfg(feature = "ssr")]
async fn idea_and_session(
    state: &AppState,
    idea_id: IdeaId,
) -> Result<(class_ideas::IdeaRow, live::SessionRow), AppError> {
    let pool = state.db.pool();
    let idea = class_ideas::idea(pool, idea_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let session = live::by_id(pool, idea.session)
        .await?
        .ok_or(AppError::NotFound)?;
    Ok((idea, session))
}

/// The idea's session's host (or the coordinator); 403 for anyone else.
#[cfg(feature = "ssr")]
async fn require_idea_runner(
    state: &AppState,
    idea_id: IdeaId,
) -> Result<(SessionUser, class_ideas::IdeaRow, live::SessionRow), AppError> {
    let me = auth::require_active().await?;
    let (idea, session) = idea_and_session(state, idea_id).await?;
    if !rules::may_run(&me, session.host) {
        return Err(AppError::Forbidden);
    }
    Ok((me, idea, session))
}

/// A pupil (a participant of the class session) sends a short idea while the class takes
/// ideas. It waits for the teacher's approval. True when stored; the same text twice from
/// the same pupil is one idea (false, nothing changes).
#[server(prefix = "/api", endpoint = "class/idea")]
pub async fn submit_class_idea(code: String, body: String) -> Result<bool, AppError> {
    auth::respond(
        async {
            let state = auth::state()?;
            let pool = state.db.pool();
            let session = session_by_code(&state, &code, "code").await?;
            let p = require_participant(&state, session.info.id).await?;
            require_class(&session)?;
            require_open(&session)?;
            // Invisible formatting (bidi overrides, zero-width characters) goes first.
            let body = rules::validate_idea(&crate::domain::account::clean_text(&body))?;
            let switches = class_ideas::switches(pool, session.info.id)
                .await?
                .ok_or(AppError::NotFound)?;
            if !switches.ideas_open {
                return Err(AppError::Conflict(Msg::LiveIdeasClosed));
            }
            // A class's worth of ideas per pupil and quarter of an hour.
            let ticket =
                auth::limit(&format!("class_idea:participant:{}", p.id.0), 20, 900).await?;
            let stored = class_ideas::submit(pool, session.info.id, p.id, &body).await?;
            if stored {
                ticket.keep();
                // The teacher's page shows the pending ideas.
                changed(&state, session.info.id);
                tracing::info!(session = session.info.id.0, "class idea sent");
            } else {
                ticket.give_back().await;
            }
            Ok(stored)
        }
        .await,
    )
}

/// The teacher approves (`decision` = "approve") or rejects ("reject") a pending idea.
/// Only a pending idea moves: a second press or a stale tab changes nothing (false).
#[server(prefix = "/api", endpoint = "class/review")]
pub async fn review_class_idea(idea_id: IdeaId, decision: String) -> Result<bool, AppError> {
    auth::respond(
        async {
            let state = auth::state()?;
            let (me, idea, session) = require_idea_runner(&state, idea_id).await?;
            let decision = Review::parse(&decision)
                .ok_or_else(|| AppError::invalid("decision", Msg::NotFound))?;
            require_open(&session)?;
            let moved = class_ideas::review(state.db.pool(), idea.id, decision.status()).await?;
            if moved {
                changed(&state, session.info.id);
                tracing::info!(
                    idea = idea.id.0,
                    by = me.id.0,
                    decision = decision.status(),
                    "class idea reviewed"
                );
            }
            Ok(moved)
        }
        .await,
    )
}

/// The teacher opens or closes idea submission (`what` = "ideas") or dot-voting ("dots").
/// False when it was so already.
#[server(prefix = "/api", endpoint = "class/switch")]
pub async fn switch_class(code: String, what: String, open: String) -> Result<bool, AppError> {
    auth::respond(
        async {
            let state = auth::state()?;
            let (_, session) = require_runner(&state, &code).await?;
            require_class(&session)?;
            require_open(&session)?;
            let switch = match what.trim() {
                "ideas" => live::Switch::Ideas,
                "dots" => live::Switch::Dots,
                _ => return Err(AppError::invalid("what", Msg::NotFound)),
            };
            let open = class_rules::parse_switch(&open)
                .ok_or_else(|| AppError::invalid("open", Msg::NotFound))?;
            let done = live::set_switch(state.db.pool(), session.info.id, switch, open).await?;
            if done {
                changed(&state, session.info.id);
            }
            Ok(done)
        }
        .await,
    )
}

/// A pupil gives a dot to an approved idea of their session while dot-voting is open: one
/// per idea, three in all. True when given; false when their dot was there already.
#[server(prefix = "/api", endpoint = "class/dot")]
pub async fn dot_class_idea(idea_id: IdeaId) -> Result<bool, AppError> {
    auth::respond(
        async {
            let state = auth::state()?;
            let (idea, session) = idea_and_session(&state, idea_id).await?;
            let p = require_participant(&state, session.info.id).await?;
            require_open(&session)?;
            if idea.status != "approved" {
                return Err(AppError::Conflict(Msg::LiveIdeaNotApproved));
            }
            let given = class_ideas::dot(state.db.pool(), idea.id, session.info.id, p.id).await?;
            if given {
                changed(&state, session.info.id);
            }
            Ok(given)
        }
        .await,
    )
}

/// A pupil takes their dot back while dot-voting is open. True when taken; false when
/// there was none.
#[server(prefix = "/api", endpoint = "class/undot")]
pub async fn undot_class_idea(idea_id: IdeaId) -> Result<bool, AppError> {
    auth::respond(
        async {
            let state = auth::state()?;
            let (idea, session) = idea_and_session(&state, idea_id).await?;
            let p = require_participant(&state, session.info.id).await?;
            require_open(&session)?;
            let taken = class_ideas::undot(state.db.pool(), idea.id, session.info.id, p.id).await?;
            if taken {
                changed(&state, session.info.id);
            }
            Ok(taken)
        }
        .await,
    )
}

/// The teacher sends an approved idea to the school's elevråd as a proposal in the class's
/// name ("6.B, Skovskolen"): submitted like any proposal (published, or waiting for the
/// moderator when pre-moderation is on). Sending it again gives the same proposal.
/// Returns the proposal's number.
#[server(prefix = "/api", endpoint = "class/send")]
pub async fn send_class_idea(idea_id: IdeaId) -> Result<i64, AppError> {
    auth::respond(
        async {
            let state = auth::state()?;
            let pool = state.db.pool();
            let (me, idea, session) = require_idea_runner(&state, idea_id).await?;
            require_class(&session)?;
            if let Some(p) = idea.proposal {
                return Ok(p.0);
            }
            if idea.status != "approved" {
                return Err(AppError::Conflict(Msg::LiveIdeaNotApproved));
            }
            let (Some(school), Some(school_name), Some(class_name)) = (
                session.school,
                session.info.school.clone(),
                session.info.class_name.clone(),
            ) else {
                return Err(AppError::Conflict(Msg::LiveNotClass));
            };
            let (council, _) = live::school_elevraad(pool, school)
                .await?
                .ok_or(AppError::Conflict(Msg::LiveNoElevraad))?;
            let pupils = class_ideas::switches(pool, session.info.id)
                .await?
                .map_or(0, |s| s.participants);
            let title = class_rules::proposal_title(&idea.body);
            let body = class_rules::proposal_body(
                &idea.body,
                &class_name,
                &school_name,
                idea.dots,
                pupils,
            );
            let (title, body, theme, council) = proposal_rules::validate_content(
                &title,
                &body,
                proposal_rules::Theme::Andet.as_str(),
                &council.0.to_string(),
                Intent::Submit,
            )?;
            let content = ProposalContent {
                title,
                body,
                theme,
                council,
                show_name: false,
            };
            let visibility = if db::settings::pre_moderation(pool).await? {
                Visibility::Pending
            } else {
                Visibility::Published
            };
            let signature: String = rules::class_signature(&class_name, &school_name)
                .chars()
                .take(200)
                .collect();
            let (proposal, sent) =
                class_ideas::send(pool, idea.id, me.id, &content, visibility, &signature)
                    .await?
                    .ok_or(AppError::NotFound)?;
            if sent {
                changed(&state, session.info.id);
                tracing::info!(
                    idea = idea.id.0,
                    proposal = proposal.0,
                    by = me.id.0,
                    "class idea sent to the elevråd"
                );
            }
            Ok(proposal.0)
        }
        .await,
    )
}
