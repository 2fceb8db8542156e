//! Councils at work: meetings, agendas and votes (DOMAIN.md "Councils, meetings, agendas,
//! votes"). Quorum: more than half of the members voted; a majority of the votes cast
//! decides; ties fail.
use crate::domain::account::{clean_text, CouncilKind};
use crate::domain::error::AppError;
use crate::domain::ids::{CommitteeId, CouncilId, ProposalId};
use crate::domain::message::Msg;
use crate::domain::proposal::{clean_multiline, Stage, VoteTally};
use crate::i18n::td_string;
use chrono::{DateTime, NaiveDateTime, Utc};
use serde::{Deserialize, Serialize};

pub use crate::domain::ids::{AgendaItemId, MeetingId, VoteId};

pub use crate::domain::meeting_status::MeetingStatus;

/// For / Imod / Undlader.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Choice {
    For,
    Imod,
    Undlader,
}

impl Choice {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::For => "for",
            Self::Imod => "imod",
            Self::Undlader => "undlader",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        match s.trim() {
            "for" => Some(Self::For),
            "imod" => Some(Self::Imod),
            "undlader" => Some(Self::Undlader),
            _ => None,
        }
    }

    pub fn label(self, en: bool) -> &'static str {
        let l = crate::domain::lang::locale(en);
        match self {
            Self::For => td_string!(l, labels.choice.in_favour),
            Self::Imod => td_string!(l, labels.choice.imod),
            Self::Undlader => td_string!(l, labels.choice.undlader),
        }
    }
}

/// The outcome of a closed vote.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Outcome {
    Passed,
    Failed,
    /// Not more than half of the members voted.
    NoQuorum,
}

impl Outcome {
    pub fn label(self, en: bool) -> &'static str {
        let l = crate::domain::lang::locale(en);
        match self {
            Self::Passed => td_string!(l, labels.outcome.passed),
            Self::Failed => td_string!(l, labels.outcome.failed),
            Self::NoQuorum => td_string!(l, labels.outcome.no_quorum),
        }
    }
}

/// Where a council may send a proposal on to: an elevråd to Det Fælles Elevråd, which
/// sends on to the Ungeråd.
pub fn next_body(from: CouncilKind) -> Option<CouncilKind> {
    match from {
        CouncilKind::Elevraad => Some(CouncilKind::FaellesElevraad),
        CouncilKind::FaellesElevraad => Some(CouncilKind::Ungeraad),
        CouncilKind::Ungeraad | CouncilKind::Anden => None,
    }
}

/// Quorum = more than half of the members voted (abstentions count as voting);
/// a majority of the votes cast for/against decides; a tie fails.
pub fn outcome(tally: VoteTally, members: i64) -> Outcome {
    let cast = tally.yes + tally.no + tally.abstain;
    if cast * 2 <= members {
        Outcome::NoQuorum
    } else if tally.yes > tally.no {
        Outcome::Passed
    } else {
        Outcome::Failed
    }
}

/// A vote as stored, for deciding on its agenda item: open or closed, its tally when
/// closed, and the number of members when it opened (for the quorum).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct VoteRecord {
    pub id: VoteId,
    pub open: bool,
    pub tally: Option<VoteTally>,
    pub members: i64,
}

/// What a council's decision on an agenda item (a proposal or a pool application) rests
/// on: the closed vote on that very item, which met the quorum and the majority. `vote` is
/// the item's vote, if any. The one rule for every binding decision; the database's
/// triggers hold the same rule. Refusals say why, in Danish.
pub fn decision_basis(vote: Option<VoteRecord>) -> Result<(VoteId, VoteTally), AppError> {
    let Some(vote) = vote else {
        return Err(AppError::invalid("decision", Msg::NotVotedYet));
    };
    let tally = match (vote.open, vote.tally) {
        (false, Some(t)) => t,
        _ => return Err(AppError::Conflict(Msg::CloseVoteFirst)),
    };
    match outcome(tally, vote.members) {
        Outcome::Passed => Ok((vote.id, tally)),
        Outcome::Failed => Err(AppError::invalid("decision", Msg::VoteFailed)),
        Outcome::NoQuorum => Err(AppError::invalid("decision", Msg::NoQuorum)),
    }
}

