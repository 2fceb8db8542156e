//! Ungerådets pulje: money in integer øre, applications with budget lines, decisions that
//! need an explanation unless granted in full, and a ledger whose balance can never go
//! below zero.
use crate::domain::account::clean_text as clean_line;
use crate::domain::error::AppError;
use crate::domain::ids::UserId;
use crate::domain::message::Msg;
use crate::domain::proposal::clean_multiline;
use crate::i18n::td_string;
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

/// 100.000 kr., the usual yearly amount.
pub const DEFAULT_AMOUNT_ORE: i64 = 100_000 * 100;
/// 25.000 kr., the usual limit per application.
pub const DEFAULT_MAX_GRANT_ORE: i64 = 25_000 * 100;
pub const DEFAULT_MIN_AGE: i32 = 16;
/// Budget lines on the form.
pub const BUDGET_LINES: usize = 6;
/// The largest amount anywhere (10 mio. kr.): keeps sums far from overflow.
pub const MAX_ORE: i64 = 10_000_000 * 100;
/// Days after the activity before a missing report counts as late.
pub const REPORT_DAYS: i64 = 30;
/// The shortest explanation of a partial grant or a rejection (visible letters).
pub const MIN_DECISION_EXPLANATION: usize = 20;
/// The explanation of a partial grant or a rejection, written to the applicants.
pub const DECISION_EXPLANATION: crate::domain::explanation::Rule =
    crate::domain::explanation::Rule {
        min_letters: MIN_DECISION_EXPLANATION,
        min_words: 3,
        max_chars: 5_000,
        what: crate::domain::explanation::Writing::PoolDecision,
    };

/// Today's date in Denmark.
pub fn danish_today(now: DateTime<Utc>) -> NaiveDate {
    crate::domain::localtime::copenhagen_time(now).date_naive()
}

/// "12.500,00 kr." — Danish kroner from øre.
pub fn kroner(ore: i64) -> String {
    let sign = if ore < 0 { "-" } else { "" };
    let abs = ore.unsigned_abs();
    let (kr, rest) = (abs / 100, abs % 100);
    let digits = kr.to_string();
    let mut grouped = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            grouped.push('.');
        }
        grouped.push(c);
    }
    format!("{sign}{grouped},{rest:02} kr.")
}

/// Reads whole Danish kroner ("8000", "8.000", "8 000 kr.", "8.000,00") into øre.
/// Decimals, negative amounts, zero and anything that is not a number are refused.
pub fn parse_kroner(raw: &str, field: &str) -> Result<i64, AppError> {
    let err = |m: Msg| AppError::invalid(field, m);
    let mut s: String = raw.trim().to_lowercase();
    for suffix in ["kr.", "kr", "dkk"] {
        if let Some(rest) = s.strip_suffix(suffix) {
            s = rest.trim().to_owned();
        }
    }
    if s.is_empty() {
        return Err(err(Msg::AmountWhole));
    }
    if s.starts_with('-') || s.starts_with('−') {
        return Err(err(Msg::AmountPositive));
    }
    // Spaces are thousands separators, like dots: "8 000".
    let s = s.replace([' ', '\u{a0}'], ".");
    let whole = match s.split_once(',') {
        Some((w, "00" | "0")) => w.to_owned(),
        Some(_) => return Err(err(Msg::AmountNoOre)),
        None => s,
    };
    // Dots are thousands separators only: 8.000 or 1.250.000.
    let groups: Vec<&str> = whole.split('.').collect();
    if groups.len() > 1
        && (groups[0].is_empty() || groups[0].len() > 3 || groups[1..].iter().any(|g| g.len() != 3))
    {
        return Err(err(Msg::AmountNoOre));
    }
    let digits: String = groups.concat();
    if digits.is_empty() || !digits.chars().all(|c| c.is_ascii_digit()) {
        return Err(err(Msg::AmountNumber));
    }
    if digits.len() > 9 {
        return Err(err(Msg::AmountTooLarge));
    }
    let kr: i64 = digits.parse().map_err(|_| err(Msg::AmountNumber))?;
    if kr == 0 {
        return Err(err(Msg::AmountPositive));
    }
    let ore = kr * 100;
    if ore > MAX_ORE {
        return Err(err(Msg::AmountTooLarge));
    }
    Ok(ore)
}

