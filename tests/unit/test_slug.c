/* test_slug.c — unit tests for core/identity/slug.c (org slugs from names). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "identity/slug.h"

static void expect_slug(const char *name, const char *want)
{
    char out[SLUG_MAX_BYTES];
    int n = slug_from_name(name, out, sizeof out);
    if (strcmp(out, want) != 0)
        fail_msg("slug(\"%s\") = \"%s\", want \"%s\"", name, out, want);
    int chars = 0;
    for (const unsigned char *p = (const unsigned char *)want; *p; p++)
        chars += (*p & 0xC0) != 0x80;
    assert_int_equal(n, chars);
}

static void test_ascii(void **state)
{
    (void)state;
    expect_slug("Acme Inc", "acme-inc");
    expect_slug("  Acme -- Inc!! ", "acme-inc");
    expect_slug("ACME", "acme");
    expect_slug("a_b.c/d\\e", "a-b-c-d-e");
    expect_slug("Call Center 24/7", "call-center-24-7");
    expect_slug("Joe's Pizza", "joes-pizza");
    expect_slug("'; DROP TABLE orgs; --", "drop-table-orgs");
    expect_slug("x", "x");
    expect_slug("007", "007");
}

static void test_transliteration(void **state)
{
    (void)state;
    expect_slug("Caf\xc3\xa9 Z\xc3\xbcrich & Co", "cafe-zurich-co");   /* Café Zürich */
    expect_slug("Stra\xc3\x9f" "e", "strasse");                        /* Straße */
    expect_slug("\xc3\x86on \xc5\x92uvre", "aeon-oeuvre");              /* Æon Œuvre */
    expect_slug("\xc5\x81\xc3\xb3" "d\xc5\xba", "lodz");                   /* Łódź */
    expect_slug("\xc3\x98resund \xc3\x9eing", "oresund-thing");        /* Øresund Þing */
    expect_slug("e\xcc\x81t\xc3\xa9", "ete");                           /* e + combining acute, é */
    expect_slug("Joe\xe2\x80\x99s", "joes");                            /* typographic apostrophe */
    expect_slug("5 \xc3\x97 3", "5-3");                                 /* × separates */
}

static void test_other_scripts(void **state)
{
    (void)state;
    expect_slug("\xd0\x9f\xd1\x80\xd0\xb8\xd0\xb2\xd0\xb5\xd1\x82 \xd0\x9c\xd0\xb8\xd1\x80",
                "\xd0\xbf\xd1\x80\xd0\xb8\xd0\xb2\xd0\xb5\xd1\x82-\xd0\xbc\xd0\xb8\xd1\x80"); /* Привет Мир → привет-мир */
    expect_slug("\xce\x91\xce\x98\xce\x97\xce\x9d\xce\x91", "\xce\xb1\xce\xb8\xce\xb7\xce\xbd\xce\xb1"); /* ΑΘΗΝΑ → αθηνα */
    expect_slug("\xe6\x9d\xb1\xe4\xba\xac\xe3\x80\x80\xe4\xbc\x9a\xe7\xa4\xbe",
                "\xe6\x9d\xb1\xe4\xba\xac-\xe4\xbc\x9a\xe7\xa4\xbe"); /* 東京　会社: ideographic space separates */
    expect_slug("\xf0\x9f\x9a\x80 Rocket \xf0\x9f\x9a\x80", "rocket");  /* emoji separate */
    expect_slug("a\xe2\x80\x8b" "b", "ab");                             /* zero-width space vanishes */
}

static void test_empty_and_invalid(void **state)
{
    (void)state;
    char out[SLUG_MAX_BYTES];
    assert_int_equal(slug_from_name("", out, sizeof out), 0);
    assert_string_equal(out, "");
    assert_int_equal(slug_from_name("!!! ---  ", out, sizeof out), 0);
    assert_int_equal(slug_from_name("\xf0\x9f\x9a\x80", out, sizeof out), 0);
    assert_int_equal(slug_from_name("tab\there", out, sizeof out), -1);
    assert_int_equal(slug_from_name("bad \xff utf8", out, sizeof out), -1);
    assert_int_equal(slug_from_name("overlong \xc0\xaf", out, sizeof out), -1);
    assert_int_equal(slug_from_name("surrogate \xed\xa0\x80", out, sizeof out), -1);
    assert_int_equal(slug_from_name("c1 \xc2\x85", out, sizeof out), -1);
    assert_int_equal(slug_from_name("truncated \xe6\x9d", out, sizeof out), -1);
    assert_int_equal(slug_from_name(NULL, out, sizeof out), -1);
    char tiny[4];
    assert_int_equal(slug_from_name("abcdef", tiny, sizeof tiny), -1);
}

static void test_length_bound(void **state)
{
    (void)state;
    char name[1024], out[SLUG_MAX_BYTES];
    memset(name, 'a', 300);
    name[300] = 0;
    assert_int_equal(slug_from_name(name, out, sizeof out), SLUG_MAX_CHARS);
    assert_int_equal(strlen(out), SLUG_MAX_CHARS);
    /* a separator never ends the slug, even at the bound */
    memset(name, 'b', 199);
    strcpy(name + 199, " cdef");
    int n = slug_from_name(name, out, sizeof out);
    assert_true(n <= SLUG_MAX_CHARS);
    assert_true(out[strlen(out) - 1] != '-');
    /* 200 two-byte letters → 200 characters, 200 bytes after transliteration */
    name[0] = 0;
    for (int i = 0; i < 250; i++)
        strcat(name, "\xc3\xa9");
    assert_int_equal(slug_from_name(name, out, sizeof out), SLUG_MAX_CHARS);
    /* ß → ss may cross the bound: still at most 200 */
    name[0] = 0;
    for (int i = 0; i < 150; i++)
        strcat(name, "\xc3\x9f");
    assert_int_equal(slug_from_name(name, out, sizeof out), SLUG_MAX_CHARS);
    /* Cyrillic: 200 characters of 2 bytes */
    name[0] = 0;
    for (int i = 0; i < 210; i++)
        strcat(name, "\xd0\xb4");
    assert_int_equal(slug_from_name(name, out, sizeof out), SLUG_MAX_CHARS);
    assert_int_equal(strlen(out), 2 * SLUG_MAX_CHARS);
}

static void test_same_slug_for_variants(void **state)
{
    (void)state;
    char a[SLUG_MAX_BYTES], b[SLUG_MAX_BYTES];
    const char *pairs[][2] = {{"Acme Inc", "ACME  inc."}, {"Caf\xc3\xa9", "cafe"}, {"A & B", "a-b"}};
    for (size_t i = 0; i < sizeof pairs / sizeof pairs[0]; i++) {
        slug_from_name(pairs[i][0], a, sizeof a);
        slug_from_name(pairs[i][1], b, sizeof b);
        assert_string_equal(a, b);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_ascii),
        cmocka_unit_test(test_transliteration),
        cmocka_unit_test(test_other_scripts),
        cmocka_unit_test(test_empty_and_invalid),
        cmocka_unit_test(test_length_bound),
        cmocka_unit_test(test_same_slug_for_variants),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
