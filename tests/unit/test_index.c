/* test_index.c — store/index: schema creation and versioning, capture and
 * article rows, the query filters (site, since/until, by fetch time, newest
 * extraction per URL, order, limit), stats, per-site stats, file ends,
 * savepoints. */
#include "tests/check.h"
#include "store/archive.h"
#include "store/index.h"
#include "util/err.h"

#include <fcntl.h>
#include <sqlite3.h>
#include <stdlib.h>
#include <unistd.h>

static const char *db_path(const char *name)
{
    static char p[4200];
    snprintf(p, sizeof p, "%s/%s", test_tmpdir(), name);
    return p;
}

static int64_t add_cap(struct index *ix, const char *url, const char *site, time_t t, int revisit, const char *rid)
{
    struct index_capture_in c;
    memset(&c, 0, sizeof c);
    c.url = url;
    c.site = site;
    c.kind = CAPTURE_ARTICLE;
    c.fetched = t;
    c.status = revisit ? 304 : 200;
    c.revisit = revisit;
    c.record_id = rid;
    c.payload_digest = "sha1:X";
    c.response.file = "f1.warc.gz";
    c.response.offset = (uint64_t)t;
    c.response.length = 10;
    int64_t id = 0;
    struct buf err = BUF_INIT;
    CHECK_EQ(index_add_capture(ix, &c, &id, &err), 0);
    buf_release(&err);
    return id;
}

static void add_art(struct index *ix, int64_t cap, const char *url, const char *site, const char *title,
                    const char *published, time_t fetched, time_t extracted)
{
    struct index_article_in a;
    memset(&a, 0, sizeof a);
    a.url = url;
    a.site = site;
    a.title = title;
    a.published = published;
    a.capture_id = cap;
    a.fetched = fetched;
    a.extracted = extracted;
    a.conversion.file = "f2.warc.gz";
    a.conversion.offset = (uint64_t)extracted;
    a.conversion.length = 5;
    struct buf err = BUF_INIT;
    CHECK_EQ(index_add_article(ix, &a, NULL, &err), 0);
    buf_release(&err);
}

struct acc {
    struct buf b;
};

static int cat_title(void *ud, const struct index_article *a)
{
    struct acc *x = ud;
    buf_printf(&x->b, "%s;", a->title);
    return 0;
}

static const char *titles(struct index *ix, const struct index_query *q)
{
    static struct acc x;
    struct buf err = BUF_INIT;
    buf_release(&x.b);
    buf_init(&x.b, 0);
    buf_adds(&x.b, "");
    CHECK_EQ(index_articles(ix, q, cat_title, &x, &err), 0);
    buf_release(&err);
    return buf_str(&x.b);
}

static struct index *fixture(void)
{
    struct index *ix;
    struct buf err = BUF_INIT;
    CHECK_EQ(index_open(db_path("i.sqlite"), INDEX_CREATE, &ix, &err), 0);
    buf_release(&err);
    if (!ix)
        return NULL;
    time_t d1 = 1709251200; /* 2024-03-01T00:00:00Z */
    int64_t c1 = add_cap(ix, "http://a/1", "alpha", d1, 0, "<urn:uuid:1>");
    int64_t c2 = add_cap(ix, "http://a/2", "alpha", d1 + 86400, 0, "<urn:uuid:2>");
    int64_t c3 = add_cap(ix, "http://b/3", "beta", d1 + 2 * 86400, 0, "<urn:uuid:3>");
    add_cap(ix, "http://a/1", "alpha", d1 + 3 * 86400, 1, "<urn:uuid:4>");
    add_art(ix, c1, "http://a/1", "alpha", "one-old", "2024-02-27", d1, d1 + 10);
    add_art(ix, c2, "http://a/2", "alpha", "two", NULL, d1 + 86400, d1 + 86400 + 10);
    add_art(ix, c3, "http://b/3", "beta", "three", "2024-03-05T08:00:00+08:00", d1 + 2 * 86400, d1 + 2 * 86400);
    add_art(ix, c1, "http://a/1", "alpha", "one-new", "2024-02-27", d1, d1 + 9 * 86400);
    return ix;
}

