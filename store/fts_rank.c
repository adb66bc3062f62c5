/* fts_rank.c — na_rank, bm25 with a bounded count of each phrase's articles
 * (fts_rank.h). The formula is FTS5's own (ext/fts5/fts5_aux.c, bm25): only
 * the IDF's article count differs, once a phrase has more than
 * FTS_RANK_DF_EXACT matches. */
#include "store/fts_rank.h"
#include "util/mem.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

struct rank_data {
    int nphrase;
    double avgdl;
    double *idf;     /* [nphrase] */
    double *freq;    /* [nphrase], per row */
};

struct df_count {
    sqlite3_int64 n, last;  /* matches seen, rowid of the last one */
};

static int count_cb(const Fts5ExtensionApi *api, Fts5Context *fts, void *ud)
{
    struct df_count *c = ud;
    c->last = api->xRowid(fts);
    return ++c->n >= FTS_RANK_DF_EXACT ? SQLITE_DONE : SQLITE_OK;
}

static void rank_data_free(void *p)
{
    struct rank_data *d = p;
    if (d) {
        free(d->idf);
        free(d);
    }
}

/* The articles holding phrase i: exact up to FTS_RANK_DF_EXACT, else the
 * density among rows lo..(the FTS_RANK_DF_EXACT-th match, by rowid) carried
 * over to lo..hi. */
static int phrase_df(const Fts5ExtensionApi *api, Fts5Context *fts, int i, sqlite3_int64 lo, sqlite3_int64 hi,
                     sqlite3_int64 nrow, double *df)
{
    struct df_count c = { 0, 0 };
    int rc = api->xQueryPhrase(fts, i, &c, count_cb);
    if (rc != SQLITE_OK)
        return rc;
    *df = (double)c.n;
    if (c.n >= FTS_RANK_DF_EXACT && hi > lo && c.last >= lo) {
        double est = (double)c.n * (double)(hi - lo + 1) / (double)(c.last - lo + 1);
        *df = est > (double)nrow ? (double)nrow : est;
    }
    return SQLITE_OK;
}

/* Per query (FTS5 keeps it as the function's auxiliary data): the average
 * row length and each phrase's IDF, as bm25's. */
static int rank_data_get(const Fts5ExtensionApi *api, Fts5Context *fts, sqlite3_int64 lo, sqlite3_int64 hi,
                         struct rank_data **out)
{
    struct rank_data *d = api->xGetAuxdata(fts, 0);
    if (d) {
        *out = d;
        return SQLITE_OK;
    }
    int np = api->xPhraseCount(fts);
    if (!(d = na_calloc(1, sizeof *d)) || !(d->idf = na_calloc((size_t)np * 2 + 1, sizeof *d->idf))) {
        rank_data_free(d);
        return SQLITE_NOMEM;
    }
    d->nphrase = np;
    d->freq = d->idf + np;
    sqlite3_int64 nrow = 0, ntok = 0;
    int rc = api->xRowCount(fts, &nrow);
    if (rc == SQLITE_OK)
        rc = api->xColumnTotalSize(fts, -1, &ntok);
    d->avgdl = nrow ? (double)ntok / (double)nrow : 1.0;
    for (int i = 0; rc == SQLITE_OK && i < np; i++) {
        double df = 0;
        if ((rc = phrase_df(api, fts, i, lo, hi, nrow, &df)) == SQLITE_OK) {
            double idf = log(((double)nrow - df + 0.5) / (df + 0.5));
            d->idf[i] = idf <= 0.0 ? 1e-6 : idf;
        }
    }
    if (rc == SQLITE_OK)
        rc = api->xSetAuxdata(fts, d, rank_data_free);  /* frees d itself on failure */
    else
        rank_data_free(d);
    if (rc == SQLITE_OK)
        *out = d;
    return rc;
}

/* na_rank(fts, w_title, w_text, lo, hi). */
static void rank_fn(const Fts5ExtensionApi *api, Fts5Context *fts, sqlite3_context *ctx, int nval,
                    sqlite3_value **val)
{
    const double k1 = 1.2, b = 0.75;
    if (nval != 4) {
        sqlite3_result_error(ctx, FTS_RANK_NAME ": expects (table, w_title, w_text, lo, hi)", -1);
        return;
    }
    struct rank_data *d;
    int rc = rank_data_get(api, fts, sqlite3_value_int64(val[2]), sqlite3_value_int64(val[3]), &d);
    int ninst = 0, ntok = 0;
    if (rc == SQLITE_OK) {
        memset(d->freq, 0, (size_t)d->nphrase * sizeof *d->freq);
        rc = api->xInstCount(fts, &ninst);
    }
    for (int i = 0; rc == SQLITE_OK && i < ninst; i++) {
        int ip, ic, io;
        if ((rc = api->xInst(fts, i, &ip, &ic, &io)) == SQLITE_OK && ip >= 0 && ip < d->nphrase)
            d->freq[ip] += ic < 2 ? sqlite3_value_double(val[ic]) : 1.0;
    }
    if (rc == SQLITE_OK)
        rc = api->xColumnSize(fts, -1, &ntok);
    if (rc != SQLITE_OK) {
        sqlite3_result_error_code(ctx, rc);
        return;
    }
    double score = 0.0, norm = k1 * (1 - b + b * (double)ntok / d->avgdl);
    for (int i = 0; i < d->nphrase; i++)
        score += d->idf[i] * (d->freq[i] * (k1 + 1.0)) / (d->freq[i] + norm);
    sqlite3_result_double(ctx, -score);
}

int fts_rank_register(sqlite3 *db)
{
    fts5_api *api = NULL;
    sqlite3_stmt *s;
    int rc = sqlite3_prepare_v2(db, "SELECT fts5(?1)", -1, &s, NULL);
    if (rc != SQLITE_OK)
        return rc;
    sqlite3_bind_pointer(s, 1, &api, "fts5_api_ptr", NULL);
    sqlite3_step(s);
    rc = sqlite3_finalize(s);
    if (rc == SQLITE_OK && !api)
        rc = SQLITE_ERROR;
    if (rc == SQLITE_OK)
        rc = api->xCreateFunction(api, FTS_RANK_NAME, NULL, rank_fn, NULL);
    return rc;
}
