/* pool.h — the extraction worker pool: a fixed set of threads that run a
 * work function on submitted jobs (parse, extract, archive) so that the
 * fetch loop never waits for the extractor. The queue is bounded: a full
 * pool refuses jobs and the loop stops starting transfers (backpressure).
 * Finished jobs come back to the submitting thread in completion order. */
#ifndef NA_POOL_H
#define NA_POOL_H

#include <stddef.h>

struct pool;

/* Runs on a worker thread; job is the caller's. */
typedef void (*pool_work_fn)(void *job, void *ud);
/* Called on the worker thread after each job (e.g. to wake the loop). */
typedef void (*pool_notify_fn)(void *ud);

/* threads workers (0: jobs run inside pool_submit, on the caller's thread);
 * at most max_jobs jobs submitted and not yet taken back. notify may be
 * NULL. Returns NULL when out of memory or threads cannot start. */
struct pool *pool_new(int threads, size_t max_jobs, pool_work_fn work, pool_notify_fn notify, void *ud);
/* Waits for the running jobs, stops the threads, frees. Jobs not yet taken
 * are dropped (take them all first). NULL is fine. */
void pool_free(struct pool *p);

/* Queues job at the tail, or with urgent=1 at the head (pages whose result
 * lets more fetching start). Returns 0, or NA_ETOOBIG when max_jobs are out. */
int pool_submit(struct pool *p, void *job, int urgent);
/* The next finished job, or NULL (does not block). */
void *pool_take(struct pool *p);
/* Blocks until a job has finished and returns it; NULL when none is out. */
void *pool_wait(struct pool *p);
/* Jobs submitted and not yet taken back. */
size_t pool_load(struct pool *p);
/* 1 when pool_submit would refuse. */
int pool_full(struct pool *p);
/* Seconds the workers spent running jobs, summed over threads. */
double pool_busy(struct pool *p);
/* max_jobs as given to pool_new. */
size_t pool_capacity(const struct pool *p);
/* Number of worker threads. */
int pool_threads(const struct pool *p);
/* The number of online CPUs (at least 1). */
int pool_cpus(void);

#endif
