//! Log in / my account / log out, in the header.
//!
//! The menu is the one part of the site header that differs from person to person, so it
//! is made as a string by [`menu_html`], between the markers [`MENU_START`] and
//! [`MENU_END`]: the page cache keeps a page with the menu cut out and puts each person's
//! own menu in its place (see `server::page_cache`), and a page rendered in full has the
//! very same markup.
use crate::domain::account::{RoleKind, SessionUser};
use crate::domain::format::escape_html;
use crate::i18n::*;
use crate::ui::auth::use_auth;
use leptos::prelude::*;
use leptos_router::hooks::use_location;

/// Where the per-person menu begins in a rendered page.
pub const MENU_START: &str = "<!--me-->";
/// Where it ends.
pub const MENU_END: &str = "<!--/me-->";

#[component]
pub fn UserMenu() -> impl IntoView {
    let i18n = use_i18n();
    let auth = use_auth();
    let location = use_location();
    view! {
        <Transition fallback=|| ()>
            {move || {
                let locale = i18n.get_locale();
                let html = menu_html(auth.current().as_ref(), locale, &location.pathname.get());
                view! { <div class="user-menu" inner_html=html></div> }
            }}
        </Transition>
    }
}

/// The menu for `user` (or the login link), in `locale`, on the page at `path`: the links
/// a person's roles give, the bell with the number of unread notifications, the name and
/// logging out. Everything from the account is escaped.
pub fn menu_html(user: Option<&SessionUser>, locale: Locale, path: &str) -> String {
    let l = locale;
    let mut out = String::with_capacity(1200);
    out.push_str(MENU_START);
    let link = |out: &mut String, href: &str, class: &str, inner: &str| {
        let here = path == href || path.strip_prefix(href).is_some_and(|r| r.starts_with('/'));
        out.push_str("<a href=\"");
        out.push_str(href);
        out.push_str("\" class=\"");
        out.push_str(class);
        out.push('"');
        if here {
            out.push_str(" aria-current=\"page\"");
        }
        out.push('>');
        out.push_str(inner);
        out.push_str("</a>");
    };
    let text = |s: &str| escape_html(s);
    match user {
        None => link(
            &mut out,
            "/log-ind",
            "user-menu__link",
            &text(td_string!(l, nav_login)),
        ),
        Some(user) => {
            if user.has(RoleKind::Sekretariat) {
                link(
                    &mut out,
                    "/admin/brugere",
                    "user-menu__link",
                    &text(td_string!(l, nav_admin)),
                );
            }
            if user.has(RoleKind::Politiker) {
                link(
                    &mut out,
                    "/indbakke",
                    "user-menu__link",
                    &text(td_string!(l, inbox_title)),
                );
            }
            if user.can_moderate() {
                link(
                    &mut out,
                    "/moderation",
                    "user-menu__link",
                    &text(td_string!(l, nav_moderation)),
                );
            }
            if crate::domain::teacher::teacher_school(user).is_some() {
                link(
                    &mut out,
                    "/skole",
                    "user-menu__link",
                    &text(td_string!(l, nav_school)),
                );
            }
            let bell = format!(
                "<svg aria-hidden=\"true\" width=\"18\" height=\"18\" viewBox=\"0 0 24 24\" fill=\"currentColor\">\
                 <path d=\"M12 22a2.5 2.5 0 0 0 2.45-2h-4.9A2.5 2.5 0 0 0 12 22Zm7-6V11a7 7 0 0 0-5.5-6.84V3a1.5 1.5 0 0 0-3 0v1.16A7 7 0 0 0 5 11v5l-2 2v1h18v-1Z\"></path></svg>\
                 <span class=\"visually-hidden\">{}, </span>\
                 <span data-testid=\"bell-count\" class=\"bell__count\">{}</span>\
                 <span class=\"visually-hidden\"> {}</span>",
                text(td_string!(l, notifications_title)),
                user.unread,
                text(td_string!(l, notifications_unread)),
            );
            link(&mut out, "/notifikationer", "user-menu__link bell", &bell);
            let name = format!(
                "<span class=\"visually-hidden\">{}: </span>{}",
                text(td_string!(l, nav_account)),
                text(&user.first_name)
            );
            link(&mut out, "/konto", "user-menu__link user-menu__name", &name);
            out.push_str("<form method=\"post\" action=\"");
            out.push_str(<crate::api::accounts::Logout as leptos::server_fn::ServerFn>::PATH);
            out.push_str("\" class=\"inline-form\"><button type=\"submit\" class=\"link-button\">");
            out.push_str(&text(td_string!(l, logout)));
            out.push_str("</button></form>");
        }
    }
    out.push_str(MENU_END);
    out
}
