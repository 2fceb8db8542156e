//! Reusable pieces of view: props in, view out, no server calls.
pub mod footer;
pub mod header;
pub mod lang_switch;
