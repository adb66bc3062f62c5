#!/usr/bin/env bash
# cli_small.sh — the small things of the read and crawl commands (issue 12,
# item 7) on an archive written through the store API (tests/tools/
# mkarchive.c): -c and archive = of sites.conf for the read commands, crawl
# making the archive's parent folders, get canonicalizing its URL and telling
# "not in the archive" from "no extracted text", an unknown --site an error
# with the known names, --since/--until forms, the command prefix on errors.
set -u
: "${NA_SRCDIR:?}" "${NA_BIN:?}" "${NA_BUILD:?}"
. "$NA_SRCDIR/tests/tools/mkarchive.sh"
build_mkarchive || exit 1
T=$(mktemp -d "${TMPDIR:-/tmp}/na-small-XXXXXX")
trap 'rm -rf "$T"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
unset NEWSARC_ARCHIVE
A="$T/data/arch"
mkdir -p "$T/data"
"$MKARCHIVE" "$A" fixture >/dev/null || fail "mkarchive fixture"
conf() { # conf FILE ARCHIVE: a config with sites example and other
  printf '[newsarc]\nuser_agent = t/1 (+http://example.org/)\narchive = %s\n[site example]\nlisting = http://127.0.0.1:9/\narticle = /a/\nenabled = no\n[site other]\nlisting = http://127.0.0.1:9/o/\narticle = /o/\nenabled = no\n' "$2" >"$1"
}
conf "$T/s.conf" data/arch          # relative: to the config's folder
na() { "$NA_BIN" "$@"; }

# ---- -c and archive = ----
for c in ls stats verify; do
  na "$c" -c "$T/s.conf" >"$T/o" 2>"$T/e" || fail "$c -c: $(cat "$T/e")"
done
n=$(na ls -c "$T/s.conf" | wc -l); [ "$n" = 4 ] || fail "ls -c listed $n, expected 4"
na export -c "$T/s.conf" --format jsonl | grep -q '"url"' || fail "export -c"
na get -c "$T/s.conf" http://news.example.cn/a/1.html | grep -q "Paragraph two" || fail "get -c"
# ./sites.conf in the working folder, and $NEWSARC_ARCHIVE before it
mkdir "$T/wd" && conf "$T/wd/sites.conf" ../data/arch
n=$(cd "$T/wd" && na ls | wc -l); [ "$n" = 4 ] || fail "ls with ./sites.conf listed $n"
(cd "$T/wd" && NEWSARC_ARCHIVE="$T/none" na ls >/dev/null 2>"$T/e"); [ $? = 2 ] || fail "NEWSARC_ARCHIVE ignored"
grep -q "no archive at '$T/none'" "$T/e" || fail "NEWSARC_ARCHIVE message: $(cat "$T/e")"
na ls -c "$T/nope.conf" >/dev/null 2>"$T/e"; [ $? = 2 ] || fail "ls -c missing config should exit 2"
grep -q "^newsarc ls: cannot read '$T/nope.conf'" "$T/e" || fail "ls -c message: $(cat "$T/e")"

# ---- get: canonical URL, not archived vs no text ----
for u in 'http://NEWS.Example.CN/a/1.html#top' 'http://news.example.cn/a/1.html?utm_source=wechat' \
         'http://news.example.cn:80/a/1.html'; do
  na get -a "$A" "$u" >"$T/o" 2>"$T/e" || fail "get '$u': $(cat "$T/e")"
  grep -q "Paragraph two" "$T/o" || fail "get '$u' text"
done
na get -a "$A" http://news.example.cn/a/99.html >/dev/null 2>"$T/e"; [ $? = 1 ] || fail "get of a missing URL should exit 1"
grep -q "is not in the archive" "$T/e" || fail "missing URL message: $(cat "$T/e")"
na get -a "$A" 'http://news.example.cn/list/#x' >/dev/null 2>"$T/e"; [ $? = 1 ] || fail "get of a listing should exit 1"
grep -q "has no extracted text" "$T/e" || fail "listing message: $(cat "$T/e")"
grep -q "not in the archive" "$T/e" && fail "a listing said 'not in the archive'"

# ---- unknown --site ----
for args in "ls" "export --format jsonl" "ls --failed"; do
  # shellcheck disable=SC2086
  na $args -a "$A" --site nosuch >"$T/o" 2>"$T/e"; rc=$?
  [ $rc = 2 ] || fail "$args --site nosuch exited $rc"
  grep -q "no site 'nosuch' (known: example, other)" "$T/e" || fail "$args --site message: $(cat "$T/e")"
done
n=$(na ls -a "$A" --site other | wc -l); [ "$n" = 1 ] || fail "--site other gave $n"
for c in crawl backfill; do
  na "$c" -c "$T/s.conf" --site nosuch >/dev/null 2>"$T/e"; rc=$?
  [ "$c" = backfill ] && { na backfill -c "$T/s.conf" nosuch >/dev/null 2>"$T/e"; rc=$?; }
  [ $rc = 2 ] || fail "$c nosuch exited $rc"
  grep -q "^newsarc $c: no site 'nosuch' in '.*s.conf' (known: example, other)" "$T/e" || fail "$c message: $(cat "$T/e")"
done

# ---- --since / --until ----
n=$(na ls -a "$A" --since "2024-03-02 00:00" | wc -l); [ "$n" = 2 ] || fail "--since 'YYYY-MM-DD HH:MM' gave $n"
n=$(na ls -a "$A" --since "2024-03-02T00:00:00+08:00" | wc -l); [ "$n" = 2 ] || fail "--since ISO 8601 gave $n"
n=$(na export -a "$A" --format jsonl --until "2024-03-01" | wc -l); [ "$n" = 2 ] || fail "--until day gave $n"
n=$(na ls -a "$A" --since 2d | wc -l); [ "$n" = 0 ] || fail "--since 2d gave $n (the fixture is from 2024)"
n=$(na ls -a "$A" --until yesterday | wc -l); [ "$n" = 4 ] || fail "--until yesterday gave $n"
for bad in "2024-3" "2024-03-01 25:00" "tomorrow" "3y"; do
  na ls -a "$A" --since "$bad" >/dev/null 2>"$T/e"; [ $? = 2 ] || fail "--since '$bad' accepted"
  grep -q "^newsarc ls: bad date '$bad'" "$T/e" || fail "--since '$bad' message: $(cat "$T/e")"
done

# ---- report --format html escapes every field (the fixture title "Other & news") ----
na report -a "$A" --since 2020-01-01 --format html >"$T/o" 2>"$T/e" || fail "report html: $(cat "$T/e")"
grep -q "Other &amp; news" "$T/o" || fail "report html: title not escaped"
grep -q "Other & news" "$T/o" && fail "report html: a raw '&'"
grep -q 'href="https://www.other.org/news?id=7&amp;b=2"' "$T/o" || fail "report html: URL not escaped"

# ---- crawl: parent folders, prefixed errors ----
conf "$T/c.conf" "deep/er/arch"
na crawl -c "$T/c.conf" -q >"$T/o" 2>"$T/e" || fail "crawl into a new nested folder: $(cat "$T/e")"
[ -f "$T/deep/er/arch/index.sqlite" ] || fail "crawl did not create deep/er/arch"
(cd "$T" && na crawl >/dev/null 2>"$T/e"); [ $? = 2 ] || fail "crawl without sites.conf should exit 2"
grep -q "^newsarc crawl: cannot read 'sites.conf'" "$T/e" || fail "crawl error prefix: $(cat "$T/e")"
echo ok
