#!/bin/bash
# crawl_urls.sh — links as browsers read them, end to end: on a GBK listing
# page with path_prefix = /news/, a "%2e%2e" link that climbs out of the
# prefix and one that reaches a robots.txt Disallow are not fetched, three
# spellings of one article (/news/ok.html, /news/../news/ok.html,
# /news/%2e%2e/news/ok.html) give one request, a non-ASCII query goes out in
# GBK, and every WARC-Target-URI is the request line the server got.
. "$(dirname "$0")/crawl_common.bash"
H=t-url.newsarc.test
"$PY" - "$H" >"$T/faults.json" <<'PY'
import json, sys
host = sys.argv[1]
para = "<p>" + "本市今日召开新闻发布会，介绍城市建设和民生工程的最新进展情况。" * 6 + "</p>"
def article(title):
    return ("<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>%s</title></head><body>"
            "<div class=\"article\"><h1>%s</h1><p class=\"date\">2024-05-01 10:00</p>%s</div>"
            "</body></html>" % (title, title, para * 4))
# The listing is ASCII, served as GBK: 中国 comes as character references.
links = ["ok.html", "../news/ok.html", "%2e%2e/news/ok.html", "%2e%2e/secret/1.html",
         "x/%2E%2e/private/2.html", "s.php?kw=&#20013;&#22269;"]
listing = ("<!DOCTYPE html><html><head><title>news</title></head><body><ul>%s</ul></body></html>"
           % "".join('<li><a href="%s">item %d</a></li>' % (l, i) for i, l in enumerate(links)))
def page(path, body, ctype="text/html; charset=utf-8"):
    return {"host": host, "path": path, "status": 200, "headers": {"Content-Type": ctype}, "body": body}
faults = [page("/robots.txt", "User-agent: *\nDisallow: /news/private/\n", "text/plain"),
          page("/news/index.html", listing, "text/html; charset=gbk"),
          page("/news/ok.html", article("ok")), page("/news/s.php", article("search")),
          page("/secret/1.html", article("secret")), page("/news/private/2.html", article("private"))]
print(json.dumps({"faults": faults}, ensure_ascii=False))
PY
start_server --faults "$T/faults.json"
need_store
sed -i "s|^\[newsarc\]\$|[newsarc]\nresolve = $H:$PORT:127.0.0.1|" "$T/sites.conf"
cat >>"$T/sites.conf" <<EOF

[site t-url]
listing = http://$H:$PORT/news/index.html
article = \\.(html|php)
path_prefix = /news/
max_pages = 1
delay = 0
EOF
set +e
"$NA_BIN" crawl -c "$T/sites.conf" --site t-url >"$T/out" 2>"$T/err"
rc=$?
set -e
cat "$T/out"
[ $rc -lt 2 ] || { cat "$T/err" >&2; fail "crawl exited $rc"; }
"$PY" - "$T/log.jsonl" "$T/archive" "$H" "$PORT" <<'PY'
import collections, glob, gzip, json, sys
logf, archive, host, port = sys.argv[1:5]
got = collections.Counter(r["path"] for r in map(json.loads, open(logf)) if r["host"] == host)
bad = []
for p in ("/secret/1.html", "/news/private/2.html"):
    if got[p]:
        bad.append("%s fetched %d times (out of path_prefix or disallowed)" % (p, got[p]))
if got["/news/ok.html"] != 1:
    bad.append("/news/ok.html fetched %d times, expected once" % got["/news/ok.html"])
if got["/news/s.php?kw=%D6%D0%B9%FA"] != 1:
    bad.append("no GBK query: %s" % [p for p in got if p.startswith("/news/s.php")])
# Each request record: WARC-Target-URI against the request line newsarc sent.
reqs = 0
for f in sorted(glob.glob(archive + "/**/*.warc.gz", recursive=True)):
    data = gzip.open(f).read()
    i = 0
    while i < len(data):
        end = data.index(b"\r\n\r\n", i)
        head = dict(l.split(": ", 1) for l in data[i:end].decode("utf-8").split("\r\n")[1:])
        n = int(head["Content-Length"])
        block = data[end + 4:end + 4 + n]
        i = end + 4 + n + 4
        if head.get("WARC-Type") != "request":
            continue
        reqs += 1
        uri = head["WARC-Target-URI"]
        target = block.split(b"\r\n", 1)[0].decode().split(" ")[1]
        if uri != "http://%s:%s%s" % (host, port, target):
            bad.append("WARC-Target-URI %s, request line %s" % (uri, target))
if reqs != sum(got.values()):
    bad.append("%d request records for %d requests" % (reqs, sum(got.values())))
print("\n".join(bad) if bad else "ok: %d requests %s" % (reqs, sorted(got)))
sys.exit(1 if bad else 0)
PY
