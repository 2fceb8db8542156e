//! The proposal page: the whole story — the proposal, its status in plain words, the
//! timeline of every step, support and follow, comments, and reporting.
use crate::api::answers::AnswerProposal;
use crate::api::moderation::{HideContent, ReportContent};
use crate::api::proposals::{
    get_proposal, AddComment, FollowProposal, SupportProposal, UnsupportProposal,
};
use crate::domain::error::AppError;
use crate::domain::ids::ProposalId;
use crate::domain::proposal::{
    Answer, AnswerKind, AnswerReason, CommentView, CouncilDecision, ProposalDetail, ProposalStatus,
    Stage, TimelineEntry, TimelineEvent, Visibility, MAX_COMMENT_CHARS, MIN_COMMENT_CHARS,
};
use crate::i18n::*;
use crate::ui::auth::action_error;
use crate::ui::components::form::{flashed, FormError, TextArea};
use crate::ui::components::once_field::OnceField;
use crate::ui::error_text::shown;
use crate::ui::format::paragraphs;
use crate::ui::format::{date, iso};
use crate::ui::islands::ReadabilityHint;
use crate::ui::pages::proposal_answer::{AnswerActions, AnswerSection};
use crate::ui::status::status_line;
use crate::ui::tr::{is_en, tr, trs};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;
use leptos_router::hooks::{use_params_map, use_query_map};

/// The actions of the page, created here so plain form posts report their errors.
#[derive(Clone, Copy)]
struct Actions {
    support: ServerAction<SupportProposal>,
    unsupport: ServerAction<UnsupportProposal>,
    follow: ServerAction<FollowProposal>,
    comment: ServerAction<AddComment>,
    report: ServerAction<ReportContent>,
    hide: ServerAction<HideContent>,
    answer: ServerAction<AnswerProposal>,
    after: AnswerActions,
}

#[component]
pub fn ProposalPage() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_params_map();
    let id = move || {
        params
            .read()
            .get("id")
            .and_then(|v| v.parse::<i64>().ok())
            .unwrap_or(0)
    };
    let actions = Actions {
        support: ServerAction::new(),
        unsupport: ServerAction::new(),
        follow: ServerAction::new(),
        comment: ServerAction::new(),
        report: ServerAction::new(),
        hide: ServerAction::new(),
        answer: ServerAction::new(),
        after: AnswerActions::default(),
    };
    let detail = Resource::new(
        move || {
            (
                id(),
                actions.support.version().get(),
                actions.unsupport.version().get(),
                actions.follow.version().get(),
                actions.comment.version().get(),
                actions.hide.version().get(),
                actions.after.understood.version().get(),
                actions.after.clarify.version().get(),
                actions.after.follow_up.version().get(),
            )
        },
        |(id, ..)| get_proposal(ProposalId(id)),
    );
    view! {
        <Transition fallback=move || view! { <p>{tr(i18n, |l| td_string!(l, loading))}</p> }>
            {move || detail.get().map(|r| match r {
                Ok(p) => view! { <Detail p actions /> }.into_any(),
                Err(AppError::NotFound) => view! {
                    <Title text=trs(i18n, |l| td_string!(l, proposal_not_found))() />
                    <h1>{tr(i18n, |l| td_string!(l, proposal_not_found))}</h1>
                    <p><A href="/forslag">{tr(i18n, |l| td_string!(l, proposals_title))}</A></p>
                }.into_any(),
                Err(e) => view! { <p class="form-error" role="alert">{shown(&e)}</p> }.into_any(),
            })}
        </Transition>
    }
}

/// The answer of an answered proposal.
fn answer_of(status: &ProposalStatus) -> Option<Answer> {
    match status {
        ProposalStatus::Answered { answer, .. } => Some(answer.clone()),
        _ => None,
    }
}

