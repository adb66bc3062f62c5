#!/usr/bin/env bash
# soak.sh — `make soak` (issue 11, "Soak"): a bounded soak of cron-style
# crawls. Generates three small sites (sitegen.py: Z-Blog GBK, WordPress,
# TRS), serves them with fixture_server.py --chaos (a fraction of requests
# gets a 5xx, a reset, a slow answer or a truncated body) and --hide-newest
# (the newest articles are published a few per run: /__fixture/reveal), then
# runs `newsarc crawl` SOAK_RUNS times, killing it with SIGKILL at a random
# moment every SOAK_KILL_EVERY runs. The last SOAK_FINAL runs are fault-free
# with every article published. After every run: `newsarc verify` (after a
# kill: only records not yet indexed and a torn tail may be reported; the
# next run must leave it clean), peak RSS (/usr/bin/time -v), the
# most open file descriptors seen in /proc/PID/fd (sampled every 50 ms),
# articles archived (`newsarc ls`) and served. At the end: archived ==
# served, each exactly once (truthcheck.py), verify clean, and neither RSS nor
# open files grew (the final runs against the first ones). Prints a table
# (also to $NA_BUILD/soak.txt); exit 0 when every check holds.
# Environment: SOAK_RUNS (30), SOAK_KILL_EVERY (5; 0 = never), SOAK_CHAOS
# (0.08), SOAK_REVEAL (articles published per host and run, 2), SOAK_FINAL
# (2), SOAK_SEED (chaos seed, 1), KEEP=1 keeps the work folder.
set -u
: "${NA_SRCDIR:?}" "${NA_BIN:?}" "${NA_BUILD:?}"
PY=/usr/bin/python3
[ -x "$PY" ] || PY=$(command -v python3)
RUNS=${SOAK_RUNS:-30}
KILL_EVERY=${SOAK_KILL_EVERY:-5}
CHAOS=${SOAK_CHAOS:-0.08}
REVEAL=${SOAK_REVEAL:-2}
FINAL=${SOAK_FINAL:-2}
SEED=${SOAK_SEED:-1}
REPORT=$NA_BUILD/soak.txt
[ -x /usr/bin/time ] || { echo "soak: /usr/bin/time missing (apt-get install time)" >&2; exit 1; }
[ "$RUNS" -gt "$FINAL" ] || { echo "soak: SOAK_RUNS must exceed SOAK_FINAL" >&2; exit 1; }

T=$(mktemp -d "${TMPDIR:-/tmp}/newsarc-soak-XXXXXX")
SERVER_PID=
CRAWL_PID=
cleanup() {
    [ -n "$CRAWL_PID" ] && kill -9 "$CRAWL_PID" 2>/dev/null
    if [ -n "$SERVER_PID" ]; then
        kill "$SERVER_PID" 2>/dev/null
        for _ in $(seq 50); do kill -0 "$SERVER_PID" 2>/dev/null || break; sleep 0.1; done
        kill -9 "$SERVER_PID" 2>/dev/null
    fi
    [ -n "${KEEP:-}" ] && echo "soak: kept $T" >&2 || rm -rf "$T"
}
trap cleanup EXIT

# The sites: 36 + 30 + 24 articles (one per host disallowed by robots.txt).
SITE=$T/site
cat > "$T/spec.json" <<'EOF'
[{"host": "s-gbk.newsarc.test", "template": "zblog", "charset": "gbk", "articles": 36, "per_page": 10,
  "categories": 2, "city": "天津", "seed": 31, "delay": 0, "max_pages": 10},
 {"host": "s-wp.newsarc.test", "template": "wordpress", "articles": 30, "per_page": 8, "categories": 2,
  "city": "合肥", "seed": 32, "delay": 0, "max_pages": 10},
 {"host": "s-gov.newsarc.test", "template": "gov", "articles": 24, "per_page": 10, "categories": 2,
  "city": "成都", "seed": 33, "header_charset": false, "delay": 0, "max_pages": 10}]
EOF
"$PY" "$NA_SRCDIR/tests/server/sitegen.py" --spec "$T/spec.json" --out "$SITE" --quiet || exit 1
# Hidden at the start: as many as the chaotic runs publish (the rest at the final runs).
HIDE=$((REVEAL * (RUNS - FINAL - 1)))
[ "$HIDE" -gt 18 ] && HIDE=18

