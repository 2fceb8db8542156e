//! Opret konto: self sign-up for 13–25-year-olds.
use crate::api::accounts::Signup;
use crate::i18n::*;
use crate::ui::auth::action_error;
use crate::ui::components::form::{Field, FormError};
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
    view! {
        <Title text=trs(i18n, |l| td_string!(l, signup_title))() />
        <h1>{tr(i18n, |l| td_string!(l, signup_title))}</h1>
        <p class="lead">{tr(i18n, |l| td_string!(l, signup_lead))}</p>
        <p class="notice">{tr(i18n, |l| td_string!(l, signup_under15))}</p>
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
        <p>{tr(i18n, |l| td_string!(l, signup_have_account))}" "<A href="/log-ind">{tr(i18n, |l| td_string!(l, login_submit))}</A></p>
    }
}
