#!/usr/bin/env bash
# net_challenge.sh — anti-bot answers (issue 14 item 4). The fixture server
# answers t-gov's pages under /zsyz/ (listings and articles) with a
# jiasule-type HTTP 521 (until the test turns the faults off): a script that sets
# __jsl_clearance and reloads. Checks that the run:
#   - names it as a site health problem (alert "challenge"):
#     "t-gov: … answers with a JavaScript challenge (jiasule), articles cannot
#     be fetched without a browser"
#   - stops asking that host for the run (one request under /zsyz/, not one
#     per listing page and article)
#   - archives no article for t-gov (the 521 is kept as a plain capture) while
#     t-wp, crawled in the same run, is archived as usual
#   - clears the alert on the next run, when the pages come back
. "$(dirname "$0")/crawl_common.bash"
"$PY" - >"$T/jsl.json" <<'EOF'
import json
body = ("<script>document.cookie=('_')+('_')+('j')+('s')+('l')+('_')+('c')+('l')+('e')+('a')+('r')+('a')+('n')+('c')+"
        "('e')+('=')+(+!+[]+'')+'6'+'0'+'8'+'8'+'|0|'+'Xk%2F3'+';max-age=3600;path=/';"
        "location.href=location.pathname+location.search</script>")
print(json.dumps({"faults": [{"host": "t-gov.newsarc.test", "path_prefix": "/zsyz/", "status": 521,
                              "headers": {"Set-Cookie": "__jsluid_h=0a1b2c3d4e; max-age=31536000; path=/",
                                          "Server": "jsl"}, "body": body}]}))
EOF
start_server --faults "$T/jsl.json"
rc=0
timeout 60 "$NA_BIN" crawl -c "$T/sites.conf" --site t-gov --site t-wp >"$T/c1.out" 2>"$T/c1.err" || rc=$?
# 1: URLs given up (the dropped host's); 4 when the alert is all there is
[ "$rc" = 1 ] || [ "$rc" = 4 ] || fail "exit $rc, expected 1 or 4: $(cat "$T/c1.err")"
grep -q "t-gov: alert: challenge: answers with a JavaScript challenge (jiasule), articles cannot be fetched without a browser" \
    "$T/c1.err" || fail "no challenge alert named: $(cat "$T/c1.err")"
grep -q "t-wp: alert" "$T/c1.err" && fail "t-wp has an alert: $(cat "$T/c1.err")"
n=$(grep '"t-gov.newsarc.test"' "$T/log.jsonl" | grep -c '"path": "/zsyz/' || true)
[ "$n" -le 1 ] || fail "the challenged host was asked $n times under /zsyz/ in the run"
"$NA_BIN" ls -a "$T/archive" >"$T/ls.out"
grep -q "t-gov" "$T/ls.out" && fail "a challenge page was archived as an article: $(grep t-gov "$T/ls.out" | head -3)"
grep -q "t-wp" "$T/ls.out" || fail "t-wp was not archived: $(head -3 "$T/ls.out")"
zcat "$T/archive"/warc/*.warc.gz | grep -aq "^HTTP/1.1 521" || fail "the 521 answer was not kept as a capture"
echo "net_challenge: run 1: alert named, $n request under /zsyz/, nothing of t-gov archived as an article"

# The next run: the pages are back; the alert clears and articles come.
"$PY" -c "import urllib.request,sys; urllib.request.urlopen('http://127.0.0.1:%s/__fixture/faults-off' % sys.argv[1], timeout=5).read()" "$PORT" ||
    fail "faults-off"
rc=0
timeout 60 "$NA_BIN" crawl -c "$T/sites.conf" --site t-gov >"$T/c2.out" 2>"$T/c2.err" || rc=$?
[ "$rc" = 0 ] || fail "run 2: exit $rc: $(cat "$T/c2.err")"
grep -q "challenge" "$T/c2.out" "$T/c2.err" || fail "run 2 does not say the challenge alert cleared: $(cat "$T/c2.out" "$T/c2.err")"
grep -q "t-gov: .* [1-9][0-9]* new articles" "$T/c2.out" || fail "run 2: no article: $(cat "$T/c2.out")"
echo "net_challenge: run 2: cleared, $(grep -o '[0-9]* new articles' "$T/c2.out" | head -1)"
echo "net_challenge: ok"
