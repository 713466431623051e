/* params.h — the query parameters a route declares (its row of the route
 * table, fcgi/router.h) and their validation. The router checks every
 * parameter of a request against the declaration before the handler runs
 * (after authentication and authorization, since date bounds need the org's
 * time zone): an unknown parameter, one given twice or an invalid value is a
 * 400 naming it. Handlers then read typed values with the qp_* accessors. */
#ifndef VS_PARAMS_H
#define VS_PARAMS_H

#include <stdbool.h>
#include <stdio.h>

#include "data/cursor.h"
#include "data/data_list.h"
#include "http.h"
#include "mightycall/mc_parse.h"
#include "platform/page.h"

typedef enum {
    QP_STRING,    /* text of min..max characters, optional .check */
    QP_INT,       /* decimal digits, value in min..max, default dflt */
    QP_BOOL,      /* true | false */
    QP_ENUM,      /* one of .allowed */
    QP_UUID,      /* a UUID, lowercased */
    QP_DATETIME,  /* ISO 8601 date or date-time → "YYYY-MM-DD HH:MM:SS" (UTC) */
    QP_DAY,       /* a plain date (a local day of the org) or a date-time standing for its local day;
                     → "YYYY-MM-DD HH:MM:SS", qp_date_only() tells which */
    QP_SPAN_FROM, /* date_from / date_to of a list: plain dates are days of the org's */
    QP_SPAN_TO,   /* time zone, date-times are UTC unless they carry an offset → qp_span() */
    QP_PHONE,     /* a number in any common writing (7–15 digits) → E.164 */
    QP_E164,      /* a phone number that must normalize to E.164 (SMS numbers) */
    QP_CURSOR,    /* keyset cursor of .list with key kind .key → qp_cursor(); not with skip > 0 */
} qp_type;

#define QPF_REQUIRED 1u     /* absent → 400 "is required" */
#define QPF_EMPTY_ABSENT 2u /* "name=" counts as absent (list filters) */

typedef struct {
    const char *name;
    qp_type type;
    unsigned flags;
    long long min, max, dflt;          /* QP_INT bounds and default; QP_STRING length in characters */
    const char *const *allowed;        /* QP_ENUM: NULL-terminated */
    const char *list;                  /* QP_CURSOR: the list's cursor tag */
    cursor_key_kind key;               /* QP_CURSOR */
    bool (*check)(const char *value);  /* QP_STRING: further check of the text */
    const char *reason;                /* 400 reason instead of the type's own */
} param_decl;

/* A route's parameter list: PARAMS(PARAMS_PAGE, PARAM_ENUM("status", statuses)). */
#define PARAMS(...) ((const param_decl[]){__VA_ARGS__, {0}})

/* skip / limit of every paged list (platform/page.h bounds). */
#define PARAMS_PAGE                                                                                             \
    {.name = "skip", .type = QP_INT, .min = 0, .max = PAGE_MAX_SKIP, .dflt = 0},                                \
    {.name = "limit", .type = QP_INT, .min = 1, .max = PAGE_MAX_LIMIT, .dflt = PAGE_DEFAULT_LIMIT}
/* skip / limit / cursor of a keyset-paged list. */
#define PARAMS_CURSOR_PAGE(tag, kind)                                                                           \
    PARAMS_PAGE, {.name = "cursor", .type = QP_CURSOR, .flags = QPF_EMPTY_ABSENT, .list = (tag), .key = (kind)}
/* date_from / date_to of a time-series list. */
#define PARAMS_SPAN                                                                                             \
    {.name = "date_from", .type = QP_SPAN_FROM, .flags = QPF_EMPTY_ABSENT},                                     \
    {.name = "date_to", .type = QP_SPAN_TO, .flags = QPF_EMPTY_ABSENT}
/* An optional list filter: one of values ("name=" = no filter). */
#define PARAM_ENUM(n, values) {.name = (n), .type = QP_ENUM, .flags = QPF_EMPTY_ABSENT, .allowed = (values)}
/* An optional business-number filter. */
#define PARAM_PHONE(n) {.name = (n), .type = QP_PHONE, .flags = QPF_EMPTY_ABSENT}

#define QP_MAX_PARAMS 16 /* declarations per route */

typedef struct {
    bool present;
    bool date_only;   /* QP_DAY, QP_SPAN_*: given as a plain date */
    const char *text; /* the decoded, normalized value (in qp_values.buf) */
    long long num;    /* QP_INT (default when absent), QP_BOOL */
} qp_value;

/* The validated parameters of one request (the router owns it; req->q). */
typedef struct qp_values {
    const param_decl *decl;
    int n;
    qp_value v[QP_MAX_PARAMS];
    page_req page;      /* from skip / limit (defaults when not declared) */
    list_cursor cursor; /* .present false when absent or not declared */
    dl_span span;       /* unbounded when absent or not declared */
    char *buf;          /* malloc'd storage of the texts */
} qp_values;

/* Check the request's query string against decl (NULL = no parameters):
 * true with out filled, or false with a 400 (503 when the org's time zone
 * cannot be read) in res. Call params_free(out) in both cases. */
bool params_validate(const param_decl *decl, vs_request *req, vs_response *res, qp_values *out);
void params_free(qp_values *v);

/* Typed values of the current request (req->q); a name the route does not
 * declare reads as absent. */
bool qp_has(const vs_request *req, const char *name);
const char *qp_str(const vs_request *req, const char *name); /* NULL when absent */
long long qp_int(const vs_request *req, const char *name);   /* the default when absent */
bool qp_bool(const vs_request *req, const char *name);       /* false when absent */
bool qp_date_only(const vs_request *req, const char *name);
const page_req *qp_page(const vs_request *req);
const list_cursor *qp_cursor(const vs_request *req);
const dl_span *qp_span(const vs_request *req);


/* The raw decoded value of one query parameter, for the access layer, which
 * reads ?orgId before the route's parameters are validated: 1 found, 0
 * absent, -1 malformed (400 set). */
int query_get(const vs_request *r, vs_response *res, const char *name, char *out, size_t outsz);

/* The declaration as JSON for `vs-api --routes` (fcgi/route_doc.c). */
json_t *params_describe(const param_decl *decl);

#endif
