//! Notifikationer: what happened to the proposals I wrote or follow.
use crate::api::notifications::{list_notifications, MarkRead};
use crate::domain::error::AppError;
use crate::domain::ids::NotificationId;
use crate::i18n::*;
use crate::ui::error_text::shown;
use crate::ui::format::{date, iso};
use crate::ui::tr::{is_en, tr, trs};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;
use leptos_router::hooks::use_query_map;

#[component]
pub fn NotificationsPage() -> impl IntoView {
    let i18n = use_i18n();
    let mark = ServerAction::<MarkRead>::new();
    let query = use_query_map();
    let before = move || {
        query
            .read()
            .get("foer")
            .and_then(|v| v.parse::<NotificationId>().ok())
    };
    let page = Resource::new(
        move || (before(), mark.version().get()),
        |(b, _)| list_notifications(b),
    );
    view! {
        <Title text=trs(i18n, |l| td_string!(l, notifications_title))() />
        <h1>{tr(i18n, |l| td_string!(l, notifications_title))}</h1>
        <Transition fallback=move || view! { <p>{tr(i18n, |l| td_string!(l, loading))}</p> }>
            {move || page.get().map(|r| match r {
                Err(AppError::Unauthenticated) => view! {
                    <p class="notice">{tr(i18n, |l| td_string!(l, account_not_logged_in))}" "<A href="/log-ind">{tr(i18n, |l| td_string!(l, login_submit))}</A></p>
                }.into_any(),
                Err(e) => view! { <p class="form-error" role="alert">{shown(&e)}</p> }.into_any(),
                Ok(page) if page.items.is_empty() => view! { <p class="empty">{tr(i18n, |l| td_string!(l, notifications_none))}</p> }.into_any(),
                Ok(page) => {
                    let en = is_en(i18n);
                    let unread = page.unread;
                    view! {
                        <p data-testid="unread">{unread}" "{tr(i18n, |l| td_string!(l, notifications_unread))}</p>
                        {(unread > 0).then(|| view! {
                            <ActionForm action=mark attr:class="inline-form">
                                <button type="submit" class="button button--secondary">{tr(i18n, |l| td_string!(l, notifications_mark_all))}</button>
                            </ActionForm>
                        })}
                        <ol class="notifications">
                            {page.items.into_iter().map(|n| {
                                let title = if n.proposal_title.is_empty() { trs(i18n, |l| td_string!(l, proposal_hidden_title))() } else { n.proposal_title.clone() };
                                view! {
                                    <li class:unread=!n.read>
                                        <p><strong>{n.kind.text(en)}</strong>": "<a href=n.href()>{title}</a></p>
                                        <p class="meta"><time datetime=iso(n.at)>{date(n.at, en)}</time>
                                            {(!n.read).then(|| view! { " · "<span class="badge">{tr(i18n, |l| td_string!(l, notifications_new))}</span> })}
                                        </p>
                                        {(!n.read).then(|| view! {
                                            <ActionForm action=mark attr:class="inline-form">
                                                <input type="hidden" name="id" value=n.id.0 />
                                                <button type="submit" class="link-button">{tr(i18n, |l| td_string!(l, notifications_mark_one))}</button>
                                            </ActionForm>
                                        })}
                                    </li>
                                }
                            }).collect_view()}
                        </ol>
                        {page.next.map(|n| view! { <p><a href=format!("/notifikationer?foer={}", n.0) rel="next">{tr(i18n, |l| td_string!(l, proposals_next_page))}</a></p> })}
                    }.into_any()
                }
            })}
        </Transition>
    }
}
