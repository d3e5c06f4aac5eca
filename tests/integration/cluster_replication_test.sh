#!/usr/bin/env bash
# Integration test (Foundation): `gatehouse up` with 2 replicas against real mariadbd processes.
# 1,000 rows written on the source reach every replica within 5 s; status --json shows equal
# GTID positions; a second `up` says the cluster is running; `down` leaves no mariadbd of ours.
set -euo pipefail
GATEHOUSE=${GATEHOUSE:?set GATEHOUSE to the gatehouse binary}
BASE_PORT=23307
WORK=$(mktemp -d /tmp/gh_it_replication.XXXXXX)
DIR=$WORK/cluster

fail() { echo "FAIL: $*" >&2; exit 1; }
cleanup() { "$GATEHOUSE" down --purge --dir "$DIR" >/dev/null 2>&1 || true; rm -rf "$WORK"; }
trap cleanup EXIT
source "$(dirname "$0")/../../scripts/lib/credentials.sh"
password() { gh_cred "$DIR" "$1" password; }  # password of a [section] of credentials.toml
sql() { local port=$1; shift; mariadb --no-defaults -h127.0.0.1 -P"$port" -ugh_admin -p"$ADMIN_PW" -N -B -e "$*"; }
json() { python3 -c "import json,sys; d=json.load(sys.stdin); print($1)"; }

echo "== up (fresh, 2 replicas, demo data)"
start=$(date +%s%N)
out=$("$GATEHOUSE" up --replicas 2 --dir "$DIR" --base-port $BASE_PORT) || fail "up exited $?: $out"
echo "$out"
echo "up took $(( ($(date +%s%N) - start) / 1000000 )) ms"
grep -q "replica2 caught up" <<<"$out" || fail "up did not report replica2 catching up"
grep -q "source .*127.0.0.1:$BASE_PORT" <<<"$out" || fail "up did not print the source endpoint"
[ "$(stat -c %a "$DIR/credentials.toml")" = 600 ] || fail "credentials.toml is not mode 0600"
[ -f "$DIR/gatehouse.toml" ] || fail "up did not write gatehouse.toml"
ls "$DIR"/nodes/*/init.sql >/dev/null 2>&1 && fail "init.sql (passwords) left behind"
ADMIN_PW=$(password admin)
[ -n "$ADMIN_PW" ] || fail "no admin password in credentials.toml"

echo "== demo data on every node"
for port in $BASE_PORT $((BASE_PORT + 1)) $((BASE_PORT + 2)); do
  counts=$(sql $port "SELECT CONCAT_WS(' ', (SELECT COUNT(*) FROM sakila.film), (SELECT COUNT(*) FROM sakila.rental), (SELECT COUNT(*) FROM sakila.payment), (SELECT COUNT(*) FROM sakila.actor))")
  [ "$counts" = "1000 16000 16000 200" ] || fail "port $port: demo counts film/rental/payment/actor are '$counts'"
done
[ "$(sql $((BASE_PORT + 1)) 'SELECT @@read_only')" = 1 ] || fail "replica1 is not read_only"
[ "$(sql $BASE_PORT 'SELECT @@server_id')" != "$(sql $((BASE_PORT + 1)) 'SELECT @@server_id')" ] ||
  fail "source and replica1 share a server_id"

echo "== 1,000 rows on the source reach both replicas within 5 s"
sql $BASE_PORT "CREATE DATABASE it; CREATE TABLE it.t (id INT PRIMARY KEY, v VARCHAR(20));
  INSERT INTO it.t SELECT seq, CONCAT('row', seq) FROM it.seq_1_to_1000"
for port in $((BASE_PORT + 1)) $((BASE_PORT + 2)); do
  deadline=$((SECONDS + 5)); n=0
  while [ $SECONDS -le $deadline ]; do
    n=$(sql $port "SELECT COUNT(*) FROM it.t" 2>/dev/null || echo 0)
    [ "$n" = 1000 ] && break
    sleep 0.1
  done
  [ "$n" = 1000 ] || fail "port $port has $n of 1000 rows after 5 s"
done

echo "== status --json: healthy, equal GTID positions"
status=$("$GATEHOUSE" status --json --dir "$DIR") || fail "status exited $? on a healthy cluster: $status"
echo "$status"
[ "$(json 'len(d["nodes"])' <<<"$status")" = 3 ] || fail "status lists $(json 'len(d["nodes"])' <<<"$status") nodes, want 3"
[ "$(json 'all(n["healthy"] and n["state"] == "up" for n in d["nodes"])' <<<"$status")" = True ] ||
  fail "not every node is healthy and up"
[ "$(json 'len({n["gtid_position"] for n in d["nodes"]})' <<<"$status")" = 1 ] ||
  fail "GTID positions differ: $(json '[n["gtid_position"] for n in d["nodes"]]' <<<"$status")"
[ "$(json 'd["nodes"][0]["gtid_position"] != ""' <<<"$status")" = True ] || fail "empty GTID position"
[ "$(json 'd["endpoints"]["replica2"]' <<<"$status")" = "127.0.0.1:$((BASE_PORT + 2))" ] ||
  fail "endpoints.replica2 is wrong"
[ "$(json 'd["credentials_file"]' <<<"$status")" = "$DIR/credentials.toml" ] || fail "credentials_file is wrong"
[ "$(json 'd["nodes"][1]["io_running"] and d["nodes"][1]["sql_running"]' <<<"$status")" = True ] ||
  fail "replica1 threads not running"
"$GATEHOUSE" status --dir "$DIR" || fail "table status exited $? on a healthy cluster"

echo "== up again: says running"
out=$("$GATEHOUSE" up --dir "$DIR") || fail "second up exited $?"
grep -q "already running" <<<"$out" || fail "second up did not say the cluster is running: $out"

echo "== down: no mariadbd of ours left"
"$GATEHOUSE" down --dir "$DIR" || fail "down exited $?"
if pgrep -af "$DIR"; then fail "processes of $DIR still running after down"; fi
rc=0; "$GATEHOUSE" status --dir "$DIR" >/dev/null || rc=$?
[ $rc = 1 ] || fail "status of a stopped cluster exited $rc, want 1"

echo "== down --purge removes the cluster directory"
"$GATEHOUSE" down --purge --dir "$DIR" || fail "down --purge exited $?"
[ ! -e "$DIR" ] || fail "$DIR still exists after down --purge"
echo "PASS"
