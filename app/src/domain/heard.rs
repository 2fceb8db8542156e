//! "Bliver vi hørt?": the public yearly overview of what happened to young people's
//! proposals, computed from the proposals and their timelines — never typed in by hand.
use crate::domain::answer::{percent, FollowUpState};
use crate::domain::ids::{ApplicationId, HearingId, ProposalId};
use crate::domain::participation::Participation;
use crate::domain::proposal::AnswerKind;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// The calendar year in Denmark at `t`.
pub fn local_year(t: DateTime<Utc>) -> i32 {
    use chrono::Datelike;
    crate::domain::localtime::copenhagen_time(t).year()
}

/// The Danish calendar year as a UTC interval [start, end): from midnight on New Year's
/// Day in Copenhagen.
pub fn year_bounds(year: i32) -> Option<(DateTime<Utc>, DateTime<Utc>)> {
    let start = |y: i32| {
        chrono::NaiveDate::from_ymd_opt(y, 1, 1)
            .and_then(|d| d.and_hms_opt(0, 0, 0))
            .and_then(crate::domain::council::from_copenhagen)
    };
    Some((start(year)?, start(year + 1)?))
}

/// What a youth council did with a proposal instead of sending it on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CouncilOutcome {
    /// Declined, with an explanation (the database refuses one without).
    Rejected,
    /// Handled by the council itself.
    Resolved,
}

/// One submitted proposal, as the overview needs it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct HeardRow {
    pub submitted_at: DateTime<Utc>,
    pub forwarded_at: Option<DateTime<Utc>>,
    pub deadline: Option<DateTime<Utc>>,
    pub answered_at: Option<DateTime<Utc>>,
    pub answer: Option<AnswerKind>,
    pub council: Option<CouncilOutcome>,
    /// The newest follow-up note's state.
    pub follow_up: Option<FollowUpState>,
}

/// The figures of one year (proposals submitted that year, followed to today).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct HeardStats {
    pub year: i32,
    pub received: i64,
    pub forwarded: i64,
    pub answered: i64,
    /// Answered on or before the deadline.
    pub answered_in_time: i64,
    /// Median days from forwarded to answered, in tenths of a day.
    pub median_tenth_days: Option<i64>,
    pub ja: i64,
    pub delvist: i64,
    pub nej: i64,
    /// Forwarded, not answered, deadline passed.
    pub overdue_now: i64,
    /// "Forstod du svaret?" replies on these proposals.
    pub understood: i64,
    pub not_understood: i64,
    /// Influence: answered Ja or Delvist and followed up as done ("Gennemført").
    pub changed: i64,
    /// Answered Ja or Delvist, follow-up planned or in progress.
    pub underway: i64,
    /// Answered Ja or Delvist, then given up (with an explanation).
    pub given_up: i64,
    /// Declined by the youth council, each with its explanation.
    pub rejected_by_council: i64,
    /// Handled by the youth council itself.
    pub resolved_by_council: i64,
}

/// Did an answered proposal lead to a change? Only a Ja or Delvist can, and only the
/// follow-up notes say whether it did.
pub fn change_state(
    answer: Option<AnswerKind>,
    follow_up: Option<FollowUpState>,
) -> Option<FollowUpState> {
    match answer {
        Some(AnswerKind::Ja | AnswerKind::Delvist) => follow_up,
        _ => None,
    }
}

