//! Language switching that works without JavaScript: a plain link to
//! `/sprog/{code}?til={path}`, answered by the server with a cookie and a redirect.

/// The languages the interface speaks. Danish is the default.
pub const LANGUAGES: [&str; 2] = ["da", "en"];

/// The cookie that remembers the chosen language (the one leptos_i18n reads).
pub const LANG_COOKIE: &str = "i18n_pref_locale";

/// The path of the switch route.
pub const SWITCH_PATH: &str = "/sprog";

/// The interface language as leptos_i18n's locale (for texts kept in `locales/*.json`).
pub fn locale(en: bool) -> crate::i18n::Locale {
    if en {
        crate::i18n::Locale::en
    } else {
        crate::i18n::Locale::da
    }
}

/// Is `code` one of our languages?
pub fn is_supported(code: &str) -> bool {
    LANGUAGES.contains(&code)
}

/// Where to send the browser back to after switching language.
///
/// Only same-site absolute paths are allowed; anything else (other hosts,
/// protocol-relative `//host`, backslashes, control characters) becomes `/`.
pub fn safe_return_path(target: Option<&str>) -> String {
    let Some(t) = target else {
        return "/".to_owned();
    };
    let ok = t.starts_with('/')
        && !t.starts_with("//")
        && !t.contains('\\')
        && t.len() <= 2048
        && !t.chars().any(|c| c.is_control())
        && !t.starts_with(SWITCH_PATH);
    if ok {
        t.to_owned()
    } else {
        "/".to_owned()
    }
}

/// The link that switches to `code` and returns to `here` (path plus query).
pub fn switch_href(code: &str, here: &str) -> String {
    format!("{SWITCH_PATH}/{code}?til={}", percent_encode(here))
}

/// Percent-encodes everything but unreserved characters and `/`.
pub fn percent_encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' | b'/' => {
                out.push(b as char)
            }
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The labels live in `locales/*.json` under `labels`; a key missing in en.json would
    /// silently fall back to Danish.
    #[test]
    fn labels_come_from_the_locale_files_in_both_languages() {
        use crate::domain::{account, council, notification, proposal, setup};
        assert_eq!(
            proposal::Theme::FritidKultur.label(false),
            "Fritid og kultur"
        );
        assert_eq!(
            proposal::Theme::FritidKultur.label(true),
            "Leisure and culture"
        );
        assert_eq!(council::Choice::Imod.label(true), "Against");
        let mut pairs: Vec<(&str, &str)> = Vec::new();
        pairs.extend(proposal::Theme::ALL.map(|x| (x.label(false), x.label(true))));
        pairs.extend(proposal::Stage::ALL.map(|x| (x.label(false), x.label(true))));
        pairs.extend(proposal::AnswerReason::ALL.map(|x| (x.label(false), x.label(true))));
        pairs.extend(notification::NotificationKind::ALL.map(|x| (x.text(false), x.text(true))));
        pairs.extend(account::CouncilKind::ALL.map(|x| (x.label(false), x.label(true))));
        pairs.extend(council::MeetingStatus::ALL.map(|x| (x.label(false), x.label(true))));
        for done in [false, true] {
            pairs.extend(
                setup::ChecklistItem::ALL.map(|x| (x.text(done, false), x.text(done, true))),
            );
        }
        for (da, en) in pairs {
            assert!(!da.is_empty() && da != en, "{da} / {en}");
        }
    }

    #[test]
    fn accepts_local_paths() {
        assert_eq!(safe_return_path(Some("/om")), "/om");
        assert_eq!(
            safe_return_path(Some("/forslag?tema=skole")),
            "/forslag?tema=skole"
        );
    }

    #[test]
    fn refuses_open_redirects() {
        for bad in [
            "https://evil.example/",
            "//evil.example",
            "/\\evil.example",
            "evil",
            "",
            "/om\r\nSet-Cookie: x=1",
            "/sprog/en?til=/",
        ] {
            assert_eq!(safe_return_path(Some(bad)), "/", "{bad:?}");
        }
        assert_eq!(safe_return_path(None), "/");
    }

    #[test]
    fn switch_href_encodes_the_return_path() {
        assert_eq!(
            switch_href("en", "/forslag?tema=a b&x=æ"),
            "/sprog/en?til=/forslag%3Ftema%3Da%20b%26x%3D%C3%A6"
        );
        assert!(is_supported("da") && is_supported("en") && !is_supported("de"));
    }
}

/// Makes a safe return path fit for a `Location` header: bytes outside
/// printable ASCII are percent-encoded.
pub fn location_value(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for b in path.bytes() {
        if b.is_ascii_graphic() {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod location_tests {
    use super::*;

    #[test]
    fn location_value_is_ascii() {
        assert_eq!(
            location_value("/forslag?q=æble og"),
            "/forslag?q=%C3%A6ble%20og"
        );
    }
}
