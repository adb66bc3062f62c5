#!/usr/bin/env bash
# quality.sh — the extraction quality gate: runs `newsarc extract --format
# json` over the three tuning corpora in ../shared/bench (trafilatura/ in one
# process; zh-cwce/ and zh-gne/ one page at a time with the page's URL and a
# fixed --now), scores each with score.py (and zh-cwce's authors here, as
# score.py has no author metric), prints one table (ours, the peers
# of issue 2, the issue's floor, the pinned floor) and fails if any metric is
# below its pinned floor in tests/quality-floors.txt (floors only move up).
# Exit 77 (skip) with a notice when the corpora are absent, as in a bare clone.
# Env: NA_BIN, NA_SRCDIR (set by the test runner), NA_BENCH_DIR (default
# $NA_SRCDIR/../shared/bench), QUALITY_OUT (keep the predictions there).
set -u
src=${NA_SRCDIR:-$(cd "$(dirname "$0")/../.." && pwd)}
bin=${NA_BIN:-$src/build/newsarc}
bench=${NA_BENCH_DIR:-$src/../shared/bench}
floors=$src/tests/quality-floors.txt
now=2024-01-01T00:00:00+08:00

if [ ! -f "$bench/score.py" ] || [ ! -d "$bench/trafilatura/pages" ]; then
  echo "quality: $bench not found: quality gate skipped" >&2
  exit 77
fi
if [ ! -x "$bin" ]; then
  echo "quality: '$bin' is not executable" >&2
  exit 1
fi
command -v python3 >/dev/null || { echo "quality: python3 not found: skipped" >&2; exit 77; }

out=${QUALITY_OUT:-$(mktemp -d "${TMPDIR:-/tmp}/newsarc-quality-XXXXXX")}
mkdir -p "$out"
[ -n "${QUALITY_OUT:-}" ] || trap 'rm -rf "$out"' EXIT