#[component]
fn Detail(p: ProposalDetail, actions: Actions) -> impl IntoView {
    let i18n = use_i18n();
    let en = is_en(i18n);
    let query = use_query_map();
    let reported = move || query.read().get("anmeldt").is_some_and(|v| v == "1");
    let now = chrono::Utc::now();
    let line = status_line(&p.status, p.visibility, now, en);
    let hidden = p.visibility == Visibility::Hidden;
    let published = p.visibility == Visibility::Published && p.status.stage() != Stage::Draft;
    let title = if hidden {
        trs(i18n, |l| td_string!(l, proposal_hidden_title))()
    } else {
        p.title.clone()
    };
    let id = p.id.0;
    let viewer = p.viewer;
    let supporters = p.supporters;
    let support_error = Signal::derive(move || {
        actions
            .support
            .value()
            .get()
            .and_then(|r| r.err())
            .or_else(|| actions.unsupport.value().get().and_then(|r| r.err()))
            .or_else(|| actions.follow.value().get().and_then(|r| r.err()))
    });
    let stage = p.status.stage();
    view! {
        <Title text=title.clone() />
        <article class="proposal">
            <p class="meta"><A href="/forslag">{tr(i18n, |l| td_string!(l, proposals_title))}</A></p>
            <h1>{title}</h1>
            <p class="meta">
                {p.theme.label(en)}" · "{p.council.clone()}" · "
                {tr(i18n, |l| td_string!(l, proposal_by))}" "{p.author.label(en)}
                {p.submitted_at.map(|t| view! { " · "<time datetime=iso(t)>{date(t, en)}</time> })}
            </p>
            <p class=format!("status status--{}", stage.as_str()) data-testid="status-line">{line}</p>
            {hidden.then(|| view! {
                <p class="hidden-notice">{tr(i18n, |l| td_string!(l, proposal_hidden_by_moderator))}": "{p.hidden_reason.clone().unwrap_or_default()}</p>
            })}
            {(!hidden).then(|| view! { <div class="proposal__body">{paragraphs(&p.body)}</div> })}
            {(viewer.is_author && stage == Stage::Draft).then(|| view! {
                <p><A href=format!("/forslag/{id}/rediger") attr:class="button">{tr(i18n, |l| td_string!(l, proposal_finish_draft))}</A></p>
            })}
            {reported().then(|| view! { <p class="success" role="status">{tr(i18n, |l| td_string!(l, proposal_reported))}</p> })}

            {published.then(|| view! {
                <section class="support" aria-labelledby="stoet">
                    <h2 id="stoet" class="visually-hidden">{tr(i18n, |l| td_string!(l, support_heading))}</h2>
                    <p class="support__count"><strong data-testid="support-count">{supporters}</strong>" "
                        {move || if supporters == 1 { tr(i18n, |l| td_string!(l, supporter_one))() } else { tr(i18n, |l| td_string!(l, supporter_many))() }}</p>
                    <FormError error=support_error />
                    {if !viewer.logged_in {
                        view! { <p><A href="/log-ind">{tr(i18n, |l| td_string!(l, support_login))}</A></p> }.into_any()
                    } else if viewer.is_author {
                        view! { <p class="meta">{tr(i18n, |l| td_string!(l, support_own))}</p> }.into_any()
                    } else if viewer.supports {
                        view! {
                            <ActionForm action=actions.unsupport attr:class="inline-form">
                                <input type="hidden" name="proposal_id" value=id />
                                <button type="submit" class="button button--secondary">{tr(i18n, |l| td_string!(l, support_withdraw))}</button>
                            </ActionForm>
                            <p class="meta">{tr(i18n, |l| td_string!(l, support_you_support))}</p>
                        }.into_any()
                    } else if viewer.can_act {
                        view! {
                            <ActionForm action=actions.support attr:class="inline-form">
                                <input type="hidden" name="proposal_id" value=id />
                                <button type="submit" class="button">{tr(i18n, |l| td_string!(l, support_button))}</button>
                            </ActionForm>
                        }.into_any()
                    } else {
                        view! { <p class="meta">{tr(i18n, |l| td_string!(l, support_youth_only))}</p> }.into_any()
                    }}
                    {viewer.logged_in.then(|| view! {
                        <ActionForm action=actions.follow attr:class="inline-form">
                            <input type="hidden" name="proposal_id" value=id />
                            <input type="hidden" name="follow" value=if viewer.follows { "0" } else { "1" } />
                            <button type="submit" class="link-button">
                                {if viewer.follows { tr(i18n, |l| td_string!(l, follow_stop))() } else { tr(i18n, |l| td_string!(l, follow_start))() }}
                            </button>
                        </ActionForm>
                    })}
                </section>
            })}

            {(stage == Stage::Answered && !hidden).then(|| view! {
                <AnswerSection id answer=answer_of(&p.status) meta=p.answer_meta.clone() feedback=p.feedback.clone().unwrap_or_default()
                    clarifications=p.clarifications.clone() viewer actions=actions.after />
            })}
            {viewer.can_answer.then(|| view! { <AnswerForm id actions /> })}
            {viewer.can_change_deadline.then(|| view! { <crate::ui::components::deadline_form::DeadlineForm id /> })}
            <section aria-labelledby="forloeb">
                <h2 id="forloeb">{tr(i18n, |l| td_string!(l, timeline_title))}</h2>
                {published.then(|| view! { <p class="open-data"><crate::ui::components::open_data::FeedLink href=format!("/forslag/{id}/feed.atom") title=|l| td_string!(l, feed_proposal) /></p> })}
                <Timeline status=p.status.clone() entries=p.timeline.clone() created=p.created_at />
            </section>

            {published.then(|| view! {
                <Comments id comments=p.comments.clone() viewer_can_comment=viewer.can_comment
                    logged_in=viewer.logged_in can_moderate=viewer.can_moderate
                    can_ask=viewer.can_ask is_author=viewer.is_author actions />
            })}

            {(viewer.logged_in && !hidden && stage != Stage::Draft).then(|| view! {
                <ReportForm id comment=None actions />
            })}
            {(viewer.can_moderate && !hidden && stage != Stage::Draft).then(|| view! {
                <HideForm id comment=None actions />
            })}
        </article>
    }
}

