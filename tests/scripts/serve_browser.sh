#!/bin/bash
# serve_browser.sh — newsarc serve driven by Debian's Chromium, headless
# (--dump-dom, --screenshot) over a short fixture crawl: the sites page
# with its chart, the list filtered by site and date, an article's text
# (its <script> title is a text node in the browser's DOM, no script
# element anywhere) and its near-duplicate copy, search finds an article by
# a phrase of its text, the
# API's JSON as the browser shows it. Screenshots go to build/serve-*.png.
# Skipped (77) only when Chromium is not installed (mk/deps.sh test
# installs it).
set -u
CHROMIUM=$(command -v chromium || true)
[ -n "$CHROMIUM" ] || { echo "serve_browser: chromium is not installed (mk/deps.sh test): skipped"; exit 77; }
. "$(dirname "$0")/serve_common.bash"
start_serve
CHR=(timeout 20 "$CHROMIUM" --headless --no-sandbox --disable-gpu --no-first-run --hide-scrollbars
     --user-data-dir="$T/chromium" --window-size=1000,1300 --lang=zh-CN --disable-extensions
     --disable-background-networking --disable-component-update --disable-sync --no-default-browser-check)
# dom PATH [NAME]: the DOM Chromium built from BASE/PATH, in $T/dom; with
# NAME, the same launch also saves a screenshot as build/serve-NAME.png
dom() {
    local shot=()
    [ -n "${2:-}" ] && shot=(--screenshot="$NA_BUILD/serve-$2.png")
    "${CHR[@]}" "${shot[@]}" --dump-dom "$BASE$1" >"$T/dom" 2>"$T/chromium.err" ||
        fail "chromium on $1: $(tail -3 "$T/chromium.err")"
}
# check WHAT PY-EXPR: evaluates PY-EXPR over the DOM in $T/dom (d: the
# parsed tree as lists of (tag, attrs, text) by tag)
check() {
    "$PY" - "$T/dom" "$2" <<'PY' || fail "$1"
import html.parser, sys
class P(html.parser.HTMLParser):
    def __init__(s):
        super().__init__(); s.tags = {}; s.stack = []
    def handle_starttag(s, tag, attrs):
        e = [tag, dict(attrs), ""]
        s.tags.setdefault(tag, []).append(e)
        if tag not in ("meta", "link", "input", "br", "rect", "line"): s.stack.append(e)
    def handle_endtag(s, tag):
        while s.stack and s.stack.pop()[0] != tag: pass
    def handle_data(s, data):
        for e in s.stack: e[2] += data
p = P(); p.feed(open(sys.argv[1], encoding="utf-8").read())
d = lambda tag: p.tags.get(tag, [])
text = lambda tag: [e[2] for e in d(tag)]
ok = eval(sys.argv[2])
if not ok:
    print("DOM check failed:", sys.argv[2], "| h1:", text("h1")[:3], "| li:", len(d("li")), file=sys.stderr)
sys.exit(0 if ok else 1)
PY
}
n=$("$NA_BIN" ls -c "$C" --site t-gbk | wc -l)

# 1. sites: t-gbk with its article count and a 60-bar chart
dom / sites
check "sites page" "'t-gbk' in text('h2') and len(d('svg')) == 1 and len(d('rect')) == 60 and not d('script')"
check "sites page count" "any('$n articles' in t for t in text('div'))"

# 2. the list, filtered by site, and by a date range that holds nothing
dom "/articles?site=t-gbk"
check "article list" "len(d('li')) == min($n, 50)"
check "article list links" "sum(1 for e in d('a') if e[1].get('href','').startswith('/article?url=')) == min($n, 50)"
dom "/articles?site=t-gbk&since=2999-01-01&until=2999-12-31"
check "empty date range" "len(d('li')) == 0 and any('No article' in t for t in text('p'))"

# 3. the article: its title a text node, its text in paragraphs, no script element
dom "/article?url=$(urlq "$EVIL_URL")" article
check "article title" "text('h1') == ['<script>alert(\"t\")</script> \\'恶意\\' 标题'] and not d('script')"
check "article text" "sum('紫藤湖畔数据港' in t for t in text('p')) == 1 and len(d('p')) >= 7"
check "article links" "[e[1]['href'] for e in d('a') if e[1].get('class') == 'orig'] == ['$EVIL_URL']"
# its near-duplicate copy: a link to its page and to its original
check "article duplicates" "[(e[1]['href'], e[2]) for e in d('a') if e[1].get('href', '').startswith('/article?url=')] \
== [('/article?url=$(urlq "$COPY_URL")', '转载 <script>alert(\"t\")</script> \\'恶意\\' 标题')] \
and [e[1]['href'] for e in d('a') if e[1].get('class') == 'copy-orig'] == ['$COPY_URL']"
# an ordinary article from the fixture's truth: its title and first paragraph
OTHER=$("$NA_BIN" ls -c "$C" --site t-gbk | awk -v u="$EVIL_URL" '$0 !~ u { print; exit }' | grep -o 'http://[^ ]*')
"$NA_BIN" get -c "$C" "$OTHER" | head -1 >"$T/first"
dom "/article?url=$(urlq "$OTHER")"
check "ordinary article" "open('$T/first', encoding='utf-8').read().strip() in [t.strip() for t in text('p')]"

# 4. search: a phrase of the text only finds the article, highlighted
dom "/search?q=$(urlq 紫藤湖畔)" search
check "search" "len(d('li')) == 1 and text('mark') == ['紫藤湖畔'] and 'script' in text('li')[0]"
# a phrase with NOT (the full-text query language): the copy only
dom "/search?q=$(urlq '"智能制造项目" NOT 紫藤湖畔')"
check "search phrase NOT" "len(d('li')) == 1 and text('a')[-1].startswith('转载') and set(text('mark')) == {'智能制造项目'}"

# 5. the API as the browser shows it: JSON in a text node
dom /api/sites
"$PY" - "$T/dom" "$n" <<'PY' || fail "api JSON in the browser"
import html, json, re, sys
m = re.search(r"<pre[^>]*>(.*?)</pre>", open(sys.argv[1], encoding="utf-8").read(), re.S)
o = json.loads(html.unescape(m.group(1)))
s = [x for x in o["sites"] if x["site"] == "t-gbk"][0]
assert s["articles"] == int(sys.argv[2]) and sum(s["new_per_day"]) == int(sys.argv[2]), s
PY
for f in sites article search; do
    [ -s "$NA_BUILD/serve-$f.png" ] || fail "no screenshot $f"
done
kill "$SERVE_PID"
wait "$SERVE_PID" || fail "serve did not stop cleanly"
echo "serve_browser: 5 pages checked in Chromium; screenshots in $NA_BUILD/serve-{sites,article,search}.png"
