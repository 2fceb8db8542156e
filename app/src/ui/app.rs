//! The document shell and the router.
use crate::i18n::*;
use crate::ui::auth::provide_auth;
use crate::ui::components::{footer::SiteFooter, header::SiteHeader};
use crate::ui::islands::HydrationMarker;
use crate::ui::pages::{
    about::AboutPage,
    accessibility::AccessibilityPage,
    account::AccountPage,
    admin_audit::AdminAuditPage,
    admin_committees::AdminCommitteesPage,
    admin_councils::AdminCouncilsPage,
    admin_post::AdminPostPage,
    admin_post_mail::AdminPostMailPage,
    admin_schools::AdminSchoolsPage,
    admin_setup::AdminSetupPage,
    admin_users::AdminUsersPage,
    council::CouncilPage,
    councils::CouncilsPage,
    forgot_password::ForgotPasswordPage,
    heard::HeardPage,
    hearing::HearingPage,
    hearing_new::NewHearingPage,
    hearings::HearingsPage,
    home::HomePage,
    inbox::InboxPage,
    live::LiveStartPage,
    live_screen::LiveScreenPage,
    live_session::LiveSessionPage,
    login::LoginPage,
    meeting::MeetingPage,
    moderation::ModerationPage,
    my_proposals::MyProposalsPage,
    not_found::NotFoundPage,
    notifications::NotificationsPage,
    pool::PoolPage,
    pool_application::PoolApplicationPage,
    pool_apply::PoolApplyPage,
    proposal::ProposalPage,
    proposal_new::{EditProposalPage, NewProposalPage},
    proposals::ProposalsPage,
    reset_password::ResetPasswordPage,
    signup::SignupPage,
    unsubscribe::UnsubscribePage,
    verify_email::VerifyEmailPage,
};
use crate::ui::tr::trs;
use leptos::prelude::*;
use leptos_meta::{provide_meta_context, HashedStylesheet, Link, Meta, MetaTags, Title};
use leptos_router::{
    components::{Route, Router, Routes},
    path, SsrMode,
};

/// The HTML document around the app, rendered on the server.
pub fn shell(options: LeptosOptions) -> impl IntoView {
    view! {
        <!DOCTYPE html>
        <html>
            <head>
                <meta charset="utf-8" />
                <meta name="viewport" content="width=device-width, initial-scale=1" />
                // First in the head, before the script preloads: the one render-blocking
                // file, named by its hash (cached for a year) in release builds.
                <HashedStylesheet options=options.clone() id="leptos" />
                <AutoReload options=options.clone() />
                <IdleDeadline />
                <HydrationScripts options islands=true />
                <MetaTags />
            </head>
            <body>
                <App />
            </body>
        </html>
    }
}

/// Leptos starts the islands from `requestIdleCallback` without a deadline, so on a main
/// thread that is never idle (a busy phone, a headless browser under load) a page might
/// never become interactive. This gives every idle callback on the page a deadline of one
/// second. A classic script, so it runs before the (deferred) module script of Leptos.
#[component]
fn IdleDeadline() -> impl IntoView {
    let nonce = leptos::nonce::use_nonce();
    view! { <script nonce=nonce>{IDLE_DEADLINE_JS}</script> }
}

/// Plain ES5 without `<`, `>` or `&`, so no HTML escaping can ever touch it.
const IDLE_DEADLINE_JS: &str = "(function(){var r=window.requestIdleCallback;if(r){\
window.requestIdleCallback=function(c,o){return r.call(window,c,Object.assign({timeout:1000},o))}}})();";

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
    view! {
        <Link rel="icon" type_="image/svg+xml" href="/favicon.svg" />
        <Meta name="description" content=trs(i18n, |l| td_string!(l, footer_about))() />
        <Meta name="theme-color" content="#12355b" />
        <Title formatter=|text: String| {
            // Escaped here: leptos_meta writes the title into the page as it is.
            if text.is_empty() { "Stemme".to_owned() } else { format!("{} · Stemme", crate::ui::format::escape_html(&text)) }
        } />
        <Router>
            <Layout />
        </Router>
    }
}

