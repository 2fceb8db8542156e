//! Form fields with their label, hint and error, wired for screen readers.
use crate::domain::error::AppError;
use crate::ui::error_text::shown;
use crate::ui::islands::ReadabilityHint;
use leptos::prelude::*;

pub use crate::domain::form::FormFlash;

/// The refused value of field `name` in this request, if any (server-side rendering only:
/// forms are never rendered in the browser).
pub fn flashed(name: &str) -> Option<String> {
    #[cfg(feature = "ssr")]
    {
        use_context::<http::request::Parts>()
            .and_then(|p| p.extensions.get::<FormFlash>().cloned())
            .and_then(|f| f.0.get(name).cloned())
    }
    #[cfg(not(feature = "ssr"))]
    {
        let _ = name;
        None
    }
}

/// A labelled input. The error for `name` (from the server) is shown under it and
/// announced; `aria-invalid` and `aria-describedby` follow.
#[component]
pub fn Field(
    name: &'static str,
    #[prop(into)] label: ViewFn,
    #[prop(into)] error: Signal<Option<AppError>>,
    #[prop(optional)] kind: Option<&'static str>,
    #[prop(optional)] autocomplete: Option<&'static str>,
    #[prop(optional)] inputmode: Option<&'static str>,
    #[prop(optional)] required: bool,
    #[prop(optional)] minlength: Option<u32>,
    #[prop(optional)] maxlength: Option<u32>,
    #[prop(optional, into)] hint: Option<ViewFn>,
    #[prop(optional, into)] value: Option<String>,
    /// The input's id when one page has several forms with this field (default `f-{name}`).
    #[prop(optional, into)]
    id: Option<String>,
) -> impl IntoView {
    let id = id.unwrap_or_else(|| format!("f-{name}"));
    let hint_id = format!("{id}-hint");
    let error_id = format!("{id}-error");
    let value = flashed(name).or(value);
    let message = move || {
        error
            .get()
            .filter(|e| e.field() == Some(name))
            .map(|e| shown(&e))
    };
    let described = if hint.is_some() {
        format!("{hint_id} {error_id}")
    } else {
        error_id.clone()
    };
    view! {
        <div class="field" class:field--invalid=move || message().is_some()>
            <label for=id.clone()>{label.run()}</label>
            {hint.map(|h| view! { <p class="hint" id=hint_id.clone()>{h.run()}</p> })}
            <input
                id=id.clone()
                name=name
                type=kind.unwrap_or("text")
                autocomplete=autocomplete
                inputmode=inputmode
                required=required
                minlength=minlength
                maxlength=maxlength
                value=value
                aria-describedby=described
                aria-invalid=move || if message().is_some() { "true" } else { "false" }
            />
            <p class="field-error" id=error_id aria-live="polite">{message}</p>
        </div>
    }
}

/// An error that belongs to no single field (rate limit, no access, server trouble).
#[component]
pub fn FormError(#[prop(into)] error: Signal<Option<AppError>>) -> impl IntoView {
    move || {
        error
            .get()
            .filter(|e| e.field().is_none())
            .map(|e| view! { <p class="form-error" role="alert">{shown(&e)}</p> })
    }
}

/// The id, hint/error ids and live error message of a field named `name`.
fn wiring(
    name: &'static str,
    error: Signal<Option<AppError>>,
    has_hint: bool,
) -> (
    String,
    String,
    String,
    String,
    impl Fn() -> Option<String> + Copy + Send + Sync,
) {
    let id = format!("f-{name}");
    let hint_id = format!("{id}-hint");
    let error_id = format!("{id}-error");
    let described = if has_hint {
        format!("{hint_id} {error_id}")
    } else {
        error_id.clone()
    };
    let message = move || {
        error
            .get()
            .filter(|e| e.field() == Some(name))
            .map(|e| shown(&e))
    };
    (id, hint_id, error_id, described, message)
}

/// A labelled multi-line text field, wired like [`Field`].
#[component]
pub fn TextArea(
    name: &'static str,
    #[prop(into)] label: ViewFn,
    #[prop(into)] error: Signal<Option<AppError>>,
    #[prop(optional)] required: bool,
    #[prop(optional)] minlength: Option<u32>,
    #[prop(optional)] maxlength: Option<u32>,
    #[prop(optional)] rows: Option<u32>,
    #[prop(optional, into)] hint: Option<ViewFn>,
    #[prop(optional, into)] value: Option<String>,
    /// Shows the live plain-language hint ([`ReadabilityHint`]) under the field: for
    /// explanations and reasons written to young readers.
    #[prop(optional)]
    readability: bool,
) -> impl IntoView {
    let (id, hint_id, error_id, described, message) = wiring(name, error, hint.is_some());
    let described = if readability {
        format!("{described} {id}-lix")
    } else {
        described
    };
    let lix = readability.then(|| {
        let en = crate::ui::tr::is_en(crate::i18n::use_i18n());
        view! { <ReadabilityHint target=id.clone() en /> }
    });
    let value = flashed(name).or(value);
    view! {
        <div class="field" class:field--invalid=move || message().is_some()>
            <label for=id.clone()>{label.run()}</label>
            {hint.map(|h| view! { <p class="hint" id=hint_id.clone()>{h.run()}</p> })}
            <textarea
                id=id.clone()
                name=name
                required=required
                minlength=minlength
                maxlength=maxlength
                rows=rows.unwrap_or(6)
                aria-describedby=described
                aria-invalid=move || if message().is_some() { "true" } else { "false" }
            >{value.unwrap_or_default()}</textarea>
            {lix}
            <p class="field-error" id=error_id aria-live="polite">{message}</p>
        </div>
    }
}

/// A labelled drop-down. `options` are (value, label); `selected` is preselected.
#[component]
pub fn Select(
    name: &'static str,
    #[prop(into)] label: ViewFn,
    #[prop(into)] error: Signal<Option<AppError>>,
    options: Vec<(String, String)>,
    #[prop(optional, into)] selected: Option<String>,
    #[prop(optional)] required: bool,
    /// The select's id when one page has several forms with this field.
    #[prop(optional, into)]
    id: Option<String>,
) -> impl IntoView {
    let (default_id, _hint_id, _, _, message) = wiring(name, error, false);
    let id = id.unwrap_or(default_id);
    let error_id = format!("{id}-error");
    let described = error_id.clone();
    let selected = flashed(name).or(selected);
    view! {
        <div class="field" class:field--invalid=move || message().is_some()>
            <label for=id.clone()>{label.run()}</label>
            <select
                id=id.clone()
                name=name
                required=required
                aria-describedby=described
                aria-invalid=move || if message().is_some() { "true" } else { "false" }
            >
                {options.into_iter().map(|(value, text)| {
                    let on = selected.as_deref() == Some(value.as_str());
                    view! { <option value=value selected=on>{text}</option> }
                }).collect_view()}
            </select>
            <p class="field-error" id=error_id aria-live="polite">{message}</p>
        </div>
    }
}
