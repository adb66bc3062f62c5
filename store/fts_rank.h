/* fts_rank.h — the ranking function of full-text search, an FTS5 auxiliary
 * function for store/index.c (the one other file that sees SQLite; index.c
 * registers it on the connection before its first search).
 *
 *   na_rank(articles_fts, w_title, w_text, lo, hi)
 *
 * is FTS5's bm25 (k1 = 1.2, b = 0.75, column weights w_title and w_text),
 * except in how it counts the articles holding each phrase (the IDF): bm25
 * counts them all, which costs as much as a scan of every match of a word
 * that half the archive holds. na_rank counts a phrase's matches exactly up
 * to FTS_RANK_DF_EXACT; beyond, it estimates the count from where the
 * FTS_RANK_DF_EXACT-th match falls between the lowest and highest row ids
 * lo and hi (the phrase's density among the rows up to there). Scores are
 * bm25's below that count, and smaller is better, as bm25's. */
#ifndef NA_FTS_RANK_H
#define NA_FTS_RANK_H

#include <sqlite3.h>

#define FTS_RANK_NAME "na_rank"
#define FTS_RANK_DF_EXACT 1000

/* Registers na_rank on db. Returns an SQLite result code (SQLITE_OK). */
int fts_rank_register(sqlite3 *db);

#endif
