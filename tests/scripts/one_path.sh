#!/usr/bin/env bash
# one_path.sh — one path from an HTTP response to an article: for every
# article of a small site (served on 127.0.0.1 by this script), the text and
# every field (all but times) are the same byte for byte whether they come
# from the crawl that archived the page (`newsarc get --json`), from
# `newsarc try URL --json` against the same server, or from `newsarc
# reextract --force` of the archived response (then get again). The pages
# are the cases where the copies of the decoding and charset logic used to
# disagree: GBK behind a wrong or absent HTTP charset, a site `charset =`
# override and an xpath_drop rule, gzip (whole and chunked), zlib data
# labelled gzip, `Content-Encoding: none`, a quoted charset label.
set -eu
: "${NA_SRCDIR:?}" "${NA_BIN:?}"
PY=/usr/bin/python3
[ -x "$PY" ] || PY=$(command -v python3) || { echo "one_path: no python3: skipped"; exit 77; }
T=$(mktemp -d "${TMPDIR:-/tmp}/na-onepath-XXXXXX")
SERVER=
cleanup() {
    if [ -n "$SERVER" ]; then
        kill "$SERVER" 2>/dev/null || true
        wait "$SERVER" 2>/dev/null || true
    fi
    if [ -n "${KEEP:-}" ]; then echo "kept $T" >&2; else rm -rf "$T"; fi
}
trap cleanup EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

# ---- the site: two hosts on one server (resolve), a listing each ----
"$PY" - "$T/port" >"$T/server.log" 2>&1 <<'EOF' &
import gzip, os, sys, time, zlib
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
P = ["9月19日上午，经济技术开发区三季度重点项目集中签约仪式举行，现场签约项目12个，总投资86.5亿元，涵盖新能源、生物医药、高端装备等领域。",
     "开发区坚持“项目为王”，建立重点项目台账，对每个项目明确责任领导、责任单位和时间节点，确保签约项目早落地、早投产、早见效。",
     "据介绍，今年以来开发区累计引进亿元以上项目41个，其中外资项目9个，实际利用外资同比增长23.5%，为全年目标任务打下坚实基础。"]
EXTRA = "本期专题回顾：二季度以来开发区先后举办三场产业对接活动，DROPME 累计洽谈企业六十余家，部分项目已进入土地供应阶段。"
def page(title, meta=""):
    return ("<!DOCTYPE html><html><head>%s<title>%s - 示例资讯网</title></head><body>"
            "<div class=\"header\"><a href=\"/\">首页</a> | <a href=\"/news/\">资讯</a></div>"
            "<div class=\"main\"><h1>%s</h1><div class=\"info\">2024-09-20 10:30 来源：示例资讯网 作者：李明</div>"
            "<div class=\"content\"><p>%s</p><p>%s</p><div class=\"zt-links\"><p>%s</p></div><p>%s</p></div></div>"
            "<div class=\"footer\">版权所有 示例资讯网</div></body></html>") % (meta, title, title, P[0], P[1], EXTRA, P[2])
def gz(b):
    return gzip.compress(b, mtime=0)
# path: (Content-Type, Content-Encoding or None, body, chunked)
A = {  # site "over": charset = gbk, xpath_drop; every page GBK
    "/post/1.html": ("text/html; charset=big5", None, page("园区厂房土地推介").encode("gbk"), False),
    "/post/2.html": ("text/html", None, page("开发区营商环境评价").encode("gbk"), False),
    "/post/3.html": ("text/html; charset=utf-8", "gzip", gz(page("新能源产业园开工").encode("gbk")), False),
    "/post/4.html": ("text/html", "none", page("生物医药项目签约").encode("gbk"), False),
    "/post/5.html": ("text/html", "gzip", zlib.compress(page("高端装备产业对接").encode("gbk")), False),
    "/post/6.html": ("text/html", "gzip", gz(page("外资项目增长").encode("gbk")), True),
}
B = {  # site "plain": no override, generic charset logic
    "/post/1.html": ("text/html", None, page("无标签的GBK页面").encode("gbk"), False),
    "/post/2.html": ("text/html; charset='gbk'", None, page("带引号的字符集").encode("gbk"), False),
    "/post/3.html": ("text/html; charset = gbk", "x-gzip", gz(page("空格字符集与压缩").encode("gbk")), False),
    "/post/4.html": ("text/html; charset=utf-8", "deflate", zlib.compress(page("UTF-8 页面").encode()), False),
}
def listing(pages):
    links = "".join('<li><a href="%s">%s</a></li>' % (p, p) for p in sorted(pages))
    return ("<html><head><meta charset=\"utf-8\"><title>资讯</title></head><body><ul>%s</ul></body></html>" % links).encode()
