#!/bin/bash
# crawl_faults.sh — the fault table (tests/server/faults.json) in a crawl:
# 500/503 retried within bounds, with the backoff of each retry in its range
# and growing (retry_backoff = 0.1 s here, so the run takes seconds, not a
# minute and a half), 429 and 503 Retry-After obeyed for the whole host,
# timeouts, resets and truncated bodies retried then reported, redirect loop
# and chain stopped, off-scope redirect not followed, 50 MB bodies and a gzip
# bomb capped, a body gzip'd twice reported as garbage (not archived as an
# article), an image not extracted, infinite pagination stopped at
# max_pages, robots.txt 5xx disallows the origin. The crawl archives, and
# each fault's "expect" is checked in the index.
. "$(dirname "$0")/crawl_common.bash"
BACKOFF=0.1
start_server --set timeout=2 --set low_speed_time=1 --set retries=2 --set retry_backoff=$BACKOFF
start=$(date +%s)
set +e
"$NA_BIN" crawl -v -c "$T/sites.conf" --site faults --site norobots >"$T/out" 2>"$T/log"
rc=$?
set -e
end=$(date +%s)
cat "$T/out"
grep -v '^[^ ]* info ' "$T/log" >"$T/err" || true   # -v logs every fetch; the rest is what a run reports
[ $rc = 1 ] || { cat "$T/err" >&2; fail "crawl exited $rc, expected 1 (some fetches failed)"; }
echo "crawl took $((end - start)) s"
[ $((end - start)) -lt 120 ] || fail "the crawl took $((end - start)) s"
for p in e500 e503 gone slow trickle reset truncated loop-b chain-6 offscope big big-chunked bomb gzip-twice image; do
    grep -q "/post/$p.html" "$T/err" || { cat "$T/err" >&2; fail "no error reported for /post/$p.html"; }
done
grep -q "off-scope redirect to 'http://offscope.newsarc.test" "$T/err" || fail "off-scope redirect not reported"
grep "/post/gzip-twice.html" "$T/err" | grep -q "gzip-compressed" || fail "the body gzip'd twice is not reported as such"
# The server logs a request when it is done with it: trickle.html's last one
# only once its slow writes notice the crawl hung up (a second or two).
for _ in $(seq 100); do
    [ "$(grep -c '"/post/trickle.html"' "$T/log.jsonl")" -ge 3 ] && break
    sleep 0.1
done
# Each retry's backoff is announced in the log ("URL: why; retry N in D s"):
# D lies in [b/2, b] * 2^(N-1) (b = retry_backoff), or is the Retry-After.
# norobots.newsarc.test sees nothing but its robots.txt (500, retried twice):
# there the server saw the crawl wait at least the two backoffs.
"$PY" - "$T/log" "$T/log.jsonl" "$BACKOFF" <<'PY'
import json, re, sys, collections
b = float(sys.argv[3])
ra = {"/post/retry-429.html": 2, "/post/e503.html": 1, "/post/retry-503.html": 1}
bad, seen = [], collections.defaultdict(dict)
for line in open(sys.argv[1]):
    m = re.search(r" http://([^/:]+)[^ ]*?(/[^ :]*): .*; retry (\d+) in ([0-9.]+) s$", line)
    if not m:
        continue
    path = "norobots" if m.group(1) == "norobots.newsarc.test" else m.group(2)
    n, d = int(m.group(3)), float(m.group(4))
    seen[path][n] = d
    lo, hi = b / 2 * 2 ** (n - 1), b * 2 ** (n - 1)
    if path in ra:
        lo = hi = ra[path]
    if not lo - 0.006 <= d <= hi + 0.006:
        bad.append("%s: retry %d in %.2f s, expected %.3f-%.3f s" % (path, n, d, lo, hi))
for path in ("/post/e500.html", "norobots", "/post/slow.html", "/post/reset.html", "/post/truncated.html"):
    s = seen.get(path, {})
    if sorted(s) != [1, 2]:
        bad.append("%s: retries announced %s, expected 1 and 2" % (path, sorted(s)))
    elif s[2] < s[1]:
        bad.append("%s: the second backoff %.2f s is shorter than the first %.2f s" % (path, s[2], s[1]))
nr = sorted((json.loads(l) for l in open(sys.argv[2]) if '"norobots.newsarc.test"' in l), key=lambda r: r["t"])
if len(nr) == 3 and sorted(seen["norobots"]) == [1, 2]:
    waited = nr[2]["t"] - (nr[0]["t"] + nr[0]["dur"])
    want = seen["norobots"][1] + seen["norobots"][2]
    if waited < want - 0.05:  # (slack: the server's clock readings, on a loaded machine)
        bad.append("norobots: the retries came %.3f s after the first answer, backoffs of %.2f s announced" % (waited, want))
