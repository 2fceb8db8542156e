//! The influence parts of "Bliver vi hørt?": what proposals led to, the pool, the trend
//! over the years (a bar chart with a table alternative) and who takes part.
use crate::domain::heard::{HeardStats, PoolFigures, TrendYear};
use crate::domain::influence::axis_top;
use crate::domain::participation::{AgeBand, Breakdown, Group, Participation};
use crate::domain::pool::kroner;
use crate::i18n::*;
use crate::ui::tr::{is_en, tr};
use leptos::prelude::*;

fn pct(p: Option<i64>) -> String {
    p.map(|p| format!("{p} %")).unwrap_or_else(|| "—".into())
}

/// What the year's proposals led to, and the pool of the same year.
#[component]
pub fn InfluenceFigures(stats: HeardStats, pool: Option<PoolFigures>) -> impl IntoView {
    let i18n = use_i18n();
    let s = stats;
    let figure = |label: String, value: String, key: &'static str| {
        view! {
            <div class="figure" data-testid=key>
                <dt>{label}</dt>
                <dd>{value}</dd>
            </div>
        }
    };
    let pool_view = match pool {
        None => view! { <p class="empty">{tr(i18n, |l| td_string!(l, heard_pool_none))}</p> }.into_any(),
        Some(p) => view! {
            <dl class="figures">
                {figure(
                    tr(i18n, |l| td_string!(l, heard_pool_spent))().to_string(),
                    format!("{} {} {}", kroner(p.spent_ore), tr(i18n, |l| td_string!(l, heard_pool_of))(), kroner(p.amount_ore)),
                    "pool-spent",
                )}
                {figure(tr(i18n, |l| td_string!(l, heard_pool_grants))().to_string(), p.grants.to_string(), "pool-grants")}
            </dl>
            {(!p.funded.is_empty()).then(|| view! {
                <h4>{tr(i18n, |l| td_string!(l, heard_pool_funded))}</h4>
                <ul class="funded" data-testid="pool-funded">
                    {p.funded.into_iter().map(|f| view! {
                        <li>
                            <a href=format!("/puljen/ansoegning/{}", f.id.0)>{f.title}</a>
                            " — "{kroner(f.granted_ore)}", "{f.participants}" "
                            {tr(i18n, |l| td_string!(l, heard_participants))}
                        </li>
                    }).collect_view()}
                </ul>
            })}
        }.into_any(),
    };
    view! {
        <section aria-labelledby="indflydelse">
            <h2 id="indflydelse">{tr(i18n, |l| td_string!(l, heard_influence_title))}" "{s.year}</h2>
            <p class="meta">{tr(i18n, |l| td_string!(l, heard_influence_lead))}</p>
            <dl class="figures">
                {figure(tr(i18n, |l| td_string!(l, heard_changed))().to_string(), format!("{} ({})", s.changed, pct(s.changed_percent())), "changed")}
                {figure(tr(i18n, |l| td_string!(l, heard_underway))().to_string(), s.underway.to_string(), "underway")}
                {figure(tr(i18n, |l| td_string!(l, heard_given_up))().to_string(), s.given_up.to_string(), "given-up")}
                {figure(tr(i18n, |l| td_string!(l, heard_rejected_by_council))().to_string(), s.rejected_by_council.to_string(), "rejected-by-council")}
                {figure(tr(i18n, |l| td_string!(l, heard_resolved_by_council))().to_string(), s.resolved_by_council.to_string(), "resolved-by-council")}
            </dl>
            <h3>{tr(i18n, |l| td_string!(l, heard_pool_title))}" "{s.year}</h3>
            {pool_view}
        </section>
    }
}

/// Chart geometry (SVG user units).
const CHART_H: i64 = 200;
const TOP: i64 = 12;
const LEFT: i64 = 40;
const BOTTOM: i64 = 24;
const GROUP_W: i64 = 60;
const BAR_W: i64 = 14;

