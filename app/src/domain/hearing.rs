//! Hearings (høringer, issue #21; DOMAIN.md "Hearings"): a committee's politician or the
//! coordinator asks one or more councils first. Each council adopts a response by a
//! passed vote on an agenda item about the hearing, or declines with an explanation,
//! before the response deadline; after the committee has decided, the sender publishes
//! feedback: what was decided and, for each response, how it was used and why.
//!
//! Each rule is one function here; the server functions and the pages call them, and the
//! database (migration 0020) holds the same rules. No sqlx, tokio or axum.
use crate::domain::account::{AccountStatus, RoleKind, SessionUser};
use crate::domain::answer::ANSWER_EXPLANATION;
use crate::domain::error::AppError;
use crate::domain::hearing_file::HearingFile;
use crate::domain::ids::{
    AgendaItemId, CommitteeId, CouncilId, HearingCommentId, HearingId, HearingInputId, MeetingId,
    VoteId,
};
use crate::domain::message::Msg;
use crate::domain::proposal::{clean_multiline, VoteTally, COUNCIL_DECLINE};
use crate::domain::rights::{CouncilAccess, CouncilRights};
use crate::i18n::td_string;
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

/// A hearing's title, in characters.
pub const TITLE_CHARS: (usize, usize) = (5, 160);
/// The plain-language question, in characters.
pub const QUESTION_CHARS: (usize, usize) = (20, 1000);
/// The background text, at most.
pub const BACKGROUND_MAX: usize = 20_000;
/// A council's response, in characters.
pub const RESPONSE_CHARS: (usize, usize) = (20, 10_000);
/// A draft response, at most.
pub const DRAFT_MAX: usize = 10_000;
/// What the committee decided, in characters.
pub const DECISION_CHARS: (usize, usize) = (20, 5_000);
/// A young person's input, in characters.
pub const INPUT_CHARS: (usize, usize) = (10, 1_000);
/// A member's comment on the draft, in characters.
pub const COMMENT_CHARS: (usize, usize) = (2, 2_000);
/// The sender owes feedback this many days after the committee's decision.
pub const FEEDBACK_DAYS: i64 = 28;
/// Hearings per page of the public list.
pub const PER_PAGE: i64 = 50;

/// A validated hearing, ready to store.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewHearing {
    pub title: String,
    pub question: String,
    pub background: String,
    pub committee: CommitteeId,
    pub councils: Vec<CouncilId>,
    pub decision_at: DateTime<Utc>,
    pub respond_by: DateTime<Utc>,
    pub feedback_by: DateTime<Utc>,
    pub allow_input: bool,
}

/// The end of a Danish calendar day (23.59.59 in Copenhagen): deadlines are whole days.
pub fn end_of_day(day: NaiveDate) -> Option<DateTime<Utc>> {
    crate::domain::localtime::from_copenhagen(day.and_hms_opt(23, 59, 59)?)
}

/// When feedback is due: [`FEEDBACK_DAYS`] after the committee's decision.
pub fn feedback_due(decision_at: DateTime<Utc>) -> DateTime<Utc> {
    decision_at + chrono::Duration::days(FEEDBACK_DAYS)
}

fn length(field: &str, text: &str, (min, max): (usize, usize), msg: Msg) -> Result<(), AppError> {
    let n = text.chars().count();
    if (min..=max).contains(&n) {
        Ok(())
    } else {
        Err(AppError::invalid(field, msg))
    }
}

fn parse_day(raw: &str, field: &str) -> Result<DateTime<Utc>, AppError> {
    NaiveDate::parse_from_str(raw.trim(), "%Y-%m-%d")
        .ok()
        .and_then(end_of_day)
        .ok_or_else(|| AppError::invalid(field, Msg::WriteDate))
}

