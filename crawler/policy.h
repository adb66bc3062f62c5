/* policy.h — the decisions about an HTTP answer that the crawl and `try`
 * (the crawl's dry run) must make the same way, as pure functions in one
 * place. The robots.txt status decision (2xx rules, 3xx/4xx allow all, else
 * disallow all; RFC 9309 2.3.1) is robots.h's robots_from_answer, which both
 * call as well. */
#ifndef NA_POLICY_H
#define NA_POLICY_H

#include <stddef.h>

/* 1 if an answer with this status is a redirect to follow (its Location):
 * 301, 302, 303, 307 and 308 — the redirect status codes of RFC 9110 §15.4
 * that name a target, and exactly the WHATWG Fetch standard's "redirect
 * status", so the crawl goes where a browser goes. Not 300 (Multiple
 * Choices: Location optional, a choice among representations), 304 (Not
 * Modified: the cached copy stands), 305 (Use Proxy, deprecated), 306
 * (unused) or any other 3xx: those are final answers. */
int policy_is_redirect(int status);

/* Whether a redirect is followed, and if not why: the checks in the
 * crawl's order, so that `try` stops at the same hop for the same reason. */
enum policy_redirect {
    REDIRECT_FOLLOW,
    REDIRECT_NO_LOCATION,  /* no Location field */
    REDIRECT_BAD_URL,      /* Location is no http(s) URL (or too long) */
    REDIRECT_TOO_MANY,     /* max_redirects followed already */
    REDIRECT_OFF_SCOPE,    /* the target is outside the site's scope */
    REDIRECT_LOOP          /* the target was asked for before in this chain */
};

/* One redirect answer, as its caller sees it. */
struct policy_hop {
    int has_location;      /* the answer has a Location field */
    int target_ok;         /* it resolves to an http(s) URL within the length limit */
    int followed;          /* redirects followed already in this chain */
    int max_redirects;
    int in_scope;          /* the target is in scope (1 when no scope applies: robots.txt) */
    int loop;              /* the target is the URL or an earlier hop of the chain */
};

enum policy_redirect policy_redirect(const struct policy_hop *h);

/* A redirect to the very URL asked for that sets a cookie is a first visit
 * answered "take this cookie and come again": the crawl and `try` ask once
 * more with the cookie instead of calling it a loop. The cookies of the
 * Set-Cookie fields of a response head [head, head+n), "name=value; …"
 * (attributes dropped; malloc'd), or NULL when none (or out of memory). */
char *policy_set_cookies(const char *head, size_t n);

#endif
