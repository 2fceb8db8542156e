//! "Bliver vi hørt?": what happened to the proposals young people sent in a year, and
//! which answers are late right now. Every figure is computed from the proposals.
use crate::api::answers::get_heard_overview;
use crate::domain::heard::HeardOverview;
use crate::domain::proposal::AnswerKind;
use crate::i18n::*;
use crate::ui::components::influence::{InfluenceFigures, ParticipationTables, TrendChart};
use crate::ui::error_text::shown;
use crate::ui::status::{deadline_line, feedback_deadline_line};
use crate::ui::tr::{is_en, tr, trs};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;
use leptos_router::hooks::use_query_map;

#[component]
pub fn HeardPage() -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let year = move || {
        query
            .read()
            .get("aar")
            .and_then(|y| y.trim().parse::<i32>().ok())
    };
    let data = Resource::new(year, get_heard_overview);
    view! {
        <Title text=trs(i18n, |l| td_string!(l, heard_title))() />
        <h1>{tr(i18n, |l| td_string!(l, heard_title))}</h1>
        <p class="lead">{tr(i18n, |l| td_string!(l, heard_lead))}</p>
        <p class="open-data"><crate::ui::components::open_data::FeedLink href="/forslag/svar.atom" title=|l| td_string!(l, feed_answers) /></p>
        <Transition fallback=move || view! { <p>{tr(i18n, |l| td_string!(l, loading))}</p> }>
            {move || data.get().map(|r| match r {
                Ok(o) => view! { <Overview o /> }.into_any(),
                Err(e) => view! { <p class="form-error" role="alert">{shown(&e)}</p> }.into_any(),
            })}
        </Transition>
    }
}

fn pct(p: Option<i64>) -> String {
    p.map(|p| format!("{p} %")).unwrap_or_else(|| "—".into())
}

