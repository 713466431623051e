/* auth_tokens.c — owns access-token signing/verification and the
 * refresh_tokens table (see auth_tokens.h). */
#include "identity/auth_tokens.h"

#include <jansson.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "platform/secretbox.h"

const char *auth_bearer_token(const char *h)
{
    if (!h)
        return NULL;
    while (*h == ' ' || *h == '\t')
        h++;
    if (strncasecmp(h, "Bearer", 6) != 0 || (h[6] != ' ' && h[6] != '\t'))
        return NULL;
    h += 6;
    while (*h == ' ' || *h == '\t')
        h++;
    if (!*h)
        return NULL;
    return h;
}

int auth_issue_access(const vs_config *cfg, const char *user_id, const char *email, long long now, char *out,
                      size_t outsz)
{
    return auth_issue_access_session(cfg, user_id, email, NULL, now, out, outsz);
}

int auth_issue_access_session(const vs_config *cfg, const char *user_id, const char *email, const char *sid,
                              long long now, char *out, size_t outsz)
{
    size_t klen = strlen(cfg->jwt_secret);
    if (klen == 0)
        return -1;
    return jwt_sign_hs256_sid((const unsigned char *)cfg->jwt_secret, klen, user_id, email,
                              sid && *sid ? sid : NULL, now, now + cfg->jwt_ttl_seconds, out, outsz);
}


jwt_status auth_verify_access(const vs_config *cfg, const char *token, long long now, jwt_claims *claims,
                              bool *supabase)
{
    /* Current secret, then the one before a rotation (its tokens live out their
     * jwt_ttl_seconds), then Supabase's. */
    const jwt_key ring[] = {
        {(const unsigned char *)cfg->jwt_secret, strlen(cfg->jwt_secret)},
        {(const unsigned char *)cfg->jwt_secret_previous, strlen(cfg->jwt_secret_previous)},
        {(const unsigned char *)cfg->supabase_jwt_secret, strlen(cfg->supabase_jwt_secret)},
    };
    int which = -1;
    jwt_status st = jwt_verify_hs256_any(token, ring, 3, now, AUTH_LEEWAY_S, claims, &which);
    *supabase = st == JWT_OK && which == 2;
    /* Supabase signs anon and service_role keys with the same secret: only a
     * signed-in user's access token (aud and role "authenticated") is one */
    if (*supabase && claims && (strcmp(claims->aud, "authenticated") != 0 ||
                      (claims->role[0] && strcmp(claims->role, "authenticated") != 0))) {
        *supabase = false;
        return JWT_BAD_AUDIENCE;
    }
    return st;
}

