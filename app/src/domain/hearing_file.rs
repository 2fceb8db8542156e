//! A hearing's background files: PDFs, size-limited, served as attachments under a safe
//! name.
//!
//! The rules (also in the database, `migrations/*/0020_hearings.sql`: the size and the
//! name's length): a file is a PDF (its bytes start with `%PDF-` and its name ends in
//! `.pdf`), at most [`MAX_FILE_BYTES`], at most [`MAX_FILES`] per hearing, and its name
//! is refused — never silently renamed — when it has path parts, control characters,
//! invisible or bidi characters, spaces at its ends, or is empty or too long. The same
//! bytes twice for one hearing are one file.
use crate::domain::account::is_invisible_format;
use crate::domain::ids::HearingFileId;
use serde::{Deserialize, Serialize};
use unicode_properties::{GeneralCategoryGroup, UnicodeGeneralCategory};

/// The largest file accepted: 10 MiB (the database says the same).
pub const MAX_FILE_BYTES: usize = 10 * 1024 * 1024;
/// At most this many files per hearing.
pub const MAX_FILES: i64 = 10;
/// A name is at least this many characters (one before `.pdf`) …
pub const MIN_NAME_CHARS: usize = 5;
/// … and at most this many (the database says the same).
pub const MAX_NAME_CHARS: usize = 120;
/// What every PDF starts with.
pub const PDF_MAGIC: &[u8] = b"%PDF-";

/// One file as a page lists it (the bytes are fetched from `/filer/{id}/{name}`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HearingFile {
    pub id: HearingFileId,
    /// The safe name it is served under (ends in `.pdf`).
    pub name: String,
    /// Size in bytes.
    pub size: i64,
}

impl HearingFile {
    /// The address the file is served at: `/filer/{id}/{name}`, the name percent-encoded.
    pub fn href(&self) -> String {
        file_path(self.id, &self.name)
    }
}

/// `/filer/{id}/{name}` with the name percent-encoded as one path segment.
pub fn file_path(id: HearingFileId, name: &str) -> String {
    let mut out = format!("/filer/{id}/");
    for b in name.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                out.push(b as char)
            }
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

/// Why an upload was refused. The code goes on the wire (`?fil=<code>` after a browser's
/// form post, `code` in the JSON for API clients); the texts are in `locales/*.json` under
/// `hearing_files`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FileRefusal {
    /// No file was chosen (no `file` field, or one without a name and bytes).
    NoFile,
    /// The file has no bytes.
    Empty,
    /// Over [`MAX_FILE_BYTES`].
    TooLarge,
    /// The bytes are not a PDF.
    NotPdf,
    /// The hearing has [`MAX_FILES`] files already.
    TooMany,
    /// Nothing before `.pdf` (or no name at all).
    NameEmpty,
    /// Over [`MAX_NAME_CHARS`].
    NameTooLong,
    /// `/`, `\`, `..`, or a character a file system reserves (`: * ? " < > |`).
    NamePath,
    /// Control characters (a line break, a tab, a NUL …).
    NameControl,
    /// Invisible or direction-changing characters (bidi overrides, zero-width, …).
    NameInvisible,
    /// Spaces at the start or end of the name.
    NameSpaces,
    /// The name does not end in `.pdf`.
    NameNotPdf,
    /// Not logged in.
    Unauthenticated,
    /// Only the hearing's sender and the coordinator may add files.
    Forbidden,
    /// The hearing takes no more files (feedback has been given).
    Closed,
    /// No such hearing.
    NotFound,
    /// The form could not be read.
    Unreadable,
}

impl FileRefusal {
    pub const ALL: [FileRefusal; 17] = [
        Self::NoFile,
        Self::Empty,
        Self::TooLarge,
        Self::NotPdf,
        Self::TooMany,
        Self::NameEmpty,
        Self::NameTooLong,
        Self::NamePath,
        Self::NameControl,
        Self::NameInvisible,
        Self::NameSpaces,
        Self::NameNotPdf,
        Self::Unauthenticated,
        Self::Forbidden,
        Self::Closed,
        Self::NotFound,
        Self::Unreadable,
    ];

