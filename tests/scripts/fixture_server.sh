#!/usr/bin/env bash
# fixture_server.sh — self-test of the fixture sites and server
# (tests/server/sitegen.py, fixture_server.py, faults.json) with curl: Host
# routing, GBK, gzip, chunked, 304s, every fault kind, the request log, the
# truth files against the pages, determinism, SIGTERM and --max-seconds.
# Every wait is bounded; the server is killed on exit. Skips (77) without
# python3 or curl.
set -u
command -v python3 >/dev/null 2>&1 || { echo "skip: no python3"; exit 77; }
# The system python starts much faster than a pyenv shim.
PY=/usr/bin/python3
[ -x "$PY" ] || PY=$(command -v python3)
command -v curl >/dev/null 2>&1 || { echo "skip: no curl"; exit 77; }
SRC=${NA_SRCDIR:-$(cd "$(dirname "$0")/../.." && pwd)}
SRV=$SRC/tests/server
T=$(mktemp -d "${TMPDIR:-/tmp}/newsarc-fixture-XXXXXX")
PID=""
cleanup() {
  [ -n "$PID" ] && kill "$PID" 2>/dev/null
  [ -n "$PID" ] && wait "$PID" 2>/dev/null
  rm -rf "$T"
}
trap cleanup EXIT
fails=0
ok() { echo "ok   $*"; }
bad() { echo "FAIL $*"; fails=$((fails + 1)); }
check() { # check NAME COND-COMMAND...
  local name=$1; shift
  if "$@"; then ok "$name"; else bad "$name"; fi
}

# -- generation: deterministic
"$PY" "$SRV/sitegen.py" --preset test --out "$T/site" --quiet || { echo "FAIL sitegen"; exit 1; }
"$PY" "$SRV/sitegen.py" --preset test --out "$T/site2" --quiet || { echo "FAIL sitegen (2)"; exit 1; }
check "sitegen is deterministic" diff -rq "$T/site" "$T/site2"
rm -rf "$T/site2"

# -- server
"$PY" "$SRV/fixture_server.py" --root "$T/site" --port-file "$T/port" --log "$T/log.jsonl" \
  --max-seconds 170 --write-conf "$T/sites.conf" --archive "$T/archive" >"$T/out" 2>"$T/err" &
PID=$!
for _ in $(seq 100); do [ -s "$T/port" ] && break; sleep 0.1; done
[ -s "$T/port" ] || { echo "FAIL server did not start"; cat "$T/err"; exit 1; }
P=$(cat "$T/port")
check "first stdout line is PORT n" grep -qx "PORT $P" "$T/out"
R=()
for h in t-gbk t-wp t-gov faults norobots offscope; do R+=(--resolve "$h.newsarc.test:$P:127.0.0.1"); done
c() { curl -s -m 10 "${R[@]}" "$@"; }
G=http://t-gbk.newsarc.test:$P W=http://t-wp.newsarc.test:$P V=http://t-gov.newsarc.test:$P F=http://faults.newsarc.test:$P
check "sites.conf written with resolve lines and port" grep -q "resolve = t-gbk.newsarc.test:$P:127.0.0.1" "$T/sites.conf"
check "sites.conf listing has the port" grep -q "^listing = http://t-gov.newsarc.test:$P/zsyz/xmdt/list_{n}.html" "$T/sites.conf"

# -- sites, robots
check "robots.txt disallows /admin/" bash -c "curl -s -m 10 --resolve t-gbk.newsarc.test:$P:127.0.0.1 $G/robots.txt | grep -qx 'Disallow: /admin/'"
check "robots.txt 500 on norobots" test "$(c -o /dev/null -w '%{http_code}' http://norobots.newsarc.test:$P/robots.txt)" = 500
check "unknown host 404" test "$(curl -s -m 10 -o /dev/null -w '%{http_code}' -H 'Host: nowhere.test' http://127.0.0.1:$P/)" = 404
check "absolute request target (proxy form)" test "$(curl -s -m 10 -o /dev/null -w '%{http_code}' -x http://127.0.0.1:$P http://t-wp.newsarc.test/feed/)" = 200
A=$("$PY" -c 'import json,sys; t=json.load(open(sys.argv[1])); print(t["expected"][0])' "$T/site/t-gbk.newsarc.test.truth.json")
c -D "$T/h" -o "$T/b" "$G$A"
check "GBK host: Content-Type charset=gbk" grep -qi '^content-type: text/html; charset=gbk' "$T/h"
check "GBK host: <meta charset=gbk>" grep -q '<meta charset="gbk"' "$T/b"
check "GBK host: body is GBK (当前位置)" bash -c "iconv -f gbk -t utf-8 '$T/b' | grep -q '当前位置：'"
check "GBK host: chunked (PHP-like)" grep -qi '^transfer-encoding: chunked' "$T/h"
check "gov host: no charset in Content-Type" test "$(c -o /dev/null -w '%{content_type}' "$V/zsyz/xmdt/list_1.html")" = text/html
check "@ORIGIN@ replaced" bash -c "! grep -q @ORIGIN@ '$T/b' && grep -q 'http://t-gbk.newsarc.test:$P/' '$T/b'"

