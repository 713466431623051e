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
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../stats.h"
#include "handlers.h"
#include "platform/metrics_db.h"
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

/* One metric family of the database-backed numbers (core/platform/metrics_db.h):
 * each sample is a row of the `rows` array, its labels taken from columns. */
typedef struct {
    size_t rows; /* offsetof(metrics_db, ...) of the family's rows */
    const char *name, *type, *help;
    const char *label[2], *column[2]; /* label name ← column; label[1] may be NULL */
    const char *if_empty;             /* label value written for an empty column, or NULL */
    const char *value;                /* value column; NULL: the daily MightyCall quota */
} db_metric;

static const db_metric db_metric_table[] = {
    {offsetof(metrics_db, sync_jobs), "vs_sync_jobs", "gauge", "Sync jobs in the queue table, by type and status.",
     {"type", "status"}, {"type", "status"}, NULL, "n"},
    {offsetof(metrics_db, mc_requests), "vs_mightycall_requests_today", "gauge",
     "MightyCall requests used today (UTC) by the integration's key.", {"integration", "org"},
     {"integration", "org"}, NULL, "used"},
    {offsetof(metrics_db, mc_requests), "vs_mightycall_requests_limit", "gauge",
     "Daily MightyCall request quota per key (mc_daily_quota).", {"integration", "org"}, {"integration", "org"},
     NULL, NULL},
    {offsetof(metrics_db, token_refreshes), "vs_mightycall_token_refreshes_total", "counter",
     "New MightyCall access tokens fetched (vs-api and vs-sync), by integration.", {"integration", NULL},
     {"label", NULL}, "none", "value"},
    {offsetof(metrics_db, webhook_events), "vs_webhook_events", "gauge",
     "Stored MightyCall webhook events, by event type (the 50 most frequent types).", {"type", NULL},
     {"event_type", NULL}, NULL, "n"},
};

static void db_metric_write(stats_buf *b, const db_metric *m, json_t *rows, int daily_quota)
{
    size_t i;
    json_t *row;
    sb_printf(b, "# HELP %s %s\n# TYPE %s %s\n", m->name, m->help, m->name, m->type);
    json_array_foreach(rows, i, row)
    {
        sb_printf(b, "%s{", m->name);
        for (int l = 0; l < 2 && m->label[l]; l++) {
            const char *v = str_of(row, m->column[l]);
            label(b, m->label[l], !v[0] && m->if_empty ? m->if_empty : v, l == 0);
        }
        if (m->value)
            sb_printf(b, "} %lld\n", int_of(row, m->value));
        else
            sb_printf(b, "} %d\n", daily_quota);
    }
}

/* The database-backed metrics; false if any of them could not be read
 * (those families are left out). */
static bool db_metrics(vs_request *req, stats_buf *b)
{
    metrics_db m;
    bool ok = metrics_db_read(req->db, &m) == VS_OK;
    for (size_t k = 0; k < sizeof db_metric_table / sizeof db_metric_table[0]; k++) {
        const db_metric *d = &db_metric_table[k];
        json_t *rows = *(json_t **)((char *)&m + d->rows);
        if (rows)
            db_metric_write(b, d, rows, req->cfg->mc_daily_quota);
    }
    metrics_db_free(&m);
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
        resp_result(res, VS_ERR_INTERNAL, "internal error", NULL);
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
