/* input.c — owns parsing and bounds of JSON request bodies and path ids
 * (query parameters: fcgi/params.c). */
#include "input.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

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

bool field_email(json_t *obj, char out[USER_EMAIL_MAX + 1], vs_response *res)
{
    const char *in;
    if (!field_string(obj, "email", true, 1, USER_EMAIL_MAX, &in, res))
        return false;
    if (!user_email_normalize(in, out, USER_EMAIL_MAX + 1)) {
        resp_bad_field(res, "email", "must be an email address");
        return false;
    }
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
