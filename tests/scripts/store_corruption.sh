#!/usr/bin/env bash
# store_corruption.sh — `newsarc verify` and `newsarc reindex` from the
# command line on an archive written through the store API (the
# tests/tools/mkarchive.c fixture): clean → exit 0 and a summary; a flipped
# byte → exit 1 naming file and offset; a torn tail → reported by verify,
# truncated by the next writable open; a deleted index → reindex rebuilds the
# same rows (compared through `newsarc ls` and the index counts); reindex
# while a writer holds the lock → exit 3; usage errors → exit 2.
set -u
: "${NA_SRCDIR:?}" "${NA_BIN:?}" "${NA_BUILD:?}"
command -v python3 >/dev/null || { echo "store_corruption: python3 missing, skipped"; exit 77; }
. "$NA_SRCDIR/tests/tools/mkarchive.sh"
build_mkarchive || exit 1
T=$(mktemp -d "${TMPDIR:-/tmp}/na-corrupt-XXXXXX")
HOLDER=""
cleanup() {
  [ -n "$HOLDER" ] && kill "$HOLDER" 2>/dev/null && wait "$HOLDER" 2>/dev/null
  rm -rf "$T"
}
trap cleanup EXIT
fail() { echo "FAIL: $*" >&2; [ -f "$T/out" ] && sed 's/^/  | /' "$T/out" >&2; exit 1; }
na() { "$NA_BIN" "$@"; }
A="$T/arch"
"$MKARCHIVE" "$A" fixture || fail "mkarchive fixture"

# ---- usage ----
for c in verify reindex; do
  na "$c" --help >"$T/out" 2>&1 || fail "$c --help exit"
  grep -q "usage: newsarc $c" "$T/out" || fail "$c --help text"
  na "$c" --bogus >/dev/null 2>&1; [ $? = 2 ] || fail "$c --bogus should exit 2"
  na "$c" -a "$T/none" >/dev/null 2>&1; [ $? = 2 ] || fail "$c on a missing archive should exit 2"
done

# ---- clean ----
na verify -a "$A" >"$T/out" 2>&1 || fail "verify of a fresh archive should exit 0"
grep -q "records, .* index rows: 0 faults" "$T/out" || fail "verify summary"

# member offsets of the newest file, from Python's gzip reader (independent of newsarc)
offsets() { python3 - "$1" <<'EOF'
import sys, zlib
data = open(sys.argv[1], 'rb').read()
pos = 0
while pos < len(data):
    d = zlib.decompressobj(31)
    d.decompress(data[pos:])
    print(pos)
    pos = len(data) - len(d.unused_data)
EOF
}
F=$(ls "$A/warc" | sort | tail -1)
P="$A/warc/$F"
mapfile -t OFFS < <(offsets "$P")
[ "${#OFFS[@]}" -ge 3 ] || fail "fixture file has ${#OFFS[@]} records"

# ---- a deleted index: reindex rebuilds the same rows ----
na ls -a "$A" >"$T/ls.before" || fail "ls"
na stats -a "$A" --json >"$T/stats.before" 2>/dev/null || fail "stats"
rm -f "$A/index.sqlite" "$A/index.sqlite-wal" "$A/index.sqlite-shm"
na verify -a "$A" >"$T/out" 2>&1; [ $? = 1 ] || fail "verify without an index should exit 1"
na reindex -a "$A" >"$T/out" 2>&1 || fail "reindex"
grep -q "captures, .* articles" "$T/out" || fail "reindex summary"
na ls -a "$A" >"$T/ls.after" || fail "ls after reindex"
cmp -s "$T/ls.before" "$T/ls.after" || fail "ls differs after reindex"
python3 - "$T/stats.before" <<'EOF' || fail "stats differ after reindex"
import json, subprocess, sys, os
before = json.load(open(sys.argv[1]))
after = json.loads(subprocess.run([os.environ["NA_BIN"], "stats", "-a", os.path.dirname(sys.argv[1]) + "/arch", "--json"],
                                  capture_output=True, text=True, check=True).stdout)
