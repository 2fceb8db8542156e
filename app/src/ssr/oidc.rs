//! OpenID Connect login (UNI-Login, MitID brokers) with the `openidconnect` crate:
//! authorization code flow with PKCE, `state` and `nonce`; the provider's discovery document
//! and keys are cached and fetched again when a token names a key Stemme has not seen (key
//! rotation); the ID token is checked for signature, issuer, audience, expiry and nonce
//! before any of its claims is read.
//!
//! Each provider is configured by the deployment (`server::config`): issuer, client, button
//! label and which claims carry the birth date, the institution, the role and the name.
use crate::domain::identity::{LoginRefusal, ProviderButton, VerifiedPerson};
use base64::Engine;
use openidconnect::core::{CoreAuthenticationFlow, CoreClient, CoreIdToken};
use openidconnect::{
    AuthorizationCode, ClaimsVerificationError, ClientId, ClientSecret, CsrfToken, EndSessionUrl,
    IssuerUrl, LogoutRequest, Nonce, PkceCodeChallenge, PkceCodeVerifier, PostLogoutRedirectUrl,
    ProviderMetadataWithLogout, RedirectUrl, Scope, SignatureVerificationError, TokenResponse,
};
use serde_json::{Map, Value};
use std::str::FromStr;
use std::time::{Duration, Instant};

/// How long a provider's discovery document and keys are used before they are fetched again.
const METADATA_TTL: Duration = Duration::from_secs(3600);
/// A token signed with an unknown key makes Stemme fetch the keys again, at most this often.
const MIN_REFRESH_GAP: Duration = Duration::from_secs(5);
/// Every call to a provider gives up after this long.
const HTTP_TIMEOUT: Duration = Duration::from_secs(10);

/// One identity provider, as the deployment configures it.
#[derive(Clone)]
pub struct ProviderConfig {
    /// Stemme's name for it, in its URLs (`/auth/oidc/{id}/…`): `unilogin`, `mitid`.
    pub id: String,
    /// The button's text: "UNI-Login", "MitID".
    pub label: String,
    /// The issuer; its discovery document is `{issuer}/.well-known/openid-configuration`.
    pub issuer: String,
    pub client_id: String,
    pub client_secret: Option<String>,
    /// Scopes asked for besides `openid`.
    pub scopes: Vec<String>,
    /// The claim with the first name (default `given_name`, then the first word of `name`).
    pub claim_name: String,
    /// The claim with the birth date, `YYYY-MM-DD` (MitID brokers: `birthdate`).
    pub claim_birthdate: Option<String>,
    /// The claim with the institution number(s) (UNI-Login).
    pub claim_institution: Option<String>,
    /// The claim with the role(s) at the institution (UNI-Login).
    pub claim_role: Option<String>,
    /// Role values that mean a pupil (UNI-Login: `elev`).
    pub pupil_roles: Vec<String>,
}

impl std::fmt::Debug for ProviderConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ProviderConfig")
            .field("id", &self.id)
            .field("label", &self.label)
            .field("issuer", &self.issuer)
            .field("client_id", &self.client_id)
            .field("client_secret", &self.client_secret.as_ref().map(|_| "…"))
            .field("scopes", &self.scopes)
            .finish_non_exhaustive()
    }
}

struct Cached {
    metadata: ProviderMetadataWithLogout,
    fetched: Instant,
}

struct Provider {
    config: ProviderConfig,
    cache: tokio::sync::Mutex<Option<Cached>>,
}

/// The configured providers, their cached metadata and the HTTP client that reaches them.
pub struct Oidc {
    providers: Vec<Provider>,
    http: openidconnect::reqwest::Client,
    public_url: String,
}

impl std::fmt::Debug for Oidc {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let ids: Vec<&str> = self
            .providers
            .iter()
            .map(|p| p.config.id.as_str())
            .collect();
        f.debug_struct("Oidc").field("providers", &ids).finish()
    }
}

/// A login sent to the provider: where the browser goes, and what the callback needs.
pub struct AuthStart {
    pub url: String,
    pub state: String,
    pub nonce: String,
    pub pkce_verifier: String,
}

/// A login the provider confirmed: the person, and the ID token (for logging out there).
pub struct Finished {
    pub person: VerifiedPerson,
    pub id_token: String,
}

