/* stats.c — owns the shared counter region of the worker pool (see stats.h)
 * and its Prometheus rendering. */
#include "stats.h"

#include <stdarg.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "platform/db.h"
#include "platform/log.h"

#define MAX_ROUTES 256  /* route entries + 1 for "unmatched" */
#define MAX_GROUPS 64
#define MAX_SLOTS 64    /* worker processes (config max) */
#define N_METHODS 8
#define N_BUCKETS 13    /* 12 finite upper bounds + +Inf */

_Static_assert(ATOMIC_LLONG_LOCK_FREE == 2, "shared counters need lock-free 64-bit atomics");
_Static_assert(ATOMIC_LONG_LOCK_FREE == 2, "shared gauges need lock-free atomics");

static const char *const methods[N_METHODS] = {"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "OTHER"};
static const double bucket_le[N_BUCKETS - 1] = {.001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5};
static const char *const bucket_label[N_BUCKETS] = {"0.001", "0.0025", "0.005", "0.01", "0.025", "0.05", "0.1",
                                                    "0.25",  "0.5",    "1",     "2.5",  "5",    "+Inf"};
/* Exact codes get their own label; anything else is counted as its class. */
static const int status_codes[] = {200, 201, 202, 204, 301, 302, 304, 400, 401, 403, 404, 405, 409, 412,
                                   413, 415, 422, 429, 500, 502, 503, 504};
#define N_CODES ((int)(sizeof status_codes / sizeof status_codes[0]))
#define N_STATUS (N_CODES + 5) /* + 1xx..5xx */
static const char *const class_label[5] = {"1xx", "2xx", "3xx", "4xx", "5xx"};

struct slot {
    atomic_long db_open;
    atomic_long db_busy;
};

struct shared {
    atomic_ullong requests[MAX_ROUTES][N_METHODS][N_STATUS];
    atomic_ullong buckets[MAX_ROUTES][N_METHODS][N_BUCKETS]; /* per bucket, not cumulative */
    atomic_ullong sum_us[MAX_ROUTES][N_METHODS];
    atomic_ullong db_trips[MAX_ROUTES][N_METHODS];
    atomic_long workers_configured;
    atomic_long workers_alive;
    atomic_ullong worker_restarts;
    atomic_long db_reconnects;
    atomic_long db_connect_failures;
    atomic_ullong answers_from_memory;
    struct slot slots[MAX_SLOTS];
};

static struct shared *shm;
/* the route table index, built before fork (inherited, read-only) */
static const route *group_start[MAX_GROUPS];
static int group_len[MAX_GROUPS], group_base[MAX_GROUPS], n_groups, n_routes;
static const route *route_at[MAX_ROUTES];

int stats_init(void)
{
    n_groups = 0;
    n_routes = 0;
    for (int g = 0; route_groups[g] && g < MAX_GROUPS; g++) {
        int len = 0;
        while (route_groups[g][len].method)
            len++;
        group_start[g] = route_groups[g];
        group_len[g] = len;
        group_base[g] = n_routes;
        for (int i = 0; i < len && n_routes + i < MAX_ROUTES - 1; i++)
            route_at[n_routes + i] = &route_groups[g][i];
        n_routes += len;
        n_groups++;
    }
    if (n_routes > MAX_ROUTES - 1)
        log_warn("stats: %d routes, only %d counted separately (raise MAX_ROUTES in fcgi/stats.c)", n_routes,
                 MAX_ROUTES - 1);
    void *p = mmap(NULL, sizeof(struct shared), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    if (p == MAP_FAILED) {
        log_error("stats: cannot map the shared counters; /metrics will show no request counts");
        return -1;
    }
    shm = p; /* anonymous mappings start zeroed */
    return 0;
}

void stats_worker_attach(int slot)
{
    if (!shm || slot < 0 || slot >= MAX_SLOTS)
        return;
    struct slot *s = &shm->slots[slot];
    db_stats_bind(&s->db_open, &s->db_busy, &shm->db_reconnects, &shm->db_connect_failures);
}

void stats_worker_started(int slot, bool restart)
{
    if (!shm || slot < 0 || slot >= MAX_SLOTS)
        return;
    struct slot *s = &shm->slots[slot];
    /* the previous process of this slot is gone with its connections */
    atomic_store(&s->db_open, 0);
    atomic_store(&s->db_busy, 0);
    if (restart)
        atomic_fetch_add_explicit(&shm->worker_restarts, 1, memory_order_relaxed);
}

void stats_set_workers(int configured, int alive)
{
    if (!shm)
        return;
    atomic_store(&shm->workers_configured, configured);
    atomic_store(&shm->workers_alive, alive);
}

void stats_answer_from_memory(void)
{
    if (shm)
        atomic_fetch_add_explicit(&shm->answers_from_memory, 1, memory_order_relaxed);
}

static int route_index(const route *rt)
{
    if (!rt)
        return n_routes < MAX_ROUTES - 1 ? n_routes : MAX_ROUTES - 1;
    for (int g = 0; g < n_groups; g++)
        if (rt >= group_start[g] && rt < group_start[g] + group_len[g]) {
            int i = group_base[g] + (int)(rt - group_start[g]);
            return i < MAX_ROUTES - 1 ? i : -1;
        }
    return -1;
}

static int method_index(const char *m)
{
    for (int i = 0; m && i < N_METHODS - 1; i++)
        if (strcmp(m, methods[i]) == 0)
            return i;
    return N_METHODS - 1;
}

static int status_index(int status)
{
    for (int i = 0; i < N_CODES; i++)
        if (status_codes[i] == status)
            return i;
    int cls = status / 100;
    return N_CODES + (cls >= 1 && cls <= 5 ? cls - 1 : 4);
}

static const char *status_label(int idx, char buf[8])
{
    if (idx < N_CODES) {
        snprintf(buf, 8, "%d", status_codes[idx]);
        return buf;
    }
    return class_label[idx - N_CODES];
}

const char *stats_route_label(const route *rt) { return rt ? rt->pattern : "unmatched"; }

void stats_record(const route *rt, const char *method, int status, double seconds, unsigned long db_trips)
{
    if (!shm)
        return;
    int r = route_index(rt);
    if (r < 0) /* beyond the table: count with the unmatched row */
        r = route_index(NULL);
    int m = method_index(method), s = status_index(status), b = 0;
    while (b < N_BUCKETS - 1 && seconds > bucket_le[b])
        b++;
    atomic_fetch_add_explicit(&shm->requests[r][m][s], 1, memory_order_relaxed);
    atomic_fetch_add_explicit(&shm->buckets[r][m][b], 1, memory_order_relaxed);
    unsigned long long us = seconds > 0 ? (unsigned long long)(seconds * 1e6 + 0.5) : 0;
    atomic_fetch_add_explicit(&shm->sum_us[r][m], us, memory_order_relaxed);
    atomic_fetch_add_explicit(&shm->db_trips[r][m], db_trips, memory_order_relaxed);
}

/* ---- rendering ---- */

void sb_printf(stats_buf *b, const char *fmt, ...)
{
    if (b->oom)
        return;
    for (;;) {
        va_list ap;
        va_start(ap, fmt);
        size_t room = b->cap - b->len;
        int n = vsnprintf(b->data ? b->data + b->len : NULL, b->data ? room : 0, fmt, ap);
        va_end(ap);
        if (n < 0) {
            b->oom = true;
            return;
        }
        if (b->data && (size_t)n < room) {
            b->len += (size_t)n;
            return;
        }
        size_t cap = b->cap ? b->cap * 2 : 16384;
        while (cap < b->len + (size_t)n + 1)
            cap *= 2;
        char *d = realloc(b->data, cap);
        if (!d) {
            b->oom = true;
            return;
        }
        b->data = d;
        b->cap = cap;
    }
}

void sb_label_value(stats_buf *b, const char *v)
{
    char tmp[512];
    size_t n = 0;
    for (const char *p = v ? v : ""; *p && n + 3 < sizeof tmp; p++) {
        if (*p == '\\' || *p == '"') {
            tmp[n++] = '\\';
            tmp[n++] = *p;
        } else if (*p == '\n') {
            tmp[n++] = '\\';
            tmp[n++] = 'n';
        } else {
            tmp[n++] = *p;
        }
    }
    tmp[n] = 0;
    sb_printf(b, "%s", tmp);
}

/* "NAME{route=\"…\",method=\"…\"": a sample's name and its row's labels. */
static void row_labels(stats_buf *b, const char *name, int r, int m)
{
    sb_printf(b, "%s{route=\"", name);
    sb_label_value(b, r < n_routes && r < MAX_ROUTES - 1 ? route_at[r]->pattern : "unmatched");
    sb_printf(b, "\",method=\"%s\"", methods[m]);
}

/* One single-valued metric: its HELP and TYPE lines and the sample. */
static void sb_metric(stats_buf *b, const char *name, const char *type, const char *help, long long v)
{
    sb_printf(b, "# HELP %s %s\n# TYPE %s %s\n%s %lld\n", name, help, name, type, name, v);
}

void stats_write_prometheus(stats_buf *b)
{
    sb_printf(b, "# HELP vs_build_info Version of the running vs-api.\n# TYPE vs_build_info gauge\n");
    sb_printf(b, "vs_build_info{version=\"");
    sb_label_value(b, VS_VERSION);
    sb_printf(b, "\"} 1\n");
    if (!shm)
        return;
    sb_metric(b, "vs_workers_configured", "gauge", "Worker processes the supervisor keeps running.",
              atomic_load(&shm->workers_configured));
    sb_metric(b, "vs_workers_alive", "gauge", "Worker processes currently running.", atomic_load(&shm->workers_alive));
    sb_metric(b, "vs_worker_restarts_total", "counter",
              "Worker processes restarted by the supervisor after exiting or being killed.",
              (long long)atomic_load(&shm->worker_restarts));

    int rows = n_routes < MAX_ROUTES - 1 ? n_routes + 1 : MAX_ROUTES;
    sb_printf(b, "# HELP vs_http_requests_total HTTP requests answered by the workers, by matched route pattern, "
                 "method and status.\n# TYPE vs_http_requests_total counter\n");
    for (int r = 0; r < rows; r++)
        for (int m = 0; m < N_METHODS; m++)
            for (int s = 0; s < N_STATUS; s++) {
                unsigned long long v = atomic_load_explicit(&shm->requests[r][m][s], memory_order_relaxed);
                if (!v)
                    continue;
                char sl[8];
                row_labels(b, "vs_http_requests_total", r, m);
                sb_printf(b, ",status=\"%s\"} %llu\n", status_label(s, sl), v);
            }
    sb_printf(b, "# HELP vs_http_request_duration_seconds Time from reading the request to writing the response, "
                 "by matched route pattern and method.\n# TYPE vs_http_request_duration_seconds histogram\n");
    for (int r = 0; r < rows; r++)
        for (int m = 0; m < N_METHODS; m++) {
            unsigned long long counts[N_BUCKETS], total = 0;
            for (int k = 0; k < N_BUCKETS; k++)
                total += counts[k] = atomic_load_explicit(&shm->buckets[r][m][k], memory_order_relaxed);
            if (!total)
                continue;
            unsigned long long cum = 0;
            for (int k = 0; k < N_BUCKETS; k++) {
                cum += counts[k];
                row_labels(b, "vs_http_request_duration_seconds_bucket", r, m);
                sb_printf(b, ",le=\"%s\"} %llu\n", bucket_label[k], cum);
            }
            row_labels(b, "vs_http_request_duration_seconds_sum", r, m);
            sb_printf(b, "} %.6f\n",
                      (double)atomic_load_explicit(&shm->sum_us[r][m], memory_order_relaxed) / 1e6);
            row_labels(b, "vs_http_request_duration_seconds_count", r, m);
            sb_printf(b, "} %llu\n", total);
        }
    sb_printf(b, "# HELP vs_db_round_trips_total Statements sent to MariaDB while answering requests, by matched "
                 "route pattern and method.\n# TYPE vs_db_round_trips_total counter\n");
    for (int r = 0; r < rows; r++)
        for (int m = 0; m < N_METHODS; m++) {
            unsigned long long v = atomic_load_explicit(&shm->db_trips[r][m], memory_order_relaxed);
            if (!v)
                continue;
            row_labels(b, "vs_db_round_trips_total", r, m);
            sb_printf(b, "} %llu\n", v);
        }

    long open = 0, busy = 0;
    for (int i = 0; i < MAX_SLOTS; i++) {
        long o = atomic_load(&shm->slots[i].db_open), u = atomic_load(&shm->slots[i].db_busy);
        open += o > 0 ? o : 0;
        busy += u > 0 ? u : 0;
    }
    sb_metric(b, "vs_db_connections_open", "gauge",
              "MariaDB connections held by the worker threads (one per thread once used).", open);
    sb_metric(b, "vs_db_connections_in_use", "gauge", "MariaDB connections executing a statement right now.", busy);
    sb_metric(b, "vs_db_reconnects_total", "counter", "New MariaDB connections opened to replace a lost one.",
              atomic_load(&shm->db_reconnects));
    sb_metric(b, "vs_db_connect_failures_total", "counter", "Failed attempts to connect to MariaDB.",
              atomic_load(&shm->db_connect_failures));
    sb_metric(b, "vs_answers_from_memory_total", "counter",
              "Data views answered from a worker's remembered answer (its ETag still current; fcgi/answer_cache.c).",
              (long)atomic_load(&shm->answers_from_memory));
}
