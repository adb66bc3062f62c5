#!/bin/bash
# propose.sh — newsarc propose measured: for each site of the demo preset
# (the three CMS shapes: Z-Blog GBK, WordPress, TRS government portal with a
# createPageHTML pager) and of a generated set of 6 more, propose a section
# from the homepage, crawl with it alone, and compare with the generator's
# truth: at least 95% of the expected articles archived, no page that is not
# an article archived as one. Prints the figures. Also --site comparing with
# an existing section, and a page without article links (exit 1).
. "$(dirname "$0")/crawl_common.bash"
"$PY" - >"$T/spec.json" <<'PY'
import json
out = []
for i, (t, cats, n, per) in enumerate([("zblog", 3, 45, 10), ("wordpress", 2, 40, 8), ("gov", 3, 36, 12),
                                       ("zblog", 2, 30, 15), ("wordpress", 4, 48, 6), ("gov", 2, 28, 9)]):
    d = {"host": "g%d-%s.newsarc.test" % (i, t), "template": t, "articles": n, "per_page": per, "categories": cats,
         "city": ["苏州", "天津", "济南", "合肥", "成都", "郑州"][i], "seed": 70 + i, "delay": 0, "max_pages": 10}
    if t == "gov":
        d["header_charset"] = False
    if i == 3:
        d["charset"] = "gbk"
    out.append(d)
print(json.dumps(out))
PY
KEY=$(cat "$NA_SRCDIR"/tests/server/sitegen.py "$NA_SRCDIR"/tests/server/zhtext.py "$T/spec.json" | cksum | cut -d' ' -f1)
fixture_gen propose-gen "$KEY" --spec "$T/spec.json" --now 2025-06-30T10:00
GEN=$ROOT
fixture_gen propose-demo "$KEY" --preset demo --now 2025-06-30T10:00
DEMO=$ROOT

# run_set NAME ROOT: serve ROOT, propose and crawl each host, figures into $T/figures
run_set() {
    local name=$1 root=$2 conf="$T/$1.server.conf"
    "$PY" "$NA_SRCDIR/tests/server/fixture_server.py" --root "$root" --port-file "$T/$name.port" \
        --log "$T/$name.log" --max-seconds 120 --no-faults --nodelay \
        --write-conf "$conf" --archive "$T/$name-archive" >"$T/$name.server.out" 2>&1 &
    SERVER_PID=$!
    for _ in $(seq 300); do [ -s "$T/$name.port" ] && break; sleep 0.1; done
    [ -s "$T/$name.port" ] || fail "fixture server for $name did not start"
    local port host site
    port=$(cat "$T/$name.port")
    # the [newsarc] section of the server's config (resolve, user agent), then the proposals
    sed '/^\[site /,$d' "$conf" >"$T/$name.conf"
    for host in $("$PY" -c "import json,sys; print(' '.join(sorted(json.load(open(sys.argv[1]))['hosts'])))" \
                      "$root/manifest.json"); do
        site=${host%%.*}
        set +e
        "$NA_BIN" propose -c "$conf" --delay 0 "http://$host:$port/" >"$T/$site.section" 2>"$T/$site.err"
        local rc=$?
        set -e
        [ $rc = 0 ] || { cat "$T/$site.section" "$T/$site.err" >&2; fail "propose $host exited $rc"; }
        grep -q "^\[site $site\]$" "$T/$site.section" || fail "$site: no [site $site] line: $(cat "$T/$site.section")"
        grep -q "^# check: 3 of 3 sample articles" "$T/$site.section" ||
            fail "$site: samples did not all extract: $(grep '^# sample\|^# check' "$T/$site.section")"
        { echo; cat "$T/$site.section"; } >>"$T/$name.conf"
    done
    "$NA_BIN" check-config -c "$T/$name.conf" -q || fail "$name: the proposed sections do not load"
    set +e
    "$NA_BIN" crawl -c "$T/$name.conf" -q >"$T/$name.crawl" 2>&1
    local crc=$?
    set -e
    [ $crc = 0 ] || [ $crc = 1 ] || { cat "$T/$name.crawl" >&2; fail "$name: crawl exited $crc"; }
    "$NA_BIN" export -c "$T/$name.conf" --format jsonl >"$T/$name.jsonl"
    "$PY" - "$root" "$T/$name.jsonl" "$port" "$T/$name.log" >>"$T/figures" <<'PY'
import json, sys, collections
root, jl, port, log = sys.argv[1:5]
got = collections.defaultdict(set)
for l in open(jl, encoding="utf-8"):
    r = json.loads(l)
    got[r["site"]].add(r["url"])
manifest = json.load(open(root + "/manifest.json"))
reqs = collections.Counter(json.loads(l)["host"] for l in open(log))
for host in sorted(manifest["hosts"]):
    t = json.load(open("%s/%s.truth.json" % (root, host)))
    base = "http://%s:%s" % (host, port)
    exp = {base + p for p in t["expected"]}
    site = host.split(".")[0]
    have = got.get(site, set())
    found, extra = len(have & exp), sorted(have - exp)
    print("%-16s %-9s %3d/%3d articles (%5.1f%%), %d non-articles%s" % (
        site, t["template"], found, len(exp), 100.0 * found / len(exp), len(extra),
        (": " + " ".join(extra[:3])) if extra else ""))
PY
    kill "$SERVER_PID" 2>/dev/null || true
    wait "$SERVER_PID" 2>/dev/null || true
    SERVER_PID=
}
: >"$T/figures"
run_set demo "$DEMO"
run_set gen "$GEN"
cat "$T/figures"
"$PY" - "$T/figures" <<'PY'
import re, sys
bad, tf, te, tn = [], 0, 0, 0
for l in open(sys.argv[1]):
    m = re.search(r"(\d+)/\s*(\d+) articles \(\s*([\d.]+)%\), (\d+) non-articles", l)
    f, e, pct, n = int(m[1]), int(m[2]), float(m[3]), int(m[4])
    tf, te, tn = tf + f, te + e, tn + n
    if pct < 95 or n:
        bad.append(l.strip())
