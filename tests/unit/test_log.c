/* test_log.c — unit tests for core/platform/log.c (logfmt values and fields). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "platform/log.h"

static void expect_logfmt(const char *in, const char *want)
{
    char out[128];
    size_t n = logfmt_value(out, 0, sizeof out, in);
    assert_string_equal(out, want);
    assert_int_equal(n, strlen(want));
}

static void test_values(void **state)
{
    (void)state;
    expect_logfmt("plain", "plain");
    expect_logfmt("/api/orgs/:orgId/calls", "/api/orgs/:orgId/calls");
    expect_logfmt("two words", "\"two words\"");
    expect_logfmt("", "\"\"");
    expect_logfmt("a=b", "\"a=b\"");
    expect_logfmt("say \"hi\"", "\"say \\\"hi\\\"\"");
    expect_logfmt("back\\slash", "\"back\\\\slash\"");
    expect_logfmt("line\nbreak", "\"line\\nbreak\"");
    expect_logfmt("bell\a", "\"bell\\u0007\"");
}

static void test_truncation_stays_quoted(void **state)
{
    (void)state;
    char out[8];
    size_t n = logfmt_value(out, 0, sizeof out, "a b c d e f g");
    assert_true(n < sizeof out);
    assert_int_equal(out[0], '"');
    assert_int_equal(out[n - 1], '"');
    assert_int_equal(out[n], 0);
}

static void test_fields(void **state)
{
    (void)state;
    log_fields f = {0};
    lf_str(&f, "route", "/health");
    lf_int(&f, "status", 200);
    lf_num(&f, "duration_ms", 3.14159, 2);
    lf_str(&f, "org", NULL);
    lf_str(&f, "error", "it \"broke\"");
    assert_string_equal(f.buf, "route=/health status=200 duration_ms=3.14 org=- error=\"it \\\"broke\\\"\"");
    assert_false(f.has_pid);
    lf_int(&f, "worker", 42);
    assert_true(f.has_pid);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_values),
        cmocka_unit_test(test_truncation_stays_quoted),
        cmocka_unit_test(test_fields),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
