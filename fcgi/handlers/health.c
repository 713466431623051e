/* health.c — GET /health: liveness of the worker and reachability of MariaDB. */
#include "handlers.h"
#include "platform/migrate.h"

static void health_get(vs_request *req, vs_response *res)
{
    long long schema = 0;
    bool db_up = migrate_schema_version(req->db, &schema) == VS_OK;
    json_t *body = json_pack("{s:s, s:s, s:s}", "status", db_up ? "ok" : "unavailable", "db",
                             db_up ? "ok" : "down", "version", VS_VERSION);
    if (db_up)
        json_object_set_new(body, "schema_version", json_integer(schema));
    if (!db_up) {
        json_object_set_new(body, "error", json_string("database unreachable"));
        json_object_set_new(body, "code", json_string("UNAVAILABLE"));
        json_object_set_new(body, "details", json_null()); /* every error body has {error, code, details} */
        resp_add_header(res, "Retry-After: 1");
    }
    resp_json(res, db_up ? 200 : 503, body);
}

const route health_routes[] = {
    {"GET", "/health", health_get, ACCESS_PUBLIC, NO_PARAMS},
    {0},
};
