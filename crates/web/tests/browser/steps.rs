//! What the axe walk does per role: the pages to visit and the forms to
//! send, in every state (empty, filled, refused), and the data some states
//! need prepared first.

use super::TestApp;
use super::walk::Step;

/// A letter with something of every severity, for the schrijfhulp.
pub(super) const SCHRIJFHULP_TEXT: &str = "Geachte heer, mevrouw,\n\nDerhalve wordt u verzocht het verschuldigde \
bedrag m.b.t. de aanslag gemeentelijke belastingen 2026, die u op 1 maart heeft ontvangen, binnen veertien \
dagen aan de gemeente te voldoen.\n\nMet vriendelijke groet,\nDe gemeente";

/// A file named like a PDF that is not one, for the refused upload.
fn not_a_letter() -> String {
    let path = std::env::temp_dir().join("wegwijs-geen-brief.pdf");
    std::fs::write(&path, b"MZ dit is geen brief").unwrap();
    path.display().to_string()
}

/// `rated`: a request of resident a that is done, to say how it was.
pub(super) fn steps(app: &TestApp, role: &str, rated: i64) -> Vec<Step> {
    let go = |p: &str| Step::Go(format!("{}{p}", app.base));
    let a = app.resident_a.0;
    let mw = app.users["medewerker"];
    let mut steps = match role {
        "anoniem" => vec![
            go("/"),
            go("/?uitgelogd=1"),
            go("/inloggen"),
            Step::Submit {
                page: format!("{}/inloggen", app.base),
                fields: vec![("#gebruikersnaam", "medewerker"), ("#wachtwoord", "fout")],
                button: "main form button[type=submit]",
            },
            go("/inwoner/inloggen"),
            go("/inwoner/inloggen/digid").to("/demo-digid/authorize"),
            go("/inwoner/terug"),
            go("/bestaat-niet").error(),
            go("/geldcheck"),
            Step::Choose {
                page: format!("{}/geldcheck", app.base),
                clicks: vec![
                    "#vraag-aanmaning-deurwaarder",
                    "#vraag-over-nee",
                    "#vraag-zorgen-vaak",
                ],
                fields: vec![],
                button: "main form button[type=submit]",
            },
            // Keep the answers and log in to send them.
            Step::Then {
                fields: vec![],
                button: "form[action='/geldcheck/bewaren'] button[type=submit]",
            }
            .to("/demo-digid/authorize"),
            go("/taal/en?terug=/geldcheck"),
            Step::Choose {
                page: format!("{}/geldcheck", app.base),
                clicks: vec!["#vraag-buffer-nee"],
                fields: vec![],
                button: "main form button[type=submit]",
            },
            go("/taal/en?terug=/"),
            go("/inloggen"),
            go("/taal/nl?terug=/"),
        ],
        "medewerker" => vec![
            go("/signalen"),
            go(&format!("/signalen/zaak/{}", app.signal_case)),
            Step::Submit {
                page: format!("{}/signalen/zaak/{}", app.base, app.signal_case),
                fields: vec![("#veld-datum", "")],
                button: "main form.ww-form button[type=submit]",
            }
            .to(format!("/signalen/zaak/{}/contact", app.signal_case)),
            go("/signalen/wachtrij"),
            go(&format!("/signalen/wachtrij/{}", app.queued_signal)),
            go("/taal/en?terug=/signalen"),
            go(&format!("/signalen/zaak/{}", app.signal_case)),
            go("/taal/nl?terug=/signalen"),
            go("/werk"),
            // The one list: by priority, a line taken, a search typed
            // wrong, an appointment finished without an outcome.
            go("/werk?wie=alles&volgorde=prioriteit"),
            Step::Submit {
                page: format!("{}/werk", app.base),
                fields: vec![],
                button: "main .ww-work-actions form button[type=submit]",
            }
            .to("/werk"),
            go("/werk?wie=alles&zoek=12"),
            Step::Choose {
                page: format!("{}/werk?wie=alles&soort=afspraak", app.base),
                clicks: vec!["main .ww-work details summary"],
                fields: vec![],
                button: "main .ww-work details form[action$='/afronden'] button[type=submit]",
            }
            .to("/werk/*/afronden"),
            go(&format!("/werk/inwoner/{a}")),
            Step::Submit {
                page: format!("{}/werk/inwoner/{a}", app.base),
                fields: vec![(
                    "#hulpvragen textarea",
                    "Ik bel u dinsdag om 10 uur. Neem uw brieven mee.",
                )],
                button: "#hulpvragen form button[type=submit]",
            },
            // A note without words: the fields named; a correction's form.
            Step::Submit {
                page: format!("{}/werk/inwoner/{a}", app.base),
                fields: vec![("#veld-notitie", "")],
                button: "#notities form button[type=submit]",
            }
            .to(format!("/werk/inwoner/{a}/notitie")),
            go(&format!("/werk/inwoner/{a}?corrigeer=1")),
            // A contact with nothing chosen: each pillar named.
            Step::Choose {
                page: format!("{}/werk/inwoner/{a}", app.base),
                clicks: vec!["#contacten details summary"],
                fields: vec![("#contact-besproken", "De huur.")],
                button: "#contacten form button[type=submit]",
            }
            .to(format!("/werk/inwoner/{a}/contact")),
            go("/beheer/gebruikers").error(),
            go("/taal/en?terug=/werk"),
            go(&format!("/werk/inwoner/{a}")),
            go("/taal/nl?terug=/werk"),
        ],
        "teamleider" => vec![
            go("/team"),
            go("/taal/en?terug=/team"),
            go("/taal/nl?terug=/team"),
            go("/werk"),
            // Handing out with nothing ticked: both named.
            Step::Submit {
                page: format!("{}/werk?wie=alles", app.base),
                fields: vec![],
                button: "#bulk button[type=submit]",
            }
            .to("/werk/toewijzen"),
            go("/schrijfhulp"),
            Step::Submit {
                page: format!("{}/schrijfhulp", app.base),
                fields: vec![("#tekst", SCHRIJFHULP_TEXT)],
                button: "main form button[type=submit]",
            },
            go("/taal/en?terug=/schrijfhulp"),
            Step::Submit {
                page: format!("{}/schrijfhulp", app.base),
                fields: vec![("#tekst", SCHRIJFHULP_TEXT)],
                button: "main form button[type=submit]",
            },
            go("/taal/nl?terug=/schrijfhulp"),
        ],
        "privacy" => vec![
            go("/account/wachtwoord"),
            Step::Submit {
                page: format!("{}/account/wachtwoord", app.base),
                fields: vec![
                    ("#huidig", "fout"),
                    ("#wachtwoord", "aaaaaaaaaaaa"),
                    ("#herhaling", "aaaaaaaaaaaa"),
                ],
                button: "main form button[type=submit]",
            },
            go("/privacy/logboek"),
            // A resident without a reason, and a period typed wrong.
            Step::Submit {
                page: format!("{}/privacy/logboek", app.base),
                fields: vec![("#veld-inwoner", "12"), ("#veld-periode-van", "")],
                button: "main form.ww-card button[type=submit]",
            },
            go(&format!(
                "/privacy/logboek?inwoner={}&reden=controle&uitkomst=alle",
                app.people[0].geslachtsnaam.replace(' ', "+")
            )),
            go("/privacy/logboek?uitkomst=geweigerd&van=2026-01-01&tot=2026-12-31"),
            Step::Submit {
                page: format!("{}/privacy/logboek", app.base),
                fields: vec![],
                button: "form[action='/privacy/logboek/controleren'] button[type=submit]",
            }
            .to("/privacy/logboek/controleren"),
            go("/privacy/signalen?per_uur=0"),
            go("/privacy/signalen?per_uur=veel&nacht_van=25&van=morgen"),
            go("/taal/en?terug=/privacy/signalen"),
            go("/privacy/logboek"),
            go("/taal/nl?terug=/privacy/logboek"),
        ],
        "beheerder" => vec![
            go("/beheer/signalen"),
            go("/beheer/signalen/quarantaine"),
            go(&format!("/beheer/signalen/quarantaine/{}", app.quarantined)),
            go("/beheer/gebruikers"),
            go("/beheer/gebruikers?gelukt=opgeslagen"),
            Step::Submit {
                page: format!("{}/beheer/gebruikers", app.base),
                fields: vec![
                    ("#naam", "Nieuwe Collega"),
                    ("#gebruikersnaam", "fout gebruikersnaam"),
                    ("#wachtwoord", "lang genoeg wachtwoord"),
                ],
                button: "main form.ww-form button[type=submit]",
            },
            go(&format!("/beheer/gebruikers/{mw}/wachtwoord")),
            go("/beheer/hulp"),
            Step::Submit {
                page: format!("{}/beheer/hulp", app.base),
                fields: vec![
                    ("#veld-werkdagen-zorg", "60"),
                    ("#veld-team-zorg", "Team W"),
                ],
                button: "#route-zorg button[type=submit]",
            },
            Step::Submit {
                page: format!("{}/beheer/hulp", app.base),
                fields: vec![
                    ("#veld-werkdagen-zorg", "5"),
                    ("#veld-team-zorg", "Team W"),
                    ("#veld-telefoonnummer-zorg", "0570 123 456"),
                ],
                button: "#route-zorg button[type=submit]",
            },
            // Teams: a name left empty, a term out of range.
            Step::Submit {
                page: format!("{}/beheer/teams", app.base),
                fields: vec![("#veld-teamnaam", "")],
                button: "form[action='/beheer/teams'] button[type=submit]",
            },
            Step::Submit {
                page: format!("{}/beheer/teams", app.base),
                fields: vec![("#veld-werkdagen-route-signaal", "99")],
                button: "#route-signaal button[type=submit]",
            }
            .to("/beheer/teams/route"),
        ],
        // Need-to-know: what is hidden and why, in both languages.
        "uwv-medewerker" => vec![
            go(&format!("/werk/inwoner/{a}")),
            go("/taal/en?terug=/werk"),
            go(&format!("/werk/inwoner/{a}")),
            go("/taal/nl?terug=/werk"),
        ],
        // A child of 13: the consents say who decides.
        "kind" => vec![
            go("/mijn/toestemmingen"),
            go("/taal/en?terug=/mijn/toestemmingen"),
            go("/taal/nl?terug=/mijn"),
        ],
        "inwoner" => vec![
            go("/mijn"),
            // Contact details: a number too short, the preferred way missing.
            Step::Submit {
                page: format!("{}/mijn/contact", app.base),
                fields: vec![("#veld-uw-telefoon", "12")],
                button: "main form button[type=submit]",
            },
            Step::Submit {
                page: format!("{}/mijn", app.base),
                fields: vec![("#telefoon-wet_op_de_zorgtoeslag", "06-12")],
                button: "form:has(#telefoon-wet_op_de_zorgtoeslag) button[type=submit]",
            }
            .to("/mijn/regeling"),
            go("/mijn/hulp"),
            Step::Submit {
                page: format!("{}/mijn/hulp", app.base),
                fields: vec![],
                button: "main form button[type=submit]",
            },
            Step::Choose {
                page: format!("{}/mijn/hulp", app.base),
                clicks: vec!["#veld-onderwerp-wonen"],
                fields: vec![
                    ("#veld-woorden", "Mijn huis is te duur.\nWat kan ik doen?"),
                    ("#veld-uw-telefoon", "06 1234 5678"),
                ],
                button: "main form button[type=submit]",
            }
            .to("/mijn/vraag/*"),
            go("/mijn/berichten"),
            go(&format!("/mijn/vraag/{}", app.request_a)),
            go(&format!("/mijn/hoe-was-het/hulpvraag/{rated}")),
            go(&format!(
                "/mijn/afspraak/{}/voorbereiden/onderwerp",
                app.appointment_a
            )),
            go(&format!(
                "/mijn/afspraak/{}/voorbereiden/brieven",
                app.appointment_a
            )),
            Step::Upload {
                page: format!(
                    "{}/mijn/afspraak/{}/voorbereiden/brieven",
                    app.base, app.appointment_a
                ),
                file: "#veld-bestand",
                path: not_a_letter(),
                button: "main form.ww-form button[value=volgende]",
            },
            go(&format!(
                "/mijn/afspraak/{}/voorbereiden/lastig",
                app.appointment_a
            )),
            go(&format!(
                "/mijn/afspraak/{}/voorbereiden/klaar",
                app.appointment_a
            )),
            Step::Submit {
                page: format!("{}/mijn/hoe-was-het/hulpvraag/{rated}", app.base),
                fields: vec![("#veld-opmerking", "Het duurde lang.")],
                button: "main form button[type=submit]",
            },
            go("/mijn/afspraak"),
            go("/mijn/afspraak?onderwerp=werk&vorm=balie"),
            go("/mijn/afspraak?onderwerp=geld&vorm=telefoon"),
            Step::Submit {
                page: format!("{}/mijn/afspraak?onderwerp=geld&vorm=telefoon", app.base),
                fields: vec![("#veld-contact", "06-12")],
                button: "main form.ww-form--wide button[type=submit]",
            },
            Step::Choose {
                page: format!("{}/mijn/afspraak?onderwerp=geld&vorm=video", app.base),
                clicks: vec!["#veld-tijd input[type=radio]", "#veld-herinnering-email"],
                fields: vec![
                    ("#veld-contact", "inwoner@example.nl"),
                    ("#veld-adres", "inwoner@example.nl"),
                ],
                button: "main form.ww-form--wide button[type=submit]",
            }
            .to("/mijn/afspraak/*"),
            go(&format!("/mijn/afspraak/{}", app.appointment_a)),
            go(&format!("/mijn/afspraak/{}/verzetten", app.appointment_a)),
            go(&format!("/mijn/afspraak/{}/afzeggen", app.appointment_a)),
            go("/mijn/post"),
            Step::Choose {
                page: format!("{}/geldcheck", app.base),
                clicks: vec!["#vraag-achterstand-meer"],
                fields: vec![],
                button: "main form button[type=submit]",
            },
            Step::Then {
                fields: vec![("#veld-telefoon", "06-1")],
                button: "form[action='/geldcheck/sturen'] button[type=submit]",
            }
            .to("/geldcheck/sturen"),
            Step::Submit {
                page: format!("{}/geldcheck", app.base),
                fields: vec![],
                button: "main form button[type=submit]",
            },
            go("/mijn/toestemmingen"),
            Step::Submit {
                page: format!("{}/mijn/toestemmingen", app.base),
                fields: vec![],
                button: "main .ww-consent form button[type=submit]",
            },
            Step::Submit {
                page: format!("{}/mijn/toestemmingen", app.base),
                fields: vec![],
                button: "main form.ww-form button[type=submit]",
            },
            Step::Submit {
                page: format!("{}/mijn/toestemmingen", app.base),
                fields: vec![],
                button: "section[aria-labelledby=pauze-kop] form button[type=submit]",
            },
            go("/mijn/regeling/wet_op_de_zorgtoeslag/klopt-niet"),
            Step::Submit {
                page: format!(
                    "{}/mijn/regeling/wet_op_de_zorgtoeslag/klopt-niet",
                    app.base
                ),
                fields: vec![("#veld-uw-telefoon", ""), ("#veld-uw-email", "")],
                button: "main form button[type=submit]",
            },
            go("/geldcheck/versturen"),
            go("/mijn/logboek"),
            // The filter typed wrong: the error summary and the marked fields.
            go("/mijn/logboek?organisatie=UWV&van=1-11-2026&tot=2026-11-01"),
            go("/mijn/alles"),
            go("/taal/en?terug=/mijn/logboek"),
            go("/mijn/toestemmingen"),
            go("/mijn"),
            go("/mijn/hulp"),
            go(&format!("/mijn/vraag/{}", app.request_a)),
            go("/mijn/afspraak?onderwerp=geld&vorm=balie"),
            go(&format!("/mijn/afspraak/{}", app.appointment_a)),
            go("/taal/nl?terug=/mijn"),
        ],
        _ => vec![],
    };
    steps.extend(super::selfscan_steps::selfscan_steps(app, role));
    steps
}

