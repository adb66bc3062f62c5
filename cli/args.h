/* args.h — what several commands take from the command line the same way:
 * a reference time (--now), an input file that may be gzip-compressed or "-"
 * for stdin (read whole under a size cap), and the archive directory. */
#ifndef NA_CLI_ARGS_H
#define NA_CLI_ARGS_H

#include <stddef.h>
#include <time.h>
#include "util/buf.h"

/* Parses YYYY-MM-DD[(T| )hh:mm[:ss[.fff]]][Z|(+|-)hh[:]mm] into *t (UTC when
 * no offset is given). Returns 0, or -1 when s is not such a time. */
int cli_parse_time(const char *s, time_t *t);

/* Reads the whole of path ("-" is stdin) into out (emptied first),
 * gunzipping transparently. More than max bytes is NA_ETOOBIG with "'PATH':
 * larger than MAX bytes" plus " (cap_name)" when cap_name is given; an open
 * or read failure is NA_EIO. The message goes to err. */
int cli_read_input(const char *path, size_t max, const char *cap_name, struct buf *out, struct buf *err);

/* The archive directory: given (-a DIR), else $NEWSARC_ARCHIVE, else
 * "archive". Sets *dir and returns CMD_OK when it is a directory; otherwise
 * prints "newsarc CMD: no archive at 'DIR' (use -a DIR)" to stderr and
 * returns CMD_USAGE. */
int cli_archive_dir(const char *cmd, const char *given, const char **dir);

struct sites_config;
struct archive;

/* The archive of a read command (ls, get, export, stats, report, verify,
 * reindex), found as crawl finds it: -a DIR (given); else archive = of the
 * configuration given with -c (config); else $NEWSARC_ARCHIVE; else
 * archive = of ./sites.conf when that file exists; else ./archive. *cfg
 * (cfg may be NULL) receives the configuration read, or NULL; the caller
 * frees it (*dir stays valid after). Prints "newsarc CMD: ..." and returns CMD_USAGE when a
 * configuration cannot be read or the directory does not exist. */
int cli_read_archive(const char *cmd, const char *given, const char *config, const char **dir,
                     struct sites_config **cfg);

/* Checks that site is a name of cfg (may be NULL) or one the archive a (may
 * be NULL) has captures of. Prints "newsarc CMD: no site 'X' (known: a, b)"
 * and returns CMD_USAGE when it is neither; CMD_OK otherwise. */
int cli_check_site(const char *cmd, const char *site, struct sites_config *cfg, struct archive *a);

/* Parses a --since/--until value (cli/when.h) into out (WHEN_MAX bytes),
 * fetch times (utc) or published dates (local). Prints "newsarc CMD: bad
 * date ..." and returns CMD_USAGE when it cannot. */
int cli_when(const char *cmd, const char *s, int utc, char *out);

#endif
