use anyhow::Context;
use app::ssr::state::AppState;
use clap::Parser;
use server::config::{Cli, Command, Config};

/// mimalloc instead of glibc malloc: rendering a page allocates many small strings, and
/// glibc's malloc/free took ~40% of the CPU under load (see BENCHMARKS.md).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Threads for blocking work (static file reads, password hashing). Tokio's default of
/// 512 let a burst of static-file requests start dozens of threads, each keeping its own
/// allocator heap: a benchmark run peaked at 95 MB instead of 55 MB (see BENCHMARKS.md).
const BLOCKING_THREADS: usize = 8;

fn main() -> anyhow::Result<()> {
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .max_blocking_threads(BLOCKING_THREADS)
        .build()
        .context("starting the runtime")?
        .block_on(run())
}

async fn run() -> anyhow::Result<()> {
    let cli = Cli::parse();
    server::telemetry::init(&cli.config.log, &cli.config.log_format)?;
    match cli.command.unwrap_or(Command::Serve) {
        Command::Serve => serve(cli.config, cli.demo).await,
        Command::Demo => {
            let db = server::connect(&cli.config)
                .await
                .context("opening the database")?;
            load_demo(&db).await?;
            db.close().await;
            Ok(())
        }
        Command::CreateCoordinator { email, name } => {
            let password = read_password()?;
            let db = server::connect(&cli.config)
                .await
                .context("opening the database")?;
            let id = server::provision::create_coordinator(&db, &name, &email, &password)
                .await
                .context("creating the coordinator")?;
            println!("Koordinator oprettet (bruger-id {id}).");
            println!(
                "Log ind og følg opsætningens tjekliste: /admin/opsaetning \
                 (kommunens profil, råd, medlemmer, udvalg, politikere og årets pulje)."
            );
            db.close().await;
            Ok(())
        }
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
        Command::Backup { file } => {
            let report = server::backup::backup(&cli.config.database_url, &file).await?;
            println!(
                "Sikkerhedskopi skrevet: {} ({} bytes, {} tabeller, {} rækker).",
                file.display(),
                report.bytes,
                report.tables,
                report.rows
            );
            Ok(())
        }
        Command::Restore { file } => {
            let report = server::backup::restore(&cli.config.database_url, &file).await?;
            println!(
                "Databasen er genskabt fra {} ({} tabeller, {} rækker, skemaversion {}). \
                 Den tidligere database er gemt i {}.",
                file.display(),
                report.tables,
                report.rows,
                report.schema_version,
                report.saved_before.display()
            );
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

fn read_password() -> anyhow::Result<String> {
    use std::io::IsTerminal;
    let password = if std::io::stdin().is_terminal() {
        let first = rpassword::prompt_password("Adgangskode: ")?;
        let second = rpassword::prompt_password("Gentag adgangskode: ")?;
        anyhow::ensure!(first == second, "the passwords differ");
        first
    } else {
        let mut line = String::new();
        std::io::stdin().read_line(&mut line)?;
        line.trim_end_matches(['\r', '\n']).to_owned()
    };
    Ok(password)
}

async fn load_demo(db: &app::ssr::db::Db) -> anyhow::Result<()> {
    let created = server::provision::load_demo(db)
        .await
        .context("loading demo data")?;
    tracing::info!(created, "demo data loaded");
    Ok(())
}

async fn serve(config: Config, demo: bool) -> anyhow::Result<()> {
    let db = server::connect(&config)
        .await
        .context("opening the database")?;
    tracing::info!(database = db.backend().name(), "database ready");
    if demo {
        load_demo(&db).await?;
    }
    // Expired sessions are removed hourly (any instance may do it; it is idempotent).
    let store = app::ssr::db::sessions::DbSessionStore::new(db.pool().clone());
    tokio::spawn(async move {
        use tower_sessions::session_store::ExpiredDeletion;
        let mut tick = tokio::time::interval(std::time::Duration::from_secs(3600));
        loop {
            tick.tick().await;
            if let Err(error) = store.delete_expired().await {
                tracing::warn!(%error, "could not delete expired sessions");
            }
        }
    });
    if config.reminder_interval > 0 {
        server::spawn_reminders(
            db.clone(),
            std::time::Duration::from_secs(config.reminder_interval),
        );
    }
    match server::mailer::Mailer::from_config(&config.mail, config.addr)
        .context("setting up outgoing mail")?
    {
        Some(mailer) => {
            tracing::info!("mail is sent over SMTP");
            mailer.spawn(db.clone());
        }
        None => tracing::info!(
            "no SMTP server configured (STEMME_SMTP_URL): mail stays in the outbox; the \
             coordinator reads it at /admin/post"
        ),
    }
    let root = config.site_root.clone();
    let compressed =
        tokio::task::spawn_blocking(move || server::assets::precompress(&root)).await??;
    tracing::info!(files = compressed.len(), "static assets precompressed");

    let providers = config.login.providers().map_err(anyhow::Error::msg)?;
    for p in &providers {
        tracing::info!(provider = %p.id, issuer = %p.issuer, "login through an identity provider");
    }
    if !config.login.password_login {
        tracing::info!("password login is off except for the coordinator's account");
    }
    let oidc = app::ssr::oidc::Oidc::new(providers, &config.mail.public_url(config.addr))
        .map_err(anyhow::Error::msg)?;
    let state = AppState {
        leptos: server::leptos_options(&config),
        db: db.clone(),
        cookie_secure: config.cookie_secure,
        public_url: config.mail.public_url(config.addr),
        smtp_configured: config.mail.smtp_url.is_some(),
        oidc: std::sync::Arc::new(oidc),
        password_login: config.login.password_login,
        live: Default::default(),
    };
    let cache =
        server::page_cache::PageCache::new(std::time::Duration::from_millis(config.page_cache_ms));
    // On PostgreSQL several instances may share the database: they tell each other their
    // changes, so that none serves a page another has changed.
    if db.backend() == app::ssr::db::Backend::Postgres && config.page_cache_ms > 0 {
        cache
            .share_changes(&config.database_url, db.pool().clone())
            .await
            .context("listening for the other instances' changes")?;
        tracing::info!("page cache changes are shared with other instances (LISTEN/NOTIFY)");
    }
    // Live sessions too: a ballot cast through one instance reaches the streams of all.
    if db.backend() == app::ssr::db::Backend::Postgres {
        state
            .live
            .share_changes(&config.database_url, db.pool().clone())
            .await
            .context("listening for the other instances' live changes")?;
    }
    let app = server::router_with_cache(state, cache);
    let listener = tokio::net::TcpListener::bind(config.addr)
        .await
        .with_context(|| format!("binding {}", config.addr))?;
    tracing::info!(addr = %config.addr, "listening on http://{}", config.addr);
    // No Nagle: a response written as head + body must not wait for the client's delayed
    // ACK (40 ms per static file before this; see BENCHMARKS.md).
    use axum::serve::ListenerExt;
    let listener = listener.tap_io(|tcp| {
        if let Err(error) = tcp.set_nodelay(true) {
            tracing::debug!(%error, "could not set TCP_NODELAY");
        }
    });
    // The peer address feeds the per-IP rate limits (see server::client_ip).
    axum::serve(
        listener,
        app.into_make_service_with_connect_info::<std::net::SocketAddr>(),
    )
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
