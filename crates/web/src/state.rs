//! What every request can reach.

use crate::i18n::I18n;
use crate::metrics::Metrics;
use crate::templates;
use minijinja::Environment;
use std::sync::Arc;
use wegwijs_domain::Clock;
use wegwijs_store::Store;
use wegwijs_store::sessions::Lifetimes;
use wegwijs_taal::{FormalWords, Format, Report};

/// Settings of the web app, from the configuration.
#[derive(Clone, Debug)]
pub struct WebConfig {
    /// Demo mode: banner on every page, the mock DigiD login allowed.
    pub demo: bool,
    /// The address people use to reach the app, e.g. https://wegwijs.gemeente.nl.
    pub public_url: String,
    pub session: Lifetimes,
    /// Resident login through an OpenID Connect broker (DigiD). In demo mode
    /// without one, the built-in demo provider is used.
    pub oidc: Option<OidcConfig>,
    /// The formal words the schrijfhulp knows: the shipped list with the
    /// municipality's own added (`taal_woorden`); None for the shipped one.
    pub formal_words: Option<Arc<FormalWords>>,
    /// What the laws say about a household, in plain Dutch; None when the
    /// laws are not loaded (the overview then shows no explanation).
    pub explainer: Option<SharedExplainer>,
    /// How long a form posted twice at once waits for the first post to
    /// finish before saying it is still being handled.
    pub form_wait: std::time::Duration,
    /// Reverse proxies whose X-Forwarded-For names the client (for
    /// counting failed logins per address); empty: the connection's peer.
    pub trusted_proxies: Vec<std::net::IpAddr>,
    /// The token a scraper sends (`Authorization: Bearer ...`) for
    /// `/metrics` on the app's own address; without one `/metrics` is
    /// there only on the separate address `serve` may listen on
    /// ([`crate::metrics_router`]).
    pub metrics_token: Option<String>,
}

/// Explains a lead to the resident: the rules engine lives outside the web
/// crate, and `serve` hands one in.
pub trait Explainer: Send + Sync {
    /// The resident's explanation of `law` (its `$id`) for their household
    /// on `date`, as plain text lines ("- " starts a list item); None when
    /// the laws cannot say.
    fn explain(
        &self,
        household: &wegwijs_domain::household::HouseholdFacts,
        law: &str,
        date: time::Date,
    ) -> Option<String>;

    /// The names of the laws the scan computes (marked discoverable), for
    /// the algorithm register.
    fn scanned_laws(&self) -> Vec<String> {
        Vec::new()
    }
}

#[derive(Clone)]
pub struct SharedExplainer(pub Arc<dyn Explainer>);

impl std::fmt::Debug for SharedExplainer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Explainer")
    }
}

#[derive(Clone, Debug)]
pub struct OidcConfig {
    /// The provider's issuer URL; its endpoints are found by discovery.
    pub issuer: String,
    pub client_id: String,
    pub client_secret: String,
    /// The ID token claim that holds the BSN ("sub" when the broker puts it
    /// in the subject).
    pub bsn_claim: String,
}

impl WebConfig {
    /// Cookies get the Secure flag whenever the app is served over HTTPS.
    pub fn secure_cookies(&self) -> bool {
        self.public_url.starts_with("https://")
    }
}

#[derive(Clone)]
pub struct AppState(Arc<Inner>);

pub struct Inner {
    pub store: Store,
    pub clock: Arc<dyn Clock>,
    pub i18n: Arc<I18n>,
    pub templates: Environment<'static>,
    pub config: WebConfig,
    pub metrics: Metrics,
    /// HTTP client for the OIDC provider; never follows redirects.
    pub http: openidconnect::reqwest::Client,
    /// Per-process secret of the demo DigiD provider (client secret and code
    /// seal). Demo mode runs as one instance.
    pub demo_secret: String,
    /// Password hashing, a few at a time (see [`crate::auth::HashGate`]).
    pub hashing: crate::auth::HashGate,
}

/// Why the app cannot start; each is a build or machine defect, not a
/// setting.
#[derive(Debug, thiserror::Error)]
pub enum StartError {
    #[error(transparent)]
    Messages(#[from] crate::i18n::I18nError),
    #[error(transparent)]
    Templates(#[from] crate::templates::TemplateError),
    #[error("HTTP client: {0}")]
    Http(#[from] openidconnect::reqwest::Error),
}

impl AppState {
    pub fn new(
        store: Store,
        clock: Arc<dyn Clock>,
        config: WebConfig,
    ) -> Result<AppState, StartError> {
        let i18n = Arc::new(I18n::new()?);
        let templates = templates::environment(i18n.clone())?;
        let http = openidconnect::reqwest::ClientBuilder::new()
            .redirect(openidconnect::reqwest::redirect::Policy::none())
            .timeout(std::time::Duration::from_secs(10))
            .build()?;
        let demo_secret = crate::tokens::new_token();
        Ok(AppState(Arc::new(Inner {
            store,
            clock,
            i18n,
            templates,
            config,
            metrics: Metrics::new(),
            http,
            demo_secret,
            hashing: crate::auth::HashGate::for_this_machine(),
        })))
    }

    /// Seconds since the epoch, from the injected clock.
    pub fn now(&self) -> i64 {
        self.0.clock.now().unix_timestamp()
    }

    /// A text checked for plain language with this app's list of formal words.
    pub fn taal_check(&self, text: &str, format: Format) -> Report {
        let words = match &self.0.config.formal_words {
            Some(own) => own,
            None => FormalWords::builtin(),
        };
        wegwijs_taal::check_with(text, format, words)
    }

    /// Today in the Netherlands, from the injected clock.
    pub fn today(&self) -> time::Date {
        self.0.clock.today()
    }
}

impl std::ops::Deref for AppState {
    type Target = Inner;
    fn deref(&self) -> &Inner {
        &self.0
    }
}
