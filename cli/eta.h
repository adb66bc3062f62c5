/* eta.h — the time left of a backfill, from its real progress only (used
 * by cli/cmd_backfill.c's progress bar and lines; pure, unit-tested). */
#ifndef NA_CLI_ETA_H
#define NA_CLI_ETA_H

/* Before this much progress no ETA is given: one page or a few seconds
 * tell nothing about a walk of thousands. */
#define ETA_MIN_PAGES 3
#define ETA_MIN_ARTICLES 5
#define ETA_MIN_SECONDS 5.0

struct eta_in {
    long listing_done, listing_planned;  /* planned: an upper bound when open_ended */
    long articles_queued, articles_done;
    double elapsed;                      /* seconds */
};

/* Seconds left into *eta and 1, or 0 when there is not enough progress yet
 * (fewer than ETA_MIN_PAGES listing pages or ETA_MIN_ARTICLES articles
 * done, or less than ETA_MIN_SECONDS elapsed) or nothing is left to time. */
int eta_estimate(const struct eta_in *in, double *eta);

#endif
