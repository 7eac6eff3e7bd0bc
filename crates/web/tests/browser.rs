//! Real headless Chromium drives the app: log in as each role through the
//! forms, run axe-core (WCAG 2.0–2.2 A and AA rules) on every page, and check
//! that no page scrolls sideways on a 320-pixel screen.
//!
//! Needs Chromium, ChromeDriver and axe-core (`.ci/run` installs them). Set
//! WEGWIJS_SKIP_BROWSER=1 to skip. The WebDriver calls are a handful of JSON
//! requests over the HTTP client the app already has; a WebDriver crate
//! would have pulled a second TLS stack with a C build into the tree.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod harness;

use harness::{PASSWORD, TestApp};
use openidconnect::reqwest;
use serde_json::{Value, json};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

#[path = "browser/keyboard.rs"]
mod keyboard;

const ELEMENT: &str = "element-6066-11e4-a52e-4f735466cecf";

struct Tools {
    chromium: PathBuf,
    chromedriver: PathBuf,
    axe: String,
}

fn tools() -> Result<Tools, String> {
    let find = |env: &str, default: &str| {
        PathBuf::from(std::env::var(env).unwrap_or_else(|_| default.to_string()))
    };
    let chromium = find("WEGWIJS_CHROMIUM", "/usr/bin/chromium");
    let chromedriver = find("WEGWIJS_CHROMEDRIVER", "/usr/bin/chromedriver");
    let axe_path = find(
        "WEGWIJS_AXE_JS",
        concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../target/browser/node_modules/axe-core/axe.min.js"
        ),
    );
    for (what, p) in [
        ("Chromium", &chromium),
        ("ChromeDriver", &chromedriver),
        ("axe-core", &axe_path),
    ] {
        if !p.exists() {
            return Err(format!(
                "{what} not found at {}. Install with `apt-get install chromium chromium-driver` and \
                 `npm install --prefix target/browser axe-core@4` (as .ci/run does), or set WEGWIJS_SKIP_BROWSER=1 to skip",
                p.display()
            ));
        }
    }
    let axe = std::fs::read_to_string(&axe_path).map_err(|e| e.to_string())?;
    Ok(Tools {
        chromium,
        chromedriver,
        axe,
    })
}

/// Sends a WebDriver command with a JSON body and returns the JSON answer.
async fn send(req: reqwest::RequestBuilder, body: &Value) -> Value {
    let r = req
        .header("content-type", "application/json")
        .body(body.to_string())
        .send()
        .await
        .unwrap();
    serde_json::from_str(&r.text().await.unwrap()).unwrap()
}

struct Driver {
    http: reqwest::Client,
    session: String,
    base: String,
    child: Child,
    _profile: tempfile::TempDir,
}

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.child.kill();
    }
}