/// Validates the sender's form: title 5–160 characters, a question of 20–1000 (written
/// for young readers: the page shows the same plain-language hint as the answer form),
/// background up to 20,000, at least one council, a response deadline (a day) in the
/// future and no later than the committee's decision (a day). Feedback is due
/// [`FEEDBACK_DAYS`] after the decision.
#[allow(clippy::too_many_arguments)]
pub fn validate_hearing(
    title: &str,
    question: &str,
    background: &str,
    committee: &str,
    councils: &[String],
    decision_date: &str,
    respond_date: &str,
    allow_input: bool,
    now: DateTime<Utc>,
) -> Result<NewHearing, AppError> {
    let title = crate::domain::account::clean_text(title).trim().to_owned();
    length(
        "title",
        &title,
        TITLE_CHARS,
        Msg::HearingTitle {
            min: TITLE_CHARS.0,
            max: TITLE_CHARS.1,
        },
    )?;
    let question = clean_multiline(question);
    length(
        "question",
        &question,
        QUESTION_CHARS,
        Msg::HearingQuestion {
            min: QUESTION_CHARS.0,
            max: QUESTION_CHARS.1,
        },
    )?;
    let background = clean_multiline(background);
    if background.chars().count() > BACKGROUND_MAX {
        return Err(AppError::invalid(
            "background",
            Msg::TextTooLong {
                max: BACKGROUND_MAX,
            },
        ));
    }
    let committee = committee
        .trim()
        .parse::<CommitteeId>()
        .map_err(|_| AppError::invalid("committee_id", Msg::ChooseCommittee))?;
    let mut ids: Vec<CouncilId> = Vec::new();
    for raw in councils {
        let raw = raw.trim();
        if raw.is_empty() {
            continue;
        }
        let id = raw
            .parse::<CouncilId>()
            .map_err(|_| AppError::invalid("council_ids", Msg::ChooseCouncils))?;
        if !ids.contains(&id) {
            ids.push(id);
        }
    }
    if ids.is_empty() {
        return Err(AppError::invalid("council_ids", Msg::ChooseCouncils));
    }
    let decision_at = parse_day(decision_date, "decision_date")?;
    let respond_by = parse_day(respond_date, "respond_date")?;
    if respond_by <= now {
        return Err(AppError::invalid("respond_date", Msg::HearingRespondFuture));
    }
    if respond_by > decision_at {
        return Err(AppError::invalid(
            "respond_date",
            Msg::HearingRespondBeforeDecision,
        ));
    }
    Ok(NewHearing {
        title,
        question,
        background,
        committee,
        councils: ids,
        decision_at,
        respond_by,
        feedback_by: feedback_due(decision_at),
        allow_input,
    })
}

/// Young people never send hearings: anyone with a youth or council-member role.
fn is_young(u: &SessionUser) -> bool {
    u.has(RoleKind::Ung)
        || u.has(RoleKind::Elev)
        || u.has(RoleKind::Ungeraadsmedlem)
        || u.has(RoleKind::Elevraadsmedlem)
        || u.has(RoleKind::Elevraadsformand)
}

/// May `u` send a hearing for a committee? A politician who sits on it (`in_committee`:
/// a term running today) or the coordinator, with an active account; young people never.
pub fn may_send(u: &SessionUser, in_committee: bool) -> bool {
    u.status == AccountStatus::Active
        && !is_young(u)
        && ((u.has(RoleKind::Politiker) && in_committee) || u.has(RoleKind::Sekretariat))
}

/// May `u` draft, decline, put on the agenda and adopt a council's response? The
/// council's chair or secretary (or an elevrådsformand of it), or the coordinator: those
/// who run its meetings.
pub fn may_act_for_council(u: &SessionUser, council: Option<&CouncilAccess>) -> bool {
    u.status == AccountStatus::Active && CouncilRights::of(Some(u), council).run
}

/// May `u` comment on a council's draft? Its members with a running term.
pub fn may_comment(u: &SessionUser, council: Option<&CouncilAccess>) -> bool {
    u.status == AccountStatus::Active && CouncilRights::of(Some(u), council).vote
}

/// May `u` see a council's draft and its comments? Its members, its officers and the
/// coordinator.
pub fn may_see_draft(u: Option<&SessionUser>, council: Option<&CouncilAccess>) -> bool {
    let r = CouncilRights::of(u, council);
    r.run || r.vote
}

/// May `u` give input to a hearing? Young people with an active account who are not
/// members of an asked council (`member_of_asked`), while the hearing takes input.
pub fn may_give_input(u: &SessionUser, member_of_asked: bool) -> bool {
    u.can_propose() && !member_of_asked
}

