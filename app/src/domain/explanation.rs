//! The one rule for every written explanation and reason (issue #17): a politician's Nej,
//! a clarification, a follow-up note, a pool rejection, a council's decline, a declined
//! agenda suggestion, a moderator's or reporter's reason, a deadline change.
//!
//! Length alone is not enough: 200 Hangul fillers (U+3164) or Braille blanks (U+2800) are
//! invisible, 200 dots say nothing, and `<script>…</script>` is not an explanation. So the
//! rule counts *visible letters*: letters and digits (Unicode general categories L* and N*),
//! after markup is stripped; whitespace, punctuation, symbols, format (Cf), control (Cc),
//! private-use (Co) and unassigned (Cn) characters do not count, and neither do the
//! default-ignorable letters (the Hangul fillers). It also asks for a number of distinct
//! words, so "nej nej nej nej" is not an explanation either.
//!
//! Each field keeps its own minimum, as a [`Rule`] constant next to the field's validator.
//! What is stored is what the person typed (cleaned of control/bidi characters and
//! trimmed), never the stripped version used for counting.
use crate::domain::error::AppError;
use crate::domain::message::Msg;
use unicode_properties::{GeneralCategoryGroup, UnicodeGeneralCategory};

/// Letters (category Lo) that render as nothing: the Hangul fillers. They carry the
/// Default_Ignorable_Code_Point property, which `unicode-properties` does not expose; these
/// four are all the default-ignorable code points of category Lo (Unicode 15/16
/// DerivedCoreProperties.txt). Every other default-ignorable code point is Cf, Mn or Cn,
/// which [`is_visible_letter`] already refuses by category.
const IGNORABLE_LETTERS: [char; 4] = ['\u{115F}', '\u{1160}', '\u{3164}', '\u{FFA0}'];

/// Shortest word that counts towards the distinct words (in visible letters).
const MIN_WORD_LETTERS: usize = 2;

/// The minimum a field asks of an explanation or reason.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rule {
    /// Visible letters (and digits) at least.
    pub min_letters: usize,
    /// Distinct words of two or more letters at least.
    pub min_words: usize,
    /// Characters at most, counted on the stored text.
    pub max_chars: usize,
    /// What the text is, for the messages: as what to ask for ("Skriv en forklaring på …")
    /// and as a subject ("Forklaringen må højst …").
    pub what: Writing,
}

pub use crate::domain::message::Writing;

/// What the rule sees in a text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Measure {
    /// Visible letters and digits outside markup.
    pub letters: usize,
    /// Distinct words (case-insensitive) of at least two visible letters.
    pub distinct_words: usize,
    /// Characters that are not whitespace, markup included.
    pub typed: usize,
}

/// A letter or digit someone can see: general category L* or N*, not a filler.
pub fn is_visible_letter(c: char) -> bool {
    matches!(
        c.general_category_group(),
        GeneralCategoryGroup::Letter | GeneralCategoryGroup::Number
    ) && !IGNORABLE_LETTERS.contains(&c)
}

/// The text without markup: tags (`<…>`) are removed, and so is the content of `<script>`
/// and `<style>` elements. A `<` that does not open a tag is ordinary text ("3 < 5").
pub fn strip_markup(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(open) = rest.find('<') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        // As in HTML, a tag starts with a letter, `/`, `!` or `?` right after the `<`.
        let starts_tag = after
            .chars()
            .next()
            .is_some_and(|c| c.is_ascii_alphabetic() || matches!(c, '/' | '!' | '?'));
        let Some(close) = after.find('>').filter(|_| starts_tag) else {
            out.push('<');
            rest = after;
            continue;
        };
        let tag = after[..close].trim_start().to_lowercase();
        rest = &after[close + 1..];
        for raw in ["script", "style"] {
            let is_element = tag.strip_prefix(raw).is_some_and(|t| {
                t.is_empty() || t.starts_with(|c: char| c.is_whitespace() || c == '/')
            });
            if is_element {
                // Skip to the end of the element (or of the text when it is never closed).
                let lower = rest.to_lowercase();
                rest = match lower.find(&format!("</{raw}")) {
                    // Lower-casing can change byte lengths; fall back to the end then.
                    Some(end) if lower.len() == rest.len() => {
                        let tail = &rest[end..];
                        tail.find('>').map_or("", |gt| &tail[gt + 1..])
                    }
                    _ => "",
                };
                break;
            }
        }
        out.push(' ');
    }
    out.push_str(rest);
    out
}

