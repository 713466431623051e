/* test_password.c — unit tests for core/identity/password.c (argon2id, policy). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <sodium.h>
#include <string.h>
#include <time.h>

#include "identity/password.h"

static int fast_cost(void **state)
{
    (void)state;
    password_set_cost(crypto_pwhash_OPSLIMIT_MIN, crypto_pwhash_MEMLIMIT_MIN);
    return 0;
}

static void test_hash_verify(void **state)
{
    (void)state;
    char h1[PASSWORD_HASH_SIZE], h2[PASSWORD_HASH_SIZE];

    assert_int_equal(password_hash("correct horse battery", h1), 0);
    assert_true(strncmp(h1, "$argon2id$", 10) == 0);
    assert_true(strlen(h1) < PASSWORD_HASH_SIZE);
    assert_true(password_verify(h1, "correct horse battery"));

    /* salted: same password, different hash, both verify */
    assert_int_equal(password_hash("correct horse battery", h2), 0);
    assert_string_not_equal(h1, h2);
    assert_true(password_verify(h2, "correct horse battery"));

    /* unicode */
    assert_int_equal(password_hash("p\xc3\xa4ssw\xc3\xb6rd \xf0\x9f\x94\x91", h1), 0);
    assert_true(password_verify(h1, "p\xc3\xa4ssw\xc3\xb6rd \xf0\x9f\x94\x91"));
}

static void test_wrong_password(void **state)
{
    (void)state;
    char h[PASSWORD_HASH_SIZE];

    assert_int_equal(password_hash("correct horse battery", h), 0);
    assert_false(password_verify(h, "correct horse batterY"));
    assert_false(password_verify(h, "correct horse battery "));
    assert_false(password_verify(h, "correct horse batter"));
    assert_false(password_verify(h, ""));
    assert_false(password_verify(h, NULL));
    assert_false(password_verify(NULL, "correct horse battery"));
}

static void test_tampered_hash(void **state)
{
    (void)state;
    char h[PASSWORD_HASH_SIZE], t[PASSWORD_HASH_SIZE];
    size_t n;

    assert_int_equal(password_hash("correct horse battery", h), 0);
    n = strlen(h);

    /* flip each character of the salt/hash part (after the last '$' but one) */
    const char *salt = strrchr(h, '$');
    while (salt > h && salt[-1] != '$') salt--;
    for (size_t i = (size_t)(salt - h); i < n; i++) {
        if (h[i] == '$') continue;
        memcpy(t, h, sizeof t);
        t[i] = t[i] == 'A' ? 'B' : 'A';
        assert_false(password_verify(t, "correct horse battery"));
    }
    /* parameters, algorithm, truncation, garbage */
    memcpy(t, h, sizeof t);
    t[n - 1] = '\0';
    assert_false(password_verify(t, "correct horse battery"));
    memcpy(t, h, sizeof t);
    memcpy(t, "$argon2i$", 9); /* shifts the whole string: unparsable */
    assert_false(password_verify(t, "correct horse battery"));
    assert_false(password_verify("", "correct horse battery"));
    assert_false(password_verify("$argon2id$", "correct horse battery"));
    assert_false(password_verify("plaintext", "plaintext"));

    /* unterminated within 128 bytes */
    char big[PASSWORD_HASH_SIZE + 16];
    memset(big, 'a', sizeof big - 1);
    big[sizeof big - 1] = '\0';
    assert_false(password_verify(big, "correct horse battery"));
}

