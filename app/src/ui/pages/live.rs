//! `/live`: join a live session with its code (no account needed), and — for who may host —
//! open Bytinget or a class session, and find the sessions one opened.
use crate::api::live::{live_host_kinds, my_live_sessions, JoinLive, OpenLive};
use crate::domain::live::LiveKind;
use crate::i18n::*;
use crate::ui::auth::action_error;
use crate::ui::components::form::{Field, FormError};
use crate::ui::components::once_field::OnceField;
use crate::ui::format::date_time;
use crate::ui::tr::{is_en, tr, trs};
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn LiveStartPage() -> impl IntoView {
    let i18n = use_i18n();
    let join = ServerAction::<JoinLive>::new();
    let join_error = action_error(join);
    let open = ServerAction::<OpenLive>::new();
    let open_error = action_error(open);
    let kinds = Resource::new(|| (), |_| live_host_kinds());
    let mine = Resource::new(|| (), |_| my_live_sessions());
    view! {
        <Title text=trs(i18n, |l| td_string!(l, live_title))() />
        <h1>{tr(i18n, |l| td_string!(l, live_title))}</h1>
        <p class="lead">{tr(i18n, |l| td_string!(l, live_lead))}</p>
        <section class="card" aria-labelledby="live-join-h">
            <h2 id="live-join-h">{tr(i18n, |l| td_string!(l, live_join_h))}</h2>
            <ActionForm action=join attr:class="form">
                <FormError error=join_error />
                <Suspense fallback=|| ()>
                    {move || kinds.get().and_then(Result::ok).map(|k| view! { <input type="hidden" name="key" value=k.join_key /> })}
                </Suspense>
                <Field name="code" label=move || tr(i18n, |l| td_string!(l, live_code))()
                    hint=move || tr(i18n, |l| td_string!(l, live_code_hint))()
                    error=join_error required=true maxlength=12 autocomplete="off" />
                <button type="submit" class="button">{tr(i18n, |l| td_string!(l, live_join))}</button>
            </ActionForm>
            <p class="hint">{tr(i18n, |l| td_string!(l, live_privacy))}</p>
        </section>
        <Suspense fallback=|| ()>
            {move || kinds.get().and_then(Result::ok).filter(|k| k.bytinget || k.klasse).map(|k| {
                let first = if k.bytinget { LiveKind::Bytinget } else { LiveKind::Klasse };
                view! {
                    <section class="card" aria-labelledby="live-open-h">
                        <h2 id="live-open-h">{tr(i18n, |l| td_string!(l, live_open_h))}</h2>
                        <ActionForm action=open attr:class="form">
                            <FormError error=open_error />
                            <OnceField />
                            <fieldset class="field">
                                <legend>{tr(i18n, |l| td_string!(l, live_kind))}</legend>
                                {k.bytinget.then(|| view! {
                                    <div class="checkbox">
                                        <input type="radio" id="f-kind-bytinget" name="kind" value="bytinget" checked=first == LiveKind::Bytinget />
                                        <label for="f-kind-bytinget">{tr(i18n, |l| td_string!(l, live_kind_bytinget))}</label>
                                    </div>
                                })}
                                {k.klasse.then(|| view! {
                                    <div class="checkbox">
                                        <input type="radio" id="f-kind-klasse" name="kind" value="klasse" checked=first == LiveKind::Klasse />
                                        <label for="f-kind-klasse">{tr(i18n, |l| td_string!(l, live_kind_klasse))}</label>
                                    </div>
                                })}
                            </fieldset>
                            <Field name="title" label=move || tr(i18n, |l| td_string!(l, live_f_title))()
                                error=open_error required=true minlength=3 maxlength=120 />
                            {k.klasse.then(|| view! {
                                <Field name="class_name" label=move || tr(i18n, |l| td_string!(l, live_f_class))()
                                    hint=move || tr(i18n, |l| td_string!(l, live_f_class_hint))() error=open_error maxlength=40 />
                            })}
                            <button type="submit" class="button">{tr(i18n, |l| td_string!(l, live_open))}</button>
                        </ActionForm>
                    </section>
                }
            })}
            {move || mine.get().and_then(Result::ok).filter(|m| !m.is_empty()).map(|list| view! {
                <section aria-labelledby="live-mine-h">
                    <h2 id="live-mine-h">{tr(i18n, |l| td_string!(l, live_mine_h))}</h2>
                    <ul class="plain-list">
                        {list.into_iter().map(|s| view! {
                            <li>
                                <a href=format!("/live/{}", s.code)>{s.title.clone()}</a>
                                " · " {s.code.clone()} " · " {date_time(s.opened_at, is_en(i18n))}
                            </li>
                        }).collect_view()}
                    </ul>
                </section>
            })}
        </Suspense>
    }
}
