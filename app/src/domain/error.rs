//! The one error type that crosses the wire, with a Danish message for people
//! and an HTTP status for machines.
//!
//! On the wire (JSON, and base64 in a refused form's `__err=`) every error is an object
//! that API clients can show as it is: `{"error": "TooLarge", "status": 413,
//! "message": "Det, du sendte, er for stort. …"}`, plus `"field"` for a validation error.
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use thiserror::Error;

/// Errors a server function can return to the browser.
///
/// Messages are Danish and safe to show: no internals, no personal data.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
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
    /// The request's fields could not be read as the function's arguments (a field
    /// missing, sent twice, not a number, characters that are not UTF-8); the Danish
    /// message says which field when it is known (see [`AppError::missing_field`]).
    #[error("{0}")]
    BadRequest(String),
    /// The request body could not be read at all (it broke off, or was not what its
    /// headers said): 400.
    #[error("Det, du sendte, kom ikke helt frem. Prøv igen.")]
    Unreadable,
    /// The request body was of a kind the server does not read (e.g. `text/plain`): 415.
    #[error("Serveren kan ikke læse den slags indhold; den forventer en almindelig formular (application/x-www-form-urlencoded). Send formularen igen fra siden.")]
    UnsupportedMediaType,
    /// The request body was over the server's limit.
    #[error("Det, du sendte, er for stort. Gør teksten kortere, og prøv igen.")]
    TooLarge,
}

/// The Danish message for a field that is missing, and its English twin.
const MISSING: (&str, &str) = (
    "Feltet «{}» mangler. Udfyld det, og prøv igen.",
    "The field «{}» is missing. Fill it in and try again.",
);
/// A field whose text is not UTF-8 (also after percent-decoding).
const UNREADABLE_FIELD: (&str, &str) = (
    "Feltet «{}» indeholder tegn, der ikke kan læses. Skriv teksten igen (eller kopiér den fra et andet sted), og prøv igen.",
    "The field «{}» contains characters that cannot be read. Type the text again (or copy it from somewhere else) and try again.",
);
/// A field sent more than once.
const DUPLICATE: (&str, &str) = (
    "Feltet «{}» er sendt mere end én gang.",
    "The field «{}» was sent more than once.",
);
/// A field that must be a whole number.
const NOT_A_NUMBER: (&str, &str) = (
    "Feltet «{}» skal være et helt tal.",
    "The field «{}» must be a whole number.",
);
/// Anything else about the fields that could not be read.
const UNREADABLE_FIELDS: (&str, &str) = (
    "Forespørgslen kunne ikke læses: et felt mangler eller har en værdi, der ikke passer (fx et tal, der ikke er et tal).",
    "The request could not be read: a field is missing or has a value that does not fit (e.g. a number that is not a number).",
);
const FIELD_TEMPLATES: [(&str, &str); 4] = [MISSING, UNREADABLE_FIELD, DUPLICATE, NOT_A_NUMBER];

/// Field names are short identifiers; anything else is cut and cleaned before it goes
/// into a message.
fn field_name(field: &str) -> String {
    field
        .chars()
        .filter(|c| !c.is_control() && *c != '«' && *c != '»')
        .take(40)
        .collect()
}

impl AppError {
    /// A validation error for one form field.
    pub fn invalid(field: impl Into<String>, message: impl Into<String>) -> Self {
        Self::Validation {
            field: field.into(),
            message: message.into(),
        }
    }

    /// A required field was not sent (422).
    pub fn missing_field(field: &str) -> Self {
        Self::BadRequest(MISSING.0.replace("{}", &field_name(field)))
    }

    /// A field's text is not UTF-8, also after percent-decoding (422).
    pub fn unreadable_field(field: &str) -> Self {
        Self::BadRequest(UNREADABLE_FIELD.0.replace("{}", &field_name(field)))
    }

    /// A field was sent more than once (422).
    pub fn duplicate_field(field: &str) -> Self {
        Self::BadRequest(DUPLICATE.0.replace("{}", &field_name(field)))
    }

    /// A field that must be a whole number is not one (422).
    pub fn not_a_number(field: &str) -> Self {
        Self::BadRequest(NOT_A_NUMBER.0.replace("{}", &field_name(field)))
    }

