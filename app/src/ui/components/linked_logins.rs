//! The `#logins` section of `/konto`: the logins from UNI-Login or MitID linked to the
//! account, removing one (never the last way in) and linking another after a password
//! check. Plain forms (they work without JavaScript).
use crate::api::identities::{my_logins, LinkLogin, UnlinkLogin};
use crate::domain::identity::AccountLogins;
use crate::i18n::*;
use crate::ui::auth::action_error;
use crate::ui::components::form::{Field, FormError};
use crate::ui::format::date_da;
use crate::ui::tr::tr;
use leptos::prelude::*;

#[component]
pub fn LinkedLoginsSection() -> impl IntoView {
    let i18n = use_i18n();
    let unlink = ServerAction::<UnlinkLogin>::new();
    let link = ServerAction::<LinkLogin>::new();
    let logins = Resource::new(move || unlink.version().get(), |_| my_logins());
    let query = leptos_router::hooks::use_query_map();
    let linked_now = move || query.read().get("tilknyttet").is_some();
    let removed = move || query.read().get("fjernet").is_some_and(|v| v == "1");
    view! {
        <Transition fallback=|| ()>
            {move || logins.get().and_then(|r| r.ok()).filter(|l| !l.linked.is_empty() || !l.linkable.is_empty()).map(|l| view! {
                <section id="logins" aria-labelledby="logins-title">
                    <h2 id="logins-title">{tr(i18n, |l| td_string!(l, account_logins_title))}</h2>
                    {move || linked_now().then(|| view! { <p class="success" role="status" data-testid="login-linked">{tr(i18n, |l| td_string!(l, account_logins_done))}</p> })}
                    {move || removed().then(|| view! { <p class="success" role="status">{tr(i18n, |l| td_string!(l, account_logins_removed))}</p> })}
                    <crate::ui::components::login_buttons::LoginRefusalNotice />
                    <LoginList logins=l unlink link />
                </section>
            })}
        </Transition>
    }
}

#[component]
fn LoginList(
    logins: AccountLogins,
    unlink: ServerAction<UnlinkLogin>,
    link: ServerAction<LinkLogin>,
) -> impl IntoView {
    let i18n = use_i18n();
    let unlink_error = action_error(unlink);
    let link_error = action_error(link);
    let has_password = logins.has_password;
    view! {
        <FormError error=unlink_error />
        {if logins.linked.is_empty() {
            view! { <p>{tr(i18n, |l| td_string!(l, account_logins_none))}</p> }.into_any()
        } else {
            view! {
                <ul class="linked-logins" data-testid="linked-logins">
                    {logins.linked.into_iter().map(|login| view! {
                        <li data-provider=login.provider.clone()>
                            <strong>{login.label.clone()}</strong>" · "
                            {tr(i18n, |l| td_string!(l, account_logins_linked))}" "{date_da(login.linked_at)}
                            {if login.may_unlink {
                                view! {
                                    <ActionForm action=unlink attr:class="inline-form">
                                        <input type="hidden" name="identity_id" value=login.id.0.to_string() />
                                        <button type="submit" class="link-button">
                                            {tr(i18n, |l| td_string!(l, account_logins_unlink))}" "{login.label.clone()}
                                        </button>
                                    </ActionForm>
                                }.into_any()
                            } else {
                                view! { " · "<em>{tr(i18n, |l| td_string!(l, account_logins_last))}</em> }.into_any()
                            }}
                        </li>
                    }).collect_view()}
                </ul>
            }.into_any()
        }}
        {(has_password && !logins.linkable.is_empty()).then(|| view! {
            <p>{tr(i18n, |l| td_string!(l, account_logins_link_lead))}</p>
            {logins.linkable.into_iter().map(|p| {
                let form_id = format!("link-{}", p.id);
                let field_id = format!("f-link-password-{}", p.id);
                view! {
                    <ActionForm action=link attr:class="form" attr:id=form_id>
                        <FormError error=link_error />
                        <input type="hidden" name="provider" value=p.id.clone() />
                        <Field name="password" id=field_id label=move || tr(i18n, |l| td_string!(l, field_password)) error=link_error
                            kind="password" autocomplete="current-password" required=true />
                        <button type="submit" class="button">{tr(i18n, |l| td_string!(l, account_logins_link))}" "{p.label.clone()}</button>
                    </ActionForm>
                }
            }).collect_view()}
        })}
    }
}
