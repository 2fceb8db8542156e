//! One file per page.
pub mod about;
pub mod accessibility;
pub mod account;
pub mod admin_schools;
pub mod admin_users;
pub mod councils;
pub mod home;
pub mod login;
pub mod moderation;
pub mod my_proposals;
pub mod not_found;
pub mod notifications;
pub mod pool;
pub mod proposal;
pub mod proposal_new;
pub mod proposals;
pub mod signup;