impl Oidc {
    /// `public_url` is the site's address as browsers reach it (the redirect URIs hang off it).
    pub fn new(configs: Vec<ProviderConfig>, public_url: &str) -> Result<Self, String> {
        let http = openidconnect::reqwest::ClientBuilder::new()
            // Following redirects would let a provider's answer send Stemme anywhere (SSRF).
            .redirect(openidconnect::reqwest::redirect::Policy::none())
            .timeout(HTTP_TIMEOUT)
            .connect_timeout(Duration::from_secs(5))
            .build()
            .map_err(|e| format!("OpenID Connect HTTP client: {e}"))?;
        for c in &configs {
            if IssuerUrl::new(c.issuer.clone()).is_err() {
                return Err(format!("provider {}: the issuer is not a URL", c.id));
            }
        }
        Ok(Self {
            providers: configs
                .into_iter()
                .map(|config| Provider {
                    config,
                    cache: tokio::sync::Mutex::new(None),
                })
                .collect(),
            http,
            public_url: public_url.trim_end_matches('/').to_owned(),
        })
    }

    /// No providers: password login only.
    pub fn none() -> Self {
        Self {
            providers: Vec::new(),
            http: openidconnect::reqwest::Client::new(),
            public_url: String::new(),
        }
    }

    /// The login buttons, in configuration order.
    pub fn buttons(&self) -> Vec<ProviderButton> {
        self.providers
            .iter()
            .map(|p| ProviderButton {
                id: p.config.id.clone(),
                label: p.config.label.clone(),
            })
            .collect()
    }

