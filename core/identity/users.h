/* users.h — the users table: identity lookups for authentication, password
 * login data, creation and administration (CLI), and the API shape of a user
 * {id, email, full_name, global_role, created_at}. */
#ifndef VS_USERS_H
#define VS_USERS_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

#include "platform/db.h"
#include "identity/password.h"
#include "identity/principal.h"
#include "platform/text.h"

#define USER_EMAIL_MAX 254 /* bytes (RFC 5321 path limit) */
#define USER_NAME_MAX 200  /* characters */

/* A valid email (input.h is_email) copied to out with ASCII letters
 * lowercased; false if not an email or out too small. */
bool user_email_normalize(const char *in, char *out, size_t outsz);

/* NULL when a full name is acceptable (1..200 characters, no control
 * characters, not blank, no surrounding spaces), else the reason. */
const char *user_name_problem(const char *name);

typedef struct {
    char id[UUID_STR_LEN + 1];
    char email[USER_EMAIL_MAX + 1];
    char full_name[256];          /* may be cut at a character boundary */
    bool platform_admin;
    long long sessions_valid_after; /* unix seconds; tokens issued before are void; 0 = none */
    org_role role_in_org;           /* membership in the org_id asked for (ORG_ROLE_NONE without) */
    bool session_ended;             /* the session (refresh-token family) asked for has no live token left */
} user_identity;

/* The user, and with org_id (may be NULL) the user's role there and that
 * org (*org), and with session_id (may be NULL: a token without "sid") whether
 * that session was ended (logout, family revoked), in one statement. Returns
 * 1 found, 0 no such user, or a negative DB_ code. */
int user_identity_load(db_conn *c, const char *id, const char *org_id, const char *session_id, user_identity *out,
                       org_view *org);

/* Password login: id, name and argon2id hash of the user with this (normalised)
 * email. *found false when absent; hash "" when the user has no password. */
int user_login_lookup(db_conn *c, const char *email, char id[UUID_STR_LEN + 1], char full_name[256],
                      char hash[PASSWORD_HASH_SIZE], bool *found);

/* {id, email, full_name, global_role, created_at}; *out NULL if no such user. */
int user_get_json(db_conn *c, const char *id, json_t **out);
/* The first second in which an access token of the user counts (the whole
 * second of sessions_valid_after; 0 when never restarted): a token issued now
 * carries at least this iat, or a session begun in the second of a password
 * change or reset would be refused as if it were older. */
int user_tokens_valid_from(db_conn *c, const char *id, long long *out);
/* user_login in the activity feed of every org the user belongs to (a
 * platform-level event when none). Best effort: the caller may ignore it. */
int user_record_login(db_conn *c, const char *user_id, const char *full_name);

/* Inserts a user (email already normalised, hash from password_hash or NULL).
 * DB_DUPLICATE when the email is taken. */
int user_create(db_conn *c, const char *email, const char *full_name, const char *password_hash,
                bool platform_admin, char id_out[UUID_STR_LEN + 1]);

/* New password hash; revokes every refresh token of the user and voids access
 * tokens issued before now. *found false when no such email. */
int user_set_password(db_conn *c, const char *email, const char *password_hash, bool *found);

/* global_role = platform_admin. *found false when no such email. */
int user_grant_admin(db_conn *c, const char *email, bool *found);

/* All users, oldest first: [{id,email,full_name,global_role,created_at}]. */
int user_list(db_conn *c, json_t **rows);

#endif
