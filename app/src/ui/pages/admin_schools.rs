//! Administration › Skoler og elever: add schools (each with its elevråd) and pupils.
use crate::api::admin::{list_schools, CreatePupil, CreateSchool};
use crate::api::setup::{admin_schools, ArchiveSchool, RenameSchool, SetSchoolInstitution};
use crate::domain::error::AppError;
use crate::i18n::*;
use crate::ui::auth::action_error;
use crate::ui::components::admin_nav::AdminNav;
use crate::ui::components::form::{Field, FormError};
use crate::ui::pages::admin_setup::pick;
use crate::ui::tr::is_en;
use crate::ui::tr::{tr, trs};
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn AdminSchoolsPage() -> impl IntoView {
    let i18n = use_i18n();
    let create_school = ServerAction::<CreateSchool>::new();
    let create_pupil = ServerAction::<CreatePupil>::new();
    let school_error = action_error(create_school);
    let pupil_error = action_error(create_pupil);
    let rename = ServerAction::<RenameSchool>::new();
    let archive = ServerAction::<ArchiveSchool>::new();
    let institution = ServerAction::<SetSchoolInstitution>::new();
    let institution_error = action_error(institution);
    let rename_error = action_error(rename);
    let archive_error = action_error(archive);
    let schools = Resource::new(
        move || {
            (
                create_school.version().get(),
                rename.version().get(),
                archive.version().get(),
            )
        },
        |_| list_schools(),
    );
    let all_schools = Resource::new(
        move || {
            (
                create_school.version().get(),
                rename.version().get(),
                archive.version().get(),
                institution.version().get(),
            )
        },
        |_| admin_schools(),
    );
    let query = leptos_router::hooks::use_query_map();
    let saved_now = move |what: &str| query.read().get("gemt").is_some_and(|v| v == what);
    let saved = |ok: Option<Result<(), AppError>>| matches!(ok, Some(Ok(())));
    view! {
        <Title text=trs(i18n, |l| td_string!(l, admin_schools_title))() />
        <AdminNav />
        <h1>{tr(i18n, |l| td_string!(l, admin_schools_title))}</h1>
        <Transition fallback=move || view! { <p>{tr(i18n, |l| td_string!(l, loading))}</p> }>
            <FormError error=archive_error />
            <ul class="cards" data-testid="admin-schools">
                {move || {
                    let en = is_en(i18n);
                    all_schools.get().and_then(|r| r.ok()).unwrap_or_default().into_iter().map(|s| {
                        let id = s.id.0;
                        view! {
                            <li class="card">
                                <strong>{s.name.clone()}</strong>
                                {s.archived.then(|| pick(en, " (arkiveret)", " (archived)"))}
                                {s.institution_number.clone().map(|n| view! { <span class="meta">{format!(" · {n}")}</span> })}
                                {(!s.archived).then(|| view! {
                                    <ActionForm action=institution attr:class="form form--compact" attr:id=format!("institution-{id}")>
                                        <FormError error=institution_error />
                                        <input type="hidden" name="school_id" value=id />
                                        <Field id=format!("f-institution-{id}") name="institution_number"
                                            label=move || tr(i18n, |l| td_string!(l, admin_school_institution))
                                            hint=move || tr(i18n, |l| td_string!(l, admin_school_institution_hint))
                                            error=institution_error maxlength=40 value=s.institution_number.clone().unwrap_or_default() />
                                        <button type="submit" class="button button--secondary">{tr(i18n, |l| td_string!(l, admin_school_institution_save))}</button>
                                    </ActionForm>
                                })}
                                {(!s.archived).then(|| view! {
                                    <details open=move || rename_error.get().is_some()>
                                        <summary>{pick(en, "Omdøb eller arkivér", "Rename or archive")}<span class="visually-hidden">{format!(" – {}", s.name)}</span></summary>
                                        <ActionForm action=rename attr:class="form">
                                            <FormError error=rename_error />
                                            <input type="hidden" name="school_id" value=id />
                                            <Field id=format!("f-name-{id}") name="name" label=move || pick(en, "Nyt navn", "New name") error=rename_error required=true maxlength=100 value=s.name.clone() />
                                            <button type="submit" class="button">{pick(en, "Omdøb", "Rename")}</button>
                                        </ActionForm>
                                        <ActionForm action=archive attr:class="inline-form">
                                            <input type="hidden" name="school_id" value=id />
                                            <p class="hint">{pick(en, "Skolen og dens elevråd arkiveres; historikken forbliver.", "The school and its student council are archived; their history stays.")}</p>
                                            <button type="submit" class="button button--secondary">{pick(en, "Arkivér skolen", "Archive the school")}</button>
                                        </ActionForm>
                                    </details>
                                })}
                            </li>
                        }
                    }).collect_view()
                }}
            </ul>
        </Transition>
        <h2>{tr(i18n, |l| td_string!(l, admin_add_school))}</h2>
        <ActionForm action=create_school attr:class="form">
            <FormError error=school_error />
            {move || (saved(create_school.value().get()) || saved_now("skole")).then(|| view! { <p class="success" role="status">{tr(i18n, |l| td_string!(l, admin_saved))}</p> })}
            <Field name="name" label=move || tr(i18n, |l| td_string!(l, admin_school_name)) error=school_error required=true maxlength=100 />
            <button type="submit" class="button">{tr(i18n, |l| td_string!(l, admin_add_school))}</button>
        </ActionForm>

        <h2>{tr(i18n, |l| td_string!(l, admin_add_pupil_title))}</h2>
        <p>{tr(i18n, |l| td_string!(l, admin_add_pupil_lead))}</p>
        <ActionForm action=create_pupil attr:class="form">
            <FormError error=pupil_error />
            {move || (saved(create_pupil.value().get()) || saved_now("elev")).then(|| view! { <p class="success" role="status">{tr(i18n, |l| td_string!(l, admin_saved))}</p> })}
            <Field name="first_name" label=move || tr(i18n, |l| td_string!(l, field_first_name)) error=pupil_error required=true maxlength=50 />
            <Field name="birth_year" label=move || tr(i18n, |l| td_string!(l, field_birth_year)) error=pupil_error inputmode="numeric" required=true maxlength=4 />
            <Field name="email" label=move || tr(i18n, |l| td_string!(l, field_email)) error=pupil_error kind="email" required=true />
            <Field name="password" label=move || tr(i18n, |l| td_string!(l, field_password)) error=pupil_error kind="password"
                autocomplete="new-password" required=true minlength=10 />
            <div class="field">
                <label for="f-school_id">{tr(i18n, |l| td_string!(l, admin_school))}</label>
                <select id="f-school_id" name="school_id" required>
                    <Transition fallback=|| ()>
                        {move || schools.get().and_then(|r| r.ok()).unwrap_or_default().into_iter()
                            .map(|s| view! { <option value=s.id.0>{s.name}</option> }).collect_view()}
                    </Transition>
                </select>
            </div>
            <button type="submit" class="button">{tr(i18n, |l| td_string!(l, admin_add_pupil))}</button>
        </ActionForm>
    }
}