/// Every year side by side: a bar chart with a scale, and the same figures as a table.
#[component]
pub fn TrendChart(trend: Vec<TrendYear>) -> impl IntoView {
    let i18n = use_i18n();
    let top = axis_top(trend.iter().map(|t| t.received).max().unwrap_or(0));
    let width = LEFT + GROUP_W * trend.len().max(1) as i64 + 8;
    let plot_h = CHART_H - TOP - BOTTOM;
    let y = move |v: i64| TOP + plot_h - v * plot_h / top;
    let ticks = [0, top / 2, top];
    let bars = trend
        .iter()
        .enumerate()
        .map(|(i, t)| {
            let x0 = LEFT + GROUP_W * i as i64 + 8;
            let bar = move |k: i64, v: i64, class: &'static str| {
                view! {
                    <rect x=x0 + k * (BAR_W + 2) y=y(v) width=BAR_W height=(y(0) - y(v)).max(0) class=class />
                }
            };
            view! {
                <g>
                    {bar(0, t.received, "trend__bar trend__bar--received")}
                    {bar(1, t.answered_in_time, "trend__bar trend__bar--in-time")}
                    {bar(2, t.changed, "trend__bar trend__bar--changed")}
                    <text x=x0 + (3 * BAR_W + 4) / 2 y=CHART_H - 6 text-anchor="middle" class="trend__label">{t.year}</text>
                </g>
            }
        })
        .collect_view();
    let rows = trend
        .iter()
        .rev()
        .map(|t| {
            view! {
                <tr>
                    <th scope="row">{t.year}</th>
                    <td class="num">{t.received}</td>
                    <td class="num">{t.answered}</td>
                    <td class="num">{t.answered_in_time}</td>
                    <td class="num">{t.changed}</td>
                    <td class="num">{t.rejected_by_council}</td>
                    <td class="num">{t.pool_spent_ore.map(kroner).unwrap_or_else(|| "—".into())}</td>
                </tr>
            }
        })
        .collect_view();
    let legend = |class: &'static str, text: String| {
        view! { <li><span class=format!("trend__key {class}") aria-hidden="true"></span>{text}</li> }
    };
    view! {
        <section aria-labelledby="udvikling">
            <h2 id="udvikling">{tr(i18n, |l| td_string!(l, heard_trend_title))}</h2>
            <figure class="trend">
                <svg viewBox=format!("0 0 {width} {CHART_H}") role="img" aria-labelledby="trend-title trend-desc"
                    data-testid="trend-chart">
                    <title id="trend-title">{tr(i18n, |l| td_string!(l, heard_trend_title))}</title>
                    <desc id="trend-desc">{tr(i18n, |l| td_string!(l, heard_trend_desc))}</desc>
                    {ticks.into_iter().map(|v| view! {
                        <line x1=LEFT y1=y(v) x2=width y2=y(v) class="trend__grid" />
                        <text x=LEFT - 6 y=y(v) + 4 text-anchor="end" class="trend__label">{v}</text>
                    }).collect_view()}
                    <line x1=LEFT y1=TOP x2=LEFT y2=y(0) class="trend__axis" />
                    {bars}
                </svg>
                <figcaption>
                    <ul class="trend__legend">
                        {legend("trend__bar--received", tr(i18n, |l| td_string!(l, heard_col_received))().to_string())}
                        {legend("trend__bar--in-time", tr(i18n, |l| td_string!(l, heard_col_in_time))().to_string())}
                        {legend("trend__bar--changed", tr(i18n, |l| td_string!(l, heard_col_changed))().to_string())}
                    </ul>
                </figcaption>
            </figure>
            <div class="table-wrap" tabindex="0" role="region" aria-labelledby="trend-caption">
                <table class="table" data-testid="trend-table">
                    <caption id="trend-caption">{tr(i18n, |l| td_string!(l, heard_trend_table))}</caption>
                    <thead>
                        <tr>
                            <th scope="col">{tr(i18n, |l| td_string!(l, heard_year))}</th>
                            <th scope="col" class="num">{tr(i18n, |l| td_string!(l, heard_col_received))}</th>
                            <th scope="col" class="num">{tr(i18n, |l| td_string!(l, heard_col_answered))}</th>
                            <th scope="col" class="num">{tr(i18n, |l| td_string!(l, heard_col_in_time))}</th>
                            <th scope="col" class="num">{tr(i18n, |l| td_string!(l, heard_col_changed))}</th>
                            <th scope="col" class="num">{tr(i18n, |l| td_string!(l, heard_col_rejected))}</th>
                            <th scope="col" class="num">{tr(i18n, |l| td_string!(l, heard_col_pool))}</th>
                        </tr>
                    </thead>
                    <tbody>{rows}</tbody>
                </table>
            </div>
        </section>
    }
}

/// A count as shown: a number, or "under 5" for a suppressed group.
fn shown_count(count: Option<i64>, under_5: &str) -> String {
    count
        .map(|n| n.to_string())
        .unwrap_or_else(|| under_5.to_string())
}

