//! One application to the pool: what was asked for, the budget, the decision with its
//! explanation and vote, and the report-back. The chair decides here; the applicant
//! reports here after the activity.
use crate::api::pool::{get_application, DecideApplication, ReportBack};
use crate::domain::error::AppError;
use crate::domain::ids::ApplicationId;
use crate::domain::pool::{kroner, ApplicationAgenda, ApplicationDetail, ApplicationStatus};
use crate::i18n::*;
use crate::ui::auth::action_error;
use crate::ui::components::form::{flashed, Field, FormError, TextArea};
use crate::ui::error_text::shown;
use crate::ui::format::{date, iso};
use crate::ui::tr::{is_en, tr, trs};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;
use leptos_router::hooks::{use_params_map, use_query_map};

const ACTUAL: [&str; 6] = [
    "actual1", "actual2", "actual3", "actual4", "actual5", "actual6",
];

#[component]
pub fn PoolApplicationPage() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_params_map();
    let id = move || {
        params
            .read()
            .get("id")
            .and_then(|v| v.parse::<i64>().ok())
            .unwrap_or(0)
    };
    let decide: ServerAction<DecideApplication> = ServerAction::new();
    let report: ServerAction<ReportBack> = ServerAction::new();
    let data = Resource::new(
        move || (id(), decide.version().get(), report.version().get()),
        |(id, ..)| get_application(ApplicationId(id)),
    );
    view! {
        <Transition fallback=move || view! { <p>{tr(i18n, |l| td_string!(l, loading))}</p> }>
            {move || data.get().map(|r| match r {
                Ok(a) => view! { <Detail a decide report /> }.into_any(),
                Err(AppError::NotFound) => view! {
                    <Title text=trs(i18n, |l| td_string!(l, pool_app_not_found))() />
                    <h1>{tr(i18n, |l| td_string!(l, pool_app_not_found))}</h1>
                    <p><A href="/puljen">{tr(i18n, |l| td_string!(l, pool_title))}</A></p>
                }.into_any(),
                Err(e) => view! { <p class="form-error" role="alert">{shown(&e)}</p> }.into_any(),
            })}
        </Transition>
    }
}