    /// The providers' origins (`https://host[:port]`), for the pages' `form-action`: a
    /// form leads there when it links a login or logs out at the provider. The provider's
    /// authorization and logout endpoints are expected on its issuer's origin.
    pub fn origins(&self) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        for p in &self.providers {
            if let Ok(url) = openidconnect::url::Url::parse(&p.config.issuer) {
                let origin = url.origin().ascii_serialization();
                if origin != "null" && !out.contains(&origin) {
                    out.push(origin);
                }
            }
        }
        out
    }

    pub fn has(&self, id: &str) -> bool {
        self.provider(id).is_some()
    }

    pub fn label(&self, id: &str) -> Option<String> {
        self.provider(id).map(|p| p.config.label.clone())
    }

    /// Role values that mean a pupil at this provider.
    pub fn pupil_roles(&self, id: &str) -> Vec<String> {
        self.provider(id)
            .map(|p| p.config.pupil_roles.clone())
            .unwrap_or_default()
    }

    fn provider(&self, id: &str) -> Option<&Provider> {
        self.providers.iter().find(|p| p.config.id == id)
    }

    /// Where the provider sends the browser back to.
    pub fn redirect_uri(&self, id: &str) -> String {
        format!("{}/auth/oidc/{id}/callback", self.public_url)
    }

    /// The provider's metadata and keys: cached, fetched again after an hour, or at once
    /// when `refresh` (a token named a key not in the cached set). A provider that cannot
    /// be reached while a cached copy exists is served from the copy.
    async fn metadata(
        &self,
        provider: &Provider,
        refresh: bool,
    ) -> Result<ProviderMetadataWithLogout, LoginRefusal> {
        let mut cache = provider.cache.lock().await;
        if let Some(c) = cache.as_ref() {
            let fresh = c.fetched.elapsed() < METADATA_TTL;
            let recent = c.fetched.elapsed() < MIN_REFRESH_GAP;
            if (fresh && !refresh) || recent {
                return Ok(c.metadata.clone());
            }
        }
        let issuer =
            IssuerUrl::new(provider.config.issuer.clone()).map_err(|_| LoginRefusal::Failed)?;
        match ProviderMetadataWithLogout::discover_async(issuer, &self.http).await {
            Ok(metadata) => {
                *cache = Some(Cached {
                    metadata: metadata.clone(),
                    fetched: Instant::now(),
                });
                Ok(metadata)
            }
            Err(error) => {
                tracing::warn!(provider = %provider.config.id, %error, "OpenID discovery failed");
                match cache.as_ref() {
                    Some(c) => Ok(c.metadata.clone()),
                    None => Err(LoginRefusal::ProviderDown),
                }
            }
        }
    }

    fn client(
        &self,
        provider: &Provider,
        metadata: ProviderMetadataWithLogout,
    ) -> Result<
        CoreClient<
            openidconnect::EndpointSet,
            openidconnect::EndpointNotSet,
            openidconnect::EndpointNotSet,
            openidconnect::EndpointNotSet,
            openidconnect::EndpointMaybeSet,
            openidconnect::EndpointMaybeSet,
        >,
        LoginRefusal,
    > {
        let redirect = RedirectUrl::new(self.redirect_uri(&provider.config.id))
            .map_err(|_| LoginRefusal::Failed)?;
        Ok(CoreClient::from_provider_metadata(
            metadata,
            ClientId::new(provider.config.client_id.clone()),
            provider.config.client_secret.clone().map(ClientSecret::new),
        )
        .set_redirect_uri(redirect))
    }

    /// Starts a login: the provider's authorization URL with a fresh state, nonce and PKCE
    /// challenge (S256).
    pub async fn authorize(&self, id: &str) -> Result<AuthStart, LoginRefusal> {
        let provider = self.provider(id).ok_or(LoginRefusal::Failed)?;
        let metadata = self.metadata(provider, false).await?;
        let client = self.client(provider, metadata)?;
        let (challenge, verifier) = PkceCodeChallenge::new_random_sha256();
        let mut request = client
            .authorize_url(
                CoreAuthenticationFlow::AuthorizationCode,
                CsrfToken::new_random,
                Nonce::new_random,
            )
            .set_pkce_challenge(challenge);
        for scope in &provider.config.scopes {
            request = request.add_scope(Scope::new(scope.clone()));
        }
        let (url, state, nonce) = request.url();
        Ok(AuthStart {
            url: url.to_string(),
            state: state.secret().clone(),
            nonce: nonce.secret().clone(),
            pkce_verifier: verifier.secret().clone(),
        })
    }

    /// Finishes a login: redeems the code (with the PKCE verifier) at the token endpoint and
    /// checks the ID token. A token signed with a key not in the cached set makes Stemme
    /// fetch the provider's keys once more before it refuses.
    pub async fn finish(
        &self,
        id: &str,
        code: &str,
        nonce: &str,
        pkce_verifier: &str,
    ) -> Result<Finished, LoginRefusal> {
        let provider = self.provider(id).ok_or(LoginRefusal::Failed)?;
        let metadata = self.metadata(provider, false).await?;
        let client = self.client(provider, metadata)?;
        let exchange = client
            .exchange_code(AuthorizationCode::new(code.to_owned()))
            .map_err(|error| {
                tracing::warn!(provider = id, %error, "provider has no token endpoint");
                LoginRefusal::ProviderDown
            })?
            .set_pkce_verifier(PkceCodeVerifier::new(pkce_verifier.to_owned()));
        let response = exchange
            .request_async(&self.http)
            .await
            .map_err(|error| match error {
                openidconnect::RequestTokenError::ServerResponse(ref answer) => {
                    // The provider refused the code (used already, wrong verifier, expired).
                    tracing::warn!(provider = id, error = %answer.error(), "code refused");
                    LoginRefusal::Failed
                }
                openidconnect::RequestTokenError::Request(ref e) => {
                    tracing::warn!(provider = id, error = %e, "token endpoint unreachable");
                    LoginRefusal::ProviderDown
                }
                other => {
                    tracing::warn!(provider = id, error = %other, "token response unreadable");
                    LoginRefusal::Failed
                }
            })?;
        let token = response.id_token().ok_or_else(|| {
            tracing::warn!(provider = id, "no ID token in the token response");
            LoginRefusal::Failed
        })?;
        let nonce = Nonce::new(nonce.to_owned());
        let checked = {
            let verifier = client.id_token_verifier();
            token.claims(&verifier, &nonce).map(|_| ())
        };
        match checked {
            Ok(()) => {}
            Err(ClaimsVerificationError::SignatureVerification(
                SignatureVerificationError::NoMatchingKey,
            )) => {
                // Perhaps the provider rotated its keys: fetch them again, check again.
                let metadata = self.metadata(provider, true).await?;
                let client = self.client(provider, metadata)?;
                let verifier = client.id_token_verifier();
                if let Err(error) = token.claims(&verifier, &nonce) {
                    tracing::warn!(provider = id, %error, "ID token refused");
                    return Err(LoginRefusal::Failed);
                }
            }
            Err(error) => {
                tracing::warn!(provider = id, %error, "ID token refused");
                return Err(LoginRefusal::Failed);
            }
        }
        let raw = token.to_string();
        let claims = payload(&raw).ok_or(LoginRefusal::Failed)?;
        let person = person_from(&provider.config, &claims).ok_or(LoginRefusal::Failed)?;
        Ok(Finished {
            person,
            id_token: raw,
        })
    }

    /// The provider's logout address for a session that logged in with `id_token` there
    /// (RP-initiated logout), or None when the provider offers none.
    pub async fn end_session_url(&self, id: &str, id_token: &str) -> Option<String> {
        let provider = self.provider(id)?;
        let metadata = self.metadata(provider, false).await.ok()?;
        let end: EndSessionUrl = metadata
            .additional_metadata()
            .end_session_endpoint
            .clone()?;
        let token = CoreIdToken::from_str(id_token).ok()?;
        let back = PostLogoutRedirectUrl::new(format!("{}/", self.public_url)).ok()?;
        Some(
            LogoutRequest::from(end)
                .set_id_token_hint(&token)
                .set_client_id(ClientId::new(provider.config.client_id.clone()))
                .set_post_logout_redirect_uri(back)
                .http_get_url()
                .to_string(),
        )
    }
}

