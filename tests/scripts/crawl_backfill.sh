#!/bin/bash
# crawl_backfill.sh — newsarc backfill killed with SIGKILL in the middle,
# then run again: every expected article archived exactly once, none that
# was archived before the kill fetched again, the index and WARC verify
# clean; a third run finds the backfill complete. Also --pages ranges and a
# plain progress line when stderr is not a terminal. Needs the store.
. "$(dirname "$0")/crawl_common.bash"
start_server
set_site_delay 0.1   # slow enough (about 5 s) to be killed in the middle
DB="$T/archive/index.sqlite"
count() { "$PY" -c "import sqlite3,sys
try: print(sqlite3.connect('file:'+sys.argv[1]+'?mode=ro', uri=True).execute(sys.argv[2]).fetchone()[0])
except Exception: print(0)" "$DB" "$1"; }

"$NA_BIN" backfill t-gbk -c "$T/sites.conf" -v >"$T/out1" 2>"$T/err1" &
pid=$!
CHILD_PIDS=$pid
# (articles are committed in groups of up to 1 s: wait for the first group)
for _ in $(seq 100); do
    [ "$(count 'SELECT count(*) FROM articles')" -ge 5 ] && break
    kill -0 $pid 2>/dev/null || break
    sleep 0.05
done
# the site is locked while the backfill runs (other sites are not:
# crawl_parallel.sh): a crawl of it skips it, nothing else to do, exit 3
set +e
"$NA_BIN" crawl -c "$T/sites.conf" --site t-gbk >"$T/out-locked" 2>"$T/err-locked"
lrc=$?
set -e
kill -9 $pid 2>/dev/null || { cat "$T/out1" "$T/err1" >&2; fail "backfill ended before it could be killed"; }
[ $lrc = 3 ] || { cat "$T/err-locked" >&2; fail "a second run on a locked archive exited $lrc, expected 3"; }
grep -q "skipping site 't-gbk'.*PID $pid .*backfill" "$T/err-locked" ||
    fail "no message naming the backfill's PID: $(cat "$T/err-locked")"
wait $pid 2>/dev/null || true
CHILD_PIDS=
before=$(count 'SELECT count(*) FROM articles')
"$PY" -c "import sqlite3,sys
c=sqlite3.connect('file:'+sys.argv[1]+'?mode=ro', uri=True)
print('\n'.join(u for (u,) in c.execute('SELECT DISTINCT url FROM articles')))" "$DB" >"$T/archived-before"
nlog=$(wc -l <"$T/log.jsonl")
echo "killed after $before articles ($nlog requests)"
[ "$before" -ge 1 ] || fail "nothing archived before the kill"

set +e
"$NA_BIN" backfill t-gbk -c "$T/sites.conf" >"$T/out2" 2>"$T/err2"
rc=$?
set -e
cat "$T/out2"
[ $rc = 0 ] || { cat "$T/err2" >&2; fail "resumed backfill exited $rc"; }
grep -q "^backfill t-gbk: " "$T/err2" || echo "(no progress line: the run took under 5 s)"
"$PY" - "$T/log.jsonl" "$ROOT" "$DB" "$PORT" "$nlog" "$T/archived-before" <<'PY'
import json, sys, sqlite3, collections
logf, root, db, port, nlog, beforef = sys.argv[1:7]
log = [json.loads(l) for l in open(logf)]
after = log[int(nlog):]
before = set(open(beforef).read().split())
con = sqlite3.connect("file:%s?mode=ro" % db, uri=True)
bad = []
host = "t-gbk.newsarc.test"
truth = json.load(open("%s/%s.truth.json" % (root, host)))
for p in truth["expected"]:
    u = "http://%s:%s%s" % (host, port, p)
    k = con.execute("SELECT count(*) FROM captures WHERE url=? AND kind=1 AND status=200", (u,)).fetchone()[0]
    a = con.execute("SELECT count(*) FROM articles WHERE url=?", (u,)).fetchone()[0]
    if k != 1 or a != 1:
        bad.append("%s: %d captures, %d articles (expected exactly one)" % (p, k, a))
refetched = ["http://%s:%s%s" % (r["host"], port, r["path"]) for r in after]
refetched = [u for u in refetched if u in before]
if refetched:
    bad.append("archived before the kill, fetched again: %s" % refetched[:5])
n = collections.Counter(r["path"] for r in log if r["path"] in set(truth["expected"]))
twice = [p for p, k in n.items() if k > 1]
print("resume: %d requests; articles fetched twice (in flight at the kill): %d" % (len(after), len(twice)))
if len(twice) > 8:
    bad.append("%d articles fetched twice" % len(twice))
print("\n".join(bad) if bad else "ok")
sys.exit(1 if bad else 0)
PY
"$NA_BIN" verify -a "$T/archive" >"$T/verify" 2>&1 || { cat "$T/verify" >&2; fail "verify found faults"; }

# A third run: complete, nothing fetched but robots.txt (and what the walk needs to see it is done).
nlog=$(wc -l <"$T/log.jsonl")
"$NA_BIN" backfill t-gbk -c "$T/sites.conf" -q >"$T/out3" 2>"$T/err3" || { cat "$T/err3" >&2; fail "third run failed"; }
[ ! -s "$T/out3" ] || fail "--quiet printed: $(cat "$T/out3")"
if tail -n +$((nlog + 1)) "$T/log.jsonl" | grep -q '"/post/'; then fail "third run fetched articles"; fi
# ... and without -q it says the range is done and how to walk it again
"$NA_BIN" backfill t-gbk -c "$T/sites.conf" >"$T/out3b" 2>"$T/err3b" || { cat "$T/err3b" >&2; fail "fourth run failed"; }
grep -q "^newsarc backfill: t-gbk: listing pages 1 to the last were walked to the end before.*--restart" "$T/err3b" ||
    fail "finished range not said: $(cat "$T/err3b")"

# --pages: a range of a template listing (t-gov), no article outside the walk.
"$NA_BIN" backfill t-gov -c "$T/sites.conf" --pages 2-2 >"$T/out4" 2>"$T/err4" || { cat "$T/err4" >&2; fail "--pages 2-2 failed"; }
cat "$T/out4"
grep -q "t-gov: 2 listing pages" "$T/out4" || fail "--pages 2-2 walked $(cat "$T/out4")"
if grep -q '"/zsyz/[a-z]*/list_1.html"' "$T/log.jsonl"; then fail "page 1 fetched for --pages 2-2"; fi
"$NA_BIN" backfill t-gov -c "$T/sites.conf" --pages x 2>/dev/null && fail "--pages x accepted"
"$NA_BIN" backfill no-such-site -c "$T/sites.conf" 2>"$T/err6" && fail "unknown site accepted"
grep -q "^newsarc backfill: no site 'no-such-site' in .*(known: .*t-gbk" "$T/err6" || fail "unknown site: $(cat "$T/err6")"
echo ok

# SIGINT: the run winds down, exits 1, says how to go on, and the archive verifies.
set_site_delay 0.2
"$NA_BIN" backfill t-wp -c "$T/sites.conf" >"$T/out5" 2>"$T/err5" &
pid=$!
CHILD_PIDS=$pid
sleep 2
kill -INT $pid
set +e
wait $pid
rc=$?
set -e
CHILD_PIDS=
[ $rc = 1 ] || { cat "$T/err5" >&2; fail "interrupted backfill exited $rc, expected 1"; }
grep -q "interrupted" "$T/err5" || fail "no 'interrupted' message: $(cat "$T/err5")"
"$NA_BIN" verify -a "$T/archive" >"$T/verify" 2>&1 || { cat "$T/verify" >&2; fail "verify after SIGINT"; }
echo "ok: SIGINT"