#[component]
fn Detail(
    a: ApplicationDetail,
    decide: ServerAction<DecideApplication>,
    report: ServerAction<ReportBack>,
) -> impl IntoView {
    let i18n = use_i18n();
    let en = is_en(i18n);
    let query = use_query_map();
    let notice = move |k: &'static str| query.read().get(k).is_some_and(|v| v == "1");
    let x = &a.app;
    let reported = a.report.clone();
    view! {
        <Title text=x.title.clone() />
        <p class="meta"><A href=format!("/puljen?aar={}", a.year)>{tr(i18n, |l| td_string!(l, pool_title))}" "{a.year}</A></p>
        <h1>{x.title.clone()}</h1>
        {notice("sendt").then(|| view! { <p class="success" role="status">{tr(i18n, |l| td_string!(l, pool_sent))}</p> })}
        {notice("afgjort").then(|| view! { <p class="success" role="status">{tr(i18n, |l| td_string!(l, pool_decided))}</p> })}
        {notice("rapporteret").then(|| view! { <p class="success" role="status">{tr(i18n, |l| td_string!(l, pool_reported))}</p> })}
        <p class=format!("status status--{}", a.status.as_str()) data-testid="pool-status">
            {a.status.label(en)}
            {a.status.is_grant().then(|| view! { ": "{kroner(a.granted)}" "{tr(i18n, |l| td_string!(l, pool_of))}" "{kroner(x.amount)} })}
        </p>
        {a.explanation.clone().map(|e| view! {
            <h2>{tr(i18n, |l| td_string!(l, pool_explanation))}</h2>
            <blockquote class="answer"><p class="prose">{e}</p></blockquote>
        })}
        {a.conditions.clone().map(|c| view! { <p><strong>{tr(i18n, |l| td_string!(l, pool_conditions))}": "</strong>{c}</p> })}
        {a.votes.map(|(f, ag, ab)| view! {
            <p class="vote-result">{tr(i18n, |l| td_string!(l, pool_vote))}": "{f}" "{tr(i18n, |l| td_string!(l, pool_vote_for))}", "{ag}" "{tr(i18n, |l| td_string!(l, pool_vote_against))}", "{ab}" "{tr(i18n, |l| td_string!(l, pool_vote_abstain))}</p>
        })}
        {a.decided_at.map(|t| view! { <p class="meta">{tr(i18n, |l| td_string!(l, pool_decided_on))}" "<time datetime=iso(t)>{date(t, en)}</time></p> })}
        {a.status.is_grant().then(|| view! { <p class="meta" data-testid="report-state">{a.report_state.label(en)}</p> })}

        <h2>{tr(i18n, |l| td_string!(l, pool_about))}</h2>
        <p class="prose">{x.activity.clone()}</p>
        <dl class="facts">
            <dt>{tr(i18n, |l| td_string!(l, pool_f_audience))}</dt><dd>{x.audience.clone()}" ("{x.participants}")"</dd>
            <dt>{tr(i18n, |l| td_string!(l, pool_f_date))}</dt><dd>{x.date.format("%d.%m.%Y").to_string()}</dd>
            <dt>{tr(i18n, |l| td_string!(l, pool_f_place))}</dt><dd>{x.place.clone()}</dd>
            <dt>{tr(i18n, |l| td_string!(l, pool_applicant))}</dt><dd>{if a.applicant.is_empty() { trs(i18n, |l| td_string!(l, pool_applicant_hidden))() } else { a.applicant.clone() }}</dd>
        </dl>
        <h2>{tr(i18n, |l| td_string!(l, pool_f_budget))}</h2>
        <div class="table-wrap">
            <table class="table" data-testid="budget">
                <thead><tr>
                    <th scope="col">{tr(i18n, |l| td_string!(l, pool_f_line))}</th>
                    <th scope="col" class="num">{tr(i18n, |l| td_string!(l, pool_col_amount))}</th>
                    {reported.is_some().then(|| view! { <th scope="col" class="num">{tr(i18n, |l| td_string!(l, pool_spent))}</th> })}
                </tr></thead>
                <tbody>
                    {x.lines.iter().map(|l| view! {
                        <tr>
                            <td>{l.text.clone()}</td>
                            <td class="num">{kroner(l.amount)}</td>
                            {reported.is_some().then(|| view! { <td class="num">{kroner(l.actual.unwrap_or(0))}</td> })}
                        </tr>
                    }).collect_view()}
                </tbody>
                <tfoot><tr><th scope="row">{tr(i18n, |l| td_string!(l, pool_total))}</th><td class="num">{kroner(x.amount)}</td>
                    {reported.is_some().then(|| view! { <td class="num">{kroner(x.lines.iter().filter_map(|l| l.actual).sum())}</td> })}
                </tr></tfoot>
            </table>
        </div>
        {reported.map(|r| view! {
            <h2>{tr(i18n, |l| td_string!(l, pool_became))}</h2>
            <p class="prose">{r.text}</p>
            <p class="meta">{r.participants}" "{tr(i18n, |l| td_string!(l, pool_took_part))}" · "
                {tr(i18n, |l| td_string!(l, pool_returned))}": "{kroner(a.returned)}</p>
        })}
        {match (a.can_decide, a.agenda) {
            (true, Some(agenda)) => view! { <DecideForm id=a.id asked=x.amount agenda action=decide /> }.into_any(),
            (false, Some(agenda)) if a.status == ApplicationStatus::Submitted => view! {
                <p class="hint" data-testid="pool-waits">{tr(i18n, |l| td_string!(l, pool_waits_for_vote))}" "
                    <a href=format!("/moeder/{}#punkt-{}", agenda.meeting, agenda.item)>{tr(i18n, |l| td_string!(l, pool_see_meeting))}</a></p>
            }.into_any(),
            _ if a.runner && a.status == ApplicationStatus::Submitted => view! {
                <p class="hint" data-testid="pool-waits">{tr(i18n, |l| td_string!(l, pool_needs_agenda))}</p>
            }.into_any(),
            _ => ().into_any(),
        }}
        {(a.can_report && a.status != ApplicationStatus::Rejected).then(|| view! { <ReportForm id=a.id lines=x.lines.iter().map(|l| l.text.clone()).collect() action=report /> })}
    }
}