/// The pool's figures. Balance = amount − granted + returned + corrections, and a change
/// that would take it below zero is refused — the same rule the database checks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct Ledger {
    pub amount: i64,
    pub granted: i64,
    pub returned: i64,
    /// Signed sum of corrections.
    pub corrected: i64,
}

/// Why the ledger refused a change.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LedgerRefusal {
    /// Not a positive amount.
    NotPositive,
    /// It would take the balance below zero.
    Overspent,
    /// More returned than was ever granted.
    ReturnTooLarge,
}

impl Ledger {
    pub fn new(amount: i64) -> Self {
        Self {
            amount,
            ..Self::default()
        }
    }

    pub fn balance(&self) -> i64 {
        self.amount - self.granted + self.returned + self.corrected
    }

    pub fn grant(self, ore: i64) -> Result<Self, LedgerRefusal> {
        if ore <= 0 || ore > MAX_ORE {
            return Err(LedgerRefusal::NotPositive);
        }
        if ore > self.balance() {
            return Err(LedgerRefusal::Overspent);
        }
        Ok(Self {
            granted: self.granted + ore,
            ..self
        })
    }

    /// Unspent money back to the pool.
    pub fn give_back(self, ore: i64) -> Result<Self, LedgerRefusal> {
        if ore <= 0 || ore > MAX_ORE {
            return Err(LedgerRefusal::NotPositive);
        }
        if self.returned + ore > self.granted {
            return Err(LedgerRefusal::ReturnTooLarge);
        }
        Ok(Self {
            returned: self.returned + ore,
            ..self
        })
    }

    /// A signed correction (e.g. a mistyped amount); never below zero.
    pub fn correct(self, delta: i64) -> Result<Self, LedgerRefusal> {
        if delta == 0 || delta.abs() > MAX_ORE {
            return Err(LedgerRefusal::NotPositive);
        }
        if self.balance() + delta < 0 {
            return Err(LedgerRefusal::Overspent);
        }
        Ok(Self {
            corrected: self.corrected + delta,
            ..self
        })
    }

    /// Share of the amount still left, in whole percent (for the bar).
    pub fn remaining_percent(&self) -> i64 {
        if self.amount <= 0 {
            0
        } else {
            (self.balance().clamp(0, self.amount) * 100) / self.amount
        }
    }
}

impl LedgerRefusal {
    pub fn message(self) -> Msg {
        match self {
            Self::NotPositive => Msg::AmountPositive,
            Self::Overspent => Msg::PoolTooLittleLeft,
            Self::ReturnTooLarge => Msg::ReturnTooLarge,
        }
    }
}

/// A pool year's settings as the coordinator opens it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PoolSettings {
    pub year: i32,
    pub amount: i64,
    pub max_grant: i64,
    pub min_age: i32,
    pub rules: String,
}

pub fn validate_pool_year(
    year: &str,
    amount: &str,
    max_grant: &str,
    min_age: &str,
    rules: &str,
) -> Result<PoolSettings, AppError> {
    let year: i32 = year
        .trim()
        .parse()
        .ok()
        .filter(|y| (2020..=2100).contains(y))
        .ok_or_else(|| AppError::invalid("year", Msg::PoolYear))?;
    let amount = parse_kroner(amount, "amount")?;
    let max_grant = parse_kroner(max_grant, "max_grant")?;
    if max_grant > amount {
        return Err(AppError::invalid("max_grant", Msg::MaxGrantOverPool));
    }
    let min_age: i32 = min_age
        .trim()
        .parse()
        .ok()
        .filter(|a| (13..=25).contains(a))
        .ok_or_else(|| AppError::invalid("min_age", Msg::PoolMinAge))?;
    let rules = clean_multiline(rules);
    if rules.chars().count() > 10_000 {
        return Err(AppError::invalid("rules", Msg::RulesTooLong));
    }
    Ok(PoolSettings {
        year,
        amount,
        max_grant,
        min_age,
        rules,
    })
}

/// One line of an application's budget.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BudgetLine {
    pub text: String,
    pub amount: i64,
    /// Filled in by the report: what was really spent.
    pub actual: Option<i64>,
}

/// The application form as typed (every field as text).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct ApplicationForm {
    pub title: String,
    pub activity: String,
    pub audience: String,
    pub participants: String,
    pub date: String,
    pub place: String,
    pub members: String,
    pub amount: String,
    /// "ja" or "nej": is anything already paid?
    pub already_paid: String,
    /// (text, amount) per line; empty lines are skipped.
    pub lines: Vec<(String, String)>,
}