static void test_acceptable(void **state)
{
    (void)state;
    char buf[300];

    assert_false(password_is_acceptable(NULL));
    assert_false(password_is_acceptable(""));
    assert_false(password_is_acceptable("1234567"));
    assert_true(password_is_acceptable("12345678"));

    memset(buf, 'a', 256); buf[256] = '\0';
    assert_true(password_is_acceptable(buf));
    buf[256] = 'a'; buf[257] = '\0';
    assert_false(password_is_acceptable(buf));

    /* bytes, not code points: 4 x 2-byte chars = 8 bytes */
    assert_true(password_is_acceptable("\xc3\xa4\xc3\xa4\xc3\xa4\xc3\xa4"));
    assert_true(password_is_acceptable("emoji \xf0\x9f\x94\x91!"));
    assert_true(password_is_acceptable("max cp \xf4\x8f\xbf\xbf"));

    /* invalid UTF-8 */
    assert_false(password_is_acceptable("abcdefg\xff"));          /* invalid byte */
    assert_false(password_is_acceptable("abcdefg\x80"));          /* stray continuation */
    assert_false(password_is_acceptable("abcdefg\xc3"));          /* truncated */
    assert_false(password_is_acceptable("abcdef\xe2\x82"));       /* truncated 3-byte */
    assert_false(password_is_acceptable("abcdefg\xc0\xaf"));      /* overlong '/' */
    assert_false(password_is_acceptable("abcdefg\xe0\x80\xaf"));  /* overlong 3-byte */
    assert_false(password_is_acceptable("abcdefg\xed\xa0\x80"));  /* surrogate */
    assert_false(password_is_acceptable("abcdefg\xf4\x90\x80\x80")); /* > U+10FFFF */
    assert_false(password_is_acceptable("abcdefg\xf8\x88\x80\x80\x80")); /* 5-byte */
    assert_false(password_is_acceptable("abc\xc3(defgh"));       /* bad continuation */

    /* hashing enforces the same policy */
    char h[PASSWORD_HASH_SIZE];
    assert_int_equal(password_hash("short", h), -1);
    assert_string_equal(h, "");
    assert_int_equal(password_hash("abcdefg\xff", h), -1);
    assert_int_equal(password_hash(NULL, h), -1);
    assert_int_equal(password_hash(buf, h), -1);
}

static void test_too_long_never_verifies(void **state)
{
    (void)state;
    char h[PASSWORD_HASH_SIZE], buf[400];
    memset(buf, 'b', 256); buf[256] = '\0';
    assert_int_equal(password_hash(buf, h), 0);
    assert_true(password_verify(h, buf));
    memset(buf, 'b', 399); buf[399] = '\0';
    assert_false(password_verify(h, buf));
}

static double elapsed(struct timespec a, struct timespec b)
{
    return (double)(b.tv_sec - a.tv_sec) + (double)(b.tv_nsec - a.tv_nsec) / 1e9;
}

static void test_dummy_verify(void **state)
{
    (void)state;
    char h[PASSWORD_HASH_SIZE];
    struct timespec t0, t1, t2;
    double real = 1e9, dummy = 1e9;

    assert_false(password_dummy_verify("anything at all"));
    assert_false(password_dummy_verify(NULL));
    assert_false(password_dummy_verify(""));

    /* At a measurable cost the dummy does comparable work. */
    password_set_cost(crypto_pwhash_OPSLIMIT_MIN, 8u * 1024u * 1024u);
    assert_int_equal(password_hash("correct horse battery", h), 0);
    assert_false(password_dummy_verify("warm up the cache"));
    for (int i = 0; i < 3; i++) {
        clock_gettime(CLOCK_MONOTONIC, &t0);
        assert_false(password_verify(h, "wrong password!"));
        clock_gettime(CLOCK_MONOTONIC, &t1);
        assert_false(password_dummy_verify("wrong password!"));
        clock_gettime(CLOCK_MONOTONIC, &t2);
        if (elapsed(t0, t1) < real) real = elapsed(t0, t1);
        if (elapsed(t1, t2) < dummy) dummy = elapsed(t1, t2);
    }
    print_message("verify %.2f ms, dummy %.2f ms\n", real * 1e3, dummy * 1e3);
    assert_true(dummy > real / 3.0 && dummy < real * 3.0); /* generous: CI noise */
    fast_cost(NULL);
}

static void test_cost_clamped(void **state)
{
    (void)state;
    char h[PASSWORD_HASH_SIZE];
    password_set_cost(0, 0); /* clamped to the minimums */
    assert_int_equal(password_hash("correct horse battery", h), 0);
    assert_true(password_verify(h, "correct horse battery"));
    assert_true(password_dummy_verify("x") == false);
    fast_cost(NULL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_hash_verify),
        cmocka_unit_test(test_wrong_password),
        cmocka_unit_test(test_tampered_hash),
        cmocka_unit_test(test_acceptable),
        cmocka_unit_test(test_too_long_never_verifies),
        cmocka_unit_test(test_dummy_verify),
        cmocka_unit_test(test_cost_clamped),
    };
    return cmocka_run_group_tests(tests, fast_cost, NULL);
}