#[component]
fn DecideForm(
    id: i64,
    asked: i64,
    agenda: ApplicationAgenda,
    action: ServerAction<DecideApplication>,
) -> impl IntoView {
    let i18n = use_i18n();
    let error = action_error(action);
    let decision_error = move || {
        error
            .get()
            .filter(|e| e.field() == Some("decision"))
            .map(|e| shown(&e))
    };
    let choices: [(&str, crate::ui::tr::Key); 3] = [
        ("bevilget", |l| td_string!(l, pool_d_full)),
        ("delvist", |l| td_string!(l, pool_d_partly)),
        ("afslaaet", |l| td_string!(l, pool_d_reject)),
    ];
    view! {
        <section class="decide" aria-labelledby="afgoer">
            <h2 id="afgoer">{tr(i18n, |l| td_string!(l, pool_decide_title))}</h2>
            <p>{tr(i18n, |l| td_string!(l, pool_decide_lead))}" "{kroner(asked)}.</p>
            {agenda.tally.map(|(f, ag, ab)| view! {
                <p class="vote-result" data-testid="decision-vote">{tr(i18n, |l| td_string!(l, pool_decide_vote))}": "{f}" "{tr(i18n, |l| td_string!(l, pool_vote_for))}", "{ag}" "{tr(i18n, |l| td_string!(l, pool_vote_against))}", "{ab}" "{tr(i18n, |l| td_string!(l, pool_vote_abstain))}
                    " — "<a href=format!("/moeder/{}#punkt-{}", agenda.meeting, agenda.item)>{tr(i18n, |l| td_string!(l, pool_see_meeting))}</a></p>
            })}
            <ActionForm action attr:class="form">
                <FormError error />
                <input type="hidden" name="application_id" value=id />
                <input type="hidden" name="item_id" value=agenda.item />
                <fieldset aria-describedby="f-decision-error">
                    <legend>{tr(i18n, |l| td_string!(l, pool_decision))}</legend>
                    {choices.into_iter().map(|(value, label)| {
                        let rid = format!("decision-{value}");
                        view! {
                            <div class="check">
                                <input type="radio" id=rid.clone() name="decision" value=value required
                                    checked=flashed("decision").as_deref() == Some(value) />
                                <label for=rid>{tr(i18n, label)}</label>
                            </div>
                        }
                    }).collect_view()}
                    <p class="field-error" id="f-decision-error" aria-live="polite">{decision_error}</p>
                </fieldset>
                <Field name="amount" label=move || tr(i18n, |l| td_string!(l, pool_d_amount))() error inputmode="numeric"
                    hint=move || tr(i18n, |l| td_string!(l, pool_d_amount_hint))() />
                <TextArea name="explanation" label=move || tr(i18n, |l| td_string!(l, pool_explanation))() error maxlength=5000
                    hint=move || tr(i18n, |l| td_string!(l, pool_d_explanation_hint))() readability=true />
                <TextArea name="conditions" label=move || tr(i18n, |l| td_string!(l, pool_conditions))() error maxlength=2000 rows=3 />
                <button type="submit" class="button">{tr(i18n, |l| td_string!(l, pool_decide_submit))}</button>
            </ActionForm>
        </section>
    }
}

#[component]
fn ReportForm(id: i64, lines: Vec<String>, action: ServerAction<ReportBack>) -> impl IntoView {
    let i18n = use_i18n();
    let error = action_error(action);
    view! {
        <section class="report-form" aria-labelledby="afrapporter">
            <h2 id="afrapporter">{tr(i18n, |l| td_string!(l, pool_report_title))}</h2>
            <ActionForm action attr:class="form">
                <FormError error />
                <input type="hidden" name="application_id" value=id />
                <TextArea name="report" label=move || tr(i18n, |l| td_string!(l, pool_report_text))() error required=true maxlength=5000 />
                <Field name="participants" label=move || tr(i18n, |l| td_string!(l, pool_report_participants))() error required=true inputmode="numeric" />
                {lines.into_iter().enumerate().take(ACTUAL.len()).map(|(i, text)| view! {
                    <Field name=ACTUAL[i] label=move || format!("{} — {text}", tr(i18n, |l| td_string!(l, pool_spent))()) error required=true inputmode="numeric" />
                }).collect_view()}
                <button type="submit" class="button">{tr(i18n, |l| td_string!(l, pool_report_submit))}</button>
            </ActionForm>
        </section>
    }
}
