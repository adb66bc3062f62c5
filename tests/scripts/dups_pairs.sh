#!/usr/bin/env bash
# dups_pairs.sh — near-duplicate clusters on labelled pairs from the dev
# corpora (../shared/bench: zh-cwce, zh-gne, trafilatura): newsarc extracts
# every page (zh-* one page at a time with its URL, trafilatura/ in one
# process, as quality.sh does), tests/tools/dup_pairs.py builds the pool (gold
# texts, extractions, changed titles, added paragraphs, reports with other
# numbers, and the hand labels of tests/data/dup-pairs.tsv), hashes it through
# util/simhash (tests/tools/simhash_texts.c, with the threshold and bands of
# util/simhash.h), clusters as the index does and prints pair-level precision
# and recall; both must be >= 0.95. Exit 77 (skip) when the corpora are absent.
# Env: NA_BIN, NA_SRCDIR, NA_BUILD (set by the test runner), NA_BENCH_DIR.
set -u
src=${NA_SRCDIR:-$(cd "$(dirname "$0")/../.." && pwd)}
bin=${NA_BIN:-$src/build/newsarc}
build=${NA_BUILD:-$src/build}
bench=${NA_BENCH_DIR:-$src/../shared/bench}
now=2024-01-01T00:00:00+08:00
if [ ! -f "$bench/zh-gne/gold.json" ] || [ ! -d "$bench/trafilatura/pages" ]; then
  echo "dups_pairs: $bench not found: skipped" >&2
  exit 77
fi
PY=/usr/bin/python3
[ -x "$PY" ] || PY=$(command -v python3) || { echo "dups_pairs: python3 not found: skipped" >&2; exit 77; }
out=$(mktemp -d "${TMPDIR:-/tmp}/newsarc-dups-pairs-XXXXXX")
trap 'rm -rf "$out"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

# the driver (make test builds build/tools/simhash_texts)
hasher=$build/tools/simhash_texts
[ -x "$hasher" ] || fail "$hasher is missing (make test builds it)"

(cd "$bench/trafilatura/pages" && "$bin" extract --format json --now "$now" ./*.gz >"$out/trafilatura.jsonl" 2>"$out/trafilatura.err") &
bg=$!
for c in zh-cwce zh-gne; do
  "$PY" - "$bench/$c/gold.json" >"$out/$c.list" <<'EOF' || fail "$c/gold.json"
import json, sys
for k, g in sorted(json.load(open(sys.argv[1], encoding="utf-8")).items()):
    print(g.get("file", k) + "\t" + (g.get("url") or ""))
EOF
  : >"$out/$c.jsonl"
  while IFS=$'\t' read -r f url; do
    "$bin" extract --format json --now "$now" ${url:+--url "$url"} "$bench/$c/pages/$f" >>"$out/$c.jsonl" 2>>"$out/$c.err"
  done <"$out/$c.list"
done
wait "$bg" || fail "newsarc extract on trafilatura/: $(head -3 "$out/trafilatura.err")"
"$PY" "$src/tests/tools/dup_pairs.py" --bench "$bench" --pred "$out" --labels "$src/tests/data/dup-pairs.tsv" \
  --hasher "$hasher" || fail "pair-level precision or recall below 0.95"
echo "dups_pairs: ok"
