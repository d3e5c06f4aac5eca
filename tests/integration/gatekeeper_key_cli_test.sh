#!/usr/bin/env bash
# Integration test (gatekeeper, no cluster needed): `gatehouse key ...` and `gatehouse policy ...`
# on a temporary DIR. Tokens print once on stdout, the keys file is mode 0600 and holds no
# secret, list never shows hashes, revoke/mode/allow/forget persist, `policy check` exits
# 0 allowed / 1 denied, and bad input is one line on stderr with exit code 2.
set -euo pipefail
GATEHOUSE=${GATEHOUSE:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)/build/gatehouse}
WORK=$(mktemp -d /tmp/gh_it_key_cli.XXXXXX)
DIR=$WORK/run
trap 'rm -rf "$WORK"' EXIT

fail() { echo "FAIL: $*" >&2; exit 1; }
pass() { echo "ok: $*"; }
gh() { "$GATEHOUSE" "$@" --dir "$DIR"; }

# expect_bad NAME WANT_FRAGMENT ARGS...: exit 2 and one stderr line containing the fragment.
expect_bad() {
  local name=$1 want=$2; shift 2
  local rc=0 err
  err=$("$GATEHOUSE" "$@" 2>&1 >/dev/null) || rc=$?
  [ $rc = 2 ] || fail "$name: exit code $rc, want 2 ($err)"
  [ "$(printf '%s\n' "$err" | wc -l)" = 1 ] || fail "$name: want one line on stderr, got: $err"
  grep -qF -- "$want" <<<"$err" || fail "$name: message lacks '$want': $err"
  pass "$name: $err"
}

# key create: the token alone on stdout, a note on stderr.
token=$(gh key create --role read --name demo-read --database sakila 2>"$WORK/create.err")
[[ $token =~ ^ghk_[0-9a-f]{12}_[0-9A-Za-z]{32}$ ]] || fail "token format: $token"
id=${token:4:12}
grep -q "shown only once" "$WORK/create.err" || fail "no once-only note: $(cat "$WORK/create.err")"
KEYS=$DIR/gatekeeper-keys.toml
[ "$(stat -c %a "$KEYS")" = 600 ] || fail "keys file mode $(stat -c %a "$KEYS")"
grep -qF "${token:17}" "$KEYS" && fail "the secret is in the keys file"
pass "key create: $id, keys file 0600 without the secret"

wtoken=$(gh key create --role write --name app 2>/dev/null)
wid=${wtoken:4:12}
[ "$wid" != "$id" ] || fail "two keys with one id"

# key list: ids, names and roles, never hashes.
list=$(gh key list)
grep -q "$id .*demo-read .*read .*sakila .*off .*active" <<<"$list" || fail "list: $list"
hash=$(awk -F'"' '/^hash/ {print $2; exit}' "$KEYS")
grep -qF "$hash" <<<"$list" && fail "list shows a hash"
json=$(gh key list --json)
python3 -c 'import json,sys; d=json.loads(sys.argv[1]); k={x["id"]: x for x in d["keys"]};
assert k[sys.argv[2]]["role"] == "read" and k[sys.argv[2]]["database"] == "sakila"
assert not any("hash" in x for x in d["keys"])' "$json" "$id" || fail "list --json: $json"
grep -qF "$hash" <<<"$json" && fail "list --json shows a hash"
pass "key list (text and JSON, no hashes)"

# key mysql-user: a generated password prints once; an explicit one from stdin does not.
pw=$(gh key mysql-user front_ro --role read 2>/dev/null)
[[ $pw =~ ^[0-9A-Za-z]{24}$ ]] || fail "generated password: $pw"
out=$(echo "s3cret-pw" | gh key mysql-user front_rw --role write --password - 2>/dev/null)
[ -z "$out" ] || fail "an explicit password was echoed: $out"
grep -qF "s3cret-pw" "$KEYS" && fail "a password is in the keys file"
want=$(printf '%s' "s3cret-pw" | openssl sha1 -binary | openssl sha1 | awk '{print toupper($NF)}')
grep -qF "$want" "$KEYS" || fail "front_rw hash is not SHA1(SHA1(password)) = $want"
pass "key mysql-user (generated and stdin passwords, SHA1(SHA1()) stored)"

# policy check: exit 0 allowed, 1 denied; names the rule; prints the digest.
out=$(gh policy check --role read "SELECT * FROM film WHERE film_id = 7")
grep -q "^allowed" <<<"$out" && grep -q "^digest: [0-9a-f]\{16\} SELECT \* FROM film WHERE film_id = ?$" <<<"$out" \
  || fail "check allowed: $out"
