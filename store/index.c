/* index.c — index.sqlite, the only file that sees SQLite. WAL journal (a
 * writer and any number of readers at once), synchronous=NORMAL (the WARC
 * bytes are fdatasync'ed before a commit points at them; a lost commit is
 * redone by recovery from the WARC files). The schema is created and
 * migrated from the table `migrations` below; PRAGMA user_version holds the
 * version. */
#include "store/index.h"
#include "store/fts_rank.h"
#include "util/err.h"
#include "util/mem.h"
#include "util/simhash.h"

#include <errno.h>
#include <fcntl.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

/* Migration 6's band rows of an article: band i's key is 256 * i + bits
 * 8i..8i+7 of the SimHash (as util/simhash.h's simhash_band). BANDS_FILL(i)
 * adds band i of every current article (in key order), BANDS_ADD and
 * BANDS_DEL are the triggers' statements for the row new / old. */
#define BAND_KEY(i, r) "(" #i " * 256 + ((" r ".simhash >> " #i " * 8) & 255))"
#define BANDS_FILL(i)                                                                                      \
    "INSERT INTO article_bands SELECT " BAND_KEY(i, "a") ", a.fetched, a.simhash, a.id FROM articles a" \
    " WHERE a.newest = 1 AND a.simhash IS NOT NULL ORDER BY 1, 2, 4;"
#define BANDS_ADD                                                                                        \
    "INSERT OR REPLACE INTO article_bands SELECT column1 * 256 + ((new.simhash >> column1 * 8) & 255),"  \
    " new.fetched, new.simhash, new.id FROM (VALUES (0), (1), (2), (3), (4), (5), (6), (7))"           \
    " WHERE new.newest = 1 AND new.simhash IS NOT NULL;"
#define BANDS_DEL                                                                                        \
    "DELETE FROM article_bands WHERE old.newest = 1 AND band IN (" BAND_KEY(0, "old") ", "               \
    BAND_KEY(1, "old") ", " BAND_KEY(2, "old") ", " BAND_KEY(3, "old") ", " BAND_KEY(4, "old") ", "      \
    BAND_KEY(5, "old") ", " BAND_KEY(6, "old") ", " BAND_KEY(7, "old") ")"                               \
    " AND fetched = old.fetched AND id = old.id;"

/* Each migration takes the schema from version i to i+1. */
static const char *const migrations[] = {
    /* 1: the initial schema (docs/archive-format.md describes every column). */
    "CREATE TABLE migrations(version INTEGER PRIMARY KEY, applied INTEGER NOT NULL, description TEXT);"
    "CREATE TABLE warc_files(id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE,"
    "  indexed_end INTEGER NOT NULL DEFAULT 0);"
    "CREATE TABLE captures(id INTEGER PRIMARY KEY, url TEXT NOT NULL, site TEXT, kind INTEGER NOT NULL,"
    "  fetched INTEGER NOT NULL, status INTEGER NOT NULL, etag TEXT, last_modified TEXT,"
    "  payload_digest TEXT, ip TEXT, revisit INTEGER NOT NULL DEFAULT 0, profile TEXT,"
    "  record_id TEXT NOT NULL, refers_to INTEGER REFERENCES captures(id),"
    "  req_file INTEGER REFERENCES warc_files(id), req_offset INTEGER, req_length INTEGER,"
    "  resp_file INTEGER REFERENCES warc_files(id), resp_offset INTEGER, resp_length INTEGER,"
    "  conv_file INTEGER REFERENCES warc_files(id), conv_offset INTEGER, conv_length INTEGER,"
    "  meta_file INTEGER REFERENCES warc_files(id), meta_offset INTEGER, meta_length INTEGER);"
    "CREATE INDEX captures_url ON captures(url, fetched);"
    "CREATE UNIQUE INDEX captures_record ON captures(record_id);"
    "CREATE INDEX captures_site ON captures(site, fetched);"
    "CREATE TABLE articles(id INTEGER PRIMARY KEY, url TEXT NOT NULL, site TEXT, title TEXT,"
    "  published TEXT, published_from TEXT, author TEXT, source TEXT, category TEXT, lang TEXT,"
    "  charset TEXT, text_digest TEXT, text_len INTEGER,"
    "  capture_id INTEGER NOT NULL REFERENCES captures(id), fetched INTEGER NOT NULL,"
    "  extracted INTEGER NOT NULL, extractor_version TEXT, conversion_id TEXT,"
    "  conv_file INTEGER REFERENCES warc_files(id), conv_offset INTEGER, conv_length INTEGER,"
    "  meta_file INTEGER REFERENCES warc_files(id), meta_offset INTEGER, meta_length INTEGER,"
    "  date_key TEXT NOT NULL, newest INTEGER NOT NULL DEFAULT 0);"
    "CREATE INDEX articles_url ON articles(url, extracted);"
    "CREATE INDEX articles_newest ON articles(newest, site, date_key);"
    "CREATE INDEX articles_capture ON articles(capture_id);"
    "CREATE TABLE frontier(id INTEGER PRIMARY KEY, url TEXT NOT NULL UNIQUE, site TEXT, referrer TEXT,"
    "  kind INTEGER NOT NULL, depth INTEGER NOT NULL DEFAULT 0, attempts INTEGER NOT NULL DEFAULT 0,"
    "  state INTEGER NOT NULL DEFAULT 0, added INTEGER NOT NULL, updated INTEGER NOT NULL);"
    "CREATE INDEX frontier_pending ON frontier(state, site, id);"
    "CREATE TABLE state(site TEXT NOT NULL, key TEXT NOT NULL, value TEXT, PRIMARY KEY(site, key));",
    /* 2: the retry policy: why the last attempt at a frontier URL failed,
     * when it was, and when the next one is due. Rows that version 1 gave up
     * on get one more chance under the policy (they may have been 5xx
     * answers the old "have it" check mistook for articles). */
    "ALTER TABLE frontier ADD COLUMN reason TEXT;"
    "ALTER TABLE frontier ADD COLUMN status INTEGER;"
    "ALTER TABLE frontier ADD COLUMN last_attempt INTEGER;"
    "ALTER TABLE frontier ADD COLUMN next_attempt INTEGER NOT NULL DEFAULT 0;"
    "UPDATE frontier SET state = 0, reason = 'failed before the retry policy' WHERE state = 2;",
    /* 3: each site's template of recurring blocks (crawler/template.h):
     * how many of its articles contain each normalized block hash; the
     * row of hash 0 holds how many articles were learned. */
    ("CREATE TABLE template_blocks(site TEXT NOT NULL, hash INTEGER NOT NULL, n INTEGER NOT NULL,"
     "  PRIMARY KEY(site, hash)) WITHOUT ROWID;"),
    /* 4: a million articles (bench-million.sh): indexes for the plans that
     * scanned. stats: first/last fetch from captures_fetched, counts as
     * COUNT(*) of a table minus the rare rows of the partial indexes;
     * per-site stats and report: counts, newest date, new since, per site
     * from covering indexes; export --since over all sites: a range of
     * articles_date. (Written as 3 next to 3: site templates; renumbered 4
     * at the merge.) */
    "CREATE INDEX captures_fetched ON captures(fetched);"
    "CREATE INDEX articles_date ON articles(newest, date_key);"
    "CREATE INDEX articles_site_fetched ON articles(newest, site, fetched);"
    "CREATE INDEX articles_site_published ON articles(newest, site, published);"
    /* the rare rows, for counts by difference (COUNT(*) of a table is fast) */
    "CREATE INDEX captures_noreq ON captures(id) WHERE req_file IS NULL;"
    "CREATE INDEX captures_noresp ON captures(id) WHERE resp_file IS NULL;"
    "CREATE INDEX captures_revisit ON captures(id) WHERE revisit != 0;"
    "CREATE INDEX captures_revisit_resp ON captures(id) WHERE revisit != 0 AND resp_file IS NOT NULL;"
    "CREATE INDEX captures_metaonly ON captures(id) WHERE meta_file IS NOT NULL AND conv_file IS NULL;"
    "CREATE INDEX articles_noconv ON articles(id) WHERE conv_file IS NULL;"
    "CREATE INDEX articles_nometa ON articles(id) WHERE meta_file IS NULL;"
    "CREATE INDEX articles_old ON articles(id) WHERE newest = 0;",
    /* 5: full-text search and near-duplicate clusters. articles_fts holds
     * the title and clean text of each URL's newest extraction (rowid =
     * articles.id; its own copy of the text, which otherwise lives only in
     * the WARC conversion records), trigram-tokenized so that Chinese needs
     * no word segmenter. simhash is util/simhash.h's of the text (NULL when
     * too short), found through an index per 8-bit band and fetch time; dup_of is the
     * earliest article of the row's near-duplicate cluster (NULL: none
     * earlier). Rows of older archives get neither until a reindex. */
    "CREATE VIRTUAL TABLE articles_fts USING fts5(title, text, tokenize = 'trigram');"
    "ALTER TABLE articles ADD COLUMN simhash INTEGER;"
    "ALTER TABLE articles ADD COLUMN dup_of INTEGER;"
    "CREATE INDEX articles_sh0 ON articles(((simhash >> 0) & 255), fetched) WHERE simhash IS NOT NULL;"
    "CREATE INDEX articles_sh1 ON articles(((simhash >> 8) & 255), fetched) WHERE simhash IS NOT NULL;"
    "CREATE INDEX articles_sh2 ON articles(((simhash >> 16) & 255), fetched) WHERE simhash IS NOT NULL;"
    "CREATE INDEX articles_sh3 ON articles(((simhash >> 24) & 255), fetched) WHERE simhash IS NOT NULL;"
    "CREATE INDEX articles_sh4 ON articles(((simhash >> 32) & 255), fetched) WHERE simhash IS NOT NULL;"
    "CREATE INDEX articles_sh5 ON articles(((simhash >> 40) & 255), fetched) WHERE simhash IS NOT NULL;"
    "CREATE INDEX articles_sh6 ON articles(((simhash >> 48) & 255), fetched) WHERE simhash IS NOT NULL;"
    "CREATE INDEX articles_sh7 ON articles(((simhash >> 56) & 255), fetched) WHERE simhash IS NOT NULL;"
    "CREATE INDEX articles_dup ON articles(dup_of) WHERE dup_of IS NOT NULL;",
    /* 6: the near-duplicate bands in a table of their own. article_bands
     * holds, for every current extraction with a SimHash, a row per band
     * (band = 256 * band number + the band's 8 bits) with its fetch time,
     * SimHash and article id, in primary-key order: the lookup (ST_DUP_CAND)
     * reads the ~1,000 random candidates of a big archive (33,000 articles
     * within the month either side) as one range per band of this compact
     * table, tests their distance there, and visits an article row only
     * for a match. The articles_sh* indexes it replaces made SQLite visit
     * every candidate's article row (and, without ANALYZE, scan every
     * current article). Triggers keep it in step with articles: rows come
     * and go with newest (and a changed simhash or fetched). */
    "CREATE TABLE article_bands(band INTEGER NOT NULL, fetched INTEGER NOT NULL, simhash INTEGER NOT NULL,"
    "  id INTEGER NOT NULL, PRIMARY KEY(band, fetched, id)) WITHOUT ROWID;"
    BANDS_FILL(0) BANDS_FILL(1) BANDS_FILL(2) BANDS_FILL(3) BANDS_FILL(4) BANDS_FILL(5) BANDS_FILL(6)
    BANDS_FILL(7)
    "DROP INDEX articles_sh0; DROP INDEX articles_sh1; DROP INDEX articles_sh2; DROP INDEX articles_sh3;"
    "DROP INDEX articles_sh4; DROP INDEX articles_sh5; DROP INDEX articles_sh6; DROP INDEX articles_sh7;"
    "CREATE TRIGGER article_bands_ins AFTER INSERT ON articles"
    "  WHEN new.newest = 1 AND new.simhash IS NOT NULL BEGIN " BANDS_ADD " END;"
    "CREATE TRIGGER article_bands_del AFTER DELETE ON articles"
    "  WHEN old.newest = 1 AND old.simhash IS NOT NULL BEGIN " BANDS_DEL " END;"
    "CREATE TRIGGER article_bands_upd AFTER UPDATE OF newest, simhash, fetched ON articles"
    "  WHEN old.newest IS NOT new.newest OR old.simhash IS NOT new.simhash OR old.fetched IS NOT new.fetched"
    "  BEGIN " BANDS_DEL " " BANDS_ADD " END;",
};
static const char *const migration_names[] = { "initial schema", "frontier retry policy", "site templates",
                                               "indexes for a million articles", "full-text search, near-duplicates",
                                               "near-duplicate band table" };
