#!/usr/bin/env bash
# Installs the Debian 12 packages gatehouse needs to build, test, demo and benchmark.
# Idempotent: only missing packages are installed. Must run as root (or via sudo).
set -euo pipefail
BUILD_PKGS=(build-essential cmake ninja-build pkg-config git
  libboost1.81-dev libboost-json1.81-dev libboost-url1.81-dev libboost-program-options1.81-dev
  libssl-dev libtomlplusplus-dev libcli11-dev libspdlog-dev libfmt-dev
  libgtest-dev libgmock-dev googletest libbenchmark-dev clang-19 libclang-rt-19-dev clang-format clang-tidy)
RUN_PKGS=(mariadb-server mariadb-client libmariadb-dev sysbench haproxy wrk curl openssl iproute2 procps tmux
  python3-fastapi uvicorn python3-pymysql python3-requests chromium)
want=("${BUILD_PKGS[@]}" "${RUN_PKGS[@]}")
case "${1:-all}" in
  build) want=("${BUILD_PKGS[@]}") ;;
  all) ;;
  *) echo "usage: $0 [build|all]" >&2; exit 2 ;;
esac
missing=()
# Node.js may come from elsewhere (nodesource bundles npm); only ask Debian for it when absent.
if [ "${1:-all}" = all ] && ! command -v npm >/dev/null 2>&1; then want+=(nodejs npm); fi
for p in "${want[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then exit 0; fi
if [ "$(id -u)" -ne 0 ]; then
  echo "gatehouse: missing packages: ${missing[*]}; run as root (or: sudo $0)" >&2; exit 2
fi
echo "gatehouse: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
# Keep apt from starting the distribution's own mariadb/haproxy services: gatehouse runs its own.
created_policy=0
if [ ! -e /usr/sbin/policy-rc.d ]; then
  printf '#!/bin/sh\nexit 101\n' >/usr/sbin/policy-rc.d; chmod +x /usr/sbin/policy-rc.d; created_policy=1
fi
trap '[ $created_policy -eq 1 ] && rm -f /usr/sbin/policy-rc.d' EXIT
apt-get update -q >/dev/null || apt-get update -q
apt-get install -y -q --no-install-recommends "${missing[@]}"
