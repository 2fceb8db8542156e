//! The one error type that crosses the wire: a message code with its parameters for
//! people, and an HTTP status for machines.
//!
//! On the wire (JSON, and base64 in a refused form's `__err=`) every error is an object
//! that API clients can show as it is: `{"error": "Validation", "status": 422,
//! "code": "title_too_short", "params": {"min": 5, "n": 3}, "message": "Titlen skal være
//! mindst 5 tegn (nu 3).", "field": "title"}`. The text is written from the code by
//! `ui::error_text` (Danish here; the server rewrites it in English for a person who chose
//! English); reading an error back uses only the code and its parameters. Internal causes
//! never cross the wire: the server logs them where they become [`AppError::Internal`].
use super::message::Msg;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// Errors a server function can return to the browser.
///
/// Messages are codes ([`Msg`]) that are safe to show: no internals, no personal data.
/// `Display` (in `ui::error_text`) writes the Danish text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AppError {
    Unauthenticated,
    Forbidden,
    NotFound,
    /// A field failed validation; `field` names the form field.
    Validation {
        field: String,
        msg: Msg,
    },
    Conflict(Msg),
    RateLimited,
    Internal,
    /// The request's fields could not be read as the function's arguments (a field
    /// missing, sent twice, not a number, characters that are not UTF-8); the message
    /// says which field when it is known (see [`AppError::missing_field`]).
    BadRequest(Msg),
    /// The request body could not be read at all (it broke off, or was not what its
    /// headers said): 400.
    Unreadable,
    /// The request body was of a kind the server does not read (e.g. `text/plain`): 415.
    UnsupportedMediaType,
    /// The request body was over the server's limit.
    TooLarge,
}

