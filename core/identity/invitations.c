/* invitations.c — owns the org_invitations table (see invitations.h). */
#include "identity/invitations.h"

#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "identity/agent_link.h"
#include "identity/users.h"
#include "platform/activity.h"
#include "platform/data_version.h"

#define INV_SELECT                                                                                                  \
    "SELECT i.id, i.email, i.role, IF(i.expires_at <= NOW(3), 'expired', 'pending') AS status,"                   \
    " u.full_name AS invited_by, i.created_at, i.sent_at, i.expires_at, i.extension_id, e.extension"             \
    " FROM org_invitations i LEFT JOIN users u ON u.id = i.invited_by"                                          \
    " LEFT JOIN extensions e ON e.id = i.extension_id AND e.org_id = i.org_id"
#define INV_OPEN " i.accepted_at IS NULL AND i.revoked_at IS NULL"

static const char *str_of(json_t *row, const char *key)
{
    const char *s = json_string_value(json_object_get(row, key));
    return s ? s : "";
}

/* The invitation row and its org's name into out (after a write). */
static int load_issued(db_conn *c, const char *org_id, const char *id, invitation_issued *out)
{
    db_param p[] = {DBP_STR(id), DBP_STR(org_id)};
    int rc = db_query_row(c, INV_SELECT " WHERE i.id = ? AND i.org_id = ?", p, DB_NPARAMS(p), &out->invitation);
    if (rc != DB_OK)
        return rc;
    if (!out->invitation)
        return INVITATION_NOT_FOUND;
    snprintf(out->email, sizeof out->email, "%s", str_of(out->invitation, "email"));
    json_t *org = NULL;
    db_param o[] = {DBP_STR(org_id)};
    rc = db_query_row(c, "SELECT name FROM orgs WHERE id = ?", o, DB_NPARAMS(o), &org);
    if (rc == DB_OK && org)
        snprintf(out->org_name, sizeof out->org_name, "%s", str_of(org, "name"));
    json_decref(org);
    return rc;
}

struct create_arg {
    const char *org_id, *email, *role, *actor, *extension_id;
    char hash[65], id[UUID_STR_LEN + 1];
};

static int create_tx(db_conn *c, void *arg)
{
    struct create_arg *a = arg;
    long long members = 0;
    db_param m[] = {DBP_STR(a->org_id), DBP_STR(a->email)};
    int rc = db_query_int(c,
                          "SELECT COUNT(*) FROM org_members m JOIN users u ON u.id = m.user_id"
                          " WHERE m.org_id = ? AND u.email = ?",
                          m, DB_NPARAMS(m), &members);
    if (rc != DB_OK)
        return rc;
    if (members > 0)
        return INVITATION_ALREADY_MEMBER;
    if (a->extension_id && (rc = agent_extension_check(c, a->org_id, a->extension_id)) != DB_OK)
        return rc;
    db_param p[] = {DBP_STR(a->org_id), DBP_STR(a->email), DBP_STR(a->role), DBP_STR(a->extension_id),
                    DBP_STR(a->hash), DBP_STR(a->actor), DBP_INT(INVITATION_TTL_DAYS)};
    /* Renewing an open invitation without an extension keeps the one it has;
     * a closed one (accepted or revoked) starts over. */
    rc = db_exec(c,
                 "INSERT INTO org_invitations (org_id, email, role, extension_id, token_hash, invited_by, expires_at)"
                 " VALUES (?, ?, ?, ?, ?, ?, NOW(3) + INTERVAL ? DAY)"
                 " ON DUPLICATE KEY UPDATE"
                 " extension_id = IF(accepted_at IS NULL AND revoked_at IS NULL,"
                 " COALESCE(VALUES(extension_id), extension_id), VALUES(extension_id)),"
                 " created_at = IF(accepted_at IS NULL AND revoked_at IS NULL, created_at, NOW(3)),"
                 " role = VALUES(role), token_hash = VALUES(token_hash), invited_by = VALUES(invited_by),"
                 " sent_at = NOW(3), expires_at = VALUES(expires_at),"
                 " accepted_at = NULL, accepted_by = NULL, revoked_at = NULL",
                 p, DB_NPARAMS(p), NULL);
    if (rc != DB_OK)
        return rc;
    json_t *row = NULL;
    rc = db_query_row(c, "SELECT id FROM org_invitations WHERE org_id = ? AND email = ?", m, DB_NPARAMS(m), &row);
    if (rc != DB_OK)
        return rc;
    snprintf(a->id, sizeof a->id, "%s", str_of(row, "id"));
    json_decref(row);
    char desc[400];
    snprintf(desc, sizeof desc, "%s invited as %s", a->email, a->role);
    rc = activity_record(c, a->org_id, a->actor, "member_invited", desc);
    /* the extensions list shows the open invitation of an extension */
    return rc == DB_OK ? org_data_version_bump(c, a->org_id) : rc;
}

