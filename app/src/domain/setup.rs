//! Setting a municipality up (DOMAIN.md "Setting up a municipality"): its profile, its
//! councils with their age ranges, its committees, dated terms, and the checklist of what
//! is still missing before young people can use the site.
use super::account::{clean_text, CouncilKind};
use super::error::AppError;
use super::ids::{CommitteeId, CouncilId, SchoolId, UserId};
use crate::domain::message::Msg;
use crate::i18n::td_string;
use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

/// The consent age when the municipality has not chosen (Danish digital-consent age).
pub const DEFAULT_CONSENT_AGE: i32 = 15;
/// The pool's minimum applicant age when the municipality has not chosen.
pub const DEFAULT_POOL_MIN_AGE: i32 = 13;
/// The answer deadline in weeks when the municipality has not chosen (a proposal rule).
pub use super::proposal::DEFAULT_ANSWER_WEEKS;
/// The longest term a coordinator may enter at once.
pub const MAX_TERM_YEARS: i32 = 4;

/// The municipality's profile, as the coordinator sets it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Profile {
    /// The municipality's name, e.g. "Randers Kommune" (empty until set).
    pub name: String,
    /// Who to contact about accessibility (the accessibility statement names it).
    pub accessibility_contact: String,
    pub answer_weeks: i64,
    /// 13 or 15: younger accounts wait for a coordinator's confirmation.
    pub consent_age: i32,
    /// The pool's default minimum applicant age.
    pub pool_min_age: i32,
    /// The committee that answers proposals unless the council picks another.
    pub default_committee: Option<i64>,
}

impl Default for Profile {
    fn default() -> Self {
        Self {
            name: String::new(),
            accessibility_contact: String::new(),
            answer_weeks: DEFAULT_ANSWER_WEEKS,
            consent_age: DEFAULT_CONSENT_AGE,
            pool_min_age: DEFAULT_POOL_MIN_AGE,
            default_committee: None,
        }
    }
}

fn whole(raw: &str, field: &str, msg: Msg) -> Result<i64, AppError> {
    raw.trim()
        .parse::<i64>()
        .map_err(|_| AppError::invalid(field, msg))
}

/// Reads the profile form. Every field is checked; the first problem is returned.
pub fn validate_profile(
    name: &str,
    contact: &str,
    answer_weeks: &str,
    consent_age: &str,
    pool_min_age: &str,
    default_committee: &str,
) -> Result<Profile, AppError> {
    let name = clean_text(name);
    let n = name.chars().count();
    if !(2..=100).contains(&n) || name.contains(['<', '>']) {
        return Err(AppError::invalid("name", Msg::MunicipalityName));
    }
    let contact = clean_text(contact);
    let c = contact.chars().count();
    if !(5..=200).contains(&c) || contact.contains(['<', '>']) {
        return Err(AppError::invalid(
            "accessibility_contact",
            Msg::AccessibilityContact,
        ));
    }
    let weeks = whole(answer_weeks, "answer_weeks", Msg::AnswerWeeksNumber)?;
    if !super::proposal::answer_weeks_ok(weeks) {
        return Err(AppError::invalid("answer_weeks", Msg::AnswerWeeksRange));
    }
    let consent = whole(consent_age, "consent_age", Msg::ConsentAge)?;
    if consent != 13 && consent != 15 {
        return Err(AppError::invalid("consent_age", Msg::ConsentAge));
    }
    let pool_min = whole(pool_min_age, "pool_min_age", Msg::PoolMinAgeNumber)?;
    if !(13..=25).contains(&pool_min) {
        return Err(AppError::invalid("pool_min_age", Msg::PoolMinAgeRange));
    }
    let default_committee = match default_committee.trim() {
        "" => None,
        s => Some(
            s.parse::<i64>()
                .map_err(|_| AppError::invalid("default_committee", Msg::ChooseCommitteeDefault))?,
        ),
    };
    Ok(Profile {
        name,
        accessibility_contact: contact,
        answer_weeks: weeks,
        consent_age: consent as i32,
        pool_min_age: pool_min as i32,
        default_committee,
    })
}

