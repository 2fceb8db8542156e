//! Server-only code: application state and the database.
pub mod auth;
pub mod calendar;
pub mod db;
pub mod error;
pub mod export;
pub mod form_flash;
pub mod frame;
pub mod mail;
pub mod oidc;
pub mod oidc_flow;
pub mod once;
pub mod oparl;
pub mod password;
pub mod pool_csv;
pub mod state;
