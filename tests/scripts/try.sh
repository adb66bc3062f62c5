#!/bin/bash
# try.sh — `newsarc try` against the fixture sites on 127.0.0.1: usage and
# config errors (exit 2), unreadable inputs and failed fetches (exit 1), an
# article fetched (site, kind, text), the same page read from a file, gzip
# and stdin, listing pages (article links, next page, template pages, end of
# pagination), robots.txt, redirects followed, looping and out of scope.
# The --explain part is tests/scripts/try_explain.sh.
. "$(dirname "$0")/try_common.bash"

# ---- usage (no server needed) ----
run_try 2
grep -q "usage: newsarc try" "$T/err" || fail "no usage on stderr for a missing argument"
[ ! -s "$T/out" ] || fail "bad usage printed to stdout"
run_try 2 a b
run_try 2 --bogus x
grep -q "bad option '--bogus'" "$T/err" || fail "bad option not named: $(cat "$T/err")"
run_try 2 --now "last tuesday" x.html
run_try 2 --charset no-such-charset x.html
grep -q "unknown label 'no-such-charset'" "$T/err" || fail "bad --charset not named"
run_try 2 -c "$T/no-such.conf" http://example.invalid/
grep -q "no-such.conf" "$T/err" || fail "missing config not named"
run_try 0 --help
grep -q "usage: newsarc try" "$T/out" || fail "--help not on stdout"
grep -q -- "--explain" "$T/out" || fail "--help does not list --explain"
"$NA_BIN" help try >"$T/out" || fail "newsarc help try failed"
grep -q "usage: newsarc try" "$T/out" || fail "newsarc help try printed no usage"
printf '[newsarc]\nbogus_key = 1\n' >"$T/bad.conf"
run_try 2 -c "$T/bad.conf" x.html
grep -q "bad.conf:2" "$T/err" || fail "config error without file:line: $(cat "$T/err")"

# ---- inputs that cannot be read ----
run_try 1 --no-robots "$T/no-such-file.html"
grep -q "no-such-file.html" "$T/err" || fail "unreadable file not named"
# max_page_size holds for files too: exactly the cap is read, one byte more is not.
printf '[newsarc]\narchive = a\nuser_agent = t/1 (+mailto:t@example.org)\nmax_page_size = 5000\n[site x]\nlisting = http://x.example/\narticle = /a/\n' >"$T/small.conf"
{ printf '<html><body><p>'; head -c 6000 /dev/zero | tr '\0' 'x'; } | head -c 5000 >"$T/5000.html"
run_try 0 -c "$T/small.conf" "$T/5000.html"
grep -q "^read: *5000 bytes" "$T/out" || fail "a file of max_page_size bytes: $(head -3 "$T/out")"
printf 'x' >>"$T/5000.html"
run_try 1 -c "$T/small.conf" "$T/5000.html"
grep -q "larger than 5000 bytes (max_page_size)" "$T/err" || fail "a file over max_page_size: $(cat "$T/err")"

start_server
C=(-c "$T/sites.conf")
GBK=http://t-gbk.newsarc.test:$PORT
WP=http://t-wp.newsarc.test:$PORT
GOV=http://t-gov.newsarc.test:$PORT
FAULTS=http://faults.newsarc.test:$PORT

run_try 2 "${C[@]}" --site no-such-site "$WP/"
grep -q "no site 'no-such-site'" "$T/err" || fail "unknown site not named"
run_try 2 "${C[@]}" --url "not a url" "$ROOT/t-wp.newsarc.test/index.html"
run_try 2 "${C[@]}" --listing "$ROOT/t-wp.newsarc.test/index.html"
grep -q -- "--url" "$T/err" || fail "listing file without --url: no hint"

# ---- an article page fetched ----
# The newest t-wp article robots.txt allows, with its paragraphs.
ART=$(py <<'EOF'
t = truth("t-wp.newsarc.test")
paths = sorted(t["articles"], key=lambda p: t["articles"][p]["published"], reverse=True)
print([p for p in paths if p in set(t["expected"])][0])
EOF
)
[ -n "$ART" ] || fail "no article in the truth file"
run_try 0 "${C[@]}" --now "$NOW" --json "$WP$ART"
py "$ART" <<'EOF'
art = sys.argv[3]
a = truth("t-wp.newsarc.test")["articles"][art]
check(o["site"] == "t-wp", "site picked: %r" % o["site"])
check(o["kind"] == "article", "kind: %r" % o["kind"])
check(o["status"] == 200, "status %r" % o["status"])
check(o["url"].endswith(art), "url %r" % o["url"])
check(o["robots"] == "allowed", "robots: %r" % o["robots"])
squash = lambda s: re.sub(r"\s+", "", s)
text = squash(o["text"])
for p in a["paragraphs"]:
    check(squash(p) in text, "paragraph missing from the text: %s" % p[:40])
