//! `/hoeringer`: the public list of hearings, in sections — open, awaiting feedback,
//! overdue (with the days overdue) and feedback given.
use crate::api::hearings::list_hearings;
use crate::domain::hearing::{HearingCard, Phase};
use crate::i18n::*;
use crate::ui::error_text::shown;
use crate::ui::format::{date, iso};
use crate::ui::tr::{is_en, tr, trs};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;
use leptos_router::hooks::use_query_map;

/// One hearing as a card (also on a council's page).
#[component]
pub fn HearingCards(cards: Vec<HearingCard>) -> impl IntoView {
    let i18n = use_i18n();
    let en = is_en(i18n);
    cards
        .into_iter()
        .map(|c| {
            let overdue = match c.phase {
                Phase::FeedbackOverdue { days } => Some(view! {
                    <p class="badge badge--warning">{days}" "{tr(i18n, |l| td_string!(l, hearing_days_overdue))}</p>
                }),
                _ => None,
            };
            view! {
                <li class="card">
                    <h3 class="card__title"><a href=format!("/hoeringer/{}", c.id.0)>{c.title}</a></h3>
                    <p class="meta">{c.committee}" · "{c.councils.join(", ")}</p>
                    <p class="meta">{tr(i18n, |l| td_string!(l, hearing_respond_by))}": "
                        <time datetime=iso(c.respond_by)>{date(c.respond_by, en)}</time>" · "
                        {tr(i18n, |l| td_string!(l, hearing_feedback_by))}": "
                        <time datetime=iso(c.feedback_by)>{date(c.feedback_by, en)}</time></p>
                    {overdue}
                </li>
            }
        })
        .collect_view()
}

#[component]
pub fn HearingsPage() -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let before = move || query.read().get("foer");
    let list = Resource::new(before, list_hearings);
    view! {
        <Title text=trs(i18n, |l| td_string!(l, hearings_title))() />
        <h1>{tr(i18n, |l| td_string!(l, hearings_title))}</h1>
        <p class="lead">{tr(i18n, |l| td_string!(l, hearings_lead))}</p>
        <p class="open-data"><crate::ui::components::open_data::Downloads stem="/hoeringer/eksport" /></p>
        <Transition fallback=move || view! { <p>{tr(i18n, |l| td_string!(l, loading))}</p> }>
            {move || list.get().map(|r| match r {
                Err(e) => view! { <p class="form-error" role="alert">{shown(&e)}</p> }.into_any(),
                Ok(l) => {
                    let section = |title: String, cards: Vec<HearingCard>| view! {
                        <section>
                            <h2>{title}" ("{cards.len()}")"</h2>
                            {if cards.is_empty() {
                                view! { <p class="meta">{tr(i18n, |l| td_string!(l, hearings_none))}</p> }.into_any()
                            } else {
                                view! { <ul class="cards"><HearingCards cards /></ul> }.into_any()
                            }}
                        </section>
                    };
                    view! {
                        {l.can_send.then(|| view! {
                            <p><A href="/hoeringer/ny" attr:class="button">{tr(i18n, |l| td_string!(l, hearing_new_title))}</A></p>
                        })}
                        {section(trs(i18n, |l| td_string!(l, hearings_open))(), l.open)}
                        {section(trs(i18n, |l| td_string!(l, hearings_overdue))(), l.overdue)}
                        {section(trs(i18n, |l| td_string!(l, hearings_awaiting))(), l.awaiting)}
                        {section(trs(i18n, |l| td_string!(l, hearings_given))(), l.given)}
                        {l.next.map(|n| view! {
                            <p><a href=format!("/hoeringer?foer={}", n.0)>{tr(i18n, |l| td_string!(l, hearings_older))}</a></p>
                        })}
                    }.into_any()
                }
            })}
        </Transition>
    }
}
