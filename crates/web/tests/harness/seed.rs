//! What every test app starts with besides the register and accounts:
//! signals, a routing table, requests, appointments, letters, and a stand-in
//! for the rules engine's explanations.

use super::*;

/// A person outside the households of residents A and B, so the signal
/// case gives organisation A no access to resident B.
pub(super) fn signal_household(
    records: &[wegwijs_domain::ResidentRecord],
) -> &wegwijs_domain::ResidentRecord {
    records
        .iter()
        .find(|r| r.huishouden != records[0].huishouden && r.huishouden != records[1].huishouden)
        .unwrap()
}

/// Signals for organisation A: one about `person` (a case), one about
/// nobody (the queue), and a refused row (the quarantine).
pub(super) async fn seed_signals(
    store: &Store,
    org: i64,
    person: &wegwijs_domain::ResidentRecord,
    users: &HashMap<&'static str, i64>,
    now: i64,
) -> (i64, i64, i64) {
    use wegwijs_domain::signal::{Signal, SignalFields};
    use wegwijs_store::signals::{Quarantined, SignalSource, SourceKind};
    let today = time::macros::date!(2026 - 11 - 22);
    let bsn = person.bsn.expose().to_string();
    fn row<'a>(id: &'a str, bsn: &'a str, surname: &'a str) -> [&'a str; 20] {
        let mut f = [""; 20];
        f[0] = id;
        f[1] = "Huur";
        f[3] = bsn;
        f[6] = surname;
        f[9] = "1";
        f[11] = "9999 ZZ";
        f[15] = "123400";
        f[16] = "2026-06-01";
        f[17] = "2026-11-01";
        f
    }
    let known = Signal::validate(&SignalFields(row("T-1", &bsn, "")), today).unwrap();
    let nobody = Signal::validate(&SignalFields(row("T-2", "", "Niemand")), today).unwrap();
    let source = SignalSource {
        kind: SourceKind::File,
        name: "test.csv".into(),
        sha256: None,
        token: None,
        partner: None,
    };
    let system = Actor::System("test");
    let mut import = store
        .begin_signal_import(&system, org, &source, 2, now, today)
        .await
        .unwrap();
    import.push(vec![known, nobody]).await.unwrap();
    import
        .quarantine(&[Quarantined {
            line: 4,
            fields: row("T-3", "", "Fout")
                .iter()
                .map(|s| s.to_string())
                .collect(),
            problems: vec![wegwijs_domain::ValidationError::new(
                "Postcode",
                wegwijs_domain::Problem::PostcodeFormat,
            )],
        }])
        .await
        .unwrap();
    import.commit().await.unwrap();
    let staff = |name: &str, role| {
        Actor::Staff(wegwijs_domain::Staff {
            user_id: users[name],
            org_id: org,
            role,
        })
    };
    let worker = staff("medewerker", Role::Caseworker);
    let case = store
        .signal_worklist(&worker, &Default::default(), 10, today, now)
        .await
        .unwrap()[0]
        .id;
    let queued = store.signal_queue(&worker, 10, now).await.unwrap()[0].id;
    let admin = staff("beheerder", Role::Admin);
    let quarantined = store.quarantine_rows(&admin, 10, now).await.unwrap()[0].id;
    (case, queued, quarantined)
}

/// Stands in for the rules engine (tested in the wegwijs crate): the
/// explanation's shape, for any law.
pub(super) struct FixedExplainer;

impl wegwijs_web::Explainer for FixedExplainer {
    fn explain(
        &self,
        _household: &wegwijs_domain::household::HouseholdFacts,
        law: &str,
        _date: time::Date,
    ) -> Option<String> {
        Some(format!(
            "{law}\nU heeft waarschijnlijk recht op deze regeling.\nWij gingen uit van deze gegevens:\n- Inkomen: € 1.100,00 per maand\nDit is een berekening, geen besluit.\n"
        ))
    }
}

