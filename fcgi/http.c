/* http.c — owns the response helpers (success, error, bad field) and
 * header / path-parameter lookup on a request. */
#include "http.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "platform/log.h"

const char *req_header(const vs_request *r, const char *name)
{
    /* FastCGI passes headers as HTTP_X_API_KEY=value */
    char key[96] = "HTTP_";
    size_t n = 5;
    for (const char *p = name; *p && n + 1 < sizeof key; p++)
        key[n++] = *p == '-' ? '_' : (char)toupper((unsigned char)*p);
    key[n] = 0;
    if (!r->envp)
        return NULL;
    for (char **e = r->envp; *e; e++)
        if (strncmp(*e, key, n) == 0 && (*e)[n] == '=')
            return *e + n + 1;
    return NULL;
}

const char *req_param(const vs_request *r, const char *name)
{
    for (int i = 0; i < r->nparams; i++)
        if (strcmp(r->param_names[i], name) == 0)
            return r->params[i];
    return NULL;
}

static const struct {
    int status;
    const char *code;
    const char *reason;
} statuses[] = {
    {200, "OK", "OK"},
    {201, "CREATED", "Created"},
    {202, "ACCEPTED", "Accepted"},
    {204, "NO_CONTENT", "No Content"},
    {304, "NOT_MODIFIED", "Not Modified"},
    {400, "BAD_REQUEST", "Bad Request"},
    {401, "UNAUTHORIZED", "Unauthorized"},
    {403, "FORBIDDEN", "Forbidden"},
    {404, "NOT_FOUND", "Not Found"},
    {405, "METHOD_NOT_ALLOWED", "Method Not Allowed"},
    {409, "CONFLICT", "Conflict"},
    {412, "PRECONDITION_FAILED", "Precondition Failed"},
    {413, "PAYLOAD_TOO_LARGE", "Payload Too Large"},
    {415, "UNSUPPORTED_MEDIA_TYPE", "Unsupported Media Type"},
    {422, "UNPROCESSABLE", "Unprocessable Entity"},
    {429, "RATE_LIMITED", "Too Many Requests"},
    {500, "INTERNAL_ERROR", "Internal Server Error"},
    {502, "UPSTREAM_ERROR", "Bad Gateway"},
    {503, "UNAVAILABLE", "Service Unavailable"},
    {504, "UPSTREAM_TIMEOUT", "Gateway Timeout"},
};

const char *http_status_code_name(int status)
{
    for (size_t i = 0; i < sizeof statuses / sizeof statuses[0]; i++)
        if (statuses[i].status == status)
            return statuses[i].code;
    return status >= 500 ? "INTERNAL_ERROR" : "BAD_REQUEST";
}

const char *http_status_reason(int status)
{
    for (size_t i = 0; i < sizeof statuses / sizeof statuses[0]; i++)
        if (statuses[i].status == status)
            return statuses[i].reason;
    return "Unknown";
}

void resp_json(vs_response *res, int status, json_t *body)
{
    json_decref(res->body);
    free(res->text); /* a later answer replaces an earlier text one */
    res->text = NULL;
    res->status = status;
    res->body = body ? body : json_object();
}

void resp_json_text(vs_response *res, int status, char *text, size_t len)
{
    if (!text) {
        resp_result(res, VS_ERR_INTERNAL, NULL, NULL);
        return;
    }
    json_decref(res->body);
    res->body = NULL;
    free(res->text);
    res->status = status;
    res->text = text;
    res->text_len = len;
    res->content_type = NULL;
}

void resp_error(vs_response *res, int status, const char *message, json_t *details)
{
    json_t *body = json_pack("{s:s, s:s, s:o}", "error", message, "code",
                             http_status_code_name(status), "details",
                             details ? details : json_object());
    if (!body) /* message not valid UTF-8: still a SPEC §2 error, never {} */
        body = json_pack("{s:s, s:s, s:{}}", "error", http_status_reason(status), "code",
                         http_status_code_name(status), "details");
    resp_json(res, status, body);
}

void resp_bad_field(vs_response *res, const char *field, const char *reason)
{
    char msg[256];
    snprintf(msg, sizeof msg, "invalid %s: %s", field, reason);
    resp_error(res, 400, msg, json_pack("{s:s, s:s}", "field", field, "reason", reason));
}

void resp_add_header(vs_response *res, const char *fmt, ...)
{
    if (res->nextra >= MAX_EXTRA_HEADERS)
        return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(res->extra_headers[res->nextra], sizeof res->extra_headers[0], fmt, ap);
    va_end(ap);
    /* never let a value inject another header line */
    for (char *p = res->extra_headers[res->nextra]; *p; p++)
        if (*p == '\r' || *p == '\n')
            *p = ' ';
    res->nextra++;
}

void resp_reset(vs_response *res)
{
    json_decref(res->body);
    free(res->text);
    *res = (vs_response){0};
}
