//! A meeting: its agenda in order, each item's vote (members vote here), and the tools of
//! the chair/secretary: add items, reorder, open and close votes, record decisions.
use crate::api::councils::{
    get_meeting, AddAgendaItem, AddApplicationItem, AdvanceMeeting, CastVote, CloseVote,
    DecideProposal, MoveAgendaItem, OpenVote, WriteMinutes,
};
use crate::api::hearings::{hearings_for_meeting, AdoptResponse, PutHearingOnAgenda};
use crate::domain::council::{
    AgendaItemView, Choice, MeetingStatus, MeetingView, Outcome, VoteView,
};
use crate::domain::error::AppError;
use crate::domain::ids::{CommitteeId, MeetingId};
use crate::domain::pool::ApplicationStatus;
use crate::domain::proposal::{DecisionKind, Stage};
use crate::i18n::*;
use crate::ui::auth::action_error;
use crate::ui::components::form::{Field, FormError, TextArea};
use crate::ui::components::once_field::OnceField;
use crate::ui::error_text::shown;
use crate::ui::format::{date_time, iso};
use crate::ui::islands::ReadabilityHint;
use crate::ui::tr::{is_en, tr, trs};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

#[derive(Clone, Copy)]
struct Actions {
    add: ServerAction<AddAgendaItem>,
    add_application: ServerAction<AddApplicationItem>,
    advance: ServerAction<AdvanceMeeting>,
    cast: ServerAction<CastVote>,
    close: ServerAction<CloseVote>,
    decide: ServerAction<DecideProposal>,
    move_item: ServerAction<MoveAgendaItem>,
    open: ServerAction<OpenVote>,
    minutes: ServerAction<WriteMinutes>,
    put_hearing: ServerAction<PutHearingOnAgenda>,
    adopt: ServerAction<AdoptResponse>,
}

#[component]
pub fn MeetingPage() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_params_map();
    let id = move || {
        params
            .read()
            .get("id")
            .and_then(|v| v.parse::<i64>().ok())
            .unwrap_or(0)
    };
    let a = Actions {
        add: ServerAction::new(),
        add_application: ServerAction::new(),
        advance: ServerAction::new(),
        cast: ServerAction::new(),
        close: ServerAction::new(),
        decide: ServerAction::new(),
        move_item: ServerAction::new(),
        open: ServerAction::new(),
        minutes: ServerAction::new(),
        put_hearing: ServerAction::new(),
        adopt: ServerAction::new(),
    };
    let meeting = Resource::new(
        move || {
            (
                id(),
                a.add.version().get(),
                a.add_application.version().get(),
                a.advance.version().get(),
                a.cast.version().get(),
                a.close.version().get(),
                a.decide.version().get(),
                a.move_item.version().get(),
                a.open.version().get(),
                a.minutes.version().get(),
                a.put_hearing.version().get(),
                a.adopt.version().get(),
            )
        },
        |(id, ..)| get_meeting(MeetingId(id)),
    );
    let last_error = Signal::derive(move || {
        [
            a.advance.value().get().and_then(|r| r.err()),
            a.cast.value().get().and_then(|r| r.err()),
            a.close.value().get().and_then(|r| r.err()),
            a.move_item.value().get().and_then(|r| r.err()),
            a.open.value().get().and_then(|r| r.err()),
            a.minutes.value().get().and_then(|r| r.err()),
        ]
        .into_iter()
        .flatten()
        .next()
    });
    view! {
        <Transition fallback=move || view! { <p>{tr(i18n, |l| td_string!(l, loading))}</p> }>
            {move || meeting.get().map(|r| match r {
                Err(AppError::NotFound) => view! { <h1>{tr(i18n, |l| td_string!(l, meeting_not_found))}</h1> }.into_any(),
                Err(e) => view! { <p class="form-error" role="alert">{shown(&e)}</p> }.into_any(),
                Ok(m) => view! { <Meeting m a last_error /> }.into_any(),
            })}
        </Transition>
    }
}

