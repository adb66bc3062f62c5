#!/usr/bin/env bash
# warcio.sh — an independent reader, npm's warcio (warcio.js, installed by
# mk/deps.sh test into build/npm), reads every record newsarc writes: the
# fixture archive (several WARC files through rotation), the output of
# `export --format warc`, and the records reextract appends. For each record
# tests/js/warccheck.mjs compares Content-Length with the bytes read and
# recomputes WARC-Block-Digest / WARC-Payload-Digest. The CDXJ offsets are
# checked against warcio's own member offsets, and a record with a wrong
# digest must be caught (the checker is not vacuous). Skips (77) without warcio.
set -u
: "${NA_SRCDIR:?}" "${NA_BIN:?}" "${NA_BUILD:?}"
WARCIO="${WARCIO:-$NA_SRCDIR/build/npm/node_modules/warcio}"
if ! command -v node >/dev/null || [ ! -f "$WARCIO/package.json" ]; then
  echo "warcio: npm warcio is not installed (mk/deps.sh test installs it into build/npm): skipped"
  exit 77
fi
export WARCIO
. "$NA_SRCDIR/tests/tools/mkarchive.sh"
build_mkarchive || exit 1
T=$(mktemp -d "${TMPDIR:-/tmp}/na-warcio-XXXXXX")
trap 'rm -rf "$T"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
check() { node "$NA_SRCDIR/tests/js/warccheck.mjs" "$@"; }
A="$T/arch"

# A small rotation size puts the fixture into several files.
MKARCHIVE_MAX_SIZE=4000 "$MKARCHIVE" "$A" fixture || fail "mkarchive fixture"
nfiles=$(ls "$A"/warc/*.warc.gz | wc -l)
[ "$nfiles" -ge 2 ] || fail "expected rotation into several files, got $nfiles"
check --expect-types warcinfo,request,response,revisit,conversion,metadata "$A"/warc/*.warc.gz >"$T/c1" ||
  fail "warcio on the archive: $(cat "$T/c1")"
awk '{ n += $2 } END { printf "warcio read %d records in %d files of the archive\n", n, NR }' "$T/c1"

"$NA_BIN" export -a "$A" --format warc >"$T/export.warc.gz" || fail "export warc"
check --expect-types warcinfo,request,response,revisit,conversion,metadata "$T/export.warc.gz" >"$T/c2" ||
  fail "warcio on export --format warc"
sed 's|^.*/export.warc.gz|warcio read export --format warc|' "$T/c2"

"$NA_BIN" reextract -a "$A" -q || fail "reextract"
check "$A"/warc/*.warc.gz >"$T/c3" || fail "warcio after reextract"
conv=$(grep -o 'conversion=[0-9]*' "$T/c3" | awk -F= '{ s += $2 } END { print s }')
[ "$conv" = 8 ] || fail "expected 8 conversion records after reextract, warcio saw $conv"

# CDXJ offset/length = warcio's member offset/length, same URI.
"$NA_BIN" export -a "$A" --format cdxj >"$T/x.cdxj" || fail "export cdxj"
for f in "$A"/warc/*.warc.gz; do
  check --list "$f" | awk -v f="$(basename "$f")" 'NF == 4 { print f, $1, $2, $4 }'
done >"$T/members"
python3 - "$T/x.cdxj" "$T/members" <<'EOF' || fail "cdxj offsets disagree with warcio"
import json, sys
members = {tuple(l.split()[:3]): l.split()[3] for l in open(sys.argv[2])}
n = 0
for line in open(sys.argv[1]):
    j = json.loads(line.split(" ", 2)[2])
    k = (j["filename"], j["offset"], j["length"])
    assert k in members, ("no warcio record at", k)
    assert members[k] == j["url"], (members[k], j["url"])
    n += 1
assert n == 8, n
EOF

# Our CDXJ lines next to warcio.js's own indexer (cdx-index): same key,
# timestamp, url, mime, status, length, offset, filename for every response
# and revisit (warcio.js keeps a trailing slash in keys, python surt/pywb
# drop it: those keys are not compared).
node "$WARCIO/dist/cli.js" cdx-index "$A"/warc/*.warc.gz >"$T/warcio.cdxj" 2>"$T/warcio.err" ||
  fail "warcio cdx-index: $(cat "$T/warcio.err")"
python3 - "$T/x.cdxj" "$T/warcio.cdxj" <<'EOF' || fail "cdxj differs from warcio.js cdx-index"
import json, sys
def parse(p):
    out = {}
    for line in open(p, encoding="utf-8"):
        key, ts, js = line.rstrip("\n").split(" ", 2)
        j = json.loads(js)
        out[(j["filename"], j["offset"])] = (key, ts, j)
    return out
ours, theirs = parse(sys.argv[1]), parse(sys.argv[2])
assert ours, "no lines"
for k, (key, ts, j) in ours.items():
    assert k in theirs, ("warcio has no line for", k)
    tkey, tts, tj = theirs[k]
    if not j["url"].split("?")[0].endswith("/"):
        assert key == tkey, (key, tkey)
    assert ts == tts, (ts, tts)
    for f in ("url", "mime", "status", "length", "filename"):
        assert j.get(f) == tj.get(f), (f, j, tj)
    if "digest" in tj:
        assert j["digest"] == tj["digest"], (j, tj)
print("cdxj agrees with warcio.js on %d lines" % len(ours))
EOF

# Negative control: a record whose block was altered after its digest.
python3 - "$A" "$T/bad.warc.gz" <<'EOF' || fail "could not build the corrupted file"
import glob, gzip, sys, zlib
data = open(sorted(glob.glob(sys.argv[1] + "/warc/*.warc.gz"))[0], "rb").read()
out, off = [], 0
while off < len(data):
    d = zlib.decompressobj(31)
    rec = d.decompress(data[off:])
    end = len(data) - len(d.unused_data)
    if b"WARC-Type: response" in rec:
        rec = rec[:-5] + bytes([rec[-5] ^ 0x20]) + rec[-4:]   # flip the last body byte (before CRLFCRLF)
        out.append(gzip.compress(rec))
        out.append(data[end:])
        break
    out.append(data[off:end])
    off = end
open(sys.argv[2], "wb").write(b"".join(out))
EOF
if check "$T/bad.warc.gz" >/dev/null 2>"$T/bad.err"; then fail "a wrong WARC-Block-Digest went unnoticed"; fi
grep -q "WARC-Block-Digest" "$T/bad.err" || fail "the fault named: $(cat "$T/bad.err")"
# The JavaScript example of docs/archive-format.md, run as written.
mkdir -p "$T/js" && ln -s "$(dirname "$WARCIO")" "$T/js/node_modules"
python3 - "$NA_SRCDIR/docs/archive-format.md" "$T/js/read_warc.mjs" <<'EOF' || fail "no JavaScript example in the doc"
import re, sys
blocks = re.findall(r"```javascript\n(.*?)```", open(sys.argv[1], encoding="utf-8").read(), re.S)
assert blocks
open(sys.argv[2], "w", encoding="utf-8").write(blocks[0])
EOF
first=$(ls "$A"/warc/*.warc.gz | head -1)
node "$T/js/read_warc.mjs" "$first" >"$T/js.out" 2>&1 || fail "doc JavaScript example: $(cat "$T/js.out")"
grep -q ' warcinfo$' "$T/js.out" && grep -q ' 200 text/html' "$T/js.out" || fail "doc JavaScript example output: $(cat "$T/js.out")"
echo "warcio: ok"
