#!/usr/bin/env bash
# What semi-synchronous replication costs in write throughput: the same sysbench write workload
# against the source of a 1+2 cluster, once with async replication and once with semi-sync
# (`gatehouse up --semi-sync`). A benchmark, not a test: it prints a table and a ratio.
#   bench/semisync.sh [--time S] [--threads N] [--base-port P]
set -euo pipefail
cd "$(dirname "$0")/.."
TIME=20 THREADS=8 BASE=19307
while [ $# -gt 0 ]; do
  case $1 in
    --time) TIME=$2; shift 2 ;;
    --threads) THREADS=$2; shift 2 ;;
    --base-port) BASE=$2; shift 2 ;;
    *) echo "usage: $0 [--time S] [--threads N] [--base-port P]" >&2; exit 2 ;;
  esac
done
GH=build/gatehouse
WORK=$(mktemp -d /tmp/gh-semisync.XXXXXX)
trap '$GH down --purge --dir "$WORK/async" >/dev/null 2>&1 || true; $GH down --purge --dir "$WORK/semi" >/dev/null 2>&1 || true; rm -rf "$WORK"' EXIT
source scripts/lib/credentials.sh  # (cwd is the repo root)
cred() { gh_cred "$@"; }

run_one() {  # run_one NAME [up flags]
  local name=$1; shift
  local dir="$WORK/$name"
  $GH up --dir "$dir" --base-port "$BASE" "$@" >/dev/null
  local sb=(sysbench --db-driver=mysql --mysql-host=127.0.0.1 --mysql-port="$BASE"
            --mysql-user="$(cred "$dir" admin user)" --mysql-password="$(cred "$dir" admin password)"
            --mysql-db=sbtest --tables=4 --table-size=10000)
  mariadb --no-defaults -h127.0.0.1 -P"$BASE" -u"$(cred "$dir" admin user)" -p"$(cred "$dir" admin password)" \
    -e "CREATE DATABASE IF NOT EXISTS sbtest"
  "${sb[@]}" --threads=4 oltp_write_only prepare >/dev/null
  local status
  status=$(mariadb --no-defaults -N -B -h127.0.0.1 -P"$BASE" -u"$(cred "$dir" admin user)" \
    -p"$(cred "$dir" admin password)" -e "SHOW STATUS LIKE 'Rpl_semi_sync_master_status'" | cut -f2)
  "${sb[@]}" --threads="$THREADS" --time="$TIME" --percentile=95 oltp_write_only run >"$WORK/$name.log"
  local tps p95
  tps=$(awk '/transactions:/ {gsub(/\(/, "", $3); print $3; exit}' "$WORK/$name.log")
  p95=$(awk '/95th percentile:/ {print $3; exit}' "$WORK/$name.log")
  echo "$name $tps $p95 ${status:-OFF}"
  $GH down --purge --dir "$dir" >/dev/null
}

echo "sysbench oltp_write_only on the source, $THREADS threads, ${TIME}s each, 4x10000 rows"
a=$(run_one async)
s=$(run_one semi --semi-sync)
printf "%-8s %12s %10s %s\n" mode tps p95_ms semi_sync_status
printf "%-8s %12s %10s %s\n" $a
printf "%-8s %12s %10s %s\n" $s
python3 -c "import sys; a=float(sys.argv[1]); s=float(sys.argv[2]); print(f'semi-sync / async write throughput: {s/a:.2f} ({(1-s/a)*100:.0f}% lower)')" \
  "$(cut -d' ' -f2 <<<"$a")" "$(cut -d' ' -f2 <<<"$s")"
