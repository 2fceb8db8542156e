//! `/live/{code}`: a live session on a phone and for its host. A participant votes, asks for
//! the floor and (in a class session) sends ideas and gives dots; the host runs the agenda,
//! the votes and the speakers' list and approves ideas. Every form is a plain post that
//! works without JavaScript; the live board (an island) keeps the tally current and reloads
//! the page when a form would change.
use crate::api::live::{
    get_live, AddLiveItem, CastLiveBallot, CloseLive, CloseLiveVote, JoinLive, LiveFloor,
    LiveSpeakers, OpenLiveVote,
};
use crate::domain::live::{LiveKind, LivePage};
use crate::i18n::*;
use crate::ui::auth::action_error;
use crate::ui::components::class_session::{ClassPupil, ClassTeacher};
use crate::ui::components::form::{Field, FormError, TextArea};
use crate::ui::components::once_field::OnceField;
use crate::ui::live_board::LiveBoard;
use crate::ui::tr::{is_en, tr, trs};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

#[derive(Clone, Copy)]
struct Actions {
    join: ServerAction<JoinLive>,
    ballot: ServerAction<CastLiveBallot>,
    floor: ServerAction<LiveFloor>,
    open_vote: ServerAction<OpenLiveVote>,
    close_vote: ServerAction<CloseLiveVote>,
    add_item: ServerAction<AddLiveItem>,
    speakers: ServerAction<LiveSpeakers>,
    close: ServerAction<CloseLive>,
}

#[component]
pub fn LiveSessionPage() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_params_map();
    let code = move || params.read().get("code").unwrap_or_default();
    let a = Actions {
        join: ServerAction::new(),
        ballot: ServerAction::new(),
        floor: ServerAction::new(),
        open_vote: ServerAction::new(),
        close_vote: ServerAction::new(),
        add_item: ServerAction::new(),
        speakers: ServerAction::new(),
        close: ServerAction::new(),
    };
    let page = Resource::new(code, get_live);
    view! {
        <Suspense fallback=move || view! { <p>{tr(i18n, |l| td_string!(l, loading))}</p> }>
            {move || page.get().map(|r| match r {
                Err(_) => view! {
                    <Title text=trs(i18n, |l| td_string!(l, live_title))() />
                    <h1>{tr(i18n, |l| td_string!(l, live_title))}</h1>
                    <p class="notice">{tr(i18n, |l| td_string!(l, live_not_found))}</p>
                    <p><a href="/live">{tr(i18n, |l| td_string!(l, live_back))}</a></p>
                }.into_any(),
                Ok(p) => view! { <Session p a /> }.into_any(),
            })}
        </Suspense>
    }
}

#[component]
fn Session(p: LivePage, a: Actions) -> impl IntoView {
    let i18n = use_i18n();
    let en = is_en(i18n);
    let code = p.session.code.clone();
    let open = p.state.open;
    let kind = match p.session.kind {
        LiveKind::Bytinget => tr(i18n, |l| td_string!(l, live_kind_bytinget)),
        LiveKind::Klasse => tr(i18n, |l| td_string!(l, live_kind_klasse)),
    };
    let class_line = p.session.class_name.clone().map(|c| {
        format!(
            " · {c}{}",
            p.session
                .school
                .clone()
                .map(|s| format!(", {s}"))
                .unwrap_or_default()
        )
    });
    view! {
        <Title text=p.session.title.clone() />
        <h1>{p.session.title.clone()}</h1>
        <p class="meta">
            {kind} {class_line} " · " {tr(i18n, |l| td_string!(l, live_code))} ": "
            <strong class="live-code" data-testid="live-code">{code.clone()}</strong>
        </p>
        {(!open).then(|| view! { <p class="notice">{tr(i18n, |l| td_string!(l, live_ended))}</p> })}
        {match (&p.me, &p.host, open) {
            (None, None, true) => Some(view! { <JoinBox code=code.clone() key=p.join_key.clone().unwrap_or_default() a /> }.into_any()),
            (Some(me), _, _) => Some(view! {
                <p class="live-me" data-testid="live-me">
                    {if en { format!("You are Participant {}", me.number) } else { format!("Du er Deltager {}", me.number) }}
                </p>
            }.into_any()),
            _ => None,
        }}
        {(p.me.is_some() && open).then(|| view! { <Participant p=p.clone() a /> })}
        {(p.me.is_some() && p.host.is_none() && p.session.kind == LiveKind::Klasse).then(|| view! { <ClassPupil page=p.clone() /> })}
        <LiveBoard code=code.clone() state=p.state.clone() big=false en reload=p.host.is_none() />
        <noscript>
            <p><a href="" class="button button--small">{tr(i18n, |l| td_string!(l, live_reload))}</a></p>
        </noscript>
        {p.host.is_some().then(|| view! { <Host p=p.clone() a /> })}
        {(p.host.is_some() && p.session.kind == LiveKind::Klasse).then(|| view! { <ClassTeacher page=p.clone() /> })}
    }
}

