//! Drempels slechten over HTTP: filling in with stops and refusals, the
//! result and its exports, team rounds (nothing from two answers,
//! aggregates from three, and only once closed), the admin's new version.

use crate::harness::{Client, TestApp};
use wegwijs_domain::selfscan::Answer;
use wegwijs_domain::{Actor, Role, Staff};

/// The statement codes of a part's page, in order, without repeats.
fn codes(html: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for (i, _) in html.match_indices("name=\"a-") {
        let rest = &html[i + 8..];
        let code = rest[..rest.find('"').unwrap()].to_string();
        if !out.contains(&code) {
            out.push(code);
        }
    }
    out
}

/// Answers every statement of the part at `path` with `value`.
async fn answer_part(c: &mut Client, path: &str, value: &str, action: &str) -> String {
    let page = c.get(path).await;
    assert_eq!(page.status, 200, "{path}");
    let version = crate::harness::field_value(&page.body, "versie").unwrap();
    let names: Vec<String> = codes(&page.body).iter().map(|c| format!("a-{c}")).collect();
    let mut fields: Vec<(&str, &str)> = names.iter().map(|n| (n.as_str(), value)).collect();
    fields.push(("versie", &version));
    fields.push(("actie", action));
    let r = c.post(path, &fields).await;
    assert_eq!(r.status, 303, "{path}: {}", r.body);
    r.location.unwrap()
}

/// The first column of the team CSV's header row.
const PILLAR_HEADER: &str = "\u{feff}Pijler;";

#[tokio::test]
async fn a_professional_stops_continues_is_refused_cleanly_and_sees_the_result() {
    let app = TestApp::start(true).await;
    let mut c = app.as_role("medewerker-b").await;
    let overview = c.get("/zelfscan").await;
    assert!(
        overview.body.contains("eigen uitwerking"),
        "the description says it is our own"
    );
    let r = c.post("/zelfscan/beginnen", &[]).await;
    let first = r.location.unwrap();
    assert!(first.ends_with("/begrijpen"), "{first}");

    // A statement this version lacks, or another version: nothing is kept,
    // the page says so and keeps what was chosen.
    let page = c.get(&first).await;
    let code = codes(&page.body)[0].clone();
    let name = format!("a-{code}");
    let r = c
        .post(
            &first,
            &[
                (name.as_str(), "4"),
                ("a-zz9", "3"),
                ("versie", "1"),
                ("actie", "verder"),
            ],
        )
        .await;
    assert_eq!(r.status, 422);
    assert!(
        r.body
            .contains("hoort niet bij deze versie van de zelfscan"),
        "{}",
        r.body
    );
    assert!(r.body.contains(&format!(
        "id=\"a-{code}-4\" name=\"{name}\" value=\"4\" checked"
    )));
    let r = c
        .post(
            &first,
            &[(name.as_str(), "4"), ("versie", "7"), ("actie", "verder")],
        )
        .await;
    assert_eq!(r.status, 422);
    assert!(r.body.contains("is intussen veranderd"));
    let r = c
        .post(&first, &[(name.as_str(), "6"), ("versie", "1")])
        .await;
    assert_eq!(r.status, 422, "an answer off the scale");
    let run = first.split('/').nth(3).unwrap().parse::<i64>().unwrap();
    let who = Actor::Staff(Staff {
        user_id: app.users["medewerker-b"],
        org_id: 2,
        role: Role::Caseworker,
    });
    assert!(
        app.store
            .selfscan_run(&who, run)
            .await
            .unwrap()
            .answers
            .is_empty()
    );

    // Stop after the first part; starting again goes on where it stopped.
    let to = answer_part(&mut c, &first, "2", "stoppen").await;
    assert_eq!(to, "/zelfscan?bewaard=1");
    assert!(c.get("/zelfscan").await.body.contains("U bent bezig"));
    let r = c.post("/zelfscan/beginnen", &[]).await;
    let mut next = r.location.unwrap();
    assert!(next.ends_with("/willen"), "{next}");
    let check = c.get(&format!("/zelfscan/controle/{run}")).await;
    assert!(check.body.contains("Nog "), "open statements are counted");
    assert_eq!(
        c.post(&format!("/zelfscan/afronden/{run}"), &[])
            .await
            .status,
        422
    );
    for value in ["4", "5", "nvt"] {
        next = answer_part(&mut c, &next, value, "verder").await;
    }
    assert_eq!(next, format!("/zelfscan/controle/{run}"));
    let r = c.post(&format!("/zelfscan/afronden/{run}"), &[]).await;
    assert_eq!(
        r.location.as_deref(),
        Some(format!("/zelfscan/uitslag/{run}").as_str())
    );

    let result = c.get(&format!("/zelfscan/uitslag/{run}")).await;
    assert_eq!(result.status, 200);
    for part in [
        "<svg class=\"ww-heatmap\"",
        "<svg class=\"ww-bars\"",
        "Gemiddelde per pijler en plek",
        "Hier valt het meest te winnen",
        "Wat kan helpen",
        "Dit is uw eerste uitkomst",
    ] {
        assert!(result.body.contains(part), "{part}");
    }
    // Begrijpen was all 2s: its cells are the lowest, 2,0.
    assert!(result.body.contains("gemiddeld 2,0"));
    let csv = c.get(&format!("/zelfscan/uitslag/{run}/csv")).await;
    assert_eq!(csv.status, 200);
    assert!(
        csv.headers["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/csv")
    );
    assert!(
        csv.body
            .contains("Pijler;Plek;Code;Uitspraak;Antwoord;Gemiddelde;Vorige keer")
    );
    assert!(csv.body.contains(&format!(";{code};")));
    // Once finished, the parts lead to the result; a second run shows the change.
    let r = c.get(&first).await;
    assert_eq!(r.status, 303);
    let again = c.post("/zelfscan/beginnen", &[]).await.location.unwrap();
    let mut next = again.clone();
    for value in ["3", "5", "5", "nvt"] {
        next = answer_part(&mut c, &next, value, "verder").await;
    }
    let second = next.split('/').nth(3).unwrap().to_string();
    c.post(&format!("/zelfscan/afronden/{second}"), &[]).await;
    let result = c.get(&format!("/zelfscan/uitslag/{second}")).await;
    assert!(
        result.body.contains("+1,0 sinds vorige keer"),
        "begrijpen went from 2 to 3"
    );
}

