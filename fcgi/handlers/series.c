/* series.c — the four time-series lists of an org, one handler driven by a
 * table (core/data/series.h):
 *   GET /api/orgs/:orgId/calls        ?phone_number &direction &status &type
 *                                     &customer_number | &customer_name (one customer:
 *                                     core/data/calls_customer.h)
 *   GET /api/orgs/:orgId/sms          ?phone_number &direction &status
 *   GET /api/orgs/:orgId/recordings   ?phone_number &direction
 *   GET /api/orgs/:orgId/voicemails   ?phone_number &status
 * each also ?date_from &date_to &skip &limit &cursor (the SMS list first files
 * new messages into their threads, so every row has its thread_id); answers {data, total,
 * skip, limit, next_cursor}, newest first. A row names the core series and
 * which query parameter fills each filter slot of dl_dims. */
#include "data/calls_customer.h"
#include "data/series.h"

#include "handlers.h"
#include "messaging/sms_threads.h"
#include "platform/log.h"

typedef struct {
    const dl_series *series;
    const char *dims[4]; /* query parameter of each dl_dims slot: number, direction, status, type */
} series_list;

/* The index of a list in series_lists and of its route in series_routes. */
enum { SERIES_CALLS, SERIES_RECORDINGS, SERIES_SMS, SERIES_VOICEMAILS, SERIES_COUNT };

static const series_list series_lists[] = {
    [SERIES_CALLS] = {&calls_series, {"phone_number", "direction", "status", "type"}},
    [SERIES_RECORDINGS] = {&recordings_series, {"phone_number", "direction", NULL, NULL}},
    [SERIES_SMS] = {&sms_series, {"phone_number", "direction", "status", NULL}},
    [SERIES_VOICEMAILS] = {&voicemails_series, {"phone_number", NULL, "status", NULL}},
};

static void series_get(vs_request *req, vs_response *res)
{
    const series_list *l = &series_lists[(const route *)req->route - series_routes]; /* same index */
    dl_dims dims = {{NULL, NULL, NULL, NULL}};
    for (int i = 0; i < 4; i++)
        dims.v[i] = l->dims[i] ? qp_str(req, l->dims[i]) : NULL;
    /* SMS rows link to their conversation: file messages the sync stored
     * without a thread first (one indexed probe when there are none) */
    if (l == &series_lists[SERIES_SMS] && sms_threads_attach(req->db, req_param(req, "orgId")) != DB_OK)
        log_warn("sms: threads of org %s not filed before the SMS list (%s)", req_param(req, "orgId"),
                 db_last_error(req->db));
    char *body = NULL;
    size_t len = 0;
    const char *cnum = qp_str(req, "customer_number"), *cname = qp_str(req, "customer_name");
    if (cnum && cname) {
        resp_bad_field(res, "customer_name", "cannot be combined with customer_number");
        return;
    }
    int rc = cnum || cname ? calls_customer_page(req->db, req_param(req, "orgId"), qp_span(req), &dims, cnum, cname,
                                                 qp_cursor(req), qp_page(req), &body, &len)
                           : dl_series_page(req->db, req_param(req, "orgId"), l->series, qp_span(req), &dims,
                                            qp_cursor(req), qp_page(req), &body, &len);
    if (rc != DB_OK) {
        resp_result(res, rc, NULL, NULL);
        return;
    }
    resp_json_text(res, 200, body, len);
}

/* What every series list takes, with its cursor tag. */
#define SERIES_PARAMS(tag) PARAMS_CURSOR_PAGE(tag, CURSOR_KEY_TIME), PARAMS_SPAN, PARAM_PHONE("phone_number")

const route series_routes[] = {
    [SERIES_CALLS] = {"GET", "/api/orgs/:orgId/calls", series_get, ACCESS_ORG_AGENT,
                      PARAMS(SERIES_PARAMS("calls"), PARAM_ENUM("direction", call_directions), PARAM_ENUM("status", call_statuses),
                             PARAM_ENUM("type", call_types), PARAM_PHONE("customer_number"),
                             {.name = "customer_name", .type = QP_STRING, .flags = QPF_EMPTY_ABSENT, .min = 2,
                              .max = 100, .reason = "must be 2 to 100 characters"})},
    [SERIES_RECORDINGS] = {"GET", "/api/orgs/:orgId/recordings", series_get, ACCESS_ORG_AGENT,
                      PARAMS(SERIES_PARAMS("recordings"), PARAM_ENUM("direction", call_directions))},
    [SERIES_SMS] = {"GET", "/api/orgs/:orgId/sms", series_get, ACCESS_ORG_AGENT,
                      PARAMS(SERIES_PARAMS("sms"), PARAM_ENUM("direction", call_directions), PARAM_ENUM("status", sms_statuses))},
    [SERIES_VOICEMAILS] = {"GET", "/api/orgs/:orgId/voicemails", series_get, ACCESS_ORG_AGENT,
                      PARAMS(SERIES_PARAMS("voicemails"), PARAM_ENUM("status", voicemail_statuses))},
    [SERIES_COUNT] = {0},
};
