/* scriptdate.h — script-date sniffing: the publish times that inline
 * scripts assign ("var ct = 1581517074", publish_time: "2020-02-12 22:17"),
 * found in a script body before the pre-pass (prepass.c) blanks it; meta.c
 * scores them as stated dates (dom.script_dates). */
#ifndef NA_SCRIPTDATE_H
#define NA_SCRIPTDATE_H

#include <stddef.h>

/* Publish-time assignments in an inline script body (not JSON-LD): for
 * each key of `var ct` (WeChat, Unix seconds), publish_time, publishTime,
 * pubtime, pubTime, pubDate, publishDate, publish_date and datePublished
 * that is followed by '=' or ':' and a value holding a digit, calls
 * fn(snippet, len, ud) with "key=value" (at most DATE_SNIPPET_MAX bytes,
 * quotes stripped; the first assignment of each key only). Cost: one
 * memmem per key over the n bytes. A script that shows a date where it
 * stands (showDate("2020/04/17 10:20"), document.write("2020-04-17"): a
 * quoted argument of digits and separators) gives "show=VALUE", its first
 * such call only. Returns the number of snippets. Meant
 * for the pre-pass (prepass.c), which sees the script bodies before blanking
 * them. */
#define DATE_SNIPPET_MAX 64
typedef void (*date_snippet_fn)(const char *snip, size_t len, void *ud);
int date_script_snippets(const char *s, size_t n, date_snippet_fn fn, void *ud);

#endif
