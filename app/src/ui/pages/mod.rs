//! One file per page.
pub mod about;
pub mod accessibility;
pub mod account;
pub mod admin_schools;
pub mod admin_users;
pub mod councils;
pub mod home;
pub mod login;
pub mod not_found;
pub mod pool;
pub mod proposals;
pub mod signup;
