//! The mail choices on `/konto` (section `#mail`): how often for each kind of mail, and in
//! which language. A plain form (works without JavaScript).
use crate::api::mail::{mail_prefs, SaveMailPrefs};
use crate::domain::error::AppError;
use crate::domain::mail::{MailChoices, MailMode};
use crate::i18n::*;
use crate::ui::auth::action_error;
use crate::ui::components::form::{flashed, FormError};
use crate::ui::error_text::shown;
use crate::ui::tr::{tr, Key};
use leptos::prelude::*;

fn mode_label(mode: MailMode) -> Key {
    match mode {
        MailMode::None => |l| td_string!(l, mail_mode_none),
        MailMode::Instant => |l| td_string!(l, mail_mode_instant),
        MailMode::Daily => |l| td_string!(l, mail_mode_daily),
        MailMode::Weekly => |l| td_string!(l, mail_mode_weekly),
    }
}

/// The `#mail` section of `/konto`.
#[component]
pub fn MailPrefsSection() -> impl IntoView {
    let i18n = use_i18n();
    let save = ServerAction::<SaveMailPrefs>::new();
    let error = action_error(save);
    let prefs = Resource::new(move || save.version().get(), |_| mail_prefs());
    let query = leptos_router::hooks::use_query_map();
    let saved = move || {
        matches!(save.value().get(), Some(Ok(())))
            || query.read().get("post").is_some_and(|v| v == "gemt")
    };
    view! {
        <section id="mail" aria-labelledby="mail-title">
            <h2 id="mail-title">{tr(i18n, |l| td_string!(l, mail_title))}</h2>
            <p>{tr(i18n, |l| td_string!(l, mail_lead))}</p>
            <Transition fallback=move || view! { <p>{tr(i18n, |l| td_string!(l, loading))}</p> }>
                {move || prefs.get().map(|result| match result {
                    Ok(choices) => view! {
                        <ActionForm action=save attr:class="form" attr:id="mail-form">
                            <FormError error />
                            {move || saved().then(|| view! {
                                <p class="success" role="status">{tr(i18n, |l| td_string!(l, mail_saved))}</p>
                            })}
                            <MailChoicesFields choices error />
                            <button type="submit" class="button">{tr(i18n, |l| td_string!(l, mail_save))}</button>
                        </ActionForm>
                    }.into_any(),
                    Err(e) => view! { <p class="form-error">{shown(&e)}</p> }.into_any(),
                })}
            </Transition>
        </section>
    }
}

#[component]
fn MailChoicesFields(choices: MailChoices, error: Signal<Option<AppError>>) -> impl IntoView {
    let i18n = use_i18n();
    let lang = flashed("lang").unwrap_or(choices.lang.clone());
    view! {
        <ModeGroup name="updates" legend=|l| td_string!(l, mail_updates_legend) current=choices.updates error />
        {choices.deadline_reminders.then(|| view! {
            <ModeGroup name="deadlines" legend=|l| td_string!(l, mail_deadlines_legend) current=choices.deadlines error />
        })}
        <p class="hint" id="mail-modes-hint">{tr(i18n, |l| td_string!(l, mail_modes_explained))}</p>
        <fieldset aria-describedby="f-lang-error">
            <legend>{tr(i18n, |l| td_string!(l, mail_lang_legend))}</legend>
            <div class="check">
                <input type="radio" id="mail-lang-da" name="lang" value="da" required checked=lang != "en" />
                <label for="mail-lang-da">{tr(i18n, |l| td_string!(l, mail_lang_da))}</label>
            </div>
            <div class="check">
                <input type="radio" id="mail-lang-en" name="lang" value="en" required checked=lang == "en" />
                <label for="mail-lang-en">{tr(i18n, |l| td_string!(l, mail_lang_en))}</label>
            </div>
            <FieldError name="lang" error />
        </fieldset>
    }
}

/// One radio group: none / at once / daily / weekly.
#[component]
fn ModeGroup(
    name: &'static str,
    legend: Key,
    current: MailMode,
    error: Signal<Option<AppError>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let current = flashed(name)
        .and_then(|v| MailMode::parse(&v))
        .unwrap_or(current);
    view! {
        <fieldset aria-describedby=format!("f-{name}-error mail-modes-hint")>
            <legend>{tr(i18n, legend)}</legend>
            {MailMode::ALL.into_iter().map(|mode| {
                let id = format!("mail-{name}-{}", mode.as_str());
                view! {
                    <div class="check">
                        <input type="radio" id=id.clone() name=name value=mode.as_str() required
                            checked=mode == current />
                        <label for=id>{tr(i18n, mode_label(mode))}</label>
                    </div>
                }
            }).collect_view()}
            <FieldError name error />
        </fieldset>
    }
}

#[component]
fn FieldError(name: &'static str, error: Signal<Option<AppError>>) -> impl IntoView {
    let message = move || {
        error
            .get()
            .filter(|e| e.field() == Some(name))
            .map(|e| shown(&e))
    };
    view! { <p class="field-error" id=format!("f-{name}-error") aria-live="polite">{message}</p> }
}