#[component]
fn Meeting(m: MeetingView, a: Actions, last_error: Signal<Option<AppError>>) -> impl IntoView {
    let i18n = use_i18n();
    let en = is_en(i18n);
    let title = format!("{} — {}", m.council_name, date_time(m.starts_at, en));
    let add_error = action_error(a.add);
    let application_error = action_error(a.add_application);
    let applications = m.open_applications.clone();
    let mid = m.id.0;
    let can_run = m.can_run;
    let is_member = m.is_member;
    let next = m.status.next();
    let count = m.items.len();
    let status = m.status;
    let committees = m.committees.clone();
    view! {
        <Title text=title.clone() />
        <p class="meta"><a href=format!("/raad/{}", m.council.0)>{m.council_name.clone()}</a></p>
        <h1>{title}</h1>
        <p class="meta"><time datetime=iso(m.starts_at)>{date_time(m.starts_at, en)}</time>" · "{m.place.clone()}</p>
        <p class="status" data-testid="meeting-status">{m.status.label(en)}</p>
        {move || last_error.get().map(|e| view! { <p class="form-error" role="alert">{shown(&e)}</p> })}
        {(can_run && next.is_some()).then(|| view! {
            <ActionForm action=a.advance attr:class="inline-form">
                <input type="hidden" name="meeting_id" value=mid />
                // The status this page shows: a double click or a stale tab moves nothing twice.
                <input type="hidden" name="from" value=m.status.as_str() />
                <button type="submit" class="button button--secondary">
                    {tr(i18n, |l| td_string!(l, meeting_advance))}": "{next.map(|n| n.label(en))}
                </button>
            </ActionForm>
        })}
        <h2>{tr(i18n, |l| td_string!(l, meeting_agenda))}</h2>
        {(count == 0).then(|| view! {
            <p class="empty">{if m.status == crate::domain::council::MeetingStatus::Planned {
                tr(i18n, |l| td_string!(l, meeting_agenda_not_published))()
            } else {
                tr(i18n, |l| td_string!(l, meeting_no_items))()
            }}</p>
        })}
        <ol class="agenda">
            {let names_hidden = m.names_hidden;
            m.items.into_iter().enumerate().map(|(i, item)| view! {
                <Item item a can_run is_member names_hidden status first=i == 0 last=i + 1 == count committees=committees.clone() />
            }).collect_view()}
        </ol>
        {can_run.then(|| view! {
            <h2>{tr(i18n, |l| td_string!(l, meeting_add_item))}</h2>
            <ActionForm action=a.add attr:class="form">
                <OnceField />
                <FormError error=add_error />
                <input type="hidden" name="meeting_id" value=mid />
                <div class="field">
                    <label for="f-proposal_id">{tr(i18n, |l| td_string!(l, meeting_add_proposal))}</label>
                    <select id="f-proposal_id" name="proposal_id">
                        <option value="">{tr(i18n, |l| td_string!(l, meeting_free_text))}</option>
                        {m.open_proposals.into_iter().map(|(id, t)| view! { <option value=id.0>{t}</option> }).collect_view()}
                    </select>
                </div>
                <Field name="title" label=move || tr(i18n, |l| td_string!(l, meeting_item_title)) error=add_error maxlength=200 />
                <TextArea name="body" label=move || tr(i18n, |l| td_string!(l, meeting_item_body)) error=add_error rows=3 maxlength=5000 />
                <button type="submit" class="button">{tr(i18n, |l| td_string!(l, meeting_add_item))}</button>
            </ActionForm>
        })}
        {(can_run && !applications.is_empty()).then(|| view! {
            <ActionForm action=a.add_application attr:class="form">
                <FormError error=application_error />
                <input type="hidden" name="meeting_id" value=mid />
                <div class="field">
                    <label for="f-application_id">{tr(i18n, |l| td_string!(l, meeting_add_application))}</label>
                    <select id="f-application_id" name="application_id" aria-describedby="f-application_id-error">
                        {applications.into_iter().map(|(id, t)| view! { <option value=id>{t}</option> }).collect_view()}
                    </select>
                    <p class="field-error" id="f-application_id-error" aria-live="polite">
                        {move || application_error.get().filter(|e| e.field() == Some("application_id")).map(|e| shown(&e))}
                    </p>
                </div>
                <button type="submit" class="button button--secondary">{tr(i18n, |l| td_string!(l, meeting_add_application_submit))}</button>
            </ActionForm>
        })}
        {can_run.then(|| view! { <AddHearing meeting=m.id put=a.put_hearing /> })}
    }
}

