//! `wegwijs serve`: open the database, settle the mode, seed a demo, serve
//! until SIGINT/SIGTERM, then finish requests in flight and stop.

use crate::config::Settings;
use crate::seed;
use anyhow::Context;
use std::sync::Arc;
use std::time::Instant;
use tokio::sync::watch;
use wegwijs_domain::Clock;
use wegwijs_store::meta::Mode;
use wegwijs_web::AppState;

pub async fn serve(
    settings: &Settings,
    clock: Arc<dyn Clock>,
    started: Instant,
) -> anyhow::Result<()> {
    let _lock = crate::open::lock_data_dir(settings)?;
    // Only `serve` on an empty database makes a demo without being told:
    // the README's first command shows the product at once.
    let (store, mode) = crate::open::store_for_serve(settings).await?;
    if !store.audit_key_fits().await? {
        store.close().await;
        anyhow::bail!(
            "the audit key does not fit this database's audit log (its last entry): give this \
             installation's key, or run `wegwijs audit verify` to see whether the log was changed"
        );
    }
    // Refuses a log shortened since the last checkpoint.
    if let Err(e) = store.audit_checkpoint().await {
        store.close().await;
        return Err(e.into());
    }
    if mode == Mode::Demo {
        seed::ensure_demo(&store, clock.as_ref(), settings.demo_persons).await?;
    }
    let mut web = settings.web(mode == Mode::Demo);
    web.explainer = crate::explainer::LawExplainer::from_dir(std::path::Path::new("laws"))
        .map(|e| wegwijs_web::SharedExplainer(std::sync::Arc::new(e)));
    let state = AppState::new(store.clone(), clock.clone(), web)?;
    let listener = tokio::net::TcpListener::bind(settings.listen)
        .await
        .with_context(|| format!("cannot listen on {}", settings.listen))?;
    print_welcome(settings, mode);
    tracing::info!(listen = %settings.listen, mode = mode.code(), startup_ms = started.elapsed().as_millis() as u64, "ready");

    let checkpoints = tokio::spawn(checkpoint_regularly(store.clone()));
    let (stop_jobs, jobs_stopped) = watch::channel(false);
    let owner = format!(
        "pid{}-{}",
        std::process::id(),
        clock.now().unix_timestamp_nanos()
    );
    let jobs = tokio::spawn(crate::jobs::run(
        store.clone(),
        clock.clone(),
        owner,
        jobs_stopped,
    ));
    if let Some(addr) = settings.metrics_listen {
        let metrics = tokio::net::TcpListener::bind(addr)
            .await
            .with_context(|| format!("cannot listen on {addr} for /metrics"))?;
        let router = wegwijs_web::metrics_router(state.clone());
        tokio::spawn(async move { axum::serve(metrics, router).await });
        tracing::info!(listen = %addr, "metrics");
    }
    // The peer's address reaches the login's per-address limit.
    let app =
        wegwijs_web::router(state).into_make_service_with_connect_info::<std::net::SocketAddr>();
    axum::serve(listener, app)
        .with_graceful_shutdown(shutdown_signal())
        .await
        .context("the web server stopped")?;
    tracing::info!("shutting down");
    let _ = stop_jobs.send(true);
    let _ = jobs.await;
    checkpoints.abort();
    // Closing writes the last checkpoint.
    store.close().await;
    Ok(())
}

/// How often the audit chain's head goes to the witness while serving.
const CHECKPOINT_EVERY: std::time::Duration = std::time::Duration::from_secs(60);

async fn checkpoint_regularly(store: wegwijs_store::Store) {
    let mut every = tokio::time::interval(CHECKPOINT_EVERY);
    loop {
        every.tick().await;
        if let Err(e) = store.audit_checkpoint().await {
            tracing::error!(error = %e, "the audit checkpoint could not be written");
        }
    }
}

fn print_welcome(settings: &Settings, mode: Mode) {
    println!("Wegwijs is running at {}", settings.public_url);
    if mode != Mode::Demo {
        return;
    }
    println!("DEMO: every person in this database is made up.");
    println!("Staff logins (password for all: {}):", seed::DEMO_PASSWORD);
    for (org, username, _, role) in seed::DEMO_USERS {
        println!("  {username:<16} {:<16} {org}", role.code());
    }
    println!(
        "As a resident: open {}/inwoner/inloggen and pick a made-up resident at Demo-DigiD.",
        settings.public_url
    );
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        _ = term => {},
    }
}
