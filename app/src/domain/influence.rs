//! Influence, not only activity: what changed because young people spoke, year by year.
//! Every figure is computed from the proposals, the pool and their timelines.
use crate::domain::heard::{local_year, HeardRow, HeardStats, PoolYearSpent, TrendYear};
use chrono::{DateTime, Utc};

/// The trend from `first` to `last` (inclusive, oldest first): each year's proposals are
/// the ones submitted that Danish calendar year, followed to `now`.
pub fn trend(
    first: i32,
    last: i32,
    rows: &[HeardRow],
    pools: &[PoolYearSpent],
    now: DateTime<Utc>,
) -> Vec<TrendYear> {
    (first..=last)
        .map(|year| {
            let of_year: Vec<HeardRow> = rows
                .iter()
                .filter(|r| local_year(r.submitted_at) == year)
                .copied()
                .collect();
            let s = HeardStats::compute(year, &of_year, 0, 0, now);
            TrendYear {
                year,
                received: s.received,
                answered: s.answered,
                answered_in_time: s.answered_in_time,
                changed: s.changed,
                rejected_by_council: s.rejected_by_council,
                pool_spent_ore: pools.iter().find(|p| p.year == year).map(|p| p.spent_ore),
            }
        })
        .collect()
}

/// A "nice" top for a chart axis: the smallest of 1, 2, 5 × 10ⁿ at or above `max`
/// (at least 5, so an empty chart still has a scale).
pub fn axis_top(max: i64) -> i64 {
    let max = max.max(5);
    let mut step = 1;
    loop {
        for m in [1, 2, 5] {
            if m * step >= max {
                return m * step;
            }
        }
        step *= 10;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::answer::FollowUpState;
    use crate::domain::heard::CouncilOutcome;
    use crate::domain::proposal::AnswerKind;
    use chrono::TimeZone;

    fn at(y: i32, m: u32, d: u32, h: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(y, m, d, h, 0, 0).unwrap()
    }

    fn row(
        submitted: DateTime<Utc>,
        answer: Option<AnswerKind>,
        f: Option<FollowUpState>,
    ) -> HeardRow {
        HeardRow {
            submitted_at: submitted,
            forwarded_at: answer.map(|_| submitted),
            deadline: answer.map(|_| submitted + chrono::Duration::days(56)),
            answered_at: answer.map(|_| submitted + chrono::Duration::days(10)),
            answer,
            council: None,
            follow_up: f,
        }
    }

    #[test]
    fn trend_groups_by_danish_year_and_keeps_empty_years() {
        let rows = [
            row(
                at(2023, 5, 1, 12),
                Some(AnswerKind::Ja),
                Some(FollowUpState::Gennemfoert),
            ),
            // 23:30 UTC on 31 December is already New Year in Copenhagen.
            row(
                at(2023, 12, 31, 23),
                Some(AnswerKind::Delvist),
                Some(FollowUpState::Gennemfoert),
            ),
            HeardRow {
                council: Some(CouncilOutcome::Rejected),
                ..row(at(2025, 3, 3, 12), None, None)
            },
        ];
        let pools = [PoolYearSpent {
            year: 2024,
            amount_ore: 10_000_000,
            spent_ore: 2_500_000,
        }];
        let t = trend(2023, 2025, &rows, &pools, at(2026, 1, 1, 0));
        assert_eq!(
            t.iter().map(|y| y.year).collect::<Vec<_>>(),
            [2023, 2024, 2025]
        );
        assert_eq!(
            (t[0].received, t[0].changed, t[0].pool_spent_ore),
            (1, 1, None)
        );
        assert_eq!(
            (
                t[1].received,
                t[1].changed,
                t[1].answered_in_time,
                t[1].pool_spent_ore
            ),
            (1, 1, 1, Some(2_500_000))
        );
        assert_eq!(
            (t[2].received, t[2].rejected_by_council, t[2].changed),
            (1, 1, 0)
        );
    }

    #[test]
    fn axis_tops_are_round() {
        assert_eq!(axis_top(0), 5);
        assert_eq!(axis_top(6), 10);
        assert_eq!(axis_top(11), 20);
        assert_eq!(axis_top(20), 20);
        assert_eq!(axis_top(21), 50);
        assert_eq!(axis_top(340), 500);
    }
}
