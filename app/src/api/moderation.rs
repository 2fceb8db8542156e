//! Moderation: reports by anyone logged in; the queue, hiding, dismissing and approving
//! by moderators; the pre-moderation switch by the coordinator.
use crate::domain::error::AppError;
use crate::domain::ids::{ProposalId, ReportId};
use crate::domain::moderation::Queue;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use crate::domain::message::Msg;

#[cfg(feature = "ssr")]
use crate::{
    domain::account::RoleKind,
    domain::ids::CommentId,
    domain::moderation::{self as rules, QUEUE_LIMIT},
    ssr::{auth, db, frame::Frame},
};

#[cfg(feature = "ssr")]
fn optional_id(field: &str, raw: Option<String>) -> Result<Option<i64>, AppError> {
    match raw.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        None => Ok(None),
        Some(s) => s
            .parse::<i64>()
            .ok()
            .filter(|i| *i > 0)
            .map(Some)
            .ok_or_else(|| AppError::not_a_number(field)),
    }
}

/// Reports a proposal, or one of its comments, to the moderators.
#[server(prefix = "/api", endpoint = "moderation/report")]
pub async fn report_content(
    proposal_id: ProposalId,
    comment_id: Option<String>,
    reason: String,
) -> Result<(), AppError> {
    auth::respond(
        async {
            let me = auth::require_active().await?;
            let reason = rules::validate_reason(&reason)?;
            let proposal = proposal_id;
            let comment = optional_id("comment_id", comment_id)?.map(CommentId);
            let state = auth::state()?;
            let pool = state.db.pool();
            let access = db::proposals::access(pool, proposal)
                .await?
                .ok_or(AppError::NotFound)?;
            // Only what everyone can see can be reported.
            if !crate::domain::rights::is_public(access.stage, access.visibility) {
                return Err(AppError::NotFound);
            }
            if let Some(c) = comment {
                if !db::moderation::comment_on(pool, proposal, c).await? {
                    return Err(AppError::NotFound);
                }
            }
            let ticket = auth::limit_user("report", me.id, 20, 3600).await?;
            let new = db::moderation::report(pool, me.id, proposal, comment, &reason).await;
            // The same person's second report of the same thing (a double click) is the
            // first one: it stores nothing and does not count toward the limit.
            let new = match new {
                Ok(true) => {
                    ticket.keep();
                    true
                }
                other => {
                    ticket.give_back().await;
                    other?
                }
            };
            tracing::info!(
                proposal = proposal.0,
                comment = comment.map(|c| c.0),
                new,
                "content reported"
            );
            leptos_axum::redirect(&format!("/forslag/{}?anmeldt=1", proposal.0));
            Ok(())
        }
        .await,
    )
}

/// The moderators' queue: open reports and proposals awaiting approval.
#[server(prefix = "/api", endpoint = "moderation/queue")]
pub async fn moderation_queue() -> Result<Queue, AppError> {
    auth::respond(
        async {
            auth::require(&[RoleKind::Moderator, RoleKind::Sekretariat]).await?;
            let state = auth::state()?;
            let pool = state.db.pool();
            Ok(Queue {
                reports: db::moderation::open_reports(pool, QUEUE_LIMIT).await?,
                pending: db::proposals::pending(pool, QUEUE_LIMIT).await?,
                pre_moderation: db::settings::pre_moderation(pool).await?,
                answer_weeks: crate::domain::proposal::stored_answer_weeks(
                    db::settings::get(pool, "answer_weeks").await?.as_deref(),
                ),
            })
        }
        .await,
    )
}

/// Hides a proposal or comment; the reason is shown in its place.
#[server(prefix = "/api", endpoint = "moderation/hide")]
pub async fn hide_content(
    proposal_id: ProposalId,
    comment_id: Option<String>,
    reason: String,
) -> Result<(), AppError> {
    auth::respond(
        async {
            let frame =
                Frame::new(auth::require(&[RoleKind::Moderator, RoleKind::Sekretariat]).await?)?;
            let me = &frame.user;
            let reason = rules::validate_reason(&reason)?;
            let proposal = proposal_id;
            let comment = optional_id("comment_id", comment_id)?.map(CommentId);
            let mut tx = frame.begin().await?;
            if !db::moderation::hide_tx(&mut tx, proposal, comment, &reason, me.id).await? {
                return Err(AppError::NotFound);
            }
            tx.audit(
                crate::domain::audit::AuditAction::ContentHidden,
                "proposal",
                Some(proposal.0),
                &comment
                    .map(|c| format!("kommentar {}", c.0))
                    .unwrap_or_default(),
            )
            .await?;
            tx.commit().await?;
            tracing::info!(
                proposal = proposal.0,
                comment = comment.map(|c| c.0),
                by = me.id.0,
                "content hidden"
            );
            Ok(())
        }
        .await,
    )
}

