//! HTTP tests against `router(state)` on a real database: SQLite by default, PostgreSQL
//! when `DATABASE_URL=postgres://…`. One test binary for all of them (each binary links
//! the whole app, so fewer binaries build faster and use far less disk).
#![allow(clippy::expect_used, clippy::unwrap_used)]

mod binary;
mod common;

mod accounts;
mod admin;
mod answer_after;
mod answers;
mod assets;
mod audit;
mod authz;
mod backup;
mod councils;
mod crash;
mod dialogue;
mod explanations;
mod exports;
mod feeds;
mod forms;
mod health;
mod heard_hearings;
mod heard_influence;
mod hearing_files;
mod hearings;
mod hostile;
mod limits;
mod live;
mod mail_accounts;
mod mail_delivery;
mod mail_prefs;
mod my_data;
mod oidc;
mod oidc_provider;
mod once;
mod oparl;
mod page_cache;
mod pages;
mod pool;
mod privacy;
mod proposals;
mod query_count;
mod refusals;
mod replay;
mod schema_twin;
mod security;
mod setup;
mod smtp;
