/* api_keys.c — owns the api_keys table (see api_keys.h). */
#include "identity/api_keys.h"

#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "platform/activity.h"
#include "identity/api_key_secret.h"
#include "platform/ids.h"

static const char *const scope_names[] = {"read", "sms:send", "write", "sync"};
#define N_SCOPES (sizeof scope_names / sizeof scope_names[0])

unsigned api_scope_bit(const char *name)
{
    for (size_t i = 0; name && i < N_SCOPES; i++)
        if (strcmp(name, scope_names[i]) == 0)
            return 1u << i;
    return 0;
}

const char *api_scope_name(unsigned bit)
{
    for (size_t i = 0; i < N_SCOPES; i++)
        if (bit == 1u << i)
            return scope_names[i];
    return NULL;
}

unsigned api_scopes_from_csv(const char *csv)
{
    unsigned bits = 0;
    char name[32];
    while (csv && *csv) {
        size_t n = strcspn(csv, ",");
        if (n < sizeof name) {
            memcpy(name, csv, n);
            name[n] = 0;
            bits |= api_scope_bit(name);
        }
        csv += n;
        if (*csv == ',')
            csv++;
    }
    return bits;
}

json_t *api_scopes_json(unsigned scopes)
{
    json_t *a = json_array();
    for (size_t i = 0; i < N_SCOPES; i++)
        if (scopes & (1u << i))
            json_array_append_new(a, json_string(scope_names[i]));
    return a;
}

static void scopes_csv(unsigned scopes, char *out, size_t outsz)
{
    out[0] = 0;
    for (size_t i = 0; i < N_SCOPES; i++)
        if (scopes & (1u << i)) {
            size_t len = strlen(out);
            snprintf(out + len, outsz - len, "%s%s", len ? "," : "", scope_names[i]);
        }
}

/* The SET column's text of each row → a JSON array (rows are API answers). */
static void rows_scopes_to_arrays(json_t *rows)
{
    size_t i;
    json_t *row;
    json_array_foreach(rows, i, row)
    {
        json_t *v = json_object_get(row, "scopes");
        json_object_set_new(row, "scopes", api_scopes_json(api_scopes_from_csv(json_string_value(v))));
    }
}

struct create_arg {
    const char *org_id, *name, *actor;
    unsigned scopes;
    char id[UUID_STR_LEN + 1];
    char key[APIKEY_LEN + 1];
};

static int create_tx(db_conn *c, void *arg)
{
    struct create_arg *a = arg;
    char prefix[16], hash[65];
    if (apikey_generate(a->key, prefix, hash) != 0)
        return DB_ERROR;
    int rc = id_new(c, a->id);
    if (rc != DB_OK)
        return rc;
    char scopes[64];
    scopes_csv(a->scopes, scopes, sizeof scopes);
    db_param p[] = {DBP_STR(a->id), DBP_STR(a->org_id), DBP_STR(a->name), DBP_STR(prefix), DBP_STR(hash),
                    DBP_STR(scopes), DBP_STR(a->actor)};
    rc = db_exec(c,
                 "INSERT INTO api_keys (id, org_id, name, key_prefix, key_hash, scopes, created_by)"
                 " VALUES (?, ?, ?, ?, ?, ?, ?)",
                 p, DB_NPARAMS(p), NULL);
    if (rc != DB_OK)
        return rc;
    char desc[1000];
    snprintf(desc, sizeof desc, "API key \"%s\" (%s…) created with scopes %s", a->name, prefix, scopes);
    return activity_record(c, a->org_id, a->actor, "api_key_created", desc);
}

int api_key_create(db_conn *c, const char *org_id, const char *name, unsigned scopes, const char *actor_user_id,
                   json_t **out)
{
    struct create_arg a = {.org_id = org_id, .name = name, .actor = actor_user_id, .scopes = scopes};
    *out = NULL;
    int rc = db_transaction(c, create_tx, &a);
    if (rc == DB_OK) {
        db_param p[] = {DBP_STR(a.id)};
        rc = db_query_row(c, "SELECT id, name, created_at FROM api_keys WHERE id = ?", p, DB_NPARAMS(p), out);
        if (rc == DB_OK && *out) {
            /* keep the documented field order: id, name, key, scopes, created_at */
            json_t *o = json_pack("{s:O, s:O, s:s, s:o, s:O}", "id", json_object_get(*out, "id"), "name",
                                  json_object_get(*out, "name"), "key", a.key, "scopes", api_scopes_json(scopes),
                                  "created_at", json_object_get(*out, "created_at"));
            json_decref(*out);
            *out = o;
        }
    }
    sodium_memzero(a.key, sizeof a.key);
    return rc;
}

