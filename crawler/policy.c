/* policy.c — pure decisions shared by the crawl and `try` (policy.h). */
#include "crawler/policy.h"

int policy_is_redirect(int status)
{
    return status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
}
