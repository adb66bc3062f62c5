/* dup_lookup.c — the CPU a near-duplicate lookup costs in a big archive
 * (tests/bench/bench-dups.sh). Opens INDEX with index_open (a writer: an
 * older schema is migrated, and the migration's CPU is printed), optionally
 * adds synthetic articles with random SimHashes, then times PROBES calls of
 * index_dup_root (the lookup index_add_article makes for every new text)
 * with random hashes at one fetch time, as CPU time of this process.
 *   dup_lookup INDEX PROBES [--fill N [--until T] [--tx-each]] [--hash-missing] [--at T]
 * --fill N: N articles fetched uniformly over the 60 days before T
 *   (--until, default 1760000000; the month either side of the probes),
 *   in one transaction, or one per article (--tx-each, as a crawl); prints
 *   the CPU per article added (the band rows' upkeep is in it);
 * --hash-missing: a random SimHash for every article without one (a
 *   bench-million.sh archive, whose synthetic rows have no text);
 * --at T: the probes' fetch time (default: the middle of the articles'
 *   fetch times). Prints the articles within the month either side of T,
 *   the CPU per lookup, and how many probes found a cluster. */
#include "store/index.h"
#include "util/simhash.h"

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static uint64_t rng = 0x9e3779b97f4a7c15ULL;
static uint64_t next_rand(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return rng;
}

static double cpu_now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static int die(const char *what, const char *msg)
{
    fprintf(stderr, "dup_lookup: %s: %s\n", what, msg);
    return 1;
}

