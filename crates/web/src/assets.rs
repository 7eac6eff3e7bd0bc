//! The static files (our stylesheet, two scripts and the icon), embedded. Pages link
//! each with its content's hash (`/static/wegwijs.css?v=…`), so a browser
//! may keep it for a year and still fetches a new release at once.

use sha2::{Digest, Sha256};
use std::sync::LazyLock;

pub struct Asset {
    pub name: &'static str,
    pub mime: &'static str,
    pub body: &'static str,
}

const ASSETS: [Asset; 4] = [
    Asset {
        name: "wegwijs.css",
        mime: "text/css; charset=utf-8",
        body: include_str!("../static/wegwijs.css"),
    },
    Asset {
        name: "sessie.js",
        mime: "text/javascript; charset=utf-8",
        body: include_str!("../static/sessie.js"),
    },
    Asset {
        name: "schrijfhulp.js",
        mime: "text/javascript; charset=utf-8",
        body: include_str!("../static/schrijfhulp.js"),
    },
    Asset {
        name: "favicon.svg",
        mime: "image/svg+xml",
        body: include_str!("../static/favicon.svg"),
    },
];

/// Each asset's version: the first 16 hex digits of its SHA-256.
static VERSIONS: LazyLock<Vec<String>> = LazyLock::new(|| {
    ASSETS
        .iter()
        .map(|a| hex::encode(&Sha256::digest(a.body.as_bytes())[..8]))
        .collect()
});

/// The asset and its version.
pub fn find(name: &str) -> Option<(&'static Asset, &'static str)> {
    let i = ASSETS.iter().position(|a| a.name == name)?;
    Some((&ASSETS[i], VERSIONS[i].as_str()))
}

/// The link to an asset, with its version; an unknown name links to the
/// bare path (a 404 that a test of the page would show).
pub fn href(name: &str) -> String {
    match find(name) {
        Some((_, version)) => format!("/static/{name}?v={version}"),
        None => format!("/static/{name}"),
    }
}
