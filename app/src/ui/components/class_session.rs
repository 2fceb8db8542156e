//! A class session's tools (issue #23), rendered on the server as plain forms that work
//! without JavaScript: the pupil's (send an idea, see own ideas waiting for approval, give
//! and take back dots) and the teacher's (approve or reject ideas, open and close ideas and
//! dot-voting, send an idea to the school's elevråd). Placed on `/live/{code}`.
use crate::api::class_session::{
    DotClassIdea, ReviewClassIdea, SendClassIdea, SubmitClassIdea, SwitchClass, UndotClassIdea,
};
use crate::domain::error::AppError;
use crate::domain::live::{ranked, IdeaView, LivePage, MAX_DOTS};
use crate::i18n::*;
use crate::ui::auth::action_error;
use crate::ui::components::form::{FormError, TextArea};
use crate::ui::tr::tr;
use leptos::prelude::*;

/// "3 prikker" / "1 prik".
fn dots_label(i18n: leptos_i18n::I18nContext<Locale>, n: i64) -> impl IntoView {
    view! {
        {n}" "
        {if n == 1 {
            tr(i18n, |l| td_string!(l, class_dot_word))()
        } else {
            tr(i18n, |l| td_string!(l, class_dots_word))()
        }}
    }
}

/// The first error of either action.
fn either(a: Signal<Option<AppError>>, b: Signal<Option<AppError>>) -> Signal<Option<AppError>> {
    Signal::derive(move || a.get().or_else(|| b.get()))
}

/// The pupil's part of a class session: the idea form (while the class takes ideas), the
/// pupil's own ideas waiting for the teacher, and the approved ideas ranked by dots, with
/// "Giv en prik" / "Tag prikken tilbage" while dot-voting is open.
#[component]
pub fn ClassPupil(page: LivePage) -> impl IntoView {
    let i18n = use_i18n();
    let submit = ServerAction::<SubmitClassIdea>::new();
    let dot = ServerAction::<DotClassIdea>::new();
    let undot = ServerAction::<UndotClassIdea>::new();
    let submit_error = action_error(submit);
    let dot_error = either(action_error(dot), action_error(undot));
    let code = page.session.code.clone();
    let me = page.me.clone().unwrap_or_default();
    let open = page.state.open;
    let ideas_open = open && page.state.ideas_open;
    let dots_open = open && page.state.dots_open;
    let left = (MAX_DOTS - me.dots.len() as i64).max(0);
    let ideas = ranked(page.state.ideas.clone());
    let pending = me.pending.clone();
    let mine = me.dots.clone();
    let can_give = left > 0;
    view! {
        <section class="class-session" aria-labelledby="class-idea-heading">
            <h2 id="class-idea-heading">{tr(i18n, |l| td_string!(l, class_idea_heading))}</h2>
            {if ideas_open {
                view! {
                    <ActionForm action=submit attr:class="form class-session__idea-form">
                        <FormError error=submit_error />
                        <input type="hidden" name="code" value=code.clone() />
                        <TextArea
                            name="body"
                            label=move || tr(i18n, |l| td_string!(l, class_idea_label))
                            hint=move || tr(i18n, |l| td_string!(l, class_idea_hint))
                            error=submit_error
                            required=true
                            minlength=3
                            maxlength=280
                            rows=3
                        />
                        <button type="submit" class="button class-session__big">
                            {tr(i18n, |l| td_string!(l, class_idea_submit))}
                        </button>
                    </ActionForm>
                }
                .into_any()
            } else {
                view! { <p class="empty">{tr(i18n, |l| td_string!(l, class_ideas_closed_note))}</p> }
                    .into_any()
            }}
            {(!pending.is_empty()).then(|| view! {
                <h3>{tr(i18n, |l| td_string!(l, class_pending_heading))}</h3>
                <ul class="class-session__pending" data-testid="class-pending">
                    {pending.into_iter().map(|body| view! { <li>{body}</li> }).collect_view()}
                </ul>
            })}
        </section>
        <section class="class-session" aria-labelledby="class-ideas-heading">
            <h2 id="class-ideas-heading">{tr(i18n, |l| td_string!(l, class_ideas_heading))}</h2>
            {if dots_open {
                view! {
                    <p class="class-session__left" data-testid="class-dots-left" aria-live="polite">
                        {match left {
                            0 => view! { {tr(i18n, |l| td_string!(l, class_dots_none))} }.into_any(),
                            1 => view! { {tr(i18n, |l| td_string!(l, class_dots_one))} }.into_any(),
                            n => view! {
                                {tr(i18n, |l| td_string!(l, class_dots_before))}" "{n}" "
                                {tr(i18n, |l| td_string!(l, class_dots_after))}
                            }
                            .into_any(),
                        }}
                    </p>
                }
                .into_any()
            } else {
                view! { <p class="meta">{tr(i18n, |l| td_string!(l, class_dots_closed_note))}</p> }
                    .into_any()
            }}
            <FormError error=dot_error />
            {ideas.is_empty().then(|| view! {
                <p class="empty">{tr(i18n, |l| td_string!(l, class_no_ideas))}</p>
            })}
            <ol class="class-session__ideas" data-testid="class-ideas">
                {ideas
                    .into_iter()
                    .map(|idea| {
                        let has = mine.contains(&idea.id);
                        view! { <PupilIdea idea has dots_open can_give dot undot /> }
                    })
                    .collect_view()}
            </ol>
        </section>
    }
}

