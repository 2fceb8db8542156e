//! Politicians answer: the inbox of forwarded proposals, and the answer — Ja, Delvist or
//! Nej, where Delvist and Nej always carry a written explanation and a reason category.
use crate::domain::error::AppError;
use crate::domain::proposal::InboxItem;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use crate::{
    domain::account::RoleKind,
    domain::ids::ProposalId,
    domain::proposal::{self as rules, Stage},
    ssr::{
        auth,
        db::{self, proposals::Step},
    },
};

/// Proposals waiting for the caller's committees, earliest deadline (overdue) first.
/// The coordinator sees all of them.
#[server(prefix = "/api", endpoint = "answers/inbox")]
pub async fn inbox() -> Result<Vec<InboxItem>, AppError> {
    auth::respond(
        async {
            let me = auth::require(&[RoleKind::Politiker, RoleKind::Sekretariat]).await?;
            let state = auth::state()?;
            Ok(db::answers::inbox(state.db.pool(), me.id, me.has(RoleKind::Sekretariat)).await?)
        }
        .await,
    )
}

/// Answers a forwarded proposal. Only politicians of the committee it was sent to.
/// Nothing is stored when the explanation or reason is missing.
#[server(prefix = "/api", endpoint = "answers/answer")]
pub async fn answer_proposal(
    proposal_id: i64,
    answer: Option<String>,
    explanation: String,
    reason: Option<String>,
) -> Result<(), AppError> {
    auth::respond(
        async {
            let me = auth::require(&[RoleKind::Politiker]).await?;
            let id = ProposalId(proposal_id);
            let state = auth::state()?;
            let pool = state.db.pool();
            let access = db::proposals::access(pool, id)
                .await?
                .ok_or(AppError::NotFound)?;
            if !db::answers::may_answer(pool, id, me.id).await? {
                return Err(AppError::Forbidden);
            }
            if access.stage != Stage::Forwarded {
                return Err(AppError::Conflict("Forslaget er allerede besvaret.".into()));
            }
            let (answer, reason) = rules::validate_answer(
                answer.as_deref().unwrap_or(""),
                &explanation,
                reason.as_deref().unwrap_or(""),
            )?;
            let committee = db::proposals::detail(pool, id, None)
                .await?
                .and_then(|d| match d.status {
                    rules::ProposalStatus::Forwarded { committee, .. } => Some(committee),
                    _ => None,
                })
                .unwrap_or_default();
            let kind = answer.kind();
            db::proposals::step(
                pool,
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