    /// The stable code (`?fil=<code>`, JSON `code`).
    pub fn code(self) -> &'static str {
        match self {
            Self::NoFile => "no_file",
            Self::Empty => "empty",
            Self::TooLarge => "too_large",
            Self::NotPdf => "not_pdf",
            Self::TooMany => "too_many",
            Self::NameEmpty => "name_empty",
            Self::NameTooLong => "name_too_long",
            Self::NamePath => "name_path",
            Self::NameControl => "name_control",
            Self::NameInvisible => "name_invisible",
            Self::NameSpaces => "name_spaces",
            Self::NameNotPdf => "name_not_pdf",
            Self::Unauthenticated => "login",
            Self::Forbidden => "forbidden",
            Self::Closed => "closed",
            Self::NotFound => "not_found",
            Self::Unreadable => "unreadable",
        }
    }

    /// The refusal a code names (`None` for anything else: a link cannot make the page
    /// show arbitrary text).
    pub fn parse(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|r| r.code() == code)
    }

    /// The HTTP status for API clients.
    pub fn status(self) -> u16 {
        match self {
            Self::Unreadable => 400,
            Self::Unauthenticated => 401,
            Self::Forbidden => 403,
            Self::NotFound => 404,
            Self::Closed | Self::TooMany => 409,
            Self::TooLarge => 413,
            Self::NotPdf | Self::NameNotPdf => 415,
            Self::NoFile
            | Self::Empty
            | Self::NameEmpty
            | Self::NameTooLong
            | Self::NamePath
            | Self::NameControl
            | Self::NameInvisible
            | Self::NameSpaces => 422,
        }
    }
}

/// Characters that make a name a path or that file systems reserve.
const PATH_CHARS: [char; 9] = ['/', '\\', ':', '*', '?', '"', '<', '>', '|'];

/// A character that shows as nothing or changes the direction of the text around it:
/// format characters (Cf: bidi controls, zero-width, soft hyphen …), line and paragraph
/// separators, private-use and unassigned code points, combining marks with nothing to
/// combine with at the start, and the blank letters (Hangul fillers, braille blank).
fn is_invisible(c: char) -> bool {
    is_invisible_format(c)
        || matches!(
            c,
            '\u{034F}'
                | '\u{115F}'
                | '\u{1160}'
                | '\u{17B4}'
                | '\u{17B5}'
                | '\u{180B}'..='\u{180F}'
                | '\u{2800}'
                | '\u{3164}'
                | '\u{FE00}'..='\u{FE0F}'
                | '\u{FFA0}'
                | '\u{E0100}'..='\u{E01EF}'
        )
        || matches!(
            c.general_category_group(),
            GeneralCategoryGroup::Other | GeneralCategoryGroup::Separator
        ) && !c.is_control()
            && c != ' '
}

/// Checks a file's name as it came from the browser. Refused, not renamed: the person
/// sees why and renames it themselves.
pub fn check_name(name: &str) -> Result<(), FileRefusal> {
    if name.chars().any(char::is_control) {
        return Err(FileRefusal::NameControl);
    }
    if name.chars().any(is_invisible) {
        return Err(FileRefusal::NameInvisible);
    }
    if name.contains(PATH_CHARS) || name.contains("..") {
        return Err(FileRefusal::NamePath);
    }
    if name.trim().is_empty() {
        return Err(FileRefusal::NameEmpty);
    }
    if name.trim() != name {
        return Err(FileRefusal::NameSpaces);
    }
    let chars = name.chars().count();
    if chars > MAX_NAME_CHARS {
        return Err(FileRefusal::NameTooLong);
    }
    let lower = name.to_lowercase();
    let Some(stem) = lower.strip_suffix(".pdf") else {
        return Err(FileRefusal::NameNotPdf);
    };
    if stem.trim().is_empty() || chars < MIN_NAME_CHARS {
        return Err(FileRefusal::NameEmpty);
    }
    if stem.trim() != stem {
        return Err(FileRefusal::NameSpaces);
    }
    Ok(())
}

/// True when the bytes start like a PDF (`%PDF-`).
pub fn is_pdf(bytes: &[u8]) -> bool {
    bytes.starts_with(PDF_MAGIC)
}

/// Checks the size of a file of `n` bytes.
pub fn check_size(n: usize) -> Result<(), FileRefusal> {
    match n {
        0 => Err(FileRefusal::Empty),
        n if n > MAX_FILE_BYTES => Err(FileRefusal::TooLarge),
        _ => Ok(()),
    }
}

