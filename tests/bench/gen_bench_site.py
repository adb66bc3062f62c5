#!/usr/bin/env python3
"""gen_bench_site.py — the crawl bench's site set (issue 4 item 8): by default
20,000 article pages of about 40 KB in the seed page's image (sitegen.py's
Z-Blog / WordPress / TRS templates, 2 of the 10 hosts GBK) over 10 hosts, with
their listing pages, written as static files nginx serves with
`root OUT/$host`. Article bodies are drawn from a pool of generated paragraphs
(every page distinct, generation fast: well under a minute). Stdlib only.

  gen_bench_site.py OUT [--articles 20000] [--hosts 10] [--port 8080] [--seed 1]
                        [--jobs 2]

OUT gets: HOST/... (the pages; a trailing-slash URL is HOST/PATH/index.html),
sites.conf (a [newsarc] section with politeness off and resolve lines, plus one
[site] per host; archive = OUT/archive), urls.txt (every listing and article
URL, for `wget2 -i`), nginx.conf (`nginx -p OUT -c OUT/nginx.conf`, listens on
127.0.0.1:PORT, gzip on), summary.json (counts and bytes)."""

import argparse
import datetime as dt
import json
import multiprocessing
import os
import random
import re
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "server"))
import sitegen  # noqa: E402
import zhtext  # noqa: E402

NOW = dt.datetime(2025, 6, 30, 10, 0, 0, tzinfo=sitegen.TZ)
TEMPLATES = ["zblog", "wordpress", "gov", "zblog", "wordpress", "gov", "wordpress", "zblog", "gov", "wordpress"]
GBK = {0, 3}          # host indexes served GBK-encoded

# Real themes inline a lot: a theme's CSS, an icon sprite, config scripts.
# This brings pages to the ~40 KB real regional-news pages weigh.
BLOAT_CSS = "\n".join(".c%d .m%d{margin:%dpx %dpx;padding:%dpx;color:#%06x;font-size:%dpx;line-height:1.%d}" % (
    i, i, i % 17, i % 13, i % 9, (i * 2654435761) & 0xFFFFFF, 12 + i % 8, i % 10) for i in range(100))
BLOAT_JS = "var _theme_cfg = {%s};" % ",".join('"opt%d":{"on":%s,"v":"%x"}' % (
    i, "true" if i % 3 else "false", (i * 40503) & 0xFFFFF) for i in range(220))


class Pool:
    """Paragraphs and headings generated once, drawn from per article."""

    def __init__(self, seed, city):
        rng = random.Random("pool:%s:%s" % (seed, city))
        self.paras, self.heads = [], []
        for i in range(260):
            st = zhtext.Story(rng, NOW.date() - dt.timedelta(days=rng.randrange(700)),
                              city if rng.random() < 0.8 else None)
            tg = zhtext.TextGen(rng, st)
            self.paras += [tg.paragraph(2, 4) for _ in range(8)]
            self.heads += tg.headings(4)


class BenchSite(sitegen.Site):
    def _articles(self, rng, n):
        pool = Pool(self.spec["seed"], self.city)
        arts, titles = [], set()
        t = self.now - dt.timedelta(hours=3)
        ids = set()
        next_id = n * 3 + rng.randint(100, 900)
        for i in range(n):
            a = sitegen.Article()
            a.disallowed = False
            a.date = t.replace(hour=rng.randint(8, 18), minute=rng.randrange(60))
            a.cat = rng.randrange(len(self.cats))
            st = zhtext.Story(rng, a.date.date(), self.city if rng.random() < 0.8 else None)
            tg = zhtext.TextGen(rng, st)
            for _ in range(10):
                title = tg.title()
                if title not in titles:
                    break
            titles.add(title)
            a.title, a.story = title, st
            body = [("p", rng.choice(pool.paras))]
            heads = rng.sample(pool.heads, 4)
            for h in heads:
                body.append(("h", h))
                body += [("p", p) for p in rng.sample(pool.paras, rng.randint(3, 5))]
            body.append(("p", rng.choice(pool.paras)))
            a.body = body
            if self.spec["template"] == "gov":
                a.id = rng.randrange(1000000, 9999999)
                while a.id in ids:
                    a.id += 1
            else:
                a.id = next_id
                next_id -= rng.randint(1, 2)
            ids.add(a.id)
            a.author = "admin" if self.spec["template"] == "zblog" else rng.choice(zhtext.EDITORS[:7])
            a.source = rng.choice(zhtext.SOURCES)
            a.views = int(rng.paretovariate(1.2) * 40)
            a.tags = rng.sample(self.tags, 3)
            arts.append(a)
            t -= dt.timedelta(hours=rng.uniform(0.2, 9))
        for a in arts:
            a.path = self.tpl.article_path(a)
        return arts


