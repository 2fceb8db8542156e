//! Ungerådets pulje, in public: the year's amount, what is granted, returned and left, every
//! grant and what the money became, a chart of the balance, and the ledger as CSV.
use crate::api::pool::{get_pool, OpenPoolYear};
use crate::domain::pool::{kroner, ApplicationSummary, PoolPage as Page, PoolView, ReportState};
use crate::i18n::*;
use crate::ui::auth::action_error;
use crate::ui::components::form::{Field, FormError, TextArea};
use crate::ui::error_text::shown;
use crate::ui::format::{date, iso};
use crate::ui::tr::{is_en, tr, trs};
use chrono::{DateTime, Utc};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;
use leptos_router::hooks::use_query_map;

#[component]
pub fn PoolPage() -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let year = move || {
        query
            .read()
            .get("aar")
            .and_then(|y| y.trim().parse::<i32>().ok())
    };
    let open: ServerAction<OpenPoolYear> = ServerAction::new();
    let data = Resource::new(move || (year(), open.version().get()), |(y, _)| get_pool(y));
    view! {
        <Title text=trs(i18n, |l| td_string!(l, pool_title))() />
        <h1>{tr(i18n, |l| td_string!(l, pool_title))}</h1>
        <p class="lead">{tr(i18n, |l| td_string!(l, pool_lead))}</p>
        <Transition fallback=move || view! { <p>{tr(i18n, |l| td_string!(l, loading))}</p> }>
            {move || data.get().map(|r| match r {
                Ok(v) => view! { <PoolBody v open /> }.into_any(),
                Err(e) => view! { <p class="form-error" role="alert">{shown(&e)}</p> }.into_any(),
            })}
        </Transition>
    }
}

#[component]
fn PoolBody(v: PoolView, open: ServerAction<OpenPoolYear>) -> impl IntoView {
    let i18n = use_i18n();
    let can_open = v.can_open;
    let logged_in = v.logged_in;
    let shown_year = v.page.as_ref().map(|p| p.settings.year);
    view! {
        {(v.years.len() > 1).then(|| view! {
            <nav aria-label=trs(i18n, |l| td_string!(l, heard_years))>
                <ul class="chips">
                    {v.years.iter().map(|y| view! {
                        <li><a class="chip" href=format!("/puljen?aar={y}") aria-current=(Some(*y) == shown_year).then_some("page")>{*y}</a></li>
                    }).collect_view()}
                </ul>
            </nav>
        })}
        {match v.page {
            None => view! {
                <p class="empty">{tr(i18n, |l| td_string!(l, pool_not_open))}</p>
                <h2>{tr(i18n, |l| td_string!(l, pool_rules_title))}</h2>
                <ul class="rules">
                    <li>{tr(i18n, |l| td_string!(l, pool_rule_1))}</li>
                    <li>{tr(i18n, |l| td_string!(l, pool_rule_2))}</li>
                    <li>{tr(i18n, |l| td_string!(l, pool_rule_3))}</li>
                    <li>{tr(i18n, |l| td_string!(l, pool_rule_4))}</li>
                </ul>
            }.into_any(),
            Some(p) => view! { <YearView p logged_in coordinator=can_open /> }.into_any(),
        }}
        {can_open.then(|| view! { <OpenYearForm open min_age=v.default_min_age /> })}
    }
}

