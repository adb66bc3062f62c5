#!/bin/bash
# serve.sh — newsarc serve checked with curl over a short fixture crawl: the
# pages and the JSON API hold what ls and get say; titles, texts and authors
# with <script>, quotes and invalid UTF-8 come out escaped and as valid
# UTF-8 (no <script> anywhere); an article page lists its near-duplicate
# copies; search speaks newsarc search's language (phrase, NOT, title:, OR)
# with marked, escaped snippets, and a bad query is a 400 that says why; unknown routes and traversal attempts are
# 404 and never read a file; no method but GET/HEAD, no request body; an
# oversized head is refused; a slow client is cut after --timeout while
# others are served; a non-loopback --listen is warned about.
. "$(dirname "$0")/serve_common.bash"
start_serve --timeout 2
# get PATH: the body in $T/body, the status in $STATUS
get() { STATUS=$(curl -s --path-as-is -o "$T/body" -w '%{http_code}' "$BASE$1") || STATUS=000; }
utf8_ok() { "$PY" -c "import sys; open(sys.argv[1],'rb').read().decode('utf-8')" "$T/body" || fail "$1: not valid UTF-8"; }
no_script() { ! grep -qi '<script' "$T/body" || fail "$1: a raw <script> in the page"; }

# 1. the sites page: t-gbk with its chart
get /
[ "$STATUS" = 200 ] || fail "/: HTTP $STATUS"
grep -q '>t-gbk</a>' "$T/body" || fail "/: no t-gbk"
grep -q '<svg class="chart"' "$T/body" || fail "/: no chart"
n=$("$NA_BIN" ls -c "$C" --site t-gbk | wc -l)
grep -q ">$n articles" "$T/body" || fail "/: not the $n articles ls lists: $(grep -o '[0-9]* articles' "$T/body")"

