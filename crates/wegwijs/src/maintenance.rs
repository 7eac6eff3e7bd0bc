//! Operator commands: migrate, audit verify, backup, restore, and creating
//! organisations and accounts (how a production installation gets its first
//! admin).

use crate::config::Settings;
use crate::open;
use anyhow::Context;
use std::io::BufRead;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use wegwijs_domain::{Actor, Clock, OrgKind, Role};
use wegwijs_store::audit::Break;
use wegwijs_store::users::NewUser;

pub async fn migrate(settings: &Settings) -> anyhow::Result<()> {
    let store = open::store(settings).await?;
    let mode = store.mode().await?.map_or("?", |m| m.code());
    println!(
        "The database is up to date (schema version {}, {mode} mode).",
        store.backend().schema_version()
    );
    store.close().await;
    Ok(())
}

pub async fn verify_audit(settings: &Settings) -> anyhow::Result<ExitCode> {
    let store = open::store(settings).await?;
    let v = store.verify_audit().await?;
    store.close().await;
    if let Some((seq, hash)) = &v.head {
        println!("Last entry: {seq}, hash {hash}.");
    }
    match &v.checkpoint {
        Some(cp) => println!(
            "Last checkpoint in {}: entry {}.",
            settings.audit_witness.display(),
            cp.count
        ),
        None => println!("No checkpoint yet: removal of entries at the end cannot be seen."),
    }
    if v.breaks.is_empty() {
        let noun = if v.entries == 1 { "entry" } else { "entries" };
        println!("The audit log is intact: {} {noun} checked.", v.entries);
        return Ok(ExitCode::SUCCESS);
    }
    eprintln!(
        "The audit log has been tampered with ({} problems in {} entries):",
        v.breaks.len(),
        v.entries
    );
    for b in &v.breaks {
        eprintln!("  {b}");
    }
    Ok(ExitCode::from(1))
}

pub async fn backup(settings: &Settings, out: &Path) -> anyhow::Result<()> {
    anyhow::ensure!(
        !out.exists(),
        "{} exists already; choose a new file name",
        out.display()
    );
    let store = open::store(settings).await?;
    store.backup_to(out).await?;
    store.close().await;
    println!("Backup written to {}.", out.display());
    Ok(())
}

/// Checks the backup (a wegwijs database this binary can read, with an
/// intact audit log), keeps the current database beside it, and puts the
/// backup in its place.
pub async fn restore(settings: &Settings, from: &Path, clock: &dyn Clock) -> anyhow::Result<()> {
    let db = open::sqlite_path(&settings.database_url)
        .context("restore works on the embedded SQLite database; for PostgreSQL use pg_restore")?;
    let _lock = open::lock_data_dir(settings)?;
    check_is_sqlite(from)?;
    let staged = db.with_extension("restore-tmp");
    let scratch_witness = db.with_extension("restore-witness");
    let key = open::given_audit_key(settings)?;
    let entries = match check_backup(from, &staged, key.clone(), &scratch_witness).await {
        Ok(n) => n,
        Err(e) => {
            remove_with_sides(&staged);
            let _ = std::fs::remove_file(&scratch_witness);
            return Err(e.context(format!("{} is not a usable wegwijs backup", from.display())));
        }
    };
    let _ = std::fs::remove_file(&scratch_witness);
    // The old database keeps its WAL and shared-memory files under names
    // SQLite pairs with it ("<file>-wal"), so nothing uncheckpointed is lost.
    let kept = PathBuf::from(format!(
        "{}.before-restore-{}",
        db.display(),
        clock.now().unix_timestamp()
    ));
    if db.exists() {
        for suffix in ["-wal", "-shm"] {
            let side = PathBuf::from(format!("{}{suffix}", db.display()));
            if side.exists() {
                std::fs::rename(&side, format!("{}{suffix}", kept.display()))?;
            }
        }
        std::fs::rename(&db, &kept)?;
    }
    std::fs::rename(&staged, &db)?;
    // The restored log ends before the witness's last checkpoint, rightly:
    // the witness follows it from here.
    let store = open::connect_to(&settings.database_url, key, &settings.audit_witness).await?;
    let recorded = store.audit_checkpoint_after_restore().await;
    store.close().await;
    recorded?;
    println!(
        "Restored {} ({entries} audit entries, chain intact). The previous database is kept as {}.",
        from.display(),
        kept.display()
    );
    Ok(())
}

