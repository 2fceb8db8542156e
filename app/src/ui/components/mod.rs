//! Reusable pieces of view: props in, view out, no server calls.
pub mod admin_nav;
pub mod class_session;
pub mod deadline_form;
pub mod footer;
pub mod form;
pub mod header;
pub mod hearing_file_upload;
pub mod influence;
pub mod lang_switch;
pub mod linked_logins;
pub mod login_buttons;
pub mod mail_prefs;
pub mod once_field;
pub mod open_data;
pub mod proposal_form;
pub mod user_menu;
pub mod verify_notice;
