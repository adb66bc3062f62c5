#!/bin/bash
# crawl_archive.sh — crawl the three fixture sites into an archive: every
# expected article archived exactly once with text, every page fetched
# (robots.txt, listing pages, feeds, sitemaps included) in the WARC, verify
# clean; a second run fetches no article, answers 304s with revisits and
# archives nothing new.
. "$(dirname "$0")/crawl_common.bash"
start_server
run() {
    set +e
    "$NA_BIN" crawl -c "$T/sites.conf" --site t-gbk --site t-wp --site t-gov "$@" >"$T/out" 2>"$T/err"
    rc=$?
    set -e
    cat "$T/out"
    [ $rc = 0 ] || { cat "$T/err" >&2; fail "crawl exited $rc"; }
}
run
"$NA_BIN" verify -a "$T/archive" >"$T/verify" 2>&1 || { cat "$T/verify" >&2; fail "verify found faults"; }
n1=$(wc -l <"$T/log.jsonl")
"$PY" - "$T/log.jsonl" "$ROOT" "$T/archive/index.sqlite" "$PORT" 0 <<'PY'
import json, sys, sqlite3, collections
logf, root, db, port, skip = sys.argv[1:6]
log = [json.loads(l) for l in open(logf)][int(skip):]
con = sqlite3.connect("file:%s?mode=ro" % db, uri=True)
bad = []
caps = collections.Counter(u for (u,) in con.execute("SELECT url FROM captures"))
reqs = collections.Counter("http://%s:%s%s" % (r["host"], port, r["path"]) for r in log)
if caps != reqs:
    bad.append("captures differ from requests: only fetched %s, only archived %s" % (
        list((reqs - caps).items())[:5], list((caps - reqs).items())[:5]))
for host in ("t-gbk.newsarc.test", "t-wp.newsarc.test", "t-gov.newsarc.test"):
    truth = json.load(open("%s/%s.truth.json" % (root, host)))
    for p in truth["expected"]:
        u = "http://%s:%s%s" % (host, port, p)
        k = con.execute("SELECT count(*) FROM captures WHERE url=? AND kind=1 AND status=200", (u,)).fetchone()[0]
        # captures extracted (a site template's re-extraction adds a row for the same capture)
        a = con.execute("SELECT count(DISTINCT capture_id), max(text_len) FROM articles WHERE url=?", (u,)).fetchone()
        if k != 1 or a[0] != 1 or not a[1]:
            bad.append("%s: %d article captures, %d article rows, text %s" % (u, k, a[0], a[1]))
    for p in truth["not_expected"]:
        u = "http://%s:%s%s" % (host, port, p)
        if con.execute("SELECT count(*) FROM captures WHERE url=?", (u,)).fetchone()[0]:
            bad.append("%s archived" % u)
kinds = dict(con.execute("SELECT kind, count(*) FROM captures GROUP BY kind").fetchall())
print("captures by kind:", kinds)
for k in (1, 2, 3, 4, 5):   # article, listing, feed, sitemap, robots
    if not kinds.get(k):
        bad.append("no capture of kind %d" % k)
print("\n".join(bad) if bad else "ok: %d requests, all archived" % len(log))
sys.exit(1 if bad else 0)
PY
narticles=$("$PY" -c "import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute('SELECT count(*) FROM articles').fetchone()[0])" "$T/archive/index.sqlite")

# The second run: listing pages (304 where the server has validators), no article.
run
grep -c " 0 new articles, 0 errors" "$T/out" | grep -qx 3 || fail "second run archived something: $(cat "$T/out")"
"$PY" - "$T/log.jsonl" "$ROOT" "$T/archive/index.sqlite" "$PORT" "$n1" "$narticles" <<'PY'
import json, sys, sqlite3
logf, root, db, port, skip, narticles = sys.argv[1:7]
log = [json.loads(l) for l in open(logf)][int(skip):]
con = sqlite3.connect("file:%s?mode=ro" % db, uri=True)
bad = []
expected = set()
for host in ("t-gbk.newsarc.test", "t-wp.newsarc.test", "t-gov.newsarc.test"):
    truth = json.load(open("%s/%s.truth.json" % (root, host)))
    expected |= {(host, p) for p in truth["expected"]}
again = [r["path"] for r in log if (r["host"], r["path"]) in expected]
if again:
    bad.append("articles fetched again: %s" % again[:5])
n304 = sum(1 for r in log if r["status"] == 304)
cond = sum(1 for r in log if r["if_none_match"] or r["if_modified_since"])
revisits = con.execute("SELECT count(*) FROM captures WHERE revisit=1").fetchone()[0]
total = con.execute("SELECT count(*) FROM captures").fetchone()[0]
arts = con.execute("SELECT count(*) FROM articles").fetchone()[0]
print("second run: %d requests, %d conditional, %d answered 304; archive: %d captures, %d revisits, %d articles" % (
    len(log), cond, n304, total, revisits, arts))
if not n304:
    bad.append("no 304 in the second run")
if revisits < n304:
    bad.append("%d 304s but %d revisit records" % (n304, revisits))
if arts != int(narticles):
    bad.append("articles went from %s to %d" % (narticles, arts))
print("\n".join(bad) if bad else "ok")
sys.exit(1 if bad else 0)
PY
"$NA_BIN" verify -a "$T/archive" >"$T/verify" 2>&1 || { cat "$T/verify" >&2; fail "verify found faults after the second run"; }
# --quiet: nothing at all when all is well
"$NA_BIN" crawl -c "$T/sites.conf" --site t-gbk --site t-wp --site t-gov -q >"$T/out" 2>"$T/err" || fail "quiet run failed"
[ ! -s "$T/out" ] && [ ! -s "$T/err" ] || fail "--quiet printed: $(cat "$T/out" "$T/err")"
# usage and configuration errors exit 2
set +e
"$NA_BIN" crawl -c "$T/sites.conf" --site no-such-site >/dev/null 2>"$T/err"; [ $? = 2 ] || fail "unknown site: not exit 2"
"$NA_BIN" crawl -c "$T/missing.conf" >/dev/null 2>&1; [ $? = 2 ] || fail "missing config: not exit 2"
"$NA_BIN" crawl --bogus >/dev/null 2>&1; [ $? = 2 ] || fail "bad option: not exit 2"
set -e
"$NA_BIN" crawl --help | grep -q "^usage: newsarc crawl" || fail "crawl --help"
echo "ok"
