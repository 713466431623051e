/* test_backoff.c — unit tests for core/mightycall/mc_backoff.c: exponential growth with
 * a cap, jitter bounds, honouring a server-given wait, giving up on waits
 * longer than the policy allows; and mc_quota_reset_at(). No sleeping. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "mightycall/mc_backoff.h"
#include "mightycall/mc_quota.h"

static const mc_backoff_policy P = {.base_ms = 500, .cap_ms = 8000, .max_wait_ms = 60000};

static void test_exponential_with_cap(void **state)
{
    (void)state;
    /* rnd = 0 → the lower bound (half), rnd → 1 → the full delay */
    assert_int_equal(mc_backoff_delay_ms(&P, 1, -1, 0.0), 250);
    assert_int_equal(mc_backoff_delay_ms(&P, 2, -1, 0.0), 500);
    assert_int_equal(mc_backoff_delay_ms(&P, 3, -1, 0.0), 1000);
    assert_int_equal(mc_backoff_delay_ms(&P, 4, -1, 0.0), 2000);
    assert_int_equal(mc_backoff_delay_ms(&P, 5, -1, 0.0), 4000);
    assert_int_equal(mc_backoff_delay_ms(&P, 6, -1, 0.0), 4000); /* capped at 8000 → half */
    assert_int_equal(mc_backoff_delay_ms(&P, 60, -1, 0.0), 4000); /* no overflow for large attempts */
    assert_in_range(mc_backoff_delay_ms(&P, 1, -1, 0.999), 499, 500);
    assert_in_range(mc_backoff_delay_ms(&P, 60, -1, 0.999), 7990, 8000);
}

static void test_jitter_spreads(void **state)
{
    (void)state;
    long a = mc_backoff_delay_ms(&P, 3, -1, 0.1), b = mc_backoff_delay_ms(&P, 3, -1, 0.9);
    assert_true(a < b);
    for (int i = 0; i < 200; i++) {
        double r = mc_backoff_random();
        assert_true(r >= 0.0 && r < 1.0);
        long d = mc_backoff_delay_ms(&P, 3, -1, r);
        assert_in_range(d, 1000, 2000);
    }
    /* out-of-range jitter input is tamed */
    assert_in_range(mc_backoff_delay_ms(&P, 1, -1, 7.0), 250, 500);
}

static void test_server_wait(void **state)
{
    (void)state;
    /* Retry-After: 1 → at least one second, plus bounded jitter */
    assert_int_equal(mc_backoff_delay_ms(&P, 1, 1000, 0.0), 1000);
    assert_in_range(mc_backoff_delay_ms(&P, 1, 1000, 0.999), 1000, 1100);
    /* jitter of a long wait is at most one second */
    assert_in_range(mc_backoff_delay_ms(&P, 1, 30000, 0.999), 30000, 31000);
    /* the server's wait wins over the exponential schedule, even when shorter */
    assert_int_equal(mc_backoff_delay_ms(&P, 5, 0, 0.0), 0);
    /* longer than the policy allows: give up (the caller defers the work) */
    assert_int_equal(mc_backoff_delay_ms(&P, 1, 60001, 0.5), -1);
    assert_int_equal(mc_backoff_delay_ms(&P, 1, 3600 * 1000L, 0.5), -1);
}

static void test_quota_reset(void **state)
{
    (void)state;
    assert_int_equal(mc_quota_reset_at(1717286399), 1717286400); /* 23:59:59 → midnight */
    assert_int_equal(mc_quota_reset_at(1717286400), 1717372800); /* midnight → next one */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_exponential_with_cap),
        cmocka_unit_test(test_jitter_spreads),
        cmocka_unit_test(test_server_wait),
        cmocka_unit_test(test_quota_reset),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
