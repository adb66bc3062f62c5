#!/bin/bash
# crawl_robots.sh — robots.txt over the 500 KiB that RFC 9309 2.5 asks to be
# read, and the Sitemap: lines it holds. t-gov's robots.txt is 20 MB of plain
# text whose first lines disallow /zsyz/xmdt/ and name a 12 MB sitemap (over
# max_page_size, under the sitemap protocol's 50 MB) listing all its articles;
# t-gbk's is gzip-coded, 12 MB decoded (over max_page_size), and disallows /post/3. A crawl must
# read the start of both (and log that once per origin), fetch nothing they
# disallow and the rest, archive the sitemap's articles that no walked listing
# page shows, and `try` must say the same as the crawl.
. "$(dirname "$0")/crawl_common.bash"
gen_fixtures
"$PY" - "$ROOT" "$T/faults.json" <<'PY'
import json, sys
root, out = sys.argv[1], sys.argv[2]
gov = json.load(open(root + "/t-gov.newsarc.test.truth.json"))
urls = "".join("<url><loc>@ORIGIN@%s</loc></url>\n" % p for p in sorted(gov["articles"]))
pad = "# " + "padding " * 12 + "\n"
faults = [
    {"host": "t-gov.newsarc.test", "path": "/robots.txt", "fault": "repeat", "size": 20 << 20,
     "head": "User-agent: *\nDisallow: /zsyz/xmdt/\n\nSitemap: @ORIGIN@/big-sitemap.xml\n", "line": pad,
     "tail": "User-agent: *\nDisallow: /\n"},
    {"host": "t-gov.newsarc.test", "path": "/big-sitemap.xml", "fault": "repeat", "size": 12 << 20,
     "content_type": "application/xml",
     "head": '<?xml version="1.0" encoding="UTF-8"?>\n'
             '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n' + urls,
     "line": "<!-- " + "padding " * 12 + "-->\n", "tail": "</urlset>\n"},
    {"host": "t-gbk.newsarc.test", "path": "/robots.txt", "fault": "repeat", "size": 12 << 20, "gzip": True,
     "head": "User-agent: *\nDisallow: /post/3\n", "line": pad, "tail": "User-agent: *\nDisallow: /\n"},
]
json.dump({"faults": faults}, open(out, "w"))
PY
start_server --faults "$T/faults.json"
need_store
# t-gov walks the first page of each listing only: the articles of its second
# pages are found through the sitemap that robots.txt names, or not at all.
"$PY" - "$T/sites.conf" <<'PY'
import sys
p = sys.argv[1]
lines, sec = open(p).read().split("\n"), None
for i, l in enumerate(lines):
    if l.startswith("[site "):
        sec = l
    elif sec == "[site t-gov]" and l.startswith("max_pages = "):
        lines[i] = "max_pages = 1"
open(p, "w").write("\n".join(lines))
PY
grep -A8 '^\[site t-gov\]' "$T/sites.conf" | grep -q '^max_pages = 1$' || fail "t-gov max_pages not set to 1"

"$NA_BIN" crawl -c "$T/sites.conf" --site t-gov --site t-gbk >"$T/out" 2>"$T/err" ||
    { cat "$T/out" "$T/err" >&2; fail "crawl failed"; }
cat "$T/out"
GOV="http://t-gov.newsarc.test:$PORT" GBK="http://t-gbk.newsarc.test:$PORT"
for o in "$GOV" "$GBK"; do
    n=$(grep -c "robots.txt of $o is over 500 KiB: only the first 500 KiB read" "$T/err" || true)
    [ "$n" = 1 ] || { cat "$T/err" >&2; fail "$o: the over-500-KiB line was logged $n times, not once"; }
done
# the robots.txt read in part is archived as it came, marked WARC-Truncated
"$NA_BIN" verify -a "$T/archive" >"$T/verify" 2>&1 || { cat "$T/verify" >&2; fail "verify found faults"; }
"$NA_BIN" ls -a "$T/archive" >"$T/ls" || fail "ls failed"

"$PY" - "$ROOT" "$T/log.jsonl" "$T/ls" <<'PY'
import json, sys
root, logf, lsf = sys.argv[1:]
log = [json.loads(l) for l in open(logf)]
from urllib.parse import urlsplit
listed = set(urlsplit(l.rstrip("\n").split("\t")[-1]).path for l in open(lsf) if l.strip())
bad = []
def reqs(host):
    return [r for r in log if r["host"] == host]
gov, gbk = reqs("t-gov.newsarc.test"), reqs("t-gbk.newsarc.test")
truth = json.load(open(root + "/t-gov.newsarc.test.truth.json"))
# robots.txt was read as its start: the transfer stopped long before 20 MB
rob = [r for r in gov if r["path"] == "/robots.txt"]
if len(rob) != 1 or rob[0]["bytes"] > 10 << 20:
    bad.append("t-gov robots.txt: %s" % [(r["status"], r["bytes"]) for r in rob])
