/* test_api_key_secret.c — unit tests for core/identity/api_key_secret.c (org API keys). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <sodium.h>
#include <stdlib.h>
#include <string.h>

#include "identity/api_key_secret.h"

#define NKEYS 1000

static bool is_b64url(char c)
{
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
           c == '-' || c == '_';
}

static void test_format(void **state)
{
    (void)state;
    char key[APIKEY_LEN + 1], prefix[16], hash[65], again[65];

    assert_int_equal(apikey_generate(key, prefix, hash), 0);
    assert_int_equal(strlen(key), APIKEY_LEN);
    assert_int_equal(strncmp(key, "vs_live_", 8), 0);
    for (size_t i = 8; i < APIKEY_LEN; i++) assert_true(is_b64url(key[i]));
    assert_int_equal(strlen(prefix), 12);
    assert_int_equal(strncmp(prefix, key, 12), 0);
    assert_int_equal(strlen(hash), 64);
    apikey_hash(key, again);
    assert_string_equal(hash, again);
    assert_true(apikey_is_well_formed(key));

    /* the body decodes to exactly 32 bytes */
    unsigned char bin[40];
    size_t binlen = 0;
    assert_int_equal(sodium_base642bin(bin, sizeof bin, key + 8, 43, NULL, &binlen, NULL,
                                       sodium_base64_VARIANT_URLSAFE_NO_PADDING), 0);
    assert_int_equal(binlen, 32);

    assert_int_equal(apikey_generate(NULL, prefix, hash), -1);
    assert_int_equal(apikey_generate(key, NULL, hash), -1);
    assert_int_equal(apikey_generate(key, prefix, NULL), -1);
}

static int cmp_key(const void *a, const void *b)
{
    return strcmp((const char *)a, (const char *)b);
}

static void test_uniqueness(void **state)
{
    (void)state;
    char (*keys)[APIKEY_LEN + 1] = calloc(NKEYS, sizeof *keys);
    char (*hashes)[65] = calloc(NKEYS, sizeof *hashes);
    char prefix[16];
    assert_non_null(keys);
    assert_non_null(hashes);

    for (int i = 0; i < NKEYS; i++) {
        assert_int_equal(apikey_generate(keys[i], prefix, hashes[i]), 0);
        assert_true(apikey_is_well_formed(keys[i]));
    }
    qsort(keys, NKEYS, sizeof *keys, cmp_key);
    qsort(hashes, NKEYS, sizeof *hashes, cmp_key);
    for (int i = 1; i < NKEYS; i++) {
        assert_string_not_equal(keys[i - 1], keys[i]);
        assert_string_not_equal(hashes[i - 1], hashes[i]);
    }
    free(keys);
    free(hashes);
}

static void test_hash(void **state)
{
    (void)state;
    char h[65];

    /* SHA-256 known answers */
    apikey_hash("", h);
    assert_string_equal(h, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    apikey_hash("abc", h);
    assert_string_equal(h, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    apikey_hash(NULL, h);
    assert_string_equal(h, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");

    /* stable, lowercase hex */
    const char *k = "vs_live_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";
    char h2[65];
    apikey_hash(k, h);
    apikey_hash(k, h2);
    assert_string_equal(h, h2);
    assert_int_equal(strlen(h), 64);
    for (int i = 0; i < 64; i++)
        assert_true((h[i] >= '0' && h[i] <= '9') || (h[i] >= 'a' && h[i] <= 'f'));
}

static void test_well_formed_rejects(void **state)
{
    (void)state;
    char key[APIKEY_LEN + 1], prefix[16], hash[65], bad[APIKEY_LEN + 8];

    assert_int_equal(apikey_generate(key, prefix, hash), 0);
    assert_true(apikey_is_well_formed(key));
    assert_true(apikey_is_well_formed("vs_live_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"));
    assert_true(apikey_is_well_formed("vs_live_-_-_-_-_-_-_-_-_-_-_-_-_-_-_-_-_-_-_-_-_-_E"));

    assert_false(apikey_is_well_formed(NULL));
    assert_false(apikey_is_well_formed(""));
    assert_false(apikey_is_well_formed("vs_live_"));

    /* too short / too long */
    memcpy(bad, key, APIKEY_LEN - 1); bad[APIKEY_LEN - 1] = '\0';
    assert_false(apikey_is_well_formed(bad));
    memcpy(bad, key, APIKEY_LEN); bad[APIKEY_LEN] = 'A'; bad[APIKEY_LEN + 1] = '\0';
    assert_false(apikey_is_well_formed(bad));

    /* wrong prefix */
    memcpy(bad, key, APIKEY_LEN + 1); memcpy(bad, "vs_test_", 8);
    assert_false(apikey_is_well_formed(bad));
    memcpy(bad, key, APIKEY_LEN + 1); bad[0] = 'V';
    assert_false(apikey_is_well_formed(bad));

    /* bad charset anywhere in the body */
    const char badchars[] = "+/= .\n\x80!";
    for (size_t c = 0; c < sizeof badchars - 1; c++) {
        for (size_t i = 8; i < APIKEY_LEN; i += 7) {
            memcpy(bad, key, APIKEY_LEN + 1);
            bad[i] = badchars[c];
            assert_false(apikey_is_well_formed(bad));
        }
    }
    /* non-canonical last char (unused low bits set): 'B' = 1 */
    memcpy(bad, "vs_live_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAB", APIKEY_LEN + 1);
    assert_false(apikey_is_well_formed(bad));
    /* embedded NUL shortens it */
    memcpy(bad, key, APIKEY_LEN + 1); bad[30] = '\0';
    assert_false(apikey_is_well_formed(bad));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_format),
        cmocka_unit_test(test_uniqueness),
        cmocka_unit_test(test_hash),
        cmocka_unit_test(test_well_formed_rejects),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