impl HeardStats {
    pub fn compute(
        year: i32,
        rows: &[HeardRow],
        understood: i64,
        not_understood: i64,
        now: DateTime<Utc>,
    ) -> Self {
        let mut s = Self {
            year,
            received: rows.len() as i64,
            understood,
            not_understood,
            ..Self::default()
        };
        let mut days: Vec<i64> = Vec::new();
        for r in rows {
            match r.council {
                Some(CouncilOutcome::Rejected) => s.rejected_by_council += 1,
                Some(CouncilOutcome::Resolved) => s.resolved_by_council += 1,
                None => {}
            }
            match change_state(r.answer, r.follow_up) {
                Some(FollowUpState::Gennemfoert) => s.changed += 1,
                Some(FollowUpState::Planlagt | FollowUpState::IGang) => s.underway += 1,
                Some(FollowUpState::Opgivet) => s.given_up += 1,
                None => {}
            }
            let Some(forwarded) = r.forwarded_at else {
                continue;
            };
            s.forwarded += 1;
            match (r.answered_at, r.answer) {
                (Some(answered), Some(kind)) => {
                    s.answered += 1;
                    if r.deadline.is_some_and(|d| answered <= d) {
                        s.answered_in_time += 1;
                    }
                    // Tenths of a day, rounded down to the second.
                    days.push((answered - forwarded).num_seconds().max(0) * 10 / 86_400);
                    match kind {
                        AnswerKind::Ja => s.ja += 1,
                        AnswerKind::Delvist => s.delvist += 1,
                        AnswerKind::Nej => s.nej += 1,
                    }
                }
                _ => {
                    if r.deadline.is_some_and(|d| d < now) {
                        s.overdue_now += 1;
                    }
                }
            }
        }
        days.sort_unstable();
        s.median_tenth_days = match days.len() {
            0 => None,
            n if n % 2 == 1 => Some(days[n / 2]),
            n => Some((days[n / 2 - 1] + days[n / 2]) / 2),
        };
        s
    }

    pub fn in_time_percent(&self) -> Option<i64> {
        percent(self.answered_in_time, self.answered)
    }

    pub fn share(&self, kind: AnswerKind) -> Option<i64> {
        let n = match kind {
            AnswerKind::Ja => self.ja,
            AnswerKind::Delvist => self.delvist,
            AnswerKind::Nej => self.nej,
        };
        percent(n, self.answered)
    }

    pub fn understood_percent(&self) -> Option<i64> {
        percent(self.understood, self.understood + self.not_understood)
    }

    /// Share of answered proposals that led to a change so far.
    pub fn changed_percent(&self) -> Option<i64> {
        percent(self.changed, self.answered)
    }
}

/// One hearing sent in the year, as the overview needs it: its feedback dates and what its
/// councils did (counts over the councils it was sent to).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct HearingHeardRow {
    pub respond_by: Option<DateTime<Utc>>,
    pub feedback_by: Option<DateTime<Utc>>,
    pub feedback_at: Option<DateTime<Utc>>,
    /// Councils asked.
    pub asked: i64,
    /// Councils that adopted a response by vote.
    pub responded: i64,
    /// Councils that declined with an explanation.
    pub declined: i64,
    /// Responses the feedback says were used fully, partly, not at all.
    pub used: i64,
    pub partly: i64,
    pub not_used: i64,
}

/// The hearing figures of one year (hearings sent that year, followed to today): did the
/// adults ask, did the councils answer, did the adults say what they did with the answers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct HearingStats {
    /// Hearings sent.
    pub sent: i64,
    /// Councils asked, over all hearings.
    pub asked: i64,
    pub responded: i64,
    pub declined: i64,
    /// Asked councils that neither responded nor declined by the response deadline.
    pub no_response: i64,
    /// Hearings whose feedback is published.
    pub feedback_given: i64,
    /// Published on or before the feedback deadline.
    pub feedback_in_time: i64,
    /// No feedback, feedback deadline passed.
    pub feedback_overdue_now: i64,
    /// Responses used fully, partly, not at all (by the published feedback).
    pub used: i64,
    pub partly: i64,
    pub not_used: i64,
}

impl HearingStats {
    pub fn compute(rows: &[HearingHeardRow], now: DateTime<Utc>) -> Self {
        let mut s = Self {
            sent: rows.len() as i64,
            ..Self::default()
        };
        for r in rows {
            s.asked += r.asked;
            s.responded += r.responded;
            s.declined += r.declined;
            if r.respond_by.is_some_and(|d| d < now) {
                s.no_response += (r.asked - r.responded - r.declined).max(0);
            }
            s.used += r.used;
            s.partly += r.partly;
            s.not_used += r.not_used;
            match r.feedback_at {
                Some(at) => {
                    s.feedback_given += 1;
                    if r.feedback_by.is_some_and(|d| at <= d) {
                        s.feedback_in_time += 1;
                    }
                }
                None => {
                    if r.feedback_by.is_some_and(|d| d < now) {
                        s.feedback_overdue_now += 1;
                    }
                }
            }
        }
        s
    }

    /// Share of published feedback that came in time.
    pub fn feedback_in_time_percent(&self) -> Option<i64> {
        percent(self.feedback_in_time, self.feedback_given)
    }

