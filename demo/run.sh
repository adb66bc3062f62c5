#!/usr/bin/env bash
# run.sh — `make demo`: generates the bundled demo site (four regional
# industry-news portals, one GBK, one a Hanweb column, in the seed page's shape) into build/demo-site,
# serves it on 127.0.0.1, crawls it with the top-level sites.conf into
# build/demo-archive, shows ls / get / export, and stops the server. Run again,
# it shows the incremental result. Everything it writes stays under build/.
# Env: NA_SRCDIR, NA_BIN (make sets both), NA_DEMO_PORT (default: the port in
# sites.conf), NA_DEMO_ARCHIVE (default build/demo-archive).
set -u

SRC=${NA_SRCDIR:-$(cd "$(dirname "$0")/.." && pwd)}
BIN=${NA_BIN:-$SRC/build/newsarc}
CONF=$SRC/sites.conf
SITE=$SRC/build/demo-site
RUN=$SRC/build/demo-run
ARCHIVE=${NA_DEMO_ARCHIVE:-$SRC/build/demo-archive}
SERVER=""

if [ -t 1 ]; then B=$'\033[1m' N=$'\033[0m'; else B="" N=""; fi
say() { printf '\n%s== %s%s\n' "$B" "$*" "$N"; }
die() { printf '\ndemo: %s\n' "$*" >&2; exit 1; }
rel() { case $1 in "$SRC"/*) printf '%s' "${1#"$SRC"/}" ;; *) printf '%s' "$1" ;; esac; }
stop_server() {
  if [ -n "$SERVER" ]; then
    kill "$SERVER" 2>/dev/null
    wait "$SERVER" 2>/dev/null
    SERVER=""
  fi
}
trap stop_server EXIT
trap 'exit 130' INT TERM

command -v python3 >/dev/null 2>&1 || die "python3 is needed to serve the demo site (apt-get install python3)"
# The system python starts much faster than a pyenv shim.
PY=/usr/bin/python3
[ -x "$PY" ] || PY=$(command -v python3)
[ -x "$BIN" ] || die "no newsarc binary at $BIN: run 'make' first"
[ -f "$CONF" ] || die "no $CONF"

# The port is part of the demo URLs in sites.conf (so they are the same on
# every run); another port means a rewritten copy of sites.conf.
CONF_PORT=$(sed -n 's/^resolve *= *demo-[a-z]*\.newsarc\.test:\([0-9]*\):.*/\1/p' "$CONF" | head -n 1)
[ -n "$CONF_PORT" ] || die "sites.conf has no 'resolve = demo-…newsarc.test:PORT:127.0.0.1' line: the demo sections were removed?"
PORT=${NA_DEMO_PORT:-$CONF_PORT}
mkdir -p "$RUN" || die "cannot create $RUN"
if [ "$PORT" != "$CONF_PORT" ]; then
  sed "s/:$CONF_PORT\([/:]\)/:$PORT\1/g" "$CONF" >"$RUN/sites.conf"
  CONF=$RUN/sites.conf
  # Other URLs, so another archive.
  [ -n "${NA_DEMO_ARCHIVE:-}" ] || ARCHIVE=$SRC/build/demo-archive-$PORT
fi

# 1. The demo site, generated once (deterministic; dated from its first run).
GEN=$("$PY" -c 'import sys; sys.path.insert(0, sys.argv[1]); import sitegen; print("sitegen %d" % sitegen.GEN_VERSION)' \
      "$SRC/tests/server") || die "tests/server/sitegen.py does not load"
if [ ! -f "$SITE/manifest.json" ] || ! grep -q "\"generator\": \"$GEN\"" "$SITE/manifest.json"; then
  say "generating the demo site into $(rel "$SITE")"
  rm -rf "$SITE"
  # An archive of an earlier demo site holds other URLs: start it afresh.
  if [ -z "${NA_DEMO_ARCHIVE:-}" ]; then
    for a in "$SRC"/build/demo-archive "$SRC"/build/demo-archive-*; do
      [ -d "$a" ] || continue
      echo "(removing $(rel "$a"), the archive of the previous demo site)"
      rm -rf "$a"
    done
  fi
  "$PY" "$SRC/tests/server/sitegen.py" --preset demo --out "$SITE" --now "$(date +%Y-%m-%dT%H:%M)" ||
    die "sitegen.py failed"
fi

# 2. The server, on 127.0.0.1 only; stopped by the EXIT trap.
rm -f "$RUN/port" "$RUN/server.log"
"$PY" "$SRC/tests/server/fixture_server.py" --root "$SITE" --port "$PORT" --port-file "$RUN/port" \
  --log "$RUN/server.log" --no-faults --max-seconds 900 >"$RUN/server.out" 2>"$RUN/server.err" &
SERVER=$!
for _ in $(seq 100); do
  [ -s "$RUN/port" ] && break
  kill -0 "$SERVER" 2>/dev/null || break
  sleep 0.1
done
if [ ! -s "$RUN/port" ]; then
  cat "$RUN/server.err" >&2
  SERVER=""
  die "the demo server could not start on 127.0.0.1:$PORT (in use? run with NA_DEMO_PORT=another port)"
fi
echo "demo site: $("$PY" -c '
import json, sys
m = json.load(open(sys.argv[1]))
n = 0
for h in m["hosts"]:
    n += len(json.load(open(sys.argv[1].replace("manifest.json", h + ".truth.json")))["articles"])
print("%d hosts, %d articles, served on 127.0.0.1:%s" % (len(m["hosts"]), n, sys.argv[2]))' "$SITE/manifest.json" "$PORT")"

# 3. The crawl.
if [ -f "$ARCHIVE/index.sqlite" ]; then
  say "newsarc crawl (again: the archive exists, so this run only checks the listing pages)"
  again=1
else
  say "newsarc crawl -c $(rel "$CONF") -a $(rel "$ARCHIVE")"
  again=0
fi
start=$(date +%s.%N)
"$BIN" crawl -c "$CONF" -a "$ARCHIVE"
rc=$?
secs=$("$PY" -c "import sys; print('%.1f' % (float(sys.argv[2]) - float(sys.argv[1])))" "$start" "$(date +%s.%N)")
[ $rc = 0 ] || die "'newsarc crawl' failed (exit $rc; 1 = some fetches failed, 2 = usage/config, 3 = archive locked)"
"$PY" - "$RUN/server.log" "$secs" <<'EOF'
import json, sys, collections
recs = [json.loads(l) for l in open(sys.argv[1])]
by = collections.Counter(r["status"] for r in recs)
listing = [r for r in recs if any(k in r["path"] for k in ("category", "list_", "feed", "sitemap"))]
l304 = sum(1 for r in listing if r["status"] == 304)
print("server saw %d requests in %ss: %s; listing pages, feeds and sitemaps: %d (%d answered 304 Not Modified)" % (
    len(recs), sys.argv[2], ", ".join("%d×%s" % (n, s) for s, n in sorted(by.items(), key=lambda x: str(x[0]))),
    len(listing), l304))
EOF

# 4. What is in the archive.
say "newsarc ls -a $(rel "$ARCHIVE") | head"
"$BIN" ls -a "$ARCHIVE" >"$RUN/ls.txt" || die "'newsarc ls' failed"
head "$RUN/ls.txt"
echo "($(wc -l <"$RUN/ls.txt") articles in the archive)"

URL=$("$PY" -c '
import json, sys
t = json.load(open(sys.argv[1]))
print("http://%s:%s%s" % (t["host"], sys.argv[2], t["expected"][0]))' "$SITE/demo-gbk.newsarc.test.truth.json" "$PORT")
say "newsarc get -a $(rel "$ARCHIVE") $URL"
"$BIN" get -a "$ARCHIVE" "$URL" >"$RUN/get.txt" || die "'newsarc get' failed"
cat "$RUN/get.txt"

say "newsarc export -a $(rel "$ARCHIVE") --format jsonl | head -n 2"
"$BIN" export -a "$ARCHIVE" --format jsonl >"$RUN/export.jsonl" || die "'newsarc export' failed"
head -n 2 "$RUN/export.jsonl" | "$PY" -c '
import sys
for line in sys.stdin:
    line = line.rstrip("\n")
    print(line if len(line) <= 700 else line[:700] + " …(%d more characters)" % (len(line) - 700))'

# 5. Against the generator's ground truth.
say "checked against the demo site's ground truth (tests/server/truthcheck.py)"
"$PY" "$SRC/tests/server/truthcheck.py" --root "$SITE" "$RUN/export.jsonl" ||
  echo "(some expected articles are missing or duplicated: see above)"

stop_server
if [ $again = 1 ]; then
  echo
  echo "Incremental run: the summary above shows what was new since the last run."
else
  echo
  echo "Run 'make demo' again to see an incremental crawl (listing pages checked, nothing new)."
fi
echo "The archive is in $(rel "$ARCHIVE"): try $(rel "$BIN") ls -a $(rel "$ARCHIVE") | less, or"
echo "$(rel "$BIN") export -a $(rel "$ARCHIVE") --format text | less.  'make clean' removes it."
