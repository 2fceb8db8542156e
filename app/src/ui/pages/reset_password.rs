//! Ny adgangskode: the link in the reset mail lands here. Saving spends the link, ends
//! every session of the person and sends them to log in with the new password.
use crate::api::account_mail::ResetPassword;
use crate::i18n::*;
use crate::ui::auth::action_error;
use crate::ui::components::form::{Field, FormError};
use crate::ui::islands::PasswordToggle;
use crate::ui::tr::{tr, trs};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;
use leptos_router::hooks::use_query_map;

#[component]
pub fn ResetPasswordPage() -> impl IntoView {
    let i18n = use_i18n();
    let action = ServerAction::<ResetPassword>::new();
    let error = action_error(action);
    let query = use_query_map();
    let token = move || query.read().get("token").unwrap_or_default();
    view! {
        <Title text=trs(i18n, |l| td_string!(l, reset_title))() />
        <h1>{tr(i18n, |l| td_string!(l, reset_title))}</h1>
        <p class="lead">{tr(i18n, |l| td_string!(l, reset_lead))}</p>
        <ActionForm action=action attr:class="form" attr:id="reset-form">
            <FormError error />
            <input type="hidden" name="token" value=token() />
            <Field name="password" label=move || tr(i18n, |l| td_string!(l, field_new_password)) error kind="password"
                autocomplete="new-password" required=true minlength=10 maxlength=128
                hint=move || tr(i18n, |l| td_string!(l, field_password_hint)) />
            <PasswordToggle target="f-password".to_owned()
                show=trs(i18n, |l| td_string!(l, show_password))()
                hide=trs(i18n, |l| td_string!(l, hide_password))() />
            <button type="submit" class="button" data-testid="reset-submit">{tr(i18n, |l| td_string!(l, reset_submit))}</button>
        </ActionForm>
        <p><A href="/glemt-kodeord">{tr(i18n, |l| td_string!(l, reset_new_link))}</A></p>
    }
}
