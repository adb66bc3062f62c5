# crawl_common.bash — shared by the crawl_*.sh integration tests (sourced,
# not run): a temporary folder, the fixture server (tests/server/
# fixture_server.py, preset "test") on 127.0.0.1 with its request log, stopped
# by the EXIT trap. Each script has its own folder and port, so that they run
# in parallel.
set -eu
: "${NA_SRCDIR:?}" "${NA_BIN:?}"
NA_BUILD=${NA_BUILD:-$NA_SRCDIR/build}
# The system python starts in a fraction of the time a pyenv shim takes.
PY=/usr/bin/python3
[ -x "$PY" ] || PY=$(command -v python3)
T=$(mktemp -d "${TMPDIR:-/tmp}/newsarc-crawl-XXXXXX")
SERVER_PID=
CHILD_PIDS=
cleanup() {
    for p in $CHILD_PIDS; do kill -9 "$p" 2>/dev/null || true; done
    if [ -n "$SERVER_PID" ]; then
        kill "$SERVER_PID" 2>/dev/null || true
        for _ in $(seq 50); do kill -0 "$SERVER_PID" 2>/dev/null || break; sleep 0.1; done
        kill -9 "$SERVER_PID" 2>/dev/null || true
    fi
    [ -n "${KEEP:-}" ] && echo "kept $T" >&2 || rm -rf "$T"
}
trap cleanup EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

# The generated sites (fixture_root, gen_fixtures: ROOT).
. "$(dirname "${BASH_SOURCE[0]}")/fixture_cache.bash"

# wait_server: waits (30 s at most) for the fixture server started as
# SERVER_PID to write its port to $T/port (fails if it dies first); sets PORT.
wait_server() {
    for _ in $(seq 300); do
        [ -s "$T/port" ] && break
        kill -0 "$SERVER_PID" 2>/dev/null || { cat "$T/server.out" >&2; fail "fixture server died"; }
        sleep 0.1
    done
    [ -s "$T/port" ] || fail "fixture server did not start"
    PORT=$(cat "$T/port")
}

# start_server [--set KEY=VALUE]...: serves the test preset; writes $T/sites.conf
# (archive $T/archive) and sets PORT. The request log is $T/log.jsonl.
start_server() {
    gen_fixtures
    "$PY" "$NA_SRCDIR/tests/server/fixture_server.py" --root "$ROOT" \
        --port-file "$T/port" --log "$T/log.jsonl" --max-seconds 280 \
        --write-conf "$T/sites.conf" --archive "$T/archive" "$@" >"$T/server.out" 2>&1 &
    SERVER_PID=$!
    wait_server
}

# start_torture_server ARCHIVE: the kill and full-disk tests' site set (2 sites
# x 120 articles, cached like the test preset), served without faults or
# Nagle delays; writes $T/sites.conf (archive ARCHIVE), sets ROOT and PORT.
start_torture_server() {
    local spec="$T/spec.json" key
    cat >"$spec" <<'EOF_SPEC'
[{"host": "k-wp.newsarc.test", "template": "wordpress", "articles": 120, "per_page": 10, "categories": 2,
  "city": "合肥", "seed": 41, "delay": 0.008, "max_pages": 20, "robots_disallow_article": false},
 {"host": "k-gov.newsarc.test", "template": "gov", "articles": 120, "per_page": 10, "categories": 2,
  "city": "成都", "seed": 42, "header_charset": false, "delay": 0.008, "max_pages": 20,
  "robots_disallow_article": false}]
EOF_SPEC
    key=$(cat "$spec" "$NA_SRCDIR"/tests/server/sitegen.py "$NA_SRCDIR"/tests/server/zhtext.py | cksum | cut -d' ' -f1)
    fixture_gen torture "$key" --spec "$spec"
    "$PY" "$NA_SRCDIR/tests/server/fixture_server.py" --root "$ROOT" --no-faults --port-file "$T/port" \
        --nodelay --max-seconds 120 --write-conf "$T/sites.conf" --archive "$1" >"$T/server.out" 2>&1 &
    SERVER_PID=$!
    wait_server
}

# Sets every site's "delay = 0" line in $T/sites.conf to $1.
set_site_delay() {
    sed -i "s/^delay = 0\$/delay = $1/" "$T/sites.conf"
}
