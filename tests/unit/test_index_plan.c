/* test_index_plan.c — the statements store/index runs for every archived
 * page (index_explain) find their rows through an index, whatever the
 * statistics: a crawl's cost per page must not grow with the archive. A
 * step that scans a table, or that searches articles by `newest` alone
 * (half the table), made a crawl into a 33,000-article archive 5x slower
 * per page (the search row's delete, ST_FTS_DEL, did). */
#include "tests/check.h"
#include "store/index.h"
#include "util/err.h"

#include <string.h>

TEST(index_per_page_statements_use_an_index)
{
    char path[4200];
    snprintf(path, sizeof path, "%s/plan.sqlite", test_tmpdir());
    struct index *ix = NULL;
    struct buf err = BUF_INIT, plan = BUF_INIT;
    CHECK_EQ(index_open(path, INDEX_CREATE, &ix, &err), 0);
    CHECK_EQ(index_explain(ix, &plan, &err), 0);
    CHECK(plan.len > 0);
    int lines = 0, bad = 0;
    for (char *line = plan.data; line && *line;) {
        char *nl = strchr(line, '\n');
        if (nl)
            *nl = 0;
        lines++;
        /* a scan of a table (not of a constant list or a temp b-tree) */
        int scan = strncmp(strchr(line, '\t') + 1, "SCAN ", 5) == 0 && !strstr(line, "CONSTANT ROW") &&
                   !strstr(line, "VIRTUAL TABLE");
        int by_newest = strstr(line, "(newest=?)") != NULL;
        if (scan || by_newest) {
            fprintf(stderr, "a per-page statement without an index: %s\n", line);
            bad++;
        }
        line = nl ? nl + 1 : NULL;
    }
    CHECK(lines >= 20);
    CHECK_EQ(bad, 0);
    buf_release(&plan);
    buf_release(&err);
    index_close(ix);
}