/// A council or committee name: 2–120 visible characters, no markup.
pub fn validate_body_name(raw: &str) -> Result<String, AppError> {
    let name = clean_text(raw);
    let n = name.chars().count();
    if !(2..=120).contains(&n) || name.contains(['<', '>']) {
        return Err(AppError::invalid("name", Msg::CouncilName));
    }
    Ok(name)
}

/// Reads a council kind from the form ("ungeraad", "elevraad", "faelles_elevraad", "anden").
pub fn parse_kind(raw: &str) -> Result<CouncilKind, AppError> {
    CouncilKind::parse(raw.trim()).ok_or_else(|| AppError::invalid("kind", Msg::ChooseCouncilKind))
}

/// An optional age range for a council's members ("" for none at either end).
pub fn validate_age_range(min: &str, max: &str) -> Result<(Option<i32>, Option<i32>), AppError> {
    let read = |raw: &str, field: &str| -> Result<Option<i32>, AppError> {
        match raw.trim() {
            "" => Ok(None),
            s => s
                .parse::<i32>()
                .ok()
                .filter(|a| (6..=30).contains(a))
                .map(Some)
                .ok_or_else(|| AppError::invalid(field, Msg::CouncilAge)),
        }
    };
    let min = read(min, "min_age")?;
    let max = read(max, "max_age")?;
    if let (Some(a), Some(b)) = (min, max) {
        if a > b {
            return Err(AppError::invalid("max_age", Msg::AgeRangeOrder));
        }
    }
    Ok((min, max))
}

/// Is a person of `age` (this year) inside the council's age range? The refusal says why.
pub fn check_member_age(
    council: &str,
    min: Option<i32>,
    max: Option<i32>,
    age: i32,
) -> Result<(), AppError> {
    let council = council.to_owned();
    let msg = match (min, max) {
        (Some(min), Some(max)) => Msg::CouncilAgesBetween {
            council,
            min,
            max,
            age,
        },
        (Some(min), None) => Msg::CouncilAgesAtLeast { council, min, age },
        (None, Some(max)) => Msg::CouncilAgesAtMost { council, max, age },
        (None, None) => return Ok(()),
    };
    if min.is_some_and(|a| age < a) || max.is_some_and(|b| age > b) {
        return Err(AppError::invalid("email", msg));
    }
    Ok(())
}

/// Reads a date field (`<input type="date">`, YYYY-MM-DD).
pub fn parse_date(raw: &str, field: &str) -> Result<NaiveDate, AppError> {
    NaiveDate::parse_from_str(raw.trim(), "%Y-%m-%d")
        .ok()
        .filter(|d| (2000..=2100).contains(&d.year()))
        .ok_or_else(|| AppError::invalid(field, Msg::WriteDate))
}

/// A term from a start and an end date (both inclusive), at most four years long.
pub fn validate_term(start: &str, end: &str) -> Result<(NaiveDate, NaiveDate), AppError> {
    let start = parse_date(start, "starts_on")?;
    let end = parse_date(end, "ends_on")?;
    if end < start {
        return Err(AppError::invalid("ends_on", Msg::TermOrder));
    }
    if end.year() - start.year() > MAX_TERM_YEARS {
        return Err(AppError::invalid("ends_on", Msg::TermTooLong));
    }
    Ok((start, end))
}

/// The calendar date in Copenhagen at `now` (terms and deadlines are counted in local days).
pub fn copenhagen_date(now: chrono::DateTime<chrono::Utc>) -> NaiveDate {
    super::localtime::copenhagen_time(now).date_naive()
}

/// Is `today` inside a term (both ends inclusive)? A member whose term ended yesterday no
/// longer votes today.
pub fn term_active(start: NaiveDate, end: NaiveDate, today: NaiveDate) -> bool {
    start <= today && today <= end
}