#define NMIGRATIONS ((int)(sizeof migrations / sizeof migrations[0]))
_Static_assert(NMIGRATIONS == INDEX_SCHEMA_VERSION, "INDEX_SCHEMA_VERSION in store/index.h names the last migration");

enum frontier_state { FRONTIER_PENDING = 0, FRONTIER_DONE = 1, FRONTIER_FAILED = 2 };

/* The article insert: url, site, the fields of util/article_fields.h, then
 * the rest, as named parameters numbered in this order (index_add_article
 * binds them by number); the date key is published, else the fetch time. */
#define FIELD_COL(name) #name ", "
#define FIELD_PARAM(name) ":" #name ", "
#define ART_INS_SQL                                                                             \
    "INSERT INTO articles(url, site, " ARTICLE_FIELDS(FIELD_COL)                                \
    " text_digest, text_len, capture_id, fetched, extracted, extractor_version, conversion_id," \
    " conv_file, conv_offset, conv_length, meta_file, meta_offset, meta_length, simhash, dup_of," \
    " date_key)"                                                                                \
    " VALUES (:url, :site, " ARTICLE_FIELDS(FIELD_PARAM)                                        \
    " :text_digest, :text_len, :capture_id, :fetched, :extracted, :extractor_version,"          \
    " :conversion_id, :conv_file, :conv_offset, :conv_length, :meta_file, :meta_offset,"        \
    " :meta_length, :simhash, :dup_of,"                                                         \
    " COALESCE(:published, strftime('%Y-%m-%dT%H:%M:%SZ', :fetched, 'unixepoch')))"

/* Cached statements. */
enum stmt_id {
    ST_FILE_ID, ST_FILE_INS, ST_FILE_END_GET, ST_FILE_END_SET, ST_CAP_INS, ST_ART_INS, ST_ART_OLD,
    ST_ART_NEW, ST_CAP_EXTR, ST_HAS_ART, ST_HAS_CAP, ST_VALID, ST_FR_ADD, ST_FR_OK, ST_FR_ATT, ST_FR_FAIL,
    ST_ST_SET, ST_ST_GET, ST_TPL_PUT, ST_TPL_GET, ST_FTS_DEL, ST_FTS_INS, ST_IS_NEWEST, ST_DUP_CAND, ST_COUNT
};

static const char *const stmt_sql[ST_COUNT] = {
    [ST_FILE_ID] = "SELECT id FROM warc_files WHERE name = ?1",
    [ST_FILE_INS] = "INSERT INTO warc_files(name) VALUES (?1)",
    [ST_FILE_END_GET] = "SELECT indexed_end FROM warc_files WHERE name = ?1",
    [ST_FILE_END_SET] = "INSERT INTO warc_files(name, indexed_end) VALUES (?1, ?2)"
                        " ON CONFLICT(name) DO UPDATE SET indexed_end = excluded.indexed_end",
    [ST_CAP_INS] = "INSERT INTO captures(url, site, kind, fetched, status, etag, last_modified,"
                   " payload_digest, ip, revisit, profile, record_id, refers_to,"
                   " req_file, req_offset, req_length, resp_file, resp_offset, resp_length,"
                   " conv_file, conv_offset, conv_length, meta_file, meta_offset, meta_length)"
                   " VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12,?13,?14,?15,?16,?17,?18,?19,"
                   "?20,?21,?22,?23,?24,?25)",
    [ST_ART_INS] = ART_INS_SQL,
    [ST_ART_OLD] = "UPDATE articles SET newest = 0 WHERE url = ?1 AND +newest = 1", /* + : by articles_url */
    [ST_ART_NEW] = "UPDATE articles SET newest = 1 WHERE id = (SELECT id FROM articles WHERE url = ?1"
                   " ORDER BY extracted DESC, id DESC LIMIT 1)",
    [ST_CAP_EXTR] = "UPDATE captures SET conv_file = ?2, conv_offset = ?3, conv_length = ?4,"
                    " meta_file = ?5, meta_offset = ?6, meta_length = ?7 WHERE id = ?1",
    /* "Have it": an extraction with text of a 200 response. A revisit of
     * such a response has the same URL, so the response itself answers;
     * a revisit of a 500 or of a page without text does not count. */
    [ST_HAS_ART] = "SELECT 1 FROM articles a JOIN captures c ON c.id = a.capture_id WHERE a.url = ?1"
                   " AND c.status = 200 AND c.revisit = 0 AND a.text_len > 0 LIMIT 1",
    [ST_HAS_CAP] = "SELECT 1 FROM captures WHERE url = ?1 LIMIT 1",
    [ST_VALID] = "SELECT etag, last_modified FROM captures WHERE url = ?1"
                 " ORDER BY (etag IS NOT NULL OR last_modified IS NOT NULL) DESC, fetched DESC, id DESC LIMIT 1",
    [ST_FR_ADD] = "INSERT OR IGNORE INTO frontier(url, site, referrer, kind, depth, added, updated)"
                  " VALUES (?1, ?2, ?3, ?4, ?5, strftime('%s','now'), strftime('%s','now'))",
    [ST_FR_OK] = "UPDATE frontier SET state = 1, updated = strftime('%s','now') WHERE url = ?1",
    [ST_FR_ATT] = "SELECT attempts, state FROM frontier WHERE url = ?1",
    [ST_FR_FAIL] = "UPDATE frontier SET attempts = ?2, state = ?3, reason = ?4, status = ?5, last_attempt = ?6,"
                   " updated = ?6, next_attempt = ?7 WHERE url = ?1",
    [ST_ST_SET] = "INSERT INTO state(site, key, value) VALUES (?1, ?2, ?3)"
                  " ON CONFLICT(site, key) DO UPDATE SET value = excluded.value",
    [ST_ST_GET] = "SELECT value FROM state WHERE site = ?1 AND key = ?2",
    [ST_TPL_PUT] = "INSERT INTO template_blocks(site, hash, n) VALUES (?1, ?2, ?3)"
                   " ON CONFLICT(site, hash) DO UPDATE SET n = excluded.n",
    [ST_TPL_GET] = "SELECT hash, n FROM template_blocks WHERE site = ?1",
    /* search keeps each URL's newest extraction only */
    [ST_FTS_DEL] = "DELETE FROM articles_fts WHERE rowid IN (SELECT id FROM articles WHERE url = ?1 AND +newest = 1)", /* + : by articles_url */
    /* OR REPLACE: an article id SQLite hands out again (after rows were
     * deleted by hand) must not meet a stale search row and fail the write */
    [ST_FTS_INS] = "INSERT OR REPLACE INTO articles_fts(rowid, title, text) VALUES (?1, ?2, ?3)",
    [ST_IS_NEWEST] = "SELECT newest FROM articles WHERE id = ?1",
    /* The root of a new text's near-duplicate cluster (index_dup_root):
     * candidates are the rows of article_bands with one 8-bit band equal
     * (?1..?8: every pair within 7 bits has one) fetched within
     * INDEX_DUP_WINDOW of the new article (?10, ?11), their distance to its
     * SimHash (?12) tested there (na_simhash_distance, at most ?13 bits);
     * only a match visits its article (another URL, ?9; still current, the
     * same hash). CROSS JOIN: the band table first, whatever the statistics. */
    [ST_DUP_CAND] = "SELECT min(coalesce(a.dup_of, a.id)) FROM article_bands b CROSS JOIN articles a ON a.id = b.id"
                    " WHERE b.band IN (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8) AND b.fetched BETWEEN ?10 AND ?11"
                    " AND na_simhash_distance(b.simhash, ?12) <= ?13"
                    " AND a.newest = 1 AND a.url <> ?9 AND a.simhash = b.simhash",
};

struct index {
    sqlite3 *db;
    int readonly;
    int in_tx;
    int savepoints;
    int sp_tx;                 /* in_tx was begun by index_savepoint, ends with its release */
    int wait_fd;               /* PATH-wait: byte 0 read-locked (OFD) while waiting for the write lock */
    int waiting;               /* this handle holds that lock */
    sqlite3_stmt *st[ST_COUNT];
    sqlite3_stmt *cap_get[2];  /* index_capture_get's, [need_response] (one per archived page) */
    sqlite3_stmt *sp[2];       /* SAVEPOINT, RELEASE na_add */
    int rank_fn;               /* store/fts_rank.h's function registered */
    char *last_file;           /* cache for file ids */
    int64_t last_file_id;
};

#define INDEX_BUSY_TIMEOUT_MS 10000 /* sqlite3_busy_timeout: waiting for another writer */
#define INDEX_BUSY_RETRIES 5         /* ... that many times again before BEGIN gives up */
#define INDEX_BUSY_POLL_MS 2         /* how often a waiting writer tries again */

static int db_code(int rc)
{
    switch (rc & 0xff) {
    case SQLITE_NOMEM: return NA_ENOMEM;
    case SQLITE_FULL: return NA_EDISKFULL;
    case SQLITE_IOERR: return NA_EIO;
    case SQLITE_CORRUPT: case SQLITE_NOTADB: return NA_ECORRUPT;
    default: return NA_EDB;
    }
}

static int db_err(struct index *ix, int rc, const char *what, struct buf *err)
{
    buf_seterr(err, "index: %s: %s", what, ix && ix->db ? sqlite3_errmsg(ix->db) : sqlite3_errstr(rc));
    return db_code(rc);
}

/* Several writer processes share the index. One waiting for the write lock
 * says so by a shared OFD lock on byte 0 of PATH-wait, which the holder
 * sees (index_contended) and commits its batch early; the waiter polls the
 * lock every INDEX_BUSY_POLL_MS (not SQLite's backoff of up to 100 ms, in
 * which the holder would take the lock again), up to INDEX_BUSY_TIMEOUT_MS. */
static void wait_mark(struct index *ix, int on)
{
    if (ix->wait_fd < 0 || ix->waiting == on)
        return;
    struct flock fl = { .l_type = on ? F_RDLCK : F_UNLCK, .l_whence = SEEK_SET, .l_start = 0, .l_len = 1 };
    if (fcntl(ix->wait_fd, F_OFD_SETLK, &fl) == 0)
        ix->waiting = on;
}

/* na_simhash_distance(a, b): the bits two SimHashes differ in (ST_DUP_CAND
 * tests its candidates inside SQLite: ~25% less CPU than stepping each out). */
static void sql_simhash_distance(sqlite3_context *c, int argc, sqlite3_value **v)
{
    (void)argc;
    sqlite3_result_int(c, simhash_distance((uint64_t)sqlite3_value_int64(v[0]), (uint64_t)sqlite3_value_int64(v[1])));
}

static int busy_wait(void *ud, int count)
{
    struct index *ix = ud;
    if ((long)count * INDEX_BUSY_POLL_MS >= INDEX_BUSY_TIMEOUT_MS)
        return 0;
    wait_mark(ix, 1);
    struct timespec ts = { 0, INDEX_BUSY_POLL_MS * 1000000L };
    nanosleep(&ts, NULL);
    return 1;
}

int index_contended(struct index *ix)
{
    if (!ix || ix->wait_fd < 0)
        return 0;
    struct flock fl = { .l_type = F_WRLCK, .l_whence = SEEK_SET, .l_start = 0, .l_len = 1 };
    if (fcntl(ix->wait_fd, F_OFD_GETLK, &fl) != 0)
        return 0;
    return fl.l_type != F_UNLCK;
}

