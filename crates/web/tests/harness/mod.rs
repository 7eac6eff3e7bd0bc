#![allow(dead_code)] // shared by two test targets; each uses part of it
//! A running app on a random port with a known population, and a small
//! browser-like client (cookies, CSRF tokens from the last page, no
//! redirects followed).

use openidconnect::reqwest;
use std::collections::HashMap;
use std::io::Write;
use std::sync::{Arc, Mutex, OnceLock};
use time::macros::datetime;
use wegwijs_domain::clock::ManualClock;
use wegwijs_domain::register::PersonRow;
use wegwijs_domain::work::EntitlementLead;
use wegwijs_domain::{Actor, Clock, OrgKind, ResidentId, Role, Voorziening, WorkKind};
use wegwijs_store::Store;
use wegwijs_store::sessions::Lifetimes;
use wegwijs_store::users::NewUser;
use wegwijs_web::{AppState, WebConfig};

pub const PASSWORD: &str = "een goed wachtwoord";

/// Everything the app logged, from every test in this binary.
pub fn log_buffer() -> Arc<Mutex<Vec<u8>>> {
    static BUF: OnceLock<Arc<Mutex<Vec<u8>>>> = OnceLock::new();
    BUF.get_or_init(|| {
        let buf = Arc::new(Mutex::new(Vec::new()));
        let writer = buf.clone();
        let _ = tracing_subscriber::fmt()
            .with_env_filter(
                "debug,sqlx=warn,hyper=warn,hyper_util=warn,reqwest=warn,h2=warn,rustls=warn",
            )
            .with_writer(move || LogWriter(writer.clone()))
            .try_init();
        buf
    })
    .clone()
}