/// Measures a text as the rule sees it.
pub fn measure(text: &str) -> Measure {
    let visible = strip_markup(text);
    let mut words: Vec<String> = Vec::new();
    let mut word = String::new();
    let mut letters = 0;
    let mut end_word = |word: &mut String| {
        if word.chars().count() >= MIN_WORD_LETTERS && !words.contains(word) {
            words.push(word.clone());
        }
        word.clear();
    };
    for c in visible.chars() {
        if is_visible_letter(c) {
            letters += 1;
            word.extend(c.to_lowercase());
        } else if !c.is_alphanumeric() || IGNORABLE_LETTERS.contains(&c) {
            end_word(&mut word);
        }
    }
    end_word(&mut word);
    Measure {
        letters,
        distinct_words: words.len(),
        typed: text.chars().filter(|c| !c.is_whitespace()).count(),
    }
}

impl Rule {
    /// Checks a text that is already cleaned (as it will be stored); a refusal is a Danish
    /// message on `field` that says what is wrong.
    pub fn check(&self, field: &str, text: &str) -> Result<(), AppError> {
        if text.chars().count() > self.max_chars {
            return Err(AppError::invalid(
                field,
                Msg::WritingTooLong {
                    what: self.what,
                    max: self.max_chars,
                },
            ));
        }
        let m = measure(text);
        if m.letters < self.min_letters {
            let (min, n) = (self.min_letters, m.letters);
            // Typed enough, but little of it can be read: say why it does not count.
            if (m.letters == 0 && m.typed > 0) || m.typed >= min {
                return Err(AppError::invalid(
                    field,
                    Msg::WritingUnreadable {
                        what: self.what,
                        min,
                        n,
                    },
                ));
            }
            return Err(AppError::invalid(
                field,
                Msg::WritingTooShort {
                    what: self.what,
                    min,
                    n,
                },
            ));
        }
        if m.distinct_words < self.min_words {
            return Err(AppError::invalid(
                field,
                Msg::WritingFewWords {
                    min: self.min_words,
                    n: m.distinct_words,
                },
            ));
        }
        Ok(())
    }