print("\n".join(bad) if bad else "ok: backoffs in range and growing (robots.txt: %s)" % dict(seen["norobots"]))
sys.exit(1 if bad else 0)
PY
"$PY" - "$T/log.jsonl" <<'PY'
import json, sys, collections
log = [json.loads(l) for l in open(sys.argv[1])]
bad = []
F = "faults.newsarc.test"
n = collections.Counter((r["host"], r["path"]) for r in log)
def want(path, lo, hi=None, host=F):
    k = n[(host, path)]
    if k < lo or k > (lo if hi is None else hi):
        bad.append("%s%s requested %d times, expected %s" % (host, path, k, lo if hi is None else "%d-%d" % (lo, hi)))
want("/post/e500.html", 3)           # 1 + retries=2
want("/post/e503.html", 3)
want("/post/retry-503.html", 3)      # 503, 503, 200
want("/post/retry-429.html", 2)      # 429, 200
want("/post/gone.html", 1)           # 404 is final
for p in ("trickle", "reset", "truncated"):  # (slow.html is logged only when the server is done sleeping)
    want("/post/%s.html" % p, 3)
want("/post/loop-a.html", 1)
want("/post/loop-b.html", 1)
for i in range(1, 7):
    want("/post/chain-%d.html" % i, 1)
want("/post/chain-7.html", 0)         # max_redirects = 5
want("/post/offscope.html", 1)
want("/post/moved.html", 1)
want("/post/moved-target.html", 1)
for p in ("big", "big-chunked", "bomb", "gzip-twice", "image"):
    want("/post/%s.html" % p, 1)     # caps and content types are not retried
want("/inf/list_1.html", 1)
want("/inf/list_3.html", 1)
want("/inf/list_4.html", 0)          # max_pages = 3
if any(r["host"] == "offscope.newsarc.test" for r in log):
    bad.append("the off-scope host was contacted")
nr = [r["path"] for r in log if r["host"] == "norobots.newsarc.test"]
if set(nr) != {"/robots.txt"} or len(nr) != 3:
    bad.append("norobots: requests %s, expected only /robots.txt (3 tries)" % nr)
# Retry-After is obeyed for the whole host: after a 429/503 carrying it, no
# request to the host starts earlier than Retry-After seconds after it.
fl = sorted((r for r in log if r["host"] == F), key=lambda r: r["t"])
for i, r in enumerate(fl):
    if r["status"] in (429, 503) and r["path"].startswith("/post/"):
        ra = {"/post/retry-429.html": 2, "/post/e503.html": 1, "/post/retry-503.html": 1}[r["path"]]
        end = r["t"] + r["dur"]
        nxt = [x for x in fl[i + 1:] if x["t"] >= r["t"]][:1]
        if nxt and nxt[0]["t"] < end + ra - 0.1:  # (slack: server clock readings under load)
            bad.append("%s answered %d with Retry-After %d at %.2f; next request %s at +%.2f s" % (
                r["path"], r["status"], ra, end, nxt[0]["path"], nxt[0]["t"] - end))
# one connection per host: no two requests to a host overlap
for a, b in zip(fl, fl[1:]):
    if b["t"] < a["t"] + a["dur"] - 0.03 and a["fault"] not in ("slow", "trickle"):  # (slack: the end is noted after the answer went out)
        bad.append("overlapping requests %s and %s" % (a["path"], b["path"]))
        break
print("\n".join(bad) if bad else "ok: %d requests" % len(log))
sys.exit(1 if bad else 0)
PY
"$NA_BIN" verify -a "$T/archive" >"$T/verify" 2>&1 || { cat "$T/verify" >&2; fail "verify found faults"; }
"$PY" - "$T/archive/index.sqlite" "$NA_SRCDIR/tests/server/faults.json" "$PORT" <<'PY'
import json, sys, sqlite3
db, faults, port = sys.argv[1:4]
con = sqlite3.connect("file:%s?mode=ro" % db, uri=True)
bad = []
for f in json.load(open(faults))["faults"]:
    if not f.get("link"):
        continue
    u = "http://%s:%s%s" % (f["host"], port, f.get("archived_as", f["path"]))
    arts = con.execute("SELECT count(*) FROM articles WHERE url=?", (u,)).fetchone()[0]
    caps = con.execute("SELECT count(*) FROM captures WHERE url=?", (u,)).fetchone()[0]
    exp = f.get("expect")
    if exp == "archived" and arts != 1:
        bad.append("%s: expected archived once, %d article rows" % (u, arts))
    if exp in ("error", "not_archived", "not_followed") and arts:
        bad.append("%s: expected %s, but archived as an article" % (u, exp))
# Garbage is a failed article in the durable frontier, not a done one (state 1).
g = "http://faults.newsarc.test:%s/post/gzip-twice.html" % port
row = con.execute("SELECT state FROM frontier WHERE url=?", (g,)).fetchone()
if row is None or row[0] == 1:
    bad.append("%s: frontier state %s, expected failed" % (g, row))
off = con.execute("SELECT count(*) FROM captures WHERE url LIKE 'http://offscope.%'").fetchone()[0]
if off:
    bad.append("off-scope captures: %d" % off)
print("\n".join(bad) if bad else "ok: archive matches faults.json's expectations")
sys.exit(1 if bad else 0)
PY
