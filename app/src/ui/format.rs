//! Formatting for the pages: the shared formatting of `domain::format`, and paragraphs.
pub use crate::domain::format::*;

/// Paragraphs from plain text (blank lines separate them). Text only: never HTML.
pub(crate) fn paragraphs(text: &str) -> impl leptos::prelude::IntoView {
    use leptos::prelude::*;
    text.split("\n\n")
        .map(|p| p.trim().to_owned())
        .filter(|p| !p.is_empty())
        .map(|p| view! { <p class="prose">{p}</p> })
        .collect_view()
}
