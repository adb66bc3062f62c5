/* rules.c — placeholder (owner replaces). */
#include "parser/rules.h"
#include "util/err.h"

#include <stdlib.h>
#include <string.h>

void rules_init(struct rules *r) { memset(r, 0, sizeof *r); }

void rules_release(struct rules *r)
{
    free(r->container);
    for (size_t i = 0; i < r->ndrop; i++)
        free(r->drop[i]);
    free(r->title);
    free(r->date);
    free(r->author);
    memset(r, 0, sizeof *r);
}

int rules_validate(const struct rules *r, struct buf *err)
{
    (void)r;
    (void)err;
    return 0;
}

int rules_select(struct dom *d, const char *xpath, rules_match_fn fn, void *ud, struct buf *err)
{
    (void)d; (void)xpath; (void)fn; (void)ud;
    buf_seterr(err, "xpath rules not implemented yet");
    return NA_EUNSUPPORTED;
}

int rules_string(struct dom *d, const char *xpath, struct buf *out, struct buf *err)
{
    (void)d; (void)xpath; (void)out;
    buf_seterr(err, "xpath rules not implemented yet");
    return NA_EUNSUPPORTED;
}
