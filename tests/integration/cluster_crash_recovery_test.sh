#!/usr/bin/env bash
# Integration test (Foundation): kill -9 a replica, then the source. `status` reports the dead
# node and exits 1; writes go on; `up` restarts the dead node on its data (no re-bootstrap) and
# it catches up with no row lost.
set -euo pipefail
source "$(dirname "$0")/lib.sh"  # gh_cred, fail
GATEHOUSE=${GATEHOUSE:?set GATEHOUSE to the gatehouse binary}
BASE_PORT=24307
WORK=$(mktemp -d /tmp/gh_it_crash.XXXXXX)
DIR=$WORK/cluster

cleanup() { "$GATEHOUSE" down --purge --dir "$DIR" >/dev/null 2>&1 || true; rm -rf "$WORK"; }
trap cleanup EXIT
password() { gh_cred "$DIR" "$1" password; }
sql() { local port=$1; shift; mariadb --no-defaults -h127.0.0.1 -P"$port" -ugh_admin -p"$ADMIN_PW" -N -B -e "$*"; }
json() { python3 -c "import json,sys; d=json.load(sys.stdin); print($1)"; }
kill_node() {  # kill -9 a node and wait until it is gone
  local pid; pid=$(head -1 "$DIR/run/$1.pid")
  kill -9 "$pid"
  for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || return 0; sleep 0.1; done
  fail "$1 (pid $pid) survived kill -9"
}
wait_rows() {  # wait_rows PORT N: the replica at PORT has N rows in it.t within 10 s
  local n=0 deadline=$((SECONDS + 10))
  while [ $SECONDS -le $deadline ]; do
    n=$(sql "$1" "SELECT COUNT(*) FROM it.t" 2>/dev/null || echo 0)
    [ "$n" = "$2" ] && return 0
    sleep 0.1
  done
  fail "port $1 has $n of $2 rows"
}

"$GATEHOUSE" up --replicas 2 --dir "$DIR" --base-port $BASE_PORT >/dev/null || fail "up exited $?"
ADMIN_PW=$(password admin)
sql $BASE_PORT "CREATE DATABASE it; CREATE TABLE it.t (id INT PRIMARY KEY);
  INSERT INTO it.t SELECT seq FROM it.seq_1_to_100"
wait_rows $((BASE_PORT + 1)) 100

echo "== kill -9 replica1"
kill_node replica1
rc=0; status=$("$GATEHOUSE" status --json --dir "$DIR") || rc=$?
echo "$status"
[ $rc = 1 ] || fail "status exited $rc with replica1 dead, want 1"
[ "$(json '[n["state"] for n in d["nodes"] if n["name"] == "replica1"][0]' <<<"$status")" = down ] ||
  fail "status does not report replica1 down"
[ "$(json '[n["healthy"] for n in d["nodes"]]' <<<"$status")" = "[True, False, True]" ] ||
  fail "healthy flags are not [source ok, replica1 dead, replica2 ok]"
rc=0; table=$("$GATEHOUSE" status --dir "$DIR") || rc=$?
[ $rc = 1 ] && grep -q "replica1 .* down" <<<"$table" || fail "table status: rc=$rc, $table"

echo "== write while replica1 is down, then up"
sql $BASE_PORT "INSERT INTO it.t SELECT seq FROM it.seq_101_to_600"
out=$("$GATEHOUSE" up --dir "$DIR") || fail "up after the crash exited $?: $out"
echo "$out"
grep -q "bootstrapping" <<<"$out" && fail "up re-bootstrapped a node that only needed a restart"
grep -q "replica1 is up" <<<"$out" || fail "up did not restart replica1"
grep -q "replica1 caught up" <<<"$out" || fail "up did not wait for replica1 to catch up"
wait_rows $((BASE_PORT + 1)) 600
[ "$(sql $((BASE_PORT + 1)) 'CHECKSUM TABLE it.t' | cut -f2)" = "$(sql $BASE_PORT 'CHECKSUM TABLE it.t' | cut -f2)" ] ||
  fail "replica1's it.t differs from the source's"
"$GATEHOUSE" status --dir "$DIR" >/dev/null || fail "status after recovery exited $?"

echo "== kill -9 the source"
kill_node source
rc=0; "$GATEHOUSE" status --dir "$DIR" >/dev/null || rc=$?
[ $rc = 1 ] || fail "status exited $rc with the source dead, want 1"
"$GATEHOUSE" up --dir "$DIR" >/dev/null || fail "up after the source crash exited $?"
sql $BASE_PORT "INSERT INTO it.t SELECT seq FROM it.seq_601_to_700"
wait_rows $((BASE_PORT + 1)) 700
wait_rows $((BASE_PORT + 2)) 700
status=$("$GATEHOUSE" status --json --dir "$DIR") || fail "status after the source recovery exited $?"
[ "$(json 'len({n["gtid_position"] for n in d["nodes"]})' <<<"$status")" = 1 ] || fail "GTID positions differ"

"$GATEHOUSE" down --dir "$DIR" >/dev/null || fail "down exited $?"
if pgrep -af "$DIR"; then fail "processes of $DIR still running after down"; fi
echo "PASS"
