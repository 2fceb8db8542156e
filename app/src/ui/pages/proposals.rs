//! The list of proposals.
use crate::i18n::*;
use crate::ui::tr::{tr, trs};
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn ProposalsPage() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <Title text=trs(i18n, |l| td_string!(l, proposals_title)) />
        <h1>{tr(i18n, |l| td_string!(l, proposals_title))}</h1>
        <p class="lead">{tr(i18n, |l| td_string!(l, proposals_lead))}</p>
        <p class="empty">{tr(i18n, |l| td_string!(l, proposals_empty))}</p>
    }
}