/// May a vote open at a meeting with this status? Only on a published agenda.
pub fn may_open_vote(status: MeetingStatus) -> Result<(), AppError> {
    match status {
        MeetingStatus::Published | MeetingStatus::Held => Ok(()),
        MeetingStatus::Planned => Err(AppError::Conflict(Msg::PublishAgendaFirst)),
        MeetingStatus::MinutesApproved => Err(AppError::Conflict(Msg::MinutesApprovedNoVoting)),
    }
}

/// May minutes be written at a meeting with this status? Once it is held, until approved.
pub fn may_write_minutes(status: MeetingStatus) -> Result<(), AppError> {
    match status {
        MeetingStatus::Held => Ok(()),
        MeetingStatus::Planned | MeetingStatus::Published => {
            Err(AppError::Conflict(Msg::MinutesAfterMeeting))
        }
        MeetingStatus::MinutesApproved => Err(AppError::Conflict(Msg::MinutesApprovedLocked)),
    }
}

/// A vote as shown: open with the count of voters so far, or closed with its result.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct VoteView {
    pub id: VoteId,
    pub open: bool,
    pub secret: bool,
    pub members: i64,
    pub voted: i64,
    /// Only when closed.
    pub tally: Option<VoteTally>,
    pub outcome: Option<Outcome>,
    /// Named ballots only, when closed: first name and choice. Empty for a viewer who may
    /// not see names ([`names_visible`]); the tally is public all the same.
    pub named: Vec<(String, Choice)>,
    /// Has the person looking voted?
    pub i_voted: bool,
    /// What the person looking voted (named ballots only).
    pub my_choice: Option<Choice>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AgendaItemView {
    pub id: AgendaItemId,
    pub position: i64,
    pub title: String,
    pub body: Option<String>,
    pub proposal: Option<(ProposalId, Stage)>,
    /// The pool application the item is about: id, status and the amount asked (øre).
    pub application: Option<(i64, crate::domain::pool::ApplicationStatus, i64)>,
    pub vote: Option<VoteView>,
    /// The hearing the item is about, and whether the meeting's council has still to
    /// respond to it (then a passed vote lets the chair adopt the response here).
    pub hearing: Option<(crate::domain::ids::HearingId, bool)>,
    /// The minutes' versions, newest first (public once the minutes are approved).
    pub minutes: Vec<MinutesView>,
}

/// One version of the minutes of an agenda item.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MinutesView {
    pub version: i64,
    pub summary: String,
    pub decision: Option<String>,
    pub at: DateTime<Utc>,
}

/// A suggested agenda item and what became of it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum SuggestionStatus {
    Pending,
    Accepted,
    Declined,
}

