//! The list of proposals.
use crate::i18n::*;
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn ProposalsPage() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <Title text=move || t_string!(i18n, proposals_title) />
        <h1>{t!(i18n, proposals_title)}</h1>
        <p class="lead">{t!(i18n, proposals_lead)}</p>
        <p class="empty">{t!(i18n, proposals_empty)}</p>
    }
}
