//! The site header: name, main navigation and the language switch.
use crate::i18n::*;
use crate::ui::components::lang_switch::LangSwitch;
use leptos::prelude::*;
use leptos_router::components::A;

#[component]
pub fn SiteHeader() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <a class="skip-link" href="#indhold">{t!(i18n, skip_to_content)}</a>
        <header class="site-header">
            <div class="site-header__bar">
                <A href="/" attr:class="brand">
                    <span class="brand__name">{t!(i18n, site_name)}</span>
                    <span class="brand__tagline">{t!(i18n, tagline)}</span>
                </A>
                <LangSwitch />
            </div>
            <nav class="site-nav" aria-label=move || t_string!(i18n, nav_label)>
                <ul>
                    <li><A href="/forslag">{t!(i18n, nav_proposals)}</A></li>
                    <li><A href="/raad">{t!(i18n, nav_councils)}</A></li>
                    <li><A href="/puljen">{t!(i18n, nav_pool)}</A></li>
                    <li><A href="/om">{t!(i18n, nav_about)}</A></li>
                </ul>
            </nav>
        </header>
    }
}
