//! The proposal page after the politicians answered: who answered and why, whether the
//! answer made sense to the young people ("Forstod du svaret?"), the politicians'
//! clarifications, and the follow-up form. Plain forms: they work without JavaScript.
use crate::api::answers::{AddFollowUp, AnswerUnderstood, ClarifyAnswer};
use crate::domain::answer::{Clarification, FeedbackSummary};
use crate::domain::proposal::{Answer, AnswerMeta, FollowUpState, Viewer};
use crate::i18n::*;
use crate::ui::auth::action_error;
use crate::ui::components::form::{flashed, FormError, TextArea};
use crate::ui::components::once_field::OnceField;
use crate::ui::error_text::shown;
use crate::ui::format::paragraphs;
use crate::ui::format::{date, iso};
use crate::ui::tr::{is_en, tr};
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

/// The actions of the answer section (created by the page, so no-JS posts report errors).
#[derive(Clone, Copy)]
pub struct AnswerActions {
    pub follow_up: ServerAction<AddFollowUp>,
    pub understood: ServerAction<AnswerUnderstood>,
    pub clarify: ServerAction<ClarifyAnswer>,
}

impl Default for AnswerActions {
    fn default() -> Self {
        Self {
            follow_up: ServerAction::new(),
            understood: ServerAction::new(),
            clarify: ServerAction::new(),
        }
    }
}

#[component]
pub fn AnswerSection(
    id: i64,
    /// The answer itself: shown first, before anyone is asked whether they understood it.
    answer: Option<Answer>,
    meta: Option<AnswerMeta>,
    feedback: FeedbackSummary,
    clarifications: Vec<Clarification>,
    viewer: Viewer,
    actions: AnswerActions,
) -> impl IntoView {
    let i18n = use_i18n();
    let en = is_en(i18n);
    let query = use_query_map();
    let notice = move |key: &'static str| query.read().get(key).is_some_and(|v| v == "1");
    let replies = feedback.understood + feedback.not_understood;
    view! {
        <section class="answer-section" id="svaret" aria-labelledby="svaret-titel">
            <h2 id="svaret-titel">{tr(i18n, |l| td_string!(l, answer_section_title))}</h2>
            {answer.map(|a| {
                let kind = a.kind();
                let text = a.text().map(str::to_owned);
                view! {
                    <div class="answer-text" data-testid="answer-text">
                        <p class=format!("answer-kind answer-kind--{}", kind.as_str())><strong>{kind.label(en)}</strong></p>
                        {text.map(|t| view! { <blockquote class="answer">{paragraphs(&t)}</blockquote> })}
                    </div>
                }
            })}
            {meta.map(|m| view! {
                <p class="meta" data-testid="answer-meta">
                    {m.by.map(|b| view! { {tr(i18n, |l| td_string!(l, answer_by))}" "{b}". " })}
                    {m.reason.map(|r| view! { {tr(i18n, |l| td_string!(l, answer_reason))}": "{r.label(en)} })}
                </p>
            })}
            <p class="understood-share" data-testid="understood-share">
                {match feedback.share() {
                    Some(pct) => view! {
                        {pct}" % "{tr(i18n, |l| td_string!(l, understood_share))}" ("{replies}" "
                        {tr(i18n, |l| td_string!(l, understood_replies))}")"
                    }.into_any(),
                    None => view! { {tr(i18n, |l| td_string!(l, understood_none))} }.into_any(),
                }}
            </p>
            {(!clarifications.is_empty()).then(|| view! {
                <h3>{tr(i18n, |l| td_string!(l, clarifications_title))}</h3>
                <ul class="clarifications">
                    {clarifications.into_iter().map(|c| view! {
                        <li>
                            <p class="meta"><time datetime=iso(c.at)>{date(c.at, en)}</time>" · "{c.by}</p>
                            <blockquote class="answer">{paragraphs(&c.body)}</blockquote>
                        </li>
                    }).collect_view()}
                </ul>
            })}
            {notice("forstaaet").then(|| view! { <p class="success" role="status">{tr(i18n, |l| td_string!(l, understood_thanks))}</p> })}
            {notice("uddybet").then(|| view! { <p class="success" role="status">{tr(i18n, |l| td_string!(l, clarify_done))}</p> })}
            {notice("opfoelgning").then(|| view! { <p class="success" role="status">{tr(i18n, |l| td_string!(l, follow_up_done))}</p> })}
            {viewer.can_give_feedback.then(|| view! { <FeedbackForms id feedback=feedback.clone() action=actions.understood /> })}
            {viewer.can_clarify.then(|| view! { <ClarifyForm id waiting=feedback.wants_clearer action=actions.clarify /> })}
            {viewer.can_follow_up.then(|| view! { <FollowUpForm id action=actions.follow_up /> })}
        </section>
    }
}

