#!/usr/bin/env bash
# feed_tools.sh — the README's "Feeding other tools" examples, taken from
# README.md itself (the fenced block after each <!-- test:NAME --> marker) and
# run as written in a folder whose ./archive is a small archive: the mkarchive
# fixture plus the seed page fetched from a 127.0.0.1 server. Checked: the
# five-line Python script over `export --format jsonl`, the warcio.js script
# over the WARC files (skipped with a notice without npm warcio), the CDXJ
# export (sorted, each line at its record) and the sqlite3 query (skipped
# with a notice without the sqlite3 CLI).
set -u
: "${NA_SRCDIR:?}" "${NA_BIN:?}" "${NA_BUILD:?}"
PY=/usr/bin/python3
[ -x "$PY" ] || PY=$(command -v python3) || { echo "feed_tools: no python3: skipped"; exit 77; }
README=$NA_SRCDIR/README.md
PAGE=$NA_SRCDIR/tests/data/seed-article.html
WARCIO="${WARCIO:-$NA_SRCDIR/build/npm/node_modules/warcio}"
. "$NA_SRCDIR/tests/tools/mkarchive.sh"
build_mkarchive || exit 1
T=$(mktemp -d "${TMPDIR:-/tmp}/na-feed-XXXXXX")
SERVER=""
cleanup() {
  [ -n "$SERVER" ] && kill "$SERVER" 2>/dev/null && wait "$SERVER" 2>/dev/null
  rm -rf "$T"
}
trap cleanup EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

mkdir -p "$T/bin" "$T/run" "$T/out"
ln -s "$NA_BIN" "$T/bin/newsarc"
ln -s "$PY" "$T/bin/python3"
export PATH="$T/bin:$PATH"
unset NEWSARC_ARCHIVE
A=$T/run/archive

# block NAME: the fenced block after <!-- test:NAME --> (exactly one marker).
block() {
  "$PY" - "$README" "$1" <<'EOF'
import re, sys
text = open(sys.argv[1], encoding="utf-8").read()
pat = r"^<!-- test:%s -->[ \t]*\n(?:[ \t]*\n)*```[^\n]*\n(.*?)^```[ \t]*$" % re.escape(sys.argv[2])
found = re.findall(pat, text, re.S | re.M)
if len(found) != 1:
    sys.exit("README.md: %d blocks marked test:%s (expected 1)" % (len(found), sys.argv[2]))
sys.stdout.write(found[0])
EOF
}
# run NAME: runs block NAME with bash in $T/run; stdout in $T/out/NAME.
run() {
  block "$1" >"$T/out/$1.sh" || fail "no block test:$1"
  (cd "$T/run" && bash -o pipefail "$T/out/$1.sh") >"$T/out/$1" 2>"$T/out/$1.err" ||
    fail "$1: exit $?: $(cat "$T/out/$1.err")"
}

# ---- the archive ----
"$MKARCHIVE" "$A" fixture || fail "mkarchive fixture"
seed=0
if [ -f "$PAGE" ]; then
  mkdir -p "$T/www/post"
  cp "$PAGE" "$T/www/post/1187.html"
  "$PY" - "$T/www" "$T/port" <<'EOF' &
import http.server, os, sys, threading
os.chdir(sys.argv[1])
class Handler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass
srv = http.server.HTTPServer(("127.0.0.1", 0), Handler)
with open(sys.argv[2] + ".tmp", "w") as f:
    f.write(str(srv.server_address[1]))
os.rename(sys.argv[2] + ".tmp", sys.argv[2])
threading.Timer(60, srv.shutdown).start()
srv.serve_forever()
EOF
  SERVER=$!
  for _ in $(seq 100); do [ -s "$T/port" ] && break; sleep 0.05; done
  [ -s "$T/port" ] || fail "the local server did not start"
  SEED_URL="http://127.0.0.1:$(cat "$T/port")/post/1187.html"
  "$MKARCHIVE" "$A" fetch --site tj-changfang "$SEED_URL" || fail "mkarchive fetch $SEED_URL"
  kill "$SERVER" 2>/dev/null; wait "$SERVER" 2>/dev/null; SERVER=""
  seed=1
else
  echo "feed_tools: tests/data/seed-article.html is missing: the archive holds the fixture only"
fi
newsarc export -a "$A" --format jsonl >"$T/all.jsonl" || fail "export jsonl"

# ---- 1. export --format jsonl | python3 find.py WORD ----
block find.py >"$T/run/find.py" || fail "no block test:find.py"
n=$(grep -cv '^[[:space:]]*$' "$T/run/find.py")
[ "$n" = 5 ] || fail "find.py has $n lines, the README says five"
run jsonl
if [ $seed = 1 ]; then
  "$PY" - "$T/all.jsonl" "$SEED_URL" >"$T/want" <<'EOF'
import json, sys
for line in open(sys.argv[1], encoding="utf-8"):
    a = json.loads(line)
    if a["url"] == sys.argv[2]:
        print("\t".join([a["published"], a["site"], a["title"], a["url"]]))
