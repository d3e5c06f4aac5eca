#!/usr/bin/env bash
# bench/gatekeeper_wrk.sh: the HTTP benchmark. In one run, on one cluster, wrk sends
# POST point selects by primary key (sakila.actor, 200 rows, actor_id cycling 1..200, strategy
# `random`) to two HTTP stacks in front of the same replicas:
#   1. baseline   the course project's FastAPI stack (../shared/baselines/fastapi-stack):
#                 uvicorn gatekeeper -> `requests` -> uvicorn proxy -> a new pymysql
#                 connection per request -> a replica (the cluster's [app] account)
#   2. gatehouse  gatekeeper (HTTP/JSON API, API key, policy) -> gatehouse proxy -> a replica,
#                 the SQL sent with `params` (prepared statement upstream: the normal path) and,
#                 for fairness, with the literal inlined
# Measured runs alternate the order (baseline first, then gatehouse first, ...), after an
# unmeasured warm-up of each. Per row: req/s, p50/p99 (wrk --latency), socket errors, non-2xx,
# and the CPU time per request of each stack's processes (utime+stime from /proc/PID/stat before
# and after). Then one 1-connection row each. The issue's targets, at 32 connections:
# gatehouse >= 20x the baseline's throughput and <= 1/10 of its p99.
# It is a benchmark, not a test: it exits 0 when every row ran, whatever the numbers say.
#
# Everything runs on 127.0.0.1. Every wait is bounded. On exit (also on Ctrl-C) it stops the
# baseline (start.sh down) and tears the cluster down, unless --keep.
#
# Usage: bench/gatekeeper_wrk.sh [options]   (see --help)
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BENCH_NAME=gatekeeper_wrk
source "$ROOT/bench/lib/common.sh"
LIB=$ROOT/bench/lib

BASE_PORT=12307
DIR=""
OUT=""
TIME=15
WARMUP=5
RUNS=3
CONNECTIONS=32
WRK_THREADS=2
SINGLE=1
KEEP=0
BASELINE_DIR=${BASELINE_DIR:-$(cd "$ROOT/.." && pwd)/shared/baselines/fastapi-stack}
BL_PORT=18000
BL_PROXY_PORT=18001
GK_THREADS=""
PIPELINE_DEPTH=4
QUIET_PCT=10
RETRIES=2
SETTLE=15
DOCS=$ROOT/docs/benchmarks.md
GATEHOUSE=${GATEHOUSE:-$ROOT/build/gatehouse}