static int exec(struct index *ix, const char *sql, struct buf *err)
{
    char *msg = NULL;
    int rc = sqlite3_exec(ix->db, sql, NULL, NULL, &msg);
    if (rc != SQLITE_OK) {
        buf_seterr(err, "index: %s", msg ? msg : sqlite3_errstr(rc));
        sqlite3_free(msg);
        return db_code(rc);
    }
    return 0;
}

static sqlite3_stmt *stmt(struct index *ix, enum stmt_id id)
{
    if (!ix->st[id] &&
        sqlite3_prepare_v3(ix->db, stmt_sql[id], -1, SQLITE_PREPARE_PERSISTENT, &ix->st[id], NULL) != SQLITE_OK)
        return NULL;
    sqlite3_reset(ix->st[id]);
    sqlite3_clear_bindings(ix->st[id]);
    return ix->st[id];
}

static void bind_text(sqlite3_stmt *s, int i, const char *v)
{
    if (v)
        sqlite3_bind_text(s, i, v, -1, SQLITE_STATIC);
    else
        sqlite3_bind_null(s, i);
}

static int user_version(struct index *ix, int *v)
{
    sqlite3_stmt *s;
    if (sqlite3_prepare_v2(ix->db, "PRAGMA user_version", -1, &s, NULL) != SQLITE_OK)
        return -1;
    int rc = sqlite3_step(s);
    *v = rc == SQLITE_ROW ? sqlite3_column_int(s, 0) : 0;
    sqlite3_finalize(s);
    return rc == SQLITE_ROW ? 0 : -1;
}

/* 1 when the database holds no table at all (a brand-new file). */
static int no_tables(struct index *ix)
{
    sqlite3_stmt *s;
    if (sqlite3_prepare_v2(ix->db, "SELECT count(*) FROM sqlite_master", -1, &s, NULL) != SQLITE_OK)
        return 0;
    int none = sqlite3_step(s) == SQLITE_ROW && sqlite3_column_int(s, 0) == 0;
    sqlite3_finalize(s);
    return none;
}

static int migrate(struct index *ix, struct buf *err)
{
    int v;
    if (user_version(ix, &v))
        return db_err(ix, SQLITE_ERROR, "reading the schema version", err);
    if (v > NMIGRATIONS) {
        buf_seterr(err, "index: schema version %d is newer than this newsarc knows (%d)", v, NMIGRATIONS);
        return NA_EDB;
    }
    if (v == NMIGRATIONS)
        return 0;
    if (ix->readonly && v == 0 && no_tables(ix)) {
        /* A writer creates the file, then its tables: not an old schema. */
        buf_seterr(err, "index: empty: being created by a running writer (or left so by one that stopped "
                        "first; the next newsarc crawl creates it)");
        return NA_ELOCKED;
    }
    if (ix->readonly) {
        buf_seterr(err, "index: schema version %d needs migrating to %d; open the archive for writing "
                        "(newsarc crawl) or run newsarc reindex", v, NMIGRATIONS);
        return NA_EDB;
    }
    int rc = exec(ix, "BEGIN IMMEDIATE", err);
    if (rc)
        return rc;
    /* Re-read inside the write lock: another writer may have migrated. */
    if (user_version(ix, &v)) {
        rc = db_err(ix, SQLITE_ERROR, "reading the schema version", err);
        goto fail;
    }
    for (; v < NMIGRATIONS; v++) {
        if ((rc = exec(ix, migrations[v], err)) != 0)
            goto fail;
        char sql[256];
        snprintf(sql, sizeof sql,
                 "INSERT INTO migrations VALUES (%d, strftime('%%s','now'), '%s'); PRAGMA user_version = %d",
                 v + 1, migration_names[v], v + 1);
        if ((rc = exec(ix, sql, err)) != 0)
            goto fail;
    }
    return exec(ix, "COMMIT", err);
fail:
    exec(ix, "ROLLBACK", NULL);
    return rc;
}

int index_open(const char *path, int flags, struct index **out, struct buf *err)
{
    *out = NULL;
    struct index *ix = na_calloc(1, sizeof *ix);
    if (!ix) {
        buf_seterr(err, "index: out of memory");
        return NA_ENOMEM;
    }
    ix->wait_fd = -1;
    ix->readonly = !!(flags & INDEX_READONLY);
    int oflags = ix->readonly ? SQLITE_OPEN_READONLY
                              : SQLITE_OPEN_READWRITE | ((flags & INDEX_CREATE) ? SQLITE_OPEN_CREATE : 0);
    int rc = sqlite3_open_v2(path, &ix->db, oflags | SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_URI, NULL);
    if (rc != SQLITE_OK) {
        int code = (rc == SQLITE_CANTOPEN) ? NA_ENOTFOUND : db_code(rc);
        buf_seterr(err, "'%s': %s", path, ix->db ? sqlite3_errmsg(ix->db) : sqlite3_errstr(rc));
        index_close(ix);
        return code;
    }
    sqlite3_extended_result_codes(ix->db, 0);
    if (sqlite3_create_function(ix->db, "na_simhash_distance", 2, SQLITE_UTF8 | SQLITE_DETERMINISTIC, NULL,
                                sql_simhash_distance, NULL, NULL) != SQLITE_OK) {
        rc = db_err(ix, SQLITE_ERROR, "near-duplicates", err);
        goto fail;
    }
    sqlite3_busy_timeout(ix->db, INDEX_BUSY_TIMEOUT_MS);
    if (!ix->readonly && !(flags & INDEX_FAST) && strncmp(path, "file:", 5) != 0) {
        struct buf wp = BUF_INIT;
        if (!buf_printf(&wp, "%s-wait", path))
            ix->wait_fd = open(wp.data, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0644);
        buf_release(&wp);
        if (ix->wait_fd >= 0)
            sqlite3_busy_handler(ix->db, busy_wait, ix);
    }
    if (!ix->readonly) {
        rc = exec(ix, (flags & INDEX_FAST) ? "PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF"
                                           /* temp_store: the savepoint journal of each
                                            * archived page stays in memory (spilled to a temp
                                            * file it cost ~7-20 pwrite calls per page) */
                                           : "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL;"
                                             " PRAGMA temp_store = MEMORY",
                  err);
        if (rc)
            goto fail;
    }
    if ((rc = migrate(ix, err)) != 0)
        goto fail;
    *out = ix;
    return 0;
fail:
    if (sqlite3_errcode(ix->db) == SQLITE_NOTADB) {
        buf_seterr(err, "'%s': not a newsarc index (file is not a database; newsarc reindex rebuilds it "
                        "from the WARC files)", path);
        index_close(ix);
        return NA_ECORRUPT;
    }
    {
        struct buf tmp = BUF_INIT;
        buf_printf(&tmp, "'%s': %s", path, err ? buf_str(err) : "");
        if (err && !tmp.err)
            buf_seterr(err, "%s", tmp.data);
        buf_release(&tmp);
    }
    index_close(ix);
    return rc;
}

void index_close(struct index *ix)
{
    if (!ix)
        return;
    for (int i = 0; i < ST_COUNT; i++)
        sqlite3_finalize(ix->st[i]);
    for (int i = 0; i < 2; i++)
        sqlite3_finalize(ix->cap_get[i]);
    for (int i = 0; i < 2; i++)
        sqlite3_finalize(ix->sp[i]);
    if (ix->db)
        sqlite3_close_v2(ix->db);
    if (ix->wait_fd >= 0)
        close(ix->wait_fd);
    free(ix->last_file);
    free(ix);
}

/* BEGIN IMMEDIATE: the write lock at once, so that a transaction never has
 * to upgrade a read snapshot another writer made stale (SQLITE_BUSY without
 * waiting). Several writer processes share the index (one per set of
 * sites): each waits its turn for up to the busy timeout, and the wait is
 * retried INDEX_BUSY_RETRIES times before it is an error. */
static int begin_immediate(struct index *ix, struct buf *err)
{
    for (int tries = 0;; tries++) {
        int rc = sqlite3_exec(ix->db, "BEGIN IMMEDIATE", NULL, NULL, NULL);
        wait_mark(ix, 0);
        if (rc == SQLITE_OK)
            return 0;
        if ((rc & 0xff) != SQLITE_BUSY || tries == INDEX_BUSY_RETRIES) {
            buf_seterr(err, "index: BEGIN: %s%s", sqlite3_errmsg(ix->db),
                       (rc & 0xff) == SQLITE_BUSY ? " (another writer held the index too long)" : "");
            return db_code(rc);
        }
    }
}

int index_begin(struct index *ix, struct buf *err)
{
    if (ix->in_tx) {
        buf_seterr(err, "index: transaction already open");
        return NA_EINVAL;
    }
    /* Read-only: a read transaction, one snapshot from its first read on. */
    int rc = ix->readonly ? exec(ix, "BEGIN", err) : begin_immediate(ix, err);
    if (!rc)
        ix->in_tx = 1;
    return rc;
}

int index_commit(struct index *ix, struct buf *err)
{
    if (!ix->in_tx)
        return 0;
    int rc = exec(ix, "COMMIT", err);
    if (rc) {
        exec(ix, "ROLLBACK", NULL);
        free(ix->last_file); /* a rolled-back file row must not stay cached */
        ix->last_file = NULL;
    }
    ix->in_tx = 0;
    return rc;
}

void index_rollback(struct index *ix)
{
    if (!ix->in_tx)
        return;
    exec(ix, "ROLLBACK", NULL);
    ix->in_tx = 0;
    free(ix->last_file);
    ix->last_file = NULL;
}

int index_in_transaction(const struct index *ix) { return ix->in_tx; }

int index_transaction_lost(const struct index *ix) { return ix->in_tx && sqlite3_get_autocommit(ix->db); }

int index_sync_commits(struct index *ix, int full, struct buf *err)
{
    if (ix->in_tx || ix->readonly)
        return NA_EINVAL;
    return exec(ix, full ? "PRAGMA synchronous = FULL" : "PRAGMA synchronous = NORMAL", err);
}

/* SAVEPOINT / RELEASE run once per archived page: prepared once. */
static int sp_exec(struct index *ix, int k, const char *sql, struct buf *err)
{
    int rc = SQLITE_OK;
    if (!ix->sp[k] && (rc = sqlite3_prepare_v3(ix->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &ix->sp[k], NULL)) != SQLITE_OK)
        return exec(ix, sql, err);
    rc = sqlite3_step(ix->sp[k]);
    sqlite3_reset(ix->sp[k]);
    if (rc != SQLITE_DONE && rc != SQLITE_ROW) {
        buf_seterr(err, "index: %s", sqlite3_errmsg(ix->db));
        return db_code(rc);
    }
    return 0;
}

int index_savepoint(struct index *ix, struct buf *err)
{
    /* Outside a transaction a savepoint would begin a deferred one: an
     * immediate one is begun first (begin_immediate says why). */
    if (!ix->in_tx && !ix->readonly && ix->savepoints == 0) {
        int rc = index_begin(ix, err);
        if (rc)
            return rc;
        ix->sp_tx = 1;
    }
    int rc = sp_exec(ix, 0, "SAVEPOINT na_add", err);
    if (!rc)
        ix->savepoints++;
    else if (ix->sp_tx && ix->savepoints == 0) {
        ix->sp_tx = 0;
        index_rollback(ix);
    }
    return rc;
}

int index_release(struct index *ix, struct buf *err)
{
    int rc = sp_exec(ix, 1, "RELEASE na_add", err);
    if (rc) {
        index_rollback_savepoint(ix);
        return rc;
    }
    ix->savepoints--;
    if (ix->sp_tx && ix->savepoints == 0) {
        ix->sp_tx = 0;
        return index_commit(ix, err);
    }
    return 0;
}

