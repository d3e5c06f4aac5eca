#!/usr/bin/env bash
# The demo's main job so far: a few statements through the proxy, showing where each one ran.
set -euo pipefail
DIR=${1:-run}
source "$(dirname "$0")/lib/credentials.sh"
cred() { gh_cred "$DIR" "$@"; }
PORT=$(build/gatehouse status --dir "$DIR" --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["endpoints"]["proxy_mysql"].split(":")[1])')
sql() { mariadb --no-defaults --comments -h127.0.0.1 -P"$PORT" -u"$(cred proxy_client user)" -p"$(cred proxy_client password)" "$@"; }
echo
echo "== through the proxy on 127.0.0.1:$PORT (user $(cred proxy_client user), password in $DIR/credentials.toml)"
sql -t -e "USE sakila;
SELECT COUNT(*) AS films FROM film; SELECT @gatehouse_last_node AS served_by;
SET @gatehouse_strategy = 'customized';
SELECT title FROM film ORDER BY film_id LIMIT 3; SELECT @gatehouse_last_node AS served_by;
/* gatehouse:strategy=direct */ SELECT COUNT(*) AS rentals FROM rental; SELECT @gatehouse_last_node AS served_by;
BEGIN; UPDATE film SET rental_rate = rental_rate WHERE film_id = 1; SELECT @gatehouse_last_node AS served_by; COMMIT;"
sleep 0.5  # let the proxy refresh its counters snapshot (every 250 ms) before `status`
