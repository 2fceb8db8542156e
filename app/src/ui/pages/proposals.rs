//! Forslag: the public list. Filters are a plain GET form and pages are links, so it all
//! works without JavaScript; pages follow a keyset cursor (`efter`), never an offset.
use crate::api::admin::list_councils;
use crate::api::proposals::list_proposals;
use crate::domain::lang::percent_encode;
use crate::domain::proposal::{ProposalSummary, Sort, Stage, Theme};
use crate::i18n::*;
use crate::ui::error_text::shown;
use crate::ui::format::{date, iso};
use crate::ui::status::deadline_line;
use crate::ui::tr::{is_en, tr, trs};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;
use leptos_router::hooks::use_query_map;

/// The list's query parameters (Danish names, as shown in the address bar).
const PARAMS: [&str; 5] = ["q", "sortering", "status", "tema", "raad"];

#[component]
pub fn ProposalsPage() -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let get = move |k: &str| query.read().get(k).unwrap_or_default();
    let page = Resource::new(
        move || {
            (
                get("sortering"),
                get("status"),
                get("tema"),
                get("raad"),
                get("q"),
                get("efter"),
            )
        },
        |(sort, stage, theme, council, q, after)| {
            list_proposals(sort, stage, theme, council, q, after)
        },
    );
    let councils = Resource::new(|| (), |_| list_councils());
    let en = move || is_en(i18n);
    view! {
        <Title text=trs(i18n, |l| td_string!(l, proposals_title))() />
        <h1>{tr(i18n, |l| td_string!(l, proposals_title))}</h1>
        <p class="lead">{tr(i18n, |l| td_string!(l, proposals_lead))}</p>
        <p class="open-data">
            <crate::ui::components::open_data::FeedLink href="/forslag/feed.atom" title=|l| td_string!(l, feed_proposals) />" "
            <crate::ui::components::open_data::FeedLink href="/forslag/svar.atom" title=|l| td_string!(l, feed_answers) />" "
            <crate::ui::components::open_data::Downloads stem="/forslag/eksport" />
        </p>
        <p class="actions">
            <A href="/forslag/nyt" attr:class="button">{tr(i18n, |l| td_string!(l, proposals_write))}</A>
            " "
            <A href="/forslag/mine" attr:class="button button--secondary">{tr(i18n, |l| td_string!(l, proposals_mine))}</A>
        </p>
        <form method="get" action="/forslag" class="filters" role="search">
            <div class="field filters__search">
                <label for="q">{tr(i18n, |l| td_string!(l, proposals_search))}</label>
                <input id="q" name="q" type="search" maxlength="200" prop:value=move || get("q") />
            </div>
            <div class="field">
                <label for="sortering">{tr(i18n, |l| td_string!(l, proposals_sort))}</label>
                <select id="sortering" name="sortering">
                    <option value="nyeste" selected=move || Sort::parse(&get("sortering")) == Sort::Newest>
                        {tr(i18n, |l| td_string!(l, proposals_sort_newest))}
                    </option>
                    <option value="mest-stoettede" selected=move || Sort::parse(&get("sortering")) == Sort::MostSupported>
                        {tr(i18n, |l| td_string!(l, proposals_sort_top))}
                    </option>
                </select>
            </div>
            <div class="field">
                <label for="status">{tr(i18n, |l| td_string!(l, proposals_status))}</label>
                <select id="status" name="status">
                    <option value="">{tr(i18n, |l| td_string!(l, proposals_all))}</option>
                    {Stage::ALL.into_iter().filter(|s| *s != Stage::Draft).map(|s| view! {
                        <option value=s.as_str() selected=move || get("status") == s.as_str()>{move || s.label(en())}</option>
                    }).collect_view()}
                </select>
            </div>
            <div class="field">
                <label for="tema">{tr(i18n, |l| td_string!(l, proposals_theme))}</label>
                <select id="tema" name="tema">
                    <option value="">{tr(i18n, |l| td_string!(l, proposals_all))}</option>
                    {Theme::ALL.into_iter().map(|t| view! {
                        <option value=t.as_str() selected=move || get("tema") == t.as_str()>{move || t.label(en())}</option>
                    }).collect_view()}
                </select>
            </div>
            <div class="field">
                <label for="raad">{tr(i18n, |l| td_string!(l, proposals_council))}</label>
                <select id="raad" name="raad">
                    <option value="">{tr(i18n, |l| td_string!(l, proposals_all))}</option>
                    <Transition fallback=|| ()>
                        {move || councils.get().and_then(|r| r.ok()).unwrap_or_default().into_iter().map(|c| {
                            let id = c.id.0.to_string();
                            let on = get("raad") == id;
                            view! { <option value=id selected=on>{c.name}</option> }
                        }).collect_view()}
                    </Transition>
                </select>
            </div>
            <button type="submit" class="button">{tr(i18n, |l| td_string!(l, proposals_filter))}</button>
        </form>
        <Transition fallback=move || view! { <p>{tr(i18n, |l| td_string!(l, loading))}</p> }>
            {move || page.get().map(|result| match result {
                Err(e) => view! { <p class="form-error" role="alert">{shown(&e)}</p> }.into_any(),
                Ok(page) if page.items.is_empty() => view! {
                    <p class="empty">{tr(i18n, |l| td_string!(l, proposals_none_found))}</p>
                }.into_any(),
                Ok(page) => {
                    let next = page.next.map(|c| {
                        let mut href = format!("/forslag?efter={}", c.encode());
                        for k in PARAMS {
                            let v = get(k);
                            if !v.is_empty() {
                                href.push_str(&format!("&{k}={}", percent_encode(&v)));
                            }
                        }
                        href
                    });
                    let first = !get("efter").is_empty();
                    view! {
                        <ol class="cards proposal-list">
                            {page.items.into_iter().map(|p| view! { <ProposalCard p /> }).collect_view()}
                        </ol>
                        <nav class="pager" aria-label=trs(i18n, |l| td_string!(l, proposals_pages))>
                            {first.then(|| view! {
                                <a href="/forslag">{tr(i18n, |l| td_string!(l, proposals_first_page))}</a>
                            })}
                            {next.map(|href| view! {
                                <a href=href rel="next">{tr(i18n, |l| td_string!(l, proposals_next_page))}</a>
                            })}
                        </nav>
                    }.into_any()
                }
            })}
        </Transition>
    }
}

