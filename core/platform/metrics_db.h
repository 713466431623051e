/* metrics_db.h — the database-backed numbers of the Prometheus scrape
 * (GET /metrics): sync jobs by type and status, MightyCall requests used
 * today per integration, token refreshes, stored webhook events by type.
 * Every query is bounded (GROUP BY on small key sets, LIMIT). The caller
 * formats them (fcgi/handlers/prometheus.c). */
#ifndef VS_METRICS_DB_H
#define VS_METRICS_DB_H

#include <jansson.h>

#include "platform/db.h"

typedef struct {
    json_t *sync_jobs;       /* [{type, status, n}] (≤ 200) */
    json_t *mc_requests;     /* [{integration, org, used}] today (UTC), per integration's key (≤ 10000) */
    json_t *token_refreshes; /* [{label, value}] label = integration id or "" (≤ 10000) */
    json_t *webhook_events;  /* [{event_type, n}] the 50 most frequent types */
} metrics_db;

/* Reads all four; an array is NULL when its query failed. VS_OK when every
 * one was read, else the first failure. */
int metrics_db_read(db_conn *db, metrics_db *out);
void metrics_db_free(metrics_db *m);

#endif
