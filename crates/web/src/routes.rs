//! What a feature folder's `routes()` returns: its axum routes, and beside
//! them the list of what they register (method and path) and the menu
//! entries they add. The app merges them (`crate::router`); the menu, the
//! access-matrix test and the browser walk read the lists, so a new page
//! needs no line in a hand-kept list elsewhere.

use crate::state::AppState;
use axum::Router;
use axum::handler::Handler;
use axum::http::Method;
use axum::routing::{MethodRouter, get, post};
use wegwijs_domain::policy::Capability;

/// One method on one path, as the router has it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RouteInfo {
    pub method: &'static str,
    /// The pattern, e.g. `/werk/inwoner/{id}`.
    pub path: &'static str,
    /// Served outside the session and CSRF layer (health checks, the
    /// partner API, which carries its own authentication).
    pub bare: bool,
    /// A page that whoever the policy allows this capability may open, and
    /// nobody else (see [`Routes::page`]): the access-matrix test and the
    /// browser walk try it for every role without a line of their own.
    pub page_for: Option<Capability>,
    /// A POST that creates something: its forms carry a one-time token
    /// (`once_field()`), so a second post shows the first one's result
    /// (see [`Routes::once`]; the browser walk checks every such form).
    pub once: bool,
}

/// A menu entry, shown to whoever the policy allows `capability`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct NavEntry {
    pub capability: Capability,
    pub href: &'static str,
    /// The message key of its label.
    pub label: &'static str,
    /// Place in the menu, lowest first: staff work 10–29, team 30–39,
    /// admin 40–59, privacy 60–69, own development 70–89, tools 90–99,
    /// the resident's portal 100–.
    pub order: u16,
}

pub struct Routes {
    bare: bool,
    paths: Vec<(&'static str, MethodRouter<AppState>)>,
    list: Vec<RouteInfo>,
    nav: Vec<NavEntry>,
}

impl Routes {
    /// Routes behind the visitor layer: session, language, CSRF check,
    /// error pages.
    pub fn new() -> Routes {
        Routes {
            bare: false,
            paths: Vec::new(),
            list: Vec::new(),
            nav: Vec::new(),
        }
    }

    /// Routes outside the visitor layer.
    pub fn bare() -> Routes {
        Routes {
            bare: true,
            ..Routes::new()
        }
    }

    pub fn get<H: Handler<T, AppState>, T: 'static>(self, path: &'static str, h: H) -> Routes {
        self.method(path, Method::GET, get(h))
    }

    /// A page without parameters whose handler asks `Visitor::require`
    /// for exactly `capability` and nothing else: the tests derive who may
    /// open it from the policy.
    pub fn page<H: Handler<T, AppState>, T: 'static>(
        mut self,
        path: &'static str,
        capability: Capability,
        h: H,
    ) -> Routes {
        self = self.method(path, Method::GET, get(h));
        if let Some(last) = self.list.last_mut() {
            last.page_for = Some(capability);
        }
        self
    }

    pub fn post<H: Handler<T, AppState>, T: 'static>(self, path: &'static str, h: H) -> Routes {
        self.method(path, Method::POST, post(h))
    }

    /// Marks the route just added as one that creates something, sent once
    /// (see [`RouteInfo::once`]).
    pub fn once(mut self) -> Routes {
        if let Some(last) = self.list.last_mut() {
            last.once = true;
        }
        self
    }

    /// A method with its own `MethodRouter`, e.g. one with a layer of its
    /// own such as a larger body limit.
    pub fn method(
        mut self,
        path: &'static str,
        method: Method,
        route: MethodRouter<AppState>,
    ) -> Routes {
        self.list.push(RouteInfo {
            method: method_name(&method),
            path,
            bare: self.bare,
            page_for: None,
            once: false,
        });
        match self.paths.iter_mut().find(|(p, _)| *p == path) {
            Some((_, existing)) => {
                let before = std::mem::take(existing);
                *existing = before.merge(route);
            }
            None => self.paths.push((path, route)),
        }
        self
    }

    /// Adds a menu entry (see [`NavEntry::order`]).
    pub fn nav(
        mut self,
        capability: Capability,
        href: &'static str,
        label: &'static str,
        order: u16,
    ) -> Routes {
        self.nav.push(NavEntry {
            capability,
            href,
            label,
            order,
        });
        self
    }

    /// Puts a layer around every route added so far.
    pub fn layer<L>(mut self, layer: L) -> Routes
    where
        L: tower::Layer<axum::routing::Route> + Clone + Send + Sync + 'static,
        L::Service: tower::Service<axum::extract::Request, Error = std::convert::Infallible>
            + Clone
            + Send
            + Sync
            + 'static,
        <L::Service as tower::Service<axum::extract::Request>>::Response:
            axum::response::IntoResponse + 'static,
        <L::Service as tower::Service<axum::extract::Request>>::Future: Send + 'static,
    {
        self.paths = self
            .paths
            .into_iter()
            .map(|(p, r)| (p, r.layer(layer.clone())))
            .collect();
        self
    }

    pub fn merge(mut self, other: Routes) -> Routes {
        for info in &other.list {
            assert!(
                !self.list.contains(info),
                "{} {} is registered twice",
                info.method,
                info.path
            );
        }
        self.list.extend(other.list);
        self.nav.extend(other.nav);
        for (path, route) in other.paths {
            match self.paths.iter_mut().find(|(p, _)| *p == path) {
                Some((_, existing)) => {
                    let before = std::mem::take(existing);
                    *existing = before.merge(route);
                }
                None => self.paths.push((path, route)),
            }
        }
        self
    }

    pub fn list(&self) -> &[RouteInfo] {
        &self.list
    }

    /// The menu, in its order.
    pub fn menu(&self) -> Vec<NavEntry> {
        let mut nav = self.nav.clone();
        nav.sort_by_key(|n| n.order);
        nav
    }

    pub fn into_router(self) -> Router<AppState> {
        self.paths
            .into_iter()
            .fold(Router::new(), |r, (path, route)| r.route(path, route))
    }
}

impl Default for Routes {
    fn default() -> Routes {
        Routes::new()
    }
}

fn method_name(m: &Method) -> &'static str {
    match *m {
        Method::GET => "GET",
        Method::POST => "POST",
        Method::PUT => "PUT",
        Method::DELETE => "DELETE",
        Method::PATCH => "PATCH",
        _ => "OTHER",
    }
}
