//! Class sessions (issue #23, DOMAIN.md "Live sessions"): a teacher and a class collect short
//! ideas, approve them before they show, dot-vote, and send the top ideas to the school's
//! elevråd as proposals in the class's name. The rules of ideas and dots themselves are in
//! `domain::live`; here is what turns an idea into a proposal.
use crate::domain::proposal::{MAX_TITLE_CHARS, MIN_TITLE_CHARS};

/// The teacher's decision on a pending idea.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Review {
    Approve,
    Reject,
}

impl Review {
    pub fn parse(s: &str) -> Option<Self> {
        match s.trim() {
            "approve" => Some(Self::Approve),
            "reject" => Some(Self::Reject),
            _ => None,
        }
    }

    /// The idea's status afterwards.
    pub fn status(self) -> &'static str {
        match self {
            Self::Approve => "approved",
            Self::Reject => "rejected",
        }
    }
}

/// "true"/"1"/"on" or "false"/"0"/"off", as a form sends a switch.
pub fn parse_switch(s: &str) -> Option<bool> {
    match s.trim() {
        "true" | "1" | "on" | "open" => Some(true),
        "false" | "0" | "off" | "close" => Some(false),
        _ => None,
    }
}

/// The proposal's title: the idea, cut at a word boundary to the title limit (with "…");
/// an idea shorter than a title may be gets "Idé: " before it.
pub fn proposal_title(idea: &str) -> String {
    let idea = idea.split_whitespace().collect::<Vec<_>>().join(" ");
    let n = idea.chars().count();
    if n < MIN_TITLE_CHARS {
        return format!("Idé: {idea}");
    }
    if n <= MAX_TITLE_CHARS {
        return idea;
    }
    // Room for the ellipsis.
    let limit = MAX_TITLE_CHARS - 1;
    let mut out = String::new();
    for word in idea.split(' ') {
        let next = if out.is_empty() {
            word.chars().count()
        } else {
            out.chars().count() + 1 + word.chars().count()
        };
        if next > limit {
            break;
        }
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    if out.chars().count() < MIN_TITLE_CHARS {
        // One very long word: cut inside it.
        out = idea.chars().take(limit).collect();
    }
    let trimmed = out
        .trim_end_matches([',', '.', ';', ':', '-', '–'])
        .to_owned();
    format!("{trimmed}…")
}

/// The proposal's body: the idea, and where it came from — "Sendt af 6.B på Skovskolen fra
/// en klassesession: 5 prikker af 24 elever." (always long enough for a proposal's body).
pub fn proposal_body(idea: &str, class_name: &str, school: &str, dots: i64, pupils: i64) -> String {
    let prikker = if dots == 1 { "prik" } else { "prikker" };
    let elever = if pupils == 1 { "elev" } else { "elever" };
    format!(
        "{idea}\n\nSendt af {class_name} på {school} fra en klassesession: {dots} {prikker} af {pupils} {elever}."
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::proposal::{validate_content, Intent, MIN_BODY_CHARS};

    #[test]
    fn a_short_idea_makes_a_valid_proposal() {
        let title = proposal_title("Wifi");
        assert_eq!(title, "Idé: Wifi");
        let body = proposal_body("Wifi", "6.B", "Skovskolen", 1, 1);
        assert!(body.chars().count() >= MIN_BODY_CHARS);
        assert!(body.ends_with("1 prik af 1 elev."));
        validate_content(&title, &body, "andet", "7", Intent::Submit).expect("valid");
    }

    #[test]
    fn a_long_idea_is_cut_at_a_word_boundary() {
        let idea = "Vi vil gerne have flere bænke i skolegården, så der er plads til alle i frikvarteret, og vi vil også gerne have et tag over nogle af dem, når det regner";
        let title = proposal_title(idea);
        assert!(title.chars().count() <= MAX_TITLE_CHARS, "{title}");
        assert!(title.ends_with('…'));
        let kept = title.trim_end_matches('…');
        assert!(idea.starts_with(kept));
        // Cut between words, not inside one.
        assert_eq!(idea[kept.len()..].chars().next(), Some(' '));
        let body = proposal_body(idea, "6.B", "Skovskolen", 5, 24);
        assert!(body.starts_with(idea));
        assert!(body
            .ends_with("Sendt af 6.B på Skovskolen fra en klassesession: 5 prikker af 24 elever."));
        validate_content(&title, &body, "andet", "7", Intent::Submit).expect("valid");
    }

    #[test]
    fn a_title_sized_idea_is_the_title() {
        assert_eq!(
            proposal_title("Flere  bænke i\tgården"),
            "Flere bænke i gården"
        );
        let one_word = "a".repeat(300);
        let t = proposal_title(&one_word);
        assert_eq!(t.chars().count(), MAX_TITLE_CHARS);
    }

    #[test]
    fn decisions_and_switches_parse() {
        assert_eq!(Review::parse("approve"), Some(Review::Approve));
        assert_eq!(
            Review::parse("reject").map(Review::status),
            Some("rejected")
        );
        assert_eq!(Review::parse("delete"), None);
        assert_eq!(parse_switch("true"), Some(true));
        assert_eq!(parse_switch("0"), Some(false));
        assert_eq!(parse_switch("maybe"), None);
    }
}