impl std::error::Error for AppError {}

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
    pub fn invalid(field: impl Into<String>, msg: Msg) -> Self {
        Self::Validation {
            field: field.into(),
            msg,
        }
    }

    /// A required field was not sent (422).
    pub fn missing_field(field: &str) -> Self {
        Self::BadRequest(Msg::MissingField {
            field: field_name(field),
        })
    }

    /// A field's text is not UTF-8, also after percent-decoding (422).
    pub fn unreadable_field(field: &str) -> Self {
        Self::BadRequest(Msg::UnreadableField {
            field: field_name(field),
        })
    }

    /// A field was sent more than once (422).
    pub fn duplicate_field(field: &str) -> Self {
        Self::BadRequest(Msg::DuplicateField {
            field: field_name(field),
        })
    }

    /// A field that must be a whole number is not one (422).
    pub fn not_a_number(field: &str) -> Self {
        Self::BadRequest(Msg::NotANumber {
            field: field_name(field),
        })
    }

    /// The fields could not be read, and which one is not known (422).
    pub fn unreadable_fields() -> Self {
        Self::BadRequest(Msg::UnreadableFields)
    }

    /// Turns a conflict (e.g. an e-mail already in use) into a message on `field`.
    pub fn conflict_on(self, field: &str) -> Self {
        match self {
            Self::Conflict(msg) => Self::invalid(field, msg),
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

    /// What the error says, as a code with parameters (the kinds without a message of
    /// their own have one named after them).
    pub fn msg(&self) -> Msg {
        match self {
            Self::Unauthenticated => Msg::Unauthenticated,
            Self::Forbidden => Msg::Forbidden,
            Self::NotFound => Msg::NotFound,
            Self::Validation { msg, .. } | Self::Conflict(msg) | Self::BadRequest(msg) => {
                msg.clone()
            }
            Self::RateLimited => Msg::RateLimited,
            Self::Internal => Msg::Internal,
            Self::Unreadable => Msg::Unreadable,
            Self::UnsupportedMediaType => Msg::UnsupportedMediaType,
            Self::TooLarge => Msg::TooLarge,
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

    /// The error as it goes on the wire, with `message` as its text (see the module
    /// comment): the server writes it in the person's language.
    pub fn to_wire(&self, message: String) -> serde_json::Value {
        let msg = self.msg();
        let mut value = serde_json::to_value(&msg).unwrap_or_default();
        if let Some(object) = value.as_object_mut() {
            object.insert("error".into(), self.kind().into());
            object.insert("status".into(), self.status().into());
            object.insert("message".into(), message.into());
            if let Some(field) = self.field() {
                object.insert("field".into(), field.into());
            }
        }
        value
    }
}

/// How an error is read from the wire (`status` and `message` are ignored: the kind and
/// the code decide them).
#[derive(Deserialize)]
struct WireIn {
    error: String,
    #[serde(default)]
    code: Option<String>,
    #[serde(default)]
    params: Option<serde_json::Value>,
    #[serde(default)]
    field: Option<String>,
}

impl WireIn {
    /// The message its code and parameters name, if they name one.
    fn msg(&self) -> Option<Msg> {
        let mut wire = serde_json::Map::new();
        wire.insert("code".into(), self.code.clone()?.into());
        if let Some(params) = &self.params {
            wire.insert("params".into(), params.clone());
        }
        serde_json::from_value(serde_json::Value::Object(wire)).ok()
    }
}

impl Serialize for AppError {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.to_wire(self.to_string()).serialize(serializer)
    }
}

impl<'de> Deserialize<'de> for AppError {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let wire = WireIn::deserialize(deserializer)?;
        let msg = wire.msg();
        let with_msg = |make: fn(Msg) -> Self, msg: Option<Msg>| {
            msg.map(make)
                .ok_or_else(|| serde::de::Error::missing_field("code"))
        };
        Ok(match wire.error.as_str() {
            "Unauthenticated" => Self::Unauthenticated,
            "Forbidden" => Self::Forbidden,
            "NotFound" => Self::NotFound,
            "Validation" => {
                let field = wire.field.unwrap_or_default();
                let msg = msg.ok_or_else(|| serde::de::Error::missing_field("code"))?;
                Self::Validation { field, msg }
            }
            "Conflict" => with_msg(Self::Conflict, msg)?,
            "RateLimited" => Self::RateLimited,
            "Internal" => Self::Internal,
            "BadRequest" => with_msg(Self::BadRequest, msg)?,
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
        assert_eq!(
            AppError::invalid("title", Msg::TitleTooShort { min: 5, n: 1 }).status(),
            422
        );
        assert_eq!(AppError::RateLimited.status(), 429);
    }

    #[test]
    fn a_validation_error_carries_its_code_and_field() {
        let e = AppError::invalid("title", Msg::TitleTooShort { min: 5, n: 3 });
        assert_eq!(e.to_string(), "Titlen skal være mindst 5 tegn (nu 3).");
        assert_eq!(e.field(), Some("title"));
        let json = serde_json::to_value(&e).unwrap_or_default();
        assert_eq!(json["code"], "title_too_short", "{json}");
        assert_eq!(json["params"]["min"], 5, "{json}");
        assert_eq!(json["params"]["n"], 3, "{json}");
        assert_eq!(json["field"], "title", "{json}");
    }

    #[test]
    fn round_trips_as_json() {
        let e = AppError::invalid("body", Msg::BodyTooShort { min: 20, n: 2 });
        let json = serde_json::to_string(&e).unwrap_or_default();
        let back: AppError = serde_json::from_str(&json).unwrap_or(AppError::Internal);
        assert_eq!(back, e);
        // Only the code and its parameters count: the message may be in any language.
        let english = r#"{"error":"Conflict","status":409,"code":"vote_closed","message":"The vote is closed."}"#;
        assert_eq!(
            serde_json::from_str::<AppError>(english).ok(),
            Some(AppError::Conflict(Msg::VoteClosed))
        );
    }

    #[test]
    fn every_error_carries_its_code_message_and_status_on_the_wire() {
        for e in [
            AppError::Unauthenticated,
            AppError::Forbidden,
            AppError::NotFound,
            AppError::invalid("title", Msg::ChooseTheme),
            AppError::Conflict(Msg::EmailTaken),
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
            assert_eq!(json["code"], e.msg().code(), "{json}");
            assert_eq!(json["message"], e.to_string(), "{json}");
            let back: Result<AppError, _> = serde_json::from_value(json);
            assert_eq!(back.ok(), Some(e));
        }
        assert!(serde_json::from_str::<AppError>(r#"{"error":"Nonsense"}"#).is_err());
        assert!(serde_json::from_str::<AppError>(r#"{"error":"Conflict"}"#).is_err());
    }

    #[test]
    fn unreadable_arguments_name_the_field() {
        use leptos::server_fn::error::{FromServerFnError, ServerFnErrorErr};
        let e =
            AppError::from_server_fn_error(ServerFnErrorErr::Args("missing field `body`".into()));
        assert_eq!(e, AppError::missing_field("body"));
        assert_eq!(e.status(), 422);
        assert!(e.to_string().contains("Feltet «body» mangler"), "{e}");
        let utf8 = AppError::unreadable_field("title");
        assert!(utf8
            .to_string()
            .starts_with("Feltet «title» indeholder tegn, der ikke kan læses."));
        let other = AppError::from_server_fn_error(ServerFnErrorErr::Args("invalid digit".into()));
        assert_eq!(other, AppError::unreadable_fields());
    }
}