# -- gzip
c -o "$T/plain" "$W/"
c --compressed -D "$T/hz" -o "$T/unz" "$W/"
check "gzip when asked" grep -qi '^content-encoding: gzip' "$T/hz"
check "gzip decodes to the same page" cmp -s "$T/plain" "$T/unz"
check "no gzip when not asked" bash -c "! curl -s -m 10 --resolve t-wp.newsarc.test:$P:127.0.0.1 -D - -o /dev/null $W/ | grep -qi content-encoding"

# -- validators and 304
E=$(c -D - -o /dev/null "$W/" | tr -d '\r' | sed -n 's/^[Ee][Tt][Aa][Gg]: //p')
check "wordpress: ETag" test -n "$E"
check "wordpress: If-None-Match -> 304" test "$(c -o /dev/null -w '%{http_code}' -H "If-None-Match: $E" "$W/")" = 304
check "wordpress: other ETag -> 200" test "$(c -o /dev/null -w '%{http_code}' -H 'If-None-Match: "x"' "$W/")" = 200
LM=$(c -D - -o /dev/null "$V/zsyz/xmdt/list_1.html" | tr -d '\r' | sed -n 's/^[Ll]ast-[Mm]odified: //p')
check "gov: Last-Modified" test -n "$LM"
check "gov: If-Modified-Since -> 304" test "$(c -o /dev/null -w '%{http_code}' -H "If-Modified-Since: $LM" "$V/zsyz/xmdt/list_1.html")" = 304
check "gov: old If-Modified-Since -> 200" test "$(c -o /dev/null -w '%{http_code}' -H 'If-Modified-Since: Mon, 01 Jan 2001 00:00:00 GMT' "$V/zsyz/xmdt/list_1.html")" = 200
check "zblog: no validators" bash -c "! curl -s -m 10 --resolve t-gbk.newsarc.test:$P:127.0.0.1 -D - -o /dev/null $G/category-1.html | grep -qiE '^(etag|last-modified):'"
check "keep-alive: two requests, one connection" bash -c "curl -sv -m 10 --resolve t-wp.newsarc.test:$P:127.0.0.1 -o /dev/null -o /dev/null $W/ $W/feed/ 2>&1 | grep -qi 're-using existing connection'"

# -- faults
code() { c -o /dev/null -w '%{http_code}' "$@"; }
check "500" test "$(code "$F/post/e500.html")" = 500
check "503 with Retry-After" bash -c "curl -s -m 10 --resolve faults.newsarc.test:$P:127.0.0.1 -D - -o /dev/null $F/post/e503.html | grep -qi '^retry-after: 1'"
check "503 twice, then the article" test "$(code "$F/post/retry-503.html") $(code "$F/post/retry-503.html") $(code "$F/post/retry-503.html")" = "503 503 200"
check "429 with Retry-After: 2, then the article" test "$(c -D - -o /dev/null "$F/post/retry-429.html" | tr -d '\r' | grep -ci '^retry-after: 2') $(code "$F/post/retry-429.html")" = "1 200"
c -o /dev/null "$F/__fixture/reset"
check "counters reset" test "$(code "$F/post/retry-429.html")" = 429
check "404" test "$(code "$F/post/gone.html")" = 404
c -o /dev/null "$F/post/reset.html"; rc=$?
check "connection reset mid-body (curl 56)" test $rc = 56
c -o /dev/null "$F/post/truncated.html"; rc=$?
check "truncated body (curl 18)" test $rc = 18
curl -s -m 2 "${R[@]}" -o /dev/null "$F/post/slow.html"; rc=$?
check "slow response times out (curl 28)" test $rc = 28
curl -s -m 3 "${R[@]}" -o "$T/tr" "$F/post/trickle.html"; rc=$?
check "trickle times out with a few bytes (curl 28)" test $rc = 28 -a "$(stat -c %s "$T/tr")" -lt 200
c -L --max-redirs 5 -o /dev/null "$F/post/loop-a.html"; rc=$?
check "redirect loop (curl 47)" test $rc = 47
check "redirect chain of 8 ends at the target" test "$(c -L --max-redirs 10 -o /dev/null -w '%{num_redirects} %{http_code}' "$F/post/chain-1.html")" = "8 200"
check "off-scope redirect" test "$(c -o /dev/null -w '%{redirect_url}' "$F/post/offscope.html")" = "http://offscope.newsarc.test:$P/post/1.html"
check "301 to the moved article" test "$(c -o /dev/null -w '%{http_code} %{redirect_url}' "$F/post/moved.html")" = "301 $F/post/moved-target.html"
check "50 MB body (Content-Length)" test "$(c -m 60 -o /dev/null -w '%{size_download}' "$F/post/big.html")" = 52428800
check "50 MB body (chunked)" test "$(c -m 60 -D "$T/hb" -o /dev/null -w '%{size_download}' "$F/post/big-chunked.html")" = 52428800
check "50 MB chunked has no Content-Length" bash -c "! grep -qi content-length '$T/hb'"
BL=$(c -D - -o /dev/null "$F/post/bomb.html" | tr -d '\r' | sed -n 's/^[Cc]ontent-[Ll]ength: //p')
check "gzip bomb: < 5 MB on the wire ($BL)" test -n "$BL" -a "${BL:-0}" -lt 5000000
n=$(c --compressed "$F/post/bomb.html" 2>/dev/null | head -c 20000000 | wc -c)
check "gzip bomb inflates past 20 MB" test "$n" = 20000000
n=$(c "$F/sitemap-bomb.xml.gz" 2>/dev/null | gzip -dc 2>/dev/null | head -c 5000000 | wc -c)
check "gzip bomb as a .xml.gz body" test "$n" = 5000000
check "binary content type on an article URL" test "$(c -o "$T/png" -w '%{content_type}' "$F/post/image.html")" = image/png
check "the png is a png" bash -c "head -c 4 '$T/png' | od -An -c | grep -q P"
check "infinite pagination links page N+1" bash -c "curl -s -m 10 --resolve faults.newsarc.test:$P:127.0.0.1 $F/inf/list_9999.html | grep -q '/inf/list_10000.html'"
check "infinite pagination articles exist" test "$(code "$F/inf/a/9999-5.html")" = 200
check "fault links on the faults listing page" bash -c "curl -s -m 10 --resolve faults.newsarc.test:$P:127.0.0.1 $F/category-1.html | grep -q '/post/bomb.html'"

