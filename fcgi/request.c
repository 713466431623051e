/* request.c — owns turning FastCGI params + stdin into a vs_request: method,
 * path, query, bounded body (413 above max_body_bytes), then dispatch, the
 * one response write, and per request: the request id (nginx's $request_id
 * as REQUEST_ID, or a fresh one), the shared counters (fcgi/stats.c) and
 * exactly one structured log line (with the request's database round trips). */
#include "request.h"

#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>
#include <unistd.h>

#include "input.h"
#include "platform/log.h"
#include "respond.h"
#include "router.h"
#include "stats.h"

static const char *param_or(FCGX_Request *fr, const char *name, const char *dflt)
{
    const char *v = FCGX_GetParam(name, fr->envp);
    return v ? v : dflt;
}

/* Read exactly len bytes of body; false on short read. */
static bool read_body(FCGX_Request *fr, char *buf, size_t len)
{
    size_t got = 0;
    while (got < len) {
        int n = FCGX_GetStr(buf + got, (int)(len - got), fr->in);
        if (n <= 0)
            return false;
        got += (size_t)n;
    }
    buf[len] = 0;
    return true;
}

/* nginx's $request_id (32 hex), or anything of [A-Za-z0-9_-]{1,64}; else a new one */
static void request_id(FCGX_Request *fr, char out[65])
{
    const char *v = FCGX_GetParam("REQUEST_ID", fr->envp);
    size_t n = v ? strspn(v, "0123456789abcdefABCDEFghijklmnopqrstuvwxyzGHIJKLMNOPQRSTUVWXYZ_-") : 0;
    if (v && n > 0 && n <= 64 && v[n] == 0) {
        memcpy(out, v, n + 1);
        return;
    }
    unsigned char r[16] = {0};
    if (getrandom(r, sizeof r, 0) != (ssize_t)sizeof r) {
        struct timespec ts;
        clock_gettime(CLOCK_REALTIME, &ts);
        memcpy(r, &ts, sizeof ts < sizeof r ? sizeof ts : sizeof r);
    }
    for (int i = 0; i < 16; i++)
        snprintf(out + 2 * i, 3, "%02x", r[i]);
}

/* The org of the request for the log: the :orgId of the route, or the org of an API key. */
static const char *log_org(const vs_request *req)
{
    const char *p = req->route ? req_param(req, "orgId") : NULL;
    if (p && is_uuid(p))
        return p;
    if (req->who.kind == PRINCIPAL_API_KEY && req->who.key_org_id[0])
        return req->who.key_org_id;
    return "-";
}

bool request_serve(FCGX_Request *fr, const vs_config *cfg)
{
    bool input_whole = false; /* the request's body (if any) was read to its end */
    char rid[65];
    vs_request req = {0};
    vs_response res = {0};
    char path[2048];
    char *body = NULL;
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    db_round_trips_reset();
    request_id(fr, rid);

    req.cfg = cfg;
    req.envp = fr->envp;
    req.method = param_or(fr, "REQUEST_METHOD", "GET");
    req.query = param_or(fr, "QUERY_STRING", "");
    req.remote_addr = param_or(fr, "REMOTE_ADDR", "");
    /* DOCUMENT_URI is nginx's normalised path (no query); fall back to REQUEST_URI */
    const char *uri = FCGX_GetParam("DOCUMENT_URI", fr->envp);
    if (!uri)
        uri = param_or(fr, "REQUEST_URI", "/");
    size_t plen = strcspn(uri, "?");
    if (plen >= sizeof path) {
        resp_error(&res, 404, "no such route", NULL);
        goto out;
    }
    memcpy(path, uri, plen);
    path[plen] = 0;
    req.path = path;

    const char *cl = FCGX_GetParam("CONTENT_LENGTH", fr->envp);
    long long clen = cl && *cl ? strtoll(cl, NULL, 10) : 0;
    if (clen < 0) {
        resp_error(&res, 400, "invalid Content-Length", NULL);
        goto out;
    }
    if (clen > cfg->max_body_bytes) {
        resp_error(&res, 413, "request body too large",
                   json_pack("{s:I}", "max_bytes", (json_int_t)cfg->max_body_bytes));
        goto out;
    }
    if (clen > 0) {
        body = malloc((size_t)clen + 1);
        if (!body || !read_body(fr, body, (size_t)clen)) {
            resp_error(&res, 400, "request body shorter than Content-Length", NULL);
            goto out;
        }
        req.body = body;
        req.body_len = (size_t)clen;
    }
    input_whole = true;
    req.db = db_thread_conn(cfg);
    router_dispatch(&req, &res);

out:
    respond_write(fr, &res, strcmp(req.method ? req.method : "", "HEAD") == 0, rid);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    double secs = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
    const route *rt = req.route;
    unsigned long trips = db_round_trips();
    stats_record(rt, req.method, res.status, secs, trips);
    /* exactly one line per request; the route pattern, never the raw path
     * (paths can carry ids of other people's data, and label cardinality) */
    log_level lvl = res.status >= 500 ? LOG_WARN : LOG_INFO;
    if (log_enabled(lvl)) {
        log_fields f = {0};
        lf_str(&f, "request_id", rid);
        lf_str(&f, "method", req.method);
        lf_str(&f, "route", stats_route_label(rt));
        lf_int(&f, "status", res.status);
        lf_num(&f, "duration_ms", secs * 1000.0, 2);
        lf_str(&f, "org", log_org(&req));
        lf_int(&f, "db_trips", (long long)trips);
        lf_int(&f, "worker", (long long)getpid());
        log_event(lvl, "request", &f);
    }
    json_decref(res.body);
    free(res.text);
    free(body);
    return input_whole;
}