static int fill(sqlite3 *db, long n, int64_t until, int per_tx)
{
    sqlite3_stmt *s;
    if (sqlite3_exec(db, "BEGIN", NULL, NULL, NULL) != SQLITE_OK ||
        sqlite3_prepare_v2(db,
                           "INSERT INTO articles(url, site, capture_id, fetched, extracted, date_key, newest, simhash)"
                           " VALUES (printf('http://s%d.fill.test/%d.html', ?1 % 500, ?1), printf('s%d', ?1 % 500),"
                           " 0, ?2, ?2, '2025-10-01', 0, ?3)",
                           -1, &s, NULL) != SQLITE_OK)
        return die("fill", sqlite3_errmsg(db));
    sqlite3_stmt *u;
    /* newest = 1 as index_add_article sets it: by an update of the new row */
    if (sqlite3_prepare_v2(db, "UPDATE articles SET newest = 1 WHERE id = ?1", -1, &u, NULL) != SQLITE_OK)
        return die("fill", sqlite3_errmsg(db));
    for (long i = 0; i < n; i++) {
        sqlite3_bind_int64(s, 1, i);
        sqlite3_bind_int64(s, 2, until - (int64_t)(next_rand() % 5184000));
        sqlite3_bind_int64(s, 3, (int64_t)next_rand());
        if (sqlite3_step(s) != SQLITE_DONE)
            return die("fill", sqlite3_errmsg(db));
        sqlite3_reset(s);
        sqlite3_bind_int64(u, 1, sqlite3_last_insert_rowid(db));
        if (sqlite3_step(u) != SQLITE_DONE)
            return die("fill", sqlite3_errmsg(db));
        sqlite3_reset(u);
        /* a transaction per article, as a crawl writes them */
        if (per_tx && (sqlite3_exec(db, "COMMIT", NULL, NULL, NULL) || sqlite3_exec(db, "BEGIN", NULL, NULL, NULL)))
            return die("fill", sqlite3_errmsg(db));
    }
    sqlite3_finalize(s);
    sqlite3_finalize(u);
    return sqlite3_exec(db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK ? die("fill", sqlite3_errmsg(db)) : 0;
}

static int64_t one_int(sqlite3 *db, const char *sql, int64_t at)
{
    sqlite3_stmt *s;
    int64_t v = -1;
    if (sqlite3_prepare_v2(db, sql, -1, &s, NULL) != SQLITE_OK)
        return -1;
    sqlite3_bind_int64(s, 1, at);
    if (sqlite3_step(s) == SQLITE_ROW)
        v = sqlite3_column_int64(s, 0);
    sqlite3_finalize(s);
    return v;
}

int main(int argc, char **argv)
{
    if (argc < 3) {
        fprintf(stderr, "usage: dup_lookup INDEX PROBES [--fill N [--until T] [--tx-each]] [--hash-missing] [--at T]\n");
        return 2;
    }
    const char *path = argv[1];
    long probes = atol(argv[2]), nfill = 0;
    int hash_missing = 0, per_tx = 0;
    int64_t at = 0, until = 1760000000;
    for (int i = 3; i < argc; i++) {
        if (!strcmp(argv[i], "--fill") && i + 1 < argc)
            nfill = atol(argv[++i]);
        else if (!strcmp(argv[i], "--until") && i + 1 < argc)
            until = atoll(argv[++i]);
        else if (!strcmp(argv[i], "--tx-each"))
            per_tx = 1;
        else if (!strcmp(argv[i], "--hash-missing"))
            hash_missing = 1;
        else if (!strcmp(argv[i], "--at") && i + 1 < argc)
            at = atoll(argv[++i]);
        else
            return die("usage", argv[i]);
    }
    struct buf err = BUF_INIT;
    struct index *ix;
    double t0 = cpu_now();
    int rc = index_open(path, INDEX_CREATE, &ix, &err);
    if (rc)
        return die(path, buf_str(&err));
    printf("open (with any migration): %.2f s CPU\n", cpu_now() - t0);
    index_close(ix);
    sqlite3 *db;
    if (sqlite3_open(path, &db) != SQLITE_OK)
        return die(path, sqlite3_errmsg(db));
    sqlite3_busy_timeout(db, 10000);
    sqlite3_exec(db, "PRAGMA synchronous = NORMAL; PRAGMA temp_store = MEMORY", NULL, NULL, NULL); /* as index_open */
    t0 = cpu_now();
    if (nfill && fill(db, nfill, until, per_tx))
        return 1;
    if (nfill)
        printf("fill: %.1f us CPU per article\n", (cpu_now() - t0) / (double)nfill * 1e6);
    if (hash_missing) {
        t0 = cpu_now();
        /* each row's own random number: the band tables follow (triggers) */
        if (sqlite3_exec(db, "UPDATE articles SET simhash = random() WHERE simhash IS NULL", NULL, NULL, NULL))
            return die("hash", sqlite3_errmsg(db));
        printf("random hashes for the rows without: %.1f s CPU\n", cpu_now() - t0);
    }
    if (!at)
        at = one_int(db, "SELECT (min(fetched) + max(fetched)) / 2 FROM articles WHERE simhash IS NOT NULL", 0);
    int64_t near = one_int(db,
                           "SELECT count(*) FROM articles WHERE simhash IS NOT NULL AND newest = 1"
                           " AND fetched BETWEEN ?1 - 2678400 AND ?1 + 2678400",
                           at);
    sqlite3_close(db);
    if ((rc = index_open(path, 0, &ix, &err)))
        return die(path, buf_str(&err));
    long found = 0;
    int64_t root;
    rng = 0x2545f4914f6cdd1dULL; /* probes: other hashes than --fill's */
    /* one untimed lookup: the statement's preparation is not per article */
    if ((rc = index_dup_root(ix, "http://probe.test/", at, next_rand(), &root, &err)))
        return die("lookup", buf_str(&err));
    t0 = cpu_now();
    for (long p = 0; p < probes; p++) {
        if ((rc = index_dup_root(ix, "http://probe.test/", at, next_rand(), &root, &err)))
            return die("lookup", buf_str(&err));
        found += root != 0;
    }
    double per = (cpu_now() - t0) / (double)(probes ? probes : 1);
    printf("lookups: %lld articles within a month either side; %.1f us CPU per lookup (%ld probes, %ld found "
           "a cluster)\n",
           (long long)near, per * 1e6, probes, found);
    index_close(ix);
    buf_release(&err);
    return 0;
}
