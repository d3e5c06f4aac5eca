#!/usr/bin/env bash
# Integration test: the gatekeeper's HTTP/JSON API against a real cluster, with curl over real
# sockets. It proves every status code and its JSON error body {"error":{"code","message"...}}:
#   200  /v1/query (params prepared upstream, strategies direct/random/customized and served_by,
#        database field and the key's default database, INSERT), /v1/transaction (commit, and a
#        failure mid-way that rolls back), GET /v1/cluster, GET /v1/health (open)
#   400  invalid JSON, unknown field, wrong param type, BEGIN in a transaction, param count
#   401  no Authorization, bad scheme, bad token, revoked key (`gatehouse key revoke`)
#   403  role, always_denied (GRANT, INTO OUTFILE), stacked query, injection:tautology, and the
#        digest allowlist (`gatehouse policy mode ID learn|enforce`)
#   404, 405 (with Allow), 413 (max_body_bytes, max_query_bytes), 429 (Retry-After),
#   502 (MySQL errors 1146/1064/1062 pass through), 503 (proxy stopped; fast, no hang; back after
#   `up`), 504 (request_timeout_ms; the next request works)
# plus the value mapping (NULL, big integers, DECIMAL, binary), the audit log (one line per
# denial, never a literal of the denied statement), TLS (required / optional / off) and the
# `gatehouse query` CLI.
# Base port 14307: proxy 14327, gatekeeper HTTP 14347.
# The 504 case uses SELECT COUNT(*) FROM film a, film b, category c (16M rows, about 1 s): slow
# enough for a 300 ms timeout, short enough that the abandoned statement (which goes on running
# on the node) does not load the machine for the rest of the test.
#
# Failures of API assertions are collected (the run goes on and lists them all at the end);
# set-up problems stop the test at once.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
BASE=14307
GK_PORT=$((BASE + 40))
SECONDS=0
DIR=$(mktemp -d /tmp/gh_it_gkhttp.XXXXXX)  # gh_up tears it down and removes it on exit
WORK=$DIR/test-work
AUDIT=$DIR/gatekeeper-audit.log
URL=http://127.0.0.1:$GK_PORT
# A distinctive literal put in denied statements: it must never reach the audit log.
MARK=zqxMARK7731
FAILURES=()

bad() { FAILURES+=("$1"); echo "FAIL: $1" >&2; }

gh_up "$DIR" "$BASE" >"$DIR/up.log" 2>&1 || { cat "$DIR/up.log"; fail "gh_up failed"; }
mkdir -p "$WORK"
gh_wait_port "$GK_PORT" 20 || fail "the gatekeeper does not listen on $GK_PORT: $(tail -5 "$DIR/gatekeeper.log" 2>/dev/null)"
cp "$DIR/gatehouse.toml" "$WORK/gatehouse.toml.orig"
TOK_R=$(gh_cred "$DIR" api_key_read token); ID_R=$(gh_cred "$DIR" api_key_read id)
TOK_W=$(gh_cred "$DIR" api_key_write token); ID_W=$(gh_cred "$DIR" api_key_write id)
TOK_A=$(gh_cred "$DIR" api_key_admin token); ID_A=$(gh_cred "$DIR" api_key_admin id)
[ -n "$TOK_R" ] && [ -n "$TOK_W" ] && [ -n "$TOK_A" ] || fail "no demo API keys in $DIR/credentials.toml"
pass "cluster, proxy and gatekeeper up in ${SECONDS}s"
# From here on a failed assertion is recorded by bad() and the run goes on (so the report lists
# every failure); set-up steps still stop the test through fail().
set +e

