//! Signal intake: matching, combining per household, no duplicates, and
//! nothing left behind by an import that does not finish.

use super::*;
use sqlx::Row;
use time::macros::date;
use wegwijs_domain::signal::{Signal, SignalFields};
use wegwijs_store::signals::{Quarantined, SignalSource, SourceKind};

pub(super) const TODAY: time::Date = date!(2026 - 11 - 22);

pub(super) fn source() -> SignalSource {
    SignalSource {
        kind: SourceKind::File,
        name: "test.csv".into(),
        sha256: None,
        token: None,
        partner: None,
    }
}

/// A signal about someone at the test address (Dorpsstraat 12, 1234 AB).
pub(super) fn signal(
    id: &str,
    partner: &str,
    bsn: Option<Bsn>,
    surname: &str,
    cents: &str,
) -> Signal {
    let bsn = bsn.map(|b| b.expose()).unwrap_or_default();
    let mut f = [""; 20];
    f[0] = id;
    f[1] = partner;
    f[3] = &bsn;
    f[5] = "van der";
    f[6] = surname;
    f[7] = "1980-05-31";
    f[9] = "12";
    f[11] = "1234AB";
    f[15] = cents;
    f[16] = "2026-06-01";
    f[17] = "2026-11-01";
    Signal::validate(&SignalFields(f), TODAY).unwrap()
}

pub(super) async fn count(pool: &sqlx::AnyPool, table: &str) -> i64 {
    sqlx::query(&format!("SELECT COUNT(*) FROM {table}"))
        .fetch_one(pool)
        .await
        .unwrap()
        .get(0)
}

pub(super) async fn take_in(
    store: &Store,
    org: i64,
    signals: &[Signal],
    expected: usize,
) -> wegwijs_store::signals::SignalImportSummary {
    let mut import = store
        .begin_signal_import(&IMPORT, org, &source(), expected, NOW, TODAY)
        .await
        .unwrap();
    import.push(signals.to_vec()).await.unwrap();
    import.commit().await.unwrap()
}

