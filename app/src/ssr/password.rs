//! Password hashing with argon2id, run on the blocking pool so it never stalls
//! the async executor.
use argon2::password_hash::{
    rand_core::OsRng, PasswordHash, PasswordHasher, PasswordVerifier, SaltString,
};
use argon2::{Algorithm, Argon2, Params, Version};

/// At most this many hashes run at once: each takes 7 MiB and a core for ~40 ms, so a
/// flood of logins waits in line instead of exhausting memory (two at once keep both
/// cores of a small server busy; more only add memory).
static HASHING: tokio::sync::Semaphore = tokio::sync::Semaphore::const_new(2);

/// Memory per hash, KiB.
const MEMORY_KIB: u32 = 7 * 1024;
/// Passes over the memory.
const PASSES: u32 = 5;

/// argon2id with m = 7 MiB, t = 5, p = 1: one of OWASP's equivalent argon2id settings
/// (like 19 MiB with t = 2, the crate's default), chosen for the smallest memory: a burst
/// of 650 logins must not push the server past its memory budget (BENCHMARKS.md).
/// Hashes made with other parameters still verify: they are in the stored string.
fn hasher() -> Argon2<'static> {
    match Params::new(MEMORY_KIB, PASSES, 1, None) {
        Ok(params) => Argon2::new(Algorithm::Argon2id, Version::V0x13, params),
        Err(_) => Argon2::default(),
    }
}

/// Hashes a password (argon2id, see [`hasher`]).
pub async fn hash(password: String) -> Result<String, String> {
    let _permit = HASHING.acquire().await.map_err(|e| e.to_string())?;
    tokio::task::spawn_blocking(move || {
        let salt = SaltString::generate(&mut OsRng);
        hasher()
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

    #[tokio::test]
    async fn hashes_use_the_chosen_parameters_and_old_hashes_still_verify() {
        let new = hash("korrekt hest".into()).await.unwrap_or_default();
        assert!(new.starts_with("$argon2id$v=19$m=7168,t=5,p=1$"), "{new}");
        assert!(verify("korrekt hest".into(), new.clone()).await);
        assert!(!verify("forkert hest".into(), new).await);
        // A hash with the crate's default parameters (19 MiB, t = 2), as stored before.
        let salt = SaltString::generate(&mut OsRng);
        let old = Argon2::default()
            .hash_password(b"gammel kode", &salt)
            .map(|h| h.to_string())
            .unwrap_or_default();
        assert!(old.contains("m=19456,t=2"), "{old}");
        assert!(verify("gammel kode".into(), old).await);
    }
}
