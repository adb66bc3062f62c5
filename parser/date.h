/* date.h — dates as pages write them: ISO 8601 and RFC 2822 values, Chinese
 * (2023年2月3日 12:30, 2023/2/3, 2023.02.03) and Western numeric forms, month
 * names (en, de, fr, es, it, pt, nl), relative forms (刚刚, 5分钟前, 昨天,
 * 3 hours ago, "9个月前 (09-30)") and URL paths (/2023-02/19/, /20230203/,
 * /19/0907/). Pure functions: no locale, no time zone database, no globals. */
#ifndef NA_DATE_H
#define NA_DATE_H

#include <stddef.h>
#include <time.h>

struct date_val {
    int year, month, day;
    int hour, min, sec;        /* valid when has_time */
    int tz_min;                /* UTC offset in minutes, valid when has_tz */
    unsigned char has_time, has_tz;
};

enum date_kind {
    DATE_ABSOLUTE = 1,         /* the text gives the year, month and day */
    DATE_RELATIVE = 2,         /* derived from `now` (relative word, or year taken from now) */
};

struct date_hit {
    struct date_val v;
    int kind;                  /* enum date_kind */
    int bare;                  /* a month-day without year or relative word ("10-08", "2月3日") */
    size_t start, end;         /* byte span of the match in the scanned text */
};

/* Flags for date_find. */
#define DATE_RELATIVE_OK   1u  /* accept relative forms (刚刚, 3小时前, yesterday, …) */
#define DATE_BARE_OK       2u  /* accept month-day forms without a year (hit.bare = 1) */
#define DATE_NOT_AFTER_NOW 4u  /* reject absolute dates more than one day after now */

/* Finds the first date in the n bytes at s (UTF-8, need not be NUL-terminated).
 * Relative forms and missing years are resolved against now: Chinese forms
 * in China Standard Time (UTC+8, where every site writing them keeps its
 * clock), others in UTC; a month-day that would lie after now gets the
 * previous year, so relative forms never give a future date. Returns
 * DATE_ABSOLUTE or DATE_RELATIVE with *hit filled in, or 0 when s holds no
 * date. */
int date_find(const char *s, size_t n, time_t now, unsigned flags, struct date_hit *hit);

/* Date in a URL's path: /2019/09/07/, /2019-12/10/, /2019_09_07_x, /20190907…,
 * /19/0907/ (two-digit year, then month-day). Returns 1 and fills *out (no
 * time) or 0. The year must lie between 1990 and now's year. */
int date_from_url(const char *url, time_t now, struct date_val *out);
/* The government CMS whose article URL form dates url: "url_hanweb" for
 * Hanweb JCMS (/art/2023/10/10/art_1234_567890.html, month and day may be
 * unpadded), "url_trs" for TRS WCM (/202310/t20231010_1009.html), else "url"
 * (static strings): the published_from of a date date_from_url found there. */
const char *date_url_source(const char *url);

/* The day in a Chinese CMS's path that date_from_url does not read: TRS's
 * ".../t20231010_1009.html", ".../2023/1010/1234.html". Same contract. */
int date_from_url_cms(const char *url, time_t now, struct date_val *out);

/* Writes "YYYY-MM-DD", "YYYY-MM-DDTHH:MM:SS" or "YYYY-MM-DDTHH:MM:SS+HH:MM"
 * into out. Returns the length, or 0 when cap < 32 or v is not a valid date. */
size_t date_format(const struct date_val *v, char *out, size_t cap);

/* 1 when year/month/day (and the time, when present) are a real calendar
 * instant with a year between 1970 and 2200. */
int date_valid(const struct date_val *v);

/* A Unix time as a UTC date with time and offset +00:00; 1 on success. */
int date_from_unix(long long t, struct date_val *out);

/* Days since 1970-01-01 for a valid v (ignores time and offset). */
long date_days(const struct date_val *v);

#endif
