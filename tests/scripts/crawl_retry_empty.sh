#!/bin/bash
# crawl_retry_empty.sh — an article page that answers 200 but gives no text
# (retry_missing = 0s 0s 0s, so no waiting). Run 1 archives it as a new
# article without text, failed "no article text". Each later run fetches it
# again: that is a retry of a page known to have no text, not a new article:
#   - the summary says "1 retried, still without text", not "1 new article
#     (1 without text)" (which also fed the health checks: a site whose only
#     "new article" each run is such a retry was never "silent");
#   - no second empty extraction joins the index (the page changes on each
#     request, so each retry's response is a new capture), and no second row
#     in `ls`;
#   - `ls --failed` and `stats` show it retrying with its attempts, then given
#     up after retry_missing's 3 intervals.
. "$(dirname "$0")/crawl_common.bash"
gen_fixtures
HOST=t-wp.newsarc.test
# the newest article of the site (from its truth file)
E=$("$PY" -c "import json,sys; t=json.load(open(sys.argv[1])); print(sorted(t['expected'])[-1])" "$ROOT/$HOST.truth.json")
cat >"$T/faults.json" <<EOF
{"faults": [
 {"host": "$HOST", "path": "$E", "status": 200,
  "body": "<html><head><title>建设中</title></head><body><div class=\"content\"></div><!-- @N@ --></body></html>"}
]}
EOF
start_server --faults "$T/faults.json" --nodelay --set retries=0 --set "retry=0s 0s 0s" --set "retry_missing=0s 0s 0s"
DB="$T/archive/index.sqlite"
U="http://$HOST:$PORT$E"
q() { "$PY" -c "import sqlite3,sys
print(sqlite3.connect('file:'+sys.argv[1]+'?mode=ro', uri=True).execute(sys.argv[2], sys.argv[3:]).fetchone()[0])" "$DB" "$@"; }
crawl() { # N
    set +e
    "$NA_BIN" crawl -c "$T/sites.conf" --site t-wp >"$T/out$1" 2>"$T/err$1"
    RC=$?
    set -e
    [ $RC = 0 ] || { cat "$T/err$1" >&2; fail "run $1 exited $RC"; }
}
failed_line() { "$NA_BIN" ls --failed -a "$T/archive" --site t-wp | awk -F'\t' -v u="$U" '$7 == u'; }

crawl 1
grep -q "t-wp: .* new articles (1 without text)" "$T/out1" || fail "run 1: $(cat "$T/out1")"
case $(failed_line) in "retrying	t-wp	no article text	1	"*) ;; *) fail "after run 1: '$(failed_line)'" ;; esac
for n in 2 3 4; do
    crawl $n
    grep -q "t-wp: .*, 0 new articles, 1 retried, still without text," "$T/out$n" ||
        fail "run $n does not count the fetch again as a retry: $(cat "$T/out$n")"
    grep -q "without text)" "$T/out$n" && fail "run $n counts it as a new article without text: $(cat "$T/out$n")"
done
[ "$(q 'SELECT count(*) FROM captures WHERE url=? AND revisit=0' "$U")" = 4 ] ||
    fail "expected 4 responses of the changing page, got $(q 'SELECT count(*) FROM captures WHERE url=?' "$U")"
[ "$(q 'SELECT count(*) FROM articles WHERE url=?' "$U")" = 1 ] ||
    fail "$(q 'SELECT count(*) FROM articles WHERE url=?' "$U") extractions of the page without text (1 expected)"
[ "$("$NA_BIN" ls -a "$T/archive" --site t-wp | grep -c "$U")" -le 1 ] || fail "ls lists the page more than once"
l=$(failed_line)
case $l in "given-up	t-wp	no article text	4	"*"	-	"*) ;; *) fail "after run 4: '$l'" ;; esac
"$NA_BIN" stats -a "$T/archive" >"$T/stats"
grep -q "^given up .*no article text 1" "$T/stats" || { cat "$T/stats" >&2; fail "stats: no given-up line"; }
grep -q "^articles .*(29 extractions)" "$T/stats" || { cat "$T/stats" >&2; fail "stats: extractions"; }
"$NA_BIN" verify -a "$T/archive" >"$T/verify" 2>&1 || { cat "$T/verify" >&2; fail "verify found faults"; }
echo "crawl_retry_empty: 3 retries counted as retries; 1 extraction of 4 responses; given up after 4 attempts"
echo "crawl_retry_empty: ok"
