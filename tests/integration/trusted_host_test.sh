#!/usr/bin/env bash
# Integration test: the trusted host (`gatehouse trusted-host`, a MysqlFrontSession per client)
# between a MySQL client and the proxy of a real cluster. With the stock `mariadb` CLI, a small
# Connector/C program and a raw-protocol python client, logged in as the trusted-link users
# gatekeeper-<role> (password HMAC-SHA256(secret, user)):
#   reads return the right rows; INSERT is denied to gatekeeper-read (rule `role`) and works
#   for gatekeeper-write; GRANT is denied to gatekeeper-admin (`always_denied`); a stacked query
#   and a tautology injection are denied; a wrong password is refused; prepared statements
#   work (and a write PREPARE is denied to the read role); an unsupported command gets an ERR
#   and the session goes on; random bytes, a truncated packet and an oversized packet do not
#   hurt the process; every denial has a JSON audit line without SQL literals; the stats file
#   counts; and a client address outside allowed_clients is refused.
# Base port 15307: the trusted host listens on BASE+45 = 15352.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
BASE=15307
PROXY=$((BASE + 20))
TH=$((BASE + 45))
SECONDS=0
DIR=$(mktemp -d /tmp/gh_it_th.XXXXXX)  # gh_up tears it down and removes it on exit
TH_PID=

gh_up "$DIR" "$BASE" >"$DIR/up.log" 2>&1 || { cat "$DIR/up.log"; fail "gh_up failed"; }
pass "cluster and proxy up in ${SECONDS}s"

# set_option SECTION KEY VALUE: sets `KEY = VALUE` in [SECTION] of DIR/gatehouse.toml (adds the
# key, or the section, when missing).
set_option() {
  python3 - "$DIR/gatehouse.toml" "$1" "$2" "$3" <<'PY'
import re, sys
path, section, key, value = sys.argv[1:5]
text = open(path).read()
m = re.search(r'^\[' + re.escape(section) + r'\]\s*$', text, re.M)
if not m:
    text = text.rstrip('\n') + '\n\n[' + section + ']\n' + key + ' = ' + value + '\n'
else:
    end = re.compile(r'^\[', re.M).search(text, m.end())
    end = end.start() if end else len(text)
    k = re.compile(r'^' + re.escape(key) + r'\s*=.*$', re.M).search(text, m.end(), end)
    if k:
        text = text[:k.start()] + key + ' = ' + value + text[k.end():]
    else:
        text = text[:m.end()] + '\n' + key + ' = ' + value + text[m.end():]
open(path, 'w').write(text)
PY
}

# The trusted host: enabled in the config; `up` starts it (and writes its secrets) once it knows
# how, otherwise this test writes the secrets from [proxy_client] and starts it itself.
SECRETS=$DIR/trusted-host-secrets.toml
start_trusted_host() {
  "$GATEHOUSE" up --dir "$DIR" >>"$DIR/up.log" 2>&1 || { tail -20 "$DIR/up.log"; fail "up failed"; }
  if [ ! -f "$SECRETS" ]; then
    (umask 077 && cat >"$SECRETS" <<EOF
# Written by trusted_host_test.sh (until \`gatehouse up\` writes it).
[upstream]
user = "$(gh_cred "$DIR" proxy_client user)"
password = "$(gh_cred "$DIR" proxy_client password)"

[trusted_host]
secret = "$(openssl rand -hex 32)"
EOF
    )
  fi
  if ! gh_wait_port "$TH" 1; then
    "$GATEHOUSE" trusted-host --dir "$DIR" >>"$DIR/trusted-host.fg.log" 2>&1 &
    TH_PID=$!
    GH_EXTRA_PIDS+=("$TH_PID")
  fi
  gh_wait_port "$TH" 20 || fail "trusted host did not listen on $TH: $(tail -5 "$DIR"/trusted-host*.log)"
}
stop_trusted_host() {
  local pid=$TH_PID p
  if [ -z "$pid" ] && [ -f "$DIR/run/trusted-host.pid" ]; then pid=$(head -1 "$DIR/run/trusted-host.pid"); fi
  [ -n "$pid" ] || fail "cannot find the trusted host's pid"
  kill "$pid" 2>/dev/null || true
  for ((p = 0; p < 100; p++)); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  kill -0 "$pid" 2>/dev/null && fail "trusted host (pid $pid) did not stop within 10 s of SIGTERM"
  TH_PID=
}
th_pid() {
  if [ -n "$TH_PID" ]; then echo "$TH_PID"; else head -1 "$DIR/run/trusted-host.pid"; fi
}