# ---- helpers -------------------------------------------------------------------------------
# api METHOD PATH TOKEN [BODY [curl args...]]: one request; sets STATUS, BODY, HEADERS, TOOK_MS.
# TOKEN "-" sends no Authorization header. BODY "@file" sends a file.
api() {
  local method=$1 path=$2 token=$3 body=${4-} t0
  shift 3; [ $# -gt 0 ] && shift
  local args=(-sS -m 15 -X "$method" -o "$WORK/body" -D "$WORK/headers" -w '%{http_code}')
  [ "$token" != - ] && args+=(-H "Authorization: Bearer $token")
  [ -n "$body" ] && args+=(-H 'Content-Type: application/json' --data-binary "$body")
  : >"$WORK/body"; : >"$WORK/headers"
  t0=$(date +%s%N)
  STATUS=$(curl "${args[@]}" "$@" "${BASE_URL:-$URL}$path" 2>"$WORK/curl.err") || true
  TOOK_MS=$((($(date +%s%N) - t0) / 1000000))
  BODY=$(cat "$WORK/body")
  HEADERS=$(tr -d '\r' <"$WORK/headers")
}
q() { api POST /v1/query "$1" "$2" "${@:3}"; }  # q TOKEN BODY [curl args...]

# jtrue PYTHON_EXPR: true when the expression holds over d = json.loads(BODY).
jtrue() {
  python3 -c 'import json, re, sys
d = json.loads(sys.argv[1])
sys.exit(0 if eval(sys.argv[2]) else 1)' "$BODY" "$1" 2>/dev/null
}
jget() { python3 -c 'import json, sys; d = json.loads(sys.argv[1]); print(eval(sys.argv[2]))' "$BODY" "$1" 2>/dev/null || true; }
show() { printf 'HTTP %s (%s ms): %.600s' "$STATUS" "$TOOK_MS" "$BODY"; }

# expect_ok NAME PYTHON_EXPR: status 200 and the expression holds.
expect_ok() {
  local name=$1 expr=${2:-True}
  if [ "$STATUS" != 200 ]; then bad "$name: want 200, got $(show)"; return 1; fi
  if ! jtrue "$expr"; then bad "$name: [$expr] does not hold: $(show)"; return 1; fi
  pass "$name"
}

# expect_error NAME STATUS CODE [RULE [MYSQL_ERRNO]]: the status and exactly the error body
# {"error":{"code":CODE,"message":"<non-empty>"[,"rule":RULE][,"mysql_errno":N,...]}}.
expect_error() {
  local name=$1 status=$2 code=$3 rule=${4-} errno=${5-}
  if [ "$STATUS" != "$status" ]; then bad "$name: want $status $code, got $(show)"; return 1; fi
  local expr="list(d) == ['error'] and isinstance(d['error'].get('message'), str) and d['error']['message'] != '' and d['error'].get('code') == '$code'"
  [ -n "$rule" ] && expr+=" and d['error'].get('rule') == '$rule'"
  [ -n "$errno" ] && expr+=" and d['error'].get('mysql_errno') == $errno"
  if ! jtrue "$expr"; then bad "$name: error body is not code=$code${rule:+ rule=$rule}${errno:+ mysql_errno=$errno}: $(show)"; return 1; fi
  grep -qi '^content-type: application/json' <<<"$HEADERS" || { bad "$name: no JSON content type: $HEADERS"; return 1; }
  pass "$name: $status $code${rule:+ ($rule)}"
}

audit_lines() { if [ -f "$AUDIT" ]; then wc -l <"$AUDIT"; else echo 0; fi; }
# expect_audit NAME BEFORE KEY CODE RULE DIGEST: exactly one new audit line since BEFORE lines,
# a JSON deny event of the http front with this key id, a 127.0.0.1:port client, CODE, RULE and
# DIGEST ("hex": 16 hex digits; "none": empty; "any": either: the policy digests only a single
# statement within max_query_bytes).
expect_audit() {
  local name=$1 before=$2 key=$3 code=$4 rule=$5 digest=$6 now line
  now=$(audit_lines)
  if [ "$now" != $((before + 1)) ]; then bad "audit $name: $((now - before)) new lines, want 1"; return 1; fi
  line=$(tail -1 "$AUDIT")
  python3 -c 'import json, re, sys
e = json.loads(sys.argv[1]); key, code, rule, digest = sys.argv[2:6]
assert e["front"] == "http" and e["event"] == "deny", "front/event"
assert e["key"] == key, "key " + e["key"]
assert re.fullmatch(r"127\.0\.0\.1:[0-9]+", e["client"]), "client " + e["client"]
assert e["code"] == code, "code " + e["code"]
assert e["rule"] == rule, "rule " + e["rule"]
assert isinstance(e["digest"], str), "digest"
if digest != "any":
    assert re.fullmatch(r"[0-9a-f]{16}", e["digest"]) if digest == "hex" else e["digest"] == "", "digest " + e["digest"]
assert "ts" in e' "$line" "$key" "$code" "$rule" "$digest" 2>"$WORK/audit.err" \
    || { bad "audit $name: $(tail -1 "$WORK/audit.err"): $line"; return 1; }
}
# deny_case NAME STATUS CODE RULE KEY_ID DIGEST -- api args...: the request is denied with the
# error body, and exactly one audit line describes it.
deny_case() {
  local name=$1 status=$2 code=$3 rule=$4 key=$5 digest=$6 before
  shift 7
  before=$(audit_lines)
  api "$@"
  expect_error "$name" "$status" "$code" "$rule" && expect_audit "$name" "$before" "$key" "$code" "$rule" "$digest"
}

# set_gk KEY VALUE: sets `KEY = VALUE` in the [gatekeeper] section of DIR/gatehouse.toml.
set_gk() {
  python3 - "$DIR/gatehouse.toml" "$1" "$2" <<'PY'
import re, sys
path, key, value = sys.argv[1:4]
text = open(path).read()
m = re.search(r'^\[gatekeeper\]\s*$', text, re.M)
assert m, "no [gatekeeper] section in " + path
end = re.compile(r'^\[', re.M).search(text, m.end())
end = end.start() if end else len(text)
k = re.compile(r'^' + re.escape(key) + r'\s*=.*$', re.M).search(text, m.end(), end)
assert k, key + " not in [gatekeeper]"
text = text[:k.start()] + key + ' = ' + value + text[k.end():]
open(path, 'w').write(text)
PY
}

# restart_gatekeeper: SIGTERM, wait for the process to exit, `up` starts it with the new config.
restart_gatekeeper() {
  local pid i
  pid=$(head -1 "$DIR/run/gatekeeper.pid")
  [[ $pid =~ ^[0-9]+$ ]] || fail "bad gatekeeper pid file: $(cat "$DIR/run/gatekeeper.pid")"
  kill "$pid" 2>/dev/null || true
  for ((i = 0; i < 100; i++)); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  kill -0 "$pid" 2>/dev/null && fail "the gatekeeper (pid $pid) did not stop within 10 s of SIGTERM"
  "$GATEHOUSE" up --dir "$DIR" >>"$DIR/up.log" 2>&1 || { tail -20 "$DIR/up.log"; fail "up failed restarting the gatekeeper"; }
  gh_wait_port "$GK_PORT" 20 || fail "the gatekeeper did not come back: $(tail -5 "$DIR/gatekeeper.log")"
}

# new_key ROLE NAME [--database DB]: creates an API key with the CLI and prints its token.
new_key() {
  local role=$1 name=$2; shift 2
  "$GATEHOUSE" key create --role "$role" --name "$name" "$@" --dir "$DIR" 2>>"$WORK/cli.err" \
    || fail "key create --role $role --name $name failed: $(tail -2 "$WORK/cli.err")"
}
# wait_status WANT TOKEN BODY: repeats a query for at most 3 s until it gets WANT (the
# gatekeeper re-reads keys and allowlists within ~1 s); returns 1 otherwise.
wait_status() {
  local want=$1 i
  for ((i = 0; i < 15; i++)); do
    q "$2" "$3"
    [ "$STATUS" = "$want" ] && return 0
    sleep 0.2
  done
  return 1
}
src_sql() { gh_node_sql "$DIR" "$BASE" "$@"; }
stmt_executes() { src_sql -e "SHOW GLOBAL STATUS LIKE 'Com_stmt_execute'" | awk '{print $2}'; }

# ==== 200 ===================================================================================
api GET /v1/health -
expect_ok "GET /v1/health without auth" 'd == {"status": "ok"}'

before=$(stmt_executes)
q "$TOK_R" '{"sql":"SELECT film_id, title FROM film WHERE film_id = ?","params":[7],"strategy":"direct"}'
expect_ok "query with a param, strategy direct" \
  'd["rows"] == [[7, "DEVIL ACADEMY"]] or (len(d["rows"]) == 1 and d["rows"][0][0] == 7)' &&
  { [ "$(jget 'd["served_by"]')" = source ] && [ "$(jget 'd["strategy"]')" = direct ] \
      || bad "direct: served_by/strategy: $(show)"; }
want_title=$(src_sql -e "SELECT title FROM sakila.film WHERE film_id = 7")
[ "$(jget 'd["rows"][0][1]')" = "$want_title" ] || bad "direct: title $(jget 'd["rows"][0][1]') != source's $want_title"
after=$(stmt_executes)
[ "$after" -gt "$before" ] && pass "params are bound upstream (source Com_stmt_execute $before -> $after)" \
  || bad "a query with params did not run as a prepared statement on the source (Com_stmt_execute $before -> $after)"

# A value that would be an injection if spliced into the SQL text is just a string.
q "$TOK_R" '{"sql":"SELECT film_id FROM film WHERE title = ?","params":["x'"'"' OR '"'"'1'"'"'='"'"'1"],"strategy":"direct"}'
expect_ok "an injection-looking param is bound as a value (no rows)" 'd["rows"] == [] and d["row_count"] == 0'

for strategy in random customized; do
  nodes=""
  for i in 1 2 3 4 5; do
    q "$TOK_R" '{"sql":"SELECT film_id FROM film WHERE film_id = ?","params":['$i'],"strategy":"'$strategy'"}'
    expect_ok "strategy $strategy #$i" 'd["rows"] == [['$i']] and d["strategy"] == "'$strategy'" and d["served_by"] in ("replica1", "replica2")' >/dev/null \
      || break
    nodes+="$(jget 'd["served_by"]') "
  done
  [ "$i" = 5 ] && [ "$STATUS" = 200 ] && pass "strategy $strategy: 5 reads served by replicas ($nodes)"
done
q "$TOK_R" '{"sql":"SELECT 1 AS one"}'
expect_ok "no strategy: the configured default (random) on a replica" \
  'd["strategy"] == "random" and d["served_by"] in ("replica1", "replica2")'

q "$TOK_R" '{"sql":"SELECT DATABASE() AS db"}'
expect_ok "the key's default database (sakila)" 'd["rows"] == [["sakila"]]'
q "$TOK_R" '{"sql":"SELECT DATABASE() AS db","database":"mysql"}'
expect_ok "the database field (mysql)" 'd["rows"] == [["mysql"]]'
q "$TOK_R" '{"sql":"SELECT COUNT(*) AS n FROM film"}'
expect_ok "after a request for another database, the key's default applies again" 'd["rows"] == [[1000]] or d["rows"][0][0] > 0'
q "$TOK_R" '{"sql":"SELECT 1","database":"no/such.db"}'
expect_error "an invalid database name" 400 bad_request
# A key without a default database must not inherit the schema a previous request left on the
# pooled upstream connection.
TOK_NODB=$(new_key read no-db)
wait_status 200 "$TOK_NODB" '{"sql":"SELECT 1"}' || bad "a new key (no database) was not accepted within 3 s: $(show)"
for i in 1 2 3; do
  q "$TOK_R" '{"sql":"SELECT DATABASE()","database":"mysql"}'
  q "$TOK_NODB" '{"sql":"SELECT DATABASE() AS db"}'
  jtrue 'd["rows"] == [[None]]' || break
done
expect_ok "a key without a default database has none (no schema left over from another request)" 'd["rows"] == [[None]]'

q "$TOK_A" '{"sql":"CREATE TABLE IF NOT EXISTS gk_http_t (id INT AUTO_INCREMENT PRIMARY KEY, v VARCHAR(64) NOT NULL UNIQUE)"}'
expect_ok "admin key: CREATE TABLE" 'd["served_by"] == "source"' || fail "cannot create the test table"
q "$TOK_W" '{"sql":"INSERT INTO gk_http_t (v) VALUES (?)","params":["first"]}'
expect_ok "write key: INSERT (affected_rows 1, last_insert_id 1, on the source)" \
  'd["affected_rows"] == 1 and d["last_insert_id"] == 1 and d["served_by"] == "source" and d["rows"] == []'
q "$TOK_W" '{"sql":"INSERT INTO gk_http_t (v) VALUES (?), (?)","params":["second","third"]}'
expect_ok "write key: INSERT of 2 rows" 'd["affected_rows"] == 2 and d["last_insert_id"] == 2'

api POST /v1/transaction "$TOK_W" '{"statements":[{"sql":"INSERT INTO gk_http_t (v) VALUES (?)","params":["tx-a"]},"INSERT INTO gk_http_t (v) VALUES ('"'tx-b'"')",{"sql":"SELECT COUNT(*) FROM gk_http_t WHERE v LIKE ?","params":["tx-%"]}]}'
expect_ok "/v1/transaction commits" \
  'd["committed"] is True and len(d["results"]) == 3 and d["results"][0]["affected_rows"] == 1 and d["results"][2]["rows"] == [[2]] and d["served_by"] == "source"'
[ "$(src_sql -e "SELECT GROUP_CONCAT(v ORDER BY v) FROM sakila.gk_http_t WHERE v LIKE 'tx-%'")" = "tx-a,tx-b" ] \
  && pass "committed rows are on the source" || bad "committed rows missing on the source"

api POST /v1/transaction "$TOK_W" '{"statements":[{"sql":"INSERT INTO gk_http_t (v) VALUES (?)","params":["tx-rolled-back"]},{"sql":"INSERT INTO gk_http_t (v) VALUES (?)","params":["first"]}]}'
expect_error "/v1/transaction failing mid-way (duplicate key)" 502 backend_error "" 1062 &&
  { jtrue 'd["error"]["rolled_back"] is True and d["error"]["statement"] == 1' \
      && pass "failed transaction: rolled_back true, statement 1" || bad "failed transaction body: $(show)"; }
[ "$(src_sql -e "SELECT COUNT(*) FROM sakila.gk_http_t WHERE v = 'tx-rolled-back'")" = 0 ] \
  && pass "the failed transaction's first row is not there" || bad "the first statement of a rolled-back transaction was committed"
q "$TOK_W" '{"sql":"SELECT COUNT(*) FROM gk_http_t","strategy":"direct"}'
expect_ok "after the rollback the table holds the 5 committed rows" 'd["rows"] == [[5]]'

api GET /v1/cluster "$TOK_R"
expect_ok "GET /v1/cluster: node states" \
  'all(d["cluster"]["nodes"][n]["up"] is True for n in ("source", "replica1", "replica2")) and d["cluster"]["nodes"]["source"]["role"] == "source" and d["cluster"]["nodes"]["replica1"]["role"] == "replica"'
before=$(audit_lines)
api GET /v1/cluster -
expect_error "GET /v1/cluster without auth" 401 unauthorized authentication &&
  expect_audit "cluster without auth" "$before" "" unauthorized authentication none

# ==== value mapping =========================================================================
q "$TOK_R" '{"sql":"SELECT NULL AS n, 9007199254740993 AS big, 12.50 AS dec_col, x'"'00ff'"' AS bin, 42 AS i, -7 AS neg"}'
expect_ok "value mapping: NULL null, 2^53+1 string, DECIMAL string, binary base64, ints numbers" \
  'd["rows"] == [[None, "9007199254740993", "12.50", "AP8=", 42, -7]] and type(d["rows"][0][4]) is int and d["columns"][3].get("binary") is True and not d["columns"][4].get("binary") and [c["name"] for c in d["columns"]] == ["n", "big", "dec_col", "bin", "i", "neg"]'
grep -q '"9007199254740993"' <<<"$BODY" && grep -q '"12.50"' <<<"$BODY" && grep -q ',42,' <<<"$BODY" \
  || bad "value mapping: raw JSON text: $BODY"
q "$TOK_R" '{"sql":"SELECT rental_rate, title FROM film WHERE film_id = ?","params":[1]}'
expect_ok "value mapping (binary protocol): DECIMAL column stays an exact string" \
  'isinstance(d["rows"][0][0], str) and re.fullmatch(r"[0-9]+\.[0-9]{2}", d["rows"][0][0])'
q "$TOK_R" '{"sql":"SELECT ? AS p_null, ? AS p_int, ? AS p_str","params":[null, 5, "s"]}'
expect_ok "params: null, integer and string round-trip" 'd["rows"] == [[None, 5, "s"]]'

# ==== 400 ===================================================================================
q "$TOK_R" '{"sql":"SELECT 1",'
expect_error "invalid JSON" 400 bad_request
q "$TOK_R" '{"sql":"SELECT 1","bogus":1}'
expect_error "unknown field" 400 bad_request && { grep -q bogus <<<"$BODY" || bad "unknown field: message does not name it: $BODY"; }
q "$TOK_R" '{"sql":"SELECT ?","params":[{"a":1}]}'
expect_error "wrong param type (object)" 400 bad_request
q "$TOK_R" '{"sql":"SELECT 1","strategy":5}'
expect_error "wrong type for strategy" 400 bad_request
q "$TOK_R" '{"sql":"SELECT 1","strategy":"fastest"}'
expect_error "unknown strategy" 400 bad_request
q "$TOK_R" '[1,2]'
expect_error "a JSON array instead of an object" 400 bad_request
api POST /v1/transaction "$TOK_W" '{"statements":["BEGIN",{"sql":"INSERT INTO gk_http_t (v) VALUES (?)","params":["never"]}]}'
expect_error "BEGIN inside /v1/transaction" 400 bad_request transaction_control
api POST /v1/transaction "$TOK_W" '{"statements":[{"sql":"INSERT INTO gk_http_t (v) VALUES (?)","params":["never"]},"COMMIT"]}'
expect_error "COMMIT inside /v1/transaction" 400 bad_request transaction_control
api POST /v1/transaction "$TOK_W" '{"statements":[]}'
expect_error "an empty transaction" 400 bad_request
q "$TOK_R" '{"sql":"SELECT film_id FROM film WHERE film_id = ? AND rental_duration = ?","params":[1]}'
expect_error "2 placeholders, 1 param" 400 bad_request param_count
q "$TOK_R" '{"sql":"SELECT film_id FROM film WHERE film_id = 1","params":[1]}'
expect_error "0 placeholders, 1 param" 400 bad_request param_count
q "$TOK_R" '{"sql":"SELECT film_id FROM film WHERE film_id = ?"}'
expect_error "1 placeholder, no params" 400 bad_request param_count
api POST /v1/transaction "$TOK_W" '{"statements":[{"sql":"INSERT INTO gk_http_t (v) VALUES (?)","params":["tx-param-count"]},{"sql":"INSERT INTO gk_http_t (v) VALUES (CONCAT(?, ?))","params":["x"]}]}'
expect_error "param count inside a transaction" 400 bad_request param_count
[ "$(src_sql -e "SELECT COUNT(*) FROM sakila.gk_http_t WHERE v = 'tx-param-count'")" = 0 ] \
  || bad "a transaction refused for its param count left its first row"

# ==== 401 ===================================================================================
deny_case "no Authorization header" 401 unauthorized authentication "" none -- \
  POST /v1/query - '{"sql":"SELECT '"'$MARK'"'"}'
before=$(audit_lines)
api POST /v1/query - '{"sql":"SELECT 1"}' -H "Authorization: Basic $(printf 'gh:%s' "$TOK_R" | base64 -w0)"
expect_error "Basic instead of Bearer" 401 unauthorized authentication &&
  expect_audit "Basic scheme" "$before" "" unauthorized authentication none
deny_case "a bad token (known id, wrong secret)" 401 unauthorized authentication "" none -- \
  POST /v1/query "ghk_${ID_R}_$(printf 'A%.0s' {1..32})" '{"sql":"SELECT 1"}'
deny_case "a garbage token" 401 unauthorized authentication "" none -- \
  POST /v1/query "not-a-token-$MARK" '{"sql":"SELECT 1"}'
grep -qF "${TOK_R:17}" "$AUDIT" && bad "a token secret is in the audit log"

TOK_REV=$(new_key read to-revoke --database sakila)
ID_REV=${TOK_REV:4:12}
wait_status 200 "$TOK_REV" '{"sql":"SELECT 1"}' && pass "a new key works within 3 s" \
  || bad "a new key was not accepted within 3 s: $(show)"
"$GATEHOUSE" key revoke "$ID_REV" --dir "$DIR" >/dev/null 2>>"$WORK/cli.err" || bad "key revoke $ID_REV failed: $(tail -1 "$WORK/cli.err")"
t0=$SECONDS; revoked=0
for ((i = 0; i < 25; i++)); do
  q "$TOK_REV" '{"sql":"SELECT 1"}'
  [ "$STATUS" = 401 ] && { revoked=1; break; }
  sleep 0.1
done
if [ $revoked = 1 ]; then
  expect_error "a revoked key (refused after $((SECONDS - t0)) s)" 401 unauthorized authentication
else
  bad "a revoked key still works 2.5 s after 'key revoke': $(show)"
fi

# ==== 403 ===================================================================================
deny_case "read key INSERT" 403 forbidden role "$ID_R" hex -- \
  POST /v1/query "$TOK_R" '{"sql":"INSERT INTO gk_http_t (v) VALUES ('"'$MARK-role'"')"}'
deny_case "read key INSERT with a param" 403 forbidden role "$ID_R" hex -- \
  POST /v1/query "$TOK_R" '{"sql":"INSERT INTO gk_http_t (v) VALUES (?)","params":["'"$MARK"'-param"]}'
deny_case "write key DDL" 403 forbidden role "$ID_W" hex -- \
  POST /v1/query "$TOK_W" '{"sql":"DROP TABLE gk_http_t"}'
deny_case "admin key GRANT" 403 forbidden always_denied "$ID_A" hex -- \
  POST /v1/query "$TOK_A" '{"sql":"GRANT ALL ON *.* TO '"'$MARK'"'@'"'%'"'"}'
deny_case "stacked query" 403 forbidden stacked_query "$ID_A" any -- \
  POST /v1/query "$TOK_A" '{"sql":"SELECT '"'$MARK'"'; DROP TABLE gk_http_t"}'
deny_case "tautology injection" 403 injection_suspected injection:tautology "$ID_R" hex -- \
  POST /v1/query "$TOK_R" '{"sql":"SELECT * FROM film WHERE title = '"'$MARK'"' OR '"'1'='1'"'"}'
deny_case "INTO OUTFILE" 403 forbidden always_denied "$ID_A" hex -- \
  POST /v1/query "$TOK_A" '{"sql":"SELECT * FROM film INTO OUTFILE '"'/tmp/$MARK.txt'"'"}'
deny_case "a denied statement inside a transaction" 403 forbidden role "$ID_R" hex -- \
  POST /v1/transaction "$TOK_R" '{"statements":["SELECT 1","DELETE FROM gk_http_t WHERE v = '"'$MARK'"'"]}'
[ "$(src_sql -e "SELECT COUNT(*) FROM sakila.gk_http_t")" = 5 ] || bad "a denied statement changed the table"
[ -e "/tmp/$MARK.txt" ] && bad "INTO OUTFILE wrote /tmp/$MARK.txt"

# Digest allowlist: learn a shape, enforce, the same shape with another literal passes, a new
# shape is denied.
TOK_AL=$(new_key read allowlisted --database sakila)
ID_AL=${TOK_AL:4:12}
wait_status 200 "$TOK_AL" '{"sql":"SELECT 1"}' || bad "the allowlist key was not accepted within 3 s: $(show)"
"$GATEHOUSE" policy mode "$ID_AL" learn --dir "$DIR" >/dev/null 2>>"$WORK/cli.err" || bad "policy mode $ID_AL learn failed: $(tail -1 "$WORK/cli.err")"
learned=0
for ((i = 0; i < 15; i++)); do
  q "$TOK_AL" '{"sql":"SELECT title FROM film WHERE film_id = 5"}'
  [ "$STATUS" = 200 ] || break
  "$GATEHOUSE" policy list "$ID_AL" --dir "$DIR" 2>>"$WORK/cli.err" >"$WORK/policy.list" || true
  grep -q '^[0-9a-f]\{16\} SELECT title FROM film WHERE film_id = ?$' "$WORK/policy.list" && { learned=1; break; }
  sleep 0.2
done
[ $learned = 1 ] && pass "learn mode: the digest is learned ($(cat "$WORK/policy.list"))" \
  || bad "learn mode: digest not learned within 3 s; last answer $(show); policy list: $(cat "$WORK/policy.list")"
"$GATEHOUSE" policy mode "$ID_AL" enforce --dir "$DIR" >/dev/null 2>>"$WORK/cli.err" || bad "policy mode $ID_AL enforce failed: $(tail -1 "$WORK/cli.err")"
# Until enforce is picked up, each probe uses a fresh shape (learn mode would learn it).
enforced=0
for t in actor category language city country store staff address; do
  q "$TOK_AL" '{"sql":"SELECT COUNT(*) FROM '$t'"}'
  [ "$STATUS" = 403 ] && { enforced=1; break; }
  sleep 0.4
done
[ $enforced = 1 ] || bad "enforce mode not applied within ~3 s: $(show)"
q "$TOK_AL" '{"sql":"SELECT title FROM film WHERE film_id = 77"}'
expect_ok "enforce: the learned shape with another literal passes" 'len(d["rows"]) == 1'
deny_case "enforce: a new shape" 403 not_allowlisted digest_allowlist "$ID_AL" hex -- \
  POST /v1/query "$TOK_AL" '{"sql":"SELECT first_name FROM actor WHERE last_name = '"'$MARK'"'"}'

# ==== 404 / 405 =============================================================================
api GET /v1/nope "$TOK_R"
expect_error "unknown route" 404 not_found
api GET /v2/query "$TOK_R"
expect_error "unknown version" 404 not_found
api GET /v1/query "$TOK_R"
expect_error "GET /v1/query" 405 method_not_allowed && { grep -qi '^allow: POST' <<<"$HEADERS" || bad "405 without Allow: POST: $HEADERS"; }
api POST /v1/health - '{}'
expect_error "POST /v1/health" 405 method_not_allowed && { grep -qi '^allow: GET' <<<"$HEADERS" || bad "405 without Allow: GET: $HEADERS"; }
api DELETE /v1/cluster "$TOK_R"
expect_error "DELETE /v1/cluster" 405 method_not_allowed

# ==== HTTP/1.0 and HEAD (the reply head is written by hand) ===================================
h10=$(curl -s -0 -D - -o /dev/null --max-time 10 "$URL/v1/health" | tr -d '\r')
grep -q '^HTTP/1.0 200 OK$' <<<"$h10" || bad "HTTP/1.0 request: status line: $h10"
grep -qi '^connection: keep-alive' <<<"$h10" && bad "HTTP/1.0 without keep-alive got Connection: keep-alive: $h10"
h10k=$(curl -s -0 -H 'Connection: keep-alive' -D - -o /dev/null --max-time 10 "$URL/v1/health" | tr -d '\r')
grep -qi '^connection: keep-alive' <<<"$h10k" || bad "HTTP/1.0 keep-alive: no Connection: keep-alive: $h10k"
hhead=$(curl -s -I --max-time 10 "$URL/v1/health" | tr -d '\r')
hlen=$(grep -i '^content-length:' <<<"$hhead" | awk '{print $2}')
hbody=$(curl -s --max-time 10 "$URL/v1/health")
{ grep -q '^HTTP/1.1 200 OK$' <<<"$hhead" && [ "$hlen" = "${#hbody}" ]; } ||
  bad "HEAD /v1/health: want 200 with the GET body's Content-Length ${#hbody}: $hhead"
grep -qi '^content-type: application/json' <<<"$hhead" || bad "HEAD without Content-Type: $hhead"
pass "HTTP/1.0 (with and without keep-alive) and HEAD replies"

# ==== 502 ===================================================================================
q "$TOK_R" '{"sql":"SELECT * FROM no_such_table_x"}'
expect_error "unknown table" 502 backend_error "" 1146 &&
  { grep -q "no_such_table_x" <<<"$(jget 'd["error"]["message"]')" && jtrue 'd["error"]["sqlstate"] == "42S02"' \
      || bad "1146: message/sqlstate not passed through: $BODY"; }
q "$TOK_R" '{"sql":"SELECT title FROM film WHERE film_id = = 1"}'
expect_error "syntax error" 502 backend_error "" 1064 &&
  { grep -q "SQL syntax" <<<"$(jget 'd["error"]["message"]')" || bad "1064: message not passed through: $BODY"; }
q "$TOK_R" '{"sql":"SELECT 1"}'
expect_ok "a query after backend errors" 'd["rows"] == [[1]]'

# ==== gatehouse query =======================================================================
out=$("$GATEHOUSE" query --dir "$DIR" --role read "SELECT film_id, title FROM film WHERE film_id = ?" -p 7 2>"$WORK/q.err") && rc=0 || rc=$?
if [ $rc = 0 ] && grep -q '^| film_id | title' <<<"$out" && grep -q "^| 7 *| $want_title" <<<"$out" && grep -q '^1 row (served by ' <<<"$out"; then
  pass "gatehouse query: a table, exit 0"
else
  bad "gatehouse query SELECT: rc $rc, out: $out, err: $(cat "$WORK/q.err")"
fi
out=$("$GATEHOUSE" query --dir "$DIR" --role read "INSERT INTO gk_http_t (v) VALUES ('$MARK-cli')" 2>"$WORK/q.err") && rc=0 || rc=$?
err=$(cat "$WORK/q.err")
[ $rc = 1 ] && grep -q "403 forbidden" <<<"$err" && grep -q "role" <<<"$err" && [ -z "$out" ] \
  && pass "gatehouse query: a denied statement exits 1 ($err)" || bad "gatehouse query denied: rc $rc, out: $out, err: $err"
out=$("$GATEHOUSE" query --dir "$DIR" "SELECT * FROM no_such_table_y" 2>"$WORK/q.err") && rc=0 || rc=$?
[ $rc = 1 ] && grep -q "backend_error.*MySQL 1146" "$WORK/q.err" \
  && pass "gatehouse query: a backend error exits 1 with the MySQL errno" || bad "gatehouse query 1146: rc $rc, err: $(cat "$WORK/q.err")"
BODY=$("$GATEHOUSE" query --dir "$DIR" --json --strategy direct "SELECT ? AS a, ? AS b" -p 12 -p hello 2>"$WORK/q.err") && rc=0 || rc=$?
[ $rc = 0 ] && jtrue 'd["rows"] == [[12, "hello"]] and d["served_by"] == "source" and d["strategy"] == "direct"' \
  && pass "gatehouse query --json: the API answer" || bad "gatehouse query --json: rc $rc: $BODY $(cat "$WORK/q.err")"
BODY=$("$GATEHOUSE" query --dir "$DIR" --json --role read "GRANT ALL ON *.* TO x" 2>"$WORK/q.err") && rc=0 || rc=$?
[ $rc = 1 ] && jtrue 'd["error"]["rule"] == "always_denied"' \
  && pass "gatehouse query --json: a denial prints the error body, exit 1" || bad "gatehouse query --json denied: rc $rc: $BODY"

# ==== 413 / 429 / 504: small limits =========================================================
set_gk max_body_bytes 4096
set_gk max_query_bytes 2048
set_gk rate_limit_per_s 5
set_gk rate_limit_burst 5
set_gk request_timeout_ms 300
restart_gatekeeper
pass "gatekeeper restarted with max_body_bytes 4096, max_query_bytes 2048, 5 requests/s, timeout 300 ms"

python3 -c 'import json, sys; print(json.dumps({"sql": "SELECT \x27" + sys.argv[1] * 500 + "\x27"}))' "$MARK" >"$WORK/big-body.json"
deny_case "body over max_body_bytes (Content-Length)" 413 too_large body_bytes "" none -- \
  POST /v1/query "$TOK_R" "@$WORK/big-body.json"
deny_case "body over max_body_bytes (chunked)" 413 too_large body_bytes "" none -- \
  POST /v1/query "$TOK_R" "@$WORK/big-body.json" -H 'Transfer-Encoding: chunked'
python3 -c 'import json, sys; print(json.dumps({"sql": "SELECT \x27" + sys.argv[1] * 250 + "\x27"}))' "$MARK" >"$WORK/long-query.json"
deny_case "query over max_query_bytes" 413 too_large query_bytes "$ID_R" any -- \
  POST /v1/query "$TOK_R" "@$WORK/long-query.json"

# 20 requests on one keep-alive connection, as fast as curl sends them.
before=$(audit_lines)
: >"$WORK/burst.txt"
curl -sS -m 20 -H "Authorization: Bearer $TOK_A" -H 'Content-Type: application/json' -d '{"sql":"SELECT 1"}' \
  -o "$WORK/burst_#1.json" -w '%{http_code} %header{retry-after}\n' "$URL/v1/query?n=[1-20]" >"$WORK/burst.txt" 2>&1 || true
n200=$(grep -c '^200 ' "$WORK/burst.txt" || true); n429=$(grep -c '^429 ' "$WORK/burst.txt" || true)
if [ "$n200" -ge 1 ] && [ "$n429" -ge 1 ] && [ $((n200 + n429)) = 20 ]; then
  pass "rate limit: $n200 x 200, $n429 x 429 of 20 quick requests"
else
  bad "rate limit: want some 200 and some 429 of 20, got: $(sort "$WORK/burst.txt" | uniq -c | tr '\n' ' ')"
fi
grep '^429' "$WORK/burst.txt" | grep -vq '^429 [1-9][0-9]*$' && bad "a 429 without a Retry-After of >= 1 s: $(grep '^429' "$WORK/burst.txt" | sort | uniq -c)"
for ((i = 1; i <= 20; i++)); do
  BODY=$(cat "$WORK/burst_$i.json" 2>/dev/null || true)
  if sed -n "${i}p" "$WORK/burst.txt" | grep -q '^429'; then
    jtrue 'd == {"error": d["error"]} and d["error"]["code"] == "rate_limited" and d["error"]["rule"] == "rate_limit" and d["error"]["message"]' \
      || bad "429 body #$i: $BODY"
  fi
done
[ "$(audit_lines)" = $((before + n429)) ] && tail -n "$n429" "$AUDIT" | python3 -c '
import json, sys
for l in sys.stdin:
    e = json.loads(l)
    assert e["key"] == sys.argv[1] and e["rule"] == "rate_limit" and e["code"] == "rate_limited" and e["client"].startswith("127.0.0.1:"), l
' "$ID_A" && pass "audit: one rate_limit line per 429 with the key id" \
  || bad "audit: $(( $(audit_lines) - before )) new lines for $n429 x 429 (want one each, key $ID_A, rule rate_limit)"
sleep 1.1
q "$TOK_A" '{"sql":"SELECT 1"}'
expect_ok "the rate-limited key works again after a pause" 'd["rows"] == [[1]]'

# 504: a slow (about 1 s) but policy-clean statement against a 300 ms timeout.
SLOW='SELECT COUNT(*) FROM film a, film b, category c'
q "$TOK_W" '{"sql":"'"$SLOW"'"}'
expect_error "request_timeout_ms 300: a slow query" 504 timeout &&
  { [ "$TOOK_MS" -lt 3000 ] && pass "504 after $TOOK_MS ms" || bad "504 only after $TOOK_MS ms"; }
q "$TOK_W" '{"sql":"SELECT 2 AS two"}'
expect_ok "the request after a 504 works" 'd["rows"] == [[2]]'
q "$TOK_W" '{"sql":"SELECT 3 AS three","strategy":"direct"}'
expect_ok "a second request after a 504 works" 'd["rows"] == [[3]]'

cp "$WORK/gatehouse.toml.orig" "$DIR/gatehouse.toml"
restart_gatekeeper
: >"$WORK/burst.txt"
curl -sS -m 20 -H "Authorization: Bearer $TOK_A" -d '{"sql":"SELECT 1"}' -o /dev/null -w '%{http_code}\n' \
  "$URL/v1/query?n=[1-20]" >"$WORK/burst.txt" 2>&1 || true
[ "$(grep -c '^200$' "$WORK/burst.txt")" = 20 ] && pass "limits restored: 20 quick requests all 200" \
  || bad "after restoring the limits: $(sort "$WORK/burst.txt" | uniq -c | tr '\n' ' ')"

# ==== 503: the proxy stops ==================================================================
q "$TOK_W" '{"sql":"SELECT 1"}'  # the gatekeeper holds an idle upstream connection now
ppid=$(head -1 "$DIR/run/proxy.pid")
[[ $ppid =~ ^[0-9]+$ ]] || fail "bad proxy pid file: $(cat "$DIR/run/proxy.pid")"
kill "$ppid"
for ((i = 0; i < 100; i++)); do kill -0 "$ppid" 2>/dev/null || break; sleep 0.1; done
kill -0 "$ppid" 2>/dev/null && fail "the proxy did not stop within 10 s"
for i in 1 2 3; do
  q "$TOK_W" '{"sql":"SELECT 1"}'
  expect_error "proxy stopped: query #$i" 503 no_healthy_node &&
    { [ "$TOOK_MS" -lt 3000 ] || bad "proxy stopped: query #$i took $TOOK_MS ms"; }
done
api POST /v1/transaction "$TOK_W" '{"statements":["SELECT 1"]}'
expect_error "proxy stopped: transaction" 503 no_healthy_node
api GET /v1/cluster "$TOK_R"
expect_error "proxy stopped: /v1/cluster" 503 no_healthy_node
api GET /v1/health -
expect_ok "proxy stopped: /v1/health still answers" 'd["status"] == "ok"'
"$GATEHOUSE" up --dir "$DIR" >>"$DIR/up.log" 2>&1 || fail "up failed restarting the proxy"
gh_wait_port $((BASE + 20)) 20 || fail "the proxy did not come back"
back=0
for ((i = 0; i < 20; i++)); do
  q "$TOK_W" '{"sql":"SELECT 1"}'
  [ "$STATUS" = 200 ] && { back=1; break; }
  sleep 0.25
done
[ $back = 1 ] && pass "after up, queries work again (attempt $((i + 1)))" || bad "queries do not work after the proxy came back: $(show)"
q "$TOK_W" '{"sql":"INSERT INTO gk_http_t (v) VALUES (?)","params":["after-proxy-restart"]}'
expect_ok "a write after the proxy came back" 'd["affected_rows"] == 1'

# ==== TLS ===================================================================================
CERT=$DIR/gatekeeper-cert.pem
set_gk tls '"required"'
restart_gatekeeper
[ -s "$CERT" ] || fail "tls = required but no $CERT"
BASE_URL=https://127.0.0.1:$GK_PORT api GET /v1/health - "" --cacert "$CERT"
expect_ok "tls required: https with --cacert" 'd["status"] == "ok"'
BASE_URL=https://127.0.0.1:$GK_PORT q "$TOK_R" '{"sql":"SELECT 1 AS one"}' --cacert "$CERT"
expect_ok "tls required: a query over https" 'd["rows"] == [[1]]'
api GET /v1/health -
expect_error "tls required: plain http" 400 bad_request && { grep -q https <<<"$BODY" || bad "plain http: message does not say https: $BODY"; }
out=$("$GATEHOUSE" query --dir "$DIR" --role read "SELECT 5 AS five" 2>"$WORK/q.err") && rc=0 || rc=$?
[ $rc = 0 ] && grep -q '^| 5 ' <<<"$out" && pass "tls required: gatehouse query uses https" \
  || bad "tls required: gatehouse query: rc $rc, out: $out, err: $(cat "$WORK/q.err")"

set_gk tls '"optional"'
restart_gatekeeper
BASE_URL=https://127.0.0.1:$GK_PORT api GET /v1/health - "" --cacert "$CERT"
expect_ok "tls optional: https" 'd["status"] == "ok"'
api GET /v1/health -
expect_ok "tls optional: plain http on the same port" 'd["status"] == "ok"'
q "$TOK_R" '{"sql":"SELECT 1 AS one"}'
expect_ok "tls optional: a plain query" 'd["rows"] == [[1]]'

set_gk tls '"off"'
restart_gatekeeper
api GET /v1/health -
expect_ok "tls off again: plain http" 'd["status"] == "ok"'

# ==== audit log =============================================================================
[ -s "$AUDIT" ] || bad "no audit log at $AUDIT"
python3 -c 'import json, sys
for n, l in enumerate(open(sys.argv[1]), 1):
    json.loads(l)' "$AUDIT" 2>"$WORK/audit.err" && pass "audit log: every line is JSON ($(audit_lines) lines)" \
  || bad "audit log: a line is not JSON: $(tail -1 "$WORK/audit.err")"
grep -q "$MARK" "$AUDIT" && bad "audit log holds literals of denied statements: $(grep "$MARK" "$AUDIT" | head -3)"
grep -q "$MARK" "$AUDIT" || pass "audit log: no literal ($MARK) of any denied statement"

echo "elapsed ${SECONDS}s"
if [ ${#FAILURES[@]} -gt 0 ]; then
  echo "${#FAILURES[@]} FAILURE(S):" >&2
  printf '  - %s\n' "${FAILURES[@]}" >&2
  exit 1
fi
echo "PASS"
