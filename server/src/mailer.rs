//! The mail sender: delivers the outbox over SMTP with `lettre`.
//!
//! Every mail was written to the `outbox` table in the transaction of the event that
//! caused it. The sender claims a few due mails at a time under a lease (PostgreSQL:
//! `FOR UPDATE SKIP LOCKED`; see `db::mail::claim`), so several instances never send the
//! same mail; delivers each; and records the SMTP server's acceptance before doing
//! anything else. A passing failure (server down, 4xx) is retried with doubling waits; a
//! permanent one (5xx, a malformed address) is recorded and shown at /admin/post. A
//! process killed mid-way loses nothing: its lease runs out and the mail is taken again.
use app::domain::mail::{self as rules, MailPayload};
use app::ssr::db::mail::{self as outbox, ClaimedMail};
use app::ssr::db::Db;
use app::ssr::mail::render;
use chrono::Utc;
use lettre::message::header::{ContentType, HeaderName, HeaderValue};
use lettre::message::{Mailbox, MultiPart, SinglePart};
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};

/// How the sender runs.
#[derive(Clone)]
pub struct Mailer {
    transport: AsyncSmtpTransport<Tokio1Executor>,
    from: Mailbox,
    reply_to: Option<Mailbox>,
    public_url: String,
    poll: std::time::Duration,
    retry_base: chrono::Duration,
    lease: chrono::Duration,
    /// This instance's name on the mails it claims.
    instance: String,
}

/// Why the sender could not be set up.
#[derive(Debug, thiserror::Error)]
pub enum MailerError {
    #[error("the SMTP URL is not valid: {0}")]
    Url(String),
    #[error("the sender address is not valid: {0}")]
    Address(String),
}

impl Mailer {
    /// The sender for `config`, or None when no SMTP server is configured (mail then
    /// stays in the outbox).
    pub fn from_config(
        config: &crate::config::MailConfig,
        addr: std::net::SocketAddr,
    ) -> Result<Option<Self>, MailerError> {
        let Some(url) = &config.smtp_url else {
            return Ok(None);
        };
        let transport = AsyncSmtpTransport::<Tokio1Executor>::from_url(&url.0)
            // The error text could quote the URL, with its password: say only what kind.
            .map_err(|e| MailerError::Url(kind_of(&e)))?
            .timeout(Some(std::time::Duration::from_secs(30)))
            .build();
        let from: Mailbox = config
            .mail_from
            .parse()
            .map_err(|e: lettre::address::AddressError| MailerError::Address(e.to_string()))?;
        let reply_to = match &config.mail_reply_to {
            Some(r) if !r.trim().is_empty() => {
                Some(r.parse().map_err(|e: lettre::address::AddressError| {
                    MailerError::Address(e.to_string())
                })?)
            }
            _ => None,
        };
        Ok(Some(Self {
            transport,
            from,
            reply_to,
            public_url: config.public_url(addr),
            poll: std::time::Duration::from_millis(config.mail_poll_ms.max(10)),
            retry_base: chrono::Duration::seconds(config.mail_retry_secs.max(1) as i64),
            lease: chrono::Duration::seconds(config.mail_lease_secs.max(5) as i64),
            instance: format!("{}-{}", std::process::id(), random_suffix()),
        }))
    }

    /// Runs the sender until the process ends.
    pub fn spawn(self, db: Db) -> tokio::task::JoinHandle<()> {
        tokio::spawn(async move {
            let mut tick = tokio::time::interval(self.poll);
            tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
            loop {
                tick.tick().await;
                // Drain what is due, a batch at a time, then wait for the next tick.
                loop {
                    match self.run_once(&db).await {
                        Ok(0) => break,
                        Ok(_) => continue,
                        Err(error) => {
                            tracing::warn!(%error, "mail sender could not read the outbox");
                            break;
                        }
                    }
                }
            }
        })
    }

    /// Claims and delivers one batch of due mails; returns how many were claimed.
    pub async fn run_once(&self, db: &Db) -> Result<usize, app::ssr::db::DbError> {
        let batch = outbox::claim(db, &self.instance, Utc::now(), self.lease, 20).await?;
        if batch.is_empty() {
            return Ok(0);
        }
        let municipality = app::ssr::db::settings::profile(db.pool()).await?.name;
        let n = batch.len();
        for mail in batch {
            self.deliver(db, mail, &municipality).await?;
        }
        Ok(n)
    }

