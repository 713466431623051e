/* api_keys.h — the api_keys table: org-scoped keys for x-api-key. A key is
 * shown once at creation; only its SHA-256 and 12-character display prefix
 * are stored (core/identity/api_key_secret.h). Revocation is a soft delete (revoked_at) that
 * takes effect on the very next request; last_used_at is refreshed at most
 * once a minute per key. */
#ifndef VS_API_KEYS_H
#define VS_API_KEYS_H

#include <jansson.h>
#include <stdbool.h>

#include "identity/org_view.h"
#include "platform/db.h"
#include "platform/text.h"

#define API_KEY_NAME_MAX 200 /* characters */

/* Scopes of a key (docs/authorization.md "API key scopes"); a route declares
 * the one it needs (fcgi/router.h). Stored as the SET column api_keys.scopes. */
enum {
    API_SCOPE_READ = 1u << 0,     /* "read": every read of the org's data (the default) */
    API_SCOPE_SMS_SEND = 1u << 1, /* "sms:send": send SMS, reply in a thread */
    API_SCOPE_WRITE = 1u << 2,    /* "write": contacts, phone-number assignments, threads (mark read) */
    API_SCOPE_SYNC = 1u << 3,     /* "sync": start MightyCall syncs */
};
#define API_SCOPE_ALL (API_SCOPE_READ | API_SCOPE_SMS_SEND | API_SCOPE_WRITE | API_SCOPE_SYNC)

/* The bit of a scope name (0 = unknown), the name of one bit (NULL = none). */
unsigned api_scope_bit(const char *name);
const char *api_scope_name(unsigned bit);
/* "read,sms:send" (the SET column's text) → bits; unknown names are ignored. */
unsigned api_scopes_from_csv(const char *csv);
/* Bits → a JSON array of names, in the documented order. */
json_t *api_scopes_json(unsigned scopes);

/* New key for org_id with the given scopes (bits, at least one). *out = {id,
 * name, key, scopes, created_at} — the only time the clear key exists outside
 * the client. */
int api_key_create(db_conn *c, const char *org_id, const char *name, unsigned scopes, const char *actor_user_id,
                   json_t **out);

/* Page of the org's live keys, newest first: {id, name, prefix, scopes, created_at, last_used_at}. */
int api_key_list(db_conn *c, const char *org_id, long long skip, int limit, json_t **rows, long long *total);

/* Revokes key_id of org_id; *found false if no such live key in that org. */
int api_key_revoke(db_conn *c, const char *org_id, const char *key_id, const char *actor_user_id, bool *found);

/* Resolves a presented key in one statement: *found true with id, org_id,
 * its scopes (bits) and the key's org (time zone, data version) for a live
 * key; touches last_used_at (a second statement) only when older than a minute. */
int api_key_authenticate(db_conn *c, const char *key, char id[UUID_STR_LEN + 1], char org_id[UUID_STR_LEN + 1],
                         unsigned *scopes, bool *found, org_view *org);

/* *live true when key_id is a key of org_id that is not revoked. */
int api_key_is_live(db_conn *c, const char *org_id, const char *key_id, bool *live);

#endif
