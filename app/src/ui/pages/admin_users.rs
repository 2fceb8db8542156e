//! Administration › Brugere: the coordinator's user list (search, confirm, roles).
use crate::api::admin::{
    list_councils, list_schools, list_users, ConfirmUser, GrantRole, RevokeRole, RevokeTeacher,
};
use crate::domain::account::{AccountStatus, Council, RoleKind, School, UserSummary};
use crate::domain::error::AppError;
use crate::domain::ids::UserId;
use crate::i18n::*;
use crate::ui::components::admin_nav::AdminNav;
use crate::ui::error_text::shown;
use crate::ui::tr::{tr, trs};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

#[component]
pub fn AdminUsersPage() -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let q = move || query.read().get("q").unwrap_or_default();
    let awaiting = move || query.read().get("venter").is_some_and(|v| v == "1");
    let before = move || {
        query
            .read()
            .get("foer")
            .and_then(|v| v.parse::<UserId>().ok())
    };
    let confirm = ServerAction::<ConfirmUser>::new();
    let grant = ServerAction::<GrantRole>::new();
    let revoke = ServerAction::<RevokeRole>::new();
    let revoke_teacher = ServerAction::<RevokeTeacher>::new();
    let page = Resource::new(
        move || {
            (
                q(),
                awaiting(),
                before(),
                confirm.version().get(),
                grant.version().get(),
                revoke.version().get(),
                revoke_teacher.version().get(),
            )
        },
        |(q, awaiting, before, ..)| list_users(q, awaiting, before),
    );
    let councils = Resource::new(|| (), |_| list_councils());
    let schools = Resource::new(|| (), |_| list_schools());
    let last_error = Signal::derive(move || {
        [
            confirm.value().get().and_then(|r| r.err()),
            grant.value().get().and_then(|r| r.err()),
            revoke.value().get().and_then(|r| r.err()),
            revoke_teacher.value().get().and_then(|r| r.err()),
        ]
        .into_iter()
        .flatten()
        .next()
    });
    view! {
        <Title text=trs(i18n, |l| td_string!(l, admin_users_title))() />
        <AdminNav />
        <h1>{tr(i18n, |l| td_string!(l, admin_users_title))}</h1>
        <form method="get" action="/admin/brugere" class="form form--inline" role="search">
            <div class="field">
                <label for="q">{tr(i18n, |l| td_string!(l, admin_search))}</label>
                <input id="q" name="q" type="search" maxlength="100" prop:value=q />
            </div>
            <div class="check">
                <input id="venter" name="venter" type="checkbox" value="1" prop:checked=awaiting />
                <label for="venter">{tr(i18n, |l| td_string!(l, admin_only_awaiting))}</label>
            </div>
            <button type="submit" class="button">{tr(i18n, |l| td_string!(l, admin_search_submit))}</button>
        </form>
        {move || last_error.get().map(|e| view! { <p class="form-error" role="alert">{shown(&e)}</p> })}
        <Transition fallback=move || view! { <p>{tr(i18n, |l| td_string!(l, loading))}</p> }>
            {move || {
                let councils = councils.get().and_then(|r| r.ok()).unwrap_or_default();
                let schools = schools.get().and_then(|r| r.ok()).unwrap_or_default();
                page.get().map(|result| match result {
                    Err(AppError::Unauthenticated | AppError::Forbidden) => {
                        view! { <p class="notice">{tr(i18n, |l| td_string!(l, admin_no_access))}</p> }.into_any()
                    }
                    Err(e) => view! { <p class="form-error">{shown(&e)}</p> }.into_any(),
                    Ok(page) if page.users.is_empty() => {
                        view! { <p class="empty">{tr(i18n, |l| td_string!(l, admin_no_users))}</p> }.into_any()
                    }
                    Ok(page) => {
                        let next = page.next.map(|n| {
                            let mut href = format!("/admin/brugere?foer={n}");
                            if !q().is_empty() {
                                href.push_str(&format!("&q={}", crate::domain::lang::percent_encode(&q())));
                            }
                            if awaiting() {
                                href.push_str("&venter=1");
                            }
                            href
                        });
                        view! {
                            <ul class="cards">
                                {page.users.into_iter().map(|u| view! {
                                    <UserCard user=u councils=councils.clone() schools=schools.clone() confirm grant revoke revoke_teacher />
                                }).collect_view()}
                            </ul>
                            {next.map(|href| view! {
                                <p><a href=href rel="next">{tr(i18n, |l| td_string!(l, admin_next_page))}" →"</a></p>
                            })}
                        }
                            .into_any()
                    }
                })
            }}
        </Transition>
    }
}

