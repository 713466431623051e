/* account_password.c — owns password change and the password_resets table
 * (see account_password.h). */
#include "identity/account_password.h"

#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

long long account_sessions_restart(void) { return (long long)time(NULL) + 1; }

/* New hash + sessions_valid_after + every refresh family revoked. */
static int set_hash_and_end_sessions(db_conn *c, const char *user_id, const char *password_hash, long long valid_after)
{
    db_param p[] = {DBP_STR(password_hash), DBP_INT(valid_after), DBP_STR(user_id)};
    int rc = db_exec(c, "UPDATE users SET password_hash = ?, sessions_valid_after = FROM_UNIXTIME(?) WHERE id = ?", p,
                     DB_NPARAMS(p), NULL);
    if (rc != DB_OK)
        return rc;
    db_param u[] = {DBP_STR(user_id)};
    rc = db_exec(c, "UPDATE refresh_tokens SET revoked_at = NOW(3) WHERE user_id = ? AND revoked_at IS NULL", u,
                 DB_NPARAMS(u), NULL);
    if (rc != DB_OK)
        return rc;
    /* an older reset link must not undo this password */
    return db_exec(c, "UPDATE password_resets SET used_at = NOW(3) WHERE user_id = ? AND used_at IS NULL", u,
                   DB_NPARAMS(u), NULL);
}

struct change_arg {
    const char *user_id, *hash;
    long long valid_after;
};

static int change_tx(db_conn *c, void *arg)
{
    struct change_arg *a = arg;
    return set_hash_and_end_sessions(c, a->user_id, a->hash, a->valid_after);
}

int account_password_change(db_conn *c, const char *user_id, const char *password_hash, long long valid_after)
{
    struct change_arg a = {user_id, password_hash, valid_after};
    return db_transaction(c, change_tx, &a);
}

int account_reset_request(db_conn *c, const char *email, char token[OTT_LEN + 1], bool *issued)
{
    *issued = false;
    token[0] = 0;
    json_t *row = NULL;
    db_param p[] = {DBP_INT(RESET_TTL_MINUTES), DBP_STR(email)};
    int rc = db_query_row(c,
                          "SELECT u.id, (SELECT COUNT(*) FROM password_resets r WHERE r.user_id = u.id"
                          " AND r.created_at > NOW(3) - INTERVAL ? MINUTE) AS recent FROM users u WHERE u.email = ?",
                          p, DB_NPARAMS(p), &row);
    if (rc != DB_OK || !row)
        return rc;
    char user_id[64];
    snprintf(user_id, sizeof user_id, "%s", json_string_value(json_object_get(row, "id")));
    long long recent = json_integer_value(json_object_get(row, "recent"));
    json_decref(row);
    if (recent >= RESET_MAX_PER_HOUR)
        return DB_OK;
    char hash[65];
    ott_new(OTT_RESET_PREFIX, token, hash);
    db_param i[] = {DBP_STR(user_id), DBP_STR(hash), DBP_INT(RESET_TTL_MINUTES)};
    rc = db_exec(c,
                 "INSERT INTO password_resets (user_id, token_hash, expires_at)"
                 " VALUES (?, ?, NOW(3) + INTERVAL ? MINUTE)",
                 i, DB_NPARAMS(i), NULL);
    if (rc != DB_OK) {
        sodium_memzero(token, OTT_LEN + 1);
        return rc;
    }
    *issued = true;
    return DB_OK;
}

struct complete_arg {
    const char *hash, *password_hash;
    bool ok;
};

static int complete_tx(db_conn *c, void *arg)
{
    struct complete_arg *a = arg;
    json_t *row = NULL;
    db_param k[] = {DBP_STR(a->hash)};
    int rc = db_query_row(c,
                          "SELECT user_id FROM password_resets WHERE token_hash = ? AND used_at IS NULL"
                          " AND expires_at > NOW(3) FOR UPDATE",
                          k, DB_NPARAMS(k), &row);
    if (rc != DB_OK || !row)
        return rc;
    char user_id[64];
    snprintf(user_id, sizeof user_id, "%s", json_string_value(json_object_get(row, "user_id")));
    json_decref(row);
    rc = set_hash_and_end_sessions(c, user_id, a->password_hash, account_sessions_restart());
    a->ok = rc == DB_OK;
    return rc;
}

int account_reset_complete(db_conn *c, const char *token, const char *password_hash, bool *ok)
{
    char hash[65];
    *ok = false;
    if (!ott_hash(OTT_RESET_PREFIX, token, hash))
        return DB_OK;
    struct complete_arg a = {hash, password_hash, false};
    int rc = db_transaction(c, complete_tx, &a);
    *ok = rc == DB_OK && a.ok;
    return rc;
}
