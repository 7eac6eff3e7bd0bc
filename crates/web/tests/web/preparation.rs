//! Gesprek voorbereiden: one question per screen, skippable, letters by
//! content, a summary to change and send, and what the caseworker sees.

use crate::harness::{LETTER_PDF, TestApp};

#[tokio::test]
async fn a_resident_prepares_the_conversation_step_by_step() {
    let app = TestApp::start(true).await;
    let mut c = app.as_role("inwoner").await;
    // Resident b's appointment is used: a's was sent in the harness.
    let mut me = app.client();
    me.resident_login(1).await;
    let id = app.appointment_b;
    let base = format!("/mijn/afspraak/{id}/voorbereiden");
    assert_eq!(
        c.get(&format!("{base}/onderwerp")).await.status,
        404,
        "not a's"
    );
    let start = me.get(&base).await;
    assert_eq!(
        start.location.as_deref(),
        Some(format!("{base}/onderwerp").as_str())
    );
    let first = me.get(&format!("{base}/onderwerp")).await;
    assert!(first.body.contains("vraag 1 van 5"));
    assert!(first.body.contains("Waar wilt u over praten?"));
    let next = me
        .post(
            &format!("{base}/onderwerp"),
            &[("onderwerp", "Mijn schulden"), ("actie", "volgende")],
        )
        .await;
    assert_eq!(
        next.location.as_deref(),
        Some(format!("{base}/zorgen").as_str())
    );
    // Skipping saves nothing and moves on.
    me.get(&format!("{base}/zorgen")).await;
    let skip = me
        .post(
            &format!("{base}/zorgen"),
            &[("zorgen", "niet bewaren"), ("actie", "overslaan")],
        )
        .await;
    assert_eq!(
        skip.location.as_deref(),
        Some(format!("{base}/brieven").as_str())
    );
    // Skipping a step answered before keeps that answer.
    me.get(&format!("{base}/onderwerp")).await;
    me.post(
        &format!("{base}/onderwerp"),
        &[("onderwerp", ""), ("actie", "overslaan")],
    )
    .await;
    let kept = me.get(&format!("{base}/onderwerp")).await;
    assert!(kept.body.contains(">Mijn schulden</textarea>"));
    // A file that is not a PDF, JPEG or PNG: the text kept, the field named.
    me.get(&format!("{base}/brieven")).await;
    let bad = me
        .post_multipart(
            &format!("{base}/brieven"),
            &[
                ("brieven", "Een brief van de deurwaarder."),
                ("actie", "volgende"),
            ],
            ("bestand", "brief.pdf", b"MZ this is a program"),
        )
        .await;
    assert_eq!(bad.status, 422);
    assert!(bad.body.contains("href=\"#veld-bestand\""));
    assert!(bad.body.contains("Een brief van de deurwaarder."));
    assert!(bad.body.contains("is geen PDF, JPEG of PNG"));
    let ok = me
        .post_multipart(
            &format!("{base}/brieven"),
            &[
                ("brieven", "Een brief van de deurwaarder."),
                ("actie", "volgende"),
            ],
            (
                "bestand",
                "C:\\Mijn documenten\\deurwaarder.pdf",
                LETTER_PDF,
            ),
        )
        .await;
    assert_eq!(ok.status, 303, "{}", ok.body);
    // Back on the letters step: both letters listed (one from the harness).
    let letters = me.get(&format!("{base}/brieven")).await;
    assert!(letters.body.contains(">deurwaarder.pdf</a>"));
    // Text too long with a good file: the file is kept, the text too.
    let long = "x".repeat(1001);
    let kept = me
        .post_multipart(
            &format!("{base}/brieven"),
            &[("brieven", &long), ("actie", "volgende")],
            ("bestand", "tweede.pdf", LETTER_PDF),
        )
        .await;
    assert_eq!(kept.status, 422);
    assert!(kept.body.contains(">tweede.pdf</a>") && kept.body.contains(&long));
    me.get(&format!("{base}/lastig")).await;
    let hard = me
        .post(
            &format!("{base}/lastig"),
            &[
                ("lastig", "geld"),
                ("lastig", "tijd"),
                ("lastig_anders", ""),
                ("actie", "volgende"),
            ],
        )
        .await;
    assert_eq!(hard.status, 303);
    me.get(&format!("{base}/mee")).await;
    let long = "x".repeat(1001);
    let too_long = me
        .post(
            &format!("{base}/mee"),
            &[("mee", &long), ("actie", "volgende")],
        )
        .await;
    assert_eq!(too_long.status, 422);
    assert!(too_long.body.contains(&long));
    let done = me
        .post(
            &format!("{base}/mee"),
            &[("mee", "Mijn zus"), ("actie", "volgende")],
        )
        .await;
    assert_eq!(
        done.location.as_deref(),
        Some(format!("{base}/klaar").as_str())
    );
    let summary = me.get(&format!("{base}/klaar")).await;
    assert!(summary.body.contains("Mijn schulden"));
    assert!(summary.body.contains("Overgeslagen"));
    assert!(!summary.body.contains("niet bewaren"));
    assert!(summary.body.contains("Tijd") && summary.body.contains("Geld"));
    assert!(summary.body.contains("Mijn zus"));
    // Before sending, the caseworker of B sees that nothing was sent.
    let mut staff = app.as_role("medewerker-b").await;
    let page = format!("/werk/inwoner/{}", app.resident_b.0);
    assert!(
        staff
            .get(&page)
            .await
            .body
            .contains("(nog) geen voorbereiding")
    );
    let sent = me.post(&format!("{base}/klaar"), &[]).await;
    assert_eq!(sent.status, 303);
    let shown = me.get(sent.location.as_deref().unwrap()).await;
    assert!(
        shown
            .body
            .contains("De medewerker kan uw voorbereiding nu lezen.")
    );
    let staff_page = staff.get(&page).await.body;
    assert!(staff_page.contains("Mijn schulden") && staff_page.contains("Mijn zus"));
    let link = staff_page.find("/werk/brief/").unwrap();
    let href = &staff_page[link..link + staff_page[link..].find('"').unwrap()];
    let file = staff.get(href).await;
    assert_eq!(file.status, 200);
    assert_eq!(file.headers["content-type"], "application/pdf");
    assert!(
        file.headers["content-disposition"]
            .to_str()
            .unwrap()
            .starts_with("attachment")
    );
    // The other municipality's caseworker cannot fetch it.
    let mut other = app.as_role("medewerker").await;
    assert_eq!(other.get(href).await.status, 404, "not there, for them");
    // Nor can staff whose role does no casework, and their attempt is in
    // the log like any other refused read.
    let org = app
        .store
        .org_by_name("Gemeente A")
        .await
        .unwrap()
        .unwrap()
        .id;
    for role in ["privacy", "beheerder"] {
        let mut c = app.as_role(role).await;
        assert_eq!(c.get(href).await.status, 404, "{role}");
        let log = app.store.audit_latest(org, 50).await.unwrap();
        let actor = format!("medewerker:{}", app.users[role]);
        assert!(
            log.iter().any(|e| e.actor == actor
                && e.action == "brief-bekeken"
                && e.outcome != "toegestaan"),
            "{role}'s refused attempt is logged"
        );
    }
}