    /// Cleans a multi-line text (see [`clean_multiline`](super::proposal::clean_multiline))
    /// and checks it; returns the text to store.
    pub fn validate(&self, field: &str, raw: &str) -> Result<String, AppError> {
        let text = super::proposal::clean_multiline(raw);
        self.check(field, &text)?;
        Ok(text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SHORT: Rule = Rule {
        min_letters: 20,
        min_words: 3,
        max_chars: 2000,
        what: Writing::AnswerExplanation,
    };
    const LONG: Rule = Rule {
        min_letters: 200,
        min_words: 12,
        max_chars: 10_000,
        what: Writing::AnswerExplanation,
    };

    fn message(r: Result<(), AppError>) -> String {
        r.err().map(|e| e.to_string()).unwrap_or_default()
    }

    #[test]
    fn categories_decide_what_is_a_letter() {
        for c in ['a', 'Å', 'ø', 'ß', 'Я', 'ب', '中', '7', '٣'] {
            assert!(is_visible_letter(c), "{c:?}");
        }
        for c in [
            '\u{3164}', '\u{115F}', '\u{1160}', '\u{FFA0}', // Hangul fillers (Lo)
            '\u{2800}', // Braille blank (So)
            '\u{200B}', '\u{200D}', '\u{2060}', '\u{FEFF}', '\u{00AD}', // Cf
            '\u{E000}', // Co
            '\u{0378}', // Cn
            '\u{0007}', ' ', '\u{00A0}', '\u{3000}', '.', '…', '-', '😀',
        ] {
            assert!(!is_visible_letter(c), "{:?}", c as u32);
        }
    }

    #[test]
    fn invisible_text_is_refused() {
        for filler in ['\u{3164}', '\u{2800}', '\u{115F}', '\u{FFA0}', '\u{200B}'] {
            let text: String = std::iter::repeat_n(filler, 200).collect();
            let m = message(LONG.check("explanation", &text));
            assert!(m.contains("almindelige bogstaver"), "{m}");
            assert!(m.contains("du har skrevet 0"), "{m}");
            assert!(SHORT.check("reason", &text).is_err());
        }
    }

    #[test]
    fn dots_and_markup_are_refused() {
        let dots = ".".repeat(200);
        assert!(message(LONG.check("explanation", &dots)).contains("almindelige bogstaver"));
        let script = "<script>alert(1)</script>".repeat(10);
        let m = message(LONG.check("explanation", &script));
        assert!(m.contains("almindelige bogstaver"), "{m}");
        let padded = format!("<script>alert(1)</script>{}", " ".repeat(200));
        assert!(SHORT.check("reason", &padded).is_err());
        let styled = "<style>body { color: red; display: none }</style><b></b>".repeat(5);
        assert!(SHORT.check("reason", &styled).is_err());
        let tags = "<div class=\"forklaring\"><span>".repeat(20);
        assert!(SHORT.check("reason", &tags).is_err());
    }

    #[test]
    fn zero_width_spaces_do_not_make_words() {
        // Real letters between zero-width spaces: the same word over and over.
        let text = "nej\u{200B}".repeat(30);
        assert_eq!(measure(&text).letters, 90);
        assert!(message(SHORT.check("reason", &text)).contains("forskellige ord"));
    }

    #[test]
    fn real_danish_passes() {
        assert!(SHORT
            .check("reason", "Vi har ikke penge til det i år.")
            .is_ok());
        assert!(SHORT
            .check(
                "reason",
                "Det ligger uden for rådets område – spørg skolen."
            )
            .is_ok());
        let long = "Vi har undersøgt forslaget grundigt sammen med forvaltningen. Det vil \
                    koste omkring 400.000 kr. om året at holde svømmehallen åben om aftenen, \
                    og de penge er ikke i budgettet for 2026. Vi vil i stedet se på, om \
                    skolernes idrætshaller kan bruges, og svare jer igen efter sommerferien.";
        assert_eq!(LONG.check("explanation", long), Ok(()));
        // Markup around real text: the text counts, the tags do not.
        assert!(SHORT
            .check("reason", "<p>Vi har ikke penge til det i år.</p>")
            .is_ok());
        // A lone "<" is text, not the start of a tag.
        assert_eq!(
            strip_markup("3 < 5 og <b>fed</b>"),
            "3 < 5 og  fed ".to_owned()
        );
    }

    #[test]
    fn repeated_words_are_refused() {
        let m = message(SHORT.check("reason", "nej nej nej nej nej nej nej nej"));
        assert!(m.contains("Brug flere forskellige ord"), "{m}");
        assert!(m.contains("mindst 3"), "{m}");
        let m = message(LONG.check("explanation", &"Nej tak. ".repeat(40)));
        assert!(m.contains("Brug flere forskellige ord"), "{m}");
        // Letters alone ("a b c d …") are not words.
        assert!(SHORT.check("reason", &"a b c d e f g ".repeat(5)).is_err());
    }

    #[test]
    fn too_short_says_how_short() {
        let m = message(SHORT.check("reason", "For dyrt"));
        assert_eq!(
            m,
            "Skriv en forklaring på mindst 20 tegn (du har skrevet 7). Kun bogstaver og tal \
             tæller med, ikke mellemrum og tegnsætning."
        );
        let e = LONG.check("explanation", "Nej.").err();
        assert_eq!(e.as_ref().and_then(|e| e.field()), Some("explanation"));
        let m = message(SHORT.check("reason", &"Det er for dyrt. ".repeat(200)));
        assert!(m.contains("højst være 2.000 tegn"), "{m}");
    }

    #[test]
    fn validate_stores_what_was_typed() {
        let typed = "  <b>Vi har ikke penge</b> til det i år.\r\n ";
        assert_eq!(
            SHORT.validate("reason", typed).as_deref(),
            Ok("<b>Vi har ikke penge</b> til det i år.")
        );
    }

    #[test]
    fn never_panics_on_odd_markup() {
        for t in [
            "<",
            ">",
            "<>",
            "<script",
            "<script>",
            "<SCRIPT>x",
            "<script>İİİ</script>tekst",
            "<ScRiPt src=x>alert(1)</sCrIpT >Vi har ikke penge til det",
            "<scripts>tekst</scripts>",
        ] {
            let _ = measure(t);
        }
        assert_eq!(measure("<scripts>hej med dig</scripts>").distinct_words, 3);
        assert_eq!(
            measure("<ScRiPt src=x>alert(1)</sCrIpT >Vi har ikke penge").distinct_words,
            4
        );
    }
}
