#!/usr/bin/env bash
# dups.sh — near-duplicate clusters on the sitegen "syndication" preset: a
# Tianjin portal whose stories a WordPress portal and a government portal
# republish (as is, retitled, with an editor's paragraph; other boilerplate),
# beside many distinct stories of the same templates (weekly 项目集中签约
# reports with other numbers). After a crawl, the pairs the archive puts in
# one cluster (ls --dups) are scored against the generator's truth: precision
# and recall at the pair level, printed and required >= 0.95 for all three
# sites together and for the source with each republisher. Also: export
# --dedup gives one line per cluster with the others in "copies", get --json
# shows the cluster, get prints the other copies on stderr, every copy is
# kept, and reindex gives the same clusters.
. "$(dirname "$0")/crawl_common.bash"
key=$(cat "$NA_SRCDIR"/tests/server/sitegen.py "$NA_SRCDIR"/tests/server/zhtext.py | cksum | cut -d' ' -f1)
fixture_gen syndication "$key" --preset syndication
"$PY" "$NA_SRCDIR/tests/server/fixture_server.py" --root "$ROOT" --port-file "$T/port" --log "$T/log.jsonl" \
    --max-seconds 280 --write-conf "$T/sites.conf" --archive "$T/archive" >"$T/server.out" 2>&1 &
SERVER_PID=$!
wait_server
"$NA_BIN" crawl -c "$T/sites.conf" -q >"$T/crawl.out" 2>&1 || fail "crawl: $(cat "$T/crawl.out")"
"$NA_BIN" ls -c "$T/sites.conf" --dups >"$T/dups.tsv" || fail "ls --dups"
"$NA_BIN" export -c "$T/sites.conf" --format jsonl >"$T/all.jsonl" || fail "export"
"$NA_BIN" export -c "$T/sites.conf" --format jsonl --dedup >"$T/dedup.jsonl" || fail "export --dedup"
score() {
"$PY" - "$ROOT" "$1" "$T/all.jsonl" "$T/dedup.jsonl" <<'PYEOF'
import itertools, json, re, sys
root, dups, allf, dedupf = sys.argv[1:5]
def key(u):
    m = re.match(r"https?://([^:/]+)(?::\d+)?(/.*)", u)
    return m.group(1), m.group(2)
story = {}
for host in ("s-src.newsarc.test", "s-wp.newsarc.test", "s-gov.newsarc.test"):
    t = json.load(open("%s/%s.truth.json" % (root, host), encoding="utf-8"))
    for p in t["articles"]:
        story[(host, p)] = (host, p)
    for p, c in t.get("copies", {}).items():
        story[(host, p)] = (c["host"], c["path"])
arts = [json.loads(l) for l in open(allf, encoding="utf-8")]
urls = [a["url"] for a in arts if key(a["url"]) in story]
assert len(urls) >= 140, len(urls)
cluster = {}
for line in open(dups, encoding="utf-8"):
    n, _pub, _site, _title, url = line.rstrip("\n").split("\t")
    cluster[url] = n
def pr(sel, name):
    us = [u for u in urls if sel(key(u)[0])]
    truth = {frozenset(p) for p in itertools.combinations(us, 2) if story[key(p[0])] == story[key(p[1])]}
    found = {frozenset(p) for p in itertools.combinations(us, 2) if p[0] in cluster and cluster.get(p[1]) == cluster[p[0]]}
    tp = len(truth & found)
    precision = tp / len(found) if found else 0.0
    recall = tp / len(truth)
    print("%s: pairs: %d true, %d found, %d right: precision %.3f, recall %.3f" % (
        name, len(truth), len(found), tp, precision, recall))
    return precision, recall, len(truth)
for sel, name in ((lambda h: True, "all three sites"),
                  (lambda h: h != "s-gov.newsarc.test", "portal + republishing portal"),
                  (lambda h: h != "s-wp.newsarc.test", "portal + government portal")):
    precision, recall, ntrue = pr(sel, name)
    assert ntrue >= 10, "the preset has too few copies: %d" % ntrue
    assert precision >= 0.95 and recall >= 0.95, (name, precision, recall)
# export --dedup: one line per cluster, the others in copies; nothing lost
ded = [json.loads(l) for l in open(dedupf, encoding="utf-8")]
seen = [d["url"] for d in ded] + [c for d in ded for c in d["copies"]]
assert sorted(seen) == sorted(a["url"] for a in arts), "dedup lost or repeated an article"
assert len(ded) == len(arts) - (len(cluster) - len(set(cluster.values()))), (len(ded), len(arts))
print("export --dedup: %d lines for %d articles" % (len(ded), len(arts)))
PYEOF
}
score "$T/dups.tsv" || fail "clusters"
# get: the cluster in --json, the other copies on stderr
u=$(awk -F'\t' '$1 == 1 { print $5 }' "$T/dups.tsv" | tail -1)
n=$(awk -F'\t' '$1 == 1' "$T/dups.tsv" | wc -l)
[ -n "$u" ] || fail "no cluster"
"$NA_BIN" get -c "$T/sites.conf" --json "$u" >"$T/get.json" || fail "get --json"
"$PY" -c "import json,sys; c=json.load(open(sys.argv[1]))['cluster']; assert len(c) == int(sys.argv[2]), c" "$T/get.json" "$n" ||
    fail "get --json cluster"
"$NA_BIN" get -c "$T/sites.conf" "$u" >/dev/null 2>"$T/get.err" || fail "get"
[ "$(grep -c 'same story' "$T/get.err")" = $((n - 1)) ] || fail "get: $(cat "$T/get.err")"
# reindex: the same clusters
"$NA_BIN" reindex -c "$T/sites.conf" >/dev/null 2>&1 || fail "reindex"
"$NA_BIN" ls -c "$T/sites.conf" --dups >"$T/dups2.tsv" || fail "ls --dups after reindex"
cmp -s <(cut -f1,5 "$T/dups.tsv" | sort) <(cut -f1,5 "$T/dups2.tsv" | sort) || fail "clusters differ after a reindex"
echo "dups: ok"
