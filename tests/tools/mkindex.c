/* mkindex.c — a synthetic archive of many articles for
 * tests/bench/bench-million.sh (issue 12, item 6): REAL small articles
 * written through archive_add (their WARC records exist: get and export
 * read them; fetched now - 1 h, published yesterday, sites s0..s(SITES-1)),
 * then N - REAL more capture + article rows written straight through
 * store/index.h in transactions of 50,000, spread over five years before
 * yesterday over the same sites. The synthetic rows point at the first
 * real article's records (the bench does not verify the archive). The
 * secondary indexes are dropped for the bulk insert and made again after
 * it (from their own SQL in sqlite_master): several times faster.
 *   mkindex DIR N [REAL [SITES]]    (defaults: REAL 1000, SITES 500)
 * Prints "rows N seconds S". */
#include "store/archive.h"
#include "store/index.h"
#include "util/err.h"

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define TX_ROWS 50000

static int die(const char *what, int rc, const struct buf *err)
{
    fprintf(stderr, "mkindex: %s: %s (%s)\n", what, err && err->len ? buf_str(err) : "", na_strerror(rc));
    return 1;
}

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static void iso_day(time_t t, char *out, size_t cap)
{
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(out, cap, "%Y-%m-%dT%H:%M:%S+08:00", &tm);
}

/* One small real article, archived: the page, its request and its text. */
static int add_real(struct archive *a, long i, long sites, time_t fetched, time_t published, struct buf *err)
{
    char url[128], site[32], title[64], pub[40], req[256];
    snprintf(url, sizeof url, "http://s%ld.example.test/real/%ld.html", i % sites, i);
    snprintf(site, sizeof site, "s%ld", i % sites);
    snprintf(title, sizeof title, "Real article %ld", i);
    iso_day(published, pub, sizeof pub);
    int rn = snprintf(req, sizeof req, "GET /real/%ld.html HTTP/1.1\r\nHost: s%ld.example.test\r\n\r\n", i,
                      i % sites);
    static const char head[] = "HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\n\r\n";
    char body[256], text[128];
    int bn = snprintf(body, sizeof body, "<html><head><title>%s</title></head><body><p>Text %ld.</p></body></html>",
                      title, i);
    snprintf(text, sizeof text, "Text of article %ld, one paragraph.", i);
    struct capture c = {
        .url = url, .site = site, .kind = CAPTURE_ARTICLE, .fetched = fetched, .ip = "127.0.0.1",
        .request = req, .request_len = (size_t)rn, .response_head = head, .response_head_len = sizeof head - 1,
        .body = body, .body_len = (size_t)bn, .status = 200,
    };
    struct archive_text t = { .text = text, .title = title, .published = pub, .published_from = "meta",
                              .lang = "en", .charset = "utf-8", .extractor = "mkindex" };
    return archive_add(a, &c, &t, err);
}

/* Drops the indexes that no insert needs (all but articles_url, which
 * keeps one newest row per URL, and the unique ones), saving their SQL in
 * saved; or (saved non-empty) makes them again. Returns 0 or 1. */
static int indexes(const char *dir, struct buf *saved)
{
    char path[4200];
    snprintf(path, sizeof path, "%s/index.sqlite", dir);
    sqlite3 *db;
    if (sqlite3_open(path, &db) != SQLITE_OK)
        return 1;
    sqlite3_busy_timeout(db, 10000);
    int rc = 0;
    if (saved->len) {
        rc = sqlite3_exec(db, saved->data, NULL, NULL, NULL) != SQLITE_OK;
    } else {
        sqlite3_stmt *s;
        struct buf drop = BUF_INIT;
        rc = sqlite3_prepare_v2(db,
                                "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL"
                                " AND name != 'articles_url' AND sql NOT LIKE 'CREATE UNIQUE%'",
                                -1, &s, NULL) != SQLITE_OK;
        while (!rc && sqlite3_step(s) == SQLITE_ROW) {
            buf_printf(saved, "%s;", (const char *)sqlite3_column_text(s, 1));
            buf_printf(&drop, "DROP INDEX %s;", (const char *)sqlite3_column_text(s, 0));
        }
        sqlite3_finalize(s);
        if (!rc && drop.len)
            rc = sqlite3_exec(db, drop.data, NULL, NULL, NULL) != SQLITE_OK;
        buf_release(&drop);
    }
    if (rc)
        fprintf(stderr, "mkindex: indexes: %s\n", sqlite3_errmsg(db));
    sqlite3_close(db);
    return rc;
}