int api_key_list(db_conn *c, const char *org_id, long long skip, int limit, json_t **rows, long long *total)
{
    *rows = NULL;
    db_param k[] = {DBP_STR(org_id)};
    int rc = db_query_int(c, "SELECT COUNT(*) FROM api_keys WHERE org_id = ? AND revoked_at IS NULL", k,
                          DB_NPARAMS(k), total);
    if (rc != DB_OK)
        return rc;
    db_param p[] = {DBP_STR(org_id), DBP_INT(limit), DBP_INT(skip)};
    rc = db_query(c,
                  "SELECT id, name, key_prefix AS prefix, scopes, created_at, last_used_at FROM api_keys"
                  " WHERE org_id = ? AND revoked_at IS NULL"
                  " ORDER BY created_at DESC, id DESC LIMIT ? OFFSET ?",
                  p, DB_NPARAMS(p), rows);
    if (rc == DB_OK)
        rows_scopes_to_arrays(*rows);
    return rc;
}

struct revoke_arg {
    const char *org_id, *key_id, *actor;
    bool found;
};

static int revoke_tx(db_conn *c, void *arg)
{
    struct revoke_arg *a = arg;
    json_t *k = NULL;
    db_param p[] = {DBP_STR(a->key_id), DBP_STR(a->org_id)};
    int rc = db_query_row(c,
                          "SELECT name, key_prefix FROM api_keys"
                          " WHERE id = ? AND org_id = ? AND revoked_at IS NULL FOR UPDATE",
                          p, DB_NPARAMS(p), &k);
    if (rc != DB_OK || !k)
        return rc;
    a->found = true;
    char desc[1000];
    snprintf(desc, sizeof desc, "API key \"%s\" (%s…) revoked", json_string_value(json_object_get(k, "name")),
             json_string_value(json_object_get(k, "key_prefix")));
    json_decref(k);
    rc = db_exec(c, "UPDATE api_keys SET revoked_at = NOW(3) WHERE id = ? AND org_id = ?", p, DB_NPARAMS(p), NULL);
    if (rc != DB_OK)
        return rc;
    return activity_record(c, a->org_id, a->actor, "api_key_revoked", desc);
}

int api_key_revoke(db_conn *c, const char *org_id, const char *key_id, const char *actor_user_id, bool *found)
{
    struct revoke_arg a = {org_id, key_id, actor_user_id, false};
    int rc = db_transaction(c, revoke_tx, &a);
    *found = a.found;
    return rc;
}

int api_key_authenticate(db_conn *c, const char *key, char id[UUID_STR_LEN + 1], char org_id[UUID_STR_LEN + 1],
                         unsigned *scopes, bool *found, org_view *org)
{
    char hash[65];
    json_t *row = NULL;
    *found = false;
    *scopes = 0;
    id[0] = org_id[0] = 0;
    memset(org, 0, sizeof *org);
    apikey_hash(key, hash);
    db_param p[] = {DBP_STR(hash)};
    int rc = db_query_row(c,
                          "SELECT k.id, k.org_id, k.scopes,"
                          " (k.last_used_at IS NULL OR k.last_used_at < NOW(3) - INTERVAL 1 MINUTE) AS stale,"
                          ORG_VIEW_COLUMNS
                          " FROM api_keys k JOIN orgs o ON o.id = k.org_id" ORG_VIEW_JOIN_VERSION
                          " WHERE k.key_hash = ? AND k.revoked_at IS NULL",
                          p, DB_NPARAMS(p), &row);
    if (rc != DB_OK || !row)
        return rc;
    *found = true;
    snprintf(id, UUID_STR_LEN + 1, "%s", json_string_value(json_object_get(row, "id")));
    snprintf(org_id, UUID_STR_LEN + 1, "%s", json_string_value(json_object_get(row, "org_id")));
    *scopes = api_scopes_from_csv(json_string_value(json_object_get(row, "scopes")));
    org_view_from_row(row, org_id, org);
    json_t *stale = json_object_get(row, "stale");
    bool touch = json_is_true(stale) || (json_is_integer(stale) && json_integer_value(stale) != 0);
    json_decref(row);
    if (touch) {
        /* at most one write a minute per key; losing it is harmless */
        db_param t[] = {DBP_STR(id)};
        int trc = db_exec_bookkeeping(c,
                                      "UPDATE api_keys SET last_used_at = NOW(3) WHERE id = ?"
                                      " AND (last_used_at IS NULL OR last_used_at < NOW(3) - INTERVAL 1 MINUTE)",
                                      t, DB_NPARAMS(t));
        if (trc == DB_UNAVAILABLE)
            return trc;
    }
    return DB_OK;
}

int api_key_is_live(db_conn *c, const char *org_id, const char *key_id, bool *live)
{
    *live = false;
    long long n = 0;
    db_param p[] = {DBP_STR(key_id), DBP_STR(org_id)};
    int rc = db_query_int(c, "SELECT COUNT(*) FROM api_keys WHERE id = ? AND org_id = ? AND revoked_at IS NULL", p,
                          DB_NPARAMS(p), &n);
    if (rc == DB_OK)
        *live = n > 0;
    return rc;
}
