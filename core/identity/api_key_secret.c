/* api_key_secret.c — organisation API keys: generate, hash for storage, check format
 * (see api_key_secret.h). */
#include "identity/api_key_secret.h"

#include <sodium.h>
#include <stdlib.h>
#include <string.h>

#define APIKEY_RANDOM_BYTES 32
#define APIKEY_BODY_LEN 43 /* base64url, no padding, of 32 bytes */
#define APIKEY_HASH_MAX_INPUT 1024
#define B64URL sodium_base64_VARIANT_URLSAFE_NO_PADDING

_Static_assert(sizeof APIKEY_PREFIX - 1 + APIKEY_BODY_LEN == APIKEY_LEN, "key layout");
_Static_assert(sodium_base64_ENCODED_LEN(APIKEY_RANDOM_BYTES, B64URL) == APIKEY_BODY_LEN + 1,
               "body length");

void apikey_hash(const char *key, char hash_hex[65])
{
    unsigned char h[crypto_hash_sha256_BYTES];
    size_t n = key ? strnlen(key, APIKEY_HASH_MAX_INPUT) : 0;

    if (sodium_init() < 0) abort(); /* libsodium unusable: nothing safe to do */
    crypto_hash_sha256(h, (const unsigned char *)(key ? key : ""), n);
    sodium_bin2hex(hash_hex, 65, h, sizeof h);
    sodium_memzero(h, sizeof h);
}

int apikey_generate(char key[APIKEY_LEN + 1], char prefix[16], char hash_hex[65])
{
    unsigned char rnd[APIKEY_RANDOM_BYTES];
    size_t plen = sizeof APIKEY_PREFIX - 1;
    int rc = -1;

    if (!key || !prefix || !hash_hex) goto out;
    key[0] = prefix[0] = hash_hex[0] = '\0';
    if (sodium_init() < 0) goto out;

    randombytes_buf(rnd, sizeof rnd);
    memcpy(key, APIKEY_PREFIX, plen);
    sodium_bin2base64(key + plen, APIKEY_BODY_LEN + 1, rnd, sizeof rnd, B64URL);
    key[APIKEY_LEN] = '\0';

    memcpy(prefix, key, APIKEY_DISPLAY_PREFIX_LEN);
    prefix[APIKEY_DISPLAY_PREFIX_LEN] = '\0';
    apikey_hash(key, hash_hex);
    rc = 0;
out:
    sodium_memzero(rnd, sizeof rnd);
    return rc;
}

bool apikey_is_well_formed(const char *key)
{
    size_t plen = sizeof APIKEY_PREFIX - 1, binlen = 0;
    unsigned char bin[APIKEY_RANDOM_BYTES + 3];
    const char *end = NULL;
    bool ok = false;

    if (!key || strnlen(key, APIKEY_LEN + 1) != APIKEY_LEN) goto out;
    if (memcmp(key, APIKEY_PREFIX, plen) != 0) goto out;
    for (size_t i = plen; i < APIKEY_LEN; i++) {
        char c = key[i];
        if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
              (c >= '0' && c <= '9') || c == '-' || c == '_'))
            goto out;
    }
    /* Canonical: the last char's unused low bits must be zero. */
    if (sodium_base642bin(bin, sizeof bin, key + plen, APIKEY_BODY_LEN, NULL,
                          &binlen, &end, B64URL) != 0)
        goto out;
    ok = binlen == APIKEY_RANDOM_BYTES && end == key + APIKEY_LEN;
out:
    sodium_memzero(bin, sizeof bin);
    return ok;
}
