//! The live board: a session's vote, speakers and ideas as they change. An island — the
//! one part of a live session that runs in the browser: it listens to the session's
//! stream (`/live/{code}/stream`, EventSource, which reconnects by itself) and redraws.
//! On the projector (`big`) it is the whole page; on a phone it shows the tally, and when
//! something a form depends on changes (a vote opens or closes, the list or the agenda
//! moves), it reloads the page — after a short random wait so a room of phones does not
//! ask at the same instant, and never while the person is typing (then it offers a
//! button). Without JavaScript the page is the same, as it was rendered, with a reload
//! link (the projector refreshes itself every few seconds).
use crate::domain::live::LiveState;
use leptos::prelude::*;

/// What the forms on a participant's page depend on; a change of it reloads the page.
fn structure_key(s: &LiveState) -> String {
    let vote = s
        .vote
        .as_ref()
        .map(|v| format!("{}:{}", v.id.0, v.open))
        .unwrap_or_default();
    let speakers: Vec<String> = s
        .speakers
        .iter()
        .map(|sp| format!("{}{}", sp.id, if sp.speaking { "s" } else { "" }))
        .collect();
    let agenda: Vec<String> = s.agenda.iter().map(|i| i.id.0.to_string()).collect();
    let mut ideas: Vec<String> = s
        .ideas
        .iter()
        .map(|i| format!("{}{}", i.id.0, if i.proposal.is_some() { "p" } else { "" }))
        .collect();
    ideas.sort();
    format!(
        "{}|{vote}|{}|{}|{}|{}{}{}",
        s.open,
        speakers.join(","),
        agenda.join(","),
        ideas.join(","),
        s.speakers_open,
        s.ideas_open,
        s.dots_open
    )
}

fn percent(part: i64, whole: i64) -> i64 {
    if whole <= 0 {
        0
    } else {
        part * 100 / whole
    }
}

