#!/usr/bin/env bash
# Builds the libFuzzer targets (preset fuzz: clang, ASan + UBSan) and runs each for the given
# number of seconds (default 600; CI passes 60), two at a time. Each target starts from a
# temporary copy of its committed seed corpus (tests/fuzz/corpus/<name>), so a run never grows
# the repository's corpus. Prints per target the runs, executions per second and coverage, then
# "N passed, N failed"; exits non-zero if any target crashed, leaked, hit UBSan or a FUZZ_CHECK,
# leaving the crashing input's path in the output (add it to the corpus and to a unit test).
set -uo pipefail

seconds=${1:-600}
jobs=${FUZZ_JOBS:-2}
here=$(cd "$(dirname "$0")/.." && pwd)
cd "$here"

echo "== fuzz: build (preset fuzz) =="
cmake --preset fuzz >/dev/null || { echo "fuzz: configure failed"; exit 1; }
cmake --build --preset fuzz || { echo "fuzz: BUILD FAILED"; exit 1; }

bin_dir="$here/build/fuzz/tests/fuzz"
corpus_dir="$here/tests/fuzz/corpus"
work=$(mktemp -d /tmp/opdesk-fuzz-XXXXXX)
mkdir -p "$here/build/fuzz/crashes"

symbolizer=$(command -v llvm-symbolizer || command -v llvm-symbolizer-14 || true)
[ -n "$symbolizer" ] && export ASAN_SYMBOLIZER_PATH="$symbolizer"
# Leaks count as findings; UBSan aborts (also compiled with -fno-sanitize-recover=all).
export ASAN_OPTIONS="detect_leaks=1:abort_on_error=1:symbolize=1"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"

targets=()
for dir in "$corpus_dir"/*/; do
  targets+=("$(basename "$dir")")
done

# Runs one target; its log is $work/<name>.log, its exit status $work/<name>.rc.
run_target() {
  local name=$1
  local binary="$bin_dir/fuzz_$name"
  local log="$work/$name.log"
  if [ ! -x "$binary" ]; then
    echo "no fuzz target binary $binary for corpus $name" > "$log"
    echo 1 > "$work/$name.rc"
    return
  fi
  mkdir -p "$work/$name/corpus"
  cp -r "$corpus_dir/$name/." "$work/$name/corpus/"
  local dict=()
  [ -f "$here/tests/fuzz/$name.dict" ] && dict=(-dict="$here/tests/fuzz/$name.dict")
  # -rss_limit_mb: far above what a parser needs, well below what would starve a CI machine.
  "$binary" "$work/$name/corpus" "${dict[@]}" -max_total_time="$seconds" -timeout=10 \
    -rss_limit_mb=1024 -print_final_stats=1 \
    -artifact_prefix="$here/build/fuzz/crashes/$name-" > "$log" 2>&1
  echo $? > "$work/$name.rc"
}

echo "== fuzz: ${#targets[@]} targets, ${seconds} s each, ${jobs} at a time =="
started=$(date +%s)
running=0
for name in "${targets[@]}"; do
  run_target "$name" &
  running=$((running + 1))
  if [ "$running" -ge "$jobs" ]; then
    wait -n
    running=$((running - 1))
  fi
done
wait

passed=0
failed=0
for name in "${targets[@]}"; do
  log="$work/$name.log"
  rc=$(cat "$work/$name.rc" 2>/dev/null || echo 1)
  runs=$(grep -Eo 'stat::number_of_executed_units: +[0-9]+' "$log" | grep -Eo '[0-9]+$' || true)
  speed=$(grep -Eo 'stat::average_exec_per_sec: +[0-9]+' "$log" | grep -Eo '[0-9]+$' || true)
  last=$(grep -E '^#[0-9]+' "$log" | tail -1)
  cov=$(echo "$last" | grep -Eo 'cov: [0-9]+' | grep -Eo '[0-9]+' || true)
  ft=$(echo "$last" | grep -Eo 'ft: [0-9]+' | grep -Eo '[0-9]+' || true)
  corp=$(echo "$last" | grep -Eo 'corp: [0-9]+' | grep -Eo '[0-9]+' || true)
  summary="runs ${runs:-?}, ${speed:-?} exec/s, coverage ${cov:-?} edges / ${ft:-?} features, corpus ${corp:-?}"
  if [ "$rc" -eq 0 ]; then
    passed=$((passed + 1))
    echo "  $name: ok ($summary)"
  else
    failed=$((failed + 1))
    echo "  $name: FAILED, exit $rc ($summary)"
    grep -E 'ERROR: |runtime error|FUZZ_CHECK failed|SUMMARY: ' "$log" | head -5 | sed 's/^/    /'
    grep -Eo "Test unit written to .*" "$log" | sed 's/^/    /'
    echo "    full log: $log"
  fi
done
echo "fuzz: $passed passed, $failed failed ($(( $(date +%s) - started )) s)"
if [ "$failed" -eq 0 ]; then
  rm -rf "$work"
  exit 0
fi
exit 1
