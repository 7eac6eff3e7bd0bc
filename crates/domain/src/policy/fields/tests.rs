//! The need-to-know matrix as a table: field groups per organisation
//! kind, open work and sharing consent, for every role. Run with
//! `--nocapture` to print it.

use super::*;
use crate::org::Role;
use crate::policy::{ResidentFacts, Staff, may_read_resident};

/// One letter per field group, in [`FieldGroup::ALL`]'s order.
const LETTERS: [(char, FieldGroup); 8] = [
    ('I', Identiteit),
    ('C', Contact),
    ('H', Huishouden),
    ('M', InkomenVermogen),
    ('V', Voorzieningen),
    ('A', Betalingsachterstanden),
    ('R', HulpvragenAfspraken),
    ('D', Dossier),
];

fn letters(access: &FieldAccess) -> String {
    LETTERS
        .iter()
        .map(|(c, g)| if access.shows(*g) { *c } else { '.' })
        .collect()
}

fn staff(role: Role) -> Actor {
    Actor::Staff(Staff {
        user_id: 1,
        org_id: 1,
        role,
    })
}

const NONE: &[Topic] = &[];
const UWV: &[Topic] = &[Topic::DelenUwv];
const SCHULDHULP: &[Topic] = &[Topic::DelenSchuldhulp];
const BOTH: &[Topic] = &[Topic::DelenUwv, Topic::DelenSchuldhulp];

/// (organisation kind, open work, consents given) → groups shown.
const TABLE: &[(OrgKind, WorkKind, &[Topic], &str)] = &[
    (OrgKind::Gemeente, WorkKind::Hulpvraag, NONE, "IC....RD"),
    (
        OrgKind::Gemeente,
        WorkKind::Doorverwijzing,
        NONE,
        "IC....RD",
    ),
    (OrgKind::Gemeente, WorkKind::MogelijkRecht, NONE, "ICHMV.RD"),
    (OrgKind::Gemeente, WorkKind::Signaal, NONE, "ICHMVARD"),
    (OrgKind::Gemeente, WorkKind::Hulpvraag, BOTH, "IC....RD"),
    (OrgKind::Uwv, WorkKind::Hulpvraag, NONE, "IC....RD"),
    (OrgKind::Uwv, WorkKind::Doorverwijzing, NONE, "IC....RD"),
    (OrgKind::Uwv, WorkKind::Hulpvraag, SCHULDHULP, "IC....RD"),
    (OrgKind::Uwv, WorkKind::Hulpvraag, UWV, "ICHMV.RD"),
    (OrgKind::Uwv, WorkKind::Doorverwijzing, BOTH, "ICHMV.RD"),
    // Work only the municipality does gives another organisation no more
    // than its own contact.
    (OrgKind::Uwv, WorkKind::Signaal, NONE, "IC....RD"),
    (OrgKind::Uwv, WorkKind::MogelijkRecht, NONE, "IC....RD"),
    (
        OrgKind::Schuldhulp,
        WorkKind::Doorverwijzing,
        NONE,
        "IC....RD",
    ),
    (
        OrgKind::Schuldhulp,
        WorkKind::Doorverwijzing,
        UWV,
        "IC....RD",
    ),
    (
        OrgKind::Schuldhulp,
        WorkKind::Doorverwijzing,
        SCHULDHULP,
        "IC.MVARD",
    ),
    (OrgKind::Schuldhulp, WorkKind::Hulpvraag, BOTH, "IC.MVARD"),
    (OrgKind::Schuldhulp, WorkKind::Signaal, NONE, "IC....RD"),
    (
        OrgKind::Woningcorporatie,
        WorkKind::Hulpvraag,
        NONE,
        "IC....RD",
    ),
    (
        OrgKind::Woningcorporatie,
        WorkKind::Signaal,
        BOTH,
        "IC....RD",
    ),
    (
        OrgKind::Woningcorporatie,
        WorkKind::MogelijkRecht,
        BOTH,
        "IC....RD",
    ),
];

