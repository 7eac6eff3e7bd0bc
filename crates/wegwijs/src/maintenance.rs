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
        println!(
            "Last entry: {seq}, hash {hash}. Keep this elsewhere to detect removal of entries at the end."
        );
    }
    if v.breaks.is_empty() {
        println!("The audit log is intact: {} entries checked.", v.entries);
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
    anyhow::ensure!(from.is_file(), "{} is not a file", from.display());
    let staged = db.with_extension("restore-tmp");
    std::fs::copy(from, &staged).with_context(|| format!("cannot copy {}", from.display()))?;
    let check = async {
        let store =
            wegwijs_store::Store::connect(&format!("sqlite://{}", staged.display())).await?;
        store.migrate().await?;
        let v = store.verify_audit().await?;
        store.close().await;
        anyhow::ensure!(
            v.breaks.is_empty(),
            "the backup's audit log is broken ({} problems); not restoring it",
            v.breaks.len()
        );
        Ok::<_, anyhow::Error>(v.entries)
    };
    let entries = match check.await {
        Ok(n) => n,
        Err(e) => {
            let _ = std::fs::remove_file(&staged);
            return Err(e.context(format!("{} is not a usable wegwijs backup", from.display())));
        }
    };
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
    println!(
        "Restored {} ({entries} audit entries, chain intact). The previous database is kept as {}.",
        from.display(),
        kept.display()
    );
    Ok(())
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
    let id = store
        .create_org(name, kind, clock.now().unix_timestamp())
        .await?;
    println!("Organisation {id} created.");
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
    eprintln!("Type the password (at least 12 characters) and press Enter:");
    let mut password = String::new();
    std::io::stdin().lock().read_line(&mut password)?;
    let password = password.trim_end_matches(['\n', '\r']).to_string();
    wegwijs_domain::org::check_new_password(&password)
        .map_err(|e| anyhow::anyhow!("password {}", e.problem))?;
    let store = open::store(settings).await?;
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
    println!(
        "Account {id} created for {} in {}.",
        username.trim().to_lowercase(),
        org.name
    );
    Ok(())
}
