//! Proposals: write and submit, browse and search, the proposal page, support, follow,
//! comment.
// The proposal form has seven fields and its one-time token; the client stub the `server`
// macro generates for the browser build takes the same arguments.
#![allow(clippy::too_many_arguments)]
use crate::domain::error::AppError;
use crate::domain::ids::ProposalId;
use crate::domain::proposal::{
    ProposalDetail, ProposalDraft, ProposalPage, ProposalSummary, Target,
};
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use crate::domain::message::Msg;

#[cfg(feature = "ssr")]
use crate::{
    domain::account::SessionUser,
    domain::dialogue,
    domain::ids::CouncilId,
    domain::proposal::{self as rules, Intent, ListFilter, ProposalContent, Visibility},
    domain::rights::ProposalRights,
    ssr::auth::RateTicket,
    ssr::once::{self, Outcome},
    ssr::{auth, db},
};

#[cfg(feature = "ssr")]
fn parse_id(raw: &str, field: &str) -> Result<ProposalId, AppError> {
    raw.trim()
        .parse::<i64>()
        .ok()
        .filter(|i| *i > 0)
        .map(ProposalId)
        .ok_or_else(|| AppError::invalid(field, Msg::UnknownProposal))
}

/// One page of the public list. Open to everyone. Empty strings mean "any".
#[server(prefix = "/api", endpoint = "proposals/list")]
pub async fn list_proposals(
    sort: String,
    stage: String,
    theme: String,
    council: String,
    q: String,
    after: String,
) -> Result<ProposalPage, AppError> {
    auth::respond(
        async {
            if q.chars().count() > 200 {
                return Err(AppError::invalid("q", Msg::SearchTooLong { max: 200 }));
            }
            let filter = ListFilter {
                sort: rules::Sort::parse(&sort),
                stage: rules::Stage::parse(&stage).filter(|s| *s != rules::Stage::Draft),
                theme: rules::Theme::parse(&theme),
                council: council.trim().parse::<i64>().ok().map(CouncilId),
                terms: rules::search_terms(&q),
            };
            let after = match after.trim() {
                "" => None,
                raw => Some(
                    rules::Cursor::decode(raw)
                        .ok_or_else(|| AppError::invalid("after", Msg::InvalidPage))?,
                ),
            };
            let state = auth::state()?;
            Ok(db::proposals::list(
                state.db.pool(),
                state.db.backend(),
                &filter,
                after,
                rules::PER_PAGE,
            )
            .await?)
        }
        .await,
    )
}

/// The proposal page. Drafts only for their author; proposals awaiting approval for
/// the author and moderators; everything else for everyone (hidden ones show the reason).
#[server(prefix = "/api", endpoint = "proposals/get")]
pub async fn get_proposal(id: ProposalId) -> Result<ProposalDetail, AppError> {
    auth::respond(
        async {
            let me = auth::current_user().await?;
            let state = auth::state()?;
            let pool = state.db.pool();
            let (viewer, _) = viewer_of(pool, id, me.as_ref())
                .await?
                .ok_or(AppError::NotFound)?;
            let mut detail = db::proposals::detail(pool, id)
                .await?
                .ok_or(AppError::NotFound)?;
            detail.viewer = viewer;
            if detail.status.stage() == rules::Stage::Answered {
                detail.answer_meta = db::answers::answer_meta(pool, detail.id).await?;
                detail.feedback = Some(
                    db::answers::feedback_summary(pool, detail.id, me.as_ref().map(|u| u.id))
                        .await?,
                );
                detail.clarifications = db::answers::clarifications(pool, detail.id).await?;
            }
            Ok(detail)
        }
        .await,
    )
}

/// What `me` may do and has done on the proposal page, and the proposal's stage, or None
/// when they may not see it.
#[cfg(feature = "ssr")]
async fn viewer_of(
    pool: &sqlx::AnyPool,
    id: ProposalId,
    me: Option<&SessionUser>,
) -> Result<Option<(rules::Viewer, rules::Stage)>, AppError> {
    let Some(access) = db::proposals::access_for(pool, id, me.map(|u| u.id)).await? else {
        return Ok(None);
    };
    let rights = ProposalRights::of(me, &access);
    Ok(rights
        .view
        .then(|| (rights.viewer(me, &access), access.stage)))
}

