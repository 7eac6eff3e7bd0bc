//! Migrations, mode, accounts and sessions.

use super::*;

#[tokio::test]
async fn migrations_are_idempotent_and_a_newer_database_is_refused() {
    let db = TestDb::new().await;
    db.store.migrate().await.unwrap();
    let raw = db.raw().await;
    sqlx::query("INSERT INTO _sqlx_migrations (version, description, success, checksum, execution_time) VALUES (999, 'future', TRUE, $1, 0)")
        .bind(vec![0u8; 48])
        .execute(&raw)
        .await
        .unwrap();
    match db.store.migrate().await {
        Err(StoreError::NewerDatabase(999)) => {}
        other => panic!("expected NewerDatabase(999), got {other:?}"),
    }
}

#[tokio::test]
async fn the_mode_is_fixed_at_first_setup() {
    let db = TestDb::new().await;
    assert_eq!(db.store.mode().await.unwrap(), None);
    assert_eq!(db.store.init_mode(Mode::Demo).await.unwrap(), Mode::Demo);
    assert_eq!(
        db.store.init_mode(Mode::Production).await.unwrap(),
        Mode::Demo
    );
}

#[tokio::test]
async fn users_are_unique_and_scoped_to_their_organisation() {
    let db = TestDb::new().await;
    let admin = org_with_staff(&db.store, "Gemeente A", Role::Admin).await;
    let other = org_with_staff(&db.store, "Gemeente B", Role::Admin).await;
    let dup = NewUser {
        org_id: admin.org_id,
        username: "Gemeente-A-beheerder",
        display_name: "X",
        role: Role::Caseworker,
        password_hash: "x".into(),
    };
    assert!(matches!(
        db.store.create_user(&Actor::Staff(admin), dup, NOW).await,
        Err(StoreError::Duplicate(_))
    ));
    let (user, hash) = db
        .store
        .credentials(" GEMEENTE-A-BEHEERDER ")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        (user.id, hash.as_str(), user.role),
        (admin.user_id, "x", Role::Admin)
    );
    assert!(db.store.credentials("niemand").await.unwrap().is_none());
    // An admin of another organisation cannot block this account.
    assert!(matches!(
        db.store
            .set_user_active(&other, admin.user_id, false, NOW)
            .await,
        Err(StoreError::NotFound)
    ));
    let bad = NewUser {
        org_id: admin.org_id,
        username: "a b",
        display_name: "X",
        role: Role::Caseworker,
        password_hash: "x".into(),
    };
    match db.store.create_user(&Actor::Staff(admin), bad, NOW).await {
        Err(StoreError::Invalid(e)) => assert_eq!(e.field, "gebruikersnaam"),
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn sessions_expire_slide_and_end_when_an_account_is_blocked() {
    let db = TestDb::new().await;
    let admin = org_with_staff(&db.store, "Gemeente A", Role::Admin).await;
    let worker = org_with_staff(&db.store, "Gemeente A2", Role::Caseworker).await;
    let life = Lifetimes {
        idle_secs: 1800,
        absolute_secs: 3600,
    };
    db.store
        .create_session("h1", Subject::Staff(worker.user_id), "csrf1", NOW, life)
        .await
        .unwrap();
    let s = db
        .store
        .session("h1", NOW + 10, life)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(s.actor, Actor::Staff(worker));
    assert_eq!(s.csrf_token, "csrf1");
    assert_eq!(s.display_name.as_deref(), Some("Test Persoon"));
    // Use keeps it alive, but never past the absolute limit.
    assert!(
        db.store
            .session("h1", NOW + 1700, life)
            .await
            .unwrap()
            .is_some()
    );
    assert!(
        db.store
            .session("h1", NOW + 3400, life)
            .await
            .unwrap()
            .is_some()
    );
    assert!(
        db.store
            .session("h1", NOW + 3600, life)
            .await
            .unwrap()
            .is_none()
    );
    assert!(
        db.store
            .session("unknown", NOW, life)
            .await
            .unwrap()
            .is_none()
    );
    // Blocking ends the session.
    db.store
        .create_session("h2", Subject::Staff(admin.user_id), "c", NOW, life)
        .await
        .unwrap();
    let worker_org_admin = Staff {
        org_id: worker.org_id,
        ..admin
    };
    db.store
        .create_session("h3", Subject::Staff(worker.user_id), "c", NOW, life)
        .await
        .unwrap();
    db.store
        .set_user_active(&worker_org_admin, worker.user_id, false, NOW)
        .await
        .unwrap();
    assert!(
        db.store
            .session("h3", NOW + 1, life)
            .await
            .unwrap()
            .is_none()
    );
    assert_eq!(
        db.store
            .delete_expired_sessions(NOW + 10_000, 900)
            .await
            .unwrap(),
        1
    );
    // Failed logins are counted per address, for the account and for all,
    // across instances.
    let (here, there) = ("192.0.2.7", "198.51.100.0");
    for i in 0..3 {
        db.store
            .record_login_failure("Jan", here, NOW + i)
            .await
            .unwrap();
    }
    db.store
        .record_login_failure("piet", here, NOW + 5)
        .await
        .unwrap();
    db.store
        .record_login_failure("jan", there, NOW + 5)
        .await
        .unwrap();
    let failures = |user: &'static str, address: &'static str, since| {
        let store = db.store.clone();
        async move {
            store
                .login_failures_since(user, address, since)
                .await
                .unwrap()
        }
    };
    let f = failures("jan", here, NOW).await;
    assert_eq!((f.account, f.address), (2, 3), "after NOW, from here");
    let f = failures("JAN", there, 0).await;
    assert_eq!((f.account, f.address), (1, 1));
    let f = failures("kees", here, 0).await;
    assert_eq!((f.account, f.address), (0, 4));
    // A login that works forgets that address's failures for the account.
    db.store.clear_login_failures("JAN", here).await.unwrap();
    let f = failures("jan", here, 0).await;
    assert_eq!((f.account, f.address), (0, 1));
    assert_eq!(failures("jan", there, 0).await.account, 1);
}

#[test]
fn an_ipv6_client_is_counted_by_its_network() {
    use wegwijs_store::sessions::throttle_address;
    let ip = |s: &str| s.parse::<std::net::IpAddr>().unwrap();
    assert_eq!(throttle_address(ip("192.0.2.7")), "192.0.2.7");
    assert_eq!(throttle_address(ip("::ffff:192.0.2.7")), "192.0.2.7");
    assert_eq!(
        throttle_address(ip("2001:db8:1:2:aaaa::1")),
        throttle_address(ip("2001:db8:1:2:bbbb::9"))
    );
    assert_eq!(throttle_address(ip("2001:db8:1:2::1")), "2001:db8:1:2::/64");
    assert_ne!(
        throttle_address(ip("2001:db8:1:2::1")),
        throttle_address(ip("2001:db8:1:3::1"))
    );
}

/// A login between its steps, the second factor's steps taken once, the
/// recovery codes used once, the admin's reset and the owner's password.
#[tokio::test]
async fn second_factor_steps_and_codes_are_used_once() {
    use wegwijs_store::second_factor::{Challenge, Stage};
    let db = TestDb::new().await;
    let admin = org_with_staff(&db.store, "Gemeente Twee", Role::Admin).await;
    let s = &db.store;
    let user = s.user(admin.user_id).await.unwrap();
    assert!(
        !user.must_change_password && !user.second_factor,
        "made by the system"
    );
    let challenge = Challenge {
        user_id: admin.user_id,
        stage: Stage::SetUp,
        destination: "/beheer".into(),
    };
    s.start_login_challenge("h1", &challenge, NOW)
        .await
        .unwrap();
    s.advance_login_challenge("h1", Stage::Code).await.unwrap();
    let got = s.login_challenge("h1", NOW + 60).await.unwrap().unwrap();
    assert_eq!(got.stage, Stage::Code);
    // The key being set up stays the same over tries, until confirmed.
    let pending = s
        .pending_second_factor(admin.user_id, "nonce-1")
        .await
        .unwrap();
    assert_eq!(pending, "nonce-1");
    let again = s
        .pending_second_factor(admin.user_id, "nonce-9")
        .await
        .unwrap();
    assert_eq!(again, "nonce-1", "a new login shows the same key");
    assert_eq!(
        s.login_challenge("h1", NOW + 601).await.unwrap(),
        None,
        "expired"
    );
    // A new login of the account replaces the old one.
    s.start_login_challenge("h2", &challenge, NOW)
        .await
        .unwrap();
    assert_eq!(s.login_challenge("h1", NOW).await.unwrap(), None);
    assert_eq!(
        s.second_factor_secret(admin.user_id, "nonce-1"),
        s.second_factor_secret(admin.user_id, "nonce-1")
    );
    assert_ne!(
        s.second_factor_secret(admin.user_id, "nonce-1"),
        s.second_factor_secret(admin.user_id, "nonce-2")
    );
    assert!(
        !s.use_second_factor_step(admin.user_id, 10).await.unwrap(),
        "none set up"
    );
    let codes = vec!["abcde-fghjk".to_string(), "mnpqr-stuvw".to_string()];
    s.confirm_second_factor(admin.user_id, ("nonce-1", 100), &codes, NOW)
        .await
        .unwrap();
    assert!(s.user(admin.user_id).await.unwrap().second_factor);
    assert!(
        !s.use_second_factor_step(admin.user_id, 100).await.unwrap(),
        "the setup's step"
    );
    assert!(s.use_second_factor_step(admin.user_id, 101).await.unwrap());
    assert!(
        !s.use_second_factor_step(admin.user_id, 101).await.unwrap(),
        "once"
    );
    assert!(
        !s.use_second_factor_step(admin.user_id, 100).await.unwrap(),
        "never back"
    );
    assert!(
        s.use_recovery_code(admin.user_id, "ABCDE FGHJK", NOW)
            .await
            .unwrap()
    );
    assert!(
        !s.use_recovery_code(admin.user_id, "abcde-fghjk", NOW)
            .await
            .unwrap()
    );
    assert_eq!(s.recovery_codes_left(admin.user_id).await.unwrap(), 1);
    // An admin of another organisation cannot reset it; its own can.
    let other = org_with_staff(s, "Gemeente Drie", Role::Admin).await;
    let by_other = s
        .reset_second_factor(&Actor::Staff(other), other.org_id, admin.user_id, NOW)
        .await;
    assert!(matches!(by_other, Err(StoreError::NotFound)));
    s.reset_second_factor(&Actor::Staff(admin), admin.org_id, admin.user_id, NOW)
        .await
        .unwrap();
    assert!(!s.user(admin.user_id).await.unwrap().second_factor);
    assert_eq!(s.recovery_codes_left(admin.user_id).await.unwrap(), 0);
    // A password an admin sets is one-time; the owner's own is not.
    s.set_password(&Actor::Staff(admin), admin.org_id, admin.user_id, "h", NOW)
        .await
        .unwrap();
    assert!(s.user(admin.user_id).await.unwrap().must_change_password);
    s.change_own_password(&admin, "h2", NOW).await.unwrap();
    assert!(!s.user(admin.user_id).await.unwrap().must_change_password);
    assert_eq!(s.password_hash(admin.user_id).await.unwrap(), "h2");
    let log = s.audit_page(0, 1000, None).await.unwrap();
    for action in [
        "tweede-stap-ingesteld",
        "herstelcode-gebruikt",
        "tweede-stap-hersteld",
        "wachtwoord-gewijzigd",
    ] {
        assert!(log.iter().any(|e| e.action == action), "{action}");
    }
}

/// A session with a short idle time slides with use too (it was written
/// only when it moved by more than a minute, so one of a minute never did).
#[tokio::test]
async fn a_session_of_a_minute_slides_with_use() {
    let db = TestDb::new().await;
    let worker = org_with_staff(&db.store, "Gemeente Kort", Role::Caseworker).await;
    let life = Lifetimes {
        idle_secs: 60,
        absolute_secs: 3600,
    };
    db.store
        .create_session("kort", Subject::Staff(worker.user_id), "c", NOW, life)
        .await
        .unwrap();
    for t in (50..=500).step_by(50) {
        let live = db.store.session("kort", NOW + t, life).await.unwrap();
        assert!(live.is_some(), "used every 50 s, alive at {t} s");
    }
    let idle = db
        .store
        .session("kort", NOW + 500 + 61, life)
        .await
        .unwrap();
    assert!(idle.is_none(), "a minute without use ends it");
}
