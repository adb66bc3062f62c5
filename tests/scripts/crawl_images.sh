#!/bin/bash
# crawl_images.sh — requisites = images (issue 13, part 5): a generated
# WordPress site (sitegen "images") whose articles hold pictures in every form
# portals write them (src, data-src over a data: placeholder, data-original
# over blank.gif, srcset), one on an image host that requisites_hosts lets in,
# one shared by every article, and the ones a crawl must leave: the logo, the
# share icons, the WeChat QR code and the advert of the boilerplate, one on an
# off-scope host, one under a path robots.txt disallows, one over
# requisites_max_size, one that answers text/html. Read back with npm's warcio:
# every article picture is a response record (with its request record) of kind
# image, Content-Type image/png and the file's bytes; none of the others is in
# the archive, the off-scope and disallowed ones were never asked for, and no
# image is an article. Two runs (the second after two new articles appear)
# fetch each image once: the shared one, archived in the first run, is not
# asked for again. Without the setting no image is requested at all. A run
# killed (SIGKILL) while it fetches images loses no article.
. "$(dirname "$0")/crawl_common.bash"
WARCIO="${WARCIO:-$NA_SRCDIR/build/npm/node_modules/warcio}"
if ! command -v node >/dev/null || [ ! -f "$WARCIO/package.json" ]; then
    echo "crawl_images: npm warcio is not installed (mk/deps.sh test installs it into build/npm): skipped"
    exit 77
fi

cat >"$T/spec.json" <<'EOF_SPEC'
[{"host": "img-wp.newsarc.test", "template": "wordpress", "articles": 14, "per_page": 20, "categories": 1,
  "city": "合肥", "seed": 51, "delay": 0, "max_pages": 2, "robots_disallow_article": false, "images": true}]
EOF_SPEC
key=$(cat "$T/spec.json" "$NA_SRCDIR"/tests/server/sitegen.py "$NA_SRCDIR"/tests/server/zhtext.py | cksum | cut -d' ' -f1)
fixture_gen images "$key" --spec "$T/spec.json"
H=img-wp.newsarc.test
# every form of picture is in the pages, so that each is tested
for form in ' data-src="' ' data-original="' ' srcset="' 'custom-logo' 'share-weibo.png' 'qrcode.jpg' 'ad-banner.jpg'; do
    grep -rqF -- "$form" "$ROOT/$H/20"* || fail "no article of the fixture has '$form'"
done
cat >"$T/faults.json" <<'EOF_FAULTS'
{"faults": [{"host": "img-cdn.newsarc.test", "path_prefix": "/img/", "fault": "png"}]}
EOF_FAULTS
"$PY" "$NA_SRCDIR/tests/server/fixture_server.py" --root "$ROOT" --faults "$T/faults.json" --port-file "$T/port" \
    --log "$T/log.jsonl" --hide-newest 2 --max-seconds 120 --write-conf "$T/plain.conf" --archive "$T/arc" \
    >"$T/server.out" 2>&1 &
SERVER_PID=$!
wait_server
# the site's section is the last one: the image settings go at the end
sed "s/^\[newsarc\]\$/[newsarc]\nresolve = img-cdn.newsarc.test:$PORT:127.0.0.1/" "$T/plain.conf" >"$T/sites.conf"
printf 'requisites = images\nrequisites_hosts = img-cdn.newsarc.test\nrequisites_max_size = 100K\n' >>"$T/sites.conf"
"$NA_BIN" check-config -c "$T/sites.conf" >"$T/check.out" 2>&1 || fail "check-config: $(cat "$T/check.out")"

