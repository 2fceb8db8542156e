//! E-mail verification and password reset by mail (#19). The mails are rows in the outbox,
//! written in the transaction of their cause (`db::mail`); nothing here talks to SMTP.
use crate::domain::error::AppError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

#[cfg(feature = "ssr")]
use crate::{
    domain::{account as rules, mail as mail_rules, mail::TokenPurpose, message::Msg},
    ssr::{auth, db, password},
};

/// The caller's address as /konto shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AddressStatus {
    /// They proved they read it (until then they get no mail but the verification).
    pub verified: bool,
    /// The account has an address at all (one made from a login may have none).
    pub has_address: bool,
}

/// A repeated reset request for one address within this many seconds writes no second
/// mail: the first is on its way (a double click, or fifty identical posts at once).
#[cfg(feature = "ssr")]
const RESET_REPEAT_SECS: i64 = 60;

/// The interface language of this request (the language cookie), for the person's mail.
#[cfg(feature = "ssr")]
pub fn request_lang() -> &'static str {
    use crate::domain::lang::LANG_COOKIE;
    let english = use_context::<http::request::Parts>().is_some_and(|p| {
        p.headers
            .get_all(http::header::COOKIE)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .flat_map(|v| v.split(';'))
            .filter_map(|c| c.trim().split_once('='))
            .any(|(name, value)| name == LANG_COOKIE && value == "en")
    });
    if english {
        "en"
    } else {
        "da"
    }
}

/// Whether `token` looks like a mail token at all (64 hex digits).
#[cfg(feature = "ssr")]
fn token_shaped(token: &str) -> bool {
    token.len() == 64 && token.bytes().all(|b| b.is_ascii_hexdigit())
}

/// Confirms the address of the person a verification link was sent to. Open to everyone
/// (the token is the proof). Pressing the same link twice is no error once the address is
/// verified; an expired or unknown link is refused on the field `token`.
#[server(prefix = "/api", endpoint = "account/verify-email")]
pub async fn verify_email(token: String) -> Result<(), AppError> {
    auth::respond(
        async {
            let token = token.trim();
            let state = auth::state()?;
            let now = chrono::Utc::now();
            let mut tx = db::write_tx(state.db.pool()).await?;
            let verified = match db::mail::use_token_tx(&mut tx, token, TokenPurpose::Verify, now)
                .await?
            {
                Some(user) => {
                    if db::mail::mark_verified_tx(&mut tx, user, now).await? {
                        tracing::info!(user_id = user.0, "e-mail address verified");
                    }
                    true
                }
                None => db::account_mail::verify_token_owner_verified_tx(&mut tx, token).await?,
            };
            tx.commit().await?;
            if !verified {
                return Err(AppError::invalid("token", Msg::VerifyLinkInvalid));
            }
            leptos_axum::redirect("/bekraeft-email?bekraeftet=1");
            Ok(())
        }
        .await,
    )
}

/// Sends the caller a new verification mail (limited per person per hour). Nothing is
/// sent, and nothing counted, when the address is verified already.
#[server(prefix = "/api", endpoint = "account/resend-verification")]
pub async fn resend_verification() -> Result<(), AppError> {
    auth::respond(
        async {
            let user = auth::require_user().await?;
            let ticket = auth::limit_user(
                "verify-resend",
                user.id,
                mail_rules::MAX_VERIFY_RESENDS_HOURLY,
                3600,
            )
            .await?;
            let state = auth::state()?;
            let mut tx = db::write_tx(state.db.pool()).await?;
            let sent =
                db::mail::queue_verification_tx(&mut tx, user.id, chrono::Utc::now()).await?;
            tx.commit().await?;
            if sent {
                ticket.keep();
                tracing::info!(user_id = user.id.0, "verification mail sent again");
                leptos_axum::redirect("/konto?bekraeftelse=sendt");
            } else {
                ticket.give_back().await;
                leptos_axum::redirect("/konto");
            }
            Ok(())
        }
        .await,
    )
}