#[component]
fn JoinBox(code: String, key: String, a: Actions) -> impl IntoView {
    let i18n = use_i18n();
    let error = action_error(a.join);
    view! {
        <section class="card" aria-labelledby="live-join-h">
            <h2 id="live-join-h">{tr(i18n, |l| td_string!(l, live_join_h))}</h2>
            <ActionForm action=a.join attr:class="form">
                <FormError error />
                <input type="hidden" name="code" value=code />
                <input type="hidden" name="key" value=key />
                <p class="field-error" role="alert">{move || error.get().filter(|e| e.field() == Some("code")).map(|e| crate::ui::error_text::shown(&e))}</p>
                <button type="submit" class="button button--large">{tr(i18n, |l| td_string!(l, live_join))}</button>
            </ActionForm>
            <p class="hint">{tr(i18n, |l| td_string!(l, live_privacy))}</p>
        </section>
    }
}

#[component]
fn Participant(p: LivePage, a: Actions) -> impl IntoView {
    let i18n = use_i18n();
    let me = p.me.clone().unwrap_or_default();
    let ballot_error = action_error(a.ballot);
    let floor_error = action_error(a.floor);
    let vote = p.state.vote.clone().filter(|v| v.open).map(|v| {
        let voted = me.voted.contains(&v.id);
        if voted {
            view! { <p class="notice notice--ok" role="status" data-testid="live-voted">{tr(i18n, |l| td_string!(l, live_voted))}</p> }.into_any()
        } else {
            view! {
                <section class="card live-ballot" aria-labelledby="live-ballot-h">
                    <h2 id="live-ballot-h">{v.question.clone()}</h2>
                    <FormError error=ballot_error />
                    <div class="live-choices">
                        {v.options.clone().into_iter().enumerate().map(|(i, o)| view! {
                            <ActionForm action=a.ballot attr:class="live-choice">
                                <input type="hidden" name="vote_id" value=v.id.0 />
                                <input type="hidden" name="option" value=i />
                                <button type="submit" class="button button--large">{o.label}</button>
                            </ActionForm>
                        }).collect_view()}
                    </div>
                </section>
            }.into_any()
        }
    });
    let floor = (p.session.kind == LiveKind::Bytinget).then(|| {
        let code = p.session.code.clone();
        let (action, label) = if me.on_list {
            ("withdraw", tr(i18n, |l| td_string!(l, live_floor_withdraw)))
        } else {
            ("request", tr(i18n, |l| td_string!(l, live_floor_request)))
        };
        (me.on_list || p.state.speakers_open).then(|| view! {
            <ActionForm action=a.floor attr:class="form form--inline">
                <FormError error=floor_error />
                <input type="hidden" name="code" value=code />
                <input type="hidden" name="action" value=action />
                {me.on_list.then(|| view! { <p data-testid="live-on-list">{tr(i18n, |l| td_string!(l, live_on_list))}</p> })}
                <button type="submit" class="button button--secondary">{label}</button>
            </ActionForm>
        })
    });
    view! {
        {vote}
        {floor}
    }
}

