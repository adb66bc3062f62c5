/* crawl_stats.c — releasing a run's statistics (crawl_stats.h). */
#include "crawler/crawl_stats.h"

#include <stdlib.h>
#include <string.h>

void crawl_stats_release(struct crawl_stats *st)
{
    if (!st)
        return;
    free(st->site);
    free(st->listing);
    buf_release(&st->errors_text);
    memset(st, 0, sizeof *st);
}
