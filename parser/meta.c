/* meta.c — placeholder (owner replaces). */
#include "parser/meta.h"

#include <stddef.h>

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
    (void)s; (void)now; (void)out; (void)cap;
    return 0;
}
