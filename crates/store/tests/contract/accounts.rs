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
