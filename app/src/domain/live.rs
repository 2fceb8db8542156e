//! Live sessions (issue #23, DOMAIN.md "Live sessions"): Bytinget — young people from the
//! whole municipality in one hall — and class sessions, where a teacher and a class collect
//! ideas. People join on their phones with a six-character code; an account is optional.
//! Without one a participant is a random token and a number ("Deltager 7") for this session
//! only. Each rule here is used by the server functions, and the database holds the same
//! rules in its constraints and triggers (migration 0023).
use crate::domain::account::{AccountStatus, RoleKind, SessionUser};
use crate::domain::error::AppError;
use crate::domain::ids::{IdeaId, LiveItemId, LiveSessionId, LiveVoteId, ProposalId, UserId};
use crate::domain::message::Msg;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// Bytinget (an assembly) or a class session.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::Type))]
#[cfg_attr(feature = "ssr", sqlx(type_name = "TEXT", rename_all = "lowercase"))]
pub enum LiveKind {
    Bytinget,
    Klasse,
}

impl LiveKind {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Bytinget => "bytinget",
            Self::Klasse => "klasse",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        match s.trim() {
            "bytinget" => Some(Self::Bytinget),
            "klasse" => Some(Self::Klasse),
            _ => None,
        }
    }
}

/// Join codes use letters and digits that cannot be mistaken for each other on a projector
/// (no 0/O, 1/I/L).
pub const CODE_ALPHABET: &[u8] = b"ABCDEFGHJKMNPQRSTUVWXYZ23456789";
pub const CODE_LEN: usize = 6;

/// A code from random bytes (the server draws them).
pub fn code_from_bytes(bytes: [u8; CODE_LEN]) -> String {
    bytes
        .iter()
        .map(|b| CODE_ALPHABET[usize::from(*b) % CODE_ALPHABET.len()] as char)
        .collect()
}

/// A code as typed on a phone: case, spaces and dashes do not matter. None when it cannot
/// be a code at all.
pub fn normalize_code(input: &str) -> Option<String> {
    let code: String = input
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '-')
        .take(CODE_LEN + 1)
        .map(|c| c.to_ascii_uppercase())
        .collect();
    (code.len() == CODE_LEN && code.bytes().all(|b| CODE_ALPHABET.contains(&b))).then_some(code)
}

/// How long a session takes joins: a school day is enough for Bytinget and a lesson.
pub const SESSION_HOURS: i64 = 6;

/// When a session opened at `opened_at` stops taking joins.
pub fn expires_at(opened_at: DateTime<Utc>) -> DateTime<Utc> {
    opened_at + chrono::Duration::hours(SESSION_HOURS)
}

/// Is the session open for joins and actions at `now`?
pub fn session_open(
    closed_at: Option<DateTime<Utc>>,
    expires_at: DateTime<Utc>,
    now: DateTime<Utc>,
) -> bool {
    closed_at.is_none() && now < expires_at
}

/// Refuses anything but reading once the session has ended or expired.
pub fn require_open(
    closed_at: Option<DateTime<Utc>>,
    expires_at: DateTime<Utc>,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    if session_open(closed_at, expires_at, now) {
        Ok(())
    } else {
        Err(AppError::Conflict(Msg::LiveSessionClosed))
    }
}

/// Who may open a session of `kind`: Bytinget the coordinator or a council's chair or
/// secretary (`runs_a_council`: an officer or elevrådsformand with a running term); a class
/// session a teacher (at their school). Active accounts only.
pub fn may_host(user: &SessionUser, kind: LiveKind, runs_a_council: bool) -> bool {
    if user.status != AccountStatus::Active {
        return false;
    }
    match kind {
        LiveKind::Bytinget => user.has(RoleKind::Sekretariat) || runs_a_council,
        LiveKind::Klasse => user.has(RoleKind::Laerer) && user.school_id.is_some(),
    }
}

/// Who runs an open session: its host, and the coordinator (who may take over).
pub fn may_run(user: &SessionUser, host: UserId) -> bool {
    user.status == AccountStatus::Active && (user.id == host || user.has(RoleKind::Sekretariat))
}

fn chars(s: &str) -> usize {
    s.chars().count()
}

/// Text from a form: trimmed, control characters and invisible formatting (bidi
/// overrides, zero-width characters) removed.
fn clean(s: &str) -> String {
    crate::domain::account::clean_text(s)
}

