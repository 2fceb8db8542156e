//! Server functions, grouped by feature: authorize → validate with `domain` → `ssr::db` → map.
//! Each is a public HTTP endpoint under `/api/`, and checks its caller itself.
pub mod account_mail;
pub mod accounts;
pub mod admin;
pub mod answers;
pub mod councils;
pub mod forms;
pub mod hearings;
pub mod identities;
pub mod live;
pub mod mail;
pub mod moderation;
pub mod notifications;
pub mod pool;
pub mod proposals;
pub mod setup;
