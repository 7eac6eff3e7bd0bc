//! The witness: checkpoints of the audit chain's head (its length and last
//! hash, authenticated with the audit key), appended to a file outside the
//! database. A chain shorter than its last checkpoint, or with another entry
//! at that place, has lost entries at the end, which no chain can show by
//! itself. The file is append-only by use; each line is
//! `<count> <hash> <mac>`.

use super::AuditKey;
use std::io::Write;
use std::path::{Path, PathBuf};

/// The audit key and where checkpoints go: what makes a chain sealed.
#[derive(Clone, Debug)]
pub struct Seal {
    pub key: AuditKey,
    pub witness: PathBuf,
}

/// The chain's head at a moment: `count` entries, the last with `hash`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Checkpoint {
    pub count: i64,
    pub hash: String,
}

/// What is wrong with a witness file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum WitnessError {
    Missing,
    /// Line `line` (1-based) is not a checkpoint made with this key.
    Altered {
        line: usize,
    },
    Unreadable(String),
}

impl Checkpoint {
    fn mac(&self, key: &AuditKey) -> String {
        key.mac(&[
            "wegwijs-audit-checkpoint",
            &self.count.to_string(),
            &self.hash,
        ])
    }

    /// The line the witness file and the log carry.
    pub fn line(&self, key: &AuditKey) -> String {
        format!("{} {} {}", self.count, self.hash, self.mac(key))
    }

    fn parse(line: &str, key: &AuditKey) -> Option<Checkpoint> {
        let mut parts = line.split(' ');
        let (count, hash, mac) = (parts.next()?, parts.next()?, parts.next()?);
        let cp = Checkpoint {
            count: count.parse().ok()?,
            hash: hash.to_string(),
        };
        let fields = ["wegwijs-audit-checkpoint", count, hash];
        (parts.next().is_none() && key.verify(&fields, mac)).then_some(cp)
    }
}

/// Appends a checkpoint and syncs it to disk; creates the file (readable
/// by its owner only) on first use.
pub fn append(path: &Path, key: &AuditKey, cp: &Checkpoint) -> std::io::Result<()> {
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir)?;
    }
    let mut options = std::fs::OpenOptions::new();
    options.create(true).append(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let mut file = options.open(path)?;
    writeln!(file, "{}", cp.line(key))?;
    file.sync_all()
}

/// The last checkpoint of the file; every line must be authentic.
pub fn last(path: &Path, key: &AuditKey) -> Result<Option<Checkpoint>, WitnessError> {
    let text = match std::fs::read_to_string(path) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Err(WitnessError::Missing),
        Err(e) => return Err(WitnessError::Unreadable(e.to_string())),
    };
    let mut last = None;
    for (i, line) in text.lines().enumerate().filter(|(_, l)| !l.is_empty()) {
        match Checkpoint::parse(line, key) {
            Some(cp) => last = Some(cp),
            None => return Err(WitnessError::Altered { line: i + 1 }),
        }
    }
    Ok(last)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn checkpoints_are_read_back_and_a_forged_line_is_found() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("sub").join("witness");
        let key = AuditKey::generate();
        assert_eq!(last(&path, &key), Err(WitnessError::Missing));
        for count in [3, 9] {
            let cp = Checkpoint {
                count,
                hash: "ab".repeat(32),
            };
            append(&path, &key, &cp).unwrap();
        }
        assert_eq!(last(&path, &key).unwrap().unwrap().count, 9);
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&path).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o600);
        }
        // Made with another key, or edited: refused, naming the line.
        let other = AuditKey::generate();
        append(
            &path,
            &other,
            &Checkpoint {
                count: 20,
                hash: "cd".repeat(32),
            },
        )
        .unwrap();
        assert_eq!(last(&path, &key), Err(WitnessError::Altered { line: 3 }));
        let text = std::fs::read_to_string(&path)
            .unwrap()
            .replacen("9 ", "2 ", 1);
        std::fs::write(&path, text).unwrap();
        assert_eq!(last(&path, &key), Err(WitnessError::Altered { line: 2 }));
    }
}
