# fixture_cache.bash — sourced by crawl_common.bash and try_common.bash (not
# run): the fixture sites of the "test" preset, generated once into the build
# folder (keyed by the generator) and shared by every script. The scripts run
# in parallel, so the first one generates under a lock (flock) into a
# temporary folder renamed into place; the others wait for it and then only
# read. Needs PY, NA_SRCDIR and NA_BUILD.

# The cache folder for the current generator.
fixture_root() {
    local key
    key=$(cat "$NA_SRCDIR"/tests/server/sitegen.py "$NA_SRCDIR"/tests/server/zhtext.py \
              "$NA_SRCDIR"/tests/server/faults.json | cksum | cut -d' ' -f1)
    echo "$NA_BUILD/fixture-test-$key"
}

# Generates the test preset into the cache unless it is there; sets ROOT.
gen_fixtures() {
    ROOT=$(fixture_root)
    [ -f "$ROOT/manifest.json" ] && return 0
    mkdir -p "$NA_BUILD"
    (
        flock -w 120 9 || { echo "gen_fixtures: no lock on $ROOT.lock in 120 s" >&2; exit 1; }
        if [ ! -f "$ROOT/manifest.json" ]; then
            rm -rf "$ROOT.tmp$$" "$ROOT"
            "$PY" "$NA_SRCDIR/tests/server/sitegen.py" --preset test --out "$ROOT.tmp$$" --quiet &&
                mv "$ROOT.tmp$$" "$ROOT"
        fi
    ) 9>"$ROOT.lock" || { echo "FAIL: generating the fixture sites into $ROOT" >&2; exit 1; }
}