print("all: %d/%d articles (%.1f%%), %d non-articles" % (tf, te, 100.0 * tf / te, tn))
if bad:
    print("below 95% or with non-articles:\n" + "\n".join(bad))
    sys.exit(1)
PY

# --site compares with an existing section; a page without article links exits 1
start_server --no-faults --nodelay
set +e
"$NA_BIN" propose -c "$T/sites.conf" --site t-gbk --delay 0 "http://t-gbk.newsarc.test:$PORT/" >"$T/cmp" 2>&1
rc=$?
set -e
[ $rc = 0 ] || { cat "$T/cmp" >&2; fail "propose --site exited $rc"; }
grep -q "^# compared with \[site t-gbk\]" "$T/cmp" || fail "--site: no comparison: $(cat "$T/cmp")"
grep -Eq "^#   of [0-9]+ links read, the configured article patterns match [1-9][0-9]*, the proposed [1-9]" "$T/cmp" ||
    fail "--site: no match counts: $(cat "$T/cmp")"
# from a column page (TRS): the page itself is a listing, by its createPageHTML template
"$NA_BIN" propose -c "$T/sites.conf" --delay 0 "http://t-gov.newsarc.test:$PORT/zsyz/xmdt/" >"$T/col" 2>&1 ||
    { cat "$T/col" >&2; fail "propose from a column page failed"; }
grep -q "^listing = http://t-gov.newsarc.test:$PORT/zsyz/xmdt/list_{n}.html$" "$T/col" ||
    fail "the column page is no {n} listing: $(cat "$T/col")"
grep -qxF "article = ^http://t-gov\.newsarc\.test:$PORT/zsyz/[^/]+/[0-9]+/t[0-9]+_[0-9]+\.html\$" "$T/col" ||
    fail "column page: article pattern: $(grep '^article' "$T/col")"
set +e
"$NA_BIN" propose -c "$T/sites.conf" --delay 0 "http://t-gbk.newsarc.test:$PORT/robots.txt" >"$T/none" 2>&1
rc=$?
set -e
[ $rc = 1 ] || fail "propose on a page without article links exited $rc: $(cat "$T/none")"
grep -q "no article = line" "$T/none" || fail "no explanation: $(cat "$T/none")"
echo ok
