//! Generates the `i18n` module from `locales/*.json` (Danish default, English second).
use leptos_i18n_build::{Config, TranslationsInfos};
use std::error::Error;
use std::path::PathBuf;

fn main() -> Result<(), Box<dyn Error>> {
    println!("cargo::rerun-if-changed=build.rs");
    // `sqlx::migrate!` embeds the migrations: a new one must rebuild the crate.
    println!("cargo::rerun-if-changed=../migrations");
    let out = PathBuf::from(std::env::var_os("OUT_DIR").ok_or("OUT_DIR not set")?).join("i18n");
    let cfg = Config::new("da")?.add_locale("en")?;
    let infos = TranslationsInfos::parse(cfg)?;
    infos.emit_diagnostics();
    infos.rerun_if_locales_changed();
    infos.generate_i18n_module(out.clone())?;
    // The generated code parses its own locale tags with `expect`; our lints deny
    // that elsewhere, so allow it inside the generated module only.
    let module = out.join("mod.rs");
    let code = std::fs::read_to_string(&module)?;
    let code = code.replacen(
        "pub mod i18n {",
        "pub mod i18n { #![allow(clippy::expect_used, clippy::unwrap_used)]",
        1,
    );
    std::fs::write(&module, code)?;
    Ok(())
}
