#!/usr/bin/env bash
# Login flood: TOTAL (default 800) failed staff logins, 50 at a time, while
# /healthz is asked every 0.1 s; prints the answers by status, the server's
# peak RSS and the slowest /healthz. Two floods, each on a new demo:
#  - one address: every try from 203.0.113.66 (the per-address limits stop
#    it after a few dozen hashes);
#  - many addresses: every try from an address of its own (behind the
#    trusted proxy), so only the bounded hashing holds it.
# Target (issue 22): RSS under 1 GiB and /healthz under 1 s throughout.
# Rerun: bench/login_flood.sh. Needs curl, python3. Not in CI.
set -euo pipefail
cd "$(dirname "$0")/.."
TOTAL=${TOTAL:-800}
PORT=${PORT:-18190}
for tool in curl python3; do command -v "$tool" >/dev/null || { echo "needs $tool"; exit 2; }; done
[ -n "${SKIP_BUILD:-}" ] || cargo build --release -q
bin=$PWD/target/release/wegwijs
work=$(mktemp -d)
pid=
cleanup() { [ -n "$pid" ] && kill "$pid" 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT

cat > "$work/flood.py" <<'PY'
# TOTAL wrong passwords, 50 connections at a time, each request a new
# keep-alive-less POST; prints the answers by status.
import asyncio, os, random, collections
port, total, many = int(os.environ["PORT"]), int(os.environ["TOTAL"]), os.environ["MANY"] == "1"
csrf, cookie = os.environ["CSRF"], os.environ["COOKIE"]
users = ["medewerker", "teamleider", "beheerder", "privacy"]
answers, sent = collections.Counter(), iter(range(total))

async def worker():
    for n in sent:
        ip = f"10.{random.randrange(256)}.{random.randrange(256)}.{random.randrange(1, 255)}" if many else "203.0.113.66"
        body = f"csrf={csrf}&username={users[n % 4]}&password=fout{n}".encode()
        head = (f"POST /inloggen HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nCookie: {cookie}\r\n"
                f"X-Forwarded-For: {ip}\r\nContent-Type: application/x-www-form-urlencoded\r\n"
                f"Content-Length: {len(body)}\r\nConnection: close\r\n\r\n").encode()
        try:
            r, w = await asyncio.open_connection("127.0.0.1", port)
            w.write(head + body)
            await w.drain()
            status = (await r.readline()).split()[1].decode()
            await r.read()
            w.close()
        except Exception as e:
            status = type(e).__name__
        answers[status] += 1

async def main():
    await asyncio.gather(*(worker() for _ in range(50)))
    print("   answers: " + ", ".join(f"{n} x {s}" for s, n in sorted(answers.items())))

asyncio.run(main())
PY

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
  cookie=$(awk '{sub(/^#HttpOnly_/, "")} !/^#/ && NF >= 7 {printf "%s%s=%s", sep, $6, $7; sep="; "}' "$jar")
  echo "== $1: $TOTAL failed logins, 50 at a time"
  local start=$(date +%s.%N)
  PORT=$PORT TOTAL=$TOTAL MANY=$2 CSRF=$csrf COOKIE=$cookie \
    python3 "$work/flood.py" > "$work/flood.out" 2>&1 &
  local flood_pid=$! peak=0 slowest=0 kb t
  while kill -0 "$flood_pid" 2>/dev/null; do
    kb=$(awk '/VmRSS/ {print $2}' "/proc/$pid/status")
    [ "$kb" -gt "$peak" ] && peak=$kb
    t=$(curl -s -o /dev/null -m 5 -w '%{time_total}' "http://127.0.0.1:$PORT/healthz" || echo 5)
    slowest=$(awk -v a="$slowest" -v b="$t" 'BEGIN {print (b > a ? b : a)}')
    sleep 0.1
  done
  cat "$work/flood.out"
  printf '   took %.1f s; peak RSS %d MiB; slowest /healthz %.0f ms\n' \
    "$(awk -v s="$start" -v e="$(date +%s.%N)" 'BEGIN {print e - s}')" $((peak / 1024)) \
    "$(awk -v t="$slowest" 'BEGIN {print t * 1000}')"
  kill "$pid"; wait "$pid" 2>/dev/null || true; pid=
}

flood "one address" 0
flood "many addresses" 1
