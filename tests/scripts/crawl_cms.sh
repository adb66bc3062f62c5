#!/bin/bash
# crawl_cms.sh — the government CMS listing shapes of issue 15 (sitegen
# preset cms): a TRS column paged only by createPageHTML(), a Hanweb JCMS
# column whose records sit in a <script type="text/xml"> datastore and go
# on through jpage's POST to dataproxy.jsp, a JSON list API (listing_api),
# a DedeCMS column and a <select> pager. `try --explain` names each shape
# and shows the link text; a backfill of each archives every article of
# the generator's truth exactly once (the POST body in the WARC request
# record, the API answers as listing captures, the JSON portal's undated
# articles dated from the listing, also one that failed once and was
# fetched by a later run); after three new articles appear a cron
# run archives those and stops at known ones; JSON of the wrong shape is an
# error naming what was expected.
. "$(dirname "$0")/crawl_common.bash"
key=$(cat "$NA_SRCDIR"/tests/server/sitegen.py "$NA_SRCDIR"/tests/server/zhtext.py | cksum | cut -d' ' -f1)
fixture_gen cms "$key" --preset cms
HELD=$ROOT
fixture_gen cms-release "$key" --preset cms --release
REL=$ROOT
# One article of the JSON portal (on the API's second page) answers 503
# once: with retries = 0 it is tried again by a later run, which must still
# date it from the listing (the date kept in the archive).
FLAKY=$("$PY" -c "import json,sys; t=json.load(open(sys.argv[1]))
print(sorted(t['expected'], key=lambda p: t['articles'][p]['published'], reverse=True)[12])" \
    "$HELD/jsonapi.newsarc.test.truth.json")
cat >"$T/faults.json" <<EOF
{"faults": [{"host": "jsonapi.newsarc.test", "path": "$FLAKY", "status": 503, "times": 1,
  "body": "<html><body>503 Service Unavailable</body></html>"}]}
EOF
"$PY" "$NA_SRCDIR/tests/server/fixture_server.py" --root "$HELD" --alt-root "$REL" --faults "$T/faults.json" \
    --port-file "$T/port" --log "$T/log.jsonl" --max-seconds 120 --set retries=0 --set "retry=0s 0s" \
    --write-conf "$T/sites.conf" --archive "$T/archive" >"$T/server.out" 2>&1 &
SERVER_PID=$!
wait_server
SITES="trs hanweb jsonapi dede select"

# 1. try --explain names the shape (and the link text of the articles).
t() { "$NA_BIN" try -c "$T/sites.conf" --no-robots --listing --explain "$1" >"$T/try.out" 2>&1 ||
          { cat "$T/try.out" >&2; fail "try $1 exited $?"; }; }
t "http://trs.newsarc.test:$PORT/col/xmdt/index.html"
grep -q "^shape: *TRS pager: 11 pages, index_{n}.html" "$T/try.out" || { cat "$T/try.out" >&2; fail "TRS shape not named"; }
grep -q "^next page: http://trs.newsarc.test:$PORT/col/xmdt/index_1.html" "$T/try.out" || fail "TRS next page"
"$NA_BIN" try -c "$T/sites.conf" --no-robots --listing --json "http://trs.newsarc.test:$PORT/col/xmdt/index.html" \
    >"$T/try.json" 2>&1 || fail "try --json exited $?"
"$PY" - "$T/try.json" <<'PY' || fail "try --json: no shape or link text"
import json, sys
o = json.load(open(sys.argv[1], encoding="utf-8"))["links"]
arts = [x for x in o["all"] if x["class"] == "article"]
ok = o["shape"].startswith("TRS pager: 11 pages, index_{n}.html") and arts and all(x["text"] and x["date"] for x in arts)
sys.exit(0 if ok else 1)
PY
t "http://hanweb.newsarc.test:$PORT/col/col1234/index.html"
grep -q "^shape: *Hanweb datastore: 15 records, jpage 31 records in 7 pages; next records by POST .*columnid=1234&unitid=5678" \
    "$T/try.out" || { cat "$T/try.out" >&2; fail "Hanweb shape not named"; }
t "http://jsonapi.newsarc.test:$PORT/api/list?channelId=12&pageNo=1&pageSize=10"
grep -q "^shape: *JSON API: 10 items" "$T/try.out" || { cat "$T/try.out" >&2; fail "JSON API shape not named"; }
t "http://select.newsarc.test:$PORT/xwzx/xmdt/list_2.html"
grep -q "^shape: *HTML: next page by <select> pager" "$T/try.out" || { cat "$T/try.out" >&2; fail "select pager"; }
grep -q "^next page: http://select.newsarc.test:$PORT/xwzx/xmdt/list_3.html" "$T/try.out" || fail "select next page"
# the link text and the listing's date beside each article link
"$PY" - "$HELD" "$T/try.out" <<'PY' || fail "try does not show the link text and date"
import json, sys
t = json.load(open(sys.argv[1] + "/select.newsarc.test.truth.json"))
out = open(sys.argv[2], encoding="utf-8").read()
shown = [p for p, a in t["articles"].items()
         if '%s"  "%s" %s' % (p, a["title"], a["published"][:10]) in out.replace(".html  \"", ".html\"  \"")]
print("try: %d article links shown with their text and date" % len(shown))
sys.exit(0 if len(shown) == 8 else 1)
PY

# 2. Backfill: every article exactly once.
for s in $SITES; do
    set +e
    "$NA_BIN" backfill "$s" -c "$T/sites.conf" >"$T/bf-$s.out" 2>"$T/bf-$s.err"
    rc=$?
    set -e
    [ $rc = 0 ] || [ $s = jsonapi -a $rc = 1 ] || { cat "$T/bf-$s.err" >&2; fail "backfill $s exited $rc"; }
done
grep -q "$FLAKY.*503" "$T/bf-jsonapi.err" || { cat "$T/bf-jsonapi.err" >&2; fail "no 503 for $FLAKY"; }
"$NA_BIN" backfill --retry-failed jsonapi -c "$T/sites.conf" >"$T/retry.out" 2>"$T/retry.err" ||
    { cat "$T/retry.err" >&2; fail "backfill --retry-failed jsonapi exited $?"; }
check() {
    "$PY" - "$1" "$T/archive/index.sqlite" "$PORT" "$T/log.jsonl" "$2" <<'PY'
import json, sqlite3, sys, collections
root, db, port, logf, phase = sys.argv[1:6]
con = sqlite3.connect("file:%s?mode=ro" % db, uri=True)
bad = []
for site in "trs hanweb jsonapi dede select".split():
    host = site + ".newsarc.test"
    t = json.load(open("%s/%s.truth.json" % (root, host)))
    want = {"http://%s:%s%s" % (host, port, p): p for p in t["expected"]}
    got = collections.Counter(u for (u,) in con.execute(
        "SELECT url FROM captures WHERE kind=1 AND status=200 AND url LIKE ?", ("http://%s:%%" % host,)))
    rows = con.execute("SELECT url, published, published_from FROM articles WHERE site=? AND newest=1",  # newest extraction
                       (site,)).fetchall()
    extra = [u for u in got if u not in want]
    missing = [u for u in want if got[u] != 1]
    print("%s: %s: %d articles found of %d served" % (phase, site, sum(1 for u in want if got[u] >= 1), len(want)))
    if missing or extra or len(rows) != len(want):
        bad.append("%s: %d missing or twice, %d not expected, %d article rows for %d" % (
            site, len(missing), len(extra), len(rows), len(want)))
    if site == "jsonapi":  # article pages without a date: the listing's
        wrong = [u for u, p, f in rows if f != "listing" or not p or
                 p[:10] != t["articles"][want[u]]["published"][:10]]
        if wrong:
            bad.append("jsonapi: %d articles not dated from the listing, e.g. %s" % (len(wrong), wrong[0]))
posts = [json.loads(l) for l in open(logf)]
posts = [r for r in posts if r["method"] == "POST"]
if phase == "backfill" and (not posts or any(r["status"] != 200 or "columnid=1234" not in r.get("body", "") for r in posts)):
    bad.append("jpage POSTs: %s" % [(r["path"], r["status"]) for r in posts])
print("\n".join(bad) if bad else "ok")
sys.exit(1 if bad else 0)
PY
}
check "$HELD" backfill || fail "backfill did not archive every article exactly once, dated"
# the POST's body is in the WARC request record; API answers are listing captures
for f in "$T"/archive/warc/*.warc.gz; do zcat "$f"; done 2>/dev/null | grep -a -c "^webid=1&path=/&columnid=1234&unitid=5678" \
    >"$T/nbody" || true
[ "$(cat "$T/nbody")" -ge 2 ] || fail "the jpage POST bodies are not in the WARC request records ($(cat "$T/nbody"))"
"$PY" -c "import sqlite3,sys
c=sqlite3.connect('file:'+sys.argv[1]+'?mode=ro', uri=True)
n=c.execute(\"SELECT count(*) FROM captures WHERE kind=2 AND url LIKE '%/api/list?%'\").fetchone()[0]
sys.exit(0 if n >= 4 else 1)" "$T/archive/index.sqlite" || fail "API answers not archived as listing captures"

# 3. Cron: a first run finishes the walks; then three new articles per site.
"$NA_BIN" crawl -c "$T/sites.conf" >/dev/null 2>"$T/cron1.err" || { cat "$T/cron1.err" >&2; fail "cron 1 exited $?"; }
curl -s "http://127.0.0.1:$PORT/__fixture/switch" >/dev/null || fail "switch"
nlog=$(wc -l <"$T/log.jsonl")
"$NA_BIN" crawl -c "$T/sites.conf" -v >/dev/null 2>"$T/cron2.err" || { cat "$T/cron2.err" >&2; fail "cron 2 exited $?"; }
check "$REL" cron || fail "cron did not archive the new articles exactly once"
"$PY" - "$T/log.jsonl" "$nlog" <<'PY' || fail "cron runs did not stop at known articles"
import json, sys, collections
log = [json.loads(l) for l in open(sys.argv[1])][int(sys.argv[2]):]
arts = collections.Counter(r["host"].split(".")[0] for r in log
                           if any(k in r["path"] for k in ("/art/", "/t20", "/detail/", "/a/xmdt/20", "/xwzx/20")))
lists = collections.Counter(r["host"].split(".")[0] for r in log
                            if r["path"] != "/robots.txt" and r["host"] != "127.0.0.1" and
                            not any(k in r["path"] for k in ("/art/", "/t20", "/detail/", "/a/xmdt/20", "/xwzx/20")))
bad = [s for s in "trs hanweb jsonapi dede select".split() if arts[s] != 3 or lists[s] > 2]
print("cron: articles fetched %s, listing pages %s" % (dict(arts), dict(lists)))
sys.exit(1 if bad else 0)
PY

# 4. JSON of the wrong shape: an error naming what was expected.
sed 's/^listing_api_items = data.list\[\]$/listing_api_items = data.items[]/' "$T/sites.conf" >"$T/bad.conf"
set +e
"$NA_BIN" crawl -c "$T/bad.conf" --site jsonapi -a "$T/archive2" >/dev/null 2>"$T/bad.err"
rc=$?
set -e
[ $rc != 0 ] || fail "a listing API answer of the wrong shape exited 0"
grep -q "no array at 'data.items\[\]' (listing_api_items); its top level has code, msg, data" "$T/bad.err" ||
    { cat "$T/bad.err" >&2; fail "the wrong JSON shape is not named"; }
echo "crawl_cms: ok"
