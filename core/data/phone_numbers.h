/* phone_numbers.h — the business numbers of an org: the list (seed 004
 * shape, with call_count from the counters and last_call_at from the calls
 * index) and assignment to a member of the org. */
#ifndef VS_PHONE_NUMBERS_H
#define VS_PHONE_NUMBERS_H

#include <jansson.h>
#include <stdbool.h>

#include "data/cursor.h"
#include "platform/db.h"
#include "platform/page.h"
#include "platform/text.h"

extern const char *const phone_statuses[]; /* active, inactive, unassigned */

/* status: NULL, "active", "inactive" or "unassigned" (active and assigned to nobody). */
/* *body = the page as JSON text (cursor_page_text), one statement unless empty. */
int phone_numbers_list(db_conn *db, const char *org_id, const char *status, const list_cursor *cur,
                       const page_req *page, char **body, size_t *body_len);

/* vs_result members (platform/result.h) under this module's names */
#define PHONE_NOT_FOUND VS_ERR_NOT_FOUND /* no such phone in the org */
#define PHONE_NOT_MEMBER VS_ERR_INVALID  /* the user is not a member of the org */

/* Assign phone_id (of org_id) to user_id, who must be a member of the org.
 * *out = {id, number, assigned_to_user_id, assigned_to_name, assigned_at}.
 * Records phone_number_assigned in the activity log (same transaction). */
int phone_number_assign(db_conn *db, const char *org_id, const char *phone_id, const char *user_id,
                        const char *actor_user_id, json_t **out);
/* *out = {id, number, assigned_to_user_id: null, unassigned_at}. Idempotent. */
int phone_number_unassign(db_conn *db, const char *org_id, const char *phone_id, const char *actor_user_id,
                          json_t **out);
/* PHONE_NOT_FOUND or DB_OK with *out = {id, number, …} */
int phone_number_get(db_conn *db, const char *org_id, const char *phone_id, json_t **out);

#endif