int invitation_create(db_conn *c, const char *org_id, const char *email, const char *role, const char *extension_id,
                      const char *actor_user_id, invitation_issued *out)
{
    memset(out, 0, sizeof *out);
    struct create_arg a = {
        .org_id = org_id, .email = email, .role = role, .actor = actor_user_id, .extension_id = extension_id};
    ott_new(OTT_INVITE_PREFIX, out->token, a.hash);
    int rc = db_transaction(c, create_tx, &a);
    if (rc == DB_OK)
        rc = load_issued(c, org_id, a.id, out);
    if (rc != DB_OK)
        sodium_memzero(out->token, sizeof out->token);
    return rc;
}

int invitation_renew(db_conn *c, const char *org_id, const char *id, const char *actor_user_id,
                     invitation_issued *out)
{
    memset(out, 0, sizeof *out);
    char hash[65];
    ott_new(OTT_INVITE_PREFIX, out->token, hash);
    unsigned long long n = 0;
    db_param p[] = {DBP_STR(hash), DBP_STR(actor_user_id), DBP_INT(INVITATION_TTL_DAYS), DBP_STR(id),
                    DBP_STR(org_id)};
    int rc = db_exec(c,
                     "UPDATE org_invitations i SET token_hash = ?, invited_by = COALESCE(?, invited_by),"
                     " sent_at = NOW(3), expires_at = NOW(3) + INTERVAL ? DAY"
                     " WHERE i.id = ? AND i.org_id = ? AND" INV_OPEN,
                     p, DB_NPARAMS(p), &n);
    if (rc == DB_OK && n == 0)
        rc = INVITATION_NOT_FOUND;
    if (rc == DB_OK) /* an expired invitation is open again in the extensions list */
        rc = org_data_version_bump(c, org_id);
    if (rc == DB_OK)
        rc = load_issued(c, org_id, id, out);
    if (rc != DB_OK)
        sodium_memzero(out->token, sizeof out->token);
    return rc;
}

struct revoke_arg {
    const char *org_id, *id, *actor;
    bool found;
};

static int revoke_tx(db_conn *c, void *arg)
{
    struct revoke_arg *a = arg;
    json_t *row = NULL;
    db_param k[] = {DBP_STR(a->id), DBP_STR(a->org_id)};
    int rc = db_query_row(c, "SELECT i.email FROM org_invitations i WHERE i.id = ? AND i.org_id = ? AND" INV_OPEN
                             " FOR UPDATE",
                          k, DB_NPARAMS(k), &row);
    if (rc != DB_OK || !row)
        return rc;
    a->found = true;
    char desc[400];
    snprintf(desc, sizeof desc, "invitation of %s revoked", str_of(row, "email"));
    json_decref(row);
    rc = db_exec(c, "UPDATE org_invitations SET revoked_at = NOW(3) WHERE id = ? AND org_id = ?", k, DB_NPARAMS(k),
                 NULL);
    if (rc != DB_OK)
        return rc;
    rc = activity_record(c, a->org_id, a->actor, "invitation_revoked", desc);
    return rc == DB_OK ? org_data_version_bump(c, a->org_id) : rc;
}

