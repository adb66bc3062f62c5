#!/usr/bin/env bash
# bench-dups.sh — what near-duplicate detection costs a crawl (issue 13: at
# most 5% of crawl CPU). Crawls the sitegen "syndication" preset (3 sites,
# 150 articles, the fixture server on 127.0.0.1) BENCH_RUNS times (default 3)
# and takes the median CPU (user+sys of `newsarc crawl`, /usr/bin/time);
# then, on the texts that crawl archived:
#   - the SimHashes: tests/tools/simhash_texts hashing every text 200 times;
#   - the lookups: tests/tools/dup_lookup timing index_dup_root (the query
#     index_add_article makes for every new text: store/index.c ST_DUP_CAND
#     over the article_bands table of schema 6) with 3,000 random SimHashes,
#     as the process's CPU time: against the crawl's own index.sqlite, and
#     against an index of BENCH_WINDOW (default 33,000: a million articles
#     over five years) articles fetched within the month either side, random
#     hashes: the lookup's cost in a big archive;
#   - the band rows' upkeep: adding BENCH_WINDOW articles, a transaction
#     each (the worst case: a crawl groups its writes up to a second), to
#     an index with and without article_bands' triggers;
#   - a crawl at that scale: the same crawl into an archive whose index
#     already holds the BENCH_WINDOW articles around now (median of
#     BENCH_RUNS), so that the share is also taken against what a crawl
#     costs per article there (whatever else grows with the index shows
#     there too);
# and prints each as CPU per article and as a share of the crawl's CPU.
# Env: NA_SRCDIR, NA_BIN, NA_BUILD; BENCH_RUNS, BENCH_WINDOW.
. "$(dirname "$0")/../scripts/crawl_common.bash"
RUNS=${BENCH_RUNS:-3}
command -v /usr/bin/time >/dev/null || fail "/usr/bin/time missing (mk/deps.sh bench)"
key=$(cat "$NA_SRCDIR"/tests/server/sitegen.py "$NA_SRCDIR"/tests/server/zhtext.py | cksum | cut -d' ' -f1)
fixture_gen syndication "$key" --preset syndication
"$PY" "$NA_SRCDIR/tests/server/fixture_server.py" --root "$ROOT" --port-file "$T/port" --log "$T/log.jsonl" \
    --max-seconds 600 --write-conf "$T/sites.conf" --archive "$T/archive" >"$T/server.out" 2>&1 &
SERVER_PID=$!
wait_server

# the drivers (tests/tools/*.c, built by the Makefile)
for tool in simhash_texts dup_lookup; do
    make -C "$NA_SRCDIR" --no-print-directory -s "build/tools/$tool" >&2 || fail "building $tool"
    cp "$NA_SRCDIR/build/tools/$tool" "$T/$tool"
done
WINDOW=${BENCH_WINDOW:-33000}

# crawls [PREFILLED]: RUNS crawls into a new archive (or one whose index is a
# copy of PREFILLED); the median CPU into $T/cpu's median
crawls() {
    : >"$T/cpu"
    for _ in $(seq "$RUNS"); do
        rm -rf "$T/archive"
        if [ -n "${1:-}" ]; then mkdir -p "$T/archive" && cp "$1" "$T/archive/index.sqlite"; fi
        /usr/bin/time -f "%U %S" -o "$T/time" "$NA_BIN" crawl -c "$T/sites.conf" -q >"$T/crawl.out" 2>&1 ||
            fail "crawl: $(cat "$T/crawl.out")"
        awk '{ printf "%.3f\n", $1 + $2 }' "$T/time" >>"$T/cpu"
    done
    sort -n "$T/cpu" | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'
}
# the big index: WINDOW articles over the month either side of now
"$T/dup_lookup" "$T/big.sqlite" 0 --fill "$WINDOW" --until $(($(date +%s) + 31 * 86400)) >/dev/null ||
    fail "dup_lookup --fill"