# 2. the list, filtered: every article of ls (up to a page), none for a future date
get "/articles?site=t-gbk"
[ "$STATUS" = 200 ] || fail "/articles: HTTP $STATUS"
want=$((n < 50 ? n : 50))
[ "$(grep -c '^<li><a href="/article?url=' "$T/body")" = "$want" ] || fail "/articles: not $want items"
no_script /articles; utf8_ok /articles
get "/articles?site=t-gbk&since=2999-01-01"
[ "$(grep -c '^<li>' "$T/body")" = 0 ] || fail "/articles since 2999: items listed"
get "/articles?since=yesterday"
[ "$STATUS" = 400 ] || fail "a bad date: HTTP $STATUS, not 400"

# 3. the <script> article: escaped, valid UTF-8, U+FFFD for the bad bytes
get "/article?url=$(urlq "$EVIL_URL")"
[ "$STATUS" = 200 ] || fail "/article: HTTP $STATUS"
no_script /article; utf8_ok /article
grep -q '<h1>&lt;script&gt;alert(&quot;t&quot;)&lt;/script&gt; &#39;恶意&#39; 标题</h1>' "$T/body" ||
    fail "/article: the title is not escaped as expected: $(grep -o '<h1>.*</h1>' "$T/body")"
grep -q '&lt;b&gt;�A��&lt;/b&gt;' "$T/body" || fail "/article: the invalid author: $(grep -o '<span class="author">[^/]*' "$T/body")"
grep -q '&lt;script&gt;alert(&#39;text&#39;)&lt;/script&gt; &quot;引号&quot;' "$T/body" || fail "/article: text"
grep -q "href=\"$EVIL_URL\"" "$T/body" || fail "/article: no link to the original"
get "/article?url=http://nowhere.test/x"
[ "$STATUS" = 404 ] || fail "an unknown article: HTTP $STATUS"

# 3b. its near-duplicate copy listed with site, date and links, and back
get "/article?url=$(urlq "$EVIL_URL")"
"$PY" - "$T/body" "$COPY_URL" "$(urlq "$COPY_URL")" <<'PY' || fail "/article: the duplicates cluster"
import re, sys
page, url, q = open(sys.argv[1], encoding="utf-8").read(), sys.argv[2], sys.argv[3]
m = re.search(r'<section class="dups">(.*?)</section>', page, re.S)
assert m, "no duplicates section"
items = re.findall(r"<li>.*?</li>", m.group(1), re.S)
assert len(items) == 1, items
li = items[0]
assert '<a href="/article?url=%s">转载 &lt;script&gt;alert(&quot;t&quot;)&lt;/script&gt;' % q in li, li
assert '<span class="site">t-gbk</span> · 2024-03-06' in li, li
assert '<a class="copy-orig" rel="noreferrer noopener" href="%s">original</a>' % url in li, li
PY
get "/article?url=$(urlq "$COPY_URL")"
grep -A3 '<section class="dups">' "$T/body" | grep -q "href=\"/article?url=$(urlq "$EVIL_URL")\">&lt;script&gt;" ||
    fail "/article of the copy: the first article is not listed"
no_script "/article of the copy"
# the API: each lists the other, the cluster's first (earliest archived) marked
get "/api/article?url=$(urlq "$EVIL_URL")"
cp "$T/body" "$T/evil.json"
get "/api/article?url=$(urlq "$COPY_URL")"
"$PY" - "$T/evil.json" "$T/body" "$EVIL_URL" "$COPY_URL" <<'PY' || fail "/api/article: duplicates"
import json, sys
e, c = (json.load(open(f))["duplicates"] for f in sys.argv[1:3])
assert [(x["url"], x["site"]) for x in e] == [(sys.argv[4], "t-gbk")], e
assert [(x["url"], x["site"]) for x in c] == [(sys.argv[3], "t-gbk")], c
assert e[0]["first"] != c[0]["first"], (e, c)
PY

# 4. the JSON API: the same article, strings valid UTF-8
get "/api/article?url=$(urlq "$EVIL_URL")"
"$PY" - "$T/body" "$EVIL_URL" <<'PY' || fail "/api/article"
import json, sys
o = json.loads(open(sys.argv[1], "rb").read().decode("utf-8"))
assert o["url"] == sys.argv[2], o["url"]
assert o["title"].startswith('<script>alert("t")</script>'), o["title"]
assert o["author"] == "<b>\ufffdA\ufffd\ufffd</b>", ascii(o["author"])
assert "紫藤湖畔数据港" in o["text"], o["text"][:80]
PY
get "/api/articles?site=t-gbk"
"$PY" -c "import json,sys; o=json.load(open(sys.argv[1])); assert len(o['articles'])==int(sys.argv[2]), len(o['articles'])" \
    "$T/body" "$want" || fail "/api/articles: not $want articles"
get /api/sites
"$PY" -c "import json,sys; o=json.load(open(sys.argv[1])); s=[x for x in o['sites'] if x['site']=='t-gbk'][0]; \
assert len(s['new_per_day'])==60 and s['new_per_day'][-1]==int(sys.argv[2]), s" "$T/body" "$n" ||
    fail "/api/sites: not $n new articles today"

# 5. search: a phrase only in the text finds the article, highlighted
get "/search?q=$(urlq 紫藤湖畔)"
grep -q "<mark>紫藤湖畔</mark>" "$T/body" || fail "search: no highlight"
[ "$(grep -c '^<li>' "$T/body")" = 1 ] || fail "search: not one result"
get "/search?q=$(urlq '<script>')"
grep -q '<mark>&lt;script&gt;</mark>' "$T/body" || fail "search <script>: not escaped in the highlight"
no_script "search <script>"
# the full-text query language (store/search.h), as newsarc search: a
# phrase, NOT, title:, OR; each answer is the set of URLs listed
hits() { # hits QUERY WANT-URLS...
    local q=$1
    shift
    get "/search?q=$(urlq "$q")"
    [ "$STATUS" = 200 ] || fail "search '$q': HTTP $STATUS"
    got=$(grep -o '^<li><a href="/article?url=[^"]*' "$T/body" | sed 's#.*url=##' | sort | tr '\n' ' ')
    want=$(for u in "$@"; do urlq "$u"; done | sort | tr '\n' ' ')
    [ "$got" = "$want" ] || fail "search '$q': got '$got', want '$want'"
    no_script "search '$q'"
}
hits '"紫藤湖畔数据港"' "$EVIL_URL"
hits '智能制造项目 NOT 紫藤湖畔' "$COPY_URL"
hits '智能制造项目 -紫藤湖畔数据港' "$COPY_URL"
hits 'title:转载 智能制造项目' "$COPY_URL"
hits 'title:智能制造项目'
hits '紫藤湖畔 OR 编者按' "$COPY_URL" "$EVIL_URL"
# the snippet: text around the match, escaped, the match in <mark>
get "/search?q=$(urlq "alert('text')")"
grep -q "&lt;script&gt;<mark>alert(&#39;text&#39;)</mark>&lt;/script&gt; &quot;" "$T/body" ||
    fail "search: the snippet is not escaped and marked: $(grep -o '<div class="snippet">.*' "$T/body" | head -1)"
get "/api/search?q=$(urlq 紫藤湖畔)"
"$PY" -c "import json,sys; a=json.load(open(sys.argv[1]))['articles']; \
assert len(a) == 1 and '\x02紫藤湖畔\x03' in a[0]['snippet'] and a[0]['score'] > 0, a" "$T/body" ||
    fail "/api/search: no marked snippet"
# a query search rejects: 400 with the reason on the page (and in the API)
for q in '"unbalanced' 'NOT' '储能 OR 集中签约'; do
    get "/search?q=$(urlq "$q")"
    [ "$STATUS" = 400 ] && grep -q '<p class="alert">查询有误 · bad query: [^<]' "$T/body" ||
        fail "search '$q': HTTP $STATUS, $(grep -o '<p class="alert">[^<]*' "$T/body")"
done
get "/api/articles?q=$(urlq '"unbalanced')"
"$PY" -c "import json,sys; o=json.load(open(sys.argv[1])); assert 'quote' in o['error'] and o['articles'] == [], o" \
    "$T/body" && [ "$STATUS" = 400 ] || fail "/api/articles with a bad query: HTTP $STATUS"

# 6. the raw capture: one gzip member, a WARC response record of the URL
curl -s -o "$T/one.warc.gz" -D "$T/head" "$BASE/warc?url=$(urlq "$EVIL_URL")"
grep -qi '^content-disposition: attachment; filename="capture-[0-9]*.warc.gz"' "$T/head" || fail "warc: disposition"
"$PY" - "$T/one.warc.gz" "$EVIL_URL" <<'PY' || fail "/warc: not a one-record WARC of the URL"
import gzip, sys, zlib
raw = open(sys.argv[1], "rb").read()
d = zlib.decompressobj(31)
rec = d.decompress(raw)
assert d.eof and not d.unused_data, "not exactly one gzip member"
assert rec.startswith(b"WARC/1.1\r\n"), rec[:20]
assert b"WARC-Type: response\r\n" in rec and ("WARC-Target-URI: %s\r\n" % sys.argv[2]).encode() in rec
PY

# 7. routes are a table: unknown paths and traversal are 404, nothing read
for p in /nope /../../etc/passwd /%2e%2e/%2e%2e/etc/passwd /style.css/../../../etc/passwd \
         '/article/..%2f..%2fetc%2fpasswd' '/warc?url=../../etc/passwd' '/warc?url=/etc/passwd'; do
    get "$p"
    case $STATUS in 404 | 400) ;; *) fail "$p: HTTP $STATUS" ;; esac
    ! grep -q 'root:' "$T/body" || fail "$p: a file was served"
