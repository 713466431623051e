/* http.h — the request/response model shared by the router and every handler.
 * Handlers read a vs_request and fill a vs_response through resp_json() or
 * resp_error(); only fcgi/respond.c turns a vs_response into bytes. */
#ifndef VS_HTTP_H
#define VS_HTTP_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

#include "platform/config.h"
#include "platform/db.h"
#include "identity/principal.h"
#include "platform/text.h"

#define MAX_PATH_PARAMS 4


typedef struct vs_request {
    const char *method;
    const char *path;
    const char *query;       /* raw query string, may be "" */
    const char *remote_addr;
    char **envp;             /* FastCGI params (HTTP_* headers) */
    const char *body;
    size_t body_len;
    const char *param_names[MAX_PATH_PARAMS];
    char params[MAX_PATH_PARAMS][UUID_STR_LEN + 1]; /* :name segments of the route */
    int nparams;
    principal who;
    const vs_config *cfg;
    db_conn *db;
    const void *route;       /* the matched route entry (fcgi/router.h), NULL = none; set by the router */
    struct qp_values *q;     /* the route's validated query parameters (fcgi/params.h); set by the router */
} vs_request;

#define MAX_EXTRA_HEADERS 4
typedef struct vs_response {
    int status;
    json_t *body;
    char extra_headers[MAX_EXTRA_HEADERS][160];
    int nextra;
    char *text;               /* non-JSON body (malloc'd, freed after writing), used instead of body */
    const char *content_type; /* of text */
} vs_response;

/* Header by its HTTP name, case-insensitive ("x-api-key"); NULL if absent. */
const char *req_header(const vs_request *r, const char *name);
/* Path parameter by name (":orgId" → "orgId"); NULL if absent. */
const char *req_param(const vs_request *r, const char *name);

/* Success body (takes ownership of body). */
void resp_json(vs_response *res, int status, json_t *body);
/* SPEC §2 error body {"error","code","details"}; code derived from status.
 * Takes ownership of details (may be NULL → {}). */
void resp_error(vs_response *res, int status, const char *message, json_t *details);
/* 400 naming the offending field: details {"field": name, "reason": reason}. */
void resp_bad_field(vs_response *res, const char *field, const char *reason);
/* Map a DB_ result code to 503 / 409 / 500. */
void resp_db_error(vs_response *res, int db_rc);
void resp_add_header(vs_response *res, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

const char *http_status_code_name(int status); /* 404 → "NOT_FOUND" */
const char *http_status_reason(int status);    /* 404 → "Not Found" */

#endif
