/* test_secretbox.c — unit tests for core/platform/secretbox.c (secrets at rest,
 * constant-time compare, random tokens). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <sodium.h>
#include <stdlib.h>
#include <string.h>

#include "platform/secretbox.h"

static const char KEY_HEX[] =
    "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f";

static void load_key(unsigned char key[32])
{
    assert_int_equal(secret_key_from_hex(KEY_HEX, key), 0);
}

static void test_round_trip(void **state)
{
    (void)state;
    unsigned char key[32];
    char *enc = NULL, *enc2 = NULL, *dec = NULL;
    size_t len = 0;
    const char *msg = "twilio-auth-token-0123456789";

    load_key(key);
    assert_int_equal(secret_encrypt(key, msg, strlen(msg), &enc), 0);
    assert_non_null(enc);
    assert_int_equal(strncmp(enc, "v1:", 3), 0);
    assert_null(strstr(enc, msg));
    assert_int_equal(secret_decrypt(key, enc, &dec, &len), 0);
    assert_int_equal(len, strlen(msg));
    assert_string_equal(dec, msg);
    free(dec);

    /* random nonce: same input encrypts differently */
    assert_int_equal(secret_encrypt(key, msg, strlen(msg), &enc2), 0);
    assert_string_not_equal(enc, enc2);
    free(enc2);

    /* out_len is optional */
    assert_int_equal(secret_decrypt(key, enc, &dec, NULL), 0);
    assert_string_equal(dec, msg);
    free(dec);
    free(enc);

    /* binary with embedded NULs, and the 64 KiB maximum */
    unsigned char *big = malloc(SECRET_MAX_PLAIN);
    assert_non_null(big);
    randombytes_buf(big, SECRET_MAX_PLAIN);
    big[5] = 0;
    assert_int_equal(secret_encrypt(key, big, SECRET_MAX_PLAIN, &enc), 0);
    assert_int_equal(secret_decrypt(key, enc, &dec, &len), 0);
    assert_int_equal(len, SECRET_MAX_PLAIN);
    assert_memory_equal(dec, big, SECRET_MAX_PLAIN);
    assert_int_equal(dec[len], '\0');
    free(dec);
    free(enc);

    /* one byte over */
    enc = (char *)1;
    unsigned char *over = calloc(1, SECRET_MAX_PLAIN + 1);
    assert_non_null(over);
    assert_int_equal(secret_encrypt(key, over, SECRET_MAX_PLAIN + 1, &enc), -1);
    assert_null(enc);
    free(over);
    free(big);
}

static void test_empty_plaintext(void **state)
{
    (void)state;
    unsigned char key[32];
    char *enc = NULL, *dec = NULL;
    size_t len = 99;

    load_key(key);
    assert_int_equal(secret_encrypt(key, "", 0, &enc), 0);
    assert_int_equal(secret_decrypt(key, enc, &dec, &len), 0);
    assert_int_equal(len, 0);
    assert_string_equal(dec, "");
    free(dec);
    free(enc);

    assert_int_equal(secret_encrypt(key, NULL, 0, &enc), 0);
    assert_int_equal(secret_decrypt(key, enc, &dec, &len), 0);
    assert_int_equal(len, 0);
    free(dec);
    free(enc);

    assert_int_equal(secret_encrypt(key, NULL, 1, &enc), -1);
    assert_int_equal(secret_encrypt(key, "x", 1, NULL), -1);
}

