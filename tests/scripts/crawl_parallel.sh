#!/bin/bash
# crawl_parallel.sh — locks per site (docs/archive-format.md): four writers
# (crawl and backfill) on four generated sites run at once into one archive,
# each in its own WARC file; every article is archived exactly once and
# newsarc verify is clean. A second writer on a site that is being crawled
# skips it, naming the PID and command that hold it (exit 3 when it had
# nothing else to do; with another free site it crawls that one); readers
# work during the run; reindex (archive-wide, exclusive) is refused.
. "$(dirname "$0")/crawl_common.bash"
"$PY" - >"$T/spec.json" <<'PY'
import json
out = []
for i in range(5):
    t = ["zblog", "wordpress", "gov"][i % 3]
    d = {"host": "p%d-%s.newsarc.test" % (i, t), "template": t, "articles": 10, "per_page": 5, "categories": 1,
         "city": "天津", "seed": 70 + i, "delay": 0, "max_pages": 2}
    if t == "gov":
        d["header_charset"] = False
    out.append(d)
print(json.dumps(out))
PY
gen_fixtures() {
    local key
    key=$(cat "$NA_SRCDIR"/tests/server/sitegen.py "$NA_SRCDIR"/tests/server/zhtext.py "$T/spec.json" | cksum | cut -d' ' -f1)
    fixture_gen parallel "$key" --spec "$T/spec.json"
}
start_server --no-faults --nodelay
C="$T/sites.conf"
A="$T/archive"
mapfile -t SITES < <(sed -n 's/^\[site \(.*\)\]$/\1/p' "$C")
[ "${#SITES[@]}" = 5 ] || fail "expected 5 sites, got ${SITES[*]}"
set_site_delay 0.15 # long enough for the runs to overlap, each ~25 requests
mkdir -p "$A"
pids=()
for i in 0 1 2 3; do
    if [ "$i" = 3 ]; then
        "$NA_BIN" backfill -c "$C" -q "${SITES[$i]}" >"$T/out$i" 2>"$T/err$i" &
    else
        "$NA_BIN" crawl -c "$C" -q --site "${SITES[$i]}" >"$T/out$i" 2>"$T/err$i" &
    fi
    pids+=($!)
    CHILD_PIDS="$CHILD_PIDS $!"
done
# the first writer holds its site's lock (its PID in the lock file)
lock0="$A/locks/${SITES[0]}.lock"
for _ in $(seq 100); do
    [ -s "$lock0" ] && [ "$(cut -d' ' -f1 "$lock0")" = "${pids[0]}" ] && break
    sleep 0.05
done
[ "$(cut -d' ' -f1 "$lock0" 2>/dev/null)" = "${pids[0]}" ] || fail "no lock file naming PID ${pids[0]}: $(cat "$lock0" 2>&1)"
grep -q "crawl" "$lock0" || fail "the lock file does not name the command: $(cat "$lock0")"
# a second writer on the same site: skipped with the PID, exit 3 (nothing else to do)
set +e
"$NA_BIN" crawl -c "$C" -q --site "${SITES[0]}" >"$T/dup.out" 2>"$T/dup.err"
rc=$?
set -e
[ "$rc" = 3 ] || { cat "$T/dup.err" >&2; fail "second writer on ${SITES[0]}: exit $rc, not 3"; }
grep -q "skipping site '${SITES[0]}'.*PID ${pids[0]} .*crawl" "$T/dup.err" ||
    fail "no skip message naming PID ${pids[0]}: $(cat "$T/dup.err")"
grep -q "^newsarc crawl: nothing to do" "$T/dup.err" || fail "no 'nothing to do': $(cat "$T/dup.err")"
# readers never wait; reindex (exclusive) is refused while writers run
t0=$(date +%s%N)
"$NA_BIN" ls -a "$A" >/dev/null 2>"$T/ls.err" || { cat "$T/ls.err" >&2; fail "ls during the writers failed"; }
ms=$(( ($(date +%s%N) - t0) / 1000000 ))
[ "$ms" -lt 2000 ] || fail "ls took $ms ms during the writers"
set +e
"$NA_BIN" reindex -a "$A" >"$T/ri.out" 2>&1
rc=$?
set -e
[ "$rc" = 3 ] || fail "reindex during the writers: exit $rc: $(cat "$T/ri.out")"
# a writer given a held site and a free one crawls the free one
"$NA_BIN" crawl -c "$C" -q --site "${SITES[1]}" --site "${SITES[4]}" >"$T/out4" 2>"$T/err4" ||
    { cat "$T/err4" >&2; fail "crawl of a held and a free site failed"; }
grep -q "skipping site '${SITES[1]}'.*PID ${pids[1]} " "$T/err4" || fail "no skip of ${SITES[1]}: $(cat "$T/err4")"
for i in 0 1 2 3; do
    wait "${pids[$i]}" || { cat "$T/err$i" >&2; fail "writer $i (${SITES[$i]}) failed"; }
done
# the writers overlapped: each ran while another did (the request log's times)
"$PY" - "$T/log.jsonl" "${SITES[@]:0:4}" <<'PY'
import json, sys
spans = {}
for l in open(sys.argv[1]):
    r = json.loads(l)
    h = r.get("host", "").split(":")[0]
    t = r.get("t") or r.get("time") or r.get("ts")
    if t is None:
        continue
    s = spans.setdefault(h, [t, t])
    s[0], s[1] = min(s[0], t), max(s[1], t)
hosts = [h for h in spans if any(h.startswith(n.split("-")[0] + "-") for n in sys.argv[2:])]
if len(hosts) >= 4:
    start = max(spans[h][0] for h in hosts)
    end = min(spans[h][1] for h in hosts)
    assert start < end, "the four writers did not overlap: %s" % spans
PY
nfiles=$(ls "$A/warc" | wc -l)
[ "$nfiles" -ge 4 ] || fail "4 writers at once wrote $nfiles WARC files, not one each"
# files by day: two more runs (one after the other) continue a file of today
sed -i 's/^delay = 0.15$/delay = 0/' "$C"
for _ in 1 2; do
    "$NA_BIN" crawl -c "$C" -q --site "${SITES[4]}" >/dev/null 2>"$T/again.err" ||
        { cat "$T/again.err" >&2; fail "a later run failed"; }
done
[ "$(ls "$A/warc" | wc -l)" = "$nfiles" ] || fail "two more runs made new WARC files: $(ls "$A/warc")"
"$NA_BIN" verify -a "$A" >"$T/verify.out" 2>&1 || { cat "$T/verify.out" >&2; fail "verify is not clean"; }
"$NA_BIN" export -a "$A" --format jsonl 2>/dev/null >"$T/all.jsonl"
"$PY" - "$T/all.jsonl" "$ROOT" "$PORT" <<'PY'
import json, sys, glob, collections
rows = [json.loads(l) for l in open(sys.argv[1])]
urls = collections.Counter(r["url"] for r in rows)
dups = [u for u, n in urls.items() if n > 1]
assert not dups, "archived more than once: %s" % dups[:5]
want = set()
for f in glob.glob(sys.argv[2] + "/*.truth.json"):
    host = f.split("/")[-1][:-len(".truth.json")]
    for path in json.load(open(f))["expected"]:
        want.add("http://%s:%s%s" % (host, sys.argv[3], path))
got = set(urls)
assert got <= want, "not articles: %s" % sorted(got - want)[:5]
assert got == want, "%d articles missing, e.g. %s" % (len(want - got), sorted(want - got)[:3])
print("4 writers at once + 1: %d articles, each once" % len(got))
PY
echo ok
