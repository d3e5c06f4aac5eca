#!/usr/bin/env bash
# bench/proxy_sysbench.sh: the proxy benchmark. In one run, on one cluster, it measures sysbench
# read workloads three ways and reports QPS, p95 latency, errors and each proxy's CPU per query:
#   1. direct     sysbench -> replica1 (the [app] user)
#   2. HAProxy    sysbench -> haproxy (tcp, roundrobin over replica1+replica2) -> replicas
#   3. gatehouse  sysbench -> gatehouse proxy ([proxy_client] user) -> replicas, with the
#                 proxy's default strategy `random`, then `customized` (config edit + restart)
# It is a benchmark, not a test: it exits 0 when every row ran, whatever the numbers say.
#
# Everything runs on 127.0.0.1. Every wait is bounded. On exit (also on Ctrl-C) it stops the
# haproxy and gatehouse proxy it started and tears the cluster down, unless --keep.
#
# Usage: bench/proxy_sysbench.sh [options]   (see --help)
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BENCH_NAME=proxy_sysbench
source "$ROOT/bench/lib/common.sh"
LIB=$ROOT/bench/lib

BASE_PORT=20307
DIR=""
OUT=""
TIME=20
WARMUP=3
THREADS=8
TABLES=4
TABLE_SIZE=10000
RUNS=2
KEEP=0
WITH_TRX=1
WITH_CUSTOMIZED=1
PIPELINE_DEPTH=4
DOCS=$ROOT/docs/benchmarks.md
GATEHOUSE=${GATEHOUSE:-$ROOT/build/gatehouse}
WORKLOADS_ARG="point_select,read_only_skip_trx,read_only_trx"

usage() {
  cat <<EOF
usage: $0 [options]
  --base-port P       cluster base port (source P, replicas P+1.., gatehouse P+20, haproxy P+30;
                      default $BASE_PORT)
  --dir DIR           cluster directory (default: a fresh temp dir, deleted at the end)
  --out DIR           where sysbench outputs, configs and the report go
                      (default: \${TMPDIR:-/tmp}/gatehouse-proxy-bench-<date>; always kept)
  --time S            seconds per measured row (default $TIME)
  --warmup S          unmeasured warm-up per row on the same path (default $WARMUP; 0: none)
  --threads N         sysbench threads (default $THREADS)
  --tables N          sysbench tables (default $TABLES)
  --table-size N      rows per table (default $TABLE_SIZE)
  --runs N            complete comparisons in a row on the same cluster (default $RUNS)
  --workloads LIST    comma list of point_select,read_only_skip_trx,read_only_trx
  --no-trx            skip the oltp_read_only row with transactions
  --no-customized     skip the gatehouse 'customized' rows (no proxy restarts)
  --pipeline-depth N  [proxy] pipeline_depth for the gatehouse rows (default $PIPELINE_DEPTH: reads
                      pipelined, as tuned for short OLTP reads; 1 is the product default, off)
  --docs FILE         markdown file to update between the markers (default docs/benchmarks.md)
  --no-docs           do not touch any docs file
  --gatehouse PATH    gatehouse binary (default build/gatehouse)
  --keep              leave the cluster and the gatehouse proxy running at the end
EOF
}