#[component]
fn Timeline(
    status: ProposalStatus,
    entries: Vec<TimelineEntry>,
    created: chrono::DateTime<chrono::Utc>,
) -> impl IntoView {
    let i18n = use_i18n();
    let en = is_en(i18n);
    let items = entries
        .into_iter()
        .map(|e| {
            let (heading, detail): (String, Option<AnyView>) = match e.event {
                TimelineEvent::Submitted => {
                    (trs(i18n, |l| td_string!(l, timeline_submitted))(), None)
                }
                TimelineEvent::Approved => {
                    (trs(i18n, |l| td_string!(l, timeline_approved))(), None)
                }
                TimelineEvent::OnAgenda { council, meeting, meeting_id } => (
                    format!("{} {council}", trs(i18n, |l| td_string!(l, timeline_on_agenda))()),
                    match (meeting, meeting_id) {
                        (Some(m), Some(id)) => Some(view! { <p><a href=format!("/moeder/{id}")>{m}</a></p> }.into_any()),
                        (Some(m), None) => Some(view! { <p>{m}</p> }.into_any()),
                        _ => None,
                    },
                ),
                TimelineEvent::SentOn { from, to } => (
                    format!("{} {from} {} {to}", trs(i18n, |l| td_string!(l, timeline_sent_on_from))(), trs(i18n, |l| td_string!(l, timeline_sent_on_to))()),
                    None,
                ),
                TimelineEvent::Voted { council, meeting_id, tally, members } => {
                    let outcome = crate::domain::council::outcome(tally, members);
                    (
                        format!("{} {council}", trs(i18n, |l| td_string!(l, timeline_voted))()),
                        Some(view! {
                            <p class="vote-result" data-testid="timeline-vote">
                                {format!(
                                    "{} {}, {} {}, {} {} — {}",
                                    tally.yes, trs(i18n, |l| td_string!(l, vote_for))(),
                                    tally.no, trs(i18n, |l| td_string!(l, vote_against))(),
                                    tally.abstain, trs(i18n, |l| td_string!(l, vote_abstain))(),
                                    outcome.label(en),
                                )}
                            </p>
                            <p><a href=format!("/moeder/{meeting_id}")>{tr(i18n, |l| td_string!(l, timeline_see_meeting))}</a></p>
                        }.into_any()),
                    )
                }
                TimelineEvent::LiveVoted { session, question, ballots, options } => (
                    format!("{} {session}", trs(i18n, |l| td_string!(l, timeline_live_voted))()),
                    Some(view! {
                        <p>{question}</p>
                        <p class="vote-result" data-testid="timeline-live-vote">
                            {options.iter().map(|o| format!("{} {}", o.label, o.votes)).collect::<Vec<_>>().join(", ")}
                            {format!(" ({ballots} {})", trs(i18n, |l| td_string!(l, timeline_live_ballots))())}
                        </p>
                    }.into_any()),
                ),
                TimelineEvent::RemovedFromAgenda { council } => (
                    format!(
                        "{} ({council})",
                        trs(i18n, |l| td_string!(l, timeline_removed))()
                    ),
                    None,
                ),
                TimelineEvent::Decided {
                    council,
                    decision,
                    vote,
                } => {
                    let votes = vote.map(|v| {
                    format!(
                        "{}: {} {}, {} {}, {} {}",
                        trs(i18n, |l| td_string!(l, timeline_vote))(),
                        v.yes,
                        trs(i18n, |l| td_string!(l, vote_for))(),
                        v.no,
                        trs(i18n, |l| td_string!(l, vote_against))(),
                        v.abstain,
                        trs(i18n, |l| td_string!(l, vote_abstain))(),
                    )
                });
                    let (what, text) = match decision {
                        CouncilDecision::Forwarded {
                            committee,
                            deadline,
                        } => (
                            format!(
                                "{} {committee}",
                                trs(i18n, |l| td_string!(l, timeline_forwarded))()
                            ),
                            format!(
                                "{} {}",
                                trs(i18n, |l| td_string!(l, timeline_deadline))(),
                                date(deadline, en)
                            ),
                        ),
                        CouncilDecision::Rejected { explanation } => (
                            trs(i18n, |l| td_string!(l, timeline_rejected))(),
                            explanation,
                        ),
                        CouncilDecision::Resolved { how } => {
                            (trs(i18n, |l| td_string!(l, timeline_resolved))(), how)
                        }
                    };
                    (
                        format!("{council}: {what}"),
                        Some(
                            view! {
                                <div class="prose">{paragraphs(&text)}</div>
                                {votes.map(|v| view! { <p class="vote-result">{v}</p> })}
                            }
                            .into_any(),
                        ),
                    )
                }
                TimelineEvent::Answered {
                    committee,
                    answer,
                    text,
                } => (
                    format!(
                        "{} {committee}: {}",
                        trs(i18n, |l| td_string!(l, timeline_answered))(),
                        answer.label(en)
                    ),
                    text.map(|t| {
                        view! { <blockquote class="answer">{paragraphs(&t)}</blockquote> }
                            .into_any()
                    }),
                ),
                TimelineEvent::FollowUp { state, note } => (
                    format!(
                        "{}: {}",
                        trs(i18n, |l| td_string!(l, timeline_follow_up))(),
                        state.label(en)
                    ),
                    Some(view! { <div>{paragraphs(&note)}</div> }.into_any()),
                ),
                TimelineEvent::DeadlineChanged { deadline, reason } => (
                    if en {
                        format!("The answer deadline was changed to {}", date(deadline, true))
                    } else {
                        format!("Svarfristen blev ændret til {}", date(deadline, false))
                    },
                    Some(view! { <div data-testid="deadline-reason">{paragraphs(&reason)}</div> }.into_any()),
                ),
            };
            view! {
                <li>
                    <time datetime=iso(e.at)>{date(e.at, en)}</time>
                    <p class="timeline__what"><strong>{heading}</strong></p>
                    {detail}
                </li>
            }
        })
        .collect_view();
    let waiting = match &status {
        ProposalStatus::Answered {
            answer: Answer::Ja { .. },
            ..
        }
        | ProposalStatus::Answered { .. } => None,
        ProposalStatus::RejectedByCouncil { .. } | ProposalStatus::ResolvedByCouncil { .. } => None,
        ProposalStatus::Draft => None,
        other => Some(status_line(
            other,
            Visibility::Published,
            chrono::Utc::now(),
            en,
        )),
    };
    view! {
        <ol class="timeline">
            <li>
                <time datetime=iso(created)>{date(created, en)}</time>
                <p class="timeline__what"><strong>{tr(i18n, |l| td_string!(l, timeline_written))}</strong></p>
            </li>
            {items}
            {waiting.map(|w| view! { <li class="timeline__next"><p>{tr(i18n, |l| td_string!(l, timeline_next))}": "{w}</p></li> })}
        </ol>
    }
}

