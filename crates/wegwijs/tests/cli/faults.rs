//! Killed at a random moment (SIGKILL: no cleanup, no last checkpoint),
//! a register import and a signal import leave all or nothing: the
//! database passes `integrity_check`, holds no half import, the import
//! then runs once more to the end and a third run adds nothing, and the
//! audit chain verifies. The moments are printed, to replay a failure.

use super::*;
use std::process::Stdio;
use std::time::{Duration, Instant};

/// A small pseudo-random sequence seeded from the clock (printed).
struct Moments(u64);

impl Moments {
    fn new() -> Moments {
        let seed = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .subsec_nanos() as u64;
        eprintln!("fault moments seeded with {seed}");
        Moments(seed | 1)
    }

    /// A moment within `0..upto`.
    fn within(&mut self, upto: Duration) -> Duration {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        Duration::from_micros(self.0 % upto.as_micros().max(1) as u64)
    }
}

/// Runs `wegwijs args` and kills it with SIGKILL after `after` (unless it
/// ended first); whether it was killed.
fn kill_after(data: &Path, args: &[&str], after: Duration) -> bool {
    let mut child = Command::new(env!("CARGO_BIN_EXE_wegwijs"))
        .arg("--data-dir")
        .arg(data)
        .args(args)
        .env_remove("WEGWIJS_DATABASE_URL")
        .env_remove("WEGWIJS_CONFIG")
        .env("WEGWIJS_AUDIT_KEY", TEST_KEY)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let started = Instant::now();
    while started.elapsed() < after {
        if child.try_wait().unwrap().is_some() {
            return false;
        }
        std::thread::sleep(Duration::from_millis(1));
    }
    child.kill().unwrap();
    child.wait().unwrap();
    true
}

fn integrity(db: &Path) -> String {
    with_pool(db, async |pool| {
        use sqlx::Row;
        sqlx::query("PRAGMA integrity_check")
            .fetch_one(pool)
            .await
            .unwrap()
            .get::<String, _>(0)
    })
}

/// How long a whole run of `args` takes here, for choosing moments in it.
fn timed(data: &Path, args: &[&str]) -> Duration {
    let t = Instant::now();
    let o = wegwijs(data, args);
    assert!(o.status.success(), "{}", text(&o));
    t.elapsed()
}

#[test]
fn imports_killed_at_random_moments_leave_all_or_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("gen");
    let o = wegwijs(
        dir.path(),
        &[
            "demo",
            "generate",
            "--persons",
            "20000",
            "--signals",
            "20000",
            "--out",
            out.to_str().unwrap(),
        ],
    );
    assert!(o.status.success(), "{}", text(&o));
    let (persons, signals) = (out.join("personen.csv"), out.join("signalen.csv"));
    let (persons, signals) = (persons.to_str().unwrap(), signals.to_str().unwrap());
    let mut moments = Moments::new();
    let org = [
        "orgs",
        "create",
        "--name",
        "Gemeente Wegwijzerveen",
        "--kind",
        "gemeente",
    ];

    // The register: how long one import takes, then kills within it.
    let probe = dir.path().join("probe");
    wegwijs(&probe, &org);
    let whole = timed(&probe, &["persons", "import", persons]);
    let full = count(&probe.join("wegwijs.db"), "residents");
    for round in 0..4 {
        let data = dir.path().join(format!("register-{round}"));
        wegwijs(&data, &org);
        let at = moments.within(whole);
        let killed = kill_after(&data, &["persons", "import", persons], at);
        let db = data.join("wegwijs.db");
        assert_eq!(integrity(&db), "ok", "round {round}, killed at {at:?}");
        let held = count(&db, "residents");
        assert!(
            held == 0 || held == full,
            "round {round} at {at:?}: {held} of {full}"
        );
        let o = wegwijs(&data, &["persons", "import", persons]);
        assert!(o.status.success(), "{}", text(&o));
        let o = wegwijs(&data, &["persons", "import", persons]);
        assert!(
            text(&o).contains(&format!("0 persons added or changed, {full} unchanged")),
            "nothing twice: {}",
            text(&o)
        );
        let o = wegwijs(&data, &["audit", "verify"]);
        assert!(o.status.success(), "round {round} ({killed}): {}", text(&o));
    }

    // Signals: a database with the register, copied per round.
    let whole = timed(&probe, &["signals", "import", signals]);
    let taken = count(&probe.join("wegwijs.db"), "signals");
    assert!(taken > 0);
    // Reset the probe: its signals away, so each round starts the same.
    let base = dir.path().join("signals-base");
    wegwijs(&base, &org);
    wegwijs(&base, &["persons", "import", persons]);
    for round in 0..4 {
        let data = dir.path().join(format!("signals-{round}"));
        std::fs::create_dir_all(&data).unwrap();
        let copy = data.join("wegwijs.db");
        let o = wegwijs(&base, &["backup", "--out", copy.to_str().unwrap()]);
        assert!(o.status.success(), "{}", text(&o));
        std::fs::copy(base.join("audit-witness"), data.join("audit-witness")).unwrap();
        let at = moments.within(whole);
        kill_after(&data, &["signals", "import", signals], at);
        assert_eq!(integrity(&copy), "ok", "round {round}, killed at {at:?}");
        let held = count(&copy, "signals");
        assert!(
            held == 0 || held == taken,
            "round {round} at {at:?}: {held} of {taken}"
        );
        let o = wegwijs(&data, &["signals", "import", signals]);
        assert!(o.status.success(), "{}", text(&o));
        assert_eq!(count(&copy, "signals"), taken, "round {round}: all, once");
        let o = wegwijs(&data, &["audit", "verify"]);
        assert!(o.status.success(), "round {round}: {}", text(&o));
    }
}
