/* archive.c — placeholder (owner replaces). */
#include "store/archive.h"
#include "util/err.h"

int archive_open(const char *dir, const struct archive_opts *opts, struct archive **out, struct buf *err)
{
    (void)dir; (void)opts;
    *out = NULL;
    buf_seterr(err, "archive not implemented yet");
    return NA_EUNSUPPORTED;
}

void archive_close(struct archive *a) { (void)a; }