#[component]
fn PupilIdea(
    idea: IdeaView,
    has: bool,
    dots_open: bool,
    can_give: bool,
    dot: ServerAction<DotClassIdea>,
    undot: ServerAction<UndotClassIdea>,
) -> impl IntoView {
    let i18n = use_i18n();
    let text_id = format!("class-idea-{}", idea.id.0);
    let (take_for, give_for) = (text_id.clone(), text_id.clone());
    let id = idea.id.0;
    view! {
        <li class="class-session__idea" class:class-session__idea--mine=has>
            <p id=text_id.clone() class="class-session__text">{idea.body}</p>
            <p class="meta">
                {dots_label(i18n, idea.dots)}
                {has.then(|| view! { " · "<strong>{tr(i18n, |l| td_string!(l, class_has_my_dot))}</strong> })}
            </p>
            {(dots_open && has).then_some(view! {
                <ActionForm action=undot attr:class="inline-form">
                    <input type="hidden" name="idea_id" value=id />
                    <button type="submit" class="button button--secondary class-session__big" aria-describedby=take_for>
                        {tr(i18n, |l| td_string!(l, class_dot_take))}
                    </button>
                </ActionForm>
            })}
            {(dots_open && !has && can_give).then_some(view! {
                <ActionForm action=dot attr:class="inline-form">
                    <input type="hidden" name="idea_id" value=id />
                    <button type="submit" class="button class-session__big" aria-describedby=give_for>
                        {tr(i18n, |l| td_string!(l, class_dot_give))}
                    </button>
                </ActionForm>
            })}
        </li>
    }
}