/// Closes a report without hiding anything.
#[server(prefix = "/api", endpoint = "moderation/dismiss")]
pub async fn dismiss_report(report_id: ReportId) -> Result<(), AppError> {
    auth::respond(
        async {
            let frame =
                Frame::new(auth::require(&[RoleKind::Moderator, RoleKind::Sekretariat]).await?)?;
            let mut tx = frame.begin().await?;
            if !db::moderation::dismiss_tx(&mut tx, report_id, frame.user.id).await? {
                return Err(AppError::NotFound);
            }
            tx.audit(
                crate::domain::audit::AuditAction::ReportDismissed,
                "report",
                Some(report_id.0),
                "",
            )
            .await?;
            tx.commit().await?;
            Ok(())
        }
        .await,
    )
}

/// Approves a proposal waiting under pre-moderation.
#[server(prefix = "/api", endpoint = "moderation/approve")]
pub async fn approve_proposal(proposal_id: ProposalId) -> Result<(), AppError> {
    auth::respond(
        async {
            let frame =
                Frame::new(auth::require(&[RoleKind::Moderator, RoleKind::Sekretariat]).await?)?;
            let me = &frame.user;
            let mut tx = frame.begin().await?;
            if !db::moderation::approve_tx(&mut tx, proposal_id, me.id).await? {
                return Err(AppError::NotFound);
            }
            tx.audit(
                crate::domain::audit::AuditAction::ProposalApproved,
                "proposal",
                Some(proposal_id.0),
                "",
            )
            .await?;
            tx.commit().await?;
            tracing::info!(proposal = proposal_id.0, by = me.id.0, "proposal approved");
            Ok(())
        }
        .await,
    )
}

/// Turns pre-moderation on ("on") or off (anything else). Coordinator only.
#[server(prefix = "/api", endpoint = "moderation/pre")]
pub async fn set_pre_moderation(on: String) -> Result<(), AppError> {
    auth::respond(
        async {
            let frame = Frame::new(auth::require(&[RoleKind::Sekretariat]).await?)?;
            let value = if on.trim() == "on" { "on" } else { "off" };
            let mut tx = frame.begin().await?;
            db::settings::set_tx(&mut tx, db::settings::PRE_MODERATION, value).await?;
            tx.audit_change(
                crate::domain::audit::AuditAction::PreModerationSet,
                "setting",
                None,
                value,
            )
            .await?;
            tx.commit().await?;
            tracing::info!(value, by = frame.user.id.0, "pre-moderation set");
            Ok(())
        }
        .await,
    )
}

/// Sets how many weeks politicians have to answer a forwarded proposal (1–52, default 8).
/// Coordinator only; applies to proposals forwarded from now on.
#[server(prefix = "/api", endpoint = "settings/answer-weeks")]
pub async fn set_answer_weeks(weeks: String) -> Result<(), AppError> {
    auth::respond(
        async {
            let me = auth::require(&[RoleKind::Sekretariat]).await?;
            let weeks = crate::domain::proposal::parse_answer_weeks(&weeks)
                .ok_or_else(|| AppError::invalid("weeks", Msg::WeeksRange))?;
            let frame = Frame::new(me)?;
            let mut tx = frame.begin().await?;
            db::settings::set_tx(&mut tx, "answer_weeks", &weeks.to_string()).await?;
            tx.audit_change(
                crate::domain::audit::AuditAction::AnswerWeeksSet,
                "setting",
                None,
                &weeks.to_string(),
            )
            .await?;
            tx.commit().await?;
            tracing::info!(weeks, by = frame.user.id.0, "answer deadline set");
            Ok(())
        }
        .await,
    )
}