/// The comments. An adult's comment shows their role (politician, coordinator); a
/// politician's question to the author is marked as one, and the author sees it highlighted
/// with a reply form under it (a reply is an ordinary comment). The committee's politicians
/// may mark their comment as a question while the proposal waits for their answer.
#[component]
fn Comments(
    id: i64,
    comments: Vec<CommentView>,
    viewer_can_comment: bool,
    logged_in: bool,
    can_moderate: bool,
    /// A politician of the committee, while the proposal waits for their answer.
    can_ask: bool,
    is_author: bool,
    actions: Actions,
) -> impl IntoView {
    let i18n = use_i18n();
    let en = is_en(i18n);
    let error = action_error(actions.comment);
    let count = comments.len();
    view! {
        <section aria-labelledby="kommentarer" id="kommentarer-sektion">
            <h2 id="kommentarer">{tr(i18n, |l| td_string!(l, comments_title))}" ("{count}")"</h2>
            <ol class="comments">
                {comments.into_iter().map(|c| {
                    let cid = c.id.0;
                    let for_me = c.question && is_author && c.body.is_some();
                    let role = c.role.map(|r| view! {
                        " · "<span class="comment__role" data-testid="comment-role">
                            <span class="visually-hidden">{tr(i18n, |l| td_string!(l, comment_role_prefix))}" "</span>
                            {r.label(en)}
                        </span>
                    });
                    let class = match (c.question, for_me) {
                        (_, true) => "comment comment--question comment--for-you",
                        (true, false) => "comment comment--question",
                        _ => "comment",
                    };
                    view! {
                        <li class=class id=format!("kommentar-{cid}")>
                            {c.question.then(|| view! {
                                <p class="comment__question" data-testid="comment-question"><strong>{tr(i18n, |l| td_string!(l, comment_question_mark))}</strong></p>
                            })}
                            <p class="meta">{c.author.label(en)}{role}" · "<time datetime=iso(c.at)>{date(c.at, en)}</time></p>
                            {match (c.body, c.hidden_reason) {
                                (Some(body), _) => view! {
                                    <div>{paragraphs(&body)}</div>
                                    {for_me.then(|| view! { <ReplyForm id question=cid actions /> })}
                                    {logged_in.then(|| view! { <ReportForm id comment=Some(cid) actions /> })}
                                    {can_moderate.then(|| view! { <HideForm id comment=Some(cid) actions /> })}
                                }.into_any(),
                                (None, reason) => view! {
                                    <p class="hidden-notice">{tr(i18n, |l| td_string!(l, proposal_hidden_by_moderator))}": "{reason.unwrap_or_default()}</p>
                                }.into_any(),
                            }}
                        </li>
                    }
                }).collect_view()}
            </ol>
            {if viewer_can_comment {
                view! {
                    <ActionForm action=actions.comment attr:class="form">
                        <OnceField />
                        <FormError error />
                        <input type="hidden" name="proposal_id" value=id />
                        <TextArea name="body" label=move || tr(i18n, |l| td_string!(l, comment_field)) error required=true
                            maxlength=MAX_COMMENT_CHARS as u32 rows=3 />
                        {can_ask.then(|| view! {
                            <div class="check">
                                <input id="f-question" name="question" type="checkbox" value="1" aria-describedby="f-question-hint"
                                    checked=flashed("question").as_deref() == Some("1") />
                                <label for="f-question">{tr(i18n, |l| td_string!(l, comment_ask_check))}</label>
                            </div>
                            <p class="hint" id="f-question-hint" data-testid="question-hint">{tr(i18n, |l| td_string!(l, comment_ask_hint))}</p>
                        })}
                        <button type="submit" class="button">{tr(i18n, |l| td_string!(l, comment_submit))}</button>
                    </ActionForm>
                }.into_any()
            } else if !logged_in {
                view! { <p><A href="/log-ind">{tr(i18n, |l| td_string!(l, comment_login))}</A></p> }.into_any()
            } else {
                ().into_any()
            }}
        </section>
    }
}