#[tokio::test]
async fn two_answers_show_the_team_nothing_three_show_aggregates() {
    let app = TestApp::start(true).await;
    let mut lead = app.as_role("teamleider").await;
    let page = lead.get("/zelfscan/rondes").await;
    assert!(
        page.body.contains("Team Geldzaken"),
        "the seeded round is listed"
    );
    let ids: Vec<String> = ["medewerker", "teamleider", "collega-1", "collega-2"]
        .iter()
        .map(|n| app.users[n].to_string())
        .collect();
    // Fewer than three members, or no name: refused, with the choices kept.
    let r = lead
        .post(
            "/zelfscan/rondes",
            &[
                ("team", "Team Noord"),
                ("leden", &ids[0]),
                ("leden", &ids[2]),
            ],
        )
        .await;
    assert_eq!(r.status, 422);
    assert!(
        r.body.contains("Teamleden: vul er minstens 3 in."),
        "{}",
        r.body
    );
    assert!(r.body.contains("value=\"Team Noord\""));
    assert!(r.body.contains(&format!("value=\"{}\" checked", ids[2])));

    let staff = |name: &str| {
        Actor::Staff(Staff {
            user_id: app.users[name],
            org_id: 1,
            role: Role::Caseworker,
        })
    };
    let answer = |who: Actor, round: i64| {
        let store = app.store.clone();
        async move {
            let three = |_, _, _: &_| Answer::Scale(3);
            store
                .fill_in_selfscan(&who, Some(round), three, 0)
                .await
                .unwrap();
        }
    };
    let fields = |team: &'static str| {
        let mut f = vec![("team", team)];
        f.extend(ids.iter().map(|i| ("leden", i.as_str())));
        f
    };
    for (team, answering) in [("Team Twee", 2), ("Team Drie", 3)] {
        lead.get("/zelfscan/rondes").await;
        let r = lead.post("/zelfscan/rondes", &fields(team)).await;
        assert_eq!(r.status, 303, "{}", r.body);
        let path = r.location.unwrap();
        let round: i64 = path.rsplit('/').next().unwrap().parse().unwrap();
        for name in ["medewerker", "collega-1", "collega-2"]
            .iter()
            .take(answering)
        {
            answer(staff(name), round).await;
        }
        let open = lead.get(&path).await;
        assert!(
            !open.body.contains("<svg"),
            "nothing while the round is open"
        );
        assert!(
            open.body
                .contains(&format!("{answering} van de 4 teamleden"))
        );
        assert_eq!(lead.post(&format!("{path}/sluiten"), &[]).await.status, 303);
        let closed = lead.get(&path).await;
        let csv = lead.get(&format!("{path}/csv")).await;
        assert_eq!((closed.status, csv.status), (200, 200));
        assert!(csv.body.starts_with(PILLAR_HEADER), "the CSV's header row");
        if answering == 2 {
            assert!(!closed.body.contains("<svg"), "two answers show nothing");
            assert!(closed.body.contains("Er vulden 2 mensen in"));
            assert!(!csv.body.contains("3,0"));
        } else {
            assert!(closed.body.contains("<svg class=\"ww-heatmap\""));
            assert!(closed.body.contains("Om over te praten"));
            assert!(
                closed
                    .body
                    .contains("gemiddeld 3,0, spreiding 0,0, 3 antwoorden")
            );
            assert!(csv.body.contains(";3,0;0,0;3"));
        }
    }
    // A member sees the team's figures too; the seeded action point comes back next round.
    let mut member = app.as_role("collega-1").await;
    let seeded = member
        .get(&format!("/zelfscan/ronde/{}", app.selfscan_round))
        .await;
    assert!(seeded.body.contains("Brieven samen met een inwoner lezen"));
    let csv = member
        .get(&format!("/zelfscan/ronde/{}/csv", app.selfscan_round))
        .await;
    assert!(
        csv.body
            .contains("Brieven samen met een inwoner lezen;Team Geldzaken;2027-01-31;;"),
        "{}",
        csv.body
    );
    // collega-1 answered this round of three: the mean, no spread.
    assert!(seeded.body.contains("niet meer dan 3 mensen"));
    lead.get("/zelfscan/rondes").await;
    let r = lead
        .post("/zelfscan/rondes", &fields("Team Geldzaken"))
        .await;
    let next = lead.get(&r.location.unwrap()).await;
    assert!(next.body.contains("Afgesproken in de vorige ronde"));
    assert!(next.body.contains("Brieven samen met een inwoner lezen"));
    // An action point with a bad date keeps what was typed.
    let path = format!("/zelfscan/ronde/{}/actiepunten", app.selfscan_round);
    let r = lead
        .post(
            &path,
            &[
                ("wat", "Vaste contactpersoon"),
                ("wie", "Tom"),
                ("wanneer", "morgen"),
            ],
        )
        .await;
    assert_eq!(r.status, 422);
    assert!(r.body.contains("Vaste contactpersoon") && r.body.contains("geen datum"));
}

