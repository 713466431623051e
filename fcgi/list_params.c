/* list_params.c — owns the list query parameters shared by the data routes:
 * date spans (date_from/date_to, plain dates are days of the org's zone),
 * phone-number and enum filters, and the keyset cursor. Each answers 400
 * naming the parameter when it is malformed. */
#include "list_params.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "mightycall/mc_parse.h"

static bool is_date_only(const char *s) { return strlen(s) == 10; }

bool dl_span_parse(vs_request *req, vs_response *res, const char *org_id, dl_span *out)
{
    char raw[2][64];
    const char *names[2] = {"date_from", "date_to"};
    bool present[2] = {false, false}, local[2] = {false, false};
    long long ms[2] = {0, 0};
    memset(out, 0, sizeof *out);
    for (int i = 0; i < 2; i++) {
        int rc = query_get(req, res, names[i], raw[i], sizeof raw[i]);
        if (rc < 0)
            return false;
        if (rc == 0 || raw[i][0] == 0)
            continue;
        char sqlt[20];
        if (!iso_to_sql_datetime(raw[i], sqlt)) {
            resp_bad_field(res, names[i],
                           "must be an ISO 8601 date (a day of the organization's time zone) or date-time, "
                           "e.g. 2024-01-20 or 2024-01-20T14:30:00Z");
            return false;
        }
        present[i] = true;
        local[i] = is_date_only(raw[i]);
        ms[i] = dl_parse_sql_time(sqlt);
        if (local[i])
            snprintf(raw[i], sizeof raw[i], "%.10s", sqlt);
    }
    if (local[0] || local[1]) {
        /* plain dates are local days: midnight in the org's zone, in UTC */
        const char *a = local[0] ? raw[0] : NULL, *b = local[1] ? raw[1] : NULL;
        int rc = dl_local_day_bounds(req->db, org_id, a, b, &ms[0], &ms[1]);
        if (rc != DB_OK) {
            resp_result(res, rc, NULL, NULL);
            return false;
        }
    }
    for (int i = 0; i < 2; i++) {
        if (present[i] && ms[i] < 0) { /* before the epoch: no data, and spans must not wrap */
            resp_bad_field(res, names[i], "must be on or after 1970-01-01T00:00:00Z");
            return false;
        }
    }
    if (present[1] && !local[1])
        ms[1] += 1000; /* a date-time date_to includes its whole second */
    if (present[0] && present[1] && ms[0] >= ms[1]) {
        resp_bad_field(res, "date_from", "must be before date_to");
        return false;
    }
    out->has_from = present[0];
    out->has_to = present[1];
    out->from_ms = present[0] ? ms[0] : SPAN_MIN_MS;
    out->to_ms = present[1] ? ms[1] : SPAN_MAX_MS;
    return true;
}

bool dl_phone_param(const vs_request *req, vs_response *res, const char *name, char out[33], bool *present)
{
    char buf[64];
    *present = false;
    out[0] = 0;
    int rc = query_get(req, res, name, buf, sizeof buf);
    if (rc < 0)
        return false;
    if (rc == 0 || buf[0] == 0)
        return true;
    int digits = 0;
    for (const char *p = buf; *p; p++) {
        if (isdigit((unsigned char)*p))
            digits++;
        else if (!strchr("+ -().", *p)) {
            digits = -1;
            break;
        }
    }
    if (digits < 7 || digits > 15) {
        resp_bad_field(res, name, "must be a phone number, e.g. +12125551234");
        return false;
    }
    phone_canonical(buf, out, MC_PHONE_LEN);
    *present = true;
    return true;
}

bool dl_enum_param(const vs_request *req, vs_response *res, const char *name, const char *const *allowed,
                   char *out, size_t outsz, bool *present)
{
    *present = false;
    out[0] = 0;
    int rc = query_get(req, res, name, out, outsz);
    if (rc < 0)
        return false;
    if (rc == 0 || out[0] == 0)
        return true;
    for (const char *const *a = allowed; *a; a++) {
        if (strcmp(*a, out) == 0) {
            *present = true;
            return true;
        }
    }
    char reason[256] = "must be one of:";
    for (const char *const *a = allowed; *a; a++) {
        strncat(reason, " ", sizeof reason - strlen(reason) - 1);
        strncat(reason, *a, sizeof reason - strlen(reason) - 1);
    }
    resp_bad_field(res, name, reason);
    return false;
}

bool cursor_from_query(const vs_request *r, vs_response *res, const char *list, cursor_key_kind kind,
                       const page_req *page, list_cursor *out)
{
    char buf[CURSOR_TEXT_MAX + 2];
    memset(out, 0, sizeof *out);
    int rc = query_get(r, res, "cursor", buf, sizeof buf);
    if (rc < 0)
        return false;
    if (rc == 0 || buf[0] == 0)
        return true;
    if (!cursor_decode(buf, list, kind, out)) {
        resp_bad_field(res, "cursor", "is not a cursor of this list (use next_cursor of a previous page as is)");
        return false;
    }
    if (page->skip != 0) {
        resp_bad_field(res, "skip", "cannot be combined with cursor");
        return false;
    }
    return true;
}

