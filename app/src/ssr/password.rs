//! Password hashing with argon2id, run on the blocking pool so it never stalls
//! the async executor.
use argon2::password_hash::{
    rand_core::OsRng, PasswordHash, PasswordHasher, PasswordVerifier, SaltString,
};
use argon2::Argon2;

/// At most this many hashes run at once: each takes 19 MiB and a core for ~50 ms, so
/// a flood of logins waits in line instead of exhausting memory.
static HASHING: tokio::sync::Semaphore = tokio::sync::Semaphore::const_new(4);

/// Hashes a password (argon2id, default parameters: 19 MiB, 2 passes).
pub async fn hash(password: String) -> Result<String, String> {
    let _permit = HASHING.acquire().await.map_err(|e| e.to_string())?;
    tokio::task::spawn_blocking(move || {
        let salt = SaltString::generate(&mut OsRng);
        Argon2::default()
            .hash_password(password.as_bytes(), &salt)
            .map(|h| h.to_string())
            .map_err(|e| e.to_string())
    })
    .await
    .map_err(|e| e.to_string())?
}

/// Hashes a new password for storage; a failure is logged and reported as internal.
pub async fn hash_new(password: String) -> Result<String, crate::domain::error::AppError> {
    hash(password).await.map_err(|error| {
        tracing::error!(%error, "hashing failed");
        crate::domain::error::AppError::Internal
    })
}

/// Checks a password against a stored hash. A malformed hash is simply "no".
pub async fn verify(password: String, stored: String) -> bool {
    let Ok(_permit) = HASHING.acquire().await else {
        return false;
    };
    tokio::task::spawn_blocking(move || {
        PasswordHash::new(&stored)
            .map(|parsed| {
                Argon2::default()
                    .verify_password(password.as_bytes(), &parsed)
                    .is_ok()
            })
            .unwrap_or(false)
    })
    .await
    .unwrap_or(false)
}

/// A real argon2id hash of a random string, to verify against when the account does
/// not exist, so a wrong e-mail takes as long as a wrong password.
pub async fn dummy_hash() -> String {
    static DUMMY: tokio::sync::OnceCell<String> = tokio::sync::OnceCell::const_new();
    DUMMY
        .get_or_init(|| async {
            let random = SaltString::generate(&mut OsRng).to_string();
            hash(random).await.unwrap_or_default()
        })
        .await
        .clone()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn hashes_with_argon2id_and_verifies() {
        let h = hash("en lang adgangskode".into()).await.unwrap_or_default();
        assert!(h.starts_with("$argon2id$"), "{h}");
        assert!(verify("en lang adgangskode".into(), h.clone()).await);
        assert!(!verify("forkert kode".into(), h).await);
        assert!(!verify("x".into(), "not a hash".into()).await);
        assert!(!verify("x".into(), dummy_hash().await).await);
        assert!(dummy_hash().await.starts_with("$argon2id$"));
    }
}
