/* mc_backoff.h — retry delays for MightyCall requests: exponential backoff
 * with jitter, honouring a server-given wait (Retry-After / the time in a 429
 * message). Pure arithmetic, so it is unit-tested without sleeping. */
#ifndef VS_MC_BACKOFF_H
#define VS_MC_BACKOFF_H

typedef struct {
    long base_ms;      /* first delay before jitter (attempt 1) */
    long cap_ms;       /* exponential part never exceeds this */
    long max_wait_ms;  /* a server-requested wait longer than this is not slept: give up */
} mc_backoff_policy;

#define MC_BACKOFF_DEFAULT ((mc_backoff_policy){.base_ms = 500, .cap_ms = 20000, .max_wait_ms = 60000})

/* Delay before retry number `attempt` (1 = first retry). rnd in [0,1) is the
 * jitter source. server_wait_ms < 0 means the server said nothing: the delay
 * is "equal jitter" — half of min(cap, base·2^(attempt-1)) plus a random part
 * of the other half. Otherwise the server's wait plus up to 10% (≤ 1 s) of
 * jitter, so many clients told the same time do not return at once. Returns
 * -1 when the server's wait exceeds max_wait_ms (caller defers instead). */
long mc_backoff_delay_ms(const mc_backoff_policy *p, int attempt, long server_wait_ms, double rnd);

/* Uniform random double in [0,1) from libsodium. */
double mc_backoff_random(void);

#endif
