/* archive_stats.h — the counters `newsarc reindex` and `newsarc verify`
 * report: declared apart so that store/recover.c, which fills them, needs
 * nothing else from store/archive.h (archive.c calls recover, not the other
 * way round). The contracts are archive_reindex's and archive_verify's in
 * store/archive.h, which includes this header. */
#ifndef NA_ARCHIVE_STATS_H
#define NA_ARCHIVE_STATS_H

#include <stdint.h>

struct archive_reindex_stats {
    uint64_t files, records, captures, articles, bytes;
    uint64_t damaged, damaged_bytes; /* damaged byte ranges skipped, and their bytes */
};

struct archive_verify_stats {
    uint64_t files, records, bytes, index_rows, faults;
    uint64_t notes;     /* what a running or killed writer leaves, settled by the next writer */
    uint64_t unindexed; /* whole records past their file's indexed end (not yet indexed) */
};

#endif
