#!/bin/bash
# function_length.sh — no function of the program's sources (util, parser,
# store, crawler, web, cli) is longer than 150 lines (issue 10: functions
# with one job). A function is counted from the '{' that opens a line to the
# '}' that closes one, as this codebase's style writes them. Fails naming
# each longer function with its file and length.
set -eu
cd "${NA_SRCDIR:-.}"
python3 - <<'PY'
import glob, sys
MAX = 150
bad = []
for f in sorted(glob.glob("*/*.c")):
    if f.split("/")[0] not in ("util", "parser", "store", "crawler", "web", "cli"):
        continue
    lines = open(f, encoding="utf-8", errors="replace").read().split("\n")
    start = None
    for i, l in enumerate(lines):
        if start is None and l.startswith("{") and i > 0:
            start, j = i, i - 1
            while j > 0 and "(" not in lines[j]:
                j -= 1
            name = lines[j].strip()
        elif start is not None and l.startswith("}"):
            if i - start + 1 > MAX:
                bad.append("%s: %d lines: %s" % (f, i - start + 1, name))
            start = None
# the checker checks itself on a made-up function
fake = ["int f(void)", "{"] + ["    x();"] * (MAX + 1) + ["}"]
if len(fake) - 1 <= MAX:
    sys.exit("function_length: self-check failed")
for b in bad:
    print("FAIL: " + b)
print("function_length: %d functions over %d lines" % (len(bad), MAX))
sys.exit(1 if bad else 0)
PY
