//! Server-only code: application state and the database.
pub mod db;
pub mod state;
