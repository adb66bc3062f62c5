#!/bin/bash
# crawl_not_modified.sh — a 304 on a listing page re-reads the links of its
# archived copy. After a complete crawl of t-gov (ETag and Last-Modified on
# every page), the index loses the rows of five articles of listing pages 1
# and 2 as a lost transaction would (their frontier rows, captures and
# articles; the listing pages stay, with their validators). The next cron
# run gets 304 for those pages and must still fetch the five articles, and
# stop at the first page that lacks nothing. Then the archived copy of a
# page cannot be read: the page is fetched again without validators, and
# its links are still followed. Needs the store.
. "$(dirname "$0")/crawl_common.bash"
start_server --nodelay
DB="$T/archive/index.sqlite"
"$NA_BIN" crawl -c "$T/sites.conf" --site t-gov -q >"$T/out1" 2>"$T/err1" || { cat "$T/err1" >&2; fail "first crawl failed"; }

# Lose the rows of three articles of page 1 and two of page 2 (xmdt column).
"$PY" - "$DB" "$PORT" >"$T/lost" <<'PY'
import sqlite3, sys, re
db, port = sys.argv[1:3]
con = sqlite3.connect(db)
lost = []
for page, k in ((1, 3), (2, 2)):
    ref = "http://t-gov.newsarc.test:%s/zsyz/xmdt/list_%d.html" % (port, page)
    urls = [u for (u,) in con.execute("SELECT url FROM frontier WHERE referrer=? ORDER BY id LIMIT ?", (ref, k))]
    assert len(urls) == k, (ref, urls)
    lost += urls
for u in lost:
    ids = [i for (i,) in con.execute("SELECT id FROM captures WHERE url=?", (u,))]
    # a lost transaction loses the search rows of its articles too
    con.execute("DELETE FROM articles_fts WHERE rowid IN (SELECT id FROM articles WHERE url=?)", (u,))
    con.execute("DELETE FROM articles WHERE url=?", (u,))
    for i in ids:
        con.execute("DELETE FROM captures WHERE id=?", (i,))
    con.execute("DELETE FROM frontier WHERE url=?", (u,))
con.commit()
print("\n".join(lost))
PY
[ "$(wc -l <"$T/lost")" = 5 ] || fail "could not pick five articles: $(cat "$T/lost")"
nlog=$(wc -l <"$T/log.jsonl")
"$NA_BIN" crawl -c "$T/sites.conf" --site t-gov -v >"$T/out2" 2>"$T/err2" || { cat "$T/err2" >&2; fail "second crawl failed"; }
cat "$T/out2"
grep -q "listing page 1 not modified: links read from the archived copy" "$T/err2" ||
    { cat "$T/err2" >&2; fail "no 304 re-read of listing page 1"; }
"$PY" - "$DB" "$T/lost" "$T/log.jsonl" "$nlog" <<'PY'
import json, sqlite3, sys
db, lostf, logf, nlog = sys.argv[1:5]
con = sqlite3.connect("file:%s?mode=ro" % db, uri=True)
bad = []
for u in open(lostf).read().split():
    n = con.execute("SELECT count(*) FROM articles WHERE url=? AND text_len > 0", (u,)).fetchone()[0]
    if n != 1:
        bad.append("%s: %d articles after the 304 run" % (u, n))
log = [json.loads(l) for l in open(logf)][int(nlog):]
lists = [r for r in log if "/list_" in r["path"]]
# pages 1 and 2 answered 304; the walk went on to page 3 (lacking nothing), no further
if not any(r["path"].endswith("xmdt/list_2.html") and r["status"] == 304 for r in lists):
    bad.append("page 2 was not read after page 1's 304: %s" % [(r["path"], r["status"]) for r in lists])
if any(r["path"].endswith("xmdt/list_4.html") for r in lists):
    bad.append("the walk did not stop at page 3, which lacked nothing")
arts = [r for r in log if "/list_" not in r["path"] and r["path"] != "/robots.txt"]
if len(arts) != 5:
    bad.append("%d article requests, expected the 5 lost ones" % len(arts))
print("\n".join(bad) if bad else "ok: the 5 lost articles fetched after 304s")
sys.exit(1 if bad else 0)
PY

# The archived copy of page 1 cannot be read (its index row points one byte
# off): fetched again without validators, and its links still followed.
"$PY" - "$DB" "$PORT" <<'PY'
import sqlite3, sys
db, port = sys.argv[1:3]
con = sqlite3.connect(db)
u = "http://t-gov.newsarc.test:%s/zsyz/xmdt/list_1.html" % port
con.execute("UPDATE captures SET resp_offset = resp_offset + 1 WHERE url=? AND status=200 AND revisit=0", (u,))
a = con.execute("SELECT url FROM frontier WHERE referrer=? ORDER BY id LIMIT 1", (u,)).fetchone()[0]
con.execute("DELETE FROM articles WHERE url=?", (a,))
con.execute("DELETE FROM captures WHERE url=?", (a,))
con.execute("DELETE FROM frontier WHERE url=?", (a,))
con.commit()
PY
nlog=$(wc -l <"$T/log.jsonl")
"$NA_BIN" crawl -c "$T/sites.conf" --site t-gov -v >"$T/out3" 2>"$T/err3" || { cat "$T/err3" >&2; fail "third crawl failed"; }
grep -q "no archived copy to read the links from" "$T/err3" || { cat "$T/err3" >&2; fail "the unreadable copy was not noticed"; }
"$PY" - "$T/log.jsonl" "$nlog" <<'PY'
import json, sys
logf, nlog = sys.argv[1:3]
log = [json.loads(l) for l in open(logf)][int(nlog):]
p1 = [(r["status"], bool(r["if_none_match"] or r["if_modified_since"])) for r in log
      if r["path"].endswith("xmdt/list_1.html")]
arts = [r for r in log if "/list_" not in r["path"] and r["path"] != "/robots.txt"]
ok = p1 == [(304, True), (200, False)] and len(arts) == 1
print("page 1: %s; %d article requests" % (p1, len(arts)))
sys.exit(0 if ok else 1)
PY
echo ok
