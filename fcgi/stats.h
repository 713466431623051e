/* stats.h — request and pool counters shared by every worker process.
 *
 * The supervisor maps one anonymous shared region (MAP_SHARED|MAP_ANONYMOUS)
 * before it forks the workers; every worker thread increments it lock-free
 * with C11 atomics, and whichever worker answers GET /metrics reads the
 * totals of all of them. A killed worker's counts stay (they live in the
 * region, not in the process). Fixed-size tables: route (the matched entry of
 * the route table, or "unmatched") × method × status, and a latency histogram
 * per route × method, and the database round trips per route × method. */
#ifndef VS_STATS_H
#define VS_STATS_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "router.h"

/* Supervisor, before forking: map the region and index the route table. */
int stats_init(void);
/* Worker process, right after fork: this process is worker slot `slot`
 * (its DB connection gauges live there; the supervisor zeroes a slot when it
 * restarts its worker). */
void stats_worker_attach(int slot);
/* Supervisor bookkeeping. */
void stats_worker_started(int slot, bool restart);
void stats_set_workers(int configured, int alive);

/* One finished request. rt: the matched route (NULL = unmatched); db_trips:
 * the statements it sent to MariaDB (db_round_trips()). */
void stats_record(const route *rt, const char *method, int status, double seconds, unsigned long db_trips);

/* A data view answered from a remembered answer (fcgi/answer_cache.c). */
void stats_answer_from_memory(void);

/* The pattern of a matched route, "unmatched" for NULL (labels, logs). */
const char *stats_route_label(const route *rt);

/* Append the process-side metrics (HTTP, pool, DB connections) in
 * Prometheus text format 0.0.4 to buf (grown with realloc). false on OOM. */
typedef struct {
    char *data;
    size_t len, cap;
    bool oom;
} stats_buf;
void sb_printf(stats_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* A label value escaped for the exposition format (\\, \", \n). */
void sb_label_value(stats_buf *b, const char *v);
void stats_write_prometheus(stats_buf *b);

#endif