#[component]
fn Overview(o: HeardOverview) -> impl IntoView {
    let i18n = use_i18n();
    let en = is_en(i18n);
    let s = o.stats;
    let now = chrono::Utc::now();
    let median = s
        .median_tenth_days
        .map(|t| {
            let text = format!("{},{}", t / 10, t % 10);
            if en {
                text.replace(',', ".")
            } else {
                text
            }
        })
        .unwrap_or_else(|| "—".into());
    let figure = |label: &'static str, value: String, key: &'static str| {
        view! {
            <div class="figure" data-testid=key>
                <dt>{label}</dt>
                <dd>{value}</dd>
            </div>
        }
    };
    let year = s.year;
    let h = o.hearings;
    let influence_stats = s.clone();
    let (pool, trend, participation) = (o.pool, o.trend, o.participation);
    let count_pct = |n: i64, p: Option<i64>| format!("{n} ({})", pct(p));
    view! {
        <nav class="year-nav" aria-label=trs(i18n, |l| td_string!(l, heard_years))>
            <ul class="chips">
                {o.years.into_iter().map(|y| view! {
                    <li>
                        <a href=format!("/bliver-vi-hoert?aar={y}") class="chip"
                            aria-current=(y == year).then_some("page")>{y}</a>
                    </li>
                }).collect_view()}
            </ul>
        </nav>
        <section aria-labelledby="tal">
            <h2 id="tal">{tr(i18n, |l| td_string!(l, heard_figures))}" "{year}</h2>
            <p class="meta">{tr(i18n, |l| td_string!(l, heard_cohort))}</p>
            <p class="open-data"><crate::ui::components::open_data::Downloads stem=format!("/bliver-vi-hoert/{year}") /></p>
            <dl class="figures">
                {figure(tr(i18n, |l| td_string!(l, heard_received))(), s.received.to_string(), "received")}
                {figure(tr(i18n, |l| td_string!(l, heard_forwarded))(), s.forwarded.to_string(), "forwarded")}
                {figure(tr(i18n, |l| td_string!(l, heard_answered))(), s.answered.to_string(), "answered")}
                {figure(tr(i18n, |l| td_string!(l, heard_in_time))(), pct(s.in_time_percent()), "in-time")}
                {figure(tr(i18n, |l| td_string!(l, heard_median))(), median, "median-days")}
                {figure(tr(i18n, |l| td_string!(l, heard_overdue_now))(), s.overdue_now.to_string(), "overdue-now")}
                {figure(AnswerKind::Ja.label(en), format!("{} ({})", s.ja, pct(s.share(AnswerKind::Ja))), "ja")}
                {figure(AnswerKind::Delvist.label(en), format!("{} ({})", s.delvist, pct(s.share(AnswerKind::Delvist))), "delvist")}
                {figure(AnswerKind::Nej.label(en), format!("{} ({})", s.nej, pct(s.share(AnswerKind::Nej))), "nej")}
                {figure(tr(i18n, |l| td_string!(l, heard_understood))(), pct(s.understood_percent()), "understood")}
            </dl>
        </section>
        <InfluenceFigures stats=influence_stats pool />
        <section aria-labelledby="hoeringer-tal">
            <h2 id="hoeringer-tal">{tr(i18n, |l| td_string!(l, heard_hearings_title))}" "{year}</h2>
            <p class="meta">{tr(i18n, |l| td_string!(l, heard_hearings_cohort))}</p>
            <dl class="figures">
                {figure(tr(i18n, |l| td_string!(l, heard_h_sent))(), h.sent.to_string(), "h-sent")}
                {figure(tr(i18n, |l| td_string!(l, heard_h_asked))(), h.asked.to_string(), "h-asked")}
                {figure(tr(i18n, |l| td_string!(l, heard_h_responded))(), count_pct(h.responded, h.responded_percent()), "h-responded")}
                {figure(tr(i18n, |l| td_string!(l, heard_h_declined))(), h.declined.to_string(), "h-declined")}
                {figure(tr(i18n, |l| td_string!(l, heard_h_no_response))(), h.no_response.to_string(), "h-no-response")}
                {figure(tr(i18n, |l| td_string!(l, heard_h_feedback_given))(), h.feedback_given.to_string(), "h-feedback")}
                {figure(tr(i18n, |l| td_string!(l, heard_h_feedback_in_time))(), pct(h.feedback_in_time_percent()), "h-feedback-in-time")}
                {figure(tr(i18n, |l| td_string!(l, heard_h_feedback_overdue))(), h.feedback_overdue_now.to_string(), "h-feedback-overdue")}
                {figure(tr(i18n, |l| td_string!(l, heard_h_used))(), h.used.to_string(), "h-used")}
                {figure(tr(i18n, |l| td_string!(l, heard_h_partly))(), h.partly.to_string(), "h-partly")}
                {figure(tr(i18n, |l| td_string!(l, heard_h_not_used))(), h.not_used.to_string(), "h-not-used")}
            </dl>
        </section>
        <TrendChart trend />
        <ParticipationTables year participation />
        <section aria-labelledby="forsinket">
            <h2 id="forsinket">{tr(i18n, |l| td_string!(l, heard_overdue_title))}</h2>
            {if o.overdue.is_empty() {
                view! { <p class="empty">{tr(i18n, |l| td_string!(l, heard_overdue_none))}</p> }.into_any()
            } else {
                view! {
                    <ul class="cards" data-testid="overdue-list">
                        {o.overdue.into_iter().map(|p| view! {
                            <li class="card card--overdue">
                                <h3 class="card__title"><A href=format!("/forslag/{}", p.id.0)>{p.title}</A></h3>
                                <p class="meta">{p.committee}</p>
                                <p class="deadline">{deadline_line(p.deadline, now, en)}</p>
                            </li>
                        }).collect_view()}
                    </ul>
                }.into_any()
            }}
        </section>
        <section aria-labelledby="forsinket-hoeringer">
            <h2 id="forsinket-hoeringer">{tr(i18n, |l| td_string!(l, heard_overdue_hearings_title))}</h2>
            {if o.overdue_hearings.is_empty() {
                view! { <p class="empty">{tr(i18n, |l| td_string!(l, heard_overdue_hearings_none))}</p> }.into_any()
            } else {
                view! {
                    <ul class="cards" data-testid="overdue-hearings">
                        {o.overdue_hearings.into_iter().map(|x| view! {
                            <li class="card card--overdue">
                                <h3 class="card__title"><A href=format!("/hoeringer/{}", x.id.0)>{x.title}</A></h3>
                                <p class="meta">{x.committee}</p>
                                <p class="deadline">{feedback_deadline_line(x.feedback_by, now, en)}</p>
                            </li>
                        }).collect_view()}
                    </ul>
                }.into_any()
            }}
        </section>
    }
}