void index_rollback_savepoint(struct index *ix)
{
    exec(ix, "ROLLBACK TO na_add; RELEASE na_add", NULL);
    if (ix->savepoints > 0)
        ix->savepoints--;
    if (ix->sp_tx && ix->savepoints == 0) {
        ix->sp_tx = 0;
        index_rollback(ix);
    }
    free(ix->last_file);
    ix->last_file = NULL;
}

/* ---- struct helpers ---- */

static const char *const kind_names[] = {
    [CAPTURE_ARTICLE] = "article", [CAPTURE_LISTING] = "listing", [CAPTURE_FEED] = "feed",
    [CAPTURE_SITEMAP] = "sitemap", [CAPTURE_ROBOTS] = "robots",   [CAPTURE_OTHER] = "other",
    [CAPTURE_IMAGE] = "image",
};

const char *index_kind_name(int kind)
{
    if (kind < CAPTURE_ARTICLE || kind > CAPTURE_IMAGE)
        return "other";
    return kind_names[kind];
}

int index_kind_parse(const char *s)
{
    for (int k = CAPTURE_ARTICLE; s && k <= CAPTURE_IMAGE; k++)
        if (strcmp(s, kind_names[k]) == 0)
            return k;
    return CAPTURE_OTHER;
}

static void loc_release(struct index_loc *l)
{
    free(l->file);
    l->file = NULL;
}

void index_capture_release(struct index_capture *c)
{
    if (!c)
        return;
    free(c->url); free(c->site); free(c->etag); free(c->last_modified); free(c->payload_digest);
    free(c->ip); free(c->profile); free(c->record_id);
    loc_release(&c->request); loc_release(&c->response); loc_release(&c->conversion);
    loc_release(&c->metadata);
    memset(c, 0, sizeof *c);
}

void index_article_release(struct index_article *a)
{
    if (!a)
        return;
    free(a->url); free(a->site);
#define FREE_FIELD(name) free(a->name);
    ARTICLE_FIELDS(FREE_FIELD)
#undef FREE_FIELD
    free(a->text_digest); free(a->extractor_version); free(a->conversion_id);
    loc_release(&a->conversion); loc_release(&a->metadata); loc_release(&a->response);
    memset(a, 0, sizeof *a);
}

/* Column text, copied (NULL for NULL; *nomem set when the copy failed). */
static char *col(sqlite3_stmt *s, int i, int *nomem)
{
    const char *t = (const char *)sqlite3_column_text(s, i);
    if (!t)
        return NULL;
    char *d = na_strdup(t);
    if (!d)
        *nomem = 1;
    return d;
}

static void col_loc(sqlite3_stmt *s, int i, int *nomem, struct index_loc *l)
{
    l->file = col(s, i, nomem);
    l->offset = (uint64_t)sqlite3_column_int64(s, i + 1);
    l->length = (uint64_t)sqlite3_column_int64(s, i + 2);
}

#define CAPTURE_SELECT                                                                            \
    "SELECT c.id, c.url, c.site, c.kind, c.fetched, c.status, c.etag, c.last_modified,"           \
    " c.payload_digest, c.ip, c.revisit, c.profile, c.record_id, c.refers_to,"                    \
    " fq.name, c.req_offset, c.req_length, fr.name, c.resp_offset, c.resp_length,"                \
    " fc.name, c.conv_offset, c.conv_length, fm.name, c.meta_offset, c.meta_length"               \
    " FROM captures c LEFT JOIN warc_files fq ON fq.id = c.req_file"                              \
    " LEFT JOIN warc_files fr ON fr.id = c.resp_file LEFT JOIN warc_files fc ON fc.id = c.conv_file" \
    " LEFT JOIN warc_files fm ON fm.id = c.meta_file"

static int read_capture(sqlite3_stmt *s, struct index_capture *c)
{
    int nomem = 0;
    memset(c, 0, sizeof *c);
    c->id = sqlite3_column_int64(s, 0);
    c->url = col(s, 1, &nomem);
    c->site = col(s, 2, &nomem);
    c->kind = sqlite3_column_int(s, 3);
    c->fetched = (time_t)sqlite3_column_int64(s, 4);
    c->status = sqlite3_column_int(s, 5);
    c->etag = col(s, 6, &nomem);
    c->last_modified = col(s, 7, &nomem);
    c->payload_digest = col(s, 8, &nomem);
    c->ip = col(s, 9, &nomem);
    c->revisit = sqlite3_column_int(s, 10);
    c->profile = col(s, 11, &nomem);
    c->record_id = col(s, 12, &nomem);
    c->refers_to = sqlite3_column_int64(s, 13);
    col_loc(s, 14, &nomem, &c->request);
    col_loc(s, 17, &nomem, &c->response);
    col_loc(s, 20, &nomem, &c->conversion);
    col_loc(s, 23, &nomem, &c->metadata);
    if (nomem) {
        index_capture_release(c);
        return NA_ENOMEM;
    }
    return 0;
}

/* The metadata columns of the articles table, from util/article_fields.h:
 * "a.title, a.published, …, a.charset, ". */
#define FIELD_ACOL(name) "a." #name ", "

#define ARTICLE_SELECT                                                                            \
    "SELECT a.id, a.url, a.site, " ARTICLE_FIELDS(FIELD_ACOL)                                                  \
    " a.text_digest, a.text_len, a.capture_id, a.fetched,"                                        \
    " a.extracted, a.extractor_version, a.conversion_id,"                                         \
    " fc.name, a.conv_offset, a.conv_length, fm.name, a.meta_offset, a.meta_length,"              \
    " fr.name, c.resp_offset, c.resp_length, a.dup_of"                                            \
    " FROM articles a JOIN captures c ON c.id = a.capture_id"                                     \
    " LEFT JOIN warc_files fc ON fc.id = a.conv_file LEFT JOIN warc_files fm ON fm.id = a.meta_file" \
    " LEFT JOIN warc_files fr ON fr.id = c.resp_file"

static int read_article(sqlite3_stmt *s, struct index_article *a)
{
    int nomem = 0, i = 0;
    memset(a, 0, sizeof *a);
    a->id = sqlite3_column_int64(s, i++);
    a->url = col(s, i++, &nomem);
    a->site = col(s, i++, &nomem);
#define READ_FIELD(name) a->name = col(s, i++, &nomem);
    ARTICLE_FIELDS(READ_FIELD)
#undef READ_FIELD
    a->text_digest = col(s, i++, &nomem);
    a->text_len = (uint64_t)sqlite3_column_int64(s, i++);
    a->capture_id = sqlite3_column_int64(s, i++);
    a->fetched = (time_t)sqlite3_column_int64(s, i++);
    a->extracted = (time_t)sqlite3_column_int64(s, i++);
    a->extractor_version = col(s, i++, &nomem);
    a->conversion_id = col(s, i++, &nomem);
    col_loc(s, i, &nomem, &a->conversion);
    col_loc(s, i + 3, &nomem, &a->metadata);
    col_loc(s, i + 6, &nomem, &a->response);
    a->dup_of = sqlite3_column_int64(s, i + 9);
    if (nomem) {
        index_article_release(a);
        return NA_ENOMEM;
    }
    return 0;
}

/* ---- writing ---- */

/* Id of a warc_files row, created when missing; 0 for a NULL name. */
static int file_id(struct index *ix, const char *name, int64_t *id, struct buf *err)
{
    *id = 0;
    if (!name)
        return 0;
    if (ix->last_file && strcmp(ix->last_file, name) == 0) {
        *id = ix->last_file_id;
        return 0;
    }
    sqlite3_stmt *s = stmt(ix, ST_FILE_ID);
    if (!s)
        return db_err(ix, SQLITE_ERROR, "file lookup", err);
    bind_text(s, 1, name);
    int rc = sqlite3_step(s);
    if (rc == SQLITE_ROW) {
        *id = sqlite3_column_int64(s, 0);
    } else if (rc == SQLITE_DONE) {
        sqlite3_reset(s);
        if (!(s = stmt(ix, ST_FILE_INS)))
            return db_err(ix, SQLITE_ERROR, "file insert", err);
        bind_text(s, 1, name);
        if ((rc = sqlite3_step(s)) != SQLITE_DONE)
            return db_err(ix, rc, "file insert", err);
        *id = sqlite3_last_insert_rowid(ix->db);
    } else {
        return db_err(ix, rc, "file lookup", err);
    }
    sqlite3_reset(s);
    char *copy = na_strdup(name);
    if (copy) {
        free(ix->last_file);
        ix->last_file = copy;
        ix->last_file_id = *id;
    }
    return 0;
}

static int bind_loc(struct index *ix, sqlite3_stmt *s, int i, const struct index_loc_in *l, struct buf *err)
{
    int64_t fid;
    int rc = file_id(ix, l ? l->file : NULL, &fid, err);
    if (rc)
        return rc;
    if (fid) {
        sqlite3_bind_int64(s, i, fid);
        sqlite3_bind_int64(s, i + 1, (int64_t)l->offset);
        sqlite3_bind_int64(s, i + 2, (int64_t)l->length);
    } else {
        sqlite3_bind_null(s, i);
        sqlite3_bind_null(s, i + 1);
        sqlite3_bind_null(s, i + 2);
    }
    return 0;
}

int index_add_capture(struct index *ix, const struct index_capture_in *c, int64_t *id, struct buf *err)
{
    /* File ids first: their statements must not run while ST_CAP_INS is bound. */
    int64_t f[4];
    const struct index_loc_in *locs[4] = { &c->request, &c->response, &c->conversion, &c->metadata };
    for (int i = 0; i < 4; i++) {
        int rc = file_id(ix, locs[i]->file, &f[i], err);
        if (rc)
            return rc;
    }
    sqlite3_stmt *s = stmt(ix, ST_CAP_INS);
    if (!s)
        return db_err(ix, SQLITE_ERROR, "capture insert", err);
    bind_text(s, 1, c->url);
    bind_text(s, 2, c->site);
    sqlite3_bind_int(s, 3, c->kind);
    sqlite3_bind_int64(s, 4, (int64_t)c->fetched);
    sqlite3_bind_int(s, 5, c->status);
    bind_text(s, 6, c->etag);
    bind_text(s, 7, c->last_modified);
    bind_text(s, 8, c->payload_digest);
    bind_text(s, 9, c->ip);
    sqlite3_bind_int(s, 10, c->revisit);
    bind_text(s, 11, c->profile);
    bind_text(s, 12, c->record_id);
    if (c->refers_to)
        sqlite3_bind_int64(s, 13, c->refers_to);
    for (int i = 0; i < 4; i++) {
        int rc = bind_loc(ix, s, 14 + 3 * i, locs[i], err);
        if (rc)
            return rc;
    }
    int rc = sqlite3_step(s);
    sqlite3_reset(s);
    if (rc != SQLITE_DONE)
        return db_err(ix, rc, "capture insert", err);
    if (id)
        *id = sqlite3_last_insert_rowid(ix->db);
    return 0;
}

int index_dup_root(struct index *ix, const char *url, int64_t fetched, uint64_t sh, int64_t *root,
                   struct buf *err)
{
    *root = 0;
    sqlite3_stmt *s = stmt(ix, ST_DUP_CAND);
    if (!s)
        return db_err(ix, SQLITE_ERROR, "near-duplicates", err);
    for (int b = 0; b < SIMHASH_BANDS; b++)
        sqlite3_bind_int(s, b + 1, b * 256 + (int)simhash_band(sh, b));
    bind_text(s, 9, url);
    sqlite3_bind_int64(s, 10, fetched - INDEX_DUP_WINDOW);
    sqlite3_bind_int64(s, 11, fetched + INDEX_DUP_WINDOW);
    sqlite3_bind_int64(s, 12, (int64_t)sh);
    sqlite3_bind_int(s, 13, SIMHASH_MAX_DISTANCE);
    int rc = sqlite3_step(s);
    if (rc == SQLITE_ROW)
        *root = sqlite3_column_int64(s, 0); /* NULL (no match): 0 */
    sqlite3_reset(s);
    return rc == SQLITE_ROW ? 0 : db_err(ix, rc, "near-duplicates", err);
}