/// A council as the coordinator manages it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CouncilAdmin {
    pub id: CouncilId,
    pub kind: CouncilKind,
    pub name: String,
    pub school_id: Option<SchoolId>,
    pub min_age: Option<i32>,
    pub max_age: Option<i32>,
    pub archived: bool,
    /// Are the members' names (and who voted what) public, not only for signed-in people?
    pub names_public: bool,
    pub members: Vec<Membership>,
}

/// One person's seat in a council or committee, with dates.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Membership {
    pub user_id: UserId,
    pub first_name: String,
    /// "chair", "secretary" or "" (a member).
    pub post: String,
    pub starts_on: NaiveDate,
    /// None: no end set (committee seats).
    pub ends_on: Option<NaiveDate>,
    pub active: bool,
}

/// A committee (udvalg) as the coordinator manages it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CommitteeAdmin {
    pub id: i64,
    pub name: String,
    pub archived: bool,
    pub is_default: bool,
    pub members: Vec<Membership>,
}

/// A school as the coordinator manages it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SchoolAdmin {
    pub id: SchoolId,
    pub name: String,
    pub archived: bool,
    /// UNI-Login's institution number for the school: pupils logging in with it land here.
    pub institution_number: Option<String>,
}

/// Checks an institution number (UNI-Login's id for a school): letters and digits, at most
/// 40; empty means none.
pub fn parse_institution_number(
    raw: &str,
) -> Result<Option<String>, crate::domain::error::AppError> {
    let n = raw.trim();
    if n.is_empty() {
        return Ok(None);
    }
    if n.len() > 40 || !n.chars().all(|c| c.is_ascii_alphanumeric()) {
        return Err(crate::domain::error::AppError::invalid(
            "institution_number",
            crate::domain::message::Msg::InstitutionNumber,
        ));
    }
    Ok(Some(n.to_owned()))
}

/// What the checklist counts.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SetupCounts {
    pub profile_named: bool,
    pub accessibility_contact: bool,
    /// Active councils young people can send proposals to (Ungeråd or other youth body).
    pub open_councils: i64,
    /// Active council members (today).
    pub council_members: i64,
    /// Councils with an active chair or secretary.
    pub councils_with_officer: i64,
    pub committees: i64,
    /// Politicians seated on an active committee today.
    pub politicians: i64,
    pub default_committee: bool,
    /// A pool year for the current year.
    pub pool_year: bool,
}

/// One line of the setup checklist.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum ChecklistItem {
    Profile,
    AccessibilityContact,
    Council,
    Members,
    Officer,
    Committee,
    Politician,
    DefaultCommittee,
    PoolYear,
}

impl ChecklistItem {
    pub const ALL: [ChecklistItem; 9] = [
        Self::Profile,
        Self::AccessibilityContact,
        Self::Council,
        Self::Members,
        Self::Officer,
        Self::Committee,
        Self::Politician,
        Self::DefaultCommittee,
        Self::PoolYear,
    ];

    /// Is this step done?
    pub fn done(self, c: &SetupCounts) -> bool {
        match self {
            Self::Profile => c.profile_named,
            Self::AccessibilityContact => c.accessibility_contact,
            Self::Council => c.open_councils > 0,
            Self::Members => c.council_members > 0,
            Self::Officer => c.councils_with_officer > 0,
            Self::Committee => c.committees > 0,
            Self::Politician => c.politicians > 0,
            Self::DefaultCommittee => c.default_committee,
            Self::PoolYear => c.pool_year,
        }
    }