if o["title"] is None and not o.get("published"):
    print("note: the extractor is the placeholder: title not checked", file=sys.stderr)
else:
    check(o["title"] == a["title"], "title %r, expected %r" % (o["title"], a["title"]))
EOF
# The same in text form.
run_try 0 "${C[@]}" --now "$NOW" "$WP$ART"
grep -q "^site: *t-wp (.*sites.conf:[0-9]*; the URL is in its scope)" "$T/out" || fail "text: no site line"
grep -q "^page: *article (matches article = " "$T/out" || fail "text: no page line"
grep -q "^fetched: *HTTP 200, text/html" "$T/out" || fail "text: no fetched line"
grep -q "^text: *[0-9]* paragraphs" "$T/out" || fail "text: no text line"
for k in title published author source category lang charset; do
    grep -q "^$k: " "$T/out" || fail "text: no '$k:' line"
done

# ---- the same page from a file: plain, gzip, stdin ----
F=$ROOT/t-wp.newsarc.test$ART
[ -f "$F" ] || F=$ROOT/t-wp.newsarc.test${ART%/}/index.html
[ -f "$F" ] || fail "no saved file for $ART"
run_try 0 "${C[@]}" --now "$NOW" --json --url "$WP$ART" "$F"
cp "$T/out" "$T/from-url.json"
py "$ART" <<'EOF'
check(o["site"] == "t-wp" and o["kind"] == "article", "file with --url: site %r kind %r" % (o["site"], o["kind"]))
a = truth("t-wp.newsarc.test")["articles"][sys.argv[3]]
check(re.sub(r"\s+", "", a["paragraphs"][0]) in re.sub(r"\s+", "", o["text"]), "file: first paragraph missing")
EOF
gzip -c "$F" >"$T/page.html.gz"
run_try 0 "${C[@]}" --now "$NOW" --json --url "$WP$ART" "$T/page.html.gz"
cmp -s "$T/out" "$T/from-url.json" || sed 's/"input":"[^"]*"//' "$T/out" | cmp -s - <(sed 's/"input":"[^"]*"//' "$T/from-url.json") ||
    fail "gzip file gives another result"
run_try 0 "${C[@]}" --now "$NOW" --json - <"$F"
py <<'EOF'
check(o["site"] is None and o["url"] is None, "stdin without --url: site %r url %r" % (o["site"], o["url"]))
check(len(o["text"]) > 200, "stdin: no text")
EOF
# No configuration at all: generic rules.
mkdir "$T/empty"
(cd "$T/empty" && "$NA_BIN" try --json --url "$WP$ART" "$F" >"$T/out" 2>"$T/err") || fail "no config: exit $?"
py <<'EOF'
check(o["config"] is None and o["site"] is None, "no config: %r %r" % (o["config"], o["site"]))
EOF

# ---- listing pages ----
run_try 0 "${C[@]}" --json "$GBK/category-1.html"
py <<'EOF'
t = truth("t-gbk.newsarc.test")
L = o["links"]
check(o["kind"] == "listing" and o["site"] == "t-gbk", "kind %r site %r" % (o["kind"], o["site"]))
check(L["next"] and L["next"].endswith("/category-1_2.html"), "next %r" % L["next"])
rx = re.compile(t["article_regex"])
for u in L["articles"]:
    check(rx.search(u), "article link %s does not match %s" % (u, t["article_regex"]))
    check(re.sub(r"^https?://[^/]+", "", u) in t["articles"], "article link %s not in the truth" % u)
cat = "天津产业信息"
newest = sorted((p for p, a in t["articles"].items() if a["category"] == cat),
                key=lambda p: t["articles"][p]["published"], reverse=True)[:10]
