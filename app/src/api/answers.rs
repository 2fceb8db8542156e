//! Politicians answer: the inbox of forwarded proposals, and the answer — Ja, Delvist or
//! Nej, where Delvist and Nej always carry a written explanation and a reason category.
use crate::domain::error::AppError;
use crate::domain::heard::HeardOverview;
use crate::domain::ids::ProposalId;
use crate::domain::proposal::Inbox;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use crate::domain::message::Msg;

#[cfg(feature = "ssr")]
use crate::{
    domain::account::RoleKind,
    domain::answer as answer_rules,
    domain::proposal as rules,
    domain::rights::ProposalRights,
    ssr::{
        auth,
        db::{self, proposals::Step},
        frame::Frame,
        once::{self, Outcome},
    },
};

/// Proposals waiting for the caller's committees, earliest deadline (overdue) first.
/// The coordinator sees all of them.
#[server(prefix = "/api", endpoint = "answers/inbox")]
pub async fn get_inbox() -> Result<Inbox, AppError> {
    auth::respond(
        async {
            let me = auth::require(&[RoleKind::Politiker, RoleKind::Sekretariat]).await?;
            let state = auth::state()?;
            let all = me.has(RoleKind::Sekretariat);
            Ok(Inbox {
                waiting: db::answers::inbox(state.db.pool(), me.id, all).await?,
                clearer: db::answers::clearer_requests(state.db.pool(), me.id, all).await?,
            })
        }
        .await,
    )
}

/// Answers a forwarded proposal. Only politicians of the committee it was sent to.
/// Nothing is stored when the explanation or reason is missing.
#[server(prefix = "/api", endpoint = "answers/answer")]
pub async fn answer_proposal(
    proposal_id: ProposalId,
    answer: Option<String>,
    explanation: String,
    reason: Option<String>,
) -> Result<(), AppError> {
    auth::respond(
        async {
            let frame = Frame::new(auth::require(&[RoleKind::Politiker]).await?)?;
            let me = &frame.user;
            let id = proposal_id;
            let access = db::proposals::access_for(frame.pool(), id, Some(me.id))
                .await?
                .ok_or(AppError::NotFound)?;
            let may = ProposalRights::of(Some(me), &access).answer;
            may.authorize()?;
            may.now(|| AppError::Conflict(Msg::AlreadyAnswered))?;
            let (answer, reason) = rules::validate_answer(
                answer.as_deref().unwrap_or(""),
                &explanation,
                reason.as_deref().unwrap_or(""),
            )?;
            let committee = access.committee.unwrap_or_default();
            let kind = answer.kind();
            let mut tx = frame.begin().await?;
            db::proposals::step_tx(
                &mut tx,
                id,
                Step::Answer {
                    by: format!("{} ({committee})", me.first_name),
                    committee,
                    answer,
                    reason,
                },
                Some(me.id),
                chrono::Utc::now(),
            )
            .await?;
            tx.audit(
                crate::domain::audit::AuditAction::Answered,
                "proposal",
                Some(id.0),
                kind.as_str(),
            )
            .await?;
            tx.commit().await?;
            tracing::info!(
                proposal = id.0,
                answer = kind.as_str(),
                by = me.id.0,
                "proposal answered"
            );
            leptos_axum::redirect(&format!("/forslag/{}?besvaret=1", id.0));
            Ok(())
        }
        .await,
    )
}

/// Adds a follow-up note (opfølgning) after a Ja or Delvist: the committee's politicians
/// or the coordinator. Opgivet needs an explanation like a Nej does.
#[server(prefix = "/api", endpoint = "answers/follow-up")]
pub async fn add_follow_up(
    proposal_id: ProposalId,
    state: Option<String>,
    explanation: String,
    #[server(default)] form_token: String,
) -> Result<(), AppError> {
    auth::respond(
        async {
            let frame =
                Frame::new(auth::require(&[RoleKind::Politiker, RoleKind::Sekretariat]).await?)?;
            let me = &frame.user;
            let id = proposal_id;
            let pool = frame.pool().clone();
            let access = db::proposals::access_for(&pool, id, Some(me.id))
                .await?
                .ok_or(AppError::NotFound)?;
            // Who may; the state (after a Ja or Delvist) is checked by the db call, on the
            // row its transaction holds, with the same domain rule.
            ProposalRights::of(Some(me), &access)
                .follow_up
                .authorize()?;
            let (state, note) =
                answer_rules::validate_follow_up(state.as_deref().unwrap_or(""), &explanation)?;
            let o = once::check(&pool, &form_token, me.id, "follow_up").await?;
            if once::previous(&pool, &o).await?.is_none() {
                let ticket = auth::limit_user("follow-up", me.id, 30, 3600).await?;
                let made = async {
                    let mut tx = frame.begin().await?;
                    db::proposals::follow_up_tx(
                        &mut tx,
                        id,
                        state,
                        &note,
                        Some(me.id),
                        chrono::Utc::now(),
                        Some(&o),
                    )
                    .await?;
                    tx.audit(
                        crate::domain::audit::AuditAction::FollowUp,
                        "proposal",
                        Some(id.0),
                        state.as_str(),
                    )
                    .await?;
                    tx.commit().await
                }
                .await;
                if let Outcome::Created(()) = once::settle(&pool, &o, ticket, made).await? {
                    tracing::info!(
                        proposal = id.0,
                        state = state.as_str(),
                        by = me.id.0,
                        "follow-up added"
                    );
                }
            }
            leptos_axum::redirect(&format!("/forslag/{}?opfoelgning=1#forloeb", id.0));
            Ok(())
        }
        .await,
    )
}

