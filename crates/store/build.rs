//! The one list of migrations for both backends, from the files: every
//! `migrations/sqlite/NNNN_name.sql` with its `migrations/postgres/` twin of
//! the same name, numbered 1, 2, 3… without gaps. A file without its twin,
//! a gap or a badly named file stops the build.

use std::path::Path;
use std::{env, fs, io};

fn names(dir: &Path) -> io::Result<Vec<String>> {
    let mut out: Vec<String> = fs::read_dir(dir)?
        .map(|e| e.map(|e| e.file_name().to_string_lossy().into_owned()))
        .collect::<Result<_, _>>()?;
    out.retain(|n| n.ends_with(".sql"));
    out.sort();
    Ok(out)
}

fn main() -> io::Result<()> {
    let root = Path::new(&env::var("CARGO_MANIFEST_DIR").map_err(io::Error::other)?).to_path_buf();
    let (sqlite, postgres) = (
        root.join("migrations/sqlite"),
        root.join("migrations/postgres"),
    );
    println!("cargo::rerun-if-changed=migrations");
    let files = names(&sqlite)?;
    if files != names(&postgres)? {
        return Err(io::Error::other(
            "migrations/sqlite and migrations/postgres must hold the same file names",
        ));
    }
    let mut out = String::from(
        "/// (version, name, SQLite, PostgreSQL), oldest first; made by build.rs.\n\
         const MIGRATIONS: &[(i64, &str, &str, &str)] = &[\n",
    );
    for (i, file) in files.iter().enumerate() {
        let stem = file.trim_end_matches(".sql");
        let (number, name) = stem
            .split_once('_')
            .ok_or_else(|| io::Error::other(format!("{file}: not NNNN_name.sql")))?;
        let version: i64 = number
            .parse()
            .map_err(|_| io::Error::other(format!("{file}: not NNNN_name.sql")))?;
        if version != i as i64 + 1 {
            return Err(io::Error::other(format!(
                "{file}: expected number {}",
                i + 1
            )));
        }
        out.push_str(&format!(
            "    ({version}, {name:?}, include_str!({:?}), include_str!({:?})),\n",
            sqlite.join(file).display().to_string(),
            postgres.join(file).display().to_string()
        ));
    }
    out.push_str("];\n");
    fs::write(
        Path::new(&env::var("OUT_DIR").map_err(io::Error::other)?).join("migrations.rs"),
        out,
    )
}