#[tokio::test]
async fn an_admin_adds_a_statement_as_a_new_version() {
    let app = TestApp::start(true).await;
    let mut c = app.as_role("beheerder").await;
    let form = c.get("/beheer/zelfscan/kunnen-website").await;
    assert_eq!(form.status, 200);
    let mut fields: Vec<(String, String)> = Vec::new();
    for name in [
        "uitleg",
        "tip-1",
        "tip-2",
        "tip-3",
        "stelling-1",
        "stelling-2",
        "stelling-3",
    ] {
        for lang in ["nl", "en"] {
            let key = format!("{name}-{lang}");
            let marker = format!("name=\"{key}\"");
            let Some(i) = form.body.find(&marker) else {
                continue;
            };
            let rest = &form.body[i..];
            let text = &rest[rest.find('>').unwrap() + 1..rest.find("</textarea>").unwrap()];
            fields.push((
                key,
                text.replace("&#x27;", "'")
                    .replace("&quot;", "\"")
                    .replace("&amp;", "&"),
            ));
        }
    }
    fields.push(("versie".into(), "1".into()));
    fields.push((
        "nieuw-nl".into(),
        "Ik help de inwoner bij het inloggen met DigiD.".into(),
    ));
    // Without the English text: refused, nothing stored, the Dutch kept.
    let borrowed: Vec<(&str, &str)> = fields
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    let r = c.post("/beheer/zelfscan/kunnen-website", &borrowed).await;
    assert_eq!(r.status, 422);
    assert!(
        r.body
            .contains("Ik help de inwoner bij het inloggen met DigiD.")
    );
    assert!(r.body.contains("href=\"#veld-nieuw-en\""));
    fields.push((
        "nieuw-en".into(),
        "I help the resident log in with DigiD.".into(),
    ));
    let borrowed: Vec<(&str, &str)> = fields
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    let r = c.post("/beheer/zelfscan/kunnen-website", &borrowed).await;
    assert_eq!(
        r.location.as_deref(),
        Some("/beheer/zelfscan?opgeslagen=2"),
        "{}",
        r.body
    );
    assert!(
        c.get("/beheer/zelfscan?opgeslagen=2")
            .await
            .body
            .contains("Bewaard als versie 2")
    );
    // The same form again (an old tab) is refused: version 1 is no longer current.
    let r = c.post("/beheer/zelfscan/kunnen-website", &borrowed).await;
    assert_eq!(r.status, 422);
    // Professionals now get the new statement.
    let mut mw = app.as_role("medewerker-b").await;
    let start = mw.post("/zelfscan/beginnen", &[]).await.location.unwrap();
    let kunnen = start.replace("begrijpen", "kunnen");
    assert!(
        !mw.get(&kunnen)
            .await
            .body
            .contains("Ik help de inwoner bij het inloggen met DigiD."),
        "organisation B keeps its own instrument"
    );
    let mut mine = app.as_role("collega-2").await;
    let start = mine.post("/zelfscan/beginnen", &[]).await.location.unwrap();
    let page = mine.get(&start.replace("begrijpen", "kunnen")).await;
    assert!(
        page.body
            .contains("Ik help de inwoner bij het inloggen met DigiD.")
    );
}
