#!/bin/bash
# crawl_caps.sh — a cap that drops work says so once per run and site,
# naming the setting that raises it: with max_listing_links = 2 on the GBK
# fixture site (listing pages and the feed list more), a dry-run crawl warns
# once for listing pages and once for the feed, also under --quiet; with the
# default (10000), no warning.
. "$(dirname "$0")/crawl_common.bash"
start_server
"$PY" - "$T/sites.conf" <<'PY'
import sys
p = sys.argv[1]
s = open(p, encoding="utf-8").read()
s = s.replace("[site t-gbk]\n", "[site t-gbk]\nmax_listing_links = 2\nmax_pages = 3\n", 1)
s = s.replace("max_pages = 10\ndelay = 0\n\n[site t-wp]", "delay = 0\n\n[site t-wp]", 1)
open(p, "w", encoding="utf-8").write(s)
PY
set +e
"$NA_BIN" crawl -c "$T/sites.conf" --site t-gbk --dry-run --quiet >"$T/out" 2>"$T/err"
rc=$?
set -e
[ $rc = 0 ] || { cat "$T/err" >&2; fail "crawl exited $rc"; }
cat "$T/err"
n_list=$(grep -c "t-gbk: listing page '.*' has more than 2 article links: [0-9]* more were dropped (raise max_listing_links, now 2, in sites.conf) (said once per run)" "$T/err" || true)
n_feed=$(grep -c "t-gbk: feed '.*' has more than 2 article links: [0-9]* more were dropped (raise max_listing_links" "$T/err" || true)
[ "$n_list" = 1 ] || fail "listing cap said $n_list times, expected once"
[ "$n_feed" = 1 ] || fail "feed cap said $n_feed times, expected once"
# The default cap: nothing said.
sed -i 's/^max_listing_links = 2$//' "$T/sites.conf"
"$NA_BIN" crawl -c "$T/sites.conf" --site t-gbk --dry-run >"$T/out2" 2>"$T/err2" || { cat "$T/err2" >&2; fail "crawl failed"; }
if grep -q "said once per run" "$T/err2"; then cat "$T/err2" >&2; fail "a cap was said with the default setting"; fi
echo "crawl_caps: ok"
