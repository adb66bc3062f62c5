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

#endif