/// May `u` moderate young people's input to a hearing? The moderators, the coordinator,
/// and the hearing's sender.
pub fn may_moderate_input(u: &SessionUser, sender: bool) -> bool {
    u.status == AccountStatus::Active && (u.can_moderate() || sender)
}

/// May `u` publish the feedback? The sender, or the coordinator.
pub fn may_publish_feedback(u: &SessionUser, sender: bool) -> bool {
    u.status == AccountStatus::Active && (sender || u.has(RoleKind::Sekretariat))
}

/// Where a hearing is, computed from the times and what has been decided.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Phase {
    /// Councils may respond: before the response deadline, while some council has not
    /// decided.
    Open,
    /// Every council has decided or the deadline passed; feedback is not yet due.
    AwaitingFeedback,
    /// Feedback is late, by this many (started) days.
    FeedbackOverdue {
        days: i64,
    },
    FeedbackGiven,
}

/// The hearing's phase at `now`.
pub fn phase(
    now: DateTime<Utc>,
    respond_by: DateTime<Utc>,
    feedback_by: DateTime<Utc>,
    all_decided: bool,
    feedback_given: bool,
) -> Phase {
    if feedback_given {
        Phase::FeedbackGiven
    } else if now <= respond_by && !all_decided {
        Phase::Open
    } else if now <= feedback_by {
        Phase::AwaitingFeedback
    } else {
        let late = (now - feedback_by).num_seconds();
        Phase::FeedbackOverdue {
            days: (late + 86_399) / 86_400,
        }
    }
}

/// May a council still decide (respond or decline)? Only before the response deadline.
pub fn may_decide(now: DateTime<Utc>, respond_by: DateTime<Utc>) -> Result<(), AppError> {
    if now <= respond_by {
        Ok(())
    } else {
        Err(AppError::Conflict(Msg::HearingDeadlinePassed))
    }
}

/// May feedback be published? Once every council has decided or the response deadline
/// has passed, and only once.
pub fn may_publish(
    now: DateTime<Utc>,
    respond_by: DateTime<Utc>,
    all_decided: bool,
    feedback_given: bool,
) -> Result<(), AppError> {
    if feedback_given {
        return Err(AppError::Conflict(Msg::HearingFeedbackGiven));
    }
    if all_decided || now > respond_by {
        Ok(())
    } else {
        Err(AppError::Conflict(Msg::HearingFeedbackNotYet))
    }
}

/// A council's decision on a hearing.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum ResponseStatus {
    Awaiting,
    Responded,
    Declined,
}

impl ResponseStatus {
    pub fn parse(s: &str) -> Option<Self> {
        match s.trim() {
            "awaiting" => Some(Self::Awaiting),
            "responded" => Some(Self::Responded),
            "declined" => Some(Self::Declined),
            _ => None,
        }
    }

    pub fn label(self, en: bool) -> &'static str {
        let l = crate::domain::lang::locale(en);
        match self {
            Self::Awaiting => td_string!(l, labels.hearing_status.awaiting),
            Self::Responded => td_string!(l, labels.hearing_status.responded),
            Self::Declined => td_string!(l, labels.hearing_status.declined),
        }
    }
}

/// How the committee used a council's response.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum UseKind {
    Used,
    Partly,
    NotUsed,
}

impl UseKind {
    pub const ALL: [UseKind; 3] = [Self::Used, Self::Partly, Self::NotUsed];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Used => "used",
            Self::Partly => "partly",
            Self::NotUsed => "not_used",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == s.trim())
    }

    /// Not following the response (partly or not at all) needs an explanation.
    pub fn needs_explanation(self) -> bool {
        self != Self::Used
    }

    pub fn label(self, en: bool) -> &'static str {
        let l = crate::domain::lang::locale(en);
        match self {
            Self::Used => td_string!(l, labels.hearing_use.used),
            Self::Partly => td_string!(l, labels.hearing_use.partly),
            Self::NotUsed => td_string!(l, labels.hearing_use.not_used),
        }
    }
}

/// A young person's input, as moderated.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum InputStatus {
    Pending,
    Approved,
    Rejected,
}