/// The author's reply to a politician's question: an ordinary comment, written right under
/// the question. Its errors show with the comment form below (one action).
#[component]
fn ReplyForm(id: i64, question: i64, actions: Actions) -> impl IntoView {
    let i18n = use_i18n();
    let field_id = format!("reply-{question}");
    let hint_id = format!("{field_id}-hint");
    view! {
        <p class="comment__for-you" id=hint_id.clone()>{tr(i18n, |l| td_string!(l, comment_question_for_you))}</p>
        <ActionForm action=actions.comment attr:class="form">
            <OnceField />
            <input type="hidden" name="proposal_id" value=id />
            <div class="field">
                <label for=field_id.clone()>{tr(i18n, |l| td_string!(l, comment_reply_field))}</label>
                <textarea id=field_id name="body" required minlength=MIN_COMMENT_CHARS as u32
                    maxlength=MAX_COMMENT_CHARS as u32 rows="3" aria-describedby=hint_id></textarea>
            </div>
            <button type="submit" class="button">{tr(i18n, |l| td_string!(l, comment_reply_submit))}</button>
        </ActionForm>
    }
}

/// "Anmeld": a reason to the moderators, folded away until opened.
#[component]
fn ReportForm(id: i64, comment: Option<i64>, actions: Actions) -> impl IntoView {
    let i18n = use_i18n();
    let error = action_error(actions.report);
    let field_id = format!("report-{id}-{}", comment.unwrap_or(0));
    let error_id = format!("{field_id}-error");
    view! {
        <details class="report">
            <summary>{move || if comment.is_some() { tr(i18n, |l| td_string!(l, report_comment))() } else { tr(i18n, |l| td_string!(l, report_proposal))() }}</summary>
            <ActionForm action=actions.report attr:class="form">
                <input type="hidden" name="proposal_id" value=id />
                {comment.map(|c| view! { <input type="hidden" name="comment_id" value=c /> })}
                <div class="field">
                    <label for=field_id.clone()>{tr(i18n, |l| td_string!(l, report_reason))}</label>
                    <input id=field_id name="reason" type="text" required minlength="5" maxlength="500" aria-describedby=error_id.clone() />
                    <p class="field-error" id=error_id aria-live="polite">{move || error.get().map(|e| shown(&e))}</p>
                </div>
                <button type="submit" class="button button--secondary">{tr(i18n, |l| td_string!(l, report_submit))}</button>
            </ActionForm>
        </details>
    }
}

