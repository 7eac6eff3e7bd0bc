//! The one worklist over HTTP: every kind of work, filters kept and named,
//! taking and finishing with what was done said, a colleague who was first
//! named, many lines at once for the team lead, the team's figures as the
//! lists' totals, and the admin's teams.

use crate::harness::TestApp;
use wegwijs_domain::{Actor, WorkKind};

/// The line's id of the first line of `kind` in a page.
fn line_of(body: &str, kind_words: &str) -> i64 {
    body.split("<h3 id=\"werk-kop-")
        .skip(1)
        .find(|part| {
            part.split("</h3>")
                .next()
                .is_some_and(|h| h.contains(kind_words))
        })
        .and_then(|part| part.split('"').next())
        .and_then(|id| id.parse().ok())
        .unwrap_or_else(|| panic!("no line of {kind_words}"))
}

#[tokio::test]
async fn the_caseworker_sees_every_kind_takes_and_finishes_work() {
    let app = TestApp::start(true).await;
    let mut mw = app.as_role("medewerker").await;
    // The default: my teams' work nobody took yet (the money team's
    // request, appointment and preparation of resident a).
    let page = mw.get("/werk").await;
    assert_eq!(page.status, 200);
    assert!(
        page.body.contains("Test medewerker"),
        "the layout still knows who is logged in"
    );
    for kind in ["Hulpvraag", "Afspraak", "Voorbereiding ontvangen"] {
        assert!(page.body.contains(kind), "{kind}");
    }
    assert!(page.body.contains("3 regels"));
    // All of the organisation's work: also a's work of no team and the
    // signal case, which opens on the case page.
    let all = mw.get("/werk?wie=alles").await;
    assert!(
        all.body
            .contains(&format!("zaak&#x2f;{}\"", app.signal_case))
    );
    assert!(all.body.contains("Nog niemand, geen team"));

    // Take the request: back to the same list, at the line, said so.
    let line = line_of(&page.body, "Hulpvraag");
    let r = mw
        .post(
            &format!("/werk/{line}/oppakken"),
            &[("terug", "wie=team-open")],
        )
        .await;
    assert_eq!(
        r.location.as_deref(),
        Some(format!("/werk?wie=team-open&gelukt=opgepakt&regel={line}#werk-{line}").as_str())
    );
    let mine = mw.get("/werk?wie=mij").await;
    assert!(mine.body.contains("In behandeling") && mine.body.contains("<dd>Ik</dd>"));
    let told = mw.get(r.location.as_deref().unwrap()).await;
    assert!(told.body.contains("U heeft het werk opgepakt."));

    // The team lead tries to take it too: told who has it, nothing changed.
    let mut lead = app.as_role("teamleider").await;
    lead.get("/werk").await;
    let late = lead.post(&format!("/werk/{line}/oppakken"), &[]).await;
    assert_eq!(late.status, 409);
    assert!(
        late.body
            .contains("Test medewerker heeft dit werk net opgepakt.")
    );

    // A handover: sending it back needs the reason; the choice is kept.
    let handover = app
        .store
        .open_work(
            &Actor::System("test"),
            app.store
                .org_by_name("Gemeente A")
                .await
                .unwrap()
                .unwrap()
                .id,
            app.resident_a,
            WorkKind::Doorverwijzing,
            0,
        )
        .await
        .unwrap();
    let form = |outcome: &'static str, reason: &'static str| {
        vec![
            ("versie", "0"),
            ("soort", "doorverwijzing"),
            ("uitkomst", outcome),
            ("reden", reason),
            ("terug", "wie=alles"),
        ]
    };
    mw.get("/werk?wie=alles").await;
    let bad = mw
        .post(
            &format!("/werk/{handover}/afronden"),
            &form("teruggestuurd", "  "),
        )
        .await;
    assert_eq!(bad.status, 422);
    assert!(
        bad.body
            .contains(&format!("href=\"#veld-reden-{handover}\""))
    );
    assert!(
        bad.body
            .contains("<option value=\"teruggestuurd\" selected>")
    );
    assert!(
        bad.body.contains(&format!("id=\"werk-{handover}\"")),
        "the same list"
    );
    let none = mw
        .post(
            &format!("/werk/{handover}/afronden"),
            &form("", "Niet voor ons"),
        )
        .await;
    assert_eq!(none.status, 422);
    assert!(
        none.body
            .contains(&format!("href=\"#veld-uitkomst-{handover}\""))
    );
    assert!(
        none.body.contains("value=\"Niet voor ons\""),
        "the reason kept"
    );
    let done = mw
        .post(
            &format!("/werk/{handover}/afronden"),
            &form("teruggestuurd", "Niet voor ons"),
        )
        .await;
    assert_eq!(done.status, 303);
    let after = mw.get(done.location.as_deref().unwrap()).await;
    assert!(after.body.contains("Het werk is afgerond."));
    assert!(!after.body.contains(&format!("id=\"werk-{handover}\"")));
    // Finished twice (the page was old): told, not an error page.
    let again = mw
        .post(
            &format!("/werk/{handover}/afronden"),
            &form("teruggestuurd", "Niet voor ons"),
        )
        .await;
    assert_eq!(again.status, 409);
    assert!(
        again
            .body
            .contains("Dit werk is net afgerond door iemand anders.")
    );
}

