//! No personal data leaves the server before its audit entry is durable:
//! `serve` is killed (SIGKILL) while residents read their messages, and for
//! every answer the clients received its entry is in the log, in an
//! unbroken chain.

use super::*;
use std::io::{Read, Write};
use std::net::TcpStream;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::{Duration, Instant};

/// One HTTP/1.1 exchange over a new connection: (status, headers, body).
fn http(port: u16, request: &str) -> Option<(u16, String, String)> {
    let mut s = TcpStream::connect(("127.0.0.1", port)).ok()?;
    s.set_read_timeout(Some(Duration::from_secs(10))).ok()?;
    s.write_all(request.as_bytes()).ok()?;
    let mut raw = Vec::new();
    s.read_to_end(&mut raw).ok()?;
    let text = String::from_utf8_lossy(&raw).into_owned();
    let (head, body) = text.split_once("\r\n\r\n")?;
    let status = head.split(' ').nth(1)?.parse().ok()?;
    Some((status, head.to_string(), body.to_string()))
}

fn get(port: u16, path: &str, cookies: &str) -> Option<(u16, String, String)> {
    http(
        port,
        &format!(
            "GET {path} HTTP/1.1\r\nHost: x\r\nCookie: {cookies}\r\nConnection: close\r\n\r\n"
        ),
    )
}

fn post(port: u16, path: &str, cookies: &str, form: &str) -> Option<(u16, String, String)> {
    http(
        port,
        &format!(
            "POST {path} HTTP/1.1\r\nHost: x\r\nCookie: {cookies}\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{form}",
            form.len()
        ),
    )
}

fn header(head: &str, name: &str) -> Vec<String> {
    head.lines()
        .filter_map(|l| l.split_once(": "))
        .filter(|(k, _)| k.eq_ignore_ascii_case(name))
        .map(|(_, v)| v.to_string())
        .collect()
}

/// `name=value` of every cookie a response sets, added to `jar`.
fn keep_cookies(jar: &mut Vec<String>, head: &str) {
    for c in header(head, "set-cookie") {
        let pair = c.split(';').next().unwrap().to_string();
        let name = pair.split('=').next().unwrap().to_string();
        jar.retain(|p| !p.starts_with(&format!("{name}=")));
        jar.push(pair);
    }
}

fn field(body: &str, name: &str) -> String {
    let needle = format!("name=\"{name}\" value=\"");
    let at = body.find(&needle).unwrap() + needle.len();
    body[at..at + body[at..].find('"').unwrap()].to_string()
}

fn encode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// Logs in through the demo DigiD as the first person offered; the
/// session cookie and the resident's BSN.
fn resident_session(port: u16) -> (String, String) {
    let mut jar = Vec::new();
    let (_, head, _) = get(port, "/inwoner/inloggen/digid", "").unwrap();
    keep_cookies(&mut jar, &head);
    let authorize = header(&head, "location").remove(0);
    let path = &authorize[authorize.find("/demo-digid").unwrap()..];
    let (_, head, page) = get(port, path, &jar.join("; ")).unwrap();
    keep_cookies(&mut jar, &head);
    let bsn = field(&page, "bsn");
    let form = format!(
        "csrf={}&request={}&bsn={bsn}",
        encode(&field(&page, "csrf")),
        encode(&field(&page, "request"))
    );
    let (_, head, _) = post(port, "/demo-digid/authorize", &jar.join("; "), &form).unwrap();
    let callback = header(&head, "location").remove(0);
    let path = &callback[callback.find("/inwoner/").unwrap()..];
    let (_, head, _) = get(port, path, &jar.join("; ")).unwrap();
    keep_cookies(&mut jar, &head);
    let session = jar
        .iter()
        .find(|c| c.starts_with("wegwijs_sessie="))
        .expect("logged in")
        .clone();
    (session, bsn)
}

