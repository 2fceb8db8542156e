//! The rules of DOMAIN.md as plain Rust. Compiles for wasm: no sqlx, tokio or axum here.
pub mod account;
pub mod answer;
pub mod audit;
pub mod council;
pub mod error;
pub mod explanation;
pub mod form;
mod fuzz;
pub mod heard;
pub mod ids;
pub mod lang;
pub mod message;
pub mod moderation;
pub mod notification;
pub mod pool;
pub mod proposal;
pub mod setup;
