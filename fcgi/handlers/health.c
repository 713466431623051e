/* health.c — GET /health: liveness of the worker and reachability of MariaDB.
 * MariaDB counts as reachable without a round trip when this thread's
 * connection had an answer within DB_FRESH_MS and its socket shows no close
 * since (db_recently_alive: a stopped server closes its connections, which
 * the poll sees); otherwise a round trip checks it: the schema version at
 * most every SCHEMA_REREAD_SECONDS per worker thread, a ping in between. A
 * flood of health checks thus costs MariaDB about one ping per thread and
 * second, and a server that stops is reported at once. */
#include <stdio.h>
#include <time.h>

#include "handlers.h"
#include "platform/migrate.h"

#define SCHEMA_REREAD_SECONDS 5
#define DB_FRESH_MS 1000

static _Thread_local long long schema_cached;
static _Thread_local struct timespec schema_read_at;

static bool db_check(db_conn *db, long long *schema)
{
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    if (schema_cached > 0 && now.tv_sec - schema_read_at.tv_sec < SCHEMA_REREAD_SECONDS) {
        *schema = schema_cached;
        return db_recently_alive(db, DB_FRESH_MS) || db_ping(db);
    }
    if (migrate_schema_version(db, schema) != VS_OK)
        return false;
    schema_cached = *schema;
    schema_read_at = now;
    return true;
}

static void health_get(vs_request *req, vs_response *res)
{
    long long schema = 0;
    bool db_up = db_check(req->db, &schema);
    if (db_up) { /* the common answer, written straight (VS_VERSION needs no escaping) */
        char *text = NULL;
        int n = asprintf(&text, "{\"status\":\"ok\",\"db\":\"ok\",\"version\":\"%s\",\"schema_version\":%lld}",
                         VS_VERSION, schema);
        resp_json_text(res, 200, n < 0 ? NULL : text, n < 0 ? 0 : (size_t)n);
        return;
    }
    json_t *body = json_pack("{s:s, s:s, s:s, s:s, s:s, s:n}", "status", "unavailable", "db", "down", "version",
                             VS_VERSION, "error", "database unreachable", "code", "UNAVAILABLE",
                             "details"); /* every error body has {error, code, details} */
    resp_add_header(res, "Retry-After: 1");
    resp_json(res, 503, body);
}

const route health_routes[] = {
    {"GET", "/health", health_get, ACCESS_PUBLIC, NO_PARAMS},
    {0},
};