/* ST_FTS_DEL (url in a) or ST_FTS_INS (id, title a, text b of n bytes). */
static int fts_step(struct index *ix, enum stmt_id which, int64_t id, const char *a, const char *b, size_t n,
                    struct buf *err)
{
    sqlite3_stmt *s = stmt(ix, which);
    if (!s)
        return db_err(ix, SQLITE_ERROR, "search index", err);
    if (which == ST_FTS_DEL) {
        bind_text(s, 1, a);
    } else {
        sqlite3_bind_int64(s, 1, id);
        bind_text(s, 2, a);
        sqlite3_bind_text(s, 3, b ? b : "", (int)n, SQLITE_STATIC);
    }
    int rc = sqlite3_step(s);
    sqlite3_reset(s);
    return rc == SQLITE_DONE ? 0 : db_err(ix, rc, "search index", err);
}

int index_add_article(struct index *ix, const struct index_article_in *a, int64_t *id, struct buf *err)
{
    int64_t f;
    int rc;
    if ((rc = file_id(ix, a->conversion.file, &f, err)) || (rc = file_id(ix, a->metadata.file, &f, err)))
        return rc;
    sqlite3_stmt *s = stmt(ix, ST_ART_INS);
    if (!s)
        return db_err(ix, SQLITE_ERROR, "article insert", err);
    int i = 1;
    bind_text(s, i++, a->url);
    bind_text(s, i++, a->site);
#define BIND_FIELD(name) bind_text(s, i++, a->name);
    ARTICLE_FIELDS(BIND_FIELD)
#undef BIND_FIELD
    bind_text(s, i++, a->text_digest);
    sqlite3_bind_int64(s, i++, (int64_t)a->text_len);
    sqlite3_bind_int64(s, i++, a->capture_id);
    sqlite3_bind_int64(s, i++, (int64_t)a->fetched);
    sqlite3_bind_int64(s, i++, (int64_t)a->extracted);
    bind_text(s, i++, a->extractor_version);
    bind_text(s, i++, a->conversion_id);
    if ((rc = bind_loc(ix, s, i, &a->conversion, err)) || (rc = bind_loc(ix, s, i + 3, &a->metadata, err)))
        return rc;
    i += 6;
    uint64_t sh = 0;
    int64_t dup_of = 0;
    if (a->text && simhash64(a->text, a->text_len, &sh)) {
        if ((rc = index_dup_root(ix, a->url, (int64_t)a->fetched, sh, &dup_of, err)))
            return rc;
        sqlite3_bind_int64(s, i, (int64_t)sh);
        if (dup_of)
            sqlite3_bind_int64(s, i + 1, dup_of);
    }
    rc = sqlite3_step(s);
    sqlite3_reset(s);
    if (rc != SQLITE_DONE)
        return db_err(ix, rc, "article insert", err);
    int64_t new_id = sqlite3_last_insert_rowid(ix->db);
    if (id)
        *id = new_id;
    if ((rc = fts_step(ix, ST_FTS_DEL, 0, a->url, NULL, 0, err)))
        return rc;
    /* Keep exactly one newest row per URL. */
    for (int k = 0; k < 2; k++) {
        s = stmt(ix, k ? ST_ART_NEW : ST_ART_OLD);
        if (!s)
            return db_err(ix, SQLITE_ERROR, "article newest", err);
        bind_text(s, 1, a->url);
        rc = sqlite3_step(s);
        sqlite3_reset(s);
        if (rc != SQLITE_DONE)
            return db_err(ix, rc, "article newest", err);
    }
    /* the new row is the URL's newest (always, but for an older extraction
     * indexed after a newer one): it is what search finds */
    s = stmt(ix, ST_IS_NEWEST);
    if (!s)
        return db_err(ix, SQLITE_ERROR, "article newest", err);
    sqlite3_bind_int64(s, 1, new_id);
    int newest = sqlite3_step(s) == SQLITE_ROW && sqlite3_column_int(s, 0);
    sqlite3_reset(s);
    if (newest)
        return fts_step(ix, ST_FTS_INS, new_id, a->title, a->text, a->text ? a->text_len : 0, err);
    return 0;
}

int index_set_capture_extraction(struct index *ix, int64_t capture_id, const struct index_loc_in *conversion,
                                 const struct index_loc_in *metadata, struct buf *err)
{
    int64_t f;
    int rc;
    if ((rc = file_id(ix, conversion ? conversion->file : NULL, &f, err)) ||
        (rc = file_id(ix, metadata ? metadata->file : NULL, &f, err)))
        return rc;
    sqlite3_stmt *s = stmt(ix, ST_CAP_EXTR);
    if (!s)
        return db_err(ix, SQLITE_ERROR, "capture update", err);
    sqlite3_bind_int64(s, 1, capture_id);
    if ((rc = bind_loc(ix, s, 2, conversion, err)) || (rc = bind_loc(ix, s, 5, metadata, err)))
        return rc;
    rc = sqlite3_step(s);
    sqlite3_reset(s);
    return rc == SQLITE_DONE ? 0 : db_err(ix, rc, "capture update", err);
}

int index_file_end(struct index *ix, const char *file, uint64_t *end, struct buf *err)
{
    *end = 0;
    sqlite3_stmt *s = stmt(ix, ST_FILE_END_GET);
    if (!s)
        return db_err(ix, SQLITE_ERROR, "file end", err);
    bind_text(s, 1, file);
    int rc = sqlite3_step(s);
    int found = rc == SQLITE_ROW;
    if (found)
        *end = (uint64_t)sqlite3_column_int64(s, 0);
    sqlite3_reset(s);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        return db_err(ix, rc, "file end", err);
    return found;
}

int index_set_file_end(struct index *ix, const char *file, uint64_t end, struct buf *err)
{
    sqlite3_stmt *s = stmt(ix, ST_FILE_END_SET);
    if (!s)
        return db_err(ix, SQLITE_ERROR, "file end", err);
    bind_text(s, 1, file);
    sqlite3_bind_int64(s, 2, (int64_t)end);
    int rc = sqlite3_step(s);
    sqlite3_reset(s);
    return rc == SQLITE_DONE ? 0 : db_err(ix, rc, "file end", err);
}

int index_files(struct index *ix, int (*cb)(void *ud, const char *file, uint64_t end), void *ud,
                struct buf *err)
{
    sqlite3_stmt *s;
    int rc = sqlite3_prepare_v2(ix->db, "SELECT name, indexed_end FROM warc_files ORDER BY name", -1, &s, NULL);
    if (rc != SQLITE_OK)
        return db_err(ix, rc, "files", err);
    int ret = 0;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        if ((ret = cb(ud, (const char *)sqlite3_column_text(s, 0), (uint64_t)sqlite3_column_int64(s, 1))) != 0)
            break;
    }
    if (!ret && rc != SQLITE_DONE)
        ret = db_err(ix, rc, "files", err);
    sqlite3_finalize(s);
    return ret;
}

/* ---- queries ---- */

/* Appends the WHERE clauses for q; binds are numbered as index_query
 * members: ?1 site, ?2 url, ?3 since, ?4 until, ?5 kind, ?6 status. */
static void where(struct buf *sql, const struct index_query *q, int articles)
{
    const char *date = articles ? (q->by_fetched ? "strftime('%Y-%m-%dT%H:%M:%SZ', a.fetched, 'unixepoch')"
                                                 : "a.date_key")
                                : "strftime('%Y-%m-%dT%H:%M:%SZ', c.fetched, 'unixepoch')";
    const char *t = articles ? "a" : "c";
    buf_adds(sql, " WHERE 1");
    /* With a URL, by articles_url: "+" keeps the planner off the indexes
     * that start with newest (a scan of every newest row per lookup). */
    if (articles && !q->all_extractions)
        buf_adds(sql, q->url ? " AND +a.newest = 1" : " AND a.newest = 1");
    if (q->site)
        buf_printf(sql, " AND %s.site = ?1", t);
    if (q->url)
        buf_printf(sql, " AND %s.url = ?2", t);
    if (q->since) {
        buf_printf(sql, " AND %s >= ?3", date);
        /* The same bound on the fetch time as a range an index can serve
         * (a day early: since may carry an offset; the test above is exact). */
        if (!articles || q->by_fetched)
            buf_printf(sql, " AND %s.fetched >= COALESCE(CAST(strftime('%%s', ?3) AS INTEGER), 0) - 86400", t);
    }
    if (q->until)
        buf_printf(sql, " AND substr(%s, 1, length(?4)) <= ?4", date);
    if (articles && q->after_id)
        buf_adds(sql, " AND a.id > ?7");
    if (!articles) {
        if (q->kind)
            buf_adds(sql, " AND c.kind = ?5");
        if (q->status)
            buf_adds(sql, " AND c.status = ?6");
        if (q->responses_only)
            buf_adds(sql, " AND c.revisit = 0");
    }
}

/* Prepares a statement built in sql (released here, whatever happens):
 * NA_ENOMEM when building it ran out of memory, NA_EDB naming what. */
static int prepare_built(struct index *ix, struct buf *sql, const char *what, sqlite3_stmt **s, struct buf *err)
{
    if (sql->err) {
        buf_release(sql);
        buf_seterr(err, "index: out of memory");
        return NA_ENOMEM;
    }
    int rc = sqlite3_prepare_v2(ix->db, sql->data, -1, s, NULL);
    buf_release(sql);
    return rc == SQLITE_OK ? 0 : db_err(ix, rc, what, err);
}

static void bind_query(sqlite3_stmt *s, const struct index_query *q)
{
    if (q->site)
        bind_text(s, 1, q->site);
    if (q->url)
        bind_text(s, 2, q->url);
    if (q->since)
        bind_text(s, 3, q->since);
    if (q->until)
        bind_text(s, 4, q->until);
    if (q->kind)
        sqlite3_bind_int(s, 5, q->kind);
    if (q->status)
        sqlite3_bind_int(s, 6, q->status);
    if (q->after_id)
        sqlite3_bind_int64(s, 7, q->after_id);
}

static int run_query(struct index *ix, const struct index_query *q, int articles,
                     int (*acb)(void *, const struct index_article *),
                     int (*ccb)(void *, const struct index_capture *), void *ud, struct buf *err)
{
    static const struct index_query none;
    if (!q)
        q = &none;
    struct buf sql = BUF_INIT;
    buf_adds(&sql, articles ? ARTICLE_SELECT : CAPTURE_SELECT);
    where(&sql, q, articles);
    const char *order;
    switch (q->order) {
    case INDEX_ORDER_DATE_ASC: order = articles ? "a.date_key, a.id" : "c.fetched, c.id"; break;
    case INDEX_ORDER_DATE_DESC: order = articles ? "a.date_key DESC, a.id DESC" : "c.fetched DESC, c.id DESC"; break;
    case INDEX_ORDER_URL: order = articles ? "a.url, a.extracted, a.id" : "c.url, c.fetched, c.id"; break;
    case INDEX_ORDER_ID: order = articles ? "a.id" : "c.id"; break;
    default: order = articles ? "a.date_key DESC, a.id DESC" : "c.id"; break;
    }
    buf_printf(&sql, " ORDER BY %s", order);
    if (q->limit)
        buf_printf(&sql, " LIMIT %zu", q->limit);
    sqlite3_stmt *s;
    int rc = prepare_built(ix, &sql, "query", &s, err);
    if (rc)
        return rc;
    bind_query(s, q);
    int ret = 0;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        /* Each row is copied (the callback sees it until it returns). */
        if (articles) {
            struct index_article a;
            if (!(ret = read_article(s, &a)))
                ret = acb(ud, &a);
            index_article_release(&a);
        } else {
            struct index_capture c;
            if (!(ret = read_capture(s, &c)))
                ret = ccb(ud, &c);
            index_capture_release(&c);
        }
        if (ret == NA_ENOMEM && !(err && err->len))
            buf_seterr(err, "index: out of memory");
        if (ret)
            break;
    }
    if (!ret && rc != SQLITE_DONE)
        ret = db_err(ix, rc, "query", err);
    sqlite3_finalize(s);
    return ret;
}

