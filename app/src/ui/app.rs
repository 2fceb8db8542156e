//! The document shell and the router.
use crate::i18n::*;
use crate::ui::components::{footer::SiteFooter, header::SiteHeader};
use crate::ui::pages::{
    about::AboutPage, accessibility::AccessibilityPage, councils::CouncilsPage, home::HomePage,
    not_found::NotFoundPage, pool::PoolPage, proposals::ProposalsPage,
};
use leptos::prelude::*;
use leptos_meta::{provide_meta_context, Link, Meta, MetaTags, Stylesheet, Title};
use leptos_router::{
    components::{Route, Router, Routes},
    path,
};

/// The HTML document around the app, rendered on the server.
pub fn shell(options: LeptosOptions) -> impl IntoView {
    view! {
        <!DOCTYPE html>
        <html>
            <head>
                <meta charset="utf-8" />
                <meta name="viewport" content="width=device-width, initial-scale=1" />
                <AutoReload options=options.clone() />
                <HydrationScripts options />
                <MetaTags />
            </head>
            <body>
                <App />
            </body>
        </html>
    }
}

/// The application: language context, shell chrome and routes.
#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    // One cookie for the whole site, kept for a year.
    let cookie = leptos_i18n::context::CookieOptions::<Locale>::default()
        .path("/".to_owned())
        .max_age(365_i64 * 24 * 3600 * 1000);
    view! {
        <I18nContextProvider cookie_options=cookie>
            <Chrome />
        </I18nContextProvider>
    }
}

#[component]
fn Chrome() -> impl IntoView {
    let i18n = use_i18n();
    // Marks the page as interactive once the wasm has taken over; tests wait for it.
    Effect::new(move |_| {
        if let Some(body) = document().body() {
            let _ = body.set_attribute("data-hydrated", "true");
        }
    });
    view! {
        <Stylesheet id="leptos" href="/pkg/stemme.css" />
        <Link rel="icon" type_="image/svg+xml" href="/favicon.svg" />
        <Meta name="description" content=move || t_string!(i18n, footer_about) />
        <Meta name="theme-color" content="#12355b" />
        <Title formatter=|text: String| {
            if text.is_empty() { "Stemme".to_owned() } else { format!("{text} · Stemme") }
        } />
        <Router>
            <SiteHeader />
            <main id="indhold" tabindex="-1">
                <Routes fallback=NotFoundPage>
                    <Route path=path!("/") view=HomePage />
                    <Route path=path!("/forslag") view=ProposalsPage />
                    <Route path=path!("/raad") view=CouncilsPage />
                    <Route path=path!("/puljen") view=PoolPage />
                    <Route path=path!("/om") view=AboutPage />
                    <Route path=path!("/tilgaengelighed") view=AccessibilityPage />
                </Routes>
            </main>
            <SiteFooter />
        </Router>
    }
}