while (($#)); do
  case $1 in
    --base-port) need_int "$1" "${2:-}"; BASE_PORT=$2; shift 2 ;;
    --dir) DIR=${2:?--dir needs a value}; shift 2 ;;
    --out) OUT=${2:?--out needs a value}; shift 2 ;;
    --time) need_int "$1" "${2:-}"; TIME=$2; shift 2 ;;
    --warmup) need_int "$1" "${2:-}"; WARMUP=$2; shift 2 ;;
    --threads) need_int "$1" "${2:-}"; THREADS=$2; shift 2 ;;
    --pipeline-depth) need_int "$1" "${2:-}"; PIPELINE_DEPTH=$2; shift 2 ;;
    --tables) need_int "$1" "${2:-}"; TABLES=$2; shift 2 ;;
    --table-size) need_int "$1" "${2:-}"; TABLE_SIZE=$2; shift 2 ;;
    --runs) need_int "$1" "${2:-}"; RUNS=$2; shift 2 ;;
    --workloads) WORKLOADS_ARG=${2:?--workloads needs a value}; shift 2 ;;
    --no-trx) WITH_TRX=0; shift ;;
    --no-customized) WITH_CUSTOMIZED=0; shift ;;
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
((THREADS >= 1 && THREADS <= 256)) || die "--threads must be 1..256"
((TABLES >= 1 && TABLES <= 64)) || die "--tables must be 1..64"
((TABLE_SIZE >= 1 && TABLE_SIZE <= 10000000)) || die "--table-size must be 1..10000000"
((RUNS >= 1 && RUNS <= 10)) || die "--runs must be 1..10"
((BASE_PORT >= 1024 && BASE_PORT <= 65000)) || die "--base-port must be 1024..65000"

WORKLOADS=()
IFS=, read -ra _w <<<"$WORKLOADS_ARG"
for w in "${_w[@]}"; do
  case $w in
    point_select | read_only_skip_trx) WORKLOADS+=("$w") ;;
    read_only_trx) ((WITH_TRX)) && WORKLOADS+=("$w") ;;
    *) die "unknown workload '$w'" ;;
  esac
