/* members.h — the org_members table: who belongs to which org with which
 * role (org_admin > manager > agent). Used by the access layer (role of the
 * caller in the route's org) and by the members routes. Each change writes an
 * activity_log event in the same transaction. */
#ifndef VS_MEMBERS_H
#define VS_MEMBERS_H

#include <jansson.h>
#include <stdbool.h>

#include "platform/db.h"
#include "identity/principal.h"

/* "org_admin" | "manager" | "agent" → role; ORG_ROLE_NONE for anything else. */
org_role member_role_parse(const char *s);
const char *member_role_name(org_role r);
extern const char *const member_roles[]; /* NULL-terminated, for field_enum */

/* Does org_id exist (org->exists, with its time zone and data version), and
 * what is user_id's role in it (user_id may be NULL)? One statement. */
int member_org_view(db_conn *c, const char *org_id, const char *user_id, org_view *org, org_role *role);

/* vs_result members (platform/result.h) under this module's names */
#define MEMBER_NO_SUCH_USER VS_ERR_NOT_FOUND
#define MEMBER_LAST_ADMIN VS_ERR_CONFLICT

/* Adds the user with this (normalised) email. *out = {id, user_id, email, role,
 * created_at}. MEMBER_NO_SUCH_USER, DB_DUPLICATE (already a member). */
int member_add(db_conn *c, const char *org_id, const char *email, const char *role, const char *actor_user_id,
               json_t **out);

/* member_add, and links the new member to extension_id of org_id (unless
 * NULL; identity/agent_link.h) in the same transaction:
 * AGENT_EXTENSION_UNKNOWN when it is not an extension of org_id. */
int member_add_agent(db_conn *c, const char *org_id, const char *email, const char *role, const char *extension_id,
                     const char *actor_user_id, json_t **out);

/* Page of members, oldest first: {id, user_id, email, full_name, role, created_at}. */
int member_list(db_conn *c, const char *org_id, long long skip, int limit, json_t **rows, long long *total);

/* Removes member_id of org_id. *found false if no such member in that org;
 * MEMBER_LAST_ADMIN if it is the org's only org_admin. */
int member_remove(db_conn *c, const char *org_id, const char *member_id, const char *actor_user_id, bool *found);

/* Orgs of a user, oldest membership first: {id, name, slug, role, created_at}. */
int member_orgs_of_user(db_conn *c, const char *user_id, long long skip, int limit, json_t **rows,
                        long long *total);

#endif
