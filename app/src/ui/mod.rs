//! The user interface: the app shell, its routes, pages and components.
pub mod app;
pub mod components;
pub mod pages;

pub use app::{shell, App};
