#!/usr/bin/env bash
# store_hardening.sh — odd and hostile inputs from the command line, each
# bounded by `timeout`: a FIFO and a symlink to /dev/zero named *.warc.gz in
# warc/ (verify, stats --scan, reindex and a crawl neither hang nor stop:
# the file is named and skipped); a gzipped non-WARC file there (no "out of
# memory", a crawl still runs); -c FIFO and -c DIR (a clear error, exit 2);
# verify right after a crawl was killed before its index commit (a note,
# exit 0); a 3,000-byte Location (the 2,048-byte limit named).
set -u
: "${NA_SRCDIR:?}" "${NA_BIN:?}" "${NA_BUILD:?}"
command -v python3 >/dev/null || { echo "store_hardening: python3 missing, skipped"; exit 77; }
. "$NA_SRCDIR/tests/tools/mkarchive.sh"
build_mkarchive || exit 1
T=$(mktemp -d "${TMPDIR:-/tmp}/na-hard-XXXXXX")
SERVER=""
cleanup() {
  [ -n "$SERVER" ] && kill "$SERVER" 2>/dev/null && wait "$SERVER" 2>/dev/null
  rm -rf "$T"
}
trap cleanup EXIT
fail() { echo "FAIL: $*" >&2; [ -f "$T/out" ] && sed 's/^/  | /' "$T/out" >&2; exit 1; }
na() { timeout 20 "$NA_BIN" "$@"; }
A="$T/arch"
"$MKARCHIVE" "$A" fixture >/dev/null || fail "mkarchive fixture"

# ---- -c FIFO, -c DIR ----
mkfifo "$T/fifo.conf"
na check-config -c "$T/fifo.conf" >"$T/out" 2>&1; rc=$?
[ $rc = 2 ] || fail "-c FIFO: exit $rc (124 = hung)"
grep -q "fifo.conf': not a regular file (a FIFO)" "$T/out" || fail "-c FIFO message"
na check-config -c "$T" >"$T/out" 2>&1; rc=$?
[ $rc = 2 ] || fail "-c DIR: exit $rc"
grep -q "is a directory" "$T/out" || fail "-c DIR message"

# ---- verify after a kill before the index commit: a note, exit 0 ----
cp "$A/index.sqlite" "$T/index.saved"
"$MKARCHIVE" "$A" fixture >/dev/null || fail "mkarchive fixture (second run)"
cp "$T/index.saved" "$A/index.sqlite"
rm -f "$A/index.sqlite-wal" "$A/index.sqlite-shm"
na verify -a "$A" >"$T/out" 2>&1 || fail "verify after a killed run should exit 0 (notes only)"
grep -q ": note: [0-9]* records from offset [0-9]* on not yet indexed" "$T/out" || fail "verify note"
grep -q "0 faults, 1 note" "$T/out" || fail "verify summary with the note"
grep -q "not in the index" "$T/out" && fail "verify calls a writer's tail a fault"

# ---- odd files in warc/ ----
mkfifo "$A/warc/fifo.warc.gz"
ln -s /dev/zero "$A/warc/zero.warc.gz"
printf 'plain text, not WARC\n%.0s' $(seq 3000) | gzip >"$A/warc/text.warc.gz"
na verify -a "$A" >"$T/out" 2>&1; rc=$?
[ $rc = 1 ] || fail "verify with odd files: exit $rc (124 = hung)"
grep -q "^fifo.warc.gz:0: not a regular file (a FIFO): skipped" "$T/out" || fail "verify names the FIFO"
grep -q "^zero.warc.gz:0: not a regular file (a character device): skipped" "$T/out" || fail "verify names the link"
grep -q "^text.warc.gz:0: bytes 0-[0-9]* damaged (not a WARC record" "$T/out" || fail "verify names the text file"
grep -q "out of memory" "$T/out" && fail "verify says out of memory"
grep -q "^verify: .* 3 faults" "$T/out" || fail "verify summary"
na stats -a "$A" --scan >"$T/out" 2>&1; rc=$?
[ $rc -lt 124 ] || fail "stats --scan hung"
grep -q "fifo.warc.gz': not a regular file (a FIFO): skipped" "$T/out" || fail "stats --scan names the FIFO"
grep -q "^records " "$T/out" || fail "stats --scan summary"

# ---- a crawl beside them, with a server that redirects to a 3,000-byte URL ----
cat >"$T/srv.py" <<'EOF'
import http.server, sys
class H(http.server.BaseHTTPRequestHandler):
    def log_message(self, *a): pass
    def do_GET(self):
        if self.path == "/robots.txt":
            self.send_response(404); self.send_header("Content-Length", "0"); self.end_headers(); return
        if self.path == "/list/":
            b = b'<html><body><a href="/a/1.html">one</a></body></html>'
            self.send_response(200); self.send_header("Content-Type", "text/html")
            self.send_header("Content-Length", str(len(b))); self.end_headers(); self.wfile.write(b); return
        self.send_response(302); self.send_header("Location", "/b/" + "x" * 3000 + ".html")
        self.send_header("Content-Length", "0"); self.end_headers()
s = http.server.HTTPServer(("127.0.0.1", 0), H)
open(sys.argv[1], "w").write(str(s.server_port))
s.timeout = 15
s.serve_forever()
EOF
python3 "$T/srv.py" "$T/port" &
SERVER=$!
for _ in $(seq 100); do [ -s "$T/port" ] && break; sleep 0.05; done
PORT=$(cat "$T/port")
cat >"$T/sites.conf" <<EOF
[newsarc]
user_agent = newsarc-test (+https://example.org/)
archive = $A
delay = 0
[site s]
listing = http://127.0.0.1:$PORT/list/
article = /a/[0-9]+\.html$
EOF
na crawl -c "$T/sites.conf" >"$T/out" 2>&1; rc=$?
[ $rc -lt 124 ] || fail "crawl hung"
[ $rc = 2 ] && fail "crawl refused to start"
grep -q "fifo.warc.gz': not a regular file (a FIFO): skipped" "$T/out" || fail "crawl names the FIFO"
grep -q "text.warc.gz:0: bytes 0-" "$T/out" || fail "crawl names the foreign file"
grep -q "redirect to a URL of 3008 bytes, over the limit of 2048" "$T/out" || fail "the Location limit is named"
na reindex -a "$A" >"$T/out" 2>&1; rc=$?
[ $rc = 1 ] || fail "reindex with a foreign file: exit $rc (124 = hung)"
grep -q "1 damaged range" "$T/out" || fail "reindex summary counts the damage"
echo "store_hardening: ok"