#[tokio::test]
async fn a_letter_needs_the_token_and_the_residents_own_appointment() {
    let app = TestApp::start(true).await;
    let mut me = app.as_role("inwoner").await;
    let own = format!("/mijn/afspraak/{}/voorbereiden/brieven", app.appointment_a);
    me.get(&own).await;
    // Without the CSRF token (another site's form): refused.
    let token = std::mem::take(&mut me.csrf);
    let forged = me
        .post_multipart(
            &own,
            &[("actie", "volgende")],
            ("bestand", "x.pdf", LETTER_PDF),
        )
        .await;
    assert_eq!(forged.status, 403);
    me.csrf = token;
    // Someone else's appointment: not found, nothing added.
    let theirs = format!("/mijn/afspraak/{}/voorbereiden/brieven", app.appointment_b);
    let other = me
        .post_multipart(
            &theirs,
            &[("actie", "volgende")],
            ("bestand", "x.pdf", LETTER_PDF),
        )
        .await;
    assert_eq!(other.status, 404);
    // Not logged in: no large body is taken at all.
    let mut anon = app.client();
    anon.get("/").await;
    let refused = anon
        .post_multipart(
            &own,
            &[("actie", "volgende")],
            ("bestand", "x.pdf", LETTER_PDF),
        )
        .await;
    assert!(
        matches!(refused.status, 303 | 400 | 403),
        "{}",
        refused.status
    );
    // A downloaded letter carries the extension of its content.
    let file = me.get(&format!("/mijn/brief/{}", app.letter_a)).await;
    assert!(
        file.headers["content-disposition"]
            .to_str()
            .unwrap()
            .contains("huur.pdf")
    );
    // Someone else's letter and one that does not exist: the same answer,
    // and each attempt logged the same way, under the one who tried.
    let others = me.get(&format!("/mijn/brief/{}", app.letter_b)).await;
    let missing = me.get("/mijn/brief/999999").await;
    assert_eq!((others.status, missing.status), (404, 404));
    let main = |b: &str| b[b.find("<main").unwrap()..b.find("</main>").unwrap()].to_string();
    assert_eq!(
        main(&others.body),
        main(&missing.body),
        "the pages do not tell them apart"
    );
    let log = app.store.audit_page(0, 100_000, None).await.unwrap();
    let me_code = format!("inwoner:{}", app.resident_a.0);
    for id in [app.letter_b, 999_999] {
        let e = log
            .iter()
            .find(|e| e.detail == format!("brief {id} van een ander"))
            .unwrap_or_else(|| panic!("attempt on {id} logged"));
        assert_eq!(
            (e.actor.as_str(), e.action.as_str(), e.resident_id),
            (me_code.as_str(), "brief-bekeken", Some(app.resident_a.0))
        );
        assert!(e.outcome.starts_with("geweigerd"));
    }
}

