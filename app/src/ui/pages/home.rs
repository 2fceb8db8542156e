//! The front page: what Stemme is and how a proposal travels.
use crate::i18n::*;
use crate::ui::tr::tr;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;

#[component]
pub fn HomePage() -> impl IntoView {
    let i18n = use_i18n();
    let query = leptos_router::hooks::use_query_map();
    let deleted = move || query.read().get("slettet").is_some_and(|v| v == "1");
    view! {
        <Title text="" />
        {move || deleted().then(|| view! {
            <p class="success" role="status">{tr(i18n, |l| td_string!(l, account_deleted))}</p>
        })}
        <section class="hero">
            <h1>{tr(i18n, |l| td_string!(l, home_title))}</h1>
            <p class="lead">{tr(i18n, |l| td_string!(l, home_lead))}</p>
            <p class="actions">
                <A href="/forslag" attr:class="button">{tr(i18n, |l| td_string!(l, home_cta_proposals))}</A>
                <A href="/puljen" attr:class="button button--secondary">{tr(i18n, |l| td_string!(l, home_cta_pool))}</A>
            </p>
        </section>
        <section aria-labelledby="how">
            <h2 id="how">{tr(i18n, |l| td_string!(l, home_how_title))}</h2>
            <ol class="steps">
                <li><h3>{tr(i18n, |l| td_string!(l, home_step_1_title))}</h3><p>{tr(i18n, |l| td_string!(l, home_step_1))}</p></li>
                <li><h3>{tr(i18n, |l| td_string!(l, home_step_2_title))}</h3><p>{tr(i18n, |l| td_string!(l, home_step_2))}</p></li>
                <li><h3>{tr(i18n, |l| td_string!(l, home_step_3_title))}</h3><p>{tr(i18n, |l| td_string!(l, home_step_3))}</p></li>
                <li><h3>{tr(i18n, |l| td_string!(l, home_step_4_title))}</h3><p>{tr(i18n, |l| td_string!(l, home_step_4))}</p></li>
            </ol>
        </section>
        <figure class="quote">
            <blockquote><p>{tr(i18n, |l| td_string!(l, home_quote))}</p></blockquote>
            <figcaption>{tr(i18n, |l| td_string!(l, home_quote_source))}</figcaption>
        </figure>
    }
}
