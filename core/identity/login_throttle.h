/* login_throttle.h — throttling of failed password logins, per account (the
 * normalised email, whether or not such a user exists) and per client IP:
 * after cfg->login_max_failures failures within cfg->login_window_seconds,
 * further attempts (even with the right password) get 429 + Retry-After until
 * the oldest failure leaves the window. Stored in login_attempts. */
#ifndef VS_LOGIN_THROTTLE_H
#define VS_LOGIN_THROTTLE_H

#include "platform/config.h"
#include "platform/db.h"

/* Seconds until an attempt is allowed again (0 = allowed now), from the
 * number of failures in the window and the age in seconds of the oldest one. */
long long login_throttle_wait(long long failures, long long oldest_age_s, int max_failures, int window_s);

/* *retry_after = 0 when email and ip may try, else seconds to wait. */
int login_throttle_check(db_conn *c, const vs_config *cfg, const char *email, const char *ip,
                         long long *retry_after);

/* Record one failure for the account and for the IP (and prune old rows). */
int login_throttle_fail(db_conn *c, const vs_config *cfg, const char *email, const char *ip);

/* A successful login clears the account's failures (not the IP's). */
int login_throttle_clear(db_conn *c, const char *email);

#endif
