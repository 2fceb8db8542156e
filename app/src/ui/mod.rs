//! The user interface: the app shell, its routes, pages and components.
pub mod app;
pub mod auth;
pub mod components;
pub mod error_text;
pub mod format;
pub mod islands;
pub mod live_board;
pub mod pages;
pub mod status;
pub mod tr;

pub use app::{shell, App};
