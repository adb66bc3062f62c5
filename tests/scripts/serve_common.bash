# serve_common.bash — shared by serve.sh and serve_browser.sh (sourced, not
# run): a short fixture crawl of t-gbk into $T/archive where one article (a
# fault of the fixture server) has a title and text holding <script>, quotes
# and, patched into the index, an author with invalid UTF-8; a second one
# (COPY_URL) republishes it, retitled, a day later, with an editor's note for
# its last paragraph (one near-duplicate cluster); then start_serve runs
# `newsarc serve` on an ephemeral port (BASE=http://...).
. "$(dirname "${BASH_SOURCE[0]}")/crawl_common.bash"
HOST=t-gbk.newsarc.test
gen_fixtures
EVIL_PATH=$("$PY" -c "import json,sys; t=json.load(open(sys.argv[1])); print(sorted(t['expected'])[0])" \
    "$ROOT/$HOST.truth.json")
COPY_PATH=$("$PY" -c "import json,sys; t=json.load(open(sys.argv[1])); print(sorted(t['expected'])[-1])" \
    "$ROOT/$HOST.truth.json")
"$PY" - "$T/faults.json" "$HOST" "$EVIL_PATH" "$COPY_PATH" <<'PY'
import json, sys
out, host, path, copy = sys.argv[1:]
para = "<p>园区管理委员会介绍，本次签约的智能制造项目总投资十二亿元，建成后年产值可达三十亿元，" \
       "带动就业一千二百人。&lt;script&gt;alert('text')&lt;/script&gt; \"引号\" 与 'single' 都应原样显示。</p>"
def page(title, date, last):
    return ("<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>" + title + "</title></head><body>"
            "<div class=\"article\"><h1>" + title + "</h1><div class=\"info\">发布时间：" + date +
            "</div><div class=\"content\">" + para * 6 + last + "</div></div></body></html>")
title = "&lt;script&gt;alert(\"t\")&lt;/script&gt; '恶意' 标题"
faults = [(path, page(title, "2024-03-05 10:00", "<p>独有词语：紫藤湖畔数据港。</p>")),
          (copy, page("转载 " + title, "2024-03-06 09:00", "<p>编者按：本文转自园区通讯。</p>"))]
json.dump({"faults": [{"host": host, "path": p, "status": 200,
                       "headers": {"Content-Type": "text/html; charset=utf-8"}, "body": b} for p, b in faults]},
          open(out, "w"), ensure_ascii=False)
PY
start_server --faults "$T/faults.json" --nodelay
C="$T/sites.conf"
"$NA_BIN" crawl -c "$C" --site t-gbk -q || fail "the fixture crawl failed"
EVIL_URL=http://$HOST:$PORT$EVIL_PATH
"$NA_BIN" get -c "$C" "$EVIL_URL" >/dev/null 2>&1 || fail "the <script> article was not archived: $EVIL_URL"
COPY_URL=http://$HOST:$PORT$COPY_PATH
"$NA_BIN" get -c "$C" "$COPY_URL" >/dev/null 2>&1 || fail "its copy was not archived: $COPY_URL"
# invalid UTF-8 (a lone 0xFF, a cut 3-byte sequence: one U+FFFD per byte) and markup in the author field
sqlite3 "$T/archive/index.sqlite" \
    "UPDATE articles SET author = CAST(X'3C623EFF41E4B83C2F623E' AS TEXT) WHERE url = '$EVIL_URL';" ||
    fail "cannot patch the index"

SERVE_PID=
# start_serve [ARGS...]: newsarc serve on 127.0.0.1:0; sets BASE.
start_serve() {
    "$NA_BIN" serve -c "$C" --listen 127.0.0.1:0 "$@" >"$T/serve.out" 2>"$T/serve.err" &
    SERVE_PID=$!
    CHILD_PIDS="$CHILD_PIDS $SERVE_PID"
    for _ in $(seq 100); do
        grep -q "^newsarc serve: http://" "$T/serve.out" 2>/dev/null && break
        kill -0 "$SERVE_PID" 2>/dev/null || { cat "$T/serve.err" >&2; fail "serve died"; }
        sleep 0.05
    done
    BASE=$(sed -n 's#^newsarc serve: \(http://[0-9.:]*\)/ .*#\1#p' "$T/serve.out")
    [ -n "$BASE" ] || fail "serve printed no address: $(cat "$T/serve.out" "$T/serve.err")"
}
# urlq S: S percent-encoded for a query argument
urlq() { "$PY" -c "import sys, urllib.parse; print(urllib.parse.quote(sys.argv[1], safe=''))" "$1"; }
