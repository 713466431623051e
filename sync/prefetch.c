/* prefetch.c — owns fetching the next list page in a second thread while the
 * current one is written: the request and the JSON parse of page N+1 overlap
 * the database work of page N (docs/sync.md "Bulk writes"). At most two pages
 * are held: the one being written and the one being fetched.
 *
 * The thread borrows the stream's client (ctx->mc) for one request at a time,
 * with a database connection of its own for the client's token cache and
 * quota counter; the stream does not touch the client until it has collected
 * the answer (only mc_client_requests() is read meanwhile, an atomic). The
 * client's wait hook (lease renewal on ctx->db) is replaced for the borrowed
 * request by one that only logs: the waiting stream renews the lease itself.
 * With a prepare hook (sync_prefetch_set_prepare) the thread also turns the
 * answer's list into what the stream writes (parsing the items, building the
 * bound texts) and frees the answer, so the writing thread spends its time on
 * the database only. */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "sync.h"

struct sync_prefetch {
    sync_ctx *ctx;
    db_conn *db; /* the client's connection while the thread has it */
    pthread_t thread;
    pthread_mutex_t mu;
    pthread_cond_t cv;
    bool running; /* a thread was started and not yet joined */
    bool done;    /* its request has ended (under mu) */
    char path[512];
    json_t *root;
    mc_status st;
    mc_error err;
    void (*hook)(void *arg, long wait_ms); /* the client's own hook, restored after each request */
    void *hook_arg;
    sync_prepare_fn prepare; /* optional: items → the page ready to write, in the thread */
    void (*discard)(void *prepared);
    const char *key;         /* the list the prepare hook reads */
    void *prepared;
};

static void log_retry(void *arg, long wait_ms)
{
    sync_prefetch *p = arg;
    log_fields f = {0};
    sync_log_fields(p->ctx, &f);
    lf_str(&f, "stream", p->ctx->stream[0] ? p->ctx->stream : "-");
    lf_int(&f, "wait_ms", wait_ms);
    lf_int(&f, "requests", p->ctx->requests_base + mc_client_requests(p->ctx->mc));
    log_event(LOG_INFO, "sync_retry", &f);
}

static void *run(void *arg)
{
    sync_prefetch *p = arg;
    mc_error err;
    memset(&err, 0, sizeof err);
    json_t *root = NULL;
    mc_status st = mc_get(p->ctx->mc, p->path, &root, &err);
    void *prepared = NULL;
    json_t *items = st == MC_OK && p->prepare ? mc_list(root, p->key) : NULL;
    if (items) { /* else the answer goes back whole: sync_list_of reports a missing list */
        prepared = p->prepare(root, items);
        if (prepared) {
            json_decref(root);
            root = NULL;
        }
    }
    pthread_mutex_lock(&p->mu);
    p->prepared = prepared;
    p->root = root;
    p->st = st;
    p->err = err;
    p->done = true;
    pthread_cond_signal(&p->cv);
    pthread_mutex_unlock(&p->mu);
    return NULL;
}

sync_prefetch *sync_prefetch_new(sync_ctx *ctx)
{
    sync_prefetch *p = calloc(1, sizeof *p);
    if (!p)
        return NULL;
    p->ctx = ctx;
    p->db = db_open(ctx->cfg);
    if (!p->db || pthread_mutex_init(&p->mu, NULL) != 0) {
        db_close(p->db);
        free(p);
        return NULL;
    }
    pthread_condattr_t ca;
    bool ok = pthread_condattr_init(&ca) == 0;
    ok = ok && pthread_condattr_setclock(&ca, CLOCK_MONOTONIC) == 0 && pthread_cond_init(&p->cv, &ca) == 0;
    pthread_condattr_destroy(&ca);
    if (!ok) {
        pthread_mutex_destroy(&p->mu);
        db_close(p->db);
        free(p);
        return NULL;
    }
    return p;
}

void sync_prefetch_set_prepare(sync_prefetch *p, const char *key, sync_prepare_fn prepare,
                               void (*discard)(void *prepared))
{
    if (!p || p->running)
        return;
    p->key = key;
    p->prepare = prepare;
    p->discard = discard;
}

