#!/usr/bin/env bash
# reextract_rules.sh — `newsarc reextract` applies each site's sites.conf
# settings to the captures recorded for that site: an xpath_drop rule removes
# a block the generic extractor keeps, a charset override repairs a GBK page
# its server labels big5; a site the file lacks gets the generic rules (with
# a note); -c FILE and ./sites.conf (the default) are both read; a bad or
# missing config is a usage error. Pages come from a small 127.0.0.1 server
# this script starts, archived with tests/tools/mkarchive (fetch mode).
set -u
: "${NA_SRCDIR:?}" "${NA_BIN:?}" "${NA_BUILD:?}"
PY=/usr/bin/python3
[ -x "$PY" ] || PY=$(command -v python3) || { echo "reextract_rules: no python3: skipped"; exit 77; }
. "$NA_SRCDIR/tests/tools/mkarchive.sh"
build_mkarchive || exit 1
T=$(mktemp -d "${TMPDIR:-/tmp}/na-rerules-XXXXXX")
SERVER=""
cleanup() {
  if [ -n "$SERVER" ]; then
    kill "$SERVER" 2>/dev/null
    wait "$SERVER" 2>/dev/null
  fi
  if [ -n "${KEEP:-}" ]; then echo "kept $T" >&2; else rm -rf "$T"; fi
}
trap cleanup EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
na() { "$NA_BIN" "$@"; }
A=$T/arch

# ---- three pages, served on an ephemeral port ----
"$PY" - "$T/port" >"$T/server.log" 2>&1 <<'EOF' &
import sys, time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
P1 = "9月19日上午，经济技术开发区三季度重点项目集中签约仪式举行，现场签约项目12个，总投资86.5亿元，涵盖新能源、生物医药、高端装备等领域。"
P2 = "开发区坚持“项目为王”，建立重点项目台账，对每个项目明确责任领导、责任单位和时间节点，确保签约项目早落地、早投产、早见效。"
P3 = "据介绍，今年以来开发区累计引进亿元以上项目41个，其中外资项目9个，实际利用外资同比增长23.5%，为全年目标任务打下坚实基础。"
# Ordinary prose in its own block: the generic extractor keeps it; the
# site's xpath_drop removes it.
EXTRA = "本期专题回顾：二季度以来开发区先后举办三场产业对接活动，DROPME 累计洽谈企业六十余家，部分项目已进入土地供应阶段。"
def page(title, extra="", meta='<meta charset="utf-8">'):
    return ("<!DOCTYPE html><html><head>%s<title>%s - 示例资讯网</title></head><body>"
            "<div class=\"header\"><a href=\"/\">首页</a> | <a href=\"/news/\">资讯</a></div>"
            "<div class=\"main\"><h1>%s</h1><div class=\"info\">2024-09-20 来源：示例资讯网</div>"
            "<div class=\"content\"><p>%s</p><p>%s</p>%s<p>%s</p></div></div>"
            "<div class=\"footer\">版权所有 示例资讯网</div></body></html>") % (meta, title, title, P1, P2, extra, P3)
PAGES = {
    "/news/1.html": ("text/html; charset=utf-8",
                     page("开发区三季度重点项目集中签约", '<div class="zt-links"><p>%s</p></div>' % EXTRA).encode()),
    # GBK bytes behind a wrong HTTP label and no <meta>: read as big5 they are mojibake.
    "/gbk/1.html": ("text/html; charset=big5", page("园区厂房土地推介", meta="").encode("gbk")),
    "/misc/1.html": ("text/html; charset=utf-8",
                     page("未配置站点的文章", '<div class="zt-links"><p>%s</p></div>' % EXTRA).encode()),
}
class H(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    def log_message(self, *a):
        pass
    def do_GET(self):
        ct, body = PAGES.get(self.path, ("text/plain", b"not found"))
        self.send_response(200 if self.path in PAGES else 404)
        self.send_header("Content-Type", ct)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)
srv = ThreadingHTTPServer(("127.0.0.1", 0), H)
srv.timeout = 0.5
open(sys.argv[1] + ".tmp", "w").write(str(srv.server_address[1]))
import os
os.rename(sys.argv[1] + ".tmp", sys.argv[1])
end = time.time() + 120
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
BASE=http://127.0.0.1:$(cat "$T/port")
U1=$BASE/news/1.html U2=$BASE/gbk/1.html U3=$BASE/misc/1.html
"$MKARCHIVE" "$A" fetch --site news "$U1" >/dev/null || fail "mkarchive fetch $U1"
"$MKARCHIVE" "$A" fetch --site gbk "$U2" >/dev/null || fail "mkarchive fetch $U2"
"$MKARCHIVE" "$A" fetch --site misc "$U3" >/dev/null || fail "mkarchive fetch $U3"
kill "$SERVER" 2>/dev/null; wait "$SERVER" 2>/dev/null; SERVER=""

