#!/usr/bin/env bash
# replay-check.sh — does an archive replay with its pictures? (issue 13 part
# 5; not in make test: it needs ReplayWeb.page and puppeteer-core from npm,
# installed here into build/npm-replay on first use.) Serves ReplayWeb.page's
# embedded viewer and the archive's WARC files (joined: gzip members
# concatenate) on 127.0.0.1, opens URL in Debian's Chromium headless, prints
# each picture of the replayed page as loaded / missing, saves
# build/replay.png, and fails when no picture loads.
#   tests/bench/replay-check.sh ARCHIVE_DIR URL
set -eu
[ $# -eq 2 ] || { echo "usage: $0 ARCHIVE_DIR URL" >&2; exit 2; }
src=$(cd "$(dirname "$0")/../.." && pwd)
npmdir=$src/build/npm-replay
mkdir -p "$npmdir"
if [ ! -d "$npmdir/node_modules/puppeteer-core" ]; then
    (cd "$npmdir" && npm install --silent --no-audit --no-fund puppeteer-core@23 >&2)
fi
if [ ! -f "$npmdir/replaywebpage/ui.js" ]; then # its bundled ui.js and sw.js are all it needs
    (cd "$npmdir" && npm pack --silent replaywebpage@2.5.3 >/dev/null && mkdir -p replaywebpage &&
        tar xzf replaywebpage-2.5.3.tgz --strip-components=1 -C replaywebpage package/ui.js package/sw.js)
fi
T=$(mktemp -d "${TMPDIR:-/tmp}/newsarc-replay-XXXXXX")
pid=""
trap '[ -n "$pid" ] && kill "$pid" 2>/dev/null; rm -rf "$T"' EXIT
mkdir -p "$T/replay"
cp "$npmdir/replaywebpage/ui.js" "$npmdir/replaywebpage/sw.js" "$T/"
echo 'importScripts("../sw.js");' >"$T/replay/sw.js"
cat "$1"/warc/*.warc.gz >"$T/archive.warc.gz"
url=$(printf '%s' "$2" | sed 's/&/\&amp;/g; s/"/\&quot;/g; s/</\&lt;/g')
cat >"$T/index.html" <<EOF_HTML
<!doctype html><html><head><meta charset="utf-8"><script src="./ui.js"></script>
<style>html,body{margin:0;height:100%} replay-web-page{display:block;height:100vh}</style></head>
<body><replay-web-page source="/archive.warc.gz" url="$url" embed="replayonly"></replay-web-page></body></html>
EOF_HTML
python3 -m http.server 0 --bind 127.0.0.1 --directory "$T" >"$T/http.log" 2>&1 &
pid=$!
port=""
for _ in $(seq 100); do
    port=$(sed -n 's/.*port \([0-9]*\).*/\1/p' "$T/http.log" | head -1)
    [ -n "$port" ] && break
    sleep 0.1
done
[ -n "$port" ] || { echo "replay-check: the HTTP server did not start" >&2; exit 1; }
cp "$src/tests/js/replayshot.mjs" "$npmdir/" # an ES module finds its packages next to itself
timeout 120 node "$npmdir/replayshot.mjs" \
    "http://127.0.0.1:$port/index.html" "$src/build/replay.png" >"$T/images.jsonl"
python3 - "$T/images.jsonl" <<'EOF_PY'
import json, sys
ims = [im for im in map(json.loads, open(sys.argv[1])) if not im["src"].startswith("data:")]
for im in ims:
    print("%-8s %s" % ("loaded" if im["loaded"] else "missing", im["src"].split("/im_/", 1)[-1]))
n = sum(im["loaded"] for im in ims)
print("%d of %d pictures replayed (build/replay.png)" % (n, len(ims)))
sys.exit(0 if n else 1)
EOF_PY