    /// Where it is fixed.
    pub fn href(self) -> &'static str {
        match self {
            Self::Profile | Self::AccessibilityContact | Self::DefaultCommittee => {
                "/admin/opsaetning#profil"
            }
            Self::Council | Self::Members | Self::Officer => "/admin/raad",
            Self::Committee | Self::Politician => "/admin/udvalg",
            Self::PoolYear => "/puljen",
        }
    }

    /// What is missing, in plain words (shown while the step is not done), and what is
    /// done (shown after).
    pub fn text(self, done: bool, en: bool) -> &'static str {
        let l = crate::domain::lang::locale(en);
        match (self, done) {
            (Self::Profile, false) => td_string!(l, labels.checklist.profile_todo),
            (Self::Profile, true) => td_string!(l, labels.checklist.profile_done),
            (Self::AccessibilityContact, false) => {
                td_string!(l, labels.checklist.accessibility_contact_todo)
            }
            (Self::AccessibilityContact, true) => {
                td_string!(l, labels.checklist.accessibility_contact_done)
            }
            (Self::Council, false) => td_string!(l, labels.checklist.council_todo),
            (Self::Council, true) => td_string!(l, labels.checklist.council_done),
            (Self::Members, false) => td_string!(l, labels.checklist.members_todo),
            (Self::Members, true) => td_string!(l, labels.checklist.members_done),
            (Self::Officer, false) => td_string!(l, labels.checklist.officer_todo),
            (Self::Officer, true) => td_string!(l, labels.checklist.officer_done),
            (Self::Committee, false) => td_string!(l, labels.checklist.committee_todo),
            (Self::Committee, true) => td_string!(l, labels.checklist.committee_done),
            (Self::Politician, false) => td_string!(l, labels.checklist.politician_todo),
            (Self::Politician, true) => td_string!(l, labels.checklist.politician_done),
            (Self::DefaultCommittee, false) => {
                td_string!(l, labels.checklist.default_committee_todo)
            }
            (Self::DefaultCommittee, true) => {
                td_string!(l, labels.checklist.default_committee_done)
            }
            (Self::PoolYear, false) => td_string!(l, labels.checklist.pool_year_todo),
            (Self::PoolYear, true) => td_string!(l, labels.checklist.pool_year_done),
        }
    }

    pub fn key(self) -> &'static str {
        match self {
            Self::Profile => "profile",
            Self::AccessibilityContact => "accessibility",
            Self::Council => "council",
            Self::Members => "members",
            Self::Officer => "officer",
            Self::Committee => "committee",
            Self::Politician => "politician",
            Self::DefaultCommittee => "default-committee",
            Self::PoolYear => "pool-year",
        }
    }
}

/// The checklist page's data.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SetupView {
    pub counts: SetupCounts,
    pub profile: Profile,
    /// Committees to choose the default from (id, name).
    pub committees: Vec<(CommitteeId, String)>,
}

impl SetupView {
    /// Steps still missing.
    pub fn missing(&self) -> usize {
        ChecklistItem::ALL
            .iter()
            .filter(|i| !i.done(&self.counts))
            .count()
    }
}

/// Plain words for a proposal's deadline: "N dage tilbage" / "N dage over fristen".
pub fn deadline_days(
    deadline: chrono::DateTime<chrono::Utc>,
    now: chrono::DateTime<chrono::Utc>,
    en: bool,
) -> String {
    let day = |n: i64, en: bool| match (n == 1, en) {
        (true, false) => "dag",
        (false, false) => "dage",
        (true, true) => "day",
        (false, true) => "days",
    };
    if now > deadline {
        let d = (now - deadline).num_days().max(1);
        if en {
            format!("{d} {} past the deadline", day(d, true))
        } else {
            format!("{d} {} over fristen", day(d, false))
        }
    } else {
        // Started days count: due later today is "0 dage tilbage" only at the very end.
        let d = (deadline - now).num_days();
        if en {
            format!("{d} {} left", day(d, true))
        } else {
            format!("{d} {} tilbage", day(d, false))
        }
    }
}