/// "Forstod du svaret?": the author or a supporter says Ja or Nej, or asks for a clearer
/// answer (`clearer` = "1"), which the committee's politicians see in their inbox.
#[server(prefix = "/api", endpoint = "answers/understood")]
pub async fn answer_understood(
    proposal_id: ProposalId,
    understood: String,
    clearer: Option<String>,
) -> Result<(), AppError> {
    auth::respond(
        async {
            let me = auth::require_active().await?;
            let id = proposal_id;
            let pool = auth::state()?.db.pool().clone();
            let access = db::proposals::access_for(&pool, id, Some(me.id))
                .await?
                .ok_or(AppError::NotFound)?;
            let understood = match understood.trim() {
                "ja" => true,
                "nej" => false,
                _ => return Err(AppError::invalid("understood", Msg::ChooseYesNo)),
            };
            let clearer = match clearer.as_deref().map(str::trim) {
                None | Some("") | Some("0") => false,
                Some("1") => true,
                Some(_) => return Err(AppError::invalid("clearer", Msg::InvalidChoice)),
            };
            if !ProposalRights::of(Some(&me), &access).give_feedback.yes() {
                return Err(AppError::Forbidden);
            }
            db::answers::give_feedback(&pool, id, me.id, understood, clearer, chrono::Utc::now())
                .await?;
            leptos_axum::redirect(&format!("/forslag/{}?forstaaet=1#svaret", id.0));
            Ok(())
        }
        .await,
    )
}

/// A politician of the committee explains the answer further; open requests for a
/// clearer answer are closed and the author and followers are told.
#[server(prefix = "/api", endpoint = "answers/clarify")]
pub async fn clarify_answer(
    proposal_id: ProposalId,
    clarification: String,
    #[server(default)] form_token: String,
) -> Result<(), AppError> {
    auth::respond(
        async {
            let frame = Frame::new(auth::require(&[RoleKind::Politiker]).await?)?;
            let me = &frame.user;
            let id = proposal_id;
            let pool = frame.pool().clone();
            let access = db::proposals::access_for(&pool, id, Some(me.id))
                .await?
                .ok_or(AppError::NotFound)?;
            let may = ProposalRights::of(Some(me), &access).clarify;
            may.authorize()?;
            may.now(|| AppError::Conflict(Msg::NotAnsweredYet))?;
            let text = answer_rules::validate_clarification(&clarification)?;
            let o = once::check(&pool, &form_token, me.id, "clarification").await?;
            if once::previous(&pool, &o).await?.is_none() {
                let ticket = auth::limit_user("clarify", me.id, 20, 3600).await?;
                let made = async {
                    let mut tx = frame.begin().await?;
                    db::answers::clarify_tx(
                        &mut tx,
                        id,
                        me.id,
                        &me.first_name,
                        &text,
                        chrono::Utc::now(),
                        Some(&o),
                    )
                    .await?;
                    tx.audit(
                        crate::domain::audit::AuditAction::Clarified,
                        "proposal",
                        Some(id.0),
                        "",
                    )
                    .await?;
                    tx.commit().await
                }
                .await;
                if let Outcome::Created(()) = once::settle(&pool, &o, ticket, made).await? {
                    tracing::info!(proposal = id.0, by = me.id.0, "answer clarified");
                }
            }
            leptos_axum::redirect(&format!("/forslag/{}?uddybet=1#svaret", id.0));
            Ok(())
        }
        .await,
    )
}

/// "Bliver vi hørt?": the figures for proposals submitted in `year` (Danish calendar
/// year; the current year when absent), the years there are, and what is overdue now.
#[server(prefix = "/api", endpoint = "answers/overview")]
pub async fn get_heard_overview(year: Option<i32>) -> Result<HeardOverview, AppError> {
    auth::respond(
        async {
            let pool = auth::state()?.db.pool().clone();
            crate::ssr::heard::overview(&pool, year, chrono::Utc::now())
                .await?
                .ok_or(AppError::NotFound)
        }
        .await,
    )
}