pub const TITLE_MIN: usize = 3;
pub const TITLE_MAX: usize = 120;

pub fn validate_title(title: &str) -> Result<String, AppError> {
    let t = clean(title);
    if (TITLE_MIN..=TITLE_MAX).contains(&chars(&t)) {
        Ok(t)
    } else {
        Err(AppError::invalid("title", Msg::LiveTitle))
    }
}

/// A class's name, e.g. "6.B".
pub fn validate_class_name(name: &str) -> Result<String, AppError> {
    let t = clean(name);
    if (1..=40).contains(&chars(&t)) {
        Ok(t)
    } else {
        Err(AppError::invalid("class_name", Msg::LiveClassName))
    }
}

/// An agenda item's title.
pub fn validate_item_title(title: &str) -> Result<String, AppError> {
    let t = clean(title);
    if (2..=200).contains(&chars(&t)) {
        Ok(t)
    } else {
        Err(AppError::invalid("title", Msg::LiveItemTitle))
    }
}

/// A vote's question.
pub fn validate_question(q: &str) -> Result<String, AppError> {
    let t = clean(q);
    if (2..=300).contains(&chars(&t)) {
        Ok(t)
    } else {
        Err(AppError::invalid("question", Msg::LiveQuestion))
    }
}

/// For / Imod / Undlader, as on every council vote.
pub const DEFAULT_OPTIONS: [&str; 3] = ["For", "Imod", "Undlader"];
pub const MAX_OPTIONS: usize = 10;

/// The options of a vote: one per line; none means For / Imod / Undlader. 2–10 options of
/// 1–80 characters, no two alike.
pub fn parse_options(text: &str) -> Result<Vec<String>, AppError> {
    let lines: Vec<String> = text.lines().map(clean).filter(|l| !l.is_empty()).collect();
    if lines.is_empty() {
        return Ok(DEFAULT_OPTIONS.iter().map(|s| (*s).to_owned()).collect());
    }
    let bad = || AppError::invalid("options", Msg::LiveOptions);
    if !(2..=MAX_OPTIONS).contains(&lines.len()) || lines.iter().any(|l| chars(l) > 80) {
        return Err(bad());
    }
    let mut seen: Vec<String> = Vec::new();
    for l in &lines {
        let key = l.to_lowercase();
        if seen.contains(&key) {
            return Err(bad());
        }
        seen.push(key);
    }
    Ok(lines)
}

/// The timer in seconds: 0 for none, else 10 s to an hour.
pub fn validate_timer(seconds: i64) -> Result<Option<i64>, AppError> {
    match seconds {
        0 => Ok(None),
        10..=3600 => Ok(Some(seconds)),
        _ => Err(AppError::invalid("seconds", Msg::LiveTimer)),
    }
}

/// Does a vote take ballots at `now`? Until it is closed, and until its timer runs out.
pub fn vote_open(
    closed_at: Option<DateTime<Utc>>,
    closes_at: Option<DateTime<Utc>>,
    now: DateTime<Utc>,
) -> bool {
    closed_at.is_none() && closes_at.is_none_or(|c| now < c)
}

/// A choice: the option's position on the vote.
pub fn validate_option(option: i64, options: usize) -> Result<i64, AppError> {
    if option >= 0 && (option as usize) < options {
        Ok(option)
    } else {
        Err(AppError::invalid("option", Msg::LiveChooseOption))
    }
}

/// A pupil's idea in a class session: short, 3–280 characters.
pub const IDEA_MIN: usize = 3;
pub const IDEA_MAX: usize = 280;

pub fn validate_idea(text: &str) -> Result<String, AppError> {
    let t = clean(text);
    if (IDEA_MIN..=IDEA_MAX).contains(&chars(&t)) {
        Ok(t)
    } else {
        Err(AppError::invalid("body", Msg::LiveIdea))
    }
}

/// Dot-voting: each pupil gives up to three dots, one per idea.
pub const MAX_DOTS: i64 = 3;

/// May a participant who has given `given` dots give another?
pub fn may_dot(given: i64) -> Result<(), AppError> {
    if given < MAX_DOTS {
        Ok(())
    } else {
        Err(AppError::Conflict(Msg::LiveDotsUsed))
    }
}