/// Refuses at once what is not a SQLite database (its first 16 bytes).
fn check_is_sqlite(from: &Path) -> anyhow::Result<()> {
    use std::io::Read;
    anyhow::ensure!(from.is_file(), "{} is not a file", from.display());
    let mut header = [0u8; 16];
    let read = std::fs::File::open(from)
        .and_then(|mut f| f.read_exact(&mut header))
        .is_ok();
    anyhow::ensure!(
        read && &header == b"SQLite format 3\0",
        "{} is not a SQLite database, so it is not a wegwijs backup (`wegwijs backup` makes \
         one); nothing was changed",
        from.display()
    );
    Ok(())
}

/// Copies the backup beside the database (readable by its owner only) and
/// checks it: migrations apply and its audit chain verifies with the key.
async fn check_backup(
    from: &Path,
    staged: &Path,
    key: Option<wegwijs_store::audit::AuditKey>,
    scratch_witness: &Path,
) -> anyhow::Result<i64> {
    let mut copy = wegwijs_store::create_private(staged)
        .with_context(|| format!("cannot create {}", staged.display()))?;
    std::io::copy(&mut std::fs::File::open(from)?, &mut copy)
        .with_context(|| format!("cannot copy {}", from.display()))?;
    copy.sync_all()?;
    drop(copy);
    let url = format!("sqlite://{}", staged.display());
    let store = open::connect_to(&url, key, scratch_witness).await?;
    let checked = async {
        store.migrate().await?;
        store.verify_audit().await
    }
    .await;
    store.close().await;
    // The backup has no witness of its own; its chain must hold.
    let v = checked?;
    let breaks: Vec<_> = v
        .breaks
        .iter()
        .filter(|b| !matches!(b, Break::WitnessMissing))
        .collect();
    anyhow::ensure!(
        breaks.is_empty(),
        "the backup's audit log is broken ({} problems); not restoring it",
        breaks.len()
    );
    Ok(v.entries)
}

/// Removes a SQLite file with its -wal and -shm files.
fn remove_with_sides(db: &Path) {
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", db.display()));
    }
}

pub async fn create_org(
    settings: &Settings,
    name: &str,
    kind: &str,
    clock: &dyn Clock,
) -> anyhow::Result<()> {
    let kind = OrgKind::from_code(kind).map_err(|e| {
        anyhow::anyhow!(
            "--kind {}: use one of {}",
            e.problem,
            OrgKind::ALL.map(|k| k.code()).join(", ")
        )
    })?;
    let store = open::store(settings).await?;
    let made = store
        .create_org(name, kind, clock.now().unix_timestamp())
        .await;
    store.close().await;
    println!("Organisation {} created.", made?);
    Ok(())
}

pub async fn create_user(
    settings: &Settings,
    org: &str,
    username: &str,
    name: &str,
    role: &str,
    clock: &dyn Clock,
) -> anyhow::Result<()> {
    let role = Role::from_code(role).map_err(|e| {
        anyhow::anyhow!(
            "--role {}: use one of {}",
            e.problem,
            Role::ALL.map(|r| r.code()).join(", ")
        )
    })?;
    wegwijs_domain::org::parse_username(username)
        .map_err(|e| anyhow::anyhow!("--username {}", e.problem))?;
    eprintln!(
        "Type the password (at least 12 characters, not easy to guess: a sentence of unusual words works well) and press Enter:"
    );
    let mut password = String::new();
    std::io::stdin().lock().read_line(&mut password)?;
    let password = password.trim_end_matches(['\n', '\r']).to_string();
    wegwijs_domain::org::check_new_password(&password, &[username, name, org])
        .map_err(|e| anyhow::anyhow!("password {}", e.problem))?;
    let store = open::store(settings).await?;
    let made = add_user(&store, (org, username, name, role), password, clock).await;
    store.close().await;
    let (id, org) = made?;
    println!(
        "Account {id} created for {} in {org}.",
        username.trim().to_lowercase()
    );
    Ok(())
}

async fn add_user(
    store: &wegwijs_store::Store,
    (org, username, name, role): (&str, &str, &str, Role),
    password: String,
    clock: &dyn Clock,
) -> anyhow::Result<(i64, String)> {
    let org = store.org_by_name(org).await?.with_context(|| {
        format!("there is no organisation named {org:?}; create it with `wegwijs orgs create`")
    })?;
    let hash = wegwijs_web::hash_password_async(password)
        .await
        .map_err(anyhow::Error::msg)?;
    let new = NewUser {
        org_id: org.id,
        username,
        display_name: name,
        role,
        password_hash: hash,
    };
    let id = store
        .create_user(&Actor::System("cli"), new, clock.now().unix_timestamp())
        .await?;
    Ok((id, org.name))
}
