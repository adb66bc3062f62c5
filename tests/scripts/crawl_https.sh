#!/usr/bin/env bash
# crawl_https.sh — HTTPS and HTTP/2 (issue 4 item 2, "HTTP/2 where offered"):
# nginx on 127.0.0.1 serves a small GBK site in the seed page's image over
# TLS with HTTP/2 (certificate made here by openssl for h2.newsarc.test).
# Checks that:
#   - without the certificate's CA the crawl fails every fetch with a clear
#     TLS error (verification is on) and archives nothing;
#   - with `ca_file` the crawl archives every article, over HTTP/2 (nginx's
#     log shows HTTP/2.0 for every request);
#   - the records stay readable by WARC tools that know HTTP/1.x only: the
#     HTTP message is written with HTTP/1.1 start lines and the protocol is
#     kept in WARC-Protocol (h2), as StormCrawler/Nutch do
#     (iipc/warc-specifications#15, #42); `verify` passes and warcio reads
#     every record with both digests right.
# Skips (77) when nginx or openssl is missing (mk/deps.sh test installs both).
set -eu
: "${NA_SRCDIR:?}" "${NA_BIN:?}"
NA_BUILD=${NA_BUILD:-$NA_SRCDIR/build}
for tool in nginx openssl; do
    command -v "$tool" >/dev/null || { echo "crawl_https: $tool missing (mk/deps.sh test): skipped"; exit 77; }
done
nginx -V 2>&1 | grep -q -- --with-http_v2_module || { echo "crawl_https: nginx without HTTP/2: skipped"; exit 77; }
PY=/usr/bin/python3
[ -x "$PY" ] || PY=$(command -v python3)
T=$(mktemp -d "${TMPDIR:-/tmp}/newsarc-https-XXXXXX")
cleanup() {
    [ -f "$T/nginx.pid" ] && nginx -p "$T" -c "$T/nginx.conf" -s stop 2>/dev/null || true
    for _ in $(seq 50); do [ -f "$T/nginx.pid" ] || break; sleep 0.1; done
    [ -n "${KEEP:-}" ] && echo "kept $T" >&2 || rm -rf "$T"
}
trap cleanup EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
HOST=h2.newsarc.test

# The certificate (a self-signed one is its own CA).
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 2 \
    -subj "/CN=$HOST" -addext "subjectAltName=DNS:$HOST" \
    -keyout "$T/key.pem" -out "$T/cert.pem" 2>"$T/openssl.err" || { cat "$T/openssl.err" >&2; fail "openssl req"; }

# The site: a listing page, three articles (the seed-image GBK page), robots.txt.
mkdir -p "$T/site/news" "$T/tmp"
printf 'User-agent: *\nAllow: /\n' >"$T/site/robots.txt"
{
    printf '<html><head><meta charset="utf-8"><title>新闻</title></head><body><ul>\n'
    for i in 1 2 3; do printf '<li><a href="/news/%d.html">项目签约 %d</a></li>\n' "$i" "$i"; done
    printf '</ul></body></html>\n'
} >"$T/site/index.html"
for i in 1 2 3; do cp "$NA_SRCDIR/tests/data/seed-article.html" "$T/site/news/$i.html"; done
# nginx's workers drop root's rights: the site must be readable to others.
chmod 755 "$T"
chmod -R a+rX "$T/site"