crawl() { # crawl CONF ARCHIVE OUT
    "$NA_BIN" crawl -c "$1" -a "$2" >"$3" 2>"$3.err" || { cat "$3" "$3.err" >&2; fail "crawl $3 failed"; }
    cat "$3"
}
crawl "$T/sites.conf" "$T/arc" "$T/run1"
grep -q "images (" "$T/run1" || fail "the summary does not count images"
curl -sf "http://127.0.0.1:$PORT/__fixture/reveal?n=all" -H "Host: $H" >/dev/null || fail "reveal"
crawl "$T/sites.conf" "$T/arc" "$T/run2"
grep -q ", 2 new articles" "$T/run2" || fail "the second run did not archive the 2 new articles"
wc -l <"$T/log.jsonl" >"$T/log1.lines"
"$NA_BIN" ls -a "$T/arc" >"$T/ls.out" || fail "ls"
"$NA_BIN" verify -a "$T/arc" >"$T/verify.out" 2>&1 || fail "verify: $(cat "$T/verify.out")"
WARCIO=$WARCIO node "$NA_SRCDIR/tests/js/warcrecords.mjs" "$T/arc"/warc/*.warc.gz >"$T/records.jsonl" ||
    fail "warcio could not read the archive"

# without the setting: a new archive, and not one image asked for
crawl "$T/plain.conf" "$T/arc-plain" "$T/run3"
wc -l <"$T/log.jsonl" >"$T/log2.lines"
grep -q "image" "$T/run3" && fail "images counted without requisites = images: $(cat "$T/run3")"

# a run killed (SIGKILL) while it fetches images loses no article: the run
# after it archives every article once (the images left are best effort)
sed 's/^delay = 0$/delay = 0.04/' "$T/sites.conf" >"$T/kill.conf"
grep -q '^delay = 0.04$' "$T/kill.conf" || fail "no site delay to slow down"
n0=$(wc -l <"$T/log.jsonl")
"$NA_BIN" crawl -c "$T/kill.conf" -a "$T/arc-kill" >"$T/kill.out" 2>&1 &
KPID=$!
CHILD_PIDS=$KPID
for _ in $(seq 200); do
    tail -n +$((n0 + 1)) "$T/log.jsonl" | grep -q '"path": "/wp-content/uploads/20' && break
    kill -0 "$KPID" 2>/dev/null || break
    sleep 0.05
done
kill -9 "$KPID" 2>/dev/null || fail "the crawl ended before any image was fetched: nothing killed"
wait "$KPID" 2>/dev/null || true
crawl "$T/kill.conf" "$T/arc-kill" "$T/run-after-kill"
"$NA_BIN" verify -a "$T/arc-kill" >"$T/verify-kill.out" 2>&1 || fail "verify after the kill: $(cat "$T/verify-kill.out")"
WARCIO=$WARCIO node "$NA_SRCDIR/tests/js/warcrecords.mjs" "$T/arc-kill"/warc/*.warc.gz >"$T/records-kill.jsonl" ||
    fail "warcio could not read the archive of the killed run"
"$PY" - "$T/records-kill.jsonl" 14 <<'PY' || fail "articles lost or doubled by the kill"
import json, sys
recs = [json.loads(l) for l in open(sys.argv[1])]
arts = [r["uri"] for r in recs if r["type"] == "response" and r["kind"] == "article"]
imgs = [r["uri"] for r in recs if r["type"] == "response" and r["kind"] == "image"]
print("after a kill: %d article responses (%d distinct), %d image responses (%d distinct)" % (
    len(arts), len(set(arts)), len(imgs), len(set(imgs))))
sys.exit(0 if len(arts) == len(set(arts)) == int(sys.argv[2]) and len(imgs) == len(set(imgs)) else 1)
PY

"$PY" - "$ROOT" "$H" "$PORT" "$T" <<'PY'
import hashlib, json, os, sys
sys.path.insert(0, os.path.join(os.environ["NA_SRCDIR"], "tests", "server"))
import fixture_server
root, host, port, t = sys.argv[1:5]
origin = "http://%s:%s" % (host, port)
sub = lambda u: u.replace("@ORIGIN@", origin).replace("@PORT@", port)
truth = json.load(open(os.path.join(root, host + ".truth.json")))
want, leave = {}, {}
for a in truth["articles"].values():
    for u in a["images"]:
        want[sub(u)] = 1
    for u, why in a["images_not"].items():
        leave[sub(u)] = why
recs = [json.loads(l) for l in open(os.path.join(t, "records.jsonl"))]
resp = {}
for r in recs:
    if r["type"] in ("response", "revisit"):
        resp.setdefault(r["uri"], []).append(r)
reqs = {r["concurrent"]: r for r in recs if r["type"] == "request"}
png = hashlib.sha1(fixture_server.PNG).hexdigest()
bad = []
for u in sorted(want):
    rs = resp.get(u, [])
    if len(rs) != 1:
        bad.append("%s: %d response records, want 1" % (u, len(rs)))
        continue
    r = rs[0]
    path = u.split(port, 1)[1]
    body = open(os.path.join(root, host, path.lstrip("/")), "rb").read() if u.startswith(origin) else None
    sha = hashlib.sha1(body).hexdigest() if body is not None else png
    if r["type"] != "response" or r["status"] != 200 or r["kind"] != "image" or r["ctype"] != "image/png" or r["sha1"] != sha:
        bad.append("%s: %s" % (u, {k: r.get(k) for k in ("type", "status", "kind", "ctype", "sha1")}))
    if r["id"] not in reqs:
        bad.append("%s: no request record" % u)
for u, why in sorted(leave.items()):
    if u in resp:
        bad.append("%s archived (%s)" % (u, why))
if any(r["kind"] == "image" for rs in resp.values() for r in rs if r["uri"] not in want):
    bad.append("image records beyond the article pictures: %s" % sorted(
        r["uri"] for rs in resp.values() for r in rs if r["kind"] == "image" and r["uri"] not in want))
listed = open(os.path.join(t, "ls.out")).read()
if any(u in listed for u in want):
    bad.append("an image is listed as an article")
if len([1 for a in truth["articles"]]) != sum(1 for r in recs if r["type"] == "response" and r["kind"] == "article"):
    bad.append("not every article archived")
# the server's log: asked once each, never the off-scope or disallowed ones
n1 = int(open(os.path.join(t, "log1.lines")).read())
n2 = int(open(os.path.join(t, "log2.lines")).read())
log = [json.loads(l) for l in open(os.path.join(t, "log.jsonl"))]
first, plain = log[:n1], log[n1:n2]
asked = {}
for r in first:
    if r["path"].endswith((".png", ".jpg", ".gif")):
        u = "http://%s:%s%s" % (r["host"], port, r["path"])
        asked[u] = asked.get(u, 0) + 1
for u, n in asked.items():
    if n > 1:
        bad.append("%s asked for %d times" % (u, n))
for u, why in leave.items():
    if why.startswith(("off-scope", "robots", "boilerplate")) and u in asked:
        bad.append("%s asked for (%s)" % (u, why))
if not any(why.startswith("over the size") for u, why in leave.items() if u in asked):
    bad.append("the oversized images were not even tried")
if any(r["host"] == "offscope.newsarc.test" for r in first):
    bad.append("a request to the off-scope host")
imgs = [r["path"] for r in plain if r["path"].endswith((".png", ".jpg", ".gif")) or r["host"] == "img-cdn.newsarc.test"]
if imgs:
    bad.append("without requisites, images asked for: %s" % imgs[:5])
if not [r for r in plain if r["path"].endswith(".html")]:
    bad.append("the run without requisites fetched nothing")
print("crawl_images: %d article pictures archived (%d asked for in all), %d kept out; %d records read by warcio" % (
    len(want), len(asked), len(leave), len(recs)))
print("\n".join(bad) if bad else "ok")
sys.exit(1 if bad else 0)
PY
echo "crawl_images: ok"