#[tokio::test]
async fn filters_are_named_when_wrong_and_searches_are_logged() {
    let app = TestApp::start(true).await;
    let mut mw = app.as_role("medewerker").await;
    let bad = mw
        .get("/werk?zoek=%3Cscript%3E&soort=onzin&wie=alles")
        .await;
    assert_eq!(bad.status, 422);
    assert!(
        bad.body.contains("href=\"#filter-zoek\"") && bad.body.contains("href=\"#filter-soort\"")
    );
    assert!(
        bad.body.contains("value=\"&lt;script&gt;\""),
        "what was typed is kept"
    );
    // By postcode and house number: a's household (the test address).
    let found = mw.get("/werk?wie=alles&zoek=1234+AB+12").await;
    assert_eq!(found.status, 200);
    assert!(found.body.contains("Hulpvraag"));
    let log = app.store.audit_page(0, 10_000, None).await.unwrap();
    assert!(log.iter().any(|e| e.action == "werklijst-bekeken"
        && e.detail.starts_with("gezocht op postcode en huisnummer")));
    assert!(log.iter().all(|e| !e.detail.contains("1234 AB")));
}

#[tokio::test]
async fn the_team_lead_hands_out_work_and_the_figures_are_the_lists() {
    let app = TestApp::start(true).await;
    let mut lead = app.as_role("teamleider").await;
    let page = lead.get("/werk?wie=alles").await;
    assert!(page.body.contains("Werk verdelen"));
    let lines: Vec<String> = page
        .body
        .split("name=\"werk\" value=\"")
        .skip(1)
        .filter_map(|p| p.split('"').next().map(str::to_string))
        .take(2)
        .collect();
    assert_eq!(lines.len(), 2);
    // Nothing ticked, nobody chosen: both named.
    let bad = lead
        .post("/werk/toewijzen", &[("terug", "wie=alles")])
        .await;
    assert_eq!(bad.status, 422);
    assert!(bad.body.contains("href=\"#bulk-werk\"") && bad.body.contains("href=\"#bulk-aan\""));
    let colleague = app.users["collega-1"].to_string();
    let r = lead
        .post(
            "/werk/toewijzen",
            &[
                ("werk", &lines[0]),
                ("werk", &lines[1]),
                ("aan", &colleague),
                ("terug", "wie=alles"),
            ],
        )
        .await;
    assert_eq!(r.status, 303);
    let told = lead.get(r.location.as_deref().unwrap()).await;
    assert!(
        told.body.contains("van de 2 regels zijn gegeven."),
        "{}",
        told.body
    );
    // Each figure on /team links to the list that shows as many lines.
    let team = lead.get("/team").await;
    assert_eq!(team.status, 200);
    let links: Vec<(String, String)> = team
        .body
        .split("<td class=\"ww-num\"><a href=\"")
        .skip(1)
        .filter_map(|p| {
            let (href, rest) = p.split_once("\">")?;
            let n = rest.split('<').next()?;
            Some((
                href.replace("&amp;", "&").replace("&#x2f;", "/"),
                n.to_string(),
            ))
        })
        .collect();
    assert!(links.len() >= 10, "{links:?}");
    for (href, n) in links {
        let list = lead.get(&href).await;
        let want = if n == "1" {
            "1 regel".to_string()
        } else {
            format!("{n} regels")
        };
        assert!(list.body.contains(&want), "{href}: {n}");
    }
}

