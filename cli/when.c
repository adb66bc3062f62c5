/* when.c — --since/--until values: see when.h. */
#include "cli/when.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Digits at s[0..n) and nothing else needed; returns their value or -1. */
static long digits(const char *s, int n)
{
    long v = 0;
    for (int i = 0; i < n; i++) {
        if (!isdigit((unsigned char)s[i]))
            return -1;
        v = v * 10 + (s[i] - '0');
    }
    return v;
}

static void wall(time_t t, int utc, int date_only, char *out)
{
    struct tm tm;
    if (utc)
        gmtime_r(&t, &tm);
    else
        localtime_r(&t, &tm);
    strftime(out, WHEN_MAX, date_only ? "%Y-%m-%d" : "%Y-%m-%dT%H:%M:%S", &tm);
}

static int days_in(int y, int m)
{
    static const int d[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
    int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    return m == 2 && leap ? 29 : d[m - 1];
}

static int bad(char *msg, size_t cap, const char *s, const char *why)
{
    snprintf(msg, cap, "bad date '%s': %s (expected " WHEN_FORMS ")", s, why);
    return -1;
}

/* N followed by one unit letter. */
static int relative(const char *s, time_t now, int utc, char *out)
{
    size_t n = strlen(s);
    if (n < 2 || n > 6)
        return -1;
    long v = digits(s, (int)n - 1);
    if (v <= 0)
        return -1;
    long unit;
    switch (s[n - 1]) {
    case 'm': unit = 60; break;
    case 'h': unit = 3600; break;
    case 'd': unit = 86400; break;
    case 'w': unit = 7 * 86400; break;
    default: return -1;
    }
    wall(now - (time_t)(v * unit), utc, 0, out);
    return 0;
}

/* hh:mm[:ss[.fff]] at p into out's time part; *p moved past it. */
static int clock_part(const char **pp, char *out)
{
    const char *p = *pp;
    long h = digits(p, 2), mi = p[2] == ':' ? digits(p + 3, 2) : -1, sec = -1;
    if (h < 0 || h > 23 || mi < 0 || mi > 59)
        return -1;
    p += 5;
    if (*p == ':') {
        if ((sec = digits(p + 1, 2)) < 0 || sec > 60)
            return -1;
        p += 3;
        if (*p == '.' || *p == ',') {
            p++;
            if (!isdigit((unsigned char)*p))
                return -1;
            while (isdigit((unsigned char)*p))
                p++;
        }
    }
    if (sec >= 0)
        snprintf(out, 10, "T%02d:%02d:%02d", (int)(h % 100), (int)(mi % 100), (int)(sec % 100));
    else
        snprintf(out, 7, "T%02d:%02d", (int)(h % 100), (int)(mi % 100));
    *pp = p;
    return 0;
}

int when_parse(const char *s, time_t now, int utc, char *out, char *msg, size_t cap)
{
    if (!s || !*s)
        return bad(msg, cap, s ? s : "", "empty");
    if (strcmp(s, "now") == 0) {
        wall(now, utc, 0, out);
        return 0;
    }
    if (strcmp(s, "today") == 0 || strcmp(s, "yesterday") == 0) {
        wall(now - (s[0] == 'y' ? 86400 : 0), utc, 1, out);
        return 0;
    }
    if (relative(s, now, utc, out) == 0)
        return 0;
    long y = digits(s, 4);
    if (y < 0 || (s[4] && s[4] != '-'))
        return bad(msg, cap, s, "not a date");
    if (!s[4]) {
        snprintf(out, WHEN_MAX, "%04d", (int)(y % 10000));
        return 0;
    }
    long mo = s[4] == '-' ? digits(s + 5, 2) : -1;
    if (mo < 1 || mo > 12)
        return bad(msg, cap, s, "no month 01-12 after the year");
    if (!s[7]) {
        snprintf(out, WHEN_MAX, "%04d-%02d", (int)(y % 10000), (int)(mo % 100));
        return 0;
    }
    long d = s[7] == '-' ? digits(s + 8, 2) : -1;
    if (d < 1 || d > days_in((int)y, (int)mo))
        return bad(msg, cap, s, "no such day");
    snprintf(out, WHEN_MAX, "%04d-%02d-%02d", (int)(y % 10000), (int)(mo % 100), (int)(d % 100));
    const char *p = s + 10;
    if (!*p)
        return 0;
    if (*p != ' ' && *p != 'T' && *p != 't')
        return bad(msg, cap, s, "a time must follow a space or 'T'");
    p++;
    char tp[12];
    if (clock_part(&p, tp))
        return bad(msg, cap, s, "the time is not HH:MM or HH:MM:SS");
    if (!*p) {
        /* midnight is the day itself: a published date without a time
         * ("2024-03-02") compares below "2024-03-02T00:00" */
        if (strcmp(tp, "T00:00") != 0 && strcmp(tp, "T00:00:00") != 0)
            strcat(out, tp);
        return 0;
    }
    /* an instant: Z or an offset */
    long off = 0;
    if (*p == 'Z' || *p == 'z') {
        p++;
    } else if (*p == '+' || *p == '-') {
        int sign = *p == '-' ? -1 : 1;
        long oh = digits(p + 1, 2), om = 0;
        p += 3;
        if (oh < 0 || oh > 14)
            return bad(msg, cap, s, "bad UTC offset");
        if (*p == ':')
            p++;
        if (*p) {
            if ((om = digits(p, 2)) < 0 || om > 59)
                return bad(msg, cap, s, "bad UTC offset");
            p += 2;
        }
        off = sign * (oh * 3600 + om * 60);
    } else {
        return bad(msg, cap, s, "unexpected text after the time");
    }
    if (*p)
        return bad(msg, cap, s, "unexpected text after the offset");
    struct tm tm;
    memset(&tm, 0, sizeof tm);
    tm.tm_year = (int)y - 1900;
    tm.tm_mon = (int)mo - 1;
    tm.tm_mday = (int)d;
    tm.tm_hour = atoi(tp + 1);
    tm.tm_min = atoi(tp + 4);
    tm.tm_sec = tp[6] == ':' ? atoi(tp + 7) : 0;
    wall(timegm(&tm) - off, utc, 0, out);
    if (strcmp(out + 10, "T00:00:00") == 0)
        out[10] = 0;
    return 0;
}
