#!/usr/bin/env bash
# Load benchmark: a busy Monday morning on a municipality of PERSONS residents
# (default 1,000,000). Rerun: bench/load.sh [sqlite|postgres|postgres2]
#  - builds the demo database once per backend (kept in $BENCH_DIR, default
#    target/bench-load, so reruns skip the seeding), logged in as a caseworker
#    and as a resident;
#  - capacity: wrk, 50 and 200 connections, DURATION seconds (default 20);
#  - latency at a fixed offered rate: oha, 1,000 req/s spread evenly over 200
#    connections, with latency measured from when each request was due
#    (--latency-correction: a slow answer delays the next send, and that wait
#    counts). Not hey: its 200 workers' tickers fire together, so `-q 5` sends
#    bursts of 200 every 200 ms and measures how fast a burst drains;
#    RATE_TOOL=hey shows that figure too;
#  - prints req/s, p50, p99, errors and the server's peak RSS; medians of RUNS
#    runs (default 3).
# `postgres` runs one serve on PostgreSQL (PG_URL, default a database
# wegwijs_bench on 127.0.0.1); `postgres2` two serve instances sharing it,
# the load split over both. Needs wrk, oha (cargo install oha), curl, python3,
# psql (postgres). Not in CI.
set -euo pipefail
cd "$(dirname "$0")/.."
MODE=${1:-sqlite}
PERSONS=${PERSONS:-1000000}
RUNS=${RUNS:-3}
DURATION=${DURATION:-20}
PORT=${PORT:-18090}
BENCH_DIR=${BENCH_DIR:-target/bench-load}
PG_URL=${PG_URL:-postgres://postgres@127.0.0.1:5432/wegwijs_bench}
PAGES=${PAGES:-"/werk:medewerker /mijn:inwoner"}
RATE_TOOL=${RATE_TOOL:-oha}
for tool in wrk "$RATE_TOOL" curl python3; do
  command -v "$tool" >/dev/null || {
    echo "needs $tool (apt-get install -y wrk hey curl python3; cargo install oha)"; exit 2; }
done
[ -n "${SKIP_BUILD:-}" ] || cargo build --release -q
bin=$PWD/target/release/wegwijs
mkdir -p "$BENCH_DIR"
work=$(mktemp -d)
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; rm -rf "$work"; }
trap cleanup EXIT
median() { sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }

