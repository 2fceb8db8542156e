//! Log in / my account / log out, in the header.
use crate::api::accounts::Logout;
use crate::domain::account::RoleKind;
use crate::i18n::*;
use crate::ui::auth::use_auth;
use crate::ui::tr::tr;
use leptos::prelude::*;
use leptos_router::components::A;

#[component]
pub fn UserMenu() -> impl IntoView {
    let i18n = use_i18n();
    let auth = use_auth();
    let logout = ServerAction::<Logout>::new();
    view! {
        <Transition fallback=|| ()>
            {move || match auth.current() {
                Some(user) => {
                    let admin = user.has(RoleKind::Sekretariat);
                    let moderator = user.can_moderate();
                    let teacher = crate::domain::teacher::teacher_school(&user).is_some();
                    let unread = user.unread;
                    view! {
                        <div class="user-menu">
                            {admin.then(|| view! {
                                <A href="/admin/brugere" attr:class="user-menu__link">{tr(i18n, |l| td_string!(l, nav_admin))}</A>
                            })}
                            {user.has(RoleKind::Politiker).then(|| view! {
                                <A href="/indbakke" attr:class="user-menu__link">{tr(i18n, |l| td_string!(l, inbox_title))}</A>
                            })}
                            {moderator.then(|| view! {
                                <A href="/moderation" attr:class="user-menu__link">{tr(i18n, |l| td_string!(l, nav_moderation))}</A>
                            })}
                            {teacher.then(|| view! {
                                <A href="/skole" attr:class="user-menu__link">{tr(i18n, |l| td_string!(l, nav_school))}</A>
                            })}
                            <A href="/notifikationer" attr:class="user-menu__link bell">
                                <svg aria-hidden="true" width="18" height="18" viewBox="0 0 24 24" fill="currentColor">
                                    <path d="M12 22a2.5 2.5 0 0 0 2.45-2h-4.9A2.5 2.5 0 0 0 12 22Zm7-6V11a7 7 0 0 0-5.5-6.84V3a1.5 1.5 0 0 0-3 0v1.16A7 7 0 0 0 5 11v5l-2 2v1h18v-1Z" />
                                </svg>
                                <span class="visually-hidden">{tr(i18n, |l| td_string!(l, notifications_title))}", "</span>
                                <span class="bell__count" data-testid="bell-count">{unread}</span>
                                <span class="visually-hidden">" "{tr(i18n, |l| td_string!(l, notifications_unread))}</span>
                            </A>
                            <A href="/konto" attr:class="user-menu__link user-menu__name">
                                <span class="visually-hidden">{tr(i18n, |l| td_string!(l, nav_account))}": "</span>
                                {user.first_name.clone()}
                            </A>
                            <ActionForm action=logout attr:class="inline-form">
                                <button type="submit" class="link-button">{tr(i18n, |l| td_string!(l, logout))}</button>
                            </ActionForm>
                        </div>
                    }
                        .into_any()
                }
                None => view! {
                    <div class="user-menu">
                        <A href="/log-ind" attr:class="user-menu__link">{tr(i18n, |l| td_string!(l, nav_login))}</A>
                    </div>
                }
                    .into_any(),
            }}
        </Transition>
    }
}