big_crawl_cpu=$(crawls "$T/big.sqlite")
big_runs=$(tr '\n' ' ' <"$T/cpu")
crawl_cpu=$(crawls)
"$NA_BIN" export -c "$T/sites.conf" --format jsonl >"$T/all.jsonl" || fail "export"
"$PY" - "$T/all.jsonl" "$T/texts" <<'EOF'
import json, sys
texts = [json.loads(l)["text"] or "" for l in open(sys.argv[1], encoding="utf-8")]
open(sys.argv[2], "wb").write("\0".join(texts).encode())
EOF
/usr/bin/time -f "%U %S" -o "$T/time" "$T/simhash_texts" --repeat 200 <"$T/texts" >/dev/null || fail "simhash_texts"
hash_cpu=$(awk '{ printf "%.5f\n", ($1 + $2) / 200 }' "$T/time")
n_art=$("$PY" -c 'import sqlite3, sys; print(sqlite3.connect(sys.argv[1]).execute("SELECT count(*) FROM articles").fetchone()[0])' "$T/archive/index.sqlite")
# lookups: in the crawl's own index, and in the big one (its articles at 1760000000 - 60 days .. 1760000000)
cp "$T/archive/index.sqlite" "$T/own.sqlite"
"$T/dup_lookup" "$T/own.sqlite" 3000 >"$T/own.out" || fail "dup_lookup"
"$T/dup_lookup" "$T/window.sqlite" 3000 --fill "$WINDOW" >"$T/window.out" || fail "dup_lookup --fill"
# upkeep: the same fill with and without the band rows (triggers dropped)
"$T/dup_lookup" "$T/nobands.sqlite" 0 >/dev/null || fail "dup_lookup"
"$PY" -c 'import sqlite3, sys
c = sqlite3.connect(sys.argv[1])
for t in ("ins", "upd", "del"): c.execute("DROP TRIGGER article_bands_" + t)
c.commit()' "$T/nobands.sqlite"
"$T/dup_lookup" "$T/nobands.sqlite" 0 --fill "$WINDOW" --tx-each >"$T/nobands.out" || fail "dup_lookup --tx-each"
"$T/dup_lookup" "$T/bands.sqlite" 0 --fill "$WINDOW" --tx-each >"$T/bands.out" || fail "dup_lookup --tx-each"
add_no=$(sed -n 's/^fill: \([0-9.]*\) us.*/\1/p' "$T/nobands.out")
add_yes=$(sed -n 's/^fill: \([0-9.]*\) us.*/\1/p' "$T/bands.out")
own_us=$(sed -n 's/.* \([0-9.]*\) us CPU per lookup.*/\1/p' "$T/own.out")
big_us=$(sed -n 's/.* \([0-9.]*\) us CPU per lookup.*/\1/p' "$T/window.out")
awk -v n="$n_art" -v crawl="$crawl_cpu" -v runs="$(tr '\n' ' ' <"$T/cpu")" -v hash="$hash_cpu" -v own="$own_us" \
    -v big="$big_us" -v bigcrawl="$big_crawl_cpu" -v bigruns="$big_runs" -v w="$WINDOW" \
    -v add_no="$add_no" -v add_yes="$add_yes" 'BEGIN {
    per = crawl / n * 1e6; bigper = bigcrawl / n * 1e6; h = hash / n * 1e6
    printf "crawl (syndication preset, %d articles): %.3f s CPU (median of runs: %s): %.0f us per article\n", n, crawl, runs, per
    printf "the same crawl into an index of %d articles around now: %.3f s CPU (median of runs: %s): %.0f us per article\n", w, bigcrawl, bigruns, bigper
    printf "SimHash of every text: %.4f s CPU (%.1f us per article): %.2f%% of the crawl\n", hash, h, 100 * h / per
    printf "lookup in the crawl'"'"'s own index (index_dup_root, 3,000 random hashes): %.1f us per article: %.2f%% of the crawl\n", own, 100 * own / per
    printf "near-duplicates in all (small crawl): %.2f%% of the crawl'"'"'s CPU\n", 100 * (h + own) / per
    printf "lookup in %d articles of two months: %.1f us per article: %.2f%% of the small crawl'"'"'s, %.2f%% of the crawl at that scale\n", w, big, 100 * big / per, 100 * big / bigper
    printf "near-duplicates in all at that scale: %.2f%% of the small crawl'"'"'s CPU, %.2f%% of the crawl at that scale\n", 100 * (h + big) / per, 100 * (h + big) / bigper
    up = add_yes - add_no
    printf "band rows'"'"' upkeep (%d articles added, a transaction each): %.1f us per article with, %.1f without: %.1f us, %.2f%% of the small crawl'"'"'s CPU\n", w, add_yes, add_no, up, 100 * up / per
    printf "SimHash + lookup + upkeep at that scale, a transaction per article: %.2f%% of the small crawl'"'"'s CPU\n", 100 * (h + big + up) / per
}'
cat "$T/window.out"
