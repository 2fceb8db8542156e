//! The live stream's fan-out: one channel per session that has listeners. A write calls
//! [`LiveHub::changed`]; the session's refresher reads the state once (not once per
//! listener), at most every [`COALESCE`], and every listener gets the same serialised
//! update. A vote's timer wakes the refresher when it runs out, so screens show it closed.
use crate::domain::ids::LiveSessionId;
use crate::domain::live::LiveState;
use crate::ssr::db::{self, DbError};
use crate::ssr::peers::{Heard, Peers};
use sqlx::AnyPool;
use std::collections::HashMap;
use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::sync::{watch, Notify};

/// How long the refresher waits after a change for more changes to include.
pub const COALESCE: Duration = Duration::from_millis(100);
/// A channel with nobody listening and no change for this long is dropped.
const IDLE: Duration = Duration::from_secs(60);

struct Channel {
    tx: watch::Sender<Arc<str>>,
    dirty: Notify,
    /// Unix ms of the oldest change not yet sent (0: none).
    since_ms: AtomicI64,
}

/// The PostgreSQL channel the instances tell each other a session's changes on.
pub const CHANNEL: &str = "stemme_live";

/// Shared by every request of this process.
pub struct LiveHub {
    channels: Mutex<HashMap<i64, Arc<Channel>>>,
    /// The other instances on the same PostgreSQL, once sharing: a ballot cast through one
    /// reaches the streams served by every other.
    peers: Arc<Peers>,
}

impl Default for LiveHub {
    fn default() -> Self {
        Self {
            channels: Mutex::default(),
            peers: Arc::new(Peers::new(CHANNEL)),
        }
    }
}

impl std::fmt::Debug for LiveHub {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LiveHub").finish_non_exhaustive()
    }
}

fn now_ms() -> i64 {
    chrono::Utc::now().timestamp_millis()
}

impl LiveHub {
    /// Something in `session` changed (after the commit): listeners get the new state,
    /// here and on the other instances.
    pub fn changed(&self, session: LiveSessionId) {
        self.changed_here(session);
        self.peers.tell(session.0.to_string());
    }

    /// Shares changes with every other instance on the same PostgreSQL database
    /// (`LISTEN`/`NOTIFY` on [`CHANNEL`]): theirs refresh the streams served here. While
    /// the listening connection is down every stream here is refreshed as it comes back.
    pub async fn share_changes(
        self: &Arc<Self>,
        url: &str,
        pool: AnyPool,
    ) -> Result<(), sqlx::Error> {
        let hub = Arc::clone(self);
        self.peers
            .listen(url, pool, move |heard| match heard {
                Heard::Told(what) => match what.parse::<i64>() {
                    Ok(id) => hub.changed_here(LiveSessionId(id)),
                    Err(_) => hub.all_changed(),
                },
                Heard::Lost => hub.all_changed(),
            })
            .await
    }

    /// Every stream served here reads its state again.
    fn all_changed(&self) {
        let ids: Vec<i64> = self
            .channels
            .lock()
            .map(|m| m.keys().copied().collect())
            .unwrap_or_default();
        for id in ids {
            self.changed_here(LiveSessionId(id));
        }
    }

    /// A change of `session`, for the streams served by this instance.
    fn changed_here(&self, session: LiveSessionId) {
        let channel = self
            .channels
            .lock()
            .ok()
            .and_then(|m| m.get(&session.0).cloned());
        if let Some(c) = channel {
            let _ = c
                .since_ms
                .compare_exchange(0, now_ms(), Ordering::AcqRel, Ordering::Acquire);
            c.dirty.notify_one();
        }
    }

    /// Listens to `session`: the receiver holds the latest update (JSON of [`LiveState`])
    /// at once, and each new one.
    pub async fn subscribe(
        self: &Arc<Self>,
        pool: &AnyPool,
        session: LiveSessionId,
    ) -> Result<Option<watch::Receiver<Arc<str>>>, DbError> {
        let existing = self
            .channels
            .lock()
            .ok()
            .and_then(|m| m.get(&session.0).cloned());
        if let Some(c) = existing {
            return Ok(Some(c.tx.subscribe()));
        }
        let Some(state) = db::live::state(pool, session).await? else {
            return Ok(None);
        };
        let first = encode(state, 1, now_ms());
        let (tx, rx) = watch::channel(first);
        let channel = Arc::new(Channel {
            tx,
            dirty: Notify::new(),
            since_ms: AtomicI64::new(0),
        });
        let mut map = self
            .channels
            .lock()
            .map_err(|_| DbError::Conflict(crate::domain::message::Msg::Internal))?;
        if let Some(c) = map.get(&session.0) {
            // Another request made it meanwhile.
            return Ok(Some(c.tx.subscribe()));
        }
        map.insert(session.0, channel.clone());
        drop(map);
        let hub = Arc::clone(self);
        let pool = pool.clone();
        tokio::spawn(async move { hub.refresh(pool, session, channel).await });
        Ok(Some(rx))
    }

    async fn refresh(self: Arc<Self>, pool: AnyPool, session: LiveSessionId, c: Arc<Channel>) {
        let mut version: u64 = 1;
        let mut timer: Option<i64> = None;
        loop {
            let wait_timer = async {
                match timer {
                    Some(at) => {
                        let ms = (at - now_ms()).max(0) as u64;
                        tokio::time::sleep(Duration::from_millis(ms + 20)).await;
                    }
                    None => std::future::pending::<()>().await,
                }
            };
            let woke = tokio::select! {
                _ = c.dirty.notified() => true,
                _ = wait_timer => true,
                _ = tokio::time::sleep(IDLE) => false,
            };
            if !woke {
                if c.tx.receiver_count() == 0 {
                    if let Ok(mut m) = self.channels.lock() {
                        if c.tx.receiver_count() == 0 {
                            m.remove(&session.0);
                            return;
                        }
                    }
                }
                continue;
            }
            tokio::time::sleep(COALESCE).await;
            let since = c.since_ms.swap(0, Ordering::AcqRel);
            match db::live::state(&pool, session).await {
                Ok(Some(state)) => {
                    timer = state
                        .vote
                        .as_ref()
                        .filter(|v| v.open)
                        .and_then(|v| v.closes_at_ms);
                    version += 1;
                    let at = if since == 0 { now_ms() } else { since };
                    let _ = c.tx.send(encode(state, version, at));
                }
                Ok(None) => {
                    if let Ok(mut m) = self.channels.lock() {
                        m.remove(&session.0);
                    }
                    return;
                }
                Err(error) => {
                    tracing::error!(%error, session = session.0, "live state could not be read");
                    // Try again at the next change.
                    c.since_ms.store(since, Ordering::Release);
                }
            }
        }
    }
}

fn encode(mut state: LiveState, version: u64, changed_ms: i64) -> Arc<str> {
    state.version = version;
    state.changed_ms = changed_ms;
    serde_json::to_string(&state)
        .unwrap_or_else(|_| "{}".into())
        .into()
}
