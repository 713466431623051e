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

static void lower(char *s)
{
    for (; *s; s++)
        if (*s >= 'A' && *s <= 'Z')
            *s = (char)(*s + 32);
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
    char org[64];
    if (query_get(req, res, "orgId", org, sizeof org) <= 0)
        return; /* the access layer has validated it already */
    lower(org);
    char since[20];
    bool has_since = false;
    if (!query_datetime(req, res, "date_from", since, &has_since))
        return;
    char integration_id[40], st[17];
    int rc = integration_status_for_org(req->db, org, integration_id, st);
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
    rc = sync_job_enqueue(req->db, org, integration_id, type, has_since ? since : NULL, "api",
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
    page_req page;
    if (!page_parse(req, res, &page))
        return;
    char org[64], type_in[40], type[32], status[32];
    int has_org = query_get(req, res, "orgId", org, sizeof org);
    if (has_org < 0)
        return;
    if (has_org && !is_uuid(org)) {
        resp_bad_field(res, "orgId", "must be a UUID");
        return;
    }
    if (has_org) {
        lower(org);
        bool visible = false;
        int rc = can_see_org(req, org, &visible);
        if (rc != DB_OK) {
            resp_result(res, rc, NULL, NULL);
            return;
        }
        if (!visible) {
            resp_result(res, VS_ERR_NOT_FOUND, "organization not found", json_pack("{s:s}", "resource", "organization"));
            return;
        }
    }
    int has_type = query_get(req, res, "type", type_in, sizeof type_in);
    if (has_type < 0)
        return;
    if (has_type && !normalize_type(type_in, type)) {
        resp_bad_field(res, "type",
                       "must be one of phone_numbers, extensions, calls, recordings, voicemails, sms, contacts, reports");
        return;
    }
    int has_status = query_get(req, res, "status", status, sizeof status);
    if (has_status < 0)
        return;
    if (has_status) {
        if (strcmp(status, "pending") == 0)
            snprintf(status, sizeof status, "queued");
        static const char *const ok[] = {"queued", "running", "completed", "failed", "deferred", NULL};
        bool good = false;
        for (int i = 0; ok[i]; i++)
            good = good || strcmp(status, ok[i]) == 0;
        if (!good) {
            resp_bad_field(res, "status", "must be one of queued (or pending), running, completed, failed, deferred");
            return;
        }
    }
    const char *o = has_org ? org : NULL, *t = has_type ? type : NULL, *s = has_status ? status : NULL;
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

const route mightycall_sync_routes[] = {
    {"GET", "/api/mightycall/sync/jobs", sync_jobs_list, ACCESS_USER},
    {"GET", "/api/mightycall/sync/jobs/:jobId", sync_job_get, ACCESS_USER},
    {"POST", "/api/mightycall/sync/:type", sync_trigger, ACCESS_ORG_MANAGER},
    {0},
};