#[component]
fn UserCard(
    user: UserSummary,
    councils: Vec<Council>,
    schools: Vec<School>,
    confirm: ServerAction<ConfirmUser>,
    grant: ServerAction<GrantRole>,
    revoke: ServerAction<RevokeRole>,
    revoke_teacher: ServerAction<RevokeTeacher>,
) -> impl IntoView {
    let i18n = use_i18n();
    let id = user.id.0;
    let awaiting = user.status == AccountStatus::AwaitingConfirmation;
    let heading = format!("u-{id}");
    view! {
        <li class="card">
            <h2 class="card__title" id=heading>{user.first_name.clone()}</h2>
            <p class="meta">
                {user.email.clone()}" · "{user.birth_year.map(|y| y.to_string()).unwrap_or_default()}" · "{user.status.label_da()}
                {user.school.clone().map(|s| format!(" · {s}"))}
            </p>
            {awaiting.then(|| view! {
                <ActionForm action=confirm attr:class="inline-form">
                    <input type="hidden" name="user_id" value=id />
                    <button type="submit" class="button">{tr(i18n, |l| td_string!(l, admin_confirm))}" ("{user.first_name.clone()}")"</button>
                </ActionForm>
            })}
            <ul class="roles">
                {user.roles.iter().map(|g| {
                    let mut label = g.role.label_da().to_owned();
                    if let Some(c) = &g.council { label.push_str(&format!(", {}", c.name)); }
                    if let Some((a, b)) = g.term { label.push_str(&format!(" ({a}–{b})")); }
                    let grant_id = g.id.0;
                    view! {
                        <li>
                            {label.clone()}" "
                            <ActionForm action=revoke attr:class="inline-form">
                                <input type="hidden" name="grant_id" value=grant_id />
                                <button type="submit" class="link-button" aria-label=format!("Fjern rollen {label}")>
                                    {tr(i18n, |l| td_string!(l, admin_revoke))}
                                </button>
                            </ActionForm>
                        </li>
                    }
                }).collect_view()}
                {user.teacher_at.clone().map(|school| {
                    let label = format!("{} ({})", RoleKind::Laerer.label_da(), school.name);
                    view! {
                        <li>
                            {label.clone()}" "
                            <ActionForm action=revoke_teacher attr:class="inline-form">
                                <input type="hidden" name="user_id" value=id />
                                <button type="submit" class="link-button" aria-label=format!("Fjern rollen {label}")>
                                    {tr(i18n, |l| td_string!(l, admin_revoke))}
                                </button>
                            </ActionForm>
                        </li>
                    }
                })}
            </ul>
            <details>
                <summary>{tr(i18n, |l| td_string!(l, admin_grant))}</summary>
                <ActionForm action=grant attr:class="form">
                    <input type="hidden" name="user_id" value=id />
                    <div class="field">
                        <label for=format!("role-{id}")>{tr(i18n, |l| td_string!(l, admin_role))}</label>
                        <select id=format!("role-{id}") name="role">
                            {RoleKind::ALL.into_iter().map(|r| view! {
                                <option value=r.as_str()>{r.label_da()}</option>
                            }).collect_view()}
                        </select>
                    </div>
                    <div class="field">
                        <label for=format!("council-{id}")>{tr(i18n, |l| td_string!(l, admin_council))}</label>
                        <select id=format!("council-{id}") name="council_id">
                            <option value="">"—"</option>
                            {councils.into_iter().map(|c| view! {
                                <option value=c.id.0>{c.name}</option>
                            }).collect_view()}
                        </select>
                    </div>
                    <div class="field">
                        <label for=format!("school-{id}")>{tr(i18n, |l| td_string!(l, admin_teacher_school))}</label>
                        <select id=format!("school-{id}") name="school_id" aria-describedby=format!("school-{id}-hint")>
                            <option value="">"—"</option>
                            {schools.into_iter().map(|s| view! {
                                <option value=s.id.0>{s.name}</option>
                            }).collect_view()}
                        </select>
                        <p class="hint" id=format!("school-{id}-hint")>{tr(i18n, |l| td_string!(l, admin_teacher_school_hint))}</p>
                    </div>
                    <div class="field">
                        <label for=format!("ts-{id}")>{tr(i18n, |l| td_string!(l, admin_term_start))}</label>
                        <input id=format!("ts-{id}") name="term_start" inputmode="numeric" maxlength="4" />
                    </div>
                    <div class="field">
                        <label for=format!("te-{id}")>{tr(i18n, |l| td_string!(l, admin_term_end))}</label>
                        <input id=format!("te-{id}") name="term_end" inputmode="numeric" maxlength="4" />
                    </div>
                    <button type="submit" class="button">{tr(i18n, |l| td_string!(l, admin_grant))}</button>
                </ActionForm>
            </details>
        </li>
    }
}
