/* media.c — the audio of recordings and voicemails, and a voicemail's read
 * state (core/messaging/media.h):
 *   GET  /api/orgs/:orgId/recordings/:recordingId/audio   → the audio (nginx fetches it)
 *   GET  /api/orgs/:orgId/calls/:callId/audio             → the call's recording
 *   GET  /api/orgs/:orgId/voicemails/:voicemailId/audio   → the voicemail's audio
 *   POST /api/orgs/:orgId/voicemails/:voicemailId/mark-read    {id, status}
 *   POST /api/orgs/:orgId/voicemails/:voicemailId/mark-unread  {id, status}
 * The audio answer is an X-Accel-Redirect to nginx's internal /_vs_media/
 * location (nginx/nginx.conf.template), which streams the checked upstream
 * file to the client; the upstream URI never reaches the client. */
#include "messaging/media.h"

#include "platform/log.h"

#include <stdlib.h>
#include <string.h>

#include "handlers.h"

static void audio(vs_request *req, vs_response *res, media_kind kind, const char *param, const char *resource)
{
    const char *id;
    if (!param_uuid(req, res, param, &id))
        return;
    char redirect[MEDIA_REDIRECT_MAX];
    const char *why = NULL;
    vs_result rc = media_locate(req->db, req->cfg, req_param(req, "orgId"), kind, id, redirect, &why);
    if (rc == VS_ERR_NOT_FOUND) {
        resp_result(res, rc, "audio not found", json_pack("{s:s}", "resource", resource));
    } else if (rc == VS_ERR_UPSTREAM) {
        log_warn("media: %s audio not served: %s", resource, why ? why : "not allowed");
        resp_result(res, rc, "the audio is not at an allowed MightyCall address",
                    json_pack("{s:s}", "reason", why ? why : "not allowed"));
    } else if (rc != VS_OK) {
        resp_result(res, rc, NULL, NULL);
    } else {
        /* nginx replaces this answer with the file; an empty body without a
         * charset (nginx would keep this answer's charset on the file's type) */
        char *empty = strdup("");
        if (!empty) {
            resp_result(res, VS_ERR_INTERNAL, NULL, NULL);
            return;
        }
        resp_add_header(res, "X-Accel-Redirect: %s", redirect);
        json_decref(res->body);
        res->body = NULL;
        res->status = 200;
        res->text = empty;
        res->content_type = "application/octet-stream";
    }
}

static void recording_audio(vs_request *req, vs_response *res)
{
    audio(req, res, MEDIA_RECORDING, "recordingId", "recording");
}
static void call_audio(vs_request *req, vs_response *res)
{
    audio(req, res, MEDIA_CALL, "callId", "call");
}
static void voicemail_audio(vs_request *req, vs_response *res)
{
    audio(req, res, MEDIA_VOICEMAIL, "voicemailId", "voicemail");
}

static void mark(vs_request *req, vs_response *res, bool read)
{
    const char *id;
    if (!param_uuid(req, res, "voicemailId", &id))
        return;
    json_t *row = NULL;
    vs_result rc = voicemail_set_read(req->db, req_param(req, "orgId"), id, read, &row);
    resp_row(res, rc, row, "voicemail not found", "voicemail");
}
static void mark_read(vs_request *req, vs_response *res)
{
    mark(req, res, true);
}
static void mark_unread(vs_request *req, vs_response *res)
{
    mark(req, res, false);
}

const route media_routes[] = {
    {"GET", "/api/orgs/:orgId/recordings/:recordingId/audio", recording_audio, ACCESS_ORG_AGENT, NO_PARAMS},
    {"GET", "/api/orgs/:orgId/calls/:callId/audio", call_audio, ACCESS_ORG_AGENT, NO_PARAMS},
    {"GET", "/api/orgs/:orgId/voicemails/:voicemailId/audio", voicemail_audio, ACCESS_ORG_AGENT, NO_PARAMS},
    {"POST", "/api/orgs/:orgId/voicemails/:voicemailId/mark-read", mark_read, ACCESS_ORG_AGENT, NO_PARAMS},
    {"POST", "/api/orgs/:orgId/voicemails/:voicemailId/mark-unread", mark_unread, ACCESS_ORG_AGENT, NO_PARAMS},
    {0},
};
