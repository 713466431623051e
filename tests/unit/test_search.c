/* test_search.c — unit tests for core/data/search.c: how a search box is
 * read (number, e-mail, name) and the LIKE prefix patterns built from it. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "data/search.h"

static void test_classify(void **state)
{
    (void)state;
    char d[SEARCH_DIGITS_MAX + 1];
    assert_int_equal(search_classify("", d), SEARCH_NONE);
    assert_int_equal(search_classify(NULL, d), SEARCH_NONE);
    assert_int_equal(search_classify("clark", d), SEARCH_NAME);
    assert_int_equal(search_classify("+1 (212) 555-01", d), SEARCH_NUMBER);
    assert_string_equal(d, "121255501");
    assert_int_equal(search_classify("7", d), SEARCH_NAME); /* one digit is too little for a number */
    assert_int_equal(search_classify("ann@ex", d), SEARCH_EMAIL);
    assert_int_equal(search_classify("r2d2", d), SEARCH_NAME);
    char many[80];
    memset(many, '9', sizeof many - 1);
    many[sizeof many - 1] = 0;
    assert_int_equal(search_classify(many, d), SEARCH_NUMBER);
    assert_int_equal(strlen(d), SEARCH_DIGITS_MAX); /* bounded */
}

static void test_number_prefix(void **state)
{
    (void)state;
    char out[64];
    search_number_prefix("212555", "212555", out, sizeof out);
    assert_string_equal(out, "+1212555%");
    search_number_prefix("+44 20", "4420", out, sizeof out);
    assert_string_equal(out, "+4420%");
    search_number_prefix("1212", "1212", out, sizeof out);
    assert_string_equal(out, "+1212%");
}

static void test_like_prefix_escapes(void **state)
{
    (void)state;
    char out[32];
    search_like_prefix("", "50%_a\\", out, sizeof out);
    assert_string_equal(out, "50\\%\\_a\\\\%");
    char small[6];
    search_like_prefix("", "abcdefgh", small, sizeof small);
    assert_string_equal(small, "abc%");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_classify),
        cmocka_unit_test(test_number_prefix),
        cmocka_unit_test(test_like_prefix_escapes),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