bool refresh_token_well_formed(const char *t)
{
    size_t plen = sizeof REFRESH_PREFIX - 1;
    if (!t || strnlen(t, REFRESH_TOKEN_LEN + 1) != REFRESH_TOKEN_LEN || strncmp(t, REFRESH_PREFIX, plen) != 0)
        return false;
    for (size_t i = plen; i < REFRESH_TOKEN_LEN; i++) {
        char ch = t[i];
        if (!((ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch == '-' ||
              ch == '_'))
            return false;
    }
    return true;
}

static void token_hash(const char *token, char hex[65])
{
    unsigned char h[crypto_hash_sha256_BYTES];
    crypto_hash_sha256(h, (const unsigned char *)token, strlen(token));
    sodium_bin2hex(hex, 65, h, sizeof h);
}

int refresh_issue(db_conn *c, const vs_config *cfg, const char *user_id, const char *family_id,
                  char token[REFRESH_TOKEN_LEN + 1])
{
    char body[sodium_base64_ENCODED_LEN(32, sodium_base64_VARIANT_URLSAFE_NO_PADDING)], hash[65];
    _Static_assert(sizeof body - 1 + sizeof REFRESH_PREFIX - 1 == REFRESH_TOKEN_LEN, "refresh token layout");
    random_token_b64url(body, 32);
    memcpy(token, REFRESH_PREFIX, sizeof REFRESH_PREFIX - 1);
    memcpy(token + sizeof REFRESH_PREFIX - 1, body, REFRESH_TOKEN_LEN - (sizeof REFRESH_PREFIX - 1));
    token[REFRESH_TOKEN_LEN] = 0;
    sodium_memzero(body, sizeof body);
    token_hash(token, hash);
    db_param p[] = {DBP_STR(user_id), DBP_STR(family_id), DBP_STR(hash), DBP_INT(cfg->refresh_ttl_seconds)};
    int rc = db_exec(c,
                     "INSERT INTO refresh_tokens (user_id, family_id, token_hash, expires_at)"
                     " VALUES (?, COALESCE(?, UUID()), ?, NOW(3) + INTERVAL ? SECOND)",
                     p, DB_NPARAMS(p), NULL);
    if (rc == DB_OK && !family_id) {
        /* a new login: forget this user's long-dead tokens */
        db_param u[] = {DBP_STR(user_id)};
        (void)db_exec(c, "DELETE FROM refresh_tokens WHERE user_id = ? AND expires_at < NOW(3) - INTERVAL 1 DAY", u,
                      DB_NPARAMS(u), NULL);
    }
    if (rc != DB_OK)
        sodium_memzero(token, REFRESH_TOKEN_LEN + 1);
    return rc;
}

static bool truthy(json_t *v) { return json_is_true(v) || (json_is_integer(v) && json_integer_value(v) != 0); }

struct rotate_arg {
    const vs_config *cfg;
    const char *presented;
    char user_id[UUID_STR_LEN + 1];
    char *new_token;
    bool invalid;
};

static int rotate_tx(db_conn *c, void *arg)
{
    struct rotate_arg *a = arg;
    char hash[65];
    json_t *row = NULL;
    token_hash(a->presented, hash);
    db_param p[] = {DBP_STR(hash)};
    int rc = db_query_row(c,
                          "SELECT id, user_id, family_id, used_at IS NOT NULL AS used,"
                          " revoked_at IS NOT NULL AS revoked, expires_at <= NOW(3) AS expired"
                          " FROM refresh_tokens WHERE token_hash = ? FOR UPDATE",
                          p, DB_NPARAMS(p), &row);
    if (rc != DB_OK)
        return rc;
    a->invalid = true;
    if (!row)
        return DB_OK;
    char id[UUID_STR_LEN + 1], fam[UUID_STR_LEN + 1];
    snprintf(id, sizeof id, "%s", json_string_value(json_object_get(row, "id")));
    snprintf(fam, sizeof fam, "%s", json_string_value(json_object_get(row, "family_id")));
    snprintf(a->user_id, sizeof a->user_id, "%s", json_string_value(json_object_get(row, "user_id")));
    bool used = truthy(json_object_get(row, "used")), revoked = truthy(json_object_get(row, "revoked")),
         expired = truthy(json_object_get(row, "expired"));
    json_decref(row);
    if (revoked || expired)
        return DB_OK;
    if (used) { /* replay of a rotated token: someone else has it, end the session */
        db_param f[] = {DBP_STR(fam)};
        return db_exec(c, "UPDATE refresh_tokens SET revoked_at = NOW(3) WHERE family_id = ? AND revoked_at IS NULL",
                       f, DB_NPARAMS(f), NULL);
    }
    db_param u[] = {DBP_STR(id)};
    rc = db_exec(c, "UPDATE refresh_tokens SET used_at = NOW(3) WHERE id = ?", u, DB_NPARAMS(u), NULL);
    if (rc != DB_OK)
        return rc;
    rc = refresh_issue(c, a->cfg, a->user_id, fam, a->new_token);
    if (rc == DB_OK)
        a->invalid = false;
    return rc;
}

int refresh_rotate(db_conn *c, const vs_config *cfg, const char *presented, char user_id[UUID_STR_LEN + 1],
                   char new_token[REFRESH_TOKEN_LEN + 1])
{
    struct rotate_arg a = {.cfg = cfg, .presented = presented, .new_token = new_token};
    user_id[0] = new_token[0] = 0;
    if (!refresh_token_well_formed(presented))
        return REFRESH_INVALID;
    int rc = db_transaction(c, rotate_tx, &a);
    if (rc != DB_OK)
        return rc;
    if (a.invalid) {
        sodium_memzero(new_token, REFRESH_TOKEN_LEN + 1);
        return REFRESH_INVALID;
    }
    snprintf(user_id, UUID_STR_LEN + 1, "%s", a.user_id);
    return DB_OK;
}

int refresh_family_of(db_conn *c, const char *token, char family[UUID_STR_LEN + 1])
{
    char hash[65];
    json_t *row = NULL;
    family[0] = 0;
    token_hash(token, hash);
    db_param p[] = {DBP_STR(hash)};
    int rc = db_query_row(c, "SELECT family_id FROM refresh_tokens WHERE token_hash = ?", p, DB_NPARAMS(p), &row);
    if (rc == DB_OK && row)
        snprintf(family, UUID_STR_LEN + 1, "%s", json_string_value(json_object_get(row, "family_id")));
    json_decref(row);
    return rc;
}

int refresh_revoke(db_conn *c, const char *presented)
{
    if (!refresh_token_well_formed(presented))
        return DB_OK;
    char hash[65];
    token_hash(presented, hash);
    db_param p[] = {DBP_STR(hash)};
    return db_exec(c,
                   "UPDATE refresh_tokens r JOIN refresh_tokens t ON t.family_id = r.family_id"
                   " SET r.revoked_at = NOW(3) WHERE t.token_hash = ? AND r.revoked_at IS NULL",
                   p, DB_NPARAMS(p), NULL);
}
