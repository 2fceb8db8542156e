//! The real OpenID provider the login tests run against: npm's `oidc-provider`
//! (OpenID-certified), started per test from `end2end/oidc-provider.mjs` on a free port,
//! with two clients that mimic UNI-Login and a MitID broker. Its test hooks play the
//! attacker (a tampered ID token) and the operator (a key rotation).
//!
//! [`Browser`] walks the provider's own login pages over HTTP like a browser without
//! JavaScript: a cookie jar, every redirect followed by hand, the login form posted.
use std::process::Stdio;
use std::time::Duration;
use tokio::io::{AsyncBufReadExt, BufReader};

/// Stemme's address in the tests (the redirect URIs registered at the provider).
pub const STEMME: &str = "http://stemme.test";

pub struct OidcProvider {
    _child: tokio::process::Child,
    pub issuer: String,
}

fn script() -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../end2end/oidc-provider.mjs")
}

impl OidcProvider {
    /// Starts a provider of its own for one test.
    pub async fn start() -> OidcProvider {
        let modules = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../end2end/node_modules/oidc-provider");
        assert!(
            modules.is_dir(),
            "the OpenID provider for the login tests is not installed: run ./scripts/test, or \
             `npm ci` in end2end/"
        );
        let mut last = String::new();
        for _ in 0..3 {
            let port = crate::smtp::free_port();
            let mut child = tokio::process::Command::new("node")
                .arg(script())
                .env("OIDC_PORT", port.to_string())
                .env("STEMME_BASE_URLS", STEMME)
                .stdout(Stdio::piped())
                .stderr(Stdio::inherit())
                .kill_on_drop(true)
                .spawn()
                .expect("node (for the OpenID provider)");
            let stdout = child.stdout.take().expect("stdout");
            let mut lines = BufReader::new(stdout).lines();
            let ready = tokio::time::timeout(Duration::from_secs(30), async {
                while let Ok(Some(line)) = lines.next_line().await {
                    if line.contains("oidc-provider ready") {
                        return true;
                    }
                }
                false
            })
            .await
            .unwrap_or(false);
            if ready {
                // Keep reading its output so it never blocks on a full pipe.
                tokio::spawn(async move { while let Ok(Some(_)) = lines.next_line().await {} });
                return OidcProvider {
                    _child: child,
                    issuer: format!("http://127.0.0.1:{port}"),
                };
            }
            last = format!("port {port}: not ready");
        }
        panic!("the OpenID provider did not start ({last})");
    }

    /// The UNI-Login client: pupils with institution and role.
    pub fn unilogin(&self) -> app::ssr::oidc::ProviderConfig {
        app::ssr::oidc::ProviderConfig {
            id: "unilogin".into(),
            label: "UNI-Login".into(),
            issuer: self.issuer.clone(),
            client_id: "stemme-unilogin".into(),
            client_secret: Some("unilogin-secret".into()),
            scopes: vec!["profile".into(), "unilogin".into()],
            claim_name: "given_name".into(),
            claim_birthdate: Some("birthdate".into()),
            claim_institution: Some("institution_ids".into()),
            claim_role: Some("roles".into()),
            pupil_roles: vec!["elev".into()],
        }
    }

    /// The MitID broker's client: a birth date.
    pub fn mitid(&self) -> app::ssr::oidc::ProviderConfig {
        app::ssr::oidc::ProviderConfig {
            id: "mitid".into(),
            label: "MitID".into(),
            issuer: self.issuer.clone(),
            client_id: "stemme-mitid".into(),
            client_secret: Some("mitid-secret".into()),
            scopes: vec!["profile".into()],
            claim_name: "given_name".into(),
            claim_birthdate: Some("birthdate".into()),
            claim_institution: None,
            claim_role: None,
            pupil_roles: vec![],
        }
    }

    async fn hook(&self, path: &str, body: serde_json::Value) {
        let r = reqwest::Client::new()
            .post(format!("{}{path}", self.issuer))
            .header("content-type", "application/json")
            .body(body.to_string())
            .send()
            .await
            .expect("provider test hook");
        assert!(r.status().is_success(), "{path}: {}", r.status());
    }