impl Driver {
    async fn start(t: &Tools, width: Option<u32>) -> Driver {
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let child = Command::new(&t.chromedriver)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let base = format!("http://127.0.0.1:{port}");
        let http = reqwest::Client::builder()
            .timeout(Duration::from_secs(60))
            .build()
            .unwrap();
        for _ in 0..100 {
            if http.get(format!("{base}/status")).send().await.is_ok() {
                break;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        let profile = tempfile::tempdir().unwrap();
        let mut options = json!({
            "binary": t.chromium,
            "args": ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                     "--disable-background-networking", "--disable-component-update", "--disable-sync",
                     "--no-first-run", "--window-size=1280,900",
                     format!("--user-data-dir={}", profile.path().display())],
        });
        if let Some(w) = width {
            options["mobileEmulation"] =
                json!({ "deviceMetrics": { "width": w, "height": 700, "pixelRatio": 1.0 } });
        }
        let caps = json!({ "capabilities": { "alwaysMatch": { "browserName": "chrome", "goog:chromeOptions": options } } });
        let r = send(http.post(format!("{base}/session")), &caps).await;
        let session = r["value"]["sessionId"]
            .as_str()
            .unwrap_or_else(|| panic!("no session: {r}"))
            .to_string();
        Driver {
            http,
            session,
            base,
            child,
            _profile: profile,
        }
    }

    async fn call(&self, method: &str, path: &str, body: Value) -> Value {
        let url = format!("{}/session/{}{path}", self.base, self.session);
        let req = match method {
            "GET" => self.http.get(url),
            "DELETE" => self.http.delete(url),
            _ => self.http.post(url),
        };
        let r = send(req, &body).await;
        if r["value"].get("error").is_some() {
            panic!("WebDriver {method} {path}: {}", r["value"]);
        }
        r["value"].clone()
    }

    async fn goto(&self, url: &str) {
        self.call("POST", "/url", json!({ "url": url })).await;
    }

    async fn url(&self) -> String {
        self.call("GET", "/url", json!({}))
            .await
            .as_str()
            .unwrap_or_default()
            .to_string()
    }

    async fn element(&self, css: &str) -> String {
        let v = self
            .call(
                "POST",
                "/element",
                json!({ "using": "css selector", "value": css }),
            )
            .await;
        v[ELEMENT].as_str().unwrap().to_string()
    }

    async fn type_into(&self, css: &str, text: &str) {
        let id = self.element(css).await;
        self.call("POST", &format!("/element/{id}/clear"), json!({}))
            .await;
        self.call(
            "POST",
            &format!("/element/{id}/value"),
            json!({ "text": text }),
        )
        .await;
    }

    /// Clicks something that stays on the page (a radio button).
    async fn tick(&self, css: &str) {
        let id = self.element(css).await;
        self.call("POST", &format!("/element/{id}/click"), json!({}))
            .await;
    }

    /// Clicks something that loads a new page, and waits until it has: a
    /// marker set on the old document must be gone and the new one loaded.
    async fn click(&self, css: &str) {
        let id = self.element(css).await;
        self.script("window.__wegwijsOldPage = true; return true;")
            .await;
        self.call("POST", &format!("/element/{id}/click"), json!({}))
            .await;
        for _ in 0..200 {
            let done = self.script("return window.__wegwijsOldPage !== true && document.readyState === 'complete';").await;
            if done.as_bool() == Some(true) {
                return;
            }
            tokio::time::sleep(Duration::from_millis(25)).await;
        }
        let why = self.script("const bad = document.querySelector(':invalid'); return location.href + ' ' + (bad ? bad.id + ': ' + bad.validationMessage + ' [' + bad.value + ']' : 'no invalid field');").await;
        panic!("clicking {css} did not load a new page within 5 seconds: {why}");
    }

    async fn script(&self, script: &str) -> Value {
        self.call(
            "POST",
            "/execute/sync",
            json!({ "script": script, "args": [] }),
        )
        .await
    }

    /// Ends the session, which closes Chromium.
    async fn quit(&self) {
        let url = format!("{}/session/{}", self.base, self.session);
        let _ = self.http.delete(url).send().await;
    }

    async fn forget_cookies(&self) {
        self.call("DELETE", "/cookie", json!({})).await;
    }

    /// axe-core's WCAG A/AA violations on the current page, as readable lines.
    async fn axe(&self, axe_source: &str) -> Vec<String> {
        self.script(&format!("{axe_source}\nreturn true;")).await;
        let v = self
            .call(
                "POST",
                "/execute/async",
                json!({ "script": "const done = arguments[arguments.length - 1];
                    axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'] } })
                      .then(r => done(r.violations.map(v => v.id + ' (' + v.impact + '): ' + v.help + ' at ' + v.nodes.map(n => n.target.join(' ')).join(', '))))
                      .catch(e => done(['axe failed: ' + e]));", "args": [] }),
            )
            .await;
        v.as_array()
            .unwrap()
            .iter()
            .map(|s| s.as_str().unwrap_or_default().to_string())
            .collect()
    }
}

/// Logs in as `role` through the login forms, as a person would.
async fn log_in(d: &Driver, app: &TestApp, role: &str) {
    d.forget_cookies().await;
    match role {
        "anoniem" => d.goto(&format!("{}/", app.base)).await,
        "inwoner" => {
            d.goto(&format!("{}/inwoner/inloggen", app.base)).await;
            d.click("main a.ww-button").await;
            d.click("main form button[type=submit]").await;
            assert!(
                d.url().await.ends_with("/mijn"),
                "resident login ended at {}",
                d.url().await
            );
        }
        staff => {
            d.goto(&format!("{}/inloggen", app.base)).await;
            d.type_into("#gebruikersnaam", staff).await;
            d.type_into("#wachtwoord", PASSWORD).await;
            d.click("main form button[type=submit]").await;
            if d.url().await.ends_with("/inloggen") {
                let text = d
                    .script("return document.querySelector('main').innerText;")
                    .await;
                panic!("{staff} could not log in: {text}");
            }
        }
    }
}

/// A letter with something of every severity, for the schrijfhulp.
const SCHRIJFHULP_TEXT: &str = "Geachte heer, mevrouw,\n\nDerhalve wordt u verzocht het verschuldigde \
bedrag m.b.t. de aanslag gemeentelijke belastingen 2026, die u op 1 maart heeft ontvangen, binnen veertien \
dagen aan de gemeente te voldoen.\n\nMet vriendelijke groet,\nDe gemeente";

/// A step on a page: go somewhere, or submit a form with values.
enum Step {
    Go(String),
    Submit {
        page: String,
        fields: Vec<(&'static str, &'static str)>,
        button: &'static str,
    },
    /// Choose a file (its path on this machine) and submit.
    Upload {
        page: String,
        file: &'static str,
        path: String,
        button: &'static str,
    },
    /// Fill in and submit a form on the page the last step left open.
    Then {
        fields: Vec<(&'static str, &'static str)>,
        button: &'static str,
    },
    /// Like Submit, with radio buttons or boxes chosen first.
    Choose {
        page: String,
        clicks: Vec<&'static str>,
        fields: Vec<(&'static str, &'static str)>,
        button: &'static str,
    },
}

/// A file named like a PDF that is not one, for the refused upload.
fn not_a_letter() -> String {
    let path = std::env::temp_dir().join("wegwijs-geen-brief.pdf");
    std::fs::write(&path, b"MZ dit is geen brief").unwrap();
    path.display().to_string()
}

/// `rated`: a request of resident a that is done, to say how it was.
fn steps(app: &TestApp, role: &str, rated: i64) -> Vec<Step> {
    let go = |p: &str| Step::Go(format!("{}{p}", app.base));
    let a = app.resident_a.0;
    let mw = app.users["medewerker"];
    match role {
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
            go("/inwoner/inloggen/digid"),
            go("/inwoner/terug"),
            go("/bestaat-niet"),
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
            },
            go("/signalen/wachtrij"),
            go(&format!("/signalen/wachtrij/{}", app.queued_signal)),
            go("/taal/en?terug=/signalen"),
            go(&format!("/signalen/zaak/{}", app.signal_case)),
            go("/taal/nl?terug=/signalen"),
            go("/werk"),
            go(&format!("/werk/inwoner/{a}")),
            Step::Submit {
                page: format!("{}/werk/inwoner/{a}", app.base),
                fields: vec![(
                    "#hulpvragen textarea",
                    "Ik bel u dinsdag om 10 uur. Neem uw brieven mee.",
                )],
                button: "#hulpvragen form button[type=submit]",
            },
            go("/beheer/gebruikers"),
            go("/taal/en?terug=/werk"),
            go(&format!("/werk/inwoner/{a}")),
            go("/taal/nl?terug=/werk"),
        ],
        "teamleider" => vec![
            go("/team"),
            go("/taal/en?terug=/team"),
            go("/taal/nl?terug=/team"),
            go("/werk"),
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
            go("/privacy/logboek"),
            Step::Submit {
                page: format!("{}/privacy/logboek", app.base),
                fields: vec![],
                button: "main form button[type=submit]",
            },
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
                fields: vec![("#veld-werkdagen-zorg", "60"), ("#veld-team-zorg", "Wmo")],
                button: "#route-zorg button[type=submit]",
            },
            Step::Submit {
                page: format!("{}/beheer/hulp", app.base),
                fields: vec![
                    ("#veld-werkdagen-zorg", "5"),
                    ("#veld-team-zorg", "Wmo"),
                    ("#veld-telefoonnummer-zorg", "0570 123 456"),
                ],
                button: "#route-zorg button[type=submit]",
            },
        ],
        "inwoner" => vec![
            go("/mijn"),
            Step::Submit {
                page: format!("{}/mijn", app.base),
                fields: vec![("#telefoon-wet_op_de_zorgtoeslag", "06-12")],
                button: "form:has(#telefoon-wet_op_de_zorgtoeslag) button[type=submit]",
            },
            go("/mijn/hulp"),
            Step::Submit {
                page: format!("{}/mijn/hulp", app.base),
                fields: vec![],
                button: "main form button[type=submit]",
            },
            Step::Choose {
                page: format!("{}/mijn/hulp", app.base),
                clicks: vec!["#veld-onderwerp-wonen"],
                fields: vec![("#veld-woorden", "Mijn huis is te duur.\nWat kan ik doen?")],
                button: "main form button[type=submit]",
            },
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
            },
            go(&format!("/mijn/afspraak/{}", app.appointment_a)),
            go(&format!("/mijn/afspraak/{}/verzetten", app.appointment_a)),
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
            },
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
            go("/mijn/logboek"),
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
    }
}

