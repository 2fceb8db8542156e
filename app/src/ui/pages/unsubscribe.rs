//! `/afmeld?token=…`: stop one kind of mail from a mail's link, without logging in. Opening
//! the page changes nothing (mail scanners open links); the button does.
use crate::api::mail::Unsubscribe;
use crate::domain::mail::MailCategory;
use crate::i18n::*;
use crate::ui::auth::action_error;
use crate::ui::components::form::FormError;
use crate::ui::error_text::shown;
use crate::ui::tr::{tr, trs};
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn UnsubscribePage() -> impl IntoView {
    let i18n = use_i18n();
    let action = ServerAction::<Unsubscribe>::new();
    let error = action_error(action);
    let query = leptos_router::hooks::use_query_map();
    let token = move || query.read().get("token").unwrap_or_default();
    // Done: by this form with JavaScript, or after the redirect of a plain form post.
    let done = move || match action.value().get() {
        Some(Ok(category)) => Some(category),
        _ => query
            .read()
            .get("afmeldt")
            .and_then(|c| MailCategory::parse(&c)),
    };
    let token_error = move || {
        error
            .get()
            .filter(|e| e.field() == Some("token"))
            .map(|e| shown(&e))
    };
    view! {
        <Title text=trs(i18n, |l| td_string!(l, unsubscribe_title))() />
        <h1>{tr(i18n, |l| td_string!(l, unsubscribe_title))}</h1>
        {move || match done() {
            Some(category) => view! {
                <p class="success" role="status" data-testid="unsubscribed">
                    {match category {
                        MailCategory::Updates => tr(i18n, |l| td_string!(l, unsubscribe_done_updates))(),
                        MailCategory::Deadlines => tr(i18n, |l| td_string!(l, unsubscribe_done_deadlines))(),
                    }}
                </p>
                <p><a href="/konto#mail">{tr(i18n, |l| td_string!(l, unsubscribe_change))}</a></p>
            }.into_any(),
            None if token().is_empty() && token_error().is_none() => view! {
                <p class="notice">{tr(i18n, |l| td_string!(l, unsubscribe_no_token))}</p>
                <p><a href="/konto#mail">{tr(i18n, |l| td_string!(l, unsubscribe_change))}</a></p>
            }.into_any(),
            None => view! {
                <p>{tr(i18n, |l| td_string!(l, unsubscribe_lead))}</p>
                <ActionForm action attr:class="form" attr:id="unsubscribe-form">
                    <FormError error />
                    {move || token_error().map(|m| view! { <p class="form-error" role="alert">{m}</p> })}
                    <input type="hidden" name="token" value=token() />
                    <button type="submit" class="button">{tr(i18n, |l| td_string!(l, unsubscribe_submit))}</button>
                </ActionForm>
                {move || token_error().map(|_| view! {
                    <p><a href="/konto#mail">{tr(i18n, |l| td_string!(l, unsubscribe_change))}</a></p>
                })}
            }.into_any(),
        }}
    }
}
