/* request.c — owns turning FastCGI params + stdin into a vs_request: method,
 * path, query, bounded body (413 above max_body_bytes), then dispatch and the
 * one response write. */
#include "request.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "log.h"
#include "respond.h"
#include "router.h"

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

void request_serve(FCGX_Request *fr, const vs_config *cfg)
{
    vs_request req = {0};
    vs_response res = {0};
    char path[2048];
    char *body = NULL;
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);

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
    req.db = db_thread_conn(cfg);
    router_dispatch(&req, &res);

out:
    respond_write(fr, &res, strcmp(req.method ? req.method : "", "HEAD") == 0);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    long ms = (t1.tv_sec - t0.tv_sec) * 1000 + (t1.tv_nsec - t0.tv_nsec) / 1000000;
    if (res.status >= 500)
        log_warn("%s %s -> %d (%ld ms)", req.method, req.path ? req.path : "?", res.status, ms);
    else
        log_debug("%s %s -> %d (%ld ms)", req.method, req.path ? req.path : "?", res.status, ms);
    json_decref(res.body);
    free(body);
}
