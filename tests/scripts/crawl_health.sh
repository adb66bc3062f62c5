#!/bin/bash
# crawl_health.sh — site health alerts (newsarc(1) SITE HEALTH, exit 4):
# a broken article = pattern is said once under --quiet with exit 4, the
# next run (and a backfill) exits 4 without saying it again, the fixed
# pattern says "cleared" once and exits 0 (also where the listing page
# would answer 304); check-config warns about an
# unescaped '?', try --listing says the pattern matched 0 of N links; a
# robots.txt answering 500 or a closed port is reported as unreachable, not
# as disallowed, and alert_failures runs of it raise the unreachable alert.
. "$(dirname "$0")/crawl_common.bash"
start_server --set retries=0
need_store
C="$T/sites.conf"
B="$T/broken.conf"
LIST="http://t-gbk.newsarc.test:$PORT/category-1.html"
# a redesign: articles moved from /post/ to /posts/ as far as the pattern knows
sed 's#^\(article = ^http://t-gbk.*\)/post/#\1/posts/#' "$C" >"$B"
grep -q "^article = .*t-gbk.*/posts/" "$B" || fail "could not break the pattern"

run() { # run EXPECTED_RC ARGS...: stdout in $T/out, stderr in $T/err
    local want=$1 rc
    shift
    set +e
    "$NA_BIN" "$@" >"$T/out" 2>"$T/err"
    rc=$?
    set -e
    [ "$rc" = "$want" ] || { cat "$T/out" "$T/err" >&2; fail "newsarc $*: exit $rc, expected $want"; }
}

# 1. first run with the broken pattern: one warning, even with --quiet; exit 4
run 4 crawl -c "$B" --site t-gbk -q
[ ! -s "$T/out" ] || fail "--quiet printed to stdout: $(cat "$T/out")"
[ "$(grep -c 'alert: pattern: ' "$T/err")" = 1 ] || fail "expected one pattern alert: $(cat "$T/err")"
grep "alert: pattern: " "$T/err" | grep -q "$LIST" || fail "the alert does not name the listing page: $(cat "$T/err")"
grep "alert: pattern: " "$T/err" | grep -Eq "none of the [0-9]+ links" || fail "no link count: $(cat "$T/err")"
grep "alert: pattern: " "$T/err" | grep -q "http://t-gbk.newsarc.test:$PORT/post/[0-9]*\.html" ||
    fail "no sample article link: $(cat "$T/err")"
# 2. second run: still broken, exit 4, said no more
run 4 crawl -c "$B" --site t-gbk -q
[ ! -s "$T/err" ] || fail "the second run said something again: $(cat "$T/err")"
run 4 backfill t-gbk -c "$B" --pages 1-1 -q
[ ! -s "$T/err" ] || fail "backfill said the open alert again: $(cat "$T/err")"
# without --quiet the open alert shows on stdout
run 4 crawl -c "$B" --site t-gbk
grep -q "^t-gbk: alert still open since .*: pattern: " "$T/out" || fail "no open alert on stdout: $(cat "$T/out")"
[ ! -s "$T/err" ] || fail "the open alert went to stderr again: $(cat "$T/err")"
# 3. the pattern fixed: "cleared" once, exit 0, then nothing
run 0 crawl -c "$C" --site t-gbk -q
[ "$(grep -c 'alert cleared: pattern' "$T/err")" = 1 ] || fail "expected one 'cleared': $(cat "$T/err")"
[ "$(wc -l <"$T/err")" = 1 ] || fail "more than the cleared line: $(cat "$T/err")"
run 0 crawl -c "$C" --site t-gbk -q
[ ! -s "$T/err" ] || fail "a healthy run said something: $(cat "$T/err")"

# 3b. a listing answering 304 (t-wp has ETags): while the alert is open the
# page is asked for without validators, so the fixed pattern clears it at once
sed 's#^\(article = ^http://t-wp\\.newsarc\\.test:[0-9]*\)/#\1/news/#' "$C" >"$T/wp.conf"
grep -q "^article = .*t-wp.*/news/" "$T/wp.conf" || fail "could not break the t-wp pattern"
run 4 crawl -c "$T/wp.conf" --site t-wp -q
grep -q "t-wp: alert: pattern: " "$T/err" || fail "no t-wp pattern alert: $(cat "$T/err")"
run 0 crawl -c "$C" --site t-wp -q
grep -q "t-wp: alert cleared: pattern" "$T/err" || fail "the fixed t-wp pattern did not clear: $(cat "$T/err")"

# 4. hints: check-config warns about an unescaped '?', try names candidates
sed 's#^\(article = ^http://t-gbk.*\)/post/\[0-9\]+\\\.html\$#\1/show\\.php?id=[0-9]+$#' "$C" >"$T/typo.conf"
grep -q 'show\\.php?id=' "$T/typo.conf" || fail "could not write the typo"
run 0 check-config -c "$T/typo.conf" -q
grep -Eq "typo.conf:[0-9]+: warning: \[site t-gbk\] article = .*did you mean \\\\\?" "$T/err" ||
    fail "check-config gave no hint: $(cat "$T/err")"
run 0 check-config -c "$C" -q
[ ! -s "$T/err" ] || fail "check-config warned about good patterns: $(cat "$T/err")"
run 0 try -c "$B" --no-robots --listing "$LIST"
grep -Eq "^hint: the article pattern matched 0 of [1-9][0-9]* links on the page" "$T/out" ||
    fail "try gave no hint: $(cat "$T/out")"
[ "$(sed -n '/^links that look like articles:/,/^$/p' "$T/out" | grep -c "/post/[0-9]*\.html$")" = 5 ] ||
    fail "try did not show 5 candidates: $(cat "$T/out")"

# 5. robots.txt unreachable is not "disallowed"; alert_failures = 2 runs raise the alert
sed -i '/^\[site norobots\]/a alert_failures = 2' "$C"
run 0 crawl -c "$C" --site norobots
grep -q "^norobots: .*[1-9][0-9]* not fetched: robots.txt unreachable (HTTP 500)" "$T/out" ||
    fail "summary: $(cat "$T/out")"
grep -q "disallowed by robots.txt" "$T/out" && fail "unreachable counted as disallowed: $(cat "$T/out")"
run 4 crawl -c "$C" --site norobots -q
[ "$(grep -c 'norobots: alert: unreachable: robots.txt unreachable (HTTP 500) on 2 runs' "$T/err")" = 1 ] ||
    fail "no unreachable alert: $(cat "$T/err")"
# a closed port: no answer at all
CLOSED=$("$PY" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')
cat >>"$C" <<EOF

[site closed]
listing = http://127.0.0.1:$CLOSED/news/
article = /post/[0-9]+\.html\$
delay = 0
EOF
run 1 crawl -c "$C" --site closed
grep -q "^closed: .*robots.txt unreachable (" "$T/out" || fail "closed port summary: $(cat "$T/out")"
grep -q "disallowed by robots.txt" "$T/out" && fail "closed port counted as disallowed: $(cat "$T/out")"
echo "ok"
