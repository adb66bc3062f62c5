#!/usr/bin/env bash
# bench-search.sh — full-text search at scale (not in make test): an index of
# N synthetic Chinese articles (tests/bench/fill_search.py, default 1,000,000;
# reuses DIR when it holds them), then typical queries through `newsarc
# search` (process start included), each run 5 times: the median wall time
# per query (typical queries first, then very common words), and the index
# size per article.
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
# typical: a company, a park, a district, a project (0.2-1% of the articles
# here), with a phrase, NOT, OR, title:; then words in most articles of this
# one-topic corpus (集中签约: 70%), and a 2-character scan
for q in 博远数字科技 远景精密制造 西青经济技术开发区 宝坻区 "宝坻区 生物制剂项目" "\"远景精密制造\" NOT 宝坻区" \
         "博远数字科技 OR 远景精密制造" "title:宝坻区" 新能源汽车 集中签约 储能; do
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