impl InputStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Pending => "pending",
            Self::Approved => "approved",
            Self::Rejected => "rejected",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        [Self::Pending, Self::Approved, Self::Rejected]
            .into_iter()
            .find(|k| k.as_str() == s.trim())
    }
}

/// Validates a decline: the same rule and floor as a council declining a proposal
/// ([`COUNCIL_DECLINE`]).
pub fn validate_decline(raw: &str) -> Result<String, AppError> {
    COUNCIL_DECLINE.validate("reason", raw)
}

/// Validates a response (the text the council adopts).
pub fn validate_response(raw: &str) -> Result<String, AppError> {
    let text = clean_multiline(raw);
    length(
        "response",
        &text,
        RESPONSE_CHARS,
        Msg::HearingResponse {
            min: RESPONSE_CHARS.0,
            max: RESPONSE_CHARS.1,
        },
    )?;
    Ok(text)
}

/// Validates a draft (may be empty while the chair starts).
pub fn validate_draft(raw: &str) -> Result<String, AppError> {
    let text = clean_multiline(raw);
    if text.chars().count() > DRAFT_MAX {
        return Err(AppError::invalid(
            "draft",
            Msg::TextTooLong { max: DRAFT_MAX },
        ));
    }
    Ok(text)
}

/// Validates a member's comment on the draft.
pub fn validate_comment(raw: &str) -> Result<String, AppError> {
    let text = clean_multiline(raw);
    let n = text.chars().count();
    if n < COMMENT_CHARS.0 {
        return Err(AppError::invalid(
            "body",
            Msg::CommentTooShort {
                min: COMMENT_CHARS.0,
                n,
            },
        ));
    }
    if n > COMMENT_CHARS.1 {
        return Err(AppError::invalid(
            "body",
            Msg::CommentTooLong {
                max: COMMENT_CHARS.1,
                n,
            },
        ));
    }
    Ok(text)
}

/// Validates a young person's input.
pub fn validate_input(raw: &str) -> Result<String, AppError> {
    let text = clean_multiline(raw);
    let n = text.chars().count();
    if n < INPUT_CHARS.0 {
        return Err(AppError::invalid(
            "body",
            Msg::CommentTooShort {
                min: INPUT_CHARS.0,
                n,
            },
        ));
    }
    if n > INPUT_CHARS.1 {
        return Err(AppError::invalid(
            "body",
            Msg::CommentTooLong {
                max: INPUT_CHARS.1,
                n,
            },
        ));
    }
    Ok(text)
}

/// The form field for how council `c`'s response was used.
pub fn use_field(c: CouncilId) -> String {
    format!("use_{}", c.0)
}

/// The form field for why council `c`'s response was (partly) not used.
pub fn why_field(c: CouncilId) -> String {
    format!("why_{}", c.0)
}

/// One response's use as the sender's form sends it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct UseForm {
    pub council_id: String,
    #[serde(default)]
    pub kind: String,
    #[serde(default)]
    pub why: String,
}

/// How one response was used, validated.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResponseUse {
    pub council: CouncilId,
    pub kind: UseKind,
    /// The explanation (required unless used), or a note.
    pub why: Option<String>,
}

/// Validated feedback.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Feedback {
    pub decision_text: String,
    pub uses: Vec<ResponseUse>,
}

/// Validates the feedback: what the committee decided (20–5,000 characters), and for each
/// council that responded (`responded`) how its response was used. Partly or not used
/// needs an explanation under exactly the rule of a Nej answer ([`ANSWER_EXPLANATION`]:
/// the same minimum, and the form shows the same plain-language hint); a note on a used
/// response is optional. Councils that did not respond take no use.
pub fn validate_feedback(
    decision_text: &str,
    responded: &[CouncilId],
    given: &[UseForm],
) -> Result<Feedback, AppError> {
    let decision_text = clean_multiline(decision_text);
    length(
        "decision_text",
        &decision_text,
        DECISION_CHARS,
        Msg::HearingDecisionText {
            min: DECISION_CHARS.0,
            max: DECISION_CHARS.1,
        },
    )?;
    let mut uses = Vec::new();
    for &council in responded {
        let form = given
            .iter()
            .find(|g| g.council_id.trim().parse::<CouncilId>().ok() == Some(council));
        let kind = form
            .and_then(|g| UseKind::parse(&g.kind))
            .ok_or_else(|| AppError::invalid(use_field(council), Msg::ChooseUse))?;
        let raw = form.map(|g| g.why.as_str()).unwrap_or("");
        let why = if kind.needs_explanation() {
            Some(ANSWER_EXPLANATION.validate(&why_field(council), raw)?)
        } else {
            let note = clean_multiline(raw);
            if note.chars().count() > ANSWER_EXPLANATION.max_chars {
                return Err(AppError::invalid(
                    why_field(council),
                    Msg::TextTooLong {
                        max: ANSWER_EXPLANATION.max_chars,
                    },
                ));
            }
            (!note.is_empty()).then_some(note)
        };
        uses.push(ResponseUse { council, kind, why });
    }
    Ok(Feedback {
        decision_text,
        uses,
    })
}

