/* router.c — owns path matching against the route groups and the order of a
 * request: match → authenticate → authorize → query parameters → (304 of a
 * tagged route, fcgi/etag.c) → handler. */
#include "router.h"

#include <stdio.h>
#include <string.h>

#include "access.h"
#include "etag.h"
#include "identity_cache.h"
#include "handlers/handlers.h"
#include "platform/log.h"

/* Compare one path against one pattern; fills params on success. */
static bool match_pattern(const char *pattern, const char *path, vs_request *req)
{
    int np = 0;
    const char *p = pattern, *s = path;
    while (*p && *s) {
        if (*p != '/' || *s != '/')
            return false;
        p++, s++;
        const char *pe = strchrnul(p, '/'), *se = strchrnul(s, '/');
        size_t plen = (size_t)(pe - p), slen = (size_t)(se - s);
        if (*p == ':') {
            if (slen == 0 || slen > UUID_STR_LEN || np >= MAX_PATH_PARAMS)
                return false;
            req->param_names[np] = p + 1; /* terminated by '/' or NUL: copied below */
            memcpy(req->params[np], s, slen);
            req->params[np][slen] = 0;
            np++;
        } else if (plen != slen || memcmp(p, s, plen) != 0) {
            return false;
        }
        p = pe, s = se;
    }
    if (*p || (*s && strcmp(s, "/") != 0))
        return false;
    req->nparams = np;
    return true;
}

/* Param names point into patterns ("orgId/members"); keep them NUL-terminated. */
static _Thread_local char thread_param_names[MAX_PATH_PARAMS][32];

static void fix_param_names(vs_request *req)
{
    for (int i = 0; i < req->nparams; i++) {
        const char *n = req->param_names[i];
        size_t len = strcspn(n, "/");
        if (len >= sizeof thread_param_names[i])
            len = sizeof thread_param_names[i] - 1;
        memcpy(thread_param_names[i], n, len);
        thread_param_names[i][len] = 0;
        req->param_names[i] = thread_param_names[i];
    }
}

int router_match(vs_request *req, const route **out, char *allow, size_t allowsz)
{
    bool path_seen = false;
    if (allow && allowsz)
        allow[0] = 0;
    for (int g = 0; route_groups[g]; g++) {
        for (const route *rt = route_groups[g]; rt->method; rt++) {
            if (!match_pattern(rt->pattern, req->path, req))
                continue;
            if (strcmp(rt->method, req->method) == 0 ||
                (strcmp(req->method, "HEAD") == 0 && strcmp(rt->method, "GET") == 0)) {
                fix_param_names(req);
                *out = rt;
                return 1;
            }
            path_seen = true;
            if (allow && !strstr(allow, rt->method)) {
                if (allow[0])
                    strncat(allow, ", ", allowsz - strlen(allow) - 1);
                strncat(allow, rt->method, allowsz - strlen(allow) - 1);
            }
        }
    }
    req->nparams = 0;
    return path_seen ? -1 : 0;
}

void router_dispatch(vs_request *req, vs_response *res)
{
    const route *rt = NULL;
    char allow[64];
    /* ops routes answer like an unknown path to callers that may not see them */
    int m = prometheus_path_hidden(req) ? 0 : router_match(req, &rt, allow, sizeof allow);
    if (m > 0)
        req->route = rt;
    if (m == 0) {
        resp_error(res, 404, "no such route", json_pack("{s:s, s:s}", "method", req->method, "path", req->path));
        return;
    }
    if (m < 0) {
        resp_error(res, 405, "method not allowed on this route",
                   json_pack("{s:s, s:s}", "method", req->method, "allow", allow));
        resp_add_header(res, "Allow: %s", allow);
        return;
    }
    if (identity_cache_answer(rt, req, res))
        return;
    if (!access_authenticate(req, res))
        return;
    if (!access_authorize(rt, req, res))
        return;
    qp_values q;
    if (params_validate(rt->params, req, res, &q)) {
        req->q = &q;
        char tag[ETAG_MAX];
        if (!etag_not_modified(rt, req, res, tag)) {
            rt->handler(req, res);
            etag_attach(res, tag);
        }
        identity_cache_learn(rt, req, res);
        req->q = NULL;
    }
    params_free(&q);
    if (!res->body && !res->text) /* a handler that forgot to answer is a bug, not a hang */
        resp_error(res, 500, "internal error", NULL);
}

static const char *access_name(route_access a)
{
    static const char *const names[] = {
        [ACCESS_PUBLIC] = "ACCESS_PUBLIC",         [ACCESS_USER] = "ACCESS_USER",
        [ACCESS_PLATFORM_ADMIN] = "ACCESS_PLATFORM_ADMIN", [ACCESS_ORG_AGENT] = "ACCESS_ORG_AGENT",
        [ACCESS_ORG_MANAGER] = "ACCESS_ORG_MANAGER", [ACCESS_ORG_ADMIN] = "ACCESS_ORG_ADMIN",
        [ACCESS_SERVICE] = "ACCESS_SERVICE",
    };
    return names[a];
}

unsigned route_api_scope(const route *rt)
{
    for (const route_scope *s = route_scopes; s->method; s++)
        if (strcmp(s->method, rt->method) == 0 && strcmp(s->pattern, rt->pattern) == 0)
            return s->scope;
    return rt->access == ACCESS_ORG_AGENT && strcmp(rt->method, "GET") == 0 ? API_SCOPE_READ : 0;
}

void router_print_routes(FILE *out)
{
    json_t *all = json_array();
    for (int g = 0; route_groups[g]; g++)
        for (const route *rt = route_groups[g]; rt->method; rt++) {
            const char *scope = api_scope_name(route_api_scope(rt));
            json_array_append_new(all, json_pack("{s:s, s:s, s:s, s:o, s:s?}", "method", rt->method, "pattern",
                                                 rt->pattern, "access", access_name(rt->access), "params",
                                                 params_describe(rt->params), "api_scope", scope));
        }
    json_dumpf(all, out, JSON_INDENT(1));
    fputc('\n', out);
    json_decref(all);
}