/// The routing table of Gemeente A (money matters, the rest), and a
/// question from each of the two residents.
pub(super) async fn seed_requests(
    store: &Store,
    (a, b): (i64, i64),
    users: &HashMap<&'static str, i64>,
    (resident_a, resident_b): (ResidentId, ResidentId),
    now: i64,
) -> (i64, i64) {
    use wegwijs_domain::help::{HelpRoute, HelpTopic, RequestKind};
    use wegwijs_store::outbox::Message;
    use wegwijs_store::requests::NewRequest;
    let admin = Actor::Staff(wegwijs_domain::Staff {
        user_id: users["beheerder"],
        org_id: a,
        role: Role::Admin,
    });
    // Each organisation's money team (at A with the caseworker in it),
    // and A's neighbourhood team.
    let admin_b = Actor::Staff(wegwijs_domain::Staff {
        user_id: users["beheerder-b"],
        org_id: b,
        role: Role::Admin,
    });
    let geld_a = store
        .create_team(&admin, a, "Team Geldzaken", now)
        .await
        .unwrap();
    let wijk_a = store
        .create_team(&admin, a, "Team Wijk", now)
        .await
        .unwrap();
    let geld_b = store
        .create_team(&admin_b, b, "Team Geldzaken", now)
        .await
        .unwrap();
    let members: Vec<i64> = ["medewerker", "teamleider"]
        .iter()
        .filter_map(|u| users.get(u).copied())
        .collect();
    store
        .set_team_members(&admin, geld_a, &members, now)
        .await
        .unwrap();
    let route = |topic, org, team: i64| {
        let mut r =
            HelpRoute::validate(topic, org, &team.to_string(), "3", "0570 123 456").unwrap();
        r.team = "Team Geldzaken".into();
        r
    };
    for (topic, team) in [(HelpTopic::Geld, geld_a), (HelpTopic::Anders, wijk_a)] {
        store
            .set_help_route(&admin, &route(topic, a, team), now)
            .await
            .unwrap();
    }
    let hours = wegwijs_domain::appointment::Hours::validate(
        HelpTopic::Geld,
        &["1".into(), "2".into(), "3".into(), "4".into(), "5".into()],
        ("09:00", "12:00", "30"),
        &["balie".into(), "telefoon".into(), "video".into()],
        ("Stadhuisplein 1, Wegwijzerveen", "Uw brieven"),
    )
    .unwrap();
    store
        .set_appointment_hours(&admin, &hours, now)
        .await
        .unwrap();
    let question = NewRequest {
        kind: RequestKind::Hulpvraag,
        topic: "geld".into(),
        topic_name: "Geld en rekeningen".into(),
        own_words: "Ik kan de huur niet betalen.".into(),
        reach: wegwijs_domain::contact::ContactWays::default(),
    };
    let confirmation = Message {
        subject: "Wij hebben uw vraag".into(),
        body: "Uw vraag is bij Team Geldzaken van Gemeente A.".into(),
    };
    let by = time::macros::date!(2026 - 11 - 27);
    let mut placed = Vec::new();
    for (resident, org) in [(resident_a, a), (resident_b, b)] {
        let r = route(HelpTopic::Geld, org, if org == a { geld_a } else { geld_b });
        placed.push(
            store
                .place_request(
                    &Actor::Resident(resident),
                    resident,
                    &question,
                    (&r, by),
                    &confirmation,
                    now,
                )
                .await
                .unwrap(),
        );
    }
    (placed[0], placed[1])
}

/// Resident a and b each have an appointment with the money team (b's at
/// organisation B), at the first two free times; a with an e-mail reminder.
pub(super) async fn seed_appointments(
    store: &Store,
    now: time::OffsetDateTime,
    (a, b): (ResidentId, ResidentId),
    org_b: i64,
) -> (i64, i64) {
    use wegwijs_domain::appointment::Mode;
    use wegwijs_domain::help::HelpTopic;
    use wegwijs_store::appointments::{Booking, Notes};
    use wegwijs_store::outbox::Message;
    let route_a = store.help_routes().await.unwrap()[0].route.clone();
    let team_b = store.teams_of(org_b).await.unwrap()[0].id;
    let route_b = wegwijs_domain::help::HelpRoute {
        org_id: org_b,
        team_id: team_b,
        ..route_a.clone()
    };
    let hours = store.appointment_hours().await.unwrap()[0].clone();
    // The day after tomorrow, so the reminder waits for its day.
    let local = |t: i64| {
        wegwijs_domain::clock::dutch_local(time::OffsetDateTime::from_unix_timestamp(t).unwrap())
    };
    let day = local(now.unix_timestamp()).date() + time::Duration::days(2);
    let times: Vec<i64> = hours
        .free_slots(now, &[])
        .into_iter()
        .filter(|t| local(*t).date() >= day)
        .collect();
    let m = Message {
        subject: "Uw afspraak staat vast".into(),
        body: "Tot dan.".into(),
    };
    let mut ids = Vec::new();
    for (i, who) in [a, b].into_iter().enumerate() {
        let booking = Booking {
            topic: HelpTopic::Geld,
            starts_at: times[i],
            mode: Mode::Balie,
            contact: None,
            reminder: (i == 0).then(|| ("email", "inwoner@example.nl".to_string())),
        };
        let notes = Notes {
            confirmation: &m,
            reminder: Some(&m),
        };
        ids.push(
            store
                .book_appointment(
                    &Actor::Resident(who),
                    who,
                    (&booking, if i == 0 { &route_a } else { &route_b }, &hours),
                    notes,
                    now.unix_timestamp(),
                )
                .await
                .unwrap(),
        );
    }
    (ids[0], ids[1])
}

