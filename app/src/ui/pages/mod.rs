//! One file per page.
pub mod about;
pub mod accessibility;
pub mod councils;
pub mod home;
pub mod not_found;
pub mod pool;
pub mod proposals;
