#!/usr/bin/env bash
# snapshot-extract.sh — writes what `newsarc extract` makes of every page of
# ../shared/bench (zh-cwce, zh-gne, trafilatura) into OUTDIR, so that two
# builds can be compared byte for byte (diff -r OUT1 OUT2) after a change
# meant to leave the output alone (a speed-up). Per corpus: one JSON line and
# the --explain lines per page (one process per page, with the gold's URL
# when it has one, and a fixed --now), and the text format of all pages in
# one process (the worker context reused across pages, as in a crawl).
# Usage: snapshot-extract.sh OUTDIR   Env: NA_BIN, NA_BENCH_DIR.
set -eu
src=$(cd "$(dirname "$0")/../.." && pwd)
bin=${NA_BIN:-$src/build/newsarc}
bench=${NA_BENCH_DIR:-$src/../shared/bench}
out=${1:?usage: snapshot-extract.sh OUTDIR}
now=2024-01-01T00:00:00+08:00
mkdir -p "$out"
for c in zh-cwce zh-gne trafilatura; do
  [ -d "$bench/$c/pages" ] || continue
  python3 - "$bench/$c/gold.json" "$bench/$c/pages" > "$out/$c.list" <<'PY'
import json, os, sys
gold = json.load(open(sys.argv[1], encoding="utf-8"))
urls = {g.get("file", k): (g.get("url") or "") for k, g in gold.items()}
for f in sorted(os.listdir(sys.argv[2])):
    print(f + "\t" + urls.get(f, ""))
PY
  : > "$out/$c.jsonl"
  : > "$out/$c.explain"
  while IFS=$'\t' read -r f url; do
    set -- --format json --now "$now" --explain
    [ -z "$url" ] || set -- "$@" --url "$url"
    echo "== $f" >> "$out/$c.explain"
    "$bin" extract "$@" "$bench/$c/pages/$f" >> "$out/$c.jsonl" 2>> "$out/$c.explain" || true
  done < "$out/$c.list"
  (cd "$bench/$c/pages" && "$bin" extract --now "$now" ./*) > "$out/$c.txt" 2> "$out/$c.txt.err" || true
done
