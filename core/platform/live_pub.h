/* live_pub.h — pushes "something changed" notes to the dashboard through
 * nginx's nchan module (docs/architecture.md, Live updates).
 *
 * Each org has one channel, org-<org_id>. A note is a small JSON object
 * {"type": "...", "id": "..."} (no personal data: the browser fetches what
 * it shows through the API). vs-api and vs-sync POST it to nginx's loopback
 * publisher server (config key live_publish: "unix:/path.sock" or
 * "http://127.0.0.1:PORT"; empty = push off, the dashboard polls).
 *
 * Publishing never fails or holds up the caller for long: a short timeout,
 * the outcome is only logged (org and type, never a credential). */
#ifndef VS_LIVE_PUB_H
#define VS_LIVE_PUB_H

#include <stdbool.h>

/* The kinds of change a note announces. */
#define LIVE_CALL "call"
#define LIVE_SMS "sms"
#define LIVE_VOICEMAIL "voicemail"
#define LIVE_AGENT_STATUS "agent_status"
#define LIVE_SYNC_JOB "sync_job"

#define LIVE_PUBLISH_MAX 256 /* bytes of the live_publish setting */

/* Whether a live_publish value is acceptable: empty, "unix:" + absolute
 * path, or http:// to a loopback host (127.x.y.z, localhost, [::1]). */
bool live_pub_target_ok(const char *target);

/* Remembers where to publish (process-wide, call once at startup before
 * threads start). An empty or NULL target turns publishing off. */
void live_pub_init(const char *target);

/* Whether publishing is on. */
bool live_pub_enabled(void);

/* Publishes {"type":type,"id":id} (id may be NULL) on the org's channel.
 * Returns true when nginx took it; false (logged at warn) otherwise or when
 * publishing is off (not logged). Never blocks longer than about 300 ms. */
bool live_publish(const char *org_id, const char *type, const char *id);

#endif
