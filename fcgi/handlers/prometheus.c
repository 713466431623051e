/* prometheus.c — GET /metrics: operator metrics in the Prometheus text
 * exposition format 0.0.4.
 *
 * Visible only to sources in metrics_allow_cidr (default 127.0.0.1 and ::1;
 * REMOTE_ADDR as nginx saw the client, never X-Forwarded-For) or to a caller
 * with a valid x-service-key. Anyone else gets the router's "no such route"
 * 404 for any method, so the endpoint is not revealed (prometheus_path_hidden,
 * checked by the router before matching and before any credential).
 *
 * Process-side numbers (HTTP requests, latency, workers, DB connections) come
 * from the pool's shared region (fcgi/stats.c) and cover every worker
 * process; the rest is read from MariaDB on each scrape: sync jobs by type and
 * status, MightyCall requests used today per integration against the daily
 * quota, token refreshes (ops_counters) and stored webhook events by type. */
#include <arpa/inet.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../stats.h"
#include "handlers.h"
#include "platform/secretbox.h"

/* ---- who may see it ---- */

typedef struct {
    int family; /* AF_INET / AF_INET6 */
    unsigned char addr[16];
} ip_addr;

static bool parse_ip(const char *s, ip_addr *out)
{
    if (inet_pton(AF_INET, s, out->addr) == 1) {
        out->family = AF_INET;
        return true;
    }
    if (inet_pton(AF_INET6, s, out->addr) != 1)
        return false;
    static const unsigned char v4mapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
    if (memcmp(out->addr, v4mapped, 12) == 0) { /* ::ffff:a.b.c.d is an IPv4 client */
        memmove(out->addr, out->addr + 12, 4);
        out->family = AF_INET;
    } else {
        out->family = AF_INET6;
    }
    return true;
}

/* One "addr[/bits]" entry; -1 malformed, 1 matches ip (ip may be NULL: syntax check). */
static int cidr_entry(const char *entry, const ip_addr *ip)
{
    char buf[64];
    snprintf(buf, sizeof buf, "%s", entry);
    char *slash = strchr(buf, '/');
    long bits = -1;
    if (slash) {
        *slash = 0;
        char *end;
        bits = strtol(slash + 1, &end, 10);
        if (end == slash + 1 || *end)
            return -1;
    }
    ip_addr net;
    if (!parse_ip(buf, &net))
        return -1;
    int maxbits = net.family == AF_INET ? 32 : 128;
    if (bits < 0)
        bits = maxbits;
    if (bits > maxbits)
        return -1;
    if (!ip || ip->family != net.family)
        return 0;
    for (long i = 0; i < bits; i++) {
        int byte = (int)(i / 8), bit = 7 - (int)(i % 8);
        if (((ip->addr[byte] >> bit) & 1) != ((net.addr[byte] >> bit) & 1))
            return 0;
    }
    return 1;
}

/* Walk a comma/space separated list; -1 malformed, 1 some entry matches, 0 none. */
static int cidr_list(const char *list, const ip_addr *ip)
{
    int found = 0;
    const char *p = list;
    while (*p) {
        size_t skip = strspn(p, ", \t");
        p += skip;
        size_t n = strcspn(p, ", \t");
        if (!n)
            break;
        char entry[64];
        if (n >= sizeof entry)
            return -1;
        memcpy(entry, p, n);
        entry[n] = 0;
        int m = cidr_entry(entry, ip);
        if (m < 0)
            return -1;
        if (m > 0)
            found = 1;
        p += n;
    }
    return found;
}

bool prometheus_cidr_list_valid(const char *list) { return cidr_list(list, NULL) >= 0; }

static bool caller_allowed(const vs_request *req)
{
    ip_addr ip;
    if (req->remote_addr && parse_ip(req->remote_addr, &ip) && cidr_list(req->cfg->metrics_allow_cidr, &ip) > 0)
        return true;
    const char *key = req_header(req, "x-service-key");
    return key && *key && req->cfg->service_key[0] && ct_equal_str(key, req->cfg->service_key);
}

bool prometheus_path_hidden(const vs_request *req)
{
    for (const route *r = prometheus_routes; r->method; r++) {
        size_t n = strlen(r->pattern);
        /* any method: a 405 would reveal the path as well */
        if (strncmp(req->path, r->pattern, n) == 0 && (req->path[n] == 0 || strcmp(req->path + n, "/") == 0))
            return !caller_allowed(req);
    }
    return false;
}

/* ---- from the database ---- */

static const char *str_of(json_t *row, const char *k)
{
    const char *s = json_string_value(json_object_get(row, k));
    return s ? s : "";
}

static long long int_of(json_t *row, const char *k)
{
    json_t *v = json_object_get(row, k);
    if (json_is_integer(v))
        return json_integer_value(v);
    if (json_is_real(v)) /* COALESCE(INT UNSIGNED, 0) comes back as DECIMAL */
        return (long long)json_real_value(v);
    return json_is_string(v) ? strtoll(json_string_value(v), NULL, 10) : 0;
}

static void label(stats_buf *b, const char *name, const char *value, bool first)
{
    sb_printf(b, "%s%s=\"", first ? "" : ",", name);
    sb_label_value(b, value);
    sb_printf(b, "\"");
}

