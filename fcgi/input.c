/* input.c — owns parsing and bounds of client input (query, paging, bodies). */
#include "input.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static int hexval(char c)
{
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

int query_get(const vs_request *r, vs_response *res, const char *name, char *out, size_t outsz)
{
    const char *q = r->query ? r->query : "";
    size_t nlen = strlen(name);
    while (*q) {
        const char *amp = strchr(q, '&');
        size_t seg = amp ? (size_t)(amp - q) : strlen(q);
        if (seg > nlen && strncmp(q, name, nlen) == 0 && q[nlen] == '=') {
            size_t o = 0;
            for (size_t i = nlen + 1; i < seg; i++) {
                char c = q[i];
                if (c == '+') {
                    c = ' ';
                } else if (c == '%') {
                    int h = i + 2 < seg ? hexval(q[i + 1]) : -1, l = i + 2 < seg ? hexval(q[i + 2]) : -1;
                    if (h < 0 || l < 0) {
                        resp_bad_field(res, name, "bad percent-encoding");
                        return -1;
                    }
                    c = (char)(h * 16 + l);
                    i += 2;
                }
                if (o + 1 >= outsz) {
                    resp_bad_field(res, name, "too long");
                    return -1;
                }
                out[o++] = c;
            }
            out[o] = 0;
            if (memchr(out, 0, o) || utf8_chars(out) < 0) {
                resp_bad_field(res, name, "not valid UTF-8 text");
                return -1;
            }
            return 1;
        }
        if (seg == nlen && strncmp(q, name, nlen) == 0) {
            out[0] = 0;
            return 1;
        }
        q += seg + (amp ? 1 : 0);
    }
    return 0;
}

static bool parse_bounded_int(const char *s, long long lo, long long hi, long long *out)
{
    if (!*s || strlen(s) > 12)
        return false;
    for (const char *p = s; *p; p++)
        if (!isdigit((unsigned char)*p))
            return false;
    long long v = strtoll(s, NULL, 10);
    if (v < lo || v > hi)
        return false;
    *out = v;
    return true;
}

bool page_parse(const vs_request *r, vs_response *res, page_req *page)
{
    char buf[32];
    long long v;
    page->skip = 0;
    page->limit = PAGE_DEFAULT_LIMIT;
    int rc = query_get(r, res, "skip", buf, sizeof buf);
    if (rc < 0)
        return false;
    if (rc > 0) {
        if (!parse_bounded_int(buf, 0, PAGE_MAX_SKIP, &v)) {
            resp_bad_field(res, "skip", "must be an integer from 0 to 10000000");
            return false;
        }
        page->skip = v;
    }
    rc = query_get(r, res, "limit", buf, sizeof buf);
    if (rc < 0)
        return false;
    if (rc > 0) {
        if (!parse_bounded_int(buf, 1, PAGE_MAX_LIMIT, &v)) {
            resp_bad_field(res, "limit", "must be an integer from 1 to 500");
            return false;
        }
        page->limit = (int)v;
    }
    return true;
}

json_t *body_object(const vs_request *r, vs_response *res)
{
    if (!r->body || r->body_len == 0) {
        resp_error(res, 400, "request body must be a JSON object",
                   json_pack("{s:s}", "reason", "empty body"));
        return NULL;
    }
    json_error_t err;
    json_t *v = json_loadb(r->body, r->body_len, JSON_REJECT_DUPLICATES, &err);
    if (!v) {
        /* jansson quotes the offending bytes, which need not be UTF-8 (then
         * the error body could not be built): keep the text printable ASCII */
        for (char *p = err.text; *p; p++)
            if ((unsigned char)*p < 0x20 || (unsigned char)*p >= 0x7f)
                *p = '?';
        char msg[256];
        snprintf(msg, sizeof msg, "malformed JSON: %s", err.text);
        resp_error(res, 400, msg,
                   json_pack("{s:s, s:i, s:i}", "reason", err.text, "line", err.line, "column", err.column));
        return NULL;
    }
    if (!json_is_object(v)) {
        json_decref(v);
        resp_error(res, 400, "request body must be a JSON object",
                   json_pack("{s:s}", "reason", "not an object"));
        return NULL;
    }
    return v;
}

bool field_string(json_t *obj, const char *name, bool required, size_t min, size_t max,
                  const char **out, vs_response *res)
{
    json_t *v = json_object_get(obj, name);
    *out = NULL;
    if (!v || json_is_null(v)) {
        if (required) {
            resp_bad_field(res, name, "is required");
            return false;
        }
        return true;
    }
    if (!json_is_string(v)) {
        resp_bad_field(res, name, "must be a string");
        return false;
    }
    const char *s = json_string_value(v);
    if (strlen(s) != json_string_length(v)) {
        resp_bad_field(res, name, "must not contain NUL");
        return false;
    }
    long n = utf8_chars(s);
    if (n < 0) {
        resp_bad_field(res, name, "must not contain control characters");
        return false;
    }
    if ((size_t)n < min || (size_t)n > max) {
        char reason[96];
        snprintf(reason, sizeof reason, "length must be %zu to %zu characters", min, max);
        resp_bad_field(res, name, reason);
        return false;
    }
    *out = s;
    return true;
}

bool field_enum(json_t *obj, const char *name, bool required, const char *const *allowed,
                const char **out, vs_response *res)
{
    if (!field_string(obj, name, required, 1, 64, out, res))
        return false;
    if (!*out)
        return true;
    for (const char *const *a = allowed; *a; a++)
        if (strcmp(*a, *out) == 0)
            return true;
    char reason[256] = "must be one of:";
    for (const char *const *a = allowed; *a; a++) {
        strncat(reason, " ", sizeof reason - strlen(reason) - 1);
        strncat(reason, *a, sizeof reason - strlen(reason) - 1);
    }
    resp_bad_field(res, name, reason);
    *out = NULL;
    return false;
}

bool field_uuid(json_t *obj, const char *name, bool required, const char **out, vs_response *res)
{
    if (!field_string(obj, name, required, 36, 36, out, res))
        return false;
    if (*out && !is_uuid(*out)) {
        resp_bad_field(res, name, "must be a UUID");
        *out = NULL;
        return false;
    }
    return true;
}

bool query_datetime(const vs_request *r, vs_response *res, const char *name, char out[20], bool *present)
{
    char buf[64];
    *present = false;
    int rc = query_get(r, res, name, buf, sizeof buf);
    if (rc < 0)
        return false;
    if (rc == 0)
        return true;
    if (!iso_to_sql_datetime(buf, out)) {
        resp_bad_field(res, name, "must be an ISO 8601 date or date-time, e.g. 2024-01-20T14:30:00Z");
        return false;
    }
    *present = true;
    return true;
}

bool param_uuid(const vs_request *r, vs_response *res, const char *name, const char **out)
{
    const char *v = req_param(r, name);
    if (!v || !is_uuid(v)) {
        resp_error(res, 404, "not found", NULL);
        return false;
    }
    *out = v;
    return true;
}
