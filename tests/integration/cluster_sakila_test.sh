#!/usr/bin/env bash
# Integration test (Foundation): `gatehouse up --sakila DIR` loads the real Sakila (schema with
# DELIMITER blocks, triggers, routines, BLOBs) through the project's script splitter and client;
# every node ends up with the same data: film 1000, rental 16044, payment 16044.
set -euo pipefail
source "$(dirname "$0")/lib.sh"  # gh_cred, fail
GATEHOUSE=${GATEHOUSE:?set GATEHOUSE to the gatehouse binary}
SAKILA=${GATEHOUSE_SAKILA:-${GATEHOUSE_SRC:-.}/../shared/data/sakila}
BASE_PORT=25307

if [ ! -f "$SAKILA/sakila-schema.sql" ] || [ ! -f "$SAKILA/sakila-data.sql" ]; then
  echo "SKIP: no Sakila in $SAKILA (set GATEHOUSE_SAKILA to the folder with sakila-*.sql)"
  exit 0
fi
WORK=$(mktemp -d /tmp/gh_it_sakila.XXXXXX)
DIR=$WORK/cluster
cleanup() { "$GATEHOUSE" down --purge --dir "$DIR" >/dev/null 2>&1 || true; rm -rf "$WORK"; }
trap cleanup EXIT
password() { gh_cred "$DIR" "$1" password; }
sql() { local port=$1; shift; mariadb --no-defaults -h127.0.0.1 -P"$port" -ugh_admin -p"$ADMIN_PW" -N -B -e "$*"; }

out=$("$GATEHOUSE" up --replicas 2 --dir "$DIR" --base-port $BASE_PORT --sakila "$SAKILA") ||
  fail "up --sakila exited $?: $out"
echo "$out"
grep -q "loading Sakila from" <<<"$out" || fail "up did not load the real Sakila"
ADMIN_PW=$(password admin)
source_sum=$(sql $BASE_PORT "CHECKSUM TABLE sakila.payment, sakila.rental, sakila.staff" | cut -f2 | tr '\n' ' ')
for port in $BASE_PORT $((BASE_PORT + 1)) $((BASE_PORT + 2)); do
  counts=$(sql $port "SELECT CONCAT_WS(' ', (SELECT COUNT(*) FROM sakila.film), (SELECT COUNT(*) FROM sakila.rental), (SELECT COUNT(*) FROM sakila.payment))")
  [ "$counts" = "1000 16044 16044" ] || fail "port $port: film/rental/payment counts are '$counts', want '1000 16044 16044'"
  objects=$(sql $port "SELECT CONCAT_WS(' ', (SELECT COUNT(*) FROM information_schema.TRIGGERS WHERE TRIGGER_SCHEMA = 'sakila'), (SELECT COUNT(*) FROM information_schema.ROUTINES WHERE ROUTINE_SCHEMA = 'sakila'), (SELECT COUNT(*) FROM information_schema.VIEWS WHERE TABLE_SCHEMA = 'sakila'))")
  [ "$objects" = "6 6 7" ] || fail "port $port: triggers/routines/views are '$objects', want '6 6 7'"
  sum=$(sql $port "CHECKSUM TABLE sakila.payment, sakila.rental, sakila.staff" | cut -f2 | tr '\n' ' ')
  [ "$sum" = "$source_sum" ] || fail "port $port: checksums '$sum' differ from the source's '$source_sum'"
done
"$GATEHOUSE" status --dir "$DIR" || fail "status exited $?"
echo "PASS"
