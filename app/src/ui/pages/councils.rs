//! Råd og møder: every council, with a link to its page.
use crate::api::admin::list_councils;
use crate::domain::account::CouncilKind;
use crate::i18n::*;
use crate::ui::tr::{tr, trs};
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn CouncilsPage() -> impl IntoView {
    let i18n = use_i18n();
    let councils = Resource::new(|| (), |_| list_councils());
    view! {
        <Title text=trs(i18n, |l| td_string!(l, councils_title))() />
        <h1>{tr(i18n, |l| td_string!(l, councils_title))}</h1>
        <p class="lead">{tr(i18n, |l| td_string!(l, councils_lead))}</p>
        <Transition fallback=move || view! { <p>{tr(i18n, |l| td_string!(l, loading))}</p> }>
            {move || councils.get().map(|r| {
                let mut list = r.unwrap_or_default();
                list.sort_by_key(|c| match c.kind {
                    CouncilKind::Ungeraad => 0,
                    CouncilKind::FaellesElevraad => 1,
                    CouncilKind::Elevraad => 2,
                    CouncilKind::Anden => 3,
                });
                if list.is_empty() {
                    view! { <p class="empty">{tr(i18n, |l| td_string!(l, councils_empty))}</p> }.into_any()
                } else {
                    view! {
                        <ul class="cards">
                            {list.into_iter().map(|c| view! {
                                <li class="card"><h2 class="card__title"><a href=format!("/raad/{}", c.id.0)>{c.name}</a></h2></li>
                            }).collect_view()}
                        </ul>
                    }.into_any()
                }
            })}
        </Transition>
    }
}
