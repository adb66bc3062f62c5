#!/bin/bash
# bench-crawl.sh — `make bench-crawl` (issue 4 item 8). Serves the generated
# bench site set (tests/bench/gen_bench_site.py: 20,000 ~40 KB articles and
# their listing pages over 10 hosts, 2 GBK) with nginx on 127.0.0.1 (gzip on,
# everything under build/), then in the same run:
#   1. wget2 -r --max-threads=8 crawling the same pages (fetch only, gzip),
#   2. newsarc crawl: fetch, extract and archive them (politeness off),
#   3. politeness on: 1 s per host, 10 hosts, 300 pages: wall time vs the floor.
# Prints a table (also written to build/bench-crawl.txt) with pages/s, CPU
# seconds and peak RSS (/usr/bin/time -v). nginx is stopped on exit.
# Environment: BENCH_ARTICLES (default 20000), BENCH_PORT (default 18950).
set -eu
: "${NA_SRCDIR:?}" "${NA_BIN:?}" "${NA_BUILD:?}"
PY=/usr/bin/python3
[ -x "$PY" ] || PY=$(command -v python3)
ARTICLES=${BENCH_ARTICLES:-20000}
SITE=$NA_BUILD/bench-site
POLITE=$NA_BUILD/bench-polite
ARCH=$NA_BUILD/bench-archive
WGET_OUT=$NA_BUILD/bench-wget2
REPORT=$NA_BUILD/bench-crawl.txt
NGINX_DIRS=""

stop_nginx() {
    for d in $NGINX_DIRS; do
        [ -f "$d/nginx.pid" ] && nginx -p "$d" -c "$d/nginx.conf" -s stop 2>/dev/null || true
    done
}
trap stop_nginx EXIT

for tool in nginx wget2 /usr/bin/time; do
    command -v "$tool" >/dev/null || { echo "bench-crawl: '$tool' missing (mk/deps.sh bench)" >&2; exit 1; }
done

port_free() { ! "$PY" -c "import socket,sys; s=socket.socket(); s.connect(('127.0.0.1', int(sys.argv[1])))" "$1" 2>/dev/null; }
free_port() {
    local p=$1
    while ! port_free "$p"; do p=$((p + 1)); done
    echo "$p"
}

# gen DIR ARTICLES PORT [ARGS]: generates the set unless it is there; moves it to PORT.
gen() {
    local dir=$1 n=$2 port=$3
    shift 3
    if [ ! -f "$dir/summary.json" ] || [ "$("$PY" -c 'import json,sys; print(json.load(open(sys.argv[1]))["articles"])' "$dir/summary.json")" != "$n" ]; then
        rm -rf "$dir"
        echo "generating $n articles into $dir" >&2
        "$PY" "$NA_SRCDIR/tests/bench/gen_bench_site.py" "$dir" --articles "$n" --port "$port" "$@" >&2
    fi
    local old
    old=$("$PY" -c 'import json,sys; print(json.load(open(sys.argv[1]))["port"])' "$dir/summary.json")
    if [ "$old" != "$port" ]; then
        sed -i "s/:$old\\b/:$port/g" "$dir/sites.conf" "$dir/urls.txt" "$dir/nginx.conf"
        "$PY" - "$dir/summary.json" "$port" <<'PY'
import json, sys
s = json.load(open(sys.argv[1])); s["port"] = int(sys.argv[2]); json.dump(s, open(sys.argv[1], "w"), indent=1)
PY
    fi
    mkdir -p "$dir/tmp"
}

start_nginx() {
    local dir=$1
    nginx -p "$dir" -c "$dir/nginx.conf"
    NGINX_DIRS="$NGINX_DIRS $dir"
}

# timed LABEL CMD...: runs CMD under /usr/bin/time -v; sets WALL CPU RSS.
timed() {
    local label=$1
    shift
    /usr/bin/time -v -o "$NA_BUILD/bench-time-$label.txt" "$@"
    WALL=$(awk -F': ' '/Elapsed/ { n = split($2, a, ":"); s = 0; for (i = 1; i <= n; i++) s = s * 60 + a[i]; print s }' "$NA_BUILD/bench-time-$label.txt")
    CPU=$(awk -F': ' '/User time|System time/ { s += $2 } END { printf "%.1f", s }' "$NA_BUILD/bench-time-$label.txt")
    RSS=$(awk -F': ' '/Maximum resident/ { printf "%.1f", $2 / 1024 }' "$NA_BUILD/bench-time-$label.txt")
}

mkdir -p "$NA_BUILD"
PORT=$(free_port "${BENCH_PORT:-18950}")
gen "$SITE" "$ARTICLES" "$PORT"
start_nginx "$SITE"
PAGES=$(wc -l <"$SITE/urls.txt")
echo "bench-crawl: $PAGES pages on 10 hosts, nginx on 127.0.0.1:$PORT (gzip on)" >&2

# The store may still be the placeholder: then newsarc runs without archiving.
DRY=
if "$NA_BIN" crawl -c "$SITE/sites.conf" -a "$ARCH.probe" --site no-such-site 2>&1 | grep -q "not implemented"; then
    DRY=--dry-run
    echo "bench-crawl: the store is a placeholder in this build: newsarc runs --dry-run (no archiving)" >&2
fi
rm -rf "$ARCH.probe"

