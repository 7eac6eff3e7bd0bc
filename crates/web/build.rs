//! Embeds every page template: each `templates/*.html` under `src/` (the
//! shared ones in `src/templates/`, a feature's beside its handlers in
//! `src/<feature>/templates/`), by file name. Two files with one name would
//! shadow each other, so that stops the build.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::{env, fs, io};

fn main() -> io::Result<()> {
    let src = Path::new(&env::var("CARGO_MANIFEST_DIR").map_err(io::Error::other)?).join("src");
    println!("cargo::rerun-if-changed=src");
    let mut found = BTreeMap::new();
    collect(&src, &mut found)?;
    let mut out = String::from("pub(crate) const TEMPLATES: &[(&str, &str)] = &[\n");
    for (name, path) in &found {
        out.push_str(&format!(
            "    ({name:?}, include_str!({:?})),\n",
            path.display().to_string()
        ));
    }
    out.push_str("];\n");
    let dest = Path::new(&env::var("OUT_DIR").map_err(io::Error::other)?).join("templates.rs");
    fs::write(dest, out)
}

fn collect(dir: &Path, found: &mut BTreeMap<String, PathBuf>) -> io::Result<()> {
    let mut entries: Vec<_> = fs::read_dir(dir)?.collect::<Result<_, _>>()?;
    entries.sort_by_key(|e| e.file_name());
    for entry in entries {
        let path = entry.path();
        if path.is_dir() {
            collect(&path, found)?;
            continue;
        }
        let in_templates = dir.file_name().is_some_and(|n| n == "templates");
        let name = entry.file_name().to_string_lossy().into_owned();
        if !(in_templates && name.ends_with(".html")) {
            continue;
        }
        if let Some(other) = found.insert(name.clone(), path.clone()) {
            return Err(io::Error::other(format!(
                "two templates named {name}: {} and {}",
                other.display(),
                path.display()
            )));
        }
    }
    Ok(())
}
