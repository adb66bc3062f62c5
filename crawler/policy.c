/* policy.c — pure decisions shared by the crawl and `try` (policy.h). */
#include "crawler/policy.h"

int policy_is_redirect(int status)
{
    return status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
}

enum policy_redirect policy_redirect(const struct policy_hop *h)
{
    if (!h->has_location)
        return REDIRECT_NO_LOCATION;
    if (!h->target_ok)
        return REDIRECT_BAD_URL;
    if (h->followed >= h->max_redirects)
        return REDIRECT_TOO_MANY;
    if (!h->in_scope)
        return REDIRECT_OFF_SCOPE;
    if (h->loop)
        return REDIRECT_LOOP;
    return REDIRECT_FOLLOW;
}
