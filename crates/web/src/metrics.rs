//! Prometheus metrics: requests by route and status, their duration, and
//! logins by outcome. Labels never carry personal data (routes are the
//! patterns, like /werk/inwoner/{id}, not the paths).

use prometheus_client::encoding::EncodeLabelSet;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::histogram::Histogram;
use prometheus_client::registry::Registry;

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct RequestLabels {
    pub method: String,
    pub route: String,
    pub status: u16,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct RouteLabels {
    pub route: String,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct LoginLabels {
    pub kind: &'static str,
    pub outcome: &'static str,
}

pub struct Metrics {
    pub registry: Registry,
    pub requests: Family<RequestLabels, Counter>,
    pub durations: Family<RouteLabels, Histogram>,
    pub logins: Family<LoginLabels, Counter>,
}

fn duration_histogram() -> Histogram {
    Histogram::new([0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0])
}

impl Metrics {
    pub fn new() -> Metrics {
        let mut registry = Registry::with_prefix("wegwijs");
        let requests = Family::<RequestLabels, Counter>::default();
        let durations = Family::<RouteLabels, Histogram>::new_with_constructor(
            duration_histogram as fn() -> Histogram,
        );
        let logins = Family::<LoginLabels, Counter>::default();
        registry.register("http_requests", "HTTP requests handled", requests.clone());
        registry.register(
            "http_request_duration_seconds",
            "Time to answer HTTP requests",
            durations.clone(),
        );
        registry.register(
            "logins",
            "Login attempts by kind and outcome",
            logins.clone(),
        );
        Metrics {
            registry,
            requests,
            durations,
            logins,
        }
    }

    pub fn login(&self, kind: &'static str, outcome: &'static str) {
        self.logins
            .get_or_create(&LoginLabels { kind, outcome })
            .inc();
    }
}
