/* policy.c — pure decisions shared by the crawl and `try` (policy.h). */
#include "crawler/policy.h"
#include "util/buf.h"

#include <string.h>
#include <strings.h>

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

char *policy_set_cookies(const char *head, size_t n)
{
    struct buf out = BUF_INIT;
    const char *p = head, *end = p ? p + n : NULL;
    buf_init(&out, 8192);
    for (const char *line = p; line && line < end;) {
        const char *eol = memchr(line, '\n', (size_t)(end - line));
        if (!eol)
            eol = end;
        if (eol - line > 11 && strncasecmp(line, "set-cookie:", 11) == 0) {
            const char *v = line + 11;
            while (v < eol && (*v == ' ' || *v == '\t'))
                v++;
            size_t k = 0;
            while (v + k < eol && v[k] != ';' && v[k] != '\r')
                k++;
            if (k && memchr(v, '=', k)) {
                if (out.len)
                    buf_adds(&out, "; ");
                buf_add(&out, v, k);
            }
        }
        line = eol < end ? eol + 1 : end;
    }
    if (out.err || !out.len) {
        buf_release(&out);
        return NULL;
    }
    return buf_detach(&out, NULL);
}
