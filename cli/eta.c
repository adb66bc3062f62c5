/* eta.c — backfill time left from real progress: see eta.h. */
#include "cli/eta.h"

int eta_estimate(const struct eta_in *in, double *eta)
{
    if (in->listing_done < ETA_MIN_PAGES || in->articles_done < ETA_MIN_ARTICLES || in->elapsed < ETA_MIN_SECONDS)
        return 0;
    double rate = in->articles_done / in->elapsed;
    double per_page = (double)in->articles_queued / in->listing_done;
    double left_pages = in->listing_planned > in->listing_done ? (double)(in->listing_planned - in->listing_done) : 0;
    double left_articles = (double)(in->articles_queued - in->articles_done) + left_pages * per_page;
    if (left_articles <= 0 && left_pages <= 0)
        return 0;
    double t = left_articles / rate;
    double by_pages = left_pages * in->elapsed / in->listing_done; /* the walk itself takes this long */
    *eta = by_pages > t ? by_pages : t;
    return 1;
}