int main(int argc, char **argv)
{
    if (argc < 3) {
        fprintf(stderr, "usage: mkindex DIR N [REAL [SITES]]\n");
        return 2;
    }
    const char *dir = argv[1];
    long n = atol(argv[2]);
    long real = argc > 3 ? atol(argv[3]) : 1000;
    long sites = argc > 4 ? atol(argv[4]) : 500;
    if (n < 1 || real < 1 || real > n || sites < 1)
        return 2;
    struct buf err = BUF_INIT;
    struct archive *a;
    struct archive_opts o = { .host_label = "bench", .quiet_recovery = 1 };
    double t0 = now_s();
    int rc = archive_open(dir, &o, &a, &err);
    if (rc)
        return die(dir, rc, &err);
    time_t now = time(NULL);
    time_t yesterday = now - 86400;
    if ((rc = archive_begin(a)))
        return die("begin", rc, &err);
    for (long i = 0; i < real; i++)
        if ((rc = add_real(a, i, sites, now - 3600, yesterday + i % 3600, &err)))
            return die("archive_add", rc, &err);
    if ((rc = archive_commit(a)))
        return die("commit", rc, &err);
    struct index *ix = archive_index(a);
    /* the records the synthetic rows point at: the first real article's */
    struct index_article first;
    char url0[128];
    snprintf(url0, sizeof url0, "http://s0.example.test/real/0.html");
    if ((rc = index_article_get(ix, url0, &first, &err)) != 1)
        return die("the first real article", rc, &err);
    struct index_loc_in resp = { first.response.file, first.response.offset, first.response.length };
    struct index_loc_in conv = { first.conversion.file, first.conversion.offset, first.conversion.length };
    struct index_loc_in meta = { first.metadata.file, first.metadata.offset, first.metadata.length };
    struct buf saved = BUF_INIT;
    if (indexes(dir, &saved))
        return 1;
    time_t span = 5 * 365 * 86400L, oldest = yesterday - span;
    for (long i = real; i < n; i++) {
        if ((i - real) % TX_ROWS == 0 && (rc = index_begin(ix, &err)))
            return die("begin", rc, &err);
        char url[128], site[32], title[64], pub[40], rid[64], dig[48];
        long s = i % sites;
        /* spread over five years, older rows first (as a crawl adds them) */
        time_t t = oldest + (time_t)((double)(i - real) / (double)(n - real) * (double)span);
        snprintf(url, sizeof url, "http://s%ld.example.test/%ld/%ld.html", s, (long)(t / 86400), i);
        snprintf(site, sizeof site, "s%ld", s);
        snprintf(title, sizeof title, "Synthetic article %ld", i);
        snprintf(rid, sizeof rid, "<urn:uuid:00000000-0000-4000-8000-%012ld>", i);
        snprintf(dig, sizeof dig, "sha1:%032ld", i);
        iso_day(t, pub, sizeof pub);
        struct index_capture_in c = {
            .url = url, .site = site, .kind = CAPTURE_ARTICLE, .fetched = t, .status = 200,
            .payload_digest = dig, .record_id = rid, .response = resp, .conversion = conv, .metadata = meta,
        };
        int64_t cid;
        if ((rc = index_add_capture(ix, &c, &cid, &err)))
            return die("index_add_capture", rc, &err);
        struct index_article_in ar = {
            .url = url, .site = site, .title = title, .published = pub, .published_from = "meta", .lang = "en",
            .charset = "utf-8", .text_digest = dig, .text_len = 40, .capture_id = cid, .fetched = t,
            .extracted = t, .extractor_version = "mkindex", .conversion_id = rid, .conversion = conv,
            .metadata = meta,
        };
        if ((rc = index_add_article(ix, &ar, NULL, &err)))
            return die("index_add_article", rc, &err);
        if ((i - real + 1) % TX_ROWS == 0 || i + 1 == n) {
            if ((rc = index_commit(ix, &err)))
                return die("commit", rc, &err);
        }
    }
    index_article_release(&first);
    archive_close(a);
    if (saved.len && indexes(dir, &saved))
        return 1;
    buf_release(&saved);
    printf("rows %ld seconds %.1f\n", n, now_s() - t0);
    buf_release(&err);
    return 0;
}