def strip(d):  # sizes of index.sqlite may differ; everything counted must not
    return {k: v for k, v in d.items() if "index" not in k and "bytes" not in k}
if strip(before) != strip(after):
    print("before", strip(before), "\nafter ", strip(after), file=sys.stderr)
    sys.exit(1)
EOF
na verify -a "$A" >"$T/out" 2>&1 || fail "verify after reindex"

# ---- a flipped byte: file and offset named, exit 1 ----
cp -a "$A" "$T/flip"
MID=${OFFS[2]}
NEXT=${OFFS[3]:-$(stat -c %s "$P")}
python3 - "$T/flip/warc/$F" $(( (MID + NEXT) / 2 )) <<'EOF'
import sys
p, at = sys.argv[1], int(sys.argv[2])
b = bytearray(open(p, 'rb').read()); b[at] ^= 0x40; open(p, 'wb').write(b)
EOF
na verify -a "$T/flip" >"$T/out" 2>&1; [ $? = 1 ] || fail "verify of a flipped byte should exit 1"
grep -q "^$F:$MID: " "$T/out" || fail "verify should name $F:$MID"
grep -q "[1-9][0-9]* faults\?$" "$T/out" || fail "verify summary counts the faults"
na reindex -a "$T/flip" >"$T/out" 2>&1; [ $? = 1 ] || fail "reindex over a corrupt record should exit 1"
grep -q "$F:$MID: bytes $MID-$NEXT damaged, skipped" "$T/out" || fail "reindex should name the range $F:$MID-$NEXT"
grep -q "1 damaged range ($(( NEXT - MID )) bytes) skipped" "$T/out" || fail "reindex summary counts the damage"
[ -f "$T/flip/index.sqlite" ] || fail "reindex must leave an index"

# ---- a torn tail: verify reports it, the next writable open truncates it ----
cp -a "$A" "$T/torn"
SIZE=$(stat -c %s "$T/torn/warc/$F")
LAST=${OFFS[${#OFFS[@]}-1]}
truncate -s $(( (LAST + SIZE) / 2 )) "$T/torn/warc/$F"
na verify -a "$T/torn" >"$T/out" 2>&1; [ $? = 1 ] || fail "verify of a torn tail should exit 1"
grep -q "^$F:$LAST: torn record" "$T/out" || fail "verify should name the torn record at $F:$LAST"
na reindex -a "$T/torn" >"$T/out" 2>&1 || fail "reindex truncates a torn tail"
grep -q "$F:$LAST: torn record" "$T/out" || fail "reindex should say it truncated $F:$LAST"
[ "$(stat -c %s "$T/torn/warc/$F")" = "$LAST" ] || fail "torn tail not truncated to $LAST"

# ---- an index row past the end ----
cp -a "$A" "$T/past"
truncate -s "$LAST" "$T/past/warc/$F"
na verify -a "$T/past" >"$T/out" 2>&1; [ $? = 1 ] || fail "verify of a row past the end should exit 1"
grep -q "^$F:$LAST: index capture #[0-9]*: offset $LAST is past the end of the file" "$T/out" ||
  fail "verify should report the row at $F:$LAST past the end"

# ---- reindex under a held lock ----
"$MKARCHIVE" "$A" hold "$T/hold" &
HOLDER=$!
for _ in $(seq 200); do [ -f "$T/hold" ] && break; sleep 0.05; done
[ -f "$T/hold" ] || fail "the lock holder did not start"
na reindex -a "$A" >"$T/out" 2>&1; rc=$?
rm -f "$T/hold"
wait "$HOLDER" 2>/dev/null
HOLDER=""
[ $rc = 3 ] || fail "reindex while locked should exit 3 (got $rc)"
na verify -a "$A" >"$T/out" 2>&1 || fail "verify beside a finished writer"
echo "store_corruption: ok"
