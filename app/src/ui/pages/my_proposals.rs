//! Mine forslag: the author's own proposals, drafts first to finish.
use crate::api::proposals::my_proposals;
use crate::domain::error::AppError;
use crate::domain::proposal::Stage;
use crate::i18n::*;
use crate::ui::error_text::shown;
use crate::ui::pages::proposals::ProposalCard;
use crate::ui::tr::{is_en, tr, trs};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;
use leptos_router::hooks::use_query_map;

#[component]
pub fn MyProposalsPage() -> impl IntoView {
    let i18n = use_i18n();
    let mine = Resource::new(|| (), |_| my_proposals());
    let query = use_query_map();
    let deleted = move || query.read().get("slettet").is_some_and(|v| v == "1");
    view! {
        <Title text=trs(i18n, |l| td_string!(l, proposals_mine))() />
        <h1>{tr(i18n, |l| td_string!(l, proposals_mine))}</h1>
        {move || deleted().then(|| view! { <p class="success" role="status">{tr(i18n, |l| td_string!(l, proposal_draft_deleted))}</p> })}
        <p><A href="/forslag/nyt" attr:class="button">{tr(i18n, |l| td_string!(l, proposals_write))}</A></p>
        <Transition fallback=move || view! { <p>{tr(i18n, |l| td_string!(l, loading))}</p> }>
            {move || mine.get().map(|r| match r {
                Err(AppError::Unauthenticated) => view! {
                    <p class="notice">{tr(i18n, |l| td_string!(l, proposal_login_first))}" "<A href="/log-ind">{tr(i18n, |l| td_string!(l, login_submit))}</A></p>
                }.into_any(),
                Err(e) => view! { <p class="form-error" role="alert">{shown(&e)}</p> }.into_any(),
                Ok(list) if list.is_empty() => view! { <p class="empty">{tr(i18n, |l| td_string!(l, proposals_mine_none))}</p> }.into_any(),
                Ok(list) => {
                    let en = is_en(i18n);
                    let (drafts, sent): (Vec<_>, Vec<_>) = list.into_iter().partition(|p| p.stage == Stage::Draft);
                    view! {
                        {(!drafts.is_empty()).then(|| view! {
                            <h2>{tr(i18n, |l| td_string!(l, proposals_mine_drafts))}</h2>
                            <ul class="cards">
                                {drafts.into_iter().map(|d| view! {
                                    <li class="card">
                                        <h3 class="card__title"><a href=format!("/forslag/{}/rediger", d.id.0)>{d.title}</a></h3>
                                        <p class="meta">{Stage::Draft.label(en)}" · "{d.theme.label(en)}</p>
                                    </li>
                                }).collect_view()}
                            </ul>
                        })}
                        {(!sent.is_empty()).then(|| view! {
                            <h2>{tr(i18n, |l| td_string!(l, proposals_mine_sent))}</h2>
                            <ol class="cards">{sent.into_iter().map(|p| view! { <ProposalCard p /> }).collect_view()}</ol>
                        })}
                    }.into_any()
                }
            })}
        </Transition>
    }
}
