use anyhow::Context;
use app::ssr::state::AppState;
use clap::Parser;
use server::config::{Cli, Command, Config};

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let cli = Cli::parse();
    server::telemetry::init(&cli.config.log, &cli.config.log_format)?;
    match cli.command.unwrap_or(Command::Serve) {
        Command::Serve => serve(cli.config).await,
        Command::Migrate => {
            let db = server::connect(&cli.config)
                .await
                .context("migrating the database")?;
            let version = db.health().await?;
            tracing::info!(
                database = db.backend().name(),
                schema_version = version,
                "migrated"
            );
            db.close().await;
            Ok(())
        }
        Command::Precompress => precompress(&cli.config),
    }
}

fn precompress(config: &Config) -> anyhow::Result<()> {
    let sizes = server::assets::precompress(&config.site_root).context("compressing assets")?;
    let mut wasm_js_br = 0;
    for s in &sizes {
        println!(
            "{:>9} raw {:>9} br {:>9} gz  {}",
            s.raw,
            s.brotli,
            s.gzip,
            s.path.display()
        );
        let ext = s.path.extension().and_then(|e| e.to_str()).unwrap_or("");
        if ext == "wasm" || ext == "js" {
            wasm_js_br += s.brotli;
        }
    }
    println!("wasm+js brotli total: {wasm_js_br} bytes");
    Ok(())
}

async fn serve(config: Config) -> anyhow::Result<()> {
    let db = server::connect(&config)
        .await
        .context("opening the database")?;
    tracing::info!(database = db.backend().name(), "database ready");
    let root = config.site_root.clone();
    let compressed =
        tokio::task::spawn_blocking(move || server::assets::precompress(&root)).await??;
    tracing::info!(files = compressed.len(), "static assets precompressed");

    let state = AppState {
        leptos: server::leptos_options(&config),
        db: db.clone(),
        cookie_secure: config.cookie_secure,
    };
    let app = server::router(state);
    let listener = tokio::net::TcpListener::bind(config.addr)
        .await
        .with_context(|| format!("binding {}", config.addr))?;
    tracing::info!(addr = %config.addr, "listening on http://{}", config.addr);
    axum::serve(listener, app)
        .with_graceful_shutdown(shutdown_signal())
        .await?;
    db.close().await;
    tracing::info!("stopped");
    Ok(())
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        if let Ok(mut s) = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
        {
            s.recv().await;
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        _ = term => {},
    }
}
