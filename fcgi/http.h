/* http.h — the request/response model shared by the router and every handler.
 * Handlers read a vs_request and fill a vs_response through resp_json() or,
 * for errors, resp_result() (a core vs_result through the table in
 * fcgi/result_status.c) / resp_bad_field(); only fcgi/respond.c turns a
 * vs_response into bytes. */
#ifndef VS_HTTP_H
#define VS_HTTP_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

#include "platform/config.h"
#include "platform/db.h"
#include "platform/result.h"
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
    char extra_headers[MAX_EXTRA_HEADERS][1200]; /* an X-Accel-Redirect URI fits (messaging/media.h) */
    int nextra;
    char *text;               /* body already as text (malloc'd, freed after writing), used instead of body */
    size_t text_len;          /* its length (0: strlen) */
    const char *content_type; /* of text; NULL = JSON text (written with a trailing newline like body) */
} vs_response;

/* Header by its HTTP name, case-insensitive ("x-api-key"); NULL if absent. */
const char *req_header(const vs_request *r, const char *name);
/* Path parameter by name (":orgId" → "orgId"); NULL if absent. */
const char *req_param(const vs_request *r, const char *name);

/* Success body (takes ownership of body). */
/* Forget whatever res holds (body, text, headers, status). */
void resp_reset(vs_response *res);
void resp_json(vs_response *res, int status, json_t *body);
/* Success body already written as JSON text (core lists streamed into a
 * json_buf): takes ownership of text (malloc'd, len bytes); NULL → 500. */
void resp_json_text(vs_response *res, int status, char *text, size_t len);
/* SPEC §2 error body {"error","code","details"}; code derived from status.
 * Takes ownership of details (may be NULL → {}). */
void resp_error(vs_response *res, int status, const char *message, json_t *details);
/* 400 naming the offending field: details {"field": name, "reason": reason}. */
void resp_bad_field(vs_response *res, const char *field, const char *reason);
/* Error answer for a core result (fcgi/result_status.c, the one table):
 * its status and SPEC code, message (NULL = the table's default) and details
 * (taken; NULL → {}); Retry-After: 1 for a busy or unreachable database.
 * VS_OK is treated as VS_ERR_INTERNAL (a caller wanted an error). */
void resp_result(vs_response *res, vs_result rc, const char *message, json_t *details);
/* The answer of a read or write of one row: rc's error, else 404 message
 * {"resource": resource} when row is NULL, else 200 row (taken). */
void resp_row(vs_response *res, vs_result rc, json_t *row, const char *message, const char *resource);
/* The HTTP status the table gives rc (for logs and special cases). */
int result_http_status(vs_result rc);
void resp_add_header(vs_response *res, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

const char *http_status_code_name(int status); /* 404 → "NOT_FOUND" */
const char *http_status_reason(int status);    /* 404 → "Not Found" */

#endif
