//! The hidden one-time token of a form that creates something (see `ssr::once`): a second
//! post of the same form — a double click, a retry, a stale tab — creates nothing more.
use crate::api::forms::form_token;
use leptos::prelude::*;

/// `<input type="hidden" name="form_token">`, filled while the page is rendered (so the
/// form works before the browser has loaded any script).
#[component]
pub fn OnceField() -> impl IntoView {
    let token = Resource::new(|| (), |_| form_token());
    view! {
        <Suspense fallback=|| ()>
            {move || {
                token
                    .get()
                    .and_then(Result::ok)
                    .map(|t| view! { <input type="hidden" name="form_token" value=t /> })
            }}
        </Suspense>
    }
}