/// Puts a hearing the council was asked in on the agenda (issue #21), for those who run
/// the meeting; shown only while there is one to add.
#[component]
fn AddHearing(meeting: MeetingId, put: ServerAction<PutHearingOnAgenda>) -> impl IntoView {
    let i18n = use_i18n();
    let put_error = action_error(put);
    let open = Resource::new(
        move || (meeting, put.version().get()),
        |(m, _)| hearings_for_meeting(m),
    );
    view! {
        <Transition fallback=|| ()>
            {move || open.get().and_then(Result::ok).filter(|h| !h.is_empty()).map(|hs| view! {
                <ActionForm action=put attr:class="form">
                    <FormError error=put_error />
                    <input type="hidden" name="meeting_id" value=meeting.0 />
                    <div class="field">
                        <label for="f-hearing_id">{tr(i18n, |l| td_string!(l, meeting_add_hearing))}</label>
                        <select id="f-hearing_id" name="hearing_id" aria-describedby="f-hearing_id-error">
                            {hs.into_iter().map(|(id, t)| view! { <option value=id.0>{t}</option> }).collect_view()}
                        </select>
                        <p class="field-error" id="f-hearing_id-error" aria-live="polite">
                            {move || put_error.get().filter(|e| e.field() == Some("hearing_id")).map(|e| shown(&e))}
                        </p>
                    </div>
                    <button type="submit" class="button button--secondary">{tr(i18n, |l| td_string!(l, meeting_add_hearing))}</button>
                </ActionForm>
            })}
        </Transition>
    }
}

