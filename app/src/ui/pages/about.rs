//! About Stemme and its promise.
use crate::i18n::*;
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn AboutPage() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <Title text=move || t_string!(i18n, about_title) />
        <h1>{t!(i18n, about_title)}</h1>
        <p class="lead">{t!(i18n, about_lead)}</p>
        <h2>{t!(i18n, about_promise_title)}</h2>
        <p>{t!(i18n, about_promise)}</p>
        <h2>{t!(i18n, about_who_title)}</h2>
        <p>{t!(i18n, about_who)}</p>
        <h2>{t!(i18n, about_data_title)}</h2>
        <p>{t!(i18n, about_data)}</p>
    }
}
