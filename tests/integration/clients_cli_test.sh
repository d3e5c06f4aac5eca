#!/usr/bin/env bash
# Integration test (client compatibility): the stock `mariadb` command-line client through the
# proxy port, driven interactively inside tmux (send keys, read the screen) and in batch mode.
# Interactive: a query, USE sakila (the client then reads tables and columns for completion:
# SHOW TABLES + COM_FIELD_LIST per table), SHOW TABLES, a transaction rolled back (the row is
# gone everywhere) and one committed (the row reaches every node within 5 s), bad SQL prints an
# ERROR line and the session goes on, SELECT @gatehouse_last_node, the `status` command
# (COM_STATISTICS), and exit. Batch: mariadb -e, a script on stdin, the exit code on errors, and
# that a new session without a schema does not inherit one from a shared backend connection.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
BASE_PORT=26307
PORT=$((BASE_PORT + 20))
SECONDS=0
command -v tmux >/dev/null || fail "tmux is not installed (scripts/install-deps.sh installs it)"

DIR=$(mktemp -d /tmp/gh_it_cli.XXXXXX)  # gh_up tears it down and removes it on exit
TM=(tmux -L "gh_it_cli_$$" -f "$DIR/tmux.conf")
printf 'set -g history-limit 100000\nset -g remain-on-exit on\n' >"$DIR/tmux.conf"
trap '"${TM[@]}" kill-server >/dev/null 2>&1 || true; gh_teardown' EXIT

gh_up "$DIR" $BASE_PORT >"$DIR/up.log" 2>&1 || { cat "$DIR/up.log"; fail "gh_up failed"; }
pass "cluster and proxy up in ${SECONDS}s"
USER_=$(gh_cred "$DIR" proxy_client user)
PW=$(gh_cred "$DIR" proxy_client password)