/// Everything on the proposal page at `id` that depends on who looks, besides the header's
/// menu and the forms' one-time tokens: what they may do and have done ([`get_proposal`]'s
/// `viewer`) and their own reply to the answer. Two people with the same variant are shown
/// the same page, so the page cache keeps one page per variant (`server::page_cache`).
/// None when `me` may not see the proposal (the page is then rendered: a 404).
#[cfg(feature = "ssr")]
pub async fn page_variant(
    pool: &sqlx::AnyPool,
    id: ProposalId,
    me: Option<&SessionUser>,
) -> Result<Option<String>, AppError> {
    let Some((viewer, stage)) = viewer_of(pool, id, me).await? else {
        return Ok(None);
    };
    let mine = match me {
        Some(me) if stage == rules::Stage::Answered => {
            let f = db::answers::feedback_summary(pool, id, Some(me.id)).await?;
            Some((f.mine, f.mine_wants_clearer))
        }
        _ => None,
    };
    Ok(Some(format!("{viewer:?} {mine:?}")))
}

/// The councils the caller may send a proposal to.
#[server(prefix = "/api", endpoint = "proposals/targets")]
pub async fn proposal_targets() -> Result<Vec<Target>, AppError> {
    auth::respond(
        async {
            let me = auth::require_user().await?;
            let state = auth::state()?;
            Ok(db::proposals::targets(state.db.pool(), me.school_id).await?)
        }
        .await,
    )
}

#[cfg(feature = "ssr")]
async fn require_proposer() -> Result<SessionUser, AppError> {
    let me = auth::require_active().await?;
    if me.can_propose() {
        Ok(me)
    } else {
        Err(AppError::Forbidden)
    }
}

/// Saves a proposal: `intent` "submit" sends it, anything else keeps it as a draft.
/// With `id`, the author's existing draft is updated. Young people (Ung/Elev) with an
/// active account only. Nothing is stored when a field is wrong.
#[server(prefix = "/api", endpoint = "proposals/save")]
pub async fn save_proposal(
    id: Option<String>,
    title: String,
    body: String,
    theme: String,
    council_id: String,
    show_name: Option<String>,
    intent: String,
    #[server(default)] form_token: String,
) -> Result<i64, AppError> {
    auth::respond(
        async {
            let me = require_proposer().await?;
            let intent = Intent::parse(&intent);
            let (title, body, theme, council) =
                rules::validate_content(&title, &body, &theme, &council_id, intent)?;
            let state = auth::state()?;
            let pool = state.db.pool();
            let redirect = |id: i64| match intent {
                Intent::Submit => leptos_axum::redirect(&format!("/forslag/{id}")),
                Intent::Draft => leptos_axum::redirect(&format!("/forslag/{id}/rediger?gemt=1")),
            };
            let draft_id = id.as_deref().map(str::trim).filter(|s| !s.is_empty());
            // A new proposal (or a new draft) is made once per form: a replay gets the first.
            let once = match draft_id {
                Some(_) => None,
                None => Some(once::check(pool, &form_token, me.id, "proposal").await?),
            };
            if let Some(o) = &once {
                if let Some(prev) = once::previous(pool, o).await? {
                    let id = prev.parse::<i64>().map_err(|_| AppError::Internal)?;
                    redirect(id);
                    return Ok(id);
                }
            }
            let targets = db::proposals::targets(pool, me.school_id).await?;
            if !targets.iter().any(|t| t.id == council) {
                return Err(AppError::invalid("council_id", Msg::WrongRecipient));
            }
            let content = ProposalContent {
                title,
                body,
                theme,
                council,
                show_name: show_name.is_some_and(|v| !v.is_empty() && v != "false"),
            };
            let visibility = if db::settings::pre_moderation(pool).await? {
                Visibility::Pending
            } else {
                Visibility::Published
            };
            let ticket = if intent == Intent::Submit {
                auth::limit_user("proposal", me.id, 10, 3600).await?
            } else {
                RateTicket::default()
            };
            let id = match draft_id {
                Some(raw) => {
                    ticket.keep();
                    let id = parse_id(raw, "id")?;
                    if !db::proposals::update_draft(pool, id, me.id, &content, intent, visibility)
                        .await?
                    {
                        return Err(AppError::NotFound);
                    }
                    id
                }
                None => {
                    let o = once.as_ref().ok_or(AppError::Internal)?;
                    let made =
                        db::proposals::create(pool, me.id, &content, intent, visibility, Some(o))
                            .await;
                    match once::settle(pool, o, ticket, made).await? {
                        Outcome::Created(id) => id,
                        Outcome::Replayed(prev) => {
                            let id = prev.parse::<i64>().map_err(|_| AppError::Internal)?;
                            redirect(id);
                            return Ok(id);
                        }
                    }
                }
            };
            tracing::info!(
                proposal = id.0,
                user_id = me.id.0,
                submitted = intent == Intent::Submit,
                "proposal saved"
            );
            redirect(id.0);
            Ok(id.0)
        }
        .await,
    )
}