impl ApplicationForm {
    /// The form with every field cut to a safe length (for drafts, kept as typed).
    pub fn bounded(&self) -> Self {
        let cut = |s: &str, n: usize| s.chars().take(n).collect::<String>();
        Self {
            title: cut(&self.title, 200),
            activity: cut(&self.activity, 5_000),
            audience: cut(&self.audience, 300),
            participants: cut(&self.participants, 20),
            date: cut(&self.date, 20),
            place: cut(&self.place, 200),
            members: cut(&self.members, 1_000),
            amount: cut(&self.amount, 30),
            already_paid: cut(&self.already_paid, 10),
            lines: self
                .lines
                .iter()
                .take(BUDGET_LINES)
                .map(|(t, a)| (cut(t, 200), cut(a, 30)))
                .collect(),
        }
    }
}

/// A validated application.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Application {
    pub title: String,
    pub activity: String,
    pub audience: String,
    pub participants: i64,
    pub date: NaiveDate,
    pub place: String,
    pub members: String,
    pub amount: i64,
    pub lines: Vec<BudgetLine>,
}

fn text(
    raw: &str,
    field: &str,
    min: usize,
    max: usize,
    what: fn(usize, usize) -> Msg,
) -> Result<String, AppError> {
    let t = clean_line(raw);
    let n = t.chars().count();
    if n < min || n > max {
        return Err(AppError::invalid(field, what(min, max)));
    }
    Ok(t)
}

/// Checks an application against the year's rules. `applicant_age` is the responsible
/// applicant's age this year; `today` is the Danish date.
pub fn validate_application(
    f: &ApplicationForm,
    max_grant: i64,
    min_age: i32,
    applicant_age: i32,
    today: NaiveDate,
) -> Result<Application, AppError> {
    let title = text(&f.title, "title", 3, 120, |min, max| Msg::ActivityTitle {
        min,
        max,
    })?;
    let activity = clean_multiline(&f.activity);
    let n = activity.chars().count();
    if !(20..=5_000).contains(&n) {
        return Err(AppError::invalid("activity", Msg::ActivityText));
    }
    let audience = text(&f.audience, "audience", 3, 300, |min, max| {
        Msg::ActivityAudience { min, max }
    })?;
    let participants: i64 = f
        .participants
        .trim()
        .parse()
        .ok()
        .filter(|n| (1..=100_000).contains(n))
        .ok_or_else(|| AppError::invalid("participants", Msg::ParticipantsExpected))?;
    let date = NaiveDate::parse_from_str(f.date.trim(), "%Y-%m-%d")
        .map_err(|_| AppError::invalid("date", Msg::ActivityDate))?;
    if date <= today {
        return Err(AppError::invalid("date", Msg::ActivityPast));
    }
    if date > today + chrono::Duration::days(730) {
        return Err(AppError::invalid("date", Msg::ActivityTooFar));
    }
    let place = text(&f.place, "place", 2, 200, |min, max| Msg::ActivityPlace {
        min,
        max,
    })?;
    let members = clean_multiline(&f.members);
    if members.chars().count() > 1_000 {
        return Err(AppError::invalid(
            "members",
            Msg::AtMostChars { max: 1_000 },
        ));
    }
    if applicant_age < min_age {
        return Err(AppError::invalid(
            "applicant",
            Msg::ApplicantTooYoung { min_age },
        ));
    }
    match f.already_paid.trim() {
        "nej" => {}
        "ja" => return Err(AppError::invalid("already_paid", Msg::AlreadyPaid)),
        _ => return Err(AppError::invalid("already_paid", Msg::AnswerAlreadyPaid)),
    }
    let mut lines = Vec::new();
    for (i, (t, a)) in f.lines.iter().enumerate() {
        let (t, a) = (clean_line(t), a.trim());
        if t.is_empty() && a.is_empty() {
            continue;
        }
        let n = i + 1;
        if t.is_empty() || t.chars().count() > 200 {
            return Err(AppError::invalid(
                format!("line{n}_text"),
                Msg::BudgetLineText { n },
            ));
        }
        let amount = parse_kroner(a, &format!("line{n}_amount"))?;
        lines.push(BudgetLine {
            text: t,
            amount,
            actual: None,
        });
    }
    if lines.is_empty() {
        return Err(AppError::invalid("line1_text", Msg::BudgetEmpty));
    }
    let amount = parse_kroner(&f.amount, "amount")?;
    let sum: i64 = lines.iter().map(|l| l.amount).sum();
    if sum != amount {
        return Err(AppError::invalid(
            "amount",
            Msg::BudgetSum { sum, asked: amount },
        ));
    }
    if amount > max_grant {
        return Err(AppError::invalid(
            "amount",
            Msg::OverMaxGrant { max: max_grant },
        ));
    }
    Ok(Application {
        title,
        activity,
        audience,
        participants,
        date,
        place,
        members,
        amount,
        lines,
    })
}

