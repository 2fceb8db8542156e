//! The public list: sorting, keyset pages and search words.
use super::answering::AnswerKind;
use super::content::Theme;
use super::lifecycle::Stage;
use super::view::Author;
use crate::domain::ids::{CouncilId, ProposalId};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// Proposals per list page.
pub const PER_PAGE: i64 = 20;
/// Search words used at most (the rest are ignored).
pub const MAX_SEARCH_TERMS: usize = 8;

/// How a list is sorted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
pub enum Sort {
    #[default]
    Newest,
    MostSupported,
}

impl Sort {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Newest => "nyeste",
            Self::MostSupported => "mest-stoettede",
        }
    }

    pub fn parse(s: &str) -> Self {
        if s == "mest-stoettede" {
            Self::MostSupported
        } else {
            Self::Newest
        }
    }
}

/// Where the next page starts: the sort key and id of the last row shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Cursor {
    pub key: i64,
    pub id: ProposalId,
}

impl Cursor {
    /// `"<key>_<id>"`, for links.
    pub fn encode(self) -> String {
        format!("{}_{}", self.key, self.id.0)
    }

    pub fn decode(s: &str) -> Option<Self> {
        let (key, id) = s.trim().split_once('_')?;
        Some(Self {
            key: key.parse().ok()?,
            id: ProposalId(id.parse().ok().filter(|i: &i64| *i > 0)?),
        })
    }
}

/// The words of a search, lower-cased, letters and digits only (so nothing in them
/// can be read as search syntax by FTS5 or tsquery).
pub fn search_terms(q: &str) -> Vec<String> {
    q.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(|w| w.chars().take(40).collect::<String>().to_lowercase())
        .take(MAX_SEARCH_TERMS)
        .collect()
}

/// A filter for the public list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct ListFilter {
    pub sort: Sort,
    pub stage: Option<Stage>,
    pub theme: Option<Theme>,
    pub council: Option<CouncilId>,
    pub terms: Vec<String>,
}

/// A proposal in a list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProposalSummary {
    pub id: ProposalId,
    pub title: String,
    pub theme: Theme,
    pub stage: Stage,
    pub answer: Option<AnswerKind>,
    pub deadline: Option<DateTime<Utc>>,
    pub author: Author,
    pub council: String,
    pub supporters: i64,
    pub comments: i64,
    pub submitted_at: Option<DateTime<Utc>>,
}

/// One page of a list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProposalPage {
    pub items: Vec<ProposalSummary>,
    pub next: Option<Cursor>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cursor_round_trip() {
        let c = Cursor {
            key: 1_700_000_000_000_000,
            id: ProposalId(42),
        };
        assert_eq!(Cursor::decode(&c.encode()), Some(c));
        assert_eq!(Cursor::decode("x_1"), None);
        assert_eq!(Cursor::decode("1_-3"), None);
        assert_eq!(Cursor::decode("' OR 1=1 --"), None);
    }

    #[test]
    fn search_terms_are_plain_words() {
        assert_eq!(
            search_terms("Cykel-stier \"OR\" *skole* NEAR(x)"),
            vec!["cykel", "stier", "or", "skole", "near", "x"]
        );
        assert_eq!(search_terms("a b c d e f g h i j").len(), MAX_SEARCH_TERMS);
        assert!(search_terms("  '';--  ").is_empty());
    }
}
