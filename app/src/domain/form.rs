//! What was typed into a form the server refused, kept so the form comes back filled in.
use std::collections::HashMap;
use std::sync::Arc;

/// The refused form's fields (never passwords), by name. The server finds it for a page
/// opened with `__form=<token>` and puts it in the request's extensions; the form fields
/// (`ui::components::form`) fill themselves from it.
#[derive(Clone, Debug, Default)]
pub struct FormFlash(pub Arc<HashMap<String, String>>);
