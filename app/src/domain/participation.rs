//! Who takes part: proposers and supporters of a year by age band and by school, with every
//! group under five people suppressed so that no young person can be singled out.
use serde::{Deserialize, Serialize};

/// Groups smaller than this are never shown.
pub const MIN_GROUP: i64 = 5;

/// Age in the year of taking part (the year minus the birth year).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub enum AgeBand {
    Under13,
    From13To15,
    From16To18,
    From19To21,
    From22To25,
    Over25,
    /// Deleted accounts keep no birth year.
    Unknown,
}

impl AgeBand {
    pub fn of(year: i32, birth_year: Option<i32>) -> Self {
        match birth_year.map(|b| year - b) {
            None => Self::Unknown,
            Some(..=12) => Self::Under13,
            Some(13..=15) => Self::From13To15,
            Some(16..=18) => Self::From16To18,
            Some(19..=21) => Self::From19To21,
            Some(22..=25) => Self::From22To25,
            Some(_) => Self::Over25,
        }
    }

    /// The band as a reader sees it ("13–15 år").
    pub fn label(self, en: bool) -> &'static str {
        match (self, en) {
            (Self::Under13, false) => "Under 13 år",
            (Self::Under13, true) => "Under 13",
            (Self::From13To15, false) => "13–15 år",
            (Self::From13To15, true) => "13–15",
            (Self::From16To18, false) => "16–18 år",
            (Self::From16To18, true) => "16–18",
            (Self::From19To21, false) => "19–21 år",
            (Self::From19To21, true) => "19–21",
            (Self::From22To25, false) => "22–25 år",
            (Self::From22To25, true) => "22–25",
            (Self::Over25, false) => "Over 25 år",
            (Self::Over25, true) => "Over 25",
            (Self::Unknown, false) => "Ukendt (slettet konto)",
            (Self::Unknown, true) => "Unknown (deleted account)",
        }
    }
}

/// One group of a breakdown: `count` is `None` when the group is too small to show.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Group<L> {
    pub label: L,
    pub count: Option<i64>,
}

/// People of one kind (proposers or supporters) in a year.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct Breakdown {
    /// How many people; `None` when it would reveal a suppressed group (exactly one group
    /// suppressed: the total minus the shown groups would be its size).
    pub total: Option<i64>,
    pub by_age: Vec<Group<AgeBand>>,
    /// By school; `None` is "no school given".
    pub by_school: Vec<Group<Option<String>>>,
}

/// People counted once per (birth year, school), as the database groups them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParticipantCount {
    pub birth_year: Option<i32>,
    pub school: Option<String>,
    pub people: i64,
}

/// Both breakdowns of a year.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct Participation {
    pub proposers: Breakdown,
    pub supporters: Breakdown,
}

/// Suppresses every group under [`MIN_GROUP`]; empty groups are left out. Returns the
/// groups and whether exactly one was suppressed.
pub fn suppress<L>(groups: Vec<(L, i64)>) -> (Vec<Group<L>>, bool) {
    let mut suppressed = 0;
    let shown = groups
        .into_iter()
        .filter(|(_, n)| *n > 0)
        .map(|(label, n)| {
            let count = (n >= MIN_GROUP).then_some(n);
            if count.is_none() {
                suppressed += 1;
            }
            Group { label, count }
        })
        .collect();
    (shown, suppressed == 1)
}

impl Breakdown {
    pub fn compute(year: i32, rows: &[ParticipantCount]) -> Self {
        let mut ages: std::collections::BTreeMap<AgeBand, i64> = Default::default();
        let mut schools: std::collections::BTreeMap<Option<String>, i64> = Default::default();
        let mut total = 0;
        for r in rows {
            *ages.entry(AgeBand::of(year, r.birth_year)).or_default() += r.people;
            *schools.entry(r.school.clone()).or_default() += r.people;
            total += r.people;
        }
        // Schools by name; "no school" last.
        let mut schools: Vec<(Option<String>, i64)> = schools.into_iter().collect();
        schools.sort_by(|a, b| match (&a.0, &b.0) {
            (None, None) => std::cmp::Ordering::Equal,
            (None, Some(_)) => std::cmp::Ordering::Greater,
            (Some(_), None) => std::cmp::Ordering::Less,
            (Some(x), Some(y)) => x.cmp(y),
        });
        let (by_age, one_age) = suppress(ages.into_iter().collect());
        let (by_school, one_school) = suppress(schools);
        let total = (total > 0 && !one_age && !one_school).then_some(total);
        Self {
            total: if rows.is_empty() { Some(0) } else { total },
            by_age,
            by_school,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn people(birth_year: i32, school: &str, n: i64) -> ParticipantCount {
        ParticipantCount {
            birth_year: Some(birth_year),
            school: Some(school.into()),
            people: n,
        }
    }

    #[test]
    fn bands_follow_the_age_that_year() {
        assert_eq!(AgeBand::of(2025, Some(2013)), AgeBand::Under13);
        assert_eq!(AgeBand::of(2025, Some(2012)), AgeBand::From13To15);
        assert_eq!(AgeBand::of(2025, Some(2010)), AgeBand::From13To15);
        assert_eq!(AgeBand::of(2025, Some(2009)), AgeBand::From16To18);
        assert_eq!(AgeBand::of(2025, Some(2004)), AgeBand::From19To21);
        assert_eq!(AgeBand::of(2025, Some(2000)), AgeBand::From22To25);
        assert_eq!(AgeBand::of(2025, Some(1999)), AgeBand::Over25);
        assert_eq!(AgeBand::of(2025, None), AgeBand::Unknown);
    }

    #[test]
    fn four_is_suppressed_five_is_shown() {
        // 4 aged 14 at A, 5 aged 17 at B, 6 aged 20 at B.
        let rows = [
            people(2011, "A-skolen", 4),
            people(2008, "B-skolen", 5),
            people(2005, "B-skolen", 6),
        ];
        let b = Breakdown::compute(2025, &rows);
        assert_eq!(
            b.by_age,
            vec![
                Group {
                    label: AgeBand::From13To15,
                    count: None
                },
                Group {
                    label: AgeBand::From16To18,
                    count: Some(5)
                },
                Group {
                    label: AgeBand::From19To21,
                    count: Some(6)
                },
            ]
        );
        assert_eq!(
            b.by_school,
            vec![
                Group {
                    label: Some("A-skolen".into()),
                    count: None
                },
                Group {
                    label: Some("B-skolen".into()),
                    count: Some(11)
                },
            ]
        );
        // Exactly one group hidden: the total would give it away.
        assert_eq!(b.total, None);
    }

    #[test]
    fn two_small_groups_keep_the_total() {
        let rows = [
            people(2011, "A-skolen", 3),
            people(2008, "B-skolen", 2),
            people(2005, "C-skolen", 5),
            people(2003, "C-skolen", 5),
        ];
        let b = Breakdown::compute(2025, &rows);
        assert_eq!(b.total, Some(15));
        assert_eq!(b.by_age.iter().filter(|g| g.count.is_none()).count(), 2);
        assert_eq!(b.by_school.iter().filter(|g| g.count.is_none()).count(), 2);
    }

    #[test]
    fn nobody_is_zero_not_hidden() {
        let b = Breakdown::compute(2025, &[]);
        assert_eq!(b.total, Some(0));
        assert!(b.by_age.is_empty() && b.by_school.is_empty());
    }
}
