/* charset.h — bytes to valid UTF-8. Order: BOM, then the HTTP/--charset
 * label, then <meta charset>/http-equiv in the first 4 KiB (WHATWG prescan),
 * then uchardet when undeclared or when the declared charset fails to decode.
 * Labels are mapped as the WHATWG Encoding Standard does (gb2312/gbk →
 * GB18030, iso-8859-1 → windows-1252, big5 → Big5-HKSCS, …); glibc iconv
 * converts. charset.c is the only file that sees iconv and uchardet. */
#ifndef NA_CHARSET_H
#define NA_CHARSET_H

#include <stddef.h>
#include "util/buf.h"

struct charset_info {
    char name[40];      /* canonical name used, e.g. "GB18030", "UTF-8" */
    const char *source; /* "bom", "http", "meta", "detected", "default" (static) */
    size_t invalid;     /* bytes that could not be decoded (replaced by U+FFFD) */
};

/* Converts n bytes of `in` to UTF-8 appended to `out` (which keeps its max).
 * http_label is the charset from Content-Type or the user, or NULL.
 * Always produces valid UTF-8 (undecodable bytes become U+FFFD) and returns 0;
 * returns a negative NA_* code only when out of memory or out's cap is hit. */
int charset_to_utf8(const char *in, size_t n, const char *http_label, struct buf *out,
                    struct charset_info *info, struct buf *err);

/* WHATWG label → iconv name ("gbk" → "GB18030"); NULL if the label is unknown. */
const char *charset_canonical(const char *label);

/* 1 if [p, p+n) is valid UTF-8. */
int charset_valid_utf8(const char *p, size_t n);

#endif
