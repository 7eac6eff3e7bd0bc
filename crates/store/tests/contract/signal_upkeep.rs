//! Signal intake upkeep: quarantine retries, partner tokens and feedback,
//! retention, and the DDAS report.

use super::signal_work::{first_case, setup};
use super::signals::{TODAY, count, signal, source, take_in};
use super::*;
use sqlx::Row;
use time::macros::date;
use wegwijs_domain::signal::{Closing, ContactAttempt, PartnerType, Signal, SignalFields};
use wegwijs_store::signals::{
    CaseFilter, Quarantined, ReportIdentity, ReportPeriod, SignalSource, SourceKind,
};

fn fields_of(values: &[(usize, &str)]) -> Vec<String> {
    let mut f = vec![String::new(); 20];
    for (i, v) in values {
        f[*i] = v.to_string();
    }
    f
}

#[tokio::test]
async fn a_corrected_quarantined_row_is_taken_in_once() {
    let (db, worker, _) = setup().await;
    let org = worker.org_id;
    let mut import = db
        .store
        .begin_signal_import(&IMPORT, org, &source(), 1, NOW, TODAY)
        .await
        .unwrap();
    import
        .quarantine(&[Quarantined {
            line: 2,
            fields: fields_of(&[
                (0, "Q1"),
                (1, "Huur"),
                (6, "Jansen"),
                (7, "1980-05-31"),
                (9, "12"),
                (11, "1234 XX!"),
                (15, "100"),
                (16, "2026-06-01"),
                (17, "2026-11-01"),
            ]),
            problems: vec![wegwijs_domain::ValidationError::new(
                "Postcode",
                wegwijs_domain::Problem::PostcodeFormat,
            )],
        }])
        .await
        .unwrap();
    import.commit().await.unwrap();
    let admin = Actor::Staff(Staff {
        role: Role::Admin,
        ..worker
    });
    let rows = db.store.quarantine_rows(&admin, 100, NOW).await.unwrap();
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0].problems[0].1, "postcode-format");
    assert!(
        db.store
            .quarantine_rows(&Actor::Staff(worker), 100, NOW)
            .await
            .is_err_and(|e| crate::refused(&e, Denied::Role))
    );
    let mut fixed = rows[0].fields.clone();
    fixed[11] = "1234 AB".into();
    let refs: Vec<&str> = fixed.iter().map(String::as_str).collect();
    let signal = Signal::validate(&SignalFields(refs.try_into().unwrap()), TODAY).unwrap();
    let corrected = SignalSource {
        kind: SourceKind::Correction,
        name: "regel 2".into(),
        sha256: None,
        token: None,
        partner: None,
    };
    let mut retry = db
        .store
        .begin_signal_import(&admin, org, &corrected, 1, NOW, TODAY)
        .await
        .unwrap();
    retry.push(vec![signal.clone()]).await.unwrap();
    retry.resolve_quarantined(rows[0].id).await.unwrap();
    let s = retry.commit().await.unwrap();
    assert_eq!((s.new, s.matched_name), (1, 1));
    assert!(
        db.store
            .quarantine_rows(&admin, 100, NOW)
            .await
            .unwrap()
            .is_empty()
    );
    let mut again = db
        .store
        .begin_signal_import(&admin, org, &corrected, 1, NOW, TODAY)
        .await
        .unwrap();
    assert!(
        again
            .resolve_quarantined(rows[0].id)
            .await
            .is_err_and(|e| crate::not_found(&e)),
        "resolved rows stay resolved"
    );
}

