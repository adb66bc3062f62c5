#!/bin/bash
# crawl_listing_dates.sh — what a listing's dates do in a cron run (issue
# 15): the articles of a listing page are fetched newest listing date first
# (the fixture's TRS column lists each page out of date order), and
# stop-at-known also stops at a page whose new links are all dated before
# the newest archived article (old articles a backfill is for), so a column
# with unarchived history is not walked to its end by every cron run. A
# backfill of the column queues its pages by the TRS pager's rule.
. "$(dirname "$0")/crawl_common.bash"
key=$(cat "$NA_SRCDIR"/tests/server/sitegen.py "$NA_SRCDIR"/tests/server/zhtext.py | cksum | cut -d' ' -f1)
fixture_gen cms-dates "$key" --preset cms-dates
HELD=$ROOT
fixture_gen cms-dates-release "$key" --preset cms-dates --release
REL=$ROOT
"$PY" "$NA_SRCDIR/tests/server/fixture_server.py" --root "$HELD" --alt-root "$REL" --no-faults \
    --port-file "$T/port" --log "$T/log.jsonl" --max-seconds 60 \
    --write-conf "$T/sites.conf" --archive "$T/archive" >"$T/server.out" 2>&1 &
SERVER_PID=$!
wait_server

# what a run requested: listing pages in order, article paths in order
# (from request line $2 of the log on), checked against the truth $1
runlog() {
    "$PY" - "$1" "$T/log.jsonl" "$2" "$3" <<'PY'
import json, sys
truth, logf, start, what = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
t = json.load(open(truth))
log = [json.loads(l) for l in open(logf)][start:]
lists = [r["path"] for r in log if "/index" in r["path"]]
arts = [r["path"] for r in log if r["path"] in t["articles"]]
dates = [t["articles"][p]["published"][:10] for p in arts]
print("%s: listing pages %s; article dates in request order %s" % (what, lists, dates))
if arts != sorted(arts, key=lambda p: t["articles"][p]["published"][:10], reverse=True):
    print("articles not requested newest listing date first")
    sys.exit(1)
if what == "cron2" and lists != ["/col/xmdt/index.html", "/col/xmdt/index_1.html"]:
    print("the walk did not stop at page 2")
    sys.exit(1)
sys.exit(0)
PY
}

# 1. A cron run over page 1 only (max_pages = 1): its walk finishes, the
# archive holds the 10 newest articles; page 1 lists them out of order.
sed 's/^max_pages = 30$/max_pages = 1/' "$T/sites.conf" >"$T/one.conf"
"$NA_BIN" crawl -c "$T/one.conf" >/dev/null 2>"$T/cron1.err" || { cat "$T/cron1.err" >&2; fail "cron 1 exited $?"; }
runlog "$HELD/trsdated.newsarc.test.truth.json" 0 cron1 || fail "cron 1: order of article requests"

# 2. Three new articles; a cron run reads page 1 (3 new, 7 known) and page
# 2 (3 known, 7 older than the newest archived, never archived): it stops
# there instead of reading pages 3 and 4 (today's rule alone would).
"$PY" - "$REL/trsdated.newsarc.test.truth.json" <<'PY' || fail "fixture: page 2 must hold only links older than the archive's newest"
import json, sys
t = json.load(open(sys.argv[1]))
d = sorted((a["published"][:10] for p, a in t["articles"].items() if p in t["expected"]), reverse=True)
sys.exit(0 if max(d[13:20]) < d[3] and len(d) > 30 else 1)
PY
curl -s "http://127.0.0.1:$PORT/__fixture/switch" >/dev/null || fail "switch"
nlog=$(wc -l <"$T/log.jsonl")
"$NA_BIN" crawl -c "$T/sites.conf" -v >/dev/null 2>"$T/cron2.err" || { cat "$T/cron2.err" >&2; fail "cron 2 exited $?"; }
runlog "$REL/trsdated.newsarc.test.truth.json" "$nlog" cron2 || { cat "$T/cron2.err" >&2; fail "cron 2"; }
grep -q "listing page 2 shows nothing new: its 7 links the archive lacks, like all its links, are dated before" "$T/cron2.err" ||
    { cat "$T/cron2.err" >&2; fail "cron 2 does not say why it stopped"; }

# 3. A backfill of the TRS column queues its pages by createPageHTML's
# count and naming rule (index_{n}.html, several in flight), keeps its
# place: pages 1-2, then the rest resumes at page 3, then nothing is left;
# every article archived exactly once.
bf() {
    nlog=$(wc -l <"$T/log.jsonl")
    "$NA_BIN" backfill trsdated -c "$T/sites.conf" -a "$T/bf" -v "$@" >/dev/null 2>"$T/bf.err" ||
        { cat "$T/bf.err" >&2; fail "backfill $* exited $?"; }
    "$PY" -c "import json,sys
print(' '.join(r['path'].rsplit('/', 1)[1] for r in map(json.loads, open(sys.argv[1]).readlines()[int(sys.argv[2]):])
               if '/index' in r['path']))" "$T/log.jsonl" "$nlog" >"$T/bf.pages"
}
bf --pages 1-2
[ "$(cat "$T/bf.pages")" = "index.html index_1.html" ] || fail "backfill 1-2 read: $(cat "$T/bf.pages")"
grep -q "TRS pager of '.*/col/xmdt/index.html': 4 pages, index_{n}.html: up to 2 in flight" "$T/bf.err" ||
    { cat "$T/bf.err" >&2; fail "the TRS column was not queued by its pager's rule"; }
bf
[ "$(cat "$T/bf.pages")" = "index_2.html index_3.html" ] || fail "backfill resumed with: $(cat "$T/bf.pages")"
bf
[ -z "$(cat "$T/bf.pages")" ] || fail "a finished backfill read again: $(cat "$T/bf.pages")"
"$PY" - "$REL/trsdated.newsarc.test.truth.json" "$T/bf/index.sqlite" "$PORT" <<'PY' || fail "backfill: not every article exactly once"
import collections, json, sqlite3, sys
t = json.load(open(sys.argv[1]))
con = sqlite3.connect("file:%s?mode=ro" % sys.argv[2], uri=True)
got = collections.Counter(u for (u,) in con.execute("SELECT url FROM captures WHERE kind=1 AND status=200"))
want = {"http://trsdated.newsarc.test:%s%s" % (sys.argv[3], p) for p in t["expected"]}
print("backfill: %d of %d articles, %d fetched twice, %d not expected" % (
    len(want & set(got)), len(want), sum(1 for u in got if got[u] > 1), len(set(got) - want)))
sys.exit(0 if set(got) == want and max(got.values()) == 1 else 1)
PY
echo "crawl_listing_dates: ok"
