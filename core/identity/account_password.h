/* account_password.h — a user's own password: change (signed in) and reset
 * by a one-time link. Both void every session of the user: refresh-token
 * families are revoked and access tokens issued before now stop working
 * (users.sessions_valid_after); the caller hands the changing client a new
 * session. Reset links live RESET_TTL_MINUTES, are single use, and at most
 * RESET_MAX_PER_HOUR are issued per account per hour. */
#ifndef VS_ACCOUNT_PASSWORD_H
#define VS_ACCOUNT_PASSWORD_H

#include <stdbool.h>

#include "identity/one_time_token.h"
#include "platform/db.h"

#define RESET_TTL_MINUTES 60
#define RESET_MAX_PER_HOUR 5

/* The instant from which a password change or reset lets tokens live: the
 * next whole second (access tokens carry whole-second iat, and one issued in
 * the second of the change must die too). The changing client's new access
 * token is issued at this instant. */
long long account_sessions_restart(void);

/* New hash for user_id, then every session of the user issued before
 * valid_after (account_sessions_restart()) ends. */
int account_password_change(db_conn *c, const char *user_id, const char *password_hash, long long valid_after);

/* A reset token for the account with this (normalised) e-mail: *issued
 * false (token "") when there is no such account or the hourly budget is
 * spent: the caller answers the same either way. */
int account_reset_request(db_conn *c, const char *email, char token[OTT_LEN + 1], bool *issued);

/* Uses a reset token: new password hash, every session ends. *ok false for
 * an unknown, used, expired or malformed token. */
int account_reset_complete(db_conn *c, const char *token, const char *password_hash, bool *ok);

#endif
