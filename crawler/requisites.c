/* requisites.c — which images of an article are fetched and which answers
 * are kept (requisites.h). */
#include "crawler/requisites.h"
#include "crawler/sites.h"
#include "store/archive.h"
#include "util/http.h"

#include <stdlib.h>
#include <string.h>

void requisites_pick(const struct site *s, struct archive *a, char **urls, size_t *n)
{
    size_t kept = 0, max = s->requisites_max > 0 ? (size_t)s->requisites_max : 0;
    for (size_t i = 0; i < *n; i++) {
        char *u = urls[i];
        urls[i] = NULL;
        if (kept < max && sites_requisite_in_scope(s, u) && !(a && archive_has_capture(a, u) == 1))
            urls[kept++] = u;
        else
            free(u);
    }
    *n = kept;
}

enum requisites_verdict requisites_answer(int status, const char *ct)
{
    if (status != 200)
        return REQUISITES_STATUS;
    char mt[128];
    http_media_type(ct, mt, sizeof mt);
    return strncmp(mt, "image/", 6) == 0 && mt[6] ? REQUISITES_KEEP : REQUISITES_NOT_IMAGE;
}
