//! Bekræft e-mail: the link in the verification mail lands here; one press confirms
//! (a plain form post: a link scanner that opens the mail's links confirms nothing).
use crate::api::account_mail::VerifyEmail;
use crate::i18n::*;
use crate::ui::auth::{action_error, use_auth};
use crate::ui::components::form::FormError;
use crate::ui::error_text::shown;
use crate::ui::tr::{tr, trs};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;
use leptos_router::hooks::use_query_map;

#[component]
pub fn VerifyEmailPage() -> impl IntoView {
    let i18n = use_i18n();
    let auth = use_auth();
    let action = ServerAction::<VerifyEmail>::new();
    let error = action_error(action);
    let query = use_query_map();
    let token = move || query.read().get("token").unwrap_or_default();
    let done = move || {
        matches!(action.value().get(), Some(Ok(())))
            || query.read().get("bekraeftet").is_some_and(|v| v == "1")
    };
    let link_error = move || {
        error
            .get()
            .filter(|e| e.field() == Some("token"))
            .map(|e| shown(&e))
    };
    view! {
        <Title text=trs(i18n, |l| td_string!(l, verify_title))() />
        <h1>{tr(i18n, |l| td_string!(l, verify_title))}</h1>
        {move || if done() {
            view! {
                <p class="success" role="status" data-testid="verify-done">{tr(i18n, |l| td_string!(l, verify_done))}</p>
                <p><A href="/konto">{tr(i18n, |l| td_string!(l, account_title))}</A></p>
            }.into_any()
        } else if token().is_empty() {
            view! { <p class="notice" data-testid="verify-no-token">{tr(i18n, |l| td_string!(l, verify_no_token))}</p> }.into_any()
        } else {
            view! {
                <p class="lead">{tr(i18n, |l| td_string!(l, verify_lead))}</p>
                <ActionForm action=action attr:class="form" attr:id="verify-form">
                    <FormError error />
                    {move || link_error().map(|m| view! {
                        <div class="form-error" role="alert" id="f-token-error" data-testid="verify-invalid">
                            <p>{m}</p>
                            {auth.current().map(|_| view! {
                                <p><A href="/konto">{tr(i18n, |l| td_string!(l, verify_resend_pointer))}</A></p>
                            })}
                        </div>
                    })}
                    <input type="hidden" name="token" value=token() />
                    <button type="submit" class="button" data-testid="verify-submit">{tr(i18n, |l| td_string!(l, verify_submit))}</button>
                </ActionForm>
            }.into_any()
        }}
    }
}
