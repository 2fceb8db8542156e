//! Glemt adgangskode: ask for a reset link by mail. The answer is the same whether or not
//! the address has an account.
use crate::api::account_mail::RequestPasswordReset;
use crate::i18n::*;
use crate::ui::auth::action_error;
use crate::ui::components::form::{Field, FormError};
use crate::ui::tr::{tr, trs};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;
use leptos_router::hooks::use_query_map;

#[component]
pub fn ForgotPasswordPage() -> impl IntoView {
    let i18n = use_i18n();
    let action = ServerAction::<RequestPasswordReset>::new();
    let error = action_error(action);
    let query = use_query_map();
    let sent = move || {
        matches!(action.value().get(), Some(Ok(())))
            || query.read().get("sendt").is_some_and(|v| v == "1")
    };
    view! {
        <Title text=trs(i18n, |l| td_string!(l, forgot_title))() />
        <h1>{tr(i18n, |l| td_string!(l, forgot_title))}</h1>
        {move || if sent() {
            view! {
                <p class="success" role="status" data-testid="reset-requested">{tr(i18n, |l| td_string!(l, forgot_sent))}</p>
            }.into_any()
        } else {
            view! {
                <p class="lead">{tr(i18n, |l| td_string!(l, forgot_lead))}</p>
                <ActionForm action=action attr:class="form" attr:id="forgot-form">
                    <FormError error />
                    <Field name="email" label=move || tr(i18n, |l| td_string!(l, field_email)) error kind="email"
                        autocomplete="email" required=true maxlength=254 />
                    <button type="submit" class="button" data-testid="reset-request-submit">{tr(i18n, |l| td_string!(l, forgot_submit))}</button>
                </ActionForm>
            }.into_any()
        }}
        <p><A href="/log-ind">{tr(i18n, |l| td_string!(l, login_title))}</A></p>
    }
}
