#!/usr/bin/env bash
# readme_examples.sh — the `newsarc extract` and `newsarc try` examples of
# README.md, taken from the README itself (the fenced block after each
# <!-- test:NAME --> marker) and run as written on tests/data pages; their
# output is compared with what the README shows (<!-- test:NAME:output -->).
# The README's sites.conf section must pass check-config.
set -u
: "${NA_SRCDIR:?}" "${NA_BIN:?}"
PY=/usr/bin/python3
[ -x "$PY" ] || PY=$(command -v python3) || { echo "readme_examples: no python3: skipped"; exit 77; }
README=$NA_SRCDIR/README.md
PAGE=$NA_SRCDIR/tests/data/seed-article.html
GOLD=$NA_SRCDIR/tests/data/seed-article.txt
if [ ! -f "$PAGE" ] || [ ! -f "$GOLD" ]; then
  echo "readme_examples: tests/data/seed-article.html or .txt is missing: skipped"
  exit 77
fi
T=$(mktemp -d "${TMPDIR:-/tmp}/na-readme-XXXXXX")
trap 'rm -rf "$T"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

# The examples run in a folder of their own, as from a clone: `newsarc` and
# `python3` on PATH, tests/ reachable.
mkdir -p "$T/bin" "$T/run" "$T/out"
ln -s "$NA_BIN" "$T/bin/newsarc"
ln -s "$PY" "$T/bin/python3"
ln -s "$NA_SRCDIR/tests" "$T/run/tests"
export PATH="$T/bin:$PATH"

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

# run NAME [PRELUDE]: runs block NAME with bash in $T/run; stdout in
# $T/out/NAME, stderr in $T/out/NAME.err, exit status in $RC.
run() {
  { [ -n "${2:-}" ] && printf '%s\n' "$2"; block "$1"; } >"$T/out/$1.sh" || fail "no block test:$1"
  (cd "$T/run" && bash -o pipefail "$T/out/$1.sh") >"$T/out/$1" 2>"$T/out/$1.err"
  RC=$?
}

# expect NAME: $T/out/NAME against the README's block test:NAME:output. A
# json block: every key shown must be in the (first) object printed, with the
# same value; a string shown ending in "…" is a prefix. A text block: its
# lines, in order, are prefixes of output lines ("…" ends a prefix; a line
# that is only "…" stands for any lines).
expect() {
  block "$1:output" >"$T/out/$1.expected" || fail "no block test:$1:output"
  local kind
  kind=$(grep -A3 "^<!-- test:$1:output -->" "$README" | grep -m1 '^```' | cut -c4-)
  "$PY" - "$T/out/$1.expected" "$T/out/$1" "$kind" <<'EOF' || fail "$1: the output differs from the README's (above)"
import json, sys
exp = open(sys.argv[1], encoding="utf-8").read()
out = open(sys.argv[2], encoding="utf-8").read()
ELL = "\u2026"
def same(e, a):
    if isinstance(e, str) and e.endswith(ELL):
        return isinstance(a, str) and a.startswith(e[:-1])
    return e == a
if sys.argv[3] == "json":
    e = json.loads(exp)
    a = json.loads(out.splitlines()[0])
    bad = [k for k in e if k not in a or not same(e[k], a[k])]
    for k in bad:
        print("key %r: README shows %r, newsarc printed %r" % (k, e[k], a.get(k)), file=sys.stderr)
    sys.exit(1 if bad else 0)
lines = out.splitlines()
i = 0
for want in exp.splitlines():
    if want.strip() == ELL:
        continue
    prefix = want[:-1] if want.endswith(ELL) else want
    while i < len(lines) and not (lines[i].startswith(prefix) if want.endswith(ELL) else lines[i] == want):
        i += 1
    if i == len(lines):
        print("README line not found (in order) in the output: %r" % want, file=sys.stderr)
        print("output was:\n" + out[:4000], file=sys.stderr)
        sys.exit(1)
    i += 1
EOF
}

# 1. The text of the seed page: what the README shows, and exactly the
# expected body of tests/data.
run extract-text
[ "$RC" = 0 ] || fail "extract-text exited $RC: $(cat "$T/out/extract-text.err")"
expect extract-text
diff -u "$GOLD" "$T/out/extract-text" >&2 || fail "extract-text: not the expected body (tests/data/seed-article.txt)"

# 2. --format json with --now.
run extract-json
[ "$RC" = 0 ] || fail "extract-json exited $RC: $(cat "$T/out/extract-json.err")"
expect extract-json
[ "$(wc -l <"$T/out/extract-json")" = 1 ] || fail "extract-json: expected one line"

# 3. Many files, plain and gzipped, in one call; an unreadable one.
mkdir -p "$T/run/saved"
cp "$PAGE" "$T/run/saved/1187.html"
gzip -c "$PAGE" >"$T/run/saved/1188.html.gz"
run extract-many
[ "$RC" = 0 ] || fail "extract-many exited $RC: $(cat "$T/out/extract-many.err")"
"$PY" - "$T/run/pages.jsonl" "$GOLD" <<'EOF' || fail "extract-many: pages.jsonl"
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1], encoding="utf-8")]
gold = open(sys.argv[2], encoding="utf-8").read().rstrip("\n")
assert [r["file"] for r in rows] == ["saved/1187.html", "saved/1188.html.gz"], [r["file"] for r in rows]
for r in rows:
    assert r["title"] == "济南各区县抢跑“春天里”:党政一把手率队外出高质量项目密集签约", r["title"]
    assert r["text"].rstrip("\n") == gold, r["file"]
EOF
(cd "$T/run" && newsarc extract --format json saved/1187.html saved/missing.html) >"$T/out/bad" 2>"$T/out/bad.err"
rc=$?
[ "$rc" = 1 ] || fail "an unreadable input: exit $rc, the README says 1"
grep -q "saved/missing.html" "$T/out/bad.err" || fail "an unreadable input is not named on stderr: $(cat "$T/out/bad.err")"
[ "$(wc -l <"$T/out/bad")" = 1 ] || fail "an unreadable input: the readable one was not processed"

# 4. stdin, as piped from curl (curl replaced by the saved page: no network).
run extract-stdin "curl() { cat '$PAGE'; }"
[ "$RC" = 0 ] || fail "extract-stdin exited $RC: $(cat "$T/out/extract-stdin.err")"
diff -u "$GOLD" "$T/out/extract-stdin" >&2 || fail "extract-stdin: not the expected body"
echo "readme_examples: extract examples ok (text, json, many files, stdin)"

# 5. The sites.conf section and the offline `newsarc try` loop.
{
  printf '[newsarc]\narchive = archive\nuser_agent = newsarc/0.1 (+https://example.org/newsarc; ops@example.org)\n\n'
  block site-section
} >"$T/run/sites.conf" || fail "no block test:site-section"
(cd "$T/run" && newsarc check-config -q) 2>"$T/out/cc.err" ||
  fail "the README's sites.conf section: $(cat "$T/out/cc.err")"
run try-file
[ "$RC" = 0 ] || fail "try-file exited $RC: $(cat "$T/out/try-file.err")"
expect try-file
# The body is the expected one: the contact advert and the related list are gone.
"$PY" - "$T/out/try-file" "$GOLD" <<'EOF' || fail "try-file: the text shown is not the expected body"
import sys
out = open(sys.argv[1], encoding="utf-8").read()
gold = open(sys.argv[2], encoding="utf-8").read().strip("\n")
body = out.split("\n\n", 1)[1].split("\n\n== explain", 1)[0].strip("\n")
assert body == gold, body[:300]
EOF
echo "readme_examples: sites.conf section and try --explain ok"
