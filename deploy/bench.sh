#!/usr/bin/env bash
# The side-by-side ingest benchmark in one command: builds opdesk, the emulators and the
# benchmarks in Release (build/bench), starts a throwaway MariaDB, installs the Node.js peer
# (../shared/peers/node-ingest) with `npm ci` into a temporary copy, then tests/bench/bench_ingest
# plays the same signed stream to the peer and to opdesk (MariaDB, then SQLite) and prints one
# table, the recovery after kill -9 and the card-pop figures; then tests/bench/bench_statements
# compares the hot event INSERT prepared on the server with the same statement sent as text.
#   bash deploy/bench.sh                 # 20,000 calls (~118,000 events), 16 connections
#   bash deploy/bench.sh --quick         # 2,000 calls, shorter card-pop run: a quick check
#   bash deploy/bench.sh --calls 5000 …  # any bench_ingest flag (see its header comment)
# Environment: OPDESK_BENCH_PEER (the peer's directory), OPDESK_BENCH_MYSQL_PORT (default 3332).
set -euo pipefail

here=$(cd "$(dirname "$0")/.." && pwd)
cd "$here"
peer_src=${OPDESK_BENCH_PEER:-$here/../shared/peers/node-ingest}
port=${OPDESK_BENCH_MYSQL_PORT:-3332}
args=()
statement_batches=6000
if [ "${1:-}" = "--quick" ]; then
  shift
  args+=(--calls 2000 --card-pop-seconds 3 --recorded-calls 3)
  statement_batches=1500
fi
[ -f "$peer_src/server.js" ] || { echo "the Node peer is not at $peer_src (set OPDESK_BENCH_PEER)" >&2; exit 2; }
command -v node >/dev/null || { echo "node is not installed" >&2; exit 2; }

cmake --preset bench >/dev/null
cmake --build --preset bench | tail -3

work=$(mktemp -d /tmp/opdesk-bench.XXXXXX)
cleanup() {
  bash deploy/mariadb-throwaway.sh stop "$work/mariadb" >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT

mkdir "$work/peer"
(cd "$peer_src" && tar --exclude=node_modules -cf - .) | (cd "$work/peer" && tar -xf -)
(cd "$work/peer" && npm ci --no-audit --no-fund --loglevel=error >/dev/null)

url=$(bash deploy/mariadb-throwaway.sh start "$work/mariadb" "$port")
mysqld_pid=$(cat "$work/mariadb/mysqld.pid")

echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'),"\
  "$(awk '/MemTotal/ {printf "%.1f GiB", $2/1048576}' /proc/meminfo); load before: $(cut -d' ' -f1-3 /proc/loadavg)"
OPDESK_TEST_MYSQL_URL=$url build/bench/tests/bench/bench_ingest --peer-dir "$work/peer" \
  --node "$(command -v node)" --mysqld-pid "$mysqld_pid" "${args[@]}" "$@"
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
echo
# The hot INSERT prepared on the server against the same statement sent as text.
OPDESK_TEST_MYSQL_URL=$url build/bench/tests/bench/bench_statements --mysqld-pid "$mysqld_pid" \
  --batches "$statement_batches" --rounds 2
