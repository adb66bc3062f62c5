#!/usr/bin/env bash
# net_proxy.sh — proxies (issue 14 item 2). The fixture server serves the
# test preset; tests/server/proxy.py runs as an HTTP proxy (forwarding and
# CONNECT) and as a SOCKS5 proxy, both requiring a user and password, plus
# an HTTP proxy without credentials for the environment's turn. The config
# has no resolve lines where a proxy is used: *.newsarc.test resolves
# nowhere, so an article archived came through the proxy, whose log names
# every request. Checks:
#   - proxy = http://… with proxy_auth_file (mode 0600): every request of the
#     site went through it, authenticated; the password (and its base64) is
#     in neither the log (-vv), the WARC files nor the index
#   - proxy_auth_file readable by others: refused by check-config (chmod 600)
#   - a site's own proxy = socks5h://… with proxy_auth_env over [newsarc]'s:
#     the SOCKS proxy got the names (socks5h), the HTTP proxy nothing
#   - no_proxy = the site's host: direct, the proxy sees nothing
#   - nothing in the file: http_proxy from the environment is used; proxy =
#     none beats the environment
#   - https through the HTTP proxy: CONNECT tunnels (authenticated) to an
#     `openssl s_server -WWW` with a certificate made here, the site's
#     ca_file trusting it; the credentials again nowhere in log or archive
#   - wrong credentials: the proxy's 407 is an error that names the setting,
#     never archived as the site's answer (forwarded http and CONNECT)
. "$(dirname "$0")/crawl_common.bash"
start_server
PW='s3cret-PW-42'
AUTH="crawler:$PW"
AUTH64=$(printf '%s' "$AUTH" | base64)

start_proxy() { # start_proxy NAME MODE [args]: sets PPORT_NAME, log $T/NAME.jsonl
    local name=$1 mode=$2
    shift 2
    "$PY" "$NA_SRCDIR/tests/server/proxy.py" --mode "$mode" --port-file "$T/$name.port" --log "$T/$name.jsonl" \
        --max-seconds 120 "$@" >"$T/$name.out" 2>&1 &
    CHILD_PIDS="$CHILD_PIDS $!"
    disown $!
    for _ in $(seq 100); do [ -s "$T/$name.port" ] && break; sleep 0.05; done
    [ -s "$T/$name.port" ] || fail "proxy $name did not start: $(cat "$T/$name.out")"
    eval "PPORT_$name=$(cat "$T/$name.port")"
    : >"$T/$name.jsonl"
}
start_proxy hp http --auth "$AUTH"
start_proxy sp socks5 --auth "$AUTH"
start_proxy open http

grep -v '^resolve = ' "$T/sites.conf" >"$T/noresolve.conf"
# conf OUT BASE GLOBAL-LINES SITE-LINES: [newsarc] and [site t-gov] lines added
conf() {
    "$PY" - "$2" "$3" "$4" >"$1" <<'EOF'
import sys
src, g, s = open(sys.argv[1]).read(), sys.argv[2], sys.argv[3]
src = src.replace("[newsarc]\n", "[newsarc]\n" + g + "\n", 1)
src = src.replace("[site t-gov]\n", "[site t-gov]\n" + s + "\n", 1)
print(src)
EOF
}
crawl() { # crawl CONF ARCHIVE NAME [env...]: must work; stderr in $T/NAME.err
    local c=$1 a=$2 n=$3
    shift 3
    env "$@" timeout 60 "$NA_BIN" crawl -vv -c "$c" -a "$a" --site t-gov >"$T/$n.out" 2>"$T/$n.err" ||
        fail "$n: crawl failed: $(tail -5 "$T/$n.err")"
    grep -q "t-gov: .* [1-9][0-9]* new articles" "$T/$n.out" || fail "$n: no article archived: $(cat "$T/$n.out")"
}
count() { # count LOG: requests in a proxy's log
    wc -l <"$1" | tr -d ' '
}
server_count() { grep -c '"t-gov.newsarc.test' "$T/log.jsonl" || true; }