def host_name(i):
    return "bench%02d.newsarc.test" % (i + 1)


def gen_host(args):
    i, n, out, seed, per_page = args
    host = host_name(i)
    spec = {"host": host, "template": TEMPLATES[i % len(TEMPLATES)], "charset": "gbk" if i in GBK else "utf-8",
            "articles": n, "per_page": per_page, "categories": 3, "seed": seed * 100 + i,
            "city": zhtext.CITIES[i % len(zhtext.CITIES)][0], "robots_disallow_article": False,
            "plain_pager": True, "delay": 0}
    site = BenchSite(spec, NOW)
    tpl = site.tpl
    hdir = os.path.join(out, host)
    enc = site.charset
    nbytes, nfiles = 0, 0
    made = set()

    def write(path, text):
        nonlocal nbytes, nfiles
        text = text.replace("@ORIGIN@", "")
        text = text.replace("</head>", "<style>\n%s\n</style>\n</head>" % BLOAT_CSS, 1)
        text = text.replace("</body>", "<script>\n%s\n</script>\n</body>" % BLOAT_JS, 1)
        fp = sitegen.path_to_file(hdir, path)
        d = os.path.dirname(fp)
        if d not in made:
            os.makedirs(d, exist_ok=True)
            made.add(d)
        data = text.encode(enc)
        with open(fp, "wb") as f:
            f.write(data)
        nbytes += len(data)
        nfiles += 1

    urls = []
    write("/", tpl.render_home())
    for c in site.cats:
        for k in range(1, tpl.pages(c) + 1):
            p = tpl.listing_path(c, k)
            write(p, tpl.render_listing(c, k))
            urls.append(p)
    for p, body in tpl.extra().items():
        if not p.startswith("/page/"):
            write(p, body)
    art_bytes = 0
    for a in site.articles:
        before = nbytes
        write(a.path, tpl.render_article(a))
        art_bytes += nbytes - before
        urls.append(a.path)
    with open(os.path.join(hdir, "robots.txt"), "w") as f:
        f.write("User-agent: *\nDisallow: /admin/\n")
    listings = [tpl.listing_path(c, 1) for c in site.cats]
    return {"host": host, "template": tpl.name, "charset": enc, "articles": len(site.articles),
            "listing_pages": sum(tpl.pages(c) for c in site.cats), "files": nfiles + 1, "bytes": nbytes,
            "article_bytes": art_bytes, "urls": urls, "listings": listings, "article_regex": tpl.article_regex()}


