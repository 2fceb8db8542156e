//! `/hoeringer/{id}`: one hearing's whole timeline — the question, the background and its
//! files, each council's status, the adopted responses with their votes, declines with
//! their explanation, young people's input, and the feedback per response — and the forms
//! for whoever may act.
use crate::api::hearings::{
    get_hearing, AddHearingInput, CommentOnDraft, DeclineHearing, ModerateHearingInput,
    PublishFeedback, SaveHearingDraft,
};
use crate::domain::council::Choice;
use crate::domain::error::AppError;
use crate::domain::hearing::{
    use_field, why_field, CouncilResponse, HearingView, InputStatus, Phase, ResponseStatus, UseKind,
};
use crate::domain::ids::HearingId;
use crate::i18n::*;
use crate::ui::auth::action_error;
use crate::ui::components::form::{flashed, FormError, TextArea};
use crate::ui::components::hearing_file_upload::HearingFileUpload;
use crate::ui::components::once_field::OnceField;
use crate::ui::error_text::shown;
use crate::ui::format::{date, date_time, iso};
use crate::ui::islands::ReadabilityHint;
use crate::ui::tr::{is_en, tr, trs};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;
use leptos_router::hooks::{use_params_map, use_query_map};

/// The error on `field`, as text.
fn field_error(
    error: Signal<Option<AppError>>,
    field: String,
) -> impl Fn() -> Option<String> + Send + Sync + 'static {
    move || {
        error
            .get()
            .filter(|e| e.field() == Some(field.as_str()))
            .map(|e| shown(&e))
    }
}

#[component]
pub fn HearingPage() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_params_map();
    let id = move || {
        params
            .read()
            .get("id")
            .and_then(|v| v.parse::<i64>().ok())
            .unwrap_or(0)
    };
    let draft = ServerAction::<SaveHearingDraft>::new();
    let comment = ServerAction::<CommentOnDraft>::new();
    let decline = ServerAction::<DeclineHearing>::new();
    let input = ServerAction::<AddHearingInput>::new();
    let moderate = ServerAction::<ModerateHearingInput>::new();
    let feedback = ServerAction::<PublishFeedback>::new();
    let hearing = Resource::new(
        move || {
            (
                id(),
                draft.version().get(),
                comment.version().get(),
                decline.version().get(),
                input.version().get(),
                moderate.version().get(),
                feedback.version().get(),
            )
        },
        |(id, ..)| get_hearing(HearingId(id)),
    );
    let errors = Errors {
        draft: action_error(draft),
        comment: action_error(comment),
        decline: action_error(decline),
        input: action_error(input),
        moderate: action_error(moderate),
        feedback: action_error(feedback),
    };
    view! {
        <Transition fallback=move || view! { <p>{tr(i18n, |l| td_string!(l, loading))}</p> }>
            {move || hearing.get().map(|r| match r {
                Err(AppError::NotFound) => view! { <h1>{tr(i18n, |l| td_string!(l, hearing_not_found))}</h1> }.into_any(),
                Err(e) => view! { <p class="form-error" role="alert">{shown(&e)}</p> }.into_any(),
                Ok(h) => view! {
                    <Hearing h errors draft comment decline input moderate feedback />
                }.into_any(),
            })}
        </Transition>
    }
}

#[derive(Clone, Copy)]
struct Errors {
    draft: Signal<Option<AppError>>,
    comment: Signal<Option<AppError>>,
    decline: Signal<Option<AppError>>,
    input: Signal<Option<AppError>>,
    moderate: Signal<Option<AppError>>,
    feedback: Signal<Option<AppError>>,
}