/// A hearing with `existing` files may take one more.
pub fn check_count(existing: i64) -> Result<(), FileRefusal> {
    if existing >= MAX_FILES {
        Err(FileRefusal::TooMany)
    } else {
        Ok(())
    }
}

/// Every rule on one file but the count: the name first (what the person can fix by
/// renaming), then the size, then the bytes.
pub fn check_file(name: &str, bytes: &[u8]) -> Result<(), FileRefusal> {
    check_name(name)?;
    check_size(bytes.len())?;
    if !is_pdf(bytes) {
        return Err(FileRefusal::NotPdf);
    }
    Ok(())
}

/// The name for `filename="…"`: printable ASCII only, without `"`, `\` and `%` (some
/// browsers decode it); Danish letters written out (æ → ae, ø → oe, å → aa), anything else
/// non-ASCII becomes `_`. It still ends in `.pdf`.
pub fn ascii_name(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    for c in name.chars() {
        match c {
            'æ' => out.push_str("ae"),
            'Æ' => out.push_str("Ae"),
            'ø' => out.push_str("oe"),
            'Ø' => out.push_str("Oe"),
            'å' => out.push_str("aa"),
            'Å' => out.push_str("Aa"),
            'é' | 'è' | 'ê' | 'ë' => out.push('e'),
            'ü' => out.push('u'),
            'ö' => out.push('o'),
            'ä' => out.push('a'),
            '"' | '\\' | '%' | ';' => out.push('_'),
            c if c.is_ascii_graphic() || c == ' ' => out.push(c),
            _ => out.push('_'),
        }
    }
    out
}

