#!/usr/bin/env bash
# Sets up and runs every test: installs dependencies, builds with warnings as errors, starts a
# throwaway MariaDB server, runs all suites (C++ through ctest; every libFuzzer target for 60 s
# through deploy/fuzz.sh; the front end's typecheck, Vitest and browser suites, the latter against
# build/ci's opdesk and portal emulator), stops MariaDB, prints the summaries and exits non-zero if
# anything failed.
set -uo pipefail

here=$(cd "$(dirname "$0")/.." && pwd)
cd "$here"
# ccache: paths relative to the checkout, so clones in other folders share the cache.
export CCACHE_BASEDIR="$here" CCACHE_NOHASHDIR=1
started=$(date +%s)

bash deploy/install-deps.sh || exit 1

echo "== format (clang-format, .clang-format) =="
format_status=0
if git rev-parse --git-dir >/dev/null 2>&1; then
  sources=$(git ls-files '*.cpp' '*.h')
else
  sources=$(find connector oauth adapters webhooks tests -name '*.cpp' -o -name '*.h' 2>/dev/null)
fi
echo "$sources" | xargs clang-format --dry-run -Werror || format_status=1
[ "$format_status" -eq 0 ] && echo "formatting ok" || echo "FORMAT CHECK FAILED: run clang-format -i on the files above"

echo "== build (preset ci) =="
cmake --preset ci >/dev/null || exit 1
build_started=$(date +%s)
cmake --build --preset ci || { echo "BUILD FAILED"; exit 1; }
echo "build took $(( $(date +%s) - build_started )) s"

echo "== throwaway MariaDB =="
db_dir=$(mktemp -d /tmp/opdesk-mariadb-XXXXXX)
port=""
for _ in $(seq 1 50); do
  candidate=$(( 20000 + RANDOM % 20000 ))
  if ! (exec 3<>"/dev/tcp/127.0.0.1/$candidate") 2>/dev/null; then
    port=$candidate
    break
  fi
done
[ -n "$port" ] || { echo "no free port for MariaDB"; exit 1; }
stop_db() { bash "$here/deploy/mariadb-throwaway.sh" stop "$db_dir"; rm -rf "$db_dir"; }
trap stop_db EXIT
OPDESK_TEST_MYSQL_URL=$(bash deploy/mariadb-throwaway.sh start "$db_dir" "$port") || exit 1
export OPDESK_TEST_MYSQL_URL
echo "MariaDB on 127.0.0.1:$port"

status=$format_status
echo "== C++ tests (ctest: unit, db, e2e) =="
ctest --preset ci -j2 --timeout 300 --output-on-failure 2>&1 | tee /tmp/opdesk-ctest.log
ctest_status=${PIPESTATUS[0]}
[ "$ctest_status" -eq 0 ] || status=1

echo "== fuzzing (libFuzzer, ASan + UBSan, 60 s per target) =="
bash deploy/fuzz.sh 60 2>&1 | tee /tmp/opdesk-fuzz.log
[ "${PIPESTATUS[0]}" -eq 0 ] || status=1

ui_log=/tmp/opdesk-ui-tests.log
: > "$ui_log"
if [ -f settings-ui/package.json ]; then
  echo "== front end: typecheck, Vitest, browser tests (playwright-core + Debian chromium) =="
  (cd settings-ui && npm run --silent typecheck) || { echo "TYPECHECK FAILED"; status=1; }
  # The ci build above builds settings-ui/dist (CMake target opdesk_ui); build it here if npm
  # packages arrived after cmake was configured.
  [ -f settings-ui/dist/callcard.html ] || (cd settings-ui && npm run --silent build) || status=1
  (cd settings-ui && npm test 2>&1) | tee "$ui_log"
  [ "${PIPESTATUS[0]}" -eq 0 ] || status=1
fi

echo
echo "== summary =="
grep -E "tests passed|tests failed" /tmp/opdesk-ctest.log | tail -1
for label in unit db e2e; do
  n=$(ctest --preset ci -N -L "^${label}\$" 2>/dev/null | grep -Eo "Total Tests: [0-9]+" | grep -Eo "[0-9]+")
  echo "  $label: ${n:-0} tests"
done
fuzz_line=$(grep -E '^fuzz: [0-9]+ passed, [0-9]+ failed' /tmp/opdesk-fuzz.log | tail -1)
echo "  ${fuzz_line:-fuzz: no summary (see the fuzzing step above)}"
if [ -s "$ui_log" ]; then
  plain_ui_log=$(sed -E 's/\x1b\[[0-9;]*m//g' "$ui_log")
  echo "  front end (Vitest): $(echo "$plain_ui_log" | grep -E '^ +Tests +[0-9]' | tail -1 | sed -E 's/^ +Tests +//')"
  echo "  front end (browser): $(grep -E '^[0-9]+ passed, [0-9]+ failed' "$ui_log" | tail -1)"
fi
echo "total time $(( $(date +%s) - started )) s"
if [ "$status" -ne 0 ]; then
  echo "SOME TESTS FAILED"
fi
exit "$status"
