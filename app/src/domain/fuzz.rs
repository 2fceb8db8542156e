//! Property tests over every validator with arbitrary and hostile text: none panics, every
//! refusal names a field with a Danish message, and text that is accepted never carries a
//! control character (other than a line break) or an invisible bidi/format character.
#![cfg(test)]

use super::account::{
    is_invisible_format, parse_birth_year, validate_email, validate_first_name,
    validate_new_password,
};
use super::answer::{validate_clarification, validate_follow_up};
use super::council::{
    parse_local_time, validate_decline_reason, validate_item, validate_minutes, validate_place,
    validate_suggestion,
};
use super::error::AppError;
use super::moderation::validate_reason;
use super::pool::{
    parse_kroner, validate_application, validate_decision, validate_pool_year, validate_report,
    ApplicationForm,
};
use super::proposal::{validate_answer, validate_comment, validate_content, Intent};
use proptest::prelude::*;

/// Text a hostile client might send: anything, or ordinary words mixed with control,
/// bidi-override, zero-width, HTML and SQL pieces.
fn hostile() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        "[a-zA-ZæøåÆØÅ0-9 .,!?-]{0,40}",
        Just("\0".to_owned()),
        Just("\u{202E}".to_owned()),
        Just("\u{200B}\u{FEFF}\u{2066}".to_owned()),
        Just("\r\n\t\u{7}".to_owned()),
        Just("<script>alert(1)</script>".to_owned()),
        Just("'; DROP TABLE users; --".to_owned()),
        Just("-99999999999999999999".to_owned()),
        Just("1.000,50".to_owned()),
        any::<String>(),
    ];
    prop::collection::vec(piece, 0..8).prop_map(|v| v.concat())
}

fn clean(s: &str) -> bool {
    s.chars()
        .all(|c| (!c.is_control() || c == '\n') && !is_invisible_format(c))
}

fn refusal_ok(e: &AppError) -> bool {
    !e.to_string().trim().is_empty()
        && match e {
            AppError::Validation { field, .. } => !field.is_empty(),
            _ => true,
        }
}

fn check_text(r: Result<String, AppError>) -> Result<(), TestCaseError> {
    match r {
        Ok(s) => prop_assert!(clean(&s), "accepted unclean text {s:?}"),
        Err(e) => prop_assert!(refusal_ok(&e), "bad refusal {e:?}"),
    }
    Ok(())
}

fn check_any<T>(r: Result<T, AppError>) -> Result<(), TestCaseError> {
    if let Err(e) = r {
        prop_assert!(refusal_ok(&e), "bad refusal {e:?}");
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]

    #[test]
    fn account_validators(a in hostile(), b in hostile()) {
        check_text(validate_first_name(&a))?;
        check_text(validate_email(&a))?;
        check_any(parse_birth_year(&a))?;
        check_any(validate_new_password("password", &b))?;
    }

    #[test]
    fn proposal_validators(a in hostile(), b in hostile(), c in hostile()) {
        match validate_content(&a, &b, &c, &a, Intent::Submit) {
            Ok((title, body, ..)) => {
                prop_assert!(clean(&title) && clean(&body));
            }
            Err(e) => prop_assert!(refusal_ok(&e)),
        }
        check_any(validate_content(&a, &b, "fritid_kultur", "1", Intent::Draft))?;
        check_text(validate_comment(&a))?;
        check_any(validate_answer(&a, &b, &c))?;
        check_any(validate_answer("nej", &b, "andet"))?;
    }

    #[test]
    fn council_and_moderation_validators(a in hostile(), b in hostile()) {
        match validate_suggestion(&a, &b) {
            Ok((t, body)) => prop_assert!(clean(&t) && clean(&body)),
            Err(e) => prop_assert!(refusal_ok(&e)),
        }
        check_text(validate_decline_reason(&a))?;
        check_text(validate_place(&a))?;
        check_text(validate_reason(&a))?;
        check_any(validate_minutes(&a, &b))?;
        check_any(validate_item(&a, &b))?;
        check_any(parse_local_time(&a))?;
        check_text(validate_clarification(&a))?;
        check_any(validate_follow_up(&a, &b))?;
        check_any(validate_follow_up("opgivet", &b))?;
    }

    #[test]
    fn pool_validators(a in hostile(), b in hostile(), n in hostile()) {
        check_any(parse_kroner(&n, "amount"))?;
        check_any(validate_pool_year(&n, &n, &n, &n, &a))?;
        check_any(validate_decision(&a, &n, &b, &a, 100_000))?;
        check_any(validate_decision("delvist", &n, &b, &a, 100_000))?;
        check_any(validate_report(&a, &n, &[n.clone(), b.clone()], 2))?;
        let form = ApplicationForm {
            title: a.clone(),
            activity: b.clone(),
            audience: a.clone(),
            participants: n.clone(),
            date: n.clone(),
            place: b.clone(),
            members: a.clone(),
            amount: n.clone(),
            already_paid: a.clone(),
            lines: vec![(a.clone(), n.clone()), (b.clone(), "100".into())],
        };
        let today = chrono::NaiveDate::from_ymd_opt(2026, 11, 22).unwrap_or_default();
        match validate_application(&form, 1_500_000, 13, 16, today) {
            Ok(app) => {
                prop_assert!(clean(&app.title) && clean(&app.activity) && clean(&app.place));
                prop_assert!(app.amount > 0);
            }
            Err(e) => prop_assert!(refusal_ok(&e)),
        }
        let _ = form.bounded();
    }
}
