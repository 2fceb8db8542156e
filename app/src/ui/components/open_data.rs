//! Links to a page's open data (#22): its Atom feed — named in the page's head as
//! `<link rel="alternate" type="application/atom+xml">` for feed readers, and as a small
//! visible "Abonnér (Atom)" link — and its CSV and JSON downloads.
use crate::i18n::*;
use crate::ui::tr::{tr, trs, Key};
use leptos::prelude::*;
use leptos_meta::Link;

/// The media type of an Atom feed.
const ATOM: &str = "application/atom+xml";

/// A feed at `href`, called `title` (a locale key) by feed readers and on the link:
/// "Abonnér (Atom): Nye forslag".
#[component]
pub fn FeedLink(#[prop(into)] href: String, title: Key) -> impl IntoView {
    let i18n = use_i18n();
    let title = trs(i18n, title)();
    view! {
        <Link rel="alternate" type_=ATOM title=title.clone() href=href.clone() />
        <a class="feed-link" href=href type=ATOM data-testid="feed-link">
            {tr(i18n, |l| td_string!(l, feed_subscribe))}": "{title}
        </a>
    }
}

/// "Hent som: CSV · JSON" for the files `{stem}.csv` and `{stem}.json`.
#[component]
pub fn Downloads(#[prop(into)] stem: String) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <span class="downloads" data-testid="downloads">
            {trs(i18n, |l| td_string!(l, open_data_download))()}": "
            <a href=format!("{stem}.csv") type="text/csv" download>"CSV"</a>
            " · "
            <a href=format!("{stem}.json") type="application/json" download>"JSON"</a>
        </span>
    }
}
