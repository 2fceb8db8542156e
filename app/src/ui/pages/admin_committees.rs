//! Administration › Udvalg: committees (create, rename, archive) and their politicians,
//! seated and unseated with dates.
use crate::api::setup::{
    admin_committees, ArchiveCommittee, CreateAdult, CreateCommittee, RenameCommittee,
    SeatPolitician, UnseatPolitician,
};
use crate::domain::error::AppError;
use crate::domain::setup::CommitteeAdmin;
use crate::i18n::*;
use crate::ui::auth::action_error;
use crate::ui::components::admin_nav::AdminNav;
use crate::ui::components::form::{Field, FormError};
use crate::ui::pages::admin_councils::term_text;
use crate::ui::pages::admin_setup::pick;
use crate::ui::tr::is_en;
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn AdminCommitteesPage() -> impl IntoView {
    let i18n = use_i18n();
    let create = ServerAction::<CreateCommittee>::new();
    let rename = ServerAction::<RenameCommittee>::new();
    let archive = ServerAction::<ArchiveCommittee>::new();
    let seat = ServerAction::<SeatPolitician>::new();
    let unseat = ServerAction::<UnseatPolitician>::new();
    let adult = ServerAction::<CreateAdult>::new();
    let adult_error = action_error(adult);
    let create_error = action_error(create);
    let rename_error = action_error(rename);
    let seat_error = action_error(seat);
    let other_error = Signal::derive(move || {
        archive
            .value()
            .get()
            .and_then(|r| r.err())
            .or_else(|| unseat.value().get().and_then(|r| r.err()))
    });
    let committees = Resource::new(
        move || {
            (
                create.version().get(),
                rename.version().get(),
                archive.version().get(),
                seat.version().get(),
                unseat.version().get(),
            )
        },
        |_| admin_committees(),
    );
    let query = leptos_router::hooks::use_query_map();
    let saved = move || query.read().get("gemt").is_some();
    view! {
        <Title text=move || pick(is_en(i18n), "Udvalg", "Committees").to_owned() />
        <AdminNav />
        <h1>{move || pick(is_en(i18n), "Udvalg og politikere", "Committees and politicians")}</h1>
        {move || saved().then(|| view! { <p class="success" role="status">{pick(is_en(i18n), "Gemt.", "Saved.")}</p> })}
        <FormError error=other_error />
        <Suspense fallback=|| view! { <p>"…"</p> }>
            {move || {
                let en = is_en(i18n);
                let list = committees.get().map(|r| r.unwrap_or_default()).unwrap_or_default();
                view! {
                    {list.is_empty().then(|| view! {
                        <p class="empty">{pick(en, "Der er ingen udvalg endnu. Opret det udvalg, der svarer på de unges forslag.", "There are no committees yet. Create the committee that answers young people's proposals.")}</p>
                    })}
                    <ul class="cards" data-testid="admin-committees">
                        {list.into_iter().map(|c| committee_card(c, en, rename, archive, seat, unseat, rename_error, seat_error)).collect_view()}
                    </ul>
                    <h2 id="nyt-udvalg">{pick(en, "Opret et udvalg", "Create a committee")}</h2>
                    <ActionForm action=create attr:class="form">
                        <FormError error=create_error />
                        <Field name="name" label=move || pick(en, "Udvalgets navn (fx Børne- og Ungeudvalget)", "The committee's name (e.g. Børne- og Ungeudvalget)") error=create_error required=true maxlength=120 />
                        <button type="submit" class="button">{pick(en, "Opret udvalget", "Create the committee")}</button>
                    </ActionForm>
                    <h2 id="ny-konto">{pick(en, "Opret en konto til en politiker", "Create an account for a politician")}</h2>
                    <p>{pick(en, "Politikere og andre voksne opretter sig ikke selv. Giv personen adgangskoden, og bed dem skifte den under Konto.",
                        "Politicians and other adults do not sign up themselves. Give the person the password and ask them to change it under Account.")}</p>
                    <ActionForm action=adult attr:class="form">
                        <FormError error=adult_error />
                        {move || (matches!(adult.value().get(), Some(Ok(()))) || query.read().get("gemt").is_some_and(|v| v == "konto")).then(|| view! { <p class="success" role="status">{pick(en, "Kontoen er oprettet.", "The account is created.")}</p> })}
                        <Field id="f-adult-first_name" name="first_name" label=move || pick(en, "Fornavn", "First name") error=adult_error required=true maxlength=50 />
                        <Field id="f-adult-birth_year" name="birth_year" label=move || pick(en, "Fødselsår", "Year of birth") error=adult_error inputmode="numeric" required=true maxlength=4 />
                        <Field id="f-adult-email" name="email" kind="email" label=move || pick(en, "E-mail", "E-mail") error=adult_error required=true />
                        <Field id="f-adult-password" name="password" kind="password" autocomplete="new-password" label=move || pick(en, "Første adgangskode (mindst 10 tegn)", "First password (at least 10 characters)") error=adult_error required=true minlength=10 />
                        <button type="submit" class="button">{pick(en, "Opret kontoen", "Create the account")}</button>
                    </ActionForm>
                }
            }}
        </Suspense>
    }
}