# postgres2 shares postgres's database, so its folder and audit key too.
data="$BENCH_DIR/${MODE%2}-$PERSONS"
mkdir -p "$data"
printf 'demo_persons = %s\n' "$PERSONS" > "$data/wegwijs.toml"
db_args=()
if [ "$MODE" != sqlite ]; then
  db=${PG_URL##*/}
  if ! psql "${PG_URL%/*}/postgres" -tAc "SELECT 1 FROM pg_database WHERE datname = '$db'" | grep -q 1; then
    psql "${PG_URL%/*}/postgres" -qc "CREATE DATABASE $db"
  fi
  db_args+=(--database-url "$PG_URL")
fi

start() { # $1 port: starts serve, waits until ready (first start seeds the demo)
  # Each instance has a folder of its own for its audit witness; the first
  # start of a demo writes the audit key there, which every instance of
  # the database then needs.
  local dir="$data"
  [ "$MODE" = postgres2 ] && dir="$data/instance-$1"
  mkdir -p "$dir"
  local key
  key=$(ls "$data"/audit.key "$data"/instance-*/audit.key 2>/dev/null | head -1 || true)
  if [ -z "${WEGWIJS_AUDIT_KEY:-}" ] && [ -n "$key" ]; then
    WEGWIJS_AUDIT_KEY=$(tr -d '[:space:]' < "$key"); export WEGWIJS_AUDIT_KEY
  fi
  "$bin" serve --config "$data/wegwijs.toml" --data-dir "$dir" "${db_args[@]}" --listen "127.0.0.1:$1" \
    >"$work/serve-$1.log" 2>&1 &
  pids+=($!)
  echo $! > "$work/pid-$1"
  for _ in $(seq 1 36000); do
    curl -sf "http://127.0.0.1:$1/readyz" >/dev/null 2>&1 && return 0
    kill -0 "$(cat "$work/pid-$1")" 2>/dev/null || { cat "$work/serve-$1.log"; exit 1; }
    sleep 0.1
  done
  echo "serve did not become ready"; exit 1
}

# The first value of a form field `$1` in the page `$2` (sed reads it all:
# `head` would break the pipe under pipefail).
field() { grep -o "name=\"$1\" value=\"[^\"]*\"" <<<"$2" | sed -n '1{s/.*value="//;s/"$//;p;}'; }

# A session cookie for a role: the staff login form, or the demo DigiD.
login() { # $1 port, $2 role
  local base="http://127.0.0.1:$1" jar="$work/jar-$2-$1"
  rm -f "$jar"
  if [ "$2" = inwoner ]; then
    local authorize page request bsn callback
    authorize=$(curl -s -c "$jar" -b "$jar" -o /dev/null -w '%{redirect_url}' "$base/inwoner/inloggen/digid")
    page=$(curl -s -c "$jar" -b "$jar" "$authorize")
    request=$(field request "$page")
    bsn=$(field bsn "$page")
    callback=$(curl -s -c "$jar" -b "$jar" -o /dev/null -w '%{redirect_url}' \
      --data-urlencode "csrf=$(field csrf "$page")" --data-urlencode "request=$request" \
      --data-urlencode "bsn=$bsn" "$base/demo-digid/authorize")
    curl -s -c "$jar" -b "$jar" -o /dev/null "$callback"
  else
    local page csrf
    page=$(curl -s -c "$jar" -b "$jar" "$base/inloggen")
    csrf=$(field csrf "$page")
    curl -s -c "$jar" -b "$jar" -o /dev/null --data-urlencode "csrf=$csrf" \
      --data-urlencode "username=$2" --data-urlencode "password=wegwijs-demo" "$base/inloggen"
  fi
  local session
  session=$(awk '$6 == "wegwijs_sessie" {print $7}' "$jar")
  [ -n "$session" ] || { echo "login as $2 failed" >&2; exit 1; }
  echo "wegwijs_sessie=$session"
}

# The peak RSS (kB) of the serve processes while $1 (a pid) runs.
watch_rss() {
  local peak=0 kb
  while kill -0 "$1" 2>/dev/null; do
    kb=0
    for p in "${pids[@]}"; do
      kb=$((kb + $(awk '/VmRSS/ {print $2}' "/proc/$p/status" 2>/dev/null || echo 0)))
    done
    [ "$kb" -gt "$peak" ] && peak=$kb
    sleep 0.2
  done
  echo "$peak"
}

# 1,000 req/s offered to one instance's share ($1 port, $2 cookie, $3 path);
# prints "served-req/s p50-ms p99-ms errors".
rate() {
  local share=$((1000 / ${#ports[@]})) conns=$((200 / ${#ports[@]}))
  if [ "$RATE_TOOL" = hey ]; then
    hey -z "${DURATION}s" -c "$conns" -q $((share / conns)) -H "Cookie: $2" \
      "http://127.0.0.1:$1$3" > "$work/hey-$1" 2>&1
    awk '/Requests\/sec/ {r = $2} / 50% in/ {p50 = $3 * 1000} / 99% in/ {p99 = $3 * 1000}
      /\[[0-9]+\]/ && $1 != "[200]" {e += $2} /^  Get/ {e += $NF}
      END {printf "%.0f %.1f %.1f %d\n", r, p50, p99, e}' "$work/hey-$1"
  else
    oha -z "${DURATION}s" -c "$conns" -q "$share" --latency-correction --no-tui \
      --output-format json -H "Cookie: $2" "http://127.0.0.1:$1$3" 2>/dev/null | python3 -c '
import json, sys
d = json.load(sys.stdin)
codes = d["statusCodeDistribution"]
# Requests still in flight when the time is up are not errors.
late = "aborted due to deadline"
errors = sum(n for c, n in codes.items() if c != "200") + sum(
    n for e, n in d["errorDistribution"].items() if e != late)
p = d["latencyPercentiles"]
print("%.0f %.1f %.1f %d" % (d["summary"]["requestsPerSec"], p["p50"] * 1000, p["p99"] * 1000, errors))'
  fi
}

ports=("$PORT")
[ "$MODE" = postgres2 ] && ports+=($((PORT + 1)))
echo "== $MODE, $PERSONS residents: starting (the first start seeds the demo; that takes a while)"
s=$(date +%s)
for p in "${ports[@]}"; do start "$p"; done
echo "   ready after $(( $(date +%s) - s )) s"

for spec in $PAGES; do
  path=${spec%%:*}; role=${spec##*:}
  cookies=(); for p in "${ports[@]}"; do cookies+=("$(login "$p" "$role")"); done
  status=$(curl -s -o /dev/null -w '%{http_code}' -H "Cookie: ${cookies[0]}" "http://127.0.0.1:${ports[0]}$path")
  [ "$status" = 200 ] || { echo "$path as $role answers $status" >&2; exit 1; }
  for conns in 50 200; do
    : > "$work/rps"; : > "$work/err"; : > "$work/rss"
    for i in $(seq "$RUNS"); do
      load=()
      for k in "${!ports[@]}"; do
        wrk -t2 -c$((conns / ${#ports[@]})) -d"${DURATION}s" --latency -H "Cookie: ${cookies[$k]}" \
          "http://127.0.0.1:${ports[$k]}$path" > "$work/wrk-$k" 2>&1 &
        load+=($!)
      done
      watch_rss "${load[-1]}" >> "$work/rss" & load+=($!)
      wait "${load[@]}"
      rps=0; err=0
      for k in "${!ports[@]}"; do
        rps=$(awk -v r="$rps" '/Requests\/sec/ {printf "%.0f", r + $2}' "$work/wrk-$k")
        err=$((err + $(awk '/Non-2xx/ {e += $5} /Socket errors/ {gsub(",", ""); e += $4 + $6 + $8 + $10} END {print e + 0}' "$work/wrk-$k")))
      done
      echo "$rps" >> "$work/rps"; echo "$err" >> "$work/err"
    done
    printf '%-6s %-10s wrk  %3d conns: %6s req/s (runs: %s), errors %s, peak RSS %s MiB\n' \
      "$path" "$role" "$conns" "$(median < "$work/rps")" "$(paste -sd' ' "$work/rps")" \
      "$(median < "$work/err")" "$(( $(median < "$work/rss") / 1024 ))"
  done
  : > "$work/p50"; : > "$work/p99"; : > "$work/served"; : > "$work/herr"
  for i in $(seq "$RUNS"); do
    load=()
    for k in "${!ports[@]}"; do
      rate "${ports[$k]}" "${cookies[$k]}" "$path" > "$work/rate-$k" &
      load+=($!)
    done
    wait "${load[@]}"
    # One instance's figures for latency; req/s and errors summed.
    awk '{print $2}' "$work/rate-0" >> "$work/p50"
    awk '{print $3}' "$work/rate-0" >> "$work/p99"
    cat "$work"/rate-* | awk '{s += $1} END {printf "%.0f\n", s}' >> "$work/served"
    cat "$work"/rate-* | awk '{e += $4} END {print e + 0}' >> "$work/herr"
  done
  printf '%-6s %-10s %s 1000 req/s offered: served %s req/s, p50 %s ms, p99 %s ms (runs: %s), errors %s\n' \
    "$path" "$role" "$RATE_TOOL" "$(median < "$work/served")" "$(median < "$work/p50")" \
    "$(median < "$work/p99")" "$(paste -sd' ' "$work/p99")" "$(median < "$work/herr")"
done