"$PY" "$NA_SRCDIR/tests/server/fixture_server.py" --root "$SITE" --no-faults \
    --chaos "$CHAOS" --chaos-seed "$SEED" --hide-newest "$HIDE" \
    --port-file "$T/port" --log "$T/log.jsonl" --max-seconds 7200 \
    --write-conf "$T/sites.conf" --archive "$T/archive" \
    --set timeout=8 --set low_speed_time=3 --set retries=1 --set concurrency=4 >"$T/server.out" 2>&1 &
SERVER_PID=$!
for _ in $(seq 100); do [ -s "$T/port" ] && break; sleep 0.1; done
[ -s "$T/port" ] || { cat "$T/server.out" >&2; echo "soak: the fixture server did not start" >&2; exit 1; }
PORT=$(cat "$T/port")
control() { # control PATH: a GET to the fixture server's control paths
    curl -s --max-time 10 --resolve "s-gbk.newsarc.test:$PORT:127.0.0.1" "http://s-gbk.newsarc.test:$PORT$1"
}
served() { control /__fixture/visible | "$PY" -c 'import json,sys; print(sum(len(v) for v in json.load(sys.stdin).values()))'; }

# One crawl: sets EXIT SECS RSS FDS KILLED. $1 = 1: SIGKILL it after a random delay.
crawl_once() {
    local r=$1 kill_it=$2 t0 t1 child="" deadline n
    t0=$(date +%s.%N)
    /usr/bin/time -v -o "$T/time.$r" "$NA_BIN" crawl -c "$T/sites.conf" -q >"$T/crawl.$r.out" 2>&1 &
    local tp=$!
    CRAWL_PID=
    FDS=0
    KILLED=no
    deadline=""
    # within the last completed run's length, when the crawl is busy
    [ "$kill_it" = 1 ] && deadline=$("$PY" -c "import random; print(random.Random($r * 7 + $SEED).uniform(0.05, max(0.2, 0.9 * $LAST_SECS)))")
    while kill -0 "$tp" 2>/dev/null; do
        [ -z "$child" ] && child=$(pgrep -P "$tp" | head -1) && CRAWL_PID=$child
        if [ -n "$child" ] && [ -d "/proc/$child/fd" ]; then
            n=$(ls "/proc/$child/fd" 2>/dev/null | wc -l)
            [ "$n" -gt "$FDS" ] && FDS=$n
        fi
        if [ -n "$deadline" ] && [ -n "$child" ] &&
            "$PY" -c "import sys; sys.exit(0 if float(sys.argv[1]) - float(sys.argv[2]) >= float(sys.argv[3]) else 1)" \
                "$(date +%s.%N)" "$t0" "$deadline"; then
            kill -9 "$child" 2>/dev/null && KILLED=yes
            deadline=""
        fi
        sleep 0.05
    done
    wait "$tp"
    EXIT=$?
    CRAWL_PID=
    t1=$(date +%s.%N)
    SECS=$("$PY" -c "print('%.1f' % (float('$t1') - float('$t0')))")
    RSS=$(sed -n 's/.*Maximum resident set size (kbytes): *//p' "$T/time.$r")
    grep -q "terminated by signal 9" "$T/time.$r" && { KILLED=yes; EXIT=137; }
}

