#!/usr/bin/env bash
# bench-export.sh — the read side's two figures (issue 3, item 7):
#  1. `newsarc export --format jsonl` articles/s next to `zcat` of the same
#     WARC bytes (goal: at least 0.5x zcat's articles/s);
#  2. archive bytes per article next to `wget --warc-file` fetching the same
#     pages from the same local server (goal: no larger, although newsarc
#     also keeps the clean text and the metadata).
# Pages: /work/shared/bench/zh-cwce (real ~45 KB news pages), each served
# under BENCH_COPIES names (default 10), by python3 -m http.server on
# 127.0.0.1 (stopped at the end). newsarc's archive is written through the
# store API by tests/tools/mkarchive (libcurl, raw bytes, article_extract).
set -u
: "${NA_SRCDIR:=$(cd "$(dirname "$0")/../.." && pwd)}"
: "${NA_BUILD:=$NA_SRCDIR/build}"
: "${NA_BIN:=$NA_BUILD/newsarc}"
export NA_SRCDIR NA_BUILD NA_BIN
COPIES=${BENCH_COPIES:-10}
REPEAT=${BENCH_REPEAT:-5}
CORPUS=${BENCH_CORPUS:-$NA_SRCDIR/../shared/bench/zh-cwce/pages}
. "$NA_SRCDIR/tests/tools/mkarchive.sh"
build_mkarchive || exit 1
command -v wget >/dev/null || { echo "bench-export: wget is not installed" >&2; exit 1; }
T=$(mktemp -d "${TMPDIR:-/tmp}/na-bench-export-XXXXXX")
SRV=""
cleanup() {
  [ -n "$SRV" ] && kill "$SRV" 2>/dev/null && wait "$SRV" 2>/dev/null
  rm -rf "$T"
}
trap cleanup EXIT
[ -n "${BENCH_KEEP:-}" ] && trap - EXIT && echo "bench-export: keeping $T" >&2