bool sync_prefetch_start(sync_prefetch *p, const char *path)
{
    if (p->running || strlen(path) >= sizeof p->path)
        return false;
    snprintf(p->path, sizeof p->path, "%s", path);
    p->done = false;
    p->root = NULL;
    p->prepared = NULL;
    mc_client_get_wait_hook(p->ctx->mc, &p->hook, &p->hook_arg);
    mc_client_set_wait_hook(p->ctx->mc, log_retry, p);
    p->db = mc_client_set_db(p->ctx->mc, p->db);
    if (pthread_create(&p->thread, NULL, run, p) != 0) {
        p->db = mc_client_set_db(p->ctx->mc, p->db);
        mc_client_set_wait_hook(p->ctx->mc, p->hook, p->hook_arg);
        return false;
    }
    p->running = true;
    return true;
}

/* Join the thread; while it runs, renew the job's lease on ctx->db as the
 * client's hook would have (a third of the lease at the latest). */
static void join(sync_prefetch *p)
{
    sync_ctx *ctx = p->ctx;
    long every = ctx->lease_seconds > 3 ? ctx->lease_seconds / 3 : 1;
    pthread_mutex_lock(&p->mu);
    while (!p->done) {
        struct timespec until;
        clock_gettime(CLOCK_MONOTONIC, &until);
        until.tv_sec += 1;
        int rc = pthread_cond_timedwait(&p->cv, &p->mu, &until);
        if (rc == ETIMEDOUT && !p->done && time(NULL) - ctx->last_renew >= every) {
            pthread_mutex_unlock(&p->mu);
            sync_renew_lease(ctx); /* sets ctx->lease_lost; the caller sees it at its next commit */
            pthread_mutex_lock(&p->mu);
        }
    }
    pthread_mutex_unlock(&p->mu);
    pthread_join(p->thread, NULL);
    p->running = false;
    p->db = mc_client_set_db(ctx->mc, p->db);
    mc_client_set_wait_hook(ctx->mc, p->hook, p->hook_arg);
}

/* Wait for the started request: SYNC_OK leaves its answer (p->root, or
 * p->prepared) to the caller; a request that failed is recorded in ctx. */
static sync_result collect(sync_prefetch *p, bool started, const char *what)
{
    sync_ctx *ctx = p->ctx;
    if (!started) {
        snprintf(ctx->error, sizeof ctx->error, "no request was started (%s)", what);
        return SYNC_FAILED;
    }
    join(p);
    if (p->st != MC_OK) {
        json_decref(p->root);
        p->root = NULL;
        return sync_from_mc(ctx, &p->err, what);
    }
    return SYNC_OK;
}

sync_result sync_prefetch_wait(sync_prefetch *p, const char *key, const char *what, json_t **root, json_t **items)
{
    *root = NULL;
    *items = NULL;
    sync_result r = collect(p, p->running, what);
    if (r != SYNC_OK)
        return r;
    json_t *got = p->root;
    p->root = NULL;
    return sync_list_of(p->ctx, got, key, what, root, items);
}

sync_result sync_prefetch_wait_prepared(sync_prefetch *p, const char *what, void **prepared)
{
    *prepared = NULL;
    sync_result r = collect(p, p->running && p->prepare, what);
    if (r != SYNC_OK)
        return r;
    if (p->prepared) {
        *prepared = p->prepared;
        p->prepared = NULL;
        return SYNC_OK;
    }
    json_t *got = p->root, *root = NULL, *items = NULL;
    p->root = NULL;
    r = sync_list_of(p->ctx, got, p->key, what, &root, &items);
    if (r != SYNC_OK)
        return r;
    json_decref(root); /* the list was there: the prepare hook ran out of memory */
    snprintf(p->ctx->error, sizeof p->ctx->error, "out of memory preparing a page (%s)", what);
    return SYNC_FAILED;
}

void sync_prefetch_free(sync_prefetch *p)
{
    if (!p)
        return;
    if (p->running) {
        join(p);
        json_decref(p->root);
        if (p->prepared && p->discard)
            p->discard(p->prepared);
    }
    pthread_cond_destroy(&p->cv);
    pthread_mutex_destroy(&p->mu);
    db_close(p->db);
    free(p);
}
