#!/usr/bin/env bash
# Pipelining ([proxy] pipeline_depth > 1): plain reads of different sessions share backend
# connections, sent back to back and answered in turn. With one worker, two connections per node
# and depth 4, 16 mysql2 sessions must each get exactly their own answers (prepared and text
# statements, one row and many, errors in the middle), the counters must show pipelined
# statements, sysbench must run with 0 errors in both prepared-statement modes, and a replica
# killed with -9 under pipelined load must cost no wrong answer and leave the proxy serving.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
BASE=32307
PROXY=$((BASE + 20))
NODE_DIR=$GATEHOUSE_SRC/tests/clients/node
SECONDS=0

command -v node >/dev/null || fail "node is not installed (scripts/install-deps.sh installs it)"
if ! (cd "$NODE_DIR" && node -e "require('mysql2/package.json').version === require('./package.json').dependencies.mysql2 || process.exit(1)") 2>/dev/null; then
  (cd "$NODE_DIR" && timeout 300 npm ci --no-audit --no-fund --loglevel=error) || fail "npm ci in $NODE_DIR failed"
fi

DIR=$(mktemp -d /tmp/gh-pipeline.XXXXXX)
gh_up "$DIR" "$BASE" >"$DIR/up.log"
gh_set_proxy_option "$DIR" pipeline_depth 4
gh_set_proxy_option "$DIR" threads 1
gh_set_proxy_option "$DIR" max_connections_per_node 2
gh_restart_proxy "$DIR"
pass "cluster up; proxy with pipeline_depth 4, 1 worker, 2 connections per node (${SECONDS}s)"

export GH_PROXY_HOST=127.0.0.1 GH_PROXY_PORT=$PROXY
GH_PROXY_USER=$(gh_cred "$DIR" proxy_client user)
GH_PROXY_PASSWORD=$(gh_cred "$DIR" proxy_client password)
export GH_PROXY_USER GH_PROXY_PASSWORD
pipelined() { sleep 1.2; gh_stats "$DIR" "sum(n['pipelined'] for n in s['nodes'].values())"; }
reads_on() { gh_stats "$DIR" "s['nodes']['$1']['reads']"; }

# 1. Every session gets its own answers.
gh_proxy_sql "$DIR" "$PROXY" -e "CREATE DATABASE IF NOT EXISTS gh_pipeline" || fail "create gh_pipeline"
sleep 1  # replication
out=$(cd "$NODE_DIR" && timeout 120 node pipeline_check.js 16 400) || fail "wrong answers under pipelining: $out"
p1=$(pipelined)
[ "$p1" -gt 100 ] || fail "only $p1 statements were pipelined: the test did not exercise pipelining"
pass "16 sessions x 400 statements, all answers their own: $out; $p1 statements pipelined"

# 2. sysbench, both prepared-statement modes, 0 errors.
SB="sysbench --db-driver=mysql --mysql-host=127.0.0.1 --mysql-port=$PROXY --mysql-user=$GH_PROXY_USER --mysql-password=$GH_PROXY_PASSWORD --mysql-db=sbtest --tables=2 --table-size=1000"
gh_proxy_sql "$DIR" "$PROXY" -e "CREATE DATABASE IF NOT EXISTS sbtest" || fail "create sbtest"
$SB --threads=2 oltp_point_select prepare >"$DIR/sb-prepare.log" 2>&1 || { cat "$DIR/sb-prepare.log"; fail "sysbench prepare"; }
sleep 1  # replication of the tables
for mode in auto disable; do
  $SB --threads=12 --time=4 --db-ps-mode=$mode oltp_point_select run >"$DIR/sb-$mode.log" 2>&1 ||
    { tail -20 "$DIR/sb-$mode.log"; fail "sysbench ps-mode=$mode failed"; }
  grep -q "ignored errors: *0 " "$DIR/sb-$mode.log" || fail "sysbench ps-mode=$mode had errors"
  qps=$(awk -F'[(]' '/queries:/{print $2}' "$DIR/sb-$mode.log" | awk '{print $1}')
  pass "sysbench oltp_point_select --db-ps-mode=$mode through pipelines: $qps q/s, 0 errors"
done
p2=$(pipelined)
[ "$p2" -gt "$p1" ] || fail "sysbench statements were not pipelined ($p1 -> $p2)"
pass "pipelined statements: $p2 in all"

# 3. kill -9 a replica under pipelined load: no wrong answer, the proxy keeps serving, and once
#    the node is marked down no read goes there.
(cd "$NODE_DIR" && timeout 120 node pipeline_check.js 16 1500 --tolerate-lost) >"$DIR/kill.out" 2>&1 &
checker=$!
sleep 1
pid=$(cat "$DIR/nodes/replica1/mariadbd.pid")
[ -n "$pid" ] || fail "replica1 mariadbd not found"
kill -9 "$pid"
wait $checker || fail "wrong answers while a replica died: $(cat "$DIR/kill.out")"
pass "replica1 killed mid-run, every answer still right: $(cat "$DIR/kill.out")"
sleep 2
before=$(reads_on replica1)
out=$(cd "$NODE_DIR" && timeout 60 node pipeline_check.js 8 100) || fail "reads failed after the kill: $out"
sleep 1.2
after=$(reads_on replica1)
[ "$before" = "$after" ] || fail "reads reached the dead replica ($before -> $after)"
[ "$(gh_proxy_sql "$DIR" "$PROXY" -e 'SELECT 1')" = 1 ] || fail "proxy unusable after the kill"
pass "after the kill: 8 x 100 statements right, none on replica1, proxy up"