#[component]
fn Item(
    item: AgendaItemView,
    a: Actions,
    can_run: bool,
    is_member: bool,
    names_hidden: bool,
    status: MeetingStatus,
    first: bool,
    last: bool,
    committees: Vec<(CommitteeId, String)>,
) -> impl IntoView {
    let i18n = use_i18n();
    let en = is_en(i18n);
    let iid = item.id.0;
    let on_agenda = item.proposal.is_some_and(|(_, s)| s == Stage::OnAgenda);
    let has_vote = item.vote.is_some();
    let vote_closed = item.vote.as_ref().is_some_and(|v| !v.open);
    let vote_passed = item
        .vote
        .as_ref()
        .is_some_and(|v| !v.open && v.outcome == Some(Outcome::Passed));
    let application = item.application;
    let hearing = item.hearing;
    let decide_error = action_error(a.decide);
    let adopt_error = action_error(a.adopt);
    let t = item.title.clone();
    let (t1, t2, t3) = (t.clone(), t.clone(), t.clone());
    view! {
        <li class="agenda__item" id=format!("punkt-{iid}")>
            <h3>{match item.proposal {
                Some((p, _)) => view! { <a href=format!("/forslag/{}", p.0)>{item.title.clone()}</a> }.into_any(),
                None => view! { <span>{item.title.clone()}</span> }.into_any(),
            }}</h3>
            {item.proposal.map(|(_, s)| view! { <p class=format!("badge badge--{}", s.as_str())>{s.label(en)}</p> })}
            {application.map(|(app_id, status, _)| view! {
                <p class=format!("badge badge--pool-{}", status.as_str())>{status.label(en)}</p>
                <p><a href=format!("/puljen/ansoegning/{app_id}")>{tr(i18n, |l| td_string!(l, meeting_application_link))}</a></p>
            })}
            {hearing.map(|(h, _)| view! {
                <p><a href=format!("/hoeringer/{}", h.0)>{tr(i18n, |l| td_string!(l, meeting_hearing_link))}</a></p>
            })}
            {item.body.clone().map(|b| view! { <p class="prose">{b}</p> })}
            {can_run.then(|| view! {
                <div class="item-tools">
                    {(!first).then(|| view! {
                        <ActionForm action=a.move_item attr:class="inline-form">
                            <input type="hidden" name="item_id" value=iid />
                            <input type="hidden" name="direction" value="up" />
                            <button type="submit" class="link-button">{tr(i18n, |l| td_string!(l, meeting_move_up))}<span class="visually-hidden">": "{t1.clone()}</span></button>
                        </ActionForm>
                    })}
                    {(!last).then(|| view! {
                        <ActionForm action=a.move_item attr:class="inline-form">
                            <input type="hidden" name="item_id" value=iid />
                            <input type="hidden" name="direction" value="down" />
                            <button type="submit" class="link-button">{tr(i18n, |l| td_string!(l, meeting_move_down))}<span class="visually-hidden">": "{t2.clone()}</span></button>
                        </ActionForm>
                    })}
                    {(!has_vote && matches!(status, MeetingStatus::Published | MeetingStatus::Held)).then(|| view! {
                        <ActionForm action=a.open attr:class="inline-form">
                            <input type="hidden" name="item_id" value=iid />
                            <button type="submit" class="button button--secondary">{tr(i18n, |l| td_string!(l, vote_open))}<span class="visually-hidden">": "{t3.clone()}</span></button>
                        </ActionForm>
                    })}
                </div>
            })}
            {item.vote.map(|v| view! { <Vote v a can_run is_member names_hidden title=item.title.clone() /> })}
            <Minutes versions=item.minutes.clone() />
            {(can_run && status == MeetingStatus::Held).then(|| {
                let sid = format!("summary-{iid}");
                let did = format!("decision-{iid}");
                let first = item.minutes.is_empty();
                view! {
                    <details class="minutes-form">
                        <summary>{if first { tr(i18n, |l| td_string!(l, minutes_write))() } else { tr(i18n, |l| td_string!(l, minutes_correct))() }}</summary>
                        <ActionForm action=a.minutes attr:class="form">
                            <input type="hidden" name="item_id" value=iid />
                            <div class="field">
                                <label for=sid.clone()>{tr(i18n, |l| td_string!(l, minutes_summary))}</label>
                                <textarea id=sid name="summary" rows="4" maxlength="10000" required></textarea>
                            </div>
                            <div class="field">
                                <label for=did.clone()>{tr(i18n, |l| td_string!(l, minutes_decision))}</label>
                                <textarea id=did name="decision" rows="2" maxlength="2000"></textarea>
                            </div>
                            <button type="submit" class="button button--secondary">{tr(i18n, |l| td_string!(l, minutes_save))}</button>
                        </ActionForm>
                    </details>
                }
            })}
            {(can_run && vote_passed && application.is_some_and(|(_, s, _)| s == ApplicationStatus::Submitted)).then(|| {
                let app_id = application.map(|(id, ..)| id).unwrap_or(0);
                view! {
                    <p><a class="button" href=format!("/puljen/ansoegning/{app_id}#afgoer")>{tr(i18n, |l| td_string!(l, meeting_application_decide))}</a></p>
                }
            })}
            {(can_run && vote_passed && hearing.is_some_and(|(_, awaiting)| awaiting)).then(|| view! {
                <ActionForm action=a.adopt attr:class="form">
                    <FormError error=adopt_error />
                    <p class="hint">{tr(i18n, |l| td_string!(l, meeting_adopt_hint))}</p>
                    <input type="hidden" name="item_id" value=iid />
                    <button type="submit" class="button">{tr(i18n, |l| td_string!(l, meeting_adopt_response))}</button>
                </ActionForm>
            })}
            {(can_run && on_agenda && (vote_closed || !has_vote)).then(|| view! {
                <details class="decide" open=move || vote_closed || decide_error.get().is_some()>
                    <summary>{tr(i18n, |l| td_string!(l, decide_title))}</summary>
                    <ActionForm action=a.decide attr:class="form">
                        <FormError error=decide_error />
                        <input type="hidden" name="item_id" value=iid />
                        {(!vote_passed).then(|| view! { <p class="hint">{tr(i18n, |l| td_string!(l, decide_needs_vote))}</p> })}
                        <fieldset aria-describedby=format!("decision-{iid}-error")>
                            <legend>{tr(i18n, |l| td_string!(l, decide_title))}</legend>
                            <div class="check"><input type="radio" id=format!("d-f-{iid}") name="decision" value=DecisionKind::Forward.as_str() checked=vote_passed />
                                <label for=format!("d-f-{iid}")>{tr(i18n, |l| td_string!(l, decide_forward))}</label></div>
                            <div class="check"><input type="radio" id=format!("d-r-{iid}") name="decision" value=DecisionKind::Reject.as_str() />
                                <label for=format!("d-r-{iid}")>{tr(i18n, |l| td_string!(l, decide_reject))}</label></div>
                            <div class="check"><input type="radio" id=format!("d-o-{iid}") name="decision" value=DecisionKind::SendOn.as_str() />
                                <label for=format!("d-o-{iid}")>{tr(i18n, |l| td_string!(l, decide_send_on))}</label></div>
                            <div class="check"><input type="radio" id=format!("d-s-{iid}") name="decision" value=DecisionKind::Resolve.as_str() checked=!vote_passed />
                                <label for=format!("d-s-{iid}")>{tr(i18n, |l| td_string!(l, decide_resolve))}</label></div>
                            <p class="field-error" id=format!("decision-{iid}-error") aria-live="polite">
                                {move || decide_error.get().filter(|e| e.field() == Some("decision")).map(|e| shown(&e))}
                            </p>
                        </fieldset>
                        <div class="field">
                            <label for=format!("committee-{iid}")>{tr(i18n, |l| td_string!(l, decide_committee))}</label>
                            <select id=format!("committee-{iid}") name="committee">
                                {committees.into_iter().map(|(id, name)| view! { <option value=id.to_string()>{name}</option> }).collect_view()}
                            </select>
                        </div>
                        <div class="field">
                            <label for=format!("text-{iid}")>{tr(i18n, |l| td_string!(l, decide_text))}</label>
                            <p class="hint" id=format!("text-{iid}-hint")>{tr(i18n, |l| td_string!(l, decide_text_hint))}</p>
                            <textarea id=format!("text-{iid}") name="text" rows="4" maxlength="5000" aria-describedby=format!("text-{iid}-hint text-{iid}-lix text-{iid}-error")></textarea>
                            <ReadabilityHint target=format!("text-{iid}") en />
                            <p class="field-error" id=format!("text-{iid}-error") aria-live="polite">
                                {move || decide_error.get().filter(|e| e.field() == Some("text")).map(|e| shown(&e))}
                            </p>
                        </div>
                        <button type="submit" class="button">{tr(i18n, |l| td_string!(l, decide_submit))}</button>
                    </ActionForm>
                </details>
            })}
        </li>
    }
}

