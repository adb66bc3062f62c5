#!/usr/bin/env bash
# reindex_order.sh — reindex rebuilds what the live index said when WARC
# files are continued by day and name order is not time order. On the
# sitegen "syndication" preset (s-src's stories, republished by s-wp and
# s-gov), three crawls, a writer's file held (flock) by "another writer"
# in between, as when crawls of other sites run at the same time:
#   1. crawl s-gov                -> file A (made first)
#   2. A held: crawl s-src        -> file B (made second): the originals
#   3. B held: crawl s-wp s-src   -> A continued (today's newest free file):
#      s-wp's copies, and s-src's listing pages answered 304 (revisits
#      whose originals are in B)
# Name order reads A whole before B: s-src's originals after the copies
# archived later, and the revisits before their originals. Checks that
# after reindex each article's near-duplicate root (dup_of: the first
# archived of its cluster), each URL's newest extraction and capture, and
# every revisit's refers_to are as in the live index.
. "$(dirname "$0")/crawl_common.bash"
key=$(cat "$NA_SRCDIR"/tests/server/sitegen.py "$NA_SRCDIR"/tests/server/zhtext.py | cksum | cut -d' ' -f1)
fixture_gen syndication "$key" --preset syndication
"$PY" "$NA_SRCDIR/tests/server/fixture_server.py" --root "$ROOT" --port-file "$T/port" --log "$T/log.jsonl" \
    --max-seconds 120 --nodelay --write-conf "$T/sites.conf" --archive "$T/archive" >"$T/server.out" 2>&1 &
SERVER_PID=$!
wait_server
crawl() { "$NA_BIN" crawl -c "$T/sites.conf" -q "$@" >"$T/crawl.out" 2>&1 || fail "crawl $*: $(cat "$T/crawl.out")"; }
HOLD=
hold() { # hold FILE: flock'd by another process until release
    rm -f "$T/held"
    "$PY" -c "import fcntl,sys,time
f = open(sys.argv[1], 'rb'); fcntl.flock(f, fcntl.LOCK_EX); open(sys.argv[2], 'w').close(); time.sleep(60)" \
        "$1" "$T/held" &
    HOLD=$!
    CHILD_PIDS="$CHILD_PIDS $HOLD"
    for _ in $(seq 100); do [ -e "$T/held" ] && return; sleep 0.05; done
    fail "could not hold $1"
}
release() { kill "$HOLD"; wait "$HOLD" 2>/dev/null || true; }

crawl --site s-gov
A=$(ls "$T/archive/warc")
sleep 1.1
hold "$T/archive/warc/$A"
crawl --site s-src
release
B=$(ls "$T/archive/warc" | grep -v "^$A\$")
[ -n "$B" ] && [[ "$A" < "$B" ]] || fail "expected a second file after '$A': $(ls "$T/archive/warc")"
sleep 1.1
hold "$T/archive/warc/$B"
crawl --site s-wp --site s-src
release
[ "$(ls "$T/archive/warc" | wc -l)" = 2 ] || fail "the third crawl did not continue file A: $(ls "$T/archive/warc")"

snapshot() { # the index's answers that depend on the order records were indexed in
    "$PY" - "$T/archive/index.sqlite" >"$1" <<'EOF'
import sqlite3, sys
db = sqlite3.connect("file:%s?mode=ro" % sys.argv[1], uri=True)
for url, root in db.execute("SELECT a.url, coalesce(r.url, a.url) FROM articles a LEFT JOIN articles r"
                            " ON r.id = a.dup_of WHERE a.newest = 1 ORDER BY a.url"):
    print("root", url, root)
for url, cid in db.execute("SELECT a.url, a.conversion_id FROM articles a WHERE a.newest = 1 ORDER BY a.url"):
    print("newest-extraction", url, cid)
for url, rid in db.execute("SELECT url, (SELECT record_id FROM captures d WHERE d.url = c.url"
                           " ORDER BY fetched DESC, id DESC LIMIT 1) FROM captures c GROUP BY url ORDER BY url"):
    print("newest-capture", url, rid)
for rid, orig in db.execute("SELECT c.record_id, o.record_id FROM captures c LEFT JOIN captures o"
                            " ON o.id = c.refers_to WHERE c.revisit = 1 ORDER BY c.record_id"):
    print("refers-to", rid, orig)
EOF
}
snapshot "$T/live.txt"
n_rev=$(grep -c "^refers-to " "$T/live.txt" || true)
n_dup=$(awk '$1 == "root" && $2 != $3' "$T/live.txt" | wc -l)
[ "$n_rev" -ge 1 ] || fail "no revisit in the live index (the s-src listing pages were not answered 304)"
[ "$n_dup" -ge 10 ] || fail "only $n_dup articles in clusters in the live index"
grep -q "^refers-to .* None$" "$T/live.txt" && fail "a revisit without its original in the live index"
"$NA_BIN" reindex -a "$T/archive" >"$T/reindex.out" 2>&1 || fail "reindex: $(cat "$T/reindex.out")"
snapshot "$T/reindexed.txt"
if ! cmp -s "$T/live.txt" "$T/reindexed.txt"; then
    diff "$T/live.txt" "$T/reindexed.txt" | head -20 >&2
    fail "reindex differs from the live index in $(diff "$T/live.txt" "$T/reindexed.txt" | grep -c '^>') lines"
fi
"$NA_BIN" verify -a "$T/archive" >"$T/verify.out" 2>&1 || fail "verify: $(cat "$T/verify.out")"
echo "reindex_order: files $A, $B (A continued after B); $n_dup articles in clusters, $n_rev revisits: reindex agrees"
echo "reindex_order: ok"