TEST(index_article_queries)
{
    struct index *ix = fixture();
    if (!ix)
        return;
    struct index_query q = { 0 };
    /* newest extraction per URL, newest date first (published, else fetched) */
    CHECK_STR(titles(ix, &q), "three;two;one-new;");
    q.all_extractions = 1;
    q.order = INDEX_ORDER_ID;
    CHECK_STR(titles(ix, &q), "one-old;two;three;one-new;");
    memset(&q, 0, sizeof q);
    q.site = "alpha";
    CHECK_STR(titles(ix, &q), "two;one-new;");
    q.site = "nosuch";
    CHECK_STR(titles(ix, &q), "");
    memset(&q, 0, sizeof q);
    q.since = "2024-03-01";
    CHECK_STR(titles(ix, &q), "three;two;");
    q.until = "2024-03-02";
    CHECK_STR(titles(ix, &q), "two;");
    q.since = NULL;
    q.until = "2024-03-05"; /* the whole day */
    CHECK_STR(titles(ix, &q), "three;two;one-new;");
    q.until = "2024-03-04";
    CHECK_STR(titles(ix, &q), "two;one-new;");
    memset(&q, 0, sizeof q);
    q.by_fetched = 1;
    q.since = "2024-03-02";
    CHECK_STR(titles(ix, &q), "three;two;");
    q.since = "2024-03-03";
    CHECK_STR(titles(ix, &q), "three;");
    memset(&q, 0, sizeof q);
    q.order = INDEX_ORDER_DATE_ASC;
    CHECK_STR(titles(ix, &q), "one-new;two;three;");
    q.limit = 2;
    CHECK_STR(titles(ix, &q), "one-new;two;");
    q.limit = 0;
    q.order = INDEX_ORDER_URL;
    CHECK_STR(titles(ix, &q), "one-new;two;three;");
    q.url = "http://a/2";
    CHECK_STR(titles(ix, &q), "two;");

    struct index_article a;
    struct buf err = BUF_INIT;
    CHECK_EQ(index_article_get(ix, "http://a/1", &a, &err), 1);
    CHECK_STR(a.title, "one-new");
    CHECK_STR(a.conversion.file, "f2.warc.gz");
    CHECK_STR(a.response.file, "f1.warc.gz");
    CHECK_EQ(a.response.offset, 1709251200);
    index_article_release(&a);
    CHECK_EQ(index_article_get(ix, "http://none/", &a, &err), 0);
    buf_release(&err);
    index_close(ix);
}

static int count_caps(void *ud, const struct index_capture *c)
{
    (void)c;
    (*(int *)ud)++;
    return 0;
}

static int stop_at_two(void *ud, const struct index_capture *c)
{
    (void)c;
    return ++(*(int *)ud) == 2 ? 42 : 0;
}

static int site_line(void *ud, const struct index_site_stats *s)
{
    buf_printf(ud, "%s:%lld/%lld;", s->site, (long long)s->captures, (long long)s->articles);
    return 0;
}

