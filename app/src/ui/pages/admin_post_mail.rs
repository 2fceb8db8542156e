//! Administration › Post › one mail: its headers and its text as the recipient reads it
//! (the text part; the HTML part says the same).
use crate::api::mail::outbox_mail;
use crate::domain::error::AppError;
use crate::domain::mail::OutboxMailView;
use crate::i18n::*;
use crate::ui::components::admin_nav::AdminNav;
use crate::ui::error_text::shown;
use crate::ui::format::date_time;
use crate::ui::pages::admin_post::status_label;
use crate::ui::tr::{is_en, tr, trs, Key};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

#[component]
pub fn AdminPostMailPage() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_params_map();
    let id = move || params.read().get("id").and_then(|v| v.parse::<i64>().ok());
    let mail = Resource::new(id, |id| async move {
        match id {
            Some(id) => outbox_mail(id).await,
            None => Err(AppError::NotFound),
        }
    });
    view! {
        <Title text=trs(i18n, |l| td_string!(l, post_mail_title))() />
        <AdminNav />
        <p><a href="/admin/post">"← "{tr(i18n, |l| td_string!(l, post_back))}</a></p>
        <Transition fallback=move || view! { <p>{tr(i18n, |l| td_string!(l, loading))}</p> }>
            {move || mail.get().map(|result| match result {
                Err(AppError::Unauthenticated | AppError::Forbidden) => {
                    view! { <p class="notice">{tr(i18n, |l| td_string!(l, admin_no_access))}</p> }.into_any()
                }
                Err(e) => view! { <p class="form-error">{shown(&e)}</p> }.into_any(),
                Ok(m) => view! { <MailView m /> }.into_any(),
            })}
        </Transition>
    }
}

#[component]
fn MailView(m: OutboxMailView) -> impl IntoView {
    let i18n = use_i18n();
    let en = is_en(i18n);
    let failed = m.status == "failed";
    let note: Key = if m.smtp {
        |l| td_string!(l, post_smtp)
    } else {
        |l| td_string!(l, post_kept)
    };
    view! {
        <h1>{m.subject.clone()}</h1>
        <p class="notice">{tr(i18n, note)}</p>
        <dl class="facts" data-testid="mail-headers">
            <dt>{tr(i18n, |l| td_string!(l, post_col_to))}</dt><dd>{m.to_addr}</dd>
            <dt>"Message-ID"</dt><dd><code>{m.message_id}</code></dd>
            <dt>{tr(i18n, |l| td_string!(l, post_col_subject))}</dt><dd>{m.subject}</dd>
            <dt>{tr(i18n, |l| td_string!(l, post_col_created))}</dt><dd>{date_time(m.created_at, en)}</dd>
            {m.sent_at.map(|t| view! {
                <dt>{tr(i18n, |l| td_string!(l, post_sent_at))}</dt><dd>{date_time(t, en)}</dd>
            })}
            <dt>{tr(i18n, |l| td_string!(l, post_kind))}</dt><dd>{m.kind}</dd>
            <dt>{tr(i18n, |l| td_string!(l, post_lang))}</dt><dd>{m.lang}</dd>
            <dt>{tr(i18n, |l| td_string!(l, post_col_status))}</dt>
            <dd>
                {failed.then(|| view! { <strong>{tr(i18n, |l| td_string!(l, post_failed_mark))}</strong> })}
                {(!failed).then(|| tr(i18n, status_label(&m.status)))}
            </dd>
            <dt>{tr(i18n, |l| td_string!(l, post_col_attempts))}</dt><dd>{m.attempts}</dd>
            {m.last_error.map(|e| view! {
                <dt>{tr(i18n, |l| td_string!(l, post_col_error))}</dt><dd>{e}</dd>
            })}
            {m.unsubscribe_url.map(|u| view! {
                <dt>{tr(i18n, |l| td_string!(l, post_unsubscribe))}</dt><dd><code>{u}</code></dd>
            })}
        </dl>
        <h2>{tr(i18n, |l| td_string!(l, post_text_body))}</h2>
        <pre class="mail-text" data-testid="mail-text">{m.text}</pre>
    }
}
