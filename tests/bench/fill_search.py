#!/usr/bin/env python3
"""fill_search.py — fills a newsarc index (schema made by `newsarc reindex` on
an empty archive) with N synthetic Chinese articles for the search bench:
rows in `articles` (newest = 1) and their title + text in `articles_fts`,
straight through SQLite (no WARC files: search reads only the index). Text
from tests/server/zhtext.py (the fixture sites' generator): ~1,100
characters per article, 10 sites, dates over 5 years. Stdlib only.

  fill_search.py INDEX.sqlite N [--seed S]"""
import datetime as dt
import os
import random
import sqlite3
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "server"))
import zhtext  # noqa: E402


def main():
    path, n = sys.argv[1], int(sys.argv[2])
    seed = int(sys.argv[4]) if len(sys.argv) > 4 and sys.argv[3] == "--seed" else 1
    db = sqlite3.connect(path)
    db.execute("PRAGMA journal_mode = OFF")
    db.execute("PRAGMA synchronous = OFF")
    start = db.execute("SELECT coalesce(max(id), 0) FROM articles").fetchone()[0]
    rng = random.Random(seed * 1000003 + start)
    day0 = dt.date(2021, 1, 1)
    t0 = time.time()
    batch = 5000
    for base in range(start, start + n, batch):
        rows, fts = [], []
        for i in range(base + 1, min(base + batch, start + n) + 1):
            d = day0 + dt.timedelta(days=rng.randrange(5 * 365))
            title, body, _ = zhtext.article_text(rng, d)
            text = "\n".join(t for k, t in body if k in ("p", "h"))
            site = "site%d" % (i % 10)
            rows.append((i, "http://%s.example/a/%d.html" % (site, i), site, title, d.isoformat(), 0,
                         int(time.mktime(d.timetuple())), int(time.mktime(d.timetuple())), d.isoformat(),
                         len(text.encode())))
            fts.append((i, title, text))
        db.execute("BEGIN")
        db.executemany("INSERT INTO articles(id, url, site, title, published, capture_id, fetched, extracted,"
                       " date_key, text_len, newest) VALUES (?,?,?,?,?,?,?,?,?,?,1)", rows)
        db.executemany("INSERT INTO articles_fts(rowid, title, text) VALUES (?,?,?)", fts)
        db.execute("COMMIT")
        done = min(base + batch, start + n) - start
        if done % 50000 == 0 or done == n:
            print("%d articles, %.0f s" % (done, time.time() - t0), flush=True)
    db.close()


if __name__ == "__main__":
    main()