set_option trusted_host enabled true
set_option trusted_host allowed_clients '["127.0.0.1"]'
start_trusted_host
pass "trusted host listening on $TH"

SECRET=$(awk '/^\[trusted_host\]/{s=1;next} /^\[/{s=0} s && $1=="secret"{sub(/^[^=]*= */,""); gsub(/"/,""); print}' "$SECRETS")
[ -n "$SECRET" ] || fail "no [trusted_host] secret in $SECRETS"
derive() { printf '%s' "gatekeeper-$1" | openssl dgst -sha256 -hmac "$SECRET" | awk '{print $NF}'; }
PW_READ=$(derive read)
PW_WRITE=$(derive write)
PW_ADMIN=$(derive admin)
py_pw=$(python3 -c "import hmac,hashlib,sys; print(hmac.new(sys.argv[1].encode(), b'gatekeeper-read', hashlib.sha256).hexdigest())" "$SECRET")
[ "$py_pw" = "$PW_READ" ] || fail "openssl and python disagree on the derived password"

th_sql() {  # th_sql ROLE SQL...: runs SQL as gatekeeper-ROLE through the trusted host
  local role=$1 pw; shift
  case $role in read) pw=$PW_READ ;; write) pw=$PW_WRITE ;; admin) pw=$PW_ADMIN ;; esac
  mariadb --no-defaults --protocol=TCP -h127.0.0.1 -P"$TH" -u"gatekeeper-$role" -p"$pw" -N -B "$@"
}
src_sql() { gh_node_sql "$DIR" "$BASE" -N -B "$@"; }
# expect_denied ROLE RULE ERRNO SQL: the statement fails with ERRNO naming RULE, and the
# session stays usable (a SELECT 1 right after it on the same connection works).
expect_denied() {
  local role=$1 rule=$2 errno=$3 sql=$4 out
  # Statements on stdin: with --force the CLI goes on after an error on the same connection.
  out=$(printf '%s;\nSELECT %s;\n' "$sql" "'still-usable'" | th_sql "$role" --force 2>&1) || true
  grep -q "ERROR $errno .*denied by gatekeeper rule $rule" <<<"$out" ||
    fail "expected ERROR $errno rule $rule for [$sql] as $role, got: $out"
  grep -q '^still-usable$' <<<"$out" || fail "session not usable after a denial: $out"
}

# ---- reads ---------------------------------------------------------------------------------
want=$(src_sql -e "SELECT film_id, title, rental_rate FROM sakila.film WHERE film_id BETWEEN 10 AND 14 ORDER BY film_id")
got=$(th_sql read -e "SELECT film_id, title, rental_rate FROM sakila.film WHERE film_id BETWEEN 10 AND 14 ORDER BY film_id")
[ -n "$want" ] && [ "$got" = "$want" ] || fail "read through the trusted host: got [$got] want [$want]"
want=$(src_sql -e "SELECT COUNT(*) FROM sakila.rental")
got=$(th_sql read sakila -e "SELECT COUNT(*) FROM rental")
[ "$got" = "$want" ] || fail "count with a default schema: got $got want $want"
pass "gatekeeper-read reads the right rows (5 films; COUNT(*) of rental = $got with schema sakila)"

