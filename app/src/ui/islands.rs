//! Islands: the only components that run in the browser. Everything else is rendered on
//! the server, and every form is a plain HTML form that works without JavaScript, so
//! the wasm bundle stays small. Islands make pages nicer, never possible.
use leptos::prelude::*;

/// Marks the page as hydrated (`<body data-hydrated="true">`); the browser tests wait for it.
#[island]
pub fn HydrationMarker() -> impl IntoView {
    Effect::new(move |_| {
        if let Some(body) = document().body() {
            let _ = body.set_attribute("data-hydrated", "true");
        }
    });
}

/// "Vis adgangskode": shows or hides the password in the input with id `target`.
/// Hidden until hydrated, since it cannot work without JavaScript.
#[island]
pub fn PasswordToggle(target: String, show: String, hide: String) -> impl IntoView {
    let (visible, set_visible) = signal(false);
    let (ready, set_ready) = signal(false);
    Effect::new(move |_| set_ready.set(true));
    let target_for_effect = target.clone();
    Effect::new(move |_| {
        let shown = visible.get();
        if let Some(input) = document().get_element_by_id(&target_for_effect) {
            let _ = input.set_attribute("type", if shown { "text" } else { "password" });
        }
    });
    view! {
        <button
            type="button"
            class="link-button password-toggle"
            hidden=move || !ready.get()
            aria-controls=target
            aria-pressed=move || if visible.get() { "true" } else { "false" }
            on:click=move |_| set_visible.update(|v| *v = !*v)
        >
            {move || if visible.get() { hide.clone() } else { show.clone() }}
        </button>
    }
}

/// A live plain-language hint under a text field (`target` is its id): LIX, long
/// sentences and long words, updated while typing. It advises and never blocks; without
/// JavaScript the field's static hint is all there is.
#[island]
pub fn ReadabilityHint(target: String, en: bool) -> impl IntoView {
    use crate::domain::answer::Readability;
    let (text, set_text) = signal(String::new());
    let target_id = target.clone();
    let handle = window_event_listener(leptos::ev::input, move |ev| {
        if event_target::<leptos::web_sys::Element>(&ev).id() == target_id {
            set_text.set(event_target_value(&ev));
        }
    });
    on_cleanup(move || handle.remove());
    let hint = move || {
        let r = Readability::of(&text.get());
        if r.words < 5 {
            return String::new();
        }
        let long_share = r.long_words * 100 / r.words.max(1);
        let mut out = if en {
            format!(
                "Readability (LIX): {} — {}. Long sentences (over 20 words): {}. Long words: {} %.",
                r.lix,
                r.level(true),
                r.long_sentences,
                long_share
            )
        } else {
            format!(
                "Læsbarhed (LIX): {} — {}. Lange sætninger (over 20 ord): {}. Lange ord: {} %.",
                r.lix,
                r.level(false),
                r.long_sentences,
                long_share
            )
        };
        if r.too_hard() {
            out.push_str(if en {
                " Tip: split long sentences and use everyday words — aim for LIX under 35."
            } else {
                " Tip: del de lange sætninger op, og brug hverdagsord — sigt efter LIX under 35."
            });
        }
        out
    };
    view! {
        <p class="hint readability" id=format!("{target}-lix") aria-live="polite" data-testid="readability">
            {hint}
        </p>
    }
}
