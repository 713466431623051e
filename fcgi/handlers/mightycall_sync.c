/* mightycall_sync.c — sync jobs:
 *   POST /api/mightycall/sync/:type?orgId=…[&date_from=…]   manager+ of orgId; type phone-numbers, extensions,
 *        calls, recordings, voicemails, sms, contacts, reports (dashes or underscores) → 202
 *        {job_id, status, type, org_id, created_at}; an active (queued/running/deferred) job of the same org and
 *        type is returned instead of a duplicate. 409 without an active MightyCall integration.
 *   GET  /api/mightycall/sync/jobs[?orgId&type&status&skip&limit]   signed-in users; non-admins see only orgs
 *        they belong to
 *   GET  /api/mightycall/sync/jobs/:jobId                         same visibility
 * The jobs are run by `vs-sync drain` (systemd timer, every minute). */
#include <stdio.h>
#include <string.h>

#include "../access.h"
#include "handlers.h"
#include "../input.h"
#include "mightycall/integration_admin.h"
#include "mightycall/sync_jobs.h"

/* "phone-numbers" → "phone_numbers"; false when not a sync type. */
static bool normalize_type(const char *in, char out[32])
{
    size_t n = strlen(in);
    if (n == 0 || n >= 32)
        return false;
    for (size_t i = 0; i <= n; i++)
        out[i] = in[i] == '-' ? '_' : in[i];
    return sync_type_valid(out);
}

static void sync_trigger(vs_request *req, vs_response *res)
{
    char type[32];
    const char *raw = req_param(req, "type");
    if (!raw || !normalize_type(raw, type)) {
        resp_result(res, VS_ERR_NOT_FOUND, "unknown sync type",
                   json_pack("{s:s, s:s}", "resource", "sync_type", "allowed",
                             "phone-numbers, extensions, calls, recordings, voicemails, sms, contacts, reports"));
        return;
    }
    const char *org = qp_str(req, "orgId"), *since = qp_str(req, "date_from");
    /* the org's trigger budget, counted only now that the caller may trigger for it */
    long long wait = 0;
    int rc = sync_trigger_admit(req->db, req->cfg, org, &wait);
    if (rc == DB_OK && wait > 0) {
        resp_result(res, VS_ERR_RATE_LIMITED, "too many sync triggers for this organization; retry later",
                    json_pack("{s:I}", "retry_after_seconds", (json_int_t)wait));
        return;
    }
    if (rc != DB_OK) {
        resp_result(res, rc, NULL, NULL);
        return;
    }
    char integration_id[40], st[17];
    rc = integration_status_for_org(req->db, org, integration_id, st);
    if (rc != VS_OK && rc != VS_ERR_NOT_FOUND) {
        resp_result(res, rc, NULL, NULL);
        return;
    }
    if (rc == VS_ERR_NOT_FOUND || strcmp(st, "disabled") == 0) {
        /* a trigger needs a usable integration: the org's state conflicts */
        resp_result(res, VS_ERR_CONFLICT,
                    rc == VS_OK ? "the organization's MightyCall integration is disabled"
                                : "the organization has no MightyCall integration; add one first",
                    json_pack("{s:s}", "resource", "integration"));
        return;
    }
    char job_id[40];
    bool created = false;
    rc = sync_job_enqueue(req->db, org, integration_id, type, since, "api",
                          access_actor_user_id(req), job_id, &created);
    json_t *job = NULL;
    if (rc == DB_OK)
        rc = sync_job_fetch(req->db, job_id, &job);
    if (rc != DB_OK || !job) {
        json_decref(job);
        resp_result(res, rc == DB_OK ? DB_ERROR : rc, NULL, NULL);
        return;
    }
    json_t *out = json_object();
    json_object_set_new(out, "job_id", json_string(job_id));
    json_object_set(out, "status", json_object_get(job, "status"));
    json_object_set(out, "type", json_object_get(job, "type"));
    json_object_set(out, "org_id", json_object_get(job, "org_id"));
    json_object_set(out, "integration_id", json_object_get(job, "integration_id"));
    json_object_set(out, "created_at", json_object_get(job, "created_at"));
    json_object_set(out, "since", json_object_get(job, "since"));
    json_object_set_new(out, "existing", json_boolean(!created));
    json_decref(job);
    resp_json(res, 202, out);
}