/// The author's draft, for editing.
#[server(prefix = "/api", endpoint = "proposals/draft")]
pub async fn get_draft(id: ProposalId) -> Result<ProposalDraft, AppError> {
    auth::respond(
        async {
            let me = auth::require_user().await?;
            let state = auth::state()?;
            db::proposals::draft(state.db.pool(), id, me.id)
                .await?
                .ok_or(AppError::NotFound)
        }
        .await,
    )
}

/// Deletes the author's draft.
#[server(prefix = "/api", endpoint = "proposals/delete-draft")]
pub async fn delete_draft(id: String) -> Result<(), AppError> {
    auth::respond(
        async {
            let me = auth::require_user().await?;
            let id = parse_id(&id, "id")?;
            let state = auth::state()?;
            if !db::proposals::delete_draft(state.db.pool(), id, me.id).await? {
                return Err(AppError::NotFound);
            }
            leptos_axum::redirect("/forslag/mine?slettet=1");
            Ok(())
        }
        .await,
    )
}

/// The caller's own proposals, drafts included.
#[server(prefix = "/api", endpoint = "proposals/mine")]
pub async fn my_proposals() -> Result<Vec<ProposalSummary>, AppError> {
    auth::respond(
        async {
            let me = auth::require_user().await?;
            let state = auth::state()?;
            Ok(db::proposals::by_author(state.db.pool(), me.id).await?)
        }
        .await,
    )
}

/// The caller's rights on proposal `id` (domain::rights): 404 when it does not exist or
/// they may not see it, as if it did not exist.
#[cfg(feature = "ssr")]
async fn my_rights(me: &SessionUser, id: ProposalId) -> Result<ProposalRights, AppError> {
    let state = auth::state()?;
    let access = db::proposals::access_for(state.db.pool(), id, Some(me.id))
        .await?
        .ok_or(AppError::NotFound)?;
    let rights = ProposalRights::of(Some(me), &access);
    if !rights.view {
        return Err(AppError::NotFound);
    }
    Ok(rights)
}

/// Supports (støtter) a proposal: one support per person, however often it is sent.
/// Who may, and when: `ProposalRights::support`. Returns the count.
#[server(prefix = "/api", endpoint = "proposals/support")]
pub async fn support_proposal(proposal_id: ProposalId) -> Result<i64, AppError> {
    auth::respond(
        async {
            let me = auth::require_user().await?;
            let may = my_rights(&me, proposal_id).await?;
            if may.is_author {
                return Err(AppError::invalid("proposal_id", Msg::OwnProposal));
            }
            may.support.authorize()?;
            may.support.now(|| AppError::NotFound)?;
            let state = auth::state()?;
            let count = db::supports::support(state.db.pool(), proposal_id, me.id).await?;
            crate::ssr::changed::only_proposal(proposal_id);
            Ok(count)
        }
        .await,
    )
}

