#!/bin/bash
# crawl_sites.sh — a dry-run crawl of the three well-behaved fixture sites
# (GBK Z-Blog, WordPress with ETags, TRS gov templates): exit 0, robots.txt
# first on each host, every expected article fetched exactly once, nothing
# robots.txt disallows, raw requests with our User-Agent and gzip.
. "$(dirname "$0")/crawl_common.bash"
start_server
set +e
"$NA_BIN" crawl -c "$T/sites.conf" --site t-gbk --site t-wp --site t-gov --dry-run >"$T/out" 2>"$T/err"
rc=$?
set -e
cat "$T/out"
[ $rc = 0 ] || { cat "$T/err" >&2; fail "crawl exited $rc"; }
[ "$(grep -c ' 0 errors' "$T/out")" = 3 ] || fail "summary lines: $(cat "$T/out")"
"$PY" - "$T/log.jsonl" "$ROOT" <<'PY'
import json, sys, collections
log = [json.loads(l) for l in open(sys.argv[1])]
root = sys.argv[2]
bad = []
for host in ("t-gbk.newsarc.test", "t-wp.newsarc.test", "t-gov.newsarc.test"):
    reqs = [r for r in log if r["host"] == host]
    truth = json.load(open("%s/%s.truth.json" % (root, host)))
    if not reqs or reqs[0]["path"] != "/robots.txt":
        bad.append("%s: first request is %s, not /robots.txt" % (host, reqs[0]["path"] if reqs else None))
    n = collections.Counter(r["path"] for r in reqs)
    if n["/robots.txt"] != 1:
        bad.append("%s: robots.txt fetched %d times" % (host, n["/robots.txt"]))
    for p in truth["expected"]:
        if n[p] != 1:
            bad.append("%s%s: fetched %d times, expected once" % (host, p, n[p]))
    for p, why in truth["not_expected"].items():
        if n[p]:
            bad.append("%s%s: fetched although %s" % (host, p, why))
    for r in reqs:
        if "newsarc-test" not in (r["user_agent"] or "") or "gzip" not in (r["accept_encoding"] or ""):
            bad.append("%s%s: User-Agent %r, Accept-Encoding %r" % (host, r["path"], r["user_agent"], r["accept_encoding"]))
            break
    dup = [p for p, k in n.items() if k > 1]
    if dup:
        bad.append("%s: fetched more than once: %s" % (host, dup[:5]))
print("\n".join(bad) if bad else "ok: %d requests" % len(log))
sys.exit(1 if bad else 0)
PY
