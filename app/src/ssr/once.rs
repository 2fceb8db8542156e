//! One-time form tokens: every form that creates something (a proposal, a comment, a pool
//! application, a follow-up note, …) carries one, issued with the page. The token is
//! signed (HMAC-SHA256 with the installation's secret) and names the person and when it
//! was issued, so the server needs to store nothing until it is used; the creation then
//! stores its SHA-256 hash in the same transaction as what it creates
//! (`db::submissions`). A replay — a double click, a retrying phone, a proxy that sends
//! the post again, a stale tab — finds the token taken, creates nothing, and gets the first
//! submission's result (the same redirect).
use crate::domain::error::AppError;
use crate::domain::ids::UserId;
use crate::domain::message::Msg;
use crate::ssr::auth::RateTicket;
use crate::ssr::db::{self, submissions::Once, DbError};
use argon2::password_hash::rand_core::{OsRng, RngCore};

use hmac::{Hmac, Mac};
use sha2::{Digest, Sha256};
use sqlx::AnyPool;

type HmacSha256 = Hmac<Sha256>;

/// The form field that carries the token.
pub const FIELD: &str = "form_token";
/// How long a form may stay open before it must be reloaded (a week: a phone left with
/// the form open overnight still works).
pub const VALID_SECS: i64 = 7 * 24 * 3600;

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// The installation's signing secret (kept in the settings table, shared by every
/// server instance on the same database; cached per process).
async fn secret(_pool: &AnyPool) -> Result<Vec<u8>, AppError> {
    Ok(crate::ssr::auth::state()?
        .db
        .form_secret()
        .await?
        .into_bytes())
}

fn mac(secret: &[u8], payload: &str) -> Result<String, AppError> {
    let mut m = HmacSha256::new_from_slice(secret).map_err(|_| AppError::Internal)?;
    m.update(payload.as_bytes());
    Ok(hex(&m.finalize().into_bytes()[..16]))
}

/// A new token for `user`: `<issued secs>.<random>.<signature>`.
pub async fn issue(pool: &AnyPool, user: UserId) -> Result<String, AppError> {
    signed(&secret(pool).await?, user)
}

/// [`issue`] outside a page render (the page cache fills a kept page's forms with it).
pub async fn issue_in(db: &crate::ssr::db::Db, user: UserId) -> Result<String, AppError> {
    signed(&db.form_secret().await?.into_bytes(), user)
}

fn signed(secret: &[u8], user: UserId) -> Result<String, AppError> {
    let mut nonce = [0u8; 16];
    OsRng.fill_bytes(&mut nonce);
    let issued = chrono::Utc::now().timestamp();
    let payload = format!("{}.{issued}.{}", user.0, hex(&nonce));
    let sig = mac(secret, &payload)?;
    Ok(format!("{issued}.{}.{sig}", hex(&nonce)))
}

/// The message a person sees when the form's token is missing, forged or too old.
fn stale() -> AppError {
    AppError::invalid(FIELD, Msg::FormExpired)
}

/// Checks a token from a form for `user` and the form `kind`.
pub async fn check(
    pool: &AnyPool,
    token: &str,
    user: UserId,
    kind: &'static str,
) -> Result<Once, AppError> {
    let token = token.trim();
    let mut parts = token.split('.');
    let (Some(issued), Some(nonce), Some(sig), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err(stale());
    };
    let Ok(issued_secs) = issued.parse::<i64>() else {
        return Err(stale());
    };
    let age = chrono::Utc::now().timestamp() - issued_secs;
    if !(-300..=VALID_SECS).contains(&age) || nonce.len() != 32 || sig.len() != 32 {
        return Err(stale());
    }
    let secret = secret(pool).await?;
    let expected = mac(&secret, &format!("{}.{issued}.{nonce}", user.0))?;
    // Compare without an early exit.
    let same = expected.len() == sig.len()
        && expected
            .bytes()
            .zip(sig.bytes())
            .fold(0u8, |acc, (a, b)| acc | (a ^ b))
            == 0;
    if !same {
        return Err(stale());
    }
    Ok(Once {
        hash: hex(&Sha256::digest(token.as_bytes())),
        user,
        kind,
    })
}

/// What happened to a one-time submission.
pub enum Outcome<T> {
    /// This request created it.
    Created(T),
    /// An earlier request with the same token did; here is what it created.
    Replayed(String),
}

/// The earlier result, when this token was already used for this form; a token used for
/// another form is refused. Checked before anything is counted, so a replay costs the
/// person nothing (no rate-limit event).
pub async fn previous(pool: &AnyPool, once: &Once) -> Result<Option<String>, AppError> {
    match db::submissions::lookup(pool, once).await? {
        None => Ok(None),
        Some((user, kind, result)) if user == once.user && kind == once.kind => Ok(Some(result)),
        Some(_) => Err(stale()),
    }
}

/// Turns what the creating call returned into an outcome: a replay found in its
/// transaction gets the first result; a refusal or a replay gives the rate ticket back.
pub async fn settle<T>(
    pool: &AnyPool,
    once: &Once,
    ticket: RateTicket,
    result: Result<T, DbError>,
) -> Result<Outcome<T>, AppError> {
    match result {
        Ok(t) => {
            ticket.keep();
            Ok(Outcome::Created(t))
        }
        Err(DbError::Replayed) => {
            ticket.give_back().await;
            tracing::info!(
                kind = once.kind,
                "form replay answered with the first result"
            );
            match previous(pool, once).await? {
                Some(r) => Ok(Outcome::Replayed(r)),
                None => Err(stale()),
            }
        }
        Err(other) => {
            ticket.give_back().await;
            Err(other.into())
        }
    }
}