done
code=$(curl -s -o /dev/null -w '%{http_code}' -X POST --data x=1 "$BASE/articles")
[ "$code" = 405 ] || fail "POST: HTTP $code, not 405"
code=$(curl -s -o /dev/null -w '%{http_code}' -X DELETE "$BASE/article")
[ "$code" = 405 ] || fail "DELETE: HTTP $code, not 405"
code=$(curl -s -o /dev/null -w '%{http_code}' -X GET --data-binary @"$C" "$BASE/")
[ "$code" = 413 ] || fail "GET with a body: HTTP $code, not 413"

# 8. an oversized head (64 KiB) is refused, a long argument too
big=$(head -c 65536 /dev/zero | tr '\0' a)
code=$(curl -s -o /dev/null -w '%{http_code}' -H "X-Big: $big" "$BASE/") || true
case $code in 431 | 413 | 414 | 000) ;; *) fail "a 64 KiB head: HTTP $code" ;; esac
code=$(curl -s -o /dev/null -w '%{http_code}' "$BASE/articles?q=$(head -c 2000 /dev/zero | tr '\0' a)")
[ "$code" = 400 ] || fail "a 2000-byte query: HTTP $code, not 400"

# 9. a slow client (half a head, then nothing) is cut after the timeout,
# and others are served meanwhile
"$PY" - "${BASE#http://}" >"$T/slow" <<'PY' &
import socket, sys, time
host, port = sys.argv[1].split(":")
s = socket.create_connection((host, int(port)))
s.sendall(b"GET / HTTP/1.1\r\nHost: x\r\n")
s.settimeout(8)
t = time.time()
try:
    data = s.recv(100)
except socket.timeout:
    data = None
print("closed" if data == b"" else "open", round(time.time() - t, 1))
PY
slow=$!
sleep 0.3
get /style.css
[ "$STATUS" = 200 ] || fail "a request beside a slow client: HTTP $STATUS"
wait $slow
read -r state secs <"$T/slow"
[ "$state" = closed ] || fail "the slow client was not cut: $state after $secs s"
awk -v s="$secs" 'BEGIN { exit !(s >= 1 && s <= 5) }' || fail "the slow client was cut after $secs s, not ~2"

# 10. --listen: a bad value is usage; a non-loopback address is warned about
set +e
"$NA_BIN" serve -c "$C" --listen nohost >/dev/null 2>"$T/err"; rc=$?
[ "$rc" = 2 ] || fail "--listen nohost: exit $rc"
"$NA_BIN" serve -c "$C" --listen 192.0.2.1:0 >/dev/null 2>"$T/err"; rc=$?
set -e
grep -q "warning: listening on 192.0.2.1:0, not loopback" "$T/err" || fail "no warning: $(cat "$T/err")"
[ "$rc" = 1 ] || fail "listening on an address not of this host: exit $rc"
kill "$SERVE_PID"
wait "$SERVE_PID" || fail "serve did not stop cleanly on SIGTERM"
echo "serve: pages, API, escaping, routes and caps checked"
