#!/usr/bin/env bash
# Integration test (client compatibility): the npm `mysql2` driver against the proxy port.
# tests/clients/node/proxy.test.js runs under `node --test`: a pool of 4 with concurrent queries,
# prepared statements (NULL, quoted strings, numbers, dates, a 300 KiB BLOB), commit/rollback,
# SQL errors (errno/sqlMessage) with the pool still working, read routing with
# SET @gatehouse_strategy='random' (replicas) vs transactions (source), large result sets,
# multi-statements, ping and changeUser, and that a session without a schema does not inherit
# one from the backend connections it shares with other sessions. Exit code: node's.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
BASE_PORT=22307
NODE_DIR=$GATEHOUSE_SRC/tests/clients/node
SECONDS=0

command -v node >/dev/null || fail "node is not installed (scripts/install-deps.sh installs nodejs and npm)"
command -v npm >/dev/null || fail "npm is not installed (scripts/install-deps.sh installs nodejs and npm)"
# Install the pinned driver (package-lock.json) unless node_modules already matches it.
if ! (cd "$NODE_DIR" && node -e "require('mysql2/package.json').version === require('./package.json').dependencies.mysql2 || process.exit(1)") 2>/dev/null; then
  (cd "$NODE_DIR" && timeout 300 npm ci --no-audit --no-fund --loglevel=error) || fail "npm ci in $NODE_DIR failed"
fi
pass "mysql2 $(cd "$NODE_DIR" && node -p "require('mysql2/package.json').version") installed"

DIR=$(mktemp -d /tmp/gh_it_mysql2.XXXXXX)  # gh_up tears it down and removes it on exit
gh_up "$DIR" $BASE_PORT >"$DIR/up.log" 2>&1 || { cat "$DIR/up.log"; fail "gh_up failed"; }
pass "cluster and proxy up in ${SECONDS}s"

export GH_PROXY_HOST=127.0.0.1 GH_PROXY_PORT=$((BASE_PORT + 20))
GH_PROXY_USER=$(gh_cred "$DIR" proxy_client user)
GH_PROXY_PASSWORD=$(gh_cred "$DIR" proxy_client password)
export GH_PROXY_USER GH_PROXY_PASSWORD
# Direct access to the nodes, only to wait for replication of the test's own setup.
export GH_NODE_PORTS=$BASE_PORT,$((BASE_PORT + 1)),$((BASE_PORT + 2))
GH_ADMIN_USER=$(gh_cred "$DIR" admin user)
GH_ADMIN_PASSWORD=$(gh_cred "$DIR" admin password)
export GH_ADMIN_USER GH_ADMIN_PASSWORD
export TZ=UTC
rc=0
(cd "$NODE_DIR" && timeout 120 node --test --test-timeout=60000 --test-reporter=spec proxy.test.js) || rc=$?
if [ $rc -ne 0 ]; then
  # A crashed or wedged proxy explains most failures: show its log.
  for f in "$DIR"/*proxy*.log "$DIR"/run/*proxy*.log; do
    if [ -f "$f" ]; then echo "--- $f"; tail -20 "$f"; fi
  done
  gh_wait_port $GH_PROXY_PORT 1 || echo "FAIL: the proxy no longer listens on $GH_PROXY_PORT" >&2
  echo "FAIL: node --test exited $rc" >&2
  exit $rc
fi
gh_wait_port $GH_PROXY_PORT 1 || fail "the proxy stopped listening during the test"
echo "PASS (${SECONDS}s)"