TEST(index_captures_stats_files)
{
    struct index *ix = fixture();
    if (!ix)
        return;
    struct buf err = BUF_INIT;
    struct index_query q = { 0 };
    int n = 0;
    CHECK_EQ(index_captures(ix, &q, count_caps, &n, &err), 0);
    CHECK_EQ(n, 4);
    q.responses_only = 1;
    n = 0;
    CHECK_EQ(index_captures(ix, &q, count_caps, &n, &err), 0);
    CHECK_EQ(n, 3);
    q.responses_only = 0;
    q.status = 304;
    n = 0;
    CHECK_EQ(index_captures(ix, &q, count_caps, &n, &err), 0);
    CHECK_EQ(n, 1);
    memset(&q, 0, sizeof q);
    q.since = "2024-03-02";
    q.until = "2024-03-03";
    n = 0;
    CHECK_EQ(index_captures(ix, &q, count_caps, &n, &err), 0);
    CHECK_EQ(n, 2);
    n = 0;
    CHECK_EQ(index_captures(ix, NULL, stop_at_two, &n, &err), 42);

    struct index_capture c;
    CHECK_EQ(index_capture_get(ix, "http://a/1", 0, &c, &err), 1);
    CHECK_EQ(c.revisit, 1);
    index_capture_release(&c);
    CHECK_EQ(index_capture_get(ix, "http://a/1", 1, &c, &err), 1);
    CHECK_EQ(c.revisit, 0);
    CHECK_STR(c.record_id, "<urn:uuid:1>");
    index_capture_release(&c);
    CHECK_EQ(index_capture_by_record_id(ix, "<urn:uuid:3>", &c, &err), 1);
    CHECK_STR(c.url, "http://b/3");
    CHECK_STR(c.site, "beta");
    index_capture_release(&c);
    CHECK_EQ(index_capture_by_record_id(ix, "<urn:uuid:9>", &c, &err), 0);

    struct index_stats st;
    CHECK_EQ(index_stats(ix, &st, &err), 0);
    CHECK_EQ(st.captures, 4);
    CHECK_EQ(st.responses, 3);
    CHECK_EQ(st.revisits, 1);
    CHECK_EQ(st.articles, 3);
    CHECK_EQ(st.extractions, 4);
    CHECK_EQ(st.sites, 2);
    CHECK_EQ(st.files, 2);
    CHECK_EQ(st.first_fetch, 1709251200);
    CHECK_EQ(st.last_fetch, 1709251200 + 3 * 86400);
    struct buf s = BUF_INIT;
    CHECK_EQ(index_site_stats(ix, site_line, &s, &err), 0);
    CHECK_STR(s.data, "alpha:3/2;beta:1/1;");
    buf_release(&s);

    uint64_t end;
    CHECK_EQ(index_file_end(ix, "f1.warc.gz", &end, &err), 1);
    CHECK_EQ(end, 0);
    CHECK_EQ(index_set_file_end(ix, "f1.warc.gz", 1234, &err), 0);
    CHECK_EQ(index_file_end(ix, "f1.warc.gz", &end, &err), 1);
    CHECK_EQ(end, 1234);
    CHECK_EQ(index_file_end(ix, "nope.warc.gz", &end, &err), 0);

    /* a savepoint rolled back leaves nothing */
    CHECK_EQ(index_savepoint(ix, &err), 0);
    add_cap(ix, "http://c/5", NULL, 1, 0, "<urn:uuid:5>");
    index_rollback_savepoint(ix);
    CHECK_EQ(index_has_capture(ix, "http://c/5"), 0);
    CHECK_EQ(index_savepoint(ix, &err), 0);
    add_cap(ix, "http://c/5", NULL, 1, 0, "<urn:uuid:5>");
    CHECK_EQ(index_release(ix, &err), 0);
    CHECK_EQ(index_has_capture(ix, "http://c/5"), 1);
    /* a duplicate record id is refused (unique) */
    struct index_capture_in dup;
    memset(&dup, 0, sizeof dup);
    dup.url = "http://c/6";
    dup.record_id = "<urn:uuid:5>";
    CHECK_EQ(index_add_capture(ix, &dup, NULL, &err), NA_EDB);
    CHECK_CONTAINS(buf_str(&err), "UNIQUE");
    buf_release(&err);
    index_close(ix);
}

