/* test_mc_store.c — unit tests for the pure part of core/mightycall/mc_store.c
 * (mc_store_internal.h): the set of a page's external_ids that already exist,
 * which tells a created row from an updated one without a probe per row. The
 * upserts themselves need MariaDB: tests/unit/db_test_mc_store.c and
 * tests/api/sync_*.test.mjs. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "mightycall/mc_store_internal.h"

static void test_known_set(void **state)
{
    (void)state;
    mc_known *k = mc_known_new("calls");
    assert_non_null(k);
    assert_false(mc_known_has(k, "a")); /* empty */
    mc_known_add(k, "m");
    mc_known_add(k, "c");
    mc_known_add(k, "x");
    mc_known_add(k, "c"); /* again */
    mc_known_add(k, "a");
    assert_true(mc_known_has(k, "a"));
    assert_true(mc_known_has(k, "c"));
    assert_true(mc_known_has(k, "m"));
    assert_true(mc_known_has(k, "x"));
    assert_false(mc_known_has(k, "b"));
    assert_false(mc_known_has(k, "z"));
    assert_false(mc_known_has(k, ""));
    assert_false(mc_known_has(k, "mm"));
    mc_known_free(k);
    mc_known_free(NULL);
}

static void test_known_set_grows(void **state)
{
    (void)state;
    /* a page of 1000 ids arriving in no order, each twice: found, and only they */
    mc_known *k = mc_known_new("sms_messages");
    char id[32];
    for (int round = 0; round < 2; round++)
        for (int i = 0; i < 1000; i++) {
            snprintf(id, sizeof id, "ext-%d", (i * 7919) % 1000 * 2);
            mc_known_add(k, id);
        }
    for (int i = 0; i < 2000; i++) {
        snprintf(id, sizeof id, "ext-%d", i);
        if (mc_known_has(k, id) != (i % 2 == 0))
            fail_msg("%s: %s", id, i % 2 ? "found, never added" : "added, not found");
    }
    mc_known_free(k);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_known_set),
        cmocka_unit_test(test_known_set_grows),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
