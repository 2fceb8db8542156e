//! Forms are plain HTML posts (islands): when the server refuses one, the browser is sent
//! back to the form with the error — and, thanks to this, with what was typed. The refused
//! fields (never passwords) are kept under a random token for 30 minutes; the token rides
//! on the redirect (`__form=`) and the form fields read it while rendering.
use crate::domain::form::FormFlash;
use crate::ssr::db;
use argon2::password_hash::rand_core::{OsRng, RngCore};
use sqlx::AnyPool;
use std::collections::HashMap;
use std::sync::Arc;

/// A new random token (128 bits, hex).
pub fn token() -> String {
    let mut bytes = [0u8; 16];
    OsRng.fill_bytes(&mut bytes);
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// The fields worth giving back: no passwords, no hidden bookkeeping fields.
pub fn keep(body: &[u8]) -> Option<String> {
    let pairs: Vec<(String, String)> = serde_urlencoded::from_bytes(body).ok()?;
    let kept: HashMap<String, String> = pairs
        .into_iter()
        .filter(|(k, _)| !k.contains("password") && !k.starts_with("__") && k.len() <= 100)
        .collect();
    if kept.is_empty() {
        return None;
    }
    serde_json::to_string(&kept).ok()
}

/// Stores the refused form; returns its token.
pub async fn store(pool: &AnyPool, body: &[u8]) -> Option<String> {
    let json = keep(body)?;
    if json.len() > 200_000 {
        return None;
    }
    let token = token();
    match db::form_flash::put(pool, &token, &json).await {
        Ok(()) => Some(token),
        Err(error) => {
            tracing::warn!(%error, "could not keep a refused form");
            None
        }
    }
}

/// Loads the refused form for `token`, if still kept.
pub async fn load(pool: &AnyPool, token: &str) -> Option<FormFlash> {
    if token.len() != 32 || !token.chars().all(|c| c.is_ascii_hexdigit()) {
        return None;
    }
    let json = db::form_flash::get(pool, token).await.ok()??;
    let map: HashMap<String, String> = serde_json::from_str(&json).ok()?;
    Some(FormFlash(Arc::new(map)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_and_hidden_fields_are_never_kept() {
        let json =
            keep(b"email=a%40b.dk&password=hemmelig&new_password=x&__path=%2Fapi&title=Hej+du")
                .unwrap();
        let map: HashMap<String, String> = serde_json::from_str(&json).unwrap();
        assert_eq!(map.get("email").map(String::as_str), Some("a@b.dk"));
        assert_eq!(map.get("title").map(String::as_str), Some("Hej du"));
        assert!(
            !json.contains("hemmelig")
                && !map.contains_key("new_password")
                && !map.contains_key("__path")
        );
        assert_eq!(keep(b"password=x"), None);
        assert_eq!(token().len(), 32);
    }
}