/// Everything inside the router. Actions are created here, where the router tells them
/// about errors of plain (no-JavaScript) form posts.
#[component]
fn Layout() -> impl IntoView {
    provide_auth();
    view! {
            <SiteHeader />
            <main id="indhold" tabindex="-1">
                // Async: the whole page (header with the user included) is rendered before
                // it is sent, so everything works without JavaScript.
                <Routes fallback=NotFoundPage>
                    <Route path=path!("/") view=HomePage ssr=SsrMode::Async />
                    <Route path=path!("/forslag") view=ProposalsPage ssr=SsrMode::Async />
                    <Route path=path!("/forslag/nyt") view=NewProposalPage ssr=SsrMode::Async />
                    <Route path=path!("/forslag/mine") view=MyProposalsPage ssr=SsrMode::Async />
                    <Route path=path!("/forslag/:id") view=ProposalPage ssr=SsrMode::Async />
                    <Route path=path!("/forslag/:id/rediger") view=EditProposalPage ssr=SsrMode::Async />
                    <Route path=path!("/notifikationer") view=NotificationsPage ssr=SsrMode::Async />
                    <Route path=path!("/indbakke") view=InboxPage ssr=SsrMode::Async />
                    <Route path=path!("/moderation") view=ModerationPage ssr=SsrMode::Async />
                    <Route path=path!("/raad") view=CouncilsPage ssr=SsrMode::Async />
                    <Route path=path!("/raad/:id") view=CouncilPage ssr=SsrMode::Async />
                    <Route path=path!("/moeder/:id") view=MeetingPage ssr=SsrMode::Async />
                    <Route path=path!("/bliver-vi-hoert") view=HeardPage ssr=SsrMode::Async />
                    <Route path=path!("/hoeringer") view=HearingsPage ssr=SsrMode::Async />
                    <Route path=path!("/hoeringer/ny") view=NewHearingPage ssr=SsrMode::Async />
                    <Route path=path!("/hoeringer/:id") view=HearingPage ssr=SsrMode::Async />
                    <Route path=path!("/puljen") view=PoolPage ssr=SsrMode::Async />
                    <Route path=path!("/puljen/ansoeg") view=PoolApplyPage ssr=SsrMode::Async />
                    <Route path=path!("/puljen/ansoegning/:id") view=PoolApplicationPage ssr=SsrMode::Async />
                    <Route path=path!("/live") view=LiveStartPage ssr=SsrMode::Async />
                    <Route path=path!("/live/:code") view=LiveSessionPage ssr=SsrMode::Async />
                    <Route path=path!("/live/:code/skaerm") view=LiveScreenPage ssr=SsrMode::Async />
                    <Route path=path!("/om") view=AboutPage ssr=SsrMode::Async />
                    <Route path=path!("/tilgaengelighed") view=AccessibilityPage ssr=SsrMode::Async />
                    <Route path=path!("/tilmeld") view=SignupPage ssr=SsrMode::Async />
                    <Route path=path!("/log-ind") view=LoginPage ssr=SsrMode::Async />
                    <Route path=path!("/glemt-kodeord") view=ForgotPasswordPage ssr=SsrMode::Async />
                    <Route path=path!("/nyt-kodeord") view=ResetPasswordPage ssr=SsrMode::Async />
                    <Route path=path!("/bekraeft-email") view=VerifyEmailPage ssr=SsrMode::Async />
                    <Route path=path!("/konto") view=AccountPage ssr=SsrMode::Async />
                    <Route path=path!("/admin/brugere") view=AdminUsersPage ssr=SsrMode::Async />
                    <Route path=path!("/admin/skoler") view=AdminSchoolsPage ssr=SsrMode::Async />
                    <Route path=path!("/admin/opsaetning") view=AdminSetupPage ssr=SsrMode::Async />
                    <Route path=path!("/admin/raad") view=AdminCouncilsPage ssr=SsrMode::Async />
                    <Route path=path!("/admin/udvalg") view=AdminCommitteesPage ssr=SsrMode::Async />
                    <Route path=path!("/admin/log") view=AdminAuditPage ssr=SsrMode::Async />
                    <Route path=path!("/admin/post") view=AdminPostPage ssr=SsrMode::Async />
                    <Route path=path!("/admin/post/:id") view=AdminPostMailPage ssr=SsrMode::Async />
                    <Route path=path!("/afmeld") view=UnsubscribePage ssr=SsrMode::Async />
                </Routes>
            </main>
            <SiteFooter />
            <HydrationMarker />
    }
}