found = {re.sub(r"^https?://[^/]+", "", u) for u in L["articles"]}
missing = [p for p in newest if p not in found]
check(not missing, "newest articles of the category not found on page 1: %s" % missing)
check(any("beian.miit.gov.cn" in u for u in L["offscope"]), "off-scope link not reported")
check(all(not rx.search(u) for u in L["other"]), "an article link was sorted as other")
check(len(L["all"]) == len(L["articles"]) + len(L["other"]) + len(L["offscope"]), "links do not add up")
EOF
run_try 0 "${C[@]}" "$GBK/category-1.html"
grep -q "^page: *listing (listing = " "$T/out" || fail "listing text: no page line"
grep -q "^next page: $GBK/category-1_2.html\$" "$T/out" || fail "listing text: no next page line"
grep -q "^articles (in scope, matching an article pattern):" "$T/out" || fail "listing text: no articles heading"
grep -q "^out of scope:" "$T/out" || fail "listing text: no out-of-scope heading"
# The last page of the category has no next page.
LAST=$(py <<'EOF'
t = truth("t-gbk.newsarc.test")
n = t["listing_pages"]["天津产业信息"]
print("/category-1.html" if n == 1 else "/category-1_%d.html" % n)
EOF
)
run_try 0 "${C[@]}" --json "$GBK$LAST"
py <<'EOF'
check(o["kind"] == "listing", "last page kind %r (%s)" % (o["kind"], o["kind_reason"]))
check(o["links"]["next"] is None, "last listing page has a next page: %r" % o["links"]["next"])
check(o["links"]["articles"], "last listing page: no articles")
EOF
# WordPress pagination (rel=next / page/2/).
run_try 0 "${C[@]}" --json "$WP/category/touzi/"
py <<'EOF'
check(o["links"]["next"] and o["links"]["next"].endswith("/category/touzi/page/2/"), "wp next %r" % o["links"]["next"])
EOF
# A {n} template listing: its next page by the template.
run_try 0 "${C[@]}" --json "$GOV/zsyz/xmdt/list_1.html"
py <<'EOF'
L = o["links"]
check(o["kind"] == "listing" and "page 1 of listing" in o["kind_reason"], "gov kind %r %r" % (o["kind"], o["kind_reason"]))
check(L["next_template"] and L["next_template"].endswith("/zsyz/xmdt/list_2.html"), "template next %r" % L["next_template"])
check(len(L["articles"]) >= 5, "gov listing: %d articles" % len(L["articles"]))
EOF
# Forcing the kind.
run_try 0 "${C[@]}" --json --no-robots --listing "$WP$ART"
py <<'EOF'
check(o["kind"] == "listing" and o["kind_reason"] == "--listing", "--listing: %r" % o["kind"])
EOF
run_try 0 "${C[@]}" --json --no-robots --article "$GBK/category-1.html"
py <<'EOF'
check(o["kind"] == "article" and "text" in o, "--article: %r" % o["kind"])
EOF
# A feed.
run_try 0 "${C[@]}" --json --no-robots "$GBK/feed.php"
py <<'EOF'
check(o["kind"] == "feed" and len(o["links"]["articles"]) >= 5, "feed: %r, %d items" % (o["kind"], len(o["links"]["articles"])))
EOF

# ---- robots.txt ----
run_try 0 "${C[@]}" "$GBK/post/420.html"
grep -q "^robots: *disallowed (a crawl skips this URL)" "$T/out" || fail "robots.txt Disallow not reported: $(grep robots "$T/out")"
run_try 0 "${C[@]}" --no-robots --json "$GBK/post/420.html"
py <<'EOF'
check(o["robots"] == "not checked (--no-robots)", "--no-robots: %r" % o["robots"])
EOF

# ---- fetch failures and redirects (the faults host) ----
run_try 1 "${C[@]}" --no-robots "$GBK/post/no-such-article.html"
grep -q "HTTP 404" "$T/err" || fail "404 not reported: $(cat "$T/err")"
run_try 0 "${C[@]}" --no-robots --json "$FAULTS/post/moved.html"
py <<'EOF'
r = o["redirects"]
check(len(r) == 1 and r[0]["status"] == 301 and r[0]["location"].endswith("/post/moved-target.html"), "redirects %r" % r)
check(o["url"].endswith("/post/moved-target.html") and o["status"] == 200, "after the redirect: %r %r" % (o["url"], o["status"]))
EOF
run_try 1 "${C[@]}" --no-robots "$FAULTS/post/offscope.html"
grep -q "a crawl would not follow it" "$T/err" || fail "off-scope redirect: $(cat "$T/err")"
run_try 1 "${C[@]}" --no-robots "$FAULTS/post/loop-a.html"
grep -q "redirect loop" "$T/err" || fail "redirect loop: $(cat "$T/err")"
run_try 1 "${C[@]}" --no-robots "$FAULTS/post/chain-1.html"
grep -q "more than [0-9]* redirects" "$T/err" || fail "redirect chain: $(cat "$T/err")"
run_try 1 "${C[@]}" --no-robots "$FAULTS/post/image.html"
grep -q "content type 'image/png'" "$T/err" || fail "binary page: $(cat "$T/err")"
run_try 1 "${C[@]}" --no-robots "$FAULTS/post/bomb.html"
run_try 1 "${C[@]}" --no-robots "$FAULTS/post/e500.html"
grep -q "HTTP 500" "$T/err" || fail "500 not reported: $(cat "$T/err")"
# robots.txt answering 500: the crawler would fetch nothing from the origin.
run_try 0 "${C[@]}" --listing "http://norobots.newsarc.test:$PORT/category/touzi/"
grep -q "^robots: *disallowed (robots.txt answered 500" "$T/out" || fail "robots.txt 500: $(grep robots "$T/out")"
echo "try: all checks passed"
