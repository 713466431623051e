/* test_json_out.c — core/platform/json_out.c writes what json_dumps() writes
 * with the API's flags: strings (ASCII, controls, quotes, backslash, 2-, 3-
 * and 4-byte UTF-8, random valid UTF-8), integers and reals (%.12g, ".0",
 * exponents), any Jansson value, and the buffer's take/unput/oom rules. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "platform/json_out.h"

#define FLAGS (JSON_COMPACT | JSON_ENSURE_ASCII | JSON_ENCODE_ANY | JSON_REAL_PRECISION(12))

/* jansson's text of v (taken) must equal what writer put into b. */
static void same_as_jansson(json_t *v, json_buf *b)
{
    char *want = json_dumps(v, FLAGS);
    assert_non_null(want);
    size_t len = 0;
    char *got = jb_take(b, &len);
    assert_non_null(got);
    assert_int_equal(len, strlen(got));
    assert_string_equal(got, want);
    free(got);
    free(want);
    json_decref(v);
}

static void check_str(const char *s, size_t n)
{
    json_buf b = {0};
    jb_str(&b, s, n);
    same_as_jansson(json_stringn(s, n), &b);
}

static void test_strings(void **state)
{
    (void)state;
    static const char *const cases[] = {"", "plain", "quote \" and \\ back", "tab\tnl\ncr\rbs\bff\f",
                                        "\x01\x1f\x7f", "slash / stays", "caf\xc3\xa9", "\xe2\x82\xac 5",
                                        "emoji \xf0\x9f\x98\x80!", "\xef\xbf\xbf max bmp", "\xf4\x8f\xbf\xbf"};
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        check_str(cases[i], strlen(cases[i]));
    check_str("nul\0inside", 10);
    /* random valid UTF-8: code points of every length */
    srand(14);
    for (int round = 0; round < 2000; round++) {
        char s[256];
        size_t n = 0;
        while (n < sizeof s - 4) {
            unsigned r = (unsigned)rand(), cp;
            switch (r % 4) {
            case 0: cp = r % 0x80; break;
            case 1: cp = 0x80 + r % 0x780; break;
            case 2: cp = 0x800 + r % 0xF800; if (cp >= 0xD800 && cp <= 0xDFFF) cp = 0xE000; break;
            default: cp = 0x10000 + r % 0x100000; break;
            }
            if (cp < 0x80) {
                s[n++] = (char)cp;
            } else if (cp < 0x800) {
                s[n++] = (char)(0xC0 | (cp >> 6)), s[n++] = (char)(0x80 | (cp & 63));
            } else if (cp < 0x10000) {
                s[n++] = (char)(0xE0 | (cp >> 12)), s[n++] = (char)(0x80 | ((cp >> 6) & 63));
                s[n++] = (char)(0x80 | (cp & 63));
            } else {
                s[n++] = (char)(0xF0 | (cp >> 18)), s[n++] = (char)(0x80 | ((cp >> 12) & 63));
                s[n++] = (char)(0x80 | ((cp >> 6) & 63)), s[n++] = (char)(0x80 | (cp & 63));
            }
            if (r % 17 == 0)
                break;
        }
        check_str(s, n);
    }
    /* malformed bytes (jansson refuses them): one \uFFFD each */
    json_buf b = {0};
    jb_str(&b, "a\xff" "b\xc3", 4);
    char *got = jb_take(&b, NULL);
    assert_string_equal(got, "\"a\\uFFFDb\\uFFFD\"");
    free(got);
}

static void test_numbers(void **state)
{
    (void)state;
    static const long long ints[] = {0, 1, -1, 42, 9223372036854775807LL, -9223372036854775807LL - 1};
    for (size_t i = 0; i < sizeof ints / sizeof ints[0]; i++) {
        json_buf b = {0};
        jb_int(&b, ints[i]);
        same_as_jansson(json_integer(ints[i]), &b);
    }
    static const double reals[] = {0.0, 1.0, -2.5, 0.1, 1.0 / 3.0, 123456789012.0, 1234567890123.0, 1e21,
                                   1.5e-7, -4.25e100, 2.0e-300, 100.0, 99.95, 0.0001};
    for (size_t i = 0; i < sizeof reals / sizeof reals[0]; i++) {
        json_buf b = {0};
        jb_real(&b, reals[i]);
        same_as_jansson(json_real(reals[i]), &b);
    }
    json_buf b = {0};
    jb_real(&b, 0.0 / 0.0);
    char *got = jb_take(&b, NULL);
    assert_string_equal(got, "null");
    free(got);
}

static void test_values_and_buffer(void **state)
{
    (void)state;
    json_t *v = json_pack("{s:[i,f,s,n,b], s:{s:s}}", "a", 1, 2.5, "x\xc3\xa9", 1, "o", "k", "v");
    json_buf b = {0};
    jb_json(&b, v);
    same_as_jansson(v, &b);
    /* a list written with trailing commas, the last one dropped */
    json_buf l = {0};
    jb_lit(&l, "[");
    for (int i = 0; i < 3; i++) {
        jb_int(&l, i);
        jb_put(&l, ",", 1);
    }
    jb_unput(&l, ',');
    jb_unput(&l, ','); /* only a ',' is dropped */
    jb_lit(&l, "]");
    char *got = jb_take(&l, NULL);
    assert_string_equal(got, "[0,1,2]");
    free(got);
    /* after an allocation failure nothing is written and take gives NULL */
    json_buf o = {0};
    jb_lit(&o, "x");
    o.oom = true;
    jb_lit(&o, "y");
    assert_null(jb_take(&o, NULL));
    assert_null(o.p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_strings),
        cmocka_unit_test(test_numbers),
        cmocka_unit_test(test_values_and_buffer),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