#[island]
pub fn LiveBoard(
    code: String,
    state: LiveState,
    big: bool,
    en: bool,
    reload: bool,
) -> impl IntoView {
    let key0 = structure_key(&state);
    let (st, set_st) = signal(state);
    let (stale, set_stale) = signal(false);
    let (live, set_live) = signal(false);
    let (now_ms, set_now_ms) = signal(0i64);
    Effect::new(move |_| {
        #[cfg(feature = "hydrate")]
        {
            use leptos::wasm_bindgen::{closure::Closure, JsCast};
            set_now_ms.set(js_sys::Date::now() as i64);
            let tick =
                Closure::<dyn FnMut()>::new(move || set_now_ms.set(js_sys::Date::now() as i64));
            let _ = window().set_interval_with_callback_and_timeout_and_arguments_0(
                tick.as_ref().unchecked_ref(),
                1000,
            );
            tick.forget();
            // A form being sent navigates by itself: no reload may cut it off.
            let on_submit = Closure::<dyn FnMut()>::new(move || {
                if let Some(body) = document().body() {
                    let _ = body.set_attribute("data-submitting", "true");
                }
            });
            let _ = document()
                .add_event_listener_with_callback("submit", on_submit.as_ref().unchecked_ref());
            on_submit.forget();
            let Ok(source) = web_sys::EventSource::new(&format!("/live/{code}/stream")) else {
                return;
            };
            let key0 = key0.clone();
            let on_state = Closure::<dyn FnMut(web_sys::MessageEvent)>::new(
                move |ev: web_sys::MessageEvent| {
                    set_live.set(true);
                    let Some(text) = ev.data().as_string() else {
                        return;
                    };
                    let Ok(new) = serde_json::from_str::<LiveState>(&text) else {
                        return;
                    };
                    if structure_key(&new) != key0 && !big {
                        let typing = document()
                            .active_element()
                            .map(|e| {
                                let tag = e.tag_name().to_ascii_lowercase();
                                tag == "textarea"
                                    || (tag == "input"
                                        && e.get_attribute("type").as_deref() != Some("hidden"))
                            })
                            .unwrap_or(false);
                        let submitting = document()
                            .body()
                            .is_some_and(|b| b.has_attribute("data-submitting"));
                        if !reload || typing || submitting {
                            // The host's page (and a person typing) gets a button instead.
                            set_stale.set(true);
                        } else if !stale.get_untracked() {
                            set_stale.set(true);
                            let wait = (js_sys::Math::random() * 1500.0) as i32;
                            let go = Closure::<dyn FnMut()>::new(move || {
                                let sending = document()
                                    .body()
                                    .is_some_and(|b| b.has_attribute("data-submitting"));
                                if !sending {
                                    let _ = window().location().reload();
                                }
                            });
                            let _ = window().set_timeout_with_callback_and_timeout_and_arguments_0(
                                go.as_ref().unchecked_ref(),
                                wait,
                            );
                            go.forget();
                        }
                    }
                    set_st.set(new);
                },
            );
            let _ =
                source.add_event_listener_with_callback("state", on_state.as_ref().unchecked_ref());
            on_state.forget();
            let on_error = Closure::<dyn FnMut()>::new(move || set_live.set(false));
            source.set_onerror(Some(on_error.as_ref().unchecked_ref()));
            on_error.forget();
        }
        #[cfg(not(feature = "hydrate"))]
        {
            let _ = (
                &key0, &code, reload, set_st, set_stale, set_live, set_now_ms,
            );
        }
    });
    let t = move |da: &'static str, english: &'static str| if en { english } else { da };
    let participants = move || {
        let n = st.with(|s| s.participants);
        if en {
            format!("{n} joined")
        } else {
            format!("{n} deltagere")
        }
    };
    let vote = move || {
        st.with(|s| s.vote.clone()).map(|v| {
            let total = v.ballots;
            let left = v
                .closes_at_ms
                .filter(|_| v.open)
                .map(|c| ((c - now_ms.get()).max(0) + 999) / 1000)
                .filter(|_| now_ms.get() > 0);
            let status = if v.open {
                t("Afstemningen er åben", "The vote is open")
            } else {
                t("Afstemningen er lukket", "The vote is closed")
            };
            view! {
                <section class="live-vote" aria-labelledby="live-vote-q">
                    {v.item.clone().map(|i| view! { <p class="live-item">{i}</p> })}
                    <h2 id="live-vote-q" class="live-question">{v.question.clone()}</h2>
                    <p class="live-status" data-testid="live-status">
                        {status}
                        {left.map(|s| format!(" · {s} s"))}
                        " · "
                        <span data-testid="live-ballots">{total}</span>
                        {t(" stemmer", " votes")}
                    </p>
                    <ul class="live-tally" data-testid="live-tally">
                        {v.options.iter().map(|o| {
                            let pct = percent(o.votes, total);
                            view! {
                                <li class="live-option">
                                    <span class="live-option-label">{o.label.clone()}</span>
                                    <span class="live-option-votes" data-testid="live-votes">{o.votes}</span>
                                    <span class="live-bar" aria-hidden="true">
                                        <span class="live-bar-fill" style=format!("width: {pct}%")></span>
                                    </span>
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                </section>
            }
        })
    };
    let speakers = move || {
        let list = st.with(|s| s.speakers.clone());
        let open = st.with(|s| s.speakers_open);
        (!list.is_empty() || !open).then(|| {
            let name = move |n: i64| {
                if en {
                    format!("Participant {n}")
                } else {
                    format!("Deltager {n}")
                }
            };
            view! {
                <section class="live-speakers" aria-labelledby="live-speakers-h">
                    <h2 id="live-speakers-h">{t("Talerliste", "Speakers' list")}
                        {(!open).then(|| t(" (lukket)", " (closed)"))}
                    </h2>
                    <ol data-testid="live-speakers">
                        {list.into_iter().map(|sp| view! {
                            <li class:live-speaking=sp.speaking>
                                {name(sp.number)}
                                {sp.speaking.then(|| t(" — taler nu", " — speaking"))}
                            </li>
                        }).collect_view()}
                    </ol>
                </section>
            }
        })
    };
    let ideas = move || {
        let list = st.with(|s| s.ideas.clone());
        (!list.is_empty()).then(|| {
            view! {
                <section class="live-ideas" aria-labelledby="live-ideas-h">
                    <h2 id="live-ideas-h">{t("Klassens idéer", "The class's ideas")}</h2>
                    <ol data-testid="live-ideas">
                        {list.into_iter().map(|i| view! {
                            <li>
                                <span class="live-idea-body">{i.body}</span>
                                <span class="live-dots" data-testid="live-dots">
                                    {i.dots} {t(" prikker", " dots")}
                                </span>
                            </li>
                        }).collect_view()}
                    </ol>
                </section>
            }
        })
    };
    view! {
        <div class="live-board" class:live-board--big=big data-testid="live-board"
            data-version=move || st.with(|s| s.version)>
            <p class="live-meta">
                <span data-testid="live-participants">{participants}</span>
                {move || (!st.with(|s| s.open)).then(|| view! { " · " {t("Sessionen er slut", "The session has ended")} })}
                <span class="live-connection" hidden=move || !live.get()>{t(" · direkte", " · live")}</span>
            </p>
            {move || stale.get().then(|| view! {
                <p class="notice" role="status">
                    {t("Der er sket noget nyt. ", "Something new happened. ")}
                    <a href="" class="button button--small">{t("Opdater siden", "Reload the page")}</a>
                </p>
            })}
            {vote}
            {speakers}
            {ideas}
        </div>
    }
}
