//! Opening the database the settings point at.

use crate::config::Settings;
use anyhow::Context;
use std::fs::File;
use wegwijs_store::Store;
use wegwijs_store::audit::{AuditKey, witness::Seal};
use wegwijs_store::meta::Mode;

/// The file of a sqlite:// URL; the store decides what that is.
pub use wegwijs_store::sqlite_file as sqlite_path;

/// Connects, applies migrations and settles the mode: a database a command
/// creates is a production database unless the command was told `--demo`.
pub async fn store(settings: &Settings) -> anyhow::Result<Store> {
    Ok(open(settings, Mode::Production).await?.0)
}

/// The same for `serve`, which makes a demo of a new, empty database.
pub async fn store_for_serve(settings: &Settings) -> anyhow::Result<(Store, Mode)> {
    open(settings, Mode::Demo).await
}

async fn open(settings: &Settings, default: Mode) -> anyhow::Result<(Store, Mode)> {
    let key = given_audit_key(settings)?;
    let store = connect(settings, key.clone()).await?;
    let mode = match settle_mode(&store, settings.demo, default).await {
        Ok(mode) => mode,
        Err(e) => {
            store.close().await;
            return Err(e);
        }
    };
    if key.is_some() {
        return Ok((store, mode));
    }
    store.close().await;
    anyhow::ensure!(
        mode == Mode::Demo,
        "a production database needs an audit key, which secures its audit log and is kept \
         apart from the database: make one with `wegwijs audit new-key`, keep it safe, and give \
         it as WEGWIJS_AUDIT_KEY or with `audit_key_file` in the configuration (see the README, \
         \"The audit log\")"
    );
    // A demo makes its own key, in the data folder.
    let key = AuditKey::generate();
    let path = demo_key_path(settings);
    write_private(&path, &key.to_hex())
        .with_context(|| format!("cannot write the demo's audit key to {}", path.display()))?;
    let store = connect(settings, Some(key)).await?;
    Ok((store, mode))
}

/// The audit key: `WEGWIJS_AUDIT_KEY`, else the configured key file, else
/// the key a demo made in the data folder.
pub fn given_audit_key(settings: &Settings) -> anyhow::Result<Option<AuditKey>> {
    if let Ok(text) = std::env::var("WEGWIJS_AUDIT_KEY") {
        return AuditKey::from_hex(&text)
            .map(Some)
            .map_err(|e| anyhow::anyhow!("WEGWIJS_AUDIT_KEY: {e}"));
    }
    let (path, configured) = match &settings.audit_key_file {
        Some(p) => (p.clone(), true),
        None => (demo_key_path(settings), false),
    };
    match std::fs::read_to_string(&path) {
        Ok(text) => AuditKey::from_hex(&text)
            .map(Some)
            .map_err(|e| anyhow::anyhow!("{}: {e}", path.display())),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound && !configured => Ok(None),
        Err(e) => Err(anyhow::anyhow!(
            "cannot read the audit key {}: {e}",
            path.display()
        )),
    }
}

fn demo_key_path(settings: &Settings) -> std::path::PathBuf {
    settings.data_dir.join("audit.key")
}

/// Creates `path` readable and writable by its owner only.
fn write_private(path: &std::path::Path, text: &str) -> std::io::Result<()> {
    use std::io::Write;
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir)?;
    }
    let mut file = wegwijs_store::create_private(path)?;
    writeln!(file, "{text}")?;
    file.sync_all()
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

/// Connects (sealed with `key` and the configured witness) and applies
/// migrations; creates the SQLite folder on first use.
async fn connect(settings: &Settings, key: Option<AuditKey>) -> anyhow::Result<Store> {
    let store = connect_to(&settings.database_url, key, &settings.audit_witness).await?;
    if let Err(e) = store.migrate().await {
        store.close().await;
        return Err(e.into());
    }
    Ok(store)
}

/// Connects to `url`, sealed when there is a key; creates the SQLite folder.
pub async fn connect_to(
    url: &str,
    key: Option<AuditKey>,
    witness: &std::path::Path,
) -> anyhow::Result<Store> {
    if let Some(path) = sqlite_path(url)
        && let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty())
    {
        std::fs::create_dir_all(dir)
            .with_context(|| format!("cannot create the data directory {}", dir.display()))?;
    }
    Ok(match key {
        Some(key) => {
            let seal = Seal {
                key,
                witness: witness.to_path_buf(),
            };
            Store::connect_sealed(url, seal).await?
        }
        None => Store::connect(url).await?,
    })
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
