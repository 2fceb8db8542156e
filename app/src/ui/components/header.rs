//! The site header: name, main navigation and the language switch.
use crate::i18n::*;
use crate::ui::components::{lang_switch::LangSwitch, user_menu::UserMenu};
use crate::ui::tr::{tr, trs};
use leptos::prelude::*;
use leptos_router::components::A;

#[component]
pub fn SiteHeader() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <a class="skip-link" href="#indhold">{tr(i18n, |l| td_string!(l, skip_to_content))}</a>
        <header class="site-header">
            <div class="site-header__bar">
                <A href="/" attr:class="brand">
                    <span class="brand__name">{tr(i18n, |l| td_string!(l, site_name))}</span>
                    <span class="brand__tagline">{tr(i18n, |l| td_string!(l, tagline))}</span>
                </A>
                <div class="site-header__tools">
                    <UserMenu />
                    <LangSwitch />
                </div>
            </div>
            <nav class="site-nav" aria-label=trs(i18n, |l| td_string!(l, nav_label))>
                <ul>
                    <li><A href="/forslag">{tr(i18n, |l| td_string!(l, nav_proposals))}</A></li>
                    <li><A href="/raad">{tr(i18n, |l| td_string!(l, nav_councils))}</A></li>
                    <li><A href="/hoeringer">{tr(i18n, |l| td_string!(l, nav_hearings))}</A></li>
                    <li><A href="/bliver-vi-hoert">{tr(i18n, |l| td_string!(l, nav_heard))}</A></li>
                    <li><A href="/puljen">{tr(i18n, |l| td_string!(l, nav_pool))}</A></li>
                    <li><A href="/live">{tr(i18n, |l| td_string!(l, nav_live))}</A></li>
                    <li><A href="/om">{tr(i18n, |l| td_string!(l, nav_about))}</A></li>
                </ul>
            </nav>
        </header>
    }
}