/// A new answer deadline from a date field: the end of that day in Copenhagen. It must lie
/// after `now` and at most a year ahead.
pub fn validate_new_deadline(
    raw: &str,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<chrono::DateTime<chrono::Utc>, AppError> {
    let day = parse_date(raw, "deadline")?;
    let at = day
        .and_hms_opt(23, 59, 0)
        .and_then(super::localtime::from_copenhagen)
        .ok_or_else(|| AppError::invalid("deadline", Msg::WriteDate))?;
    if at <= now {
        return Err(AppError::invalid("deadline", Msg::DeadlineAfterToday));
    }
    if at > now + chrono::Duration::days(366) {
        return Err(AppError::invalid("deadline", Msg::DeadlineWithinYear));
    }
    Ok(at)
}

/// The public reason for setting or extending one proposal's answer deadline.
pub const DEADLINE_REASON: super::explanation::Rule = super::explanation::Rule {
    min_letters: 10,
    min_words: 2,
    max_chars: 1_000,
    what: super::explanation::Writing::DeadlineReason,
};

/// A public reason for setting or extending one proposal's answer deadline.
pub fn validate_deadline_reason(raw: &str) -> Result<String, AppError> {
    DEADLINE_REASON.validate("reason", raw)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn profile_rules() {
        assert!(validate_profile(
            "Randers Kommune",
            "tilgaengelighed@randers.dk",
            "8",
            "15",
            "13",
            ""
        )
        .is_ok());
        assert!(validate_profile(
            "Randers Kommune",
            "tilgaengelighed@randers.dk",
            "8",
            "14",
            "13",
            ""
        )
        .is_err());
        assert!(validate_profile("R", "tilgaengelighed@randers.dk", "8", "15", "13", "").is_err());
        assert!(validate_profile("Randers", "x", "8", "15", "13", "").is_err());
        assert!(validate_profile("Randers", "a@b.dk", "53", "15", "13", "").is_err());
        assert!(validate_profile("Randers", "a@b.dk", "8", "13", "12", "").is_err());
        let p = validate_profile("Randers", "a@b.dk", "8", "13", "14", "3").ok();
        assert_eq!(
            p.map(|p| (p.consent_age, p.default_committee)),
            Some((13, Some(3)))
        );
    }

    #[test]
    fn ages_and_terms() {
        assert_eq!(
            validate_age_range("14", "20").ok(),
            Some((Some(14), Some(20)))
        );
        assert_eq!(validate_age_range("", "").ok(), Some((None, None)));
        assert!(validate_age_range("20", "14").is_err());
        assert!(check_member_age("Ungerådet", Some(14), Some(20), 22).is_err());
        assert!(check_member_age("Ungerådet", Some(14), Some(20), 13).is_err());
        assert!(check_member_age("Ungerådet", Some(14), Some(20), 14).is_ok());
        assert!(check_member_age("Ungerådet", None, None, 40).is_ok());
        assert!(validate_term("2026-08-01", "2027-07-31").is_ok());
        assert!(validate_term("2026-08-01", "2026-07-31").is_err());
        assert!(validate_term("2026-08-01", "2031-08-01").is_err());
        assert!(validate_term("i går", "2027-07-31").is_err());
        let d = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap_or_default();
        assert!(term_active(
            d("2026-01-01"),
            d("2026-06-30"),
            d("2026-06-30")
        ));
        assert!(!term_active(
            d("2026-01-01"),
            d("2026-06-30"),
            d("2026-07-01")
        ));
    }

    #[test]
    fn checklist_says_what_is_missing() {
        let empty = SetupCounts::default();
        assert!(ChecklistItem::ALL.iter().all(|i| !i.done(&empty)));
        let full = SetupCounts {
            profile_named: true,
            accessibility_contact: true,
            open_councils: 1,
            council_members: 3,
            councils_with_officer: 1,
            committees: 1,
            politicians: 1,
            default_committee: true,
            pool_year: true,
        };
        assert!(ChecklistItem::ALL.iter().all(|i| i.done(&full)));
    }

    #[test]
    fn deadline_words() {
        let now = chrono::DateTime::from_timestamp(1_800_000_000, 0).unwrap_or_default();
        assert_eq!(
            deadline_days(now + chrono::Duration::days(3), now, false),
            "3 dage tilbage"
        );
        assert_eq!(
            deadline_days(now - chrono::Duration::days(1), now, false),
            "1 dag over fristen"
        );
        assert_eq!(
            deadline_days(now + chrono::Duration::days(1), now, true),
            "1 day left"
        );
    }
}