#[tokio::test]
async fn partners_hear_only_picked_up_or_not_about_their_own_signals() {
    let (db, worker, _) = setup().await;
    let org = worker.org_id;
    let admin = Actor::Staff(org_with_staff(&db.store, "Gemeente Test Beheer", Role::Admin).await);
    // The admin of another municipality makes tokens for that one; use the own admin.
    let admin = match admin {
        Actor::Staff(s) => Actor::Staff(Staff { org_id: org, ..s }),
        a => a,
    };
    let t1 = db
        .store
        .create_partner_token(&admin, "Woonstad", PartnerType::Huur, "hash-1", NOW)
        .await
        .unwrap();
    let t2 = db
        .store
        .create_partner_token(&admin, "Stroom BV", PartnerType::Energie, "hash-2", NOW)
        .await
        .unwrap();
    assert!(
        db.store
            .create_partner_token(&Actor::Staff(worker), "x", PartnerType::Huur, "hash-3", NOW)
            .await
            .is_err_and(|e| crate::refused(&e, Denied::Role))
    );
    let key1 = db
        .store
        .partner_by_token("hash-1", NOW)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        (key1.token_id, key1.org, key1.partner),
        (t1, org, PartnerType::Huur)
    );
    assert!(
        db.store
            .partner_by_token("nope", NOW)
            .await
            .unwrap()
            .is_none()
    );

    let api = |token| SignalSource {
        kind: SourceKind::Api,
        name: "api".into(),
        sha256: None,
        token: Some(token),
        partner: None,
    };
    for (token, s) in [
        (t1, signal("H1", "Huur", None, "Jansen", "100")),
        (t2, signal("E1", "Energie", None, "Bakker", "100")),
    ] {
        let mut i = db
            .store
            .begin_signal_import(&IMPORT, org, &api(token), 1, NOW, TODAY)
            .await
            .unwrap();
        i.push(vec![s]).await.unwrap();
        i.commit().await.unwrap();
    }
    let ids = vec!["H1".to_string(), "E1".to_string(), "X".to_string()];
    assert_eq!(
        db.store.partner_feedback(&key1, &ids, NOW).await.unwrap(),
        [("H1".to_string(), false)]
    );
    let me = Actor::Staff(worker);
    let case = db
        .store
        .signal_worklist(&me, &CaseFilter::default(), 10, TODAY, NOW)
        .await
        .unwrap()
        .into_iter()
        .find(|l| l.partners == [PartnerType::Huur])
        .unwrap()
        .id;
    let attempt =
        ContactAttempt::new("brief", "2026-11-22", "ochtend", "nee", TODAY, TODAY).unwrap();
    db.store
        .record_contact_attempt(&me, case, &attempt, NOW)
        .await
        .unwrap();
    assert_eq!(
        db.store.partner_feedback(&key1, &ids, NOW).await.unwrap(),
        [("H1".to_string(), true)]
    );

    assert_eq!(db.store.partner_tokens(&admin).await.unwrap().len(), 2);
    db.store
        .revoke_partner_token(&admin, t1, NOW)
        .await
        .unwrap();
    assert!(
        db.store
            .partner_by_token("hash-1", NOW)
            .await
            .unwrap()
            .is_none()
    );
    assert!(
        db.store
            .revoke_partner_token(&admin, t1, NOW)
            .await
            .is_err_and(|e| crate::not_found(&e))
    );
}

#[tokio::test]
async fn retention_deletes_by_term_and_keeps_counts_only() {
    let (db, worker, _) = setup().await;
    let org = worker.org_id;
    take_in(
        &db.store,
        org,
        &[
            signal("S1", "Huur", None, "Jansen", "100"),
            signal("S2", "Huur", None, "Nobody", "100"),
        ],
        2,
    )
    .await;
    let me = Actor::Staff(worker);
    let raw = db.raw().await;
    // Five months on: nothing is due yet.
    let runs = db
        .store
        .apply_retention(date!(2027 - 04 - 22), NOW)
        .await
        .unwrap();
    assert_eq!(runs[0].1.signals, 0);
    // Seven months on, nothing was picked up: both signals and the case go.
    let runs = db
        .store
        .apply_retention(date!(2027 - 06 - 23), NOW)
        .await
        .unwrap();
    assert_eq!((runs[0].1.signals, runs[0].1.cases), (2, 1));
    assert_eq!(count(&raw, "signals").await, 0);

    // A picked-up case stays until twelve months after it closed.
    take_in(
        &db.store,
        org,
        &[signal("S3", "Huur", None, "Bakker", "100")],
        1,
    )
    .await;
    let case = first_case(&db, &me).await;
    let attempt =
        ContactAttempt::new("telefoon", "2026-11-22", "ochtend", "ja", TODAY, TODAY).unwrap();
    db.store
        .record_contact_attempt(&me, case, &attempt, NOW)
        .await
        .unwrap();
    let closing = Closing::new("advies", false, "", TODAY).unwrap();
    db.store
        .close_signal_case(&me, case, &closing, TODAY, NOW)
        .await
        .unwrap();
    let runs = db
        .store
        .apply_retention(date!(2027 - 11 - 21), NOW)
        .await
        .unwrap();
    assert_eq!(runs[0].1.signals, 0);
    let runs = db
        .store
        .apply_retention(date!(2027 - 11 - 23), NOW)
        .await
        .unwrap();
    assert_eq!((runs[0].1.signals, runs[0].1.cases), (1, 1));
    assert_eq!(count(&raw, "contact_attempts").await, 0);
    let detail: String = sqlx::query("SELECT detail FROM audit_log WHERE action = 'bewaartermijn-toegepast' ORDER BY seq DESC LIMIT 1")
        .fetch_one(&raw)
        .await
        .unwrap()
        .get(0);
    assert!(detail.contains("1 signalen"), "{detail}");
    assert_eq!(count(&raw, "signal_retention_runs").await, 4);
    // The deleted case's id is never given to another household.
    take_in(
        &db.store,
        org,
        &[signal("S4", "Huur", None, "Jansen", "100")],
        1,
    )
    .await;
    assert!(first_case(&db, &me).await > case, "case ids are not reused");
    raw.close().await;
}