/// The Ungeråd's decision on an application.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Decision {
    /// The full amount asked.
    Bevilget { conditions: Option<String> },
    /// Less than asked: an explanation is required.
    Delvist {
        amount: i64,
        explanation: String,
        conditions: Option<String>,
    },
    /// No: an explanation is required.
    Afslaaet { explanation: String },
}

impl Decision {
    /// The amount granted, given what was asked.
    pub fn granted(&self, asked: i64) -> i64 {
        match self {
            Self::Bevilget { .. } => asked,
            Self::Delvist { amount, .. } => *amount,
            Self::Afslaaet { .. } => 0,
        }
    }

    pub fn status(&self) -> ApplicationStatus {
        match self {
            Self::Bevilget { .. } => ApplicationStatus::Granted,
            Self::Delvist { .. } => ApplicationStatus::PartlyGranted,
            Self::Afslaaet { .. } => ApplicationStatus::Rejected,
        }
    }
}

fn decision_explanation(raw: &str) -> Result<String, AppError> {
    DECISION_EXPLANATION.validate("explanation", raw)
}

pub fn validate_decision(
    kind: &str,
    amount: &str,
    explanation: &str,
    conditions: &str,
    asked: i64,
) -> Result<Decision, AppError> {
    let conditions = clean_multiline(conditions);
    if conditions.chars().count() > 2_000 {
        return Err(AppError::invalid(
            "conditions",
            Msg::AtMostChars { max: 2_000 },
        ));
    }
    let conditions = (!conditions.is_empty()).then_some(conditions);
    match kind.trim() {
        "bevilget" => Ok(Decision::Bevilget { conditions }),
        "delvist" => {
            let explanation = decision_explanation(explanation)?;
            let amount = parse_kroner(amount, "amount")?;
            if amount >= asked {
                return Err(AppError::invalid(
                    "amount",
                    Msg::PartialMustBeLess { asked },
                ));
            }
            Ok(Decision::Delvist {
                amount,
                explanation,
                conditions,
            })
        }
        "afslaaet" => Ok(Decision::Afslaaet {
            explanation: decision_explanation(explanation)?,
        }),
        _ => Err(AppError::invalid("decision", Msg::ChoosePoolDecision)),
    }
}

/// Where an application is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum ApplicationStatus {
    Submitted,
    Granted,
    PartlyGranted,
    Rejected,
}

impl ApplicationStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Submitted => "submitted",
            Self::Granted => "granted",
            Self::PartlyGranted => "partly_granted",
            Self::Rejected => "rejected",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        [
            Self::Submitted,
            Self::Granted,
            Self::PartlyGranted,
            Self::Rejected,
        ]
        .into_iter()
        .find(|x| x.as_str() == s)
    }

    pub fn label(self, en: bool) -> &'static str {
        let l = crate::domain::lang::locale(en);
        match self {
            Self::Submitted => td_string!(l, labels.application_status.submitted),
            Self::Granted => td_string!(l, labels.application_status.granted),
            Self::PartlyGranted => td_string!(l, labels.application_status.partly_granted),
            Self::Rejected => td_string!(l, labels.application_status.rejected),
        }
    }

    pub fn is_grant(self) -> bool {
        matches!(self, Self::Granted | Self::PartlyGranted)
    }
}

/// The report-back state of a grant.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum ReportState {
    /// Not due yet (the activity has not been held).
    NotDue,
    /// The activity was held; the report is due.
    Due,
    /// More than [`REPORT_DAYS`] after the activity.
    Late,
    Filed,
}

