/* test_text.c — unit tests for core/platform/text.c (UUID and e-mail syntax,
 * UTF-8 length with control characters refused, ISO 8601 → SQL DATETIME). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "platform/text.h"

static void test_is_uuid(void **state)
{
    (void)state;
    assert_true(is_uuid("123e4567-e89b-12d3-a456-426614174000"));
    assert_true(is_uuid("ABCDEF01-2345-6789-ABCD-EF0123456789")); /* case-insensitive */
    assert_int_equal(strlen("123e4567-e89b-12d3-a456-426614174000"), UUID_STR_LEN);

    assert_false(is_uuid(NULL));
    assert_false(is_uuid(""));
    assert_false(is_uuid("123e4567-e89b-12d3-a456-42661417400"));   /* 35 */
    assert_false(is_uuid("123e4567-e89b-12d3-a456-4266141740000")); /* 37 */
    assert_false(is_uuid("123e4567e89b-12d3-a456-4266141740000"));  /* dash moved */
    assert_false(is_uuid("123e4567-e89b-12d3-a456_426614174000"));  /* not a dash */
    assert_false(is_uuid("123e4567-e89b-12d3-a456-42661417400g"));  /* not hex */
    assert_false(is_uuid("123e4567-e89b-12d3-a456-42661417400 "));
    assert_false(is_uuid("{23e4567-e89b-12d3-a456-426614174000"));
    assert_false(is_uuid("123e4567-e89b-12d3-a456-4266141740-0")); /* extra dash in a hex group */
}

static void test_is_email(void **state)
{
    (void)state;
    assert_true(is_email("ann@example.com"));
    assert_true(is_email("a@b.c"));
    assert_true(is_email("first.last+tag@sub.example.co.uk"));
    assert_true(is_email("j\xc3\xb6rg@example.de")); /* UTF-8 local part */

    assert_false(is_email(NULL));
    assert_false(is_email(""));
    assert_false(is_email("a@"));
    assert_false(is_email("ann.example.com"));      /* no @ */
    assert_false(is_email("@example.com"));         /* empty local part */
    assert_false(is_email("ann@example"));          /* no dot after @ */
    assert_false(is_email("ann@@example.com"));
    assert_false(is_email("ann@ex@ample.com"));
    assert_false(is_email("ann@.example.com"));     /* domain starts with a dot */
    assert_false(is_email("ann@example.com."));     /* ends with a dot */
    assert_false(is_email("ann smith@example.com"));
    assert_false(is_email("<ann@example.com>"));
    assert_false(is_email("\"ann\"@example.com"));
    assert_false(is_email("ann'@example.com"));
    assert_false(is_email("ann;@example.com"));
    assert_false(is_email("ann\\@example.com"));
    assert_false(is_email("ann\n@example.com"));    /* control character */
    assert_false(is_email("ann\xff@example.com"));  /* not UTF-8 */

    /* at most 254 bytes */
    char buf[300];
    memset(buf, 'a', sizeof buf);
    memcpy(buf + 254 - 12, "@example.com", 12);
    buf[254] = 0;
    assert_true(is_email(buf));
    memset(buf, 'a', sizeof buf);
    memcpy(buf + 255 - 12, "@example.com", 12);
    buf[255] = 0;
    assert_false(is_email(buf));
}

static void test_utf8_chars(void **state)
{
    (void)state;
    assert_int_equal(utf8_chars(""), 0);
    assert_int_equal(utf8_chars("abc"), 3);
    assert_int_equal(utf8_chars("\xc3\xa4"), 1);             /* ä */
    assert_int_equal(utf8_chars("\xe2\x82\xac"), 1);         /* € */
    assert_int_equal(utf8_chars("\xf0\x9f\x94\x91"), 1);     /* 🔑 */
    assert_int_equal(utf8_chars("a\xc3\xa4\xe2\x82\xac\xf0\x9f\x94\x91z"), 5);
    assert_int_equal(utf8_chars("~ printable ASCII ~"), 19);

    /* control characters are refused, tab and newline included */
    /* strict UTF-8: overlong forms, surrogates and code points above U+10FFFF are invalid */
    assert_int_equal(utf8_chars("\xc0\xaf"), -1);             /* overlong '/' (2 bytes) */
    assert_int_equal(utf8_chars("\xc1\xbf"), -1);
    assert_int_equal(utf8_chars("\xe0\x80\xaf"), -1);         /* overlong '/' (3 bytes) */
    assert_int_equal(utf8_chars("\xe0\x9f\xbf"), -1);         /* overlong U+07FF */
    assert_int_equal(utf8_chars("\xe0\xa0\x80"), 1);          /* U+0800, the first 3-byte form */
    assert_int_equal(utf8_chars("\xf0\x80\x80\xaf"), -1);     /* overlong '/' (4 bytes) */
    assert_int_equal(utf8_chars("\xf0\x8f\xbf\xbf"), -1);     /* overlong U+FFFF */
    assert_int_equal(utf8_chars("\xf0\x90\x80\x80"), 1);      /* U+10000 */
    assert_int_equal(utf8_chars("\xed\xa0\x80"), -1);         /* U+D800, a surrogate */
    assert_int_equal(utf8_chars("\xed\xbf\xbf"), -1);         /* U+DFFF */
    assert_int_equal(utf8_chars("\xed\x9f\xbf"), 1);          /* U+D7FF, just below */
    assert_int_equal(utf8_chars("\xee\x80\x80"), 1);          /* U+E000, just above */
    assert_int_equal(utf8_chars("\xf4\x8f\xbf\xbf"), 1);      /* U+10FFFF, the last */
    assert_int_equal(utf8_chars("\xf4\x90\x80\x80"), -1);     /* U+110000 */
    assert_int_equal(utf8_chars("\xf5\x80\x80\x80"), -1);
    assert_int_equal(utf8_chars("\xe2\x82"), -1);              /* truncated */
    assert_int_equal(utf8_chars("\x80"), -1);                  /* lone continuation */
    assert_int_equal(utf8_chars("a\tb"), -1);
    assert_int_equal(utf8_chars("a\nb"), -1);
    assert_int_equal(utf8_chars("a\rb"), -1);
    assert_int_equal(utf8_chars("\x01"), -1);
    assert_int_equal(utf8_chars("\x1f"), -1);
    assert_int_equal(utf8_chars("del\x7f"), -1);

    /* malformed sequences */
    assert_int_equal(utf8_chars("\x80"), -1);             /* stray continuation */
    assert_int_equal(utf8_chars("\xc3"), -1);             /* truncated at the end */
    assert_int_equal(utf8_chars("\xc3(x"), -1);           /* bad continuation */
    assert_int_equal(utf8_chars("\xe2\x82"), -1);         /* truncated 3-byte */
    assert_int_equal(utf8_chars("\xf0\x9f\x94"), -1);     /* truncated 4-byte */
    assert_int_equal(utf8_chars("\xc0\xaf"), -1);         /* overlong 2-byte */
    assert_int_equal(utf8_chars("\xc1\xbf"), -1);         /* overlong 2-byte */
    assert_int_equal(utf8_chars("\xf5\x80\x80\x80"), -1); /* lead byte beyond U+10FFFF */
    assert_int_equal(utf8_chars("\xf8\x88\x80\x80\x80"), -1); /* 5-byte form */
    assert_int_equal(utf8_chars("\xff"), -1);
}

