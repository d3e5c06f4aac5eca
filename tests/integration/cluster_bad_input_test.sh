#!/usr/bin/env bash
# Integration test (Foundation): bad input to `gatehouse up` gets one clear line on stderr, exit
# code 2, and leaves nothing behind (no process, no directory): unknown flag, bad TOML, unknown
# key, port in use, missing mariadbd, absurd --replicas, unwritable dir. A node that fails to
# start is a runtime error (exit 1) that stops what the run started and shows its error log.
set -euo pipefail
GATEHOUSE=${GATEHOUSE:?set GATEHOUSE to the gatehouse binary}
BASE_PORT=27307
WORK=$(mktemp -d /tmp/gh_it_bad_input.XXXXXX)
DIR=$WORK/cluster
LISTENER=

fail() { echo "FAIL: $*" >&2; exit 1; }
cleanup() {
  [ -n "$LISTENER" ] && kill "$LISTENER" 2>/dev/null || true
  "$GATEHOUSE" down --purge --dir "$DIR" >/dev/null 2>&1 || true
  rm -rf "$WORK"
}
trap cleanup EXIT

# expect_bad_input NAME WANT_FRAGMENT ARGS...: exit 2, one stderr line containing the fragment,
# no process of DIR and no DIR.
expect_bad_input() {
  local name=$1 want=$2; shift 2
  local rc=0 err
  err=$("$GATEHOUSE" "$@" 2>&1 >/dev/null) || rc=$?
  echo "[$name] exit $rc: $err"
  [ $rc = 2 ] || fail "$name: exit code $rc, want 2 ($err)"
  [ "$(printf '%s\n' "$err" | wc -l)" = 1 ] || fail "$name: want one line on stderr, got: $err"
  grep -qF -- "$want" <<<"$err" || fail "$name: message lacks '$want': $err"
  if pgrep -af "$DIR"; then fail "$name: left processes behind"; fi
  [ ! -e "$DIR" ] || fail "$name: left $DIR behind"
}

# Unknown flags: CLI11 reports them (its message has a second "Run with --help" line).
rc=0; err=$("$GATEHOUSE" up --bogus --dir "$DIR" 2>&1 >/dev/null) || rc=$?
echo "[unknown flag] exit $rc: $err"
[ $rc = 2 ] || fail "unknown flag: exit code $rc, want 2"
grep -q -- "--bogus" <<<"$err" || fail "unknown flag: message does not name --bogus: $err"
[ ! -e "$DIR" ] || fail "unknown flag: left $DIR behind"

printf '[cluster]\nname = "it"\nbase_port = "abc"\n' >"$WORK/bad-value.toml"
expect_bad_input "bad value" "bad-value.toml:3: cluster.base_port: expected an integer between 1024 and 65535, got \"abc\"" \
  up --config "$WORK/bad-value.toml" --dir "$DIR"

printf '[cluster]\nbase_port = 3307\nname = "unterminated\n' >"$WORK/bad-syntax.toml"
expect_bad_input "bad syntax" "bad-syntax.toml:3:" up --config "$WORK/bad-syntax.toml" --dir "$DIR"

printf '[cluster]\nreplica = 2\n' >"$WORK/typo.toml"
expect_bad_input "unknown key" "typo.toml:2: cluster.replica: unknown key; did you mean replicas?" \
  up --config "$WORK/typo.toml" --dir "$DIR"

printf '[cluster]\nmariadbd = "/nonexistent"\n' >"$WORK/no-mariadbd.toml"
expect_bad_input "missing mariadbd" "no-mariadbd.toml:2: cluster.mariadbd: /nonexistent is not an executable file; install mariadb-server" \
  up --config "$WORK/no-mariadbd.toml" --dir "$DIR"

expect_bad_input "replicas 99" "--replicas: expected an integer between 0 and 16, got 99" \
  up --replicas 99 --dir "$DIR" --base-port $BASE_PORT
expect_bad_input "replicas -1" "--replicas: expected an integer between 0 and 16, got -1" \
  up --replicas -1 --dir "$DIR" --base-port $BASE_PORT
expect_bad_input "no such --config" "--config: " up --config "$WORK/missing.toml" --dir "$DIR"
expect_bad_input "no Sakila" "has no sakila-schema.sql" up --sakila "$WORK" --dir "$DIR" --base-port $BASE_PORT

rc=0; err=$("$GATEHOUSE" up --dir /proc/gatehouse-it/cluster --base-port $BASE_PORT 2>&1 >/dev/null) || rc=$?
echo "[unwritable dir] exit $rc: $err"
[ $rc = 2 ] && grep -q "cannot create /proc/gatehouse-it/cluster" <<<"$err" || fail "unwritable dir: rc=$rc: $err"

# A port in use (replica1's): named with its owner, nothing started.
python3 -c 'import socket,sys,time
s=socket.socket(); s.bind(("127.0.0.1", int(sys.argv[1]))); s.listen(); time.sleep(120)' $((BASE_PORT + 1)) &
LISTENER=$!
for _ in $(seq 50); do ss -ltn 2>/dev/null | grep -q ":$((BASE_PORT + 1)) " && break; sleep 0.1; done
expect_bad_input "port in use" "port $((BASE_PORT + 1)) (replica1) is already in use by python3 (pid $LISTENER)" \
  up --dir "$DIR" --base-port $BASE_PORT
kill "$LISTENER"; LISTENER=

expect_bad_input "status without a cluster" "no cluster was created" status --dir "$DIR"

# A node that cannot start: exit 1, the nodes of this run are stopped, the error log is shown.
printf '[cluster]\nreplicas = 1\nbase_port = %d\n[mariadb]\nextra = ["no_such_option=1"]\n' $BASE_PORT >"$WORK/bad-node.toml"
rc=0; err=$("$GATEHOUSE" up --config "$WORK/bad-node.toml" --dir "$DIR" 2>&1 >/dev/null) || rc=$?
echo "[node fails] exit $rc: $err"
[ $rc = 1 ] || fail "node start failure: exit code $rc, want 1"
grep -q "exited during startup" <<<"$err" && grep -q "unknown variable 'no_such_option=1'" <<<"$err" ||
  fail "node start failure: message lacks the reason from the error log: $err"
if pgrep -af "$DIR"; then fail "node start failure: left processes behind"; fi
echo "PASS"