TEST(index_schema_versions)
{
    struct index *ix;
    struct buf err = BUF_INIT;
    CHECK_EQ(index_open(db_path("none.sqlite"), INDEX_READONLY, &ix, &err), NA_ENOTFOUND);
    CHECK_EQ(index_open(db_path("none.sqlite"), 0, &ix, &err), NA_ENOTFOUND);
    /* An empty file is an index a writer is creating (not an old schema to
     * migrate): a reader says so, a writer migrates. */
    int fd = open(db_path("empty.sqlite"), O_WRONLY | O_CREAT, 0644);
    close(fd);
    CHECK_EQ(index_open(db_path("empty.sqlite"), INDEX_READONLY, &ix, &err), NA_ELOCKED);
    CHECK_CONTAINS(buf_str(&err), "being created by a running writer");
    CHECK_NOT_CONTAINS(buf_str(&err), "migrating");
    CHECK_EQ(index_open(db_path("empty.sqlite"), 0, &ix, &err), 0);
    index_close(ix);
    CHECK_EQ(index_open(db_path("empty.sqlite"), INDEX_READONLY, &ix, &err), 0);
    struct index_stats st;
    CHECK_EQ(index_stats(ix, &st, &err), 0);
    CHECK_EQ(st.captures, 0);
    CHECK_EQ(st.first_fetch, 0);
    index_close(ix);
    /* Not a database at all. */
    fd = open(db_path("junk.sqlite"), O_WRONLY | O_CREAT, 0644);
    CHECK(write(fd, "this is not sqlite, just some bytes long enough to look like a header....", 74) == 74);
    close(fd);
    CHECK_EQ(index_open(db_path("junk.sqlite"), 0, &ix, &err), NA_ECORRUPT);
    CHECK_CONTAINS(buf_str(&err), "junk.sqlite");
    CHECK_CONTAINS(buf_str(&err), "not a newsarc index (file is not a database");
    CHECK_EQ(index_open(db_path("junk.sqlite"), INDEX_READONLY, &ix, &err), NA_ECORRUPT);
    CHECK_CONTAINS(buf_str(&err), "not a newsarc index (file is not a database");
    CHECK_NOT_CONTAINS(buf_str(&err), "migrating");
    /* Random bytes, as long as a real page or more. */
    fd = open(db_path("random.sqlite"), O_WRONLY | O_CREAT, 0644);
    unsigned char rnd[8192];
    for (size_t i = 0; i < sizeof rnd; i++)
        rnd[i] = (unsigned char)(i * 2654435761u >> 13);
    CHECK(write(fd, rnd, sizeof rnd) == (ssize_t)sizeof rnd);
    close(fd);
    for (int ro = 0; ro < 2; ro++) {
        CHECK_EQ(index_open(db_path("random.sqlite"), ro ? INDEX_READONLY : 0, &ix, &err), NA_ECORRUPT);
        CHECK_CONTAINS(buf_str(&err), "not a newsarc index");
    }
    buf_release(&err);
}

/* Schema 1 -> 2 (the retry policy's frontier columns): a writer migrates,
 * keeps the rows, and gives the rows version 1 had given up one more chance;
 * copying the state of an old index into a new one works from both. */