/// The claims of a JWT whose signature has been checked already.
fn payload(jwt: &str) -> Option<Map<String, Value>> {
    let middle = jwt.split('.').nth(1)?;
    let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(middle.trim_end_matches('='))
        .ok()?;
    match serde_json::from_slice(&bytes).ok()? {
        Value::Object(map) => Some(map),
        _ => None,
    }
}

/// A claim as a list of strings: a string, or an array of strings (UNI-Login gives a
/// pupil's institutions as a list); numbers are taken as their digits.
fn strings(claims: &Map<String, Value>, name: Option<&str>) -> Vec<String> {
    let one = |v: &Value| match v {
        Value::String(s) => Some(s.trim().to_owned()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    };
    let Some(value) = name.and_then(|n| claims.get(n)) else {
        return Vec::new();
    };
    let mut out: Vec<String> = match value {
        Value::Array(items) => items.iter().filter_map(one).collect(),
        other => one(other).into_iter().collect(),
    };
    out.retain(|s| !s.is_empty() && s.chars().count() <= 100);
    out.truncate(20);
    out
}

/// The person in Stemme's terms, by the provider's claims mapping.
fn person_from(config: &ProviderConfig, claims: &Map<String, Value>) -> Option<VerifiedPerson> {
    let subject = claims.get("sub")?.as_str()?.to_owned();
    if subject.is_empty() || subject.chars().count() > crate::domain::identity::MAX_SUBJECT_CHARS {
        return None;
    }
    let first_name = strings(claims, Some(&config.claim_name))
        .into_iter()
        .next()
        .or_else(|| {
            strings(claims, Some("name"))
                .into_iter()
                .next()
                .and_then(|n| n.split_whitespace().next().map(str::to_owned))
        });
    let birthdate = strings(claims, config.claim_birthdate.as_deref())
        .into_iter()
        .next()
        .and_then(|s| chrono::NaiveDate::parse_from_str(&s, "%Y-%m-%d").ok());
    let verified = matches!(claims.get("email_verified"), Some(Value::Bool(true)))
        || matches!(claims.get("email_verified"), Some(Value::String(s)) if s == "true");
    let email = claims
        .get("email")
        .and_then(Value::as_str)
        .filter(|_| verified)
        .and_then(|e| crate::domain::account::validate_email(e).ok());
    Some(VerifiedPerson {
        subject,
        first_name,
        birthdate,
        institutions: strings(claims, config.claim_institution.as_deref()),
        roles: strings(claims, config.claim_role.as_deref()),
        email,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config() -> ProviderConfig {
        ProviderConfig {
            id: "unilogin".into(),
            label: "UNI-Login".into(),
            issuer: "https://example.test".into(),
            client_id: "c".into(),
            client_secret: None,
            scopes: vec![],
            claim_name: "given_name".into(),
            claim_birthdate: Some("birthdate".into()),
            claim_institution: Some("institution_ids".into()),
            claim_role: Some("roles".into()),
            pupil_roles: vec!["elev".into()],
        }
    }

    #[test]
    fn claims_map_to_a_person() {
        let claims: Map<String, Value> = serde_json::from_str(
            r#"{"sub":"abc","name":"Anna Hansen","institution_ids":["101010", 202020],
                "roles":"elev","birthdate":"2011-05-04","email":"A@B.DK","email_verified":false}"#,
        )
        .unwrap_or_default();
        let p = person_from(&config(), &claims);
        let p = p.unwrap_or_default();
        assert_eq!(p.subject, "abc");
        assert_eq!(p.first_name.as_deref(), Some("Anna"));
        assert_eq!(p.institutions, vec!["101010", "202020"]);
        assert_eq!(p.roles, vec!["elev"]);
        assert_eq!(
            p.birthdate.map(|d| d.to_string()).as_deref(),
            Some("2011-05-04")
        );
        // Not verified by the provider: not taken.
        assert_eq!(p.email, None);
    }

    #[test]
    fn a_token_without_subject_is_no_person() {
        let claims: Map<String, Value> =
            serde_json::from_str(r#"{"name":"X"}"#).unwrap_or_default();
        assert!(person_from(&config(), &claims).is_none());
    }
}