# ---- role policy -----------------------------------------------------------------------------
src_sql -e "CREATE DATABASE IF NOT EXISTS th_test; CREATE TABLE IF NOT EXISTS th_test.t (id INT PRIMARY KEY AUTO_INCREMENT, v VARCHAR(64))"
expect_denied read role 7502 "INSERT INTO th_test.t (v) VALUES ('zebra_literal_read')"
th_sql write -e "INSERT INTO th_test.t (v) VALUES ('written_by_write_role')" || fail "INSERT as gatekeeper-write failed"
sleep 0.3
[ "$(src_sql -e "SELECT COUNT(*) FROM th_test.t WHERE v = 'written_by_write_role'")" = 1 ] ||
  fail "the write role's INSERT did not reach the source"
[ "$(src_sql -e "SELECT COUNT(*) FROM th_test.t WHERE v = 'zebra_literal_read'")" = 0 ] ||
  fail "the read role's denied INSERT reached the source"
pass "INSERT: denied to gatekeeper-read (rule role, 7502), done by gatekeeper-write"

expect_denied admin always_denied 7502 "GRANT SELECT ON *.* TO 'mallory_literal'@'%'"
expect_denied write role 7502 "CREATE TABLE th_test.u (id INT)"
th_sql admin -e "CREATE TABLE IF NOT EXISTS th_test.u (id INT)" || fail "CREATE TABLE as gatekeeper-admin failed"
pass "GRANT denied to gatekeeper-admin (always_denied); DDL: write denied, admin allowed"

# A stacked query has to reach the server as one COM_QUERY: change the CLI's delimiter.
out=$(printf "DELIMITER //\nSELECT 1; SELECT 'stacked_literal' //\nSELECT 'still-usable' //\n" |
  th_sql read --force 2>&1) || true
grep -q "ERROR 7502 .*denied by gatekeeper rule stacked_query" <<<"$out" || fail "stacked query not denied: $out"
grep -q '^still-usable$' <<<"$out" || fail "session not usable after the stacked query: $out"
pass "stacked query denied (rule stacked_query)"

expect_denied read "injection:" 7506 "SELECT title FROM sakila.film WHERE title = 'tauto_literal' OR 1=1"
pass "tautology injection denied (rule injection:...)"

# ---- authentication --------------------------------------------------------------------------
out=$(mariadb --no-defaults --protocol=TCP -h127.0.0.1 -P"$TH" -ugatekeeper-read -pwrong -N -B -e "SELECT 1" 2>&1) &&
  fail "a wrong password logged in"
grep -q "ERROR 7405" <<<"$out" || fail "wrong password: expected ERROR 7405, got: $out"
out=$(mariadb --no-defaults --protocol=TCP -h127.0.0.1 -P"$TH" -ugh_app -p"$PW_READ" -N -B -e "SELECT 1" 2>&1) &&
  fail "an unknown user logged in"
grep -q "ERROR 7405" <<<"$out" || fail "unknown user: expected ERROR 7405, got: $out"
pass "wrong password and unknown user refused (7405)"

# ---- prepared statements (Connector/C) -------------------------------------------------------
cat >"$DIR/ps.c" <<'C'
/* Prepared statements through the trusted host: ps PORT USER PASSWORD MODE
 * MODE read: prepares a SELECT with one parameter, runs it for film 1 and 2 and prints rows.
 * MODE deny: prepares a DELETE, which must fail; prints the error number and message. */
