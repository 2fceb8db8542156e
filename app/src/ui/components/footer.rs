//! The site footer.
use crate::i18n::*;
use crate::ui::tr::tr;
use leptos::prelude::*;
use leptos_router::components::A;

#[component]
pub fn SiteFooter() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <footer class="site-footer">
            <p>{tr(i18n, |l| td_string!(l, footer_about))}</p>
            <p>
                <A href="/tilgaengelighed">{tr(i18n, |l| td_string!(l, footer_accessibility))}</A>
            </p>
        </footer>
    }
}
