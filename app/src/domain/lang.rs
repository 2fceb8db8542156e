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