#include <mysql.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
static void die(const char* what, const char* err) { fprintf(stderr, "FAIL %s: %s\n", what, err); exit(1); }
int main(int argc, char** argv) {
  MYSQL* m = mysql_init(NULL);
  if (!mysql_real_connect(m, "127.0.0.1", argv[2], argv[3], "sakila", (unsigned)atoi(argv[1]), NULL, 0))
    die("connect", mysql_error(m));
  MYSQL_STMT* st = mysql_stmt_init(m);
  if (strcmp(argv[4], "deny") == 0) {
    const char* q = "DELETE FROM film WHERE film_id = ?";
    if (mysql_stmt_prepare(st, q, strlen(q)) == 0) die("prepare", "a DELETE was prepared for the read role");
    printf("%u %s\n", mysql_stmt_errno(st), mysql_stmt_error(st));
    if (mysql_query(m, "SELECT 1")) die("after deny", mysql_error(m));
    mysql_free_result(mysql_store_result(m));
    return 0;
  }
  const char* q = "SELECT film_id, title FROM film WHERE film_id = ?";
  if (mysql_stmt_prepare(st, q, strlen(q))) die("prepare", mysql_stmt_error(st));
  for (int id = 1; id <= 2; ++id) {
    MYSQL_BIND p; memset(&p, 0, sizeof p);
    int param = id;
    p.buffer_type = MYSQL_TYPE_LONG; p.buffer = &param;
    if (mysql_stmt_bind_param(st, &p)) die("bind_param", mysql_stmt_error(st));
    if (mysql_stmt_execute(st)) die("execute", mysql_stmt_error(st));
    MYSQL_BIND r[2]; memset(r, 0, sizeof r);
    int film_id = 0; char title[256]; unsigned long len = 0;
    r[0].buffer_type = MYSQL_TYPE_LONG; r[0].buffer = &film_id;
    r[1].buffer_type = MYSQL_TYPE_STRING; r[1].buffer = title; r[1].buffer_length = sizeof title; r[1].length = &len;
    if (mysql_stmt_bind_result(st, r)) die("bind_result", mysql_stmt_error(st));
    if (mysql_stmt_store_result(st)) die("store_result", mysql_stmt_error(st));
    while (mysql_stmt_fetch(st) == 0) printf("%d\t%.*s\n", film_id, (int)len, title);
    mysql_stmt_free_result(st);
  }
  mysql_stmt_close(st);
  mysql_close(m);
  return 0;
}
C
read -r -a ccflags <<<"$(mariadb_config --cflags --libs | tr '\n' ' ')"
cc -std=c11 -O1 -o "$DIR/ps" "$DIR/ps.c" "${ccflags[@]}" || fail "cannot compile the prepared-statement client"
want=$(src_sql -e "SELECT film_id, title FROM sakila.film WHERE film_id IN (1, 2) ORDER BY film_id")
got=$("$DIR/ps" "$TH" gatekeeper-read "$PW_READ" read) || fail "prepared statement client failed: $got"
[ "$got" = "$want" ] || fail "prepared statements: got [$got] want [$want]"
out=$("$DIR/ps" "$TH" gatekeeper-read "$PW_READ" deny) || fail "denied PREPARE: $out"
grep -q "^7502 denied by gatekeeper rule role" <<<"$out" || fail "PREPARE of a DELETE as read: $out"
pass "prepared statements: SELECT executed twice with the right rows; DELETE prepare denied (7502)"

# ---- hostile bytes -----------------------------------------------------------------------------
cat >"$DIR/raw.py" <<'PY'
# Raw MySQL protocol client for hostile-input checks: raw.py PORT USER PASSWORD
import hashlib, os, socket, struct, sys

port, user, password = int(sys.argv[1]), sys.argv[2].encode(), sys.argv[3].encode()

def recvn(s, n):
    buf = b''
    while len(buf) < n:
        chunk = s.recv(n - len(buf))
        if not chunk:
            raise EOFError('closed after %d of %d bytes' % (len(buf), n))
        buf += chunk
    return buf

def recv_packet(s):
    h = recvn(s, 4)
    return h[3], recvn(s, h[0] | h[1] << 8 | h[2] << 16)

def send_packet(s, payload, seq):
    s.sendall(struct.pack('<I', len(payload))[:3] + bytes([seq]) + payload)