int index_articles(struct index *ix, const struct index_query *q,
                   int (*cb)(void *ud, const struct index_article *a), void *ud, struct buf *err)
{
    return run_query(ix, q, 1, cb, NULL, ud, err);
}

int index_captures(struct index *ix, const struct index_query *q,
                   int (*cb)(void *ud, const struct index_capture *c), void *ud, struct buf *err)
{
    return run_query(ix, q, 0, NULL, cb, ud, err);
}

/* Runs sql (one int64 or text bind at ?1) expecting at most one row, copied. */
/* One row by text or number. cache non-NULL: the statement is prepared
 * once and kept there (index_close finalizes it). */
static int get_one_cached(struct index *ix, sqlite3_stmt **cache, const char *sql, const char *text, int64_t num,
                          int articles, void *out, struct buf *err)
{
    sqlite3_stmt *s = cache ? *cache : NULL;
    int rc = SQLITE_OK;
    if (!s) {
        rc = cache ? sqlite3_prepare_v3(ix->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &s, NULL)
                   : sqlite3_prepare_v2(ix->db, sql, -1, &s, NULL);
        if (rc != SQLITE_OK)
            return db_err(ix, rc, "lookup", err);
        if (cache)
            *cache = s;
    }
    if (text)
        bind_text(s, 1, text);
    else
        sqlite3_bind_int64(s, 1, num);
    rc = sqlite3_step(s);
    int ret;
    if (rc == SQLITE_ROW) {
        ret = articles ? read_article(s, out) : read_capture(s, out);
        if (ret)
            buf_seterr(err, "index: out of memory");
        else
            ret = 1;
    } else if (rc == SQLITE_DONE) {
        ret = 0;
    } else {
        ret = db_err(ix, rc, "lookup", err);
    }
    if (cache) {
        sqlite3_reset(s);
        sqlite3_clear_bindings(s);
    } else {
        sqlite3_finalize(s);
    }
    return ret;
}

static int get_one(struct index *ix, const char *sql, const char *text, int64_t num, int articles, void *out,
                   struct buf *err)
{
    return get_one_cached(ix, NULL, sql, text, num, articles, out, err);
}

/* One int64 from sql with ?1 bound to a text or number: 1 row, 0 none, <0. */
static int get_int(struct index *ix, const char *sql, const char *text, int64_t num, int64_t *v, struct buf *err)
{
    sqlite3_stmt *s;
    int rc = sqlite3_prepare_v2(ix->db, sql, -1, &s, NULL);
    if (rc != SQLITE_OK)
        return db_err(ix, rc, "lookup", err);
    if (text)
        bind_text(s, 1, text);
    else
        sqlite3_bind_int64(s, 1, num);
    rc = sqlite3_step(s);
    int ret = rc == SQLITE_ROW ? 1 : rc == SQLITE_DONE ? 0 : db_err(ix, rc, "lookup", err);
    if (ret == 1)
        *v = sqlite3_column_int64(s, 0);
    sqlite3_finalize(s);
    return ret;
}

int index_cursor_resolve(struct index *ix, int64_t *id, const char *conversion_id, struct buf *err)
{
    int64_t v = 0;
    /* the usual case: the row is still there (primary key) */
    sqlite3_stmt *s;
    int rc = sqlite3_prepare_v2(ix->db, "SELECT 1 FROM articles WHERE id = ?1 AND conversion_id = ?2", -1, &s, NULL);
    if (rc != SQLITE_OK)
        return db_err(ix, rc, "cursor", err);
    sqlite3_bind_int64(s, 1, *id);
    bind_text(s, 2, conversion_id);
    rc = sqlite3_step(s);
    sqlite3_finalize(s);
    if (rc == SQLITE_ROW)
        return 1;
    if (rc != SQLITE_DONE)
        return db_err(ix, rc, "cursor", err);
    /* renumbered (reindex): a scan, once */
    rc = get_int(ix, "SELECT id FROM articles WHERE conversion_id = ?1 ORDER BY id LIMIT 1", conversion_id, 0, &v,
                 err);
    if (rc == 1)
        *id = v;
    return rc;
}

int index_article_get(struct index *ix, const char *url, struct index_article *out, struct buf *err)
{
    memset(out, 0, sizeof *out);
    return get_one(ix, ARTICLE_SELECT " WHERE a.url = ?1 ORDER BY a.extracted DESC, a.id DESC LIMIT 1", url, 0,
                   1, out, err);
}

int index_capture_get(struct index *ix, const char *url, int need_response, struct index_capture *out,
                      struct buf *err)
{
    memset(out, 0, sizeof *out);
    return get_one_cached(ix, &ix->cap_get[need_response ? 1 : 0],
                          need_response ? CAPTURE_SELECT " WHERE c.url = ?1 AND c.revisit = 0"
                                                         " ORDER BY c.fetched DESC, c.id DESC LIMIT 1"
                                        : CAPTURE_SELECT " WHERE c.url = ?1 ORDER BY c.fetched DESC, c.id DESC LIMIT 1",
                          url, 0, 0, out, err);
}

int index_capture_by_id(struct index *ix, int64_t id, struct index_capture *out, struct buf *err)
{
    memset(out, 0, sizeof *out);
    return get_one(ix, CAPTURE_SELECT " WHERE c.id = ?1", NULL, id, 0, out, err);
}

int index_capture_by_record_id(struct index *ix, const char *record_id, struct index_capture *out,
                               struct buf *err)
{
    memset(out, 0, sizeof *out);
    return get_one(ix, CAPTURE_SELECT " WHERE c.record_id = ?1", record_id, 0, 0, out, err);
}

static int count(struct index *ix, const char *sql, int64_t *out)
{
    sqlite3_stmt *s;
    if (sqlite3_prepare_v2(ix->db, sql, -1, &s, NULL) != SQLITE_OK)
        return -1;
    int rc = sqlite3_step(s);
    *out = rc == SQLITE_ROW ? sqlite3_column_int64(s, 0) : 0;
    sqlite3_finalize(s);
    return rc == SQLITE_ROW ? 0 : -1;
}

int index_stats(struct index *ix, struct index_stats *out, struct buf *err)
{
    memset(out, 0, sizeof *out);
    int64_t first = 0, last = 0;
    /* A million articles: COUNT(*) of a table (fast), minus the rare rows
     * each partial index of migration 3 holds; no row is read. */
    int64_t noreq = 0, noresp = 0, rvresp = 0, noconv = 0, nometa = 0, old = 0;
    if (count(ix, "SELECT COUNT(*) FROM captures", &out->captures) ||
        count(ix, "SELECT COUNT(*) FROM captures WHERE revisit != 0", &out->revisits) ||
        count(ix, "SELECT COUNT(*) FROM captures WHERE req_file IS NULL", &noreq) ||
        count(ix, "SELECT COUNT(*) FROM captures WHERE resp_file IS NULL", &noresp) ||
        count(ix, "SELECT COUNT(*) FROM captures WHERE revisit != 0 AND resp_file IS NOT NULL", &rvresp) ||
        count(ix, "SELECT COUNT(*) FROM captures WHERE meta_file IS NOT NULL AND conv_file IS NULL",
              &out->rec_metadata) ||
        count(ix, "SELECT COUNT(*) FROM articles", &out->extractions) ||
        count(ix, "SELECT COUNT(*) FROM articles WHERE newest = 0", &old) ||
        count(ix, "SELECT COUNT(*) FROM articles WHERE conv_file IS NULL", &noconv) ||
        count(ix, "SELECT COUNT(*) FROM articles WHERE meta_file IS NULL", &nometa) ||
        count(ix, "SELECT COUNT(DISTINCT site) FROM captures", &out->sites) ||
        count(ix, "SELECT COUNT(*) FROM warc_files", &out->files) ||
        count(ix, "SELECT COALESCE(MIN(fetched), 0) FROM captures", &first) ||
        count(ix, "SELECT COALESCE(MAX(fetched), 0) FROM captures", &last) ||
        count(ix, "SELECT COUNT(*) FROM frontier WHERE state = 0", &out->frontier_pending) ||
        count(ix, "SELECT COUNT(*) FROM frontier WHERE state = 1", &out->frontier_done) ||
        count(ix, "SELECT COUNT(*) FROM frontier WHERE state = 2", &out->frontier_failed))
        return db_err(ix, SQLITE_ERROR, "stats", err);
    out->responses = out->captures - out->revisits;
    out->articles = out->extractions - old;
    out->rec_request = out->captures - noreq;
    out->rec_revisit = rvresp;
    out->rec_response = out->captures - noresp - rvresp;
    out->rec_conversion = out->extractions - noconv;
    out->rec_metadata += out->extractions - nometa;
    out->first_fetch = (time_t)first;
    out->last_fetch = (time_t)last;
    return 0;
}

int index_site_stats(struct index *ix, int (*cb)(void *ud, const struct index_site_stats *s), void *ud,
                     struct buf *err)
{
    /* Each side grouped by the column itself, in the order of a covering
     * index (captures_site, articles_site_published), then merged. */
    static const char sql[] =
        "SELECT s, SUM(cn), SUM(an), COALESCE(MAX(last), 0), MAX(pub) FROM ("
        " SELECT COALESCE(site, '') AS s, COUNT(*) AS cn, 0 AS an, MAX(fetched) AS last, NULL AS pub"
        "  FROM captures GROUP BY captures.site"
        " UNION ALL"
        " SELECT COALESCE(site, ''), 0, COUNT(*), NULL, MAX(published)"
        "  FROM articles WHERE newest = 1 GROUP BY articles.site)"
        " GROUP BY s ORDER BY s";
    sqlite3_stmt *s;
    int rc = sqlite3_prepare_v2(ix->db, sql, -1, &s, NULL);
    if (rc != SQLITE_OK)
        return db_err(ix, rc, "site stats", err);
    int ret = 0;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        struct index_site_stats st = {
            .site = (const char *)sqlite3_column_text(s, 0),
            .captures = sqlite3_column_int64(s, 1),
            .articles = sqlite3_column_int64(s, 2),
            .last_fetch = (time_t)sqlite3_column_int64(s, 3),
            .newest_published = (const char *)sqlite3_column_text(s, 4),
        };
        if ((ret = cb(ud, &st)) != 0)
            break;
    }
    if (!ret && rc != SQLITE_DONE)
        ret = db_err(ix, rc, "site stats", err);
    sqlite3_finalize(s);
    return ret;
}

/* ---- crawler state ---- */

static int exists(struct index *ix, enum stmt_id id, const char *url)
{
    sqlite3_stmt *s = stmt(ix, id);
    if (!s)
        return NA_EDB;
    bind_text(s, 1, url);
    int rc = sqlite3_step(s);
    sqlite3_reset(s);
    return rc == SQLITE_ROW ? 1 : rc == SQLITE_DONE ? 0 : NA_EDB;
}

int index_has_article(struct index *ix, const char *url) { return exists(ix, ST_HAS_ART, url); }

int index_has_capture(struct index *ix, const char *url) { return exists(ix, ST_HAS_CAP, url); }

int index_validators(struct index *ix, const char *url, char **etag, char **last_modified)
{
    *etag = *last_modified = NULL;
    sqlite3_stmt *s = stmt(ix, ST_VALID);
    if (!s)
        return NA_EDB;
    bind_text(s, 1, url);
    int rc = sqlite3_step(s), ret = 0;
    if (rc == SQLITE_ROW) {
        int nomem = 0;
        *etag = col(s, 0, &nomem);
        *last_modified = col(s, 1, &nomem);
        ret = 1;
        if (nomem) {
            free(*etag);
            free(*last_modified);
            *etag = *last_modified = NULL;
            ret = NA_ENOMEM;
        }
    } else if (rc != SQLITE_DONE) {
        ret = NA_EDB;
    }
    sqlite3_reset(s);
    return ret;
}

