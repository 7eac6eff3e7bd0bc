//! Configuration: built-in defaults, then a TOML file, then `WEGWIJS_*`
//! environment variables and command-line flags (clap reads both). A bad
//! file stops start-up with the line and the key at fault.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use toml::Spanned;
use wegwijs_store::sessions::Lifetimes;
use wegwijs_web::{OidcConfig, WebConfig};

/// The file, as written. Every key is optional.
#[derive(Debug, Default, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FileConfig {
    pub data_dir: Option<Spanned<String>>,
    pub database_url: Option<Spanned<String>>,
    pub listen: Option<Spanned<String>>,
    pub public_url: Option<Spanned<String>>,
    /// Only decides the mode of a new database; see the README.
    pub demo: Option<bool>,
    pub demo_persons: Option<Spanned<i64>>,
    pub log_format: Option<Spanned<String>>,
    pub session: Option<SessionFile>,
    pub oidc: Option<OidcFile>,
    /// The municipality's own formal words for the schrijfhulp (a file in
    /// the format of `crates/taal/data/formele_woorden.tsv`).
    pub taal_woorden: Option<Spanned<String>>,
    /// Reverse proxies in front of Wegwijs whose X-Forwarded-For names the
    /// client, e.g. ["10.0.0.5"]; failed logins are counted per client.
    pub trusted_proxies: Option<Vec<Spanned<String>>>,
    /// A separate address for `/metrics` (e.g. "127.0.0.1:9464"), reached
    /// by the scraper only.
    pub metrics_listen: Option<Spanned<String>>,
    /// The token a scraper sends for `/metrics` on the app's own address;
    /// `WEGWIJS_METRICS_TOKEN` wins.
    pub metrics_token: Option<String>,
    /// A file holding the audit key (hex); `WEGWIJS_AUDIT_KEY` wins.
    pub audit_key_file: Option<Spanned<String>>,
    /// Where the audit log's checkpoints go (default: the data folder).
    pub audit_witness: Option<Spanned<String>>,
}

#[derive(Debug, Default, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SessionFile {
    pub idle_minutes: Option<Spanned<i64>>,
    pub absolute_hours: Option<Spanned<i64>>,
}

#[derive(Debug, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OidcFile {
    pub issuer: Spanned<String>,
    pub client_id: String,
    pub client_secret: String,
    pub bsn_claim: Option<String>,
}

/// A configuration error: where, and what is wrong.
#[derive(Debug, thiserror::Error)]
#[error("{file}{location}: {message}")]
pub struct ConfigError {
    pub file: String,
    pub location: String,
    pub message: String,
}

fn line_col(source: &str, offset: usize) -> (usize, usize) {
    let before = &source[..offset.min(source.len())];
    let line = before.matches('\n').count() + 1;
    let col = before
        .rfind('\n')
        .map(|p| before.len() - p)
        .unwrap_or(before.len() + 1);
    (line, col)
}

pub struct Located<'a> {
    file: &'a str,
    source: &'a str,
}

impl Located<'_> {
    fn at<T>(
        &self,
        key: &str,
        spanned: &Spanned<T>,
        message: impl std::fmt::Display,
    ) -> ConfigError {
        let (line, _) = line_col(self.source, spanned.span().start);
        ConfigError {
            file: self.file.to_string(),
            location: format!(", line {line}, key {key}"),
            message: message.to_string(),
        }
    }
}

pub fn read_file(path: &Path) -> Result<(FileConfig, String), ConfigError> {
    let file = path.display().to_string();
    let source = std::fs::read_to_string(path).map_err(|e| ConfigError {
        file: file.clone(),
        location: String::new(),
        message: format!("cannot read it: {e}"),
    })?;
    let parsed: FileConfig = toml::from_str(&source).map_err(|e| {
        let location = e
            .span()
            .map(|s| line_col(&source, s.start))
            .map(|(l, c)| format!(", line {l}, column {c}"))
            .unwrap_or_default();
        ConfigError {
            file: file.clone(),
            location,
            message: e.message().to_string(),
        }
    })?;
    Ok((parsed, source))
}