impl SuggestionStatus {
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "pending" => Some(Self::Pending),
            "accepted" => Some(Self::Accepted),
            "declined" => Some(Self::Declined),
            _ => None,
        }
    }

    pub fn label(self, en: bool) -> &'static str {
        let l = crate::domain::lang::locale(en);
        match self {
            Self::Pending => td_string!(l, labels.suggestion_status.pending),
            Self::Accepted => td_string!(l, labels.suggestion_status.accepted),
            Self::Declined => td_string!(l, labels.suggestion_status.declined),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SuggestionView {
    pub id: i64,
    pub title: String,
    pub body: String,
    pub by: String,
    pub mine: bool,
    pub status: SuggestionStatus,
    pub decline_reason: Option<String>,
    pub meeting: Option<MeetingId>,
}

/// Minimum length of the explanation when a suggestion is declined (visible letters).
pub const MIN_DECLINE_CHARS: usize = 20;
/// The explanation when a chair declines a suggestion.
pub const SUGGESTION_DECLINE: crate::domain::explanation::Rule = crate::domain::explanation::Rule {
    min_letters: MIN_DECLINE_CHARS,
    min_words: 3,
    max_chars: 2_000,
    what: crate::domain::explanation::Writing::SuggestionDecline,
};

/// Validates a suggested agenda item: a title (5–120) and an optional text (≤ 2,000).
pub fn validate_suggestion(title: &str, body: &str) -> Result<(String, String), AppError> {
    let title = clean_text(title);
    if !(5..=120).contains(&title.chars().count()) {
        return Err(AppError::invalid("title", Msg::SuggestionTitle));
    }
    let body = clean_multiline(body);
    if body.chars().count() > 2000 {
        return Err(AppError::invalid("body", Msg::TextTooLong { max: 2_000 }));
    }
    Ok((title, body))
}

/// The explanation when a chair declines a suggestion: at least 20 characters.
pub fn validate_decline_reason(raw: &str) -> Result<String, AppError> {
    SUGGESTION_DECLINE.validate("reason", raw)
}

/// Validates minutes: a summary of the discussion (2–10,000) and the decision (≤ 2,000).
pub fn validate_minutes(
    summary: &str,
    decision: &str,
) -> Result<(String, Option<String>), AppError> {
    let summary = clean_multiline(summary);
    if !(2..=10_000).contains(&summary.chars().count()) {
        return Err(AppError::invalid("summary", Msg::WriteSummary));
    }
    let decision = clean_multiline(decision);
    if decision.chars().count() > 2000 {
        return Err(AppError::invalid("decision", Msg::DecisionTooLong));
    }
    Ok((summary, (!decision.is_empty()).then_some(decision)))
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MeetingSummary {
    pub id: MeetingId,
    pub starts_at: DateTime<Utc>,
    pub place: String,
    pub status: MeetingStatus,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MeetingView {
    pub id: MeetingId,
    pub council: CouncilId,
    pub council_name: String,
    pub starts_at: DateTime<Utc>,
    pub place: String,
    pub status: MeetingStatus,
    pub items: Vec<AgendaItemView>,
    /// May the person looking run the meeting (chair, secretary, coordinator)?
    pub can_run: bool,
    /// Is the person looking a member with an active term (may vote)?
    pub is_member: bool,
    /// Proposals to this council that can be put on the agenda (for those who run it).
    pub open_proposals: Vec<(ProposalId, String)>,
    /// The committees a proposal can be sent to (for those who run it).
    pub committees: Vec<(CommitteeId, String)>,
    /// Submitted pool applications the council decides that can be put on the agenda
    /// (for those who run it): id and title.
    pub open_applications: Vec<(i64, String)>,
    /// Does the meeting's council show names to the public too ([`names_visible`])?
    pub names_public: bool,
    /// Are who-voted-what withheld from the person looking ([`names_visible`])?
    pub names_hidden: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CouncilView {
    pub id: CouncilId,
    pub name: String,
    pub kind: CouncilKind,
    pub secret_ballot: bool,
    pub allow_vote_change: bool,
    /// Does the council show its members' names (and who voted what) to the public too
    /// (an adult body's choice)? Off by default: children are not named on the open web.
    pub names_public: bool,
    /// Are names withheld from the person looking ([`names_visible`])? Then the members
    /// are listed by role only.
    pub names_hidden: bool,
    /// The members with an active term; the chair and secretary marked. First names only
    /// for those who may see them ([`names_visible`]).
    pub members: Vec<Member>,
    pub upcoming: Vec<MeetingSummary>,
    pub past: Vec<MeetingSummary>,
    pub can_run: bool,
    /// May the person looking suggest an agenda item?
    pub can_suggest: bool,
    /// Pending suggestions (for those who run the council) and the viewer's own.
    pub suggestions: Vec<SuggestionView>,
    /// Meetings a suggestion can be accepted onto (for those who run the council).
    pub open_meetings: Vec<(MeetingId, DateTime<Utc>)>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Member {
    /// Only sent to the coordinator (who appoints the chair and secretary).
    pub user_id: Option<crate::domain::ids::UserId>,
    /// None for a viewer who may not see names ([`names_visible`]).
    pub first_name: Option<String>,
    pub chair: bool,
    pub secretary: bool,
    /// The term: first and last day (both inclusive).
    pub starts_on: Option<chrono::NaiveDate>,
    pub ends_on: Option<chrono::NaiveDate>,
}

/// May the person looking see members' first names and who voted what? Roles and tallies
/// are public; names of (mostly young) members are for signed-in people of the municipality
/// (an active account), unless the council has chosen to show them to everyone
/// (`names_public`, for adult bodies). The one rule for the council page, the meeting page
/// and every export that follows the public view.
pub fn names_visible(viewer_signed_in: bool, council_names_public: bool) -> bool {
    viewer_signed_in || council_names_public
}

impl CouncilView {
    /// Withholds the members' names from a viewer who may not see them.
    pub fn withhold_names(&mut self) {
        self.names_hidden = true;
        self.members.iter_mut().for_each(|m| {
            m.first_name = None;
            m.user_id = None;
        });
    }
}

impl MeetingView {
    /// Withholds who voted what from a viewer who may not see names.
    pub fn withhold_names(&mut self) {
        self.names_hidden = true;
        self.items
            .iter_mut()
            .filter_map(|i| i.vote.as_mut())
            .for_each(|v| v.named.clear());
    }
}

// Danish local time is shared with the pool and the rest of domain (domain::localtime).
pub use crate::domain::localtime::{copenhagen_offset_hours, copenhagen_time, from_copenhagen};

/// Reads a `datetime-local` value ("2026-12-03T17:00"), meant in Copenhagen time.
pub fn parse_local_time(raw: &str) -> Result<DateTime<Utc>, AppError> {
    let naive = NaiveDateTime::parse_from_str(raw.trim(), "%Y-%m-%dT%H:%M")
        .or_else(|_| NaiveDateTime::parse_from_str(raw.trim(), "%Y-%m-%dT%H:%M:%S"))
        .map_err(|_| AppError::invalid("starts_at", Msg::MeetingTime))?;
    use chrono::Datelike;
    if !(2000..=2100).contains(&naive.year()) {
        return Err(AppError::invalid("starts_at", Msg::MeetingYear));
    }
    from_copenhagen(naive).ok_or_else(|| AppError::invalid("starts_at", Msg::MeetingTime))
}

/// Validates a meeting's place.
pub fn validate_place(raw: &str) -> Result<String, AppError> {
    let place = clean_text(raw);
    let n = place.chars().count();
    if !(2..=200).contains(&n) {
        return Err(AppError::invalid("place", Msg::MeetingPlace));
    }
    Ok(place)
}

/// Validates a free-text agenda item.
pub fn validate_item(title: &str, body: &str) -> Result<(String, Option<String>), AppError> {
    let title = clean_text(title);
    let n = title.chars().count();
    if !(2..=200).contains(&n) {
        return Err(AppError::invalid("title", Msg::ItemTitle));
    }
    let body = clean_multiline(body);
    if body.chars().count() > 5000 {
        return Err(AppError::invalid("body", Msg::TextTooLong { max: 5_000 }));
    }
    Ok((title, (!body.is_empty()).then_some(body)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(yes: i64, no: i64, abstain: i64) -> VoteTally {
        VoteTally { yes, no, abstain }
    }

    #[test]
    fn names_are_for_signed_in_people_unless_the_council_opens_them() {
        assert!(!names_visible(false, false), "anonymous, default council");
        assert!(names_visible(true, false), "signed in");
        assert!(
            names_visible(false, true),
            "a council that shows names publicly"
        );
        assert!(names_visible(true, true));
    }

    #[test]
    fn quorum_and_majority() {
        assert_eq!(outcome(t(2, 1, 0), 3), Outcome::Passed);
        assert_eq!(outcome(t(1, 1, 1), 3), Outcome::Failed, "a tie fails");
        assert_eq!(
            outcome(t(2, 0, 0), 4),
            Outcome::NoQuorum,
            "half is not more than half"
        );
        assert_eq!(outcome(t(2, 0, 1), 5), Outcome::Passed);
        assert_eq!(outcome(t(0, 0, 3), 5), Outcome::Failed, "abstentions only");
        assert_eq!(outcome(t(0, 0, 0), 0), Outcome::NoQuorum);
    }

    #[test]
    fn decisions_rest_on_a_closed_passed_vote() {
        let v = |open, tally: Option<VoteTally>, members| VoteRecord {
            id: VoteId(7),
            open,
            tally,
            members,
        };
        assert_eq!(decision_basis(None).unwrap_err().status(), 422);
        assert_eq!(
            decision_basis(Some(v(true, None, 3))).unwrap_err().status(),
            409
        );
        let tie = decision_basis(Some(v(false, Some(t(1, 1, 0)), 3))).unwrap_err();
        assert!(tie.to_string().contains("stemmelighed"), "{tie}");
        let few = decision_basis(Some(v(false, Some(t(1, 0, 0)), 3))).unwrap_err();
        assert!(few.to_string().contains("beslutningsdygtigt"), "{few}");
        assert_eq!(
            decision_basis(Some(v(false, Some(t(2, 1, 0)), 3))),
            Ok((VoteId(7), t(2, 1, 0)))
        );
    }

    #[test]
    fn votes_and_minutes_follow_the_meeting() {
        assert!(may_open_vote(MeetingStatus::Planned).is_err());
        assert!(may_open_vote(MeetingStatus::Published).is_ok());
        assert!(may_open_vote(MeetingStatus::Held).is_ok());
        assert!(may_open_vote(MeetingStatus::MinutesApproved).is_err());
        assert!(may_write_minutes(MeetingStatus::Published).is_err());
        assert!(may_write_minutes(MeetingStatus::Held).is_ok());
        assert!(may_write_minutes(MeetingStatus::MinutesApproved).is_err());
    }

    #[test]
    fn local_times_are_copenhagen() {
        let winter = parse_local_time("2026-12-03T17:00")
            .ok()
            .map(|d| d.to_rfc3339());
        assert_eq!(winter.as_deref(), Some("2026-12-03T16:00:00+00:00"));
        let summer = parse_local_time("2026-06-10T17:00")
            .ok()
            .map(|d| d.to_rfc3339());
        assert_eq!(summer.as_deref(), Some("2026-06-10T15:00:00+00:00"));
        assert!(parse_local_time("i morgen").is_err());
        assert!(parse_local_time("-262143-01-01T00:00").is_err());
        assert!(parse_local_time("+262142-12-31T23:59").is_err());
    }

    /// The switch dates come from the time-zone database; the last Sundays of March and
    /// October 2026 are the 29th and the 25th, in 2027 the 28th and the 31st.
    #[test]
    fn summer_time_switches_at_01_utc_on_the_last_sundays() {
        use chrono::TimeZone;
        let utc = |y, mo, d, h, mi| {
            Utc.with_ymd_and_hms(y, mo, d, h, mi, 0)
                .single()
                .unwrap_or_default()
        };
        for (year, march, october) in [(2026, 29, 25), (2027, 28, 31)] {
            assert_eq!(copenhagen_offset_hours(utc(year, 3, march, 0, 59)), 1);
            assert_eq!(copenhagen_offset_hours(utc(year, 3, march, 1, 0)), 2);
            assert_eq!(copenhagen_offset_hours(utc(year, 10, october, 0, 59)), 2);
            assert_eq!(copenhagen_offset_hours(utc(year, 10, october, 1, 0)), 1);
            // The day before each switch keeps the old offset all day.
            assert_eq!(copenhagen_offset_hours(utc(year, 3, march - 1, 23, 0)), 1);
            assert_eq!(
                copenhagen_offset_hours(utc(year, 10, october - 1, 23, 0)),
                2
            );
        }
        assert_eq!(
            copenhagen_time(utc(2026, 3, 29, 1, 0)).to_rfc3339(),
            "2026-03-29T03:00:00+02:00"
        );
        assert_eq!(
            copenhagen_time(utc(2026, 10, 25, 1, 0)).to_rfc3339(),
            "2026-10-25T02:00:00+01:00"
        );
    }

    #[test]
    fn wall_clock_times_around_the_switches() {
        let at = |raw: &str| parse_local_time(raw).ok().map(|d| d.to_rfc3339());
        // Spring: 02.00–03.00 does not exist; 02.30 is read as 03.30 summer time.
        assert_eq!(
            at("2026-03-29T01:59").as_deref(),
            Some("2026-03-29T00:59:00+00:00")
        );
        assert_eq!(
            at("2026-03-29T02:30").as_deref(),
            Some("2026-03-29T01:30:00+00:00")
        );
        assert_eq!(
            at("2026-03-29T03:00").as_deref(),
            Some("2026-03-29T01:00:00+00:00")
        );
        // Autumn: 02.00–03.00 happens twice; the first (summer time) is meant.
        assert_eq!(
            at("2026-10-25T02:30").as_deref(),
            Some("2026-10-25T00:30:00+00:00")
        );
        assert_eq!(
            at("2026-10-25T03:00").as_deref(),
            Some("2026-10-25T02:00:00+00:00")
        );
    }

    #[test]
    fn meeting_status_moves_forward() {
        assert_eq!(
            MeetingStatus::Planned.next(),
            Some(MeetingStatus::Published)
        );
        assert_eq!(MeetingStatus::MinutesApproved.next(), None);
    }
}