static void test_tamper(void **state)
{
    (void)state;
    unsigned char key[32], bin[256];
    char *enc = NULL, *dec = (char *)1, forged[512];
    size_t binlen = 0, len = 7;
    const char *msg = "smtp-password";

    load_key(key);
    assert_int_equal(secret_encrypt(key, msg, strlen(msg), &enc), 0);
    assert_int_equal(sodium_base642bin(bin, sizeof bin, enc + 3, strlen(enc + 3), NULL,
                                       &binlen, NULL, sodium_base64_VARIANT_ORIGINAL), 0);
    assert_int_equal(binlen, 24 + 16 + strlen(msg));

    /* flip one byte (every position: nonce, MAC, ciphertext) */
    for (size_t i = 0; i < binlen; i++) {
        bin[i] ^= 0x01;
        memcpy(forged, "v1:", 3);
        sodium_bin2base64(forged + 3, sizeof forged - 3, bin, binlen,
                          sodium_base64_VARIANT_ORIGINAL);
        dec = (char *)1;
        assert_int_equal(secret_decrypt(key, forged, &dec, &len), -1);
        assert_null(dec);
        assert_int_equal(len, 0);
        bin[i] ^= 0x01;
    }
    /* truncated / extended ciphertext */
    memcpy(forged, "v1:", 3);
    sodium_bin2base64(forged + 3, sizeof forged - 3, bin, binlen - 1,
                      sodium_base64_VARIANT_ORIGINAL);
    assert_int_equal(secret_decrypt(key, forged, &dec, &len), -1);
    bin[binlen] = 0;
    sodium_bin2base64(forged + 3, sizeof forged - 3, bin, binlen + 1,
                      sodium_base64_VARIANT_ORIGINAL);
    assert_int_equal(secret_decrypt(key, forged, &dec, &len), -1);

    /* wrong key */
    unsigned char other[32];
    memcpy(other, key, 32);
    other[31] ^= 0x80;
    assert_int_equal(secret_decrypt(other, enc, &dec, &len), -1);
    assert_null(dec);
    assert_int_equal(secret_decrypt(key, enc, &dec, &len), 0);
    free(dec);
    free(enc);
}

static void test_bad_format(void **state)
{
    (void)state;
    unsigned char key[32];
    char *enc = NULL, *dec = NULL, buf[512];
    size_t len;

    load_key(key);
    assert_int_equal(secret_encrypt(key, "hello!", 6, &enc), 0);

    assert_int_equal(secret_decrypt(key, NULL, &dec, &len), -1);
    assert_int_equal(secret_decrypt(key, enc, NULL, &len), -1);
    assert_int_equal(secret_decrypt(key, "", &dec, &len), -1);
    assert_int_equal(secret_decrypt(key, "v1", &dec, &len), -1);
    assert_int_equal(secret_decrypt(key, "v1:", &dec, &len), -1);
    assert_int_equal(secret_decrypt(key, "v1:AAAA", &dec, &len), -1); /* too short */
    /* wrong / missing version prefix */
    snprintf(buf, sizeof buf, "v2:%s", enc + 3);
    assert_int_equal(secret_decrypt(key, buf, &dec, &len), -1);
    snprintf(buf, sizeof buf, "V1:%s", enc + 3);
    assert_int_equal(secret_decrypt(key, buf, &dec, &len), -1);
    assert_int_equal(secret_decrypt(key, enc + 3, &dec, &len), -1);
    /* base64 damage: bad char, stray whitespace, trailing junk, missing padding */
    snprintf(buf, sizeof buf, "%s", enc); buf[10] = '*';
    assert_int_equal(secret_decrypt(key, buf, &dec, &len), -1);
    snprintf(buf, sizeof buf, "%s ", enc);
    assert_int_equal(secret_decrypt(key, buf, &dec, &len), -1);
    snprintf(buf, sizeof buf, "%s==", enc);
    assert_int_equal(secret_decrypt(key, buf, &dec, &len), -1);
    snprintf(buf, sizeof buf, "%s", enc);
    assert_non_null(strchr(buf, '=')); /* 46 bytes → padded */
    *strchr(buf, '=') = '\0';
    assert_int_equal(secret_decrypt(key, buf, &dec, &len), -1);
    assert_null(dec);

    /* oversize input is refused before decoding */
    size_t n = 200000;
    char *huge = malloc(n + 1);
    assert_non_null(huge);
    memcpy(huge, "v1:", 3);
    memset(huge + 3, 'A', n - 3);
    huge[n] = '\0';
    assert_int_equal(secret_decrypt(key, huge, &dec, &len), -1);
    free(huge);
    free(enc);
}