#[component]
fn Vote(
    v: VoteView,
    a: Actions,
    can_run: bool,
    is_member: bool,
    names_hidden: bool,
    title: String,
) -> impl IntoView {
    let i18n = use_i18n();
    let en = is_en(i18n);
    let vid = v.id.0;
    view! {
        <section class="vote" aria-label=move || format!("{}: {}", trs(i18n, |l| td_string!(l, timeline_vote))(), title)>
            {if v.open {
                view! {
                    <p><strong>{tr(i18n, |l| td_string!(l, vote_is_open))}</strong>" — "
                        <span data-testid="voted-count">{v.voted}</span>" "{tr(i18n, |l| td_string!(l, vote_of))}" "{v.members}" "{tr(i18n, |l| td_string!(l, vote_have_voted))}
                        {v.secret.then(|| view! { " · "{tr(i18n, |l| td_string!(l, council_secret_ballot))} })}</p>
                    {if v.i_voted {
                        view! { <p class="success" role="status">{tr(i18n, |l| td_string!(l, vote_you_voted))}
                            {v.my_choice.map(|c| view! { ": "{c.label(en)} })}</p> }.into_any()
                    } else if is_member {
                        view! {
                            <ActionForm action=a.cast attr:class="vote-buttons">
                                <input type="hidden" name="vote_id" value=vid />
                                {[Choice::For, Choice::Imod, Choice::Undlader].into_iter().map(|c| view! {
                                    <button type="submit" name="choice" value=c.as_str() class="button">{c.label(en)}</button>
                                }).collect_view()}
                            </ActionForm>
                        }.into_any()
                    } else {
                        ().into_any()
                    }}
                    {can_run.then(|| view! {
                        <ActionForm action=a.close attr:class="inline-form">
                            <input type="hidden" name="vote_id" value=vid />
                            <button type="submit" class="button button--danger">{tr(i18n, |l| td_string!(l, vote_close))}</button>
                        </ActionForm>
                    })}
                }.into_any()
            } else {
                let t = v.tally.unwrap_or(crate::domain::proposal::VoteTally { yes: 0, no: 0, abstain: 0 });
                view! {
                    <p class="vote-result" data-testid="vote-result">
                        {format!("{}: {} {}, {} {}, {} {} — {}",
                            trs(i18n, |l| td_string!(l, vote_result))(),
                            t.yes, trs(i18n, |l| td_string!(l, vote_for))(),
                            t.no, trs(i18n, |l| td_string!(l, vote_against))(),
                            t.abstain, trs(i18n, |l| td_string!(l, vote_abstain))(),
                            v.outcome.map(|o| o.label(en)).unwrap_or(""))}
                    </p>
                    {(names_hidden && !v.secret).then(|| view! {
                        <p class="meta" data-testid="vote-names-hidden">{tr(i18n, |l| td_string!(l, vote_names_signed_in))}</p>
                    })}
                    {(!v.named.is_empty()).then(|| view! {
                        <p class="meta">{v.named.into_iter().map(|(n, c)| format!("{n}: {}", c.label(en))).collect::<Vec<_>>().join(" · ")}</p>
                    })}
                }.into_any()
            }}
        </section>
    }
}

