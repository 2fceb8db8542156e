//! What a proposal says: themes, the form's length rules, and comments.
use crate::domain::account::{clean_text, is_invisible_format};
use crate::domain::error::AppError;
use crate::domain::ids::CouncilId;
use crate::domain::message::Msg;
use crate::i18n::td_string;
use serde::{Deserialize, Serialize};

pub const MIN_TITLE_CHARS: usize = 5;
pub const MAX_TITLE_CHARS: usize = 120;
pub const MIN_BODY_CHARS: usize = 20;
pub const MAX_BODY_CHARS: usize = 5000;
pub const MIN_COMMENT_CHARS: usize = 2;
pub const MAX_COMMENT_CHARS: usize = 2000;

/// The themes of DOMAIN.md.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Theme {
    FritidKultur,
    SkoleLaering,
    TrivselSundhed,
    Faellesskab,
    ByNatur,
    Andet,
}

impl Theme {
    pub const ALL: [Theme; 6] = [
        Self::FritidKultur,
        Self::SkoleLaering,
        Self::TrivselSundhed,
        Self::Faellesskab,
        Self::ByNatur,
        Self::Andet,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::FritidKultur => "fritid_kultur",
            Self::SkoleLaering => "skole_laering",
            Self::TrivselSundhed => "trivsel_sundhed",
            Self::Faellesskab => "faellesskab",
            Self::ByNatur => "by_natur",
            Self::Andet => "andet",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|t| t.as_str() == s.trim())
    }

    pub fn label(self, en: bool) -> &'static str {
        let l = crate::domain::lang::locale(en);
        match self {
            Self::FritidKultur => td_string!(l, labels.theme.fritid_kultur),
            Self::SkoleLaering => td_string!(l, labels.theme.skole_laering),
            Self::TrivselSundhed => td_string!(l, labels.theme.trivsel_sundhed),
            Self::Faellesskab => td_string!(l, labels.theme.faellesskab),
            Self::ByNatur => td_string!(l, labels.theme.by_natur),
            Self::Andet => td_string!(l, labels.theme.andet),
        }
    }
}

/// Removes invisible formatting and control characters but keeps line breaks
/// (normalised to `\n`, at most two in a row), and trims.
pub fn clean_multiline(raw: &str) -> String {
    let normalised = raw.replace("\r\n", "\n").replace('\r', "\n");
    let mut out = String::with_capacity(normalised.len());
    let mut newlines = 0;
    for c in normalised.chars() {
        if c == '\n' {
            newlines += 1;
            if newlines <= 2 {
                out.push('\n');
            }
            continue;
        }
        if c.is_control() && c != '\t' || is_invisible_format(c) {
            continue;
        }
        newlines = 0;
        out.push(if c == '\t' { ' ' } else { c });
    }
    out.trim().to_owned()
}

/// The field whose length [`length_error`] checks, for its message.
#[derive(Clone, Copy)]
enum Measured {
    Title,
    Body,
    Comment,
}

fn length_error(field: &str, n: usize, min: usize, max: usize, what: Measured) -> Option<AppError> {
    let msg = if n < min {
        match what {
            Measured::Title => Msg::TitleTooShort { min, n },
            Measured::Body => Msg::BodyTooShort { min, n },
            Measured::Comment => Msg::CommentTooShort { min, n },
        }
    } else if n > max {
        match what {
            Measured::Title => Msg::TitleTooLong { max, n },
            Measured::Body => Msg::BodyTooLong { max, n },
            Measured::Comment => Msg::CommentTooLong { max, n },
        }
    } else {
        return None;
    };
    Some(AppError::invalid(field, msg))
}

/// Submit now, or keep as a draft.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Intent {
    Draft,
    Submit,
}

impl Intent {
    pub fn parse(s: &str) -> Self {
        if s.trim() == "submit" {
            Self::Submit
        } else {
            Self::Draft
        }
    }
}

/// A proposal's content, validated.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProposalContent {
    pub title: String,
    pub body: String,
    pub theme: Theme,
    pub council: CouncilId,
    pub show_name: bool,
}

/// Validates the form. A draft needs a title and may be short; a submission meets
/// every length rule. The first problem is returned, with its field.
pub fn validate_content(
    title: &str,
    body: &str,
    theme: &str,
    council: &str,
    intent: Intent,
) -> Result<(String, String, Theme, CouncilId), AppError> {
    let title = clean_text(title);
    let body = clean_multiline(body);
    let (min_title, min_body) = match intent {
        Intent::Submit => (MIN_TITLE_CHARS, MIN_BODY_CHARS),
        Intent::Draft => (1, 0),
    };
    if let Some(e) = length_error(
        "title",
        title.chars().count(),
        min_title,
        MAX_TITLE_CHARS,
        Measured::Title,
    ) {
        return Err(e);
    }
    if let Some(e) = length_error(
        "body",
        body.chars().count(),
        min_body,
        MAX_BODY_CHARS,
        Measured::Body,
    ) {
        return Err(e);
    }
    let theme = Theme::parse(theme).ok_or_else(|| AppError::invalid("theme", Msg::ChooseTheme))?;
    let council = council
        .trim()
        .parse::<i64>()
        .ok()
        .filter(|id| *id > 0)
        .map(CouncilId)
        .ok_or_else(|| AppError::invalid("council_id", Msg::ChooseRecipient))?;
    Ok((title, body, theme, council))
}

/// Validates a comment.
pub fn validate_comment(raw: &str) -> Result<String, AppError> {
    let body = clean_multiline(raw);
    match length_error(
        "body",
        body.chars().count(),
        MIN_COMMENT_CHARS,
        MAX_COMMENT_CHARS,
        Measured::Comment,
    ) {
        Some(e) => Err(e),
        None => Ok(body),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn content_rules() {
        let ok = validate_content(
            "  Bedre cykelstier  ",
            "Vi vil have cykelstier hele vejen til skolen.",
            "by_natur",
            "3",
            Intent::Submit,
        );
        assert!(ok.is_ok(), "{ok:?}");
        let short = validate_content("Hej", "kort", "andet", "1", Intent::Submit);
        assert_eq!(
            short.err().and_then(|e| e.field().map(str::to_owned)),
            Some("title".into())
        );
        let draft = validate_content("Hej", "kort", "andet", "1", Intent::Draft);
        assert!(draft.is_ok());
        let no_theme =
            validate_content("Hej med dig", &"x".repeat(30), "nope", "1", Intent::Submit);
        assert_eq!(
            no_theme.err().and_then(|e| e.field().map(str::to_owned)),
            Some("theme".into())
        );
        let long = validate_content(&"a".repeat(121), "", "andet", "1", Intent::Draft);
        assert!(long.is_err());
    }

    #[test]
    fn multiline_keeps_breaks_drops_tricks() {
        assert_eq!(clean_multiline("a\r\nb\u{202E}c\u{200B}\0"), "a\nbc");
        assert_eq!(clean_multiline("a\n\n\n\n\nb"), "a\n\nb");
    }
}
