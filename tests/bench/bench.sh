#!/usr/bin/env bash
# bench.sh — `make bench`: parser speed and memory on trafilatura/ (990
# pages), single-threaded, one process, pages preloaded (decompression not
# timed): Gumbo's bare parse of the raw bytes, dom_parse, and article_extract
# end to end, then the quality table of every corpus (tests/scripts/quality.sh,
# which also gives the peak RSS of `newsarc extract` over all 990 pages).
# Goals (issue 2): end-to-end >= 1.5x Gumbo's bare parse; RSS <= 64 MB.
# Then the store's benchmarks (bench-store.sh, bench-export.sh).
# Env: NA_BIN, NA_SRCDIR, NA_BUILD (set by make), NA_BENCH_DIR, ROUNDS (1).
set -u
src=${NA_SRCDIR:-$(cd "$(dirname "$0")/../.." && pwd)}
build=${NA_BUILD:-$src/build}
bench=${NA_BENCH_DIR:-$src/../shared/bench}
pages=$bench/trafilatura/pages
if [ ! -d "$pages" ]; then
  echo "bench: $pages not found: nothing to measure" >&2
  exit 0
fi

echo "== speed: $pages, single-threaded, CPU time, decompression excluded"
speed=$("$build/bench-parse" -r "${ROUNDS:-1}" "$pages") || { echo "bench: bench-parse failed" >&2; exit 1; }
echo "$speed"

echo
echo "== quality (tests/scripts/quality.sh)"
q=$(NA_SRCDIR=$src NA_BIN=${NA_BIN:-$build/newsarc} NA_BENCH_DIR=$bench bash "$src/tests/scripts/quality.sh")
qs=$?
echo "$q"

echo
echo "== goals"
gumbo=$(echo "$speed" | awk '$1 == "gumbo" { print $(NF-3) }')
extract=$(echo "$speed" | awk '$1 == "extract" { print $(NF-3) }')
rss=$(echo "$q" | sed -n 's/.*one process: \([0-9]*\) MB peak RSS.*/\1/p')
awk -v g="$gumbo" -v e="$extract" -v r="$rss" 'BEGIN {
  if (g > 0) printf "end-to-end %.1f pages/s = %.2fx Gumbo bare parse (%.1f pages/s): goal >= 1.5x %s\n",
                    e, e / g, g, (e / g >= 1.5 ? "met" : "NOT met");
  if (r != "") printf "peak RSS of newsarc extract over all pages: %d MB: goal <= 64 MB %s\n",
                      r, (r <= 64 ? "met" : "NOT met");
}'
[ $qs = 0 ] || echo "(the quality gate fails: see the table)"

# The archive (issue 3 item 7): write throughput, bytes per article, export
# speed next to zcat and size next to wget --warc-file. The crawl benchmark
# (nginx, wget2, 20,000 pages) is `make bench-crawl`.
echo
echo "== store: write throughput (tests/bench/bench-store.sh)"
BENCH_STORE_N=${BENCH_STORE_N:-1000} bash "$src/tests/bench/bench-store.sh" || echo "bench: bench-store failed"
echo
echo "== store: export and size (tests/bench/bench-export.sh)"
bash "$src/tests/bench/bench-export.sh" || echo "bench: bench-export failed"
echo
echo "== store: a million articles (tests/bench/bench-million.sh)"
NA_SRCDIR=$src NA_BUILD=$build bash "$src/tests/bench/bench-million.sh" || echo "bench: bench-million: goals not met"
exit 0
