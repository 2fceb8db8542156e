//! Tilgængelighedserklæring: the accessibility statement Danish public sites must publish.
use crate::i18n::*;
use crate::ui::tr::{tr, trs};
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn AccessibilityPage() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <Title text=trs(i18n, |l| td_string!(l, a11y_title))() />
        <h1>{tr(i18n, |l| td_string!(l, a11y_title))}</h1>
        <p class="lead">{tr(i18n, |l| td_string!(l, a11y_lead))}</p>
        <h2>{tr(i18n, |l| td_string!(l, a11y_status_title))}</h2>
        <p>{tr(i18n, |l| td_string!(l, a11y_status))}</p>
        <h2>{tr(i18n, |l| td_string!(l, a11y_known_title))}</h2>
        <p>{tr(i18n, |l| td_string!(l, a11y_known))}</p>
        <h2>{tr(i18n, |l| td_string!(l, a11y_contact_title))}</h2>
        <p>{tr(i18n, |l| td_string!(l, a11y_contact))}</p>
        <p class="meta">{tr(i18n, |l| td_string!(l, a11y_prepared))}</p>
    }
}