# trafilatura/: all 990 pages in one process, in the background (peak RSS
# and wall time recorded when /usr/bin/time is there).
(
  cd "$bench/trafilatura/pages" || exit 1
  if [ -x /usr/bin/time ]; then
    /usr/bin/time -f "%M %e" -o "$out/trafilatura.time" \
      "$bin" extract --format json --now "$now" ./*.gz > "$out/trafilatura.jsonl" 2> "$out/trafilatura.err"
  else
    "$bin" extract --format json --now "$now" ./*.gz > "$out/trafilatura.jsonl" 2> "$out/trafilatura.err"
  fi
) &
bg=$!

# zh-*/: one process per page, with the page's URL (what the crawler knows).
status=0
for c in zh-cwce zh-gne; do
  python3 - "$bench/$c/gold.json" > "$out/$c.list" <<'EOF' || status=1
import json, sys
for k, g in json.load(open(sys.argv[1], encoding="utf-8")).items():
    print(g.get("file", k) + "\t" + (g.get("url") or ""))
EOF
  : > "$out/$c.jsonl"
  while IFS=$'\t' read -r f url; do
    if [ -n "$url" ]; then
      "$bin" extract --format json --now "$now" --url "$url" "$bench/$c/pages/$f" >> "$out/$c.jsonl" 2>> "$out/$c.err"
    else
      "$bin" extract --format json --now "$now" "$bench/$c/pages/$f" >> "$out/$c.jsonl" 2>> "$out/$c.err"
    fi
  done < "$out/$c.list"
done
wait "$bg" || { echo "quality: newsarc extract failed on trafilatura/ (see below)" >&2; head -5 "$out/trafilatura.err" >&2; status=1; }

for c in trafilatura zh-cwce zh-gne; do
  python3 "$bench/score.py" "$bench/$c/gold.json" "$out/$c.jsonl" --json > "$out/$c.score.json" ||
    { echo "quality: score.py failed on $c" >&2; status=1; }
done
[ $status = 0 ] || exit 1

python3 - "$out" "$floors" "$bench" <<'EOF'
import json, sys
out, floors_path, bench = sys.argv[1], sys.argv[2], sys.argv[3]
# corpus, metric key, how score.py names it, peers (trafilatura 2.2,
# Readability.js, GNE) and the floor for issue 2
rows = [
    ("trafilatura", "snippets_f1", ("snippets", "f1"), (0.925, 0.889, 0.662), 0.930),
    ("zh-cwce", "body_f1", ("body", "f1"), (0.903, 0.932, 0.731), 0.940),
    ("zh-cwce", "date_day", ("meta", "date_day"), (None, None, 0.510), 0.85),
    ("zh-cwce", "authors_exact", ("authors", "exact"), (0.02, None, 0.26), 0.85),
    ("zh-cwce", "authors_lenient", ("authors", "lenient"), (0.04, None, 0.28), 0.85),
    ("zh-gne", "body_f1", ("body", "f1"), (0.858, 0.956, 0.923), 0.965),
    ("zh-gne", "snippets_f1", ("snippets", "f1"), (0.800, 0.880, 0.857), 0.930),
    ("zh-gne", "title_exact", ("meta", "title_exact"), (None, None, 0.897), 0.93),
    ("zh-gne", "date_day", ("meta", "date_day"), (None, None, 0.872), 0.93),
]
pinned = {}
for line in open(floors_path, encoding="utf-8"):
    line = line.split("#", 1)[0].split()
    if len(line) == 3:
        pinned[(line[0], line[1])] = float(line[2])
scores = {c: json.load(open(f"{out}/{c}.score.json", encoding="utf-8")) for c in ("trafilatura", "zh-cwce", "zh-gne")}


# Authors (score.py has no author metric): over the pages whose gold names
# an author, exact when both name the same people (separators and spaces
# aside: "赵延东、风笑天" = "赵延东 风笑天"), lenient when ours is not empty
# and one holds the other or they share a name.
def authors(corpus):
    import re
    gold = json.load(open(f"{bench}/{corpus}/gold.json", encoding="utf-8"))
    pred = {}
    for line in open(f"{out}/{corpus}.jsonl", encoding="utf-8"):
        o = json.loads(line)
        pred[re.sub(r"\.(html?|gz)$", "", o["file"].rsplit("/", 1)[-1])] = o.get("author") or ""
    sep = re.compile(r"[\s、，,;；/|]+")
    norm = lambda s: sep.sub("", s).lower()
    names = lambda s: {x for x in sep.split(s.lower()) if x}
    n = ex = le = 0
    for k, g in gold.items():
        ga = g.get("author")
        if not ga:
            continue
        pa = pred.get(re.sub(r"\.(html?|gz)$", "", g.get("file", k)), "")
        n += 1
        e = norm(pa) == norm(ga)
        ex += e
        le += bool(pa) and (e or norm(ga) in norm(pa) or norm(pa) in norm(ga) or bool(names(pa) & names(ga)))
    return {"exact": ex / n, "lenient": le / n, "pages": n} if n else {}


scores["zh-cwce"]["authors"] = authors("zh-cwce")
fmt = lambda v: "–" if v is None else f"{v:.3f}"
print(f"{'corpus':<12} {'metric':<15} {'ours':>6}  {'traf2.2':>7} {'Rdblty':>7} {'GNE':>6}  {'issue':>6} {'pinned':>6}")
fails = []
for corpus, metric, (sec, key), peers, issue_floor in rows:
    ours = scores[corpus].get(sec, {}).get(key)
    pin = pinned.get((corpus, metric))
    mark = ""
    if ours is None:
        fails.append(f"{corpus} {metric}: no score")
    elif pin is not None and ours + 1e-9 < pin:
        fails.append(f"{corpus} {metric} {ours:.3f} < pinned floor {pin:.3f}")
        mark = "  FAIL"
    elif ours + 1e-9 < issue_floor:
        mark = "  (below issue floor)"
    print(f"{corpus:<12} {metric:<15} {fmt(ours):>6}  {fmt(peers[0]):>7} {fmt(peers[1]):>7} {fmt(peers[2]):>6}  "
          f"{issue_floor:>6.3f} {fmt(pin):>6}{mark}")
for c in ("trafilatura", "zh-cwce", "zh-gne"):
    if scores[c].get("missing"):
        print(f"{c}: {len(scores[c]['missing'])} pages missing from the output")
try:
    rss, secs = open(f"{out}/trafilatura.time").read().split()[:2]
    print(f"trafilatura/ in one process: {int(rss) // 1024} MB peak RSS, {float(secs):.1f} s wall")
except (OSError, ValueError):
    pass
if fails:
    print("quality gate FAILED: " + "; ".join(fails))
    sys.exit(1)
EOF
