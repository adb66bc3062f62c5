/* policy.h — the decisions about an HTTP answer that the crawl and `try`
 * (the crawl's dry run) must make the same way, as pure functions in one
 * place. The robots.txt status decision (2xx rules, 3xx/4xx allow all, else
 * disallow all; RFC 9309 2.3.1) is robots.h's robots_from_answer, which both
 * call as well. */
#ifndef NA_POLICY_H
#define NA_POLICY_H

/* 1 if an answer with this status is a redirect to follow (its Location):
 * 301, 302, 303, 307 and 308 — the redirect status codes of RFC 9110 §15.4
 * that name a target, and exactly the WHATWG Fetch standard's "redirect
 * status", so the crawl goes where a browser goes. Not 300 (Multiple
 * Choices: Location optional, a choice among representations), 304 (Not
 * Modified: the cached copy stands), 305 (Use Proxy, deprecated), 306
 * (unused) or any other 3xx: those are final answers. */
int policy_is_redirect(int status);

#endif