int invitation_revoke(db_conn *c, const char *org_id, const char *id, const char *actor_user_id, bool *found)
{
    struct revoke_arg a = {org_id, id, actor_user_id, false};
    int rc = db_transaction(c, revoke_tx, &a);
    *found = a.found;
    return rc;
}

int invitation_list(db_conn *c, const char *org_id, long long skip, int limit, json_t **rows, long long *total)
{
    *rows = NULL;
    db_param k[] = {DBP_STR(org_id)};
    int rc = db_query_int(c, "SELECT COUNT(*) FROM org_invitations i WHERE i.org_id = ? AND" INV_OPEN, k,
                          DB_NPARAMS(k), total);
    if (rc != DB_OK)
        return rc;
    db_param p[] = {DBP_STR(org_id), DBP_INT(limit), DBP_INT(skip)};
    return db_query(c, INV_SELECT " WHERE i.org_id = ? AND" INV_OPEN " ORDER BY i.created_at DESC, i.id LIMIT ? OFFSET ?",
                    p, DB_NPARAMS(p), rows);
}

int invitation_list_for_email(db_conn *c, const char *email, json_t **rows)
{
    db_param p[] = {DBP_STR(email)};
    return db_query(c,
                    "SELECT i.id, o.id AS org_id, o.name AS org_name, i.role, u.full_name AS invited_by,"
                    " i.expires_at FROM org_invitations i JOIN orgs o ON o.id = i.org_id"
                    " LEFT JOIN users u ON u.id = i.invited_by"
                    " WHERE i.email = ? AND" INV_OPEN " AND i.expires_at > NOW(3)"
                    " ORDER BY i.created_at DESC, i.id LIMIT 100",
                    p, DB_NPARAMS(p), rows);
}

struct accept_arg {
    const char *id, *token_hash, *user_id, *email;
    const char *new_name, *new_hash; /* a new account (token acceptance) */
    char *new_user_id;
    json_t *out;
};

/* Membership (an existing one keeps its role) + accepted + activity. */
static int join(db_conn *c, struct accept_arg *a, json_t *inv, const char *user_id)
{
    const char *org_id = str_of(inv, "org_id"), *role = str_of(inv, "role"), *email = str_of(inv, "email");
    db_param p[] = {DBP_STR(org_id), DBP_STR(user_id), DBP_STR(role)};
    int rc = db_exec(c,
                     "INSERT INTO org_members (org_id, user_id, role) VALUES (?, ?, ?)"
                     " ON DUPLICATE KEY UPDATE role = role",
                     p, DB_NPARAMS(p), NULL);
    if (rc != DB_OK)
        return rc;
    const char *extension_id = json_string_value(json_object_get(inv, "extension_id"));
    if (extension_id) { /* a deleted extension is NULL here (ON DELETE SET NULL) */
        rc = agent_extension_link(c, org_id, extension_id, user_id);
        if (rc != DB_OK)
            return rc;
    }
    db_param u[] = {DBP_STR(user_id), DBP_STR(str_of(inv, "id"))};
    rc = db_exec(c, "UPDATE org_invitations SET accepted_at = NOW(3), accepted_by = ? WHERE id = ?", u,
                 DB_NPARAMS(u), NULL);
    if (rc != DB_OK)
        return rc;
    char desc[400];
    snprintf(desc, sizeof desc, "%s joined as %s (invitation accepted)", email, role);
    rc = activity_record(c, org_id, user_id, "member_added", desc);
    if (rc != DB_OK)
        return rc;
    db_param m[] = {DBP_STR(org_id), DBP_STR(user_id)};
    return db_query_row(c,
                        "SELECT o.id AS org_id, o.name AS org_name, m.role FROM org_members m"
                        " JOIN orgs o ON o.id = m.org_id WHERE m.org_id = ? AND m.user_id = ?",
                        m, DB_NPARAMS(m), &a->out);
}