static void test_key_from_hex(void **state)
{
    (void)state;
    unsigned char key[32], zero[32] = {0};
    char hex[80];

    assert_int_equal(secret_key_from_hex(KEY_HEX, key), 0);
    for (int i = 0; i < 32; i++) assert_int_equal(key[i], i);

    /* upper case is fine */
    assert_int_equal(secret_key_from_hex(
        "000102030405060708090A0B0C0D0E0F101112131415161718191A1B1C1D1E1F", key), 0);
    assert_int_equal(key[10], 10);

    assert_int_equal(secret_key_from_hex(NULL, key), -1);
    assert_memory_equal(key, zero, 32); /* zeroed on failure */
    assert_int_equal(secret_key_from_hex("", key), -1);
    memcpy(hex, KEY_HEX, 63); hex[63] = '\0';
    assert_int_equal(secret_key_from_hex(hex, key), -1);
    memcpy(hex, KEY_HEX, 64); hex[64] = '0'; hex[65] = '\0';
    assert_int_equal(secret_key_from_hex(hex, key), -1);
    memcpy(hex, KEY_HEX, 65); hex[7] = 'g';
    assert_int_equal(secret_key_from_hex(hex, key), -1);
    memcpy(hex, KEY_HEX, 65); hex[63] = ' ';
    assert_int_equal(secret_key_from_hex(hex, key), -1);
    memcpy(hex, KEY_HEX, 65); hex[0] = ':';
    assert_int_equal(secret_key_from_hex(hex, key), -1);
    assert_int_equal(secret_key_from_hex(KEY_HEX, NULL), -1);
}

static void test_ct_equal_str(void **state)
{
    (void)state;
    assert_true(ct_equal_str("", ""));
    assert_true(ct_equal_str("abc", "abc"));
    assert_false(ct_equal_str("abc", "abd"));
    assert_false(ct_equal_str("abc", "ab"));
    assert_false(ct_equal_str("ab", "abc"));
    assert_false(ct_equal_str("abc", ""));
    assert_false(ct_equal_str("Abc", "abc"));
    assert_false(ct_equal_str(NULL, "abc"));
    assert_false(ct_equal_str("abc", NULL));
    assert_false(ct_equal_str(NULL, NULL));
    char a[100], b[100];
    memset(a, 'x', 99); a[99] = '\0';
    memcpy(b, a, 100);
    assert_true(ct_equal_str(a, b));
    b[98] = 'y';
    assert_false(ct_equal_str(a, b));
}

static void test_random_token(void **state)
{
    (void)state;
    char a[sodium_base64_ENCODED_LEN(32, sodium_base64_VARIANT_URLSAFE_NO_PADDING)];
    char b[sizeof a];
    char small[sodium_base64_ENCODED_LEN(1, sodium_base64_VARIANT_URLSAFE_NO_PADDING)];
    char zero[sodium_base64_ENCODED_LEN(0, sodium_base64_VARIANT_URLSAFE_NO_PADDING)];

    random_token_b64url(a, 32);
    random_token_b64url(b, 32);
    assert_int_equal(strlen(a), 43);
    assert_string_not_equal(a, b);
    for (size_t i = 0; i < strlen(a); i++)
        assert_non_null(strchr("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_",
                               a[i]));
    random_token_b64url(small, 1);
    assert_int_equal(strlen(small), 2);
    random_token_b64url(zero, 0);
    assert_string_equal(zero, "");

    char *max = malloc(sodium_base64_ENCODED_LEN(RANDOM_TOKEN_MAX_BYTES,
                                                 sodium_base64_VARIANT_URLSAFE_NO_PADDING));
    assert_non_null(max);
    random_token_b64url(max, RANDOM_TOKEN_MAX_BYTES);
    assert_int_equal(strlen(max), (RANDOM_TOKEN_MAX_BYTES * 4 + 2) / 3);
    free(max);
    random_token_b64url(NULL, 32); /* no-op */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_round_trip),
        cmocka_unit_test(test_empty_plaintext),
        cmocka_unit_test(test_tamper),
        cmocka_unit_test(test_bad_format),
        cmocka_unit_test(test_key_from_hex),
        cmocka_unit_test(test_ct_equal_str),
        cmocka_unit_test(test_random_token),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
