//! Several instances on one PostgreSQL database tell each other what changed, at once:
//! `NOTIFY` on a channel, and one `LISTEN`ing connection per instance and channel. The page
//! cache drops pages with it, and the live hub refreshes a session's stream when a ballot
//! was cast through another instance.
use sqlx::AnyPool;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, OnceLock};
use std::time::Duration;

/// What a listener hears.
#[derive(Debug, PartialEq, Eq)]
pub enum Heard<'a> {
    /// Another instance's message (without its sender).
    Told(&'a str),
    /// The listening connection broke (it is made again by itself): messages may have
    /// been missed meanwhile.
    Lost,
}

/// This instance's side of one channel: it tells the others, and skips its own messages.
#[derive(Debug)]
pub struct Peers {
    channel: &'static str,
    /// This instance, in what it tells (so it skips its own messages).
    id: u64,
    /// Where it tells the others, once listening.
    pool: OnceLock<AnyPool>,
}

/// An id no other instance's has: the process, the time, a counter.
fn instance_id() -> u64 {
    static COUNT: AtomicU64 = AtomicU64::new(0);
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_nanos() as u64)
        .unwrap_or_default();
    (u64::from(std::process::id()) << 40) ^ nanos ^ COUNT.fetch_add(1, Ordering::SeqCst)
}

impl Peers {
    pub fn new(channel: &'static str) -> Self {
        Self {
            channel,
            id: instance_id(),
            pool: OnceLock::new(),
        }
    }

    /// Tells the other instances `what` (nothing before [`Peers::listen`]). Sent on its own
    /// task: the caller's change is committed already and does not wait for the others.
    pub fn tell(&self, what: String) {
        let Some(pool) = self.pool.get() else {
            return;
        };
        let (pool, channel, message) = (pool.clone(), self.channel, self.message(&what));
        tokio::spawn(async move {
            let told = sqlx::query("SELECT pg_notify($1, $2)")
                .bind(channel)
                .bind(message)
                .execute(&pool)
                .await;
            if let Err(error) = told {
                tracing::warn!(%error, channel, "could not tell the other instances");
            }
        });
    }

    /// Listens on the channel (`url` is PostgreSQL's) and calls `on` with what the other
    /// instances tell, from a task of its own; from then on [`Peers::tell`] sends on `pool`.
    /// A second call does nothing.
    pub async fn listen(
        self: &Arc<Self>,
        url: &str,
        pool: AnyPool,
        on: impl Fn(Heard<'_>) + Send + 'static,
    ) -> Result<(), sqlx::Error> {
        let mut listener = sqlx::postgres::PgListener::connect(url).await?;
        listener.listen(self.channel).await?;
        if self.pool.set(pool).is_err() {
            return Ok(());
        }
        let me = Arc::clone(self);
        tokio::spawn(async move {
            loop {
                match listener.try_recv().await {
                    Ok(Some(message)) => {
                        if let Some(what) = me.heard_from_others(message.payload()) {
                            on(Heard::Told(what));
                        }
                    }
                    Ok(None) => {
                        tracing::warn!(
                            channel = me.channel,
                            "lost the change channel; reconnecting"
                        );
                        on(Heard::Lost);
                    }
                    Err(error) => {
                        tracing::warn!(%error, channel = me.channel, "change channel failed");
                        on(Heard::Lost);
                        tokio::time::sleep(Duration::from_secs(1)).await;
                    }
                }
            }
        });
        Ok(())
    }

    /// The message that tells the others `what`.
    fn message(&self, what: &str) -> String {
        format!("{} {what}", self.id)
    }

    /// What another instance told, or None for this instance's own messages.
    fn heard_from_others<'a>(&self, message: &'a str) -> Option<&'a str> {
        let (from, what) = message.split_once(' ').unwrap_or((message, ""));
        if from.parse::<u64>().ok() == Some(self.id) {
            return None;
        }
        Some(what)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_instance_skips_its_own_messages_and_hears_the_others() {
        let (one, two) = (Peers::new("c"), Peers::new("c"));
        assert_ne!(one.id, two.id);
        let said = one.message("proposal 7");
        assert_eq!(one.heard_from_others(&said), None);
        assert_eq!(two.heard_from_others(&said), Some("proposal 7"));
        // Anything else is someone else's, an unknown sender included.
        assert_eq!(one.heard_from_others("garbage"), Some(""));
    }
}