/// A hearing on the public list and on a council's page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HearingCard {
    pub id: HearingId,
    pub title: String,
    pub committee: String,
    /// The councils asked, by name.
    pub councils: Vec<String>,
    pub respond_by: DateTime<Utc>,
    pub decision_at: DateTime<Utc>,
    pub feedback_by: DateTime<Utc>,
    pub phase: Phase,
    pub responded: i64,
    pub declined: i64,
}

/// The public list, in its sections (one page of hearings, newest first).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct HearingList {
    pub open: Vec<HearingCard>,
    pub awaiting: Vec<HearingCard>,
    pub overdue: Vec<HearingCard>,
    pub given: Vec<HearingCard>,
    /// The cursor of the next page, if there is one.
    pub next: Option<HearingId>,
    /// The caller may send a hearing (shows the link to the form).
    pub can_send: bool,
}

impl HearingList {
    /// Sorts cards into the sections by their phase.
    pub fn push(&mut self, card: HearingCard) {
        match card.phase {
            Phase::Open => self.open.push(card),
            Phase::AwaitingFeedback => self.awaiting.push(card),
            Phase::FeedbackOverdue { .. } => self.overdue.push(card),
            Phase::FeedbackGiven => self.given.push(card),
        }
    }
}

/// A member's comment on the council's draft.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DraftComment {
    pub id: HearingCommentId,
    pub by: String,
    pub body: String,
    pub at: DateTime<Utc>,
}

/// One asked council on the hearing's page: its draft (for insiders), its decision, and
/// the sender's feedback on its response.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CouncilResponse {
    pub council_id: CouncilId,
    pub council: String,
    pub status: ResponseStatus,
    /// Only for the council's members, officers and the coordinator.
    pub draft: Option<String>,
    pub draft_at: Option<DateTime<Utc>>,
    pub comments: Vec<DraftComment>,
    pub response: Option<String>,
    pub vote: Option<VoteId>,
    pub tally: Option<VoteTally>,
    pub decline_reason: Option<String>,
    pub decided_at: Option<DateTime<Utc>>,
    pub use_kind: Option<UseKind>,
    pub use_text: Option<String>,
    /// The newest agenda item about the hearing at this council's meetings.
    pub agenda: Option<(MeetingId, AgendaItemId)>,
    /// The person looking sees the draft and comments.
    pub insider: bool,
    /// The person looking may draft, decline and adopt.
    pub can_act: bool,
    /// The person looking may comment on the draft.
    pub can_comment: bool,
}

/// A young person's input as shown: the first name, or None when anonymous.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InputView {
    pub id: HearingInputId,
    pub author: Option<String>,
    pub body: String,
    pub status: InputStatus,
    pub at: DateTime<Utc>,
    pub mine: bool,
}

/// The hearing's page: its whole timeline, and what the person looking may do.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HearingView {
    pub id: HearingId,
    pub title: String,
    pub question: String,
    pub background: String,
    pub committee: String,
    pub sender: String,
    pub created_at: DateTime<Utc>,
    pub decision_at: DateTime<Utc>,
    pub respond_by: DateTime<Utc>,
    pub feedback_by: DateTime<Utc>,
    pub allow_input: bool,
    pub phase: Phase,
    pub decision_text: Option<String>,
    pub feedback_at: Option<DateTime<Utc>>,
    pub files: Vec<HearingFile>,
    pub councils: Vec<CouncilResponse>,
    /// Approved input for everyone; pending and rejected too for those who moderate, and
    /// the author's own.
    pub inputs: Vec<InputView>,
    pub can_publish_feedback: bool,
    /// May the viewer attach background files (the sender or the coordinator, until the
    /// feedback is published)?
    pub can_upload_files: bool,
    pub can_give_input: bool,
    pub can_moderate_inputs: bool,
    pub is_sender: bool,
}

