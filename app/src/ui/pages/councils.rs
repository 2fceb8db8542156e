//! Councils and their meetings.
use crate::i18n::*;
use crate::ui::tr::{tr, trs};
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn CouncilsPage() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <Title text=trs(i18n, |l| td_string!(l, councils_title)) />
        <h1>{tr(i18n, |l| td_string!(l, councils_title))}</h1>
        <p class="lead">{tr(i18n, |l| td_string!(l, councils_lead))}</p>
        <p class="empty">{tr(i18n, |l| td_string!(l, councils_empty))}</p>
    }
}
