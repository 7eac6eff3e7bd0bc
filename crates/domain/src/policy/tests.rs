//! The policy as tables: who may do what.

use super::*;

fn staff(role: Role, org: i64) -> Actor {
    Actor::Staff(Staff {
        user_id: 1,
        org_id: org,
        role,
    })
}

#[test]
fn capabilities_per_role() {
    let table = [
        (
            Role::Caseworker,
            [
                true, false, false, false, false, false, true, true, false, false,
            ],
        ),
        (
            Role::TeamLead,
            [
                true, true, false, false, false, false, true, true, true, false,
            ],
        ),
        (
            Role::PrivacyOfficer,
            [
                false, false, false, true, false, false, true, false, false, false,
            ],
        ),
        (
            Role::Admin,
            [
                false, false, true, false, false, true, true, false, false, true,
            ],
        ),
    ];
    let caps = [
        Capability::Worklist,
        Capability::TeamOverview,
        Capability::ManageUsers,
        Capability::AuditLog,
        Capability::ResidentPortal,
        Capability::SignalAdmin,
        Capability::CheckText,
        Capability::SelfAssessment,
        Capability::TeamRounds,
        Capability::InstrumentAdmin,
    ];
    for (role, expected) in table {
        for (cap, want) in caps.iter().zip(expected) {
            assert_eq!(may(&staff(role, 1), *cap), want, "{role:?} {cap:?}");
        }
    }
    let resident = Actor::Resident(ResidentId(7));
    assert!(may(&resident, Capability::ResidentPortal));
    assert!(!may(&resident, Capability::Worklist));
    assert!(!may(&resident, Capability::CheckText));
    assert!(!may(&Actor::System("x"), Capability::ManageUsers));
}

#[test]
fn reading_a_resident() {
    let r = ResidentId(7);
    let with_work = ResidentFacts {
        orgs_with_open_work: vec![1],
    };
    let none = ResidentFacts::default();
    assert_eq!(
        may_read_resident(
            &staff(Role::Caseworker, 1),
            r,
            Purpose::Casework,
            &with_work
        ),
        Ok(())
    );
    assert_eq!(
        may_read_resident(&staff(Role::TeamLead, 1), r, Purpose::Casework, &with_work),
        Ok(())
    );
    assert_eq!(
        may_read_resident(
            &staff(Role::Caseworker, 2),
            r,
            Purpose::Casework,
            &with_work
        ),
        Err(Denied::NoWorkRelation)
    );
    assert_eq!(
        may_read_resident(&staff(Role::Caseworker, 1), r, Purpose::Casework, &none),
        Err(Denied::NoWorkRelation)
    );
    for role in [Role::Admin, Role::PrivacyOfficer] {
        for p in [Purpose::Casework, Purpose::OwnView, Purpose::RegisterImport] {
            assert_eq!(
                may_read_resident(&staff(role, 1), r, p, &with_work),
                Err(Denied::Role)
            );
        }
    }
    assert_eq!(
        may_read_resident(&Actor::Resident(r), r, Purpose::OwnView, &none),
        Ok(())
    );
    assert_eq!(
        may_read_resident(&Actor::Resident(ResidentId(8)), r, Purpose::OwnView, &none),
        Err(Denied::NotOwnData)
    );
    assert_eq!(
        may_read_resident(&Actor::Resident(r), r, Purpose::Casework, &with_work),
        Err(Denied::Purpose)
    );
    assert_eq!(
        may_read_resident(&Actor::System("job"), r, Purpose::Casework, &with_work),
        Err(Denied::Purpose)
    );
}

#[test]
fn signals_come_in_through_the_system_or_the_own_admin() {
    assert_eq!(may_receive_signals(&Actor::System("import"), 1), Ok(()));
    assert_eq!(may_receive_signals(&staff(Role::Admin, 1), 1), Ok(()));
    assert_eq!(
        may_receive_signals(&staff(Role::Admin, 2), 1),
        Err(Denied::NoWorkRelation)
    );
    for role in [Role::Caseworker, Role::TeamLead, Role::PrivacyOfficer] {
        assert_eq!(may_receive_signals(&staff(role, 1), 1), Err(Denied::Role));
    }
    assert_eq!(
        may_receive_signals(&Actor::Resident(ResidentId(1)), 1),
        Err(Denied::Role)
    );
}

