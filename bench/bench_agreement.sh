#!/usr/bin/env bash
# Does `gatehouse bench` measure what an independent tool measures on the same endpoint?
#   HTTP:  wrk (POST /v1/query with a Lua script) vs `gatehouse bench` with the same point select
#          through the gatekeeper, same connections, same duration, closed loop.
#   MySQL: sysbench oltp_point_select (text protocol, 1 table) vs `gatehouse bench --target mysql`
#          with a mix of the same statement on the same table through the proxy, same threads.
# Each pair runs twice in the order tool, bench, bench, tool (slow drift of a shared machine then
# favours neither) after an unmeasured warm-up; ratios are bench ÷ tool of the averages.
# It also compares the clients' own CPU per request (wrk / sysbench vs bench).
# Exit 1 when a throughput ratio is outside 0.85–1.15.
#   bench/bench_agreement.sh [--time S] [--concurrency C] [--base-port P] [--dir DIR] [--keep]
# Without --dir it starts its own cluster on P (default 15807) with the gatekeeper's per-key rate
# limit off (rate_limit_per_s = 0: wrk and bench must both measure the server, not the limiter),
# and stops it at the end.
set -euo pipefail
cd "$(dirname "$0")/.."
TIME=10 CONC=8 BASE=15807 DIR="" KEEP=0
while [ $# -gt 0 ]; do
  case $1 in
    --time) TIME=$2; shift 2 ;;
    --concurrency) CONC=$2; shift 2 ;;
    --base-port) BASE=$2; shift 2 ;;
    --dir) DIR=$2; shift 2 ;;
    --keep) KEEP=1; shift ;;
    *) echo "usage: $0 [--time S] [--concurrency C] [--base-port P] [--dir DIR] [--keep]" >&2; exit 2 ;;
  esac
done
GH=$PWD/build/gatehouse
command -v wrk >/dev/null || { echo "wrk is not installed (apt-get install wrk)" >&2; exit 2; }
command -v sysbench >/dev/null || { echo "sysbench is not installed" >&2; exit 2; }
WORK=$(mktemp -d /tmp/gh-agree.XXXXXX)
OWN=0
if [ -z "$DIR" ]; then
  OWN=1
  DIR="$WORK/cluster"
  $GH up --dir "$DIR" --base-port "$BASE" >/dev/null
  # No per-key rate limit for this cluster, then restart the gatekeeper (up restarts dead roles).
  python3 - "$DIR/gatehouse.toml" <<'PY'
import re, sys
path = sys.argv[1]; text = open(path).read()
sec = re.search(r'^\[gatekeeper\]\s*$', text, re.M)
m = re.compile(r'^rate_limit_per_s\s*=.*$', re.M).search(text, sec.end())
text = text[:m.start()] + 'rate_limit_per_s = 0' + text[m.end():] if m else text[:sec.end()] + '\nrate_limit_per_s = 0' + text[sec.end():]
open(path, 'w').write(text)
PY
  kill "$(head -1 "$DIR/run/gatekeeper.pid")"
  for _ in $(seq 50); do kill -0 "$(head -1 "$DIR/run/gatekeeper.pid")" 2>/dev/null || break; sleep 0.1; done
  $GH up --dir "$DIR" >/dev/null