#[component]
#[allow(clippy::too_many_arguments)]
fn Hearing(
    h: HearingView,
    errors: Errors,
    draft: ServerAction<SaveHearingDraft>,
    comment: ServerAction<CommentOnDraft>,
    decline: ServerAction<DeclineHearing>,
    input: ServerAction<AddHearingInput>,
    moderate: ServerAction<ModerateHearingInput>,
    feedback: ServerAction<PublishFeedback>,
) -> impl IntoView {
    let i18n = use_i18n();
    let en = is_en(i18n);
    // The code of a refused upload (the upload route redirects back with `?fil=`).
    let file_error = use_query_map().read_untracked().get("fil");
    let hid_input = h.id.0.to_string();
    let hid_feedback = h.id.0.to_string();
    let hid = h.id.0.to_string();
    let phase = match h.phase {
        Phase::Open => trs(i18n, |l| td_string!(l, hearing_phase_open))(),
        Phase::AwaitingFeedback => trs(i18n, |l| td_string!(l, hearings_awaiting))(),
        Phase::FeedbackOverdue { days } => format!(
            "{} — {days} {}",
            trs(i18n, |l| td_string!(l, hearings_overdue))(),
            trs(i18n, |l| td_string!(l, hearing_days_overdue))()
        ),
        Phase::FeedbackGiven => trs(i18n, |l| td_string!(l, hearings_given))(),
    };
    let responded: Vec<CouncilResponse> = h
        .councils
        .iter()
        .filter(|c| c.status == ResponseStatus::Responded)
        .cloned()
        .collect();
    view! {
        <Title text=h.title.clone() />
        <p class="meta"><A href="/hoeringer">{tr(i18n, |l| td_string!(l, hearings_title))}</A></p>
        <h1>{h.title.clone()}</h1>
        <p class="badge" data-testid="hearing-phase">{phase}</p>
        <dl class="facts">
            <dt>{tr(i18n, |l| td_string!(l, hearing_sent_by))}</dt><dd>{h.sender.clone()}" ("{h.committee.clone()}")"</dd>
            <dt>{tr(i18n, |l| td_string!(l, hearing_respond_by))}</dt><dd><time datetime=iso(h.respond_by)>{date(h.respond_by, en)}</time></dd>
            <dt>{tr(i18n, |l| td_string!(l, hearing_decision_at))}</dt><dd><time datetime=iso(h.decision_at)>{date(h.decision_at, en)}</time></dd>
            <dt>{tr(i18n, |l| td_string!(l, hearing_feedback_by))}</dt><dd><time datetime=iso(h.feedback_by)>{date(h.feedback_by, en)}</time></dd>
        </dl>
        <h2>{tr(i18n, |l| td_string!(l, hearing_question))}</h2>
        <p class="lead prose">{h.question.clone()}</p>
        {(!h.background.is_empty()).then(|| view! {
            <h2>{tr(i18n, |l| td_string!(l, hearing_background))}</h2>
            <p class="prose">{h.background.clone()}</p>
        })}
        {(!h.files.is_empty()).then(|| view! {
            <h2>{tr(i18n, |l| td_string!(l, hearing_attachments))}</h2>
            <ul>
                {h.files.iter().map(|f| view! {
                    <li><a href=f.href()>{f.name.clone()}</a>
                        " ("{(f.size + 1023) / 1024}" kB)"</li>
                }).collect_view()}
            </ul>
        })}
        {h.can_upload_files.then(|| view! { <HearingFileUpload hearing_id=h.id error=file_error.clone() /> })}
        <h2>{tr(i18n, |l| td_string!(l, hearing_responses))}</h2>
        <ul class="cards">
            {h.councils.iter().cloned().map(|c| view! {
                <CouncilCard c hid=hid.clone() errors draft comment decline />
            }).collect_view()}
        </ul>
        {h.feedback_at.map(|at| view! {
            <h2>{tr(i18n, |l| td_string!(l, hearing_feedback))}</h2>
            <p class="meta"><time datetime=iso(at)>{date_time(at, en)}</time></p>
            <h3>{tr(i18n, |l| td_string!(l, hearing_decided))}</h3>
            <p class="prose">{h.decision_text.clone().unwrap_or_default()}</p>
        })}
        {(h.allow_input || !h.inputs.is_empty()).then(|| view! {
            <h2>{tr(i18n, |l| td_string!(l, hearing_inputs))}</h2>
            <FormError error=errors.moderate />
            <ul class="comments">
                {h.inputs.iter().map(|i| {
                    let by = i.author.clone().unwrap_or_else(|| trs(i18n, |l| td_string!(l, hearing_anonymous))());
                    let status = match i.status {
                        InputStatus::Approved => None,
                        InputStatus::Pending => Some(trs(i18n, |l| td_string!(l, hearing_input_pending))()),
                        InputStatus::Rejected => Some(trs(i18n, |l| td_string!(l, hearing_input_rejected))()),
                    };
                    let iid = i.id.0.to_string();
                    let can = h.can_moderate_inputs && i.status == InputStatus::Pending;
                    view! {
                        <li>
                            <p class="meta">{by}" · "<time datetime=iso(i.at)>{date(i.at, en)}</time>
                                {status.map(|s| view! { " · "<span class="badge">{s}</span> })}</p>
                            <p class="prose">{i.body.clone()}</p>
                            {can.then(|| view! {
                                <ActionForm action=moderate attr:class="inline-form">
                                    <input type="hidden" name="input_id" value=iid.clone() />
                                    <button type="submit" name="decision" value="approve" class="button button--secondary">{tr(i18n, |l| td_string!(l, hearing_approve))}</button>
                                    " "
                                    <button type="submit" name="decision" value="reject" class="button button--secondary">{tr(i18n, |l| td_string!(l, hearing_reject))}</button>
                                </ActionForm>
                            })}
                        </li>
                    }
                }).collect_view()}
            </ul>
            {h.can_give_input.then(|| view! {
                <ActionForm action=input attr:class="form">
                    <FormError error=errors.input />
                    <OnceField />
                    <input type="hidden" name="hearing_id" value=hid_input />
                    <TextArea name="body" label=move || tr(i18n, |l| td_string!(l, hearing_input_label))()
                        hint=move || tr(i18n, |l| td_string!(l, hearing_input_hint))() error=errors.input required=true maxlength=1000 rows=4 />
                    <div class="checkbox">
                        <input type="checkbox" id="f-anonymous" name="anonymous" value="1" />
                        <label for="f-anonymous">{tr(i18n, |l| td_string!(l, hearing_input_anonymous))}</label>
                    </div>
                    <button type="submit" class="button">{tr(i18n, |l| td_string!(l, hearing_input_send))}</button>
                </ActionForm>
            })}
        })}
        {h.can_publish_feedback.then(|| view! {
            <h2>{tr(i18n, |l| td_string!(l, hearing_feedback_form))}</h2>
            <ActionForm action=feedback attr:class="form">
                <FormError error=errors.feedback />
                <input type="hidden" name="hearing_id" value=hid_feedback />
                <TextArea name="decision_text" label=move || tr(i18n, |l| td_string!(l, hearing_decision_text_label))()
                    error=errors.feedback required=true maxlength=5000 rows=4 readability=true />
                {responded.iter().enumerate().map(|(n, c)| {
                    let use_name = format!("uses[{n}][kind]");
                    let why_name = format!("uses[{n}][why]");
                    let use_err = field_error(errors.feedback, use_field(c.council_id));
                    let why_err = field_error(errors.feedback, why_field(c.council_id));
                    let why_id = format!("f-why-{}", c.council_id.0);
                    let chosen = flashed(&use_name);
                    let why_value = flashed(&why_name).unwrap_or_default();
                    view! {
                        <fieldset class="field">
                            <legend>{c.council.clone()}": "{tr(i18n, |l| td_string!(l, hearing_use_label))}</legend>
                            <input type="hidden" name=format!("uses[{n}][council_id]") value=c.council_id.0.to_string() />
                            {UseKind::ALL.into_iter().map(|k| {
                                let rid = format!("f-use-{}-{}", c.council_id.0, k.as_str());
                                let on = chosen.as_deref() == Some(k.as_str());
                                view! {
                                    <div class="radio">
                                        <input type="radio" id=rid.clone() name=use_name.clone() value=k.as_str() checked=on required=true />
                                        <label for=rid>{k.label(en)}</label>
                                    </div>
                                }
                            }).collect_view()}
                            <p class="field-error" aria-live="polite">{use_err}</p>
                            <label for=why_id.clone()>{tr(i18n, |l| td_string!(l, hearing_why_label))}</label>
                            <p class="hint">{tr(i18n, |l| td_string!(l, hearing_why_hint))}</p>
                            <textarea id=why_id.clone() name=why_name rows=6 maxlength=10000
                                aria-describedby=format!("{why_id}-lix {why_id}-error")>{why_value}</textarea>
                            <ReadabilityHint target=why_id.clone() en />
                            <p class="field-error" id=format!("{why_id}-error") aria-live="polite">{why_err}</p>
                        </fieldset>
                    }
                }).collect_view()}
                <button type="submit" class="button">{tr(i18n, |l| td_string!(l, hearing_publish))}</button>
            </ActionForm>
        })}
    }
}