/// "Forstod du svaret?" — Ja / Nej, and "Bed om et klarere svar".
#[component]
fn FeedbackForms(
    id: i64,
    feedback: FeedbackSummary,
    action: ServerAction<AnswerUnderstood>,
) -> impl IntoView {
    let i18n = use_i18n();
    let error = action_error(action);
    let button = |value: &'static str, clearer: bool, label: AnyView, class: &'static str| {
        view! {
            <ActionForm action attr:class="inline-form">
                <input type="hidden" name="proposal_id" value=id />
                <input type="hidden" name="understood" value=value />
                {clearer.then(|| view! { <input type="hidden" name="clearer" value="1" /> })}
                <button type="submit" class=class>{label}</button>
            </ActionForm>
        }
    };
    let mine = match feedback.mine {
        Some(true) => Some(tr(i18n, |l| td_string!(l, understood_mine_yes))().to_string()),
        Some(false) => Some(tr(i18n, |l| td_string!(l, understood_mine_no))().to_string()),
        None => None,
    };
    view! {
        <div class="feedback" role="group" aria-labelledby="forstod">
            <h3 id="forstod">{tr(i18n, |l| td_string!(l, understood_question))}</h3>
            <FormError error />
            {mine.map(|m| view! { <p class="meta" data-testid="understood-mine">{m}</p> })}
            <div class="button-row">
                {button("ja", false, tr(i18n, |l| td_string!(l, understood_yes))().into_any(), "button button--secondary")}
                {button("nej", false, tr(i18n, |l| td_string!(l, understood_no))().into_any(), "button button--secondary")}
            </div>
            {if feedback.mine_wants_clearer {
                view! { <p class="meta">{tr(i18n, |l| td_string!(l, understood_clearer_waiting))}</p> }.into_any()
            } else {
                button("nej", true, tr(i18n, |l| td_string!(l, understood_clearer))().into_any(), "link-button").into_any()
            }}
        </div>
    }
}

/// A politician of the committee explains the answer further.
#[component]
fn ClarifyForm(id: i64, waiting: i64, action: ServerAction<ClarifyAnswer>) -> impl IntoView {
    let i18n = use_i18n();
    let error = action_error(action);
    view! {
        <div class="clarify" id="uddyb">
            <h3>{tr(i18n, |l| td_string!(l, clarify_title))}</h3>
            {(waiting > 0).then(|| view! {
                <p class="notice" data-testid="clearer-waiting">{waiting}" "{tr(i18n, |l| td_string!(l, clarify_waiting))}</p>
            })}
            <ActionForm action attr:class="form">
                <OnceField />
                <FormError error />
                <input type="hidden" name="proposal_id" value=id />
                <TextArea name="clarification" label=move || tr(i18n, |l| td_string!(l, clarify_label))()
                    hint=move || tr(i18n, |l| td_string!(l, clarify_hint))() error required=true maxlength=10_000 readability=true />
                <button type="submit" class="button">{tr(i18n, |l| td_string!(l, clarify_submit))}</button>
            </ActionForm>
        </div>
    }
}

/// A dated follow-up note with a state (after Ja or Delvist).
#[component]
fn FollowUpForm(id: i64, action: ServerAction<AddFollowUp>) -> impl IntoView {
    let i18n = use_i18n();
    let en = is_en(i18n);
    let error = action_error(action);
    let state_error = move || {
        error
            .get()
            .filter(|e| e.field() == Some("state"))
            .map(|e| shown(&e))
    };
    view! {
        <div class="follow-up-form" id="opfoelgning">
            <h3>{tr(i18n, |l| td_string!(l, follow_up_title))}</h3>
            <ActionForm action attr:class="form">
                <OnceField />
                <FormError error />
                <input type="hidden" name="proposal_id" value=id />
                <div class="field">
                    <label for="f-state">{tr(i18n, |l| td_string!(l, follow_up_state))}</label>
                    <select id="f-state" name="state" required aria-describedby="f-state-error">
                        <option value="">{tr(i18n, |l| td_string!(l, follow_up_state_none))}</option>
                        {[FollowUpState::Planlagt, FollowUpState::IGang, FollowUpState::Gennemfoert, FollowUpState::Opgivet]
                            .into_iter()
                            .map(|s| view! { <option value=s.as_str() selected=flashed("state").as_deref() == Some(s.as_str())>{s.label(en)}</option> })
                            .collect_view()}
                    </select>
                    <p class="field-error" id="f-state-error" aria-live="polite">{state_error}</p>
                </div>
                <TextArea name="explanation" label=move || tr(i18n, |l| td_string!(l, follow_up_note))()
                    hint=move || tr(i18n, |l| td_string!(l, follow_up_hint))() error required=true maxlength=10_000 readability=true />
                <button type="submit" class="button">{tr(i18n, |l| td_string!(l, follow_up_submit))}</button>
            </ActionForm>
        </div>
    }
}
