/* rate_counter.h — fixed-window counters in the rate_counters table, for
 * limits applied in the workers (after authentication, on normalised keys):
 * login throttling (identity/login_throttle.c), wrong service keys, sync
 * triggers per org. Each hit is one atomic statement, so parallel requests
 * are counted exactly. */
#ifndef VS_RATE_COUNTER_H
#define VS_RATE_COUNTER_H

#include <stdbool.h>

#include "platform/db.h"

/* Count one hit of (kind, subject): a window older than window_s restarts
 * at 1. *n is the count after this hit. failure also stamps last_fail_at. */
int rate_counter_hit(db_conn *c, const char *kind, const char *subject, int window_s, bool failure,
                     unsigned long long *n);

/* Seconds since the counter's window started (0 when there is no row). */
int rate_counter_window_age(db_conn *c, const char *kind, const char *subject, long long *age);

/* Seconds left of a window of window_s that started age_s ago (at least 1). */
long long rate_counter_wait(long long age_s, int window_s);

#endif
