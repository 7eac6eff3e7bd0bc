use super::*;
use crate::Role;
use crate::oversight::ResidentQuery;
use crate::policy::{self, Actor, Colleague, Denied, Staff, WorkFacts};

#[test]
fn every_kind_is_finished_somewhere() {
    for kind in WorkKind::ALL {
        assert_eq!(WorkKind::from_code(kind.code()).unwrap(), kind);
        // A kind without outcomes in the list is finished on its own page.
        let own_page = matches!(kind, WorkKind::Signaal | WorkKind::Hulpvraag);
        assert_eq!(kind.outcomes().is_empty(), own_page, "{kind:?}");
    }
}

#[test]
fn an_outcome_is_one_the_kind_offers_and_sending_back_needs_a_reason() {
    let field = |r: Result<(Outcome, String), Vec<crate::ValidationError>>| {
        r.unwrap_err().iter().map(|e| e.field).collect::<Vec<_>>()
    };
    assert_eq!(
        field(finishing(WorkKind::MogelijkRecht, "", "")),
        ["uitkomst"]
    );
    assert_eq!(
        field(finishing(WorkKind::MogelijkRecht, "gehouden", "")),
        ["uitkomst"]
    );
    assert_eq!(
        field(finishing(WorkKind::Doorverwijzing, "teruggestuurd", "  ")),
        ["reden"]
    );
    let long = "x".repeat(REASON_MAX + 1);
    assert_eq!(
        field(finishing(WorkKind::Doorverwijzing, "afgerond", &long)),
        ["reden"]
    );
    assert_eq!(
        finishing(WorkKind::Doorverwijzing, "teruggestuurd", " Niet voor ons ").unwrap(),
        (Outcome::Teruggestuurd, "Niet voor ons".to_string())
    );
    assert_eq!(
        finishing(WorkKind::MogelijkRecht, "wil-niet", "")
            .unwrap()
            .0,
        Outcome::WilNiet
    );
}

#[test]
fn a_search_is_a_bsn_a_surname_or_an_address() {
    assert!(matches!(
        WorkSearch::parse(" 123456782 ").unwrap(),
        WorkSearch::Resident(ResidentQuery::Bsn(_))
    ));
    assert_eq!(
        WorkSearch::parse("de Vries").unwrap(),
        WorkSearch::Resident(ResidentQuery::Surname("de Vries".into(), None))
    );
    let WorkSearch::Address(pc, n) = WorkSearch::parse("1234 ab 12").unwrap() else {
        panic!("an address")
    };
    assert_eq!((pc.compact(), n), ("1234AB".to_string(), 12));
    assert!(matches!(
        WorkSearch::parse("1234AB12").unwrap(),
        WorkSearch::Address(_, 12)
    ));
    assert!(matches!(
        WorkSearch::parse("7002 AC 27-1").unwrap(),
        WorkSearch::Address(_, 27)
    ));
    assert!(matches!(
        WorkSearch::parse("7017 aa").unwrap(),
        WorkSearch::Postcode(_)
    ));
    assert_eq!(
        WorkSearch::parse("A.B. in 't Veld").unwrap(),
        WorkSearch::Resident(ResidentQuery::Surname("in 't Veld".into(), None))
    );
    assert_eq!(
        WorkSearch::parse("A. Smit").unwrap(),
        WorkSearch::Resident(ResidentQuery::Surname("Smit".into(), None))
    );
    for bad in ["123456789", "j", "<script>"] {
        assert_eq!(WorkSearch::parse(bad).unwrap_err().field, "zoek", "{bad}");
    }
    assert_eq!(WorkSearch::parse(" ").unwrap_err().field, "zoek");
}

#[test]
fn a_filter_keeps_what_it_could_read() {
    let typed = TypedFilter {
        wie: "persoon-7".into(),
        soort: "onbekend".into(),
        status: "wacht-op-inwoner".into(),
        volgorde: "prioriteit".into(),
        te_laat: "ja".into(),
        ..TypedFilter::default()
    };
    let (f, errors) = typed.read(Who::MyTeamsOpen);
    assert_eq!(f.who, Who::Person(7));
    assert_eq!(f.kind, None);
    assert_eq!(f.stage, Some(Stage::WachtOpInwoner));
    assert_eq!(f.sort, Sort::Priority);
    assert!(f.overdue);
    assert_eq!(
        errors.iter().map(|e| e.field).collect::<Vec<_>>(),
        ["soort-werk"]
    );
    for who in [Who::Mine, Who::MyTeams, Who::Team(3), Who::NoTeam, Who::All] {
        assert_eq!(Who::from_code(&who.code()).unwrap(), who);
    }
    assert!(Who::from_code("persoon-x").is_err());
    assert_eq!(TypedFilter::default().read(Who::All).0.who, Who::All);
    // A search looks in all the organisation's work unless "whose" is set.
    let search = TypedFilter {
        zoek: "Jansen".into(),
        ..TypedFilter::default()
    };
    assert_eq!(search.read(Who::MyTeamsOpen).0.who, Who::All);
}

