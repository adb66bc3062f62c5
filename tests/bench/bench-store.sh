#!/usr/bin/env bash
# bench-store.sh — the archive's write throughput (issue 3, item 7): records/s
# and MB/s for ~40 KB pages with ~5 KB texts through archive_add, and the
# archive bytes per article (WARC files, and WARC + index). Three runs:
#   1. synthetic 40 KB pages, one durable commit (fdatasync + index commit) per capture;
#   2. the same pages, 100 captures per archive_begin/archive_commit;
#   3. real pages from /work/shared/bench/zh-cwce (if present), batched;
#   4. the crawl path: 64 bench-site articles (tests/bench/gen_bench_site.py,
#      what make bench-crawl serves), gzip level 1 + chunked as nginx sends
#      them, through archive_prepare + archive_add_prepared, 64 per commit.
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
  pkgs=$(grep -v "^#" "$NA_SRCDIR/mk/pkgs")
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

# 4. the crawl path (needs python3 for the page generator)
if command -v python3 >/dev/null 2>&1 &&
   python3 "$NA_SRCDIR/tests/bench/gen_bench_site.py" "$T/site" --articles 64 --jobs 1 >/dev/null 2>&1; then
  python3 - "$T/site" "$T/pages" <<'PY'
import json, os, re, shutil, sys
site, out = sys.argv[1:3]
os.makedirs(out)
n = 0
for h in json.load(open(os.path.join(site, "summary.json")))["hosts"]:
    rx = re.compile(h["article_regex"])
    root = os.path.join(site, h["host"])
    for d, _, files in sorted(os.walk(root)):
        for f in sorted(files):
            if rx.search("/" + os.path.relpath(os.path.join(d, f), root)):
                shutil.copy(os.path.join(d, f), os.path.join(out, "%03d.html" % n))
                n += 1
PY
  line=$("$bin" -c "$T/crawl" "$N" 64 "$T/pages")
  eval "$(echo "$line" | tr ' ' '\n' | sed 's/^/cp_/')"
  # shellcheck disable=SC2154
  printf 'crawl path: %.0f captures/s, %.0f µs CPU per capture, %.0f bytes per page (WARC; %s bench-site articles of %.1f KB, %.1f KB gzip-coded and chunked, prepare + add_prepared, 64 per commit)\n' \
    "$cp_captures_per_s" "$cp_us_cpu_per_capture" "$cp_warc_bytes_per_page" "$cp_pages" "$cp_page_kb" "$cp_wire_kb"
else
  echo "crawl path: skipped (python3 or the page generator failed)"
fi
