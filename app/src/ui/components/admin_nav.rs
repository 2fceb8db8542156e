//! The coordinator's sub-navigation.
use crate::i18n::*;
use crate::ui::tr::{tr, trs};
use leptos::prelude::*;
use leptos_router::components::A;

#[component]
pub fn AdminNav() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <nav class="sub-nav" aria-label=trs(i18n, |l| td_string!(l, nav_admin))>
            <A href="/admin/opsaetning">{move || if crate::ui::tr::is_en(i18n) { "Setup" } else { "Opsætning" }}</A>
            <A href="/admin/raad">{move || if crate::ui::tr::is_en(i18n) { "Councils" } else { "Råd" }}</A>
            <A href="/admin/udvalg">{move || if crate::ui::tr::is_en(i18n) { "Committees" } else { "Udvalg" }}</A>
            <A href="/admin/brugere">{tr(i18n, |l| td_string!(l, admin_users_link))}</A>
            <A href="/admin/skoler">{tr(i18n, |l| td_string!(l, admin_schools_link))}</A>
            <A href="/admin/log">{tr(i18n, |l| td_string!(l, audit_link))}</A>
            <A href="/admin/post">{tr(i18n, |l| td_string!(l, post_link))}</A>
        </nav>
    }
}