#[tokio::test]
async fn the_ddas_report_covers_the_period() {
    let (db, worker, _) = setup().await;
    let org = worker.org_id;
    take_in(
        &db.store,
        org,
        &[
            signal("S1", "Huur", None, "Jansen", "45050"),
            signal("S2", "Water", None, "Nobody", "100"),
        ],
        2,
    )
    .await;
    let me = Actor::Staff(worker);
    let case = first_case(&db, &me).await;
    let attempt =
        ContactAttempt::new("telefoon", "2026-11-22", "avond", "ja", TODAY, TODAY).unwrap();
    db.store
        .record_contact_attempt(&me, case, &attempt, NOW)
        .await
        .unwrap();
    let id = ReportIdentity {
        gemeentecode: "0518".into(),
        ..Default::default()
    };
    let period = ReportPeriod {
        from: date!(2026 - 11 - 01),
        to: date!(2026 - 11 - 30),
    };
    let system = Actor::System("ddas-export");
    assert!(
        db.store
            .ddas_report(&me, org, &id, period, "X", "2026-12-01T10:00:00Z", NOW)
            .await
            .is_err_and(|e| crate::refused(&e, Denied::Role))
    );
    let r = db
        .store
        .ddas_report(
            &system,
            org,
            &id,
            period,
            "WEGWIJS",
            "2026-12-01T10:00:00Z",
            NOW,
        )
        .await
        .unwrap();
    let l = &r.leveringen[0];
    assert_eq!(l.gemeentecode, "0518");
    assert_eq!(l.vroegsignalen.len(), 2);
    assert_eq!(l.vroegsignalen[0].bedrag, 451, "whole euros");
    assert_eq!(l.vroegsignaalzaken.len(), 1);
    assert_eq!(l.vroegsignaalzaken[0].contactpogingen[0].soort, "Telefoon");
    assert_eq!(
        l.vroegsignaalzaken[0].datum_opgepakt.as_deref(),
        Some("2026-11-22")
    );
    let none = ReportPeriod {
        from: date!(2026 - 10 - 01),
        to: date!(2026 - 10 - 31),
    };
    let r = db
        .store
        .ddas_report(
            &system,
            org,
            &id,
            none,
            "WEGWIJS",
            "2026-12-01T10:00:00Z",
            NOW,
        )
        .await
        .unwrap();
    assert!(r.leveringen[0].vroegsignalen.is_empty());
    let missing = ReportIdentity::default();
    assert!(
        db.store
            .ddas_report(
                &system,
                org,
                &missing,
                period,
                "W",
                "2026-12-01T10:00:00Z",
                NOW
            )
            .await
            .is_err_and(|e| matches!(&e, StoreError::Invalid(v) if v.field == "gemeentecode" && v.problem == wegwijs_domain::Problem::Empty))
    );
}
