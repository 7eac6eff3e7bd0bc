//! How the axe walk moves: a step (go somewhere, submit a form), where it
//! must land, the role's walk (its written steps and every page the router
//! declares), and running a step in the browser.

use super::{Driver, TestApp};
use serde_json::json;
/// A step on a page: go somewhere, or submit a form with values.
pub(super) enum Step {
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
    /// On the page the last step left open, choose every radio button
    /// with this value, then submit.
    AnswerAll {
        value: &'static str,
        button: &'static str,
    },
    /// Like Submit, with radio buttons or boxes chosen first.
    Choose {
        page: String,
        clicks: Vec<&'static str>,
        fields: Vec<(&'static str, &'static str)>,
        button: &'static str,
    },
    /// A step that lands elsewhere than [`Step::lands`] assumes.
    Landing {
        step: Box<Step>,
        lands: Lands,
    },
}

/// Where a step must leave the browser: on a page with this path (not an
/// error page), or on an error page.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) enum Lands {
    /// A path; `*` stands for one segment (an id made on the way).
    Page(String),
    Error,
}

impl Lands {
    pub(super) fn fits(&self, actual: &Lands) -> bool {
        match (self, actual) {
            (Lands::Page(want), Lands::Page(got)) => {
                let (w, g): (Vec<&str>, Vec<&str>) =
                    (want.split('/').collect(), got.split('/').collect());
                w.len() == g.len() && w.iter().zip(&g).all(|(w, g)| *w == "*" || w == g)
            }
            (Lands::Error, Lands::Error) => true,
            _ => false,
        }
    }
}

/// The path of a URL, without the site and the query.
fn path_of(url: &str) -> String {
    let rest = url.split_once("://").map_or(url, |(_, r)| r);
    let path = rest.find('/').map_or("/", |i| &rest[i..]);
    path.split(['?', '#']).next().unwrap_or("/").to_string()
}

impl Step {
    /// This step lands on `path` (a form that sends one elsewhere, a
    /// redirect).
    pub(super) fn to(self, path: impl Into<String>) -> Step {
        Step::Landing {
            step: Box::new(self),
            lands: Lands::Page(path.into()),
        }
    }

    /// This step shows an error page, on purpose.
    pub(super) fn error(self) -> Step {
        Step::Landing {
            step: Box::new(self),
            lands: Lands::Error,
        }
    }

    /// Where the step lands: what it says, else the page it goes to (the
    /// language switch: the page it returns to), else the form's own page
    /// (a refused form shows itself again). A step on the page the last
    /// one left must say where it lands.
    pub(super) fn lands(&self) -> Option<Lands> {
        match self {
            Step::Landing { lands, .. } => Some(lands.clone()),
            Step::Go(url) => {
                let back = url.split_once("terug=").map(|(_, b)| b.to_string());
                match back {
                    Some(b) if url.contains("/taal/") => Some(Lands::Page(path_of(&b))),
                    _ => Some(Lands::Page(path_of(url))),
                }
            }
            Step::Submit { page, .. } | Step::Upload { page, .. } | Step::Choose { page, .. } => {
                Some(Lands::Page(path_of(page)))
            }
            Step::Then { .. } | Step::AnswerAll { .. } => None,
        }
    }
}

/// The role's written steps, then every page of the router (`Routes::page`)
/// the policy lets the role open that no step goes to: a new page is walked
/// without a line here. Returns the steps and how many were written.
pub(super) fn walk(app: &TestApp, role: &str, rated: i64) -> (Vec<Step>, usize) {
    let mut all = super::steps::steps(app, role, rated);
    let written = all.len();
    let actor = crate::harness::actor_of(role);
    for route in wegwijs_web::route_list() {
        let Some(capability) = route.page_for else {
            continue;
        };
        let allowed = actor
            .as_ref()
            .is_some_and(|a| wegwijs_domain::policy::may(a, capability));
        let visited = all
            .iter()
            .any(|s| matches!(s, Step::Go(url) if path_of(url) == route.path));
        if allowed && !visited {
            all.push(Step::Go(format!("{}{}", app.base, route.path)));
        }
    }
    (all, written)
}

/// Where the browser is: the path, and whether it shows an error page.
pub(super) async fn landed(d: &Driver) -> Lands {
    let error = d
        .script("return document.querySelector('h1[data-fout]') !== null;")
        .await;
    if error.as_bool() == Some(true) {
        Lands::Error
    } else {
        Lands::Page(path_of(&d.url().await))
    }
}

pub(super) async fn run_step(d: &Driver, step: &Step) {
    match step {
        Step::Landing { step, .. } => Box::pin(run_step(d, step)).await,
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
        Step::AnswerAll { value, button } => {
            let script = format!(
                "const r = document.querySelectorAll('input[type=radio][value=\"{value}\"]'); r.forEach(x => x.click()); return r.length;"
            );
            let clicked = d.script(&script).await;
            assert!(
                clicked.as_i64().unwrap_or(0) > 0,
                "no answer {value} on {}",
                d.url().await
            );
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
