//! Chromium over WebDriver: finding the tools (Chromium, ChromeDriver,
//! axe-core), starting a browser, and what a test does with it.

use openidconnect::reqwest;
use serde_json::{Value, json};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

pub(super) const ELEMENT: &str = "element-6066-11e4-a52e-4f735466cecf";

pub(super) struct Tools {
    chromium: PathBuf,
    chromedriver: PathBuf,
    pub(super) axe: String,
}

pub(super) fn tools() -> Result<Tools, String> {
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

pub(super) struct Driver {
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
    pub(super) async fn start(t: &Tools, width: Option<u32>) -> Driver {
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

    pub(super) async fn call(&self, method: &str, path: &str, body: Value) -> Value {
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

    pub(super) async fn goto(&self, url: &str) {
        self.call("POST", "/url", json!({ "url": url })).await;
    }

    pub(super) async fn url(&self) -> String {
        self.call("GET", "/url", json!({}))
            .await
            .as_str()
            .unwrap_or_default()
            .to_string()
    }

    pub(super) async fn element(&self, css: &str) -> String {
        let v = self
            .call(
                "POST",
                "/element",
                json!({ "using": "css selector", "value": css }),
            )
            .await;
        v[ELEMENT].as_str().unwrap().to_string()
    }

    pub(super) async fn type_into(&self, css: &str, text: &str) {
        // A list to choose from takes the first option whose words start
        // with `text` (as typing into it does), or none.
        let chosen = self
            .script(&format!(
                "const s = document.querySelector({css:?}); if (!s || s.tagName !== 'SELECT') return null; \
                 const o = [...s.options].find(o => o.text.startsWith({text:?})); s.value = o ? o.value : ''; return true;"
            ))
            .await;
        if chosen.as_bool() == Some(true) {
            return;
        }
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
    pub(super) async fn tick(&self, css: &str) {
        let id = self.element(css).await;
        self.call("POST", &format!("/element/{id}/click"), json!({}))
            .await;
    }

    /// Clicks something that loads a new page, and waits until it has: a
    /// marker set on the old document must be gone and the new one loaded.
    pub(super) async fn click(&self, css: &str) {
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

    pub(super) async fn script(&self, script: &str) -> Value {
        self.call(
            "POST",
            "/execute/sync",
            json!({ "script": script, "args": [] }),
        )
        .await
    }

    /// Ends the session, which closes Chromium.
    pub(super) async fn quit(&self) {
        let url = format!("{}/session/{}", self.base, self.session);
        let _ = self.http.delete(url).send().await;
    }

    pub(super) async fn forget_cookies(&self) {
        self.call("DELETE", "/cookie", json!({})).await;
    }

    /// axe-core's WCAG A/AA violations on the current page, as readable lines.
    pub(super) async fn axe(&self, axe_source: &str) -> Vec<String> {
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
