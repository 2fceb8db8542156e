//! The site footer.
use crate::i18n::*;
use leptos::prelude::*;
use leptos_router::components::A;

#[component]
pub fn SiteFooter() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <footer class="site-footer">
            <p>{t!(i18n, footer_about)}</p>
            <p>
                <A href="/tilgaengelighed">{t!(i18n, footer_accessibility)}</A>
            </p>
        </footer>
    }
}
