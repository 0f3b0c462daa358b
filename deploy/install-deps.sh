#!/usr/bin/env bash
# Installs everything opdesk needs to build, run and test, from Debian packages and the npm
# registry only. Idempotent and non-interactive; run as root (or with sudo).
set -euo pipefail

here=$(cd "$(dirname "$0")/.." && pwd)
export DEBIAN_FRONTEND=noninteractive

packages=(
  # toolchain
  g++ cmake ninja-build ccache pkg-config git clang-format curl ca-certificates
  # libraries
  libcpprest-dev libboost-dev libssl-dev zlib1g-dev libspdlog-dev libfmt-dev
  libsoci-dev libmariadb-dev libsqlite3-dev sqlite3 libjemalloc-dev
  # tests: GoogleTest, a throwaway MariaDB server, a headless browser for the pages
  libgtest-dev libgmock-dev googletest mariadb-server mariadb-client chromium
  # fuzzing (deploy/fuzz.sh): clang 14 with libFuzzer and the ASan/UBSan runtimes (a
  # recommendation of clang, so named here), llvm-symbolizer for readable crash stacks
  clang libclang-rt-14-dev llvm
)
if [ -f "$here/settings-ui/package.json" ]; then
  # Node.js and npm for the front end, from Debian unless they are already there (NodeSource's
  # nodejs ships npm itself and conflicts with Debian's npm package).
  command -v node >/dev/null 2>&1 || packages+=(nodejs)
  command -v npm >/dev/null 2>&1 || packages+=(npm)
fi

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

if [ ${#missing[@]} -gt 0 ]; then
  sudo_cmd=()
  if [ "$(id -u)" -ne 0 ]; then
    sudo_cmd=(sudo)
  fi
  echo "install-deps: installing ${missing[*]}"
  "${sudo_cmd[@]}" apt-get update -qq
  # A package's own service (mariadb) must not start on install: tests start their own server.
  policy_created=0
  if [ ! -e /usr/sbin/policy-rc.d ] && [ "$(id -u)" -eq 0 ]; then
    printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d
    chmod +x /usr/sbin/policy-rc.d
    policy_created=1
  fi
  "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  if [ "$policy_created" -eq 1 ]; then
    rm -f /usr/sbin/policy-rc.d
  fi
else
  echo "install-deps: all Debian packages present"
fi

if [ -f "$here/settings-ui/package-lock.json" ]; then
  # Vite 8 needs Node.js 20.19 or newer (Debian 12's own nodejs is 18).
  if ! node -e 'const [a,b]=process.versions.node.split(".").map(Number);process.exit(a>20||(a===20&&b>=19)?0:1)'; then
    echo "install-deps: the front end needs Node.js >= 20.19, found $(node --version)" >&2
    exit 1
  fi
  (cd "$here/settings-ui" && npm ci --no-audit --no-fund --loglevel=error)
fi
