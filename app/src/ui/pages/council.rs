//! One council: members, upcoming and past meetings; those who run it plan meetings.
use crate::api::councils::{get_council, CreateMeeting, SetBallotRules};
use crate::domain::council::MeetingSummary;
use crate::domain::error::AppError;
use crate::i18n::*;
use crate::ui::auth::action_error;
use crate::ui::components::form::{Field, FormError};
use crate::ui::format::{date_time, iso};
use crate::ui::tr::{is_en, tr};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;
use leptos_router::hooks::use_params_map;

#[component]
pub fn CouncilPage() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_params_map();
    let id = move || {
        params
            .read()
            .get("id")
            .and_then(|v| v.parse::<i64>().ok())
            .unwrap_or(0)
    };
    let create = ServerAction::<CreateMeeting>::new();
    let rules = ServerAction::<SetBallotRules>::new();
    let error = action_error(create);
    let council = Resource::new(
        move || (id(), rules.version().get()),
        |(id, _)| get_council(id),
    );
    view! {
        <Transition fallback=move || view! { <p>{tr(i18n, |l| td_string!(l, loading))}</p> }>
            {move || council.get().map(|r| match r {
                Err(AppError::NotFound) => view! { <h1>{tr(i18n, |l| td_string!(l, council_not_found))}</h1> }.into_any(),
                Err(e) => view! { <p class="form-error" role="alert">{e.to_string()}</p> }.into_any(),
                Ok(c) => {
                    let en = is_en(i18n);
                    let cid = c.id.0;
                    let list = |ms: Vec<MeetingSummary>| ms.into_iter().map(|m| view! {
                        <li class="card">
                            <h3 class="card__title"><a href=format!("/moeder/{}", m.id.0)>
                                <time datetime=iso(m.starts_at)>{date_time(m.starts_at, en)}</time>
                            </a></h3>
                            <p class="meta">{m.place}" · "{m.status.label(en)}</p>
                        </li>
                    }).collect_view();
                    view! {
                        <Title text=c.name.clone() />
                        <p class="meta"><A href="/raad">{tr(i18n, |l| td_string!(l, councils_title))}</A></p>
                        <h1>{c.name.clone()}</h1>
                        <p class="meta">{if c.secret_ballot { tr(i18n, |l| td_string!(l, council_secret_ballot))() } else { tr(i18n, |l| td_string!(l, council_named_ballot))() }}</p>
                        <h2>{tr(i18n, |l| td_string!(l, council_members))}" ("{c.members.len()}")"</h2>
                        <ul class="members">
                            {c.members.into_iter().map(|m| view! {
                                <li>{m.first_name}
                                    {m.chair.then(|| view! { " ("{tr(i18n, |l| td_string!(l, council_chair))}")" })}
                                    {m.secretary.then(|| view! { " ("{tr(i18n, |l| td_string!(l, council_secretary))}")" })}
                                </li>
                            }).collect_view()}
                        </ul>
                        <h2>{tr(i18n, |l| td_string!(l, council_upcoming))}</h2>
                        {c.upcoming.is_empty().then(|| view! { <p class="empty">{tr(i18n, |l| td_string!(l, councils_empty))}</p> })}
                        <ul class="cards">{list(c.upcoming)}</ul>
                        {(!c.past.is_empty()).then(|| view! { <h2>{tr(i18n, |l| td_string!(l, council_past))}</h2> })}
                        <ul class="cards">{list(c.past)}</ul>
                        {c.can_run.then(|| view! {
                            <h2>{tr(i18n, |l| td_string!(l, council_new_meeting))}</h2>
                            <ActionForm action=create attr:class="form">
                                <FormError error />
                                <input type="hidden" name="council_id" value=cid />
                                <Field name="starts_at" kind="datetime-local" label=move || tr(i18n, |l| td_string!(l, council_meeting_time)) error required=true />
                                <Field name="place" label=move || tr(i18n, |l| td_string!(l, council_meeting_place)) error required=true maxlength=200 />
                                <button type="submit" class="button">{tr(i18n, |l| td_string!(l, council_new_meeting))}</button>
                            </ActionForm>
                            <h2>{tr(i18n, |l| td_string!(l, council_rules))}</h2>
                            <ActionForm action=rules attr:class="form">
                                <input type="hidden" name="council_id" value=cid />
                                <div class="check">
                                    <input id="secret" name="secret" type="checkbox" value="1" checked=c.secret_ballot />
                                    <label for="secret">{tr(i18n, |l| td_string!(l, council_secret_ballot))}</label>
                                </div>
                                <div class="check">
                                    <input id="allow_change" name="allow_change" type="checkbox" value="1" checked=c.allow_vote_change />
                                    <label for="allow_change">{tr(i18n, |l| td_string!(l, council_allow_change))}</label>
                                </div>
                                <button type="submit" class="button button--secondary">{tr(i18n, |l| td_string!(l, council_save_rules))}</button>
                            </ActionForm>
                        })}
                    }.into_any()
                }
            })}
        </Transition>
    }
}