fi
cleanup() {
  if [ "$OWN" = 1 ] && [ "$KEEP" = 0 ]; then $GH down --purge --dir "$DIR" >/dev/null 2>&1 || true; fi
  rm -rf "$WORK"
}
trap cleanup EXIT
source scripts/lib/credentials.sh
cred() { gh_cred "$DIR" "$@"; }
endpoint() { $GH status --dir "$DIR" --json | python3 -c "import json,sys; print(json.load(sys.stdin)['endpoints']['$1'])"; }
HTTP=$(endpoint gatekeeper_http)
PROXY=$(endpoint proxy_mysql)
PROXY_PORT=${PROXY##*:}
TOKEN=$(cred api_key_read token)
[ -n "$TOKEN" ] || { echo "no [api_key_read] token in $DIR/credentials.toml" >&2; exit 2; }

# Rows to read: the bench table, filled by one default-size write phase.
$GH bench --dir "$DIR" --out "$WORK/seed" --target mysql --strategy direct --requests 2000 --quiet
read -r LO HI < <(mariadb --no-defaults -N -B -h127.0.0.1 -P"$PROXY_PORT" -u"$(cred proxy_client user)" \
  -p"$(cred proxy_client password)" -e "/* gatehouse:strategy=direct */ SELECT MIN(id), MAX(id) FROM gatehouse_bench.requests")

# ---------------------------------------------------------------- HTTP: wrk vs gatehouse bench
SQL="SELECT id, payload, created FROM gatehouse_bench.requests WHERE id = ?"
cat >"$WORK/point.lua" <<LUA
wrk.method = "POST"
wrk.headers["Authorization"] = "Bearer $TOKEN"
wrk.headers["Content-Type"] = "application/json"
math.randomseed(42)
request = function()
  local body = '{"sql":"$SQL","params":[' .. math.random($LO, $HI) .. '],"strategy":"random"}'
  return wrk.format(nil, "/v1/query", nil, body)
end
done = function(summary, latency, requests)
  io.write(string.format("WRK %d %d %.3f %.3f %d %d\n", summary.requests, summary.duration,
    latency:percentile(50) / 1000, latency:percentile(99) / 1000,
    summary.errors.status, summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout))
end
LUA
echo "1 read SELECT id, payload, created FROM gatehouse_bench.requests WHERE id = {int:$LO:$HI}" >"$WORK/point.mix"

cpu_of() {  # cpu_of CMD...: runs CMD, prints its output, then "CPU <user+sys seconds>" on stderr-file
  /usr/bin/time -f "CPU %U %S" -o "$WORK/time.txt" "$@"
}
run_wrk() {  # prints: rps p50_ms p99_ms errors cpu_us_per_req
  cpu_of wrk -t1 -c"$CONC" -d"${1}s" --timeout 10s -s "$WORK/point.lua" "http://$HTTP" >"$WORK/wrk.out" 2>&1
  python3 - "$WORK/wrk.out" "$WORK/time.txt" <<'PY'
import sys
f = open(sys.argv[1]).read().split()
i = f.index("WRK"); n, dur_us, p50, p99, st, err = f[i+1:i+7]
t = open(sys.argv[2]).read().split(); cpu = float(t[-2]) + float(t[-1])
n = int(n); print(f"{n / (int(dur_us) / 1e6):.1f} {float(p50):.3f} {float(p99):.3f} {int(st) + int(err)} {cpu * 1e6 / max(n, 1):.1f}")
PY
}
run_bench() {  # run_bench TARGET MIXFILE SECONDS: prints rps p50 p99 errors client_cpu_us_per_req
  local out="$WORK/b-$RANDOM"
  $GH bench --dir "$DIR" --out "$out" --target "$1" --mix "$2" --strategy random --duration "$3" \
    --concurrency "$CONC" --quiet
  python3 - "$out/bench-last.json" <<'PY'
import json, sys
p = json.load(open(sys.argv[1]))["phases"][0]
print(f'{p["throughput"]:.1f} {p["latency_ms"]["p50"]:.3f} {p["latency_ms"]["p99"]:.3f} {p["failed"]} {p["cpu_us_per_request"]["client"]:.1f}')
PY
}

SB_DB=gatehouse_agree
SB=(sysbench --db-driver=mysql --mysql-host=127.0.0.1 --mysql-port="$PROXY_PORT"
    --mysql-user="$(cred proxy_client user)" --mysql-password="$(cred proxy_client password)"
    --mysql-db=$SB_DB --tables=1 --table-size=10000)
run_sysbench() {  # prints rps p50(n/a: '-') p95 errors cpu_us_per_req
  cpu_of "${SB[@]}" --threads="$CONC" --time="$1" --db-ps-mode=disable --percentile=95 \
    --mysql-ignore-errors=all oltp_point_select run >"$WORK/sb.out" 2>&1
  python3 - "$WORK/sb.out" "$WORK/time.txt" <<'PY'
import re, sys
t = open(sys.argv[1]).read()
q = re.search(r"\n\s+queries:\s+(\d+)\s+\(([\d.]+) per sec", t); p95 = re.search(r"95th percentile:\s+([\d.]+)", t)
e = re.search(r"ignored errors:\s+(\d+)", t)
c = open(sys.argv[2]).read().split(); cpu = float(c[-2]) + float(c[-1])
print(f"{float(q.group(2)):.1f} - {float(p95.group(1)):.3f} {e.group(1)} {cpu * 1e6 / max(int(q.group(1)), 1):.1f}")
PY
}

echo "== agreement on $(nproc) CPUs, load $(cut -d' ' -f1-3 /proc/loadavg); $CONC connections, ${TIME}s per run"
echo "   HTTP endpoint http://$HTTP/v1/query (gatekeeper), MySQL endpoint $PROXY (proxy)"
run_wrk 2 >/dev/null; run_bench http "$WORK/point.mix" 2 >/dev/null  # warm-up
H1=$(run_wrk "$TIME"); H2=$(run_bench http "$WORK/point.mix" "$TIME")
H3=$(run_bench http "$WORK/point.mix" "$TIME"); H4=$(run_wrk "$TIME")

mariadb --no-defaults -h127.0.0.1 -P"$PROXY_PORT" -u"$(cred proxy_client user)" -p"$(cred proxy_client password)" \
  -e "CREATE DATABASE IF NOT EXISTS $SB_DB"
"${SB[@]}" oltp_point_select cleanup >/dev/null 2>&1 || true
"${SB[@]}" oltp_point_select prepare >/dev/null
# The replicas must have the table before reads go there.
admin() { mariadb --no-defaults -N -B -h127.0.0.1 -P"$1" -u"$(cred admin user)" -p"$(cred admin password)" -e "$2"; }
read -r SRC_PORT REPLICA_PORTS < <($GH status --dir "$DIR" --json | python3 -c "
import json, sys; e = json.load(sys.stdin)['endpoints']
print(e['source'].split(':')[1], ' '.join(v.split(':')[1] for k, v in e.items() if k.startswith('replica')))")
pos=$(admin "$SRC_PORT" "SELECT @@gtid_binlog_pos")
for port in $REPLICA_PORTS; do
  [ "$(admin "$port" "SELECT MASTER_GTID_WAIT('$pos', 30)")" = 0 ] || { echo "replica on $port lags" >&2; exit 1; }
done
echo "1 read SELECT c FROM $SB_DB.sbtest1 WHERE id = {int:1:10000}" >"$WORK/sbpoint.mix"
run_sysbench 2 >/dev/null; run_bench mysql "$WORK/sbpoint.mix" 2 >/dev/null  # warm-up
M1=$(run_sysbench "$TIME"); M2=$(run_bench mysql "$WORK/sbpoint.mix" "$TIME")
M3=$(run_bench mysql "$WORK/sbpoint.mix" "$TIME"); M4=$(run_sysbench "$TIME")
"${SB[@]}" oltp_point_select cleanup >/dev/null 2>&1 || true

python3 - "$H1" "$H2" "$H3" "$H4" "$M1" "$M2" "$M3" "$M4" <<'PY'
import sys
rows = [list(a.split()) for a in sys.argv[1:]]
def avg(a, b, k):
    x, y = rows[a][k], rows[b][k]
    return None if x == "-" else (float(x) + float(y)) / 2
ok = True
print(f"{'path':<7} {'tool':<30} {'req/s':>9} {'p50 ms':>8} {'p99/p95':>8} {'errors':>6} {'client CPU µs/req':>18}")
for label, (t1, b1, b2, t2), tool, pct in (("HTTP", (0, 1, 2, 3), "wrk -t1 (Lua POST)", "p99"),
                                           ("MySQL", (4, 5, 6, 7), "sysbench oltp_point_select", "p95")):
    for name, (a, b) in ((tool, (t1, t2)), ("gatehouse bench", (b1, b2))):
        for run in (a, b):
            r = rows[run]
            print(f"{label:<7} {name + ' (run)':<30} {float(r[0]):>9,.0f} {r[1]:>8} {r[2]:>8} {r[3]:>6} {r[4]:>18}")
    tool_rps, bench_rps = avg(t1, t2, 0), avg(b1, b2, 0)
    ratio = bench_rps / tool_rps
    tool_cpu, bench_cpu = avg(t1, t2, 4), avg(b1, b2, 4)
    lat = ""
    if pct == "p99":
        lat = f"; p50 bench÷wrk {avg(b1, b2, 1) / avg(t1, t2, 1):.2f}, p99 {avg(b1, b2, 2) / avg(t1, t2, 2):.2f}"
    verdict = "within 15 %" if 0.85 <= ratio <= 1.15 else "OUTSIDE 15 %"
    ok &= 0.85 <= ratio <= 1.15
    print(f"{label}: bench {bench_rps:,.0f} req/s vs {tool.split()[0]} {tool_rps:,.0f} req/s: ratio {ratio:.3f} ({verdict}){lat}; "
          f"client CPU/req bench {bench_cpu:.1f} µs vs {tool.split()[0]} {tool_cpu:.1f} µs")
sys.exit(0 if ok else 1)
PY