done
((${#WORKLOADS[@]})) || die "no workload selected"
TARGETS=(direct haproxy gatehouse_random)
((WITH_CUSTOMIZED)) && TARGETS+=(gatehouse_customized)

for tool in sysbench haproxy mariadb python3 timeout; do
  command -v "$tool" >/dev/null || die "'$tool' is not installed (apt-get install sysbench haproxy mariadb-client python3)"
done
[ -x "$GATEHOUSE" ] || die "$GATEHOUSE is missing: cmake --preset release && cmake --build --preset release --target gatehouse -j2"

SOURCE_PORT=$BASE_PORT
R1_PORT=$((BASE_PORT + 1))
R2_PORT=$((BASE_PORT + 2))
GH_PORT=$((BASE_PORT + 20))
HA_PORT=$((BASE_PORT + 30))
CLK_TCK=$(getconf CLK_TCK)
STAMP=$(date +%Y%m%d-%H%M%S)

MADE_DIR=0
if [ -z "$DIR" ]; then
  DIR=$(mktemp -d "${TMPDIR:-/tmp}/gatehouse-bench-cluster.XXXXXX")
  MADE_DIR=1
fi
mkdir -p "$DIR"
DIR=$(cd "$DIR" && pwd)
[ -n "$OUT" ] || OUT=${TMPDIR:-/tmp}/gatehouse-proxy-bench-$STAMP
mkdir -p "$OUT"
OUT=$(cd "$OUT" && pwd)
RESULTS=$OUT/results.jsonl
: >"$RESULTS"

# Snapshot the binary: other engineers may rebuild build/gatehouse during the run, and `up`
# (re)starts the proxy from the binary it runs as. So every row measures the same build.
GIT_REV=$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo "?")
if [ -n "$(git -C "$ROOT" status --porcelain -- src 2>/dev/null)" ]; then GIT_REV="$GIT_REV + uncommitted src changes"; fi
BIN_DATE=$(date -u -r "$GATEHOUSE" '+%Y-%m-%d %H:%M UTC')
BIN_SHA=$(sha256sum "$GATEHOUSE" | cut -c1-12)
cp "$GATEHOUSE" "$OUT/gatehouse"
GATEHOUSE=$OUT/gatehouse

# ---------------------------------------------------------------- process bookkeeping + cleanup
HA_PID=""
CHILD=""           # the long-running command being waited for (sysbench, gatehouse up)
GH_PID=""          # the gatehouse proxy in use (started by `up`, or by this script)
GH_MANAGED=0       # 1: it is the cluster's proxy role (DIR/run/proxy.pid), stopped by `down`
TOML_BACKUP=""     # DIR/gatehouse.toml as found, restored at the end
CLUSTER_STARTED=0

exec {STDOUT_FD}>&1 {STDERR_FD}>&2  # cleanup may run inside a redirected command: write here
cleanup() {
  local rc=$?
  trap - EXIT INT TERM
  exec 1>&"$STDOUT_FD" 2>&"$STDERR_FD"
  stop_pid "$CHILD" 10
  stop_pid "$HA_PID" 10
  if [ -n "$TOML_BACKUP" ] && [ -f "$TOML_BACKUP" ]; then
    if ! cmp -s "$TOML_BACKUP" "$DIR/gatehouse.toml"; then
      cp "$TOML_BACKUP" "$DIR/gatehouse.toml"
      # A kept proxy must run with the restored config.
      if ((KEEP)) && [ -n "$GH_PID" ]; then stop_pid "$GH_PID" 15; GH_PID=""; start_gatehouse; fi
    fi
    rm -f "$TOML_BACKUP"
  fi
  if ((KEEP)); then
    echo "kept: cluster in $DIR (source $SOURCE_PORT, replicas $R1_PORT/$R2_PORT)${GH_PID:+, gatehouse proxy pid $GH_PID on $GH_PORT}"
    local own=""
    ((GH_MANAGED)) || own=${GH_PID:+kill $GH_PID; }
    echo "      stop with: $own$GATEHOUSE down --purge --dir $DIR"
  else
    ((GH_MANAGED)) || stop_pid "$GH_PID" 10  # a managed proxy stops with the cluster
    if ((CLUSTER_STARTED)); then
      timeout 120 "$GATEHOUSE" down --purge --dir "$DIR" >"$OUT/down.log" 2>&1 || echo "warning: gatehouse down failed (see $OUT/down.log)" >&2
    fi
    if ((MADE_DIR)); then rm -rf "$DIR"; fi
  fi
  echo "artifacts: $OUT"
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# ---------------------------------------------------------------- credentials and SQL helpers
source "$(dirname "$0")/../scripts/lib/credentials.sh"
cred() { gh_cred "$DIR" "$@"; }  # cred SECTION KEY
sql() {  # sql PORT USER PASSWORD SQL: one statement, batch output, bounded
  timeout 30 mariadb --no-defaults --protocol=TCP --connect-timeout=5 -h127.0.0.1 -P"$1" \
    -u"$2" -p"$3" -N -B -e "$4"
}
admin_sql() { sql "$1" "$ADMIN_USER" "$ADMIN_PW" "$2"; }

# children_ticks: cutime+cstime of this shell: the CPU of the children it has waited for.
children_ticks() {
  local s f
  s=$(cat "/proc/$$/stat")
  read -ra f <<<"${s##*) }"
  echo $((f[13] + f[14]))
}
node_pids() {
  local n
  for n in source replica1 replica2; do
    [ -s "$DIR/nodes/$n/mariadbd.pid" ] && cat "$DIR/nodes/$n/mariadbd.pid"
  done
}
questions() {  # questions: "source replica1 replica2" Questions counters
  local p out=()
  for p in "$SOURCE_PORT" "$R1_PORT" "$R2_PORT"; do
    out+=("$(admin_sql "$p" "SHOW GLOBAL STATUS LIKE 'Questions'" | awk '{print $2}')")
  done
  echo "${out[@]}"
}

# ---------------------------------------------------------------- cluster
say "cluster: $GATEHOUSE up --dir $DIR --base-port $BASE_PORT"
if port_open "$HA_PORT"; then die "port $HA_PORT (haproxy) is already in use"; fi
CLUSTER_STARTED=1
fg_run timeout 600 "$GATEHOUSE" up --dir "$DIR" --base-port "$BASE_PORT" >"$OUT/up.log" 2>&1 ||
  die "gatehouse up failed: $(tail -5 "$OUT/up.log")"
ADMIN_USER=$(cred admin user); ADMIN_PW=$(cred admin password)
APP_USER=$(cred app user); APP_PW=$(cred app password)
CLIENT_USER=$(cred proxy_client user)
# shellcheck disable=SC2034  # read through ${!pwvar} in measure()
CLIENT_PW=$(cred proxy_client password)
if [ -z "$APP_USER" ] || [ -z "$CLIENT_USER" ]; then die "credentials.toml lacks [app] or [proxy_client]"; fi
TOML_BACKUP=$(mktemp "$OUT/gatehouse.toml.orig.XXXXXX")
cp "$DIR/gatehouse.toml" "$TOML_BACKUP"

# ---------------------------------------------------------------- gatehouse proxy
# Two cases. `gatehouse up` starts the proxy role itself (recorded in DIR/run/proxy.pid, logging
# to DIR/proxy.log): then the script uses that process, restarts it by stopping it and running
# `up` again (which starts missing roles), and `down` stops it. With a binary whose `up` does not
# start the proxy, the script runs `gatehouse proxy --dir DIR` itself.
GH_LOG=$OUT/gatehouse-proxy.log

managed_proxy_pid() {  # the live pid recorded in DIR/run/proxy.pid, or nothing
  local pidfile=$DIR/run/proxy.pid pid ident
  [ -s "$pidfile" ] || return 0
  pid=$(sed -n 1p "$pidfile"); ident=$(sed -n 2p "$pidfile")
  [[ $pid =~ ^[0-9]+$ ]] || return 0
  local cmdline
  cmdline=$(tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null) || return 0
  if [[ $cmdline == *"${ident:-proxy --dir $DIR}"* ]]; then echo "$pid"; fi
}
wait_proxy_healthy() {
  # Bounded: until the proxy's health monitor sees both replicas up, so `random` spreads at once.
  local i
  for ((i = 0; i < 100; i++)); do
    if python3 - "$DIR/proxy-stats.json" 2>/dev/null <<'EOF'; then return 0; fi
import json, sys
s = json.load(open(sys.argv[1]))["nodes"]
sys.exit(0 if all(s[n]["up"] and not s[n]["lagging"] for n in ("replica1", "replica2")) else 1)
EOF
    sleep 0.1
  done
  echo "warning: the proxy's stats do not show both replicas healthy after 10 s" >&2
}
start_gatehouse() {
  rm -f "$DIR/proxy-stats.json"  # rewritten every second by the proxy; drop the last one's
  if ((GH_MANAGED)); then
    fg_run timeout 300 "$GATEHOUSE" up --dir "$DIR" --base-port "$BASE_PORT" >>"$OUT/up.log" 2>&1 ||
      die "gatehouse up (restarting the proxy) failed: $(tail -5 "$OUT/up.log")"
    GH_PID=$(managed_proxy_pid)
    [ -n "$GH_PID" ] || die "gatehouse up did not restart the proxy (no live DIR/run/proxy.pid)"
    GH_LOG=$DIR/proxy.log
  else
    "$GATEHOUSE" proxy --dir "$DIR" >>"$GH_LOG" 2>&1 {STDOUT_FD}>&- {STDERR_FD}>&- </dev/null &
    GH_PID=$!
  fi
  wait_port "$GH_PORT" 20 || die "gatehouse proxy did not listen on $GH_PORT: $(tail -5 "$GH_LOG")"
  kill -0 "$GH_PID" 2>/dev/null || die "gatehouse proxy exited: $(tail -5 "$GH_LOG")"
  wait_proxy_healthy
}
stop_gatehouse() {
  stop_pid "$GH_PID" 15
  GH_PID=""
  local i
  for ((i = 0; i < 100; i++)); do port_open "$GH_PORT" || return 0; sleep 0.1; done
  die "port $GH_PORT is still busy after stopping the gatehouse proxy"
}

CURRENT_STRATEGY=$(awk '/^\[/{s=$0} s=="[proxy]" && $1=="default_strategy"{gsub(/"/,"",$3); print $3}' "$DIR/gatehouse.toml")
PROXY_THREADS=$(awk '/^\[/{s=$0} s=="[proxy]" && $1=="threads"{print $3}' "$DIR/gatehouse.toml")
CURRENT_DEPTH=$(awk '/^\[/{s=$0} s=="[proxy]" && $1=="pipeline_depth"{print $3}' "$DIR/gatehouse.toml")
if [ "${CURRENT_DEPTH:-1}" != "$PIPELINE_DEPTH" ]; then
  if [ -n "$CURRENT_DEPTH" ]; then
    sed -i "/^\[proxy\]/,/^\[/ s/^pipeline_depth *= *[0-9]*/pipeline_depth = $PIPELINE_DEPTH/" "$DIR/gatehouse.toml"
  else
    sed -i "s/^\[proxy\]\$/[proxy]\npipeline_depth = $PIPELINE_DEPTH/" "$DIR/gatehouse.toml"
  fi
  FORCE_RESTART=1  # the running proxy has another depth
fi
[ -n "$CURRENT_STRATEGY" ] || die "no [proxy] default_strategy in $DIR/gatehouse.toml"
GH_PID=$(managed_proxy_pid)
if [ -n "$GH_PID" ]; then
  GH_MANAGED=1
  GH_LOG=$DIR/proxy.log
  say "gatehouse proxy: started by gatehouse up (pid $GH_PID, port $GH_PORT, threads ${PROXY_THREADS:-2})"
  if [ "$CURRENT_STRATEGY" != random ] || [ -n "${FORCE_RESTART:-}" ] ||
    [ "$(readlink "/proc/$GH_PID/exe")" != "$GATEHOUSE" ]; then
    CURRENT_STRATEGY=unknown  # set_strategy below restarts it: `random`, from the snapshot
  else
    wait_port "$GH_PORT" 20 || die "gatehouse proxy (pid $GH_PID) does not listen on $GH_PORT"
    wait_proxy_healthy
  fi
else
  if port_open "$GH_PORT"; then
    # A proxy of this dir left by a --keep run with an older binary: take it over.
    old=$(pgrep -f -- "gatehouse proxy --dir $DIR( |\$)" || true)
    [ -n "$old" ] || die "port $GH_PORT is busy, and not with this cluster's gatehouse proxy"
    say "taking over the gatehouse proxy of $DIR (pid ${old//$'\n'/ })"
    for p in $old; do GH_PID=$p; stop_gatehouse; done
  fi
  if [ "$CURRENT_STRATEGY" != random ]; then
    sed -i "/^\[proxy\]/,/^\[/ s/^default_strategy *= *\"[a-z]*\"/default_strategy = \"random\"/" "$DIR/gatehouse.toml"
    CURRENT_STRATEGY=random
  fi
  say "gatehouse proxy: $GATEHOUSE proxy --dir $DIR (port $GH_PORT, threads ${PROXY_THREADS:-2})"
  start_gatehouse
fi

# set_strategy S: [proxy] default_strategy = S in DIR/gatehouse.toml, and restart the proxy.
set_strategy() {
  [ "$CURRENT_STRATEGY" = "$1" ] && return 0
  sed -i "/^\[proxy\]/,/^\[/ s/^default_strategy *= *\"[a-z]*\"/default_strategy = \"$1\"/" "$DIR/gatehouse.toml"
  grep -q "^default_strategy = \"$1\"" "$DIR/gatehouse.toml" || die "could not set default_strategy in $DIR/gatehouse.toml"
  say "restarting the gatehouse proxy with default_strategy = $1"
  stop_gatehouse
  start_gatehouse
  CURRENT_STRATEGY=$1
}
set_strategy random

# ---------------------------------------------------------------- haproxy
sed -e "s/@BIND_PORT@/$HA_PORT/" -e "s/@REPLICA1_PORT@/$R1_PORT/" -e "s/@REPLICA2_PORT@/$R2_PORT/" \
  -e "s/@NBTHREAD@/2/" -e "s/@MAXCONN@/4096/" "$LIB/haproxy.cfg.in" >"$OUT/haproxy.cfg"
haproxy -c -q -f "$OUT/haproxy.cfg" || die "haproxy rejected $OUT/haproxy.cfg"
say "haproxy: haproxy -f $OUT/haproxy.cfg -db (port $HA_PORT)"
haproxy -f "$OUT/haproxy.cfg" -db >"$OUT/haproxy.log" 2>&1 {STDOUT_FD}>&- {STDERR_FD}>&- </dev/null &
HA_PID=$!
wait_port "$HA_PORT" 10 || die "haproxy did not listen on $HA_PORT: $(tail -5 "$OUT/haproxy.log")"

# ---------------------------------------------------------------- data
SB_COMMON=(--db-driver=mysql --mysql-host=127.0.0.1 --mysql-db=sbtest --tables="$TABLES"
  --table-size="$TABLE_SIZE")
say "preparing sbtest: $TABLES tables x $TABLE_SIZE rows through the source"
sql "$SOURCE_PORT" "$APP_USER" "$APP_PW" "DROP DATABASE IF EXISTS sbtest; CREATE DATABASE sbtest"
fg_run timeout 1800 sysbench oltp_read_only "${SB_COMMON[@]}" --mysql-port="$SOURCE_PORT" \
  --mysql-user="$APP_USER" --mysql-password="$APP_PW" prepare >"$OUT/prepare.log" 2>&1 ||
  die "sysbench prepare failed: $(tail -5 "$OUT/prepare.log")"
target_pos=$(admin_sql "$SOURCE_PORT" "SELECT @@gtid_binlog_pos")
say "waiting for the replicas to reach the source's GTID position $target_pos"
for p in "$R1_PORT" "$R2_PORT"; do
  caught=0
  for ((i = 0; i < 1200; i++)); do  # up to 120 s per replica
    [ "$(admin_sql "$p" "SELECT @@gtid_slave_pos")" = "$target_pos" ] && { caught=1; break; }
    sleep 0.1
  done
  ((caught)) || die "replica on $p did not reach $target_pos within 120 s"
done
for p in "$R1_PORT" "$R2_PORT"; do
  n=$(admin_sql "$p" "SELECT COUNT(*) FROM sbtest.sbtest$TABLES")
  [ "$n" = "$TABLE_SIZE" ] || die "replica on $p has $n rows in sbtest$TABLES, expected $TABLE_SIZE"
done

# ---------------------------------------------------------------- one measured row
workload_args() {
  case $1 in
    point_select) echo "oltp_point_select" ;;
    read_only_skip_trx) echo "oltp_read_only --skip-trx=on" ;;
    read_only_trx) echo "oltp_read_only --skip-trx=off" ;;
  esac
}
target_conn() {  # -> "PORT USER PASSWORD_VARIABLE_NAME"
  case $1 in
    direct) echo "$R1_PORT $APP_USER APP_PW" ;;
    haproxy) echo "$HA_PORT $APP_USER APP_PW" ;;
    gatehouse_*) echo "$GH_PORT $CLIENT_USER CLIENT_PW" ;;
  esac
}

