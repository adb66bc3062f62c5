/* cmd.h — the contract between cli/main.c's command table and each
 * cli/cmd_*.c: a command gets argc/argv (argv[0] is its name), parses its own
 * options with getopt_long, prints --help to stdout (exit 0) and bad usage to
 * stderr (exit 2). Exit codes are the CMD_* values below. */
#ifndef NA_CMD_H
#define NA_CMD_H

#include <stdio.h>

#define NEWSARC_VERSION "0.1.0"

enum {
    CMD_OK = 0,       /* everything worked */
    CMD_PARTIAL = 1,  /* some inputs/fetches failed, the rest was done */
    CMD_USAGE = 2,    /* bad usage or configuration */
    CMD_LOCKED = 3,   /* archive locked by another run */
    CMD_ALERT = 4,    /* crawl, backfill: ran, but a site looks broken (crawler/health.h) */
};

struct command {
    const char *name;
    int (*run)(int argc, char **argv);
    const char *summary;
};

int cmd_extract(int argc, char **argv);
int cmd_crawl(int argc, char **argv);
int cmd_backfill(int argc, char **argv);
int cmd_check_config(int argc, char **argv);
int cmd_try(int argc, char **argv);
int cmd_export(int argc, char **argv);
int cmd_get(int argc, char **argv);
int cmd_ls(int argc, char **argv);
int cmd_stats(int argc, char **argv);
int cmd_report(int argc, char **argv);
int cmd_propose(int argc, char **argv);
int cmd_verify(int argc, char **argv);
int cmd_reindex(int argc, char **argv);
int cmd_reextract(int argc, char **argv);
int cmd_serve(int argc, char **argv);

/* Finds a command by name; NULL if unknown. */
const struct command *cmd_find(const char *name);
/* Runs `newsarc NAME --help` for `newsarc help NAME`. */
int cmd_help(const char *name);

#endif