/// The class's ideas in the order it ranked them: most dots first, earlier ideas first on
/// a tie (they waited longest).
pub fn ranked(mut ideas: Vec<IdeaView>) -> Vec<IdeaView> {
    ideas.sort_by(|a, b| b.dots.cmp(&a.dots).then(a.id.cmp(&b.id)));
    ideas
}

/// The name a proposal from a class is sent in: "6.B, Skovskolen".
pub fn class_signature(class_name: &str, school: &str) -> String {
    format!("{class_name}, {school}")
}

/// One session, as its pages show it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LiveSessionInfo {
    pub id: LiveSessionId,
    pub code: String,
    pub kind: LiveKind,
    pub title: String,
    pub class_name: Option<String>,
    pub school: Option<String>,
    pub opened_at: DateTime<Utc>,
    pub expires_at: DateTime<Utc>,
    pub closed_at: Option<DateTime<Utc>>,
}

impl LiveSessionInfo {
    pub fn open(&self, now: DateTime<Utc>) -> bool {
        session_open(self.closed_at, self.expires_at, now)
    }
}

/// An agenda item.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LiveItemView {
    pub id: LiveItemId,
    pub title: String,
    pub proposal: Option<ProposalId>,
}

/// One place on the speakers' list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SpeakerView {
    pub id: i64,
    /// "Deltager {number}".
    pub number: i64,
    pub speaking: bool,
}

/// One option of a vote and its votes so far.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OptionTally {
    pub label: String,
    pub votes: i64,
}

/// The open vote, or the last one closed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LiveVoteView {
    pub id: LiveVoteId,
    pub question: String,
    pub item: Option<String>,
    pub open: bool,
    pub closes_at_ms: Option<i64>,
    pub ballots: i64,
    pub options: Vec<OptionTally>,
}

/// An approved idea of a class session, with its dots.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IdeaView {
    pub id: IdeaId,
    pub body: String,
    pub dots: i64,
    /// Sent to the elevråd as a proposal.
    pub proposal: Option<ProposalId>,
}

/// What everyone in the room sees (the projector, every phone): the same for all, sent on
/// the live stream after each change.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct LiveState {
    /// Grows with every update sent.
    pub version: u64,
    /// Server time (Unix ms) of the oldest change this update is the first to include: the
    /// receiver's lag is its clock minus this.
    pub changed_ms: i64,
    pub open: bool,
    pub participants: i64,
    pub agenda: Vec<LiveItemView>,
    pub speakers_open: bool,
    pub speakers: Vec<SpeakerView>,
    pub vote: Option<LiveVoteView>,
    pub ideas_open: bool,
    pub dots_open: bool,
    /// Approved ideas, ranked.
    pub ideas: Vec<IdeaView>,
}

/// What one participant has done (their own page only; never on the stream).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct LiveMe {
    pub number: i64,
    /// Votes this participant has voted in (of the open/last one).
    pub voted: Vec<LiveVoteId>,
    /// On the speakers' list (waiting or speaking).
    pub on_list: bool,
    /// Ideas given a dot.
    pub dots: Vec<IdeaId>,
    /// Own ideas awaiting the teacher's approval.
    pub pending: Vec<String>,
}

/// An idea awaiting approval (the teacher's view).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PendingIdea {
    pub id: IdeaId,
    pub body: String,
}

/// The host's tools.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct HostView {
    /// The address to join at (for the QR code and the screen).
    pub join_url: String,
    /// The QR code of `join_url`, as SVG markup made on the server.
    pub qr_svg: String,
    pub pending: Vec<PendingIdea>,
    /// The school's elevråd, where a class sends its ideas.
    pub elevraad: Option<String>,
}

