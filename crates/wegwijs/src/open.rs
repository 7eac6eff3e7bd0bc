//! Opening the database the settings point at.

use crate::config::Settings;
use anyhow::Context;
use std::fs::File;
use wegwijs_store::Store;

/// The file of a sqlite:// URL; the store decides what that is.
pub use wegwijs_store::sqlite_file as sqlite_path;

/// Connects and applies migrations; creates the SQLite folder on first use.
pub async fn store(settings: &Settings) -> anyhow::Result<Store> {
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
