#!/usr/bin/env bash
# Sets up and runs opdesk locally: installs dependencies, builds, migrates an embedded SQLite
# database in ./var and serves on 127.0.0.1:8080 (override with OPDESK_LISTEN). Ctrl-C stops it.
set -euo pipefail

here=$(cd "$(dirname "$0")/.." && pwd)
cd "$here"
bash deploy/install-deps.sh

cmake --preset release >/dev/null
cmake --build --preset release

export OPDESK_DATA_DIR=${OPDESK_DATA_DIR:-$here/var}
export OPDESK_LISTEN=${OPDESK_LISTEN:-127.0.0.1:8080}
export OPDESK_PUBLIC_URL=${OPDESK_PUBLIC_URL:-http://$OPDESK_LISTEN}
# The sandbox talks to emulators on loopback, never to real portals.
export OPDESK_ALLOW_INSECURE_ENDPOINTS=${OPDESK_ALLOW_INSECURE_ENDPOINTS:-true}
bin=build/release/connector/opdesk

"$bin" migrate

base="http://$OPDESK_LISTEN"
cat <<INFO

opdesk is starting (data in $OPDESK_DATA_DIR, SQLite).
  health:     $base/healthz
  readiness:  $base/readyz
  metrics:    $base/metrics
Stop with Ctrl-C.

INFO
exec "$bin" serve