/// A moderator hides the item with a reason shown in its place.
#[component]
fn HideForm(id: i64, comment: Option<i64>, actions: Actions) -> impl IntoView {
    let i18n = use_i18n();
    let error = action_error(actions.hide);
    let field_id = format!("hide-{id}-{}", comment.unwrap_or(0));
    let error_id = format!("{field_id}-error");
    view! {
        <details class="report">
            <summary>{tr(i18n, |l| td_string!(l, hide_summary))}</summary>
            <ActionForm action=actions.hide attr:class="form">
                <input type="hidden" name="proposal_id" value=id />
                {comment.map(|c| view! { <input type="hidden" name="comment_id" value=c /> })}
                <div class="field">
                    <label for=field_id.clone()>{tr(i18n, |l| td_string!(l, hide_reason))}</label>
                    <input id=field_id name="reason" type="text" required minlength="5" maxlength="500" aria-describedby=error_id.clone() />
                    <p class="field-error" id=error_id aria-live="polite">{move || error.get().map(|e| shown(&e))}</p>
                </div>
                <button type="submit" class="button button--danger">{tr(i18n, |l| td_string!(l, hide_submit))}</button>
            </ActionForm>
        </details>
    }
}

/// The politician's answer: Ja, Delvist or Nej. Delvist and Nej need an explanation (at
/// least 200 characters, written for a young reader) and a reason category.
#[component]
fn AnswerForm(id: i64, actions: Actions) -> impl IntoView {
    let i18n = use_i18n();
    let en = is_en(i18n);
    let error = action_error(actions.answer);
    let field_error = move |name: &'static str| {
        move || {
            error
                .get()
                .filter(|e| e.field() == Some(name))
                .map(|e| shown(&e))
        }
    };
    view! {
        <section class="answer-form" aria-labelledby="svar">
            <h2 id="svar">{tr(i18n, |l| td_string!(l, answer_title))}</h2>
            <p>{tr(i18n, |l| td_string!(l, answer_lead))}</p>
            <ActionForm action=actions.answer attr:class="form">
                <FormError error />
                <input type="hidden" name="proposal_id" value=id />
                <fieldset aria-describedby="answer-error">
                    <legend>{tr(i18n, |l| td_string!(l, answer_choice))}</legend>
                    {[AnswerKind::Ja, AnswerKind::Delvist, AnswerKind::Nej].into_iter().map(|k| {
                        let rid = format!("answer-{}", k.as_str());
                        view! {
                            <div class="check">
                                <input type="radio" id=rid.clone() name="answer" value=k.as_str() required
                                    checked=flashed("answer").as_deref() == Some(k.as_str()) />
                                <label for=rid>{k.label(en)}</label>
                            </div>
                        }
                    }).collect_view()}
                    <p class="field-error" id="answer-error" aria-live="polite">{field_error("answer")}</p>
                </fieldset>
                <div class="field">
                    <label for="f-reason">{tr(i18n, |l| td_string!(l, answer_reason))}</label>
                    <select id="f-reason" name="reason" aria-describedby="f-reason-error">
                        <option value="">{tr(i18n, |l| td_string!(l, answer_reason_none))}</option>
                        {AnswerReason::ALL.into_iter().map(|r| view! {
                            <option value=r.as_str() selected=flashed("reason").as_deref() == Some(r.as_str())>{r.label(en)}</option>
                        }).collect_view()}
                    </select>
                    <p class="field-error" id="f-reason-error" aria-live="polite">{field_error("reason")}</p>
                </div>
                <div class="field">
                    <label for="f-explanation">{tr(i18n, |l| td_string!(l, answer_explanation))}</label>
                    <p class="hint" id="f-explanation-hint">{tr(i18n, |l| td_string!(l, answer_explanation_hint))}</p>
                    <textarea id="f-explanation" name="explanation" rows="8" maxlength="10000"
                        aria-describedby="f-explanation-hint f-explanation-lix f-explanation-error"
                        aria-invalid=move || if field_error("explanation")().is_some() { "true" } else { "false" }>{flashed("explanation")}</textarea>
                    <ReadabilityHint target="f-explanation".to_string() en />
                    <p class="field-error" id="f-explanation-error" aria-live="polite">{field_error("explanation")}</p>
                </div>
                <button type="submit" class="button">{tr(i18n, |l| td_string!(l, answer_submit))}</button>
            </ActionForm>
        </section>
    }
}
