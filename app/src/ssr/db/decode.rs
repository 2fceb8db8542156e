//! Strict decoding of the database's text columns into the domain's enums: a value the
//! domain does not know is a decoding error (logged, an internal error for the reader),
//! never a silent default. Each enum decodes through its own `parse`, so the database
//! spelling stays defined once, next to the enum.
use crate::domain::account::{AccountStatus, CouncilKind, RoleKind};
use crate::domain::answer::FollowUpState;
use crate::domain::audit::AuditAction;
use crate::domain::council::{Choice, MeetingStatus, SuggestionStatus};
use crate::domain::hearing::{InputStatus, ResponseStatus, UseKind};
use crate::domain::notification::NotificationKind;
use crate::domain::pool::ApplicationStatus;
use crate::domain::proposal::{AnswerKind, AnswerReason, Stage, Theme, Visibility};
use chrono::NaiveDate;
use sqlx::any::{Any, AnyTypeInfo, AnyValueRef};
use sqlx::error::BoxDynError;
use sqlx::{Decode, Type};

/// The error for a stored text a type does not know.
#[derive(Debug, thiserror::Error)]
#[error("unknown {kind} value {value:?} in the database")]
pub struct UnknownValue {
    pub kind: &'static str,
    pub value: String,
}

/// Parses `value` with `parse`, or fails naming the type and the value.
pub fn strict<T>(
    kind: &'static str,
    value: &str,
    parse: impl FnOnce(&str) -> Option<T>,
) -> Result<T, UnknownValue> {
    parse(value).ok_or_else(|| UnknownValue {
        kind,
        value: value.to_owned(),
    })
}

/// A stored `YYYY-MM-DD` date; anything else is an error.
pub fn date(value: &str) -> Result<NaiveDate, sqlx::Error> {
    strict("date", value, |s| {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").ok()
    })
    .map_err(|e| sqlx::Error::Decode(Box::new(e)))
}

/// A date column, decoded strictly (see [`date`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Day(pub NaiveDate);

impl Type<Any> for Day {
    fn type_info() -> AnyTypeInfo {
        <String as Type<Any>>::type_info()
    }
    fn compatible(ty: &AnyTypeInfo) -> bool {
        <String as Type<Any>>::compatible(ty)
    }
}

impl<'r> Decode<'r, Any> for Day {
    fn decode(value: AnyValueRef<'r>) -> Result<Self, BoxDynError> {
        let text = <String as Decode<'r, Any>>::decode(value)?;
        Ok(Day(strict("date", &text, |s| {
            NaiveDate::parse_from_str(s, "%Y-%m-%d").ok()
        })?))
    }
}

/// `sqlx::Type` and `sqlx::Decode` for text enums with `parse(&str) -> Option<Self>`.
macro_rules! text_enum {
    ($($name:ident),* $(,)?) => {$(
        impl Type<Any> for $name {
            fn type_info() -> AnyTypeInfo {
                <String as Type<Any>>::type_info()
            }
            fn compatible(ty: &AnyTypeInfo) -> bool {
                <String as Type<Any>>::compatible(ty)
            }
        }

        impl<'r> Decode<'r, Any> for $name {
            fn decode(value: AnyValueRef<'r>) -> Result<Self, BoxDynError> {
                let text = <String as Decode<'r, Any>>::decode(value)?;
                Ok(strict(stringify!($name), &text, $name::parse)?)
            }
        }
    )*};
}

text_enum!(
    AccountStatus,
    CouncilKind,
    RoleKind,
    FollowUpState,
    AuditAction,
    Choice,
    MeetingStatus,
    SuggestionStatus,
    NotificationKind,
    ApplicationStatus,
    AnswerKind,
    AnswerReason,
    Stage,
    Theme,
    Visibility,
    ResponseStatus,
    UseKind,
    InputStatus,
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_text_is_an_error_not_a_default() {
        assert!(strict("Theme", "andet", Theme::parse).is_ok());
        let e = strict("Theme", "bogus", Theme::parse).err();
        assert_eq!(
            e.map(|e| e.to_string()),
            Some("unknown Theme value \"bogus\" in the database".to_owned())
        );
        assert!(date("2026-13-01").is_err());
        assert!(date("2026-12-01").is_ok());
    }

    /// Through sqlx, as every query reads: a known value decodes, an unknown one is a
    /// `ColumnDecode` error naming the column, never a default.
    #[tokio::test]
    async fn a_row_with_an_unknown_value_is_an_error() {
        sqlx::any::install_default_drivers();
        let Ok(pool) = sqlx::AnyPool::connect("sqlite::memory:").await else {
            panic!("in-memory SQLite");
        };
        #[derive(Debug, sqlx::FromRow)]
        #[allow(dead_code)]
        struct AnswerRow {
            status: Stage,
            answer: Option<AnswerKind>,
            day: Day,
        }
        let known: Result<AnswerRow, _> =
            sqlx::query_as("SELECT 'answered' AS status, 'delvist' AS answer, '2026-05-01' AS day")
                .fetch_one(&pool)
                .await;
        assert!(known.is_ok(), "{known:?}");
        for sql in [
            "SELECT 'bogus' AS status, NULL AS answer, '2026-05-01' AS day",
            "SELECT 'answered' AS status, 'maybe' AS answer, '2026-05-01' AS day",
            "SELECT 'answered' AS status, NULL AS answer, '2026-02-30' AS day",
        ] {
            let row: Result<AnswerRow, _> = sqlx::query_as(sql).fetch_one(&pool).await;
            assert!(
                matches!(row, Err(sqlx::Error::ColumnDecode { .. })),
                "{sql}: {row:?}"
            );
        }
        #[derive(Debug, sqlx::FromRow)]
        struct Row {
            #[allow(dead_code)]
            theme: Theme,
        }
        let row: Result<Row, _> = sqlx::query_as("SELECT 'politik' AS theme")
            .fetch_one(&pool)
            .await;
        let err = row.err().map(|e| e.to_string()).unwrap_or_default();
        assert!(err.contains("theme") && err.contains("politik"), "{err}");
    }
}
