#!/bin/bash
# crawl_retry.sh — the retry policy across runs (retry = 0s 0s 0s, so no
# waiting): an article that answers 500 twice (the second identical 500 is
# stored as a revisit, which must not count as "have it") and then 200; an
# article that answers 404 once and then appears (late publishing); one
# that is always 404 and is given up after retry_missing's intervals.
# `ls --failed` and `stats` show them with reasons and attempts; every run
# archives what recovered; `backfill --retry-failed` fetches the given-up
# one again now. Needs the store.
. "$(dirname "$0")/crawl_common.bash"
gen_fixtures
HOST=t-wp.newsarc.test
# three articles of the first listing page (the newest), from the site's truth
set -- $("$PY" -c "import json,sys; t=json.load(open(sys.argv[1])); print(' '.join(sorted(t['expected'])[-3:]))" \
    "$ROOT/$HOST.truth.json")
A500=$1 B404=$2 C404=$3
cat >"$T/faults.json" <<EOF
{"faults": [
 {"host": "$HOST", "path": "$A500", "status": 500, "times": 2,
  "body": "<html><body><h1>500 Internal Server Error</h1></body></html>"},
 {"host": "$HOST", "path": "$B404", "status": 404, "times": 1, "body": "<html><body>404 Not Found</body></html>"},
 {"host": "$HOST", "path": "$C404", "status": 404, "body": "<html><body>404 Not Found</body></html>"}
]}
EOF
start_server --faults "$T/faults.json" --nodelay --set retries=0 --set "retry=0s 0s 0s" --set "retry_missing=0s 0s"
DB="$T/archive/index.sqlite"
q() { "$PY" -c "import sqlite3,sys
print(sqlite3.connect('file:'+sys.argv[1]+'?mode=ro', uri=True).execute(sys.argv[2], sys.argv[3:]).fetchone()[0])" "$DB" "$@"; }
url() { echo "http://$HOST:$PORT$1"; }
crawl() { # N: exit status in RC
    set +e
    "$NA_BIN" crawl -c "$T/sites.conf" --site t-wp -q >"$T/out$1" 2>"$T/err$1"
    RC=$?
    set -e
}
failed_line() { # PATH: its `ls --failed` line, or nothing
    "$NA_BIN" ls --failed -a "$T/archive" --site t-wp | awk -F'\t' -v u="$(url "$1")" '$7 == u'
}

# run 1: all three fail
crawl 1
[ $RC = 1 ] || { cat "$T/err1" >&2; fail "run 1 exited $RC, expected 1 (failed fetches)"; }
"$NA_BIN" ls --failed -a "$T/archive" >"$T/failed1"
cat "$T/failed1"
l=$(failed_line "$A500")
case $l in "retrying	t-wp	HTTP 500	1	"*) ;; *) fail "500 article after run 1: '$l'" ;; esac
l=$(failed_line "$B404")
case $l in "retrying	t-wp	HTTP 404	1	"*) ;; *) fail "404 article after run 1: '$l'" ;; esac
"$NA_BIN" stats -a "$T/archive" >"$T/stats1"
grep -q "^retrying .*3 (HTTP 404 2, HTTP 500 1)" "$T/stats1" || { cat "$T/stats1" >&2; fail "stats: no retrying line"; }
"$NA_BIN" stats -a "$T/archive" --json | grep -q '"HTTP 404": 2' || fail "stats --json: no failed reasons"

# run 2: the 500 again (an identical body: a revisit), the late 404 appears
crawl 2
[ "$(q 'SELECT count(*) FROM captures WHERE url=? AND revisit=1 AND status=500' "$(url "$A500")")" = 1 ] ||
    fail "the second 500 was not stored as a revisit (the case this test is about)"
[ "$(q 'SELECT count(*) FROM articles WHERE url=? AND text_len>0' "$(url "$B404")")" = 1 ] ||
    { cat "$T/err2" >&2; fail "the article published late was not archived by run 2"; }
l=$(failed_line "$A500")
case $l in "retrying	t-wp	HTTP 500	2	"*) ;; *) fail "500 article after run 2: '$l'" ;; esac
[ -z "$(failed_line "$B404")" ] || fail "the archived 404 article is still listed as failed"

# run 3: the 500 article recovers; the always-404 one is given up (retry_missing has 2 intervals)
crawl 3
[ "$(q 'SELECT count(*) FROM articles WHERE url=? AND text_len>0' "$(url "$A500")")" = 1 ] ||
    { cat "$T/err3" >&2; fail "the article that answered 500 twice was not archived by run 3"; }
[ -z "$(failed_line "$A500")" ] || fail "the recovered 500 article is still listed as failed"
l=$(failed_line "$C404")
case $l in "given-up	t-wp	HTTP 404	3	"*"	-	"*) ;; *) fail "always-404 article after run 3: '$l'" ;; esac
grep -q "^given up .*HTTP 404 1" <("$NA_BIN" stats -a "$T/archive") || fail "stats: no given-up line"

# run 4: nothing is fetched for the given-up URL
n=$(grep -c "\"$C404\"" "$T/log.jsonl" || true)
crawl 4
[ $RC = 0 ] || { cat "$T/err4" >&2; fail "run 4 exited $RC"; }
[ "$(grep -c "\"$C404\"" "$T/log.jsonl" || true)" = "$n" ] || fail "a given-up URL was fetched by a cron run"
# every article of the site is archived once (the always-404 one aside)
"$PY" - "$ROOT" "$DB" "$PORT" "$C404" <<'PY'
import json, sqlite3, sys
root, db, port, skip = sys.argv[1:5]
con = sqlite3.connect("file:%s?mode=ro" % db, uri=True)
t = json.load(open("%s/t-wp.newsarc.test.truth.json" % root))
bad = []
for p in t["expected"]:
    if p == skip:
        continue
    u = "http://t-wp.newsarc.test:%s%s" % (port, p)
    n = con.execute("SELECT count(*) FROM articles WHERE url=? AND text_len > 0", (u,)).fetchone()[0]
    if n != 1:
        bad.append("%s: %d articles" % (p, n))
print("\n".join(bad) if bad else "all %d articles archived once" % (len(t["expected"]) - 1))
sys.exit(1 if bad else 0)
PY

# backfill --retry-failed: the given-up URL is fetched now, once
set +e
"$NA_BIN" backfill --retry-failed t-wp -c "$T/sites.conf" -q >"$T/out5" 2>"$T/err5"
rc=$?
set -e
[ $rc = 1 ] || { cat "$T/err5" >&2; fail "backfill --retry-failed exited $rc, expected 1 (the URL still fails)"; }
[ "$(grep -c "\"$C404\"" "$T/log.jsonl")" = $((n + 1)) ] || fail "backfill --retry-failed did not fetch the given-up URL once"
if tail -n 3 "$T/log.jsonl" | grep -q '"/category/'; then fail "backfill --retry-failed read a listing page"; fi
"$NA_BIN" backfill --retry-failed no-such-site -c "$T/sites.conf" -q 2>/dev/null && fail "unknown site accepted"
"$NA_BIN" backfill --retry-failed t-wp --pages 1-2 -c "$T/sites.conf" -q 2>/dev/null && fail "--pages accepted with --retry-failed"
"$NA_BIN" verify -a "$T/archive" >"$T/verify" 2>&1 || { cat "$T/verify" >&2; fail "verify found faults"; }
echo ok
