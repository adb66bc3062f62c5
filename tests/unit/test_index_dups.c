/* test_index_dups.c — store/index's near-duplicate lookup through the band
 * table of schema 6 (article_bands): clusters found within the fetch window
 * and not beyond it, the table kept in step with articles by its triggers
 * (new extraction, deleted row), and the migration of a schema-5 index
 * (articles_sh* expression indexes) in place, clusters unchanged. */
#include "tests/check.h"
#include "store/index.h"
#include "util/err.h"
#include "util/simhash.h"

#include <sqlite3.h>
#include <stdlib.h>
#include <unistd.h>

static const char *path_of(const char *name)
{
    static char p[4200];
    snprintf(p, sizeof p, "%s/%s", test_tmpdir(), name);
    return p;
}

/* n CJK characters from a pseudo-random sequence seeded with seed (UTF-8
 * into out, which holds 3n+1 bytes): a text of its own per seed. */
static void cjk_text(char *out, int n, unsigned seed)
{
    unsigned x = seed * 2654435761u + 1;
    for (int i = 0; i < n; i++) {
        x = x * 1103515245u + 12345u;
        unsigned cp = 0x4e00 + (x >> 8) % 2000;
        *out++ = (char)(0xe0 | (cp >> 12));
        *out++ = (char)(0x80 | ((cp >> 6) & 0x3f));
        *out++ = (char)(0x80 | (cp & 0x3f));
    }
    *out = 0;
}

static int64_t add(struct index *ix, const char *url, const char *text, time_t fetched)
{
    static int n;
    char rid[64];
    snprintf(rid, sizeof rid, "<urn:uuid:dups-%d>", ++n);
    struct index_capture_in c;
    memset(&c, 0, sizeof c);
    c.url = url;
    c.site = "s";
    c.kind = CAPTURE_ARTICLE;
    c.fetched = fetched;
    c.status = 200;
    c.record_id = rid;
    c.response.file = "f.warc.gz";
    c.response.offset = (uint64_t)n;
    c.response.length = 10;
    int64_t cap = 0, id = 0;
    struct buf err = BUF_INIT;
    CHECK_EQ(index_add_capture(ix, &c, &cap, &err), 0);
    struct index_article_in a;
    memset(&a, 0, sizeof a);
    a.url = url;
    a.site = "s";
    a.capture_id = cap;
    a.fetched = fetched;
    a.extracted = fetched + n; /* a later extraction of a URL is its newest */
    a.text = text;
    a.text_len = strlen(text);
    CHECK_EQ(index_add_article(ix, &a, &id, &err), 0);
    buf_release(&err);
    return id;
}

static int64_t dup_of(struct index *ix, const char *url)
{
    struct index_article a;
    struct buf err = BUF_INIT;
    CHECK_EQ(index_article_get(ix, url, &a, &err), 1);
    int64_t d = a.dup_of;
    index_article_release(&a);
    buf_release(&err);
    return d;
}

static int64_t sql_int(const char *path, const char *sql)
{
    sqlite3 *db;
    sqlite3_stmt *s;
    int64_t v = -1;
    CHECK_EQ(sqlite3_open(path, &db), SQLITE_OK);
    CHECK_EQ(sqlite3_prepare_v2(db, sql, -1, &s, NULL), SQLITE_OK);
    if (sqlite3_step(s) == SQLITE_ROW)
        v = sqlite3_column_int64(s, 0);
    sqlite3_finalize(s);
    sqlite3_close(db);
    return v;
}

static void sql_exec(const char *path, const char *sql)
{
    sqlite3 *db;
    CHECK_EQ(sqlite3_open(path, &db), SQLITE_OK);
    char *msg = NULL;
    int rc = sqlite3_exec(db, sql, NULL, NULL, &msg);
    if (rc != SQLITE_OK)
        fprintf(stderr, "sql: %s\n", msg ? msg : "?");
    CHECK_EQ(rc, SQLITE_OK);
    sqlite3_free(msg);
    sqlite3_close(db);
}

/* The band table holds exactly 8 rows per current article with a SimHash,
 * each row's band key, time and hash its article's. */
