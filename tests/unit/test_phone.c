/* test_phone.c — unit tests for core/platform/phone.c (strict E.164 normalisation
 * and the lenient canonical form of numbers from MightyCall). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "platform/phone.h"

static void ok(const char *in, const char *want)
{
    char out[PHONE_E164_MAX + 1];
    phone_status st = phone_normalize(in, out);
    if (st != PHONE_OK)
        fail_msg("'%s' refused: %s", in, phone_status_reason(st));
    assert_string_equal(out, want);
    assert_true(phone_is_e164(out));
    /* the canonical form of an accepted number is the same, from the input
     * and from the result */
    char canon[PHONE_CANONICAL_LEN];
    phone_canonical(in, canon, sizeof canon);
    assert_string_equal(canon, want);
    phone_canonical(out, canon, sizeof canon);
    assert_string_equal(canon, want);
}

static void bad(const char *in, phone_status want)
{
    char out[PHONE_E164_MAX + 1] = "x";
    phone_status st = phone_normalize(in, out);
    if (st != want)
        fail_msg("'%s': got %d (%s), want %d", in ? in : "(null)", st, phone_status_reason(st), want);
    assert_string_equal(out, "");
}

static void test_e164_passthrough(void **state)
{
    (void)state;
    ok("+12125551234", "+12125551234");
    ok("+442071234567", "+442071234567");
    ok("+4930123456", "+4930123456");
    ok("+2901234", "+2901234");              /* 7 digits: Saint Helena */
    ok("+861012345678901", "+861012345678901"); /* 15 digits */
}

static void test_formatting_is_stripped(void **state)
{
    (void)state;
    ok("(202) 868-1663", "+12028681663");
    ok("202.868.1663", "+12028681663");
    ok("202/868-1663", "+12028681663");
    ok("  +1 (888) 656-7627", "+18886567627");
    ok("1-800-555-0199", "+18005550199");
    ok("12028681663", "+12028681663");
    ok("+44 20 7123 4567", "+442071234567");
}

static void test_international_prefixes(void **state)
{
    (void)state;
    ok("0044 20 7123 4567", "+442071234567");
    ok("011 44 20 7123 4567", "+442071234567");
    ok("00 1 212 555 1234", "+12125551234");
}

static void test_refusals(void **state)
{
    (void)state;
    bad(NULL, PHONE_EMPTY);
    bad("", PHONE_EMPTY);
    bad("   ", PHONE_EMPTY);
    bad("()-", PHONE_EMPTY);
    bad("+1 212 555 1234 x12", PHONE_BAD_CHAR);
    bad("1-800-FLOWERS", PHONE_BAD_CHAR);
    bad("+1+2125551234", PHONE_BAD_CHAR);
    bad("212\n5551234", PHONE_BAD_CHAR);
    bad("+12345", PHONE_TOO_SHORT);
    bad("101", PHONE_TOO_SHORT);
    bad("5551234", PHONE_NO_COUNTRY);        /* 7-digit local number */
    bad("020 7123 4567", PHONE_NO_COUNTRY);  /* national UK number */
    bad("+1234567890123456", PHONE_TOO_LONG);
    bad("+0441234567", PHONE_BAD_COUNTRY);
    bad("+1212555123", PHONE_BAD_NANP);      /* 9 digits after +1 */
    bad("+11125551234", PHONE_BAD_NANP);     /* area code 1xx */
    bad("+12121551234", PHONE_BAD_NANP);     /* exchange 1xx */
    bad("+121255512345", PHONE_BAD_NANP);
    bad("1234567890123456789012345678901234567890123", PHONE_TOO_LONG);
}

static void canonical(const char *in, const char *want)
{
    char out[PHONE_CANONICAL_LEN] = "x";
    phone_canonical(in, out, sizeof out);
    if (strcmp(out, want) != 0)
        fail_msg("'%s': canonical '%s', want '%s'", in ? in : "(null)", out, want);
}

static void test_canonical_lenient(void **state)
{
    (void)state;
    /* what phone_normalize() refuses still gets a stable form */
    canonical(NULL, "");
    canonical("", "");
    canonical("anonymous", "");
    canonical("101", "101");                        /* extension */
    canonical("ext. 2034", "2034");
    canonical("611", "611");                        /* short code */
    canonical("+12345", "+12345");                  /* "+" kept, too short for E.164 */
    canonical("5551234", "+5551234");               /* 7 digits, no country code */
    canonical("020 7123 4567", "+02071234567");
    canonical("0123456789", "+10123456789");        /* 10 digits: +1 assumed */
    canonical("(112) 555-1234", "+11125551234");    /* area code 1xx kept */
    canonical("+1 212 555 1234 x12", "+1212555123412"); /* extension digits kept */
    canonical("1-800-FLOWERS", "1800");
    canonical("tel:+1 (212) 555-1234", "+12125551234");
    canonical("+1234567890123456", "+1234567890123456"); /* beyond 15 digits */
    canonical("123456789012345678901234567890", "+12345678901234567890123"); /* 23 digits at most */
    /* accepted by phone_normalize(): its result, e.g. international prefixes */
    canonical("0044 20 7123 4567", "+442071234567");
    canonical("011 44 20 7123 4567", "+442071234567");
    canonical("(212) 555-1234", "+12125551234");
    canonical("12125551234", "+12125551234");
}

static void test_canonical_small_buffer(void **state)
{
    (void)state;
    char out[6] = "#####";
    phone_canonical("+12125551234", out, sizeof out);
    assert_string_equal(out, "+1212");
    phone_canonical("101", out, 0); /* nothing written */
    assert_string_equal(out, "+1212");
}

static void test_is_e164(void **state)
{
    (void)state;
    assert_true(phone_is_e164("+12125551234"));
    assert_false(phone_is_e164("12125551234"));
    assert_false(phone_is_e164("+1 212 555 1234"));
    assert_false(phone_is_e164(NULL));
    assert_false(phone_is_e164(""));
}

static void test_reasons(void **state)
{
    (void)state;
    for (int s = PHONE_OK; s <= PHONE_BAD_NANP; s++)
        assert_true(strlen(phone_status_reason((phone_status)s)) > 1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_e164_passthrough),  cmocka_unit_test(test_formatting_is_stripped),
        cmocka_unit_test(test_international_prefixes), cmocka_unit_test(test_refusals),
        cmocka_unit_test(test_is_e164),           cmocka_unit_test(test_reasons),
        cmocka_unit_test(test_canonical_lenient), cmocka_unit_test(test_canonical_small_buffer),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
