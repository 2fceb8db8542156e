//! `/live/{code}/skaerm`: the projector view — large type, high contrast: how to join (the
//! code, the address and a QR code), then the vote's live tally, the speakers' list and a
//! class's ideas as they change. Without JavaScript it reloads itself every five seconds.
use crate::api::live::get_live;
use crate::i18n::*;
use crate::ui::live_board::LiveBoard;
use crate::ui::tr::{is_en, tr, trs};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

#[component]
pub fn LiveScreenPage() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_params_map();
    let code = move || params.read().get("code").unwrap_or_default();
    let page = Resource::new(code, get_live);
    view! {
        <noscript><meta http-equiv="refresh" content="5" /></noscript>
        <Suspense fallback=move || view! { <p>{tr(i18n, |l| td_string!(l, loading))}</p> }>
            {move || page.get().map(|r| match r {
                Err(_) => view! {
                    <Title text=trs(i18n, |l| td_string!(l, live_title))() />
                    <h1>{tr(i18n, |l| td_string!(l, live_title))}</h1>
                    <p class="notice">{tr(i18n, |l| td_string!(l, live_not_found))}</p>
                }.into_any(),
                Ok(p) => {
                    let en = is_en(i18n);
                    let join_url = p.host.as_ref().map(|h| h.join_url.clone());
                    let qr = p.host.as_ref().map(|h| h.qr_svg.clone());
                    view! {
                        <Title text=p.session.title.clone() />
                        <div class="live-screen">
                            <header class="live-screen-head">
                                <h1>{p.session.title.clone()}</h1>
                                <p class="live-screen-join">
                                    {tr(i18n, |l| td_string!(l, live_screen_join))} " "
                                    <strong class="live-code" data-testid="live-screen-code">{p.session.code.clone()}</strong>
                                    {join_url.map(|u| view! { <span class="live-screen-url">" · " {u}</span> })}
                                </p>
                                {qr.map(|svg| view! {
                                    <div class="live-qr live-qr--screen" role="img" aria-label=trs(i18n, |l| td_string!(l, live_qr_label))() inner_html=svg></div>
                                })}
                            </header>
                            <LiveBoard code=p.session.code.clone() state=p.state.clone() big=true en reload=false />
                        </div>
                    }.into_any()
                }
            })}
        </Suspense>
    }
}