measure() {  # measure RUN WORKLOAD TARGET
  local run=$1 workload=$2 target=$3 port user pwvar pw proxy_pid="" wargs
  case $target in
    gatehouse_random) set_strategy random ;;
    gatehouse_customized) set_strategy customized ;;
  esac
  read -r port user pwvar <<<"$(target_conn "$target")"
  pw=${!pwvar}
  case $target in haproxy) proxy_pid=$HA_PID ;; gatehouse_*) proxy_pid=$GH_PID ;; esac
  read -ra wargs <<<"$(workload_args "$workload")"
  local sb=(sysbench "${wargs[@]}" "${SB_COMMON[@]}" --mysql-port="$port" --mysql-user="$user"
    --mysql-password="$pw" --threads="$THREADS" --percentile=95)
  local log="$OUT/run$run-$workload-$target.txt"
  say "run $run: $workload via $target (127.0.0.1:$port)"
  if ((WARMUP > 0)); then
    fg_run timeout $((WARMUP + 60)) "${sb[@]}" --time="$WARMUP" run >"$log.warmup" 2>&1 ||
      echo "warning: warm-up failed (see $log.warmup)" >&2
  fi
  local -a dbp
  mapfile -t dbp < <(node_pids)
  local q0 q1 p0 p1 d0 d1 c0 c1 rc=0 t0 t1
  q0=$(questions)
  p0=$([ -n "$proxy_pid" ] && cpu_ticks "$proxy_pid" || echo "")
  d0=$(cpu_ticks "${dbp[@]}")
  c0=$(children_ticks)
  t0=$(date +%s.%N)
  fg_run timeout $((TIME + 120)) "${sb[@]}" --time="$TIME" run >"$log" 2>&1 || rc=$?
  t1=$(date +%s.%N)
  c1=$(children_ticks)
  d1=$(cpu_ticks "${dbp[@]}")
  p1=$([ -n "$proxy_pid" ] && cpu_ticks "$proxy_pid" || echo "")
  q1=$(questions)
  python3 - "$log" "$RESULTS" <<EOF