#[tokio::test]
async fn the_admin_keeps_teams_and_which_team_gets_which_work() {
    let app = TestApp::start(true).await;
    let mut admin = app.as_role("beheerder").await;
    let page = admin.get("/beheer/teams").await;
    assert_eq!(page.status, 200);
    assert!(page.body.contains("Team Geldzaken") && page.body.contains("Team Wijk"));
    let empty = admin.post("/beheer/teams", &[("teamnaam", " ")]).await;
    assert_eq!(empty.status, 422);
    assert!(empty.body.contains("href=\"#veld-teamnaam\""));
    admin.get("/beheer/teams").await;
    let twice = admin
        .post("/beheer/teams", &[("teamnaam", "team geldzaken")])
        .await;
    assert_eq!(twice.status, 422);
    assert!(twice.body.contains("value=\"team geldzaken\""), "kept");
    admin.get("/beheer/teams").await;
    let made = admin
        .post("/beheer/teams", &[("teamnaam", "Team Vroegsignalering")])
        .await;
    assert_eq!(made.status, 303);
    let teams = app
        .store
        .teams_of(
            app.store
                .org_by_name("Gemeente A")
                .await
                .unwrap()
                .unwrap()
                .id,
        )
        .await
        .unwrap();
    let new = teams
        .iter()
        .find(|t| t.name == "Team Vroegsignalering")
        .unwrap()
        .id;
    let mw = app.users["medewerker"].to_string();
    let r = admin
        .post(&format!("/beheer/teams/{new}/leden"), &[("lid", &mw)])
        .await;
    assert_eq!(r.status, 303);
    // Signal cases go to it, and the open one without a team with them.
    let bad = admin
        .post(
            "/beheer/teams/route",
            &[("soort", "signaal"), ("team", ""), ("werkdagen", "99")],
        )
        .await;
    assert_eq!(bad.status, 422);
    assert!(
        bad.body.contains("href=\"#veld-team-route-signaal\"")
            && bad.body.contains("href=\"#veld-werkdagen-route-signaal\"")
    );
    assert!(bad.body.contains("value=\"99\""));
    let ok = admin
        .post(
            "/beheer/teams/route",
            &[
                ("soort", "signaal"),
                ("team", &new.to_string()),
                ("werkdagen", "5"),
            ],
        )
        .await;
    assert_eq!(ok.status, 303);
    let mut caseworker = app.as_role("medewerker").await;
    let mine = caseworker.get(&format!("/werk?wie=team-{new}")).await;
    assert!(
        mine.body
            .contains(&format!("zaak&#x2f;{}\"", app.signal_case))
    );
}

#[tokio::test]
async fn a_contact_is_recorded_with_each_pillar_and_what_helps_reaches_the_resident() {
    let app = TestApp::start(true).await;
    let a = app.resident_a.0;
    let page = format!("/werk/inwoner/{a}");
    let mut mw = app.as_role("medewerker").await;
    let shown = mw.get(&page).await;
    assert!(
        shown
            .body
            .contains("Begrijpt de inwoner wat er gevraagd wordt?")
    );
    // Nothing chosen: each field named, what was typed kept.
    let bad = mw
        .post(
            &format!("{page}/contact"),
            &[
                ("datum", "2099-01-01"),
                ("vorm", ""),
                ("besproken", "De huur."),
            ],
        )
        .await;
    assert_eq!(bad.status, 422);
    for id in [
        "contact-datum",
        "contact-contactvorm",
        "contact-begrijpen",
        "contact-willen",
        "contact-kunnen",
    ] {
        assert!(bad.body.contains(&format!("href=\"#{id}\"")), "{id}");
    }
    assert!(bad.body.contains(">De huur.</textarea>"));
    mw.get(&page).await;
    let ok = mw
        .post(
            &format!("{page}/contact"),
            &[
                (
                    "datum",
                    &wegwijs_domain::person::format_date(wegwijs_domain::Clock::today(
                        app.clock.as_ref(),
                    )),
                ),
                ("vorm", "telefoon"),
                ("besproken", "De huur van december."),
                ("begrijpen", "ja"),
                ("willen", "deels"),
                ("willen_notitie", "Twijfelt nog."),
                ("kunnen", "nee"),
            ],
        )
        .await;
    assert_eq!(ok.status, 303);
    let after = mw.get(ok.location.as_deref().unwrap()).await;
    assert!(after.body.contains("Het contact is opgeslagen."));
    assert!(after.body.contains("Twijfelt nog.") && after.body.contains("<td>Deels"));
    // What helps: saved, and the resident reads it in plain words.
    let set = mw
        .post(
            &format!("{page}/aanpassingen"),
            &[("aanpassing", "tolk"), ("aanpassing", "bel-na-brief")],
        )
        .await;
    assert_eq!(set.status, 303);
    let again = mw.get(set.location.as_deref().unwrap()).await;
    assert!(again.body.contains("<li>Tolk of andere taal</li>"));
    let mut me = app.as_role("inwoner").await;
    let own = me.get("/mijn/wat-helpt").await;
    assert_eq!(own.status, 200);
    assert!(own.body.contains("Wij bellen u na elke brief."));
    assert!(own.body.contains("Bij Gemeente A"));
}