# -- the truth files agree with the pages
SRV=$SRV "$PY" - "$T/site" "$P" <<'EOF' && ok "truth: every expected article serves its title and paragraphs" || bad "truth vs pages"
import html, http.client, json, os, sys
root, port = sys.argv[1], int(sys.argv[2])
man = json.load(open(os.path.join(root, "manifest.json")))
faulty = {f.get("path") for f in json.load(open(os.path.join(os.environ["SRV"], "faults.json")))["faults"]}
bad = 0
for host, e in man["hosts"].items():
    t = json.load(open(os.path.join(root, host + ".truth.json"), encoding="utf-8"))
    for path in t["expected"]:
        if path not in t["articles"] or path in faulty:
            continue        # fault paths: checked by status above
        a = t["articles"][path]
        cn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        cn.request("GET", path, headers={"Host": "%s:%d" % (host, port)})
        r = cn.getresponse()
        page = html.unescape(r.read().decode(e["charset"]))
        cn.close()
        miss = [p for p in [a["title"]] + a["paragraphs"] if p not in page]
        if r.status != 200 or miss:
            print("  %s%s: status %d, %d missing" % (host, path, r.status, len(miss)))
            bad += 1
    for path in t["not_expected"]:
        if path.startswith("/post/") and host.startswith("t-gbk"):
            pass
sys.exit(1 if bad else 0)
EOF
check "robots-disallowed article is in robots.txt" bash -c "$PY -c 'import json,sys; t=json.load(open(sys.argv[1])); print(list(t[\"not_expected\"])[0])' '$T/site/t-wp.newsarc.test.truth.json' | xargs -I{} grep -q 'Disallow: {}' '$T/site/t-wp.newsarc.test/robots.txt'"

# -- the request log
check "log: one JSON line per request" "$PY" -c "
import json,sys
recs=[json.loads(l) for l in open(sys.argv[1])]
assert len(recs) > 40, len(recs)
need={'t','method','host','path','status','if_none_match','if_modified_since','accept_encoding','user_agent'}
assert all(need <= set(r) for r in recs)
assert sum(1 for r in recs if r['path']=='/post/retry-503.html')==3
assert any(r['if_none_match'] for r in recs) and any(r['if_modified_since'] for r in recs)
assert any(r['accept_encoding'] and 'gzip' in r['accept_encoding'] for r in recs)
" "$T/log.jsonl"

# -- SIGTERM and --max-seconds
kill -TERM "$PID"
for _ in $(seq 50); do kill -0 "$PID" 2>/dev/null || break; sleep 0.1; done
if kill -0 "$PID" 2>/dev/null; then bad "exits on SIGTERM"; else ok "exits on SIGTERM"; fi
wait "$PID" 2>/dev/null; PID=""
rm -f "$T/port"
"$PY" "$SRV/fixture_server.py" --root "$T/site" --port-file "$T/port" --max-seconds 1 >/dev/null 2>&1 &
PID=$!
for _ in $(seq 60); do kill -0 "$PID" 2>/dev/null || break; sleep 0.1; done
if kill -0 "$PID" 2>/dev/null; then bad "exits after --max-seconds"; else ok "exits after --max-seconds"; fi
wait "$PID" 2>/dev/null; PID=""

echo "fixture_server: $fails failed"
[ "$fails" = 0 ]
