#!/bin/bash
# crawl_kill_torture.sh — the completeness invariant under SIGKILL: crawls of
# a generated site set (2 sites x 120 articles, listing pages with ETag /
# Last-Modified, so later runs get 304s) killed with SIGKILL at random
# moments, some of them backfills, in lanes that each start from an empty
# archive; after each lane's kills, complete runs. Then every article the
# generator served must be archived exactly once (one article row and one
# 200 response capture per URL, and no revisit: not fetched again once
# archived), none lost, and `newsarc verify` clean.
# Prints the figures (kills, lost, duplicated). Bounded: about 30 s.
. "$(dirname "$0")/crawl_common.bash"

MIN_KILLS=${TORTURE_KILLS:-50}
BUDGET=${TORTURE_SECONDS:-90}   # at most this many seconds (it needs about 26 s on an idle machine;
[ -n "${NA_ASAN:-}" ] && BUDGET=${TORTURE_SECONDS:-150}  # ASan runs each crawl 3-4x slower)

# The generated site set, cached in the build folder like the test preset: start_torture_server (crawl_common.bash).
start_torture_server "$T/archive"

# check LANE: every expected article of both hosts archived exactly once.
check() {
    "$PY" - "$ROOT" "$T/archive/index.sqlite" "$PORT" "$1" <<'PY'
import json, sqlite3, sys
root, db, port, lane = sys.argv[1:5]
con = sqlite3.connect("file:%s?mode=ro" % db, uri=True)
lost, dup, total = [], [], 0
for host in ("k-wp.newsarc.test", "k-gov.newsarc.test"):
    truth = json.load(open("%s/%s.truth.json" % (root, host)))
    for p in truth["expected"]:
        total += 1
        u = "http://%s:%s%s" % (host, port, p)
        # captures with text (a site template's re-extraction adds a row for the same capture)
        arts = con.execute("SELECT count(DISTINCT capture_id) FROM articles WHERE url=? AND text_len > 0", (u,)).fetchone()[0]
        # responses archived with their text (a response whose write a kill
        # cut before its text, which recovery indexed alone, is no article:
        # fetching it again is how its text gets archived)
        oks = con.execute("SELECT count(DISTINCT c.id) FROM captures c JOIN articles a ON a.capture_id = c.id"
                          " WHERE c.url=? AND c.status=200 AND c.revisit=0 AND a.text_len > 0", (u,)).fetchone()[0]
        torn = con.execute("SELECT count(*) FROM captures c WHERE c.url=? AND c.status=200 AND c.revisit=0 AND NOT"
                           " EXISTS (SELECT 1 FROM articles a WHERE a.capture_id = c.id)", (u,)).fetchone()[0]
        torn_total = globals().get("torn_total", 0) + torn
        globals()["torn_total"] = torn_total
        # fetched again once archived: an identical-payload revisit
        again = con.execute("SELECT count(*) FROM captures WHERE url=? AND status=200 AND revisit=1",
                            (u,)).fetchone()[0]
        if arts == 0:
            lost.append(p)
        elif arts > 1 or oks > 1 or again:
            dup.append("%s (%d articles, %d responses, fetched again %d times)" % (p, arts, oks, again))
print("lane %s: %d articles expected, %d lost, %d duplicated or fetched again, %d cut by a kill before their text"
      % (lane, total, len(lost), len(dup), globals().get("torn_total", 0)))
for x in lost[:5]:
    print("  lost: " + x)
for x in dup[:5]:
    print("  duplicated: " + x)
print("RESULT %d %d" % (len(lost), len(dup)))
PY
}

# The lock is an flock: free once the killed process has fully exited.
wait_unlocked() {
    [ -e "$T/archive/lock" ] || return 0
    flock -w 20 "$T/archive/lock" true || fail "the archive's lock still held 20 s after a kill"
}

kills=0 backfill_kills=0 lanes=0 lost_total=0 dup_total=0 t0=$SECONDS
RANDOM=$$
while [ $kills -lt "$MIN_KILLS" ]; do
    lanes=$((lanes + 1))
    rm -rf "$T/archive"
    # 8 runs on a fresh archive, each killed 0.05 s to 0.6 s after its start
    # (one in four up to 1.2 s, about the length of a first run) unless it
    # ended by itself
    for k in 1 2 3 4 5 6 7 8; do
        R=$((50 + RANDOM % 550))
        [ $((RANDOM % 4)) = 0 ] && R=$((50 + RANDOM % 1150))
        what=crawl
        set -- crawl -c "$T/sites.conf" -q
        if [ $((RANDOM % 6)) = 0 ]; then
            what=backfill
            site=k-wp; [ $((RANDOM % 2)) = 0 ] && site=k-gov
            set -- backfill "$site" -c "$T/sites.conf" -q
        fi
        # timeout dies with its KILL too, so a killed run may still be exiting
        # (holding the archive's lock) when timeout returns: wait for it
        wait_unlocked
        # (in a command substitution with stderr closed: no "Killed" line from bash)
        rc=$(exec 2>/dev/null; timeout -s KILL "$(printf '%d.%03d' $((R / 1000)) $((R % 1000)))" \
                 "$NA_BIN" "$@" >/dev/null 2>>"$T/runs.err"; echo $?)
        if [ $rc = 137 ]; then
            kills=$((kills + 1))
            [ $what = backfill ] && backfill_kills=$((backfill_kills + 1))
        fi
        [ $kills -ge "$MIN_KILLS" ] && break
    done
    # complete runs: a crawl, and a second one that must find nothing lacking
    wait_unlocked
    "$NA_BIN" crawl -c "$T/sites.conf" -q >"$T/out1" 2>"$T/err1" || { cat "$T/err1" >&2; fail "lane $lanes: the complete run failed"; }
    "$NA_BIN" crawl -c "$T/sites.conf" -q >"$T/out2" 2>"$T/err2" || { cat "$T/err2" >&2; fail "lane $lanes: the second complete run failed"; }
    res=$(check $lanes)
    echo "$res" | grep -v '^RESULT'
    set -- $(echo "$res" | sed -n 's/^RESULT //p')
    lost_total=$((lost_total + $1))
    dup_total=$((dup_total + $2))
    "$NA_BIN" verify -a "$T/archive" >"$T/verify" 2>&1 || { head -20 "$T/verify" >&2; fail "lane $lanes: verify found faults"; }
    [ $((SECONDS - t0)) -ge "$BUDGET" ] && break
done
echo "kill torture: $kills SIGKILLs ($backfill_kills of backfill) in $lanes lanes, $((SECONDS - t0)) s;" \
     "articles lost: $lost_total, duplicated: $dup_total"
[ $kills -ge "$MIN_KILLS" ] || fail "only $kills kills within $BUDGET s (a slow machine: TORTURE_SECONDS raises the budget)"
[ $lost_total = 0 ] || fail "$lost_total articles lost"
[ $dup_total = 0 ] || fail "$dup_total articles archived twice"
echo ok
