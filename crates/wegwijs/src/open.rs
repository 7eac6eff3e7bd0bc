//! Opening the database the settings point at.

use crate::config::Settings;
use anyhow::Context;
use std::fs::File;
use wegwijs_store::Store;
use wegwijs_store::meta::Mode;

/// The file of a sqlite:// URL; the store decides what that is.
pub use wegwijs_store::sqlite_file as sqlite_path;

/// Connects, applies migrations and settles the mode: a database a command
/// creates is a production database unless the command was told `--demo`.
pub async fn store(settings: &Settings) -> anyhow::Result<Store> {
    let store = connect(settings).await?;
    if let Err(e) = settle_mode(&store, settings.demo, Mode::Production).await {
        store.close().await;
        return Err(e);
    }
    Ok(store)
}

/// The stored mode wins; a configuration that contradicts it is refused, so
/// that made-up and real people never mix and the demo login never opens
/// on real data. A database without a stored mode gets the wanted one, or
/// `default` when it is empty; one that holds organisations or residents
/// (made before modes were stored at creation) is never made a demo.
pub async fn settle_mode(
    store: &Store,
    wanted: Option<bool>,
    default: Mode,
) -> anyhow::Result<Mode> {
    let wanted = wanted.map(|d| if d { Mode::Demo } else { Mode::Production });
    match (store.mode().await?, wanted) {
        (Some(stored), Some(w)) if stored != w => anyhow::bail!(
            "this database was set up in {} mode, but the configuration asks for {} mode; \
             use a new data directory (or database) for {}, or remove the `demo` setting",
            stored.code(),
            w.code(),
            w.code()
        ),
        (Some(stored), _) => Ok(stored),
        (None, w) => {
            let held = store.holds_data().await?;
            let mode = match (w, held) {
                (Some(Mode::Demo), true) => anyhow::bail!(
                    "this database already holds organisations or residents, so it cannot become \
                     a demo (made-up people would mix with them); use a new data directory (or \
                     database) for a demo, or remove the `demo` setting"
                ),
                (Some(w), _) => w,
                (None, true) => Mode::Production,
                (None, false) => default,
            };
            Ok(store.init_mode(mode).await?)
        }
    }
}

/// Connects and applies migrations; creates the SQLite folder on first use.
pub async fn connect(settings: &Settings) -> anyhow::Result<Store> {
    if let Some(path) = sqlite_path(&settings.database_url)
        && let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty())
    {
        std::fs::create_dir_all(dir)
            .with_context(|| format!("cannot create the data directory {}", dir.display()))?;
    }
    let store = Store::connect(&settings.database_url).await?;
    store.migrate().await?;
    Ok(store)
}

/// Holds an exclusive lock next to a SQLite database while `serve` runs, so
/// that `restore` cannot pull the file away under it. PostgreSQL needs none:
/// many instances share it.
pub fn lock_data_dir(settings: &Settings) -> anyhow::Result<Option<File>> {
    let Some(db) = sqlite_path(&settings.database_url) else {
        return Ok(None);
    };
    if let Some(dir) = db.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir)
            .with_context(|| format!("cannot create the data directory {}", dir.display()))?;
    }
    let lock_path = db.with_extension("lock");
    let file = File::options()
        .create(true)
        .truncate(false)
        .write(true)
        .open(&lock_path)
        .with_context(|| format!("cannot open {}", lock_path.display()))?;
    match file.try_lock() {
        Ok(()) => Ok(Some(file)),
        Err(_) => anyhow::bail!(
            "{} is in use by another wegwijs (serve or restore); stop it first",
            db.display()
        ),
    }
}
