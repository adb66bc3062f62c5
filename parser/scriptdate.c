/* scriptdate.c — finds the publish-time assignments of inline scripts
 * (scriptdate.h): one memmem per key, then the value after '=' or ':'. */
#include "parser/scriptdate.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

static const char *const script_keys[] = { "var ct", "publish_time", "publishTime", "pubtime", "pubTime",
                                           "pubDate", "publishDate", "publish_date", "datePublished" };

/* The assignment whose key (script_keys[k], kl bytes) stands at h in
 * [s, end): 0 when it is no publish-time assignment (the search goes on
 * after the key), else 1 with the snippet in snip (*len: its length, or 0
 * when it does not fit). */
static int script_value(const char *s, const char *end, const char *h, size_t kl, size_t k, char *snip,
                        size_t *len)
{
    const char *p = h + kl;
    /* a whole identifier: publish_time, not my_publish_time_label */
    if (h > s && (isalnum((unsigned char)h[-1]) || h[-1] == '_'))
        return 0;
    const char *q = p;
    if (q < end && (isalnum((unsigned char)*q) || *q == '_'))
        return 0;
    if (q < end && (*q == '"' || *q == '\''))
        q++;
    while (q < end && (*q == ' ' || *q == '\t'))
        q++;
    if (q >= end || (*q != '=' && *q != ':') || (q + 1 < end && q[1] == '='))
        return 0;
    q++;
    while (q < end && (*q == ' ' || *q == '\t'))
        q++;
    char quote = 0;
    if (q < end && (*q == '"' || *q == '\''))
        quote = *q++;
    const char *v = q;
    while (q < end && q - v < 40 && *q != '\n' && *q != '\r' &&
           (quote ? *q != quote : (*q != ',' && *q != ';' && *q != '}' && *q != ' ')))
        q++;
    int digit = 0;
    for (const char *x = v; x < q; x++)
        digit |= *x >= '0' && *x <= '9';
    if (!digit || (quote && (q >= end || *q != quote)))
        return 0;
    const char *kn = k == 0 ? "ct" : script_keys[k];
    int l = snprintf(snip, DATE_SNIPPET_MAX, "%s=%.*s", kn, (int)(q - v), v);
    *len = l > 0 && (size_t)l < DATE_SNIPPET_MAX ? (size_t)l : 0;
    return 1;
}

/* A script that shows the date where it stands: showDate("2020/04/17
 * 10:20"), document.write("2020-04-17"). Calls fn with "show=VALUE" for
 * the first such call whose quoted argument holds a date-like value (digits
 * and separators only); returns 1 then, else 0. */
static int script_shows(const char *s, size_t n, date_snippet_fn fn, void *ud)
{
    static const char *const calls[] = { "showDate", "ShowDate", "showdate", "show_date", "writeDate",
                                         "showTime", "document.write", NULL };
    const char *end = s + n;
    /* one pass over the '(' of the script: the name before each is checked */
    for (const char *h = memchr(s, '(', n); h; h = memchr(h + 1, '(', (size_t)(end - h - 1))) {
        if (h + 1 >= end)
            break;
        /* every name ends in "te(" or "me(": most '(' are ruled out here */
        if (h - s < 8 || h[-1] != 'e' || (h[-2] != 't' && h[-2] != 'm'))
            continue;
        int hit = 0;
        for (int i = 0; calls[i] && !hit; i++) {
            size_t cl = strlen(calls[i]);
            hit = (size_t)(h - s) >= cl && memcmp(h - cl, calls[i], cl) == 0;
        }
        if (!hit)
            continue;
        const char *q = h + 1;
        while (q < end && *q == ' ')
            q++;
        if (q >= end || (*q != '"' && *q != '\''))
            continue;
        char quote = *q++;
        const char *v = q;
        int digits = 0, other = 0;
        while (q < end && *q != quote && q - v < 40) {
            if (*q >= '0' && *q <= '9')
                digits++;
            else if (!strchr("-/:. T", *q))
                other = 1;
            q++;
        }
        if (q >= end || *q != quote || other || digits < 6)
            continue;
        char snip[DATE_SNIPPET_MAX];
        int l = snprintf(snip, sizeof snip, "show=%.*s", (int)(q - v), v);
        if (l > 0 && (size_t)l < sizeof snip) {
            fn(snip, (size_t)l, ud);
            return 1;
        }
    }
    return 0;
}

int date_script_snippets(const char *s, size_t n, date_snippet_fn fn, void *ud)
{
    enum { NK = sizeof script_keys / sizeof script_keys[0] };
    const char *end = s + n;
    char snip[NK][DATE_SNIPPET_MAX];
    size_t len[NK];
    int done[NK];
    const char *from[NK];  /* where the next occurrence may start (memmem's p) */
    size_t kl[NK], ub[NK]; /* key length; offset of "ub" in the key (keys 1..) */
    for (size_t k = 0; k < NK; k++) {
        kl[k] = strlen(script_keys[k]);
        done[k] = 0;
        len[k] = 0;
        from[k] = s;
        const char *u = strstr(script_keys[k], "ub");
        ub[k] = u ? (size_t)(u - script_keys[k]) : 0;
    }
    /* "var ct": its own search */
    for (const char *p = s; p < end;) {
        const char *h = memmem(p, (size_t)(end - p), script_keys[0], kl[0]);
        if (!h)
            break;
        p = h + kl[0];
        if (script_value(s, end, h, kl[0], 0, snip[0], &len[0])) {
            done[0] = 1;
            break;
        }
    }
    /* every other key holds "ub" once: each of its occurrences is found
     * from an occurrence of "ub", in order, in one pass */
    size_t left = NK - 1;
    for (const char *u = s; left && u + 1 < end;) {
        u = memchr(u, 'u', (size_t)(end - u - 1));
        if (!u)
            break;
        if (u[1] == 'b')
            for (size_t k = 1; k < NK; k++) {
                if (done[k] || (size_t)(u - s) < ub[k])
                    continue;
                const char *h = u - ub[k];
                if (h < from[k] || kl[k] > (size_t)(end - h) || memcmp(h, script_keys[k], kl[k]) != 0)
                    continue;
                from[k] = h + kl[k];
                if (script_value(s, end, h, kl[k], k, snip[k], &len[k])) {
                    done[k] = 1;
                    left--;
                }
            }
        u++;
    }
    int found = 0;
    for (size_t k = 0; k < NK; k++)
        if (done[k] && len[k]) {
            fn(snip[k], len[k], ud);
            found++;
        }
    return found + script_shows(s, n, fn, ud);
}
