//! Administration › Opsætning: the checklist of what is still missing before young people
//! can use the site, each with a link to its fix, and the municipality's profile.
use crate::api::setup::{get_setup, SaveProfile};
use crate::domain::setup::{ChecklistItem, SetupView};
use crate::i18n::*;
use crate::ui::auth::action_error;
use crate::ui::components::admin_nav::AdminNav;
use crate::ui::components::form::{Field, FormError, Select};
use crate::ui::error_text::shown;
use crate::ui::tr::is_en;
use leptos::prelude::*;
use leptos_meta::Title;

/// Danish or English, for texts of the coordinator's pages.
pub fn pick(en: bool, da: &'static str, english: &'static str) -> &'static str {
    if en {
        english
    } else {
        da
    }
}

#[component]
pub fn AdminSetupPage() -> impl IntoView {
    let i18n = use_i18n();
    let save = ServerAction::<SaveProfile>::new();
    let error = action_error(save);
    let setup = Resource::new(move || save.version().get(), |_| get_setup());
    let query = leptos_router::hooks::use_query_map();
    let saved = move || {
        matches!(save.value().get(), Some(Ok(())))
            || query.read().get("gemt").is_some_and(|v| v == "profil")
    };
    view! {
        <Title text=move || pick(is_en(i18n), "Opsætning", "Setup").to_owned() />
        <AdminNav />
        <Suspense fallback=|| view! { <p>"…"</p> }>
            {move || setup.get().map(|r| match r {
                Err(e) => view! { <p class="form-error" role="alert">{shown(&e)}</p> }.into_any(),
                Ok(v) => page(v, is_en(i18n), save, error, saved).into_any(),
            })}
        </Suspense>
    }
}

fn page(
    v: SetupView,
    en: bool,
    save: ServerAction<SaveProfile>,
    error: Signal<Option<crate::domain::error::AppError>>,
    saved: impl Fn() -> bool + Send + Sync + 'static,
) -> impl IntoView {
    let missing = v.missing();
    let counts = v.counts;
    let p = v.profile.clone();
    let mut committees: Vec<(String, String)> =
        vec![(String::new(), pick(en, "— vælg —", "— choose —").to_owned())];
    committees.extend(
        v.committees
            .iter()
            .map(|(id, n)| (id.to_string(), n.clone())),
    );
    view! {
        <h1>{pick(en, "Opsætning af Stemme", "Setting up Stemme")}</h1>
        <p class="lead" data-testid="setup-summary">
            {if missing == 0 {
                pick(en, "Alt er på plads: unge kan sende forslag, rådet kan behandle dem, og politikerne kan svare.",
                    "Everything is in place: young people can send proposals, the council can handle them and politicians can answer.").to_owned()
            } else if en {
                format!("{missing} steps are still missing before young people can use the site.")
            } else {
                format!("Der mangler stadig {missing} trin, før unge kan bruge siden.")
            }}
        </p>
        <ol class="checklist" data-testid="checklist">
            {ChecklistItem::ALL.into_iter().map(|item| {
                let done = item.done(&counts);
                view! {
                    <li class:done=done data-testid=format!("check-{}", item.key()) data-done=if done { "1" } else { "0" }>
                        <span class="checklist-mark" aria-hidden="true">{if done { "✓" } else { "•" }}</span>
                        <span class="visually-hidden">{if done { pick(en, "Klar: ", "Done: ") } else { pick(en, "Mangler: ", "Missing: ") }}</span>
                        {item.text(done, en)}
                        {(!done).then(|| view! { " " <a href=item.href()>{pick(en, "Ret det her", "Fix it here")}</a> })}
                    </li>
                }
            }).collect_view()}
        </ol>

        <h2 id="profil">{pick(en, "Kommunens profil", "The municipality's profile")}</h2>
        <ActionForm action=save attr:class="form">
            <FormError error=error />
            {move || saved().then(|| view! { <p class="success" role="status">{pick(en, "Profilen er gemt.", "The profile is saved.")}</p> })}
            <Field name="name" label=move || pick(en, "Kommunens navn", "Name of the municipality") error=error required=true maxlength=100 value=p.name.clone() />
            <Field name="accessibility_contact" label=move || pick(en, "Kontakt om tilgængelighed (e-mail eller telefon)", "Accessibility contact (e-mail or phone)")
                error=error required=true maxlength=200 value=p.accessibility_contact.clone() />
            <Field name="answer_weeks" label=move || pick(en, "Svarfrist for politikerne (uger)", "Answer deadline for politicians (weeks)")
                error=error inputmode="numeric" required=true maxlength=2 value=p.answer_weeks.to_string() />
            <Select name="consent_age" label=move || pick(en, "Digital samtykkealder", "Digital consent age") error=error
                options=vec![("15".into(), pick(en, "15 år (samtykke)", "15 years (consent)").into()), ("13".into(), pick(en, "13 år (kommunens myndighedsopgave)", "13 years (public task)").into())]
                selected=p.consent_age.to_string() />
            <Field name="pool_min_age" label=move || pick(en, "Puljens mindstealder for ansøgere", "The pool's minimum applicant age")
                error=error inputmode="numeric" required=true maxlength=2 value=p.pool_min_age.to_string() />
            <Select name="default_committee" label=move || pick(en, "Udvalget der som udgangspunkt svarer på forslag", "Committee that answers proposals by default")
                error=error options=committees selected=p.default_committee.map(|c| c.to_string()).unwrap_or_default() />
            <button type="submit" class="button">{pick(en, "Gem profilen", "Save the profile")}</button>
        </ActionForm>
    }
}