int index_frontier_add(struct index *ix, const char *site, const char *url, const char *referrer, int kind,
                       int depth)
{
    sqlite3_stmt *s = stmt(ix, ST_FR_ADD);
    if (!s || !url)
        return s ? NA_EINVAL : NA_EDB;
    bind_text(s, 1, url);
    bind_text(s, 2, site);
    bind_text(s, 3, referrer);
    sqlite3_bind_int(s, 4, kind);
    sqlite3_bind_int(s, 5, depth);
    int rc = sqlite3_step(s);
    sqlite3_reset(s);
    if (rc != SQLITE_DONE)
        return db_code(rc);
    return sqlite3_changes(ix->db) > 0 ? 1 : 0;
}

int index_frontier_pending(struct index *ix, const char *site, size_t max, int mode, time_t now,
                           struct frontier_item **items, size_t *n)
{
    *items = NULL;
    *n = 0;
    if (!max)
        return 0;
    static const char *const where[] = {
        [INDEX_FR_DUE] = "state = 0 AND next_attempt <= ?3",                  /* due now */
        [INDEX_FR_RETRY_ALL] = "state <> 1",                                  /* every row not done */
        [INDEX_FR_FAILED] = "(state = 2 OR (state = 0 AND attempts > 0))",    /* failed at least once */
    };
    if (mode < INDEX_FR_DUE || mode > INDEX_FR_FAILED)
        return NA_EINVAL;
    char sql[512];
    snprintf(sql, sizeof sql,
             "SELECT url, site, referrer, kind, depth, attempts, state, reason, status, last_attempt, next_attempt"
             " FROM frontier WHERE %s%s ORDER BY %s LIMIT ?2",
             where[mode], site ? " AND site = ?1" : "", mode == INDEX_FR_FAILED ? "site, state, next_attempt, id" : "id");
    sqlite3_stmt *s;
    int rc = sqlite3_prepare_v2(ix->db, sql, -1, &s, NULL);
    if (rc != SQLITE_OK)
        return db_code(rc);
    if (site)
        bind_text(s, 1, site);
    sqlite3_bind_int64(s, 2, (int64_t)(max > INDEX_FRONTIER_MAX_ITEMS ? INDEX_FRONTIER_MAX_ITEMS : max));
    if (mode == INDEX_FR_DUE)
        sqlite3_bind_int64(s, 3, (int64_t)now);
    size_t cap = 0;
    struct frontier_item *v = NULL;
    int ret = 0;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        /* the LIMIT keeps *n within INDEX_FRONTIER_MAX_ITEMS */
        if ((ret = NA_GROW(v, cap, *n + 1, INDEX_FRONTIER_MAX_ITEMS)))
            break;
        struct frontier_item *it = &v[*n];
        int nomem = 0;
        memset(it, 0, sizeof *it);
        it->url = col(s, 0, &nomem);
        it->site = col(s, 1, &nomem);
        it->referrer = col(s, 2, &nomem);
        it->kind = (enum capture_kind)sqlite3_column_int(s, 3);
        it->depth = sqlite3_column_int(s, 4);
        it->attempts = sqlite3_column_int(s, 5);
        it->given_up = sqlite3_column_int(s, 6) == FRONTIER_FAILED;
        it->reason = col(s, 7, &nomem);
        it->status = sqlite3_column_int(s, 8);
        it->last_attempt = (time_t)sqlite3_column_int64(s, 9);
        it->next_attempt = (time_t)sqlite3_column_int64(s, 10);
        (*n)++;
        if (nomem) {
            ret = NA_ENOMEM;
            break;
        }
    }
    if (!ret && rc != SQLITE_DONE)
        ret = db_code(rc);
    sqlite3_finalize(s);
    if (ret) {
        index_frontier_items_free(v, *n);
        v = NULL;
        *n = 0;
    }
    *items = v;
    return ret;
}

void index_frontier_items_free(struct frontier_item *items, size_t n)
{
    if (!items)
        return;
    for (size_t i = 0; i < n; i++) {
        free(items[i].url);
        free(items[i].site);
        free(items[i].referrer);
        free(items[i].reason);
    }
    free(items);
}

int index_frontier_finish(struct index *ix, const char *url)
{
    sqlite3_stmt *s = stmt(ix, ST_FR_OK);
    if (!s)
        return NA_EDB;
    bind_text(s, 1, url);
    int rc = sqlite3_step(s);
    sqlite3_reset(s);
    if (rc != SQLITE_DONE)
        return db_code(rc);
    return sqlite3_changes(ix->db) > 0 ? 0 : NA_ENOTFOUND;
}

int index_frontier_fail(struct index *ix, const char *url, const char *reason, int status, const long *delays,
                        size_t ndelays, time_t now)
{
    sqlite3_stmt *s = stmt(ix, ST_FR_ATT);
    if (!s)
        return NA_EDB;
    bind_text(s, 1, url);
    int rc = sqlite3_step(s);
    if (rc != SQLITE_ROW) {
        sqlite3_reset(s);
        return rc == SQLITE_DONE ? NA_ENOTFOUND : db_code(rc);
    }
    int attempts = sqlite3_column_int(s, 0), state = sqlite3_column_int(s, 1);
    sqlite3_reset(s);
    if (state == FRONTIER_DONE)
        return 0; /* archived meanwhile (another page's job, recovery) */
    /* attempts failed so far, this one included; delays[k] follows the
     * (k+1)-th failure; the failure after the last delay gives up */
    attempts++;
    int given_up = (size_t)attempts > ndelays;
    time_t next = given_up ? 0 : now + (time_t)delays[attempts - 1];
    if (!(s = stmt(ix, ST_FR_FAIL)))
        return NA_EDB;
    bind_text(s, 1, url);
    sqlite3_bind_int(s, 2, attempts);
    sqlite3_bind_int(s, 3, given_up ? FRONTIER_FAILED : FRONTIER_PENDING);
    bind_text(s, 4, reason);
    if (status > 0)
        sqlite3_bind_int(s, 5, status);
    else
        sqlite3_bind_null(s, 5);
    sqlite3_bind_int64(s, 6, (int64_t)now);
    sqlite3_bind_int64(s, 7, (int64_t)next);
    rc = sqlite3_step(s);
    sqlite3_reset(s);
    if (rc != SQLITE_DONE)
        return db_code(rc);
    return given_up;
}

int index_frontier_reasons(struct index *ix, int (*cb)(void *ud, int given_up, const char *reason, int64_t n),
                           void *ud, struct buf *err)
{
    static const char sql[] = "SELECT state = 2, COALESCE(reason, ''), COUNT(*) FROM frontier"
                              " WHERE state = 2 OR (state = 0 AND attempts > 0) GROUP BY 1, 2 ORDER BY 1, 3 DESC, 2";
    sqlite3_stmt *s;
    int rc = sqlite3_prepare_v2(ix->db, sql, -1, &s, NULL);
    if (rc != SQLITE_OK)
        return db_err(ix, rc, "frontier reasons", err);
    int ret = 0;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW)
        if ((ret = cb(ud, sqlite3_column_int(s, 0), (const char *)sqlite3_column_text(s, 1),
                      sqlite3_column_int64(s, 2))) != 0)
            break;
    if (!ret && rc != SQLITE_DONE)
        ret = db_err(ix, rc, "frontier reasons", err);
    sqlite3_finalize(s);
    return ret;
}

int index_state_set(struct index *ix, const char *site, const char *key, const char *value)
{
    sqlite3_stmt *s = stmt(ix, ST_ST_SET);
    if (!s || !key)
        return s ? NA_EINVAL : NA_EDB;
    bind_text(s, 1, site ? site : "");
    bind_text(s, 2, key);
    bind_text(s, 3, value);
    int rc = sqlite3_step(s);
    sqlite3_reset(s);
    return rc == SQLITE_DONE ? 0 : db_code(rc);
}

char *index_state_get(struct index *ix, const char *site, const char *key)
{
    sqlite3_stmt *s = stmt(ix, ST_ST_GET);
    if (!s || !key)
        return NULL;
    bind_text(s, 1, site ? site : "");
    bind_text(s, 2, key);
    char *v = NULL;
    int nomem = 0;
    if (sqlite3_step(s) == SQLITE_ROW)
        v = col(s, 0, &nomem);
    sqlite3_reset(s);
    return v;
}

int index_copy_state(struct index *ix, const char *path, struct buf *err)
{
    sqlite3_stmt *s;
    int rc = sqlite3_prepare_v2(ix->db, "ATTACH DATABASE ?1 AS old", -1, &s, NULL);
    if (rc != SQLITE_OK)
        return db_err(ix, rc, "attach", err);
    /* Open the old file read-only through a URI so a missing file is not created. */
    struct buf uri = BUF_INIT;
    buf_adds(&uri, "file:");
    for (const char *c = path; *c; c++) {
        if (*c == '%' || *c == '?' || *c == '#')
            buf_printf(&uri, "%%%02x", (unsigned char)*c);
        else
            buf_addc(&uri, *c);
    }
    buf_adds(&uri, "?mode=ro");
    bind_text(s, 1, buf_str(&uri));
    rc = sqlite3_step(s);
    sqlite3_finalize(s);
    buf_release(&uri);
    if (rc != SQLITE_DONE) {
        buf_seterr(err, "'%s': %s", path, sqlite3_errmsg(ix->db));
        return NA_ENOTFOUND;
    }
    /* an old index of schema 1 has no retry columns */
    int64_t v2 = 0;
    count(ix, "SELECT COUNT(*) FROM pragma_table_info('frontier', 'old') WHERE name = 'next_attempt'", &v2);
    int ret = exec(ix,
                   v2 ? "INSERT OR IGNORE INTO frontier(url, site, referrer, kind, depth, attempts, state, added,"
                        " updated, reason, status, last_attempt, next_attempt)"
                        " SELECT url, site, referrer, kind, depth, attempts, state, added, updated,"
                        " reason, status, last_attempt, next_attempt FROM old.frontier ORDER BY id;"
                        "INSERT OR REPLACE INTO state(site, key, value) SELECT site, key, value FROM old.state;"
                      : "INSERT OR IGNORE INTO frontier(url, site, referrer, kind, depth, attempts, state, added,"
                        " updated) SELECT url, site, referrer, kind, depth, attempts,"
                        " CASE state WHEN 2 THEN 0 ELSE state END, added, updated FROM old.frontier ORDER BY id;"
                        "INSERT OR REPLACE INTO state(site, key, value) SELECT site, key, value FROM old.state;",
                   err);
    int64_t tpl = 0; /* schema 3: the site templates are crawler state too */
    count(ix, "SELECT COUNT(*) FROM old.sqlite_master WHERE name = 'template_blocks'", &tpl);
    if (!ret && tpl)
        ret = exec(ix, "INSERT OR REPLACE INTO template_blocks(site, hash, n) SELECT site, hash, n"
                       " FROM old.template_blocks", err);
    exec(ix, "DETACH DATABASE old", NULL);
    return ret;
}

int index_template_put(struct index *ix, const char *site, int64_t hash, int64_t n)
{
    sqlite3_stmt *s = stmt(ix, ST_TPL_PUT);
    if (!s)
        return NA_EDB;
    bind_text(s, 1, site ? site : "");
    sqlite3_bind_int64(s, 2, hash);
    sqlite3_bind_int64(s, 3, n);
    int rc = sqlite3_step(s);
    sqlite3_reset(s);
    return rc == SQLITE_DONE ? 0 : db_code(rc);
}

int index_template_forget(struct index *ix, const char *site, int64_t under)
{
    sqlite3_stmt *s = NULL;
    int rc = sqlite3_prepare_v2(ix->db, "DELETE FROM template_blocks WHERE site = ?1 AND hash != 0 AND n <= ?2",
                                -1, &s, NULL);
    if (rc == SQLITE_OK) {
        bind_text(s, 1, site ? site : "");
        sqlite3_bind_int64(s, 2, under);
        rc = sqlite3_step(s);
    }
    sqlite3_finalize(s);
    return rc == SQLITE_DONE ? 0 : db_code(rc);
}