# nginx takes a port that was free a moment ago: tests run in parallel, so
# another server may take it first; then a new port is tried.
for try in 1 2 3 4 5; do
PORT=$("$PY" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
cat >"$T/nginx.conf" <<EOF
worker_processes 1;
daemon on;
pid $T/nginx.pid;
error_log $T/nginx-error.log warn;
events { worker_connections 64; }
http {
    log_format proto '\$server_protocol \$status \$request_uri';
    access_log $T/access.log proto;
    client_body_temp_path $T/tmp/body;
    proxy_temp_path $T/tmp/proxy;
    fastcgi_temp_path $T/tmp/fastcgi;
    uwsgi_temp_path $T/tmp/uwsgi;
    scgi_temp_path $T/tmp/scgi;
    default_type text/html;
    types { text/html html; text/plain txt; }
    gzip on;
    server {
        listen 127.0.0.1:$PORT ssl http2;
        server_name $HOST;
        ssl_certificate $T/cert.pem;
        ssl_certificate_key $T/key.pem;
        root $T/site;
    }
}
EOF
nginx -p "$T" -c "$T/nginx.conf" 2>"$T/nginx.out" && break
grep -q "in use" "$T/nginx.out" && [ $try -lt 5 ] || { cat "$T/nginx.out" >&2; fail "nginx did not start"; }
done

conf() { # conf FILE [EXTRA LINE]
    cat >"$1" <<EOF
[newsarc]
archive = $T/archive
user_agent = newsarc-test/1 (+mailto:test@newsarc.test)
delay = 0
retries = 1
resolve = $HOST:$PORT:127.0.0.1
${2:-}

[site h2]
listing = https://$HOST:$PORT/
article = ^https://h2\\.newsarc\\.test:$PORT/news/[0-9]+\\.html\$
EOF
}

# 1. Without the CA: every fetch fails with a TLS error; nothing archived.
conf "$T/untrusted.conf"
rc=0
"$NA_BIN" crawl -c "$T/untrusted.conf" -a "$T/untrusted" >"$T/u.out" 2>"$T/u.err" || rc=$?
[ "$rc" = 1 ] || fail "untrusted certificate: exit $rc, expected 1 ($(cat "$T/u.err"))"
grep -qiE 'certificate|ssl|tls' "$T/u.err" || fail "untrusted certificate: no TLS error named: $(head -3 "$T/u.err")"
n=$("$NA_BIN" ls -a "$T/untrusted" 2>/dev/null | wc -l)
[ "$n" = 0 ] || fail "untrusted certificate: $n articles archived"

# 2. With ca_file: everything over HTTP/2.
: >"$T/access.log"
conf "$T/sites.conf" "ca_file = $T/cert.pem"
"$NA_BIN" check-config -c "$T/sites.conf" >"$T/check.out" 2>&1 || fail "check-config: $(cat "$T/check.out")"
grep -q "ca_file" "$T/check.out" || fail "check-config does not show ca_file"
"$NA_BIN" crawl -c "$T/sites.conf" >"$T/c.out" 2>"$T/c.err" || fail "crawl over https: $(cat "$T/c.err")"
grep -q "3 new articles" "$T/c.out" || fail "expected 3 new articles: $(cat "$T/c.out")"
nreq=$(wc -l <"$T/access.log")
[ "$nreq" -ge 5 ] || fail "nginx saw $nreq requests, expected robots.txt + listing + 3 articles"
if grep -v '^HTTP/2.0 ' "$T/access.log" >/dev/null; then
    fail "requests not over HTTP/2: $(grep -v '^HTTP/2.0 ' "$T/access.log" | head -3)"
fi
"$NA_BIN" ls -a "$T/archive" >"$T/ls.out"
[ "$(wc -l <"$T/ls.out")" = 3 ] || fail "ls: $(cat "$T/ls.out")"
"$NA_BIN" get -a "$T/archive" "https://$HOST:$PORT/news/2.html" >"$T/get.out" || fail "get"
grep -q "$(sed -n 1p "$NA_SRCDIR/tests/data/seed-article.txt")" "$T/get.out" || fail "the article's text is not archived"
"$NA_BIN" verify -a "$T/archive" >"$T/verify.out" 2>&1 || fail "verify: $(cat "$T/verify.out")"

# 3. The records: HTTP/1.1 start lines, WARC-Protocol: h2 on request and response.
"$PY" - "$T/archive"/warc/*.warc.gz <<'EOF' || fail "record heads"
import gzip, sys
resp = req = 0
for path in sys.argv[1:]:
    data = gzip.open(path).read()
    for rec in data.split(b"WARC/1.1\r\n")[1:]:
        head, _, block = rec.partition(b"\r\n\r\n")
        fields = dict(l.split(b": ", 1) for l in head.split(b"\r\n") if b": " in l)
        t = fields.get(b"WARC-Type")
        if t not in (b"request", b"response"):
            continue
        first = block.split(b"\r\n", 1)[0]
        assert fields.get(b"WARC-Protocol") == b"h2", (t, fields.get(b"WARC-Protocol"))
        if t == b"response":
            assert first.startswith(b"HTTP/1.1 "), first
            resp += 1
        else:
            assert first.endswith(b" HTTP/1.1") and first.startswith(b"GET /"), first
            req += 1
assert resp >= 5 and req == resp, (resp, req)
print("https: %d request/response pairs over h2, HTTP/1.1 start lines, WARC-Protocol: h2" % resp)
EOF

WARCIO="${WARCIO:-$NA_SRCDIR/build/npm/node_modules/warcio}"
if command -v node >/dev/null && [ -f "$WARCIO/package.json" ]; then
    WARCIO=$WARCIO node "$NA_SRCDIR/tests/js/warccheck.mjs" "$T/archive"/warc/*.warc.gz >"$T/w.out" ||
        fail "warcio: $(cat "$T/w.out")"
    cat "$T/w.out" | sed "s|$T/archive/warc/||"
else
    echo "crawl_https: npm warcio not installed: the warcio read is skipped"
fi
echo "crawl_https: ok"