static void dt_ok(const char *iso, const char *want)
{
    char out[20] = "unchanged";
    if (!iso_to_sql_datetime(iso, out))
        fail_msg("'%s' refused", iso);
    assert_string_equal(out, want);
}

static void dt_bad(const char *iso)
{
    char out[20];
    if (iso_to_sql_datetime(iso, out))
        fail_msg("'%s' accepted as %s", iso, out);
}

static void test_iso_to_sql_datetime(void **state)
{
    (void)state;
    dt_ok("2024-01-20", "2024-01-20 00:00:00");
    dt_ok("2024-01-20T14:30", "2024-01-20 14:30:00");
    dt_ok("2024-01-20T14:30:05", "2024-01-20 14:30:05");
    dt_ok("2024-01-20T14:30:05Z", "2024-01-20 14:30:05");
    dt_ok("2024-01-20 14:30:05Z", "2024-01-20 14:30:05"); /* space instead of T */
    dt_ok("2024-01-20T14:30:05.123Z", "2024-01-20 14:30:05");
    dt_ok("2024-01-20T14:30:05.123456789Z", "2024-01-20 14:30:05");
    /* offsets are converted to UTC, across day, month and year ends */
    dt_ok("2024-01-20T14:30:00+02:00", "2024-01-20 12:30:00");
    dt_ok("2024-01-20T14:30:00-05:30", "2024-01-20 20:00:00");
    dt_ok("2024-01-01T01:00:00+02:00", "2023-12-31 23:00:00");
    dt_ok("2023-12-31T23:00:00-01:00", "2024-01-01 00:00:00");
    dt_ok("2024-02-29T23:30:00-01:00", "2024-03-01 00:30:00");
    dt_ok("2024-01-20T00:00:00+14:00", "2024-01-19 10:00:00");
    /* calendar */
    dt_ok("2024-02-29", "2024-02-29 00:00:00"); /* leap year */
    dt_ok("2000-02-29", "2000-02-29 00:00:00"); /* divisible by 400 */
    dt_ok("1970-01-01T00:00:00Z", "1970-01-01 00:00:00");
    dt_ok("2100-12-31T23:59:59Z", "2100-12-31 23:59:59");

    dt_bad("");
    dt_bad("2024-1-20");
    dt_bad("2024/01/20");
    dt_bad("20240120");
    dt_bad("2024-01-20T");
    dt_bad("2024-01-20T14");
    dt_bad("2024-01-20T14:3");
    dt_bad("2024-01-20T14:30:5");
    dt_bad("2024-01-20T14:30:05.");       /* fraction without digits */
    dt_bad("2024-01-20T14:30:05.1234567890Z"); /* more than 9 fraction digits */
    dt_bad("2024-01-20T14:30:05X");
    dt_bad("2024-01-20T14:30:05Z ");
    dt_bad("2024-01-20T14:30:05+2:00");
    dt_bad("2024-01-20T14:30:05+0200");
    dt_bad("2024-01-20T14:30:05+15:00"); /* offset beyond ±14 h */
    dt_bad("2024-01-20T14:30:05+01:60");
    dt_bad("2024-01-20x");
    dt_bad("2024-00-10");
    dt_bad("2024-13-10");
    dt_bad("2024-01-00");
    dt_bad("2024-01-32");
    dt_bad("2024-04-31");
    dt_bad("2023-02-29"); /* not a leap year */
    dt_bad("1900-02-29"); /* divisible by 100 */
    dt_bad("1969-12-31");
    dt_bad("2101-01-01");
    dt_bad("2024-01-20T24:00:00Z");
    dt_bad("2024-01-20T23:60:00Z");
    dt_bad("2024-01-20T23:59:60Z"); /* no leap seconds */
    dt_bad("2024-01-20T14:30:05.123+02:00 and more text");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_is_uuid),
        cmocka_unit_test(test_is_email),
        cmocka_unit_test(test_utf8_chars),
        cmocka_unit_test(test_iso_to_sql_datetime),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
