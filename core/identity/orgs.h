/* orgs.h — the orgs table: validation of names and time zones, slugs,
 * creation (optionally with a first org_admin), reading, listing, updating,
 * deleting. Deleting an org cascades to everything that belongs to it
 * (members, API keys, activity, ...): a deleted org's data is gone. Each
 * change writes an activity_log event in the same transaction. */
#ifndef VS_ORGS_H
#define VS_ORGS_H

#include <jansson.h>
#include <stdbool.h>

#include "platform/db.h"
#include "identity/slug.h"
#include "platform/text.h"

#define ORG_NAME_MAX 200   /* characters */
#define ORG_TZ_MAX 64      /* bytes, as mysql.time_zone_name.Name */
#define ORG_DEFAULT_TZ "UTC"

/* NULL when name is acceptable (1..200 characters, no control characters,
 * no surrounding spaces, at least one letter or digit), else the reason.
 * On success slug holds the derived slug. */
const char *org_name_problem(const char *name, char slug[SLUG_MAX_BYTES]);

/* *valid = tz is a named zone of mysql.time_zone_name (exact, case-sensitive)
 * or "UTC". */
int org_timezone_check(db_conn *c, const char *tz, bool *valid);

#define ORG_OWNER_HAS_ORGS VS_ERR_CONFLICT /* a vs_result member (platform/result.h) */

typedef struct {
    const char *name, *slug, *timezone;
    const char *actor_user_id;    /* who does it (NULL: API key, service key, CLI) */
    const char *owner_user_id;    /* added as org_admin when not NULL */
    bool owner_must_have_no_orgs; /* onboarding: ORG_OWNER_HAS_ORGS if the owner has one */
    bool unique_slug;             /* onboarding: a taken slug gets a random suffix instead of DB_DUPLICATE,
                                     so a tenant cannot learn that another org has this name */
} org_new;

/* One transaction: org, optional owner membership, activity. *out =
 * {id, name, slug, timezone, created_at}. DB_DUPLICATE when the slug is taken. */
int org_create(db_conn *c, const org_new *n, json_t **out);

/* {id, name, slug, timezone, member_count, created_at, updated_at}; NULL if absent. */
int org_get(db_conn *c, const char *id, json_t **out);
int org_list(db_conn *c, long long skip, int limit, json_t **rows, long long *total);

/* Changes name (with its slug) and/or timezone (NULL = keep). *out =
 * {id, name, timezone, updated_at}, NULL if no such org. DB_DUPLICATE when the
 * new slug is taken. */
int org_update(db_conn *c, const char *id, const char *name, const char *slug, const char *timezone,
               const char *actor_user_id, json_t **out);

/* Deletes the org and (cascade) all its data; records org_deleted as a
 * platform-level event (org_id NULL). */
int org_delete(db_conn *c, const char *id, const char *actor_user_id, bool *found);

/* The id of the org with this slug (CLI); *found false if none. */
int org_id_by_slug(db_conn *c, const char *slug, char id[UUID_STR_LEN + 1], bool *found);

#endif
