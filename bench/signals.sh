#!/usr/bin/env bash
# Signal intake benchmark; medians of RUNS runs (default 3). Rerun: bench/signals.sh
#  - imports SIGNALS signals (default 1,100,000: a national year) against a PERSONS-person
#    register (default 1,000,000) into SQLite, with validation, matching and combining;
#    wall time and peak memory (RSS) of the whole command
#  - the peer: sqlite3's `.import --csv` of the same CSV into an unindexed table
#  - SCALE="100000 1000000 10000000" also times those signal counts (one run each)
# Needs the sqlite3 shell for the peer figure (apt-get install sqlite3).
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS=${RUNS:-3}
PERSONS=${PERSONS:-1000000}
SIGNALS=${SIGNALS:-1100000}
cargo build --release -q
bin=$PWD/target/release/wegwijs
# The production databases these runs make need an audit key (see the README).
export WEGWIJS_AUDIT_KEY=${WEGWIJS_AUDIT_KEY:-$(printf '%064x' 0)}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
median() { sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }

echo "preparing: $PERSONS persons, $SIGNALS signals, a register database"
"$bin" demo generate --persons "$PERSONS" --signals "$SIGNALS" --out "$work/gen" >/dev/null
"$bin" --data-dir "$work/base" orgs create --name "Gemeente Wegwijzerveen" --kind gemeente >/dev/null
"$bin" --data-dir "$work/base" persons import "$work/gen/personen.csv" >/dev/null

# $1: signals CSV; prints "seconds peak-KB"
import_once() {
  rm -rf "$work/run"; cp -r "$work/base" "$work/run"
  # The copy's own writes must reach the disk first, or the import's
  # fsync would pay for them.
  sync
  /usr/bin/time -f "%e %M" -o "$work/time" "$bin" --data-dir "$work/run" signals import "$1" >/dev/null
  cat "$work/time"
}

echo "signals import of $SIGNALS signals ($RUNS runs)"
for i in $(seq "$RUNS"); do import_once "$work/gen/signalen.csv"; done | tee "$work/imp" | sed 's/^/  s, KB: /'
imp=$(cut -d' ' -f1 < "$work/imp" | median)
echo "  median: $imp s; peak RSS median $(cut -d' ' -f2 < "$work/imp" | median) KB"

if command -v sqlite3 >/dev/null; then
  echo "peer: sqlite3 .import --csv into an unindexed table ($RUNS runs)"
  for i in $(seq "$RUNS"); do
    rm -f "$work/raw.db"
    s=$(date +%s%N); sqlite3 "$work/raw.db" ".import --csv $work/gen/signalen.csv signalen"; e=$(date +%s%N)
    echo "scale=2; ($e - $s) / 1000000000" | bc
  done | tee "$work/raw" | sed 's/^/  s: /'
  raw=$(median < "$work/raw")
  # sqlite3 reads and writes on one thread; the import checks and matches on
  # one while SQLite writes on a second, and also links, scores and indexes.
  echo "  median: $raw s; time ratio wegwijs (2 threads: checking beside writing; matched, scored, indexed) / sqlite3 (one thread, raw rows): $(echo "scale=2; $imp / $raw" | bc)"
fi

for n in ${SCALE:-}; do
  "$bin" demo generate --persons "$PERSONS" --signals "$n" --seed 2 --out "$work/scale" >/dev/null
  echo "scale: $n signals: $(import_once "$work/scale/signalen.csv") (s, KB)"
done
