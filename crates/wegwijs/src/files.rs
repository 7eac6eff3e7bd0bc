//! Writing output files so that a failed run never leaves half a file.

use anyhow::Context;
use std::fs::File;
use std::io::BufWriter;
use std::path::Path;

/// Writes `path` through `PATH.part`, synced and renamed at the end; on
/// any error the old file (if any) stays and the part is removed.
pub fn write_atomically(
    path: &Path,
    write: impl FnOnce(&mut BufWriter<File>) -> anyhow::Result<()>,
) -> anyhow::Result<()> {
    let mut name = path.as_os_str().to_owned();
    name.push(".part");
    let tmp = std::path::PathBuf::from(name);
    let result = (|| -> anyhow::Result<()> {
        let mut w = BufWriter::with_capacity(1 << 20, File::create(&tmp)?);
        write(&mut w)?;
        w.into_inner().map_err(|e| e.into_error())?.sync_all()?;
        std::fs::rename(&tmp, path)?;
        Ok(())
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result.with_context(|| format!("cannot write {}", path.display()))
}
