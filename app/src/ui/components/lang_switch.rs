//! Switches between Danish and English.
//!
//! A plain link to `/sprog/{code}` that the server answers with a cookie and a
//! redirect back, so it works without JavaScript. Once hydrated, the click is
//! handled in place: the text changes without a page load.
use crate::domain::lang::switch_href;
use crate::i18n::*;
use leptos::prelude::*;
use leptos_router::hooks::use_location;

#[component]
pub fn LangSwitch() -> impl IntoView {
    let i18n = use_i18n();
    let location = use_location();
    let target = move || match i18n.get_locale() {
        Locale::da => Locale::en,
        Locale::en => Locale::da,
    };
    let href = move || {
        let search = location.search.get();
        let search = search.trim_start_matches('?');
        let here = if search.is_empty() {
            location.pathname.get()
        } else {
            format!("{}?{}", location.pathname.get(), search)
        };
        switch_href(target().as_str(), &here)
    };
    let on_click = move |ev: leptos::ev::MouseEvent| {
        // Let modified clicks (new tab, etc.) follow the link.
        if ev.ctrl_key() || ev.meta_key() || ev.shift_key() || ev.alt_key() {
            return;
        }
        ev.prevent_default();
        i18n.set_locale(target());
    };
    view! {
        <a
            class="lang-switch"
            href=href
            hreflang=move || target().as_str()
            lang=move || target().as_str()
            title=move || t_string!(i18n, switch_lang_hint)
            on:click=on_click
        >
            {t!(i18n, switch_lang_to)}
        </a>
    }
}
