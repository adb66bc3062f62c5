/* meta.c — placeholder (owner replaces). */
#include "parser/meta.h"

#include "parser/date.h"

#include <stddef.h>
#include <string.h>

struct dom_node *meta_title(struct dom *d, const char *url, struct article *a)
{
    (void)d; (void)url; (void)a;
    return NULL;
}

void meta_fields(struct dom *d, const char *url, time_t now, const struct dom_node *title_node,
                 const struct dom_node *container, struct article *a)
{
    (void)d; (void)url; (void)now; (void)title_node; (void)container; (void)a;
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
