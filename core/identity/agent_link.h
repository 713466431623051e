/* agent_link.h — agents to people (issue 18 item 6): which VictorySync member
 * answers calls on a MightyCall extension (extensions.user_id, set by the API
 * only, never by sync). An invitation may carry an extension (invitations.h);
 * when it is accepted, or when a platform admin adds the member directly with
 * one (members.h), the member is linked to it. Every function runs inside the
 * caller's transaction or statement; none writes activity itself. */
#ifndef VS_AGENT_LINK_H
#define VS_AGENT_LINK_H

#include "platform/db.h"
#include "platform/result.h"

#include <jansson.h>

#define AGENT_EXTENSION_UNKNOWN VS_ERR_INVALID /* no such extension in the org (a field error) */
#define AGENT_EXTENSION_NOT_FOUND VS_ERR_NOT_FOUND /* the extension of the path is not the org's */
#define AGENT_NOT_MEMBER VS_ERR_CONFLICT /* the user to link is not a member of the org */

/* DB_OK when extension_id is an extension of org_id (any status);
 * AGENT_EXTENSION_UNKNOWN otherwise (another org's extension included). */
int agent_extension_check(db_conn *c, const char *org_id, const char *extension_id);

/* Links user_id to extension_id of org_id (replacing an earlier link) and
 * bumps the org's data version (the extensions list shows the link).
 * AGENT_EXTENSION_UNKNOWN when the extension is not the org's. */
int agent_extension_link(db_conn *c, const char *org_id, const char *extension_id, const char *user_id);

/* An org admin links an existing member (user_id) to extension_id of org_id,
 * or unlinks it (user_id NULL), in one transaction with the activity event
 * (extension_linked) and the data version bump. *out = {id, extension,
 * display_name, user_id, user_name}. AGENT_EXTENSION_NOT_FOUND when the
 * extension is not the org's; AGENT_NOT_MEMBER when user_id is not a member. */
int agent_extension_set_member(db_conn *c, const char *org_id, const char *extension_id, const char *user_id,
                               const char *actor_user_id, json_t **out);

#endif
