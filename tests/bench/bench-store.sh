#!/usr/bin/env bash
# bench-store.sh — the archive's write throughput (issue 3, item 7): records/s
# and MB/s for ~40 KB pages with ~5 KB texts through archive_add, and the
# archive bytes per article (WARC files, and WARC + index). Three runs:
#   1. synthetic 40 KB pages, one durable commit (fdatasync + index commit) per capture;
#   2. the same pages, 100 captures per archive_begin/archive_commit;
#   3. real pages from /work/shared/bench/zh-cwce (if present), batched.
# Runs alone (bash tests/bench/bench-store.sh after make) or from bench.sh.
# BENCH_STORE_N sets the number of captures (default 2000).
set -eu
: "${NA_SRCDIR:=$(cd "$(dirname "$0")/../.." && pwd)}"
: "${NA_BUILD:=$NA_SRCDIR/build}"
N=${BENCH_STORE_N:-2000}
CORPUS=${BENCH_CORPUS:-$NA_SRCDIR/../shared/bench/zh-cwce/pages}
lib="$NA_BUILD/libnewsarc.a"
bin="$NA_BUILD/bench-store"
src="$NA_SRCDIR/tests/bench/bench_store.c"
[ -f "$lib" ] || { echo "bench-store: $lib is missing (run make first)" >&2; exit 1; }
if [ ! -x "$bin" ] || [ "$bin" -ot "$src" ] || [ "$bin" -ot "$lib" ]; then
  pkgs="libcurl libxml-2.0 gumbo sqlite3 zlib libcrypto uchardet inih jansson"
  # shellcheck disable=SC2046
  cc -std=gnu11 -O2 -g -I"$NA_SRCDIR" -D_GNU_SOURCE $(pkg-config --cflags $pkgs) -o "$bin.tmp" "$src" "$lib" \
     $(pkg-config --libs $pkgs) -lpthread -lm
  mv "$bin.tmp" "$bin"
fi
T=$(mktemp -d "${TMPDIR:-/tmp}/na-bench-store-XXXXXX")
trap 'rm -rf "$T"' EXIT

run() { # NAME BATCH [CORPUS]
  local name=$1 batch=$2; shift 2
  local line
  line=$("$bin" "$T/$name" "$N" "$batch" "$@")
  echo "$line" >"$T/$name.txt"
  # shellcheck disable=SC2086
  eval "$(echo "$line" | tr ' ' '\n' | sed 's/^/local /')"
  printf '%-26s %5s captures: %6.0f records/s %5.0f captures/s %5.1f MB/s in, %5.2f MB/s out (wall); %6.0f records/s %5.1f MB/s in per CPU second; %6.0f B/article WARC, %6.0f with index (page %.1f KB, text %.1f KB)\n' \
    "$name" "$captures" "$records_per_s" "$captures_per_s" "$in_mb_per_s" "$out_mb_per_s" \
    "$records_per_cpu_s" "$in_mb_per_cpu_s" "$warc_bytes_per_article" "$total_bytes_per_article" "$page_kb" "$text_kb"
  rm -rf "${T:?}/$name"
}

echo "bench-store: $N captures per run, 4 records each (request, response, conversion, metadata);"
echo "  wall-clock figures depend on the machine's load and fsync latency, per-CPU-second ones less so"
run "synthetic, commit each" 1
run "synthetic, batch 100" 100
if [ -d "$CORPUS" ]; then
  run "zh-cwce pages, batch 100" 100 "$CORPUS"
fi