/// A letter over 10 MB does not end at an error page: the step comes back
/// with what was typed and says the file is too large, in MB.
#[tokio::test]
async fn a_letter_too_large_returns_to_the_step_with_the_text() {
    let app = TestApp::start(true).await;
    let mut me = app.as_role("inwoner").await;
    let step = format!("/mijn/afspraak/{}/voorbereiden/brieven", app.appointment_a);
    me.get(&step).await;
    let mut big = LETTER_PDF.to_vec();
    big.resize(11 * 1024 * 1024, b' ');
    let r = me
        .post_multipart(
            &step,
            &[
                ("brieven", "De brief van de Belastingdienst snap ik niet."),
                ("actie", "volgende"),
            ],
            ("bestand", "scan.pdf", &big),
        )
        .await;
    assert_eq!(r.status, 422, "{}", &r.body[..r.body.len().min(2000)]);
    assert!(
        r.body
            .contains("is groter dan 10 MB. Maak een kleinere foto, of kies een ander bestand.")
    );
    assert!(
        r.body
            .contains("De brief van de Belastingdienst snap ik niet."),
        "the text is kept"
    );
    assert!(r.body.contains("href=\"#veld-bestand\""));
    // Nothing was kept of the file.
    let again = me.get(&step).await;
    assert!(!again.body.contains("scan.pdf"));
    // A letter of 5 MB, within the limit, is taken (the form's token used
    // to be looked for in a way that refused anything over 2 MB).
    let mut five = b"%PDF-1.4\n".to_vec();
    five.resize(5 * 1024 * 1024, b' ');
    five.extend_from_slice(b"\n%%EOF\n");
    let r = me
        .post_multipart(
            &step,
            &[("brieven", ""), ("actie", "volgende")],
            ("bestand", "scan.pdf", &five),
        )
        .await;
    assert_eq!(r.status, 303, "{}", &r.body[..r.body.len().min(600)]);
    let after = me.get(&step).await;
    assert!(after.body.contains("scan.pdf"), "the letter is kept");
}
