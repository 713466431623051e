/* sync_queue.c — the org's sync queue, as its Sync page needs it:
 *   GET  /api/orgs/:orgId/sync/queue                     members: ready, running and deferred jobs,
 *        how long the oldest ready job has waited and whether that is past the stall threshold
 *   POST /api/orgs/:orgId/sync/jobs/:jobId/cancel        manager+: a queued or deferred job → cancelled
 *        (409 when it is running or has ended; 404 for another org's job) */
#include "handlers.h"
#include "mightycall/sync_queue.h"

static void queue_get(vs_request *req, vs_response *res)
{
    json_t *out = NULL;
    int rc = sync_queue_status(req->db, req_param(req, "orgId"), &out);
    resp_row(res, rc, out, "organization not found", "organization");
}

static void job_cancel(vs_request *req, vs_response *res)
{
    const char *id;
    if (!param_uuid(req, res, "jobId", &id))
        return;
    json_t *job = NULL;
    char why[160];
    int rc = sync_job_cancel(req->db, req_param(req, "orgId"), id, &job, why);
    if (rc != VS_OK) {
        json_decref(job);
        resp_result(res, rc, why[0] ? why : NULL, json_pack("{s:s}", "resource", "sync_job"));
        return;
    }
    resp_json(res, 200, job);
}

const route sync_queue_routes[] = {
    {"GET", "/api/orgs/:orgId/sync/queue", queue_get, ACCESS_ORG_AGENT, NO_PARAMS},
    {"POST", "/api/orgs/:orgId/sync/jobs/:jobId/cancel", job_cancel, ACCESS_ORG_MANAGER, NO_PARAMS},
    {0},
};
