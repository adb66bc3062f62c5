#!/usr/bin/env bash
# bench-million.sh — `make bench-million` (also the end of `make bench`): an
# archive of a million articles (issue 12, item 6: a 5-year archive of 500
# portals). tests/tools/mkindex.c writes 1,000 small real articles (fetched
# an hour ago, published yesterday) and 999,000 index rows over five years
# before them, then each read command is timed (best of 3, wall clock):
#   get URL <= 10 ms; ls --site X | head <= 50 ms; stats, report <= 1 s;
#   export --since yesterday proportional to what it prints (its time is
#   compared with an export of the same rows from an archive of 10,000).
# Prints the index size per article. BENCH_MILLION_N sets N (default 1e6);
# the archive is kept in $NA_BUILD/bench-million-N (made again when
# mkindex.c or the library is newer). Not part of make test.
set -eu
: "${NA_SRCDIR:=$(cd "$(dirname "$0")/../.." && pwd)}"
: "${NA_BUILD:=$NA_SRCDIR/build}"
: "${NA_BIN:=$NA_BUILD/newsarc}"
N=${BENCH_MILLION_N:-1000000}
lib="$NA_BUILD/libnewsarc.a"
tool="$NA_BUILD/mkindex"
src="$NA_SRCDIR/tests/tools/mkindex.c"
[ -f "$lib" ] || { echo "bench-million: $lib is missing (run make first)" >&2; exit 1; }
if [ ! -x "$tool" ] || [ "$tool" -ot "$src" ] || [ "$tool" -ot "$lib" ]; then
  pkgs=$(grep -v "^#" "$NA_SRCDIR/mk/pkgs")
  # shellcheck disable=SC2046
  cc -std=gnu11 -O2 -g -I"$NA_SRCDIR" -D_GNU_SOURCE $(pkg-config --cflags $pkgs) -o "$tool.tmp" "$src" "$lib" \
     $(pkg-config --libs $pkgs) -lpthread -lm
  mv "$tool.tmp" "$tool"
fi
make_archive() { # DIR N
  local d=$1 n=$2
  if [ ! -f "$d/index.sqlite" ] || [ "$d/index.sqlite" -ot "$tool" ] || [ "$d/index.sqlite" -ot "$NA_BIN" ]; then
    rm -rf "$d"
    echo "building $d: $("$tool" "$d" "$n" 1000 500)"
  fi
}
A="$NA_BUILD/bench-million-$N"
S="$NA_BUILD/bench-million-small"
make_archive "$A" "$N"
make_archive "$S" 10000

ms() { # best of 3 wall-clock milliseconds of "$@" (stdout to /dev/null)
  local best="" t0 t1 d
  for _ in 1 2 3; do
    t0=$(date +%s%N)
    "$@" >/dev/null 2>&1 || true
    t1=$(date +%s%N)
    d=$(( (t1 - t0) / 1000000 ))
    if [ -z "$best" ] || [ "$d" -lt "$best" ]; then best=$d; fi
  done
  echo "$best"
}
lshead() { "$NA_BIN" ls -a "$1" --site s7 | head; }
url="http://s7.example.test/real/7.html"
fails=0
goal() { # NAME MS LIMIT
  local ok="met"
  [ "$2" -le "$3" ] || { ok="NOT met"; fails=$((fails + 1)); }
  printf '%-32s %6d ms   goal <= %d ms %s\n' "$1" "$2" "$3" "$ok"
}
n_articles=$(sqlite3 "file:$A/index.sqlite?mode=ro" "SELECT count(*) FROM articles" 2>/dev/null ||
  "$NA_BIN" stats -a "$A" | sed -n 's/.*\b\([0-9][0-9]*\) articles.*/\1/p' | head -1)
echo "bench-million: $A, $n_articles articles, 500 sites"
goal "get URL" "$(ms "$NA_BIN" get -a "$A" "$url")" 10
goal "ls --site X | head" "$(ms lshead "$A")" 50
goal "stats" "$(ms "$NA_BIN" stats -a "$A")" 1000
goal "report" "$(ms "$NA_BIN" report -a "$A")" 1000
big=$(ms "$NA_BIN" export -a "$A" --since yesterday --format jsonl)
small=$(ms "$NA_BIN" export -a "$S" --since yesterday --format jsonl)
nb=$("$NA_BIN" export -a "$A" --since yesterday --format jsonl 2>/dev/null | wc -l)
ns=$("$NA_BIN" export -a "$S" --since yesterday --format jsonl 2>/dev/null | wc -l)
printf '%-32s %6d ms   (%d rows; %d ms for the same %d rows of a 10,000-article archive)\n' \
  "export --since yesterday" "$big" "$nb" "$small" "$ns"
lim=$(( small * 3 + 100 ))
goal "export: proportional to output" "$big" "$lim"
bytes=$(cat "$A/index.sqlite" "$A"/index.sqlite-wal 2>/dev/null | wc -c)
echo "index: $bytes bytes, $(( bytes / (n_articles > 0 ? n_articles : 1) )) bytes per article (capture + article rows and their indexes)"
[ "$fails" = 0 ] || { echo "bench-million: $fails goal(s) not met" >&2; exit 1; }