    async fn deliver(
        &self,
        db: &Db,
        mail: ClaimedMail,
        municipality: &str,
    ) -> Result<(), app::ssr::db::DbError> {
        let pool = db.pool();
        let payload: MailPayload = match serde_json::from_str(&mail.payload) {
            Ok(p) => p,
            Err(error) => {
                tracing::error!(mail_id = mail.id, %error, "outbox payload unreadable");
                return outbox::mark_failed(pool, mail.id, "unreadable payload", None).await;
            }
        };
        let message = match self.message(&mail, &payload, municipality) {
            Ok(m) => m,
            Err(error) => {
                tracing::warn!(mail_id = mail.id, %error, "mail could not be built");
                return outbox::mark_failed(pool, mail.id, &error, None).await;
            }
        };
        match self.transport.send(message).await {
            Ok(_) => {
                // Accepted: record it before anything else can fail. A token that has
                // gone out is blanked in the stored copy.
                let spent = serde_json::to_string(&payload.without_token()).ok();
                let mut tries = 0;
                loop {
                    match outbox::mark_sent(pool, mail.id, spent.as_deref()).await {
                        Ok(()) => break,
                        Err(error) if tries < 5 => {
                            tries += 1;
                            tracing::warn!(mail_id = mail.id, %error, "recording a sent mail failed; trying again");
                            tokio::time::sleep(std::time::Duration::from_millis(200 * tries)).await;
                        }
                        Err(error) => {
                            tracing::error!(mail_id = mail.id, %error, "a sent mail could not be recorded as sent");
                            return Err(error);
                        }
                    }
                }
                tracing::info!(mail_id = mail.id, attempts = mail.attempts + 1, "mail sent");
                Ok(())
            }
            Err(error) => {
                let attempts = mail.attempts + 1;
                let permanent = error.is_permanent();
                let text = smtp_error_text(&error);
                let next = (!permanent && attempts < rules::MAX_ATTEMPTS)
                    .then(|| Utc::now() + rules::retry_delay(self.retry_base, attempts));
                tracing::warn!(mail_id = mail.id, attempts, permanent, error = %text, "mail not delivered");
                outbox::mark_failed(pool, mail.id, &text, next).await
            }
        }
    }

    /// The MIME message: text and HTML alternatives, a stable Message-ID (the same on
    /// every attempt), and for mails one can unsubscribe from, the RFC 8058 headers.
    fn message(
        &self,
        mail: &ClaimedMail,
        payload: &MailPayload,
        municipality: &str,
    ) -> Result<Message, String> {
        let rendered = render(payload, &mail.lang, &self.public_url, municipality);
        let to: Mailbox = mail
            .to_addr
            .parse()
            .map_err(|e: lettre::address::AddressError| format!("recipient address: {e}"))?;
        let domain = self.from.email.domain().to_owned();
        let mut builder = Message::builder()
            .from(self.from.clone())
            .to(to)
            .subject(rendered.subject)
            .message_id(Some(format!("<{}@{}>", mail.message_id, domain)))
            .date_now();
        if let Some(reply_to) = &self.reply_to {
            builder = builder.reply_to(reply_to.clone());
        }
        if let Some(url) = &rendered.unsubscribe_url {
            builder = builder
                .raw_header(HeaderValue::new(
                    HeaderName::new_from_ascii_str("List-Unsubscribe"),
                    format!("<{url}>"),
                ))
                .raw_header(HeaderValue::new(
                    HeaderName::new_from_ascii_str("List-Unsubscribe-Post"),
                    "List-Unsubscribe=One-Click".to_owned(),
                ));
        }
        let lang = if mail.lang == "en" { "en" } else { "da" };
        builder = builder.raw_header(HeaderValue::new(
            HeaderName::new_from_ascii_str("Content-Language"),
            lang.to_owned(),
        ));
        builder
            .multipart(
                MultiPart::alternative()
                    .singlepart(
                        SinglePart::builder()
                            .header(ContentType::TEXT_PLAIN)
                            .body(rendered.text),
                    )
                    .singlepart(
                        SinglePart::builder()
                            .header(ContentType::TEXT_HTML)
                            .body(rendered.html),
                    ),
            )
            .map_err(|e| format!("message: {e}"))
    }
}

/// An SMTP error for the outbox page: the server's reply, never a password.
fn smtp_error_text(error: &lettre::transport::smtp::Error) -> String {
    match error.status() {
        Some(code) => format!("SMTP {code}: {error}"),
        None => format!("{error}"),
    }
}

fn kind_of(error: &lettre::transport::smtp::Error) -> String {
    if error.is_client() {
        "malformed".to_owned()
    } else {
        "unusable".to_owned()
    }
}

fn random_suffix() -> String {
    outbox::random_hex().chars().take(12).collect()
}
