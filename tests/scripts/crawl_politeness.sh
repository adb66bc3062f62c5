#!/bin/bash
# crawl_politeness.sh — per-host politeness in a dry-run crawl of two hosts
# at once: the configured delay between request starts (t-wp, 0.3 s), a
# robots.txt Crawl-delay that is larger (t-gov, 0.5 s), one connection per
# host (no overlap), and the hosts crawled side by side (the wall time is
# the slower host's floor, not the sum).
. "$(dirname "$0")/crawl_common.bash"
gen_fixtures
# t-gov's own robots.txt, served with a Crawl-delay through the fault table
"$PY" - "$ROOT/t-gov.newsarc.test/robots.txt" >"$T/robots-faults.json" <<'PY'
import json, sys
body = open(sys.argv[1]).read().replace("User-agent: *\n", "User-agent: *\nCrawl-delay: 0.5\n", 1)
print(json.dumps({"faults": [{"host": "t-gov.newsarc.test", "path": "/robots.txt", "status": 200,
                              "headers": {"Content-Type": "text/plain"}, "body": body}]}))
PY
grep -q "Crawl-delay: 0.5" "$T/robots-faults.json" || fail "no Crawl-delay in the robots.txt override"
start_server --set delay=0.3 --faults "$T/robots-faults.json"
sed -i '/^delay = 0$/d' "$T/sites.conf"   # the sites take the global delay
start=$(date +%s.%N)
"$NA_BIN" crawl -c "$T/sites.conf" --site t-wp --site t-gov --dry-run >"$T/out" 2>"$T/err" || { cat "$T/err" >&2; fail "crawl failed"; }
end=$(date +%s.%N)
cat "$T/out"
grep -q "t-gov: .* 1 disallowed by robots.txt" "$T/out" || fail "the robots.txt override lost its Disallow lines"
"$PY" - "$T/log.jsonl" "$start" "$end" <<'PY'
import json, sys
log = [json.loads(l) for l in open(sys.argv[1])]
wall = float(sys.argv[3]) - float(sys.argv[2])
bad, floors = [], []
for host, delay in (("t-wp.newsarc.test", 0.3), ("t-gov.newsarc.test", 0.5)):
    rs = sorted((r for r in log if r["host"] == host), key=lambda r: r["t"])
    if len(rs) < 10:
        bad.append("%s: only %d requests" % (host, len(rs)))
        continue
    # robots.txt first; the delay applies from the next request on (Crawl-delay
    # is known only once robots.txt is read)
    # A start the server notes late (its threads wait for a CPU when the
    # machine is loaded) shortens the gap after it: each gap gets 0.1 s of
    # slack, the whole run (below) as much, so a delay kept short is caught.
    gaps = [b["t"] - a["t"] for a, b in zip(rs[1:], rs[2:])]
    small = [g for g in gaps if g < delay - 0.1]
    if small:
        bad.append("%s: %d gaps below %.1f s (smallest %.3f)" % (host, len(small), delay, min(small)))
    for a, b in zip(rs, rs[1:]):
        if b["t"] < a["t"] + a["dur"] - 0.005:
            bad.append("%s: requests overlap: %s, %s" % (host, a["path"], b["path"]))
            break
    floor = (len(rs) - 2) * delay
    floors.append(floor)
    span = rs[-1]["t"] - rs[1]["t"]
    print("%s: %d requests, %.2f s from the 2nd to the last start, floor %.2f s (%.3fx)" % (
        host, len(rs), span, floor, span / floor))
    # (slack for a loaded machine: the tests run side by side, and a late
    # start pushes every later one; a doubled delay is still caught)
    if span < floor - 0.1:
        bad.append("%s: %.2f s for a floor of %.2f s: the delay was not kept" % (host, span, floor))
    if span > floor * 1.15 + 0.5:
        bad.append("%s: %.2f s for a floor of %.2f s" % (host, span, floor))
if floors and wall > max(floors) * 1.2 + 2:  # one host after the other: the sum, 1.7x here
    bad.append("wall time %.2f s: hosts not crawled side by side (floors %s)" % (wall, floors))
print("wall %.2f s" % wall)
print("\n".join(bad) if bad else "ok")
sys.exit(1 if bad else 0)
PY
