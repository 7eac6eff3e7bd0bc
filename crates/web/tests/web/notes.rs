//! The case file's notes over HTTP: written, corrected (both stay), bad
//! input named and kept, and only where the dossier is shown.

use crate::harness::TestApp;

#[tokio::test]
async fn a_caseworker_writes_and_corrects_notes() {
    let app = TestApp::start(true).await;
    let a = app.resident_a.0;
    let page = format!("/werk/inwoner/{a}");
    let mut mw = app.as_role("medewerker").await;
    mw.get(&page).await;
    let r = mw
        .post(
            &format!("{page}/notitie"),
            &[
                ("doel", "gesprek"),
                ("notitie", "Besproken: huur van maart nog open."),
            ],
        )
        .await;
    assert_eq!(
        r.location.as_deref(),
        Some(format!("{page}?gelukt=notitie#notities").as_str())
    );
    let shown = mw.get(&format!("{page}?gelukt=notitie")).await;
    assert!(shown.body.contains("Uw notitie is opgeslagen."));
    assert!(shown.body.contains("Besproken: huur van maart nog open."));
    assert!(shown.body.contains("Test medewerker"));

    // Bad input: both fields named, what was typed kept, nothing saved.
    let r = mw
        .post(
            &format!("{page}/notitie"),
            &[("doel", ""), ("notitie", "   ")],
        )
        .await;
    assert_eq!(r.status, 422);
    assert!(
        r.body.contains("href=\"#veld-doel-notitie\"") && r.body.contains("href=\"#veld-notitie\"")
    );
    let r = mw
        .post(
            &format!("{page}/notitie"),
            &[("doel", "overleg"), ("notitie", "")],
        )
        .await;
    assert!(
        r.body.contains("<option value=\"overleg\" selected>"),
        "the purpose kept"
    );

    // A correction points to the note; both stay.
    let first = app.store.audit_page(0, 10_000, None).await.unwrap();
    let id: i64 = first
        .iter()
        .rev()
        .find(|e| e.action == "notitie-geschreven")
        .and_then(|e| e.detail.strip_prefix("notitie "))
        .and_then(|d| d.parse().ok())
        .unwrap();
    let form = mw.get(&format!("{page}?corrigeer={id}")).await;
    assert!(
        form.body
            .contains(&format!("U schrijft een correctie op notitie {id}."))
    );
    let r = mw
        .post(
            &format!("{page}/notitie"),
            &[
                ("doel", "gesprek"),
                ("notitie", "Niet maart maar april."),
                ("corrigeert", &id.to_string()),
            ],
        )
        .await;
    assert_eq!(r.status, 303);
    let shown = mw.get(&page).await;
    assert!(
        shown.body.contains("Besproken: huur van maart nog open."),
        "the first stays"
    );
    assert!(shown.body.contains(&format!("Correctie op notitie {id}.")));
    assert!(shown.body.contains("Hierop staat een correctie"));
    // Correcting a note that is not this dossier's is refused, named.
    let r = mw
        .post(
            &format!("{page}/notitie"),
            &[
                ("doel", "gesprek"),
                ("notitie", "x"),
                ("corrigeert", "999999"),
            ],
        )
        .await;
    assert_eq!(r.status, 422);
    assert!(r.body.contains("href=\"#veld-corrigeert\""));

    // Another organisation without work sees none of it and cannot write.
    let mut other = app.as_role("medewerker-b").await;
    assert_eq!(other.get(&page).await.status, 404);
    other
        .get(&format!("/werk/inwoner/{}", app.resident_b.0))
        .await;
    let r = other
        .post(
            &format!("{page}/notitie"),
            &[("doel", "gesprek"), ("notitie", "Mag niet.")],
        )
        .await;
    assert_eq!(r.status, 404);
    // The resident sees in their log that a note was written.
    let mut me = app.as_role("inwoner").await;
    let log = me.get("/mijn/logboek").await;
    assert!(log.body.contains("Een notitie over u geschreven"));
}
