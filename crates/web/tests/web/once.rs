//! Forms that create something are sent once: a double click or the
//! browser's "resend" shows the first post's result and makes nothing new.

use crate::harness::{TestApp, field_value};
use wegwijs_domain::Actor;

/// The one-time token of the form on `path` that posts to `action`.
async fn form_token(c: &mut crate::harness::Client, path: &str, action: &str) -> String {
    let page = c.get(path).await;
    let form = page
        .body
        .find(&format!("action=\"{action}\""))
        .unwrap_or_else(|| panic!("{path} has a form to {action}"));
    field_value(&page.body[form..], "eenmalig").expect("the form carries a one-time token")
}

async fn requests_of(app: &TestApp) -> usize {
    let me = app.resident_a;
    app.store
        .own_requests(&Actor::Resident(me), me, 0)
        .await
        .unwrap()
        .len()
}

#[tokio::test]
async fn a_question_sent_twice_is_one_question() {
    let app = TestApp::start(true).await;
    let mut c = app.as_role("inwoner").await;
    let before = requests_of(&app).await;
    let token = form_token(&mut c, "/mijn/hulp", "/mijn/hulp").await;
    let form = [
        ("eenmalig", token.as_str()),
        ("onderwerp", "geld"),
        ("woorden", "Ik kan de gasrekening niet betalen."),
        ("telefoon", "06 1234 5678"),
    ];
    let first = c.post("/mijn/hulp", &form).await;
    assert_eq!(first.status, 303);
    let again = c.post("/mijn/hulp", &form).await;
    assert_eq!(again.status, 303);
    assert_eq!(again.location, first.location);
    assert_eq!(requests_of(&app).await, before + 1);
    // A new form is a new question (the same words within the hour would
    // be the same one: the back button).
    let token = form_token(&mut c, "/mijn/hulp", "/mijn/hulp").await;
    let mut other = form;
    other[0].1 = &token;
    other[2].1 = "En de energierekening ook niet.";
    let second = c.post("/mijn/hulp", &other).await;
    assert_ne!(second.location, first.location);
    assert_eq!(requests_of(&app).await, before + 2);
}

/// The back button brings the typed form back with a new token: the same
/// question in the same words is still one question.
#[tokio::test]
async fn the_back_button_does_not_ask_twice() {
    let app = TestApp::start(true).await;
    let mut c = app.as_role("inwoner").await;
    let before = requests_of(&app).await;
    let mut firsts = Vec::new();
    for _ in 0..2 {
        let token = form_token(&mut c, "/mijn/hulp", "/mijn/hulp").await;
        let sent = c
            .post(
                "/mijn/hulp",
                &[
                    ("eenmalig", &token),
                    ("onderwerp", "wonen"),
                    ("woorden", "Mijn verhuurder wil de huur verhogen."),
                    ("telefoon", "06 1234 5678"),
                ],
            )
            .await;
        firsts.push(sent.location);
    }
    assert_eq!(firsts[0], firsts[1]);
    assert_eq!(requests_of(&app).await, before + 1);
}

#[tokio::test]
async fn a_refused_form_can_be_sent_again_corrected() {
    let app = TestApp::start(true).await;
    let mut c = app.as_role("inwoner").await;
    let before = requests_of(&app).await;
    let token = form_token(&mut c, "/mijn/hulp", "/mijn/hulp").await;
    let empty = c
        .post(
            "/mijn/hulp",
            &[("eenmalig", &token), ("woorden", "Geen onderwerp gekozen.")],
        )
        .await;
    assert_eq!(empty.status, 422);
    assert_eq!(requests_of(&app).await, before);
    let sent = c
        .post(
            "/mijn/hulp",
            &[
                ("eenmalig", &token),
                ("onderwerp", "geld"),
                ("woorden", "Nu wel ingevuld."),
                ("telefoon", "06 1234 5678"),
            ],
        )
        .await;
    assert_eq!(sent.status, 303);
    assert_eq!(requests_of(&app).await, before + 1);
}

#[tokio::test]
async fn two_posts_at_once_make_one_booking() {
    let app = TestApp::start(true).await;
    let mut c = app.as_role("inwoner").await;
    let times = c.get("/mijn/afspraak?onderwerp=geld&vorm=telefoon").await;
    let token = field_value(&times.body, "eenmalig").unwrap();
    let slot = field_value(&times.body, "tijd").unwrap();
    let form = [
        ("eenmalig", token.as_str()),
        ("onderwerp", "geld"),
        ("vorm", "telefoon"),
        ("tijd", slot.as_str()),
        ("contact", "06 1234 5678"),
        ("herinnering", "geen"),
    ];
    let mut twin = c.twin();
    let (a, b) = tokio::join!(
        c.post("/mijn/afspraak", &form),
        twin.post("/mijn/afspraak", &form)
    );
    assert_eq!((a.status, b.status), (303, 303), "{}", b.body);
    assert_eq!(a.location, b.location);
    let me = app.resident_a;
    let mine = app
        .store
        .own_appointments(&Actor::Resident(me), me, 0)
        .await
        .unwrap();
    let booked = mine.iter().filter(|x| x.status == "gepland").count();
    assert_eq!(booked, 2, "the seeded one and this one");
}

#[tokio::test]
async fn a_form_that_showed_a_page_says_it_was_sent() {
    let app = TestApp::start(true).await;
    let mut admin = app.as_role("beheerder").await;
    let token = form_token(&mut admin, "/beheer/signalen", "/beheer/signalen/tokens").await;
    let form = [
        ("eenmalig", token.as_str()),
        ("label", "Woonstad"),
        ("partner", "huur"),
    ];
    let made = admin.post("/beheer/signalen/tokens", &form).await;
    assert_eq!(made.status, 200);
    let again = admin.post("/beheer/signalen/tokens", &form).await;
    assert_eq!(again.status, 409);
    assert!(again.body.contains("U heeft dit formulier al verstuurd"));
    // The secret is shown once, and one token was made.
    assert!(!again.body.contains("wwp_"));
    let actor = crate::harness::actor_of("beheerder").unwrap();
    assert_eq!(app.store.partner_tokens(&actor).await.unwrap().len(), 1);
}

#[tokio::test]
async fn another_visitor_cannot_use_a_form_token() {
    let app = TestApp::start(true).await;
    let mut a = app.as_role("inwoner").await;
    let token = form_token(&mut a, "/mijn/hulp", "/mijn/hulp").await;
    let form = [
        ("eenmalig", token.as_str()),
        ("onderwerp", "geld"),
        ("woorden", "Mijn vraag."),
        ("telefoon", "06 1234 5678"),
    ];
    let first = a.post("/mijn/hulp", &form).await;
    // Another session sending the same token gets its own result, never
    // the first visitor's.
    let mut b = app.as_role("inwoner").await;
    b.get("/mijn/hulp").await;
    let mut theirs = form;
    theirs[2].1 = "Een vraag uit een andere sessie.";
    let theirs = b.post("/mijn/hulp", &theirs).await;
    assert_eq!(theirs.status, 303);
    assert_ne!(theirs.location, first.location);
}