static void check_bands(const char *path)
{
    int64_t want = sql_int(path, "SELECT 8 * count(*) FROM articles WHERE newest = 1 AND simhash IS NOT NULL");
    CHECK(want > 0);
    CHECK_EQ(sql_int(path, "SELECT count(*) FROM article_bands"), want);
    CHECK_EQ(sql_int(path, "SELECT count(*) FROM article_bands b JOIN articles a ON a.id = b.id AND a.newest = 1"
                           " AND a.simhash = b.simhash AND a.fetched = b.fetched"
                           " AND b.band = (b.band >> 8) * 256 + ((a.simhash >> (b.band >> 8) * 8) & 255)"),
             want);
    CHECK_EQ(sql_int(path, "SELECT count(DISTINCT band >> 8) FROM article_bands"), SIMHASH_BANDS);
}

enum { T0 = 1760000000, DAY = 86400 };

/* A, its copy with a paragraph added (B), another story (C), a copy of A
 * fetched beyond the window (D): B joins A's cluster, C and D none. */
static void fill(struct index *ix, char *texts[4], int64_t ids[4])
{
    ids[0] = add(ix, "http://a/1", texts[0], T0);
    ids[1] = add(ix, "http://b/1", texts[1], T0 + 3600);
    ids[2] = add(ix, "http://c/1", texts[2], T0 + 7200);
    ids[3] = add(ix, "http://d/1", texts[0], T0 + INDEX_DUP_WINDOW + DAY);
}

static void make_texts(char *texts[4])
{
    for (int i = 0; i < 4; i++)
        texts[i] = calloc(1, 3 * 400 + 1);
    cjk_text(texts[0], 300, 1);
    memcpy(texts[1], texts[0], strlen(texts[0]));
    cjk_text(texts[1] + strlen(texts[0]), 12, 2); /* an editor's line */
    cjk_text(texts[2], 300, 3);
    cjk_text(texts[3], 300, 4);
}

TEST(index_dups_band_table)
{
    const char *p = path_of("dups-bands.sqlite");
    unlink(p);
    char *texts[4];
    int64_t ids[4];
    make_texts(texts);
    struct index *ix;
    struct buf err = BUF_INIT;
    CHECK_EQ(index_open(p, INDEX_CREATE, &ix, &err), 0);
    fill(ix, texts, ids);
    CHECK_EQ(dup_of(ix, "http://a/1"), 0);
    CHECK_EQ(dup_of(ix, "http://b/1"), ids[0]);
    CHECK_EQ(dup_of(ix, "http://c/1"), 0);
    CHECK_EQ(dup_of(ix, "http://d/1"), 0); /* beyond INDEX_DUP_WINDOW */
    int64_t root;
    uint64_t sh;
    CHECK(simhash64(texts[0], strlen(texts[0]), &sh));
    CHECK_EQ(index_dup_root(ix, "http://e/1", T0 + 5 * DAY, sh ^ 0x8040201008ULL, &root, &err), 0);
    CHECK_EQ(root, ids[0]); /* 5 bits apart */
    CHECK_EQ(index_dup_root(ix, "http://e/1", T0 + 5 * DAY, ~sh, &root, &err), 0);
    CHECK_EQ(root, 0);
    check_bands(p);
    /* a new extraction of C with A's text: C's old row leaves the bands */
    int64_t c2 = add(ix, "http://c/1", texts[0], T0 + 7200);
    CHECK_EQ(dup_of(ix, "http://c/1"), ids[0]);
    CHECK(c2 > ids[3]);
    check_bands(p);
    char q[128];
    snprintf(q, sizeof q, "SELECT count(*) FROM article_bands WHERE id = %lld", (long long)ids[2]);
    CHECK_EQ(sql_int(p, q), 0);
    index_close(ix);
    /* a row deleted (by hand) takes its bands along */
    sql_exec(p, "DELETE FROM articles WHERE url = 'http://b/1'");
    check_bands(p);
    snprintf(q, sizeof q, "SELECT count(*) FROM article_bands WHERE id = %lld", (long long)ids[1]);
    CHECK_EQ(sql_int(p, q), 0);
    for (int i = 0; i < 4; i++)
        free(texts[i]);
    buf_release(&err);
}

