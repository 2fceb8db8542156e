//! Tilgængelighedserklæring: the accessibility statement Danish public sites must publish.
use crate::i18n::*;
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn AccessibilityPage() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <Title text=move || t_string!(i18n, a11y_title) />
        <h1>{t!(i18n, a11y_title)}</h1>
        <p class="lead">{t!(i18n, a11y_lead)}</p>
        <h2>{t!(i18n, a11y_status_title)}</h2>
        <p>{t!(i18n, a11y_status)}</p>
        <h2>{t!(i18n, a11y_known_title)}</h2>
        <p>{t!(i18n, a11y_known)}</p>
        <h2>{t!(i18n, a11y_contact_title)}</h2>
        <p>{t!(i18n, a11y_contact)}</p>
        <p class="meta">{t!(i18n, a11y_prepared)}</p>
    }
}