/// One table of groups with a column for proposers and one for supporters; a group that
/// only one side has is 0 on the other.
fn both<L: PartialEq + Clone>(
    a: &[Group<L>],
    b: &[Group<L>],
) -> Vec<(L, Option<i64>, Option<i64>)> {
    let mut out: Vec<(L, Option<i64>, Option<i64>)> = a
        .iter()
        .map(|g| (g.label.clone(), g.count, Some(0)))
        .collect();
    for g in b {
        match out.iter_mut().find(|(l, _, _)| *l == g.label) {
            Some(row) => row.2 = g.count,
            None => out.push((g.label.clone(), Some(0), g.count)),
        }
    }
    out
}

/// Who takes part: proposers and supporters by age band and by school.
#[component]
pub fn ParticipationTables(year: i32, participation: Participation) -> impl IntoView {
    let i18n = use_i18n();
    let en = is_en(i18n);
    let under_5 = tr(i18n, |l| td_string!(l, heard_under_5))().to_string();
    let no_school = tr(i18n, |l| td_string!(l, heard_no_school))().to_string();
    let hidden = tr(i18n, |l| td_string!(l, heard_total_hidden))().to_string();
    let Participation {
        proposers,
        supporters,
    } = participation;
    let total = |b: &Breakdown| {
        b.total
            .map(|n| n.to_string())
            .unwrap_or_else(|| hidden.clone())
    };
    let (p_total, s_total) = (total(&proposers), total(&supporters));
    let mut ages = both(&proposers.by_age, &supporters.by_age);
    ages.sort_by_key(|(band, _, _)| *band);
    let schools = both(&proposers.by_school, &supporters.by_school);
    let table = move |id: &'static str,
                      caption: String,
                      rows: Vec<(String, Option<i64>, Option<i64>)>| {
        let under_5 = under_5.clone();
        let (p_total, s_total) = (p_total.clone(), s_total.clone());
        view! {
            <div class="table-wrap" tabindex="0" role="region" aria-labelledby=id>
                <table class="table" data-testid=id>
                    <caption id=id>{caption}</caption>
                    <thead>
                        <tr>
                            <th scope="col">{tr(i18n, |l| td_string!(l, heard_group))}</th>
                            <th scope="col" class="num">{tr(i18n, |l| td_string!(l, heard_proposers))}</th>
                            <th scope="col" class="num">{tr(i18n, |l| td_string!(l, heard_supporters))}</th>
                        </tr>
                    </thead>
                    <tbody>
                        {rows.into_iter().map(|(label, p, s)| view! {
                            <tr>
                                <th scope="row">{label}</th>
                                <td class="num">{shown_count(p, &under_5)}</td>
                                <td class="num">{shown_count(s, &under_5)}</td>
                            </tr>
                        }).collect_view()}
                    </tbody>
                    <tfoot>
                        <tr>
                            <th scope="row">{tr(i18n, |l| td_string!(l, heard_total))}</th>
                            <td class="num">{p_total}</td>
                            <td class="num">{s_total}</td>
                        </tr>
                    </tfoot>
                </table>
            </div>
        }
    };
    let age_rows = ages
        .into_iter()
        .map(|(band, p, s): (AgeBand, _, _)| (band.label(en).to_string(), p, s))
        .collect();
    let school_rows = schools
        .into_iter()
        .map(|(school, p, s)| (school.unwrap_or_else(|| no_school.clone()), p, s))
        .collect();
    view! {
        <section aria-labelledby="hvem">
            <h2 id="hvem">{tr(i18n, |l| td_string!(l, heard_who_title))}" "{year}</h2>
            <p class="meta">{tr(i18n, |l| td_string!(l, heard_who_lead))}</p>
            {table("who-age", tr(i18n, |l| td_string!(l, heard_by_age))().to_string(), age_rows)}
            {table("who-school", tr(i18n, |l| td_string!(l, heard_by_school))().to_string(), school_rows)}
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_sides_meet_by_label() {
        let a = [
            Group {
                label: "x",
                count: Some(5),
            },
            Group {
                label: "y",
                count: None,
            },
        ];
        let b = [
            Group {
                label: "y",
                count: Some(7),
            },
            Group {
                label: "z",
                count: None,
            },
        ];
        assert_eq!(
            both(&a, &b),
            vec![
                ("x", Some(5), Some(0)),
                ("y", None, Some(7)),
                ("z", Some(0), None)
            ]
        );
        assert_eq!(shown_count(None, "under 5"), "under 5");
    }
}
