/* when.h — the one parser of the --since/--until values of every command
 * (ls, export, report): absolute dates and times, ISO 8601 instants and
 * relative forms, turned into the date strings the index compares
 * (store/index.h: "YYYY-MM-DD" or a longer ISO 8601 prefix). Pure: no I/O,
 * linked into the unit tests too. */
#ifndef NA_CLI_WHEN_H
#define NA_CLI_WHEN_H

#include <stddef.h>
#include <time.h>

#define WHEN_MAX 32 /* bytes of a parsed value, NUL included */

/* Parses s at time now into out (WHEN_MAX bytes):
 *   YYYY, YYYY-MM, YYYY-MM-DD          as given (a prefix: the whole year,
 *                                      month, day)
 *   YYYY-MM-DD[ |T]HH:MM[:SS]          wall-clock time, as given, with 'T'
 *   ... [.fff](Z|+HH:MM|+HHMM|+HH)     an instant: converted to wall-clock
 *   Nm Nh Nd Nw (N 1..99999)           minutes/hours/days/weeks before now
 *   now, today, yesterday              now; today's or yesterday's date
 * Wall clock is the local time zone (TZ), or UTC when utc is set (for
 * fetch times, which the index keeps in UTC). Midnight is written as the
 * date alone, so that an article dated that day without a time (published
 * "2024-03-02") is on or after "2024-03-02 00:00". Returns 0, or -1 with a
 * reason in msg (cap bytes) when s is none of these. */
int when_parse(const char *s, time_t now, int utc, char *out, char *msg, size_t cap);

/* The accepted forms, for usage texts and error messages. */
#define WHEN_FORMS "YYYY-MM-DD[ HH:MM[:SS]], ISO 8601, 36h, 2d, 1w, today, yesterday"

#endif