/// A session's page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LivePage {
    pub session: LiveSessionInfo,
    pub state: LiveState,
    /// The participant looking, when they have joined.
    pub me: Option<LiveMe>,
    /// The host's tools, for who runs the session.
    pub host: Option<HostView>,
    /// A fresh key for the join form, for who has not joined (it makes a double tap join
    /// once).
    pub join_key: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_six_unambiguous_characters_and_forgive_typing() {
        let code = code_from_bytes([0, 31, 62, 255, 7, 100]);
        assert_eq!(code.len(), 6);
        assert!(code.bytes().all(|b| CODE_ALPHABET.contains(&b)));
        assert_eq!(normalize_code(" k7m-x2q "), Some("K7MX2Q".into()));
        assert_eq!(normalize_code("K7MX2"), None);
        assert_eq!(normalize_code("K7MX2QQ"), None);
        // 0, O, 1, I and L are never in a code.
        assert_eq!(normalize_code("K7MX2O"), None);
        assert_eq!(normalize_code("K7MX20"), None);
        assert_eq!(normalize_code("<scrip"), None);
    }

    #[test]
    fn options_default_to_for_against_abstain_and_are_checked() {
        assert_eq!(
            parse_options("  \n ").unwrap(),
            vec!["For", "Imod", "Undlader"]
        );
        assert_eq!(
            parse_options("Skaterbane\nKlatrevæg\n").unwrap(),
            vec!["Skaterbane", "Klatrevæg"]
        );
        assert!(parse_options("Kun én").is_err());
        assert!(parse_options("A\na").is_err());
        assert!(parse_options(&"x\n".repeat(11)).is_err());
        assert!(parse_options(&format!("{}\nB", "x".repeat(81))).is_err());
    }

    #[test]
    fn timers_and_vote_windows() {
        assert_eq!(validate_timer(0).unwrap(), None);
        assert_eq!(validate_timer(60).unwrap(), Some(60));
        assert!(validate_timer(5).is_err());
        assert!(validate_timer(3601).is_err());
        assert!(validate_timer(-1).is_err());
        let now = Utc::now();
        let later = now + chrono::Duration::seconds(30);
        assert!(vote_open(None, None, now));
        assert!(vote_open(None, Some(later), now));
        assert!(!vote_open(None, Some(now), now));
        assert!(!vote_open(Some(now), None, later));
        assert!(validate_option(2, 3).is_ok());
        assert!(validate_option(3, 3).is_err());
        assert!(validate_option(-1, 3).is_err());
    }

    #[test]
    fn who_hosts_and_runs() {
        let mut coordinator = SessionUser::for_test(1, &[RoleKind::Sekretariat]);
        let young = SessionUser::for_test(2, &[RoleKind::Ung]);
        let mut teacher = SessionUser::for_test(3, &[RoleKind::Laerer]);
        assert!(may_host(&coordinator, LiveKind::Bytinget, false));
        assert!(!may_host(&young, LiveKind::Bytinget, false));
        assert!(may_host(&young, LiveKind::Bytinget, true));
        assert!(!may_host(&coordinator, LiveKind::Klasse, false));
        assert!(!may_host(&teacher, LiveKind::Klasse, false));
        teacher.school_id = Some(crate::domain::ids::SchoolId(4));
        assert!(may_host(&teacher, LiveKind::Klasse, false));
        assert!(may_run(&teacher, UserId(3)));
        assert!(!may_run(&young, UserId(3)));
        assert!(may_run(&coordinator, UserId(3)));
        coordinator.status = AccountStatus::AwaitingConfirmation;
        assert!(!may_run(&coordinator, UserId(3)));
    }

    #[test]
    fn sessions_end_and_dots_run_out() {
        let now = Utc::now();
        assert!(session_open(None, expires_at(now), now));
        assert!(!session_open(None, now, now));
        assert!(require_open(Some(now), expires_at(now), now).is_err());
        assert!(may_dot(2).is_ok());
        assert!(may_dot(3).is_err());
        let idea = |id, dots| IdeaView {
            id: IdeaId(id),
            body: String::new(),
            dots,
            proposal: None,
        };
        let r = ranked(vec![idea(1, 2), idea(2, 5), idea(3, 5)]);
        assert_eq!(r.iter().map(|i| i.id.0).collect::<Vec<_>>(), vec![2, 3, 1]);
    }

    #[test]
    fn text_is_cleaned_and_bounded() {
        assert_eq!(
            validate_title("  Bytinget 2027 \u{0007}").unwrap(),
            "Bytinget 2027"
        );
        assert!(validate_title("ab").is_err());
        assert!(validate_idea(&"x".repeat(281)).is_err());
        assert_eq!(
            validate_idea(" Mere grønt i gården ").unwrap(),
            "Mere grønt i gården"
        );
        assert!(validate_class_name("").is_err());
        assert!(validate_question("?").is_err());
    }
}