    /// The fields could not be read, and which one is not known (422).
    pub fn unreadable_fields() -> Self {
        Self::BadRequest(UNREADABLE_FIELDS.0.to_owned())
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
            Self::Unreadable => 400,
            Self::Unauthenticated => 401,
            Self::Forbidden => 403,
            Self::NotFound => 404,
            Self::Validation { .. } | Self::BadRequest(_) => 422,
            Self::Conflict(_) => 409,
            Self::RateLimited => 429,
            Self::TooLarge => 413,
            Self::UnsupportedMediaType => 415,
            Self::Internal => 500,
        }
    }

    /// The error a bare status stands for, when something outside the app refused the
    /// request (the body limit's 413, a 400 from the framework).
    pub fn for_status(status: u16) -> Self {
        match status {
            400 => Self::Unreadable,
            401 => Self::Unauthenticated,
            403 => Self::Forbidden,
            404 | 405 => Self::NotFound,
            413 => Self::TooLarge,
            415 => Self::UnsupportedMediaType,
            422 => Self::unreadable_fields(),
            429 => Self::RateLimited,
            _ => Self::Internal,
        }
    }

    /// The field this error belongs to, if it is a validation error.
    pub fn field(&self) -> Option<&str> {
        match self {
            Self::Validation { field, .. } => Some(field),
            _ => None,
        }
    }

    /// The variant's name, as on the wire (`"error"`).
    pub fn kind(&self) -> &'static str {
        match self {
            Self::Unauthenticated => "Unauthenticated",
            Self::Forbidden => "Forbidden",
            Self::NotFound => "NotFound",
            Self::Validation { .. } => "Validation",
            Self::Conflict(_) => "Conflict",
            Self::RateLimited => "RateLimited",
            Self::Internal => "Internal",
            Self::BadRequest(_) => "BadRequest",
            Self::Unreadable => "Unreadable",
            Self::UnsupportedMediaType => "UnsupportedMediaType",
            Self::TooLarge => "TooLarge",
        }
    }

    /// The message in English, for a person who chose English. Messages written by the
    /// domain rules (validation, conflicts) exist in Danish only; those get `None`.
    pub fn english(&self) -> Option<String> {
        let text = match self {
            Self::Unauthenticated => "You need to log in to do that.",
            Self::Forbidden => "You do not have access to do that.",
            Self::NotFound => "We could not find what you were looking for.",
            Self::RateLimited => "You have tried too many times. Wait a little, and try again.",
            Self::Internal => "Something went wrong on our side. Try again in a moment.",
            Self::Unreadable => "What you sent did not arrive in full. Try again.",
            Self::UnsupportedMediaType => "The server cannot read this kind of content; it expects an ordinary form (application/x-www-form-urlencoded). Send the form again from the page.",
            Self::TooLarge => "What you sent is too large. Make the text shorter, and try again.",
            Self::BadRequest(message) => {
                if message == UNREADABLE_FIELDS.0 {
                    return Some(UNREADABLE_FIELDS.1.to_owned());
                }
                return FIELD_TEMPLATES.iter().find_map(|(da, en)| {
                    let (before, after) = da.split_once("{}")?;
                    let field = message.strip_prefix(before)?.strip_suffix(after)?;
                    Some(en.replace("{}", field))
                });
            }
            Self::Validation { .. } | Self::Conflict(_) => return None,
        };
        Some(text.to_owned())
    }
}

/// How an error is written on the wire.
#[derive(Serialize)]
struct WireOut<'a> {
    error: &'static str,
    status: u16,
    message: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    field: Option<&'a str>,
}

/// How an error is read from the wire (`status` is ignored: the kind decides it).
#[derive(Deserialize)]
struct WireIn {
    error: String,
    #[serde(default)]
    message: String,
    #[serde(default)]
    field: Option<String>,
}

impl Serialize for AppError {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        WireOut {
            error: self.kind(),
            status: self.status(),
            message: self.to_string(),
            field: self.field(),
        }
        .serialize(serializer)
    }
}