#[test]
fn every_answer_a_client_got_has_its_audit_entry_after_a_kill() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let cfg = dir.path().join("wegwijs.toml");
    let free = || {
        std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port()
    };
    let (port, metrics_port) = (free(), free());
    std::fs::write(
        &cfg,
        format!("demo_persons = 2000\nmetrics_listen = \"127.0.0.1:{metrics_port}\"\n"),
    )
    .unwrap();
    let mut server = Command::new(env!("CARGO_BIN_EXE_wegwijs"))
        .arg("--config")
        .arg(&cfg)
        .arg("--data-dir")
        .arg(&data)
        .args([
            "serve",
            "--demo",
            "true",
            "--listen",
            &format!("127.0.0.1:{port}"),
        ])
        .env_remove("WEGWIJS_DATABASE_URL")
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let started = Instant::now();
    while get(port, "/readyz", "").is_none_or(|(s, _, _)| s != 200) {
        assert!(
            started.elapsed() < Duration::from_secs(120),
            "serve did not start"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    // /metrics on its own address only.
    let (status, _, body) = get(metrics_port, "/metrics", "").unwrap();
    assert!(
        status == 200 && body.contains("wegwijs_http_requests_total"),
        "{status}"
    );
    assert_eq!(get(port, "/metrics", "").unwrap().0, 404);
    let (session, _) = resident_session(port);
    let answered = Arc::new(AtomicUsize::new(0));
    let stop = Arc::new(AtomicBool::new(false));
    let readers: Vec<_> = (0..16)
        .map(|_| {
            let (answered, stop, session) = (answered.clone(), stop.clone(), session.clone());
            std::thread::spawn(move || {
                while !stop.load(Ordering::Relaxed) {
                    // Only a whole answer counts as received.
                    if let Some((200, _, body)) = get(port, "/mijn/berichten", &session)
                        && body.contains("</html>")
                    {
                        answered.fetch_add(1, Ordering::SeqCst);
                    }
                }
            })
        })
        .collect();
    // Writes too: consent choices, each acknowledged by its redirect.
    let (_, _, page) = get(port, "/mijn/toestemmingen", &session).unwrap();
    let csrf = encode(&field(&page, "csrf"));
    let acknowledged = Arc::new(AtomicUsize::new(0));
    let writers: Vec<_> = (0..4)
        .map(|i| {
            let (acknowledged, stop, session, csrf) = (
                acknowledged.clone(),
                stop.clone(),
                session.clone(),
                csrf.clone(),
            );
            std::thread::spawn(move || {
                let mut given = i % 2 == 0;
                while !stop.load(Ordering::Relaxed) {
                    let keuze = if given { "ja" } else { "nee" };
                    let form = format!("csrf={csrf}&onderwerp=kanaal-sms&keuze={keuze}");
                    if let Some((303, head, _)) = post(port, "/mijn/toestemmingen", &session, &form)
                        && head.contains("gelukt=keuze")
                    {
                        acknowledged.fetch_add(1, Ordering::SeqCst);
                    }
                    given = !given;
                }
            })
        })
        .collect();
    while answered.load(Ordering::SeqCst) < 300 || acknowledged.load(Ordering::SeqCst) < 50 {
        assert!(
            started.elapsed() < Duration::from_secs(300),
            "too few answers"
        );
        std::thread::sleep(Duration::from_millis(5));
    }
    // SIGKILL, mid-load: no shutdown, no flush.
    server.kill().unwrap();
    let received = answered.load(Ordering::SeqCst);
    stop.store(true, Ordering::Relaxed);
    for r in readers.into_iter().chain(writers) {
        r.join().unwrap();
    }
    server.wait().unwrap();
    let received_after = answered.load(Ordering::SeqCst);
    let db = data.join("wegwijs.db");
    let logged: i64 = with_pool(&db, async |pool| {
        use sqlx::Row;
        sqlx::query("SELECT COUNT(*) FROM audit_log WHERE action = 'berichten-bekeken'")
            .fetch_one(pool)
            .await
            .unwrap()
            .get(0)
    });
    assert!(
        logged >= received_after as i64,
        "{received_after} answers received ({received} at the kill), {logged} entries in the log"
    );
    // Every acknowledged write is there, each with its audit entry, none
    // half (the choice and its entry commit together).
    let (history, entries): (i64, i64) = with_pool(&db, async |pool| {
        use sqlx::Row;
        let history =
            sqlx::query("SELECT COUNT(*) FROM consent_history WHERE topic = 'kanaal-sms'")
                .fetch_one(pool)
                .await
                .unwrap()
                .get(0);
        let entries = sqlx::query(
            "SELECT COUNT(*) FROM audit_log WHERE action = 'toestemming-gewijzigd' AND detail LIKE 'kanaal-sms:%'",
        )
        .fetch_one(pool)
        .await
        .unwrap()
        .get(0);
        (history, entries)
    });
    let acknowledged = acknowledged.load(Ordering::SeqCst) as i64;
    assert!(
        history >= acknowledged,
        "{acknowledged} acknowledged, {history} stored"
    );
    assert_eq!(history, entries, "each write with its entry");
    let check: String = with_pool(&db, async |pool| {
        use sqlx::Row;
        sqlx::query("PRAGMA integrity_check")
            .fetch_one(pool)
            .await
            .unwrap()
            .get(0)
    });
    assert_eq!(check, "ok");
    // The demo made its own audit key, in the data folder.
    let verify = keyless(&data, &["audit", "verify"], &[]);
    assert!(verify.status.success(), "{}", text(&verify));
}
