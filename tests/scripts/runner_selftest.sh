#!/bin/bash
# runner_selftest.sh — tests/run.c on a made-up tests/scripts folder: scripts
# run side by side (NA_TEST_JOBS), a failure's output shown in full and
# indented under its FAIL line, a skip (exit 77) counted with its reason, a
# script past NA_TEST_TIMEOUT failed and its whole process group ended (its
# EXIT trap ran), the closing line "N passed, N failed, N skipped"; a unit
# case's SKIP() counted as skipped.
set -u
: "${NA_SRCDIR:?}" "${NA_BUILD:?}"
RUN=$NA_BUILD/run-tests
T=$(mktemp -d "${TMPDIR:-/tmp}/na-runner-XXXXXX")
trap 'rm -rf "$T"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
mkdir -p "$T/src/tests/scripts"
S=$T/src/tests/scripts
cat >"$S/qq9_fail.sh" <<'EOF'
echo "first line of a failure"
for i in $(seq 30); do echo "failure line $i"; done
echo "2 passed, 0 failed"
exit 3
EOF
cat >"$S/qq9_skip.sh" <<'EOF'
echo "qq9: no such tool here: skipped"
exit 77
EOF
cat >"$S/qq9_hang.sh" <<EOF
trap 'echo "trap ran" >"$T/trap"' EXIT
sleep 300 &
echo \$! >"$T/hang.pid"
sleep 300
EOF
for n in 1 2 3; do
    printf 'date +%%s.%%N >"%s/start%s"\nsleep 1\ndate +%%s.%%N >"%s/end%s"\necho "pass %s"\n' \
        "$T" "$n" "$T" "$n" "$n" >"$S/qq9_pass$n.sh"
done

NA_SRCDIR=$T/src NA_TEST_JOBS=5 NA_TEST_TIMEOUT=2 "$RUN" qq9_ >"$T/out" 2>&1
rc=$?
cat "$T/out"
[ $rc = 1 ] || fail "the runner exited $rc with a failure, expected 1"
[ "$(tail -n 1 "$T/out")" = "3 passed, 2 failed, 1 skipped" ] || fail "closing line: $(tail -n 1 "$T/out")"
grep -q "^FAIL qq9_fail.sh (" "$T/out" || fail "no FAIL line for qq9_fail.sh"
# the failure's whole output, indented (so that its '2 passed, 0 failed' is no closing line)
grep -q "^    first line of a failure$" "$T/out" || fail "the failure's output is not shown in full"
grep -q "^    failure line 30$" "$T/out" || fail "the failure's last lines are not shown"
grep -q "^2 passed" "$T/out" && fail "a script's output line was printed unindented"
grep -q "^skip qq9_skip.sh (.*): qq9: no such tool here: skipped$" "$T/out" || fail "skip line without its reason"
grep -q "^FAIL qq9_hang.sh (timeout)" "$T/out" || fail "the hanging script is not failed as a timeout"
[ -s "$T/trap" ] || fail "the timed-out script's EXIT trap did not run (SIGTERM first)"
pid=$(cat "$T/hang.pid")
for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
kill -0 "$pid" 2>/dev/null && { kill "$pid"; fail "the timed-out script's background child $pid outlived it"; }
# the three 1 s scripts ran side by side: each started before any ended
last_start=$(cat "$T"/start? | sort -n | tail -n 1)
first_end=$(cat "$T"/end? | sort -n | head -n 1)
awk -v s="$last_start" -v e="$first_end" 'BEGIN { exit !(s < e) }' ||
    fail "the scripts ran one after another (last start $last_start, first end $first_end)"

# a unit case that cannot run here: SKIP() (sites_check_config_cli needs NA_BIN)
env -u NA_BIN NA_SRCDIR="$NA_SRCDIR" "$RUN" sites_check_config_cli >"$T/unit" 2>&1
rc=$?
cat "$T/unit"
[ $rc = 0 ] || fail "a run with only a skipped case exited $rc"
[ "$(tail -n 1 "$T/unit")" = "0 passed, 0 failed, 1 skipped" ] || fail "unit skip: $(tail -n 1 "$T/unit")"
grep -q "^skip sites_check_config_cli (.*): .*NA_BIN" "$T/unit" || fail "unit skip line without its reason"
echo "runner_selftest: ok"