LAST_SECS=1
fail=0
note() { echo "soak: $*" >&2; fail=1; }
header=$(printf '%4s %5s %6s %6s %5s %6s %8s %4s %8s %6s  %s' run chaos served killed exit secs rss_kb fds archived dups verify)
echo "$header" | tee "$REPORT"
declare -a RSS_OF FDS_OF KILLED_OF
for r in $(seq 1 "$RUNS"); do
    final=0
    [ "$r" -gt $((RUNS - FINAL)) ] && final=1
    if [ "$final" = 1 ]; then
        control "/__fixture/chaos?p=0" >/dev/null
        control "/__fixture/reveal?n=all" >/dev/null
        chaos=0
    else
        [ "$r" -gt 1 ] && control "/__fixture/reveal?n=$REVEAL" >/dev/null
        chaos=$CHAOS
    fi
    kill_it=0
    [ "$final" = 0 ] && [ "$KILL_EVERY" -gt 0 ] && [ $((r % KILL_EVERY)) = 0 ] && kill_it=1
    crawl_once "$r" "$kill_it"
    "$NA_BIN" verify -a "$T/archive" -q >"$T/verify.$r" 2>&1
    vrc=$?
    verdict=clean
    if [ "$vrc" != 0 ]; then
        # after SIGKILL: records written but not yet indexed, or a torn tail;
        # the next crawl must repair both (its verify is checked too)
        if [ "$KILLED" = yes ] && ! grep -v -e "torn record at the end" -e "record is not in the index" \
                "$T/verify.$r" | grep -q .; then
            verdict="kill-tail($(wc -l <"$T/verify.$r"))"
        else
            verdict="FAULT($vrc)"
            note "run $r: verify: $(head -3 "$T/verify.$r" | tr '\n' ' ')"
        fi
    fi
    "$NA_BIN" ls -a "$T/archive" 2>/dev/null | awk -F'\t' '{print $NF}' | sort >"$T/ls.$r"
    arch=$(wc -l <"$T/ls.$r")
    dups=$(uniq -d "$T/ls.$r" | wc -l)
    srv=$(served)
    [ "$dups" = 0 ] || note "run $r: $dups URLs listed twice"
    case $EXIT in 0|1|137) ;; *) note "run $r: crawl exit status $EXIT: $(tail -3 "$T/crawl.$r.out" | tr '\n' ' ')" ;; esac
    [ "$final" = 1 ] && [ "$EXIT" != 0 ] && note "run $r (fault-free): crawl exit status $EXIT: $(tail -3 "$T/crawl.$r.out" | tr '\n' ' ')"
    [ "$KILLED" = no ] && LAST_SECS=$SECS
    RSS_OF[$r]=${RSS:-0}
    FDS_OF[$r]=$FDS
    KILLED_OF[$r]=$KILLED
    printf '%4s %5s %6s %6s %5s %6s %8s %4s %8s %6s  %s\n' "$r" "$chaos" "$srv" "$KILLED" "$EXIT" "$SECS" \
        "${RSS:-?}" "$FDS" "$arch" "$dups" "$verdict" | tee -a "$REPORT"
done

# Growth: the final runs against the first five completed ones.
first_rss=0 first_fds=0 k=0
for r in $(seq 1 "$RUNS"); do
    [ "${KILLED_OF[$r]}" = yes ] && continue
    k=$((k + 1))
    [ "$k" -gt 5 ] && break
    [ "${RSS_OF[$r]}" -gt "$first_rss" ] && first_rss=${RSS_OF[$r]}
    [ "${FDS_OF[$r]}" -gt "$first_fds" ] && first_fds=${FDS_OF[$r]}
done
for r in $(seq $((RUNS - FINAL + 1)) "$RUNS"); do
    [ "${RSS_OF[$r]}" -le $((first_rss * 3 / 2)) ] ||
        note "run $r: peak RSS ${RSS_OF[$r]} KB grew past 1.5 x the first runs' ${first_rss} KB"
    [ "${FDS_OF[$r]}" -le $((first_fds + 4)) ] ||
        note "run $r: ${FDS_OF[$r]} open files, the first runs had at most $first_fds"
done

# Archived == served, each once, nothing robots.txt forbids.
"$NA_BIN" export -a "$T/archive" --format jsonl >"$T/export.jsonl" 2>"$T/export.err" || note "export failed"
"$PY" "$NA_SRCDIR/tests/server/truthcheck.py" --root "$SITE" "$T/export.jsonl" >"$T/truth.out" 2>&1 ||
    note "archived != served: $(head -5 "$T/truth.out" | tr '\n' ' ')"
srv=$(served)
arch=$(wc -l <"$T/export.jsonl")
uniq_urls=$("$PY" -c 'import json,sys; print(len({json.loads(l)["url"] for l in open(sys.argv[1])}))' "$T/export.jsonl")
faults=$(grep -c '"fault": "chaos-' "$T/log.jsonl")
reqs=$(wc -l <"$T/log.jsonl")
{
    echo "served $srv articles; archived $arch ($uniq_urls distinct URLs); $reqs requests, $faults chaos faults;"
    echo "peak RSS first runs ${first_rss} KB, final runs ${RSS_OF[$RUNS]} KB; open files first ${first_fds}, final ${FDS_OF[$RUNS]}"
} | tee -a "$REPORT"
[ "$arch" = "$srv" ] && [ "$uniq_urls" = "$srv" ] || note "archived $arch ($uniq_urls distinct) != served $srv"
if [ "$fail" = 0 ]; then echo "soak: PASS" | tee -a "$REPORT"; else echo "soak: FAIL" | tee -a "$REPORT"; fi
exit "$fail"