/// Withdraws the caller's support (`ProposalRights::unsupport`). Returns the count.
#[server(prefix = "/api", endpoint = "proposals/unsupport")]
pub async fn unsupport_proposal(proposal_id: ProposalId) -> Result<i64, AppError> {
    auth::respond(
        async {
            let me = auth::require_user().await?;
            let may = my_rights(&me, proposal_id).await?.unsupport;
            may.authorize()?;
            may.now(|| AppError::NotFound)?;
            let state = auth::state()?;
            let count = db::supports::unsupport(state.db.pool(), proposal_id, me.id).await?;
            crate::ssr::changed::only_proposal(proposal_id);
            Ok(count)
        }
        .await,
    )
}

/// Follows (`follow` = "1") or unfollows a proposal: followers are notified when it moves
/// on. Who may, and when: `ProposalRights::follow`.
#[server(prefix = "/api", endpoint = "proposals/follow")]
pub async fn follow_proposal(proposal_id: ProposalId, follow: String) -> Result<(), AppError> {
    auth::respond(
        async {
            let me = auth::require_user().await?;
            let may = my_rights(&me, proposal_id).await?.follow;
            may.authorize()?;
            may.now(|| AppError::NotFound)?;
            let state = auth::state()?;
            db::supports::follow(state.db.pool(), proposal_id, me.id, follow.trim() == "1").await?;
            crate::ssr::changed::only_proposal(proposal_id);
            Ok(())
        }
        .await,
    )
}

/// Comments on a proposal (plain text). Young people, staff and politicians with an
/// active account (`ProposalRights::comment`). The role shown is the server's decision
/// (`domain::dialogue::comment_role`), never the request's. With `question` ("1", a
/// checkbox), a politician of the committee asks the author a question while the proposal
/// waits for their answer (`ProposalRights::ask`); the answer deadline does not move. The
/// author is notified of an adult's comment or question (not of their own), in the same
/// transaction. The same `form_token` twice makes one comment.
#[server(prefix = "/api", endpoint = "proposals/comment")]
pub async fn add_comment(
    proposal_id: ProposalId,
    body: String,
    #[server(default)] question: Option<String>,
    #[server(default)] form_token: String,
) -> Result<(), AppError> {
    auth::respond(
        async {
            let me = auth::require_user().await?;
            let id = proposal_id;
            let question = question.is_some_and(|v| matches!(v.trim(), "1" | "on" | "true"));
            let rights = my_rights(&me, id).await?;
            let may = if question { rights.ask } else { rights.comment };
            may.authorize()?;
            let body = rules::validate_comment(&body)?;
            let not_now = move || {
                if question {
                    AppError::Conflict(Msg::QuestionNotNow)
                } else {
                    AppError::NotFound
                }
            };
            may.now(not_now)?;
            let role = dialogue::comment_role(&me);
            let how = db::moderation::CommentAs {
                role,
                question,
                notice: dialogue::author_notice(role, question, rights.is_author),
            };
            let state = auth::state()?;
            let pool = state.db.pool();
            let o = once::check(pool, &form_token, me.id, "comment").await?;
            if once::previous(pool, &o).await?.is_some() {
                return Ok(());
            }
            let ticket = auth::limit_user("comment", me.id, 30, 600).await?;
            let made = db::moderation::add_comment_as(pool, id, me.id, &body, how, Some(&o)).await;
            match once::settle(pool, &o, ticket, made).await? {
                Outcome::Created(Some(comment)) => {
                    tracing::info!(
                        proposal = id.0,
                        comment = comment.0,
                        role = role.map(dialogue::CommentRole::as_str),
                        question,
                        "comment added"
                    );
                }
                Outcome::Created(None) => return Err(not_now()),
                Outcome::Replayed(_) => {}
            }
            crate::ssr::changed::only_proposal(id);
            Ok(())
        }
        .await,
    )
}