/// The teacher's part of a class session: the ideas waiting for approval (Godkend /
/// Afvis), the switches for ideas and dot-voting, and the approved ideas ranked by dots,
/// each with "Send til {elevråd}" (or a link to the proposal it became).
#[component]
pub fn ClassTeacher(page: LivePage) -> impl IntoView {
    let i18n = use_i18n();
    let review = ServerAction::<ReviewClassIdea>::new();
    let switch = ServerAction::<SwitchClass>::new();
    let send = ServerAction::<SendClassIdea>::new();
    let review_error = action_error(review);
    let switch_error = action_error(switch);
    let send_error = action_error(send);
    let (code_ideas, code_dots) = (page.session.code.clone(), page.session.code.clone());
    let open = page.state.open;
    let ideas_open = page.state.ideas_open;
    let dots_open = page.state.dots_open;
    let host = page.host.clone().unwrap_or_default();
    let pending = host.pending.clone();
    let elevraad = host.elevraad.clone();
    let ideas = ranked(page.state.ideas.clone());
    view! {
        <section class="class-session" aria-labelledby="class-review-heading">
            <h2 id="class-review-heading">{tr(i18n, |l| td_string!(l, class_review_heading))}</h2>
            <FormError error=review_error />
            {pending.is_empty().then(|| view! {
                <p class="empty">{tr(i18n, |l| td_string!(l, class_no_pending))}</p>
            })}
            <ul class="class-session__ideas" data-testid="class-review">
                {pending
                    .into_iter()
                    .map(|p| {
                        let text_id = format!("class-pending-{}", p.id.0);
                        let (approve_for, reject_for) = (text_id.clone(), text_id.clone());
                        let id = p.id.0;
                        view! {
                            <li class="class-session__idea">
                                <p id=text_id.clone() class="class-session__text">{p.body}</p>
                                {open.then_some(view! {
                                    <div class="class-session__actions">
                                        <ActionForm action=review attr:class="inline-form">
                                            <input type="hidden" name="idea_id" value=id />
                                            <input type="hidden" name="decision" value="approve" />
                                            <button type="submit" class="button class-session__big" aria-describedby=approve_for>
                                                {tr(i18n, |l| td_string!(l, class_approve))}
                                            </button>
                                        </ActionForm>
                                        <ActionForm action=review attr:class="inline-form">
                                            <input type="hidden" name="idea_id" value=id />
                                            <input type="hidden" name="decision" value="reject" />
                                            <button type="submit" class="button button--secondary class-session__big" aria-describedby=reject_for>
                                                {tr(i18n, |l| td_string!(l, class_reject))}
                                            </button>
                                        </ActionForm>
                                    </div>
                                })}
                            </li>
                        }
                    })
                    .collect_view()}
            </ul>
        </section>
        {open.then_some(view! {
            <section class="class-session" aria-labelledby="class-switches-heading">
                <h2 id="class-switches-heading">{tr(i18n, |l| td_string!(l, class_switches_heading))}</h2>
                <FormError error=switch_error />
                <p data-testid="class-ideas-status">{if ideas_open {
                    tr(i18n, |l| td_string!(l, class_ideas_are_open))()
                } else {
                    tr(i18n, |l| td_string!(l, class_ideas_are_closed))()
                }}</p>
                <ActionForm action=switch attr:class="inline-form">
                    <input type="hidden" name="code" value=code_ideas />
                    <input type="hidden" name="what" value="ideas" />
                    <input type="hidden" name="open" value=if ideas_open { "false" } else { "true" } />
                    <button type="submit" class="button button--secondary class-session__big">
                        {if ideas_open {
                            tr(i18n, |l| td_string!(l, class_ideas_close))()
                        } else {
                            tr(i18n, |l| td_string!(l, class_ideas_open))()
                        }}
                    </button>
                </ActionForm>
                <p data-testid="class-dots-status">{if dots_open {
                    tr(i18n, |l| td_string!(l, class_dots_are_open))()
                } else {
                    tr(i18n, |l| td_string!(l, class_dots_are_closed))()
                }}</p>
                <ActionForm action=switch attr:class="inline-form">
                    <input type="hidden" name="code" value=code_dots />
                    <input type="hidden" name="what" value="dots" />
                    <input type="hidden" name="open" value=if dots_open { "false" } else { "true" } />
                    <button type="submit" class="button button--secondary class-session__big">
                        {if dots_open {
                            tr(i18n, |l| td_string!(l, class_dots_close))()
                        } else {
                            tr(i18n, |l| td_string!(l, class_dots_open))()
                        }}
                    </button>
                </ActionForm>
            </section>
        })}
        <section class="class-session" aria-labelledby="class-ranked-heading">
            <h2 id="class-ranked-heading">{tr(i18n, |l| td_string!(l, class_ideas_heading))}</h2>
            <FormError error=send_error />
            {elevraad.is_none().then(|| view! {
                <p class="meta">{tr(i18n, |l| td_string!(l, class_no_elevraad))}</p>
            })}
            {ideas.is_empty().then(|| view! {
                <p class="empty">{tr(i18n, |l| td_string!(l, class_no_ideas))}</p>
            })}
            <ol class="class-session__ideas" data-testid="class-ranked">
                {ideas
                    .into_iter()
                    .map(|idea| {
                        let text_id = format!("class-idea-{}", idea.id.0);
                        let id = idea.id.0;
                        let elevraad = elevraad.clone();
                        view! {
                            <li class="class-session__idea">
                                <p id=text_id.clone() class="class-session__text">{idea.body}</p>
                                <p class="meta">{dots_label(i18n, idea.dots)}</p>
                                {match (idea.proposal, elevraad) {
                                    (Some(p), _) => view! {
                                        <a class="class-session__big" href=format!("/forslag/{}", p.0)>
                                            {tr(i18n, |l| td_string!(l, class_sent))}
                                        </a>
                                    }
                                    .into_any(),
                                    (None, Some(name)) => view! {
                                        <ActionForm action=send attr:class="inline-form">
                                            <input type="hidden" name="idea_id" value=id />
                                            <button type="submit" class="button class-session__big" aria-describedby=text_id.clone()>
                                                {tr(i18n, |l| td_string!(l, class_send_to))}" "{name}
                                            </button>
                                        </ActionForm>
                                    }
                                    .into_any(),
                                    (None, None) => ().into_any(),
                                }}
                            </li>
                        }
                    })
                    .collect_view()}
            </ol>
        </section>
    }
}
