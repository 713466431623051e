/* agents.h — agent status (available | dnd) per org member, its history, and
 * the "agents online / idle" figures the metrics use.
 *
 * Definitions (the data API's metrics use the same; agents_online_idle() is
 * the one place in C that computes them):
 *   agent      a member of the org (any role)
 *   offline    no status ever set (GET shows "offline"); PUT accepts only
 *              available | dnd
 *   online     signed in: current status available or dnd
 *   available  current status available
 *   on call    a call of the org ringing or in progress (calls.status
 *              'ringing' | 'in_progress', ended_at NULL, started within
 *              AGENT_CALL_MAX_AGE_S) handled by the agent: calls.agent_user_id
 *              is the user, or calls.extension is an extension mapped to the
 *              user (extensions.user_id)
 *   idle       available and not on call
 *
 * A change is pushed to MightyCall (PUT /profile/status/{status}) when the org
 * has an active integration whose MightyCall user is this agent (GET /profile
 * email = the user's email): MightyCall applies a status to the user of the
 * credentials, so pushing another agent's status there would change the
 * wrong person. Otherwise the push is "skipped"; a failed push is reported
 * and the local change still counts. */
#ifndef VS_AGENTS_H
#define VS_AGENTS_H

#include <jansson.h>
#include <stdbool.h>

#include "platform/config.h"
#include "platform/db.h"

#define AGENT_CALL_MAX_AGE_S (4 * 3600)

extern const char *const agent_statuses[]; /* "available", "dnd", NULL */

/* The counts of the org right now. */
int agents_online_idle(db_conn *db, const char *org_id, long long *online, long long *idle);

/* {user_id, full_name, email, role, status, since, updated_by, on_call,
 * online, idle}; *out NULL when the user is not a member of the org. */
int agent_status_get(db_conn *db, const char *org_id, const char *user_id, json_t **out);

/* Every member with status, available ones first; *summary = {total,
 * online, available, idle, on_call, dnd, offline}. */
int agents_presence_list(db_conn *db, const char *org_id, long long skip, int limit, json_t **rows,
                         long long *total, json_t **summary);

/* Set the status (push to MightyCall as described above, then store and
 * record history + activity). *out = agent_status_get() plus
 * {changed, mightycall:{pushed, reason}}; NULL when not a member. */
int agent_status_set(db_conn *db, const vs_config *cfg, const char *org_id, const char *user_id,
                     const char *status, const char *actor_user_id, json_t **out);

/* Page of a member's changes, newest first: {status, previous_status,
 * changed_at, changed_by, upstream}. */
int agent_status_history(db_conn *db, const char *org_id, const char *user_id, long long skip, int limit,
                         json_t **rows, long long *total);

#endif
