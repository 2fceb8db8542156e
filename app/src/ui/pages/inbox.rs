//! Indbakke: a politician's proposals waiting for an answer, overdue first.
use crate::api::answers::get_inbox;
use crate::domain::error::AppError;
use crate::i18n::*;
use crate::ui::error_text::shown;
use crate::ui::status::deadline_line;
use crate::ui::tr::{is_en, tr, trs};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;

#[component]
pub fn InboxPage() -> impl IntoView {
    let i18n = use_i18n();
    let items = Resource::new(|| (), |_| get_inbox());
    view! {
        <Title text=trs(i18n, |l| td_string!(l, inbox_title))() />
        <h1>{tr(i18n, |l| td_string!(l, inbox_title))}</h1>
        <p class="lead">{tr(i18n, |l| td_string!(l, inbox_lead))}</p>
        <Transition fallback=move || view! { <p>{tr(i18n, |l| td_string!(l, loading))}</p> }>
            {move || items.get().map(|r| match r {
                Err(AppError::Unauthenticated) => view! {
                    <p class="notice"><A href="/log-ind">{tr(i18n, |l| td_string!(l, login_submit))}</A></p>
                }.into_any(),
                Err(AppError::Forbidden) => view! { <p class="notice">{tr(i18n, |l| td_string!(l, inbox_politicians_only))}</p> }.into_any(),
                Err(e) => view! { <p class="form-error" role="alert">{shown(&e)}</p> }.into_any(),
                Ok(inbox) => {
                    let en = is_en(i18n);
                    let now = chrono::Utc::now();
                    let clearer = inbox.clearer;
                    view! {
                        {inbox.waiting.is_empty().then(|| view! { <p class="empty">{tr(i18n, |l| td_string!(l, inbox_empty))}</p> })}
                        <ol class="cards">
                            {inbox.waiting.into_iter().map(|p| {
                                let overdue = p.deadline < now;
                                view! {
                                    <li class="card" class:card--overdue=overdue>
                                        <h2 class="card__title"><a href=format!("/forslag/{}#svar", p.id.0)>{p.title}</a></h2>
                                        <p class="meta">{p.council}" → "{p.committee}</p>
                                        <p class="deadline">{deadline_line(p.deadline, now, en)}</p>
                                    </li>
                                }
                            }).collect_view()}
                        </ol>
                        {(!clearer.is_empty()).then(|| view! {
                            <section aria-labelledby="klarere" data-testid="clearer-requests">
                                <h2 id="klarere">{tr(i18n, |l| td_string!(l, inbox_clearer_title))}</h2>
                                <p>{tr(i18n, |l| td_string!(l, inbox_clearer_lead))}</p>
                                <ul class="cards">
                                    {clearer.into_iter().map(|c| view! {
                                        <li class="card">
                                            <h3 class="card__title"><a href=format!("/forslag/{}#uddyb", c.id.0)>{c.title}</a></h3>
                                            <p class="meta">{c.committee}" · "{c.waiting}" "{tr(i18n, |l| td_string!(l, inbox_clearer_waiting))}</p>
                                        </li>
                                    }).collect_view()}
                                </ul>
                            </section>
                        })}
                    }.into_any()
                }
            })}
        </Transition>
    }
}