/// RFC 5987 / RFC 8187 `ext-value` of the name: `UTF-8''` and the UTF-8 bytes, every
/// byte outside `attr-char` percent-encoded.
pub fn rfc5987_name(name: &str) -> String {
    let mut out = String::from("UTF-8''");
    for b in name.bytes() {
        match b {
            b'A'..=b'Z'
            | b'a'..=b'z'
            | b'0'..=b'9'
            | b'!'
            | b'#'
            | b'$'
            | b'&'
            | b'+'
            | b'-'
            | b'.'
            | b'^'
            | b'_'
            | b'`'
            | b'|'
            | b'~' => out.push(b as char),
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

/// The `Content-Disposition` a file is served with: always an attachment (never shown in
/// the site's origin), with the ASCII name and the real one.
pub fn content_disposition(name: &str) -> String {
    format!(
        "attachment; filename=\"{}\"; filename*={}",
        ascii_name(name),
        rfc5987_name(name)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ordinary_names_pass() {
        for name in [
            "x.pdf",
            "Høringsnotat 2026.pdf",
            "BILAG.PDF",
            "budget-2027_v2.pdf",
            "Ærø & Åbenrå (udkast).pdf",
            "عربى.pdf",
        ] {
            assert_eq!(check_name(name), Ok(()), "{name}");
        }
    }

    #[test]
    fn path_names_are_refused_not_renamed() {
        for name in [
            "../../x.pdf",
            "..\\x.pdf",
            "a/b.pdf",
            "C:x.pdf",
            "x..pdf",
            "what?.pdf",
            "\"q\".pdf",
            "<b>.pdf",
            "a|b.pdf",
        ] {
            assert_eq!(check_name(name), Err(FileRefusal::NamePath), "{name}");
        }
    }

    #[test]
    fn control_and_invisible_characters_are_refused() {
        assert_eq!(check_name("a\nb.pdf"), Err(FileRefusal::NameControl));
        assert_eq!(check_name("a\0.pdf"), Err(FileRefusal::NameControl));
        assert_eq!(check_name("a\u{7f}.pdf"), Err(FileRefusal::NameControl));
        assert_eq!(check_name("a\u{85}.pdf"), Err(FileRefusal::NameControl));
        // "invoice" + U+202E + "fdp.exe" shows as "invoiceexe.pdf": it hides the real end.
        for name in [
            "faktura\u{202E}fdp.pdf",
            "a\u{2066}b.pdf",
            "a\u{200B}.pdf",
            "a\u{200F}.pdf",
            "\u{FEFF}a.pdf",
            "a\u{00AD}b.pdf",
            "a\u{2028}b.pdf",
            "a\u{3164}.pdf",
            "a\u{2800}.pdf",
            "a\u{E000}.pdf",
            "a\u{061C}.pdf",
        ] {
            assert_eq!(
                check_name(name),
                Err(FileRefusal::NameInvisible),
                "{name:?}"
            );
        }
    }

    #[test]
    fn names_need_text_a_pdf_ending_and_at_most_120_characters() {
        assert_eq!(check_name(""), Err(FileRefusal::NameEmpty));
        assert_eq!(check_name("   "), Err(FileRefusal::NameEmpty));
        assert_eq!(check_name(".pdf"), Err(FileRefusal::NameEmpty));
        assert_eq!(check_name(" .pdf"), Err(FileRefusal::NameSpaces));
        assert_eq!(check_name(" a.pdf"), Err(FileRefusal::NameSpaces));
        assert_eq!(check_name("a .pdf"), Err(FileRefusal::NameSpaces));
        assert_eq!(check_name("a.pdf "), Err(FileRefusal::NameSpaces));
        assert_eq!(check_name("notat.docx"), Err(FileRefusal::NameNotPdf));
        assert_eq!(check_name("notat.pdf.exe"), Err(FileRefusal::NameNotPdf));
        assert_eq!(check_name("notat"), Err(FileRefusal::NameNotPdf));
        let max = format!("{}.pdf", "ø".repeat(MAX_NAME_CHARS - 4));
        assert_eq!(check_name(&max), Ok(()));
        let over = format!("{}.pdf", "ø".repeat(MAX_NAME_CHARS - 3));
        assert_eq!(check_name(&over), Err(FileRefusal::NameTooLong));
    }

    #[test]
    fn size_count_and_bytes() {
        assert_eq!(check_size(0), Err(FileRefusal::Empty));
        assert_eq!(check_size(1), Ok(()));
        assert_eq!(check_size(MAX_FILE_BYTES), Ok(()));
        assert_eq!(check_size(MAX_FILE_BYTES + 1), Err(FileRefusal::TooLarge));
        assert_eq!(check_count(MAX_FILES - 1), Ok(()));
        assert_eq!(check_count(MAX_FILES), Err(FileRefusal::TooMany));
        assert!(is_pdf(b"%PDF-1.7\n..."));
        assert!(!is_pdf(b"%PDF"));
        assert!(!is_pdf(b" %PDF-1.7"));
        assert!(!is_pdf(b"PK\x03\x04"));
        assert_eq!(check_file("a.pdf", b"%PDF-1.4"), Ok(()));
        assert_eq!(check_file("a.pdf", b"<html>"), Err(FileRefusal::NotPdf));
        assert_eq!(
            check_file("../a.pdf", b"<html>"),
            Err(FileRefusal::NamePath)
        );
        assert_eq!(check_file("a.pdf", b""), Err(FileRefusal::Empty));
    }

    #[test]
    fn the_served_name_is_header_safe() {
        let name = "Høring \"ny\" 100% på Ærø.pdf";
        let header = content_disposition(name);
        assert_eq!(
            header,
            "attachment; filename=\"Hoering _ny_ 100_ paa Aeroe.pdf\"; \
             filename*=UTF-8''H%C3%B8ring%20%22ny%22%20100%25%20p%C3%A5%20%C3%86r%C3%B8.pdf"
        );
        assert!(header.is_ascii() && !header.chars().any(|c| c.is_control()));
        assert_eq!(ascii_name("عربى.pdf"), "____.pdf");
        assert_eq!(rfc5987_name("a;b.pdf"), "UTF-8''a%3Bb.pdf");
    }

    #[test]
    fn the_file_address_encodes_the_name() {
        let file = HearingFile {
            id: HearingFileId(7),
            name: "Bilag 1 (ø).pdf".into(),
            size: 10,
        };
        assert_eq!(file.href(), "/filer/7/Bilag%201%20%28%C3%B8%29.pdf");
    }

    #[test]
    fn codes_round_trip_and_nothing_else_parses() {
        for r in FileRefusal::ALL {
            assert_eq!(FileRefusal::parse(r.code()), Some(r));
            assert!((400..500).contains(&r.status()));
        }
        assert_eq!(FileRefusal::parse("<script>"), None);
        assert_eq!(FileRefusal::parse(""), None);
    }
}