import json, re, sys
text = open(sys.argv[1], errors="replace").read()
def grab(pattern, cast=float):
    m = re.search(pattern, text)
    return cast(m.group(1)) if m else None
q0, q1 = "$q0".split(), "$q1".split()
row = {
    "run": $run, "workload": "$workload", "target": "$target", "port": $port,
    "rc": $rc, "time_s": $TIME, "threads": $THREADS, "wall_s": round($t1 - $t0, 3),
    "queries": grab(r"queries:\s+(\d+)\s+\(", int),
    "qps": grab(r"queries:\s+\d+\s+\(([\d.]+) per sec"),
    "tps": grab(r"transactions:\s+\d+\s+\(([\d.]+) per sec"),
    "p95_ms": grab(r"95th percentile:\s+([\d.]+)"),
    "errors": grab(r"ignored errors:\s+(\d+)", int) or 0,
    "reconnects": grab(r"reconnects:\s+(\d+)", int) or 0,
    "clk_tck": $CLK_TCK,
    "proxy_ticks": (${p1:-0} - ${p0:-0}) if "$proxy_pid" else None,
    "db_ticks": $d1 - $d0,
    "client_ticks": $c1 - $c0,
    "questions": {n: int(b) - int(a) for n, a, b in zip(("source", "replica1", "replica2"), q0, q1)},
}
if row["rc"] != 0 and not row["errors"]:
    row["errors"] = 1  # sysbench aborted: count the run as failed
