//! One council: members, upcoming and past meetings; those who run it plan meetings.
use crate::api::councils::{
    get_council, AcceptSuggestion, AppointOfficer, CreateMeeting, DeclineSuggestion,
    SetBallotRules, SuggestItem,
};
use crate::domain::council::MeetingSummary;
use crate::domain::council::{SuggestionStatus, SuggestionView};
use crate::domain::error::AppError;
use crate::domain::ids::CouncilId;
use crate::i18n::*;
use crate::ui::auth::action_error;
use crate::ui::components::form::TextArea;
use crate::ui::components::form::{Field, FormError};
use crate::ui::components::once_field::OnceField;
use crate::ui::error_text::shown;
use crate::ui::format::{date_time, iso};
use crate::ui::islands::ReadabilityHint;
use crate::ui::tr::{is_en, tr, trs};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;
use leptos_router::hooks::use_params_map;
use leptos_router::hooks::use_query_map;

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
    let suggest = ServerAction::<SuggestItem>::new();
    let appoint = ServerAction::<AppointOfficer>::new();
    let accept = ServerAction::<AcceptSuggestion>::new();
    let decline = ServerAction::<DeclineSuggestion>::new();
    let query = use_query_map();
    let suggested = move || query.read().get("foreslaaet").is_some_and(|v| v == "1");
    let council = Resource::new(
        move || {
            (
                id(),
                rules.version().get(),
                accept.version().get(),
                decline.version().get(),
            )
        },
        |(id, ..)| get_council(CouncilId(id)),
    );
    view! {
        <Transition fallback=move || view! { <p>{tr(i18n, |l| td_string!(l, loading))}</p> }>
            {move || council.get().map(|r| match r {
                Err(AppError::NotFound) => view! { <h1>{tr(i18n, |l| td_string!(l, council_not_found))}</h1> }.into_any(),
                Err(e) => view! { <p class="form-error" role="alert">{shown(&e)}</p> }.into_any(),
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
                        <p class="meta">{if c.secret_ballot {
                            tr(i18n, |l| td_string!(l, council_secret_ballot))()
                        } else if c.names_public {
                            tr(i18n, |l| td_string!(l, council_named_ballot_public))()
                        } else {
                            tr(i18n, |l| td_string!(l, council_named_ballot))()
                        }}</p>
                        <h2>{tr(i18n, |l| td_string!(l, council_members))}" ("{c.members.len()}")"</h2>
                        {c.names_hidden.then(|| view! { <p class="meta" data-testid="council-names-hidden">{tr(i18n, |l| td_string!(l, council_names_signed_in))}</p> })}
                        <ul class="members">
                            {c.members.clone().into_iter().map(|m| view! {
                                <li>{m.first_name.unwrap_or_else(trs(i18n, |l| td_string!(l, council_member)))}
                                    {m.chair.then(|| view! { " ("{tr(i18n, |l| td_string!(l, council_chair))}")" })}
                                    {m.secretary.then(|| view! { " ("{tr(i18n, |l| td_string!(l, council_secretary))}")" })}
                                    {m.starts_on.zip(m.ends_on).map(|(a, b)| view! {
                                        <span class="meta term">{format!(" · {}–{}", a.format("%d.%m.%Y"), b.format("%d.%m.%Y"))}</span>
                                    })}
                                </li>
                            }).collect_view()}
                        </ul>
                        {c.members.iter().any(|m| m.user_id.is_some()).then(|| {
                            let appoint_error = action_error(appoint);
                            view! {
                                <ActionForm action=appoint attr:class="form form--inline">
                                    <FormError error=appoint_error />
                                    <input type="hidden" name="council_id" value=cid />
                                    <div class="field">
                                        <label for="officer-user">{tr(i18n, |l| td_string!(l, council_appoint_who))}</label>
                                        <select id="officer-user" name="user_id">
                                            {c.members.iter().filter_map(|m| m.user_id.zip(m.first_name.clone()))
                                                .map(|(u, n)| view! { <option value=u.0>{n}</option> }).collect_view()}
                                        </select>
                                    </div>
                                    <div class="field">
                                        <label for="officer-position">{tr(i18n, |l| td_string!(l, council_appoint_as))}</label>
                                        <select id="officer-position" name="position">
                                            <option value="chair">{tr(i18n, |l| td_string!(l, council_chair))}</option>
                                            <option value="secretary">{tr(i18n, |l| td_string!(l, council_secretary))}</option>
                                        </select>
                                    </div>
                                    <button type="submit" class="button button--secondary">{tr(i18n, |l| td_string!(l, council_appoint))}</button>
                                </ActionForm>
                            }
                        })}
                        <h2>{tr(i18n, |l| td_string!(l, council_upcoming))}</h2>
                        <p><a href=format!("/raad/{cid}/kalender.ics")>{tr(i18n, |l| td_string!(l, council_calendar))}</a></p>
                        <p class="open-data"><crate::ui::components::open_data::FeedLink href=format!("/raad/{cid}/feed.atom") title=|l| td_string!(l, feed_council) /></p>
                        {c.upcoming.is_empty().then(|| view! { <p class="empty">{tr(i18n, |l| td_string!(l, councils_empty))}</p> })}
                        <ul class="cards">{list(c.upcoming)}</ul>
                        <CouncilHearings council=c.id />
                        {(!c.past.is_empty()).then(|| view! { <h2>{tr(i18n, |l| td_string!(l, council_past))}</h2> })}
                        <ul class="cards">{list(c.past)}</ul>
                        <Suggestions list=c.suggestions.clone() meetings=c.open_meetings.clone() can_run=c.can_run accept decline />
                        {c.can_suggest.then(|| {
                            let suggest_error = action_error(suggest);
                            view! {
                                <h2>{tr(i18n, |l| td_string!(l, suggest_title))}</h2>
                                {move || suggested().then(|| view! { <p class="success" role="status">{tr(i18n, |l| td_string!(l, suggest_sent))}</p> })}
                                <ActionForm action=suggest attr:class="form">
                                    <OnceField />
                                    <FormError error=suggest_error />
                                    <input type="hidden" name="council_id" value=cid />
                                    <Field name="title" label=move || tr(i18n, |l| td_string!(l, suggest_field_title)) error=suggest_error required=true minlength=5 maxlength=120 />
                                    <TextArea name="body" label=move || tr(i18n, |l| td_string!(l, suggest_field_body)) error=suggest_error rows=3 maxlength=2000 />
                                    <button type="submit" class="button">{tr(i18n, |l| td_string!(l, suggest_submit))}</button>
                                </ActionForm>
                            }
                        })}
                        {c.can_run.then(|| view! {
                            <h2>{tr(i18n, |l| td_string!(l, council_new_meeting))}</h2>
                            <ActionForm action=create attr:class="form">
                                <OnceField />
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

/// Suggested agenda items: those who run the council accept or decline (with an
/// explanation); the one who suggested sees what became of it.
#[component]
fn Suggestions(
    list: Vec<SuggestionView>,
    meetings: Vec<(
        crate::domain::council::MeetingId,
        chrono::DateTime<chrono::Utc>,
    )>,
    can_run: bool,
    accept: ServerAction<AcceptSuggestion>,
    decline: ServerAction<DeclineSuggestion>,
) -> impl IntoView {
    let i18n = use_i18n();
    let en = is_en(i18n);
    let decline_error = action_error(decline);
    let accept_error = action_error(accept);
    (!list.is_empty()).then(|| view! {
        <h2>{tr(i18n, |l| td_string!(l, suggestions_title))}</h2>
        <FormError error=accept_error />
        <ul class="cards">
            {list.into_iter().map(|s| {
                let sid = s.id;
                let reason_id = format!("reason-{sid}");
                let meeting_id = format!("meeting-{sid}");
                let pending = s.status == SuggestionStatus::Pending;
                let meetings = meetings.clone();
                view! {
                    <li class="card">
                        <h3 class="card__title">{s.title.clone()}</h3>
                        <p class="meta">{s.by.clone()}" · "{s.status.label(en)}</p>
                        {(!s.body.is_empty()).then(|| view! { <p class="prose">{s.body.clone()}</p> })}
                        {s.decline_reason.clone().map(|r| view! {
                            <p class="notice"><strong>{tr(i18n, |l| td_string!(l, suggestion_why))}": "</strong>{r}</p>
                        })}
                        {s.meeting.map(|m| view! { <p><a href=format!("/moeder/{}", m.0)>{tr(i18n, |l| td_string!(l, timeline_see_meeting))}</a></p> })}
                        {(can_run && pending).then(|| view! {
                            <ActionForm action=accept attr:class="form form--inline">
                                <input type="hidden" name="suggestion_id" value=sid />
                                <div class="field">
                                    <label for=meeting_id.clone()>{tr(i18n, |l| td_string!(l, suggestion_meeting))}</label>
                                    <select id=meeting_id name="meeting_id" required>
                                        {meetings.into_iter().map(|(m, at)| view! { <option value=m.0>{date_time(at, en)}</option> }).collect_view()}
                                    </select>
                                </div>
                                <button type="submit" class="button">{tr(i18n, |l| td_string!(l, suggestion_accept))}</button>
                            </ActionForm>
                            <ActionForm action=decline attr:class="form">
                                <div class="field">
                                    <input type="hidden" name="suggestion_id" value=sid />
                                    <label for=reason_id.clone()>{tr(i18n, |l| td_string!(l, suggestion_decline_reason))}</label>
                                    <textarea id=reason_id.clone() name="reason" rows="3" maxlength="2000" aria-describedby=format!("{reason_id}-lix {reason_id}-error")></textarea>
                                    <ReadabilityHint target=reason_id.clone() en />
                                    <p class="field-error" id=format!("{reason_id}-error") aria-live="polite">
                                        {move || decline_error.get().map(|e| shown(&e))}
                                    </p>
                                </div>
                                <button type="submit" class="button button--secondary">{tr(i18n, |l| td_string!(l, suggestion_decline))}</button>
                            </ActionForm>
                        })}
                    </li>
                }
            }).collect_view()}
        </ul>
    })
}

/// The hearings the council was asked in (issue #21).
#[component]
fn CouncilHearings(council: CouncilId) -> impl IntoView {
    let i18n = use_i18n();
    let hearings = Resource::new(move || council, crate::api::hearings::council_hearings);
    view! {
        <Transition fallback=|| ()>
            {move || hearings.get().and_then(Result::ok).filter(|h| !h.is_empty()).map(|cards| view! {
                <h2>{tr(i18n, |l| td_string!(l, council_hearings))}</h2>
                <ul class="cards"><crate::ui::pages::hearings::HearingCards cards /></ul>
            })}
        </Transition>
    }
}
