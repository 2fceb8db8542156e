//! Switches between Danish and English.
//!
//! A plain link to `/sprog/{code}` that the server answers with a cookie and a
//! redirect back to the same page: the same with or without JavaScript.
use crate::domain::lang::switch_href;
use crate::i18n::*;
use crate::ui::tr::{tr, trs};
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
    view! {
        <a
            class="lang-switch"
            href=href
            hreflang=move || target().as_str()
            lang=move || target().as_str()
            title=trs(i18n, |l| td_string!(l, switch_lang_hint))
        >
            {tr(i18n, |l| td_string!(l, switch_lang_to))}
        </a>
    }
}
