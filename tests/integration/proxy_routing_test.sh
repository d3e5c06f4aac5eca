#!/usr/bin/env bash
# Proxy routing against a real cluster: each strategy sends reads where it should, writes only
# reach the source, `customized` prefers the faster replica while still probing the slow one,
# and a replica killed with -9 under load costs clean errors at most, never a crash or a hang.
source "$(dirname "$0")/lib.sh"
BASE=29307
PROXY=$((BASE + 20))
DIR=$(mktemp -d /tmp/gh-routing.XXXXXX)
gh_up "$DIR" "$BASE" >/dev/null

# Runs N reads in one session under STRATEGY and prints the node that served each.
served_by() {
  local strategy=$1 n=$2 i
  local sql="SET @gatehouse_strategy='$strategy';"
  for ((i = 0; i < n; i++)); do sql+="SELECT film_id FROM sakila.film WHERE film_id=$((i % 50 + 1)); SELECT @gatehouse_last_node;"; done
  gh_proxy_sql "$DIR" "$PROXY" -e "$sql" | grep -E '^(source|replica[0-9]+)$'
}
count_of() { grep -c "^$1\$" <<<"$2" || true; }

# --- direct: every read on the source.
out=$(served_by direct 40)
[ "$(count_of source "$out")" -eq 40 ] || fail "direct: expected 40 reads on source, got: $(sort "$out" | uniq -c)"
pass "direct: 40/40 reads on the source"

# --- random: only replicas, both of them.
out=$(served_by random 200)
r1=$(count_of replica1 "$out"); r2=$(count_of replica2 "$out"); src=$(count_of source "$out")
[ "$src" -eq 0 ] || fail "random: $src reads reached the source"
[ "$r1" -ge 40 ] && [ "$r2" -ge 40 ] || fail "random: uneven spread replica1=$r1 replica2=$r2"
pass "random: replica1=$r1 replica2=$r2 source=0"

# --- hints override the session strategy, per statement.
hinted=$(gh_proxy_sql "$DIR" "$PROXY" -e "SET @gatehouse_strategy='random'; /* gatehouse:strategy=direct */ SELECT 1; SELECT @gatehouse_last_node;" | tail -1)
[ "$hinted" = source ] || fail "hint strategy=direct was served by $hinted"
pass "comment hint overrides the session strategy"

# --- writes only reach the source, and replicas get them by replication.
writes_before=$(gh_stats "$DIR" "s['nodes']['replica1']['writes'] + s['nodes']['replica2']['writes']")
gh_proxy_sql "$DIR" "$PROXY" -e "CREATE DATABASE IF NOT EXISTS rt; CREATE TABLE IF NOT EXISTS rt.t (id INT PRIMARY KEY AUTO_INCREMENT, v INT);
  SET @gatehouse_strategy='random'; INSERT INTO rt.t (v) VALUES (1),(2),(3); UPDATE rt.t SET v = v + 1; DELETE FROM rt.t WHERE v = 4;"
last=$(gh_proxy_sql "$DIR" "$PROXY" -e "INSERT INTO rt.t (v) VALUES (9); SELECT @gatehouse_last_node;" | tail -1)
[ "$last" = source ] || fail "an INSERT under strategy random was served by $last"
sleep 1.2
writes_after=$(gh_stats "$DIR" "s['nodes']['replica1']['writes'] + s['nodes']['replica2']['writes']")
[ "$writes_before" = "$writes_after" ] && [ "$writes_after" = 0 ] || fail "replicas received writes: $writes_after"
pass "writes: source only (replica write counters stay 0)"

# --- transactions pin to the source; after COMMIT reads spread again.
tx=$(gh_proxy_sql "$DIR" "$PROXY" -e "SET @gatehouse_strategy='random'; BEGIN; SELECT COUNT(*) FROM rt.t; SELECT @gatehouse_last_node; COMMIT; SELECT COUNT(*) FROM rt.t; SELECT @gatehouse_last_node;")
[ "$(sed -n 2p <<<"$tx")" = source ] || fail "a read inside a transaction left the source: $tx"
[ "$(sed -n 4p <<<"$tx")" != source ] || fail "a read after COMMIT stayed on the source"
pass "transaction pinned to the source, released after COMMIT"