#[component]
fn YearView(p: Page, logged_in: bool, coordinator: bool) -> impl IntoView {
    let i18n = use_i18n();
    let en = is_en(i18n);
    let l = p.ledger;
    let year = p.settings.year;
    let remaining_pct = l.remaining_percent();
    let due = |a: &&ApplicationSummary| {
        a.status.is_grant() && matches!(a.report, ReportState::Due | ReportState::Late)
    };
    let my_due: Vec<ApplicationSummary> = p.mine.iter().filter(due).cloned().collect();
    let late: Vec<ApplicationSummary> = p
        .grants
        .iter()
        .filter(|a| a.report == ReportState::Late)
        .cloned()
        .collect();
    view! {
        {(!my_due.is_empty()).then(|| view! {
            <div class="notice" role="status" data-testid="report-reminder">
                <p><strong>{tr(i18n, |l| td_string!(l, pool_report_due_notice))}</strong></p>
                <ul>
                    {my_due.into_iter().map(|a| view! {
                        <li><a href=format!("/puljen/ansoegning/{}#afrapporter", a.id)>{a.title}</a>" — "{a.report.label(en)}</li>
                    }).collect_view()}
                </ul>
            </div>
        })}
        {(coordinator && !late.is_empty()).then(|| view! {
            <section aria-labelledby="forsinkede" data-testid="late-reports">
                <h2 id="forsinkede">{tr(i18n, |l| td_string!(l, pool_late_reports))}</h2>
                <AppList items=late en />
            </section>
        })}
        <section aria-labelledby="saldo">
            <h2 id="saldo">{tr(i18n, |l| td_string!(l, pool_year_heading))}" "{year}</h2>
            <dl class="figures">
                <div class="figure" data-testid="pool-amount"><dt>{tr(i18n, |l| td_string!(l, pool_amount))}</dt><dd>{kroner(l.amount)}</dd></div>
                <div class="figure" data-testid="pool-granted"><dt>{tr(i18n, |l| td_string!(l, pool_granted))}</dt><dd>{kroner(l.granted)}</dd></div>
                <div class="figure" data-testid="pool-returned"><dt>{tr(i18n, |l| td_string!(l, pool_returned))}</dt><dd>{kroner(l.returned)}</dd></div>
                <div class="figure" data-testid="pool-remaining"><dt>{tr(i18n, |l| td_string!(l, pool_remaining))}</dt><dd>{kroner(l.balance())}</dd></div>
            </dl>
            <div class="bar" aria-hidden="true"><div class="bar__fill" style=format!("width: {remaining_pct}%")></div></div>
            <p class="meta">{remaining_pct}" % "{tr(i18n, |l| td_string!(l, pool_left_share))}</p>
            <BalanceChart year amount=l.amount points=p.balance_points.clone() />
            <p>
                {if logged_in {
                    view! { <A href="/puljen/ansoeg" attr:class="button">{tr(i18n, |l| td_string!(l, pool_apply_button))}</A> }.into_any()
                } else {
                    view! { <A href="/log-ind">{tr(i18n, |l| td_string!(l, pool_apply_login))}</A> }.into_any()
                }}
            </p>
            <p class="meta">
                {tr(i18n, |l| td_string!(l, pool_limits))}": "{kroner(p.settings.max_grant)}" · "
                {tr(i18n, |l| td_string!(l, pool_min_age))}": "{p.settings.min_age}
            </p>
            {(!p.settings.rules.is_empty()).then(|| view! {
                <details><summary>{tr(i18n, |l| td_string!(l, pool_rules_title))}</summary><p class="prose">{p.settings.rules.clone()}</p></details>
            })}
        </section>
        {(!p.mine.is_empty()).then(|| view! {
            <section aria-labelledby="mine">
                <h2 id="mine">{tr(i18n, |l| td_string!(l, pool_mine))}</h2>
                <AppList items=p.mine.clone() en />
            </section>
        })}
        {p.can_decide.then(|| view! {
            <section aria-labelledby="venter">
                <h2 id="venter">{tr(i18n, |l| td_string!(l, pool_waiting))}</h2>
                {if p.waiting.is_empty() {
                    view! { <p class="empty">{tr(i18n, |l| td_string!(l, pool_waiting_none))}</p> }.into_any()
                } else {
                    view! { <AppList items=p.waiting.clone() en /> }.into_any()
                }}
            </section>
        })}
        <section aria-labelledby="bevillinger">
            <h2 id="bevillinger">{tr(i18n, |l| td_string!(l, pool_grants))}</h2>
            {if p.grants.is_empty() {
                view! { <p class="empty">{tr(i18n, |l| td_string!(l, pool_grants_none))}</p> }.into_any()
            } else {
                view! {
                    <div class="table-wrap">
                        <table class="table" data-testid="grants">
                            <thead><tr>
                                <th scope="col">{tr(i18n, |l| td_string!(l, pool_col_activity))}</th>
                                <th scope="col" class="num">{tr(i18n, |l| td_string!(l, pool_col_amount))}</th>
                                <th scope="col">{tr(i18n, |l| td_string!(l, pool_col_decided))}</th>
                                <th scope="col">{tr(i18n, |l| td_string!(l, pool_col_report))}</th>
                            </tr></thead>
                            <tbody>
                                {p.grants.iter().map(|g| view! {
                                    <tr>
                                        <td><a href=format!("/puljen/ansoegning/{}", g.id)>{g.title.clone()}</a></td>
                                        <td class="num">{kroner(g.granted)}</td>
                                        <td>{g.decided_at.map(|t| view! { <time datetime=iso(t)>{date(t, en)}</time> })}</td>
                                        <td class=report_class(g.report)>{g.report.label(en)}</td>
                                    </tr>
                                }).collect_view()}
                            </tbody>
                        </table>
                    </div>
                }.into_any()
            }}
            <p><a href=format!("/puljen/{year}/regnskab.csv") download>{tr(i18n, |l| td_string!(l, pool_csv))}</a></p>
        </section>
        {(!p.reports.is_empty()).then(|| view! {
            <section aria-labelledby="blev-til">
                <h2 id="blev-til">{tr(i18n, |l| td_string!(l, pool_became))}</h2>
                <ul class="cards">
                    {p.reports.iter().map(|(id, title, text, n)| view! {
                        <li class="card">
                            <h3 class="card__title"><a href=format!("/puljen/ansoegning/{id}")>{title.clone()}</a></h3>
                            <p class="prose">{text.clone()}</p>
                            <p class="meta">{*n}" "{tr(i18n, |l| td_string!(l, pool_took_part))}</p>
                        </li>
                    }).collect_view()}
                </ul>
            </section>
        })}
    }
}