impl<'de> Deserialize<'de> for AppError {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let wire = WireIn::deserialize(deserializer)?;
        Ok(match wire.error.as_str() {
            "Unauthenticated" => Self::Unauthenticated,
            "Forbidden" => Self::Forbidden,
            "NotFound" => Self::NotFound,
            "Validation" => Self::Validation {
                field: wire.field.unwrap_or_default(),
                message: wire.message,
            },
            "Conflict" => Self::Conflict(wire.message),
            "RateLimited" => Self::RateLimited,
            "Internal" => Self::Internal,
            "BadRequest" => Self::BadRequest(wire.message),
            "Unreadable" => Self::Unreadable,
            "UnsupportedMediaType" => Self::UnsupportedMediaType,
            "TooLarge" => Self::TooLarge,
            other => {
                return Err(serde::de::Error::unknown_variant(
                    other,
                    &[
                        "Unauthenticated",
                        "Forbidden",
                        "NotFound",
                        "Validation",
                        "Conflict",
                        "RateLimited",
                        "Internal",
                        "BadRequest",
                        "Unreadable",
                        "UnsupportedMediaType",
                        "TooLarge",
                    ],
                ))
            }
        })
    }
}

/// The text between backticks in a serde message such as "missing field `body`".
fn backticked(message: &str) -> Option<&str> {
    let (_, rest) = message.split_once('`')?;
    let (name, _) = rest.split_once('`')?;
    Some(name)
}

impl leptos::server_fn::error::FromServerFnError for AppError {
    type Encoder = leptos::server_fn::codec::JsonEncoding;

    /// Errors of the server-function machinery: on the server, arguments that could not
    /// be read (named when serde names them); in the browser, a request that failed.
    fn from_server_fn_error(value: leptos::server_fn::error::ServerFnErrorErr) -> Self {
        use leptos::server_fn::error::ServerFnErrorErr as E;
        match value {
            E::MissingArg(field) => AppError::missing_field(&field),
            E::Args(message) if message.contains("missing field") => backticked(&message)
                .map_or_else(AppError::unreadable_fields, AppError::missing_field),
            E::Args(message) if message.contains("duplicate field") => backticked(&message)
                .map_or_else(AppError::unreadable_fields, AppError::duplicate_field),
            _ => AppError::unreadable_fields(),
        }
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
    #[test]
    fn every_error_carries_its_message_and_status_on_the_wire() {
        for e in [
            AppError::Unauthenticated,
            AppError::Forbidden,
            AppError::NotFound,
            AppError::invalid("title", "For kort"),
            AppError::Conflict("Optaget".into()),
            AppError::RateLimited,
            AppError::Internal,
            AppError::missing_field("body"),
            AppError::Unreadable,
            AppError::UnsupportedMediaType,
            AppError::TooLarge,
        ] {
            let json = serde_json::to_value(&e).unwrap_or_default();
            assert_eq!(json["error"], e.kind(), "{json}");
            assert_eq!(json["status"], e.status(), "{json}");
            assert_eq!(json["message"], e.to_string(), "{json}");
            let back: Result<AppError, _> = serde_json::from_value(json);
            assert_eq!(back.ok(), Some(e));
        }
        assert!(serde_json::from_str::<AppError>(r#"{"error":"Nonsense"}"#).is_err());
    }

    #[test]
    fn unreadable_arguments_name_the_field_in_both_languages() {
        use leptos::server_fn::error::{FromServerFnError, ServerFnErrorErr};
        let e =
            AppError::from_server_fn_error(ServerFnErrorErr::Args("missing field `body`".into()));
        assert_eq!(e, AppError::missing_field("body"));
        assert_eq!(e.status(), 422);
        assert!(e.to_string().contains("Feltet «body» mangler"), "{e}");
        assert_eq!(
            e.english().as_deref(),
            Some("The field «body» is missing. Fill it in and try again.")
        );
        let utf8 = AppError::unreadable_field("title");
        assert!(utf8
            .to_string()
            .starts_with("Feltet «title» indeholder tegn, der ikke kan læses."));
        assert!(utf8.english().is_some_and(|m| m.contains("«title»")));
        let other = AppError::from_server_fn_error(ServerFnErrorErr::Args("invalid digit".into()));
        assert_eq!(other, AppError::unreadable_fields());
        assert!(other.english().is_some());
        assert_eq!(AppError::invalid("title", "For kort").english(), None);
    }
}
