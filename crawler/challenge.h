/* challenge.h — anti-bot answers recognised: a page that stands in for the
 * one asked for until a browser runs a script, solves a captcha, or is let
 * through by a web application firewall. A pure function over the status,
 * the response head and the start of the (decoded) body; crawl.c reports
 * what it finds as a site health problem (health.h: challenge), never
 * archives it as an article and stops asking that host for the run. */
#ifndef NA_CHALLENGE_H
#define NA_CHALLENGE_H

#include <stddef.h>

#define CHALLENGE_SCAN 65536 /* bytes of the body looked at */

enum challenge_kind {
    CHALLENGE_NONE,
    CHALLENGE_JS_COOKIE, /* a script that sets a clearance cookie and reloads (HTTP 521, jiasule-type) */
    CHALLENGE_JS_SHELL,  /* a near-empty page of obfuscated script (HTTP 412 / 202 / 200 shells) */
    CHALLENGE_CAPTCHA,   /* a captcha or "verify you are human" page */
    CHALLENGE_DENIED,    /* a web application firewall's "access denied" page */
};

struct challenge {
    enum challenge_kind kind;
    const char *vendor;  /* "jiasule", "ruishu", "aliyun", "cloudflare", "safedog", "yunsuo",
                          * "knownsec", "tencent", "baidu", "akamai", "f5", …, or NULL (static) */
};

/* Looks at an answer: status, head (status line and fields, may be NULL) and
 * the first n bytes of the body with its content coding removed. Returns
 * the kind (also in *out when out is not NULL). */
enum challenge_kind challenge_detect(int status, const char *head, size_t head_len, const char *body, size_t n,
                                     struct challenge *out);

/* "answers with a JavaScript challenge (jiasule)" and the like, into out. */
void challenge_describe(const struct challenge *c, char *out, size_t cap);

#endif