# ---- pages ----
mkdir -p "$T/site"
if [ -d "$CORPUS" ]; then
  for c in $(seq "$COPIES"); do
    for f in "$CORPUS"/*.html; do cp "$f" "$T/site/$c-$(basename "$f")"; done
  done
else
  # No corpus: synthetic 40 KB pages holding 5 KB of text.
  python3 - "$T/site" "$COPIES" <<'EOF'
import random, sys
random.seed(7)
words = "工程 项目 签约 投资 建设 园区 企业 发展 产业 经济 水泥 钢铁 电力 能源 市场 政策".split()
for i in range(69 * int(sys.argv[2])):
    text = "".join("<p>%s。</p>\n" % "".join(random.choice(words) for _ in range(40)) for _ in range(14))
    nav = "".join('<li><a href="/c/%d.html">%s</a></li>' % (k, random.choice(words)) for k in range(400))
    page = ('<!DOCTYPE html><html><head><meta charset="utf-8"><title>新闻 %d</title>'
            '<style>%s</style></head><body><ul class="nav">%s</ul><div class="article">%s</div>'
            '<script>%s</script></body></html>') % (i, "a{color:red}" * 300, nav, text, "var x=1;" * 600)
    open("%s/%d.html" % (sys.argv[1], i), "w", encoding="utf-8").write(page)
EOF
fi
N=$(ls "$T/site" | wc -l)
PAGE_BYTES=$(cat "$T/site"/* | wc -c)

# ---- serve and fetch with both ----
python3 -u -m http.server 0 --bind 127.0.0.1 --directory "$T/site" >"$T/srv.log" 2>&1 &
SRV=$!
for _ in $(seq 100); do grep -q "port" "$T/srv.log" && break; sleep 0.1; done
PORT=$(grep -o 'port [0-9]*' "$T/srv.log" | head -1 | grep -o '[0-9]*')
[ -n "$PORT" ] || { echo "bench-export: http.server did not start" >&2; exit 1; }
ls "$T/site" | sort | sed "s|^|http://127.0.0.1:$PORT/|" >"$T/urls"
mkdir -p "$T/wget"
(cd "$T/wget" && wget -q --warc-file=pages -i "$T/urls" -O /dev/null) || { echo "bench-export: wget failed" >&2; exit 1; }
"$MKARCHIVE" "$T/arch" fetch --site bench - <"$T/urls" || { echo "bench-export: mkarchive fetch failed" >&2; exit 1; }
kill "$SRV"; wait "$SRV" 2>/dev/null; SRV=""

WGET_BYTES=$(stat -c %s "$T/wget/pages.warc.gz")
NA_WARC_BYTES=$(cat "$T/arch"/warc/*.warc.gz | wc -c)
NA_INDEX_BYTES=$(cat "$T/arch"/index.sqlite* | wc -c)
ARTICLES=$("$NA_BIN" export -a "$T/arch" --format jsonl | wc -l)

# ---- export jsonl vs zcat ----
best() { # "WALL CPU": the best wall and CPU (user+sys) seconds of REPEAT runs, stdout to /dev/null
  python3 - "$REPEAT" "$@" <<'PY'
import os, resource, subprocess, sys, time
walls, cpus = [], []
for _ in range(int(sys.argv[1])):
    r0 = resource.getrusage(resource.RUSAGE_CHILDREN); t0 = time.perf_counter()
    subprocess.run(sys.argv[2:], stdout=subprocess.DEVNULL, check=True)
    t1 = time.perf_counter(); r1 = resource.getrusage(resource.RUSAGE_CHILDREN)
    walls.append(t1 - t0); cpus.append(r1.ru_utime - r0.ru_utime + r1.ru_stime - r0.ru_stime)
print("%.4f %.4f" % (min(walls), min(cpus)))
PY
}
read -r T_EXPORT C_EXPORT < <(best "$NA_BIN" export -a "$T/arch" --format jsonl)
read -r T_ZCAT C_ZCAT < <(best sh -c "zcat '$T/arch'/warc/*.warc.gz")
read -r T_TEXT C_TEXT < <(best "$NA_BIN" export -a "$T/arch" --format text)

awk -v n="$ARTICLES" -v te="$T_EXPORT" -v tz="$T_ZCAT" -v tt="$T_TEXT" -v ce="$C_EXPORT" -v cz="$C_ZCAT" \
    -v ct="$C_TEXT" -v pages="$N" -v pb="$PAGE_BYTES" -v load="$(cut -d' ' -f1 /proc/loadavg)" \
    -v wb="$WGET_BYTES" -v nb="$NA_WARC_BYTES" -v ib="$NA_INDEX_BYTES" 'BEGIN {
  printf "pages: %d (%.1f KB average HTML), %d articles exported\n", pages, pb / pages / 1024, n
  printf "(best of '"$REPEAT"' runs; load average %s; CPU = user+sys)\n", load
  printf "export --format jsonl:  wall %.4f s = %6.0f articles/s, CPU %.3f s = %6.0f articles/s\n", te, n / te, ce, n / ce
  printf "export --format text:   wall %.4f s = %6.0f articles/s, CPU %.3f s = %6.0f articles/s\n", tt, n / tt, ct, n / ct
  printf "zcat of the WARC files: wall %.4f s = %6.0f articles/s, CPU %.3f s = %6.0f articles/s (%.0f MB/s of WARC)\n", tz, n / tz, cz, n / cz, nb / tz / 1e6
  printf "jsonl / zcat speed: %.2fx wall, %.2fx CPU (goal >= 0.5x)\n", tz / te, cz / ce
  printf "wget --warc-file: %d bytes = %.0f bytes/page\n", wb, wb / pages
  printf "newsarc WARC:     %d bytes = %.0f bytes/page (%.2fx wget; goal <= 1.00x); index.sqlite %.0f bytes/page more\n",
         nb, nb / pages, nb / wb, ib / pages
}'