async fn run_step(d: &Driver, step: &Step) {
    match step {
        Step::Go(url) => d.goto(url).await,
        Step::Submit {
            page,
            fields,
            button,
        } => {
            d.goto(page).await;
            for (css, value) in fields {
                d.type_into(css, value).await;
            }
            d.click(button).await;
        }
        Step::Upload {
            page,
            file,
            path,
            button,
        } => {
            d.goto(page).await;
            let id = d.element(file).await;
            d.call(
                "POST",
                &format!("/element/{id}/value"),
                json!({ "text": path }),
            )
            .await;
            d.click(button).await;
        }
        Step::Then { fields, button } => {
            for (css, value) in fields {
                d.type_into(css, value).await;
            }
            d.click(button).await;
        }
        Step::Choose {
            page,
            clicks,
            fields,
            button,
        } => {
            d.goto(page).await;
            for css in clicks {
                d.tick(css).await;
            }
            for (css, value) in fields {
                d.type_into(css, value).await;
            }
            d.click(button).await;
        }
    }
}

/// The overview with a lead already asked about (its buttons replaced by
/// the request), as the resident's "Ik wil dit aanvragen" leaves it; the
/// steps run twice (desktop, phone), so they do not place it themselves.
async fn asked_about_a_lead(app: &TestApp) -> i64 {
    use wegwijs_domain::Clock;
    use wegwijs_domain::help::{HelpRoute, HelpTopic, RequestKind};
    use wegwijs_store::outbox::Message;
    use wegwijs_store::requests::NewRequest;
    let me = app.resident_a;
    let org = app.store.help_routes().await.unwrap()[0].route.org_id;
    let route =
        HelpRoute::validate(HelpTopic::Geld, org, "Team Geldzaken", "3", "0570 123 456").unwrap();
    let request = NewRequest {
        kind: RequestKind::Aanvragen,
        topic: "regeling_zonder_bron".into(),
        topic_name: "Regeling zonder bron".into(),
        own_words: String::new(),
        callback_phone: None,
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
        callback_phone: None,
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
        org_id: org,
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

const ROLES: [&str; 6] = [
    "anoniem",
    "medewerker",
    "teamleider",
    "privacy",
    "beheerder",
    "inwoner",
];

#[tokio::test(flavor = "multi_thread")]
async fn every_page_passes_axe_and_fits_a_320_pixel_screen() {
    if std::env::var("WEGWIJS_SKIP_BROWSER").as_deref() == Ok("1") {
        eprintln!(
            "SKIPPED: browser tests (WEGWIJS_SKIP_BROWSER=1): no page was checked with Chromium and axe-core"
        );
        return;
    }
    let tools = tools().unwrap_or_else(|e| panic!("{e}"));
    let app = TestApp::start(true).await;
    let rated = asked_about_a_lead(&app).await;

    let desktop = Driver::start(&tools, None).await;
    let mut violations = Vec::new();
    let mut pages = 0;
    for role in ROLES {
        log_in(&desktop, &app, role).await;
        for step in steps(&app, role, rated) {
            run_step(&desktop, &step).await;
            let url = desktop.url().await;
            pages += 1;
            for v in desktop.axe(&tools.axe).await {
                violations.push(format!("{role} {url}: {v}"));
            }
        }
    }
    assert!(pages >= 25, "only {pages} pages were checked");
    desktop.quit().await;
    assert!(
        violations.is_empty(),
        "axe-core found WCAG 2.2 AA violations:\n{}",
        violations.join("\n")
    );

    let phone = Driver::start(&tools, Some(320)).await;
    let mut overflow = Vec::new();
    for role in ROLES {
        log_in(&phone, &app, role).await;
        for step in steps(&app, role, rated) {
            run_step(&phone, &step).await;
            let widths = phone
                .script("return [document.documentElement.scrollWidth, window.innerWidth];")
                .await;
            let (scroll, inner) = (
                widths[0].as_i64().unwrap_or(0),
                widths[1].as_i64().unwrap_or(0),
            );
            if inner != 320 || scroll > inner {
                overflow.push(format!(
                    "{role} {}: page is {scroll}px wide in a {inner}px window",
                    phone.url().await
                ));
            }
        }
    }
    phone.quit().await;
    assert!(
        overflow.is_empty(),
        "pages that do not fit 320 pixels:\n{}",
        overflow.join("\n")
    );
    eprintln!("browser: {pages} pages passed axe-core (WCAG 2.2 AA) and fit 320 pixels");
}

/// With its script, the schrijfhulp follows the text while it is typed,
/// without loading a page, and the updated result passes axe too.
#[tokio::test(flavor = "multi_thread")]
async fn the_schrijfhulp_updates_while_typing() {
    if std::env::var("WEGWIJS_SKIP_BROWSER").as_deref() == Ok("1") {
        eprintln!("SKIPPED: browser tests (WEGWIJS_SKIP_BROWSER=1)");
        return;
    }
    let tools = tools().unwrap_or_else(|e| panic!("{e}"));
    let app = TestApp::start(true).await;
    let d = Driver::start(&tools, None).await;
    log_in(&d, &app, "medewerker").await;
    d.goto(&format!("{}/taal/nl?terug=/schrijfhulp", app.base))
        .await;
    let live = d
        .script("return !document.getElementById('schrijfhulp-live').hidden;")
        .await;
    assert_eq!(
        live.as_bool(),
        Some(true),
        "the script ran under the page's CSP"
    );
    d.script("window.__wegwijsSamePage = true; return true;")
        .await;
    d.type_into("#tekst", SCHRIJFHULP_TEXT).await;
    let mut shown = String::new();
    for _ in 0..200 {
        shown = d
            .script("return document.getElementById('resultaat').innerText;")
            .await
            .as_str()
            .unwrap_or_default()
            .to_string();
        if shown.contains("Formeel woord") {
            break;
        }
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
    assert!(shown.contains("Formeel woord"), "no live result: {shown}");
    let same = d.script("return window.__wegwijsSamePage === true;").await;
    assert_eq!(same.as_bool(), Some(true), "no page was loaded");
    let status = d
        .script("return document.getElementById('schrijfhulp-status').textContent;")
        .await;
    assert!(
        status.as_str().unwrap_or_default().starts_with("Niveau "),
        "the summary is announced: {status}"
    );
    let violations = d.axe(&tools.axe).await;
    d.quit().await;
    assert!(violations.is_empty(), "{}", violations.join("\n"));
}

/// Two minutes before a session ends the page warns, with the focus on
/// "Ingelogd blijven"; the button extends the session without leaving the
/// page (WCAG 2.2.1). Sessions here end after 125 seconds without use, so
/// the warning comes after 5.
#[tokio::test(flavor = "multi_thread")]
async fn the_session_warning_comes_in_time_and_the_button_extends() {
    if std::env::var("WEGWIJS_SKIP_BROWSER").as_deref() == Ok("1") {
        eprintln!("SKIPPED: browser tests (WEGWIJS_SKIP_BROWSER=1)");
        return;
    }
    let tools = tools().unwrap_or_else(|e| panic!("{e}"));
    let app = TestApp::start_with_idle(true, 125).await;
    let d = Driver::start(&tools, None).await;
    log_in(&d, &app, "inwoner").await;
    d.goto(&format!("{}/taal/nl?terug=/mijn/toestemmingen", app.base))
        .await;
    d.script("window.__wegwijsSamePage = true; return true;")
        .await;
    let visible = "return !document.getElementById('ww-sessie').hidden;";
    let mut shown = false;
    for _ in 0..400 {
        if d.script(visible).await.as_bool() == Some(true) {
            shown = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
    assert!(shown, "no warning within 10 seconds");
    let focused = d.script("return document.activeElement.textContent;").await;
    assert_eq!(
        focused.as_str(),
        Some("Ingelogd blijven"),
        "the focus is on the button"
    );
    let violations = d.axe(&tools.axe).await;
    d.script("document.querySelector('#ww-sessie button').click(); return true;")
        .await;
    let mut hidden = false;
    for _ in 0..200 {
        if d.script(visible).await.as_bool() == Some(false) {
            hidden = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
    let same = d.script("return window.__wegwijsSamePage === true;").await;
    d.quit().await;
    assert!(hidden, "the warning went away");
    assert_eq!(same.as_bool(), Some(true), "no page was loaded");
    assert!(violations.is_empty(), "{}", violations.join("\n"));
}
