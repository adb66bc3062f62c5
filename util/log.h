/* log.h — leveled logging to stderr with time and an optional host; the
 * level is tested before any formatting. stdout is for data only. */
#ifndef NA_LOG_H
#define NA_LOG_H

enum log_level { LOG_ERROR = 0, LOG_WARN = 1, LOG_INFO = 2, LOG_DEBUG = 3 };

/* The one logging setting; set once by the CLI (e.g. --quiet, -v). */
extern int log_level_current;

void log_write(enum log_level lvl, const char *host, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

#define log_at(lvl, ...)                                  \
    do {                                                  \
        if ((int)(lvl) <= log_level_current)              \
            log_write((lvl), NULL, __VA_ARGS__);          \
    } while (0)
#define log_host(lvl, host, ...)                          \
    do {                                                  \
        if ((int)(lvl) <= log_level_current)              \
            log_write((lvl), (host), __VA_ARGS__);        \
    } while (0)

#endif
