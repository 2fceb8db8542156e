//! Administration › Råd: create, rename and archive councils, set their age range, and
//! appoint members (with start and end dates), chairs and secretaries.
use crate::api::admin::list_schools;
use crate::api::setup::{
    admin_councils, AppointMember, ArchiveCouncil, CreateCouncil, EndMembership,
    SetCouncilNamesPublic, UpdateCouncil,
};
use crate::domain::account::CouncilKind;
use crate::domain::error::AppError;
use crate::domain::setup::{CouncilAdmin, Membership};
use crate::i18n::*;
use crate::ui::auth::action_error;
use crate::ui::components::admin_nav::AdminNav;
use crate::ui::components::form::{Field, FormError, Select};
use crate::ui::pages::admin_setup::pick;
use crate::ui::tr::is_en;
use leptos::prelude::*;
use leptos_meta::Title;

/// A term as shown: "1. august 2026 – 31. juli 2027" style, numerically.
pub fn term_text(m: &Membership) -> String {
    let end = m
        .ends_on
        .map(|d| d.format("%d.%m.%Y").to_string())
        .unwrap_or_default();
    format!("{} – {end}", m.starts_on.format("%d.%m.%Y"))
}

fn post_text(post: &str, en: bool) -> &'static str {
    match post {
        "chair" => pick(en, "formand", "chair"),
        "secretary" => pick(en, "sekretær", "secretary"),
        _ => pick(en, "medlem", "member"),
    }
}

#[component]
pub fn AdminCouncilsPage() -> impl IntoView {
    let i18n = use_i18n();
    let create = ServerAction::<CreateCouncil>::new();
    let update = ServerAction::<UpdateCouncil>::new();
    let archive = ServerAction::<ArchiveCouncil>::new();
    let appoint = ServerAction::<AppointMember>::new();
    let end = ServerAction::<EndMembership>::new();
    let names = ServerAction::<SetCouncilNamesPublic>::new();
    let create_error = action_error(create);
    let update_error = action_error(update);
    let appoint_error = action_error(appoint);
    let other_error = Signal::derive(move || {
        archive
            .value()
            .get()
            .and_then(|r| r.err())
            .or_else(|| end.value().get().and_then(|r| r.err()))
            .or_else(|| names.value().get().and_then(|r| r.err()))
    });
    let councils = Resource::new(
        move || {
            (
                create.version().get(),
                update.version().get(),
                archive.version().get(),
                appoint.version().get(),
                end.version().get(),
                names.version().get(),
            )
        },
        |_| admin_councils(),
    );
    let schools = Resource::new(|| (), |_| list_schools());
    let query = leptos_router::hooks::use_query_map();
    let saved = move || query.read().get("gemt").is_some();
    view! {
        <Title text=move || pick(is_en(i18n), "Råd", "Councils").to_owned() />
        <AdminNav />
        <h1>{move || pick(is_en(i18n), "Råd og medlemmer", "Councils and members")}</h1>
        {move || saved().then(|| view! { <p class="success" role="status">{pick(is_en(i18n), "Gemt.", "Saved.")}</p> })}
        <FormError error=other_error />
        <Suspense fallback=|| view! { <p>"…"</p> }>
            {move || {
                let en = is_en(i18n);
                let list = councils.get().map(|r| r.unwrap_or_default()).unwrap_or_default();
                let school_options: Vec<(String, String)> = std::iter::once((String::new(), pick(en, "— ingen —", "— none —").to_owned()))
                    .chain(schools.get().and_then(|r| r.ok()).unwrap_or_default().into_iter().map(|s| (s.id.0.to_string(), s.name)))
                    .collect();
                view! {
                    {if list.is_empty() {
                        Some(view! { <p class="empty">{pick(en, "Der er ingen råd endnu. Opret Ungerådet først.", "There are no councils yet. Create the youth council first.")}</p> })
                    } else { None }}
                    <ul class="cards" data-testid="admin-councils">
                        {list.into_iter().map(|c| council_card(c, en, Actions { update, archive, appoint, end, names }, update_error, appoint_error)).collect_view()}
                    </ul>
                    <h2 id="nyt-raad">{pick(en, "Opret et råd", "Create a council")}</h2>
                    <ActionForm action=create attr:class="form">
                        <FormError error=create_error />
                        <Select name="kind" label=move || pick(en, "Slags råd", "Kind of council") error=create_error
                            options=CouncilKind::ALL.iter().map(|k| (k.as_str().to_owned(), k.label(en).to_owned())).collect() />
                        <Field name="name" label=move || pick(en, "Navn (fx Ungerådet)", "Name (e.g. Ungerådet)") error=create_error required=true maxlength=120 />
                        <Select name="school_id" label=move || pick(en, "Skole (kun for et elevråd)", "School (student council only)") error=create_error options=school_options />
                        <Field name="min_age" label=move || pick(en, "Medlemmers laveste alder (valgfri)", "Members' lowest age (optional)") error=create_error inputmode="numeric" maxlength=2 />
                        <Field name="max_age" label=move || pick(en, "Medlemmers højeste alder (valgfri)", "Members' highest age (optional)") error=create_error inputmode="numeric" maxlength=2 />
                        <button type="submit" class="button">{pick(en, "Opret rådet", "Create the council")}</button>
                    </ActionForm>
                }
            }}
        </Suspense>
    }
}