#[test]
fn field_groups_per_organisation_work_and_consent() {
    println!(
        "organisation      work            consents                  shown ({})",
        { LETTERS.iter().map(|(c, _)| *c).collect::<String>() }
    );
    for (org_kind, work, sharing, want) in TABLE {
        let facts = FieldFacts {
            org_kind: *org_kind,
            work: vec![*work],
            sharing: sharing.to_vec(),
        };
        for role in [Role::Caseworker, Role::TeamLead] {
            let got = field_access(&staff(role), Purpose::Casework, Some(&facts));
            assert_eq!(letters(&got), *want, "{role:?} {facts:?}");
            assert_eq!(got.shown.len() + got.hidden.len(), FieldGroup::ALL.len());
        }
        let codes: Vec<&str> = sharing.iter().map(|t| t.code()).collect();
        println!(
            "{:<17} {:<15} {:<25} {want}",
            org_kind.code(),
            work.code(),
            codes.join(",")
        );
    }
}

/// Every kind of organisation without a sharing consent of its own gets
/// exactly what the housing association in the table gets.
#[test]
fn every_other_kind_of_organisation_sees_only_its_own_contact() {
    for org_kind in OrgKind::ALL {
        if matches!(
            org_kind,
            OrgKind::Gemeente | OrgKind::Uwv | OrgKind::Schuldhulp
        ) {
            continue;
        }
        for work in WorkKind::ALL {
            for sharing in [NONE, BOTH] {
                let facts = FieldFacts {
                    org_kind,
                    work: vec![work],
                    sharing: sharing.to_vec(),
                };
                let got = field_access(&staff(Role::Caseworker), Purpose::Casework, Some(&facts));
                assert_eq!(letters(&got), "IC....RD", "{facts:?}");
                assert!(got.hidden.iter().all(|(_, why)| *why == Hidden::NotNeeded));
            }
        }
    }
}

#[test]
fn several_kinds_of_work_see_what_any_of_them_needs() {
    let facts = FieldFacts {
        org_kind: OrgKind::Gemeente,
        work: vec![WorkKind::Hulpvraag, WorkKind::MogelijkRecht],
        sharing: Vec::new(),
    };
    let got = field_access(&staff(Role::Caseworker), Purpose::Casework, Some(&facts));
    assert_eq!(letters(&got), "ICHMV.RD");
}

#[test]
fn a_hidden_group_says_whether_a_consent_would_show_it() {
    let facts = FieldFacts {
        org_kind: OrgKind::Uwv,
        work: vec![WorkKind::Hulpvraag],
        sharing: Vec::new(),
    };
    let got = field_access(&staff(Role::Caseworker), Purpose::Casework, Some(&facts));
    assert_eq!(
        got.hidden,
        vec![
            (Huishouden, Hidden::NotShared(Topic::DelenUwv)),
            (InkomenVermogen, Hidden::NotShared(Topic::DelenUwv)),
            (Voorzieningen, Hidden::NotShared(Topic::DelenUwv)),
            (Betalingsachterstanden, Hidden::NotNeeded),
        ]
    );
    assert_eq!(
        got.describe(),
        "getoond: identiteit, contact, hulpvragen-afspraken, dossier"
    );
}

/// The roles that may not read a resident at all never reach the field
/// groups; a resident sees all of their own; the system sees none.
#[test]
fn other_roles_and_actors() {
    let with_work = ResidentFacts {
        orgs_with_open_work: vec![1],
    };
    for role in [Role::PrivacyOfficer, Role::Admin] {
        assert!(
            may_read_resident(&staff(role), ResidentId(7), Purpose::Casework, &with_work).is_err()
        );
    }
    let facts = FieldFacts {
        org_kind: OrgKind::Gemeente,
        work: vec![WorkKind::Signaal],
        sharing: Vec::new(),
    };
    let own = field_access(
        &Actor::Resident(ResidentId(7)),
        Purpose::OwnView,
        Some(&facts),
    );
    assert_eq!(letters(&own), "ICHMVARD");
    let system = field_access(&Actor::System("job"), Purpose::Casework, Some(&facts));
    assert_eq!(letters(&system), "........");
}
