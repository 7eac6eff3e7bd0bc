#!/usr/bin/env bash
# Foundation benchmarks; medians of RUNS runs (default 5). Rerun: bench/foundation.sh
#  - demo generate --persons 1000000 (target: well under a minute on 2 cores)
#  - persons import of that file into SQLite
#  - cold start of serve until /readyz answers: first start (new data dir, demo seeding)
#    and restart (existing data dir)
#  - resident memory (RSS) of serve at idle, 10 s after it is ready
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS=${RUNS:-5}
PERSONS=${PERSONS:-1000000}
PORT=${PORT:-18080}
cargo build --release -q
bin=target/release/wegwijs
# The production databases these runs make need an audit key (see the README).
export WEGWIJS_AUDIT_KEY=${WEGWIJS_AUDIT_KEY:-$(printf '%064x' 0)}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
median() { sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }
now_ms() { date +%s%3N; }

echo "demo generate --persons $PERSONS ($RUNS runs)"
for i in $(seq "$RUNS"); do
  s=$(now_ms); "$bin" demo generate --persons "$PERSONS" --seed 1 --out "$work/gen" >/dev/null; e=$(now_ms)
  echo $((e - s))
done | tee "$work/gen.ms" | sed 's/^/  ms: /'
echo "  median: $(median < "$work/gen.ms") ms; $(du -h "$work/gen/personen.csv" | cut -f1) of CSV"

echo "persons import of $PERSONS persons into a new SQLite database (3 runs)"
for i in 1 2 3; do
  rm -rf "$work/imp"
  s=$(now_ms); "$bin" --data-dir "$work/imp" persons import "$work/gen/personen.csv" >/dev/null; e=$(now_ms)
  echo $((e - s))
done | tee "$work/imp.ms" | sed 's/^/  ms: /'
echo "  median: $(median < "$work/imp.ms") ms"

wait_ready() { for _ in $(seq 1 6000); do curl -sf "http://127.0.0.1:$PORT/readyz" >/dev/null 2>&1 && return 0; sleep 0.01; done; return 1; }
start_once() { # $1 data dir; prints ms until ready, leaves pid in $work/pid
  s=$(now_ms)
  "$bin" --data-dir "$1" serve --listen "127.0.0.1:$PORT" >/dev/null 2>&1 & echo $! > "$work/pid"
  wait_ready; e=$(now_ms); echo $((e - s))
}
stop() { kill "$(cat "$work/pid")"; wait "$(cat "$work/pid")" 2>/dev/null || true; }

echo "serve, first start on a new data dir with demo seeding of 5000 persons ($RUNS runs)"
for i in $(seq "$RUNS"); do rm -rf "$work/d"; start_once "$work/d"; stop; done | tee "$work/first.ms" | sed 's/^/  ms: /'
echo "  median: $(median < "$work/first.ms") ms"
echo "serve, restart on an existing data dir ($RUNS runs)"
for i in $(seq "$RUNS"); do start_once "$work/d"; stop; done | tee "$work/warm.ms" | sed 's/^/  ms: /'
echo "  median: $(median < "$work/warm.ms") ms"

echo "serve, memory at idle (RSS 10 s after ready; 3 runs)"
for i in 1 2 3; do
  start_once "$work/d" >/dev/null; sleep 10
  grep VmRSS "/proc/$(cat "$work/pid")/status" | awk '{print $2}'
  stop
done | tee "$work/rss.kb" | sed 's/^/  kB: /'
echo "  median: $(median < "$work/rss.kb") kB"