# --- a replica whose replication stopped is shunned for reads, and comes back when it resumes.
gh_node_sql "$DIR" $((BASE + 2)) -e "STOP SLAVE"
sleep 1.5  # a few health probes
out=$(served_by random 60)
[ "$(count_of replica2 "$out")" -eq 0 ] || fail "reads reached replica2 while its replication was stopped"
[ "$(gh_stats "$DIR" "s['nodes']['replica2']['lagging']")" = True ] || fail "replica2 not marked lagging"
gh_node_sql "$DIR" $((BASE + 2)) -e "START SLAVE"
sleep 1.5
out=$(served_by random 100)
[ "$(count_of replica2 "$out")" -ge 10 ] || fail "replica2 did not get reads back after START SLAVE"
pass "stopped replication: replica2 shunned for reads, back after START SLAVE"

# --- customized: slow replica2 down with a SIGSTOP/SIGCONT duty cycle (CPU throttling).
pid2=$(cat "$DIR/nodes/replica2/mariadbd.pid")
( end=$((SECONDS + 25)); while [ $SECONDS -lt $end ] && kill -0 "$pid2" 2>/dev/null; do
    kill -STOP "$pid2"; sleep 0.03; kill -CONT "$pid2"; sleep 0.01; done; kill -CONT "$pid2" 2>/dev/null ) &
throttle=$!
GH_EXTRA_PIDS+=("$throttle")
sleep 3  # let the latency estimates see it
out=$(served_by customized 300)
wait "$throttle" 2>/dev/null || true
kill -CONT "$pid2" 2>/dev/null || true
r1=$(count_of replica1 "$out"); r2=$(count_of replica2 "$out")
echo "customized with replica2 throttled: replica1=$r1 replica2=$r2"
[ "$r1" -gt $((r2 * 3)) ] || fail "customized did not prefer the fast replica: replica1=$r1 replica2=$r2"
[ "$r2" -ge 1 ] || fail "customized starved the slow replica completely (no exploration)"
pass "customized prefers the fast replica and still probes the slow one"

# --- kill -9 a replica under load.
PW=$(gh_cred "$DIR" proxy_client password); U=$(gh_cred "$DIR" proxy_client user)
gh_proxy_sql "$DIR" "$PROXY" -e "CREATE DATABASE IF NOT EXISTS sbtest"
SB=(sysbench --db-driver=mysql --mysql-host=127.0.0.1 --mysql-port="$PROXY" --mysql-user="$U"
    --mysql-password="$PW" --mysql-db=sbtest --tables=1 --table-size=1000)
"${SB[@]}" oltp_point_select prepare >/dev/null
sleep 2
"${SB[@]}" --threads=8 --time=12 --mysql-ignore-errors=all --report-interval=0 oltp_point_select run \
  >"$DIR/sb-kill.log" 2>&1 &
load=$!
GH_EXTRA_PIDS+=("$load")
sleep 3
kill -9 "$(cat "$DIR/nodes/replica1/mariadbd.pid")"
sleep 3  # detection: fail_threshold x health_interval plus slack
reads_at_down=$(gh_stats "$DIR" "s['nodes']['replica1']['reads']")
up_flag=$(gh_stats "$DIR" "s['nodes']['replica1']['up']")
[ "$up_flag" = False ] || fail "proxy still thinks replica1 is up 3 s after kill -9"
timeout 60 tail --pid="$load" -f /dev/null || fail "sysbench hung after the replica died"
wait "$load" || fail "sysbench failed: $(tail -20 "$DIR/sb-kill.log")"
sleep 1.2
reads_after=$(gh_stats "$DIR" "s['nodes']['replica1']['reads']")
[ "$reads_after" = "$reads_at_down" ] || fail "reads reached dead replica1 after it was marked down ($reads_at_down -> $reads_after)"
gh_wait_port "$PROXY" 1 || fail "the proxy died"
queries=$(awk '/queries:/ {print $2; exit}' "$DIR/sb-kill.log")
errors=$(awk '/ignored errors:/ {print $3; exit}' "$DIR/sb-kill.log")
echo "under kill -9: $queries queries, $errors ignored errors"
[ "${queries:-0}" -gt 1000 ] || fail "load stalled: only ${queries:-0} queries"
[ "${errors:-0}" -le 8 ] || fail "too many errors for one dead replica: $errors"
pass "kill -9 replica1 under load: proxy up, no reads to it once down, $errors client errors"

# --- up brings it back; reads return to it.
"$GATEHOUSE" up --dir "$DIR" --base-port "$BASE" >/dev/null || fail "up did not restart replica1"
sleep 2
out=$(served_by random 100)
[ "$(count_of replica1 "$out")" -ge 10 ] || fail "replica1 did not get reads back after recovery"
pass "replica1 back after up: serves reads again"
echo "proxy_routing: all checks passed"