# 1. wget2, fetch only, as the issue runs it: `wget2 -r --max-threads=8`,
# recursive from the same first listing pages newsarc starts from (-l 0: the
# pagination chains are longer than the default depth of 5), so it too finds
# its links in the pages it fetches. The hosts reach nginx through it as a
# proxy (absolute request targets). wget2 also asks for the pages' CSS and JS,
# which 404; only the pages it saved are counted.
rm -rf "$WGET_OUT"
grep '^listing = ' "$SITE/sites.conf" | sed 's/^listing = //' >"$NA_BUILD/bench-wget2-starts.txt"
timed wget2 env http_proxy="http://127.0.0.1:$PORT" wget2 -q -r -l 0 --max-threads=8 --compression=gzip \
    -i "$NA_BUILD/bench-wget2-starts.txt" -P "$WGET_OUT" || true
W_WALL=$WALL W_CPU=$CPU W_RSS=$RSS
W_PAGES=$(find "$WGET_OUT" -type f | wc -l)
rm -rf "$WGET_OUT"

# 2. newsarc: fetch + extract + archive.
rm -rf "$ARCH"
timed newsarc "$NA_BIN" crawl -c "$SITE/sites.conf" -a "$ARCH" $DRY >"$NA_BUILD/bench-newsarc.out" 2>"$NA_BUILD/bench-newsarc.err" || true
N_WALL=$WALL N_CPU=$CPU N_RSS=$RSS
N_PAGES=$(awk '{ for (i = 1; i < NF; i++) { if ($(i+1) == "listing") l += $i; if ($(i+1) == "new") a += $i } } END { print l + a }' "$NA_BUILD/bench-newsarc.out")
N_ERR=$(awk '{ for (i = 1; i < NF; i++) if ($(i+1) ~ /^errors?,$/) e += $i } END { print e + 0 }' "$NA_BUILD/bench-newsarc.out")
A_BYTES=0
[ -d "$ARCH/warc" ] && A_BYTES=$(du -sb "$ARCH" | cut -f1)

# 3. politeness on: 10 hosts x 30 pages, 1 s per host, one connection each.
PPORT=$(free_port $((PORT + 1)))
gen "$POLITE" 270 "$PPORT"
sed -i 's/^delay = 0$/delay = 1/; s/^per_host_connections = .*/per_host_connections = 1/' "$POLITE/sites.conf"
start_nginx "$POLITE"
rm -rf "$POLITE/archive"
timed polite "$NA_BIN" crawl -c "$POLITE/sites.conf" -a "$POLITE/archive" $DRY >"$NA_BUILD/bench-polite.out" 2>&1 || true
P_WALL=$WALL
# floor: the busiest host's requests (robots.txt, listing pages, articles) one second apart
P_FLOOR=$(awk '{ n = 1; for (i = 1; i < NF; i++) { if ($(i+1) == "listing") n += $i; if ($(i+1) == "new") n += $i } if (n > m) m = n; t += n - 1 } END { print m - 1 }' "$NA_BUILD/bench-polite.out")
P_PAGES=$(awk '{ for (i = 1; i < NF; i++) { if ($(i+1) == "listing") l += $i; if ($(i+1) == "new") a += $i } } END { print l + a }' "$NA_BUILD/bench-polite.out")

"$PY" - "$PAGES" "$W_PAGES" "$W_WALL" "$W_CPU" "$W_RSS" "$N_PAGES" "$N_WALL" "$N_CPU" "$N_RSS" "$N_ERR" "$A_BYTES" \
    "$P_PAGES" "$P_WALL" "$P_FLOOR" "${DRY:-archive}" <<'PY' | tee "$REPORT"
import sys
(pages, wp, ww, wc, wr, np_, nw, nc, nr, ne, ab, pp, pw, pf, mode) = sys.argv[1:16]
pages, wp, np_, ne, ab, pp = map(int, (pages, wp, np_, ne, ab, pp))
ww, wc, wr, nw, nc, nr, pw, pf = map(float, (ww, wc, wr, nw, nc, nr, pw, pf))
wrate, nrate = wp / ww, np_ / nw
print("bench-crawl: %d pages (listing + articles), 10 hosts, nginx gzip on, 2 cores shared" % pages)
print("%-44s %8s %9s %8s %8s %9s" % ("", "pages", "pages/s", "wall s", "CPU s", "RSS MB"))
print("%-44s %8d %9.0f %8.1f %8.1f %9.1f" % ("wget2 -r --max-threads=8 (fetch only, gzip)", wp, wrate, ww, wc, wr))
label = "newsarc crawl (fetch+extract+archive)" if mode == "archive" else "newsarc crawl --dry-run (fetch+extract)"
print("%-44s %8d %9.0f %8.1f %8.1f %9.1f" % (label, np_, nrate, nw, nc, nr))
print("newsarc / wget2 pages/s: %.2fx (floor 0.7x, goal 1.0x): %s" % (nrate / wrate, "ok" if nrate >= 0.7 * wrate else "BELOW FLOOR"))
print("newsarc peak RSS %.1f MB (floor 100 MB): %s" % (nr, "ok" if nr <= 100 else "ABOVE FLOOR"))
print("newsarc errors: %d%s" % (ne, "" if not ab else "; archive %.1f MB (%.1f KB per page)" % (ab / 1e6, ab / 1e3 / max(np_, 1))))
print("politeness on (1 s per host, 1 connection, 10 hosts): %d pages in %.1f s; floor %.0f s (busiest host's requests - 1); %.3fx (floor 1.05x): %s" % (
    pp, pw, pf, pw / pf if pf else 0, "ok" if pf and pw <= 1.05 * pf else "ABOVE FLOOR"))
PY
