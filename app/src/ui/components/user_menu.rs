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
                    view! {
                        <div class="user-menu">
                            {admin.then(|| view! {
                                <A href="/admin/brugere" attr:class="user-menu__link">{tr(i18n, |l| td_string!(l, nav_admin))}</A>
                            })}
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