#[tokio::test]
async fn only_the_actions_one_may_do_are_offered() {
    let app = TestApp::start(true).await;
    let mut mw = app.as_role("medewerker").await;
    let line = app.work_a;
    // A colleague has a's work: no "take", no "give or finish" for me.
    let colleague = wegwijs_domain::Actor::Staff(wegwijs_domain::Staff {
        user_id: app.users["collega-1"],
        org_id: app
            .store
            .org_by_name("Gemeente A")
            .await
            .unwrap()
            .unwrap()
            .id,
        role: wegwijs_domain::Role::Caseworker,
    });
    app.store.take_work(&colleague, line, 0).await.unwrap();
    let page = mw.get("/werk?wie=alles").await;
    let card = page
        .body
        .split(&format!("id=\"werk-{line}\""))
        .nth(1)
        .and_then(|c| c.split("</li>").next())
        .unwrap();
    assert!(card.contains("Test collega-1"));
    assert!(
        !card.contains("/oppakken") && !card.contains("/afronden") && !card.contains("/toewijzen")
    );
    // The team lead may move it on.
    let mut lead = app.as_role("teamleider").await;
    let page = lead.get("/werk?wie=alles").await;
    let card = page
        .body
        .split(&format!("id=\"werk-{line}\""))
        .nth(1)
        .unwrap();
    assert!(card.split("</li>").next().unwrap().contains("/toewijzen"));
}

#[tokio::test]
async fn the_resident_gives_contact_details_once_and_staff_see_them() {
    let app = TestApp::start(true).await;
    let mut me = app.as_role("inwoner").await;
    let page = me.get("/mijn/contact").await;
    assert_eq!(page.status, 200);
    let bad = me
        .post(
            "/mijn/contact",
            &[
                ("telefoon", "06 12345678"),
                ("email", ""),
                ("voorkeur", "email"),
                ("liever_niet", "niet voor 10 uur"),
            ],
        )
        .await;
    assert_eq!(bad.status, 422);
    assert!(bad.body.contains("href=\"#veld-voorkeur\""));
    assert!(bad.body.contains("value=\"niet voor 10 uur\""), "kept");
    me.get("/mijn/contact").await;
    let ok = me
        .post(
            "/mijn/contact",
            &[
                ("telefoon", "06 12345678"),
                ("email", ""),
                ("voorkeur", "sms"),
                ("liever_niet", "niet voor 10 uur"),
            ],
        )
        .await;
    assert_eq!(ok.status, 303);
    let saved = me.get(ok.location.as_deref().unwrap()).await;
    assert!(
        saved
            .body
            .contains("Opgeslagen. Wij gebruiken dit voortaan.")
    );
    // The next form that asks how to reach the resident starts from them.
    let help = me.get("/mijn/hulp").await;
    assert!(help.body.contains("value=\"06 12345678\""));
    // The caseworker sees them where the resident's contact is shown.
    let mut mw = app.as_role("medewerker").await;
    let staff = mw.get(&format!("/werk/inwoner/{}", app.resident_a.0)).await;
    assert!(staff.body.contains("Een sms") && staff.body.contains("niet voor 10 uur"));
}
