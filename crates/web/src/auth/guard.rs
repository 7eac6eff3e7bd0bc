//! What keeps a flood of logins from taking the server down: password
//! hashing bounded to the machine's cores with a short queue (Argon2 takes
//! 19 MiB and a core's worth of time per hash), and the client's address,
//! by which failed logins are counted.

use axum::extract::{ConnectInfo, FromRequestParts};
use axum::http::request::Parts;
use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::sync::atomic::{AtomicUsize, Ordering};
use tokio::sync::Semaphore;

/// Hashes at most `parallel` passwords at a time; `queue` more may wait.
/// Beyond that a login is answered at once with "try again shortly".
pub struct HashGate {
    running: Semaphore,
    admitted: AtomicUsize,
    limit: usize,
}

/// The gate was full.
#[derive(Debug)]
pub struct Busy;

impl HashGate {
    pub fn new(parallel: usize, queue: usize) -> HashGate {
        HashGate {
            running: Semaphore::new(parallel.max(1)),
            admitted: AtomicUsize::new(0),
            limit: parallel.max(1) + queue,
        }
    }

    /// One hash at a time per core, a queue of four per core.
    pub fn for_this_machine() -> HashGate {
        let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
        HashGate::new(cores, 4 * cores)
    }

    /// Runs `work` on a blocking thread once a core is free, or says the
    /// gate is full. A request that goes away while waiting gives its
    /// place up.
    pub async fn run<T, F>(&self, work: F) -> Result<T, Busy>
    where
        F: FnOnce() -> T + Send + 'static,
        T: Send + 'static,
    {
        let _place = Admitted::enter(self).ok_or(Busy)?;
        let _core = self.running.acquire().await.map_err(|_| Busy)?;
        tokio::task::spawn_blocking(work).await.map_err(|_| Busy)
    }
}

/// A place in the gate, given back when dropped.
struct Admitted<'a>(&'a AtomicUsize);

impl<'a> Admitted<'a> {
    fn enter(gate: &'a HashGate) -> Option<Admitted<'a>> {
        gate.admitted
            .fetch_update(Ordering::AcqRel, Ordering::Acquire, |n| {
                (n < gate.limit).then_some(n + 1)
            })
            .ok()
            .map(|_| Admitted(&gate.admitted))
    }
}

impl Drop for Admitted<'_> {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::AcqRel);
    }
}

/// The client's address: the connection's peer, or, when that peer is a
/// trusted proxy (`trusted_proxies`), the address it forwarded: the
/// right-most entry of X-Forwarded-For that is not itself a trusted proxy.
/// A header from anyone else is ignored, so it cannot be forged.
pub struct ClientAddr(pub IpAddr);

impl FromRequestParts<crate::state::AppState> for ClientAddr {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &crate::state::AppState,
    ) -> Result<Self, Self::Rejection> {
        let peer = parts
            .extensions
            .get::<ConnectInfo<SocketAddr>>()
            .map_or(IpAddr::V4(Ipv4Addr::UNSPECIFIED), |c| c.0.ip());
        Ok(ClientAddr(client_address(
            peer,
            &parts.headers,
            &state.config.trusted_proxies,
        )))
    }
}

fn client_address(peer: IpAddr, headers: &axum::http::HeaderMap, trusted: &[IpAddr]) -> IpAddr {
    if !trusted.contains(&peer) {
        return peer;
    }
    let mut client = peer;
    let forwarded = headers
        .get_all("x-forwarded-for")
        .iter()
        .filter_map(|h| h.to_str().ok())
        .flat_map(|h| h.split(','))
        .collect::<Vec<_>>();
    for hop in forwarded.iter().rev() {
        match hop.trim().parse::<IpAddr>() {
            Ok(ip) => {
                client = ip;
                if !trusted.contains(&ip) {
                    break;
                }
            }
            // Garbage in the chain: trust nothing to the left of it.
            Err(_) => break,
        }
    }
    client
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use axum::http::HeaderMap;

    fn ip(s: &str) -> IpAddr {
        s.parse().unwrap()
    }

    fn headers(xff: &[&str]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for v in xff {
            h.append("x-forwarded-for", v.parse().unwrap());
        }
        h
    }

    #[test]
    fn the_forwarded_address_counts_only_from_a_trusted_proxy() {
        let proxy = [ip("10.0.0.1")];
        let h = headers(&["203.0.113.9"]);
        assert_eq!(
            client_address(ip("10.0.0.1"), &h, &proxy),
            ip("203.0.113.9")
        );
        // Anyone else's header is ignored.
        assert_eq!(
            client_address(ip("198.51.100.4"), &h, &proxy),
            ip("198.51.100.4")
        );
        assert_eq!(client_address(ip("10.0.0.1"), &h, &[]), ip("10.0.0.1"));
        // Without the header, the proxy itself.
        assert_eq!(
            client_address(ip("10.0.0.1"), &headers(&[]), &proxy),
            ip("10.0.0.1")
        );
    }

    #[test]
    fn a_forged_left_part_of_the_chain_is_not_believed() {
        let proxies = [ip("10.0.0.1"), ip("10.0.0.2")];
        // The client sent "1.2.3.4" itself; the proxies appended the rest.
        let h = headers(&["1.2.3.4, 203.0.113.9, 10.0.0.2"]);
        assert_eq!(
            client_address(ip("10.0.0.1"), &h, &proxies),
            ip("203.0.113.9")
        );
        let h = headers(&["1.2.3.4", "203.0.113.9"]);
        assert_eq!(
            client_address(ip("10.0.0.1"), &h, &proxies),
            ip("203.0.113.9")
        );
        let h = headers(&["203.0.113.9, garbage, 10.0.0.2"]);
        assert_eq!(client_address(ip("10.0.0.1"), &h, &proxies), ip("10.0.0.2"));
    }

    #[tokio::test]
    async fn the_gate_runs_a_few_at_a_time_and_turns_the_rest_away() {
        let gate = std::sync::Arc::new(HashGate::new(1, 1));
        let (release, wait) = std::sync::mpsc::channel::<()>();
        let wait = std::sync::Arc::new(std::sync::Mutex::new(wait));
        let hold =
            |gate: std::sync::Arc<HashGate>,
             wait: std::sync::Arc<std::sync::Mutex<std::sync::mpsc::Receiver<()>>>| {
                tokio::spawn(async move {
                    gate.run(move || {
                        let _ = wait.lock().unwrap().recv();
                    })
                    .await
                })
            };
        let first = hold(gate.clone(), wait.clone());
        let second = hold(gate.clone(), wait.clone());
        // Both admitted (one running, one queued): a third is turned away.
        while gate.admitted.load(Ordering::Acquire) < 2 {
            tokio::task::yield_now().await;
        }
        assert!(gate.run(|| ()).await.is_err());
        release.send(()).unwrap();
        release.send(()).unwrap();
        assert!(first.await.unwrap().is_ok());
        assert!(second.await.unwrap().is_ok());
        // Places are given back.
        assert!(gate.run(|| ()).await.is_ok());
    }
}