/* May the signed-in caller see org_id's jobs? */
static int can_see_org(vs_request *req, const char *org_id, bool *visible)
{
    return sync_jobs_org_visible(req->db, org_id, req->who.platform_admin, req->who.user_id, visible);
}

static void sync_jobs_list(vs_request *req, vs_response *res)
{
    const page_req page = *qp_page(req);
    const char *o = qp_str(req, "orgId"), *t = NULL, *s = qp_str(req, "status");
    char type[32];
    if (o) {
        bool visible = false;
        int rc = can_see_org(req, o, &visible);
        if (rc != DB_OK) {
            resp_result(res, rc, NULL, NULL);
            return;
        }
        if (!visible) {
            resp_result(res, VS_ERR_NOT_FOUND, "organization not found", json_pack("{s:s}", "resource", "organization"));
            return;
        }
    }
    if (qp_str(req, "type") && normalize_type(qp_str(req, "type"), type))
        t = type;
    if (s && strcmp(s, "pending") == 0)
        s = "queued";
    sync_job_filter f = {.org_id = o, .type = t, .status = s, .platform_admin = req->who.platform_admin,
                         .user_id = req->who.user_id};
    json_t *data = NULL;
    long long total = 0;
    int rc = sync_job_list(req->db, &f, page.skip, page.limit, &data, &total);
    if (rc != VS_OK) {
        resp_result(res, rc, NULL, NULL);
        return;
    }
    resp_json(res, 200, page_envelope(data, total, &page));
}

static void sync_job_get(vs_request *req, vs_response *res)
{
    const char *id;
    if (!param_uuid(req, res, "jobId", &id))
        return;
    json_t *job = NULL;
    int rc = sync_job_fetch(req->db, id, &job);
    if (rc != DB_OK) {
        resp_result(res, rc, NULL, NULL);
        return;
    }
    bool visible = false;
    if (job) {
        rc = can_see_org(req, json_string_value(json_object_get(job, "org_id")), &visible);
        if (rc != DB_OK) {
            json_decref(job);
            resp_result(res, rc, NULL, NULL);
            return;
        }
    }
    if (!visible) {
        json_decref(job);
        resp_result(res, VS_ERR_NOT_FOUND, "sync job not found", json_pack("{s:s}", "resource", "sync_job"));
        return;
    }
    resp_json(res, 200, job);
}

/* The type query parameter: a sync type with dashes or underscores. */
static const char *const sync_type_params[] = {"phone-numbers", "phone_numbers", "extensions", "calls", "recordings",
                                               "voicemails",    "sms",           "contacts",   "reports", NULL};
static const char *const job_statuses[] = {"queued",   "pending",   "running", "completed",
                                           "failed",   "deferred",  "cancelled", NULL};

const route mightycall_sync_routes[] = {
    {"GET", "/api/mightycall/sync/jobs", sync_jobs_list, ACCESS_USER,
     PARAMS(PARAMS_PAGE, {.name = "orgId", .type = QP_UUID},
            {.name = "type", .type = QP_ENUM, .allowed = sync_type_params,
             .reason = "must be one of phone_numbers, extensions, calls, recordings, voicemails, sms, contacts, reports"},
            {.name = "status", .type = QP_ENUM, .allowed = job_statuses,
             .reason = "must be one of queued (or pending), running, completed, failed, deferred, cancelled"})},
    {"GET", "/api/mightycall/sync/jobs/:jobId", sync_job_get, ACCESS_USER, NO_PARAMS},
    /* orgId: the access layer has resolved and authorized it already */
    {"POST", "/api/mightycall/sync/:type", sync_trigger, ACCESS_ORG_MANAGER,
     PARAMS({.name = "orgId", .type = QP_UUID, .flags = QPF_REQUIRED}, {.name = "date_from", .type = QP_DATETIME})},
    {0},
};
