//! Structured logs with `tracing`.
use tracing_subscriber::{fmt, prelude::*, EnvFilter};

/// Installs the global subscriber. Never logs secrets or personal data: callers
/// log ids and counts, not names, e-mails or passwords.
pub fn init(filter: &str, format: &str) -> anyhow::Result<()> {
    let filter = EnvFilter::try_new(filter)?;
    let registry = tracing_subscriber::registry().with(filter);
    if format == "json" {
        registry
            .with(fmt::layer().json().flatten_event(true))
            .try_init()?;
    } else {
        registry.with(fmt::layer().compact()).try_init()?;
    }
    Ok(())
}