rc=0; out=$(gh policy check --role admin "/*!50000 GRANT ALL ON *.* TO x*/") || rc=$?
[ $rc = 1 ] && grep -q "^rule: always_denied" <<<"$out" || fail "check GRANT: rc $rc: $out"
rc=0; out=$(gh policy check --role read "DELETE FROM film WHERE film_id = 1") || rc=$?
[ $rc = 1 ] && grep -q "^rule: role" <<<"$out" || fail "check role: rc $rc: $out"
rc=0; out=$(gh policy check --role write "SELECT * FROM film WHERE title = '' OR '1'='1'") || rc=$?
[ $rc = 1 ] && grep -q "^rule: injection:tautology" <<<"$out" || fail "check injection: $out"
rc=0; out=$(gh policy check --role write --json "SELECT 1; DROP TABLE film") || rc=$?
[ $rc = 1 ] && grep -q '"rule":"stacked_query"' <<<"$out" || fail "check --json: $out"
pass "policy check (allowed 0, denied 1, rules named)"

# Digest allowlist: allow, enforce, list, forget; `check --key` applies it.
gh policy allow "$wid" "SELECT title FROM film WHERE film_id = 1" >"$WORK/allow.out" 2>/dev/null
digest=$(awk '{print $1}' "$WORK/allow.out")
[[ $digest =~ ^[0-9a-f]{16}$ ]] || fail "allow output: $(cat "$WORK/allow.out")"
[ "$(stat -c %a "$DIR/allowlist/$wid.digests")" = 600 ] || fail "allowlist file mode"
gh policy mode "$wid" enforce 2>/dev/null
gh key list --json | grep -q "\"id\":\"$wid\"[^}]*\"digest_mode\":\"enforce\"" || fail "mode not saved"
gh policy check --key "$wid" "select title from film where film_id=42" >/dev/null \
  || fail "an allowlisted digest was denied"
rc=0; out=$(gh policy check --key "$wid" "SELECT * FROM staff") || rc=$?
[ $rc = 1 ] && grep -q "^rule: digest_allowlist" <<<"$out" || fail "check --key unknown: $out"
gh policy list "$wid" 2>/dev/null | grep -q "^$digest SELECT title FROM film WHERE film_id = ?$" \
  || fail "list: $(gh policy list "$wid")"
gh policy forget "$wid" "$digest" 2>/dev/null
[ -z "$(gh policy list "$wid" 2>/dev/null)" ] || fail "forget left the digest"
pass "policy allow / mode / list / forget"

# key revoke.
gh key revoke "$id" 2>/dev/null
gh key list | grep -q "$id .*revoked" || fail "revoke not saved: $(gh key list)"
gh key revoke front_ro 2>/dev/null
pass "key revoke (API key and MySQL user)"

# Bad input: exit 2, one line.
expect_bad "bad role" "unknown role 'root'" key create --role root --dir "$DIR"
expect_bad "missing role" "--role" key create --dir "$DIR"
expect_bad "unknown id" "no API key or MySQL front user 'ffffffffffff'" key revoke ffffffffffff --dir "$DIR"
expect_bad "bad user name" "not a valid user name" key mysql-user "../x" --role read --dir "$DIR"
expect_bad "bad mode" "unknown mode 'on'" policy mode "$wid" on --dir "$DIR"
expect_bad "mode unknown id" "no API key or MySQL front user 'nobody'" policy mode nobody learn --dir "$DIR"
expect_bad "bad digest" "is not a digest" policy forget "$wid" xyz --dir "$DIR"
expect_bad "unknown digest" "is not in the allowlist" policy forget "$wid" 0123456789abcdef --dir "$DIR"
expect_bad "allow denied sql" "policy denies it" policy allow "$wid" "GRANT ALL ON *.* TO x" --dir "$DIR"
expect_bad "check no role" "exactly one of --role" policy check "SELECT 1" --dir "$DIR"
expect_bad "check bad role" "unknown role 'boss'" policy check --role boss "SELECT 1" --dir "$DIR"
printf '[[key]]\nid = "0123456789ab"\nrole = "superuser"\nhash = "%064d"\n' 0 >"$WORK/bad-keys.toml"
printf '[gatekeeper]\nkeys_file = "%s"\n' "$WORK/bad-keys.toml" >"$WORK/gatehouse.toml"
expect_bad "malformed keys file" "bad-keys.toml:3: key[0].role" key list --config "$WORK/gatehouse.toml" --dir "$DIR"
echo "PASS"
