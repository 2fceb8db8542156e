//! About Stemme and its promise.
use crate::i18n::*;
use crate::ui::tr::{tr, trs};
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn AboutPage() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <Title text=trs(i18n, |l| td_string!(l, about_title))() />
        <h1>{tr(i18n, |l| td_string!(l, about_title))}</h1>
        <p class="lead">{tr(i18n, |l| td_string!(l, about_lead))}</p>
        <h2>{tr(i18n, |l| td_string!(l, about_promise_title))}</h2>
        <p>{tr(i18n, |l| td_string!(l, about_promise))}</p>
        <h2>{tr(i18n, |l| td_string!(l, about_who_title))}</h2>
        <p>{tr(i18n, |l| td_string!(l, about_who))}</p>
        <h2>{tr(i18n, |l| td_string!(l, about_data_title))}</h2>
        <p>{tr(i18n, |l| td_string!(l, about_data))}</p>
    }
}