    /// The next ID token the provider issues is changed on its way to Stemme.
    pub async fn tamper(&self, change: serde_json::Value) {
        self.hook("/__test/tamper", change).await;
    }

    /// The provider rotates its signing key (the new one is published too).
    pub async fn rotate(&self) {
        self.hook("/__test/rotate", serde_json::json!({})).await;
    }
}

/// A browser at the provider: a cookie jar, redirects followed by hand.
pub struct Browser {
    client: reqwest::Client,
}

impl Default for Browser {
    fn default() -> Self {
        Self::new()
    }
}

fn absolute(base: &reqwest::Url, location: &str) -> String {
    base.join(location)
        .map(|u| u.to_string())
        .unwrap_or_else(|_| location.to_owned())
}

/// The first `attr="…"` value after `from` in `html`.
fn attr_after(html: &str, from: &str, attr: &str) -> Option<String> {
    let start = html.find(from)?;
    let rest = &html[start..];
    let key = format!("{attr}=\"");
    let i = rest.find(&key)? + key.len();
    let j = rest[i..].find('"')?;
    Some(rest[i..i + j].replace("&amp;", "&"))
}

impl Browser {
    pub fn new() -> Browser {
        Browser {
            client: reqwest::Client::builder()
                .cookie_store(true)
                .redirect(reqwest::redirect::Policy::none())
                .timeout(Duration::from_secs(30))
                .build()
                .expect("client"),
        }
    }

    /// Follows redirects from `url` until one leaves for Stemme (returned) or a page is
    /// reached (its URL and HTML).
    async fn follow(&self, mut url: String) -> Result<String, (String, String)> {
        for _ in 0..12 {
            if url.starts_with(STEMME) {
                return Ok(url);
            }
            let r = self.client.get(&url).send().await.expect("provider page");
            let base = r.url().clone();
            if r.status().is_redirection() {
                let loc = r
                    .headers()
                    .get("location")
                    .and_then(|v| v.to_str().ok())
                    .expect("location");
                url = absolute(&base, loc);
                continue;
            }
            let html = r.text().await.unwrap_or_default();
            return Err((url, html));
        }
        panic!("too many redirects at the provider");
    }

    /// Logs in at the provider as `login` (the test provider's person syntax, e.g.
    /// `mitid:16:Sofie`) from the authorization URL Stemme sent the browser to; returns
    /// the callback URL the provider sends the browser back to.
    pub async fn log_in(&self, authorize_url: &str, login: &str) -> String {
        let (page, html) = match self.follow(authorize_url.to_owned()).await {
            Ok(back) => return back, // Already logged in at the provider.
            Err(p) => p,
        };
        let action = attr_after(&html, "<form", "action")
            .unwrap_or_else(|| panic!("no login form at {page}: {html}"));
        let target = absolute(&reqwest::Url::parse(&page).expect("url"), &action);
        let r = self
            .client
            .post(&target)
            .form(&[("login", login), ("password", "test")])
            .send()
            .await
            .expect("login post");
        let base = r.url().clone();
        assert!(
            r.status().is_redirection(),
            "login at the provider refused: {}",
            r.status()
        );
        let loc = r
            .headers()
            .get("location")
            .and_then(|v| v.to_str().ok())
            .expect("location")
            .to_owned();
        match self.follow(absolute(&base, &loc)).await {
            Ok(back) => back,
            Err((page, html)) => panic!("stuck at the provider on {page}: {html}"),
        }
    }

    /// Cancels at the provider's login page; returns the callback URL (with an error).
    pub async fn cancel(&self, authorize_url: &str) -> String {
        let (page, html) = match self.follow(authorize_url.to_owned()).await {
            Ok(back) => panic!("no login page, straight back to {back}"),
            Err(p) => p,
        };
        let abort = html
            .find("/abort")
            .and_then(|i| {
                let start = html[..i].rfind('"')? + 1;
                Some(html[start..i + "/abort".len()].to_owned())
            })
            .unwrap_or_else(|| panic!("no cancel link at {page}: {html}"));
        let target = absolute(&reqwest::Url::parse(&page).expect("url"), &abort);
        match self.follow(target).await {
            Ok(back) => back,
            Err((page, html)) => panic!("stuck at the provider on {page}: {html}"),
        }
    }
}
