/* metrics_db.c — the bounded queries behind the Prometheus scrape; see
 * metrics_db.h. */
#include "platform/metrics_db.h"

#include <string.h>

static int read_one(db_conn *db, const char *sql, json_t **rows, int rc)
{
    int r = db_query(db, sql, NULL, 0, rows);
    if (r != DB_OK) {
        json_decref(*rows);
        *rows = NULL;
    }
    return rc != DB_OK ? rc : r;
}

int metrics_db_read(db_conn *db, metrics_db *out)
{
    memset(out, 0, sizeof *out);
    int rc = DB_OK;
    rc = read_one(db,
                  "SELECT type, status, COUNT(*) AS n FROM sync_jobs GROUP BY type, status ORDER BY type, status "
                  "LIMIT 200",
                  &out->sync_jobs, rc);
    /* the quota is per MightyCall key (key_fp) and UTC day; every integration
     * using a key shows that key's count */
    rc = read_one(db,
                  "SELECT i.id AS integration, i.org_id AS org, COALESCE(c.requests, 0) AS used "
                  "FROM integrations i LEFT JOIN mc_request_counts c ON c.key_fp = i.key_fp AND c.day = UTC_DATE() "
                  "ORDER BY i.id LIMIT 10000",
                  &out->mc_requests, rc);
    rc = read_one(db,
                  "SELECT label, value FROM ops_counters WHERE name = 'mc_token_refreshes' ORDER BY label LIMIT 10000",
                  &out->token_refreshes, rc);
    /* event types come from the sender: cap the label set */
    rc = read_one(db,
                  "SELECT event_type, COUNT(*) AS n FROM call_events GROUP BY event_type ORDER BY n DESC, event_type "
                  "LIMIT 50",
                  &out->webhook_events, rc);
    return rc;
}

void metrics_db_free(metrics_db *m)
{
    json_decref(m->sync_jobs);
    json_decref(m->mc_requests);
    json_decref(m->token_refreshes);
    json_decref(m->webhook_events);
    memset(m, 0, sizeof *m);
}