class H(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    def log_message(self, *a):
        pass
    def do_GET(self):
        host = (self.headers.get("Host") or "").split(":")[0]
        pages = A if host.startswith("a.") else B
        if self.path == "/list.html":
            hit = ("text/html; charset=utf-8", None, listing(pages), False)
        else:
            hit = pages.get(self.path)
        if not hit:
            self.send_response(404)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        ct, ce, body, chunked = hit
        self.send_response(200)
        self.send_header("Content-Type", ct)
        if ce:
            self.send_header("Content-Encoding", ce)
        if chunked:
            self.send_header("Transfer-Encoding", "chunked")
            self.end_headers()
            for i in range(0, len(body), 700):
                part = body[i:i + 700]
                self.wfile.write(b"%x\r\n%s\r\n" % (len(part), part))
            self.wfile.write(b"0\r\n\r\n")
        else:
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
srv = ThreadingHTTPServer(("127.0.0.1", 0), H)
srv.timeout = 0.5
open(sys.argv[1] + ".tmp", "w").write(str(srv.server_address[1]))
os.rename(sys.argv[1] + ".tmp", sys.argv[1])
end = time.time() + 60
while time.time() < end:
    srv.handle_request()
EOF
SERVER=$!
for _ in $(seq 100); do
    [ -s "$T/port" ] && break
    kill -0 "$SERVER" 2>/dev/null || break
    sleep 0.1
done
[ -s "$T/port" ] || fail "the page server did not start: $(cat "$T/server.log")"
PORT=$(cat "$T/port")
cat >"$T/sites.conf" <<EOF
[newsarc]
archive = $T/arch
user_agent = newsarc-test/0.1 (+mailto:tests@newsarc.test)
delay = 0
retries = 0
robots = no
resolve = a.onepath.test:$PORT:127.0.0.1
resolve = b.onepath.test:$PORT:127.0.0.1

[site over]
listing = http://a.onepath.test:$PORT/list.html
article = ^http://a\.onepath\.test:$PORT/post/[0-9]+\.html\$
charset = gbk
xpath_drop = //div[@class='zt-links']
max_pages = 1

[site plain]
listing = http://b.onepath.test:$PORT/list.html
article = ^http://b\.onepath\.test:$PORT/post/[0-9]+\.html\$
max_pages = 1
EOF
na() { "$NA_BIN" "$@"; }
URLS=""
for i in 1 2 3 4 5 6; do URLS="$URLS http://a.onepath.test:$PORT/post/$i.html"; done
for i in 1 2 3 4; do URLS="$URLS http://b.onepath.test:$PORT/post/$i.html"; done

# ---- 1: the crawl ----
set +e
na crawl -c "$T/sites.conf" -q >"$T/crawl.out" 2>"$T/crawl.err"
rc=$?
set -e
[ $rc -lt 2 ] || fail "crawl exited $rc: $(cat "$T/crawl.err")"

# The fields of an article as one canonical JSON line (times left out):
# from `get --json` (its "article") or `try --json` (top level).
fields() {
    "$PY" -c '
import json, sys
d = json.load(sys.stdin)
a = d.get("article", d) if isinstance(d.get("article"), dict) else d
keys = ("title", "published", "published_from", "author", "source", "category", "lang", "charset", "text")
print(json.dumps({k: a.get(k) for k in keys}, ensure_ascii=False, sort_keys=True))'
}
# Every case is checked, and every disagreement reported, before failing.
bad=0
miss() { echo "FAIL: $*" >&2; bad=1; }
n=0
for u in $URLS; do
    n=$((n + 1))
    na get -a "$T/arch" --json "$u" >"$T/get.$n" 2>"$T/get.$n.err" || true
    fields <"$T/get.$n" >"$T/crawl.$n" 2>/dev/null || echo '{}' >"$T/crawl.$n"
    if grep -q '"text": \(""\|null\)' "$T/crawl.$n" || ! grep -q '"text"' "$T/crawl.$n"; then
        miss "$u: the crawl archived no article text: $(grep -F "$u" "$T/crawl.err" | head -1)"
    fi
    # ---- 2: try against the same server ----
    na try -c "$T/sites.conf" --no-robots --json "$u" >"$T/tryj.$n" 2>"$T/try.$n.err" ||
        miss "try $u failed: $(cat "$T/try.$n.err")"
    fields <"$T/tryj.$n" >"$T/try.$n" 2>/dev/null || echo '{}' >"$T/try.$n"
done

# ---- 3: reextract the archived responses, then get again ----
na reextract -a "$T/arch" -c "$T/sites.conf" --force -q >"$T/re.out" 2>"$T/re.err" ||
    miss "reextract failed: $(cat "$T/re.err")"
n=0
for u in $URLS; do
    n=$((n + 1))
    na get -a "$T/arch" --json "$u" | fields >"$T/re.$n" 2>/dev/null || echo '{}' >"$T/re.$n"
    for other in try re; do
        if ! cmp -s "$T/crawl.$n" "$T/$other.$n"; then
            echo "FAIL: $u: the crawl and $other differ:" >&2
            diff <("$PY" -m json.tool --no-ensure-ascii "$T/crawl.$n") \
                 <("$PY" -m json.tool --no-ensure-ascii "$T/$other.$n") | cut -c1-160 | head -12 >&2 || true
            bad=1
        fi
    done
done
[ $bad = 0 ] || exit 1

# ---- and the answers are the right ones, not only the same ----
grep -q "园区厂房土地推介" "$T/crawl.1" || fail "GBK behind a wrong label (big5): the site's charset override not applied"
grep -q "DROPME" "$T/crawl.1" && fail "the site's xpath_drop rule not applied"
grep -q "新能源产业园开工" "$T/crawl.3" || fail "gzip page labelled utf-8 under a gbk override: title wrong"
grep -q "生物医药项目签约" "$T/crawl.4" || fail "Content-Encoding: none: title wrong"
grep -q "高端装备产业对接" "$T/crawl.5" || fail "zlib data labelled gzip: title wrong"
grep -q "外资项目增长" "$T/crawl.6" || fail "chunked gzip: title wrong"
grep -q "无标签的GBK页面" "$T/crawl.7" || fail "GBK without any label: not sniffed"
grep -q "DROPME" "$T/crawl.7" || fail "site plain has no xpath rule: its block should stay"
grep -q "带引号的字符集" "$T/crawl.8" || fail "charset='gbk': title wrong"
grep -q "空格字符集与压缩" "$T/crawl.9" || fail "charset = gbk, x-gzip: title wrong"
grep -q "UTF-8 页面" "$T/crawl.10" || fail "deflate (zlib): title wrong"
echo "one_path: $n articles identical through crawl, try and reextract"
