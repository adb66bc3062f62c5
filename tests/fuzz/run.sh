#!/usr/bin/env bash
# run.sh — runs one built libFuzzer target (`make fuzz` calls it, once per
# target, FUZZ_JOBS at a time): build-fuzz/NAME for FUZZ_SECONDS (default 60)
# on its corpus build-fuzz/corpus-NAME seeded from tests/fuzz/seeds-NAME,
# crash/leak/timeout reproducers to build-fuzz/crash-NAME/, the log to
# build-fuzz/log-NAME.txt; then prints one line "NAME SECONDS EXECS CORPUS
# FINDINGS" (also appended to build-fuzz/fuzz-summary.txt). Exit 1 when the
# target found something.
#   usage: tests/fuzz/run.sh NAME   (from the source folder)
set -u
n=${1:?usage: run.sh fuzz_NAME}
secs=${FUZZ_SECONDS:-60}
b=build-fuzz
[ -x "$b/$n" ] || { echo "run.sh: $b/$n is not built (make fuzz-build)" >&2; exit 2; }
mkdir -p "$b/corpus-$n" "$b/crash-$n"
log=$b/log-$n.txt
t0=$(date +%s)
ASAN_OPTIONS=detect_leaks=1 "$b/$n" -max_total_time="$secs" -max_len="${FUZZ_MAX_LEN:-200000}" \
    -timeout="${FUZZ_TIMEOUT:-10}" -rss_limit_mb="${FUZZ_RSS_MB:-2048}" -print_final_stats=1 \
    -artifact_prefix="$b/crash-$n/" "$b/corpus-$n" "tests/fuzz/seeds-$n" > "$log" 2>&1
rc=$?
t1=$(date +%s)
execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
corpus=$(find "$b/corpus-$n" -type f | wc -l)
found=$(find "$b/crash-$n" -type f | wc -l)
line=$(printf '%-22s %6ss %12s execs %6s corpus %3s findings (exit %s)' "$n" "$((t1 - t0))" "${execs:-?}" \
    "$corpus" "$found" "$rc")
echo "$line"
echo "$(date -u +%FT%TZ) $line" >> "$b/fuzz-summary.txt"
[ "$rc" = 0 ] || { grep -m3 -E "ERROR|SUMMARY|runtime error" "$log" >&2; exit 1; }
exit 0