def login(user=user, password=password):
    s = socket.create_connection(('127.0.0.1', port), timeout=20)
    seq, hs = recv_packet(s)
    assert hs[0] == 10, hs[:10]
    p = hs.index(b'\0', 1) + 1 + 4
    nonce = hs[p:p + 8]
    p += 8 + 1 + 2 + 1 + 2 + 2
    auth_len = hs[p]
    p += 1 + 10
    nonce += hs[p:p + max(13, auth_len - 8) - 1]
    s1 = hashlib.sha1(password).digest()
    mix = hashlib.sha1(nonce[:20] + hashlib.sha1(s1).digest()).digest()
    scramble = bytes(a ^ b for a, b in zip(s1, mix))
    caps = 0x1 | 0x200 | 0x2000 | 0x8000 | 0x20000 | 0x80000  # long pw, 4.1, tx, secure, multi results, plugin
    resp = struct.pack('<IIB', caps, 1 << 24, 45) + b'\0' * 23 + user + b'\0'
    resp += bytes([len(scramble)]) + scramble + b'mysql_native_password\0'
    send_packet(s, resp, seq + 1)
    _, answer = recv_packet(s)
    return s, answer

def query(s, sql):
    send_packet(s, b'\x03' + sql.encode(), 0)
    _, first = recv_packet(s)
    if first[0] == 0xFF:
        return 'ERR %d %s' % (struct.unpack('<H', first[1:3])[0], first[9:].decode(errors='replace'))
    if first[0] == 0x00:
        return 'OK'
    rows = []
    while True:  # column definitions, EOF, rows, EOF (no DEPRECATE_EOF negotiated)
        _, p = recv_packet(s)
        if p[0] == 0xFE and len(p) < 9:
            break
    while True:
        _, p = recv_packet(s)
        if p[0] == 0xFE and len(p) < 9:
            break
        rows.append(p[1:1 + p[0]].decode())
    return ' '.join(rows)

def err_of(packet):
    return struct.unpack('<H', packet[1:3])[0] if packet and packet[0] == 0xFF else None

def closed_after(s):
    """Reads until EOF; returns the ERR number received on the way, if any."""
    code = None
    try:
        while True:
            _, p = recv_packet(s)
            code = err_of(p) or code
    except (EOFError, ConnectionResetError, socket.timeout):
        pass
    return code

check = sys.argv[4]
if check == 'random':  # random bytes instead of a login
    s = socket.create_connection(('127.0.0.1', port), timeout=20)
    recv_packet(s)
    try:
        s.sendall(os.urandom(100000))
    except (BrokenPipeError, ConnectionResetError):
        pass
    s.close()
    print('sent')
elif check == 'truncated':  # a login packet that announces 1000 bytes and brings 10
    s = socket.create_connection(('127.0.0.1', port), timeout=20)
    recv_packet(s)
    s.sendall(b'\xe8\x03\x00\x01' + b'x' * 10)
    s.close()
    print('sent')
elif check == 'garbage-login':  # a complete packet that is no handshake response
    s = socket.create_connection(('127.0.0.1', port), timeout=20)
    recv_packet(s)
    send_packet(s, b'\x01\x02\x03', 1)
    print(closed_after(s))
elif check == 'unsupported':  # KILL and an unknown command: ERR, the session goes on
    s, answer = login()
    assert answer[0] == 0, answer
    send_packet(s, b'\x0c\x01\x00\x00\x00', 0)  # COM_PROCESS_KILL
    _, p1 = recv_packet(s)
    send_packet(s, b'\x99', 0)
    _, p2 = recv_packet(s)
    print(err_of(p1), err_of(p2), query(s, "SELECT 'after-unsupported'"))
elif check == 'oversized':  # one logical packet over 16 MiB: ERR too_large, then closed
    s, answer = login()
    assert answer[0] == 0, answer
    try:
        s.sendall(b'\xff\xff\xff\x00' + b'\x03' + b' ' * (0xFFFFFF - 1) + b'\x10\x00\x00\x01')
    except (BrokenPipeError, ConnectionResetError):
        pass
    print(closed_after(s))
elif check == 'midcommand':  # login, then a command cut off halfway, then gone
    s, answer = login()
    assert answer[0] == 0, answer
    s.sendall(b'\x40\x00\x00\x00\x03SELECT')
    s.close()
    print('sent')
elif check == 'login':
    s, answer = login()
    print('ERR %d' % err_of(answer) if err_of(answer) else 'OK', query(s, "SELECT 'raw-ok'") if answer[0] == 0 else '')
