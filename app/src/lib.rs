//! Stemme: shared domain types, server functions and the user interface.
//!
//! Dependencies point one way: `ui` → `api` (server functions) → `domain`.
//! `ssr` holds everything that only runs on the server (database, state).
#![recursion_limit = "256"]

include!(concat!(env!("OUT_DIR"), "/i18n/mod.rs"));

pub mod api;
pub mod domain;
pub mod ui;

#[cfg(feature = "ssr")]
pub mod ssr;
