#!/bin/bash
# shard.sh — crawl --shard K/N (docs/scaling.md): over 9 generated sites,
# three shards into three archives archive the same articles as one process
# into one, no site is in two shards, every site is in the shard that
# FNV-1a 64 of its name mod 3 names (the hash is computed here again, in
# Python, as the docs write it out), and an empty shard does nothing.
. "$(dirname "$0")/crawl_common.bash"
"$PY" - >"$T/spec.json" <<'PY'
import json
out = []
for i in range(9):
    t = ["zblog", "wordpress", "gov"][i % 3]
    d = {"host": "s%d-%s.newsarc.test" % (i, t), "template": t, "articles": 8, "per_page": 8, "categories": 1,
         "city": "天津", "seed": 40 + i, "delay": 0, "max_pages": 2}
    if t == "gov":
        d["header_charset"] = False
    out.append(d)
print(json.dumps(out))
PY
gen_fixtures() {
    local key
    key=$(cat "$NA_SRCDIR"/tests/server/sitegen.py "$NA_SRCDIR"/tests/server/zhtext.py "$T/spec.json" | cksum | cut -d' ' -f1)
    fixture_gen shard "$key" --spec "$T/spec.json"
}
start_server --no-faults --nodelay
C="$T/sites.conf"
for k in 0 1 2; do
    "$NA_BIN" crawl -c "$C" -a "$T/shard$k" --shard "$k/3" >"$T/out$k" 2>"$T/err$k" ||
        { cat "$T/out$k" "$T/err$k" >&2; fail "shard $k/3 failed"; }
done
"$NA_BIN" crawl -c "$C" -a "$T/one" -q >"$T/out" 2>"$T/err" || { cat "$T/err" >&2; fail "the single crawl failed"; }
for a in shard0 shard1 shard2 one; do
    [ -d "$T/$a" ] || mkdir "$T/$a" # a shard without sites makes no archive
    "$NA_BIN" export -a "$T/$a" --format jsonl 2>/dev/null |
        "$PY" -c "import json,sys; [print(r['site'] + '\t' + r['url']) for r in map(json.loads, sys.stdin)]" |
        sort >"$T/$a.tsv"
done
"$PY" - "$T" "$C" <<'PY'
import sys, re
t, conf = sys.argv[1:3]
def fnv1a64(s):
    h = 0xcbf29ce484222325
    for b in s.encode("utf-8"):
        h = ((h ^ b) * 0x100000001b3) % (1 << 64)
    return h
names = re.findall(r"^\[site (.*)\]$", open(conf).read(), re.M)
assert len(names) == 9, names
rows = {a: [l.split("\t") for l in open("%s/%s.tsv" % (t, a)).read().split("\n") if l]
        for a in ("shard0", "shard1", "shard2", "one")}
one = set(map(tuple, rows["one"]))
union = set()
seen = {}
for k in range(3):
    got = set(map(tuple, rows["shard%d" % k]))
    union |= got
    for site, _ in got:
        assert fnv1a64(site) % 3 == k, "%s in shard %d, hash says %d" % (site, k, fnv1a64(site) % 3)
        assert seen.setdefault(site, k) == k, "%s in shards %d and %d" % (site, seen[site], k)
assert len(one) >= 9 * 6, "the single crawl archived only %d articles" % len(one)
assert union == one, "shards differ from one process: %d only in shards, %d only in one" % (
    len(union - one), len(one - union))
assert set(seen) == set(names), "sites in no shard: %s" % (set(names) - set(seen))
print("3 shards: %s sites, %d articles, same as one process" % (
    "/".join(str(sum(1 for s in seen.values() if s == k)) for k in range(3)), len(union)))
PY
# an empty shard (9 sites over 100 shards leave most empty) does nothing, exit 0
empty=$("$PY" -c "
import re, sys
def fnv1a64(s):
    h = 0xcbf29ce484222325
    for b in s.encode('utf-8'):
        h = ((h ^ b) * 0x100000001b3) % (1 << 64)
    return h
used = {fnv1a64(n) % 100 for n in re.findall(r'^\[site (.*)\]$', open(sys.argv[1]).read(), re.M)}
print(min(set(range(100)) - used))" "$C")
nlog=$(wc -l <"$T/log.jsonl")
"$NA_BIN" crawl -c "$C" -a "$T/empty" --shard "$empty/100" >"$T/out" 2>&1 || fail "empty shard $empty/100 failed"
grep -q "^shard $empty/100: no enabled site" "$T/out" || fail "empty shard: $(cat "$T/out")"
[ "$(wc -l <"$T/log.jsonl")" = "$nlog" ] || fail "the empty shard fetched something"
set +e
"$NA_BIN" crawl -c "$C" --shard 3/3 >/dev/null 2>&1; [ $? = 2 ] || fail "--shard 3/3 accepted"
"$NA_BIN" crawl -c "$C" --shard 0/3 --site s0-zblog >/dev/null 2>&1; [ $? = 2 ] || fail "--shard with --site accepted"
set -e
echo ok
