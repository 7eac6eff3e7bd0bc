#!/usr/bin/env bash
# Login flood: TOTAL (default 800) failed staff logins, 50 at a time, while
# /healthz is asked every 0.1 s; prints the answers by status, the server's
# peak RSS and the slowest /healthz. Two floods, each on a new demo:
#  - one address: every try from 203.0.113.66 (the per-address limits stop
#    it after a few dozen hashes);
#  - many addresses: every try from an address of its own (behind the
#    trusted proxy), so only the bounded hashing holds it.
# Target (issue 22): RSS under 1 GiB and /healthz under 1 s throughout.
# Rerun: bench/login_flood.sh. Needs wrk, curl. Not in CI.
set -euo pipefail
cd "$(dirname "$0")/.."
TOTAL=${TOTAL:-800}
PORT=${PORT:-18190}
command -v wrk >/dev/null || { echo "needs wrk (apt-get install -y wrk)"; exit 2; }
[ -n "${SKIP_BUILD:-}" ] || cargo build --release -q
bin=$PWD/target/release/wegwijs
work=$(mktemp -d)
pid=
cleanup() { [ -n "$pid" ] && kill "$pid" 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT

cat > "$work/flood.lua" <<'LUA'
-- Each thread posts its share of wrong passwords and counts the answers.
local users = {"medewerker", "teamleider", "beheerder", "privacy"}
local threads = {}
function setup(thread) table.insert(threads, thread) end
function init(args)
  share = tonumber(os.getenv("SHARE"))
  sent, answered, statuses = 0, 0, {}
  math.randomseed(os.time() + tonumber(tostring({}):sub(8), 16))
end
function request()
  sent = sent + 1
  local ip = "203.0.113.66"
  if os.getenv("MANY") == "1" then
    ip = string.format("10.%d.%d.%d", math.random(0, 255), math.random(0, 255), math.random(1, 254))
  end
  local body = "csrf=" .. os.getenv("CSRF") .. "&username=" .. users[sent % 4 + 1] .. "&password=fout" .. sent
  return wrk.format("POST", "/inloggen", {
    ["Content-Type"] = "application/x-www-form-urlencoded",
    ["Cookie"] = os.getenv("COOKIE"),
    ["X-Forwarded-For"] = ip,
  }, body)
end
function response(status)
  answered = answered + 1
  statuses[status] = (statuses[status] or 0) + 1
  if answered >= share then wrk.thread:stop() end
end
function done()
  local all = {}
  for _, t in ipairs(threads) do
    for s, n in pairs(t:get("statuses")) do all[s] = (all[s] or 0) + n end
  end
  local line = "   answers:"
  for s, n in pairs(all) do line = line .. string.format(" %d x %d", n, s) end
  print(line)
end
LUA

flood() { # $1 label, $2 MANY (0/1)
  local data="$work/data-$2"
  mkdir -p "$data"
  printf 'demo_persons = 1000\ntrusted_proxies = ["127.0.0.1"]\n' > "$data/wegwijs.toml"
  "$bin" serve --config "$data/wegwijs.toml" --data-dir "$data" --listen "127.0.0.1:$PORT" \
    > "$work/serve.log" 2>&1 &
  pid=$!
  for _ in $(seq 1 600); do curl -sf "http://127.0.0.1:$PORT/readyz" >/dev/null && break; sleep 0.1; done
  local jar="$work/jar" page csrf cookie
  page=$(curl -s -c "$jar" "http://127.0.0.1:$PORT/inloggen")
  csrf=$(grep -o 'name="csrf" value="[^"]*"' <<<"$page" | sed -n '1{s/.*value="//;s/"$//;p;}')
  cookie=$(awk 'NF >= 7 {printf "%s%s=%s", sep, $6, $7; sep="; "}' "$jar")
  echo "== $1: $TOTAL failed logins, 50 at a time"
  local start=$(date +%s.%N)
  SHARE=$((TOTAL / 2)) MANY=$2 CSRF=$csrf COOKIE=$cookie \
    wrk -t2 -c50 -d600s -s "$work/flood.lua" "http://127.0.0.1:$PORT" > "$work/wrk.out" 2>&1 &
  local flood_pid=$! peak=0 slowest=0 kb t
  while kill -0 "$flood_pid" 2>/dev/null; do
    kb=$(awk '/VmRSS/ {print $2}' "/proc/$pid/status")
    [ "$kb" -gt "$peak" ] && peak=$kb
    t=$(curl -s -o /dev/null -m 5 -w '%{time_total}' "http://127.0.0.1:$PORT/healthz" || echo 5)
    slowest=$(awk -v a="$slowest" -v b="$t" 'BEGIN {print (b > a ? b : a)}')
    sleep 0.1
  done
  grep -E "answers|requests in" "$work/wrk.out" || cat "$work/wrk.out"
  printf '   took %.1f s; peak RSS %d MiB; slowest /healthz %.0f ms\n' \
    "$(awk -v s="$start" -v e="$(date +%s.%N)" 'BEGIN {print e - s}')" $((peak / 1024)) \
    "$(awk -v t="$slowest" 'BEGIN {print t * 1000}')"
  kill "$pid"; wait "$pid" 2>/dev/null || true; pid=
}

flood "one address" 0
flood "many addresses" 1