/* An index of schema 5 (the 8 articles_sh* expression indexes, as
 * migration 5 made them) is migrated in place: the band table is filled
 * from the current articles, the old indexes are gone, every cluster is the
 * same and a new copy joins its cluster through the migrated rows. */
TEST(index_migration_dup_bands)
{
    const char *p = path_of("dups-v5.sqlite");
    char path[4200];
    snprintf(path, sizeof path, "%s", p);
    unlink(path);
    char *texts[4];
    int64_t ids[4];
    make_texts(texts);
    struct index *ix;
    struct buf err = BUF_INIT;
    CHECK_EQ(index_open(path, INDEX_CREATE, &ix, &err), 0);
    fill(ix, texts, ids);
    index_close(ix);
    /* back to schema 5, as that version left an archive */
    sql_exec(path, "DROP TRIGGER article_bands_ins; DROP TRIGGER article_bands_del; DROP TRIGGER article_bands_upd;"
                   "DROP TABLE article_bands; DELETE FROM migrations WHERE version >= 6;"
                   "CREATE INDEX articles_sh0 ON articles(((simhash >> 0) & 255), fetched) WHERE simhash IS NOT NULL;"
                   "CREATE INDEX articles_sh1 ON articles(((simhash >> 8) & 255), fetched) WHERE simhash IS NOT NULL;"
                   "CREATE INDEX articles_sh2 ON articles(((simhash >> 16) & 255), fetched) WHERE simhash IS NOT NULL;"
                   "CREATE INDEX articles_sh3 ON articles(((simhash >> 24) & 255), fetched) WHERE simhash IS NOT NULL;"
                   "CREATE INDEX articles_sh4 ON articles(((simhash >> 32) & 255), fetched) WHERE simhash IS NOT NULL;"
                   "CREATE INDEX articles_sh5 ON articles(((simhash >> 40) & 255), fetched) WHERE simhash IS NOT NULL;"
                   "CREATE INDEX articles_sh6 ON articles(((simhash >> 48) & 255), fetched) WHERE simhash IS NOT NULL;"
                   "CREATE INDEX articles_sh7 ON articles(((simhash >> 56) & 255), fetched) WHERE simhash IS NOT NULL;"
                   "PRAGMA user_version = 5;");
    int64_t before = sql_int(path, "SELECT sum(id * 1000003 + coalesce(dup_of, 0)) FROM articles");
    CHECK_EQ(index_open(path, INDEX_READONLY, &ix, &err), NA_EDB);
    CHECK_CONTAINS(buf_str(&err), "schema version 5 needs migrating");
    CHECK_EQ(index_open(path, 0, &ix, &err), 0);
    CHECK_EQ(sql_int(path, "PRAGMA user_version"), 6);
    CHECK_EQ(sql_int(path, "SELECT count(*) FROM migrations WHERE version = 6"), 1);
    CHECK_EQ(sql_int(path, "SELECT count(*) FROM sqlite_master WHERE name LIKE 'articles_sh%'"), 0);
    CHECK_EQ(sql_int(path, "SELECT sum(id * 1000003 + coalesce(dup_of, 0)) FROM articles"), before);
    check_bands(path);
    CHECK_EQ(dup_of(ix, "http://b/1"), ids[0]);
    /* new copies after the upgrade: of A (through B's migrated rows too), of C */
    add(ix, "http://e/1", texts[1], T0 + 2 * DAY);
    CHECK_EQ(dup_of(ix, "http://e/1"), ids[0]);
    add(ix, "http://f/1", texts[2], T0 + 3 * DAY);
    CHECK_EQ(dup_of(ix, "http://f/1"), ids[2]);
    add(ix, "http://g/1", texts[3], T0 + 3 * DAY);
    CHECK_EQ(dup_of(ix, "http://g/1"), 0);
    check_bands(path);
    index_close(ix);
    for (int i = 0; i < 4; i++)
        free(texts[i]);
    buf_release(&err);
}
