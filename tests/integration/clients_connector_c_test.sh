#!/usr/bin/env bash
# Integration test (client compatibility): MariaDB Connector/C (libmariadb) against the proxy port.
# Compiles tests/clients/connector_c/gh_client_check.c against the system libmariadb and runs
# it: mysql_query/store_result, prepared statements (bind_param/execute/bind_result/fetch over
# INT, VARCHAR, DOUBLE and NULL), mysql_select_db, mysql_ping, mysql_stat, mysql_change_user,
# mysql_reset_connection, multi-statements with mysql_next_result (also switched on inside a
# transaction), and a wrong password (1045).
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
BASE_PORT=21307
SRC=$GATEHOUSE_SRC/tests/clients/connector_c/gh_client_check.c
SECONDS=0

BIN_DIR=$(mktemp -d /tmp/gh_it_connc_bin.XXXXXX)
trap 'rm -rf "$BIN_DIR"; gh_teardown' EXIT
BIN=$BIN_DIR/gh_client_check
if command -v mariadb_config >/dev/null; then
  read -r -a flags <<<"$(mariadb_config --cflags --libs | tr '\n' ' ')"
elif pkg-config --exists libmariadb 2>/dev/null; then
  read -r -a flags <<<"$(pkg-config --cflags --libs libmariadb | tr '\n' ' ')"
else
  fail "neither mariadb_config nor pkg-config libmariadb: install libmariadb-dev (scripts/install-deps.sh)"
fi
cc -std=c11 -D_POSIX_C_SOURCE=200809L -O1 -g -Wall -Wextra -Werror -o "$BIN" "$SRC" "${flags[@]}" ||
  fail "cannot compile $SRC"
pass "compiled $(basename "$SRC")"

DIR=$(mktemp -d /tmp/gh_it_connc.XXXXXX)  # gh_up tears it down and removes it on exit
gh_up "$DIR" $BASE_PORT >"$DIR/up.log" 2>&1 || { cat "$DIR/up.log"; fail "gh_up failed"; }
pass "cluster and proxy up in ${SECONDS}s"

PORT=$((BASE_PORT + 20))
# Direct access to the nodes, only to wait for replication of the check's own setup.
export GH_NODE_PORTS=$BASE_PORT,$((BASE_PORT + 1)),$((BASE_PORT + 2))
GH_ADMIN_USER=$(gh_cred "$DIR" admin user)
GH_ADMIN_PASSWORD=$(gh_cred "$DIR" admin password)
export GH_ADMIN_USER GH_ADMIN_PASSWORD
rc=0
timeout 60 "$BIN" 127.0.0.1 $PORT "$(gh_cred "$DIR" proxy_client user)" \
  "$(gh_cred "$DIR" proxy_client password)" || rc=$?
if [ $rc -ne 0 ]; then
  for f in "$DIR"/*proxy*.log "$DIR"/run/*proxy*.log; do
    if [ -f "$f" ]; then echo "--- $f"; tail -20 "$f"; fi
  done
  gh_wait_port $PORT 1 || echo "FAIL: the proxy no longer listens on $PORT" >&2
  fail "gh_client_check exited $rc"
fi
gh_wait_port $PORT 1 || fail "the proxy stopped listening during the test"
echo "PASS (${SECONDS}s)"