#[test]
fn signal_work_is_for_the_municipality_s_caseworkers() {
    for role in [Role::Caseworker, Role::TeamLead] {
        assert_eq!(may_work_signals(&staff(role, 1), 1), Ok(()));
        assert_eq!(
            may_work_signals(&staff(role, 2), 1),
            Err(Denied::NoWorkRelation)
        );
    }
    for role in [Role::Admin, Role::PrivacyOfficer] {
        assert_eq!(may_work_signals(&staff(role, 1), 1), Err(Denied::Role));
    }
    assert_eq!(
        may_work_signals(&Actor::Resident(ResidentId(1)), 1),
        Err(Denied::Role)
    );
    assert_eq!(
        may_work_signals(&Actor::System("job"), 1),
        Err(Denied::Role)
    );
}

#[test]
fn only_the_import_writes_the_register() {
    assert_eq!(
        may_write_register(&Actor::System("import"), Purpose::RegisterImport),
        Ok(())
    );
    assert_eq!(
        may_write_register(&staff(Role::Admin, 1), Purpose::RegisterImport),
        Err(Denied::Role)
    );
}

const ROLES: [Role; 4] = [
    Role::Caseworker,
    Role::TeamLead,
    Role::PrivacyOfficer,
    Role::Admin,
];

#[test]
fn only_the_owner_changes_an_appointment_or_removes_a_letter() {
    let owner = ResidentId(7);
    for f in [may_change_appointment, may_remove_letter] {
        assert_eq!(f(&Actor::Resident(owner), owner), Ok(()));
        assert_eq!(
            f(&Actor::Resident(ResidentId(8)), owner),
            Err(Denied::NotOwnData)
        );
        for role in ROLES {
            assert_eq!(f(&staff(role, 1), owner), Err(Denied::Role), "{role:?}");
        }
        assert_eq!(f(&Actor::System("job"), owner), Err(Denied::Role));
    }
}

#[test]
fn a_letter_is_seen_by_its_owner_and_once_sent_by_the_organisation() {
    let owner = ResidentId(7);
    let letter = |sent, held| Letter {
        owner,
        org: 1,
        sent,
        held,
    };
    // (actor, sent, held, expected)
    let table: [(Actor, bool, bool, Result<Purpose, Denied>); 12] = [
        (Actor::Resident(owner), false, false, Ok(Purpose::OwnView)),
        (Actor::Resident(owner), true, true, Ok(Purpose::OwnView)),
        (
            Actor::Resident(ResidentId(8)),
            true,
            true,
            Err(Denied::NotOwnData),
        ),
        (
            staff(Role::Caseworker, 1),
            true,
            true,
            Ok(Purpose::Casework),
        ),
        (staff(Role::TeamLead, 1), true, true, Ok(Purpose::Casework)),
        (
            staff(Role::Caseworker, 1),
            false,
            true,
            Err(Denied::NoWorkRelation),
        ),
        (
            staff(Role::Caseworker, 1),
            true,
            false,
            Err(Denied::NoWorkRelation),
        ),
        (
            staff(Role::Caseworker, 2),
            true,
            true,
            Err(Denied::NoWorkRelation),
        ),
        (staff(Role::Admin, 1), true, true, Err(Denied::Role)),
        (
            staff(Role::PrivacyOfficer, 1),
            true,
            true,
            Err(Denied::Role),
        ),
        (Actor::System("job"), true, true, Err(Denied::Role)),
        (Actor::System("job"), false, false, Err(Denied::Role)),
    ];
    for (actor, sent, held, want) in table {
        assert_eq!(
            may_see_letter(&actor, &letter(sent, held)),
            want,
            "{actor:?} sent={sent} held={held}"
        );
    }
}

#[test]
fn a_request_is_answered_by_its_organisation_s_caseworkers() {
    for role in [Role::Caseworker, Role::TeamLead] {
        assert_eq!(may_answer_request(&staff(role, 1), 1), Ok(()));
        assert_eq!(
            may_answer_request(&staff(role, 2), 1),
            Err(Denied::NoWorkRelation)
        );
    }
    for role in [Role::Admin, Role::PrivacyOfficer] {
        assert_eq!(may_answer_request(&staff(role, 1), 1), Err(Denied::Role));
    }
    assert_eq!(
        may_answer_request(&Actor::Resident(ResidentId(1)), 1),
        Err(Denied::Role)
    );
}

