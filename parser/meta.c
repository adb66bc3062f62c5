/* meta.c — the metadata result, the worker's caches (meta_ctx) and
 * meta_parse_date, for the modules of meta.h. */
#include "parser/meta.h"
#include "parser/date.h"
#include "parser/jsonld.h"
#include "parser/metabase.h"
#include "util/mem.h"

#include <stdlib.h>
#include <string.h>

void meta_result_init(struct meta_result *r) { memset(r, 0, sizeof *r); }

void meta_result_release(struct meta_result *r)
{
    if (!r)
        return;
    free(r->url);
    free(r->title);
    free(r->lang);
    free(r->published);
    free(r->published_from);
    free(r->author);
    free(r->source);
    free(r->category);
    meta_result_init(r);
}

struct meta_ctx *meta_ctx_new(void)
{
    struct meta_ctx *mx = na_calloc(1, sizeof *mx);
    if (mx && (!(mx->cues = na_calloc(1, sizeof *mx->cues)) || !(mx->ld = jsonld_memo_new()))) {
        meta_ctx_free(mx);
        mx = NULL;
    }
    return mx;
}

void meta_ctx_free(struct meta_ctx *mx)
{
    if (!mx)
        return;
    free(mx->cues);
    jsonld_memo_free(mx->ld);
    free(mx);
}

int meta_parse_date(const char *s, time_t now, char *out, size_t cap)
{
    struct date_hit h;
    if (!s || !out || cap < 32)
        return 0;
    if (!now)
        now = time(NULL);
    int k = date_find(s, strlen(s), now, DATE_RELATIVE_OK | DATE_BARE_OK, &h);
    if (!k || !date_format(&h.v, out, cap))
        return 0;
    return k;
}