/// One proposal in a list.
#[component]
pub fn ProposalCard(p: ProposalSummary) -> impl IntoView {
    let i18n = use_i18n();
    let en = is_en(i18n);
    let href = format!("/forslag/{}", p.id.0);
    let stage_label = match (p.stage, p.answer) {
        (Stage::Answered, Some(a)) => format!("{}: {}", p.stage.label(en), a.label(en)),
        (s, _) => s.label(en).to_owned(),
    };
    let deadline = (p.stage == Stage::Forwarded)
        .then_some(p.deadline)
        .flatten()
        .map(|d| deadline_line(d, chrono::Utc::now(), en));
    let supporters = p.supporters;
    view! {
        <li class="card">
            <h2 class="card__title"><a href=href>{p.title}</a></h2>
            <p class="meta">
                {p.theme.label(en)}" · "{p.council}" · "{p.author.label(en)}
                {p.submitted_at.map(|t| view! { " · "<time datetime=iso(t)>{date(t, en)}</time> })}
            </p>
            <p class=format!("badge badge--{}", p.stage.as_str())>{stage_label}</p>
            {deadline.map(|d| view! { <p class="deadline">{d}</p> })}
            <p class="counts">
                <span data-testid="supporters">{supporters}</span>" "
                {move || if supporters == 1 { tr(i18n, |l| td_string!(l, supporter_one))() } else { tr(i18n, |l| td_string!(l, supporter_many))() }}
                " · "{p.comments}" "{tr(i18n, |l| td_string!(l, comments_count))}
            </p>
        </li>
    }
}