/* Each query is bounded (GROUP BY on small key sets, LIMIT); false if the DB failed. */
static bool db_metrics(vs_request *req, stats_buf *b)
{
    json_t *rows = NULL;
    bool ok = true;
    size_t i;
    json_t *row;

    if (db_query(req->db,
                 "SELECT type, status, COUNT(*) AS n FROM sync_jobs GROUP BY type, status ORDER BY type, status "
                 "LIMIT 200",
                 NULL, 0, &rows) == DB_OK) {
        sb_printf(b, "# HELP vs_sync_jobs Sync jobs in the queue table, by type and status.\n"
                     "# TYPE vs_sync_jobs gauge\n");
        json_array_foreach(rows, i, row)
        {
            sb_printf(b, "vs_sync_jobs{");
            label(b, "type", str_of(row, "type"), true);
            label(b, "status", str_of(row, "status"), false);
            sb_printf(b, "} %lld\n", int_of(row, "n"));
        }
    } else {
        ok = false;
    }
    json_decref(rows);
    rows = NULL;

    /* the quota is per MightyCall key (key_fp) and UTC day; every integration
     * using a key shows that key's count */
    if (db_query(req->db,
                 "SELECT i.id AS integration, i.org_id AS org, COALESCE(c.requests, 0) AS used "
                 "FROM integrations i LEFT JOIN mc_request_counts c ON c.key_fp = i.key_fp AND c.day = UTC_DATE() "
                 "ORDER BY i.id LIMIT 10000",
                 NULL, 0, &rows) == DB_OK) {
        sb_printf(b, "# HELP vs_mightycall_requests_today MightyCall requests used today (UTC) by the "
                     "integration's key.\n# TYPE vs_mightycall_requests_today gauge\n");
        json_array_foreach(rows, i, row)
        {
            sb_printf(b, "vs_mightycall_requests_today{");
            label(b, "integration", str_of(row, "integration"), true);
            label(b, "org", str_of(row, "org"), false);
            sb_printf(b, "} %lld\n", int_of(row, "used"));
        }
        sb_printf(b, "# HELP vs_mightycall_requests_limit Daily MightyCall request quota per key "
                     "(mc_daily_quota).\n# TYPE vs_mightycall_requests_limit gauge\n");
        json_array_foreach(rows, i, row)
        {
            sb_printf(b, "vs_mightycall_requests_limit{");
            label(b, "integration", str_of(row, "integration"), true);
            label(b, "org", str_of(row, "org"), false);
            sb_printf(b, "} %d\n", req->cfg->mc_daily_quota);
        }
    } else {
        ok = false;
    }
    json_decref(rows);
    rows = NULL;

    if (db_query(req->db,
                 "SELECT label, value FROM ops_counters WHERE name = 'mc_token_refreshes' ORDER BY label LIMIT 10000",
                 NULL, 0, &rows) == DB_OK) {
        sb_printf(b, "# HELP vs_mightycall_token_refreshes_total New MightyCall access tokens fetched (vs-api and "
                     "vs-sync), by integration.\n# TYPE vs_mightycall_token_refreshes_total counter\n");
        json_array_foreach(rows, i, row)
        {
            sb_printf(b, "vs_mightycall_token_refreshes_total{");
            label(b, "integration", str_of(row, "label")[0] ? str_of(row, "label") : "none", true);
            sb_printf(b, "} %lld\n", int_of(row, "value"));
        }
    } else {
        ok = false;
    }
    json_decref(rows);
    rows = NULL;

    /* event types come from the sender: cap the label set */
    if (db_query(req->db,
                 "SELECT event_type, COUNT(*) AS n FROM call_events GROUP BY event_type ORDER BY n DESC, event_type "
                 "LIMIT 50",
                 NULL, 0, &rows) == DB_OK) {
        sb_printf(b, "# HELP vs_webhook_events Stored MightyCall webhook events, by event type (the 50 most "
                     "frequent types).\n# TYPE vs_webhook_events gauge\n");
        json_array_foreach(rows, i, row)
        {
            sb_printf(b, "vs_webhook_events{");
            label(b, "type", str_of(row, "event_type"), true);
            sb_printf(b, "} %lld\n", int_of(row, "n"));
        }
    } else {
        ok = false;
    }
    json_decref(rows);
    return ok;
}

static void metrics_get(vs_request *req, vs_response *res)
{
    stats_buf b = {0};
    stats_write_prometheus(&b);
    bool db_ok = db_metrics(req, &b);
    sb_printf(&b, "# HELP vs_metrics_db_up Whether the database-backed metrics of this scrape could be read.\n"
                  "# TYPE vs_metrics_db_up gauge\nvs_metrics_db_up %d\n",
              db_ok ? 1 : 0);
    if (b.oom) {
        free(b.data);
        resp_error(res, 500, "internal error", NULL);
        return;
    }
    json_decref(res->body);
    res->body = NULL;
    res->status = 200;
    res->text = b.data;
    res->content_type = "text/plain; version=0.0.4; charset=utf-8";
}

const route prometheus_routes[] = {
    {"GET", "/metrics", metrics_get, ACCESS_PUBLIC, NO_PARAMS},
    {0},
};