impl ReportState {
    pub fn of(date: NaiveDate, reported: bool, today: NaiveDate) -> Self {
        if reported {
            Self::Filed
        } else if today <= date {
            Self::NotDue
        } else if today > date + chrono::Duration::days(REPORT_DAYS) {
            Self::Late
        } else {
            Self::Due
        }
    }

    pub fn label(self, en: bool) -> &'static str {
        let l = crate::domain::lang::locale(en);
        match self {
            Self::NotDue => td_string!(l, labels.report_state.not_due),
            Self::Due => td_string!(l, labels.report_state.due),
            Self::Late => td_string!(l, labels.report_state.late),
            Self::Filed => td_string!(l, labels.report_state.filed),
        }
    }
}

/// A report-back: what happened, how many took part, and the actual spend per line.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Report {
    pub text: String,
    pub participants: i64,
    /// Actual spend per budget line, in the lines' order.
    pub actual: Vec<i64>,
}

impl Report {
    /// Unspent money that goes back to the pool.
    pub fn unspent(&self, granted: i64) -> i64 {
        (granted - self.actual.iter().sum::<i64>()).max(0)
    }
}

/// Reads a spent amount: whole kroner, and 0 is allowed.
fn parse_spent(raw: &str, field: &str) -> Result<i64, AppError> {
    let t = raw.trim();
    if t == "0" || t == "0,00" {
        return Ok(0);
    }
    parse_kroner(t, field)
}

pub fn validate_report(
    text: &str,
    participants: &str,
    actual: &[String],
    lines: usize,
) -> Result<Report, AppError> {
    let text = clean_multiline(text);
    let n = text.chars().count();
    if !(20..=5_000).contains(&n) {
        return Err(AppError::invalid("report", Msg::ReportText));
    }
    let participants: i64 = participants
        .trim()
        .parse()
        .ok()
        .filter(|n| (0..=100_000).contains(n))
        .ok_or_else(|| AppError::invalid("participants", Msg::ParticipantsCame))?;
    let mut spent = Vec::with_capacity(lines);
    for i in 0..lines {
        let raw = actual.get(i).map(String::as_str).unwrap_or("");
        spent.push(parse_spent(raw, &format!("actual{}", i + 1))?);
    }
    Ok(Report {
        text,
        participants,
        actual: spent,
    })
}

/// One application as lists show it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApplicationSummary {
    pub id: i64,
    pub title: String,
    pub asked: i64,
    pub granted: i64,
    pub status: ApplicationStatus,
    pub date: NaiveDate,
    pub decided_at: Option<DateTime<Utc>>,
    pub report: ReportState,
}

/// Everything about one application.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApplicationDetail {
    pub id: i64,
    pub year: i32,
    pub applicant: String,
    pub applicant_id: UserId,
    pub app: Application,
    pub status: ApplicationStatus,
    pub granted: i64,
    pub explanation: Option<String>,
    pub conditions: Option<String>,
    pub votes: Option<(i64, i64, i64)>,
    pub decided_at: Option<DateTime<Utc>>,
    pub report: Option<Report>,
    pub report_state: ReportState,
    pub returned: i64,
    pub submitted_at: DateTime<Utc>,
    /// Where the Ungeråd votes on the application while it waits (shown to those who run
    /// its meetings and to the coordinator).
    pub agenda: Option<ApplicationAgenda>,
    /// The caller runs the Ungeråd's meetings (chair, secretary or coordinator).
    pub runner: bool,
    /// The caller runs the Ungeråd's meetings (chair, secretary or coordinator), the
    /// application waits, and the council's closed vote on it passed: the decision may be
    /// recorded now.
    pub can_decide: bool,
    /// The caller is the applicant and the report is due.
    pub can_report: bool,
}

/// The agenda item an application is voted on at: the item, its meeting, and once the
/// vote is closed its tally (for, against, abstain) and whether it passed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApplicationAgenda {
    pub item: i64,
    pub meeting: i64,
    pub tally: Option<(i64, i64, i64)>,
    pub passed: bool,
}

