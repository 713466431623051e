/* media.h — the audio of recordings and voicemails, served through the API
 * (docs/architecture.md "Recordings and voicemails"), and a voicemail's
 * read state.
 *
 * media_locate() finds the stored upstream URL of an org's recording, of the
 * recording of one of its calls, or of a voicemail, checks it with the SSRF
 * rules of MightyCall requests (core/mightycall/mc_target.h: an allowed host,
 * http only with mc_allow_http, every resolved address allowed) and writes
 * the internal nginx URI that fetches it from the checked address:
 *   /_vs_media/<http|https>/<address>/<port>/<host><path>[?<query>]
 * nginx's internal location proxies exactly that, so nginx never resolves a
 * name itself and the page never sees the upstream URI. */
#ifndef VS_MEDIA_H
#define VS_MEDIA_H

#include <jansson.h>
#include <stddef.h>

#include "platform/config.h"
#include "platform/db.h"
#include "platform/result.h"

typedef enum { MEDIA_RECORDING, MEDIA_CALL, MEDIA_VOICEMAIL } media_kind;

#define MEDIA_REDIRECT_MAX 1100

/* VS_OK with the internal URI in redirect; VS_ERR_NOT_FOUND when the org has
 * no such row or it has no audio; VS_ERR_UPSTREAM when the stored URL is not
 * one we may fetch (*why says why, for the answer and the log). */
vs_result media_locate(db_conn *db, const vs_config *cfg, const char *org_id, media_kind kind, const char *id,
                       char redirect[MEDIA_REDIRECT_MAX], const char **why);

/* The internal URI for url (exposed for media_locate and its unit test). */
int media_redirect_for(const vs_config *cfg, const char *url, char redirect[MEDIA_REDIRECT_MAX], const char **why);

/* Mark an org's voicemail read (read = true) or unread; *row gets
 * {id, status} (NULL when the org has no such voicemail). */
vs_result voicemail_set_read(db_conn *db, const char *org_id, const char *id, bool read, json_t **row);

#endif
