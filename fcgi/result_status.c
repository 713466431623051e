/* result_status.c — the one table from a core result (core/platform/result.h)
 * to the HTTP answer: status (which gives the SPEC §2 code), default message
 * and whether a Retry-After: 1 goes with it; and resp_result(), the helper
 * every handler answers an error through (a 429/503 with
 * details.retry_after_seconds gets that as its Retry-After). */
#include <stdbool.h>
#include <stddef.h>

#include "http.h"

static const struct {
    vs_result rc;
    int status;
    const char *message;
    bool retry_soon; /* Retry-After: 1 */
} result_statuses[] = {
    {VS_OK, 200, "OK", false},
    {VS_ERR_INTERNAL, 500, "internal error", false},
    {VS_ERR_UNAVAILABLE, 503, "database unavailable, retry shortly", true},
    {VS_ERR_DUPLICATE, 409, "resource already exists", false},
    {VS_ERR_FOREIGN_KEY, 500, "internal error", false},
    {VS_ERR_BUSY, 503, "database busy, retry", true},
    {VS_ERR_NOT_FOUND, 404, "not found", false},
    {VS_ERR_CONFLICT, 409, "conflict with the current state", false},
    {VS_ERR_INVALID, 400, "invalid request", false},
    {VS_ERR_UNAUTHORIZED, 401, "invalid credentials", false},
    {VS_ERR_EXPIRED, 401, "expired", false},
    {VS_ERR_LIMIT, 409, "limit reached", false},
    {VS_ERR_NO_INTEGRATION, 409, "the organization has no active MightyCall integration", false},
    {VS_ERR_UPSTREAM_DOWN, 503, "MightyCall could not be reached", false},
    {VS_ERR_FORBIDDEN, 403, "forbidden", false},
    {VS_ERR_TOO_LARGE, 413, "request too large", false},
    {VS_ERR_RATE_LIMITED, 429, "too many requests; retry later", false},
    {VS_ERR_QUOTA, 503, "the daily MightyCall request budget is used up; try again later", false},
    {VS_ERR_UPSTREAM, 502, "MightyCall failed", false},
    {VS_ERR_SECRET, 500, "a stored secret cannot be used", false},
    {VS_ERR_PARTIAL, 500, "the change was applied upstream but could not be stored here", false},
};

static size_t result_index(vs_result rc)
{
    for (size_t i = 0; i < sizeof result_statuses / sizeof result_statuses[0]; i++)
        if (result_statuses[i].rc == rc)
            return i;
    return 1; /* an unknown code is an internal error */
}

int result_http_status(vs_result rc)
{
    return result_statuses[result_index(rc)].status;
}

void resp_row(vs_response *res, vs_result rc, json_t *row, const char *message, const char *resource)
{
    if (rc != VS_OK) {
        json_decref(row);
        resp_result(res, rc, NULL, NULL);
    } else if (!row) {
        resp_result(res, VS_ERR_NOT_FOUND, message, json_pack("{s:s}", "resource", resource));
    } else {
        resp_json(res, 200, row);
    }
}

void resp_result(vs_response *res, vs_result rc, const char *message, json_t *details)
{
    size_t i = result_index(rc == VS_OK ? VS_ERR_INTERNAL : rc); /* an error answer was asked for */
    int status = result_statuses[i].status;
    json_t *w = json_object_get(details, "retry_after_seconds");
    bool has_wait = json_is_integer(w);
    long long wait = has_wait ? (long long)json_integer_value(w) : 0;
    resp_error(res, status, message ? message : result_statuses[i].message, details);
    /* a 429/503 whose details say when to come back says it in Retry-After too */
    if ((status == 429 || status == 503) && has_wait)
        resp_add_header(res, "Retry-After: %lld", wait);
    else if (result_statuses[i].retry_soon)
        resp_add_header(res, "Retry-After: 1");
}
