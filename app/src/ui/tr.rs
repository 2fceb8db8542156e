//! Translated text with one concrete type for every call site.
//!
//! `t!(i18n, key)` creates a new closure type per call, and each one is compiled into
//! its own copy of the reactive text-node code, which made the wasm bundle several
//! times larger. `tr(i18n, |l| td_string!(l, key))` goes through one closure type.
use crate::i18n::Locale;
use leptos_i18n::I18nContext;

/// A function from the current locale to a translated string (a non-capturing closure).
pub type Key = fn(Locale) -> &'static str;

/// Reactive translated text for a view: follows the language switch.
pub fn tr(
    i18n: I18nContext<Locale>,
    key: Key,
) -> impl Fn() -> &'static str + Copy + Send + Sync + 'static {
    move || key(i18n.get_locale())
}

/// Reactive translated text as an owned `String`, for attributes and titles.
pub fn trs(
    i18n: I18nContext<Locale>,
    key: Key,
) -> impl Fn() -> String + Copy + Send + Sync + 'static {
    move || key(i18n.get_locale()).to_owned()
}

/// Is the interface in English? (For texts that come from the domain with both languages.)
pub fn is_en(i18n: I18nContext<Locale>) -> bool {
    i18n.get_locale() == Locale::en
}