proxy_log() {
  local f
  for f in "$DIR"/*proxy*.log "$DIR"/run/*proxy*.log; do
    if [ -f "$f" ]; then echo "--- $f"; tail -20 "$f"; fi
  done
  gh_wait_port $PORT 1 || echo "the proxy no longer listens on $PORT"
}
die() { echo "--- screen:"; screen | grep -v "^$" | tail -40; proxy_log; fail "$*"; }

# ---- interactive session ----------------------------------------------------------------------
screen() { "${TM[@]}" capture-pane -p -J -t cli -S - -E -; }
prompts() { screen | grep -c '^ghcli \[' || true; }
# cli TEXT [SECONDS]: types TEXT and Enter at the prompt, waits for the next prompt, and leaves
# this command's transcript (its prompt line through the next prompt) in OUT.
cli() {
  local text=$1 limit=${2:-20} before i
  before=$(prompts)
  printf '%s' "$text" | "${TM[@]}" load-buffer -b ghsql -
  "${TM[@]}" paste-buffer -d -b ghsql -t cli
  "${TM[@]}" send-keys -t cli Enter
  for ((i = 0; i < limit * 20; i++)); do
    [ "$(prompts)" -gt "$before" ] && break
    sleep 0.05
  done
  OUT=$(screen | awk -v n="$before" '/^ghcli \[/ {c++} c >= n')
  [ "$(prompts)" -gt "$before" ] || die "no prompt within ${limit}s after: $text"
}
# expect REGEX WHAT: OUT (the last command's transcript) must match REGEX.
expect() { grep -Eq -- "$1" <<<"$OUT" || { echo "--- transcript:"; echo "$OUT"; die "$2: no match for /$1/"; }; }
expect_not() { ! grep -Eq -- "$1" <<<"$OUT" || { echo "--- transcript:"; echo "$OUT"; die "$2: unexpected /$1/"; }; }
# on_every_node SQL WANT: SQL on source, replica1 and replica2 (admin, direct) returns WANT within 5 s.
on_every_node() {
  local sql=$1 want=$2 port got i
  for port in $BASE_PORT $((BASE_PORT + 1)) $((BASE_PORT + 2)); do
    for ((i = 0; i < 50; i++)); do
      got=$(gh_node_sql "$DIR" "$port" -e "$sql" 2>&1) || true
      [ "$got" = "$want" ] && break
      sleep 0.1
    done
    [ "$got" = "$want" ] || die "node on port $port: '$sql' returned '$got', want '$want' (5 s)"
  done
}

cmd=$(printf 'MYSQL_HISTFILE=/dev/null mariadb --no-defaults --protocol=TCP -h127.0.0.1 -P%s -u%q --password=%q --prompt=%q' \
  $PORT "$USER_" "$PW" 'ghcli [\d]> ')
"${TM[@]}" new-session -d -s cli -x 250 -y 50 "$cmd; echo gh-client-exit-status=\$?"
for ((i = 0; i < 200; i++)); do [ "$(prompts)" -ge 1 ] && break; sleep 0.05; done
[ "$(prompts)" -ge 1 ] || die "no first prompt from the interactive client"
OUT=$(screen)
expect 'Server version: .*gatehouse' "banner"
pass "interactive client connected: $(grep -o 'Server version: .*' <<<"$OUT")"

cli "SELECT 40 + 2 AS answer, 'hello''s' AS greeting;"
expect '^\| +42 \| hello.s +\|$' "a query"
expect '^1 row in set' "a query"
pass "a query"

cli "USE sakila"
expect '^Database changed' "USE sakila"
expect_not 'ERROR' "USE sakila"
[ "$(screen | grep '^ghcli \[' | tail -1 | sed 's/ *$//')" = "ghcli [sakila]>" ] || die "the prompt does not show sakila"
sleep 0.2
gh_wait_port $PORT 1 || die "the proxy died during USE sakila (the client then reads names for completion: SHOW TABLES, COM_FIELD_LIST per table)"
pass "USE sakila (with the client reading table and column names for completion)"

cli "SHOW TABLES;"
for t in actor film rental payment; do expect "^\| $t +\|$" "SHOW TABLES lists $t"; done
expect '^1[0-9] rows in set' "SHOW TABLES"
cli "SELECT COUNT(*) AS films FROM film;"
expect '^\| +1000 \|$' "SELECT COUNT(*) FROM film (unqualified: the schema follows the session)"
pass "SHOW TABLES and an unqualified query in sakila"

cli "CREATE DATABASE gh_clients_cli; CREATE TABLE gh_clients_cli.t (id INT PRIMARY KEY, note VARCHAR(32));"
expect_not 'ERROR' "create the test table"
# Reads below may go to any replica: let the new table reach them first.
on_every_node "SELECT COUNT(*) FROM information_schema.TABLES WHERE TABLE_SCHEMA = 'gh_clients_cli'" "1"

cli "BEGIN; INSERT INTO gh_clients_cli.t VALUES (1, 'rolled-back'); SELECT id, note FROM gh_clients_cli.t; SELECT @gatehouse_last_node; ROLLBACK;"
expect '^Query OK, 1 row affected' "INSERT inside BEGIN"
expect '^\| +1 \| rolled-back \|$' "the transaction sees its own row"
expect '^\| source +\|$' "reads inside a transaction are served by the source"
expect_not 'ERROR' "the rolled-back transaction"
cli "SELECT COUNT(*) AS after_rollback FROM gh_clients_cli.t WHERE id = 1;"
expect '^\| +0 \|$' "the row is gone after ROLLBACK"
on_every_node "SELECT COUNT(*) FROM gh_clients_cli.t" "0"
pass "BEGIN; INSERT; SELECT; ROLLBACK: the row is gone (proxy and every node)"

cli "BEGIN; INSERT INTO gh_clients_cli.t VALUES (2, 'committed'); COMMIT;"
expect_not 'ERROR' "the committed transaction"
on_every_node "SELECT note FROM gh_clients_cli.t WHERE id = 2" "committed"
pass "BEGIN; INSERT; COMMIT: the row is on source, replica1 and replica2 within 5 s"

cli "SELEC 1;"
expect '^ERROR 1064 \(42000\).*SQL syntax' "bad SQL prints an ERROR line"
cli "SELECT * FROM no_such_table;"
expect "^ERROR 1146 \(42S02\).*sakila.no_such_table" "a missing table prints an ERROR line"
cli "SELECT 'still-alive' AS s;"
expect '^\| still-alive \|$' "the session continues after errors"
expect_not 'ERROR|No connection|gone away' "the session continues after errors"
pass "bad SQL shows ERROR 1064 / 1146 and the session continues"

cli "SET @gatehouse_strategy = 'random'; SELECT COUNT(*) FROM rental; SELECT @gatehouse_last_node;"
expect '^\| (replica1|replica2) +\|$' "with strategy random a read is served by a replica"
node=$(grep -Eo 'replica[12]' <<<"$OUT" | tail -1)
cli "SELECT @gatehouse_strategy;"
expect '^\| random +\|$' "SELECT @gatehouse_strategy"
pass "SELECT @gatehouse_last_node shows $node"

cli "status"
expect '^Server version:.*gatehouse' "the status command"
expect '^Current database:[[:space:]]+sakila' "the status command"
expect '^Uptime:' "the status command (COM_STATISTICS)"
cli "SELECT 'after-status' AS s;"
expect '^\| after-status \|$' "the session continues after status"
pass "the status command (mysql_stat)"

"${TM[@]}" send-keys -t cli -l 'exit'
"${TM[@]}" send-keys -t cli Enter
for ((i = 0; i < 100; i++)); do
  screen | grep -q '^gh-client-exit-status=' && break
  sleep 0.05
done
rc=$(screen | sed -n 's/^gh-client-exit-status=//p')
[ -n "$rc" ] || die "the client did not exit"
screen | grep -q '^Bye$' || die "no Bye on exit"
[ "$rc" = 0 ] || die "the interactive client exited with $rc"
pass "exit: Bye, status 0"

# ---- batch mode -------------------------------------------------------------------------------
out=$(gh_proxy_sql "$DIR" $PORT -e "SELECT 1 + 1; SELECT note FROM gh_clients_cli.t WHERE id = 2; SELECT @gatehouse_last_node") ||
  { proxy_log; fail "mariadb -e exited $?"; }
want=$'2\ncommitted'
[ "$(head -2 <<<"$out")" = "$want" ] || fail "mariadb -e printed '$out', want '$want' then a node name"
grep -Eq '^(source|replica1|replica2)$' <<<"$(tail -1 <<<"$out")" || fail "mariadb -e: last node '$(tail -1 <<<"$out")'"
pass "mariadb -e (batch, several statements)"

out=$(printf '%s\n' "USE sakila;" "SELECT COUNT(*) FROM actor;" "START TRANSACTION;" \
  "INSERT INTO gh_clients_cli.t VALUES (3, 'batch');" "SELECT COUNT(*) FROM gh_clients_cli.t;" \
  "COMMIT;" "SELECT DATABASE();" | gh_proxy_sql "$DIR" $PORT) || { proxy_log; fail "batch script on stdin exited $?"; }
want=$'200\n2\nsakila'
[ "$out" = "$want" ] || fail "batch script printed '$out', want '$want'"
on_every_node "SELECT note FROM gh_clients_cli.t WHERE id = 3" "batch"
pass "a batch script on stdin (USE, transaction, COMMIT)"

set +e
err=$(gh_proxy_sql "$DIR" $PORT -e "SELECT 1; SELEC 2; SELECT 3" 2>&1)
rc=$?
set -e
[ $rc -eq 1 ] || fail "mariadb -e with bad SQL exited $rc, want 1 ($err)"
grep -q '^ERROR 1064 (42000) at line 1' <<<"$err" || fail "mariadb -e with bad SQL printed '$err'"
out=$(printf '%s\n' "SELEC 1;" "SELECT 'forced';" | gh_proxy_sql "$DIR" $PORT --force 2>&1) || true
grep -q '^forced$' <<<"$out" || fail "--force did not go on after an error: '$out'"
pass "mariadb -e with bad SQL: ERROR 1064 at line 1, exit code 1; --force goes on"

# Sessions share backend connections: one that selected no schema must not see another's. A
# session with a default schema leaves it selected on the source connection that validated it
# at login (and on those its statements ran on); sessions land on either proxy worker thread.
for ((i = 0; i < 12; i++)); do
  gh_proxy_sql "$DIR" $PORT -D sakila -e "SELECT COUNT(*) FROM film; INSERT INTO gh_clients_cli.t VALUES (100 + $i, 'x')" >/dev/null ||
    fail "a session in sakila failed"
  out=$(gh_proxy_sql "$DIR" $PORT --comments -e "/* gatehouse:strategy=direct */ SELECT DATABASE(); SELECT DATABASE()" 2>&1) ||
    fail "SELECT DATABASE() failed: $out"
  [ "$out" = $'NULL\nNULL' ] ||
    fail "a new session without a schema sees DATABASE() = '${out//$'\n'/, }', want NULL (left by an earlier session)"
done
pass "a new session without a schema has none (nothing leaks from earlier sessions)"

gh_node_sql "$DIR" $BASE_PORT -e "DROP DATABASE gh_clients_cli"
gh_wait_port $PORT 1 || { proxy_log; fail "the proxy stopped listening during the test"; }
echo "PASS (${SECONDS}s)"
