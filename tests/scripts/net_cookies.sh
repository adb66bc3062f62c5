#!/usr/bin/env bash
# net_cookies.sh — cookies per site (issue 14 item 3). The fixture server
# gates every t-gov page under /zsyz/ (listings and articles) with a
# cookie_gate fault: without the cookie gate=ok1, a 302 to the same URL that
# sets it (Max-Age 3600), a cookie of 1 second and a session cookie. Checks:
#   - cookies off (the default): each gated URL is asked once more with the
#     cookie, for that URL only (two requests each, never more), every
#     article is archived, the request records show the Cookie as sent, and
#     no jar is written
#   - cookies = yes: the jar answers the gate once for the whole run; another
#     site's requests carry no cookie; ARCHIVE/cookies/t-gov.txt has mode 0600
#     and keeps the lasting cookie, not the session one
#   - a later run sends the kept cookie from its first request on, without the
#     expired one
. "$(dirname "$0")/crawl_common.bash"
cat >"$T/gate.json" <<'EOF'
{"faults": [{"host": "t-gov.newsarc.test", "path_prefix": "/zsyz/", "fault": "cookie_gate",
             "cookies": ["gate=ok1; Path=/; Max-Age=3600", "brief=1; Path=/; Max-Age=1", "sess=1; Path=/"]}]}
EOF
start_server --faults "$T/gate.json"
crawl() { # crawl CONF ARCHIVE NAME SITES...
    local c=$1 a=$2 n=$3
    shift 3
    local args=()
    for s in "$@"; do args+=(--site "$s"); done
    timeout 60 "$NA_BIN" crawl -c "$c" -a "$a" "${args[@]}" >"$T/$n.out" 2>"$T/$n.err" ||
        fail "$n: crawl failed: $(tail -5 "$T/$n.err")"
    grep -q "t-gov: .* [1-9][0-9]* new articles" "$T/$n.out" || [ "$n" = again ] ||
        fail "$n: no article archived: $(cat "$T/$n.out")"
}
lines() { wc -l <"$T/log.jsonl" | tr -d ' '; }

# 1. Cookies off: the same-URL Set-Cookie redirect is retried once with the cookie.
l0=$(lines)
crawl "$T/sites.conf" "$T/a1" off t-gov
tail -n +$((l0 + 1)) "$T/log.jsonl" >"$T/off.jsonl"
"$PY" - "$T/off.jsonl" "$T/off.out" <<'EOF' || fail "cookies off"
import collections, json, re, sys
log = [json.loads(l) for l in open(sys.argv[1])]
gated = collections.defaultdict(list)
for r in log:
    if r["host"] == "t-gov.newsarc.test" and r["path"].startswith("/zsyz/"):
        gated[r["path"]].append(r)
assert len(gated) >= 10, len(gated)
for path, rs in gated.items():
    assert rs[0]["cookie"] is None and rs[0]["fault"] == "cookie_gate", (path, rs[0])
    # the second request, with the cookie, is served (200, or 404 past a listing's end)
    assert len(rs) == 2 and rs[1]["fault"] is None and "gate=ok1" in (rs[1]["cookie"] or ""), (path, rs)
others = [r for r in log if not r["path"].startswith("/zsyz/")]
assert all(r["cookie"] is None for r in others), others[:2]   # robots.txt: not a redirect, no cookie
n = int(re.search(r"(\d+) new articles", open(sys.argv[2]).read()).group(1))
assert n >= 20, n
print("net_cookies: cookies off: %d gated URLs, each retried once with the cookie; %d articles" % (len(gated), n))
EOF
zcat "$T/a1"/warc/*.warc.gz | grep -aq "^Cookie: .*gate=ok1" || fail "the request records do not show the Cookie sent"
[ -e "$T/a1/cookies" ] && fail "cookies off: a jar was written"

# 2. cookies = yes for t-gov (and t-wp, which sets none).
"$PY" - "$T/sites.conf" >"$T/jar.conf" <<'EOF'
import sys
src = open(sys.argv[1]).read()
for s in ("t-gov", "t-wp"):
    src = src.replace("[site %s]\n" % s, "[site %s]\ncookies = yes\n" % s, 1)
print(src)
EOF
l0=$(lines)
crawl "$T/jar.conf" "$T/a2" jar t-gov t-wp
tail -n +$((l0 + 1)) "$T/log.jsonl" >"$T/jar.jsonl"
"$PY" - "$T/jar.jsonl" <<'EOF' || fail "cookies = yes"
import json, sys
log = [json.loads(l) for l in open(sys.argv[1])]
gov = [r for r in log if r["host"] == "t-gov.newsarc.test"]
wp = [r for r in log if r["host"] == "t-wp.newsarc.test"]
gates = [r for r in gov if r["fault"] == "cookie_gate"]
assert len(gates) == 1, [(r["path"], r["cookie"]) for r in gates][:5]
after = gov[gov.index(gates[0]) + 1:]
assert len(after) >= 20 and all("gate=ok1" in (r["cookie"] or "") for r in after), after[:2]
assert len(wp) >= 10 and all(r["cookie"] is None for r in wp), [r for r in wp if r["cookie"]][:2]
print("net_cookies: cookies = yes: the gate answered once, %d later t-gov requests with the cookie, "
      "%d t-wp requests without" % (len(after), len(wp)))
EOF
J="$T/a2/cookies/t-gov.txt"
[ -f "$J" ] || fail "no jar $J: $(ls -la "$T/a2")"
[ "$(stat -c %a "$J")" = 600 ] || fail "jar mode $(stat -c %a "$J")"
[ "$(stat -c %a "$T/a2/cookies")" = 700 ] || fail "cookies folder mode $(stat -c %a "$T/a2/cookies")"
grep -q "gate	ok1" "$J" || fail "the lasting cookie is not kept: $(cat "$J")"
grep -q "sess" "$J" && fail "a session cookie was kept: $(cat "$J")"

# 3. The next run: the kept cookie from the first request on, the expired one gone.
sleep 1.2
l0=$(lines)
crawl "$T/jar.conf" "$T/a2" again t-gov
tail -n +$((l0 + 1)) "$T/log.jsonl" >"$T/again.jsonl"
"$PY" - "$T/again.jsonl" <<'EOF' || fail "next run"
import json, sys
log = [json.loads(l) for l in open(sys.argv[1]) if '"t-gov.newsarc.test"' in l]
assert log, "no request"
first = log[0]
assert first["cookie"] and "gate=ok1" in first["cookie"], first
assert all("brief=" not in (r["cookie"] or "") and "sess=" not in (r["cookie"] or "") for r in log), log[:3]
assert not any(r["fault"] == "cookie_gate" for r in log)
print("net_cookies: next run: %s sent from the first request (%s), the expired and session cookies not" %
      (first["cookie"], first["path"]))
EOF
echo "net_cookies: ok"
