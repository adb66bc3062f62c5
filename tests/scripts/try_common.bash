# try_common.bash — shared by try.sh and try_explain.sh (sourced, not run):
# a temporary folder, the fixture server (tests/server/fixture_server.py,
# preset "test", its fault table on) on 127.0.0.1 stopped by the EXIT trap,
# $T/sites.conf for it, and small helpers to run `newsarc try`.
set -eu
: "${NA_SRCDIR:?}" "${NA_BIN:?}"
NA_BUILD=${NA_BUILD:-$NA_SRCDIR/build}
PY=/usr/bin/python3
[ -x "$PY" ] || PY=$(command -v python3)
T=$(mktemp -d "${TMPDIR:-/tmp}/newsarc-try-XXXXXX")
SERVER_PID=
NOW=2025-06-30T10:00:00+08:00
cleanup() {
    if [ -n "$SERVER_PID" ]; then
        kill "$SERVER_PID" 2>/dev/null || true
        for _ in $(seq 50); do kill -0 "$SERVER_PID" 2>/dev/null || break; sleep 0.1; done
        kill -9 "$SERVER_PID" 2>/dev/null || true
    fi
    rm -rf "$T"
}
trap cleanup EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

# The generated sites, the same cache as the crawl tests (gen_fixtures: ROOT).
. "$(dirname "${BASH_SOURCE[0]}")/fixture_cache.bash"

# Serves the test preset; writes $T/sites.conf and sets PORT and ROOT.
start_server() {
    gen_fixtures
    "$PY" "$NA_SRCDIR/tests/server/fixture_server.py" --root "$ROOT" \
        --port-file "$T/port" --max-seconds 250 \
        --write-conf "$T/sites.conf" --archive "$T/archive" >"$T/server.out" 2>&1 &
    SERVER_PID=$!
    for _ in $(seq 300); do
        [ -s "$T/port" ] && [ -s "$T/sites.conf" ] && break
        kill -0 "$SERVER_PID" 2>/dev/null || { cat "$T/server.out" >&2; fail "fixture server died"; }
        sleep 0.1
    done
    [ -s "$T/port" ] || fail "fixture server did not start"
    PORT=$(cat "$T/port")
    for _ in $(seq 50); do [ -s "$T/sites.conf" ] && break; sleep 0.1; done
}

# run_try EXPECTED_STATUS ARGS...: runs `newsarc try ARGS`, stdout in $T/out,
# stderr in $T/err; fails unless it exits EXPECTED_STATUS.
run_try() {
    local want=$1 got=0
    shift
    "$NA_BIN" try "$@" >"$T/out" 2>"$T/err" || got=$?
    if grep -q "Sanitizer" "$T/err"; then
        cat "$T/err" >&2
        fail "newsarc try $*: sanitizer report"
    fi
    if [ "$got" != "$want" ]; then
        echo "--- stdout" >&2; head -c 3000 "$T/out" >&2
        echo "--- stderr" >&2; head -c 3000 "$T/err" >&2
        fail "newsarc try $* exited $got, expected $want"
    fi
}

# py [ARGS] <<'EOF' … EOF: runs the Python script on stdin (stdlib only)
# with the JSON of $T/out as `o` (None when not JSON), the generated sites' truth as truth(host),
# check(cond, what) and ARGS in sys.argv[3:].
py() {
    cat >"$T/prelude.py" <<'PYEOF'
import json, os, re, sys
try:
    o = json.load(open(sys.argv[1], encoding="utf-8"))
except (OSError, ValueError):
    o = None  # not JSON: a text-mode run, or nothing
root = sys.argv[2]
def truth(host):
    return json.load(open(os.path.join(root, host + ".truth.json"), encoding="utf-8"))
def check(cond, what):
    if not cond:
        print("FAIL:", what, file=sys.stderr)
        sys.exit(1)
PYEOF
    cat "$T/prelude.py" - >"$T/check.py"
    python3 "$T/check.py" "$T/out" "$ROOT" "$@"
}
