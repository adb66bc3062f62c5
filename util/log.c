/* log.c — writes one log line to stderr: time, level, host, message. */
#include "util/log.h"

#include <stdarg.h>
#include <stdio.h>
#include <time.h>

int log_level_current = LOG_WARN;

void log_write(enum log_level lvl, const char *host, const char *fmt, ...)
{
    static const char *names[] = { "error", "warn", "info", "debug" };
    char ts[32];
    time_t now = time(NULL);
    struct tm tm;
    gmtime_r(&now, &tm);
    strftime(ts, sizeof ts, "%Y-%m-%dT%H:%M:%SZ", &tm);
    char line[4096];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(line, sizeof line, fmt, ap);
    va_end(ap);
    fprintf(stderr, "%s %s%s%s: %s\n", ts, names[lvl & 3], host ? " " : "", host ? host : "", line);
}
