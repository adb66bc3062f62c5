#!/bin/bash
# bench-template.sh — the site templates' figures (issue 16, class 1): the
# generated "promo" set (tests/server/sitegen.py --preset promo: 3 sites x
# 300 articles, each article ending with its site's own promo, disclaimer or
# contact block in varying words and numbers) crawled from the fixture
# server on 127.0.0.1 with learn_boilerplate = no and = yes, each RUNS times
# (alternating). Prints per site the articles that keep a promo paragraph,
# the truth paragraphs missing from the text (wrongly removed), the
# template's log line, and the crawl's CPU seconds (user + sys) with and
# without. Not part of `make test`:
#   NA_SRCDIR=. NA_BIN=build/newsarc NA_BUILD=build bash tests/bench/bench-template.sh
# Environment: RUNS (default 3).
set -eu
: "${NA_SRCDIR:?}" "${NA_BIN:?}" "${NA_BUILD:?}"
PY=/usr/bin/python3
[ -x "$PY" ] || PY=$(command -v python3)
RUNS=${RUNS:-3}
T=$(mktemp -d "${TMPDIR:-/tmp}/na-bench-template-XXXXXX")
SP=""
trap '[ -n "$SP" ] && kill "$SP" 2>/dev/null; rm -rf "$T"' EXIT
"$PY" "$NA_SRCDIR/tests/server/sitegen.py" --preset promo --out "$T/site" --quiet

# crawl LEARN OUT: one crawl of the set into OUT; CPU seconds in OUT/cpu
crawl() {
    local o=$2
    rm -rf "$o"
    mkdir -p "$o"
    "$PY" "$NA_SRCDIR/tests/server/fixture_server.py" --root "$T/site" --port-file "$o/port" --log "$o/log.jsonl" \
        --max-seconds 300 --write-conf "$o/sites.conf" --archive "$o/archive" >"$o/server.out" 2>&1 &
    SP=$!
    for _ in $(seq 100); do [ -s "$o/port" ] && break; sleep 0.1; done
    [ "$1" = no ] && sed -i 's/^\(\[site .*\]\)$/\1\nlearn_boilerplate = no/' "$o/sites.conf"
    /usr/bin/time -f "%U %S" -o "$o/time" "$NA_BIN" crawl -vv -c "$o/sites.conf" >"$o/crawl.out" 2>&1
    kill "$SP"
    wait "$SP" 2>/dev/null || true
    SP=""
    awk '{ printf "%.2f\n", $1 + $2 }' "$o/time" >"$o/cpu"
    "$NA_BIN" export -a "$o/archive" --format jsonl >"$o/out.jsonl"
}

for i in $(seq "$RUNS"); do
    for l in no yes; do
        crawl "$l" "$T/$l-$i"
    done
done
for l in no yes; do
    echo "== learn_boilerplate = $l (run 1)"
    grep -h "template:\|site templates" "$T/$l-1/crawl.out" | sed 's/^[^ ]* [a-z]*: //' || true
    "$PY" - "$T/site" "$T/$l-1/out.jsonl" <<'PY'
import glob, json, os, re, sys
root, out = sys.argv[1:3]
truth = {}
for f in glob.glob(os.path.join(root, "*.truth.json")):
    t = json.load(open(f, encoding="utf-8"))
    truth[t["host"]] = t["articles"]
norm = lambda s: re.sub(r"\s+", "", s)
st = {}
for line in open(out, encoding="utf-8"):
    r = json.loads(line)
    host, path = re.match(r"https?://([^:/]+)(?::\d+)?(/.*)", r["url"]).groups()
    a = truth[host][path]
    text = norm(r["text"] or "")
    s = st.setdefault(host, [0, 0, 0, 0])
    s[0] += 1
    s[1] += any(norm(p)[:12] in text for p in a["promo"])
    s[2] += len(a["paragraphs"])
    s[3] += sum(norm(p) not in text for p in a["paragraphs"])
for h, s in sorted(st.items()):
    print("%-22s %4d articles, %4d keep a promo paragraph, %5d truth paragraphs, %d missing" % (h, *s))
print("%-22s %4d articles, %4d keep a promo paragraph, %5d truth paragraphs, %d missing" % (
    "total", *[sum(s[i] for s in st.values()) for i in range(4)]))
PY
    echo "crawl CPU seconds (user + sys) per run: $(cat "$T"/"$l"-*/cpu | tr '\n' ' ')"
done
