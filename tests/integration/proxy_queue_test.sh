#!/usr/bin/env bash
# The request queue: when every backend connection of a node is busy, statements wait in a
# bounded FIFO. Past max_queue_wait_ms the client gets ERR 7402 (queue_timeout); past
# max_queue_length it gets ERR 7401 (queue_full) at once. Never a hang; the proxy stays up;
# queued statements run as soon as a connection frees.
source "$(dirname "$0")/lib.sh"
BASE=28307
PROXY=$((BASE + 20))
DIR=$(mktemp -d /tmp/gh-queue.XXXXXX)
gh_up "$DIR" "$BASE" >/dev/null
gh_set_proxy_option "$DIR" threads 1
gh_set_proxy_option "$DIR" max_connections_per_node 1
gh_set_proxy_option "$DIR" max_queue_length 1
gh_set_proxy_option "$DIR" max_queue_wait_ms 3000
gh_restart_proxy "$DIR"

q() { gh_proxy_sql "$DIR" "$PROXY" -e "$1" 2>&1 || true; }
# 1. One slow statement holds the only source connection; one more waits and gets through.
q "SELECT SLEEP(0.4)" >"$DIR/a.out" &
a=$!
sleep 0.1
start=$(date +%s%N)
out=$(q "SELECT 'queued-ok' FROM DUAL WHERE SLEEP(0) = 0 /* not read-only: source */" )
elapsed=$((($(date +%s%N) - start) / 1000000))
wait $a
grep -q queued-ok <<<"$out" || fail "queued statement failed: $out"
[ "$elapsed" -ge 200 ] || fail "the second statement did not wait for the busy connection (${elapsed} ms)"
pass "a queued statement waited ${elapsed} ms and then ran"

# 2. Holder + one waiter (queue full) + one more: the last gets queue_full at once, the waiter
#    times out after 3 s with queue_timeout.
q "SELECT SLEEP(6)" >"$DIR/holder.out" &
holder=$!
sleep 0.2
wstart=$(date +%s%N)
q "SELECT SLEEP(0)" >"$DIR/waiter.out" &
waiter=$!
sleep 0.5
start=$(date +%s%N)
full=$(q "SELECT SLEEP(0)")
full_ms=$((($(date +%s%N) - start) / 1000000))
wait $waiter || true
waiter_ms=$((($(date +%s%N) - wstart) / 1000000))
wait $holder || true
grep -q "ERROR 7401" <<<"$full" && grep -q "queue_full" <<<"$full" || fail "expected ERR 7401 queue_full, got: $full"
[ "$full_ms" -lt 1500 ] || fail "queue_full took ${full_ms} ms (should be immediate, not after the 3 s bound)"
[ "$waiter_ms" -ge 2900 ] || fail "the waiter gave up after ${waiter_ms} ms, before the 3 s bound"
grep -q "ERROR 7402" "$DIR/waiter.out" && grep -q "queue_timeout" "$DIR/waiter.out" ||
  fail "expected ERR 7402 queue_timeout, got: $(cat "$DIR/waiter.out")"
grep -q "^0$" "$DIR/holder.out" || fail "the holder's statement was disturbed: $(cat "$DIR/holder.out")"
pass "queue_full (7401) in ${full_ms} ms; queue_timeout (7402) after ${waiter_ms} ms (bound 3 s)"

# 3. The proxy is fine afterwards, and counted both.
[ "$(q 'SELECT 1')" = 1 ] || fail "proxy unusable after queue errors"
sleep 1.2
[ "$(gh_stats "$DIR" "s['queue']['full']")" -ge 1 ] || fail "queue full not counted"
[ "$(gh_stats "$DIR" "s['queue']['timeouts']")" -ge 1 ] || fail "queue timeout not counted"
pass "proxy healthy after queue errors; counters: full=$(gh_stats "$DIR" "s['queue']['full']") timeouts=$(gh_stats "$DIR" "s['queue']['timeouts']")"
# 4. Prepared statements multiplex through a one-connection pool: 4 sysbench sessions share one
#    backend connection per node, each statement prepared once on it and reused by all.
gh_set_proxy_option "$DIR" max_queue_length 64  # still one connection per node and worker
gh_restart_proxy "$DIR"
gh_proxy_sql "$DIR" "$PROXY" -e "CREATE DATABASE IF NOT EXISTS sbtest"
SB=(sysbench --db-driver=mysql --mysql-host=127.0.0.1 --mysql-port="$PROXY" --mysql-db=sbtest
    --mysql-user="$(gh_cred "$DIR" proxy_client user)" --mysql-password="$(gh_cred "$DIR" proxy_client password)"
    --tables=1 --table-size=1000 --mysql-ignore-errors=none)
"${SB[@]}" oltp_point_select prepare >/dev/null
sleep 1
"${SB[@]}" --threads=4 --time=4 --db-ps-mode=auto oltp_point_select run >"$DIR/sb-tiny.log" 2>&1 ||
  fail "sysbench through a 1-connection pool failed: $(grep -E 'FATAL' "$DIR/sb-tiny.log" | head -3)"
q_count=$(awk '/queries:/ {print $2; exit}' "$DIR/sb-tiny.log")
[ "${q_count:-0}" -gt 500 ] || fail "only ${q_count:-0} queries through the 1-connection pool"
pass "4 prepared-statement sessions shared 1 backend connection per node: $q_count queries, 0 errors"
echo "proxy_queue: all checks passed"