    /// Share of asked councils that responded (adopted a response).
    pub fn responded_percent(&self) -> Option<i64> {
        percent(self.responded, self.asked)
    }

    /// Share of judged responses used fully or partly.
    pub fn used_percent(&self) -> Option<i64> {
        percent(
            self.used + self.partly,
            self.used + self.partly + self.not_used,
        )
    }
}

/// A hearing whose feedback is late, listed publicly like an unanswered proposal.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OverdueHearing {
    pub id: HearingId,
    pub title: String,
    pub committee: String,
    pub feedback_by: DateTime<Utc>,
}

/// A proposal waiting past its deadline, listed publicly.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OverdueItem {
    pub id: ProposalId,
    pub title: String,
    pub committee: String,
    pub deadline: DateTime<Utc>,
}

/// One grant the pool made, as the overview lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FundedActivity {
    pub id: ApplicationId,
    pub title: String,
    pub granted_ore: i64,
    /// How many took part, from the applicant's report (or the application before one).
    pub participants: i64,
}

/// The pool of one year: what it had, what it spent and on what.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PoolFigures {
    pub year: i32,
    pub amount_ore: i64,
    /// Granted minus returned.
    pub spent_ore: i64,
    pub grants: i64,
    pub funded: Vec<FundedActivity>,
}

/// The pool of one year in the trend: its amount and what was spent.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PoolYearSpent {
    pub year: i32,
    pub amount_ore: i64,
    pub spent_ore: i64,
}

/// One year of the multi-year trend.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TrendYear {
    pub year: i32,
    pub received: i64,
    pub answered: i64,
    pub answered_in_time: i64,
    /// Ja/Delvist followed up as done.
    pub changed: i64,
    pub rejected_by_council: i64,
    /// Spent from the pool that year; `None` when the pool was not open.
    pub pool_spent_ore: Option<i64>,
}

