#!/usr/bin/env bash
# search.sh — `newsarc search` on a crawl of three fixture sites (GBK, UTF-8
# WordPress, a gov portal): every answer is checked against the articles of
# a full export (python3): a 4-character Chinese query finds exactly the
# articles holding it, ranked (scores descending); a 2-character query (no
# trigram) too, through the substring scan; a phrase with NOT; OR;
# title-only (title: and --title); --site; jsonl; usage errors; the same
# answers after a reindex (the index is rebuilt from the WARC files).
. "$(dirname "$0")/crawl_common.bash"
start_server
"$NA_BIN" crawl -c "$T/sites.conf" --site t-gbk --site t-wp --site t-gov -q >"$T/crawl.out" 2>&1 ||
    fail "crawl: $(cat "$T/crawl.out")"
"$NA_BIN" export -c "$T/sites.conf" --format jsonl >"$T/all.jsonl" || fail "export"
S() { "$NA_BIN" search -c "$T/sites.conf" --format jsonl --limit 1000 "$@"; }
check() { # check NAME PYTHON-PREDICATE(a) [search args...]: hits == articles satisfying the predicate
    local name=$1 pred=$2
    shift 2
    S "$@" >"$T/hits.jsonl" 2>"$T/e" || fail "$name: search exit $?: $(cat "$T/e")"
    "$PY" - "$T/all.jsonl" "$T/hits.jsonl" "$pred" "$name" <<'PYEOF' || fail "$name"
import json, sys
arts = [json.loads(l) for l in open(sys.argv[1], encoding="utf-8")]
hits = [json.loads(l) for l in open(sys.argv[2], encoding="utf-8")]
pred = eval("lambda a, t, x: " + sys.argv[3])
want = {a["url"] for a in arts if pred(a, a["title"] or "", a["text"] or "")}
got = [h["url"] for h in hits]
assert len(got) == len(set(got)), "a URL twice"
assert set(got) == want, "%s: %d hits, %d expected; extra %s missing %s" % (
    sys.argv[4], len(got), len(want), sorted(set(got) - want)[:3], sorted(want - set(got))[:3])
assert len(want) >= 1, "%s: the fixture has no article for it" % sys.argv[4]
scores = [h["score"] for h in hits]
assert scores == sorted(scores, reverse=True), "not ranked"
assert [h["rank"] for h in hits] == list(range(1, len(hits) + 1))
print("%s: %d hits" % (sys.argv[4], len(got)))
PYEOF
}
check "4 characters" '"集中签约" in t + x' 集中签约
check "title hits first" '"储能产业" in t + x' 储能产业
# the best hit of a query found in some titles has it in its title
S 储能产业 | head -1 | grep -q '"title":"[^"]*储能产业' || fail "a title hit does not rank first"
check "snippet marks" '"新型储能" in t + x' 新型储能
S 新型储能 | head -1 | grep -q '⟦新型储能⟧' || fail "no highlighted match in the snippet"
check "2 characters" '"储能" in t + x' 储能
check "2 characters AND 4" '"储能" in t + x and "集中签约" in t + x' 储能 集中签约
check "phrase NOT" '"重点项目集中签约" in t + x and "北辰区" not in t + x' '"重点项目集中签约" NOT 北辰区'
check "-word" '"重点项目集中签约" in t + x and "北辰区" not in t + x' '重点项目集中签约 -北辰区'
check "OR" '"锂电池" in t + x or "生物制剂" in t + x' '锂电池 OR 生物制剂'
check "title:" '"集中签约" in t' 'title:集中签约'
check "--title" '"集中签约" in t' --title 集中签约
check "--site" '"集中签约" in t + x and a["site"] == "t-wp"' --site t-wp 集中签约
# text format: a numbered title, date, site, URL, the snippet
"$NA_BIN" search -c "$T/sites.conf" -n 2 集中签约 >"$T/text" || fail "text format"
grep -q '^1\. .*集中签约' "$T/text" && grep -q '^2\. ' "$T/text" && ! grep -q '^3\. ' "$T/text" ||
    fail "text format: $(head -5 "$T/text")"
# usage errors: exit 2 with a message
for q in '' '"unbalanced' 'NOT' '储能 OR 锂电池' '-北辰区'; do
    rc=0; "$NA_BIN" search -c "$T/sites.conf" "$q" >/dev/null 2>"$T/e" || rc=$?
    [ $rc = 2 ] && [ -s "$T/e" ] || fail "query '$q': exit $rc, '$(cat "$T/e")'"
done
rc=0; "$NA_BIN" search -c "$T/sites.conf" --format xml x >/dev/null 2>&1 || rc=$?
[ $rc = 2 ] || fail "--format xml: exit $rc"
# reindex rebuilds the search index from the WARC files: the same answers
S 集中签约 >"$T/before.jsonl"
"$NA_BIN" reindex -c "$T/sites.conf" >/dev/null 2>"$T/e" || fail "reindex: $(cat "$T/e")"
S 集中签约 >"$T/after.jsonl"
cmp -s "$T/before.jsonl" "$T/after.jsonl" || fail "search differs after a reindex"
echo "search: ok"