/// Everything a command needs to know, after merging.
#[derive(Clone, Debug)]
pub struct Settings {
    pub data_dir: PathBuf,
    pub database_url: String,
    pub listen: SocketAddr,
    pub public_url: String,
    pub demo: Option<bool>,
    pub demo_persons: usize,
    pub json_logs: bool,
    pub session: Lifetimes,
    pub oidc: Option<OidcConfig>,
    pub formal_words: Option<std::sync::Arc<wegwijs_taal::FormalWords>>,
    pub trusted_proxies: Vec<std::net::IpAddr>,
    pub audit_key_file: Option<PathBuf>,
    pub audit_witness: PathBuf,
    pub metrics_listen: Option<SocketAddr>,
    pub metrics_token: Option<String>,
}

/// Values given on the command line or in the environment; they win over
/// the file.
#[derive(Clone, Debug, Default)]
pub struct Overrides {
    pub data_dir: Option<PathBuf>,
    pub database_url: Option<String>,
    pub listen: Option<String>,
    pub public_url: Option<String>,
    pub demo: Option<bool>,
    pub json_logs: bool,
}

pub fn settings(path: Option<&Path>, o: &Overrides) -> Result<Settings, ConfigError> {
    let default_file = Path::new("wegwijs.toml");
    let chosen = path.or(default_file.exists().then_some(default_file));
    let (file, source, name) = match chosen {
        Some(p) => {
            let (f, s) = read_file(p)?;
            (f, s, p.display().to_string())
        }
        None => (
            FileConfig::default(),
            String::new(),
            "configuration".to_string(),
        ),
    };
    let loc = Located {
        file: &name,
        source: &source,
    };
    let cli_err = |key: &str, problem: ValueProblem| ConfigError {
        file: "command line or environment".into(),
        location: format!(", {key}"),
        message: problem.to_string(),
    };

    let data_dir = o
        .data_dir
        .clone()
        .or(file.data_dir.as_ref().map(|d| PathBuf::from(d.get_ref())))
        .unwrap_or_else(|| PathBuf::from("wegwijs-data"));
    let database_url = match (&o.database_url, &file.database_url) {
        (Some(u), _) => check_url(u).map_err(|m| cli_err("database-url", m))?,
        (None, Some(u)) => check_url(u.get_ref()).map_err(|m| loc.at("database_url", u, m))?,
        (None, None) => format!("sqlite://{}", data_dir.join("wegwijs.db").display()),
    };
    let listen = match (&o.listen, &file.listen) {
        (Some(l), _) => parse_listen(l).map_err(|m| cli_err("listen", m))?,
        (None, Some(l)) => parse_listen(l.get_ref()).map_err(|m| loc.at("listen", l, m))?,
        (None, None) => SocketAddr::from(([127, 0, 0, 1], 8080)),
    };
    let public_url = match (&o.public_url, &file.public_url) {
        (Some(u), _) => check_public_url(u).map_err(|m| cli_err("public-url", m))?,
        (None, Some(u)) => check_public_url(u.get_ref()).map_err(|m| loc.at("public_url", u, m))?,
        (None, None) => format!("http://{listen}"),
    };
    let demo_persons = match &file.demo_persons {
        Some(n) if !(1..=wegwijs_demo::Config::MAX_PERSONS as i64).contains(n.get_ref()) => {
            return Err(loc.at(
                "demo_persons",
                n,
                format!(
                    "must lie between 1 and {}",
                    wegwijs_demo::Config::MAX_PERSONS
                ),
            ));
        }
        Some(n) => *n.get_ref() as usize,
        None => 5_000,
    };
    let json_logs = o.json_logs
        || match &file.log_format {
            Some(f) if f.get_ref() == "json" => true,
            Some(f) if f.get_ref() == "text" => false,
            Some(f) => return Err(loc.at("log_format", f, "must be \"text\" or \"json\"")),
            None => false,
        };
    let session = session_lifetimes(file.session.as_ref(), &loc)?;
    let oidc = match &file.oidc {
        Some(f) => {
            check_public_url(f.issuer.get_ref())
                .map_err(|m| loc.at("oidc.issuer", &f.issuer, m))?;
            Some(OidcConfig {
                issuer: f.issuer.get_ref().trim_end_matches('/').to_string(),
                client_id: f.client_id.clone(),
                client_secret: f.client_secret.clone(),
                bsn_claim: f.bsn_claim.clone().unwrap_or_else(|| "bsn".into()),
            })
        }
        None => None,
    };
    let formal_words = match &file.taal_woorden {
        Some(p) => Some(std::sync::Arc::new(
            crate::taal::own_words(Path::new(p.get_ref()))
                .map_err(|e| loc.at("taal_woorden", p, format!("{e:#}")))?,
        )),
        None => None,
    };
    let mut trusted_proxies = Vec::new();
    for p in file.trusted_proxies.iter().flatten() {
        let ip = p.get_ref().trim().parse().map_err(|_| {
            loc.at(
                "trusted_proxies",
                p,
                ValueProblem::IpAddress(p.get_ref().clone()),
            )
        })?;
        trusted_proxies.push(ip);
    }
    let audit_key_file = file
        .audit_key_file
        .as_ref()
        .map(|f| PathBuf::from(f.get_ref()));
    let audit_witness = file
        .audit_witness
        .as_ref()
        .map(|f| PathBuf::from(f.get_ref()))
        .unwrap_or_else(|| data_dir.join("audit-witness"));
    let metrics_listen = match &file.metrics_listen {
        Some(l) => Some(parse_listen(l.get_ref()).map_err(|m| loc.at("metrics_listen", l, m))?),
        None => None,
    };
    let metrics_token = std::env::var("WEGWIJS_METRICS_TOKEN")
        .ok()
        .or(file.metrics_token.clone())
        .filter(|t| !t.trim().is_empty());
    Ok(Settings {
        metrics_listen,
        metrics_token,
        audit_key_file,
        audit_witness,
        data_dir,
        database_url,
        listen,
        public_url,
        demo: o.demo.or(file.demo),
        demo_persons,
        json_logs,
        session,
        oidc,
        formal_words,
        trusted_proxies,
    })
}