impl HearingView {
    /// Has every council decided?
    pub fn all_decided(&self) -> bool {
        self.councils
            .iter()
            .all(|c| c.status != ResponseStatus::Awaiting)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::account::CouncilKind;

    fn user(roles: &[RoleKind]) -> SessionUser {
        SessionUser::for_test(1, roles)
    }

    fn at(s: &str) -> DateTime<Utc> {
        s.parse().unwrap_or_default()
    }

    const Q: &str = "Hvad skal der til, for at unge bruger den nye skatepark om aftenen?";

    fn form(decision: &str, respond: &str) -> Result<NewHearing, AppError> {
        validate_hearing(
            "Skatepark i Byparken",
            Q,
            "",
            "1",
            &["3".into(), "4".into(), "3".into()],
            decision,
            respond,
            true,
            at("2026-03-01T10:00:00Z"),
        )
    }

    #[test]
    fn a_good_form_passes_and_feedback_is_due_28_days_after() {
        let h = form("2026-04-20", "2026-04-10").expect("valid");
        assert_eq!(h.councils, vec![CouncilId(3), CouncilId(4)]);
        assert_eq!(h.feedback_by - h.decision_at, chrono::Duration::days(28));
        // The deadline is the end of the Danish day (summer time: 21.59.59 UTC).
        assert_eq!(h.respond_by, at("2026-04-10T21:59:59Z"));
        // The same day for response and decision is allowed.
        assert!(form("2026-04-10", "2026-04-10").is_ok());
    }

    #[test]
    fn the_form_refuses_what_is_wrong_on_its_field() {
        let field =
            |r: Result<NewHearing, AppError>| r.err().and_then(|e| e.field().map(str::to_owned));
        assert_eq!(
            field(form("2026-04-01", "2026-04-10")).as_deref(),
            Some("respond_date")
        );
        assert_eq!(
            field(form("2026-04-20", "2026-02-10")).as_deref(),
            Some("respond_date")
        );
        assert_eq!(
            field(form("2026-04-20", "i morgen")).as_deref(),
            Some("respond_date")
        );
        assert_eq!(
            field(form("", "2026-04-10")).as_deref(),
            Some("decision_date")
        );
        let now = at("2026-03-01T10:00:00Z");
        let v = |t: &str, q: &str, b: &str, c: &str, cs: &[String]| {
            field(validate_hearing(
                t,
                q,
                b,
                c,
                cs,
                "2026-04-20",
                "2026-04-10",
                false,
                now,
            ))
        };
        let one = ["3".to_owned()];
        assert_eq!(v("Kort", Q, "", "1", &one).as_deref(), Some("title"));
        assert_eq!(
            v(&"x".repeat(161), Q, "", "1", &one).as_deref(),
            Some("title")
        );
        assert_eq!(
            v("Skatepark", "Hvad mener I?", "", "1", &one).as_deref(),
            Some("question")
        );
        assert_eq!(
            v("Skatepark", &"x".repeat(1001), "", "1", &one).as_deref(),
            Some("question")
        );
        assert_eq!(
            v("Skatepark", Q, &"x".repeat(20_001), "1", &one).as_deref(),
            Some("background")
        );
        assert_eq!(
            v("Skatepark", Q, "", "", &one).as_deref(),
            Some("committee_id")
        );
        assert_eq!(
            v("Skatepark", Q, "", "1", &[]).as_deref(),
            Some("council_ids")
        );
        assert_eq!(
            v("Skatepark", Q, "", "1", &["".into()]).as_deref(),
            Some("council_ids")
        );
        assert_eq!(
            v("Skatepark", Q, "", "1", &["x".into()]).as_deref(),
            Some("council_ids")
        );
    }

    #[test]
    fn who_sends() {
        assert!(may_send(&user(&[RoleKind::Politiker]), true));
        assert!(!may_send(&user(&[RoleKind::Politiker]), false));
        assert!(may_send(&user(&[RoleKind::Sekretariat]), false));
        assert!(!may_send(&user(&[RoleKind::Moderator]), true));
        // Young people never, whatever else they are.
        assert!(!may_send(&user(&[RoleKind::Ung]), true));
        assert!(!may_send(
            &user(&[RoleKind::Ungeraadsmedlem, RoleKind::Politiker]),
            true
        ));
        assert!(!may_send(
            &user(&[RoleKind::Elev, RoleKind::Sekretariat]),
            true
        ));
        let mut waiting = user(&[RoleKind::Sekretariat]);
        waiting.status = AccountStatus::AwaitingConfirmation;
        assert!(!may_send(&waiting, true));
    }

    #[test]
    fn who_acts_for_a_council_and_who_comments() {
        let member = CouncilAccess {
            kind: CouncilKind::Ungeraad,
            school: None,
            is_officer: false,
            is_member: true,
        };
        let chair = CouncilAccess {
            is_officer: true,
            ..member.clone()
        };
        let youth = user(&[RoleKind::Ungeraadsmedlem]);
        assert!(!may_act_for_council(&youth, Some(&member)));
        assert!(may_act_for_council(&youth, Some(&chair)));
        assert!(may_comment(&youth, Some(&member)));
        assert!(may_see_draft(Some(&youth), Some(&member)));
        let coordinator = user(&[RoleKind::Sekretariat]);
        let outsider = CouncilAccess {
            is_member: false,
            ..member.clone()
        };
        assert!(may_act_for_council(&coordinator, Some(&outsider)));
        assert!(!may_comment(&coordinator, Some(&outsider)));
        assert!(may_see_draft(Some(&coordinator), Some(&outsider)));
        assert!(!may_see_draft(
            Some(&user(&[RoleKind::Ung])),
            Some(&outsider)
        ));
        assert!(!may_see_draft(None, Some(&member)));
        let politician = user(&[RoleKind::Politiker]);
        assert!(!may_act_for_council(&politician, Some(&outsider)));
    }

    #[test]
    fn input_moderation_and_feedback_rights() {
        assert!(may_give_input(&user(&[RoleKind::Ung]), false));
        assert!(!may_give_input(&user(&[RoleKind::Ung]), true));
        assert!(!may_give_input(&user(&[RoleKind::Politiker]), false));
        assert!(may_moderate_input(&user(&[RoleKind::Moderator]), false));
        assert!(may_moderate_input(&user(&[RoleKind::Politiker]), true));
        assert!(!may_moderate_input(&user(&[RoleKind::Politiker]), false));
        assert!(may_publish_feedback(&user(&[RoleKind::Politiker]), true));
        assert!(may_publish_feedback(&user(&[RoleKind::Sekretariat]), false));
        assert!(!may_publish_feedback(&user(&[RoleKind::Moderator]), false));
    }

    #[test]
    fn phases_follow_the_times() {
        let respond = at("2026-04-10T21:59:59Z");
        let feedback = at("2026-05-18T21:59:59Z");
        let p = |now: &str, decided: bool, given: bool| {
            phase(at(now), respond, feedback, decided, given)
        };
        assert_eq!(p("2026-04-01T00:00:00Z", false, false), Phase::Open);
        assert_eq!(
            p("2026-04-01T00:00:00Z", true, false),
            Phase::AwaitingFeedback
        );
        assert_eq!(
            p("2026-04-11T00:00:00Z", false, false),
            Phase::AwaitingFeedback
        );
        assert_eq!(
            p("2026-05-18T22:00:00Z", false, false),
            Phase::FeedbackOverdue { days: 1 }
        );
        assert_eq!(
            p("2026-05-21T21:59:59Z", false, false),
            Phase::FeedbackOverdue { days: 3 }
        );
        assert_eq!(p("2026-05-21T00:00:00Z", true, true), Phase::FeedbackGiven);
        assert!(may_decide(at("2026-04-10T21:59:59Z"), respond).is_ok());
        assert!(may_decide(at("2026-04-10T22:00:00Z"), respond).is_err());
        assert!(may_publish(at("2026-04-01T00:00:00Z"), respond, false, false).is_err());
        assert!(may_publish(at("2026-04-01T00:00:00Z"), respond, true, false).is_ok());
        assert!(may_publish(at("2026-04-11T00:00:00Z"), respond, false, false).is_ok());
        assert!(may_publish(at("2026-04-11T00:00:00Z"), respond, true, true).is_err());
    }

    #[test]
    fn a_decline_follows_the_council_decline_rule() {
        assert!(validate_decline("Nej tak").is_err());
        assert!(validate_decline(&".".repeat(40)).is_err());
        assert_eq!(
            validate_decline("  Vi når det ikke før fristen, desværre.  ").as_deref(),
            Ok("Vi når det ikke før fristen, desværre.")
        );
        assert_eq!(
            validate_decline("x")
                .err()
                .and_then(|e| e.field().map(str::to_owned))
                .as_deref(),
            Some("reason")
        );
    }

    const WHY: &str = "Udvalget har valgt en anden placering end den, Ungerådet foreslog, fordi \
                       grunden ved stationen ejes af staten og ikke kan bruges før 2028. Vi har \
                       taget jeres ønske om lys og overdækning med i planen for Byparken, og I \
                       bliver inviteret med, når tegningerne skal vælges i efteråret.";

    fn use_form(c: i64, kind: &str, why: &str) -> UseForm {
        UseForm {
            council_id: c.to_string(),
            kind: kind.into(),
            why: why.into(),
        }
    }

    #[test]
    fn feedback_needs_a_use_per_response_and_an_explanation_like_a_nej() {
        let responded = [CouncilId(3), CouncilId(4)];
        let decision = "Udvalget besluttede at bygge skateparken i Byparken.";
        let ok = validate_feedback(
            decision,
            &responded,
            &[use_form(3, "used", ""), use_form(4, "not_used", WHY)],
        )
        .expect("valid");
        assert_eq!(ok.uses.len(), 2);
        assert_eq!(ok.uses[0].why, None);
        assert_eq!(ok.uses[1].kind, UseKind::NotUsed);
        // No decision text.
        let e = validate_feedback("Kort", &responded, &[]).err();
        assert_eq!(
            e.and_then(|e| e.field().map(str::to_owned)).as_deref(),
            Some("decision_text")
        );
        // A response without a use.
        let e = validate_feedback(decision, &responded, &[use_form(3, "used", "")]).err();
        assert_eq!(
            e.and_then(|e| e.field().map(str::to_owned)).as_deref(),
            Some("use_4")
        );
        // Partly and not used need the Nej answer's explanation: the same rule and message.
        for kind in ["partly", "not_used"] {
            let short = "Det passede ikke ind i planen.";
            let e = validate_feedback(
                decision,
                &responded,
                &[use_form(3, "used", ""), use_form(4, kind, short)],
            )
            .err();
            let nej = ANSWER_EXPLANATION.validate("why_4", short).err();
            assert_eq!(e, nej);
            assert_eq!(
                e.and_then(|e| e.field().map(str::to_owned)).as_deref(),
                Some("why_4")
            );
            let padded = "Nej tak. ".repeat(40);
            assert!(validate_feedback(
                decision,
                &responded,
                &[use_form(3, "used", ""), use_form(4, kind, &padded)],
            )
            .is_err());
        }
        // A council that did not respond takes no use.
        assert!(validate_feedback(decision, &[], &[]).is_ok());
    }

    #[test]
    fn texts_are_checked() {
        assert!(validate_response("For kort").is_err());
        assert!(validate_response("Vi synes, parken skal have lys og bænke.").is_ok());
        assert!(validate_draft("").is_ok());
        assert!(validate_draft(&"x".repeat(10_001)).is_err());
        assert!(validate_comment("x").is_err());
        assert!(validate_comment("Godt").is_ok());
        assert!(validate_input("For kort").is_err());
        assert!(validate_input("Jeg vil gerne have lys i parken.").is_ok());
        assert_eq!(UseKind::parse("partly"), Some(UseKind::Partly));
        assert_eq!(UseKind::parse("nope"), None);
        assert!(!UseKind::Used.needs_explanation());
    }
}