#[allow(clippy::too_many_arguments)]
fn committee_card(
    c: CommitteeAdmin,
    en: bool,
    rename: ServerAction<RenameCommittee>,
    archive: ServerAction<ArchiveCommittee>,
    seat: ServerAction<SeatPolitician>,
    unseat: ServerAction<UnseatPolitician>,
    rename_error: Signal<Option<AppError>>,
    seat_error: Signal<Option<AppError>>,
) -> impl IntoView {
    let id = c.id;
    let (active, past): (Vec<_>, Vec<_>) = c
        .members
        .into_iter()
        .partition(|m| m.ends_on.is_none() || m.active);
    let name = c.name.clone();
    view! {
        <li class="card" id=format!("udvalg-{id}") data-testid="admin-committee">
            <h2>{c.name.clone()}</h2>
            <p>
                {if c.is_default { pick(en, "Svarer som udgangspunkt på forslag.", "Answers proposals by default.") } else { "" }}
                {c.archived.then(|| pick(en, " Arkiveret.", " Archived."))}
            </p>
            <h3>{pick(en, "Politikere", "Politicians")}</h3>
            {if active.is_empty() {
                view! { <p class="empty">{pick(en, "Ingen politikere endnu: ingen kan svare på forslag sendt hertil.", "No politicians yet: nobody can answer proposals sent here.")}</p> }.into_any()
            } else {
                view! {
                    <ul data-testid="admin-committee-members">
                        {active.into_iter().map(|m| {
                            let user = m.user_id.0;
                            view! {
                                <li>
                                    {m.first_name.clone()} " " {pick(en, "fra", "from")} " " {m.starts_on.format("%d.%m.%Y").to_string()}
                                    {m.ends_on.map(|e| format!(" {} {}", pick(en, "til", "until"), e.format("%d.%m.%Y")))}
                                    {(!c.archived && m.ends_on.is_none()).then(|| view! {
                                        <ActionForm action=unseat attr:class="inline-form">
                                            <input type="hidden" name="committee_id" value=id />
                                            <input type="hidden" name="user_id" value=user />
                                            <button type="submit" class="button button--secondary">
                                                {pick(en, "Udtræder i dag", "Leaves today")}
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
                    <summary>{pick(en, "Tidligere politikere", "Former politicians")}</summary>
                    <ul>{past.into_iter().map(|m| view! { <li>{m.first_name.clone()} " " {term_text(&m)}</li> }).collect_view()}</ul>
                </details>
            })}
            {(!c.archived).then(|| view! {
                <details open=move || seat_error.get().is_some()>
                    <summary>{pick(en, "Indsæt en politiker", "Seat a politician")}<span class="visually-hidden">{format!(" – {name}")}</span></summary>
                    <ActionForm action=seat attr:class="form">
                        <FormError error=seat_error />
                        <input type="hidden" name="committee_id" value=id />
                        <Field id=format!("f-email-{id}") name="email" kind="email" label=move || pick(en, "Politikerens e-mailadresse (skal have en konto)", "The politician's e-mail (needs an account)") error=seat_error required=true />
                        <Field id=format!("f-starts_on-{id}") name="starts_on" kind="date" label=move || pick(en, "Første dag i udvalget", "First day on the committee") error=seat_error required=true />
                        <button type="submit" class="button">{pick(en, "Indsæt", "Seat")}</button>
                    </ActionForm>
                </details>
                <details open=move || rename_error.get().is_some()>
                    <summary>{pick(en, "Omdøb eller arkivér", "Rename or archive")}<span class="visually-hidden">{format!(" – {}", c.name)}</span></summary>
                    <ActionForm action=rename attr:class="form">
                        <FormError error=rename_error />
                        <input type="hidden" name="committee_id" value=id />
                        <Field id=format!("f-name-{id}") name="name" label=move || pick(en, "Navn", "Name") error=rename_error required=true maxlength=120 value=c.name.clone() />
                        <button type="submit" class="button">{pick(en, "Gem", "Save")}</button>
                    </ActionForm>
                    <ActionForm action=archive attr:class="inline-form">
                        <input type="hidden" name="committee_id" value=id />
                        <button type="submit" class="button button--secondary">{pick(en, "Arkivér udvalget", "Archive the committee")}</button>
                    </ActionForm>
                </details>
            })}
        </li>
    }
}
