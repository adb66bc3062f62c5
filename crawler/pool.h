/* pool.h — the extraction worker pool: a fixed set of threads that run a
 * work function on submitted jobs (parse, extract, archive) so that the
 * fetch loop never waits for the extractor. The queue is bounded: a full
 * pool refuses jobs and the loop stops starting transfers (backpressure).
 * Finished jobs come back to the submitting thread in completion order. */
#ifndef NA_POOL_H
#define NA_POOL_H

#include <stddef.h>

struct pool;

/* Runs on a worker thread; job is the caller's. Returns nonzero when the
 * submitter should have the job back soon (its result lets more work start). */
typedef int (*pool_work_fn)(void *job, void *ud);
/* Called on the worker thread after a job when the submitter should come
 * and take finished jobs (e.g. to wake the loop): see pool_set_batch. */
typedef void (*pool_notify_fn)(void *ud);

/* threads workers (0: jobs run inside pool_submit, on the caller's thread);
 * at most max_jobs jobs submitted and not yet taken back. notify may be
 * NULL. Returns NULL when out of memory or threads cannot start. */
struct pool *pool_new(int threads, size_t max_jobs, pool_work_fn work, pool_notify_fn notify, void *ud);
/* By default notify runs after every job. With batch > 1 it runs only when
 * the job's work function returned nonzero, when batch finished jobs wait to
 * be taken, or when at most low jobs are left pending (the workers are about
 * to run dry). */
void pool_set_batch(struct pool *p, size_t batch, size_t low);
/* Blocks until a worker would call notify (see pool_set_batch) or timeout_ms
 * pass; while it blocks, workers wake it instead of calling notify. Returns
 * 1 when woken (also when a wake came since the last call), 0 on timeout. */
int pool_wait_wake(struct pool *p, int timeout_ms);
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
/* Jobs pending or running (not finished). */
size_t pool_unfinished(struct pool *p);
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
