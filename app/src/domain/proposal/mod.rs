//! Proposals (forslag): themes, the life cycle, validation, and what pages show.
//!
//! The life cycle is one type, [`ProposalStatus`], whose variants carry what each stage
//! needs (a deadline once forwarded, an explanation when a council declines, an answer
//! with its explanation). [`Stage`] is its data-free key, stored in the database, where a
//! trigger allows only the steps in [`TRANSITIONS`].
//!
//! Split by subject: [`lifecycle`] (stages, status, the council's decision), [`answering`]
//! (the politician's answer), [`content`] (themes, the form, comments), [`list`] (the
//! public list) and [`view`] (what pages show). Everything is re-exported here.
mod answering;
mod content;
mod lifecycle;
mod list;
mod view;

pub use answering::*;
pub use content::*;
pub use lifecycle::*;
pub use list::*;
pub use view::*;

// Answer types defined with the rest of the answer (domain::answer), re-exported here
// for the proposal page's types and older call sites.
pub use crate::domain::answer::{
    Explanation, FollowUpState, ANSWER_EXPLANATION, MIN_EXPLANATION_CHARS,
};