/// A small valid PDF, as a resident's photo or scan would be.
pub const LETTER_PDF: &[u8] =
    b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n";

/// A letter for each appointment; a's preparation is sent to the team.
pub(super) async fn seed_letters(
    store: &Store,
    (a, appointment_a): (ResidentId, i64),
    (b, appointment_b): (ResidentId, i64),
    now: i64,
) -> (i64, i64) {
    use wegwijs_domain::preparation::{Preparation, Step};
    use wegwijs_domain::upload::FileKind;
    let mut answers = Preparation::default();
    answers
        .set(Step::Onderwerp, |_| Some("De brief over de huur"), &[])
        .unwrap();
    let mut letters = Vec::new();
    for (who, appointment) in [(a, appointment_a), (b, appointment_b)] {
        let me = Actor::Resident(who);
        letters.push(
            store
                .add_upload(
                    &me,
                    who,
                    (appointment, "huur.pdf", FileKind::Pdf),
                    LETTER_PDF,
                    now,
                )
                .await
                .unwrap(),
        );
    }
    let me = Actor::Resident(a);
    store
        .save_preparation(&me, a, (appointment_a, &answers, true), now)
        .await
        .unwrap();
    (letters[0], letters[1])
}

/// Drempels slechten: the caseworker's own finished run, and a closed
/// team round of organisation A that three of its four members answered,
/// with an action point.
pub(super) async fn seed_selfscan(
    store: &Store,
    org: i64,
    users: &HashMap<&'static str, i64>,
    now: i64,
) -> (i64, i64, i64) {
    use wegwijs_domain::selfscan::Answer;
    let staff = |name: &str, role| {
        Actor::Staff(wegwijs_domain::Staff {
            user_id: users[name],
            org_id: org,
            role,
        })
    };
    let answer = |actor: Actor, round: Option<i64>, n: u8| {
        let store = store.clone();
        async move {
            let answer = move |_, _, item: &wegwijs_domain::selfscan::Item| {
                // Some spread between cells and members, and one "n.v.t.".
                let k = item.code.bytes().map(u32::from).sum::<u32>() % 3;
                if item.code == "al3" {
                    Answer::NotApplicable
                } else {
                    Answer::Scale((n + k as u8).clamp(1, 5))
                }
            };
            store
                .fill_in_selfscan(&actor, round, answer, now)
                .await
                .unwrap()
        }
    };
    let own = answer(staff("medewerker", Role::Caseworker), None, 2).await;
    let lead = staff("teamleider", Role::TeamLead);
    let members: Vec<i64> = ["medewerker", "teamleider", "collega-1", "collega-2"]
        .iter()
        .map(|n| users[n])
        .collect();
    let round = store
        .open_selfscan_round(&lead, "Team Geldzaken", &members, now)
        .await
        .unwrap();
    for (name, n) in [("medewerker", 1), ("collega-1", 3), ("collega-2", 2)] {
        answer(staff(name, Role::Caseworker), Some(round), n).await;
    }
    store.close_selfscan_round(&lead, round, now).await.unwrap();
    let action = store
        .add_selfscan_action(
            &lead,
            round,
            &wegwijs_domain::selfscan::NewAction::validate(
                "Brieven samen met een inwoner lezen",
                "Team Geldzaken",
                "2027-01-31",
            )
            .unwrap(),
            now,
        )
        .await
        .unwrap();
    (own, round, action)
}
