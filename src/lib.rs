//! The browser entry point. Stemme renders its pages on the server; only the
//! interactive islands (`#[island]` components in `app::ui::islands`) are hydrated.

#[cfg(feature = "hydrate")]
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    // Link the app crate so its islands are registered.
    #[allow(unused_imports)]
    use app::ui::islands::*;
    console_error_panic_hook::set_once();
    leptos::mount::hydrate_islands();
}
