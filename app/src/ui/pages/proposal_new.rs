//! Skriv et forslag, and finish a draft (`/forslag/{id}/rediger`).
use crate::api::proposals::{get_draft, DeleteDraft, SaveProposal};
use crate::domain::account::AccountStatus;
use crate::domain::error::AppError;
use crate::domain::ids::ProposalId;
use crate::i18n::*;
use crate::ui::auth::{action_error, use_auth};
use crate::ui::components::form::FormError;
use crate::ui::components::proposal_form::ProposalForm;
use crate::ui::error_text::shown;
use crate::ui::tr::{tr, trs};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;
use leptos_router::hooks::{use_params_map, use_query_map};

/// Who may write: a message for everyone else.
#[component]
fn MayWrite(children: ChildrenFn) -> impl IntoView {
    let i18n = use_i18n();
    let auth = use_auth();
    view! {
        <Transition fallback=move || view! { <p>{tr(i18n, |l| td_string!(l, loading))}</p> }>
            {
                let children = children.clone();
                move || auth.user.get().map(|_| match auth.current() {
                    None => view! {
                        <p class="notice">{tr(i18n, |l| td_string!(l, proposal_login_first))}" "
                            <A href="/log-ind">{tr(i18n, |l| td_string!(l, login_submit))}</A>" · "
                            <A href="/tilmeld">{tr(i18n, |l| td_string!(l, signup_title))}</A></p>
                    }.into_any(),
                    Some(u) if u.status == AccountStatus::AwaitingConfirmation => view! {
                        <p class="notice">{tr(i18n, |l| td_string!(l, proposal_awaiting))}</p>
                    }.into_any(),
                    Some(u) if !u.can_propose() => view! {
                        <p class="notice">{tr(i18n, |l| td_string!(l, proposal_youth_only))}</p>
                    }.into_any(),
                    Some(_) => children().into_any(),
                })
            }
        </Transition>
    }
}

#[component]
pub fn NewProposalPage() -> impl IntoView {
    let i18n = use_i18n();
    let save = ServerAction::<SaveProposal>::new();
    view! {
        <Title text=trs(i18n, |l| td_string!(l, proposal_new_title))() />
        <h1>{tr(i18n, |l| td_string!(l, proposal_new_title))}</h1>
        <p class="lead">{tr(i18n, |l| td_string!(l, proposal_new_lead))}</p>
        <MayWrite>
            <ProposalForm save draft=None />
        </MayWrite>
    }
}

#[component]
pub fn EditProposalPage() -> impl IntoView {
    let i18n = use_i18n();
    let save = ServerAction::<SaveProposal>::new();
    let delete = ServerAction::<DeleteDraft>::new();
    let delete_error = action_error(delete);
    let params = use_params_map();
    let query = use_query_map();
    let id = move || {
        params
            .read()
            .get("id")
            .and_then(|v| v.parse::<i64>().ok())
            .unwrap_or(0)
    };
    let draft = Resource::new(id, |id| get_draft(ProposalId(id)));
    let saved = move || query.read().get("gemt").is_some_and(|v| v == "1");
    view! {
        <Title text=trs(i18n, |l| td_string!(l, proposal_edit_title))() />
        <h1>{tr(i18n, |l| td_string!(l, proposal_edit_title))}</h1>
        {move || saved().then(|| view! { <p class="success" role="status">{tr(i18n, |l| td_string!(l, proposal_draft_saved))}</p> })}
        <MayWrite>
            <Transition fallback=move || view! { <p>{tr(i18n, |l| td_string!(l, loading))}</p> }>
                {move || draft.get().map(|r| match r {
                    Ok(d) => {
                        let id = d.id.0.to_string();
                        view! {
                            <ProposalForm save draft=Some(d) />
                            <h2>{tr(i18n, |l| td_string!(l, proposal_delete_draft))}</h2>
                            <ActionForm action=delete attr:class="form">
                                <FormError error=delete_error />
                                <input type="hidden" name="id" value=id />
                                <button type="submit" class="button button--danger">{tr(i18n, |l| td_string!(l, proposal_delete_draft))}</button>
                            </ActionForm>
                        }.into_any()
                    }
                    Err(AppError::NotFound) => view! {
                        <p class="notice">{tr(i18n, |l| td_string!(l, proposal_no_draft))}" "
                            <A href="/forslag/mine">{tr(i18n, |l| td_string!(l, proposals_mine))}</A></p>
                    }.into_any(),
                    Err(e) => view! { <p class="form-error" role="alert">{shown(&e)}</p> }.into_any(),
                })}
            </Transition>
        </MayWrite>
    }
}