struct LogWriter(Arc<Mutex<Vec<u8>>>);
impl Write for LogWriter {
    fn write(&mut self, b: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(b);
        Ok(b.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

pub struct TestApp {
    pub base: String,
    pub store: Store,
    pub clock: Arc<ManualClock>,
    pub people: Vec<PersonRow>,
    /// Resident with open work at organisation A, and one at B.
    pub resident_a: ResidentId,
    pub resident_b: ResidentId,
    pub users: HashMap<&'static str, i64>,
    /// Organisation A's signal case about a third household, a
    /// queued signal, and a quarantined row.
    pub signal_case: i64,
    pub queued_signal: i64,
    pub quarantined: i64,
    /// A question resident a asked (to organisation A), and one of b's (to B).
    pub request_a: i64,
    pub request_b: i64,
    /// An appointment of resident a, and one of b.
    pub appointment_a: i64,
    pub appointment_b: i64,
    /// A letter for each appointment; a's preparation is sent.
    pub letter_a: i64,
    pub letter_b: i64,
    _dir: tempfile::TempDir,
}

impl TestApp {
    pub async fn start(demo: bool) -> TestApp {
        TestApp::start_with_idle(demo, 1800).await
    }

    /// With sessions that end after `idle_secs` without use.
    pub async fn start_with_idle(demo: bool, idle_secs: i64) -> TestApp {
        log_buffer();
        let dir = tempfile::tempdir().unwrap();
        let store = Store::connect(&format!("sqlite://{}", dir.path().join("t.db").display()))
            .await
            .unwrap();
        store.migrate().await.unwrap();
        let clock = Arc::new(ManualClock::new(datetime!(2026-11-22 10:00 UTC)));
        let now = clock.now().unix_timestamp();
        let cfg = wegwijs_demo::Config {
            persons: 40,
            seed: 3,
            reference_date: time::macros::date!(2026 - 01 - 01),
        };
        let mut people = Vec::new();
        wegwijs_demo::generate(&cfg, |r| {
            people.push(r);
            Ok::<_, ()>(())
        })
        .unwrap();
        let records: Vec<_> = people
            .iter()
            .map(|p| p.to_record(time::macros::date!(2026 - 11 - 22)).unwrap())
            .collect();
        store
            .import_register(&Actor::System("test"), &records, now, &|_| {})
            .await
            .unwrap();
        let mode = if demo {
            wegwijs_store::meta::Mode::Demo
        } else {
            wegwijs_store::meta::Mode::Production
        };
        store.init_mode(mode).await.unwrap();
        let a = store
            .create_org("Gemeente A", OrgKind::Gemeente, now)
            .await
            .unwrap();
        let b = store
            .create_org("Gemeente B", OrgKind::Gemeente, now)
            .await
            .unwrap();
        let hash = wegwijs_web::hash_password(PASSWORD).unwrap();
        let mut users = HashMap::new();
        for (name, org, role) in [
            ("medewerker", a, Role::Caseworker),
            ("teamleider", a, Role::TeamLead),
            ("privacy", a, Role::PrivacyOfficer),
            ("beheerder", a, Role::Admin),
            ("medewerker-b", b, Role::Caseworker),
        ] {
            let display = format!("Test {name}");
            let new = NewUser {
                org_id: org,
                username: name,
                display_name: &display,
                role,
                password_hash: hash.clone(),
            };
            users.insert(
                name,
                store
                    .create_user(&Actor::System("test"), new, now)
                    .await
                    .unwrap(),
            );
        }
        let ids = store.resident_ids(10).await.unwrap();
        store
            .open_work(&Actor::System("test"), a, ids[0], WorkKind::Aanmelding, now)
            .await
            .unwrap();
        store
            .open_work(&Actor::System("test"), b, ids[1], WorkKind::Signaal, now)
            .await
            .unwrap();
        // What a rules scan found for resident a: shown to a's caseworkers.
        let lead = |law: &str, name: &str, cents, voorziening| EntitlementLead {
            resident: ids[0],
            law: law.into(),
            law_name: name.into(),
            cents_per_year: cents,
            voorziening,
        };
        store
            .open_entitlement_work(
                &Actor::System("rules-scan"),
                a,
                clock.today(),
                &[
                    lead(
                        "wet_op_de_zorgtoeslag",
                        "Wet op de zorgtoeslag",
                        Some(67_004),
                        Some(Voorziening::Zorgtoeslag),
                    ),
                    lead("regeling_zonder_bron", "Regeling zonder bron", None, None),
                ],
                now,
            )
            .await
            .unwrap();
        let (signal_case, queued_signal, quarantined) =
            seed_signals(&store, a, signal_household(&records), &users, now).await;

        let (request_a, request_b) =
            seed_requests(&store, (a, b), &users, (ids[0], ids[1]), now).await;
        let (appointment_a, appointment_b) =
            seed_appointments(&store, clock.now(), (ids[0], ids[1]), b).await;
        let (letter_a, letter_b) = seed_letters(
            &store,
            (ids[0], appointment_a),
            (ids[1], appointment_b),
            now,
        )
        .await;

        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let base = format!("http://{}", listener.local_addr().unwrap());
        let config = WebConfig {
            demo,
            public_url: base.clone(),
            session: Lifetimes {
                idle_secs,
                absolute_secs: 36_000,
            },
            oidc: None,
            // A municipality's own word next to the shipped list.
            formal_words: Some(Arc::new(
                wegwijs_taal::FormalWords::builtin_with(
                    "klantmanager\tuw vaste contactpersoon\tUw vaste contactpersoon belt u.\n",
                )
                .unwrap(),
            )),
            explainer: Some(wegwijs_web::SharedExplainer(Arc::new(FixedExplainer))),
        };
        let state = AppState::new(store.clone(), clock.clone(), config).unwrap();
        tokio::spawn(async move {
            axum::serve(listener, wegwijs_web::router(state))
                .await
                .unwrap()
        });
        TestApp {
            base,
            store,
            clock,
            people,
            resident_a: ids[0],
            resident_b: ids[1],
            users,
            signal_case,
            queued_signal,
            quarantined,
            request_a,
            request_b,
            appointment_a,
            appointment_b,
            letter_a,
            letter_b,
            _dir: dir,
        }
    }

    pub fn client(&self) -> Client {
        Client::new(&self.base)
    }

    /// A client logged in as a staff user, or as the first demo resident
    /// ("inwoner"), or not at all ("anoniem").
    pub async fn as_role(&self, who: &str) -> Client {
        let mut c = self.client();
        match who {
            "anoniem" => {
                c.get("/").await;
            }
            "inwoner" => {
                let r = c.resident_login(0).await;
                assert_eq!(
                    r.location.as_deref(),
                    Some("/mijn"),
                    "resident login failed: {}",
                    r.body
                );
                c.get("/mijn").await;
            }
            staff => {
                c.get("/inloggen").await;
                let r = c
                    .post("/inloggen", &[("username", staff), ("password", PASSWORD)])
                    .await;
                assert_eq!(r.status, 303, "login as {staff} failed");
                c.get(r.location.as_deref().unwrap()).await;
            }
        }
        c
    }
}

pub struct Resp {
    pub status: u16,
    pub location: Option<String>,
    pub body: String,
    pub headers: reqwest::header::HeaderMap,
}

pub struct Client {
    base: String,
    http: reqwest::Client,
    pub cookies: HashMap<String, String>,
    pub csrf: String,
}

impl Client {
    fn new(base: &str) -> Client {
        let http = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .unwrap();
        Client {
            base: base.to_string(),
            http,
            cookies: HashMap::new(),
            csrf: String::new(),
        }
    }

    fn url(&self, path: &str) -> String {
        if path.starts_with("http") {
            path.to_string()
        } else {
            format!("{}{path}", self.base)
        }
    }

    async fn finish(&mut self, r: reqwest::Response) -> Resp {
        let status = r.status().as_u16();
        let headers = r.headers().clone();
        for c in headers.get_all("set-cookie") {
            let c = c.to_str().unwrap();
            let pair = c.split(';').next().unwrap();
            let (k, v) = pair.split_once('=').unwrap();
            if v.is_empty() || c.contains("Max-Age=0") {
                self.cookies.remove(k);
            } else {
                self.cookies.insert(k.to_string(), v.to_string());
            }
        }
        let location = headers.get("location").map(|l| {
            l.to_str()
                .unwrap()
                .trim_start_matches(&self.base)
                .to_string()
        });
        let body = r.text().await.unwrap();
        if let Some(token) = field_value(&body, "csrf") {
            self.csrf = token;
        }
        Resp {
            status,
            location,
            body,
            headers,
        }
    }

    fn cookie_header(&self) -> String {
        self.cookies
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect::<Vec<_>>()
            .join("; ")
    }

    pub async fn get(&mut self, path: &str) -> Resp {
        let r = self
            .http
            .get(self.url(path))
            .header("cookie", self.cookie_header())
            .send()
            .await
            .unwrap();
        self.finish(r).await
    }

    /// Posts a form with the CSRF token of the last page.
    pub async fn post(&mut self, path: &str, fields: &[(&str, &str)]) -> Resp {
        let mut all: Vec<(&str, &str)> = fields.to_vec();
        let csrf = self.csrf.clone();
        all.push(("csrf", &csrf));
        self.post_raw(path, &all).await
    }

    pub async fn post_raw(&mut self, path: &str, fields: &[(&str, &str)]) -> Resp {
        self.post_raw_with(path, fields, None).await
    }

    /// Posts a form with the CSRF token and one more request header.
    pub async fn post_with_header(
        &mut self,
        path: &str,
        fields: &[(&str, &str)],
        header: (&str, &str),
    ) -> Resp {
        let mut all: Vec<(&str, &str)> = fields.to_vec();
        let csrf = self.csrf.clone();
        all.push(("csrf", &csrf));
        self.post_raw_with(path, &all, Some(header)).await
    }

    async fn post_raw_with(
        &mut self,
        path: &str,
        fields: &[(&str, &str)],
        header: Option<(&str, &str)>,
    ) -> Resp {
        let body = serde_urlencoded::to_string(fields).unwrap();
        let mut req = self
            .http
            .post(self.url(path))
            .header("cookie", self.cookie_header())
            .header("content-type", "application/x-www-form-urlencoded");
        if let Some((name, value)) = header {
            req = req.header(name, value);
        }
        let r = req.body(body).send().await.unwrap();
        self.finish(r).await
    }

    /// A multipart form as a browser sends it: the CSRF token first, the
    /// fields, and a file part (name, bytes; an empty name and no bytes is
    /// an empty file input).
    pub async fn post_multipart(
        &mut self,
        path: &str,
        fields: &[(&str, &str)],
        file: (&str, &str, &[u8]),
    ) -> Resp {
        const B: &str = "----wegwijs-test-boundary";
        let mut body: Vec<u8> = Vec::new();
        let csrf = self.csrf.clone();
        let mut text = |name: &str, value: &str| {
            body.extend(
                format!(
                    "--{B}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n"
                )
                .as_bytes(),
            );
        };
        text("csrf", &csrf);
        for (k, v) in fields {
            text(k, v);
        }
        let (field, file_name, bytes) = file;
        body.extend(
            format!(
                "--{B}\r\nContent-Disposition: form-data; name=\"{field}\"; filename=\"{file_name}\"\r\nContent-Type: application/octet-stream\r\n\r\n"
            )
            .as_bytes(),
        );
        body.extend(bytes);
        body.extend(format!("\r\n--{B}--\r\n").as_bytes());
        let r = self
            .http
            .post(self.url(path))
            .header("cookie", self.cookie_header())
            .header("content-type", format!("multipart/form-data; boundary={B}"))
            .body(body)
            .send()
            .await
            .unwrap();
        self.finish(r).await
    }

    /// Logs in through the demo DigiD as the `pick`-th person offered.
    pub async fn resident_login(&mut self, pick: usize) -> Resp {
        let start = self.get("/inwoner/inloggen/digid").await;
        let authorize = start.location.expect("redirect to the provider");
        let page = self.get(&authorize).await;
        let bsns = field_values(&page.body, "bsn");
        let request = field_value(&page.body, "request").unwrap();
        let cb = self
            .post(
                "/demo-digid/authorize",
                &[("request", &request), ("bsn", &bsns[pick])],
            )
            .await;
        let callback = cb.location.expect("redirect back");
        self.get(&callback).await
    }
}

/// The value of the first `<input name="NAME" value="...">` in a page.
/// The HTML of a page with its per-visitor CSRF token blanked out.
pub fn stable(html: &str) -> String {
    const FIELD: &str = "name=\"csrf\" value=\"";
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(i) = rest.find(FIELD) {
        let start = i + FIELD.len();
        let end = start + rest[start..].find('"').unwrap();
        out.push_str(&rest[..start]);
        out.push_str("[token]");
        rest = &rest[end..];
    }
    out.push_str(rest);
    out
}

pub fn field_value(html: &str, name: &str) -> Option<String> {
    field_values(html, name).into_iter().next()
}

pub fn field_values(html: &str, name: &str) -> Vec<String> {
    let needle = format!("name=\"{name}\" value=\"");
    html.match_indices(&needle)
        .map(|(i, _)| {
            let rest = &html[i + needle.len()..];
            rest[..rest.find('"').unwrap()].to_string()
        })
        .collect()
}

/// A person outside the households of residents A and B, so the signal
/// case gives organisation A no access to resident B.
fn signal_household(records: &[wegwijs_domain::ResidentRecord]) -> &wegwijs_domain::ResidentRecord {
    records
        .iter()
        .find(|r| r.huishouden != records[0].huishouden && r.huishouden != records[1].huishouden)
        .unwrap()
}

/// Signals for organisation A: one about `person` (a case), one about
/// nobody (the queue), and a refused row (the quarantine).
async fn seed_signals(
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
struct FixedExplainer;

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
async fn seed_requests(
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
    let route = |topic, org, team: &str| {
        HelpRoute::validate(topic, org, team, "3", "0570 123 456").unwrap()
    };
    for (topic, team) in [
        (HelpTopic::Geld, "Team Geldzaken"),
        (HelpTopic::Anders, "Team Wijk"),
    ] {
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
        callback_phone: None,
    };
    let confirmation = Message {
        subject: "Wij hebben uw vraag".into(),
        body: "Uw vraag is bij Team Geldzaken van Gemeente A.".into(),
    };
    let by = time::macros::date!(2026 - 11 - 27);
    let mut placed = Vec::new();
    for (resident, org) in [(resident_a, a), (resident_b, b)] {
        let r = route(HelpTopic::Geld, org, "Team Geldzaken");
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
async fn seed_appointments(
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
    let route_b = wegwijs_domain::help::HelpRoute {
        org_id: org_b,
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
async fn seed_letters(
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