int index_template_load(struct index *ix, const char *site, int (*cb)(void *ud, int64_t hash, int64_t n), void *ud,
                        struct buf *err)
{
    sqlite3_stmt *s = stmt(ix, ST_TPL_GET);
    if (!s) {
        buf_seterr(err, "index: cannot read the site templates: %s", sqlite3_errmsg(ix->db));
        return NA_EDB;
    }
    bind_text(s, 1, site ? site : "");
    int rc, ret = 0;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW)
        if ((ret = cb(ud, sqlite3_column_int64(s, 0), sqlite3_column_int64(s, 1))))
            break;
    sqlite3_reset(s);
    if (!ret && rc != SQLITE_DONE)
        return db_err(ix, rc, "reading the site template", err);
    return ret;
}

/* ---- full-text search ---- */

/* The filters shared by both shapes of the search query (terms: the
 * substring terms too). */
static void search_where(struct buf *sql, const struct index_search_q *q, int terms)
{
    if (q->site)
        buf_adds(sql, " AND a.site = ?2");
    if (q->since)
        buf_adds(sql, " AND a.date_key >= ?3");
    if (q->until)
        buf_adds(sql, " AND substr(a.date_key, 1, length(?4)) <= ?4");
    for (size_t i = 0; terms && i < q->nterms; i++)
        buf_printf(sql, " AND instr(%s, ?%zu) %s 0",
                   q->terms[i].title_only ? "coalesce(f.title, '')" : "coalesce(f.title, '') || ' ' || f.text", 10 + i,
                   q->terms[i].negate ? "=" : ">");
}

/* Binds q's parameters (and floor, when not 0) to s. */
static void search_bind(sqlite3_stmt *s, const struct index_search_q *q, int64_t floor)
{
    if (q->match)
        bind_text(s, 1, q->match);
    if (q->site)
        bind_text(s, 2, q->site);
    if (q->since)
        bind_text(s, 3, q->since);
    if (q->until)
        bind_text(s, 4, q->until);
    if (!q->match && q->scan_max > 0)
        sqlite3_bind_int64(s, 5, q->scan_max);
    if (floor)
        sqlite3_bind_int64(s, 6, floor);
    for (size_t i = 0; i < q->nterms; i++)
        bind_text(s, (int)(10 + i), q->terms[i].s);
}

/* The row id of the newest match of q past the rank_window newest into
 * *floor (the window is the rows above it), 0 when no more match. The
 * substring terms are left out: they read each row's text, and a rare one
 * would have the window read every match of a common word. */
static int search_floor(struct index *ix, const struct index_search_q *q, int64_t *floor, struct buf *err)
{
    struct buf sql = BUF_INIT;
    buf_adds(&sql, "SELECT f.rowid FROM articles_fts f");
    if (q->site || q->since || q->until)
        buf_adds(&sql, " JOIN articles a ON a.id = f.rowid");
    buf_adds(&sql, " WHERE articles_fts MATCH ?1");
    search_where(&sql, q, 0);
    buf_printf(&sql, " ORDER BY f.rowid DESC LIMIT 1 OFFSET %zu", q->rank_window);
    sqlite3_stmt *s;
    int rc = prepare_built(ix, &sql, "search", &s, err);
    if (rc)
        return rc;
    search_bind(s, q, 0);
    *floor = 0;
    if ((rc = sqlite3_step(s)) == SQLITE_ROW)
        *floor = sqlite3_column_int64(s, 0);
    int ret = 0;
    if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
        ret = rc == SQLITE_ERROR ? NA_EINVAL : db_code(rc);
        buf_seterr(err, "search: %s", sqlite3_errmsg(ix->db));
    }
    sqlite3_finalize(s);
    return ret;
}

/* The search statement's text into sql (floor: only rows above it). */
static void search_sql(struct buf *sql, const struct index_search_q *q, int64_t floor)
{
    size_t limit = q->limit ? q->limit : 20;
    if (q->match) {
        /* The best rows first (the sorter holds ids and scores), then the
         * snippets of those rows alone: a snippet reads the text, and a
         * common word matches half the archive. na_rank is bm25 with its
         * article counts bounded (store/fts_rank.h). */
        buf_adds(sql, "WITH top AS (SELECT f.rowid AS id, a.date_key AS dk, " FTS_RANK_NAME "(articles_fts, 4.0, 1.0,"
                      " (SELECT min(id) FROM articles_fts_docsize), (SELECT max(id) FROM articles_fts_docsize)) AS r"
                      " FROM articles_fts f JOIN articles a ON a.id = f.rowid WHERE articles_fts MATCH ?1");
        if (floor)
            buf_adds(sql, " AND f.rowid > ?6");
        search_where(sql, q, 1);
        buf_printf(sql, " ORDER BY r, dk DESC, id DESC LIMIT %zu)"
                        " SELECT a.id, a.url, a.site, a.title, a.published, a.date_key, a.fetched, a.dup_of,"
                        " snippet(articles_fts, -1, char(2), char(3), '…', 32), top.r, NULL"
                        /* CROSS JOIN: top drives (a seek per row); the other
                         * order scans every match again */
                        " FROM top CROSS JOIN articles_fts CROSS JOIN articles a WHERE articles_fts.rowid = top.id"
                        " AND a.id = top.id AND articles_fts MATCH ?1 ORDER BY top.r, top.dk DESC, top.id DESC",
                   limit);
    } else {
        /* newest archived first: a common short word stops the scan early */
        buf_adds(sql, "SELECT a.id, a.url, a.site, a.title, a.published, a.date_key, a.fetched, a.dup_of,"
                      " NULL, 0, f.text FROM articles_fts f JOIN articles a ON a.id = f.rowid WHERE 1");
        if (q->scan_max > 0)
            buf_adds(sql, " AND f.rowid > (SELECT max(id) FROM articles_fts_docsize) - ?5");
        search_where(sql, q, 1);
        buf_printf(sql, " ORDER BY f.rowid DESC LIMIT %zu", limit);
    }
}

int index_search(struct index *ix, const struct index_search_q *q, int (*cb)(void *ud, const struct index_hit *h),
                 void *ud, struct buf *err)
{
    int rc;
    int64_t floor = 0;
    if (q->capped)
        *q->capped = 0;
    if (q->match && !ix->rank_fn) {
        if ((rc = fts_rank_register(ix->db)) != SQLITE_OK)
            return db_err(ix, rc, "search: registering the ranking function", err);
        ix->rank_fn = 1;
    }
    if (q->match && q->rank_window > 0) {
        if ((rc = search_floor(ix, q, &floor, err)) != 0)
            return rc;
        if (q->capped)
            *q->capped = floor != 0;
    }
    struct buf sql = BUF_INIT;
    search_sql(&sql, q, floor);
    sqlite3_stmt *s;
    if ((rc = prepare_built(ix, &sql, "search", &s, err)) != 0)
        return rc;
    search_bind(s, q, floor);
    int ret = 0;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        struct index_hit h;
        h.id = sqlite3_column_int64(s, 0);
        h.url = (const char *)sqlite3_column_text(s, 1);
        h.site = (const char *)sqlite3_column_text(s, 2);
        h.title = (const char *)sqlite3_column_text(s, 3);
        h.published = (const char *)sqlite3_column_text(s, 4);
        h.date_key = (const char *)sqlite3_column_text(s, 5);
        h.fetched = (time_t)sqlite3_column_int64(s, 6);
        h.dup_of = sqlite3_column_int64(s, 7);
        h.snippet = (const char *)sqlite3_column_text(s, 8);
        h.score = sqlite3_column_double(s, 9);
        h.text = (const char *)sqlite3_column_text(s, 10);
        if ((ret = cb(ud, &h)) != 0)
            break;
    }
    if (!ret && rc != SQLITE_DONE) {
        /* a query FTS5 cannot parse is the user's: say so */
        ret = rc == SQLITE_ERROR ? NA_EINVAL : db_code(rc);
        buf_seterr(err, "search: %s", sqlite3_errmsg(ix->db));
    }
    sqlite3_finalize(s);
    return ret;
}

int index_explain(struct index *ix, struct buf *out, struct buf *err)
{
    for (int i = 0; i < ST_COUNT; i++) {
        struct buf sql = BUF_INIT;
        sqlite3_stmt *s = NULL;
        if (buf_adds(&sql, "EXPLAIN QUERY PLAN ") < 0 || buf_adds(&sql, stmt_sql[i]) < 0) {
            buf_release(&sql);
            buf_seterr(err, "out of memory");
            return NA_ENOMEM;
        }
        int rc = sqlite3_prepare_v2(ix->db, sql.data, -1, &s, NULL);
        buf_release(&sql);
        if (rc != SQLITE_OK)
            return db_err(ix, rc, "explain", err);
        while ((rc = sqlite3_step(s)) == SQLITE_ROW)
            if (buf_printf(out, "%d\t%s\n", i, (const char *)sqlite3_column_text(s, 3)) < 0) {
                sqlite3_finalize(s);
                buf_seterr(err, "out of memory");
                return NA_ENOMEM;
            }
        sqlite3_finalize(s);
        if (rc != SQLITE_DONE)
            return db_err(ix, rc, "explain", err);
    }
    return 0;
}

int index_cluster(struct index *ix, int64_t id, int (*cb)(void *ud, const struct index_article *a), void *ud,
                  struct buf *err)
{
    sqlite3_stmt *s;
    int rc = sqlite3_prepare_v2(ix->db,
                                ARTICLE_SELECT " WHERE a.id = (SELECT coalesce(dup_of, id) FROM articles WHERE id = ?1)"
                                               " OR (a.newest = 1 AND a.dup_of = (SELECT coalesce(dup_of, id)"
                                               " FROM articles WHERE id = ?1)) OR a.id = ?1 ORDER BY a.id",
                                -1, &s, NULL);
    if (rc != SQLITE_OK)
        return db_err(ix, rc, "cluster", err);
    sqlite3_bind_int64(s, 1, id);
    int ret = 0;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        struct index_article a;
        if (!(ret = read_article(s, &a)))
            ret = cb(ud, &a);
        index_article_release(&a);
        if (ret)
            break;
    }
    if (!ret && rc != SQLITE_DONE)
        ret = db_err(ix, rc, "cluster", err);
    sqlite3_finalize(s);
    return ret;
}

int index_search_counts(struct index *ix, int64_t *indexed, int64_t *articles, struct buf *err)
{
    int rc = get_int(ix, "SELECT EXISTS (SELECT 1 FROM articles_fts WHERE ?1 = 0)", NULL, 0, indexed, err);
    if (rc >= 0)
        rc = get_int(ix, "SELECT EXISTS (SELECT 1 FROM articles WHERE newest = 1 AND ?1 = 0)", NULL, 0, articles, err);
    return rc < 0 ? rc : 0;
}

int index_dup_roots(struct index *ix, const char *site, int (*cb)(void *ud, int64_t root), void *ud, struct buf *err)
{
    sqlite3_stmt *s;
    int rc = sqlite3_prepare_v2(ix->db,
                                "SELECT dup_of FROM articles WHERE newest = 1 AND dup_of IS NOT NULL"
                                " AND (?1 IS NULL OR site = ?1) GROUP BY dup_of ORDER BY dup_of",
                                -1, &s, NULL);
    if (rc != SQLITE_OK)
        return db_err(ix, rc, "clusters", err);
    bind_text(s, 1, site);
    int ret = 0;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW)
        if ((ret = cb(ud, sqlite3_column_int64(s, 0))) != 0)
            break;
    if (!ret && rc != SQLITE_DONE)
        ret = db_err(ix, rc, "clusters", err);
    sqlite3_finalize(s);
    return ret;
}
