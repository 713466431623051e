/* sms_threads.c — SMS conversations of an org (core/messaging/sms_threads.h), members
 * and API keys:
 *   GET  /api/orgs/:orgId/sms/threads                       keyset page, newest activity first;
 *        ?business_number= &contact_number= &unread=true &search= (a number
 *        prefix or a contact's name prefix) &cursor= (next_cursor) &limit=
 *   GET  /api/orgs/:orgId/sms/threads/:threadId             the thread + messages {data,total,skip,limit}
 *        (newest first; skip/limit page the messages)
 *   POST /api/orgs/:orgId/sms/threads/:threadId/messages    {message} → a send to the thread's contact
 *        from its business number (answers as POST …/sms/send)
 *   POST /api/orgs/:orgId/sms/threads/:threadId/mark-read   {thread_id, marked, unread_count}
 * Reads first file messages the sync stored (sms_threads_attach) and
 * reconcile sends of unknown outcome with the journal (sms_reconcile_org). */
#include <stdio.h>
#include <string.h>

#include "../access.h"
#include "handlers.h"
#include "../sms_input.h"
#include "../input.h"
#include "platform/log.h"
#include "platform/phone.h"
#include "messaging/sms_send.h"
#include "messaging/sms_threads.h"

static void refresh(vs_request *req)
{
    const char *org = req_param(req, "orgId");
    int resolved = 0;
    if (sms_threads_attach(req->db, org) != DB_OK || sms_reconcile_org(req->db, org, &resolved) != DB_OK)
        log_warn("sms: threads of org %s not refreshed before reading (%s)", org, db_last_error(req->db));
}

static void threads_list(vs_request *req, vs_response *res)
{
    sms_thread_filter f = {0};
    char num[64], name[900];
    f.business_number = qp_str(req, "business_number");
    f.contact_number = qp_str(req, "contact_number");
    f.unread_only = qp_bool(req, "unread");
    sms_thread_search(qp_str(req, "search"), &f, num, name);
    refresh(req);
    char *body = NULL;
    size_t len = 0;
    int rc = sms_threads_list(req->db, req_param(req, "orgId"), &f, qp_cursor(req), qp_page(req), &body, &len);
    if (rc != DB_OK)
        resp_result(res, rc, NULL, NULL);
    else
        resp_json_text(res, 200, body, len);
}

static void thread_not_found(vs_response *res)
{
    resp_result(res, VS_ERR_NOT_FOUND, "SMS thread not found", json_pack("{s:s}", "resource", "sms_thread"));
}

static void thread_get(vs_request *req, vs_response *res)
{
    const char *id;
    const page_req page = *qp_page(req);
    if (!param_uuid(req, res, "threadId", &id))
        return;
    refresh(req);
    const char *org = req_param(req, "orgId");
    json_t *thread = NULL, *msgs = NULL;
    long long total = 0;
    int rc = sms_thread_get(req->db, org, id, &thread);
    if (rc == DB_OK && thread)
        rc = sms_thread_messages(req->db, org, id, page.skip, page.limit, &msgs, &total);
    if (rc != DB_OK) {
        json_decref(thread);
        resp_result(res, rc, NULL, NULL);
    } else if (!thread) {
        thread_not_found(res);
    } else {
        json_object_set_new(thread, "messages", page_envelope(msgs, total, &page));
        resp_json(res, 200, thread);
    }
}

static void thread_reply(vs_request *req, vs_response *res)
{
    const char *id;
    if (!param_uuid(req, res, "threadId", &id))
        return;
    sms_send_req r;
    json_t *body = sms_input_body(req, res, access_actor_user_id(req), &r);
    if (!body)
        return;
    if (!sms_input_message(req, body, &r, res))
        goto out;
    json_t *thread = NULL;
    int rc = sms_thread_get(req->db, r.org_id, id, &thread);
    if (rc != DB_OK) {
        resp_result(res, rc, NULL, NULL);
        goto out;
    }
    if (!thread) {
        thread_not_found(res);
        goto out;
    }
    char from[PHONE_E164_MAX + 1];
    snprintf(from, sizeof from, "%s", json_string_value(json_object_get(thread, "business_number")));
    snprintf(r.to[0], sizeof r.to[0], "%s", json_string_value(json_object_get(thread, "contact_number")));
    json_decref(thread);
    r.from = from;
    r.nto = 1;
    sms_send_result result;
    rc = sms_send(req->db, req->cfg, &r, &result);
    sms_send_respond(res, rc, &result, true);
out:
    json_decref(body);
}

static void thread_mark_read(vs_request *req, vs_response *res)
{
    const char *id;
    if (!param_uuid(req, res, "threadId", &id))
        return;
    bool found = false;
    long long marked = 0;
    int rc = sms_thread_mark_read(req->db, req_param(req, "orgId"), id, &found, &marked);
    if (rc != DB_OK)
        resp_result(res, rc, NULL, NULL);
    else if (!found)
        thread_not_found(res);
    else
        resp_json(res, 200, json_pack("{s:s, s:I, s:i}", "thread_id", id, "marked", (json_int_t)marked,
                                      "unread_count", 0));
}

const route sms_threads_routes[] = {
    {"GET", "/api/orgs/:orgId/sms/threads", threads_list, ACCESS_ORG_AGENT,
     PARAMS(PARAMS_CURSOR_PAGE("sms_threads", CURSOR_KEY_TIME), {.name = "business_number", .type = QP_E164},
            {.name = "contact_number", .type = QP_E164}, {.name = "unread", .type = QP_BOOL},
            {.name = "search", .type = QP_STRING, .flags = QPF_EMPTY_ABSENT, .max = 100,
             .reason = "must be at most 100 characters"})},
    {"GET", "/api/orgs/:orgId/sms/threads/:threadId", thread_get, ACCESS_ORG_AGENT, PARAMS(PARAMS_PAGE)},
    {"POST", "/api/orgs/:orgId/sms/threads/:threadId/messages", thread_reply, ACCESS_ORG_AGENT, NO_PARAMS},
    {"POST", "/api/orgs/:orgId/sms/threads/:threadId/mark-read", thread_mark_read, ACCESS_ORG_AGENT, NO_PARAMS},
    {0},
};
