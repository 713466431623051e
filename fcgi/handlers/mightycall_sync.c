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
        resp_error(res, 404, "unknown sync type",
                   json_pack("{s:s, s:s}", "resource", "sync_type", "allowed",
                             "phone-numbers, extensions, calls, recordings, voicemails, sms, contacts, reports"));
        return;
    }
    const char *org = qp_str(req, "orgId"), *since = qp_str(req, "date_from");
    json_t *it = NULL;
    db_param p[] = {DBP_STR(org)};
    int rc = db_query_row(req->db,
                          "SELECT id, status FROM integrations WHERE org_id = ? AND integration_type = 'mightycall'", p,
                          1, &it);
    if (rc != DB_OK) {
        resp_db_error(res, rc);
        return;
    }
    const char *st = json_string_value(json_object_get(it, "status"));
    if (!it || !st || strcmp(st, "disabled") == 0) {
        resp_error(res, 409,
                   it ? "the organization's MightyCall integration is disabled"
                      : "the organization has no MightyCall integration; add one first",
                   json_pack("{s:s}", "resource", "integration"));
        json_decref(it);
        return;
    }
    char integration_id[40];
    snprintf(integration_id, sizeof integration_id, "%s", json_string_value(json_object_get(it, "id")));
    json_decref(it);
    char job_id[40];
    bool created = false;
    rc = sync_job_enqueue(req->db, org, integration_id, type, since, "api",
                          access_actor_user_id(req), job_id, &created);
    json_t *job = NULL;
    if (rc == DB_OK)
        rc = sync_job_fetch(req->db, job_id, &job);
    if (rc != DB_OK || !job) {
        json_decref(job);
        resp_db_error(res, rc == DB_OK ? DB_ERROR : rc);
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
    long long n = 0;
    *visible = false;
    db_param p[] = {DBP_STR(org_id), DBP_INT(req->who.platform_admin ? 1 : 0), DBP_STR(req->who.user_id)};
    int rc = db_query_int(req->db,
                          "SELECT COUNT(*) FROM orgs o WHERE o.id = ? AND (? = 1 OR EXISTS (SELECT 1 FROM org_members m "
                          "WHERE m.org_id = o.id AND m.user_id = ?))",
                          p, 3, &n);
    *visible = n > 0;
    return rc;
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
            resp_db_error(res, rc);
            return;
        }
        if (!visible) {
            resp_error(res, 404, "organization not found", json_pack("{s:s}", "resource", "organization"));
            return;
        }
    }
    if (qp_str(req, "type") && normalize_type(qp_str(req, "type"), type))
        t = type;
    if (s && strcmp(s, "pending") == 0)
        s = "queued";
    const char *where = "WHERE (? IS NULL OR j.org_id = ?) AND (? IS NULL OR j.type = ?) AND (? IS NULL OR j.status = ?) "
                        "AND (? = 1 OR j.org_id IN (SELECT m.org_id FROM org_members m WHERE m.user_id = ?))";
    db_param p[] = {DBP_STR(o), DBP_STR(o), DBP_STR(t), DBP_STR(t), DBP_STR(s), DBP_STR(s),
                    DBP_INT(req->who.platform_admin ? 1 : 0), DBP_STR(req->who.user_id),
                    DBP_INT(page.limit), DBP_INT(page.skip)};
    char sql[2048];
    snprintf(sql, sizeof sql, "SELECT %s FROM sync_jobs j %s ORDER BY j.created_at DESC, j.id DESC LIMIT ? OFFSET ?",
             SYNC_JOB_COLUMNS, where);
    json_t *rows = NULL;
    int rc = db_query(req->db, sql, p, DB_NPARAMS(p), &rows);
    long long total = 0;
    if (rc == DB_OK) {
        snprintf(sql, sizeof sql, "SELECT COUNT(*) FROM sync_jobs j %s", where);
        rc = db_query_int(req->db, sql, p, DB_NPARAMS(p) - 2, &total);
    }
    if (rc != DB_OK) {
        json_decref(rows);
        resp_db_error(res, rc);
        return;
    }
    json_t *data = json_array();
    size_t i;
    json_t *row;
    json_array_foreach(rows, i, row) json_array_append_new(data, sync_job_json(row));
    json_decref(rows);
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
        resp_db_error(res, rc);
        return;
    }
    bool visible = false;
    if (job) {
        rc = can_see_org(req, json_string_value(json_object_get(job, "org_id")), &visible);
        if (rc != DB_OK) {
            json_decref(job);
            resp_db_error(res, rc);
            return;
        }
    }
    if (!visible) {
        json_decref(job);
        resp_error(res, 404, "sync job not found", json_pack("{s:s}", "resource", "sync_job"));
        return;
    }
    resp_json(res, 200, job);
}

/* The type query parameter: a sync type with dashes or underscores. */
static const char *const sync_type_params[] = {"phone-numbers", "phone_numbers", "extensions", "calls", "recordings",
                                               "voicemails",    "sms",           "contacts",   "reports", NULL};
static const char *const job_statuses[] = {"queued", "pending", "running", "completed", "failed", "deferred", NULL};

const route mightycall_sync_routes[] = {
    {"GET", "/api/mightycall/sync/jobs", sync_jobs_list, ACCESS_USER,
     PARAMS(PARAMS_PAGE, {.name = "orgId", .type = QP_UUID},
            {.name = "type", .type = QP_ENUM, .allowed = sync_type_params,
             .reason = "must be one of phone_numbers, extensions, calls, recordings, voicemails, sms, contacts, reports"},
            {.name = "status", .type = QP_ENUM, .allowed = job_statuses,
             .reason = "must be one of queued (or pending), running, completed, failed, deferred"})},
    {"GET", "/api/mightycall/sync/jobs/:jobId", sync_job_get, ACCESS_USER, NO_PARAMS},
    /* orgId: the access layer has resolved and authorized it already */
    {"POST", "/api/mightycall/sync/:type", sync_trigger, ACCESS_ORG_MANAGER,
     PARAMS({.name = "orgId", .type = QP_UUID, .flags = QPF_REQUIRED}, {.name = "date_from", .type = QP_DATETIME})},
    {0},
};
