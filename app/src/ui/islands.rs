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
