//! Log ind.
use crate::api::accounts::Login;
use crate::i18n::*;
use crate::ui::auth::action_error;
use crate::ui::components::form::{Field, FormError};
use crate::ui::components::login_buttons::{
    use_login_choices, LoginRefusalNotice, ProviderButtons,
};
use crate::ui::islands::PasswordToggle;
use crate::ui::tr::{tr, trs};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;
use leptos_router::hooks::use_query_map;

#[component]
pub fn LoginPage() -> impl IntoView {
    let i18n = use_i18n();
    let action = ServerAction::<Login>::new();
    let error = action_error(action);
    let query = use_query_map();
    let reset = move || query.read().get("nyt-kodeord").is_some_and(|v| v == "1");
    let choices = use_login_choices();
    let password_form = ViewFn::from(move || {
        view! {
            <ActionForm action=action attr:class="form" attr:id="login-form">
            <FormError error />
            <Field name="email" label=move || tr(i18n, |l| td_string!(l, field_email)) error kind="email"
                autocomplete="username" required=true maxlength=254 />
            <Field name="password" label=move || tr(i18n, |l| td_string!(l, field_password)) error kind="password"
                autocomplete="current-password" required=true maxlength=128 />
            <PasswordToggle target="f-password".to_owned()
                show=trs(i18n, |l| td_string!(l, show_password))()
                hide=trs(i18n, |l| td_string!(l, hide_password))() />
            <button type="submit" class="button">{tr(i18n, |l| td_string!(l, login_submit))}</button>
            </ActionForm>
        }
    });
    view! {
        <Title text=trs(i18n, |l| td_string!(l, login_title))() />
        <h1>{tr(i18n, |l| td_string!(l, login_title))}</h1>
        {move || reset().then(|| view! { <p class="success" role="status" data-testid="reset-done">{tr(i18n, |l| td_string!(l, login_password_reset_done))}</p> })}
        <LoginRefusalNotice />
        <Transition fallback=|| ()>
            {move || choices.get().and_then(|r| r.ok()).map(|c| {
                let password_login = c.password_login;
                let any = !c.providers.is_empty();
                let form = password_form.clone();
                view! {
                    <ProviderButtons choices=c />
                    {if password_login {
                        view! {
                            {any.then(|| view! { <h2 class="or-heading">{tr(i18n, |l| td_string!(l, login_or_password))}</h2> })}
                            {form.run()}
                        }.into_any()
                    } else {
                        view! {
                            <details class="break-glass" open=error.get().is_some()>
                                <summary>{tr(i18n, |l| td_string!(l, login_break_glass))}</summary>
                                {form.run()}
                            </details>
                        }.into_any()
                    }}
                }
            })}
        </Transition>
        <p><A href="/glemt-kodeord">{tr(i18n, |l| td_string!(l, login_forgot))}</A></p>
        <p>{tr(i18n, |l| td_string!(l, login_no_account))}" "<A href="/tilmeld">{tr(i18n, |l| td_string!(l, signup_title))}</A></p>
    }
}
