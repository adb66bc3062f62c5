#!/usr/bin/env bash
# net_challenge_kinds.sh — anti-bot answers met by each kind of request, one
# site each (net_challenge.sh covers a 521 on listing pages):
#   - t-gbk: its articles answer an aliyun acw_sc__v2 page with HTTP 200 (an
#     article is screened before it is extracted);
#   - t-wp: its first listing answers a captcha page with HTTP 503 and
#     Retry-After: 1 (recognised before the retry: asked once, not again);
#   - t-gov: its robots.txt answers a firewall's block page (HTTP 403):
#     nothing else is asked of that host.
# Each is named as the site's "challenge" alert, nothing of the three is
# archived as an article, and each answer is kept as a capture.
. "$(dirname "$0")/crawl_common.bash"
"$PY" - >"$T/faults.json" <<'EOF'
import json
acw = ("<html><script>var arg1='3F2A5C7D9E1B';" + "var _0x1a2b=['\\x61\\x62'];" * 60 +
       "function setCookie(name,value){document.cookie=name+'='+value;}"
       "setCookie('acw_sc__v2', arg1);document.location.reload();</script></html>")
captcha = ("<html><head><title>安全验证</title></head><body><div id=\"captcha\">请拖动滑块完成验证</div>"
           "<script src=\"https://static.geetest.com/static/js/gt.0.4.9.js\"></script></body></html>")
waf = ("<html><head><title>网站防火墙</title></head><body><p>您的请求带有不合法参数，已被网站管理员设置拦截！</p>"
       "<a href=\"http://www.safedog.cn\">网站安全狗</a></body></html>")
print(json.dumps({"faults": [
    {"host": "t-gbk.newsarc.test", "path_prefix": "/post/", "status": 200,
     "headers": {"Set-Cookie": "acw_tc=76b20f; path=/"}, "body": acw},
    {"host": "t-wp.newsarc.test", "path": "/category/touzi/", "status": 503,
     "headers": {"Retry-After": "1"}, "body": captcha},
    {"host": "t-gov.newsarc.test", "path": "/robots.txt", "status": 403, "body": waf}]}))
EOF
start_server --faults "$T/faults.json" --set retries=2 --set retry_backoff=0.2
rc=0
timeout 60 "$NA_BIN" crawl -c "$T/sites.conf" --site t-gbk --site t-wp --site t-gov >"$T/c1.out" 2>"$T/c1.err" || rc=$?
[ "$rc" = 1 ] || [ "$rc" = 4 ] || fail "exit $rc, expected 1 or 4: $(cat "$T/c1.err")"
grep -q "t-gbk: alert: challenge: answers with a JavaScript challenge (aliyun)" "$T/c1.err" ||
    fail "no aliyun challenge alert for t-gbk: $(cat "$T/c1.err")"
grep -q "t-wp: alert: challenge: answers with a captcha (geetest)" "$T/c1.err" ||
    fail "no captcha alert for t-wp: $(cat "$T/c1.err")"
grep -q "t-gov: alert: challenge: answers with a web application firewall's \"access denied\" page (safedog)" \
    "$T/c1.err" || fail "no firewall alert for t-gov: $(cat "$T/c1.err")"
n=$(grep '"t-wp.newsarc.test"' "$T/log.jsonl" | grep -c '"path": "/category/touzi/"' || true)
[ "$n" = 1 ] || fail "the captcha'd listing was asked $n times (a challenge is not retried)"
n=$(grep '"t-gov.newsarc.test"' "$T/log.jsonl" | grep -vc '"path": "/robots.txt"' || true)
[ "$n" = 0 ] || fail "t-gov was asked $n more times after its robots.txt answered a block page"
total=$(grep -c '"t-gbk.newsarc.test"' "$T/log.jsonl" || true)
n=$(grep '"t-gbk.newsarc.test"' "$T/log.jsonl" | grep -c '"path": "/post/' || true)
[ "$n" -ge 1 ] && [ "$n" -le 8 ] || fail "t-gbk: $n article requests ($total in all) after its first challenge"
"$NA_BIN" ls -a "$T/archive" >"$T/ls.out"
grep -Eq "t-gbk|t-wp|t-gov" "$T/ls.out" && fail "a challenge page was archived as an article: $(head -3 "$T/ls.out")"
zcat "$T/archive"/warc/*.warc.gz >"$T/all.warc"
for s in "HTTP/1.1 503" "HTTP/1.1 403"; do
    grep -aq "^$s" "$T/all.warc" || fail "the '$s' challenge answer was not kept as a capture"
done
grep -aq "acw_sc__v2" "$T/all.warc" || fail "the 200 challenge answer was not kept as a capture"
"$NA_BIN" verify -a "$T/archive" >"$T/verify.out" 2>&1 || fail "verify: $(cat "$T/verify.out")"
echo "net_challenge_kinds: 3 alerts named; t-gbk asked $n times under /post/; t-wp's listing once; t-gov robots.txt only"
echo "net_challenge_kinds: ok"
