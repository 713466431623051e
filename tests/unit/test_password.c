/* test_password.c — unit tests for core/identity/password.c (argon2id, policy). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <sodium.h>
#include <stdio.h>
#include <string.h>

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

/* Every argon2 verify of password.c goes through libsodium's
 * crypto_pwhash_str_verify; the test binary is linked with
 * -Wl,--wrap=crypto_pwhash_str_verify (Makefile), so each call lands here
 * first: what was verified, against which hash, is recorded. */
int __real_crypto_pwhash_str_verify(const char *str, const char *passwd, unsigned long long passwdlen);
int __wrap_crypto_pwhash_str_verify(const char *str, const char *passwd, unsigned long long passwdlen);

static int verify_calls;
static char verify_hash[PASSWORD_HASH_SIZE];
static unsigned long long verify_len;

int __wrap_crypto_pwhash_str_verify(const char *str, const char *passwd, unsigned long long passwdlen)
{
    verify_calls++;
    snprintf(verify_hash, sizeof verify_hash, "%s", str);
    verify_len = passwdlen;
    return __real_crypto_pwhash_str_verify(str, passwd, passwdlen);
}

/* "$argon2id$v=19$m=8192,t=1,p=1$" of a hash: algorithm, version and cost. */
static void cost_prefix(const char *hash, char out[64])
{
    const char *p = hash;
    for (int dollars = 0; *p && dollars < 4; p++)
        if (*p == '$')
            dollars++;
    assert_true(p - hash < 64);
    memcpy(out, hash, (size_t)(p - hash));
    out[p - hash] = 0;
}

/* The dummy verify (an e-mail without an account) does the work of a real
 * one: the same libsodium verify, once, with the password as given, against
 * an argon2id hash made with the current cost. No clocks involved. */
static void test_dummy_verify_same_work(void **state)
{
    (void)state;
    char h[PASSWORD_HASH_SIZE], real_cost[64], dummy_cost[64], dummy1[PASSWORD_HASH_SIZE];
    const unsigned long long ops = crypto_pwhash_OPSLIMIT_MIN + 1;
    const size_t mem = 2 * crypto_pwhash_MEMLIMIT_MIN;

    password_set_cost(ops, mem);
    assert_int_equal(password_hash("correct horse battery", h), 0);
    cost_prefix(h, real_cost);
    assert_true(strncmp(real_cost, "$argon2id$", 10) == 0);
    assert_int_equal(crypto_pwhash_str_needs_rehash(h, ops, mem), 0);

    verify_calls = 0;
    assert_false(password_verify(h, "wrong password!"));
    assert_int_equal(verify_calls, 1);
    assert_string_equal(verify_hash, h);
    assert_int_equal(verify_len, 15);

    verify_calls = 0;
    assert_false(password_dummy_verify("wrong password!"));
    assert_int_equal(verify_calls, 1);
    assert_int_equal(verify_len, 15);
    assert_string_not_equal(verify_hash, h);
    cost_prefix(verify_hash, dummy_cost);
    assert_string_equal(dummy_cost, real_cost);
    assert_int_equal(crypto_pwhash_str_needs_rehash(verify_hash, ops, mem), 0);
    snprintf(dummy1, sizeof dummy1, "%s", verify_hash);

    /* the dummy hash is kept while the cost stays */
    verify_calls = 0;
    assert_false(password_dummy_verify("another one"));
    assert_int_equal(verify_calls, 1);
    assert_int_equal(verify_len, 11);
    assert_string_equal(verify_hash, dummy1);

    /* a cost change is followed: real and dummy hashes move together */
    const unsigned long long ops2 = crypto_pwhash_OPSLIMIT_MIN + 2;
    password_set_cost(ops2, mem);
    assert_int_equal(password_hash("correct horse battery", h), 0);
    cost_prefix(h, real_cost);
    verify_calls = 0;
    assert_false(password_dummy_verify("wrong password!"));
    assert_int_equal(verify_calls, 1);
    cost_prefix(verify_hash, dummy_cost);
    assert_string_equal(dummy_cost, real_cost);
    assert_int_equal(crypto_pwhash_str_needs_rehash(verify_hash, ops2, mem), 0);
    assert_int_not_equal(crypto_pwhash_str_needs_rehash(verify_hash, ops, mem), 0);

    /* always false, whatever is given; no password verifies as the empty one */
    verify_calls = 0;
    assert_false(password_dummy_verify(NULL));
    assert_int_equal(verify_len, 0);
    assert_false(password_dummy_verify(""));
    assert_int_equal(verify_len, 0);
    assert_false(password_dummy_verify("anything at all"));
    assert_int_equal(verify_calls, 3);
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
        cmocka_unit_test(test_dummy_verify_same_work),
        cmocka_unit_test(test_cost_clamped),
    };
    return cmocka_run_group_tests(tests, fast_cost, NULL);
}
