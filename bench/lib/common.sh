# Shell helpers shared by the bench/ scripts (sourced after `set -euo pipefail`). A script sets
# BENCH_NAME before sourcing (for messages), and CHILD / STDOUT_FD / STDERR_FD before fg_run runs.

die() { echo "$BENCH_NAME: $*" >&2; exit 1; }
say() { echo "[$(date +%H:%M:%S)] $*"; }
need_int() { [[ $2 =~ ^[0-9]+$ ]] || die "$1 needs a non-negative integer, got '$2'"; }

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
# wait_port PORT SECONDS: until something accepts on 127.0.0.1:PORT (bounded).
wait_port() {
  local i
  for ((i = 0; i < $2 * 10; i++)); do port_open "$1" && return 0; sleep 0.1; done
  return 1
}

# stop_pid PID SECONDS: SIGTERM, wait (bounded), then SIGKILL. Only pids the script owns.
stop_pid() {
  local pid=$1 limit=$2 i
  [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null || return 0
  kill -TERM "$pid" 2>/dev/null || true
  for ((i = 0; i < limit * 10; i++)); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  if kill -0 "$pid" 2>/dev/null; then kill -KILL "$pid" 2>/dev/null || true; fi
  wait "$pid" 2>/dev/null || true
}

# fg_run CMD...: runs CMD in the background and waits for it, so that a signal interrupts the
# wait at once (bash defers traps until a foreground command ends); the cleanup trap stops CHILD.
fg_run() {
  local rc=0
  "$@" {STDOUT_FD}>&- {STDERR_FD}>&- &
  CHILD=$!
  wait "$CHILD" || rc=$?
  CHILD=""
  return "$rc"
}

# cpu_ticks PID...: utime+stime (clock ticks) summed over the processes (all threads).
cpu_ticks() {
  local total=0 pid s f
  for pid in "$@"; do
    s=$(cat "/proc/$pid/stat" 2>/dev/null) || continue
    read -ra f <<<"${s##*) }"   # fields from 3 (state) on: utime is [11], stime [12]
    total=$((total + f[11] + f[12]))
  done
  echo "$total"
}
