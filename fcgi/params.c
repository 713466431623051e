/* params.c — owns the query string of a request: percent-decoding, the check
 * of every parameter against the route's declaration (unknown, repeated,
 * malformed or out of bounds → 400 naming it), the typed values handlers
 * read (qp_*), the date span of the time-series lists (plain dates are days
 * of the org's time zone) and the keyset cursor. */
#include "params.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "platform/phone.h"
#include "sms_input.h"

#define QP_VALUE_BYTES 63 /* longest value of the fixed-format types */
#define QP_NORM_BYTES 48  /* room for a normalized value longer than its input */

static int hexval(char c)
{
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

/* Decode one value (seg, len bytes, after '='): 0 ok, -1 with 400 set. */
static int decode(const char *seg, size_t len, const char *name, char *out, size_t outsz, vs_response *res)
{
    size_t o = 0;
    for (size_t i = 0; i < len; i++) {
        char c = seg[i];
        if (c == '+') {
            c = ' ';
        } else if (c == '%') {
            int h = i + 2 < len ? hexval(seg[i + 1]) : -1, l = i + 2 < len ? hexval(seg[i + 2]) : -1;
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
    return 0;
}

int query_get(const vs_request *r, vs_response *res, const char *name, char *out, size_t outsz)
{
    const char *q = r->query ? r->query : "";
    size_t nlen = strlen(name);
    while (*q) {
        const char *amp = strchr(q, '&');
        size_t seg = amp ? (size_t)(amp - q) : strlen(q);
        if (seg >= nlen && strncmp(q, name, nlen) == 0 && (seg == nlen || q[nlen] == '=')) {
            if (seg == nlen) {
                out[0] = 0;
                return 1;
            }
            return decode(q + nlen + 1, seg - nlen - 1, name, out, outsz, res) < 0 ? -1 : 1;
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

static void one_of(char *reason, size_t sz, const char *const *allowed)
{
    snprintf(reason, sz, "must be one of:");
    for (const char *const *a = allowed; *a; a++) {
        strncat(reason, " ", sz - strlen(reason) - 1);
        strncat(reason, *a, sz - strlen(reason) - 1);
    }
}

static bool bad(vs_response *res, const param_decl *d, const char *reason)
{
    resp_bad_field(res, d->name, d->reason ? d->reason : reason);
    return false;
}

static size_t max_bytes(const param_decl *d)
{
    if (d->type == QP_CURSOR)
        return CURSOR_TEXT_MAX + 1;
    if (d->type == QP_STRING)
        return (size_t)d->max * 4;
    return QP_VALUE_BYTES;
}

#define SPAN_REASON                                                                                              \
    "must be an ISO 8601 date (a day of the organization's time zone) or date-time, "                            \
    "e.g. 2024-01-20 or 2024-01-20T14:30:00Z"

/* Check and normalize one given value in place (text has QP_NORM_BYTES of
 * room past its end); false with 400 set. */
static bool check_value(const param_decl *d, qp_value *v, char *text, vs_response *res)
{
    char reason[768];
    v->text = text;
    switch (d->type) {
    case QP_STRING: {
        long n = utf8_chars(text);
        if (n < d->min || n > d->max) {
            snprintf(reason, sizeof reason, "must be %lld to %lld characters", d->min, d->max);
            if (d->check) /* .reason tells what the check wants */
                resp_bad_field(res, d->name, reason);
            return d->check ? false : bad(res, d, reason);
        }
        if (d->check && !d->check(text))
            return bad(res, d, "has characters that are not allowed");
        return true;
    }
    case QP_INT:
        if (!parse_bounded_int(text, d->min, d->max, &v->num)) {
            snprintf(reason, sizeof reason, "must be an integer from %lld to %lld", d->min, d->max);
            return bad(res, d, reason);
        }
        return true;
    case QP_BOOL:
        if (strcmp(text, "true") != 0 && strcmp(text, "false") != 0)
            return bad(res, d, "must be true or false");
        v->num = strcmp(text, "true") == 0;
        return true;
    case QP_ENUM:
        for (const char *const *a = d->allowed; *a; a++)
            if (strcmp(*a, text) == 0)
                return true;
        one_of(reason, sizeof reason, d->allowed);
        return bad(res, d, reason);
    case QP_UUID:
        if (!is_uuid(text))
            return bad(res, d, "must be a UUID");
        for (char *p = text; *p; p++)
            *p = (char)tolower((unsigned char)*p);
        return true;
    case QP_DATETIME:
    case QP_DAY:
    case QP_SPAN_FROM:
    case QP_SPAN_TO: {
        char sqlt[20];
        if (!iso_to_sql_datetime(text, sqlt))
            return bad(res, d,
                       d->type == QP_DATETIME ? "must be an ISO 8601 date or date-time, e.g. 2024-01-20T14:30:00Z"
                       : d->type == QP_DAY    ? "must be an ISO 8601 date (a day of the organization's time zone) "
                                                "or date-time, e.g. 2024-01-20"
                                              : SPAN_REASON);
        v->date_only = strlen(text) == 10;
        memcpy(text, sqlt, sizeof sqlt);
        return true;
    }
    case QP_PHONE: {
        char e164[MC_PHONE_LEN];
        if (!phone_any_writing(text, e164))
            return bad(res, d, "must be a phone number, e.g. +12125551234");
        snprintf(text, strlen(text) + QP_NORM_BYTES, "%s", e164);
        return true;
    }
    case QP_E164: {
        char e164[PHONE_E164_MAX + 1];
        phone_status st = phone_normalize(text, e164);
        if (st != PHONE_OK) {
            sms_input_bad_number(res, d->name, text, st);
            return false;
        }
        snprintf(text, strlen(text) + QP_NORM_BYTES, "%s", e164);
        return true;
    }
    case QP_CURSOR:
        return true; /* decoded with its list once skip is known */
    }
    return bad(res, d, "is not supported");
}

/* The date span from date_from / date_to (dl_span). */
static bool make_span(const qp_values *qv, vs_request *req, vs_response *res, dl_span *out)
{
    const param_decl *d[2] = {NULL, NULL};
    const qp_value *v[2] = {NULL, NULL};
    long long ms[2] = {0, 0};
    bool present[2] = {false, false}, local[2] = {false, false};
    char day[2][11];
    for (int i = 0; i < qv->n; i++) {
        int side = qv->decl[i].type == QP_SPAN_FROM ? 0 : qv->decl[i].type == QP_SPAN_TO ? 1 : -1;
        if (side >= 0) {
            d[side] = &qv->decl[i];
            v[side] = &qv->v[i];
        }
    }
    for (int i = 0; i < 2; i++) {
        if (!v[i] || !v[i]->present)
            continue;
        present[i] = true;
        local[i] = v[i]->date_only;
        ms[i] = dl_parse_sql_time(v[i]->text);
        snprintf(day[i], sizeof day[i], "%.10s", v[i]->text);
    }
    if (local[0] || local[1]) {
        /* plain dates are local days: midnight in the org's zone, in UTC */
        int rc = dl_local_day_bounds(req->db, req_param(req, "orgId"), local[0] ? day[0] : NULL,
                                     local[1] ? day[1] : NULL, &ms[0], &ms[1]);
        if (rc != DB_OK) {
            resp_result(res, rc, NULL, NULL);
            return false;
        }
    }
    for (int i = 0; i < 2; i++)
        if (present[i] && ms[i] < 0) /* before the epoch: no data, and spans must not wrap */
            return bad(res, d[i], "must be on or after 1970-01-01T00:00:00Z");
    if (present[1] && !local[1])
        ms[1] += 1000; /* a date-time date_to includes its whole second */
    if (present[0] && present[1] && ms[0] >= ms[1])
        return bad(res, d[0], "must be before date_to");
    out->has_from = present[0];
    out->has_to = present[1];
    out->from_ms = present[0] ? ms[0] : SPAN_MIN_MS;
    out->to_ms = present[1] ? ms[1] : SPAN_MAX_MS;
    return true;
}

static int find_decl(const param_decl *decl, int n, const char *name, size_t len)
{
    for (int i = 0; i < n; i++)
        if (strlen(decl[i].name) == len && memcmp(decl[i].name, name, len) == 0)
            return i;
    return -1;
}

/* A parameter name for an error body: printable ASCII, bounded. */
static void printable_name(const char *s, size_t len, char out[65])
{
    size_t n = len < 64 ? len : 64;
    for (size_t i = 0; i < n; i++)
        out[i] = (unsigned char)s[i] >= 0x20 && (unsigned char)s[i] < 0x7f ? s[i] : '?';
    out[n] = 0;
}

bool params_validate(const param_decl *decl, vs_request *req, vs_response *res, qp_values *out)
{
    static const param_decl none[] = {{0}};
    memset(out, 0, sizeof *out);
    out->decl = decl ? decl : none;
    while (out->decl[out->n].name && out->n < QP_MAX_PARAMS)
        out->n++;
    out->page = (page_req){0, PAGE_DEFAULT_LIMIT};
    out->span = (dl_span){false, false, SPAN_MIN_MS, SPAN_MAX_MS};

    /* 1. every parameter given is declared, and given once */
    const char *q = req->query ? req->query : "";
    const char *seg_at[QP_MAX_PARAMS];
    size_t seg_len[QP_MAX_PARAMS];
    bool given[QP_MAX_PARAMS] = {false};
    while (*q) {
        const char *amp = strchr(q, '&');
        size_t seg = amp ? (size_t)(amp - q) : strlen(q);
        if (seg > 0) {
            const char *eq = memchr(q, '=', seg);
            size_t nlen = eq ? (size_t)(eq - q) : seg;
            int i = find_decl(out->decl, out->n, q, nlen);
            if (i < 0 || given[i]) {
                char name[65];
                printable_name(q, nlen, name);
                resp_bad_field(res, name, i < 0 ? "unknown parameter" : "given more than once");
                return false;
            }
            given[i] = true;
            seg_at[i] = eq ? eq + 1 : q + seg;
            seg_len[i] = eq ? seg - nlen - 1 : 0;
        }
        q += seg + (amp ? 1 : 0);
    }

    /* 2. each declared parameter: decoded and checked, in declaration order */
    size_t room = (req->query ? strlen(req->query) : 0) + (size_t)out->n * (QP_NORM_BYTES + 1) + 1;
    out->buf = malloc(room);
    if (!out->buf) {
        resp_error(res, 500, "internal error", NULL);
        return false;
    }
    char *at = out->buf;
    for (int i = 0; i < out->n; i++) {
        const param_decl *d = &out->decl[i];
        qp_value *v = &out->v[i];
        size_t used = 0;
        v->num = d->dflt;
        if (given[i]) {
            size_t cap = (seg_len[i] < max_bytes(d) ? seg_len[i] : max_bytes(d)) + 1;
            if (decode(seg_at[i], seg_len[i], d->name, at, cap, res) < 0)
                return false;
            used = strlen(at) + 1 + QP_NORM_BYTES;
            given[i] = !(at[0] == 0 && (d->flags & QPF_EMPTY_ABSENT));
        }
        if (!given[i]) {
            if (d->flags & QPF_REQUIRED)
                return bad(res, d, "is required");
            continue;
        }
        v->present = true;
        if (!check_value(d, v, at, res))
            return false;
        at += used;
        if (strcmp(d->name, "skip") == 0 && d->type == QP_INT)
            out->page.skip = v->num;
        if (strcmp(d->name, "limit") == 0 && d->type == QP_INT)
            out->page.limit = (int)v->num;
    }

    /* 3. what depends on more than one parameter */
    for (int i = 0; i < out->n; i++) {
        const param_decl *d = &out->decl[i];
        if (d->type != QP_CURSOR || !out->v[i].present)
            continue;
        if (!cursor_decode(out->v[i].text, d->list, d->key, &out->cursor))
            return bad(res, d, "is not a cursor of this list (use next_cursor of a previous page as is)");
        if (out->page.skip != 0) {
            resp_bad_field(res, "skip", "cannot be combined with cursor");
            return false;
        }
    }
    for (int i = 0; i < out->n; i++)
        if (out->decl[i].type == QP_SPAN_FROM || out->decl[i].type == QP_SPAN_TO)
            return make_span(out, req, res, &out->span);
    return true;
}

void params_free(qp_values *v)
{
    free(v->buf);
    v->buf = NULL;
}

static const qp_value *lookup(const vs_request *req, const char *name)
{
    const qp_values *qv = req->q;
    for (int i = 0; qv && i < qv->n; i++)
        if (strcmp(qv->decl[i].name, name) == 0)
            return &qv->v[i];
    return NULL;
}

bool qp_has(const vs_request *req, const char *name)
{
    const qp_value *v = lookup(req, name);
    return v && v->present;
}

const char *qp_str(const vs_request *req, const char *name)
{
    const qp_value *v = lookup(req, name);
    return v && v->present ? v->text : NULL;
}

long long qp_int(const vs_request *req, const char *name)
{
    const qp_value *v = lookup(req, name);
    return v ? v->num : 0;
}

bool qp_bool(const vs_request *req, const char *name)
{
    const qp_value *v = lookup(req, name);
    return v && v->present && v->num != 0;
}

bool qp_date_only(const vs_request *req, const char *name)
{
    const qp_value *v = lookup(req, name);
    return v && v->present && v->date_only;
}

const page_req *qp_page(const vs_request *req)
{
    static const page_req dflt = {0, PAGE_DEFAULT_LIMIT};
    return req->q ? &req->q->page : &dflt;
}

const list_cursor *qp_cursor(const vs_request *req)
{
    static const list_cursor none = {0};
    return req->q ? &req->q->cursor : &none;
}

const dl_span *qp_span(const vs_request *req)
{
    static const dl_span all = {false, false, SPAN_MIN_MS, SPAN_MAX_MS};
    return req->q ? &req->q->span : &all;
}

static const char *type_name(qp_type t)
{
    static const char *const names[] = {
        [QP_STRING] = "string",       [QP_INT] = "integer",      [QP_BOOL] = "boolean", [QP_ENUM] = "enum",
        [QP_UUID] = "uuid",           [QP_DATETIME] = "date-time", [QP_DAY] = "day",
        [QP_SPAN_FROM] = "span-from", [QP_SPAN_TO] = "span-to",  [QP_PHONE] = "phone",  [QP_E164] = "e164",
        [QP_CURSOR] = "cursor",
    };
    return names[t];
}

json_t *params_describe(const param_decl *decl)
{
    json_t *out = json_array();
    for (const param_decl *d = decl; d && d->name; d++) {
        json_t *p = json_pack("{s:s, s:s, s:b}", "name", d->name, "type", type_name(d->type), "required",
                              (d->flags & QPF_REQUIRED) != 0);
        if (d->type == QP_INT)
            json_object_update_new(p, json_pack("{s:I, s:I, s:I}", "min", (json_int_t)d->min, "max",
                                                (json_int_t)d->max, "default", (json_int_t)d->dflt));
        if (d->type == QP_STRING)
            json_object_update_new(p, json_pack("{s:I, s:I}", "minLength", (json_int_t)d->min, "maxLength",
                                                (json_int_t)d->max));
        if (d->type == QP_ENUM || d->type == QP_BOOL) {
            json_t *e = json_array();
            if (d->type == QP_BOOL) {
                json_array_append_new(e, json_string("true"));
                json_array_append_new(e, json_string("false"));
            }
            for (const char *const *a = d->allowed; d->type == QP_ENUM && *a; a++)
                json_array_append_new(e, json_string(*a));
            json_object_set_new(p, "enum", e);
        }
        if (d->type == QP_CURSOR)
            json_object_set_new(p, "list", json_string(d->list));
        json_array_append_new(out, p);
    }
    return out;
}
