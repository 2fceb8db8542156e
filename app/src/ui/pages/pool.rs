//! Ungerådets pulje: how it works.
use crate::i18n::*;
use crate::ui::tr::{tr, trs};
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn PoolPage() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <Title text=trs(i18n, |l| td_string!(l, pool_title)) />
        <h1>{tr(i18n, |l| td_string!(l, pool_title))}</h1>
        <p class="lead">{tr(i18n, |l| td_string!(l, pool_lead))}</p>
        <h2>{tr(i18n, |l| td_string!(l, pool_rules_title))}</h2>
        <ul class="rules">
            <li>{tr(i18n, |l| td_string!(l, pool_rule_1))}</li>
            <li>{tr(i18n, |l| td_string!(l, pool_rule_2))}</li>
            <li>{tr(i18n, |l| td_string!(l, pool_rule_3))}</li>
            <li>{tr(i18n, |l| td_string!(l, pool_rule_4))}</li>
        </ul>
    }
}