#[tokio::test]
async fn signals_are_matched_combined_and_never_taken_in_twice() {
    // Both ways of reading the register for matching must agree.
    for expected in [0, 100_000] {
        let db = TestDb::new().await;
        let org = org_with_staff(&db.store, "Gemeente Test", Role::Caseworker)
            .await
            .org_id;
        let jansen = record(10_000_000, "Jansen", "HH-1");
        import(
            &db.store,
            &[jansen.clone(), record(20_000_000, "Bakker", "HH-2")],
        )
        .await;
        let batch = [
            signal("S1", "Zorg", Some(jansen.bsn), "", "10000"),
            signal("S2", "Energie", None, "JANSEN", "25000"),
            signal("S3", "Huur", None, "Bakker", "90000"),
            signal("S4", "Water", None, "de Boer", "5000"),
            signal(
                "S5",
                "DUO",
                Some(record(30_000_000, "X", "X").bsn),
                "",
                "100",
            ),
        ];
        let s = take_in(&db.store, org, &batch, expected).await;
        assert_eq!((s.new, s.known), (5, 0));
        assert_eq!(
            (s.matched_bsn, s.matched_name, s.queued),
            (1, 2, 2),
            "{expected}"
        );
        assert_eq!((s.cases_opened, s.cases_updated), (2, 0));

        let raw = db.raw().await;
        let rows = sqlx::query("SELECT priority, reasons FROM signal_cases ORDER BY priority DESC")
            .fetch_all(&raw)
            .await
            .unwrap();
        let reasons: String = rows[0].get(1);
        assert!(
            reasons.contains(r#""soort":"creditors","count":2"#),
            "{reasons}"
        );
        let queue: Vec<String> =
            sqlx::query("SELECT match FROM signals WHERE case_id IS NULL ORDER BY signal_key")
                .fetch_all(&raw)
                .await
                .unwrap()
                .iter()
                .map(|r| r.get(0))
                .collect();
        assert_eq!(queue, ["geen", "bsn-onbekend"]);

        // The same delivery again changes nothing.
        let again = take_in(&db.store, org, &batch, expected).await;
        assert_eq!(
            (
                again.new,
                again.known,
                again.cases_opened,
                again.cases_updated
            ),
            (0, 5, 0, 0)
        );
        assert_eq!(count(&raw, "signals").await, 5);

        // A later signal joins the household's open case and raises it.
        let before: i64 = sqlx::query("SELECT priority FROM signal_cases WHERE household_id = \
                                      (SELECT household_id FROM residents WHERE achternaam = 'Bakker')")
            .fetch_one(&raw)
            .await
            .unwrap()
            .get(0);
        let later = take_in(
            &db.store,
            org,
            &[signal("S6", "Energie", None, "Bakker", "40000")],
            expected,
        )
        .await;
        assert_eq!(
            (later.new, later.cases_opened, later.cases_updated),
            (1, 0, 1)
        );
        let after: i64 = sqlx::query("SELECT priority FROM signal_cases WHERE household_id = \
                                     (SELECT household_id FROM residents WHERE achternaam = 'Bakker')")
            .fetch_one(&raw)
            .await
            .unwrap()
            .get(0);
        assert!(after > before, "{after} > {before}");
        assert_eq!(count(&raw, "signal_cases").await, 2);
        raw.close().await;
    }
}

#[tokio::test]
async fn an_unfinished_import_leaves_nothing() {
    // A small delivery, and a bulk one (which readies SQLite differently).
    for expected in [1, 100_000] {
        let db = TestDb::new().await;
        let org = org_with_staff(&db.store, "Gemeente Test", Role::Caseworker)
            .await
            .org_id;
        import(&db.store, &[record(10_000_000, "Jansen", "HH-1")]).await;
        let audit_before = db.store.audit_latest(org, 1_000).await.unwrap().len();
        let mut import = db
            .store
            .begin_signal_import(&IMPORT, org, &source(), expected, NOW, TODAY)
            .await
            .unwrap();
        import
            .push(vec![signal("S1", "Huur", None, "Jansen", "100")])
            .await
            .unwrap();
        import
            .quarantine(&[Quarantined {
                line: 3,
                fields: vec!["x".into(); 20],
                problems: vec![],
            }])
            .await
            .unwrap();
        drop(import);
        let raw = db.raw().await;
        for table in [
            "signals",
            "signal_cases",
            "signal_imports",
            "signal_quarantine",
        ] {
            assert_eq!(count(&raw, table).await, 0, "{table}");
        }
        assert_eq!(
            db.store.audit_latest(org, 1_000).await.unwrap().len(),
            audit_before
        );
        assert!(case_index_exists(&db).await, "{expected}");
        // The database is free for the next import.
        let s = take_in(
            &db.store,
            org,
            &[signal("S1", "Huur", None, "Jansen", "100")],
            expected,
        )
        .await;
        assert_eq!(s.new, 1);
        assert!(case_index_exists(&db).await, "{expected}");
        raw.close().await;
    }
}

/// Whether the index on signals.case_id is there (a bulk load on SQLite
/// leaves it out until its end).
async fn case_index_exists(db: &TestDb) -> bool {
    let sql = match db.store.backend() {
        wegwijs_store::Backend::Sqlite => {
            "SELECT COUNT(*) FROM sqlite_master WHERE type = 'index' AND name = 'signals_case'"
        }
        wegwijs_store::Backend::Postgres => {
            "SELECT COUNT(*) FROM pg_indexes WHERE indexname = 'signals_case' AND schemaname = current_schema()"
        }
    };
    let raw = db.raw().await;
    let n: i64 = sqlx::query(sql).fetch_one(&raw).await.unwrap().get(0);
    raw.close().await;
    n == 1
}

#[tokio::test]
async fn quarantine_objections_and_the_audit_entry() {
    let db = TestDb::new().await;
    let staff = org_with_staff(&db.store, "Gemeente Test", Role::Caseworker).await;
    let org = staff.org_id;
    import(&db.store, &[record(10_000_000, "Jansen", "HH-1")]).await;
    let raw = db.raw().await;
    sqlx::query(
        "INSERT INTO signal_objections (org_id, household_id, partner_type, klantnummer, recorded_on, until_on, user_id) \
         SELECT $1, household_id, 'huur', NULL, '2026-10-01', '2027-04-01', $2 FROM residents",
    )
    .bind(org)
    .bind(staff.user_id)
    .execute(&raw)
    .await
    .unwrap();
    let mut import = db
        .store
        .begin_signal_import(&IMPORT, org, &source(), 2, NOW, TODAY)
        .await
        .unwrap();
    import
        .push(vec![
            signal("S1", "Huur", None, "Jansen", "100"),
            signal("S2", "Water", None, "Jansen", "100"),
        ])
        .await
        .unwrap();
    let bad = Quarantined {
        line: 4,
        fields: (0..20).map(|i| format!("v{i}")).collect(),
        problems: vec![wegwijs_domain::ValidationError::new(
            "Postcode",
            wegwijs_domain::Problem::PostcodeFormat,
        )],
    };
    import.quarantine(&[bad]).await.unwrap();
    let s = import.commit().await.unwrap();
    assert_eq!(
        (s.new, s.objected, s.quarantined, s.cases_opened),
        (2, 1, 1, 1)
    );
    let row = sqlx::query("SELECT status, case_id FROM signals WHERE signal_key = 'S1'")
        .fetch_one(&raw)
        .await
        .unwrap();
    assert_eq!(row.get::<String, _>(0), "andere-reden");
    assert_eq!(row.get::<Option<i64>, _>(1), None);
    let q = sqlx::query("SELECT line, fields, problems, status FROM signal_quarantine")
        .fetch_one(&raw)
        .await
        .unwrap();
    assert_eq!(q.get::<i64, _>(0), 4);
    assert!(q.get::<String, _>(1).contains(r#""Postcode":"v11""#));
    assert!(
        q.get::<String, _>(2)
            .contains(r#""probleem":"postcode-format""#)
    );
    let last =
        sqlx::query("SELECT action, detail, purpose FROM audit_log ORDER BY seq DESC LIMIT 1")
            .fetch_one(&raw)
            .await
            .unwrap();
    assert_eq!(last.get::<String, _>(0), "signalen-ontvangen");
    assert_eq!(last.get::<String, _>(2), "signaal-ontvangst");
    assert!(last.get::<String, _>(1).contains("2 nieuw"));
    assert!(db.store.verify_audit().await.unwrap().breaks.is_empty());
    raw.close().await;
}

#[tokio::test]
async fn only_the_system_or_the_own_admin_takes_in_signals() {
    let db = TestDb::new().await;
    let worker = org_with_staff(&db.store, "Gemeente Test", Role::Caseworker).await;
    let admin = org_with_staff(&db.store, "Gemeente Anders", Role::Admin).await;
    for (actor, org) in [
        (Actor::Staff(worker), worker.org_id),
        (Actor::Staff(admin), worker.org_id),
    ] {
        let r = db
            .store
            .begin_signal_import(&actor, org, &source(), 1, NOW, TODAY)
            .await;
        assert!(matches!(r, Err(StoreError::Denied(_))));
    }
    let own = Actor::Staff(admin);
    assert!(
        db.store
            .begin_signal_import(&own, admin.org_id, &source(), 1, NOW, TODAY)
            .await
            .is_ok()
    );
}

/// A write that fails inside the import (here: an ID twice, which callers
/// must prevent) fails the import, however far it got, and leaves nothing.
#[tokio::test]
async fn a_failed_write_fails_the_whole_import() {
    for expected in [2, 100_000] {
        let db = TestDb::new().await;
        let org = org_with_staff(&db.store, "Gemeente Test", Role::Caseworker)
            .await
            .org_id;
        import(&db.store, &[record(10_000_000, "Jansen", "HH-1")]).await;
        let mut import = db
            .store
            .begin_signal_import(&IMPORT, org, &source(), expected, NOW, TODAY)
            .await
            .unwrap();
        let twice = signal("S1", "Huur", None, "Jansen", "100");
        let outcome = async {
            import.push(vec![twice.clone(), twice]).await?;
            import.commit().await
        }
        .await;
        assert!(
            outcome.is_err_and(|e| matches!(e, StoreError::Sqlite(_) | StoreError::Db(_))),
            "{expected}"
        );
        let raw = db.raw().await;
        for table in ["signals", "signal_cases", "signal_imports"] {
            assert_eq!(count(&raw, table).await, 0, "{table} {expected}");
        }
        assert!(case_index_exists(&db).await, "{expected}");
        raw.close().await;
    }
}

/// Each creditor numbers its own signals: the same ID from two partners is
/// two signals; from one partner twice, one; another municipality's is its
/// own. A corrected quarantined row keeps its partner.
#[tokio::test]
async fn signal_ids_are_unique_per_deliverer() {
    let db = TestDb::new().await;
    let staff = org_with_staff(&db.store, "Gemeente Twee Leveranciers", Role::Caseworker).await;
    let other = org_with_staff(&db.store, "Gemeente Elders", Role::Caseworker).await;
    import(&db.store, &[record(10_000_000, "Jansen", "HH-1")]).await;
    let from = |partner: Option<&str>| SignalSource {
        partner: partner.map(str::to_string),
        ..source()
    };
    let deliver = async |org: i64, partner: Option<&str>, partner_type: &str| {
        // Elsewhere nobody matches: one open case per household.
        let surname = if org == staff.org_id {
            "Jansen"
        } else {
            "Onbekend"
        };
        let mut import = db
            .store
            .begin_signal_import(&IMPORT, org, &from(partner), 1, NOW, TODAY)
            .await
            .unwrap();
        import
            .push(vec![signal("D2", partner_type, None, surname, "100")])
            .await
            .unwrap();
        import.commit().await.unwrap()
    };
    let org = staff.org_id;
    assert_eq!(deliver(org, Some("Woonstichting"), "Huur").await.new, 1);
    let second = deliver(org, Some("Energie BV"), "Energie").await;
    assert_eq!((second.new, second.known), (1, 0), "another creditor's D2");
    let again = deliver(org, Some("Woonstichting"), "Huur").await;
    assert_eq!(
        (again.new, again.known),
        (0, 1),
        "the same creditor's D2 again"
    );
    assert_eq!(
        deliver(org, None, "Water").await.new,
        1,
        "a file without a partner"
    );
    assert_eq!(
        deliver(other.org_id, Some("Woonstichting"), "Huur")
            .await
            .new,
        1
    );
    let raw = db.raw().await;
    let rows: Vec<(String, String)> = sqlx::query(
        "SELECT deliverer, partner_type FROM signals WHERE signal_key = 'D2' AND org_id = $1 ORDER BY id",
    )
    .bind(org)
    .fetch_all(&raw)
    .await
    .unwrap()
    .iter()
    .map(|r| (r.get("deliverer"), r.get("partner_type")))
    .collect();
    assert_eq!(
        rows,
        vec![
            ("partner:Woonstichting".into(), "huur".into()),
            ("partner:Energie BV".into(), "energie".into()),
            ("bestand".into(), "water".into()),
        ]
    );
    raw.close().await;
}

/// Signals taken in before IDs were scoped per deliverer keep every row,
/// and get their deliverer from their import: its partner token, or a file.
#[tokio::test]
async fn the_deliverer_migration_keeps_every_signal() {
    let db = TestDb::unmigrated().await;
    db.store.migrate_up_to(17).await.unwrap();
    let admin = org_with_staff(&db.store, "Gemeente Oud", Role::Admin).await;
    let token = db
        .store
        .create_partner_token(
            &Actor::Staff(admin),
            "Woonstichting",
            wegwijs_domain::signal::PartnerType::Huur,
            "hash",
            NOW,
        )
        .await
        .unwrap();
    let raw = db.raw().await;
    for (id, token) in [(1, Some(token)), (2, None)] {
        sqlx::query(
            "INSERT INTO signal_imports (id, org_id, source, name, received_at, rows_new, rows_known, rows_quarantined, token_id) \
             VALUES ($1, $2, 'bestand', 'x', 0, 1, 0, 0, $3)",
        )
        .bind(id)
        .bind(admin.org_id)
        .bind(token)
        .execute(&raw)
        .await
        .unwrap();
        sqlx::query(
            "INSERT INTO signals (org_id, signal_key, import_id, partner_type, bedrag_cents, ontstaansdatum, signaaldatum, \
             crisis, warme_overdracht, received_on, match, status) \
             VALUES ($1, $2, $3, 'huur', 100, '2026-10-01', '2026-11-01', 0, 0, '2026-11-02', 'geen', 'nog-niet-opgepakt')",
        )
        .bind(admin.org_id)
        .bind(format!("S{id}"))
        .bind(id)
        .execute(&raw)
        .await
        .unwrap();
    }
    db.store.migrate().await.unwrap();
    let rows: Vec<(String, String)> =
        sqlx::query("SELECT signal_key, deliverer FROM signals ORDER BY signal_key")
            .fetch_all(&raw)
            .await
            .unwrap()
            .iter()
            .map(|r| (r.get("signal_key"), r.get("deliverer")))
            .collect();
    assert_eq!(
        rows,
        vec![
            ("S1".into(), "partner:Woonstichting".into()),
            ("S2".into(), "bestand".into())
        ]
    );
    raw.close().await;
}