/// Whether the caller's address is verified.
#[server(prefix = "/api", endpoint = "account/mail-status")]
pub async fn mail_status() -> Result<AddressStatus, AppError> {
    auth::respond(
        async {
            let user = auth::require_user().await?;
            let prefs = db::mail::prefs(auth::state()?.db.pool(), user.id)
                .await?
                .ok_or(AppError::Unauthenticated)?;
            Ok(AddressStatus {
                verified: prefs.verified,
                has_address: prefs.has_address,
            })
        }
        .await,
    )
}

/// Sends a password-reset link to `email` if it has an account. The answer is the same
/// whether it has or not, and both take the same way: the limits per address and per IP,
/// a write transaction, a look-up; only a known address writes a token and a mail.
#[server(prefix = "/api", endpoint = "account/forgot-password")]
pub async fn request_password_reset(email: String) -> Result<(), AppError> {
    auth::respond(
        async {
            let email = rules::validate_email(&email)?;
            // The address is counted by its hash: the limits table holds no addresses.
            let key = db::mail::token_hash(&email);
            let key = key.get(..32).unwrap_or(&key);
            auth::limit_ip("reset", mail_rules::MAX_RESETS_PER_IP_HOURLY, 3600)
                .await?
                .keep();
            auth::limit(
                &format!("reset:addr:{key}"),
                mail_rules::MAX_RESETS_PER_ADDRESS_HOURLY,
                3600,
            )
            .await?
            .keep();
            let state = auth::state()?;
            let now = chrono::Utc::now();
            let mut tx = db::write_tx(state.db.pool()).await?;
            // Requests for one address are judged one at a time (the repeat check below).
            db::lock(&mut tx, &format!("reset:{key}")).await?;
            let since = now - chrono::Duration::seconds(RESET_REPEAT_SECS);
            if !db::account_mail::recent_reset_tx(&mut tx, &email, since).await? {
                db::mail::queue_reset_tx(&mut tx, &email, now).await?;
            }
            tx.commit().await?;
            leptos_axum::redirect("/glemt-kodeord?sendt=1");
            Ok(())
        }
        .await,
    )
}

/// Sets a new password with a reset link's token, in one transaction: the token is spent,
/// the password replaced, the address taken as verified (they read the mail), every
/// session of the person ended and their other reset links voided. An invalid, expired or
/// used link changes nothing and is refused on the field `password`.
#[server(prefix = "/api", endpoint = "account/reset-password")]
pub async fn reset_password(token: String, password: String) -> Result<(), AppError> {
    auth::respond(
        async {
            let token = token.trim();
            rules::validate_new_password("password", &password)?;
            let invalid = || AppError::invalid("password", Msg::ResetLinkInvalid);
            if !token_shaped(token) {
                return Err(invalid());
            }
            // Hashing is slow on purpose: limit how often one place can make us do it.
            auth::limit_ip("reset-use", mail_rules::MAX_RESETS_PER_IP_HOURLY, 3600)
                .await?
                .keep();
            let hash = password::hash_new(password).await?;
            let state = auth::state()?;
            let now = chrono::Utc::now();
            let mut tx = db::write_tx(state.db.pool()).await?;
            let Some(user) =
                db::mail::use_token_tx(&mut tx, token, TokenPurpose::Reset, now).await?
            else {
                tx.rollback().await?;
                return Err(invalid());
            };
            db::users::set_password_tx(&mut tx, user, &hash).await?;
            db::mail::mark_verified_tx(&mut tx, user, now).await?;
            let ended = db::account_mail::end_sessions_tx(&mut tx, user).await?;
            db::account_mail::drop_reset_tokens_tx(&mut tx, user).await?;
            tx.commit().await?;
            // A browser logged in as this person is logged out too (its session is gone).
            if auth::session_user_id().await? == Some(user) {
                auth::log_out().await?;
            }
            tracing::info!(user_id = user.0, sessions = ended, "password reset by mail");
            leptos_axum::redirect("/log-ind?nyt-kodeord=1");
            Ok(())
        }
        .await,
    )
}