# text URL: the newest extraction's text.
text() { na get -a "$A" "$1" 2>&1; }
GBK_OK="园区厂房土地推介"
text "$U1" | grep -q DROPME || fail "the generic extractor should keep the block (else the rule proves nothing): $(text "$U1")"
text "$U2" | grep -q '经济技术开发区' && fail "the GBK page labelled big5 should be mojibake before the override"

# The configurations: one per folder (./sites.conf is the default).
mkdir -p "$T/none" "$T/cwd" "$T/other"
cat >"$T/cwd/sites.conf" <<EOF
[newsarc]
archive = $A
user_agent = newsarc-test (ops@example.org)

[site news]
listing = $BASE/news/
article = ^$BASE/news/[0-9]+\\.html\$
xpath_drop = //div[@class='zt-links']

[site gbk]
listing = $BASE/gbk/
article = ^$BASE/gbk/[0-9]+\\.html\$
charset = gbk
EOF
na check-config -c "$T/cwd/sites.conf" >/dev/null 2>"$T/cc" || fail "check-config: $(cat "$T/cc")"
# The same sites without the rules.
sed '/^xpath_drop\|^charset/d' "$T/cwd/sites.conf" >"$T/other/plain.conf"

# No configuration anywhere: generic rules, nothing changes.
(cd "$T/none" && na reextract -a "$A") 2>"$T/r0" || fail "reextract without a config: $(cat "$T/r0")"
grep -q '3 URLs, 0 new extractions, 3 unchanged' "$T/r0" || fail "reextract without a config: $(cat "$T/r0")"

# ./sites.conf, and the archive taken from its archive = line (no -a).
(cd "$T/cwd" && NEWSARC_ARCHIVE= na reextract) 2>"$T/r1" || fail "reextract with ./sites.conf: $(cat "$T/r1")"
grep -q '3 URLs, 2 new extractions, 1 unchanged' "$T/r1" || fail "reextract with ./sites.conf: $(cat "$T/r1")"
grep -q "note: site 'misc' is not in 'sites.conf'" "$T/r1" || fail "no note for the unconfigured site: $(cat "$T/r1")"
[ "$(grep -c "note: site 'misc'" "$T/r1")" = 1 ] || fail "the note should come once: $(cat "$T/r1")"
text "$U1" >"$T/t1"
grep -q DROPME "$T/t1" && fail "xpath_drop did not remove the block on reextract: $(cat "$T/t1")"
grep -q '^9月19日上午' "$T/t1" && grep -q '^据介绍' "$T/t1" || fail "the other paragraphs went too: $(cat "$T/t1")"
text "$U2" >"$T/t2"
grep -q '^9月19日上午，经济技术开发区' "$T/t2" || fail "the charset override was not applied: $(cat "$T/t2")"
na get -a "$A" --json "$U2" | "$PY" -c '
import json, sys
j = json.load(sys.stdin)
a = j.get("article", j)
t = a.get("title", "")
assert t.startswith(sys.argv[1]), t' "$GBK_OK" || fail "the GBK title after the override: $(na get -a "$A" --json "$U2" | head -c 600)"
text "$U3" | grep -q DROPME || fail "the unconfigured site got another site's rule"

# Again: nothing changed, nothing appended.
(cd "$T/cwd" && na reextract -a "$A") 2>"$T/r2" || fail "reextract again"
grep -q '3 URLs, 0 new extractions, 3 unchanged' "$T/r2" || fail "second reextract: $(cat "$T/r2")"

# -c FILE beats ./sites.conf: without the rules the block comes back; --site
# limits the work to one site.
(cd "$T/cwd" && na reextract -a "$A" -c "$T/other/plain.conf" --site news) 2>"$T/r3" || fail "reextract -c: $(cat "$T/r3")"
grep -q '1 URLs, 1 new extractions' "$T/r3" || fail "reextract -c --site news: $(cat "$T/r3")"
text "$U1" | grep -q DROPME || fail "-c plain.conf should bring the block back"
text "$U2" | grep -q '^9月19日上午，经济技术开发区' || fail "--site news touched the gbk site"

# Configuration errors are usage errors (exit 2), and the archive is left alone.
na reextract -a "$A" -c "$T/missing.conf" >/dev/null 2>"$T/e1"; [ $? = 2 ] || fail "a missing -c file should exit 2"
printf '[site x]\nbogus_key = 1\n' >"$T/bad.conf"
na reextract -a "$A" -c "$T/bad.conf" >/dev/null 2>"$T/e2"; [ $? = 2 ] || fail "a bad config should exit 2"
grep -q 'bad.conf:2' "$T/e2" || fail "the config error should name file:line: $(cat "$T/e2")"
na verify -a "$A" >"$T/v" 2>&1 || fail "verify after reextract: $(cat "$T/v")"
echo "reextract_rules: ok (xpath_drop and charset override applied per recorded site)"