#[component]
fn Host(p: LivePage, a: Actions) -> impl IntoView {
    let i18n = use_i18n();
    let host = p.host.clone().unwrap_or_default();
    let code = StoredValue::new(p.session.code.clone());
    let open = p.state.open;
    let vote_error = action_error(a.open_vote);
    let item_error = action_error(a.add_item);
    let speakers_error = action_error(a.speakers);
    let open_vote = p.state.vote.clone().filter(|v| v.open);
    let speaking = p
        .state
        .speakers
        .iter()
        .find(|s| s.speaking)
        .map_or(0, |s| s.id);
    let en = is_en(i18n);
    let name = move |n: i64| {
        if en {
            format!("Participant {n}")
        } else {
            format!("Deltager {n}")
        }
    };
    let items: Vec<(String, String)> = p
        .state
        .agenda
        .iter()
        .map(|i| (i.id.0.to_string(), i.title.clone()))
        .collect();
    view! {
        <section class="card live-host" aria-labelledby="live-host-h">
            <h2 id="live-host-h">{tr(i18n, |l| td_string!(l, live_host_h))}</h2>
            <div class="live-join-info">
                <div class="live-qr" role="img" aria-label=trs(i18n, |l| td_string!(l, live_qr_label))() inner_html=host.qr_svg.clone()></div>
                <p>{tr(i18n, |l| td_string!(l, live_join_at))} " " <strong>{host.join_url.clone()}</strong></p>
                <p><a class="button button--secondary" href=format!("/live/{}/skaerm", code.get_value()) data-testid="live-screen-link">{tr(i18n, |l| td_string!(l, live_screen_open))}</a></p>
            </div>
        </section>
        {if !open { None } else { Some(view! {
            <section class="card" aria-labelledby="live-agenda-h">
                <h2 id="live-agenda-h">{tr(i18n, |l| td_string!(l, live_agenda_h))}</h2>
                <ol>
                    {p.state.agenda.iter().map(|i| view! {
                        <li>{i.title.clone()} {i.proposal.map(|pid| view! { " (" <a href=format!("/forslag/{}", pid.0)>{format!("#{}", pid.0)}</a> ")" })}</li>
                    }).collect_view()}
                </ol>
                <ActionForm action=a.add_item attr:class="form">
                    <FormError error=item_error />
                    <OnceField />
                    <input type="hidden" name="code" value=code.get_value() />
                    <Field name="title" id="f-item-title" label=move || tr(i18n, |l| td_string!(l, live_f_item))() error=item_error maxlength=200 />
                    <Field name="proposal" id="f-item-proposal" label=move || tr(i18n, |l| td_string!(l, live_f_proposal))()
                        hint=move || tr(i18n, |l| td_string!(l, live_f_proposal_hint))() error=item_error inputmode="numeric" maxlength=12 />
                    <button type="submit" class="button button--secondary">{tr(i18n, |l| td_string!(l, live_item_add))}</button>
                </ActionForm>
            </section>
            <section class="card" aria-labelledby="live-votes-h">
                <h2 id="live-votes-h">{tr(i18n, |l| td_string!(l, live_votes_h))}</h2>
                {match open_vote.clone() {
                    Some(v) => view! {
                        <ActionForm action=a.close_vote attr:class="form form--inline">
                            <input type="hidden" name="vote_id" value=v.id.0 />
                            <button type="submit" class="button">{tr(i18n, |l| td_string!(l, live_vote_close))}</button>
                        </ActionForm>
                    }.into_any(),
                    None => view! {
                        <ActionForm action=a.open_vote attr:class="form">
                            <FormError error=vote_error />
                            <input type="hidden" name="code" value=code.get_value() />
                            <Field name="question" label=move || tr(i18n, |l| td_string!(l, live_f_question))() error=vote_error required=true maxlength=300 />
                            <TextArea name="options" label=move || tr(i18n, |l| td_string!(l, live_f_options))()
                                hint=move || tr(i18n, |l| td_string!(l, live_f_options_hint))() error=vote_error rows=3 maxlength=900 />
                            <Field name="seconds" kind="number" label=move || tr(i18n, |l| td_string!(l, live_f_seconds))()
                                hint=move || tr(i18n, |l| td_string!(l, live_f_seconds_hint))() error=vote_error inputmode="numeric" value="0".to_string() />
                            <div class="field">
                                <label for="f-item_id">{tr(i18n, |l| td_string!(l, live_f_vote_item))}</label>
                                <select id="f-item_id" name="item_id">
                                    <option value="">"—"</option>
                                    {items.iter().map(|(id, t)| view! { <option value=id.clone()>{t.clone()}</option> }).collect_view()}
                                </select>
                            </div>
                            <button type="submit" class="button">{tr(i18n, |l| td_string!(l, live_vote_open))}</button>
                        </ActionForm>
                    }.into_any(),
                }}
            </section>
            {if p.session.kind != LiveKind::Bytinget { None } else { Some(view! {
                <section class="card" aria-labelledby="live-spk-h">
                    <h2 id="live-spk-h">{tr(i18n, |l| td_string!(l, live_speakers_h))}</h2>
                    <FormError error=speakers_error />
                    <ol class="live-host-speakers">
                        {p.state.speakers.iter().enumerate().map(|(i, s)| {
                            // The one waiting just before (none for the first in line).
                            let ahead = i.checked_sub(1).and_then(|j| p.state.speakers.get(j)).filter(|x| !x.speaking).map_or(0, |x| x.id);
                            view! { <SpeakerRow code=code.get_value() id=s.id ahead who=name(s.number) speaking=s.speaking a /> }
                        }).collect_view()}
                    </ol>
                    <div class="live-host-row">
                        <ActionForm action=a.speakers attr:class="form--inline">
                            <input type="hidden" name="code" value=code.get_value() />
                            <input type="hidden" name="action" value="next" />
                            <input type="hidden" name="current" value=speaking />
                            <button type="submit" class="button" data-testid="live-next">{tr(i18n, |l| td_string!(l, live_next))}</button>
                        </ActionForm>
                        <ActionForm action=a.speakers attr:class="form--inline">
                            <input type="hidden" name="code" value=code.get_value() />
                            <input type="hidden" name="action" value=if p.state.speakers_open { "close" } else { "open" } />
                            <button type="submit" class="button button--secondary">
                                {if p.state.speakers_open { tr(i18n, |l| td_string!(l, live_list_close)) } else { tr(i18n, |l| td_string!(l, live_list_open)) }}
                            </button>
                        </ActionForm>
                    </div>
                </section>
            })}}
            <ActionForm action=a.close attr:class="form">
                <input type="hidden" name="code" value=code.get_value() />
                <button type="submit" class="button button--danger">{tr(i18n, |l| td_string!(l, live_end))}</button>
            </ActionForm>
        })}}
    }
}