#[test]
fn a_round_is_seen_by_its_members_and_the_team_lead() {
    let of = |org, member| Round { org, member };
    // (role, org, member, may see, may close)
    let table = [
        (Role::Caseworker, 1, true, Ok(()), Err(Denied::Role)),
        (
            Role::Caseworker,
            1,
            false,
            Err(Denied::NoWorkRelation),
            Err(Denied::Role),
        ),
        (
            Role::Caseworker,
            2,
            true,
            Err(Denied::NoWorkRelation),
            Err(Denied::Role),
        ),
        (Role::TeamLead, 1, false, Ok(()), Ok(())),
        (Role::TeamLead, 1, true, Ok(()), Ok(())),
        (
            Role::TeamLead,
            2,
            false,
            Err(Denied::NoWorkRelation),
            Err(Denied::NoWorkRelation),
        ),
        (Role::Admin, 1, true, Err(Denied::Role), Err(Denied::Role)),
        (
            Role::PrivacyOfficer,
            1,
            true,
            Err(Denied::Role),
            Err(Denied::Role),
        ),
    ];
    for (role, org, member, see, close) in table {
        let round = of(org, member);
        assert_eq!(
            may_see_round(&staff(role, 1), &round),
            see,
            "{role:?} {org} {member}"
        );
        assert_eq!(
            may_close_round(&staff(role, 1), &round),
            close,
            "{role:?} {org}"
        );
    }
    let resident = Actor::Resident(ResidentId(1));
    assert_eq!(may_see_round(&resident, &of(1, true)), Err(Denied::Role));
}

#[test]
fn an_account_is_managed_by_its_own_organisation_s_admin() {
    assert_eq!(may_manage_user(&staff(Role::Admin, 1), 1), Ok(()));
    assert_eq!(
        may_manage_user(&staff(Role::Admin, 2), 1),
        Err(Denied::NoWorkRelation)
    );
    for role in [Role::Caseworker, Role::TeamLead, Role::PrivacyOfficer] {
        assert_eq!(may_manage_user(&staff(role, 1), 1), Err(Denied::Role));
    }
    assert_eq!(
        may_manage_user(&Actor::Resident(ResidentId(1)), 1),
        Err(Denied::Role)
    );
}

#[test]
fn staff_with_a_capability_and_signal_workers() {
    for role in ROLES {
        let actor = staff(role, 3);
        for cap in [
            Capability::Worklist,
            Capability::ManageUsers,
            Capability::AuditLog,
        ] {
            assert_eq!(
                staff_with(&actor, cap).is_ok(),
                may(&actor, cap),
                "{role:?} {cap:?}"
            );
        }
        assert_eq!(
            signal_worker(&actor).map(|s| s.org_id),
            may_work_signals(&actor, 3).map(|()| 3)
        );
    }
    let resident = Actor::Resident(ResidentId(1));
    assert_eq!(
        staff_with(&resident, Capability::ResidentPortal),
        Err(Denied::Role)
    );
    assert_eq!(signal_worker(&resident), Err(Denied::Role));
    assert_eq!(may_use_demo_login(true), Ok(()));
    assert_eq!(may_use_demo_login(false), Err(Denied::Purpose));
    assert_eq!(may_demo_log_in(true, true), Ok(()));
    assert_eq!(may_demo_log_in(true, false), Err(Denied::Purpose));
    assert_eq!(may_demo_log_in(false, true), Err(Denied::Purpose));
}

#[test]
fn choosing_needs_sixteen_years_and_one_s_own_account() {
    let me = ResidentId(7);
    assert_eq!(may_choose(&Actor::Resident(me), me, 16), Ok(()));
    assert_eq!(may_choose(&Actor::Resident(me), me, 15), Err(Denied::Age));
    assert_eq!(
        may_choose(&Actor::Resident(ResidentId(8)), me, 40),
        Err(Denied::NotOwnData)
    );
    assert_eq!(
        may_choose(&staff(Role::Caseworker, 1), me, 40),
        Err(Denied::Purpose)
    );
}

#[test]
fn a_municipalitys_privacy_officer_oversees_all_others_their_own() {
    let officer = staff(Role::PrivacyOfficer, 4);
    assert_eq!(
        audit_scope(&officer, crate::OrgKind::Gemeente),
        Ok(AuditScope::All)
    );
    assert_eq!(
        audit_scope(&officer, crate::OrgKind::Uwv),
        Ok(AuditScope::Org(4))
    );
    for role in [Role::Caseworker, Role::TeamLead, Role::Admin] {
        assert_eq!(
            audit_scope(&staff(role, 4), crate::OrgKind::Gemeente),
            Err(Denied::Role)
        );
    }
    assert_eq!(
        audit_scope(&Actor::Resident(ResidentId(1)), crate::OrgKind::Gemeente),
        Err(Denied::Role)
    );
    let codes: std::collections::BTreeSet<_> = Purpose::ALL.iter().map(|p| p.code()).collect();
    assert_eq!(codes.len(), Purpose::ALL.len());
}
