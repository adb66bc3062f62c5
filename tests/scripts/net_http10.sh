#!/usr/bin/env bash
# net_http10.sh — old HTTP servers (issue 14 item 5). A server written here
# (stdlib socketserver, 127.0.0.1) answers every request on a connection of
# its own and closes it: robots.txt, the listing and article 1 as HTTP/1.0
# without Content-Length (the body ends when the connection does), article 2
# as HTTP/1.1 with Connection: close and no Content-Length, article 3 as
# HTTP/1.1 with Connection: close and a Content-Length. Checks that every
# article is archived whole (the archived body is the file, byte for byte),
# the response records keep the status lines as received (HTTP/1.0 where it
# was), `verify` passes and warcio reads every record with both digests right.
# (HTTP/2 over TLS is crawl_https.sh's.)
set -eu
: "${NA_SRCDIR:?}" "${NA_BIN:?}"
PY=/usr/bin/python3
[ -x "$PY" ] || PY=$(command -v python3)
T=$(mktemp -d "${TMPDIR:-/tmp}/newsarc-http10-XXXXXX")
SPID=
cleanup() {
    [ -n "$SPID" ] && kill "$SPID" 2>/dev/null || true
    [ -n "${KEEP:-}" ] && echo "kept $T" >&2 || rm -rf "$T"
}
trap cleanup EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
H=old.newsarc.test

mkdir -p "$T/www/news"
printf 'User-agent: *\nAllow: /\n' >"$T/www/robots.txt"
{
    printf '<html><head><meta charset="utf-8"><title>新闻</title></head><body><ul>\n'
    for i in 1 2 3; do printf '<li><a href="/news/%d.html">项目签约 %d</a></li>\n' "$i" "$i"; done
    printf '</ul></body></html>\n'
} >"$T/www/index.html"
for i in 1 2 3; do cp "$NA_SRCDIR/tests/data/seed-article.html" "$T/www/news/$i.html"; done

cat >"$T/server.py" <<'EOF'
import json, os, socketserver, sys, threading, time
root, port_file, log = sys.argv[1:4]
class H(socketserver.StreamRequestHandler):
    def handle(self):
        line = self.rfile.readline(65536).decode("latin-1")
        while self.rfile.readline(65536) not in (b"\r\n", b"\n", b""):
            pass
        path = line.split(" ")[1] if line.count(" ") >= 2 else "/"
        f = os.path.join(root, path.lstrip("/") or "index.html")
        with open(log, "a") as lf:
            lf.write(json.dumps({"path": path, "conn": self.client_address[1]}) + "\n")
        if ".." in path or not os.path.isfile(f):
            self.wfile.write(b"HTTP/1.0 404 Not Found\r\nContent-Type: text/html\r\n\r\n<h1>404</h1>")
            return
        body = open(f, "rb").read()
        ctype = b"text/plain" if f.endswith(".txt") else b"text/html; charset=utf-8"
        if path == "/news/2.html":
            head = b"HTTP/1.1 200 OK\r\nContent-Type: " + ctype + b"\r\nConnection: close\r\n\r\n"
        elif path == "/news/3.html":
            head = (b"HTTP/1.1 200 OK\r\nContent-Type: " + ctype + b"\r\nContent-Length: %d\r\n"
                    b"Connection: close\r\n\r\n" % len(body))
        else:
            head = b"HTTP/1.0 200 OK\r\nContent-Type: " + ctype + b"\r\nConnection: close\r\n\r\n"
        self.wfile.write(head)
        for i in range(0, len(body), 4096):   # in pieces, as a slow old server sends it
            self.wfile.write(body[i:i + 4096])
            self.wfile.flush()
class S(socketserver.ThreadingTCPServer):
    daemon_threads = True
s = S(("127.0.0.1", 0), H)
with open(port_file + ".tmp", "w") as f:
    f.write(str(s.server_address[1]))
os.replace(port_file + ".tmp", port_file)
threading.Timer(60, lambda: os._exit(0)).start()
s.serve_forever()
EOF
"$PY" "$T/server.py" "$T/www" "$T/port" "$T/log.jsonl" >"$T/server.out" 2>&1 &
SPID=$!
for _ in $(seq 100); do [ -s "$T/port" ] && break; sleep 0.05; done
[ -s "$T/port" ] || fail "server did not start: $(cat "$T/server.out")"
PORT=$(cat "$T/port")
cat >"$T/sites.conf" <<EOF
[newsarc]
archive = $T/archive
user_agent = newsarc-test/1 (+mailto:test@newsarc.test)
delay = 0
retries = 0
resolve = $H:$PORT:127.0.0.1

[site old]
listing = http://$H:$PORT/index.html
article = ^http://old\\.newsarc\\.test:$PORT/news/[0-9]+\\.html\$
EOF
timeout 60 "$NA_BIN" crawl -c "$T/sites.conf" >"$T/c.out" 2>"$T/c.err" || fail "crawl: $(cat "$T/c.err")"
grep -q "3 new articles" "$T/c.out" || fail "expected 3 new articles: $(cat "$T/c.out")"
"$NA_BIN" verify -a "$T/archive" >"$T/verify.out" 2>&1 || fail "verify: $(cat "$T/verify.out")"
"$PY" - "$T/log.jsonl" "$T/www/news/1.html" "$T/archive"/warc/*.warc.gz <<'EOF' || fail "records"
import gzip, json, sys
log = [json.loads(l) for l in open(sys.argv[1])]
conns = [r["conn"] for r in log]
assert len(log) >= 5 and len(set(conns)) == len(conns), log   # a connection per request
want = open(sys.argv[2], "rb").read()
seen = {}
for path in sys.argv[3:]:
    data = gzip.open(path).read()
    for rec in data.split(b"WARC/1.1\r\n")[1:]:
        head, _, block = rec.partition(b"\r\n\r\n")
        fields = dict(l.split(b": ", 1) for l in head.split(b"\r\n") if b": " in l)
        if fields.get(b"WARC-Type") != b"response":
            continue
        n = int(fields[b"Content-Length"])
        block = block[:n]
        status, _, body = block.partition(b"\r\n\r\n")
        uri = fields[b"WARC-Target-URI"].decode()
        seen[uri.rsplit("/", 1)[1]] = (status.split(b"\r\n")[0], body)
for name, proto in (("1.html", b"HTTP/1.0 200"), ("2.html", b"HTTP/1.1 200"), ("3.html", b"HTTP/1.1 200")):
    first, body = seen[name]
    assert first.startswith(proto), (name, first)
    assert body == want, (name, len(body), len(want))
assert seen["index.html"][0].startswith(b"HTTP/1.0 200")
print("net_http10: %d requests on %d connections; articles 1-3 archived whole (%d bytes each), "
      "HTTP/1.0 status lines kept" % (len(log), len(set(conns)), len(want)))
EOF
WARCIO="${WARCIO:-$NA_SRCDIR/build/npm/node_modules/warcio}"
if command -v node >/dev/null && [ -f "$WARCIO/package.json" ]; then
    WARCIO=$WARCIO node "$NA_SRCDIR/tests/js/warccheck.mjs" "$T/archive"/warc/*.warc.gz >"$T/w.out" ||
        fail "warcio: $(cat "$T/w.out")"
    sed "s|$T/archive/warc/||" "$T/w.out"
else
    echo "net_http10: npm warcio not installed: the warcio read is skipped"
fi
echo "net_http10: ok"
