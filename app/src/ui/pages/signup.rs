//! Opret konto: self sign-up for 13–25-year-olds.
use crate::api::accounts::Signup;
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

#[component]
pub fn SignupPage() -> impl IntoView {
    let i18n = use_i18n();
    let action = ServerAction::<Signup>::new();
    let error = action_error(action);
    let choices = use_login_choices();
    let password_form = ViewFn::from(move || {
        view! {
            <ActionForm action=action attr:class="form" attr:id="signup-form">
                <FormError error />
                <Field name="first_name" label=move || tr(i18n, |l| td_string!(l, field_first_name)) error
                    autocomplete="given-name" required=true maxlength=50 />
                <Field name="birth_year" label=move || tr(i18n, |l| td_string!(l, field_birth_year)) error
                    inputmode="numeric" required=true maxlength=4
                    hint=move || tr(i18n, |l| td_string!(l, field_birth_year_hint)) />
                <Field name="email" label=move || tr(i18n, |l| td_string!(l, field_email)) error kind="email"
                    autocomplete="email" required=true maxlength=254 />
                <Field name="password" label=move || tr(i18n, |l| td_string!(l, field_password)) error kind="password"
                    autocomplete="new-password" required=true minlength=10 maxlength=128
                    hint=move || tr(i18n, |l| td_string!(l, field_password_hint)) />
                <PasswordToggle target="f-password".to_owned()
                    show=trs(i18n, |l| td_string!(l, show_password))()
                    hide=trs(i18n, |l| td_string!(l, hide_password))() />
                <button type="submit" class="button">{tr(i18n, |l| td_string!(l, signup_submit))}</button>
            </ActionForm>
        }
    });
    view! {
        <Title text=trs(i18n, |l| td_string!(l, signup_title))() />
        <h1>{tr(i18n, |l| td_string!(l, signup_title))}</h1>
        <p class="lead">{tr(i18n, |l| td_string!(l, signup_lead))}</p>
        <p class="notice">{tr(i18n, |l| td_string!(l, signup_under15))}</p>
        <LoginRefusalNotice />
        <Transition fallback=|| ()>
            {move || choices.get().and_then(|r| r.ok()).map(|c| {
                let password_login = c.password_login;
                let any = !c.providers.is_empty();
                let form = password_form.clone();
                view! {
                    {any.then(|| view! { <p>{tr(i18n, |l| td_string!(l, signup_with_lead))}</p> })}
                    <ProviderButtons choices=c signup=true />
                    {if password_login {
                        view! {
                            {any.then(|| view! { <h2 class="or-heading">{tr(i18n, |l| td_string!(l, signup_or_password))}</h2> })}
                            {form.run()}
                        }.into_any()
                    } else {
                        ().into_any()
                    }}
                }
            })}
        </Transition>
        <p>{tr(i18n, |l| td_string!(l, signup_have_account))}" "<A href="/log-ind">{tr(i18n, |l| td_string!(l, login_submit))}</A></p>
    }
}
