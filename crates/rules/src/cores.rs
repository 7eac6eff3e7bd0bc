//! Work spread over the machine's cores: one thread per part, in order.

/// How many threads to use: `WEGWIJS_THREADS` when set to a number (to
/// leave cores to other work, or to measure one core), else every core.
pub(crate) fn count() -> usize {
    std::env::var("WEGWIJS_THREADS")
        .ok()
        .and_then(|n| n.parse::<usize>().ok())
        .filter(|n| *n > 0)
        .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()))
}

/// `f(0)` .. `f(n - 1)`, each on a thread of its own (no thread for one),
/// the results in order; a part whose thread panicked gives `None`.
pub(crate) fn each<T: Send>(n: usize, f: impl Fn(usize) -> Option<T> + Sync) -> Vec<Option<T>> {
    if n <= 1 {
        return vec![f(0)];
    }
    std::thread::scope(|s| {
        let f = &f;
        let handles: Vec<_> = (0..n).map(|k| s.spawn(move || f(k))).collect();
        handles
            .into_iter()
            .map(|h| h.join().ok().flatten())
            .collect()
    })
}
