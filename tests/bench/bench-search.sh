#!/usr/bin/env bash
# bench-search.sh — full-text search at scale (not in make test): an index of
# N synthetic Chinese articles (tests/bench/fill_search.py, default 1,000,000;
# reuses DIR when it holds them), then typical queries through `newsarc
# search` (process start included), each run 5 times: the median wall time
# per query, and the index size per article.
#   tests/bench/bench-search.sh [N] [DIR]     (build first: make)
set -eu
cd "$(dirname "$0")/../.."
N=${1:-1000000}
D=${2:-build/bench-search-$N}
NA=build/newsarc
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
for q in 集中签约 新能源汽车 "\"重点项目集中签约\" NOT 北辰区" "title:产业园" "锂电池 OR 生物医药" 智能制造产业园 储能 "招商 集中签约"; do
    ts=""
    for _ in 1 2 3 4 5; do
        s=$(date +%s%N)
        $NA search -a "$D" --limit 20 --format jsonl "$q" >/tmp/bench-search.$$ 2>/dev/null
        e=$(date +%s%N)
        ts="$ts $(((e - s) / 1000000))"
    done
    med=$(echo $ts | tr ' ' '\n' | sort -n | sed -n 3p)
    printf '%-32s median %4d ms  (runs:%s)  %d hits\n' "$q" "$med" "$ts" "$(wc -l </tmp/bench-search.$$)"
done
rm -f /tmp/bench-search.$$
