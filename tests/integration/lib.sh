# Shared helpers for integration tests (sourced, not run). Each test gets its own cluster dir
# under a temp folder and its own base port, and tears everything down on exit.
# Base ports (each test uses BASE..BASE+20) stay below 32768, outside Linux's ephemeral range,
# so no client socket of an earlier test can hold one: 21307 connector_c, 22307 mysql2,
# 23307 replication, 24307 crash recovery, 25307 sakila, 26307 cli, 27307 bad input,
# 28307 queue, 29307 routing, 30307 proxy sakila, 31307 sysbench, 13307 gatekeeper robustness,
# 14307 gatekeeper http, 15307 trusted host, 16307 bench report.
# (bench/: 20307, 19307, 12307 gatekeeper wrk, 15807 bench agreement.)
#   GATEHOUSE      path to build/gatehouse (set by ctest; defaults to ./build/gatehouse)
#   GATEHOUSE_SRC  repo root (set by ctest)
set -euo pipefail
GATEHOUSE=${GATEHOUSE:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)/build/gatehouse}
GATEHOUSE_SRC=${GATEHOUSE_SRC:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}
SAKILA_DIR=${SAKILA_DIR:-$GATEHOUSE_SRC/../shared/data/sakila}

fail() { echo "FAIL: $*" >&2; exit 1; }
pass() { echo "ok: $*"; }

source "$GATEHOUSE_SRC/scripts/lib/credentials.sh"  # gh_cred DIR SECTION KEY

# gh_wait_port PORT [SECONDS]: waits until something listens on 127.0.0.1:PORT.
gh_wait_port() {
  local port=$1 limit=${2:-20} i
  for ((i = 0; i < limit * 10; i++)); do
    (exec 3<>/dev/tcp/127.0.0.1/"$port") 2>/dev/null && return 0
    sleep 0.1
  done
  return 1
}

# gh_up DIR BASE_PORT [up args...]: starts a cluster and makes sure its proxy listens on
# BASE_PORT+20. Registers teardown on EXIT.
GH_DIRS=()
GH_EXTRA_PIDS=()
gh_teardown() {
  local d p
  for p in "${GH_EXTRA_PIDS[@]:-}"; do [ -n "$p" ] && kill "$p" 2>/dev/null || true; done
  for d in "${GH_DIRS[@]:-}"; do [ -n "$d" ] && "$GATEHOUSE" down --purge --dir "$d" >/dev/null 2>&1 || true; done
  for d in "${GH_DIRS[@]:-}"; do [ -n "$d" ] && rm -rf "$d"; done
}
trap gh_teardown EXIT
[ -n "${GH_KEEP:-}" ] && trap - EXIT
gh_up() {
  local dir=$1 port=$2; shift 2
  GH_DIRS+=("$dir")
  "$GATEHOUSE" up --dir "$dir" --base-port "$port" "$@" || fail "gatehouse up failed"
  if ! gh_wait_port $((port + 20)) 1; then
    "$GATEHOUSE" proxy --dir "$dir" >"$dir/proxy.fg.log" 2>&1 &
    GH_EXTRA_PIDS+=($!)
    gh_wait_port $((port + 20)) 20 || fail "proxy did not start: $(tail -5 "$dir/proxy.fg.log")"
  fi
}

# gh_sql DIR PORT USER PASSWORD SQL...: runs SQL with the mariadb CLI (batch, no headers).
gh_sql_as() {
  local port=$1 user=$2 pw=$3; shift 3
  mariadb --no-defaults --comments --protocol=TCP -h127.0.0.1 -P"$port" -u"$user" -p"$pw" -N -B "$@"
}
# Through the proxy as the proxy client user; directly on a node as the admin user.
gh_proxy_sql() { local dir=$1 port=$2; shift 2
  gh_sql_as "$port" "$(gh_cred "$dir" proxy_client user)" "$(gh_cred "$dir" proxy_client password)" "$@"; }
gh_node_sql() { local dir=$1 port=$2; shift 2
  gh_sql_as "$port" "$(gh_cred "$dir" admin user)" "$(gh_cred "$dir" admin password)" "$@"; }

# gh_stats DIR EXPR: evaluates a Python expression over the proxy counters JSON `s`.
gh_stats() {
  python3 -c "import json,sys; s=json.load(open('$1/proxy-stats.json')); print($2)"
}

# gh_add_proxy_user DIR NAME PASSWORD STRATEGY: adds a proxy user to DIR/gatehouse.toml
# ([proxy] users) and restarts the proxy so it takes effect.
gh_add_proxy_user() {
  local dir=$1 name=$2 pw=$3 strategy=$4 hash
  hash=$(python3 -c "import hashlib,sys; print(hashlib.sha1(hashlib.sha1(sys.argv[1].encode()).digest()).hexdigest().upper())" "$pw")
  python3 - "$dir/gatehouse.toml" "$name:$hash:$strategy" <<'PY'
import re, sys
path, spec = sys.argv[1], sys.argv[2]
text = open(path).read()
section = re.search(r'^\[proxy\]\s*$', text, re.M)
assert section, "no [proxy] section in " + path
m = re.compile(r'^users\s*=\s*\[(.*?)\]', re.M).search(text, section.end())
items = [i for i in re.findall(r'"([^"]*)"', m.group(1))] + [spec]
text = text[:m.start()] + 'users = [' + ', '.join('"%s"' % i for i in items) + ']' + text[m.end():]
open(path, 'w').write(text)
PY
  gh_restart_proxy "$dir"
}

# gh_set_proxy_option DIR KEY VALUE: sets `KEY = VALUE` in the [proxy] section (no restart).
gh_set_proxy_option() {
  python3 - "$1/gatehouse.toml" "$2" "$3" <<'PY'
import re, sys
path, key, value = sys.argv[1:4]
text = open(path).read()
section = re.search(r'^\[proxy\]\s*$', text, re.M)
assert section, "no [proxy] section in " + path
m = re.compile(r'^' + re.escape(key) + r'\s*=.*$', re.M).search(text, section.end())
assert m, key + " not in [proxy]"
text = text[:m.start()] + key + ' = ' + value + text[m.end():]
open(path, 'w').write(text)
PY
}

# gh_restart_proxy DIR: restarts the proxy of DIR (started by `up` or by gh_up's fallback).
gh_restart_proxy() {
  local dir=$1 port pid p
  port=$(grep -E '^base_port' "$dir/gatehouse.toml" | head -1 | tr -dc 0-9)
  port=$((port + 20))
  for pid in $(pgrep -f "gatehouse proxy --dir $dir" || true); do kill "$pid" 2>/dev/null || true; done
  for ((p = 0; p < 50; p++)); do gh_wait_port "$port" 0 || break; sleep 0.1; done
  "$GATEHOUSE" up --dir "$dir" >/dev/null || fail "up failed while restarting the proxy"
  if ! gh_wait_port "$port" 1; then
    "$GATEHOUSE" proxy --dir "$dir" >>"$dir/proxy.fg.log" 2>&1 &
    GH_EXTRA_PIDS+=($!)
  fi
  gh_wait_port "$port" 20 || fail "proxy did not come back"
}