/// The minutes of an item: the newest version, and earlier ones kept below it.
#[component]
fn Minutes(versions: Vec<crate::domain::council::MinutesView>) -> impl IntoView {
    let i18n = use_i18n();
    let en = is_en(i18n);
    let mut versions = versions.into_iter();
    versions.next().map(|latest| {
        let earlier: Vec<_> = versions.collect();
        view! {
            <div class="minutes">
                <h4>{tr(i18n, |l| td_string!(l, minutes_title))}
                    {(latest.version > 1).then(|| view! { " ("{tr(i18n, |l| td_string!(l, minutes_version))}" "{latest.version}")" })}</h4>
                <p class="prose">{latest.summary}</p>
                {latest.decision.map(|d| view! { <p><strong>{tr(i18n, |l| td_string!(l, minutes_decision))}": "</strong>{d}</p> })}
                {(!earlier.is_empty()).then(|| view! {
                    <details>
                        <summary>{tr(i18n, |l| td_string!(l, minutes_earlier))}</summary>
                        {earlier.into_iter().map(|m| view! {
                            <div class="minutes__old">
                                <p class="meta">{tr(i18n, |l| td_string!(l, minutes_version))}" "{m.version}" · "{date_time(m.at, en)}</p>
                                <p class="prose">{m.summary}</p>
                                {m.decision.map(|d| view! { <p>{d}</p> })}
                            </div>
                        }).collect_view()}
                    </details>
                })}
            </div>
        }
    })
}