# 1. HTTP proxy, credentials from a file.
printf '%s\n' "$AUTH" >"$T/proxy.auth"
chmod 644 "$T/proxy.auth"
conf "$T/hp.conf" "$T/noresolve.conf" "proxy = http://127.0.0.1:$PPORT_hp
proxy_auth_file = $T/proxy.auth" ""
rc=0
"$NA_BIN" check-config -c "$T/hp.conf" >"$T/cc.out" 2>&1 || rc=$?
[ "$rc" != 0 ] && grep -q "chmod 600" "$T/cc.out" || fail "a proxy_auth_file readable by others was accepted: $(cat "$T/cc.out")"
chmod 600 "$T/proxy.auth"
"$NA_BIN" check-config -c "$T/hp.conf" >"$T/cc.out" 2>&1 || fail "check-config: $(cat "$T/cc.out")"
grep -q "$PW" "$T/cc.out" && fail "check-config shows the password"
s0=$(server_count)
crawl "$T/hp.conf" "$T/a1" hp
s1=$(server_count)
"$PY" - "$T/hp.jsonl" $((s1 - s0)) <<'EOF' || fail "HTTP proxy log"
import json, sys
log = [json.loads(l) for l in open(sys.argv[1])]
served = int(sys.argv[2])
gov = [r for r in log if "t-gov.newsarc.test" in (r.get("target") or "")]
assert served >= 5, served
assert len(gov) == served, (len(gov), served)   # every request the server saw came through the proxy
assert all(r["auth"] is True for r in log), [r for r in log if r["auth"] is not True][:3]
assert all(r["method"] == "GET" and r["target"].startswith("http://") for r in gov), gov[:3]
print("net_proxy: http proxy forwarded all %d requests of t-gov, each with the credentials" % len(gov))
EOF
leak() { # leak NAME ARCHIVE: the secret appears nowhere
    if grep -aqF -e "$PW" -e "$AUTH64" "$T/$1.err" "$T/$1.out"; then fail "$1: credentials in the log"; fi
    for f in "$2"/warc/*.warc.gz; do
        if zcat "$f" | grep -aqF -e "$PW" -e "$AUTH64"; then fail "$1: credentials in $f"; fi
    done
    if grep -raqF -e "$PW" -e "$AUTH64" "$2" --exclude='*.warc.gz'; then fail "$1: credentials in the archive's files"; fi
}
leak hp "$T/a1"
zcat "$T/a1"/warc/*.warc.gz | grep -aq "^GET http://t-gov.newsarc.test" ||
    fail "the request records do not show the request as sent to the proxy"

# 2. The site's own SOCKS5 proxy (socks5h: names resolved by the proxy),
#    credentials from the environment; [newsarc]'s HTTP proxy not used.
: >"$T/hp.jsonl"
conf "$T/sp.conf" "$T/noresolve.conf" "proxy = http://127.0.0.1:$PPORT_hp
proxy_auth_file = $T/proxy.auth" "proxy = socks5h://127.0.0.1:$PPORT_sp
proxy_auth_env = NA_TEST_PROXY_AUTH"
crawl "$T/sp.conf" "$T/a2" sp NA_TEST_PROXY_AUTH="$AUTH"
[ "$(count "$T/hp.jsonl")" = 0 ] || fail "the site's proxy did not win over [newsarc]'s: $(head -3 "$T/hp.jsonl")"
"$PY" - "$T/sp.jsonl" <<'EOF' || fail "SOCKS5 proxy log"
import json, sys
log = [json.loads(l) for l in open(sys.argv[1])]
assert log and all(r["auth"] is True for r in log), log[:3]
assert all(r["atyp"] == "name" and r["target"].startswith("t-gov.newsarc.test:") for r in log), log[:3]
print("net_proxy: socks5h proxy carried %d connections by name, authenticated" % len(log))
EOF
leak sp "$T/a2"
# without the variable the run stops at once, naming it
rc=0
env -u NA_TEST_PROXY_AUTH "$NA_BIN" crawl -c "$T/sp.conf" -a "$T/a2x" --site t-gov >/dev/null 2>"$T/noenv.err" || rc=$?
[ "$rc" != 0 ] && grep -q "NA_TEST_PROXY_AUTH" "$T/noenv.err" || fail "missing proxy_auth_env variable: exit $rc: $(cat "$T/noenv.err")"

# 3. no_proxy: the site's host is reached directly.
: >"$T/hp.jsonl"
conf "$T/np.conf" "$T/sites.conf" "proxy = http://127.0.0.1:$PPORT_hp
proxy_auth_file = $T/proxy.auth
no_proxy = t-gov.newsarc.test" ""
crawl "$T/np.conf" "$T/a3" np
[ "$(count "$T/hp.jsonl")" = 0 ] || fail "no_proxy: the proxy saw $(count "$T/hp.jsonl") requests"

# 4. The environment when the file says nothing; proxy = none beats it.
crawl "$T/noresolve.conf" "$T/a4" env http_proxy="http://127.0.0.1:$PPORT_open" no_proxy= NO_PROXY=
n=$(count "$T/open.jsonl")
[ "$n" -ge 5 ] || fail "http_proxy from the environment not used ($n requests)"
conf "$T/none.conf" "$T/sites.conf" "proxy = none" ""
crawl "$T/none.conf" "$T/a5" none http_proxy="http://127.0.0.1:$PPORT_open" no_proxy= NO_PROXY=
[ "$(count "$T/open.jsonl")" = "$n" ] || fail "proxy = none: the environment's proxy was used"
echo "net_proxy: no_proxy and proxy = none went direct; http_proxy from the environment used when the file says nothing"
# 5. https through the HTTP proxy: a CONNECT tunnel to `openssl s_server -WWW`
#    (a certificate made here), credentials on the CONNECT only.
if command -v openssl >/dev/null; then
    TH=tls.newsarc.test
    openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 2 -subj "/CN=$TH" \
        -addext "subjectAltName=DNS:$TH" -keyout "$T/tls.key" -out "$T/tls.pem" 2>"$T/openssl.err" ||
        fail "openssl req: $(cat "$T/openssl.err")"
    mkdir -p "$T/www/news"
    printf 'User-agent: *\nAllow: /\n' >"$T/www/robots.txt"
    printf '<html><head><meta charset="utf-8"><title>新闻</title></head><body><a href="/news/1.html">项目签约</a> <a href="/news/2.html">项目签约 2</a></body></html>\n' >"$T/www/index.html"
    for i in 1 2; do cp "$NA_SRCDIR/tests/data/seed-article.html" "$T/www/news/$i.html"; done
    TPORT=$("$PY" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
    (cd "$T/www" && exec openssl s_server -accept "127.0.0.1:$TPORT" -quiet -WWW -cert "$T/tls.pem" -key "$T/tls.key") \
        >"$T/s_server.out" 2>&1 &
    CHILD_PIDS="$CHILD_PIDS $!"
    disown $!
    for _ in $(seq 50); do
        "$PY" -c "import socket; socket.create_connection(('127.0.0.1', $TPORT), 0.2).close()" 2>/dev/null && break
        sleep 0.1
    done
    {
        printf '[newsarc]\narchive = %s/a6\nuser_agent = newsarc-test/1 (+mailto:test@newsarc.test)\n' "$T"
        printf 'delay = 0\nretries = 0\nproxy = http://127.0.0.1:%s\nproxy_auth_file = %s/proxy.auth\n\n' "$PPORT_hp" "$T"
        printf '[site tlsvia]\nlisting = https://%s:%s/index.html\n' "$TH" "$TPORT"
        printf 'article = ^https://tls\\.newsarc\\.test:%s/news/[0-9]+\\.html$\nca_file = %s/tls.pem\n' "$TPORT" "$T"
    } >"$T/tls.conf"
    : >"$T/hp.jsonl"
    timeout 60 "$NA_BIN" crawl -vv -c "$T/tls.conf" >"$T/tls.out" 2>"$T/tls.err" ||
        fail "https via CONNECT: $(tail -5 "$T/tls.err")"
    grep -q "2 new articles" "$T/tls.out" || fail "https via CONNECT: $(cat "$T/tls.out")"
    "$PY" - "$T/hp.jsonl" "$TH:$TPORT" <<'EOF' || fail "CONNECT log"
import json, sys
log = [json.loads(l) for l in open(sys.argv[1])]
assert log and all(r["method"] == "CONNECT" and r["target"] == sys.argv[2] and r["auth"] is True for r in log), log
print("net_proxy: https through %d CONNECT tunnel(s), authenticated" % len(log))
EOF
    leak tls "$T/a6"
else
    echo "net_proxy: openssl missing: the CONNECT case is skipped"
fi
# 6. Wrong credentials: the proxy's 407 is an error naming the setting, never
#    the site's page (nothing archived), for plain http and for CONNECT.
printf 'crawler:wrong\n' >"$T/bad.auth"
chmod 600 "$T/bad.auth"
conf "$T/bad.conf" "$T/noresolve.conf" "proxy = http://127.0.0.1:$PPORT_hp
proxy_auth_file = $T/bad.auth" ""
rc=0
timeout 60 "$NA_BIN" crawl -c "$T/bad.conf" -a "$T/a7" --site t-gov >"$T/bad.out" 2>"$T/bad.err" || rc=$?
[ "$rc" = 1 ] || fail "wrong credentials: exit $rc: $(cat "$T/bad.err")"
grep -q "HTTP 407 Proxy Authentication Required (set proxy_auth_file" "$T/bad.err" ||
    fail "wrong credentials: no 407 named: $(head -3 "$T/bad.err")"
if [ -d "$T/a7/warc" ] && zcat "$T/a7"/warc/*.warc.gz 2>/dev/null | grep -aq "^HTTP/1.1 407"; then
    fail "the proxy's 407 was archived as the site's answer"
fi
if [ -n "${TPORT:-}" ]; then
    sed "s|proxy_auth_file = .*|proxy_auth_file = $T/bad.auth|; s|archive = .*|archive = $T/a8|" "$T/tls.conf" >"$T/badtls.conf"
    rc=0
    timeout 60 "$NA_BIN" crawl -c "$T/badtls.conf" >"$T/badtls.out" 2>"$T/badtls.err" || rc=$?
    [ "$rc" = 1 ] && grep -q "HTTP 407 Proxy Authentication Required" "$T/badtls.err" ||
        fail "wrong credentials on CONNECT: exit $rc: $(head -3 "$T/badtls.err")"
fi
echo "net_proxy: wrong credentials: HTTP 407 named with the setting, nothing of it archived (http and CONNECT)"
echo "net_proxy: ok"
