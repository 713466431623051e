/* users.c — owns the users table (see users.h). */
#include "identity/users.h"

#include <stdio.h>
#include <string.h>

#include "platform/activity.h"
#include "platform/ids.h"
#include "platform/page.h"
#include "platform/text.h"
#include "identity/members.h"
#include "identity/names.h"

bool user_email_normalize(const char *in, char *out, size_t outsz)
{
    if (!in || !is_email(in))
        return false;
    size_t n = strlen(in);
    if (n > USER_EMAIL_MAX || n + 1 > outsz)
        return false;
    for (size_t i = 0; i <= n; i++)
        out[i] = (in[i] >= 'A' && in[i] <= 'Z') ? (char)(in[i] + 32) : in[i];
    return true;
}

const char *user_name_problem(const char *name) { return name_problem(name, USER_NAME_MAX); }

/* Copy at most dstsz-1 bytes without splitting a UTF-8 sequence. */
static void copy_utf8(char *dst, size_t dstsz, const char *src)
{
    size_t n = strlen(src);
    if (n >= dstsz) {
        n = dstsz - 1;
        while (n > 0 && ((unsigned char)src[n] & 0xC0) == 0x80)
            n--;
    }
    memcpy(dst, src, n);
    dst[n] = 0;
}

static const char *str_of(json_t *row, const char *key)
{
    const char *s = json_string_value(json_object_get(row, key));
    return s ? s : "";
}

int user_identity_load(db_conn *c, const char *id, const char *org_id, const char *session_id, user_identity *out,
                       org_view *org)
{
    json_t *row = NULL;
    db_param p[] = {DBP_STR(session_id), DBP_STR(session_id), DBP_STR(org_id), DBP_STR(id)};
    memset(out, 0, sizeof *out);
    memset(org, 0, sizeof *org);
    int rc = db_query_row(c,
                          "SELECT u.id, u.email, u.full_name, u.global_role,"
                          " COALESCE(CAST(FLOOR(UNIX_TIMESTAMP(u.sessions_valid_after)) AS SIGNED), 0) AS valid_after,"
                          " m.role,"
                          " (? IS NOT NULL AND NOT EXISTS (SELECT 1 FROM refresh_tokens f"
                          "   WHERE f.family_id = ? AND f.user_id = u.id AND f.revoked_at IS NULL)) AS session_ended,"
                          ORG_VIEW_COLUMNS
                          " FROM users u LEFT JOIN orgs o ON o.id = ?" ORG_VIEW_JOIN_VERSION
                          " LEFT JOIN org_members m ON m.org_id = o.id AND m.user_id = u.id"
                          " WHERE u.id = ?",
                          p, DB_NPARAMS(p), &row);
    if (rc != DB_OK)
        return rc;
    if (!row)
        return 0;
    if (org_id)
        org_view_from_row(row, org_id, org);
    out->role_in_org = member_role_parse(json_string_value(json_object_get(row, "role")));
    copy_utf8(out->id, sizeof out->id, str_of(row, "id"));
    copy_utf8(out->email, sizeof out->email, str_of(row, "email"));
    copy_utf8(out->full_name, sizeof out->full_name, str_of(row, "full_name"));
    out->platform_admin = strcmp(str_of(row, "global_role"), "platform_admin") == 0;
    out->sessions_valid_after = (long long)json_integer_value(json_object_get(row, "valid_after"));
    json_t *ended = json_object_get(row, "session_ended");
    out->session_ended = json_is_true(ended) || (json_is_integer(ended) && json_integer_value(ended) != 0);
    json_decref(row);
    return 1;
}

int user_login_lookup(db_conn *c, const char *email, char id[UUID_STR_LEN + 1], char full_name[256],
                      char hash[PASSWORD_HASH_SIZE], bool *found)
{
    json_t *row = NULL;
    db_param p[] = {DBP_STR(email)};
    *found = false;
    id[0] = full_name[0] = hash[0] = 0;
    int rc = db_query_row(c, "SELECT id, full_name, COALESCE(password_hash, '') AS h FROM users WHERE email = ?", p,
                          DB_NPARAMS(p), &row);
    if (rc != DB_OK || !row)
        return rc;
    *found = true;
    copy_utf8(id, UUID_STR_LEN + 1, str_of(row, "id"));
    copy_utf8(full_name, 256, str_of(row, "full_name"));
    copy_utf8(hash, PASSWORD_HASH_SIZE, str_of(row, "h"));
    json_decref(row);
    return DB_OK;
}