static int accept_tx(db_conn *c, void *arg)
{
    struct accept_arg *a = arg;
    json_t *inv = NULL;
    int rc;
    if (a->token_hash) {
        db_param k[] = {DBP_STR(a->token_hash)};
        rc = db_query_row(c,
                          "SELECT i.id, i.org_id, i.email, i.role, i.extension_id FROM org_invitations i"
                          " WHERE i.token_hash = ? AND" INV_OPEN " AND i.expires_at > NOW(3) FOR UPDATE",
                          k, DB_NPARAMS(k), &inv);
    } else {
        db_param k[] = {DBP_STR(a->id), DBP_STR(a->email)};
        rc = db_query_row(c,
                          "SELECT i.id, i.org_id, i.email, i.role, i.extension_id FROM org_invitations i"
                          " WHERE i.id = ? AND i.email = ? AND" INV_OPEN " AND i.expires_at > NOW(3) FOR UPDATE",
                          k, DB_NPARAMS(k), &inv);
    }
    if (rc != DB_OK)
        return rc;
    if (!inv)
        return INVITATION_NOT_FOUND;
    const char *user_id = a->user_id;
    if (a->new_hash) {
        rc = user_create(c, str_of(inv, "email"), a->new_name, a->new_hash, false, a->new_user_id);
        if (rc == DB_DUPLICATE)
            rc = INVITATION_ACCOUNT_EXISTS;
        user_id = a->new_user_id;
    }
    if (rc == DB_OK)
        rc = join(c, a, inv, user_id);
    json_decref(inv);
    return rc;
}

int invitation_accept(db_conn *c, const char *id, const char *user_id, const char *email, json_t **out)
{
    struct accept_arg a = {.id = id, .user_id = user_id, .email = email};
    int rc = db_transaction(c, accept_tx, &a);
    if (rc != DB_OK) {
        json_decref(a.out);
        a.out = NULL;
    }
    *out = a.out;
    return rc;
}

int invitation_peek(db_conn *c, const char *token, json_t **out)
{
    char hash[65];
    *out = NULL;
    if (!ott_hash(OTT_INVITE_PREFIX, token, hash))
        return INVITATION_NOT_FOUND;
    db_param p[] = {DBP_STR(hash)};
    int rc = db_query_row(c,
                          "SELECT i.email, o.name AS org_name, i.role, i.expires_at,"
                          " EXISTS (SELECT 1 FROM users x WHERE x.email = i.email) AS account_exists"
                          " FROM org_invitations i JOIN orgs o ON o.id = i.org_id"
                          " WHERE i.token_hash = ? AND" INV_OPEN " AND i.expires_at > NOW(3)",
                          p, DB_NPARAMS(p), out);
    if (rc == DB_OK && !*out)
        rc = INVITATION_NOT_FOUND;
    if (rc == DB_OK) { /* EXISTS comes back as an integer */
        json_t *v = json_object_get(*out, "account_exists");
        json_object_set_new(*out, "account_exists", json_boolean(json_is_true(v) || json_integer_value(v) != 0));
    }
    return rc;
}

int invitation_accept_new_user(db_conn *c, const char *token, const char *full_name, const char *password_hash,
                               char user_id[UUID_STR_LEN + 1], json_t **out)
{
    char hash[65];
    *out = NULL;
    user_id[0] = 0;
    if (!ott_hash(OTT_INVITE_PREFIX, token, hash))
        return INVITATION_NOT_FOUND;
    struct accept_arg a = {.token_hash = hash, .new_name = full_name, .new_hash = password_hash,
                           .new_user_id = user_id};
    int rc = db_transaction(c, accept_tx, &a);
    if (rc != DB_OK) {
        json_decref(a.out);
        a.out = NULL;
        user_id[0] = 0;
    }
    *out = a.out;
    return rc;
}
