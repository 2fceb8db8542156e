//! Administration › Log: every decision — who, what, when (append-only).
use crate::api::admin::get_audit_log;
use crate::domain::audit::AuditEntry;
use crate::domain::error::AppError;
use crate::domain::ids::AuditEntryId;
use crate::i18n::*;
use crate::ui::components::admin_nav::AdminNav;
use crate::ui::error_text::shown;
use crate::ui::format::date_time;
use crate::ui::tr::{is_en, tr, trs};
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn AdminAuditPage() -> impl IntoView {
    let i18n = use_i18n();
    let query = leptos_router::hooks::use_query_map();
    let before = move || {
        query
            .read()
            .get("foer")
            .and_then(|v| v.parse::<AuditEntryId>().ok())
    };
    let page = Resource::new(before, get_audit_log);
    view! {
        <Title text=trs(i18n, |l| td_string!(l, audit_title))() />
        <AdminNav />
        <h1>{tr(i18n, |l| td_string!(l, audit_title))}</h1>
        <p>{tr(i18n, |l| td_string!(l, audit_lead))}</p>
        <Transition fallback=move || view! { <p>{tr(i18n, |l| td_string!(l, loading))}</p> }>
            {move || page.get().map(|result| match result {
                Err(AppError::Unauthenticated | AppError::Forbidden) => {
                    view! { <p class="notice">{tr(i18n, |l| td_string!(l, admin_no_access))}</p> }.into_any()
                }
                Err(e) => view! { <p class="form-error">{shown(&e)}</p> }.into_any(),
                Ok(p) if p.entries.is_empty() => {
                    view! { <p class="empty">{tr(i18n, |l| td_string!(l, audit_empty))}</p> }.into_any()
                }
                Ok(p) => {
                    let en = is_en(i18n);
                    let next = p.next.map(|n| format!("/admin/log?foer={n}"));
                    view! {
                        <div class="table-wrap">
                            <table class="table" data-testid="audit-log">
                                <thead><tr>
                                    <th scope="col">{tr(i18n, |l| td_string!(l, audit_col_when))}</th>
                                    <th scope="col">{tr(i18n, |l| td_string!(l, audit_col_who))}</th>
                                    <th scope="col">{tr(i18n, |l| td_string!(l, audit_col_what))}</th>
                                    <th scope="col">{tr(i18n, |l| td_string!(l, audit_col_subject))}</th>
                                </tr></thead>
                                <tbody>
                                    {p.entries.into_iter().map(|e| row(e, en)).collect_view()}
                                </tbody>
                            </table>
                        </div>
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

fn row(e: AuditEntry, en: bool) -> impl IntoView {
    let who = match (e.actor_name, e.actor) {
        (Some(name), Some(id)) => format!("{name} (#{id})"),
        (None, Some(id)) => format!("#{id}"),
        _ => "–".to_owned(),
    };
    let subject = match e.subject_id {
        Some(id) => format!("{} #{id}", e.subject_kind),
        None => e.subject_kind,
    };
    let what = if e.details.is_empty() {
        e.label
    } else {
        format!("{}: {}", e.label, e.details)
    };
    view! {
        <tr>
            <td>{date_time(e.at, en)}</td>
            <td>{who}</td>
            <td>{what}</td>
            <td>{subject}</td>
        </tr>
    }
}