/// The public page of a pool year.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PoolPage {
    pub settings: PoolSettings,
    pub ledger: Ledger,
    pub grants: Vec<ApplicationSummary>,
    /// What the money became: (title, report text, participants).
    pub reports: Vec<(i64, String, String, i64)>,
    /// Balance after each ledger entry, oldest first (for the chart).
    pub balance_points: Vec<(DateTime<Utc>, i64)>,
    /// Waiting for a decision (shown to the Ungeråd's chair).
    pub waiting: Vec<ApplicationSummary>,
    /// The caller's own applications.
    pub mine: Vec<ApplicationSummary>,
    pub can_decide: bool,
}

/// What `/puljen` returns: the year's page, or none opened yet.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PoolView {
    pub page: Option<PoolPage>,
    pub years: Vec<i32>,
    pub can_open: bool,
    pub logged_in: bool,
    /// The municipality's default minimum applicant age (its profile), for a new year.
    pub default_min_age: i32,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kroner_are_danish() {
        assert_eq!(kroner(1_250_000), "12.500,00 kr.");
        assert_eq!(kroner(600_000), "6.000,00 kr.");
        assert_eq!(kroner(9_400_000), "94.000,00 kr.");
        assert_eq!(kroner(0), "0,00 kr.");
        assert_eq!(kroner(5), "0,05 kr.");
        assert_eq!(kroner(100_000_000), "1.000.000,00 kr.");
        assert_eq!(kroner(-150), "-1,50 kr.");
    }

    #[test]
    fn whole_kroner_only() {
        for ok in ["8000", "8.000", "8 000", "8.000 kr.", "8000,00", " 8000kr "] {
            assert_eq!(parse_kroner(ok, "a").ok(), Some(800_000), "{ok}");
        }
        for bad in [
            "",
            "0",
            "-100",
            "−100",
            "8000,50",
            "8.5",
            "80.00",
            "abc",
            "1e5",
            "8,000.00",
            "99999999999",
            "<script>",
            "1 2 3 4",
        ] {
            let e = parse_kroner(bad, "a").expect_err(bad);
            assert_eq!(e.field(), Some("a"), "{bad}");
        }
        assert!(parse_kroner("8000,50", "a")
            .unwrap_err()
            .to_string()
            .contains("hele kroner"));
    }

    fn form() -> ApplicationForm {
        ApplicationForm {
            title: "Koncert i ungdomshuset".into(),
            activity: "Vi vil holde en koncert med tre lokale bands for unge.".into(),
            audience: "Unge 13–18 år i kommunen".into(),
            participants: "120".into(),
            date: "2027-03-12".into(),
            place: "Ungdomshuset".into(),
            members: "Ali, Sofie".into(),
            amount: "8.000".into(),
            already_paid: "nej".into(),
            lines: vec![
                ("Lydanlæg".into(), "4.000".into()),
                ("Honorar".into(), "3.000".into()),
                ("Plakater".into(), "1.000".into()),
                ("".into(), "".into()),
            ],
        }
    }

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 22).unwrap()
    }

    #[test]
    fn a_good_application_passes() {
        let a = validate_application(&form(), DEFAULT_MAX_GRANT_ORE, 16, 17, today()).unwrap();
        assert_eq!(a.amount, 800_000);
        assert_eq!(a.lines.len(), 3);
    }

    #[test]
    fn application_rules_name_the_field() {
        let check = |f: ApplicationForm, age: i32, field: &str| {
            let e = validate_application(&f, DEFAULT_MAX_GRANT_ORE, 16, age, today()).unwrap_err();
            assert_eq!(e.field(), Some(field), "{e}");
        };
        check(form(), 15, "applicant");
        check(
            ApplicationForm {
                amount: "9.000".into(),
                ..form()
            },
            17,
            "amount",
        );
        check(
            ApplicationForm {
                already_paid: "ja".into(),
                ..form()
            },
            17,
            "already_paid",
        );
        check(
            ApplicationForm {
                date: "2026-11-01".into(),
                ..form()
            },
            17,
            "date",
        );
        let mut f = form();
        f.lines[1].1 = "3000,50".into();
        check(f, 17, "line2_amount");
        let mut f = form();
        f.lines[2].1 = "-1000".into();
        check(f, 17, "line3_amount");
        let mut f = form();
        f.lines = vec![("Stort anlæg".into(), "30.000".into())];
        f.amount = "30.000".into();
        check(f, 17, "amount");
        let mut f = form();
        f.lines[3] = ("".into(), "500".into());
        check(f, 17, "line4_text");
    }

    #[test]
    fn decisions_need_explanations_unless_in_full() {
        assert!(validate_decision("bevilget", "", "", "", 800_000).is_ok());
        assert_eq!(
            validate_decision("afslaaet", "", "  ", "", 800_000)
                .unwrap_err()
                .field(),
            Some("explanation")
        );
        assert_eq!(
            validate_decision("delvist", "6.000", "", "", 800_000)
                .unwrap_err()
                .field(),
            Some("explanation")
        );
        let why = "Vi giver ikke penge til plakater i år.";
        assert_eq!(
            validate_decision("delvist", "8.000", why, "", 800_000)
                .unwrap_err()
                .field(),
            Some("amount")
        );
        let d = validate_decision("delvist", "6.000", why, "", 800_000).unwrap();
        assert_eq!(d.granted(800_000), 600_000);
        assert_eq!(d.status(), ApplicationStatus::PartlyGranted);
    }

    #[test]
    fn report_states() {
        let d = NaiveDate::from_ymd_opt(2026, 6, 1).unwrap();
        assert_eq!(ReportState::of(d, false, d), ReportState::NotDue);
        assert_eq!(
            ReportState::of(d, false, d + chrono::Duration::days(5)),
            ReportState::Due
        );
        assert_eq!(
            ReportState::of(d, false, d + chrono::Duration::days(31)),
            ReportState::Late
        );
        assert_eq!(
            ReportState::of(d, true, d + chrono::Duration::days(31)),
            ReportState::Filed
        );
    }

    #[test]
    fn ledger_refuses_overspending() {
        let l = Ledger::new(1_000_000);
        let l = l.grant(600_000).unwrap();
        assert_eq!(l.grant(400_001), Err(LedgerRefusal::Overspent));
        let l = l.grant(400_000).unwrap();
        assert_eq!(l.balance(), 0);
        let l = l.give_back(50_000).unwrap();
        assert_eq!(l.balance(), 50_000);
        assert_eq!(l.give_back(1_000_000), Err(LedgerRefusal::ReturnTooLarge));
        assert_eq!(l.correct(-50_001), Err(LedgerRefusal::Overspent));
    }
}