int user_get_json(db_conn *c, const char *id, json_t **out)
{
    db_param p[] = {DBP_STR(id)};
    return db_query_row(c, "SELECT id, email, full_name, global_role, created_at FROM users WHERE id = ?", p,
                        DB_NPARAMS(p), out);
}

int user_tokens_valid_from(db_conn *c, const char *id, long long *out)
{
    *out = 0;
    json_t *row = NULL;
    db_param p[] = {DBP_STR(id)};
    int rc = db_query_row(c,
                          "SELECT COALESCE(CAST(FLOOR(UNIX_TIMESTAMP(sessions_valid_after)) AS SIGNED), 0) AS v"
                          " FROM users WHERE id = ?",
                          p, DB_NPARAMS(p), &row);
    if (rc == DB_OK && row)
        *out = (long long)json_integer_value(json_object_get(row, "v"));
    json_decref(row);
    return rc;
}

int user_create(db_conn *c, const char *email, const char *full_name, const char *password_hash,
                bool platform_admin, char id_out[UUID_STR_LEN + 1])
{
    int rc = id_new(c, id_out);
    if (rc != DB_OK)
        return rc;
    db_param p[] = {DBP_STR(id_out), DBP_STR(email), DBP_STR(full_name), DBP_STR(password_hash),
                    DBP_STR(platform_admin ? "platform_admin" : "user")};
    rc = db_exec(c,
                 "INSERT INTO users (id, email, full_name, password_hash, global_role) VALUES (?, ?, ?, ?, ?)", p,
                 DB_NPARAMS(p), NULL);
    if (rc != DB_OK)
        id_out[0] = 0;
    return rc;
}

struct set_pw {
    const char *email, *hash;
    bool found;
};

static int set_password_tx(db_conn *c, void *arg)
{
    struct set_pw *a = arg;
    unsigned long long n = 0;
    db_param p[] = {DBP_STR(a->hash), DBP_STR(a->email)};
    int rc = db_exec(c,
                     "UPDATE users SET password_hash = ?, sessions_valid_after = NOW(3) WHERE email = ?",
                     p, DB_NPARAMS(p), &n);
    if (rc != DB_OK)
        return rc;
    a->found = n > 0;
    if (!a->found)
        return DB_OK;
    db_param q[] = {DBP_STR(a->email)};
    return db_exec(c,
                   "UPDATE refresh_tokens SET revoked_at = NOW(3) WHERE revoked_at IS NULL"
                   " AND user_id = (SELECT id FROM users WHERE email = ?)",
                   q, DB_NPARAMS(q), NULL);
}

int user_set_password(db_conn *c, const char *email, const char *password_hash, bool *found)
{
    struct set_pw a = {email, password_hash, false};
    int rc = db_transaction(c, set_password_tx, &a);
    *found = a.found;
    return rc;
}

int user_grant_admin(db_conn *c, const char *email, bool *found)
{
    unsigned long long n = 0; /* CLIENT_FOUND_ROWS: matched rows, changed or not */
    db_param p[] = {DBP_STR(email)};
    int rc = db_exec(c, "UPDATE users SET global_role = 'platform_admin' WHERE email = ?", p, DB_NPARAMS(p), &n);
    *found = rc == DB_OK && n > 0;
    return rc;
}

int user_list(db_conn *c, json_t **rows)
{
    return db_query(c, "SELECT id, email, full_name, global_role, created_at FROM users ORDER BY created_at, id",
                    NULL, 0, rows);
}

int user_record_login(db_conn *c, const char *user_id, const char *full_name)
{
    json_t *rows = NULL;
    char desc[1024];
    snprintf(desc, sizeof desc, "%s signed in", full_name);
    db_param p[] = {DBP_STR(user_id)};
    int rc = db_query(c, "SELECT org_id FROM org_members WHERE user_id = ?", p, DB_NPARAMS(p), &rows);
    if (rc != DB_OK)
        return rc;
    if (json_array_size(rows) == 0)
        rc = activity_record(c, NULL, user_id, "user_login", desc);
    size_t i;
    json_t *row;
    json_array_foreach(rows, i, row)
    {
        int r = activity_record(c, json_string_value(json_object_get(row, "org_id")), user_id, "user_login", desc);
        if (rc == DB_OK)
            rc = r;
    }
    json_decref(rows);
    return rc;
}