EOF
  grep -q $'\ttj-changfang\t济南各区县抢跑“春天里”:党政一把手率队外出高质量项目密集签约\t' "$T/want" ||
    fail "the seed page is not in the export as expected: $(cat "$T/want")"
  diff -u "$T/want" "$T/out/jsonl" >&2 || fail "jsonl: find.py 签约 printed something else"
else
  [ ! -s "$T/out/jsonl" ] || fail "jsonl: find.py 签约 found something in the fixture: $(cat "$T/out/jsonl")"
fi
# The same script on words the fixture holds.
(cd "$T/run" && newsarc export --format jsonl | python3 find.py 第一段) >"$T/out/w1" || fail "find.py 第一段"
[ "$(cat "$T/out/w1")" = $'2024-03-01\texample\tFirst article 第一\thttp://news.example.cn/a/1.html' ] ||
  fail "find.py 第一段 printed: $(cat "$T/out/w1")"
(cd "$T/run" && newsarc export --format jsonl | python3 find.py GBK) >"$T/out/w2" || fail "find.py GBK"
[ "$(cat "$T/out/w2")" = $'2024-03-05T10:30:00+08:00\texample\t中国新闻\thttp://news.example.cn/a/2.html' ] ||
  fail "find.py GBK printed: $(cat "$T/out/w2")"
echo "feed_tools: export --format jsonl | python3 find.py: ok"

# ---- 2. node texts.mjs archive/warc/NAME.warc.gz (npm warcio) ----
if command -v node >/dev/null && [ -f "$WARCIO/package.json" ]; then
  block texts.mjs >"$T/run/texts.mjs" || fail "no block test:texts.mjs"
  ln -s "$(dirname "$WARCIO")" "$T/run/node_modules"
  run warcio
  # One line per conversion record: its URL and the text's first line, as
  # in the export (no reextract here: one conversion per article).
  "$PY" - "$T/all.jsonl" "$T/out/warcio" <<'EOF' || fail "warcio: texts.mjs output differs from the archive's texts"
import json, sys
want = sorted("%s %s" % (a["url"], a["text"].split("\n")[0]) for a in map(json.loads, open(sys.argv[1], encoding="utf-8")))
got = sorted(open(sys.argv[2], encoding="utf-8").read().splitlines())
assert got == want, (got, want)
print("feed_tools: node texts.mjs (warcio): %d texts ok" % len(got))
EOF
else
  echo "feed_tools: npm warcio is not installed (mk/deps.sh test installs it into build/npm): the warcio example was not run"
fi

# ---- 3. export --format cdxj > archive.cdxj ----
run cdxj
LC_ALL=C sort -c "$T/run/archive.cdxj" || fail "cdxj: not sorted"
"$PY" - "$T/run/archive.cdxj" "$A" <<'EOF' || fail "cdxj: a line does not point at its record"
import json, os, sqlite3, sys, zlib
arch = sys.argv[2]
lines = open(sys.argv[1], encoding="utf-8").read().splitlines()
db = sqlite3.connect("file:%s?mode=ro" % os.path.join(arch, "index.sqlite"), uri=True)
ncapt = db.execute("SELECT COUNT(*) FROM captures").fetchone()[0]
assert len(lines) == ncapt, ("cdxj lines", len(lines), "captures", ncapt)
for line in lines:
    key, ts, js = line.split(" ", 2)
    j = json.loads(js)
    with open(os.path.join(arch, "warc", j["filename"]), "rb") as f:
        f.seek(int(j["offset"]))
        member = f.read(int(j["length"]))
    d = zlib.decompressobj(16 + zlib.MAX_WBITS)
    rec = d.decompress(member)
    assert d.eof and not d.unused_data, ("not exactly one gzip member", j)
    head = rec.split(b"\r\n\r\n", 1)[0].decode("utf-8").split("\r\n")
    fields = dict(l.split(": ", 1) for l in head[1:])
    assert fields["WARC-Type"] in ("response", "revisit"), (fields["WARC-Type"], j)
    assert fields["WARC-Target-URI"] == j["url"], (fields["WARC-Target-URI"], j)
    assert fields["WARC-Date"].replace("-", "").replace(":", "").replace("T", "")[:14] == ts, (fields["WARC-Date"], ts)
print("feed_tools: export --format cdxj: %d lines, sorted, each at its record" % len(lines))
EOF

# ---- 4. sqlite3 on index.sqlite ----
if command -v sqlite3 >/dev/null; then
  run sqlite
  "$PY" - "$T/all.jsonl" "$T/out/sqlite" <<'EOF' || fail "sqlite: the query's counts differ from the export (output above)"
import collections, json, sys
want = collections.Counter(json.loads(l)["site"] for l in open(sys.argv[1], encoding="utf-8"))
out = open(sys.argv[2], encoding="utf-8").read().splitlines()
assert out[0].split()[:4] == ["site", "articles", "newest", "last_fetch"], out[0]
assert set(out[1]) <= set("- "), out[1]
got = {l.split()[0]: int(l.split()[1]) for l in out[2:] if l.strip()}
assert got == dict(want), (got, dict(want))
print("feed_tools: sqlite3 query: %d sites ok" % len(got))
EOF
else
  echo "feed_tools: the sqlite3 CLI is not installed (mk/deps.sh test installs it): the sqlite3 example was not run"
fi
echo "feed_tools: ok"