fn session_lifetimes(s: Option<&SessionFile>, loc: &Located) -> Result<Lifetimes, ConfigError> {
    let minutes = |key: &str,
                   v: &Option<Spanned<i64>>,
                   default: i64,
                   max: i64,
                   unit: i64|
     -> Result<i64, ConfigError> {
        match v {
            Some(n) if !(1..=max).contains(n.get_ref()) => {
                Err(loc.at(key, n, format!("must lie between 1 and {max}")))
            }
            Some(n) => Ok(n.get_ref() * unit),
            None => Ok(default * unit),
        }
    };
    let idle = minutes(
        "session.idle_minutes",
        &s.and_then(|s| s.idle_minutes.clone()),
        30,
        24 * 60,
        60,
    )?;
    let absolute = minutes(
        "session.absolute_hours",
        &s.and_then(|s| s.absolute_hours.clone()),
        10,
        24 * 7,
        3600,
    )?;
    Ok(Lifetimes {
        idle_secs: idle,
        absolute_secs: absolute,
    })
}

/// What is wrong with one setting's value, and what to write instead.
#[derive(Debug, thiserror::Error)]
enum ValueProblem {
    #[error("use sqlite://PATH or postgres://USER@HOST/DATABASE")]
    DatabaseUrl,
    #[error("{0:?} is not an address with a port; write it like 127.0.0.1:8080")]
    ListenAddress(String),
    #[error("{0:?} is not a web address; write it like https://wegwijs.gemeente.nl")]
    WebAddress(String),
    #[error("{0:?} is not an IP address; write it like 10.0.0.5 or 2001:db8::5")]
    IpAddress(String),
}

fn check_url(url: &str) -> Result<String, ValueProblem> {
    wegwijs_store::Backend::from_url(url)
        .map(|_| url.to_string())
        .map_err(|_| ValueProblem::DatabaseUrl)
}

fn parse_listen(s: &str) -> Result<SocketAddr, ValueProblem> {
    s.parse().map_err(|_| ValueProblem::ListenAddress(s.into()))
}

