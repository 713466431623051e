/* mc_messages.c — owns the SMS send call to MightyCall and the classification
 * of its outcome; see mc_messages.h. */
#include "mightycall/mc_messages.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

const char *mc_messages_send_path(const char *base_url)
{
    const char *host = base_url ? strstr(base_url, "://") : NULL;
    host = host ? host + 3 : "";
    size_t n = strcspn(host, ":/");
    if (n == 18 && strncasecmp(host, "api.mightycall.com", 18) == 0)
        return "/messages/send";
    return "/contactcenter/messages/send";
}

mc_send_outcome mc_message_send(mc_client *c, const char *base_url, const char *from, const char *to,
                                const char *text, const char *idempotency_key, mc_sent *out, mc_error *err)
{
    memset(out, 0, sizeof *out);
    json_t *body = json_pack("{s:s, s:[s], s:s}", "from", from, "to", to, "message", text);
    if (!body) {
        mc_fail(err, MC_ERR_INTERNAL, 0, "the message could not be encoded");
        return MC_SEND_FAILED;
    }
    json_t *reply = NULL;
    int http = 0;
    mc_status st = mc_request(c, "POST", mc_messages_send_path(base_url), body, idempotency_key, &reply, &http, err);
    json_decref(body);
    mc_send_outcome outcome;
    switch (st) {
    case MC_OK: {
        json_t *r = mc_unwrap(reply);
        json_t *id = json_object_get(r, "id");
        if (json_is_string(id))
            snprintf(out->id, sizeof out->id, "%s", json_string_value(id));
        else if (json_is_integer(id))
            snprintf(out->id, sizeof out->id, "%lld", (long long)json_integer_value(id));
        const char *t = json_string_value(json_object_get(r, "sendTime"));
        if (!t || mc_parse_time(t, out->send_time) != 0)
            out->send_time[0] = 0;
        outcome = MC_SEND_SENT;
        break;
    }
    case MC_ERR_UNAVAILABLE:
        /* 429 after retries: refused. Timeouts, lost connections, 5xx: the
         * request may have been carried out. */
        outcome = http == 429 ? MC_SEND_FAILED : MC_SEND_UNKNOWN;
        break;
    case MC_ERR_QUOTA:
        /* the client reads a 403 as "daily quota reached" (SPEC §3); on a send
         * it is MightyCall refusing this message ("Failed to send message.") */
        if (err && err->http_status == 403) {
            const char *p = strstr(err->message, "(403: ");
            char text[200] = "no details";
            if (p) {
                p += 6;
                size_t n = strcspn(p, ")");
                snprintf(text, sizeof text, "%.*s", (int)(n < sizeof text ? n : sizeof text - 1), p);
            }
            snprintf(err->message, sizeof err->message, "MightyCall refused the message (403): %s", text);
            err->status = MC_ERR_UPSTREAM;
        }
        outcome = MC_SEND_FAILED;
        break;
    case MC_ERR_BAD_RESPONSE:
        outcome = http >= 200 && http < 300 ? MC_SEND_UNKNOWN : MC_SEND_FAILED;
        break;
    default: /* auth, quota, 4xx, db, internal: nothing was sent */
        outcome = MC_SEND_FAILED;
        break;
    }
    json_decref(reply);
    return outcome;
}
