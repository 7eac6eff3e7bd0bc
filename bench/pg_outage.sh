#!/usr/bin/env bash
# PostgreSQL stopped and started under a running `serve` (a cluster of its
# own, made with initdb; never the shared one). While it is down, requests
# get a clear page (503, not a crash or a hang), /readyz says so, and
# /healthz still answers; once it is back, the same session works again
# without restarting wegwijs. Prints what it saw; exits 1 on a failure.
# Rerun: bench/pg_outage.sh (run as root it runs PostgreSQL as `postgres`).
# Needs initdb, pg_ctl, createdb, curl. Not in CI.
set -euo pipefail
cd "$(dirname "$0")/.."
for tool in initdb pg_ctl createdb curl; do command -v "$tool" >/dev/null || { echo "needs $tool"; exit 2; }; done
PGPORT=${PGPORT:-55433}
PORT=${PORT:-18195}
[ -n "${SKIP_BUILD:-}" ] || cargo build -q
bin=$PWD/target/debug/wegwijs
work=$(mktemp -d)
chmod 755 "$work"
as_pg() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
pid=
cleanup() {
  [ -n "$pid" ] && kill "$pid" 2>/dev/null || true
  as_pg pg_ctl -D "$work/pg" -m immediate stop >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT
mkdir "$work/pg" && [ "$(id -u)" = 0 ] && chown postgres "$work/pg"
as_pg initdb -D "$work/pg" -A trust -U postgres >/dev/null
pg_start() { as_pg pg_ctl -D "$work/pg" -o "-p $PGPORT -k /tmp -c listen_addresses=127.0.0.1" -l "$work/pg/server.log" -w start >/dev/null; }
pg_start
createdb -h 127.0.0.1 -p "$PGPORT" -U postgres wegwijs
url="postgres://postgres@127.0.0.1:$PGPORT/wegwijs"
echo 'demo_persons = 2000' > "$work/wegwijs.toml"
WEGWIJS_LOG=warn "$bin" --config "$work/wegwijs.toml" --data-dir "$work/data" --database-url "$url" \
  serve --demo true --listen "127.0.0.1:$PORT" > "$work/serve.log" 2>&1 &
pid=$!
base="http://127.0.0.1:$PORT"
for _ in $(seq 1 600); do curl -sf "$base/readyz" >/dev/null && break; sleep 0.2; done
code() { curl -s -o "$work/body" -w '%{http_code}' --max-time 15 -b "$work/jar" -c "$work/jar" "$@"; }
# Log in as a caseworker, as a person would.
code "$base/inloggen" >/dev/null
csrf=$(grep -o 'name="csrf" value="[^"]*"' "$work/body" | head -1 | sed 's/.*value="//;s/"//')
code -X POST -d "csrf=$csrf&username=medewerker&password=wegwijs-demo" "$base/inloggen" >/dev/null
fail=0
expect() { # what, wanted status, got status
  if [ "$2" = "$3" ]; then echo "ok    $1: $3"; else echo "FAIL  $1: $3 (wanted $2)"; fail=1; fi
}
expect "before: /werk" 200 "$(code "$base/werk")"
expect "before: /readyz" 200 "$(code "$base/readyz")"
as_pg pg_ctl -D "$work/pg" -m fast -w stop >/dev/null
t0=$(date +%s%N)
expect "down: /readyz" 503 "$(code "$base/readyz")"
expect "down: /healthz" 200 "$(code "$base/healthz")"
got=$(code "$base/werk")
ms=$(( ($(date +%s%N) - t0) / 1000000 ))
expect "down: /werk" 503 "$got"
if grep -q 'Wegwijs' "$work/body" && grep -q 'niet bereikbaar' "$work/body"; then
  echo "ok    down: the page says to try again later ($(grep -o '<h1[^<]*>[^<]*' "$work/body" | sed 's/<h1[^>]*>//'))"
else
  echo "FAIL  down: the page does not explain"; fail=1
fi
echo "      (the three answers while down took ${ms} ms together)"
pg_start
ok=
for _ in $(seq 1 100); do
  if [ "$(code "$base/readyz")" = 200 ]; then ok=1; break; fi
  sleep 0.2
done
expect "back: /readyz" 200 "$(code "$base/readyz")"
expect "back: /werk, same session, no restart" 200 "$(code "$base/werk")"
kill -0 "$pid" 2>/dev/null && echo "ok    serve ran throughout (pid $pid)" || { echo "FAIL  serve stopped"; fail=1; }
exit $fail
