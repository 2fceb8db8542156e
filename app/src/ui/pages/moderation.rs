//! Moderation: open reports and proposals awaiting approval; the pre-moderation switch.
use crate::api::moderation::{
    moderation_queue, ApproveProposal, DismissReport, HideContent, SetAnswerWeeks, SetPreModeration,
};
use crate::domain::error::AppError;
use crate::i18n::*;
use crate::ui::auth::{action_error, use_auth};
use crate::ui::components::form::{Field, FormError};
use crate::ui::error_text::shown;
use crate::ui::format::{date, iso};
use crate::ui::tr::{is_en, tr, trs};
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn ModerationPage() -> impl IntoView {
    let i18n = use_i18n();
    let hide = ServerAction::<HideContent>::new();
    let dismiss = ServerAction::<DismissReport>::new();
    let approve = ServerAction::<ApproveProposal>::new();
    let pre = ServerAction::<SetPreModeration>::new();
    let weeks = ServerAction::<SetAnswerWeeks>::new();
    let weeks_error = action_error(weeks);
    let auth = use_auth();
    let queue = Resource::new(
        move || {
            (
                hide.version().get(),
                dismiss.version().get(),
                approve.version().get(),
                pre.version().get(),
                weeks.version().get(),
            )
        },
        |_| moderation_queue(),
    );
    let last_error = Signal::derive(move || {
        [
            hide.value().get().and_then(|r| r.err()),
            dismiss.value().get().and_then(|r| r.err()),
            approve.value().get().and_then(|r| r.err()),
            pre.value().get().and_then(|r| r.err()),
        ]
        .into_iter()
        .flatten()
        .next()
    });
    view! {
        <Title text=trs(i18n, |l| td_string!(l, moderation_title))() />
        <h1>{tr(i18n, |l| td_string!(l, moderation_title))}</h1>
        {move || last_error.get().map(|e| view! { <p class="form-error" role="alert">{shown(&e)}</p> })}
        <Transition fallback=move || view! { <p>{tr(i18n, |l| td_string!(l, loading))}</p> }>
            {move || queue.get().map(|r| match r {
                Err(AppError::Unauthenticated | AppError::Forbidden) => view! {
                    <p class="notice">{tr(i18n, |l| td_string!(l, admin_no_access))}</p>
                }.into_any(),
                Err(e) => view! { <p class="form-error" role="alert">{shown(&e)}</p> }.into_any(),
                Ok(q) => {
                    let en = is_en(i18n);
                    view! {
                        <section aria-labelledby="forhaand">
                            <h2 id="forhaand">{tr(i18n, |l| td_string!(l, moderation_pre_title))}</h2>
                            <p>{if q.pre_moderation { tr(i18n, |l| td_string!(l, moderation_pre_on))() } else { tr(i18n, |l| td_string!(l, moderation_pre_off))() }}</p>
                            <ActionForm action=pre attr:class="inline-form">
                                <input type="hidden" name="on" value=if q.pre_moderation { "off" } else { "on" } />
                                <button type="submit" class="button button--secondary">
                                    {if q.pre_moderation { tr(i18n, |l| td_string!(l, moderation_pre_turn_off))() } else { tr(i18n, |l| td_string!(l, moderation_pre_turn_on))() }}
                                </button>
                            </ActionForm>
                        </section>
                        {auth.current().is_some_and(|u| u.has(crate::domain::account::RoleKind::Sekretariat)).then(|| view! {
                            <section aria-labelledby="svarfrist">
                                <h2 id="svarfrist">{tr(i18n, |l| td_string!(l, settings_answer_weeks_title))}</h2>
                                <ActionForm action=weeks attr:class="form form--inline">
                                    <FormError error=weeks_error />
                                    <Field name="weeks" inputmode="numeric" maxlength=2 required=true value=q.answer_weeks.to_string()
                                        label=move || tr(i18n, |l| td_string!(l, settings_answer_weeks)) error=weeks_error />
                                    <button type="submit" class="button button--secondary">{tr(i18n, |l| td_string!(l, council_save_rules))}</button>
                                </ActionForm>
                            </section>
                        })}
                        <section aria-labelledby="afventer">
                            <h2 id="afventer">{tr(i18n, |l| td_string!(l, moderation_pending))}" ("{q.pending.len()}")"</h2>
                            {q.pending.is_empty().then(|| view! { <p class="empty">{tr(i18n, |l| td_string!(l, moderation_nothing))}</p> })}
                            <ul class="cards">
                                {q.pending.into_iter().map(|p| view! {
                                    <li class="card">
                                        <h3 class="card__title"><a href=format!("/forslag/{}", p.id.0)>{p.title}</a></h3>
                                        <p class="meta">{p.theme.label(en)}" · "{p.author.label(en)}</p>
                                        <ActionForm action=approve attr:class="inline-form">
                                            <input type="hidden" name="proposal_id" value=p.id.0 />
                                            <button type="submit" class="button">{tr(i18n, |l| td_string!(l, moderation_approve))}</button>
                                        </ActionForm>
                                    </li>
                                }).collect_view()}
                            </ul>
                        </section>
                        <section aria-labelledby="anmeldelser">
                            <h2 id="anmeldelser">{tr(i18n, |l| td_string!(l, moderation_reports))}" ("{q.reports.len()}")"</h2>
                            {q.reports.is_empty().then(|| view! { <p class="empty">{tr(i18n, |l| td_string!(l, moderation_nothing))}</p> })}
                            <ul class="cards">
                                {q.reports.into_iter().map(|r| {
                                    let field = format!("hide-reason-{}", r.id.0);
                                    view! {
                                        <li class="card">
                                            <h3 class="card__title"><a href=format!("/forslag/{}", r.proposal_id.0)>{r.proposal_title}</a></h3>
                                            <p class="meta">
                                                {if r.comment_id.is_some() { tr(i18n, |l| td_string!(l, moderation_about_comment))() } else { tr(i18n, |l| td_string!(l, moderation_about_proposal))() }}
                                                " · "<time datetime=iso(r.at)>{date(r.at, en)}</time>
                                            </p>
                                            <blockquote class="excerpt">{r.excerpt}</blockquote>
                                            <p><strong>{tr(i18n, |l| td_string!(l, moderation_reason))}": "</strong>{r.reason.clone()}</p>
                                            {(!r.hidden).then(|| view! {
                                                <ActionForm action=hide attr:class="form">
                                                    <input type="hidden" name="proposal_id" value=r.proposal_id.0 />
                                                    {r.comment_id.map(|c| view! { <input type="hidden" name="comment_id" value=c.0 /> })}
                                                    <div class="field">
                                                        <label for=field.clone()>{tr(i18n, |l| td_string!(l, hide_reason))}</label>
                                                        <input id=field name="reason" type="text" required minlength="5" maxlength="500" />
                                                    </div>
                                                    <button type="submit" class="button button--danger">{tr(i18n, |l| td_string!(l, hide_submit))}</button>
                                                </ActionForm>
                                            })}
                                            <ActionForm action=dismiss attr:class="inline-form">
                                                <input type="hidden" name="report_id" value=r.id.0 />
                                                <button type="submit" class="button button--secondary">{tr(i18n, |l| td_string!(l, moderation_dismiss))}</button>
                                            </ActionForm>
                                        </li>
                                    }
                                }).collect_view()}
                            </ul>
                        </section>
                    }.into_any()
                }
            })}
        </Transition>
    }
}