/// The forms on each council's card.
#[derive(Clone, Copy)]
struct Actions {
    update: ServerAction<UpdateCouncil>,
    archive: ServerAction<ArchiveCouncil>,
    appoint: ServerAction<AppointMember>,
    end: ServerAction<EndMembership>,
    names: ServerAction<SetCouncilNamesPublic>,
}

fn council_card(
    c: CouncilAdmin,
    en: bool,
    actions: Actions,
    update_error: Signal<Option<AppError>>,
    appoint_error: Signal<Option<AppError>>,
) -> impl IntoView {
    let Actions {
        update,
        archive,
        appoint,
        end,
        names,
    } = actions;
    let id = c.id.0;
    let names_public = c.names_public;
    let ages = match (c.min_age, c.max_age) {
        (Some(a), Some(b)) => format!("{a}–{b} {}", pick(en, "år", "years")),
        (Some(a), None) => format!(
            "{} {a} {}",
            pick(en, "mindst", "at least"),
            pick(en, "år", "years")
        ),
        (None, Some(b)) => format!(
            "{} {b} {}",
            pick(en, "højst", "at most"),
            pick(en, "år", "years")
        ),
        (None, None) => pick(en, "ingen aldersgrænse", "no age range").to_owned(),
    };
    let (active, past): (Vec<_>, Vec<_>) = c
        .members
        .into_iter()
        .partition(|m| m.active || m.starts_on > chrono::Utc::now().date_naive());
    let name = c.name.clone();
    view! {
        <li class="card" id=format!("raad-{id}") data-testid="admin-council">
            <h2><a href=format!("/raad/{id}")>{c.name.clone()}</a></h2>
            <p>{c.kind.label(en)} " · " {ages} {c.archived.then(|| pick(en, " · arkiveret", " · archived"))}</p>
            <h3>{pick(en, "Medlemmer", "Members")}</h3>
            {if active.is_empty() {
                view! { <p class="empty">{pick(en, "Ingen medlemmer endnu.", "No members yet.")}</p> }.into_any()
            } else {
                view! {
                    <ul data-testid="admin-council-members">
                        {active.into_iter().map(|m| {
                            let user = m.user_id.0;
                            view! {
                                <li>
                                    {m.first_name.clone()} " (" {post_text(&m.post, en)} ") " {term_text(&m)}
                                    {(!c.archived).then(|| view! {
                                        <ActionForm action=end attr:class="inline-form">
                                            <input type="hidden" name="council_id" value=id />
                                            <input type="hidden" name="user_id" value=user />
                                            <button type="submit" class="button button--secondary">
                                                {pick(en, "Afslut perioden", "End the term")}
                                                <span class="visually-hidden">{format!(" {}", m.first_name)}</span>
                                            </button>
                                        </ActionForm>
                                    })}
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                }.into_any()
            }}
            {(!past.is_empty()).then(|| view! {
                <details>
                    <summary>{pick(en, "Tidligere medlemmer", "Former members")}</summary>
                    <ul>{past.into_iter().map(|m| view! { <li>{m.first_name.clone()} " " {term_text(&m)}</li> }).collect_view()}</ul>
                </details>
            })}
            {(!c.archived).then(|| view! {
                // Open again when the server refused an appointment, so its reason shows.
                <details open=move || appoint_error.get().is_some()>
                    <summary>{pick(en, "Udnævn et medlem", "Appoint a member")}<span class="visually-hidden">{format!(" – {name}")}</span></summary>
                    <ActionForm action=appoint attr:class="form">
                        <FormError error=appoint_error />
                        <input type="hidden" name="council_id" value=id />
                        <Field id=format!("f-email-{id}") name="email" kind="email" label=move || pick(en, "Personens e-mailadresse (personen skal have en konto)", "The person's e-mail (they need an account)") error=appoint_error required=true />
                        <Field id=format!("f-starts_on-{id}") name="starts_on" kind="date" label=move || pick(en, "Første dag", "First day") error=appoint_error required=true />
                        <Field id=format!("f-ends_on-{id}") name="ends_on" kind="date" label=move || pick(en, "Sidste dag", "Last day") error=appoint_error required=true />
                        <Select id=format!("f-post-{id}") name="post" label=move || pick(en, "Post", "Post") error=appoint_error
                            options=vec![(String::new(), pick(en, "Medlem", "Member").into()), ("chair".into(), pick(en, "Formand", "Chair").into()), ("secretary".into(), pick(en, "Sekretær", "Secretary").into())] />
                        <button type="submit" class="button">{pick(en, "Udnævn", "Appoint")}</button>
                    </ActionForm>
                </details>
                <ActionForm action=names attr:class="form form--inline" attr:data-testid="council-names-form">
                    <input type="hidden" name="council_id" value=id />
                    <div class="check">
                        <input id=format!("names-public-{id}") name="names_public" type="checkbox" value="1" checked=names_public />
                        <label for=format!("names-public-{id}")>{pick(en,
                            "Vis medlemmernes fornavne, og hvem der stemte hvad, for alle (kun for voksne råd). Ellers ser kun dem, der er logget ind, navnene.",
                            "Show members' first names, and who voted what, to everyone (adult bodies only). Otherwise only signed-in people see the names.")}</label>
                    </div>
                    <button type="submit" class="button button--secondary">{pick(en, "Gem navnevisning", "Save name visibility")}</button>
                </ActionForm>
                <details open=move || update_error.get().is_some()>
                    <summary>{pick(en, "Omdøb eller skift aldersgrænse", "Rename or change the age range")}<span class="visually-hidden">{format!(" – {}", c.name)}</span></summary>
                    <ActionForm action=update attr:class="form">
                        <FormError error=update_error />
                        <input type="hidden" name="council_id" value=id />
                        <Field id=format!("f-name-{id}") name="name" label=move || pick(en, "Navn", "Name") error=update_error required=true maxlength=120 value=c.name.clone() />
                        <Field id=format!("f-min_age-{id}") name="min_age" label=move || pick(en, "Laveste alder", "Lowest age") error=update_error inputmode="numeric" maxlength=2 value=c.min_age.map(|a| a.to_string()).unwrap_or_default() />
                        <Field id=format!("f-max_age-{id}") name="max_age" label=move || pick(en, "Højeste alder", "Highest age") error=update_error inputmode="numeric" maxlength=2 value=c.max_age.map(|a| a.to_string()).unwrap_or_default() />
                        <button type="submit" class="button">{pick(en, "Gem", "Save")}</button>
                    </ActionForm>
                    <ActionForm action=archive attr:class="inline-form">
                        <input type="hidden" name="council_id" value=id />
                        <p class="hint">{pick(en, "Et arkiveret råd slettes ikke: dets møder, afstemninger og beslutninger forbliver offentlige.", "An archived council is not deleted: its meetings, votes and decisions stay public.")}</p>
                        <button type="submit" class="button button--secondary">{pick(en, "Arkivér rådet", "Archive the council")}</button>
                    </ActionForm>
                </details>
            })}
        </li>
    }
}
