/* recover.h — reading WARC files back into the index: crash recovery when an
 * archive is opened for writing, `newsarc reindex` (the index from the WARC
 * files alone) and `newsarc verify` (every record and every index row).
 * Internal to store/: archive.c is its only user; see store/archive.h for
 * the public contracts of reindex and verify. */
#ifndef NA_RECOVER_H
#define NA_RECOVER_H

#include <stdint.h>
#include "util/buf.h"

struct index;
struct archive_reindex_stats;
struct archive_verify_stats;

/* For every file in warc_dir whose size differs from the end the index has
 * recorded (or that the index does not know): truncates a torn trailing
 * gzip member (logged at LOG_WARN unless quiet) and indexes the whole
 * records after the recorded end. A corrupt record that is not a torn tail
 * is logged (LOG_ERROR) as a damaged byte range and skipped: indexing goes
 * on at the next record (verify reports it); a file that is not a regular
 * file is logged and skipped. Neither is an error. Other writers may run:
 * a file is recovered only while this process holds its flock (taken
 * non-blocking; a file a live writer holds is its own and skipped), except
 * owned (or NULL), the file the caller's writer holds itself. Returns 0 or
 * a negative code (NA_EIO, NA_EDB, NA_ENOMEM …). */
int recover_archive(struct index *ix, const char *warc_dir, const char *owned, int quiet, struct buf *err);

/* archive_reindex without the lock (the caller holds it). */
int recover_reindex(const char *dir, struct archive_reindex_stats *st, struct buf *err);

/* archive_verify. */
int recover_verify(const char *dir, void (*fault)(void *ud, const char *file, uint64_t offset, const char *msg),
                   void *ud, struct archive_verify_stats *st, struct buf *err);

#endif