open(sys.argv[2], "a").write(json.dumps(row) + "\n")
print(f"    qps={row['qps']} p95={row['p95_ms']}ms errors={row['errors']} rc={row['rc']} "
      f"proxy_ticks={row['proxy_ticks']} db_ticks={row['db_ticks']} client_ticks={row['client_ticks']} "
      f"questions={row['questions']}")
EOF
  if ((rc != 0)); then echo "warning: sysbench exited $rc (see $log)" >&2; fi
}

# ---------------------------------------------------------------- the comparison
LOAD_START=$(cut -d' ' -f1-3 /proc/loadavg)
for ((run = 1; run <= RUNS; run++)); do
  order=("${TARGETS[@]}")
  if ((run % 2 == 0)); then  # every other run in reverse order, against drift of the background load
    order=()
    for ((k = ${#TARGETS[@]} - 1; k >= 0; k--)); do order+=("${TARGETS[k]}"); done
  fi
  say "=== run $run of $RUNS: ${order[*]} ==="
  for workload in "${WORKLOADS[@]}"; do
    for target in "${order[@]}"; do
      measure "$run" "$workload" "$target"
    done
  done
done
LOAD_END=$(cut -d' ' -f1-3 /proc/loadavg)

# ---------------------------------------------------------------- report
SB_SHOWN="sysbench WORKLOAD --db-driver=mysql --mysql-host=127.0.0.1 --mysql-db=sbtest --tables=$TABLES --table-size=$TABLE_SIZE --threads=$THREADS --percentile=95 --time=$TIME --mysql-port=PORT --mysql-user=USER --mysql-password=...  run"
META_DATE=$(date '+%Y-%m-%d %H:%M %Z')
META_NPROC=$(nproc)
META_CPU=$(grep -m1 '^model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')
META_MEM=$(awk '/MemTotal/{printf "%.1f GiB RAM", $2/1048576}' /proc/meminfo)
META_KERNEL=$(uname -r)
META_MARIADB=$(mariadbd --version 2>/dev/null | sed 's/ *for .*//' | tr -s ' ' || echo mariadbd)
META_HAPROXY=$(haproxy -v | sed -n 1p | cut -d' ' -f1-3)
META_SYSBENCH=$(sysbench --version | cut -d' ' -f2)
META_REV="tree $GIT_REV; binary built $BIN_DATE, sha256 $BIN_SHA"
export META_DATE META_NPROC META_CPU META_MEM META_KERNEL META_MARIADB META_HAPROXY META_SYSBENCH \
  META_REV LOAD_START LOAD_END
export M_BASE=$BASE_PORT M_TABLES=$TABLES M_SIZE=$TABLE_SIZE M_THREADS=$THREADS M_TIME=$TIME \
  M_WARMUP=$WARMUP M_RUNS=$RUNS M_PTHREADS=${PROXY_THREADS:-2} M_DEPTH=$PIPELINE_DEPTH
export C1="bench/proxy_sysbench.sh --base-port $BASE_PORT --time $TIME --warmup $WARMUP --threads $THREADS --tables $TABLES --table-size $TABLE_SIZE --runs $RUNS$( ((PIPELINE_DEPTH > 1)) && echo " --pipeline-depth $PIPELINE_DEPTH")" \
  C2="gatehouse up --dir DIR --base-port $BASE_PORT" \
  C3="sysbench oltp_read_only --db-driver=mysql --mysql-host=127.0.0.1 --mysql-db=sbtest --tables=$TABLES --table-size=$TABLE_SIZE --mysql-port=$SOURCE_PORT --mysql-user=$APP_USER prepare   # through the source" \
  C4="gatehouse proxy --dir DIR   # started by up; [proxy] default_strategy = random, then customized (edit, kill, up again)" \
  C5="haproxy -f OUT/haproxy.cfg -db   # bench/lib/haproxy.cfg.in, bind 127.0.0.1:$HA_PORT, nbthread 2, maxconn 4096" \
  C6="$SB_SHOWN" \
  C7="#   WORKLOAD: oltp_point_select | oltp_read_only --skip-trx=on | oltp_read_only --skip-trx=off" \
  C8="#   PORT/USER: $R1_PORT $APP_USER (direct replica1) | $HA_PORT $APP_USER (HAProxy) | $GH_PORT $CLIENT_USER (gatehouse)" \
  C9="#   each row: the same command with --time=$WARMUP first (warm-up, not measured)"
python3 - "$OUT/meta.json" <<'EOF'
import json, os, sys
e = os.environ
meta = {
    "date": e["META_DATE"], "gatehouse_rev": e["META_REV"],
    "loadavg_start": e["LOAD_START"], "loadavg_end": e["LOAD_END"],
    "machine": {"nproc": e["META_NPROC"], "cpu_model": e["META_CPU"], "mem": e["META_MEM"],
                "kernel": e["META_KERNEL"], "mariadb": e["META_MARIADB"],
                "haproxy": e["META_HAPROXY"], "sysbench": e["META_SYSBENCH"]},
    "options": {"base_port": int(e["M_BASE"]), "tables": int(e["M_TABLES"]),
                "table_size": int(e["M_SIZE"]), "threads": int(e["M_THREADS"]),
                "time": int(e["M_TIME"]), "warmup": int(e["M_WARMUP"]), "runs": int(e["M_RUNS"]),
                "nbthread": 2, "proxy_threads": int(e["M_PTHREADS"]),
                "pipeline_depth": int(e["M_DEPTH"])},
    "commands": [e[f"C{i}"] for i in range(1, 10)],
}
json.dump(meta, open(sys.argv[1], "w"), indent=2)
EOF
echo
python3 "$LIB/proxy_report.py" --results "$RESULTS" --meta "$OUT/meta.json" \
  --markdown "$OUT/report.md" ${DOCS:+--docs "$DOCS"}
