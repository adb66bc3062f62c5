/* cmd_crawl.h — what `newsarc crawl` and `newsarc backfill` share: loading
 * sites.conf, opening the archive (exit 3 when locked), signal handling that
 * lets a run wind down, and the per-site summary lines. */
#ifndef NA_CMD_CRAWL_H
#define NA_CMD_CRAWL_H

#include <signal.h>
#include <stddef.h>
#include <stdio.h>

struct sites_config;
struct archive;
struct crawl_stats;
struct health_report;

/* Set by SIGINT/SIGTERM once crawl_signals() ran. */
extern volatile sig_atomic_t crawl_cli_stop;
void crawl_cli_signals(void);

/* Loads the config (archive_dir overrides its archive), checks that each of
 * the nsites names is a site of it, creates the archive's parent folders
 * and opens the archive for writing (dry_run: none). Prints the error
 * ("newsarc ME: ...") and returns the exit status (CMD_USAGE, CMD_LOCKED,
 * CMD_PARTIAL) on failure, CMD_OK on success. */
int crawl_cli_open(const char *me, const char *config, const char *archive_dir, int dry_run,
                   const char *const *sites, size_t nsites, struct sites_config **cfg, struct archive **a);
/* "newsarc ME: no site 'X' in 'FILE' (known: a, b, ...)" for the first name
 * of sites that cfg lacks; returns CMD_USAGE then, else CMD_OK. */
int crawl_cli_check_sites(const char *me, const struct sites_config *cfg, const char *const *sites, size_t nsites);
/* The sites of shard k of n (cli/shard.h) among names (n_names 0: the
 * enabled sites of cfg) into *out (malloc'd array of borrowed names; free
 * it). Returns 0 or NA_ENOMEM. */
int crawl_cli_shard(const struct sites_config *cfg, const char *const *names, size_t n_names, unsigned k,
                    unsigned n, const char ***out, size_t *nout);
/* Per-site locks (store/archive.h archive_lock_site): takes the lock of
 * each of the n names (n 0: every enabled site of cfg); a site another
 * process holds is skipped with "newsarc ME: skipping site 'S': ... PID N
 * COMMAND". *out is NULL when every site was locked and n was 0 (the run
 * stays "every enabled site"), else the malloc'd list of the locked names
 * (borrowed from names/cfg; free it). Returns CMD_OK, CMD_LOCKED when
 * there were sites and none could be locked, or CMD_PARTIAL. a NULL (a dry
 * run): CMD_OK, nothing locked. */
int crawl_cli_lock_sites(const char *me, const struct sites_config *cfg, struct archive *a,
                         const char *const *names, size_t n, const char ***out, size_t *nout);
/* One line per site: listing pages, new articles, errors, bytes, time. */
void crawl_cli_summary(FILE *f, const struct crawl_stats *st, int only_failed);
/* Exit status for a finished run. */
int crawl_cli_status(const struct crawl_stats *st, int rc);
/* Prints why a run stopped: for a full disk or an I/O error the archive
 * directory dir and "no space left on device" (never SQLite's wording),
 * else "newsarc ME: msg". */
void crawl_cli_error(const char *me, const char *dir, int rc, const char *msg);

/* Site health after a run (crawler/health.h), judged while the archive a is
 * still open (NULL for a dry run; nothing is judged after an interrupted or
 * failed run): fills hr (health_report_release it). Returns 0, or a
 * negative code after printing the error. */
int crawl_cli_health_judge(const char *me, const struct sites_config *cfg, struct archive *a,
                           const struct crawl_stats *st, int rc, struct health_report *hr);
/* Prints the alerts that started or cleared to stderr (also with quiet), the
 * ones still open to stdout unless quiet, and returns the exit status:
 * status itself, or CMD_ALERT when it is CMD_OK and an alert is open
 * (CMD_PARTIAL when judge_rc says the judging failed). */
int crawl_cli_health_print(const char *me, const struct health_report *hr, int judge_rc, int quiet, int status);

#endif
