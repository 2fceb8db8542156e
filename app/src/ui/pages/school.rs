//! Min skole (`/skole`): a teacher's (Lærer) school and its pupils whose accounts await
//! confirmation, each with a plain "Bekræft" form (works without JavaScript). Who may
//! confirm whom is `domain::teacher::may_confirm`, which the server function applies.
use crate::api::admin::ConfirmUser;
use crate::api::teachers::school_pupils;
use crate::domain::error::AppError;
use crate::domain::ids::UserId;
use crate::domain::teacher::PendingPupil;
use crate::i18n::*;
use crate::ui::error_text::shown;
use crate::ui::format::date;
use crate::ui::tr::{is_en, tr, trs};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

#[component]
pub fn SchoolPage() -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let before = move || {
        query
            .read()
            .get("foer")
            .and_then(|v| v.parse::<UserId>().ok())
    };
    let confirm = ServerAction::<ConfirmUser>::new();
    let page = Resource::new(
        move || (before(), confirm.version().get()),
        |(before, _)| school_pupils(before),
    );
    let done = move || matches!(confirm.value().get(), Some(Ok(())));
    let error = move || confirm.value().get().and_then(|r| r.err());
    view! {
        <Title text=trs(i18n, |l| td_string!(l, school_title))() />
        <h1>{tr(i18n, |l| td_string!(l, school_title))}</h1>
        {move || done().then(|| view! { <p class="success" role="status">{tr(i18n, |l| td_string!(l, school_confirmed))}</p> })}
        {move || error().map(|e| view! { <p class="form-error" role="alert">{shown(&e)}</p> })}
        <Transition fallback=move || view! { <p>{tr(i18n, |l| td_string!(l, loading))}</p> }>
            {move || page.get().map(|result| match result {
                Err(AppError::Unauthenticated | AppError::Forbidden) => view! {
                    <p class="notice">{tr(i18n, |l| td_string!(l, school_no_access))}</p>
                }.into_any(),
                Err(e) => view! { <p class="form-error" role="alert">{shown(&e)}</p> }.into_any(),
                Ok(page) => {
                    let next = page.next.map(|n| format!("/skole?foer={n}"));
                    let empty = page.pupils.is_empty();
                    view! {
                        <p class="lead">{page.school.clone()}</p>
                        <p>{tr(i18n, |l| td_string!(l, school_lead))}</p>
                        {empty.then(|| view! { <p class="empty">{tr(i18n, |l| td_string!(l, school_none))}</p> })}
                        <ul class="cards">
                            {page.pupils.into_iter().map(|p| view! { <PupilCard pupil=p confirm /> }).collect_view()}
                        </ul>
                        {next.map(|href| view! {
                            <p><a href=href rel="next">{tr(i18n, |l| td_string!(l, admin_next_page))}" →"</a></p>
                        })}
                    }.into_any()
                }
            })}
        </Transition>
    }
}

#[component]
fn PupilCard(pupil: PendingPupil, confirm: ServerAction<ConfirmUser>) -> impl IntoView {
    let i18n = use_i18n();
    let id = pupil.id.0;
    let heading = format!("p-{id}");
    let created = pupil.created_at;
    view! {
        <li class="card">
            <h2 class="card__title" id=heading>{pupil.first_name.clone()}</h2>
            <p class="meta">
                {(!pupil.email.is_empty()).then(|| format!("{} · ", pupil.email))}
                {pupil.birth_year.map(|y| format!("{y} · "))}
                {tr(i18n, |l| td_string!(l, school_signed_up))}" "{move || date(created, is_en(i18n))}
            </p>
            <ActionForm action=confirm attr:class="inline-form">
                <input type="hidden" name="user_id" value=id />
                <button type="submit" class="button">
                    {tr(i18n, |l| td_string!(l, school_confirm))}
                    <span class="visually-hidden">" "{pupil.first_name.clone()}</span>
                </button>
            </ActionForm>
        </li>
    }
}