#[component]
fn CouncilCard(
    c: CouncilResponse,
    hid: String,
    errors: Errors,
    draft: ServerAction<SaveHearingDraft>,
    comment: ServerAction<CommentOnDraft>,
    decline: ServerAction<DeclineHearing>,
) -> impl IntoView {
    let i18n = use_i18n();
    let en = is_en(i18n);
    let cid = c.council_id.0.to_string();
    let (hid1, cid1, hid2, cid2, hid3, cid3) = (
        hid.clone(),
        cid.clone(),
        hid.clone(),
        cid.clone(),
        hid,
        cid.clone(),
    );
    let draft_text = c.draft.clone().unwrap_or_default();
    let draft_shown = draft_text.clone();
    let tally = c.tally.map(|t| {
        format!(
            "{} {} · {} {} · {} {}",
            Choice::For.label(en),
            t.yes,
            Choice::Imod.label(en),
            t.no,
            Choice::Undlader.label(en),
            t.abstain
        )
    });
    view! {
        <li class="card" data-testid=format!("council-{cid}")>
            <h3 class="card__title"><a href=format!("/raad/{cid}")>{c.council.clone()}</a></h3>
            <p class="meta">{c.status.label(en)}
                {c.decided_at.map(|at| view! { " · "<time datetime=iso(at)>{date(at, en)}</time> })}
                {c.agenda.map(|(m, _)| view! { " · "<a href=format!("/moeder/{}", m.0)>{tr(i18n, |l| td_string!(l, hearing_on_agenda_at))}</a> })}</p>
            {c.response.clone().map(|r| view! {
                <h4>{tr(i18n, |l| td_string!(l, hearing_response))}</h4>
                <p class="prose">{r}</p>
                {tally.clone().map(|t| view! { <p class="meta">{tr(i18n, |l| td_string!(l, hearing_adopted_by_vote))}": "{t}</p> })}
            })}
            {c.decline_reason.clone().map(|r| view! {
                <h4>{tr(i18n, |l| td_string!(l, hearing_declined_why))}</h4>
                <p class="prose">{r}</p>
            })}
            {c.use_kind.map(|k| view! {
                <h4>{tr(i18n, |l| td_string!(l, hearing_feedback))}": "{k.label(en)}</h4>
                {c.use_text.clone().map(|t| view! { <p class="prose">{t}</p> })}
            })}
            {c.insider.then(|| view! {
                <details open=c.can_act || c.can_comment>
                    <summary>{tr(i18n, |l| td_string!(l, hearing_draft))}</summary>
                    {if c.can_act {
                        view! {
                            <ActionForm action=draft attr:class="form">
                                <FormError error=errors.draft />
                                <input type="hidden" name="hearing_id" value=hid1 />
                                <input type="hidden" name="council_id" value=cid1 />
                                <TextArea name="draft" label=move || tr(i18n, |l| td_string!(l, hearing_draft))()
                                    error=errors.draft maxlength=10_000 rows=8 value=draft_text readability=true />
                                <button type="submit" class="button button--secondary">{tr(i18n, |l| td_string!(l, hearing_save_draft))}</button>
                            </ActionForm>
                        }.into_any()
                    } else {
                        view! { <p class="prose">{draft_shown}</p> }.into_any()
                    }}
                    <h4>{tr(i18n, |l| td_string!(l, hearing_comments))}</h4>
                    <ul class="comments">
                        {c.comments.iter().map(|k| view! {
                            <li><p class="meta">{k.by.clone()}" · "<time datetime=iso(k.at)>{date_time(k.at, en)}</time></p>
                                <p class="prose">{k.body.clone()}</p></li>
                        }).collect_view()}
                    </ul>
                    {c.can_comment.then(|| view! {
                        <ActionForm action=comment attr:class="form">
                            <FormError error=errors.comment />
                            <OnceField />
                            <input type="hidden" name="hearing_id" value=hid2 />
                            <input type="hidden" name="council_id" value=cid2 />
                            <TextArea name="body" label=move || tr(i18n, |l| td_string!(l, hearing_comment_label))()
                                error=errors.comment required=true maxlength=2000 rows=3 />
                            <button type="submit" class="button button--secondary">{tr(i18n, |l| td_string!(l, hearing_comment))}</button>
                        </ActionForm>
                    })}
                </details>
            })}
            {c.can_act.then(|| view! {
                <details>
                    <summary>{tr(i18n, |l| td_string!(l, hearing_decline))}</summary>
                    <ActionForm action=decline attr:class="form">
                        <FormError error=errors.decline />
                        <input type="hidden" name="hearing_id" value=hid3 />
                        <input type="hidden" name="council_id" value=cid3 />
                        <TextArea name="reason" label=move || tr(i18n, |l| td_string!(l, hearing_decline_reason))()
                            hint=move || tr(i18n, |l| td_string!(l, hearing_decline_hint))() error=errors.decline required=true maxlength=5000 rows=3 readability=true />
                        <button type="submit" class="button button--danger">{tr(i18n, |l| td_string!(l, hearing_decline))}</button>
                    </ActionForm>
                </details>
            })}
        </li>
    }
}