fn check_public_url(u: &str) -> Result<String, ValueProblem> {
    let trimmed = u.trim().trim_end_matches('/');
    if (trimmed.starts_with("http://") || trimmed.starts_with("https://"))
        && trimmed.len() > "https://".len()
    {
        Ok(trimmed.to_string())
    } else {
        Err(ValueProblem::WebAddress(u.into()))
    }
}

impl Settings {
    pub fn web(&self, demo: bool) -> WebConfig {
        WebConfig {
            demo,
            public_url: self.public_url.clone(),
            session: self.session,
            oidc: self.oidc.clone(),
            formal_words: self.formal_words.clone(),
            explainer: None,
            form_wait: std::time::Duration::from_secs(10),
            trusted_proxies: self.trusted_proxies.clone(),
            metrics_token: self.metrics_token.clone(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn write(content: &str) -> (tempfile::TempDir, PathBuf) {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("wegwijs.toml");
        std::fs::write(&p, content).unwrap();
        (dir, p)
    }

    #[test]
    fn defaults_without_a_file() {
        let s = settings(
            None,
            &Overrides {
                data_dir: Some("/tmp/x".into()),
                ..Default::default()
            },
        )
        .unwrap();
        assert_eq!(s.database_url, "sqlite:///tmp/x/wegwijs.db");
        assert_eq!(s.public_url, "http://127.0.0.1:8080");
        assert_eq!(s.demo, None);
    }

    #[test]
    fn a_bad_file_names_line_and_key() {
        let (_d, p) = write("demo = true\nlisten = \"localhost\"\n");
        let e = settings(Some(&p), &Overrides::default())
            .unwrap_err()
            .to_string();
        assert!(e.ends_with("wegwijs.toml, line 2, key listen: \"localhost\" is not an address with a port; write it like 127.0.0.1:8080"), "{e}");
        let (_d, p) = write("demo = true\nlisen = \"127.0.0.1:80\"\n");
        let e = settings(Some(&p), &Overrides::default())
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("line 2") && e.contains("unknown field `lisen`"),
            "{e}"
        );
        let (_d, p) = write("[session]\nidle_minutes = 0\n");
        let e = settings(Some(&p), &Overrides::default())
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("line 2, key session.idle_minutes: must lie between 1 and 1440"),
            "{e}"
        );
        let (_d, p) = write("demo = \"ja\"\n");
        let e = settings(Some(&p), &Overrides::default())
            .unwrap_err()
            .to_string();
        assert!(e.contains("line 1"), "{e}");
    }

    #[test]
    fn the_command_line_wins_over_the_file() {
        let (_d, p) = write("listen = \"0.0.0.0:9000\"\ndemo = false\n");
        let o = Overrides {
            listen: Some("127.0.0.1:7000".into()),
            ..Default::default()
        };
        let s = settings(Some(&p), &o).unwrap();
        assert_eq!((s.listen.port(), s.demo), (7000, Some(false)));
    }

    #[test]
    fn the_municipality_word_list_is_read_and_checked_at_start() {
        let dir = tempfile::tempdir().unwrap();
        let list = dir.path().join("woorden.tsv");
        std::fs::write(
            &list,
            "klantmanager\tuw contactpersoon\tUw contactpersoon belt u.\n",
        )
        .unwrap();
        let (_d, p) = write(&format!(
            "taal_woorden = {:?}\n",
            list.display().to_string()
        ));
        let s = settings(Some(&p), &Overrides::default()).unwrap();
        let words = s.formal_words.unwrap();
        assert!(words.lookup(&["klantmanager"]).is_some());
        assert!(
            words.lookup(&["derhalve"]).is_some(),
            "the shipped list stays"
        );

        std::fs::write(&list, "goed\tbeter\tDit is beter.\nkapot\n").unwrap();
        let e = settings(Some(&p), &Overrides::default())
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("line 1, key taal_woorden") && e.contains("line 2: expected three fields"),
            "{e}"
        );
        let (_d, p) = write("taal_woorden = \"/bestaat/niet.tsv\"\n");
        let e = settings(Some(&p), &Overrides::default())
            .unwrap_err()
            .to_string();
        assert!(e.contains("cannot read /bestaat/niet.tsv"), "{e}");
    }
}