# nothing under the disallowed prefix, but everything else
xmdt = [r["path"] for r in gov if r["path"].startswith("/zsyz/xmdt/")]
if xmdt:
    bad.append("t-gov: %d disallowed URLs fetched, e.g. %s" % (len(xmdt), xmdt[0]))
sm = [r for r in gov if r["path"] == "/big-sitemap.xml"]
if not sm or sm[0]["status"] != 200 or sm[0]["bytes"] < (12 << 20) - 4096:
    bad.append("t-gov: sitemap from robots.txt: %s" % [(r["status"], r["bytes"]) for r in sm])
zszc = sorted(p for p in truth["articles"] if p.startswith("/zsyz/zszc/"))
got = set(r["path"] for r in gov if r["status"] == 200)
miss = [p for p in zszc if p not in got]
if miss:
    bad.append("t-gov: %d of %d allowed articles not fetched, e.g. %s" % (len(miss), len(zszc), miss[0]))
unarch = [p for p in zszc if p not in listed]
if unarch:
    bad.append("t-gov: %d of %d allowed articles not archived, e.g. %s" % (len(unarch), len(zszc), unarch[0]))
page2 = [r["path"] for r in gov if r["path"].endswith("list_2.html")]
if page2:
    bad.append("t-gov: a second listing page was walked (%s): the sitemap proves nothing" % page2[0])
# t-gbk: gzip-coded, 12 MB decoded: its first lines count
posts = [r["path"] for r in gbk if r["path"].startswith("/post/")]
if [p for p in posts if p.startswith("/post/3")]:
    bad.append("t-gbk: disallowed /post/3... fetched: %s" % [p for p in posts if p.startswith("/post/3")][:3])
if len(posts) < 10:
    bad.append("t-gbk: only %d articles fetched" % len(posts))
print("t-gov: %d requests, %d allowed articles archived; t-gbk: %d articles fetched" % (
    len(gov), len(zszc) - len(unarch), len(posts)))
print("\n".join(bad) if bad else "ok")
sys.exit(1 if bad else 0)
PY

# robots_sitemaps = no: the sitemap robots.txt names is left alone.
n0=$(grep -c '"path": "/big-sitemap.xml"' "$T/log.jsonl")
sed -i '/^\[site t-gov\]$/a robots_sitemaps = no' "$T/sites.conf"
"$NA_BIN" crawl -c "$T/sites.conf" --site t-gov >"$T/out2" 2>"$T/err2" || { cat "$T/err2" >&2; fail "second crawl failed"; }
n1=$(grep -c '"path": "/big-sitemap.xml"' "$T/log.jsonl")
[ "$n0" = 1 ] && [ "$n1" = 1 ] || fail "robots_sitemaps = no: the sitemap was fetched ($n0 then $n1 times)"

# `try` says what the crawl did, for both robots.txt files.
XM=$("$PY" -c "import json,sys; t=json.load(open(sys.argv[1])); print(sorted(p for p in t['articles'] if p.startswith('/zsyz/xmdt/'))[0])" "$ROOT/t-gov.newsarc.test.truth.json")
ZS=$("$PY" -c "import json,sys; t=json.load(open(sys.argv[1])); print(sorted(p for p in t['articles'] if p.startswith('/zsyz/zszc/'))[0])" "$ROOT/t-gov.newsarc.test.truth.json")
P1=$("$PY" -c "import json,sys; t=json.load(open(sys.argv[1])); print(sorted(p for p in t['articles'] if p.startswith('/post/3'))[0])" "$ROOT/t-gbk.newsarc.test.truth.json")
P2=$("$PY" -c "import json,sys; t=json.load(open(sys.argv[1])); print(sorted(p for p in t['articles'] if p.startswith('/post/') and not p.startswith('/post/3'))[0])" "$ROOT/t-gbk.newsarc.test.truth.json")
check_try() { # URL EXPECTED-START
    "$NA_BIN" try -c "$T/sites.conf" --json "$1" >"$T/try.json" 2>"$T/try.err" || true
    "$PY" - "$T/try.json" "$2" "$1" <<'PY' || { cat "$T/try.err" >&2; fail "try disagrees with the crawl on $1"; }
import json, sys
o = json.load(open(sys.argv[1]))
r = o.get("robots") or ""
ok = r.startswith(sys.argv[2]) and "is over 500 KiB: only the first 500 KiB read" in r
print("%s: robots: %s" % (sys.argv[3], r))
sys.exit(0 if ok else 1)
PY
}
check_try "$GOV$XM" "disallowed (a crawl skips this URL)"
check_try "$GOV$ZS" "allowed"
check_try "$GBK$P1" "disallowed (a crawl skips this URL)"
check_try "$GBK$P2" "allowed"
echo "ok"