usage() {
  cat <<EOF
usage: $0 [options]
  --base-port P       cluster base port (source P, replicas P+1/P+2, proxy P+20, gatekeeper
                      HTTP P+40; default $BASE_PORT)
  --dir DIR           cluster directory (default: a fresh temp dir, deleted at the end)
  --out DIR           where wrk outputs and the report go
                      (default: \${TMPDIR:-/tmp}/gatehouse-http-bench-<date>; always kept)
  --time S            seconds per measured row (default $TIME)
  --warmup S          unmeasured warm-up of each stack before the first run (default $WARMUP)
  --runs N            measured runs, each: baseline, gatehouse params, gatehouse literal
                      (order alternates; default $RUNS)
  --connections N     wrk connections (default $CONNECTIONS)
  --wrk-threads N     wrk threads (default $WRK_THREADS)
  --no-single         skip the 1-connection rows
  --baseline DIR      the FastAPI baseline (default $BASELINE_DIR)
  --baseline-port P   its gatekeeper port (default $BL_PORT; its proxy: --baseline-proxy-port,
                      default $BL_PROXY_PORT)
  --gk-threads N      set [gatekeeper] threads (default: as \`gatehouse up\` writes it)
  --pipeline-depth N  set [proxy] pipeline_depth (default 4: reads pipelined, as tuned for short
                      OLTP reads; 1 is the product default, no pipelining)
  --quiet-threshold P a row during which other people's processes used more than P % of the
                      machine's CPU is measured again (default $QUIET_PCT; 100: never)
  --retries N         at most N such repeats per row, then the last attempt is kept (default $RETRIES)
  --settle S          pause before a repeat (default $SETTLE)
  --docs FILE         markdown file to update between the http markers (default docs/benchmarks.md)
  --no-docs           do not touch any docs file
  --gatehouse PATH    gatehouse binary (default build/gatehouse)
  --keep              leave the cluster and the baseline running at the end
EOF
}

while (($#)); do
  case $1 in
    --base-port) need_int "$1" "${2:-}"; BASE_PORT=$2; shift 2 ;;
    --dir) DIR=${2:?--dir needs a value}; shift 2 ;;
    --out) OUT=${2:?--out needs a value}; shift 2 ;;
    --time) need_int "$1" "${2:-}"; TIME=$2; shift 2 ;;
    --warmup) need_int "$1" "${2:-}"; WARMUP=$2; shift 2 ;;
    --runs) need_int "$1" "${2:-}"; RUNS=$2; shift 2 ;;
    --connections) need_int "$1" "${2:-}"; CONNECTIONS=$2; shift 2 ;;
    --wrk-threads) need_int "$1" "${2:-}"; WRK_THREADS=$2; shift 2 ;;
    --no-single) SINGLE=0; shift ;;
    --baseline) BASELINE_DIR=${2:?--baseline needs a value}; shift 2 ;;
    --baseline-port) need_int "$1" "${2:-}"; BL_PORT=$2; shift 2 ;;
    --baseline-proxy-port) need_int "$1" "${2:-}"; BL_PROXY_PORT=$2; shift 2 ;;
    --gk-threads) need_int "$1" "${2:-}"; GK_THREADS=$2; shift 2 ;;
    --pipeline-depth) need_int "$1" "${2:-}"; PIPELINE_DEPTH=$2; shift 2 ;;
    --quiet-threshold) need_int "$1" "${2:-}"; QUIET_PCT=$2; shift 2 ;;
    --retries) need_int "$1" "${2:-}"; RETRIES=$2; shift 2 ;;
    --settle) need_int "$1" "${2:-}"; SETTLE=$2; shift 2 ;;
    --docs) DOCS=${2:?--docs needs a value}; shift 2 ;;
    --no-docs) DOCS=""; shift ;;
    --gatehouse) GATEHOUSE=${2:?--gatehouse needs a value}; shift 2 ;;
    --keep) KEEP=1; shift ;;
    -h | --help) usage; exit 0 ;;
    *) usage >&2; die "unknown option '$1'" ;;
  esac
done

((TIME >= 1 && TIME <= 3600)) || die "--time must be 1..3600"
((WARMUP <= 600)) || die "--warmup must be 0..600"
((RUNS >= 1 && RUNS <= 10)) || die "--runs must be 1..10"
((CONNECTIONS >= 1 && CONNECTIONS <= 1000)) || die "--connections must be 1..1000"
((WRK_THREADS >= 1 && WRK_THREADS <= CONNECTIONS)) || die "--wrk-threads must be 1..--connections"
((BASE_PORT >= 1024 && BASE_PORT <= 65000)) || die "--base-port must be 1024..65000"
((QUIET_PCT <= 100)) || die "--quiet-threshold must be 0..100"
((RETRIES <= 10)) || die "--retries must be 0..10"
((SETTLE <= 600)) || die "--settle must be 0..600"
[ -z "$GK_THREADS" ] || ((GK_THREADS >= 1 && GK_THREADS <= 64)) || die "--gk-threads must be 1..64"

for tool in wrk curl python3 mariadb timeout; do
  command -v "$tool" >/dev/null || die "'$tool' is not installed (apt-get install wrk curl python3 mariadb-client)"
done
[ -x "$GATEHOUSE" ] || die "$GATEHOUSE is missing: cmake --preset release && cmake --build --preset release --target gatehouse -j2"
[ -x "$BASELINE_DIR/start.sh" ] || die "no baseline at $BASELINE_DIR (start.sh)"

GK_HTTP_PORT=$((BASE_PORT + 40))
CLK_TCK=$(getconf CLK_TCK)
STAMP=$(date +%Y%m%d-%H%M%S)

for p in "$BL_PORT" "$BL_PROXY_PORT"; do
  port_open "$p" && die "port $p (baseline) is already in use"
done

MADE_DIR=0
if [ -z "$DIR" ]; then
  DIR=$(mktemp -d "${TMPDIR:-/tmp}/gatehouse-http-bench-cluster.XXXXXX")
  MADE_DIR=1
fi
mkdir -p "$DIR"
DIR=$(cd "$DIR" && pwd)
[ -n "$OUT" ] || OUT=${TMPDIR:-/tmp}/gatehouse-http-bench-$STAMP
mkdir -p "$OUT"
OUT=$(cd "$OUT" && pwd)
RESULTS=$OUT/results.jsonl
: >"$RESULTS"
: >"$OUT/rejected.jsonl"
BL_RUN=$OUT/baseline-run  # the baseline's pid files and logs (start.sh's RUN_DIR)

# Snapshot the binary: others may rebuild build/gatehouse during the run, and `up` (re)starts the
# roles from the binary it runs as. So every row measures the same build.
BIN_DATE=$(date -u -r "$GATEHOUSE" '+%Y-%m-%d %H:%M UTC')
BIN_SHA=$(sha256sum "$GATEHOUSE" | cut -c1-12)
cp "$GATEHOUSE" "$OUT/gatehouse"
GATEHOUSE=$OUT/gatehouse

# ---------------------------------------------------------------- cleanup
CHILD=""
CLUSTER_STARTED=0
BASELINE_STARTED=0
baseline() {  # baseline up|down: the baseline's own start.sh, with this run's settings
  RUN_DIR=$BL_RUN GK_PORT=$BL_PORT PROXY_PORT=$BL_PROXY_PORT \
    MANAGER=127.0.0.1:$BASE_PORT WORKERS=127.0.0.1:$((BASE_PORT + 1)),127.0.0.1:$((BASE_PORT + 2)) \
    DB_USER=${APP_USER:-} DB_PASSWORD=${APP_PW:-} DB_NAME=sakila \
    timeout 120 "$BASELINE_DIR/start.sh" "$1"
}
exec {STDOUT_FD}>&1 {STDERR_FD}>&2
cleanup() {
  local rc=$?
  trap - EXIT INT TERM
  exec 1>&"$STDOUT_FD" 2>&"$STDERR_FD"
  stop_pid "$CHILD" 10
  if ((KEEP)); then
    echo "kept: cluster in $DIR (gatekeeper http 127.0.0.1:$GK_HTTP_PORT), baseline on 127.0.0.1:$BL_PORT"
    echo "      stop with: RUN_DIR=$BL_RUN $BASELINE_DIR/start.sh down; $GATEHOUSE down --purge --dir $DIR"
  else
    if ((BASELINE_STARTED)); then
      baseline down >>"$OUT/baseline.log" 2>&1 || echo "warning: start.sh down failed (see $OUT/baseline.log)" >&2
    fi
    if ((CLUSTER_STARTED)); then
      timeout 120 "$GATEHOUSE" down --purge --dir "$DIR" >"$OUT/down.log" 2>&1 ||
        echo "warning: gatehouse down failed (see $OUT/down.log)" >&2
    fi
    if ((MADE_DIR)); then rm -rf "$DIR"; fi
  fi
  echo "artifacts: $OUT"
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

source "$ROOT/scripts/lib/credentials.sh"
cred() { gh_cred "$DIR" "$@"; }

children_ticks() {  # cutime+cstime of this shell: the CPU of the children it has waited for
  local s f
  s=$(cat "/proc/$$/stat")
  read -ra f <<<"${s##*) }"
  echo $((f[13] + f[14]))
}
descendants() {  # PID and all its descendants
  local p
  local -a kids
  for p in "$@"; do
    echo "$p"
    mapfile -t kids < <(pgrep -P "$p" 2>/dev/null || true)
    ((${#kids[@]} == 0)) || descendants "${kids[@]}"
  done
}
role_pid() {  # role_pid NAME: the live pid of DIR/run/NAME.pid
  local pid
  pid=$(sed -n 1p "$DIR/run/$1.pid" 2>/dev/null || true)
  [[ $pid =~ ^[0-9]+$ ]] && kill -0 "$pid" 2>/dev/null && echo "$pid"
}
node_pids() {
  local n
  for n in source replica1 replica2; do
    [ -s "$DIR/nodes/$n/mariadbd.pid" ] && cat "$DIR/nodes/$n/mariadbd.pid"
  done
}
busy_compilers() {  # compiler and linker processes running now (other people's builds)
  ps -eo comm= | grep -cxE 'cc1plus|cc1|as|ld|ld\.gold|ld\.lld|collect2|clang|clang\+\+|clang-[0-9]+' || true
}

# ---------------------------------------------------------------- cluster
for p in "$BASE_PORT" "$((BASE_PORT + 1))" "$((BASE_PORT + 2))" "$((BASE_PORT + 20))" "$GK_HTTP_PORT"; do
  port_open "$p" && [ ! -s "$DIR/run/source.pid" ] && die "port $p is already in use"
done
say "cluster: $GATEHOUSE up --dir $DIR --base-port $BASE_PORT"
CLUSTER_STARTED=1
fg_run timeout 600 "$GATEHOUSE" up --dir "$DIR" --base-port "$BASE_PORT" >"$OUT/up.log" 2>&1 ||
  die "gatehouse up failed: $(tail -5 "$OUT/up.log")"
APP_USER=$(cred app user); APP_PW=$(cred app password)
TOKEN=$(cred api_key_read token)
[ -n "$APP_USER" ] && [ -n "$APP_PW" ] || die "credentials.toml lacks [app]"
[ -n "$TOKEN" ] || die "credentials.toml lacks [api_key_read] token"

# The gatekeeper's per-key rate limit (a token bucket) would cap a benchmark that puts all load
# on one key: raise it so it never binds (the bucket still runs on every request). Optionally
# set the gatekeeper's thread count. Then restart the gatekeeper (stop it; `up` starts it again).
gk_get() { awk -v k="$1" '/^\[/{s=$0} s=="[gatekeeper]" && $1==k{print $3}' "$DIR/gatehouse.toml"; }
gk_set() { sed -i "/^\[gatekeeper\]/,/^\[/ s/^$1 *= *[0-9]*/$1 = $2/" "$DIR/gatehouse.toml"; }
RATE_ORIG=$(gk_get rate_limit_per_s)
BURST_ORIG=$(gk_get rate_limit_burst)
RATE_NOTE="The per-key rate limit is as \`up\` wrote it (${RATE_ORIG:-?}/s)"
restart_gk=0
if [[ ${RATE_ORIG:-0} =~ ^[0-9]+$ ]] && ((RATE_ORIG > 0 && RATE_ORIG < 10000000)); then
  gk_set rate_limit_per_s 10000000
  gk_set rate_limit_burst 10000000
  RATE_NOTE="The per-key rate limit was raised from ${RATE_ORIG}/s (burst ${BURST_ORIG}) to 10,000,000/s so it never binds (one key carries the whole load; the token bucket still runs)"
  restart_gk=1
fi
if [ -n "$GK_THREADS" ] && [ "$(gk_get threads)" != "$GK_THREADS" ]; then
  gk_set threads "$GK_THREADS"
  restart_gk=1
fi
px_get() { awk -v k="$1" '/^\[/{s=$0} s=="[proxy]" && $1==k{print $3}' "$DIR/gatehouse.toml"; }
restart_px=0
if [ "$(px_get pipeline_depth)" != "$PIPELINE_DEPTH" ]; then
  sed -i "/^\[proxy\]/,/^\[/ s/^pipeline_depth *= *[0-9]*/pipeline_depth = $PIPELINE_DEPTH/" "$DIR/gatehouse.toml"
  [ "$(px_get pipeline_depth)" = "$PIPELINE_DEPTH" ] || die "could not set [proxy] pipeline_depth"
  restart_px=1
fi
if ((restart_gk || restart_px)); then
  for role in gatekeeper proxy; do
    [ $role = gatekeeper ] && ((!restart_gk)) && continue
    [ $role = proxy ] && ((!restart_px)) && continue
    old=$(role_pid $role || true)
    [ -n "$old" ] || die "no live $role in $DIR/run/$role.pid"
    say "restarting the $role with the benchmark settings"
    kill -TERM "$old"
    for ((i = 0; i < 100; i++)); do kill -0 "$old" 2>/dev/null || break; sleep 0.1; done
    kill -0 "$old" 2>/dev/null && die "the $role (pid $old) did not stop within 10 s"
  done
  fg_run timeout 300 "$GATEHOUSE" up --dir "$DIR" --base-port "$BASE_PORT" >>"$OUT/up.log" 2>&1 ||
    die "gatehouse up (restarting the gatekeeper) failed: $(tail -5 "$OUT/up.log")"
fi
GK_PID=$(role_pid gatekeeper || true)
PX_PID=$(role_pid proxy || true)
[ -n "$GK_PID" ] || die "no live gatekeeper (DIR/run/gatekeeper.pid)"
[ -n "$PX_PID" ] || die "no live proxy (DIR/run/proxy.pid)"
GK_THREADS_NOW=$(gk_get threads)
PX_THREADS=$(awk '/^\[/{s=$0} s=="[proxy]" && $1=="threads"{print $3}' "$DIR/gatehouse.toml")
for ((i = 0; i < 100; i++)); do port_open "$GK_HTTP_PORT" && break; sleep 0.1; done
port_open "$GK_HTTP_PORT" || die "the gatekeeper does not listen on $GK_HTTP_PORT"
say "gatehouse: gatekeeper pid $GK_PID (threads ${GK_THREADS_NOW:-1}), proxy pid $PX_PID (threads ${PX_THREADS:-2}); $RATE_NOTE"

# ---------------------------------------------------------------- baseline
say "baseline: $BASELINE_DIR/start.sh up (gatekeeper 127.0.0.1:$BL_PORT, proxy 127.0.0.1:$BL_PROXY_PORT, DB user $APP_USER)"
BASELINE_STARTED=1
baseline up >"$OUT/baseline.log" 2>&1 || die "the baseline did not start: $(tail -5 "$OUT/baseline.log"; tail -5 "$BL_RUN"/*.log 2>/dev/null)"
BL_PIDS=()
for n in gatekeeper proxy; do
  p=$(cat "$BL_RUN/$n.pid" 2>/dev/null || true)
  [[ $p =~ ^[0-9]+$ ]] && kill -0 "$p" 2>/dev/null || die "no live baseline $n (pid file $BL_RUN/$n.pid)"
  BL_PIDS+=("$p")
done

# ---------------------------------------------------------------- correctness check
SQL_TEXT="SELECT actor_id, first_name, last_name FROM sakila.actor WHERE actor_id ="
want=$(mariadb --no-defaults --protocol=TCP -h127.0.0.1 -P"$((BASE_PORT + 1))" -u"$APP_USER" -p"$APP_PW" -N -B \
  -e "SELECT first_name FROM sakila.actor WHERE actor_id = 7") || die "cannot read actor 7 on replica1"
n=$(mariadb --no-defaults --protocol=TCP -h127.0.0.1 -P"$BASE_PORT" -u"$APP_USER" -p"$APP_PW" -N -B \
  -e "SELECT COUNT(*) FROM sakila.actor") || die "cannot count sakila.actor"
[ "$n" = 200 ] || die "sakila.actor has $n rows, expected 200"
check() {  # check NAME URL BODY [AUTH]: one request must return actor 7
  local out
  out=$(curl -sS --max-time 10 -H 'Content-Type: application/json' ${4:+-H "Authorization: Bearer $4"} -d "$3" "$2") ||
    die "$1: curl failed"
  grep -q "\"$want\"" <<<"$out" || die "$1: the answer lacks actor 7 ($want): $out"
}
check baseline "http://127.0.0.1:$BL_PORT/query" "{\"query\":\"$SQL_TEXT 7\",\"strategy\":\"random\"}"
check "gatehouse params" "http://127.0.0.1:$GK_HTTP_PORT/v1/query" "{\"sql\":\"$SQL_TEXT ?\",\"params\":[7],\"strategy\":\"random\"}" "$TOKEN"
check "gatehouse literal" "http://127.0.0.1:$GK_HTTP_PORT/v1/query" "{\"sql\":\"$SQL_TEXT 7\",\"strategy\":\"random\"}" "$TOKEN"
say "all three paths return actor 7 ($want)"

# ---------------------------------------------------------------- one measured row
target_url() {
  case $1 in
    baseline) echo "http://127.0.0.1:$BL_PORT" ;;
    gatehouse_params | gatehouse_literal) echo "http://127.0.0.1:$GK_HTTP_PORT" ;;
  esac
}
target_mode() { case $1 in baseline) echo baseline ;; gatehouse_params) echo params ;; gatehouse_literal) echo literal ;; esac; }
# The processes of each tier: front = gatekeeper (gatehouse) or uvicorn gatekeeper (baseline),
# proxy = gatehouse proxy or uvicorn proxy (with any descendants).
tier_pids() {  # tier_pids TARGET front|proxy
  case $1:$2 in
    baseline:front) descendants "${BL_PIDS[0]}" ;;
    baseline:proxy) descendants "${BL_PIDS[1]}" ;;
    gatehouse_*:front) echo "$GK_PID" ;;
    gatehouse_*:proxy) echo "$PX_PID" ;;
  esac
}
other_stack() { case $1 in baseline) echo gatehouse_params ;; *) echo baseline ;; esac; }
machine_ticks() {  # "busy total" CPU ticks of the whole machine, from /proc/stat
  local user nice system idle iowait irq softirq steal rest
  read -r _ user nice system idle iowait irq softirq steal rest </proc/stat
  echo "$((user + nice + system + irq + softirq + steal)) $((user + nice + system + idle + iowait + irq + softirq + steal))"
}
wrk_cmd() {  # wrk_cmd TARGET CONNECTIONS THREADS SECONDS
  echo wrk -t"$3" -c"$2" -d"$4"s --timeout 10s --latency -s "$LIB/gatekeeper_wrk.lua" "$(target_url "$1")"
}

measure_once() {  # measure_once RUN TARGET CONNECTIONS THREADS ATTEMPT: one wrk row -> $log.json
  local run=$1 target=$2 conns=$3 threads=$4 attempt=$5 rc=0
  local log="$OUT/run$run-c$conns-$target-a$attempt.txt"
  LAST_ROW=$log.json
  local -a cmd fpids ppids opids dbp
  read -ra cmd <<<"$(wrk_cmd "$target" "$conns" "$threads" "$TIME")"
  mapfile -t fpids < <(tier_pids "$target" front)
  mapfile -t ppids < <(tier_pids "$target" proxy)
  mapfile -t opids < <(tier_pids "$(other_stack "$target")" front; tier_pids "$(other_stack "$target")" proxy)
  mapfile -t dbp < <(node_pids)
  for p in "${fpids[@]}" "${ppids[@]}"; do kill -0 "$p" 2>/dev/null || die "$target: process $p is gone"; done
  local note=""
  ((attempt == 0)) || note=" (attempt $((attempt + 1)))"
  say "run $run: $target, $conns connection(s), ${TIME}s$note"
  local load0 f0 f1 p0 p1 o0 o1 d0 d1 c0 c1 m0 m1 t0 t1 comp
  load0=$(cut -d' ' -f1-3 /proc/loadavg)
  comp=$(busy_compilers)
  m0=$(machine_ticks)
  f0=$(cpu_ticks "${fpids[@]}"); p0=$(cpu_ticks "${ppids[@]}"); o0=$(cpu_ticks "${opids[@]}")
  d0=$(cpu_ticks "${dbp[@]}"); c0=$(children_ticks)
  t0=$(date +%s.%N)
  WRK_MODE=$(target_mode "$target") WRK_TOKEN=$TOKEN fg_run timeout $((TIME + 60)) "${cmd[@]}" >"$log" 2>&1 || rc=$?
  t1=$(date +%s.%N)
  c1=$(children_ticks); d1=$(cpu_ticks "${dbp[@]}")
  o1=$(cpu_ticks "${opids[@]}"); p1=$(cpu_ticks "${ppids[@]}"); f1=$(cpu_ticks "${fpids[@]}")
  m1=$(machine_ticks)
  python3 - "$log" "$LAST_ROW" <<EOF
import json, re, sys
text = open(sys.argv[1], errors="replace").read()
def ms(s):
    m = re.match(r"([\d.]+)(us|ms|s)$", s)
    if not m:
        return None
    v = float(m.group(1))
    return {"us": v / 1000, "ms": v, "s": v * 1000}[m.group(2)]
def lat(p):
    m = re.search(r"^\s+%s%%\s+(\S+)" % p, text, re.M)
    return ms(m.group(1)) if m else None
def grab(pattern, cast=float):
    m = re.search(pattern, text)
    return cast(m.group(1)) if m else None
sock = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", text)
row = {
    "run": $run, "target": "$target", "connections": $conns, "threads": $threads, "rc": $rc,
    "attempt": $attempt + 1,
    "time_s": $TIME, "wall_s": round($t1 - $t0, 3),
    "requests": grab(r"(\d+) requests in", int), "rps": grab(r"Requests/sec:\s+([\d.]+)"),
    "avg_ms": ms(re.search(r"Latency\s+(\S+)", text).group(1)) if re.search(r"Latency\s+(\S+)", text) else None,
    "p50_ms": lat(50), "p75_ms": lat(75), "p90_ms": lat(90), "p99_ms": lat(99),
    "socket_errors": sum(int(x) for x in sock.groups()) if sock else 0,
    "socket_errors_detail": sock.group(0) if sock else "",
    "non2xx": grab(r"Non-2xx or 3xx responses:\s+(\d+)", int) or 0,
    "clk_tck": $CLK_TCK, "front_ticks": $f1 - $f0, "proxy_ticks": $p1 - $p0,
    "stack_ticks": ($f1 - $f0) + ($p1 - $p0), "idle_stack_ticks": $o1 - $o0,
    "db_ticks": $d1 - $d0, "client_ticks": $c1 - $c0,
    "stack_pids": "${fpids[*]} ${ppids[*]}", "loadavg": "$load0", "compilers": $comp,
}
mb0, mt0 = (int(x) for x in "$m0".split())
mb1, mt1 = (int(x) for x in "$m1".split())
ours = row["stack_ticks"] + row["idle_stack_ticks"] + row["db_ticks"] + row["client_ticks"]
row["machine_busy_ticks"], row["machine_total_ticks"] = mb1 - mb0, mt1 - mt0
row["others_ticks"] = max(0, (mb1 - mb0) - ours)  # CPU of processes outside the benchmark
row["others_pct"] = round(100.0 * row["others_ticks"] / (mt1 - mt0), 1) if mt1 > mt0 else None
if row["rc"] != 0 and not row["socket_errors"]:
    row["socket_errors"] = 1
open(sys.argv[2], "w").write(json.dumps(row) + "\n")
us = lambda t: t * 1e6 / row["clk_tck"] / row["requests"] if row["requests"] else float("nan")
print(f"    {row['rps']} req/s, p50 {row['p50_ms']} ms, p99 {row['p99_ms']} ms, "
      f"errors {row['socket_errors']}, non-2xx {row['non2xx']}, stack CPU {us(row['stack_ticks']):.0f} us/req, "
      f"mariadbd {us(row['db_ticks']):.0f} us/req, wrk {us(row['client_ticks']):.0f} us/req, load {row['loadavg']}, "
      f"others' CPU {row['others_pct']}% of the machine")
EOF
  if ((rc != 0)); then echo "warning: wrk exited $rc (see $log)" >&2; fi
}

# measure RUN TARGET CONNECTIONS THREADS: one row; while other people's processes took more than
# --quiet-threshold % of the machine's CPU during it, it is measured again (bounded by
# --retries, after a --settle pause); the rejected attempts go to rejected.jsonl.
measure() {
  local attempt others
  for ((attempt = 0; ; attempt++)); do
    measure_once "$@" "$attempt"
    others=$(python3 -c 'import json,sys; v=json.load(open(sys.argv[1])).get("others_pct"); print(-1 if v is None else int(v))' "$LAST_ROW")
    if ((others <= QUIET_PCT || attempt >= RETRIES)); then
      ((others <= QUIET_PCT)) || echo "warning: kept a row with others' CPU at $others % (--retries $RETRIES used up)" >&2
      cat "$LAST_ROW" >>"$RESULTS"
      return 0
    fi
    cat "$LAST_ROW" >>"$OUT/rejected.jsonl"
    say "    others' CPU $others % > $QUIET_PCT %: measuring this row again in ${SETTLE}s"
    sleep "$SETTLE"
  done
}

# ---------------------------------------------------------------- the comparison
TARGETS=(baseline gatehouse_params gatehouse_literal)
LOAD_START=$(cut -d' ' -f1-3 /proc/loadavg)
COMP_START=$(busy_compilers)
say "load average: $LOAD_START; compiler processes running: $COMP_START"
if ((WARMUP > 0)); then
  for t in "${TARGETS[@]}"; do
    say "warm-up: $t, ${WARMUP}s (not measured)"
    read -ra cmd <<<"$(wrk_cmd "$t" "$CONNECTIONS" "$WRK_THREADS" "$WARMUP")"
    WRK_MODE=$(target_mode "$t") WRK_TOKEN=$TOKEN fg_run timeout $((WARMUP + 60)) "${cmd[@]}" >"$OUT/warmup-$t.txt" 2>&1 ||
      echo "warning: warm-up of $t failed (see $OUT/warmup-$t.txt)" >&2
  done
fi
for ((run = 1; run <= RUNS; run++)); do
  order=("${TARGETS[@]}")
  if ((run % 2 == 0)); then order=(gatehouse_literal gatehouse_params baseline); fi
  say "=== run $run of $RUNS: ${order[*]} ==="
  for t in "${order[@]}"; do measure "$run" "$t" "$CONNECTIONS" "$WRK_THREADS"; done
done
if ((SINGLE)); then
  say "=== 1 connection ==="
  for t in "${TARGETS[@]}"; do measure 0 "$t" 1 1; done
fi
LOAD_END=$(cut -d' ' -f1-3 /proc/loadavg)
COMP_END=$(busy_compilers)

# ---------------------------------------------------------------- report
py_version() { "$1" -c "import $2; print($2.__version__)" 2>/dev/null || echo "?"; }
META_DATE=$(date -u '+%Y-%m-%d %H:%M UTC')
META_NPROC=$(nproc)
META_CPU=$(grep -m1 '^model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//' || true)
META_MEM=$(awk '/MemTotal/{printf "%.1f GiB RAM", $2/1048576}' /proc/meminfo)
META_KERNEL=$(uname -r)
META_MARIADB=$(mariadbd --version 2>/dev/null | sed 's/ *for .*//' | tr -s ' ' || echo mariadbd)
META_WRK=$(wrk --version 2>&1 | sed -n 1p | cut -d' ' -f1-2 || true)  # wrk --version exits 1
META_BASELINE_SW="Python $(/usr/bin/python3 -c 'import platform; print(platform.python_version())'), FastAPI $(py_version /usr/bin/python3 fastapi), uvicorn $(py_version /usr/bin/python3 uvicorn), PyMySQL $(py_version /usr/bin/python3 pymysql), requests $(py_version /usr/bin/python3 requests)"
export META_REV="binary built $BIN_DATE, sha256 $BIN_SHA"
export META_DATE META_NPROC META_CPU META_MEM META_KERNEL META_MARIADB META_WRK META_BASELINE_SW
export LOAD_START LOAD_END COMP_START COMP_END RATE_NOTE QUIET_PCT RETRIES SETTLE
REJECTED=$(grep -c . "$OUT/rejected.jsonl" || true)
export REJECTED
export M_BASE=$BASE_PORT M_TIME=$TIME M_WARMUP=$WARMUP M_RUNS=$RUNS M_CONNS=$CONNECTIONS \
  M_WRK_THREADS=$WRK_THREADS M_GK_THREADS=${GK_THREADS_NOW:-1} M_PX_THREADS=${PX_THREADS:-2} \
  M_DEPTH=$PIPELINE_DEPTH M_BL_PORT=$BL_PORT M_BL_PROXY_PORT=$BL_PROXY_PORT M_APP_USER=$APP_USER
export C1="bench/gatekeeper_wrk.sh --base-port $BASE_PORT --time $TIME --warmup $WARMUP --runs $RUNS --connections $CONNECTIONS --wrk-threads $WRK_THREADS --quiet-threshold $QUIET_PCT --retries $RETRIES --settle $SETTLE${GK_THREADS:+ --gk-threads $GK_THREADS}$( ((PIPELINE_DEPTH > 1)) && echo " --pipeline-depth $PIPELINE_DEPTH")" \
  C2="gatehouse up --dir DIR --base-port $BASE_PORT   # then [gatekeeper] rate_limit_per_s raised (see Setup), gatekeeper restarted" \
  C3="RUN_DIR=OUT/baseline-run GK_PORT=$BL_PORT PROXY_PORT=$BL_PROXY_PORT MANAGER=127.0.0.1:$BASE_PORT WORKERS=127.0.0.1:$((BASE_PORT + 1)),127.0.0.1:$((BASE_PORT + 2)) DB_USER=$APP_USER DB_PASSWORD=... DB_NAME=sakila ../shared/baselines/fastapi-stack/start.sh up" \
  C4="WRK_MODE=baseline wrk -t$WRK_THREADS -c$CONNECTIONS -d${TIME}s --timeout 10s --latency -s bench/lib/gatekeeper_wrk.lua http://127.0.0.1:$BL_PORT" \
  C5="WRK_MODE=params  WRK_TOKEN=<[api_key_read] token> wrk -t$WRK_THREADS -c$CONNECTIONS -d${TIME}s --timeout 10s --latency -s bench/lib/gatekeeper_wrk.lua http://127.0.0.1:$GK_HTTP_PORT" \
  C6="WRK_MODE=literal WRK_TOKEN=<[api_key_read] token> wrk ... (same as above)" \
  C7="#   1-connection rows: the same with -t1 -c1; warm-up: the same with -d${WARMUP}s, once per stack before run 1"
python3 - "$OUT/meta.json" <<'EOF'
import json, os, sys
e = os.environ
meta = {
    "date": e["META_DATE"], "gatehouse_rev": e["META_REV"],
    "loadavg_start": e["LOAD_START"], "loadavg_end": e["LOAD_END"],
    "compilers_start": int(e["COMP_START"]), "compilers_end": int(e["COMP_END"]),
    "rate_note": e["RATE_NOTE"],
    "quiet": {"threshold_pct": int(e["QUIET_PCT"]), "retries": int(e["RETRIES"]),
              "settle_s": int(e["SETTLE"]), "rejected": int(e["REJECTED"] or 0)},
    "machine": {"nproc": e["META_NPROC"], "cpu_model": e["META_CPU"], "mem": e["META_MEM"],
                "kernel": e["META_KERNEL"], "mariadb": e["META_MARIADB"], "wrk": e["META_WRK"],
                "baseline_sw": e["META_BASELINE_SW"]},
    "options": {"base_port": int(e["M_BASE"]), "time": int(e["M_TIME"]),
                "warmup": int(e["M_WARMUP"]), "runs": int(e["M_RUNS"]),
                "connections": int(e["M_CONNS"]), "wrk_threads": int(e["M_WRK_THREADS"]),
                "gk_threads": int(e["M_GK_THREADS"]), "proxy_threads": int(e["M_PX_THREADS"]),
                "pipeline_depth": int(e["M_DEPTH"]),
                "bl_port": int(e["M_BL_PORT"]), "bl_proxy_port": int(e["M_BL_PROXY_PORT"]),
                "app_user": e["M_APP_USER"]},
    "commands": [e[f"C{i}"] for i in range(1, 8)],
}
json.dump(meta, open(sys.argv[1], "w"), indent=2)
EOF
echo
python3 "$LIB/gatekeeper_wrk_report.py" --results "$RESULTS" --meta "$OUT/meta.json" \
  --markdown "$OUT/report.md" ${DOCS:+--docs "$DOCS"}
