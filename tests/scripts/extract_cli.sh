#!/bin/bash
# extract_cli.sh — `newsarc extract` as a user runs it: --help, bad usage,
# text and JSON output for the seed-image page (plain, .gz, stdin), many
# files in one call, and an unreadable input among readable ones.
set -u
BIN=${NA_BIN:?NA_BIN not set}
SRC=${NA_SRCDIR:?NA_SRCDIR not set}
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
PAGE=$SRC/tests/data/seed-article.html
EXPECT=$SRC/tests/data/seed-article.txt
NOW=2023-06-28T10:00:00+08:00
fail() { echo "extract_cli: $*" >&2; exit 1; }

# help and usage
"$BIN" extract --help > "$T/help" 2> "$T/err" || fail "--help exited $?"
grep -q '^usage: newsarc extract' "$T/help" || fail "--help printed no usage on stdout"
[ -s "$T/err" ] && fail "--help wrote to stderr"
"$BIN" help extract > "$T/help2" || fail "help extract exited $?"
cmp -s "$T/help" "$T/help2" || fail "help extract differs from extract --help"
"$BIN" extract --bogus "$PAGE" > "$T/out" 2> "$T/err"; rc=$?
[ $rc -eq 2 ] || fail "unknown option exited $rc, expected 2"
grep -q 'usage: newsarc extract' "$T/err" || fail "unknown option: no usage on stderr"
[ -s "$T/out" ] && fail "unknown option wrote to stdout"
"$BIN" extract --format xml "$PAGE" > /dev/null 2>&1; rc=$?
[ $rc -eq 2 ] || fail "--format xml exited $rc, expected 2"
"$BIN" extract --now yesterday "$PAGE" > /dev/null 2>&1; rc=$?
[ $rc -eq 2 ] || fail "--now yesterday exited $rc, expected 2"

# text: exact body, from a file, a .gz and stdin
"$BIN" extract --now $NOW "$PAGE" > "$T/text" || fail "text extraction exited $?"
diff -u "$EXPECT" "$T/text" || fail "text differs from seed-article.txt"
gzip -c "$PAGE" > "$T/page.html.gz"
"$BIN" extract --now $NOW "$T/page.html.gz" > "$T/gz" || fail ".gz extraction exited $?"
cmp -s "$EXPECT" "$T/gz" || fail ".gz input gives another text"
"$BIN" extract --now $NOW - < "$PAGE" > "$T/stdin" || fail "stdin extraction exited $?"
cmp -s "$EXPECT" "$T/stdin" || fail "stdin gives another text"
"$BIN" extract --now $NOW < "$PAGE" > "$T/stdin2" || fail "implicit stdin exited $?"
cmp -s "$EXPECT" "$T/stdin2" || fail "implicit stdin gives another text"

# JSON: one object per input per line, every key, written by a library
"$BIN" extract --format json --now $NOW --url http://www.tjcfw.com/post/1187.html "$PAGE" "$T/page.html.gz" \
    > "$T/json" || fail "json extraction exited $?"
python3 - "$T/json" "$EXPECT" <<'PY' || fail "json output is wrong"
import json, sys
lines = open(sys.argv[1], encoding="utf-8").read().splitlines()
assert len(lines) == 2, lines
body = open(sys.argv[2], encoding="utf-8").read().rstrip("\n")
keys = ["file", "url", "title", "published", "published_from", "author", "source", "category", "lang",
        "charset", "text"]
for line in lines:
    o = json.loads(line)
    assert list(o) == keys, list(o)
    assert o["text"] == body
    assert o["url"] == "http://www.tjcfw.com/post/1187.html", o["url"]
    assert o["title"] == "济南各区县抢跑“春天里”:党政一把手率队外出高质量项目密集签约", o["title"]
    assert o["charset"] == "GB18030", o["charset"]
    assert o["category"] == "天津产业信息", o["category"]
    assert (o["published"] or "").startswith("2022-09-30"), o["published"]
    assert o["published_from"] == "relative", o["published_from"]
assert json.loads(lines[1])["file"].endswith("page.html.gz")
PY

# many files, one unreadable: the others are processed, exit 1, error names it
"$BIN" extract --format json "$PAGE" "$T/no-such-page.html" "$PAGE" > "$T/many" 2> "$T/err"; rc=$?
[ $rc -eq 1 ] || fail "unreadable input exited $rc, expected 1"
grep -q "no-such-page.html" "$T/err" || fail "error line does not name the unreadable input"
[ "$(wc -l < "$T/many")" -eq 2 ] || fail "expected 2 JSON lines for the 2 readable inputs"

# text mode with several files: a header line per file
"$BIN" extract "$PAGE" "$T/page.html.gz" > "$T/two" || fail "two files exited $?"
[ "$(grep -c '^==> ' "$T/two")" -eq 2 ] || fail "expected one header line per file"

# --explain goes to stderr, stdout stays the text
"$BIN" extract --explain --now $NOW "$PAGE" > "$T/text2" 2> "$T/explain" || fail "--explain exited $?"
cmp -s "$EXPECT" "$T/text2" || fail "--explain changed stdout"
grep -q '^container ' "$T/explain" || fail "--explain did not name the container"
exit 0
