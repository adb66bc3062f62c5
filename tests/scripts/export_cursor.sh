#!/usr/bin/env bash
# export_cursor.sh — `export --cursor FILE -o BATCH` hands a pipeline every
# article exactly once: three crawls (one site each) of the fixture server,
# each followed by exporter runs killed with SIGKILL at random moments and
# then one run left alone; after each run the consumer takes BATCH when it
# exists (and removes it). The union of batches must hold every archived
# article once. Also:
# a run with nothing new writes nothing and keeps the cursor, a garbage
# cursor and --cursor with warc are usage errors.
. "$(dirname "$0")/crawl_common.bash"
start_server
C="$T/cursor"
KEPT="$T/kept.jsonl"
: >"$KEPT"
kills=0
for site in t-gbk t-wp t-gov; do
    "$NA_BIN" crawl -c "$T/sites.conf" --site "$site" -q >"$T/crawl.out" 2>&1 || fail "crawl $site: $(cat "$T/crawl.out")"
    for i in 1 2 3 4 5 6 7 8; do
        "$NA_BIN" export -c "$T/sites.conf" --format jsonl --cursor "$C" -o "$T/batch" 2>"$T/e" &
        pid=$!
        sleep "0.0$(printf %02d $((RANDOM % 16)))"
        kill -9 "$pid" 2>/dev/null && kills=$((kills + 1))
        rc=0
        wait "$pid" 2>/dev/null || rc=$?
        [ "$rc" = 0 ] || [ "$rc" = 137 ] || fail "export --cursor exit $rc: $(cat "$T/e")"
        if [ -e "$T/batch" ]; then cat "$T/batch" >>"$KEPT"; rm "$T/batch"; fi
    done
    "$NA_BIN" export -c "$T/sites.conf" --format jsonl --cursor "$C" -o "$T/batch" 2>"$T/e" || fail "export: $(cat "$T/e")"
    if [ -e "$T/batch" ]; then cat "$T/batch" >>"$KEPT"; rm "$T/batch"; fi
done
[ "$kills" -gt 0 ] || fail "no run was killed"
"$NA_BIN" export -c "$T/sites.conf" --format jsonl >"$T/all.jsonl" || fail "full export"
"$PY" - "$KEPT" "$T/all.jsonl" <<'PYEOF' || fail "cursor union"
import json, sys, collections
kept = [json.loads(l)["url"] for l in open(sys.argv[1], encoding="utf-8")]
full = [json.loads(l)["url"] for l in open(sys.argv[2], encoding="utf-8")]
dup = [u for u, n in collections.Counter(kept).items() if n > 1]
assert not dup, "emitted twice: %s" % dup[:5]
missing = set(full) - set(kept)
assert not missing, "never emitted: %s" % sorted(missing)[:5]
assert set(kept) == set(full) and len(full) > 50, (len(kept), len(full))
PYEOF
# a batch not taken stops the next run
"$NA_BIN" export -c "$T/sites.conf" --format jsonl --cursor "$T/c3" -o "$T/b3" 2>"$T/e" || fail "c3: $(cat "$T/e")"
[ -s "$T/b3" ] || fail "c3: no batch"
rc=0; "$NA_BIN" export -c "$T/sites.conf" --format jsonl --cursor "$T/c3" -o "$T/b3" 2>"$T/e" || rc=$?
[ $rc = 1 ] || fail "a batch not taken should stop the run (exit 1)"
grep -q "not taken yet" "$T/e" || fail "batch not taken: $(cat "$T/e")"
# stdout: nothing new: empty output, the cursor untouched
cp "$C" "$T/c.before"
"$NA_BIN" export -c "$T/sites.conf" --format jsonl --cursor "$C" >"$T/o" 2>"$T/e" || fail "export again: $(cat "$T/e")"
[ ! -s "$T/o" ] || fail "a run with nothing new wrote $(wc -l <"$T/o") lines"
cmp -s "$C" "$T/c.before" || fail "the cursor moved without output"
[ ! -e "$C.tmp" ] || fail "a temporary cursor file was left"
[ ! -e "$T/batch.tmp" ] || fail "a temporary batch was left"
# text format with a fresh cursor: every article, oldest row first
"$NA_BIN" export -c "$T/sites.conf" --format text --cursor "$T/c2" >"$T/t" || fail "text cursor"
[ "$(grep -c '^=== ' "$T/t")" = "$(wc -l <"$T/all.jsonl")" ] || fail "text cursor: not every article"
# usage errors
echo "garbage" >"$T/bad"
rc=0; "$NA_BIN" export -c "$T/sites.conf" --format jsonl --cursor "$T/bad" >/dev/null 2>"$T/e" || rc=$?
[ $rc = 2 ] || fail "a garbage cursor should exit 2"
grep -q "not an export cursor" "$T/e" || fail "garbage cursor message: $(cat "$T/e")"
rc=0; "$NA_BIN" export -c "$T/sites.conf" --format warc --cursor "$C" >/dev/null 2>&1 || rc=$?
[ $rc = 2 ] || fail "--cursor with warc should exit 2"
echo "export_cursor: $kills runs killed, $(wc -l <"$KEPT") articles kept once each"
