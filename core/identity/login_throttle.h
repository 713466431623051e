/* login_throttle.h — throttling of failed password logins without lockout
 * (docs/authorization.md, "Login throttling"). Counters in rate_counters (platform/rate_counter.h),
 * each bumped by one atomic statement before the password is evaluated, so
 * parallel attempts are counted exactly:
 *   - per (account, client address): cfg->login_max_failures attempts that
 *     did not succeed per cfg->login_window_seconds, then 429 for that pair
 *     only: the owner signing in from another address is not affected;
 *   - per client address, any account: cfg->login_ip_max_failures;
 *   - per-account back-off: once the account has login_max_failures failures
 *     in the window (from any address), an address that already failed for it
 *     waits 2^(failures - max) seconds (at most login_backoff_max_seconds)
 *     after its own last failure. An address that did not fail is never
 *     slowed by it.
 * Accounts are the normalised email whether or not such a user exists. */
#ifndef VS_LOGIN_THROTTLE_H
#define VS_LOGIN_THROTTLE_H

#include "platform/config.h"
#include "platform/db.h"

/* Seconds left of a fixed window that started age_s seconds ago (at least 1). */
long long login_window_wait(long long age_s, int window_s);

/* Per-account back-off in seconds after account_failures failures in the
 * window: 0 below max_failures, then 1, 2, 4, … capped at cap_s. */
long long login_backoff_seconds(long long account_failures, int max_failures, int cap_s);

/* Reserve one evaluation for email from ip. *retry_after = 0: evaluate the
 * password, then call login_throttle_failed() or login_throttle_succeeded();
 * > 0: refused (429 with that Retry-After), nothing else to call. */
int login_throttle_begin(db_conn *c, const vs_config *cfg, const char *email, const char *ip,
                         long long *retry_after);

/* The evaluated password was wrong: count it for the account's back-off. */
int login_throttle_failed(db_conn *c, const vs_config *cfg, const char *email, const char *ip);

/* The password was right: the pair's counter and the account's back-off are
 * cleared, and the address gets its reserved slot back. */
int login_throttle_succeeded(db_conn *c, const char *email, const char *ip);

/* A per-address counter of other failed credentials (kind "service": wrong
 * x-service-key). login_throttle_address_check: *retry_after > 0 when ip has
 * max failures in the window; login_throttle_address_fail counts one. */
int login_throttle_address_check(db_conn *c, const vs_config *cfg, const char *ip, int max,
                                 long long *retry_after);
int login_throttle_address_fail(db_conn *c, const vs_config *cfg, const char *ip);

#endif
