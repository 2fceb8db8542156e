//! The page for paths that do not exist; answers with status 404.
use crate::i18n::*;
use crate::ui::tr::{tr, trs};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;

#[component]
pub fn NotFoundPage() -> impl IntoView {
    #[cfg(feature = "ssr")]
    if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
        response.set_status(http::StatusCode::NOT_FOUND);
    }
    let i18n = use_i18n();
    view! {
        <Title text=trs(i18n, |l| td_string!(l, not_found_title))() />
        <h1>{tr(i18n, |l| td_string!(l, not_found_title))}</h1>
        <p class="lead">{tr(i18n, |l| td_string!(l, not_found_lead))}</p>
        <p><A href="/">{tr(i18n, |l| td_string!(l, not_found_home))}</A></p>
    }
}
