//! The test's HTTP client: cookies, the CSRF token of the last page, and
//! helpers to read pages.

use super::*;

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
    pub(super) fn new(base: &str) -> Client {
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

    /// The same client as seen from `ip`: every request says so in
    /// X-Forwarded-For, which the test app trusts from the loopback.
    pub fn seen_from(mut self, ip: &str) -> Client {
        let mut headers = reqwest::header::HeaderMap::new();
        headers.insert("x-forwarded-for", ip.parse().unwrap());
        self.http = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .default_headers(headers)
            .build()
            .unwrap();
        self
    }

    /// A second client in the same session, as a second tab or a second
    /// click: same cookies, same CSRF token.
    pub fn twin(&self) -> Client {
        let mut twin = Client::new(&self.base);
        twin.cookies = self.cookies.clone();
        twin.csrf = self.csrf.clone();
        twin
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

    /// A GET with headers of its own (e.g. Accept-Encoding). The body is
    /// read as bytes and kept only when it is text.
    pub async fn get_with_headers(&mut self, path: &str, headers: &[(&str, &str)]) -> Resp {
        let mut req = self
            .http
            .get(self.url(path))
            .header("cookie", self.cookie_header());
        for (k, v) in headers {
            req = req.header(*k, *v);
        }
        let r = req.send().await.unwrap();
        let status = r.status().as_u16();
        let headers = r.headers().clone();
        let bytes = r.bytes().await.unwrap();
        Resp {
            status,
            location: None,
            body: String::from_utf8(bytes.to_vec()).unwrap_or_default(),
            headers,
        }
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
        self.resident_login_from("/inwoner/inloggen/digid", pick)
            .await
    }

    /// Logs in through the demo DigiD as the person with this BSN, who
    /// must be among those offered.
    pub async fn resident_login_bsn(&mut self, bsn: &str) -> Resp {
        let start = self.get("/inwoner/inloggen/digid").await;
        let page = self.get(start.location.as_deref().unwrap()).await;
        let pick = field_values(&page.body, "bsn")
            .iter()
            .position(|b| b == bsn)
            .expect("the demo login offers this resident");
        self.resident_login(pick).await
    }

    /// The same, from `start` (a login start with a page to return to).
    pub async fn resident_login_from(&mut self, start: &str, pick: usize) -> Resp {
        let start = self.get(start).await;
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

/// The HTML of a page with its per-visitor CSRF token and its one-time
/// form tokens blanked out.
pub fn stable(html: &str) -> String {
    let mut out = html.to_string();
    for field in ["name=\"csrf\" value=\"", "name=\"eenmalig\" value=\""] {
        let mut blanked = String::with_capacity(out.len());
        let mut rest = out.as_str();
        while let Some(i) = rest.find(field) {
            let start = i + field.len();
            let end = start + rest[start..].find('"').unwrap();
            blanked.push_str(&rest[..start]);
            blanked.push_str("[token]");
            rest = &rest[end..];
        }
        blanked.push_str(rest);
        out = blanked;
    }
    // Asset links carry their content's hash, which changes with the file.
    let mut versioned = String::with_capacity(out.len());
    let mut rest = out.as_str();
    while let Some(i) = rest.find("?v=") {
        let start = i + 3;
        let end = start + rest[start..].find('"').unwrap();
        versioned.push_str(&rest[..start]);
        versioned.push_str("[version]");
        rest = &rest[end..];
    }
    versioned.push_str(rest);
    versioned
}

/// The value of the first `<input name="NAME" value="...">` in a page.
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
