#!/usr/bin/env bash
# bench-search.sh — full-text search at scale (not in make test): an index of
# N synthetic Chinese articles (tests/bench/fill_search.py, default 1,000,000;
# reuses DIR when it holds them), then typical queries through `newsarc
# search` (process start included), each run 5 times: the median CPU and
# wall time per query (typical queries first, then very common words), and
# the index size per article.
#   tests/bench/bench-search.sh [N] [DIR]     (build first: make)
set -eu
cd "$(dirname "$0")/../.."
N=${1:-1000000}
D=${2:-build/bench-search-$N}
NA=${NA:-build/newsarc}
if [ ! -s "$D/index.sqlite" ] || [ "$(sqlite3 "$D/index.sqlite" 'SELECT count(*) FROM articles')" != "$N" ]; then
    rm -rf "$D"
    mkdir -p "$D/warc"
    $NA reindex -a "$D" >/dev/null
    python3 tests/bench/fill_search.py "$D/index.sqlite" "$N"
    sqlite3 "$D/index.sqlite" "INSERT INTO articles_fts(articles_fts) VALUES ('optimize')"
fi
bytes=$(stat -c %s "$D/index.sqlite")
fts=$(sqlite3 "$D/index.sqlite" "SELECT sum(length(block)) FROM articles_fts_data")
text=$(sqlite3 "$D/index.sqlite" "SELECT sum(length(CAST(c1 AS BLOB))) + sum(length(CAST(c0 AS BLOB))) FROM articles_fts_content")
echo "articles: $N"
echo "index.sqlite: $bytes bytes, $((bytes / N)) per article"
echo "  FTS index (trigram postings): $((fts / N)) bytes per article; FTS copy of title+text: $((text / N)) bytes per article"
# typical: a company, a park, a district, a project (0.2-1% of the articles
# here), with a phrase, NOT, OR, title:; then words in most articles of this
# one-topic corpus (集中签约: 70%), and a 2-character word; last, the fixed
# cost (a query that matches nothing: process start, opening the index).
# Each query runs 5 times: the median CPU time of the process (user + sys,
# perf stat's task-clock; the machine may be shared) and of wall time.
cpu_ms() { # cpu_ms OUT CMD...: runs CMD (stdout to OUT), prints its task-clock in ms (- without perf)
    local out=$1
    shift
    if command -v perf >/dev/null; then
        perf stat -x, -e task-clock -o /tmp/bench-search-perf.$$ "$@" >"$out" || return 1
        awk -F, '/task-clock/ { printf "%d", $1 + 0.5 }' /tmp/bench-search-perf.$$
    else
        "$@" >"$out" && printf -- -
    fi
}
for q in 博远数字科技 远景精密制造 西青经济技术开发区 宝坻区 "宝坻区 生物制剂项目" "\"远景精密制造\" NOT 宝坻区" \
         "博远数字科技 OR 远景精密制造" "title:宝坻区" 新能源汽车 集中签约 储能 不存在的词语; do
    ts="" cs=""
    for _ in 1 2 3 4 5; do
        s=$(date +%s%N)
        c=$(cpu_ms /tmp/bench-search.$$ $NA search -a "$D" --limit 20 --format jsonl "$q" 2>/dev/null) || true
        e=$(date +%s%N)
        ts="$ts $(((e - s) / 1000000))"
        cs="$cs $c"
    done
    med=$(echo $ts | tr ' ' '\n' | sort -n | sed -n 3p)
    cmed=$(echo $cs | tr ' ' '\n' | sort -n | sed -n 3p)
    printf '%-32s CPU median %4s ms (runs:%s)  wall median %4d ms  %d hits\n' "$q" "$cmed" "$cs" "$med" \
        "$(wc -l </tmp/bench-search.$$)"
done
rm -f /tmp/bench-search.$$ /tmp/bench-search-perf.$$
