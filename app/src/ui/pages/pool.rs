//! Ungerådets pulje: how it works.
use crate::i18n::*;
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn PoolPage() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <Title text=move || t_string!(i18n, pool_title) />
        <h1>{t!(i18n, pool_title)}</h1>
        <p class="lead">{t!(i18n, pool_lead)}</p>
        <h2>{t!(i18n, pool_rules_title)}</h2>
        <ul class="rules">
            <li>{t!(i18n, pool_rule_1)}</li>
            <li>{t!(i18n, pool_rule_2)}</li>
            <li>{t!(i18n, pool_rule_3)}</li>
            <li>{t!(i18n, pool_rule_4)}</li>
        </ul>
    }
}
