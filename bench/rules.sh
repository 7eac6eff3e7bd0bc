#!/usr/bin/env bash
# Rules engine benchmark; medians of RUNS runs (default 5). Rerun: bench/rules.sh
#  - end to end, as a user runs it: `wegwijs rules eval` of zorgtoeslag 2025 over a ROWS-row
#    CSV (default 1,000,000) to a CSV; beside it OpenFisca-core (from PyPI, with pandas, in a
#    throwaway virtualenv) computing the same formula from the same CSV to a CSV
#  - the calculation alone (columns in memory): the engine against a hand-written Rust loop and
#    against OpenFisca's numpy calculation; the scan's laws over ROWS households; explaining one
#    resident (cargo bench -p wegwijs-rules --bench rules)
#  - the full proactive scan, as the operator runs it: `wegwijs rules scan` over a register of
#    SCAN_PERSONS persons (default 2,170,000: about a million households) in SQLite, and with
#    --open-work (the findings onto the worklist) on a fresh copy each run; SCAN_PERSONS=0 skips it
# OPENFISCA_VENV=DIR reuses a virtualenv instead of making a new one.
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS=${RUNS:-5}
ROWS=${ROWS:-1000000}
SCAN_PERSONS=${SCAN_PERSONS:-2170000}
cargo build --release -q -p wegwijs
bin=$PWD/target/release/wegwijs
# The production databases these runs make need an audit key (see the README).
export WEGWIJS_AUDIT_KEY=${WEGWIJS_AUDIT_KEY:-$(printf '%064x' 0)}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
median() { sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }
now() { date +%s%N; }
secs() { echo "scale=3; ($2 - $1) / 1000000000" | bc; }

venv=${OPENFISCA_VENV:-$work/venv}
if [ ! -x "$venv/bin/python" ]; then
  echo "installing openfisca-core and pandas from PyPI into $venv"
  python3 -m venv "$venv"
  "$venv/bin/pip" install -q openfisca-core pandas
fi
echo "OpenFisca: $("$venv/bin/pip" show openfisca-core | sed -n 's/^Version: //p'), numpy $("$venv/bin/python" -c 'import numpy; print(numpy.__version__)')"

echo "preparing $ROWS rows"
python3 - "$ROWS" "$work/in.csv" <<'PY'
import random, sys
random.seed(1)
n = int(sys.argv[1])
with open(sys.argv[2], "w") as f:
    f.write("id,toetsingsinkomen,heeft_toeslagpartner,is_verzekerde,partner_is_verzekerde,vermogen\n")
    r, ri = random.random, random.randrange
    for i in range(n):
        p = r() < 0.45
        f.write(f"{i},{ri(0, 8000000)},{'true' if p else 'false'},{'true' if r() < 0.98 else 'false'},"
                f"{'true' if p and r() < 0.95 else 'false'},{ri(0, 20000000) if r() < 0.3 else 0}\n")
PY
sync

cores=$(nproc)
eval_runs() { # $1: threads
  for i in $(seq "$RUNS"); do
    s=$(now); WEGWIJS_THREADS=$1 "$bin" rules eval --laws laws --date 2025-06-01 --input "$work/in.csv" --out "$work/wegwijs.csv" --output hoogte_zorgtoeslag 2>/dev/null; e=$(now)
    secs "$s" "$e"
  done
}
echo "wegwijs rules eval, zorgtoeslag 2025, $cores cores ($RUNS runs)"
eval_runs "$cores" | tee "$work/ww" | sed 's/^/  s: /'
ww=$(median < "$work/ww")
echo "  median: $ww s"
echo "wegwijs rules eval, zorgtoeslag 2025, one core (WEGWIJS_THREADS=1; $RUNS runs)"
eval_runs 1 | tee "$work/ww1" | sed 's/^/  s: /'
ww1=$(median < "$work/ww1")
echo "  median: $ww1 s"

echo "OpenFisca-core, same formula, CSV to CSV, one core: Python and numpy use one thread ($RUNS runs)"
for i in $(seq "$RUNS"); do
  s=$(now); "$venv/bin/python" bench/openfisca_zorgtoeslag.py "$work/in.csv" "$work/openfisca.csv" 2>>"$work/of-calc"; e=$(now)
  secs "$s" "$e"
done | tee "$work/of" | sed 's/^/  s: /'
of=$(median < "$work/of")
of_calc=$(sed -n 's/^calculate_ms=//p' "$work/of-calc" | median)
echo "  median: $of s; its numpy calculation alone: median $of_calc ms ($(sed -n 's/^calculate_ms=//p' "$work/of-calc" | tr '\n' ' '))"
echo "  time ratio OpenFisca (one core) / wegwijs ($cores cores) end to end: $(echo "scale=2; $of / $ww" | bc)"
echo "  time ratio OpenFisca (one core) / wegwijs (one core) end to end: $(echo "scale=2; $of / $ww1" | bc)"
echo "  rows where OpenFisca's float32 result differs from the exact one: $(paste -d, "$work/wegwijs.csv" "$work/openfisca.csv" | awk -F, 'NR > 1 && $2 != $4' | wc -l)"

echo "calculation alone (cargo bench -p wegwijs-rules --bench rules)"
ROWS=$ROWS RUNS=$((RUNS > 7 ? RUNS : 7)) cargo bench -q -p wegwijs-rules --bench rules 2>/dev/null | sed 's/^/  /'
echo "  (OpenFisca's numpy calculation of the same formula: $of_calc ms)"

if [ "$SCAN_PERSONS" -gt 0 ]; then
  echo "preparing a register of $SCAN_PERSONS persons"
  "$bin" demo generate --persons "$SCAN_PERSONS" --signals 10 --out "$work/gen" >/dev/null
  "$bin" --data-dir "$work/reg" orgs create --name "Gemeente Wegwijzerveen" --kind gemeente >/dev/null
  "$bin" --data-dir "$work/reg" persons import "$work/gen/personen.csv" >/dev/null
  rm -rf "$work/gen"
  scan() { "$bin" --data-dir "$1" rules scan --laws laws --date 2025-06-01 "${@:2}"; }
  echo "  $(scan "$work/reg" 2>/dev/null | head -1)"
  echo "wegwijs rules scan, zorgtoeslag + kwijtschelding + inkomenstoeslag ($RUNS runs)"
  for i in $(seq "$RUNS"); do
    /usr/bin/time -f "%e %M" -o "$work/time" "$bin" --data-dir "$work/reg" rules scan --laws laws --date 2025-06-01 >/dev/null 2>&1
    cat "$work/time"
  done | tee "$work/scan" | sed 's/^/  s, peak KB: /'
  echo "  median: $(cut -d' ' -f1 < "$work/scan" | median) s; peak RSS median $(cut -d' ' -f2 < "$work/scan" | median) KB"
  echo "wegwijs rules scan --open-work, on a fresh copy of the register ($RUNS runs)"
  for i in $(seq "$RUNS"); do
    rm -rf "$work/run"; cp -r "$work/reg" "$work/run"; sync
    s=$(now); scan "$work/run" --open-work >"$work/opened" 2>&1; e=$(now)
    secs "$s" "$e"
  done | tee "$work/scan-open" | sed 's/^/  s: /'
  echo "  median: $(median < "$work/scan-open") s; $(grep '^Work opened' "$work/opened")"
fi