/// The overview page: one year's figures, the years there are, and what is overdue now.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HeardOverview {
    pub stats: HeardStats,
    /// Hearings sent in the same year.
    pub hearings: HearingStats,
    pub years: Vec<i32>,
    pub overdue: Vec<OverdueItem>,
    /// Hearings waiting for feedback past its deadline.
    pub overdue_hearings: Vec<OverdueHearing>,
    /// The pool year of the same number, if the pool was open that year.
    pub pool: Option<PoolFigures>,
    /// Every year side by side, oldest first.
    pub trend: Vec<TrendYear>,
    /// Who took part that year, by age band and school, small groups suppressed.
    pub participation: Participation,
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn day(d: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2024, 3, d, 12, 0, 0).unwrap()
    }

    #[test]
    fn computes_known_figures() {
        let row =
            |f: Option<u32>, dl: Option<u32>, a: Option<u32>, k: Option<AnswerKind>| HeardRow {
                submitted_at: day(1),
                forwarded_at: f.map(day),
                deadline: dl.map(day),
                answered_at: a.map(day),
                answer: k,
                council: None,
                follow_up: None,
            };
        let rows = [
            row(None, None, None, None),                             // received only
            row(Some(1), Some(10), Some(5), Some(AnswerKind::Ja)),   // 4 days, in time
            row(Some(1), Some(10), Some(12), Some(AnswerKind::Nej)), // 11 days, late
            row(Some(2), Some(9), Some(4), Some(AnswerKind::Delvist)), // 2 days
            row(Some(2), Some(9), Some(8), Some(AnswerKind::Ja)),    // 6 days
            row(Some(3), Some(8), None, None),                       // overdue
            row(Some(3), Some(30), None, None),                      // waiting, not overdue
        ];
        let s = HeardStats::compute(2024, &rows, 3, 1, day(20));
        assert_eq!(s.received, 7);
        assert_eq!(s.forwarded, 6);
        assert_eq!(s.answered, 4);
        assert_eq!(s.answered_in_time, 3);
        assert_eq!(s.in_time_percent(), Some(75));
        // 2, 4, 6, 11 days → median 5.0
        assert_eq!(s.median_tenth_days, Some(50));
        assert_eq!((s.ja, s.delvist, s.nej), (2, 1, 1));
        assert_eq!(s.share(AnswerKind::Ja), Some(50));
        assert_eq!(s.overdue_now, 1);
        assert_eq!(s.understood_percent(), Some(75));
    }

    #[test]
    fn influence_counts_only_what_followed_a_yes() {
        let row =
            |k: Option<AnswerKind>, c: Option<CouncilOutcome>, f: Option<FollowUpState>| HeardRow {
                submitted_at: day(1),
                forwarded_at: k.map(|_| day(2)),
                deadline: k.map(|_| day(20)),
                answered_at: k.map(|_| day(3)),
                answer: k,
                council: c,
                follow_up: f,
            };
        let rows = [
            row(Some(AnswerKind::Ja), None, Some(FollowUpState::Gennemfoert)),
            row(
                Some(AnswerKind::Delvist),
                None,
                Some(FollowUpState::Gennemfoert),
            ),
            row(Some(AnswerKind::Ja), None, Some(FollowUpState::IGang)),
            row(
                Some(AnswerKind::Delvist),
                None,
                Some(FollowUpState::Opgivet),
            ),
            row(Some(AnswerKind::Ja), None, None),
            // A Nej never counts as a change, whatever a note says.
            row(
                Some(AnswerKind::Nej),
                None,
                Some(FollowUpState::Gennemfoert),
            ),
            row(None, Some(CouncilOutcome::Rejected), None),
            row(None, Some(CouncilOutcome::Rejected), None),
            row(None, Some(CouncilOutcome::Resolved), None),
        ];
        let s = HeardStats::compute(2024, &rows, 0, 0, day(10));
        assert_eq!((s.changed, s.underway, s.given_up), (2, 1, 1));
        assert_eq!((s.rejected_by_council, s.resolved_by_council), (2, 1));
        assert_eq!(s.answered, 6);
        assert_eq!(s.changed_percent(), Some(33));
    }

    #[test]
    fn danish_new_year_is_an_hour_before_utc() {
        let (start, end) = year_bounds(2025).unwrap();
        assert_eq!(start, Utc.with_ymd_and_hms(2024, 12, 31, 23, 0, 0).unwrap());
        assert_eq!(end, Utc.with_ymd_and_hms(2025, 12, 31, 23, 0, 0).unwrap());
        assert_eq!(
            local_year(Utc.with_ymd_and_hms(2024, 12, 31, 23, 30, 0).unwrap()),
            2025
        );
        assert_eq!(
            local_year(Utc.with_ymd_and_hms(2024, 12, 31, 22, 30, 0).unwrap()),
            2024
        );
    }

    #[test]
    fn hearing_figures_from_known_rows() {
        let row =
            |asked, responded, declined, fb_by: u32, fb_at: Option<u32>, used: (i64, i64, i64)| {
                HearingHeardRow {
                    respond_by: Some(day(5)),
                    feedback_by: Some(day(fb_by)),
                    feedback_at: fb_at.map(day),
                    asked,
                    responded,
                    declined,
                    used: used.0,
                    partly: used.1,
                    not_used: used.2,
                }
            };
        let rows = [
            row(2, 1, 1, 15, Some(12), (1, 0, 0)), // feedback in time, response used
            row(2, 2, 0, 10, Some(14), (0, 1, 1)), // feedback late
            row(3, 1, 0, 12, None, (0, 0, 0)),     // overdue now (day 20), 2 never answered
            row(1, 0, 0, 25, None, (0, 0, 0)),     // waiting, not overdue, 1 never answered
        ];
        let s = HearingStats::compute(&rows, day(20));
        assert_eq!(s.sent, 4);
        assert_eq!(
            (s.asked, s.responded, s.declined, s.no_response),
            (8, 4, 1, 3)
        );
        assert_eq!((s.feedback_given, s.feedback_in_time), (2, 1));
        assert_eq!(s.feedback_overdue_now, 1);
        assert_eq!((s.used, s.partly, s.not_used), (1, 1, 1));
        assert_eq!(s.feedback_in_time_percent(), Some(50));
        assert_eq!(s.responded_percent(), Some(50));
        assert_eq!(s.used_percent(), Some(67));
        // Before the response deadline nobody is counted as not answering.
        assert_eq!(HearingStats::compute(&rows, day(4)).no_response, 0);
    }

    #[test]
    fn empty_year_has_no_percentages() {
        let s = HeardStats::compute(2020, &[], 0, 0, day(1));
        assert_eq!(s.received, 0);
        assert_eq!(s.in_time_percent(), None);
        assert_eq!(s.median_tenth_days, None);
        assert_eq!(s.understood_percent(), None);
    }
}
