#!/usr/bin/env bash
# try_net.sh — `newsarc try` fetches a site with the transfer settings a
# crawl uses (crawler/site_net.h, one function for both):
#   - cookies = yes: t-gov's pages under /zsyz/ are gated (a 302 to the same
#     URL that sets gate=ok1, as in net_cookies.sh); a crawl keeps the cookie
#     in ARCHIVE/cookies/t-gov.txt; `try` on one of its articles then sends
#     that cookie with its only request (it got the 302 and stopped at a
#     "redirect loop" when it took no site settings) and leaves the jar as it
#     was; without cookies = yes, the gate's redirect to the same URL is asked
#     again once with its cookie, as the crawl does (it was a "redirect loop")
#   - a site's proxy with proxy_auth_file, no resolve lines (the test hosts
#     resolve nowhere): `try` on a t-wp article, robots.txt included, goes
#     through the proxy with the credentials, which appear nowhere in its
#     output
. "$(dirname "$0")/crawl_common.bash"
cat >"$T/gate.json" <<'EOF'
{"faults": [{"host": "t-gov.newsarc.test", "path_prefix": "/zsyz/", "fault": "cookie_gate",
             "cookies": ["gate=ok1; Path=/; Max-Age=3600"]}]}
EOF
start_server --faults "$T/gate.json"
# conf OUT BASE GLOBAL-LINES SITE SITE-LINES: lines added to [newsarc] and [site SITE]
conf() {
    "$PY" - "$2" "$3" "$4" "$5" >"$1" <<'EOF'
import sys
src, g, site, s = open(sys.argv[1]).read(), sys.argv[2], sys.argv[3], sys.argv[4]
src = src.replace("[newsarc]\n", "[newsarc]\n" + g + "\n", 1)
src = src.replace("[site %s]\n" % site, "[site %s]\n" % site + s + "\n", 1)
print(src)
EOF
}

# 1. cookies = yes: try sends the cookie the crawl kept.
conf "$T/jar.conf" "$T/sites.conf" "" t-gov "cookies = yes"
timeout 60 "$NA_BIN" crawl -c "$T/jar.conf" --site t-gov >"$T/c.out" 2>"$T/c.err" ||
    fail "crawl: $(tail -5 "$T/c.err")"
grep -q "gate	ok1" "$T/archive/cookies/t-gov.txt" || fail "the crawl kept no cookie: $(cat "$T/archive/cookies/t-gov.txt")"
URL=$("$NA_BIN" ls -a "$T/archive" --site t-gov | grep -o 'http://t-gov[^[:space:]]*' | head -1)
[ -n "$URL" ] || fail "no t-gov article archived"
P=${URL#http://t-gov.newsarc.test:$PORT}
cp "$T/archive/cookies/t-gov.txt" "$T/jar.before"
l0=$(wc -l <"$T/log.jsonl")
rc=0
timeout 60 "$NA_BIN" try -c "$T/jar.conf" --no-robots "$URL" >"$T/t1.out" 2>"$T/t1.err" || rc=$?
[ "$rc" = 0 ] || fail "try on a gated article with the site's cookies: exit $rc: $(cat "$T/t1.err")"
tail -n +$((l0 + 1)) "$T/log.jsonl" >"$T/t1.jsonl"
"$PY" - "$T/t1.jsonl" "$P" <<'EOF' || fail "try's request"
import json, sys
rs = [json.loads(l) for l in open(sys.argv[1])]
rs = [r for r in rs if r["host"] == "t-gov.newsarc.test" and r["path"] == sys.argv[2]]
assert len(rs) == 1, rs                           # no 302 first: the cookie went with the first request
assert "gate=ok1" in (rs[0]["cookie"] or ""), rs[0]
assert rs[0]["fault"] is None and rs[0]["status"] == 200, rs[0]
print("try_net: cookies = yes: one request, with the kept cookie, answered 200")
EOF
cmp -s "$T/jar.before" "$T/archive/cookies/t-gov.txt" || fail "try changed the crawl's cookie jar"

# 1b. cookies off (the default): the gate's redirect to the same URL is asked
#     again once with its cookie, as the crawl does (net_cookies.sh)
l0=$(wc -l <"$T/log.jsonl")
rc=0
timeout 60 "$NA_BIN" try -c "$T/sites.conf" --no-robots "$URL" >"$T/t1b.out" 2>"$T/t1b.err" || rc=$?
[ "$rc" = 0 ] || fail "try on a gated article without cookies = yes: exit $rc: $(cat "$T/t1b.err")"
tail -n +$((l0 + 1)) "$T/log.jsonl" >"$T/t1b.jsonl"
"$PY" - "$T/t1b.jsonl" "$P" <<'EOF' || fail "try's requests without cookies = yes"
import json, sys
rs = [json.loads(l) for l in open(sys.argv[1])]
rs = [r for r in rs if r["host"] == "t-gov.newsarc.test" and r["path"] == sys.argv[2]]
assert len(rs) == 2, rs
assert rs[0]["cookie"] is None and rs[0]["fault"] == "cookie_gate", rs[0]
assert "gate=ok1" in (rs[1]["cookie"] or "") and rs[1]["status"] == 200, rs[1]
print("try_net: cookies off: the same-URL Set-Cookie redirect asked again once, with its cookie")
EOF

# 2. The site's proxy and its credentials.
PW='tr1-PW-77'
"$PY" "$NA_SRCDIR/tests/server/proxy.py" --mode http --auth "crawler:$PW" --port-file "$T/p.port" \
    --log "$T/p.jsonl" --max-seconds 60 >"$T/p.out" 2>&1 &
CHILD_PIDS="$CHILD_PIDS $!"
disown $!
for _ in $(seq 100); do [ -s "$T/p.port" ] && break; sleep 0.05; done
[ -s "$T/p.port" ] || fail "proxy did not start: $(cat "$T/p.out")"
printf 'crawler:%s\n' "$PW" >"$T/proxy.auth"
chmod 600 "$T/proxy.auth"
grep -v '^resolve = ' "$T/sites.conf" >"$T/noresolve.conf"
conf "$T/proxy.conf" "$T/noresolve.conf" "" t-wp "proxy = http://127.0.0.1:$(cat "$T/p.port")
proxy_auth_file = $T/proxy.auth"
U=$("$PY" -c "import json,sys; t=json.load(open(sys.argv[1])); print(sorted(t['expected'])[0])" \
    "$ROOT/t-wp.newsarc.test.truth.json")
rc=0
timeout 60 "$NA_BIN" try -c "$T/proxy.conf" "http://t-wp.newsarc.test:$PORT$U" >"$T/t2.out" 2>"$T/t2.err" || rc=$?
[ "$rc" = 0 ] || fail "try through the site's proxy: exit $rc: $(cat "$T/t2.err")"
"$PY" - "$T/p.jsonl" "$U" <<'EOF' || fail "proxy log"
import json, sys
rs = [json.loads(l) for l in open(sys.argv[1])]
targets = [r["target"] for r in rs]
assert any(t.endswith(sys.argv[2]) for t in targets), targets
assert any(t.endswith("/robots.txt") for t in targets), targets
assert all(r["auth"] is True for r in rs), rs
print("try_net: proxy: %d requests (robots.txt and the page) through the site's proxy, authenticated" % len(rs))
EOF
if grep -qF "$PW" "$T/t2.out" "$T/t2.err"; then fail "the proxy password is in try's output"; fi
echo "try_net: ok"