TEST(index_migration_frontier_retry)
{
    char p[4300], q[4300];
    snprintf(p, sizeof p, "%s", db_path("v1.sqlite"));
    snprintf(q, sizeof q, "%s", db_path("v2new.sqlite"));
    unlink(p);
    sqlite3 *db;
    CHECK_EQ(sqlite3_open(p, &db), SQLITE_OK);
    CHECK_EQ(sqlite3_exec(db,
                          "CREATE TABLE migrations(version INTEGER PRIMARY KEY, applied INTEGER NOT NULL, description TEXT);"
                          "INSERT INTO migrations VALUES (1, 0, 'initial schema');"
                          "CREATE TABLE frontier(id INTEGER PRIMARY KEY, url TEXT NOT NULL UNIQUE, site TEXT, referrer TEXT,"
                          "  kind INTEGER NOT NULL, depth INTEGER NOT NULL DEFAULT 0, attempts INTEGER NOT NULL DEFAULT 0,"
                          "  state INTEGER NOT NULL DEFAULT 0, added INTEGER NOT NULL, updated INTEGER NOT NULL);"
                          "CREATE TABLE state(site TEXT NOT NULL, key TEXT NOT NULL, value TEXT, PRIMARY KEY(site, key));"
                          /* what later migrations index (of schema 1's captures and articles) */
                          "CREATE TABLE captures(id INTEGER PRIMARY KEY, site TEXT, fetched INTEGER, revisit INTEGER,"
                          "  req_file INTEGER, resp_file INTEGER, conv_file INTEGER, meta_file INTEGER);"
                          "CREATE TABLE articles(id INTEGER PRIMARY KEY, site TEXT, published TEXT, fetched INTEGER,"
                          "  conv_file INTEGER, meta_file INTEGER, date_key TEXT, newest INTEGER);"
                          "INSERT INTO frontier(url, site, kind, attempts, state, added, updated) VALUES"
                          "  ('http://e/p', 's', 1, 0, 0, 1, 1), ('http://e/d', 's', 1, 0, 1, 1, 1),"
                          "  ('http://e/f', 's', 1, 3, 2, 1, 1);"
                          "PRAGMA user_version = 1;",
                          NULL, NULL, NULL),
             SQLITE_OK);
    sqlite3_close(db);
    struct index *ix;
    struct buf err = BUF_INIT;
    CHECK_EQ(index_open(p, INDEX_READONLY, &ix, &err), NA_EDB);
    CHECK_CONTAINS(buf_str(&err), "schema version 1 needs migrating to ");
    /* a copy of the old file, for index_copy_state from schema 1 */
    char cmd[9000];
    snprintf(cmd, sizeof cmd, "cp '%s' '%s.old'", p, p);
    CHECK_EQ(system(cmd), 0);
    CHECK_EQ(index_open(p, 0, &ix, &err), 0);
    struct frontier_item *it;
    size_t n;
    CHECK_EQ(index_frontier_pending(ix, "s", 10, ARCHIVE_FR_DUE, time(NULL), &it, &n), 0);
    CHECK_EQ(n, 2); /* the pending one and the one given up under version 1 */
    CHECK_STR(it[0].url, "http://e/p");
    CHECK_STR(it[1].url, "http://e/f");
    CHECK_EQ(it[1].attempts, 3);
    CHECK_CONTAINS(it[1].reason, "before the retry policy");
    archive_frontier_items_free(it, n);
    static const long one[] = { 60 };
    CHECK_EQ(index_frontier_fail(ix, "http://e/p", "DNS", 0, one, 1, 1000), 0);
    CHECK_EQ(index_frontier_pending(ix, "s", 10, ARCHIVE_FR_FAILED, 0, &it, &n), 0);
    CHECK_EQ(n, 2);
    CHECK_STR(it[1].url, "http://e/p");
    CHECK_EQ(it[1].next_attempt, 1060);
    archive_frontier_items_free(it, n);
    index_close(ix);
    CHECK_EQ(index_open(p, INDEX_READONLY, &ix, &err), 0);
    index_close(ix);
    /* reindex's copy of the crawler state, from a schema-1 and a schema-2 file */
    unlink(q);
    CHECK_EQ(index_open(q, INDEX_CREATE, &ix, &err), 0);
    snprintf(cmd, sizeof cmd, "%s.old", p);
    CHECK_EQ(index_copy_state(ix, cmd, &err), 0);
    CHECK_EQ(index_frontier_pending(ix, NULL, 10, ARCHIVE_FR_RETRY_ALL, 0, &it, &n), 0);
    CHECK_EQ(n, 2);
    archive_frontier_items_free(it, n);
    index_close(ix);
    unlink(q);
    CHECK_EQ(index_open(q, INDEX_CREATE, &ix, &err), 0);
    CHECK_EQ(index_copy_state(ix, p, &err), 0);
    CHECK_EQ(index_frontier_pending(ix, NULL, 10, ARCHIVE_FR_FAILED, 0, &it, &n), 0);
    CHECK_EQ(n, 2);
    CHECK_STR(it[1].reason, "DNS"); /* (ordered by next attempt: the schema-1 row is due at 0) */
    archive_frontier_items_free(it, n);
    index_close(ix);
    buf_release(&err);
}