def main(argv=None):
    ap = argparse.ArgumentParser(description="Generate the crawl bench's static site set.")
    ap.add_argument("out")
    ap.add_argument("--articles", type=int, default=20000, help="article pages in all (default 20000)")
    ap.add_argument("--hosts", type=int, default=10)
    ap.add_argument("--per-page", type=int, default=20, help="articles per listing page")
    ap.add_argument("--port", type=int, default=8080, help="nginx's port, for sites.conf, urls.txt, nginx.conf")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--jobs", type=int, default=2, help="processes (the machine has 2 cores)")
    a = ap.parse_args(argv)
    t0 = time.time()
    out = os.path.abspath(a.out)
    os.makedirs(out, exist_ok=True)
    per = [a.articles // a.hosts + (1 if i < a.articles % a.hosts else 0) for i in range(a.hosts)]
    jobs = [(i, per[i], out, a.seed, a.per_page) for i in range(a.hosts)]
    if a.jobs > 1:
        with multiprocessing.Pool(min(a.jobs, 2)) as p:
            res = p.map(gen_host, jobs)
    else:
        res = [gen_host(j) for j in jobs]
    port = a.port
    with open(os.path.join(out, "urls.txt"), "w") as f:
        for r in res:
            for u in r["urls"]:
                f.write("http://%s:%d%s\n" % (r["host"], port, u))
    conf = ["# sites.conf for the crawl bench (tests/bench/gen_bench_site.py): politeness off,",
            "# the hosts on nginx at 127.0.0.1:%d." % port, "[newsarc]", "archive = %s/archive" % out,
            "user_agent = newsarc-bench/0.1 (+mailto:bench@newsarc.test)", "concurrency = 16",
            "per_host_connections = 2", "delay = 0", "robots = yes", "retries = 1"]
    conf += ["resolve = %s:%d:127.0.0.1" % (r["host"], port) for r in res]
    conf.append("")
    for r in res:
        name = r["host"].split(".")[0]
        conf.append("[site %s]" % name)
        conf += ["listing = http://%s:%d%s" % (r["host"], port, p) for p in r["listings"]]
        conf.append("article = ^http://%s:%d%s" % (sitegen.ere_escape(r["host"]), port, r["article_regex"]))
        conf.append("max_pages = 100000")
        conf.append("backfill_max_pages = 100000")
        conf.append("delay = 0")
        conf.append("")
    with open(os.path.join(out, "sites.conf"), "w") as f:
        f.write("\n".join(conf))
    with open(os.path.join(out, "nginx.conf"), "w") as f:
        f.write("""# nginx -p %(out)s -c %(out)s/nginx.conf   (stop: nginx -p %(out)s -c %(out)s/nginx.conf -s stop)
worker_processes 1;
pid %(out)s/nginx.pid;
error_log %(out)s/nginx-error.log warn;
events { worker_connections 1024; }
http {
    access_log off;
    client_body_temp_path %(out)s/tmp/body;
    proxy_temp_path %(out)s/tmp/proxy;
    fastcgi_temp_path %(out)s/tmp/fastcgi;
    uwsgi_temp_path %(out)s/tmp/uwsgi;
    scgi_temp_path %(out)s/tmp/scgi;
    default_type text/html;
    types { text/html html; text/plain txt; application/xml xml; }
    sendfile on;
    tcp_nopush on;
    keepalive_requests 100000;
    gzip on;
    gzip_comp_level 1;
    gzip_types text/plain application/xml;
    server {
        listen 127.0.0.1:%(port)d;
        server_name _;
        root %(out)s/$host;
        index index.html;
    }
}
""" % {"out": out, "port": port})
    os.makedirs(os.path.join(out, "tmp"), exist_ok=True)
    total_art = sum(r["articles"] for r in res)
    art_bytes = sum(r["article_bytes"] for r in res)
    summary = {"articles": total_art, "listing_pages": sum(r["listing_pages"] for r in res),
               "hosts": [{k: v for k, v in r.items() if k != "urls"} for r in res],
               "bytes": sum(r["bytes"] for r in res), "mean_article_bytes": art_bytes // max(1, total_art),
               "port": port, "seconds": round(time.time() - t0, 1)}
    with open(os.path.join(out, "summary.json"), "w") as f:
        json.dump(summary, f, indent=1)
    print("gen_bench_site: %d articles (mean %d bytes), %d listing pages, %d hosts, %.0f MB in %s, %.1f s" % (
        total_art, summary["mean_article_bytes"], summary["listing_pages"], len(res), summary["bytes"] / 1e6,
        out, summary["seconds"]), file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