#[test]
fn team_names_and_kind_routes_name_their_fields() {
    assert_eq!(parse_team_name(" Geldzaken ").unwrap(), "Geldzaken");
    assert_eq!(parse_team_name("G").unwrap_err().field, "teamnaam");
    assert_eq!(parse_team_name("").unwrap_err().field, "teamnaam");
    let e = KindRoute::validate(WorkKind::Signaal, "", "0").unwrap_err();
    assert_eq!(
        e.iter().map(|e| e.field).collect::<Vec<_>>(),
        ["team", "werkdagen"]
    );
    assert_eq!(
        KindRoute::validate(WorkKind::Signaal, "4", "5").unwrap(),
        KindRoute {
            kind: WorkKind::Signaal,
            team: 4,
            answer_days: 5
        }
    );
}

const ORG: i64 = 1;

fn staff(user_id: i64, role: Role) -> Actor {
    Actor::Staff(Staff {
        user_id,
        org_id: ORG,
        role,
    })
}

fn colleague(user_id: i64, teams: Vec<i64>) -> Colleague {
    Colleague {
        user_id,
        org: ORG,
        role: Role::Caseworker,
        active: true,
        teams,
    }
}

#[test]
fn work_is_taken_and_moved_on_by_its_team_or_the_team_lead() {
    let item = WorkFacts {
        org: ORG,
        team: Some(10),
        assignee: None,
    };
    let me = staff(1, Role::Caseworker);
    let lead = staff(2, Role::TeamLead);
    assert_eq!(policy::may_take(&me, &item, &[10]), Ok(()));
    assert_eq!(
        policy::may_take(&me, &item, &[11]),
        Err(Denied::NoWorkRelation)
    );
    assert_eq!(policy::may_take(&lead, &item, &[]), Ok(()));
    let elsewhere = WorkFacts { org: 9, ..item };
    assert_eq!(
        policy::may_take(&lead, &elsewhere, &[]),
        Err(Denied::NoWorkRelation)
    );
    for role in [Role::Admin, Role::PrivacyOfficer] {
        assert_eq!(
            policy::may_take(&staff(3, role), &item, &[10]),
            Err(Denied::Role)
        );
    }
    // A colleague's work is theirs to move on, or the team lead's.
    let theirs = WorkFacts {
        assignee: Some(5),
        ..item
    };
    assert_eq!(
        policy::may_work_on(&me, &theirs, &[10]),
        Err(Denied::NoWorkRelation)
    );
    assert_eq!(
        policy::may_work_on(&staff(5, Role::Caseworker), &theirs, &[]),
        Ok(())
    );
    assert_eq!(policy::may_work_on(&lead, &theirs, &[]), Ok(()));
    // Given only to an active colleague in the work's team.
    assert_eq!(
        policy::may_assign(&me, &item, &[10], &colleague(6, vec![10])),
        Ok(())
    );
    assert_eq!(
        policy::may_assign(&me, &item, &[10], &colleague(6, vec![11])),
        Err(Denied::NoWorkRelation)
    );
    let gone = Colleague {
        active: false,
        ..colleague(6, vec![10])
    };
    assert_eq!(
        policy::may_assign(&lead, &item, &[], &gone),
        Err(Denied::NoWorkRelation)
    );
    let admin = Colleague {
        role: Role::Admin,
        ..colleague(6, vec![10])
    };
    assert_eq!(
        policy::may_assign(&lead, &item, &[], &admin),
        Err(Denied::NoWorkRelation)
    );
    assert_eq!(policy::may_lead_work(&me).unwrap_err(), Denied::Role);
    assert!(policy::may_lead_work(&lead).is_ok());
    assert_eq!(policy::may_keep_teams(&staff(3, Role::Admin), ORG), Ok(()));
    assert_eq!(
        policy::may_keep_teams(&staff(3, Role::Admin), 9),
        Err(Denied::NoWorkRelation)
    );
    assert_eq!(policy::may_keep_teams(&lead, ORG), Err(Denied::Role));
}
