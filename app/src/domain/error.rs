//! The one error type that crosses the wire, with a Danish message for people
//! and an HTTP status for machines.
use serde::{Deserialize, Serialize};
use thiserror::Error;

/// Errors a server function can return to the browser.
///
/// Messages are Danish and safe to show: no internals, no personal data.
#[derive(Debug, Clone, PartialEq, Eq, Error, Serialize, Deserialize)]
pub enum AppError {
    #[error("Du skal logge ind for at gøre det.")]
    Unauthenticated,
    #[error("Du har ikke adgang til at gøre det.")]
    Forbidden,
    #[error("Vi kunne ikke finde det, du ledte efter.")]
    NotFound,
    /// A field failed validation; `field` names the form field, `message` is Danish.
    #[error("{message}")]
    Validation { field: String, message: String },
    #[error("{0}")]
    Conflict(String),
    #[error("Du har prøvet for mange gange. Vent lidt, og prøv igen.")]
    RateLimited,
    #[error("Noget gik galt hos os. Prøv igen om lidt.")]
    Internal,
    /// The request itself could not be read (transport or encoding problem).
    #[error("Forespørgslen kunne ikke læses.")]
    BadRequest,
    /// The request body was over the server's limit.
    #[error("Det, du sendte, er for stort. Gør teksten kortere, og prøv igen.")]
    TooLarge,
}

impl AppError {
    /// A validation error for one form field.
    pub fn invalid(field: impl Into<String>, message: impl Into<String>) -> Self {
        Self::Validation {
            field: field.into(),
            message: message.into(),
        }
    }

    /// Turns a conflict (e.g. an e-mail already in use) into a message on `field`.
    pub fn conflict_on(self, field: &str) -> Self {
        match self {
            Self::Conflict(message) => Self::invalid(field, message),
            other => other,
        }
    }

    /// The HTTP status this error maps to.
    pub fn status(&self) -> u16 {
        match self {
            Self::Unauthenticated => 401,
            Self::Forbidden => 403,
            Self::NotFound => 404,
            Self::Validation { .. } | Self::BadRequest => 422,
            Self::Conflict(_) => 409,
            Self::RateLimited => 429,
            Self::TooLarge => 413,
            Self::Internal => 500,
        }
    }

    /// The field this error belongs to, if it is a validation error.
    pub fn field(&self) -> Option<&str> {
        match self {
            Self::Validation { field, .. } => Some(field),
            _ => None,
        }
    }
}

impl leptos::server_fn::error::FromServerFnError for AppError {
    type Encoder = leptos::server_fn::codec::JsonEncoding;

    fn from_server_fn_error(_value: leptos::server_fn::error::ServerFnErrorErr) -> Self {
        AppError::BadRequest
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statuses_follow_http_semantics() {
        assert_eq!(AppError::Unauthenticated.status(), 401);
        assert_eq!(AppError::Forbidden.status(), 403);
        assert_eq!(AppError::invalid("title", "For kort").status(), 422);
        assert_eq!(AppError::RateLimited.status(), 429);
    }

    #[test]
    fn validation_message_is_the_danish_text() {
        let e = AppError::invalid("title", "Titlen skal være mindst 5 tegn.");
        assert_eq!(e.to_string(), "Titlen skal være mindst 5 tegn.");
        assert_eq!(e.field(), Some("title"));
    }

    #[test]
    fn round_trips_as_json() {
        let e = AppError::invalid("body", "Mindst 20 tegn.");
        let json = serde_json::to_string(&e).unwrap_or_default();
        let back: AppError = serde_json::from_str(&json).unwrap_or(AppError::Internal);
        assert_eq!(back, e);
    }
}