#[component]
fn SpeakerRow(
    code: String,
    id: i64,
    ahead: i64,
    who: String,
    speaking: bool,
    a: Actions,
) -> impl IntoView {
    let i18n = use_i18n();
    let code = StoredValue::new(code);
    let up = format!("{} {who}", trs(i18n, |l| td_string!(l, live_up))());
    let remove = format!("{} {who}", trs(i18n, |l| td_string!(l, live_remove))());
    let up_form = (!speaking && ahead != 0).then(|| view! {
        <ActionForm action=a.speakers attr:class="form--inline">
            <input type="hidden" name="code" value=code.get_value() />
            <input type="hidden" name="action" value="up" />
            <input type="hidden" name="speaker" value=id />
            <input type="hidden" name="ahead" value=ahead />
            <button type="submit" class="button button--small" aria-label=up>{tr(i18n, |l| td_string!(l, live_up))}</button>
        </ActionForm>
    });
    let remove_form = (!speaking).then(|| view! {
        <ActionForm action=a.speakers attr:class="form--inline">
            <input type="hidden" name="code" value=code.get_value() />
            <input type="hidden" name="action" value="remove" />
            <input type="hidden" name="speaker" value=id />
            <button type="submit" class="button button--small button--secondary" aria-label=remove>{tr(i18n, |l| td_string!(l, live_remove))}</button>
        </ActionForm>
    });
    view! {
        <li>
            {who}
            {speaking.then(|| tr(i18n, |l| td_string!(l, live_speaking)))}
            {up_form}
            {remove_form}
        </li>
    }
}