PY
raw() { python3 "$DIR/raw.py" "$TH" gatekeeper-read "$PW_READ" "$@"; }
[ "$(raw login)" = "OK raw-ok" ] || fail "raw client login: $(raw login)"
pid=$(th_pid)
for i in 1 2 3; do raw random >/dev/null || fail "raw random"; done
raw truncated >/dev/null || fail "raw truncated"
out=$(raw garbage-login) || fail "raw garbage-login"
[ "$out" = 7101 ] || fail "a garbage login packet: expected ERR 7101, got $out"
out=$(raw unsupported) || fail "raw unsupported"
[ "$out" = "7407 7407 after-unsupported" ] || fail "unsupported commands: $out"
out=$(raw oversized) || fail "raw oversized"
[ "$out" = 7503 ] || fail "an oversized packet: expected ERR 7503, got $out"
raw midcommand >/dev/null || fail "raw midcommand"
head -c 100000 /dev/urandom >"$DIR/random.bin"
python3 -c "import socket,sys; s=socket.create_connection(('127.0.0.1',$TH)); s.sendall(open(sys.argv[1],'rb').read()); s.close()" "$DIR/random.bin" 2>/dev/null || true
sleep 0.3
kill -0 "$pid" 2>/dev/null || fail "the trusted host died on hostile input"
[ "$(th_sql read -e "SELECT 'alive'")" = alive ] || fail "a normal client fails after hostile input"
pass "random bytes, truncated/garbage/oversized packets, unsupported commands: clean ERRs, process alive"

# ---- audit log and stats -----------------------------------------------------------------------
AUDIT=$DIR/trusted-host-audit.log
[ -f "$AUDIT" ] || fail "no audit log at $AUDIT"
python3 - "$AUDIT" <<'PY' || fail "audit log check failed"
import json, sys
lines = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
denies = [l for l in lines if l.get('event') == 'deny']
rules = [l.get('rule', '') for l in denies]
need = ['role', 'always_denied', 'stacked_query', 'auth']
missing = [r for r in need if r not in rules]
assert not missing, 'no audit line for %s in %s' % (missing, rules)
assert any(r.startswith('injection:') for r in rules), rules
for l in denies:
    assert l.get('front') == 'trusted_host', l
    assert l.get('client', '').startswith('127.0.0.1:'), l
for r in denies:
    if r.get('rule') in ('role', 'always_denied') or r.get('rule', '').startswith('injection:'):
        assert len(r.get('digest', '')) == 16, r
print('%d deny lines' % len(denies))
PY
for literal in zebra_literal_read mallory_literal stacked_literal tauto_literal; do
  grep -q "$literal" "$AUDIT" && fail "the audit log contains the SQL literal $literal"
done
sleep 0.5
python3 - "$DIR/trusted-host-stats.json" <<'PY' || fail "stats file check failed: $(cat "$DIR/trusted-host-stats.json")"
import json, sys
s = json.load(open(sys.argv[1]))
assert s["denied"] >= 6 and s['auth_failures'] >= 2 and s['statements'] >= 5, s
assert s["protocol_errors"] >= 4 and s["connections"] >= 15, s
PY
pass "audit log: a JSON line per denial with digest, no SQL literals; stats file counts"

# ---- client address allowlist --------------------------------------------------------------------
set_option trusted_host allowed_clients '["127.0.0.2"]'
stop_trusted_host
start_trusted_host
out=$(th_sql read -e "SELECT 1" 2>&1) && fail "a client outside allowed_clients got in"
# (MariaDB's CLI wraps an ERR that comes before the handshake as 2002 "... cannot be verified: 7406")
grep -q "7406 .*access_denied" <<<"$out" || fail "refused address: expected ERR 7406, got: $out"
grep -q '"rule":"client_address"' "$AUDIT" || fail "no audit line for the refused address"
pass "127.0.0.1 refused when allowed_clients = [\"127.0.0.2\"] (7406)"

stop_trusted_host
pass "trusted host stopped on SIGTERM; all checks passed in ${SECONDS}s"
