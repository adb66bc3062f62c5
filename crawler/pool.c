/* pool.c — the worker pool of pool.h: POSIX threads, one mutex, a ring of
 * pending jobs and a ring of finished ones (each at most max_jobs long, as
 * no more than max_jobs are ever out). */
#include "crawler/pool.h"
#include "util/err.h"
#include "util/mem.h"

#include <pthread.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

struct ring {
    void **v;
    size_t head, n, cap;
};

struct pool {
    pthread_mutex_t mu;
    pthread_cond_t work_cv;  /* pending jobs or stop */
    pthread_cond_t done_cv;  /* a job finished */
    pthread_cond_t wake_cv;  /* the submitter should come (pool_wait_wake) */
    int woken;               /* a wake came and pool_wait_wake did not see it yet */
    int waiting;             /* the submitter blocks in pool_wait_wake */
    struct ring pending, done;
    size_t out;              /* submitted, not taken */
    size_t max_jobs;
    size_t batch, low;       /* notify policy (pool_set_batch) */
    int stop;
    int nthreads;
    pthread_t *threads;
    pool_work_fn work;
    pool_notify_fn notify;
    void *ud;
    double busy;             /* seconds spent in work, all threads */
};

static double mono(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static void ring_push(struct ring *r, void *x)
{
    r->v[(r->head + r->n) % r->cap] = x;
    r->n++;
}

static void ring_push_front(struct ring *r, void *x)
{
    r->head = (r->head + r->cap - 1) % r->cap;
    r->v[r->head] = x;
    r->n++;
}

static void *ring_pop(struct ring *r)
{
    if (!r->n)
        return NULL;
    void *x = r->v[r->head];
    r->head = (r->head + 1) % r->cap;
    r->n--;
    return x;
}

static void *worker(void *arg)
{
    struct pool *p = arg;
    pthread_mutex_lock(&p->mu);
    for (;;) {
        while (!p->pending.n && !p->stop)
            pthread_cond_wait(&p->work_cv, &p->mu);
        if (!p->pending.n && p->stop)
            break;
        void *job = ring_pop(&p->pending);
        pthread_mutex_unlock(&p->mu);
        double t0 = mono();
        int soon = p->work(job, p->ud);
        double t1 = mono();
        pthread_mutex_lock(&p->mu);
        p->busy += t1 - t0;
        ring_push(&p->done, job);
        pthread_cond_broadcast(&p->done_cv);
        if (soon || p->done.n >= p->batch || p->pending.n <= p->low) {
            p->woken = 1;
            if (p->waiting) {
                pthread_cond_signal(&p->wake_cv);
            } else if (p->notify) {
                pthread_mutex_unlock(&p->mu);
                p->notify(p->ud);
                pthread_mutex_lock(&p->mu);
            }
        }
    }
    pthread_mutex_unlock(&p->mu);
    return NULL;
}

int pool_cpus(void)
{
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    return n < 1 ? 1 : n > 256 ? 256 : (int)n;
}

struct pool *pool_new(int threads, size_t max_jobs, pool_work_fn work, pool_notify_fn notify, void *ud)
{
    struct pool *p = na_calloc(1, sizeof *p);
    if (!p)
        return NULL;
    if (max_jobs < 1)
        max_jobs = 1;
    p->max_jobs = max_jobs;
    p->batch = 1;
    p->work = work;
    p->notify = notify;
    p->ud = ud;
    p->pending.cap = p->done.cap = max_jobs;
    p->pending.v = na_calloc(max_jobs, sizeof(void *));
    p->done.v = na_calloc(max_jobs, sizeof(void *));
    p->threads = na_calloc(threads > 0 ? (size_t)threads : 1, sizeof(pthread_t));
    if (!p->pending.v || !p->done.v || !p->threads) {
        free(p->pending.v);
        free(p->done.v);
        free(p->threads);
        free(p);
        return NULL;
    }
    pthread_mutex_init(&p->mu, NULL);
    pthread_cond_init(&p->work_cv, NULL);
    pthread_cond_init(&p->done_cv, NULL);
    pthread_cond_init(&p->wake_cv, NULL);
    for (int i = 0; i < threads; i++) {
        if (pthread_create(&p->threads[i], NULL, worker, p) != 0) {
            pool_free(p);
            return NULL;
        }
        p->nthreads++;
    }
    return p;
}

void pool_free(struct pool *p)
{
    if (!p)
        return;
    pthread_mutex_lock(&p->mu);
    p->stop = 1;
    pthread_cond_broadcast(&p->work_cv);
    pthread_mutex_unlock(&p->mu);
    for (int i = 0; i < p->nthreads; i++)
        pthread_join(p->threads[i], NULL);
    pthread_mutex_destroy(&p->mu);
    pthread_cond_destroy(&p->work_cv);
    pthread_cond_destroy(&p->done_cv);
    pthread_cond_destroy(&p->wake_cv);
    free(p->pending.v);
    free(p->done.v);
    free(p->threads);
    free(p);
}

void pool_set_batch(struct pool *p, size_t batch, size_t low)
{
    pthread_mutex_lock(&p->mu);
    p->batch = batch ? batch : 1;
    p->low = low;
    pthread_mutex_unlock(&p->mu);
}

int pool_wait_wake(struct pool *p, int timeout_ms)
{
    struct timespec until;
    clock_gettime(CLOCK_REALTIME, &until);
    until.tv_sec += timeout_ms / 1000;
    until.tv_nsec += (long)(timeout_ms % 1000) * 1000000L;
    if (until.tv_nsec >= 1000000000L) {
        until.tv_sec++;
        until.tv_nsec -= 1000000000L;
    }
    pthread_mutex_lock(&p->mu);
    p->waiting = 1;
    while (!p->woken && p->nthreads)
        if (pthread_cond_timedwait(&p->wake_cv, &p->mu, &until) != 0)
            break;
    p->waiting = 0;
    int woken = p->woken;
    p->woken = 0;
    pthread_mutex_unlock(&p->mu);
    return woken;
}

int pool_submit(struct pool *p, void *job, int urgent)
{
    pthread_mutex_lock(&p->mu);
    if (p->out >= p->max_jobs) {
        pthread_mutex_unlock(&p->mu);
        return NA_ETOOBIG;
    }
    p->out++;
    if (!p->nthreads) {
        pthread_mutex_unlock(&p->mu);
        p->work(job, p->ud);
        pthread_mutex_lock(&p->mu);
        ring_push(&p->done, job);
    } else {
        if (urgent)
            ring_push_front(&p->pending, job);
        else
            ring_push(&p->pending, job);
        pthread_cond_signal(&p->work_cv);
    }
    pthread_mutex_unlock(&p->mu);
    return 0;
}

void *pool_take(struct pool *p)
{
    pthread_mutex_lock(&p->mu);
    void *job = ring_pop(&p->done);
    if (job)
        p->out--;
    pthread_mutex_unlock(&p->mu);
    return job;
}

void *pool_wait(struct pool *p)
{
    pthread_mutex_lock(&p->mu);
    while (!p->done.n && p->out > 0)
        pthread_cond_wait(&p->done_cv, &p->mu);
    void *job = ring_pop(&p->done);
    if (job)
        p->out--;
    pthread_mutex_unlock(&p->mu);
    return job;
}

size_t pool_load(struct pool *p)
{
    pthread_mutex_lock(&p->mu);
    size_t n = p->out;
    pthread_mutex_unlock(&p->mu);
    return n;
}

size_t pool_unfinished(struct pool *p)
{
    pthread_mutex_lock(&p->mu);
    size_t n = p->out - p->done.n;
    pthread_mutex_unlock(&p->mu);
    return n;
}

int pool_full(struct pool *p) { return pool_load(p) >= p->max_jobs; }

int pool_threads(const struct pool *p) { return p->nthreads; }

size_t pool_capacity(const struct pool *p) { return p->max_jobs; }

double pool_busy(struct pool *p)
{
    pthread_mutex_lock(&p->mu);
    double b = p->busy;
    pthread_mutex_unlock(&p->mu);
    return b;
}
