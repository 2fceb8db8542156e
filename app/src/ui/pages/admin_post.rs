//! Administration › Post: the outbox — every mail, its status, attempts and last error,
//! newest first, 50 at a time; failed mail marked in words.
use crate::api::mail::outbox_page;
use crate::domain::error::AppError;
use crate::domain::mail::OutboxItem;
use crate::i18n::*;
use crate::ui::components::admin_nav::AdminNav;
use crate::ui::error_text::shown;
use crate::ui::format::date_time;
use crate::ui::tr::{is_en, tr, trs, Key};
use leptos::prelude::*;
use leptos_meta::Title;

/// The label of a mail status.
pub fn status_label(status: &str) -> Key {
    match status {
        "pending" => |l| td_string!(l, post_status_pending),
        "sent" => |l| td_string!(l, post_status_sent),
        "failed" => |l| td_string!(l, post_status_failed),
        _ => |l| td_string!(l, post_status_cancelled),
    }
}

#[component]
pub fn AdminPostPage() -> impl IntoView {
    let i18n = use_i18n();
    let query = leptos_router::hooks::use_query_map();
    let args = move || {
        let q = query.read();
        (
            q.get("status").filter(|s| !s.is_empty()),
            q.get("foer").and_then(|v| v.parse::<i64>().ok()),
        )
    };
    let page = Resource::new(args, |(status, before)| outbox_page(status, before));
    view! {
        <Title text=trs(i18n, |l| td_string!(l, post_title))() />
        <AdminNav />
        <h1>{tr(i18n, |l| td_string!(l, post_title))}</h1>
        <Transition fallback=move || view! { <p>{tr(i18n, |l| td_string!(l, loading))}</p> }>
            {move || page.get().map(|result| match result {
                Err(AppError::Unauthenticated | AppError::Forbidden) => {
                    view! { <p class="notice">{tr(i18n, |l| td_string!(l, admin_no_access))}</p> }.into_any()
                }
                Err(e) => view! { <p class="form-error">{shown(&e)}</p> }.into_any(),
                Ok(p) => {
                    let en = is_en(i18n);
                    let status = args().0;
                    let status_q = status.clone().map(|s| format!("status={s}&")).unwrap_or_default();
                    let next = p.next.map(|n| format!("/admin/post?{status_q}foer={n}"));
                    let note: Key = if p.smtp {
                        |l| td_string!(l, post_smtp)
                    } else {
                        |l| td_string!(l, post_kept)
                    };
                    let all_current = status.is_none().then_some("page");
                    view! {
                        <p class="notice" data-testid="post-mode">{tr(i18n, note)}</p>
                        <nav aria-label=trs(i18n, |l| td_string!(l, post_filter))>
                            <ul class="chips" data-testid="post-counts">
                                <li><a class="chip" href="/admin/post" aria-current=all_current>{tr(i18n, |l| td_string!(l, post_all))}</a></li>
                                {p.counts.into_iter().map(|(s, n)| {
                                    let current = (status.as_deref() == Some(s.as_str())).then_some("page");
                                    let href = format!("/admin/post?status={s}");
                                    view! {
                                        <li><a class="chip" href=href aria-current=current>{tr(i18n, status_label(&s))}": "{n}</a></li>
                                    }
                                }).collect_view()}
                            </ul>
                        </nav>
                        {if p.mails.is_empty() {
                            view! { <p class="empty">{tr(i18n, |l| td_string!(l, post_empty))}</p> }.into_any()
                        } else {
                            view! {
                                <div class="table-wrap">
                                    <table class="table" data-testid="outbox">
                                        <thead><tr>
                                            <th scope="col">{tr(i18n, |l| td_string!(l, post_col_created))}</th>
                                            <th scope="col">{tr(i18n, |l| td_string!(l, post_col_to))}</th>
                                            <th scope="col">{tr(i18n, |l| td_string!(l, post_col_subject))}</th>
                                            <th scope="col">{tr(i18n, |l| td_string!(l, post_col_status))}</th>
                                            <th scope="col">{tr(i18n, |l| td_string!(l, post_col_attempts))}</th>
                                            <th scope="col">{tr(i18n, |l| td_string!(l, post_col_error))}</th>
                                        </tr></thead>
                                        <tbody>
                                            {p.mails.into_iter().map(|m| row(i18n, m, en)).collect_view()}
                                        </tbody>
                                    </table>
                                </div>
                            }.into_any()
                        }}
                        {next.map(|href| view! {
                            <p><a href=href rel="next">{tr(i18n, |l| td_string!(l, admin_next_page))}" →"</a></p>
                        })}
                    }
                    .into_any()
                }
            })}
        </Transition>
    }
}

fn row(i18n: leptos_i18n::I18nContext<Locale>, m: OutboxItem, en: bool) -> impl IntoView {
    let failed = m.status == "failed";
    let href = format!("/admin/post/{}", m.id);
    let subject = if m.subject.is_empty() {
        format!("#{}", m.id)
    } else {
        m.subject
    };
    view! {
        <tr class:row--failed=failed data-status=m.status.clone()>
            <td>{date_time(m.created_at, en)}</td>
            <td>{m.to_addr}</td>
            <td><a href=href>{subject}</a></td>
            <td>
                {failed.then(|| view! { <strong>{tr(i18n, |l| td_string!(l, post_failed_mark))}</strong>" " })}
                {(!failed).then(|| tr(i18n, status_label(&m.status)))}
            </td>
            <td>{m.attempts}</td>
            <td>{m.last_error.unwrap_or_default()}</td>
        </tr>
    }
}