/// What the trust pages show only with data: another organisation (UWV)
/// with a request of resident a, and a pause in the signal household.
pub(super) async fn trust_states(app: &TestApp) {
    use wegwijs_domain::{Actor, Clock, OrgKind, WorkKind};
    use wegwijs_store::consents::Change;
    app.other_org(
        OrgKind::Uwv,
        "uwv-medewerker",
        WorkKind::Hulpvraag,
        app.resident_a,
    )
    .await;
    let (adult, _, _) = app.signal_household().await;
    let until = wegwijs_domain::consent::pause_until(app.clock.today(), "3").unwrap();
    app.store
        .change_consent(
            &Actor::Resident(adult),
            adult,
            Change::Pause(until),
            app.clock.now().unix_timestamp(),
        )
        .await
        .unwrap();
}

/// The overview with a lead already asked about (its buttons replaced by
/// the request), as the resident's "Ik wil dit aanvragen" leaves it; the
/// steps run twice (desktop, phone), so they do not place it themselves.
pub(super) async fn asked_about_a_lead(app: &TestApp) -> i64 {
    use wegwijs_domain::Clock;
    use wegwijs_domain::help::{HelpTopic, RequestKind};
    use wegwijs_store::outbox::Message;
    use wegwijs_store::requests::NewRequest;
    let me = app.resident_a;
    let route = app.store.help_routes().await.unwrap()[0].route.clone();
    assert_eq!(route.topic, HelpTopic::Geld);
    let request = NewRequest {
        kind: RequestKind::Aanvragen,
        topic: "regeling_zonder_bron".into(),
        topic_name: "Regeling zonder bron".into(),
        own_words: String::new(),
        reach: wegwijs_domain::contact::ContactWays::default(),
    };
    let m = Message {
        subject: "Wij hebben uw vraag".into(),
        body: "Uw vraag is bij Team Geldzaken.".into(),
    };
    let by = app.clock.today() + time::Duration::days(3);
    app.store
        .place_request(
            &wegwijs_domain::Actor::Resident(me),
            me,
            &request,
            (&route, by),
            &m,
            app.clock.now().unix_timestamp(),
        )
        .await
        .unwrap();
    // And a question that is done, to say how it was.
    let question = NewRequest {
        kind: RequestKind::Hulpvraag,
        topic: "geld".into(),
        topic_name: "Geld en rekeningen".into(),
        own_words: String::new(),
        reach: wegwijs_domain::contact::ContactWays::default(),
    };
    let now = app.clock.now().unix_timestamp();
    let id = app
        .store
        .place_request(
            &wegwijs_domain::Actor::Resident(me),
            me,
            &question,
            (&route, by),
            &m,
            now,
        )
        .await
        .unwrap();
    let worker = wegwijs_domain::Actor::Staff(wegwijs_domain::Staff {
        user_id: app.users["medewerker"],
        org_id: route.org_id,
        role: wegwijs_domain::Role::Caseworker,
    });
    let done = (
        wegwijs_domain::help::RequestStatus::Afgerond,
        "Wij hebben u gebeld.",
    );
    app.store
        .answer_request(&worker, id, done, &m, now)
        .await
        .unwrap();
    id
}