#[cfg(test)]
mod properties {
    use super::*;
    use proptest::prelude::*;

    #[derive(Debug, Clone)]
    enum Op {
        Grant(i64),
        Return(i64),
        Correct(i64),
    }

    fn op() -> impl Strategy<Value = Op> {
        prop_oneof![
            (1i64..5_000_000).prop_map(Op::Grant),
            (1i64..2_000_000).prop_map(Op::Return),
            (-2_000_000i64..2_000_000).prop_map(Op::Correct),
        ]
    }

    proptest! {
        /// Whatever happens, balance = amount − granted + returned (+ corrections), and
        /// it is never negative; a refused change changes nothing.
        #[test]
        fn balance_is_derived_and_never_negative(
            amount in 1i64..20_000_000,
            ops in proptest::collection::vec(op(), 0..200),
        ) {
            let mut l = Ledger::new(amount);
            let (mut granted, mut returned, mut corrected) = (0i64, 0i64, 0i64);
            for op in ops {
                let before = l;
                let next = match op {
                    Op::Grant(x) => l.grant(x).inspect(|_| granted += x),
                    Op::Return(x) => l.give_back(x).inspect(|_| returned += x),
                    Op::Correct(x) => l.correct(x).inspect(|_| corrected += x),
                };
                match next {
                    Ok(n) => l = n,
                    Err(_) => prop_assert_eq!(l, before),
                }
                prop_assert_eq!(l.balance(), amount - granted + returned + corrected);
                prop_assert!(l.balance() >= 0);
                prop_assert!(l.returned <= l.granted);
            }
        }

        /// Formatting and parsing whole kroner round-trip.
        #[test]
        fn kroner_round_trip(kr in 1i64..9_999_999) {
            let shown = kroner(kr * 100);
            prop_assert_eq!(parse_kroner(&shown, "a").ok(), Some(kr * 100));
        }

        /// The parser never panics, and whatever it accepts is positive whole kroner.
        #[test]
        fn parser_accepts_only_positive_whole_kroner(s in "\\PC{0,20}") {
            if let Ok(ore) = parse_kroner(&s, "a") {
                prop_assert!(ore > 0 && ore % 100 == 0 && ore <= MAX_ORE);
            }
        }
    }
}
