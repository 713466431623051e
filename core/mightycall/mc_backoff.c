/* mc_backoff.c — owns the retry delay arithmetic; see mc_backoff.h. */
#include "mightycall/mc_backoff.h"

#include <sodium.h>

long mc_backoff_delay_ms(const mc_backoff_policy *p, int attempt, long server_wait_ms, double rnd)
{
    if (rnd < 0 || rnd >= 1)
        rnd = 0.5;
    if (attempt < 1)
        attempt = 1;
    if (server_wait_ms >= 0) {
        if (server_wait_ms > p->max_wait_ms)
            return -1;
        long jitter = server_wait_ms / 10;
        if (jitter > 1000)
            jitter = 1000;
        if (jitter < 50)
            jitter = 50;
        return server_wait_ms + (long)(rnd * (double)jitter);
    }
    long d = p->base_ms;
    for (int i = 1; i < attempt && d < p->cap_ms; i++)
        d *= 2;
    if (d > p->cap_ms)
        d = p->cap_ms;
    return d / 2 + (long)(rnd * (double)(d - d / 2));
}

double mc_backoff_random(void)
{
    return (double)randombytes_uniform(1000000) / 1000000.0;
}
