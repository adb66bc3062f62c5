#!/bin/bash
# report.sh — newsarc report on archives made by short fixture crawls: one
# line and exit 0 when all is well (nothing at all with --problems-only),
# the new articles per site as ls counts them; a failing article (HTTP 404)
# listed by reason; a broken article pattern as an open alert, exit 4, in
# text, json and html (everything escaped); an unknown --site an error.
. "$(dirname "$0")/crawl_common.bash"
HOST=t-wp.newsarc.test
gen_fixtures
set -- $("$PY" -c "import json,sys; t=json.load(open(sys.argv[1])); print(sorted(t['expected'])[-1])" \
    "$ROOT/$HOST.truth.json")
GONE=$1
cat >"$T/faults.json" <<EOF2
{"faults": [{"host": "$HOST", "path": "$GONE", "status": 404, "body": "<html><body>404 Not Found</body></html>"}]}
EOF2
start_server --faults "$T/faults.json" --nodelay --set retries=0 --set "retry=0s 0s 0s" --set "retry_missing=0s 0s"
C="$T/sites.conf"
run() { # run EXPECTED_RC ARGS...: stdout in $T/out, stderr in $T/err
    local want=$1 rc
    shift
    set +e
    "$NA_BIN" "$@" >"$T/out" 2>"$T/err"
    rc=$?
    set -e
    [ "$rc" = "$want" ] || { cat "$T/out" "$T/err" >&2; fail "newsarc $*: exit $rc, expected $want"; }
}

# 1. t-gbk crawled cleanly: one line, exit 0
run 0 crawl -c "$C" --site t-gbk -q
n=$("$NA_BIN" ls -c "$C" --site t-gbk | wc -l)
[ "$n" -ge 3 ] || fail "the crawl archived $n articles"
run 0 report -c "$C" --site t-gbk --since today
[ "$(wc -l <"$T/out")" = 1 ] || fail "all well is not one line: $(cat "$T/out")"
grep -q "^newsarc report since [0-9-]*: all well: 1 site, $n new articles$" "$T/out" || fail "all-well line: $(cat "$T/out")"
run 0 report -c "$C" --site t-gbk --problems-only
[ ! -s "$T/out" ] || fail "--problems-only printed when all is well: $(cat "$T/out")"
run 0 report -c "$C" --site t-gbk --all
[ "$(grep -c '^  new: ' "$T/out")" = 3 ] || fail "--all: no 3 newest titles: $(cat "$T/out")"
# a window after the crawl has nothing new
run 0 report -c "$C" --site t-gbk --since "$(date -u -d '+1 day' +%Y-%m-%d)"
grep -q "all well: 1 site, 0 new articles" "$T/out" || fail "future window: $(cat "$T/out")"

# 2. t-wp: one article answers 404: a failure by reason, exit 0 (it is retried)
run 1 crawl -c "$C" --site t-wp -q
run 0 report -c "$C" --problems-only
grep -q "^newsarc report since .*: 1 of [0-9]* sites need a look: .*, 1 failed URL, 0 open alerts" "$T/out" ||
    fail "headline with a failure: $(cat "$T/out")"
grep -q "^t-wp: [0-9]* new articles" "$T/out" || fail "no t-wp block: $(cat "$T/out")"
grep -q "^  failed 1: HTTP 404 1 (retrying)" "$T/out" || fail "no failure by reason: $(cat "$T/out")"
grep -q "^t-gbk" "$T/out" && fail "--problems-only showed the healthy site"

# 3. a broken pattern on t-gbk: an open alert, exit 4 in every format
sed 's#^\(article = ^http://t-gbk.*\)/post/#\1/posts/#' "$C" >"$T/broken.conf"
run 4 crawl -c "$T/broken.conf" --site t-gbk -q
run 4 report -c "$C"
grep -q "^  alert pattern (open since .* UTC): " "$T/out" || fail "no open alert: $(cat "$T/out")"
grep -q "1 open alert" "$T/out" || fail "headline without the alert: $(cat "$T/out")"
run 4 report -c "$C" --format json
"$PY" - "$T/out" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
assert r["all_well"] is False and r["alerts"] == 1 and r["failed_urls"] == 1, r
s = {x["site"]: x for x in r["sites"]}
assert {"t-gbk", "t-wp"} <= set(s) and r["sites_total"] == len(s), s.keys()
assert s["t-gbk"]["alerts"][0]["kind"] == "pattern", s["t-gbk"]
assert s["t-wp"]["failed"]["retrying"] == {"HTTP 404": 1}, s["t-wp"]
assert s["t-wp"]["new_articles"] >= 1 and len(s["t-wp"]["newest"]) <= 3, s["t-wp"]
PY
run 4 report -c "$C" --format html
"$PY" - "$T/out" <<'PY'
import sys
from html.parser import HTMLParser
doc = open(sys.argv[1], encoding="utf-8").read()
class P(HTMLParser):
    def __init__(self):
        super().__init__(); self.tags = []; self.text = []
    def handle_starttag(self, t, a): self.tags.append(t)
    def handle_data(self, d): self.text.append(d)
p = P(); p.feed(doc)
assert set(p.tags) <= {"html", "head", "meta", "title", "body", "p", "table", "tr", "th", "td", "a", "br", "b"}, set(p.tags)
assert "pattern" in "".join(p.text)
PY
run 2 report -c "$C" --site nosuch
grep -q "^newsarc report: no site 'nosuch' (known: .*t-gbk" "$T/err" || fail "unknown site: $(cat "$T/err")"
run 2 report -c "$C" --since tomorrow
run 2 report -c "$C" --format xml
echo ok