fn report_class(r: ReportState) -> &'static str {
    match r {
        ReportState::Late => "report report--late",
        _ => "report",
    }
}

#[component]
fn AppList(items: Vec<ApplicationSummary>, en: bool) -> impl IntoView {
    view! {
        <ul class="cards">
            {items.into_iter().map(|a| view! {
                <li class="card">
                    <h3 class="card__title"><a href=format!("/puljen/ansoegning/{}", a.id)>{a.title}</a></h3>
                    <p class="meta">{kroner(a.asked)}" · "{a.status.label(en)}
                        {a.status.is_grant().then(|| view! { " · "<span class=report_class(a.report)>{a.report.label(en)}</span> })}
                    </p>
                </li>
            }).collect_view()}
        </ul>
    }
}

/// Whole kroner for an axis label: "50.000 kr.".
fn axis_kroner(ore: i64) -> String {
    kroner(ore - ore % 100).replace(",00 kr.", " kr.")
}

const MONTHS_DA: [&str; 12] = [
    "jan", "feb", "mar", "apr", "maj", "jun", "jul", "aug", "sep", "okt", "nov", "dec",
];
const MONTHS_EN: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

/// The balance over the year as a step line (SVG, rendered on the server): a y axis in
/// kroner (0, half and the whole amount), the months along the x axis, an accessible name
/// and description, and the same figures as a table for those who cannot see the chart.
#[component]
fn BalanceChart(year: i32, amount: i64, points: Vec<(DateTime<Utc>, i64)>) -> impl IntoView {
    use chrono::TimeZone;
    let i18n = use_i18n();
    let en = is_en(i18n);
    // The plot area inside the drawing, leaving room for the labels.
    let (left, top, w, h) = (84.0_f64, 10.0_f64, 500.0_f64, 140.0_f64);
    let (width, height) = (left + w + 16.0, top + h + 30.0);
    let Some((start, end)) = crate::domain::heard::year_bounds(year) else {
        return ().into_any();
    };
    let span = (end - start).num_seconds().max(1) as f64;
    let x = |t: DateTime<Utc>| left + ((t - start).num_seconds() as f64 / span).clamp(0.0, 1.0) * w;
    let y = |b: i64| top + h - (b.max(0) as f64 / amount.max(1) as f64).min(1.0) * h;
    let mut path = format!("M{left:.1},{:.1}", y(amount));
    for (t, b) in &points {
        path.push_str(&format!(" H{:.1} V{:.1}", x(*t), y(*b)));
    }
    let last_x = x(Utc::now().min(end));
    path.push_str(&format!(" H{last_x:.1}"));
    let ticks: Vec<(f64, String)> = [amount, amount / 2, 0]
        .into_iter()
        .map(|v| (y(v), axis_kroner(v)))
        .collect();
    let months: Vec<(f64, &'static str)> = (1..=12u32)
        .filter_map(|m| {
            let first = chrono::Utc.with_ymd_and_hms(year, m, 1, 0, 0, 0).single()?;
            let next = if m == 12 {
                end
            } else {
                chrono::Utc
                    .with_ymd_and_hms(year, m + 1, 1, 0, 0, 0)
                    .single()?
            };
            let names = if en { MONTHS_EN } else { MONTHS_DA };
            Some(((x(first) + x(next)) / 2.0, names[(m - 1) as usize]))
        })
        .collect();
    let rows: Vec<(String, String)> = std::iter::once((
        trs(i18n, |l| td_string!(l, pool_chart_start))(),
        kroner(amount),
    ))
    .chain(points.iter().map(|(t, b)| (date(*t, en), kroner(*b))))
    .collect();
    let desc = format!(
        "{} {} · {} {}",
        trs(i18n, |l| td_string!(l, pool_chart_from))(),
        kroner(amount),
        trs(i18n, |l| td_string!(l, pool_chart_now))(),
        kroner(points.last().map(|p| p.1).unwrap_or(amount)),
    );
    view! {
        <figure class="chart" data-testid="pool-chart">
            <svg viewBox=format!("0 0 {width} {height}") role="img" aria-labelledby="chart-title" aria-describedby="chart-desc">
                <title id="chart-title">{tr(i18n, |l| td_string!(l, pool_chart_title))}</title>
                <desc id="chart-desc">{desc}</desc>
                {ticks.into_iter().map(|(ty, label)| view! {
                    <line x1=left y1=ty x2=left + w y2=ty class="chart__grid" />
                    <text x=left - 6.0 y=ty + 4.0 text-anchor="end" class="chart__label">{label}</text>
                }).collect_view()}
                <line x1=left y1=top x2=left y2=top + h class="chart__axis" />
                <line x1=left y1=top + h x2=left + w y2=top + h class="chart__axis" />
                {months.into_iter().map(|(mx, name)| view! {
                    <text x=mx y=top + h + 18.0 text-anchor="middle" class="chart__label">{name}</text>
                }).collect_view()}
                <path d=path class="chart__line" />
            </svg>
            <figcaption class="meta">{tr(i18n, |l| td_string!(l, pool_chart_caption))}</figcaption>
            <details class="chart__table">
                <summary>{tr(i18n, |l| td_string!(l, pool_chart_as_table))}</summary>
                <div class="table-scroll">
                    <table data-testid="pool-chart-table">
                        <caption class="visually-hidden">{tr(i18n, |l| td_string!(l, pool_chart_title))}</caption>
                        <thead><tr>
                            <th scope="col">{tr(i18n, |l| td_string!(l, pool_chart_date))}</th>
                            <th scope="col">{tr(i18n, |l| td_string!(l, pool_chart_balance))}</th>
                        </tr></thead>
                        <tbody>
                            {rows.into_iter().map(|(d, b)| view! { <tr><td>{d}</td><td class="num">{b}</td></tr> }).collect_view()}
                        </tbody>
                    </table>
                </div>
            </details>
        </figure>
    }
    .into_any()
}

/// The coordinator opens a year.
#[component]
fn OpenYearForm(open: ServerAction<OpenPoolYear>, min_age: i32) -> impl IntoView {
    let i18n = use_i18n();
    let error = action_error(open);
    let next = crate::domain::heard::local_year(Utc::now());
    view! {
        <details class="admin-box">
            <summary>{tr(i18n, |l| td_string!(l, pool_open_title))}</summary>
            <ActionForm action=open attr:class="form">
                <FormError error />
                <Field name="year" label=move || tr(i18n, |l| td_string!(l, pool_open_year))() error required=true inputmode="numeric" value=next.to_string() />
                <Field name="amount" label=move || tr(i18n, |l| td_string!(l, pool_amount))() error required=true inputmode="numeric" value="100.000".to_string()
                    hint=move || tr(i18n, |l| td_string!(l, pool_whole_kroner))() />
                <Field name="max_grant" label=move || tr(i18n, |l| td_string!(l, pool_limits))() error required=true inputmode="numeric" value="25.000".to_string() />
                <Field name="min_age" label=move || tr(i18n, |l| td_string!(l, pool_min_age))() error required=true inputmode="numeric" value=min_age.to_string() />
                <TextArea name="rules" label=move || tr(i18n, |l| td_string!(l, pool_rules_title))() error maxlength=10_000 />
                <button type="submit" class="button">{tr(i18n, |l| td_string!(l, pool_open_submit))}</button>
            </ActionForm>
        </details>
    }
}
