/* secretbox.c — secrets at rest with crypto_secretbox (XSalsa20-Poly1305),
 * constant-time string equality and random URL-safe tokens (see secretbox.h).
 *
 * Stored format: "v1:" + base64(nonce[24] || MAC[16] || ciphertext). */
#include "platform/secretbox.h"

#include <sodium.h>
#include <stdlib.h>
#include <string.h>

#define SB_PREFIX "v1:"
#define SB_PREFIX_LEN (sizeof SB_PREFIX - 1)
#define SB_VARIANT sodium_base64_VARIANT_ORIGINAL
#define SB_OVERHEAD (crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES)
#define SB_MAX_BIN (SB_OVERHEAD + SECRET_MAX_PLAIN)
#define SB_MAX_B64 (sodium_base64_ENCODED_LEN(SB_MAX_BIN, SB_VARIANT) - 1)

int secret_key_from_hex(const char *hex, unsigned char key[32])
{
    size_t binlen = 0;
    const char *end = NULL;
    int rc = -1;

    if (!key) return -1;
    if (!hex || strnlen(hex, 65) != 64) goto out;
    if (sodium_hex2bin(key, 32, hex, 64, NULL, &binlen, &end) != 0) goto out;
    if (binlen != 32 || end != hex + 64) goto out;
    rc = 0;
out:
    if (rc != 0) sodium_memzero(key, 32);
    return rc;
}

int secret_encrypt(const unsigned char key[32], const void *plain, size_t len,
                   char **out_b64)
{
    unsigned char *bin = NULL;
    char *b64 = NULL;
    size_t binlen, b64len;
    int rc = -1;

    if (!out_b64) return -1;
    *out_b64 = NULL;
    if (!key || len > SECRET_MAX_PLAIN || (!plain && len)) goto out;
    if (sodium_init() < 0) goto out;

    binlen = SB_OVERHEAD + len;
    b64len = sodium_base64_ENCODED_LEN(binlen, SB_VARIANT); /* includes NUL */
    if (!(bin = malloc(binlen)) || !(b64 = malloc(SB_PREFIX_LEN + b64len))) goto out;

    randombytes_buf(bin, crypto_secretbox_NONCEBYTES);
    if (crypto_secretbox_easy(bin + crypto_secretbox_NONCEBYTES,
                              len ? plain : (const void *)"", len, bin, key) != 0)
        goto out;
    memcpy(b64, SB_PREFIX, SB_PREFIX_LEN);
    sodium_bin2base64(b64 + SB_PREFIX_LEN, b64len, bin, binlen, SB_VARIANT);
    *out_b64 = b64;
    b64 = NULL;
    rc = 0;
out:
    free(bin);
    free(b64);
    return rc;
}

int secret_decrypt(const unsigned char key[32], const char *b64,
                   char **out_plain, size_t *out_len)
{
    unsigned char *bin = NULL;
    char *plain = NULL;
    const char *body, *end = NULL;
    size_t n, binlen = 0, plen;
    int rc = -1;

    if (out_len) *out_len = 0;
    if (!out_plain) return -1;
    *out_plain = NULL;
    if (!key || !b64) goto out;
    n = strnlen(b64, SB_PREFIX_LEN + SB_MAX_B64 + 1);
    if (n > SB_PREFIX_LEN + SB_MAX_B64 || n < SB_PREFIX_LEN) goto out;
    if (memcmp(b64, SB_PREFIX, SB_PREFIX_LEN) != 0) goto out;
    if (sodium_init() < 0) goto out;

    body = b64 + SB_PREFIX_LEN;
    n -= SB_PREFIX_LEN;
    if (!(bin = malloc(n / 4 * 3 + 3))) goto out;
    if (sodium_base642bin(bin, n / 4 * 3 + 3, body, n, NULL, &binlen, &end, SB_VARIANT) != 0 ||
        end != body + n || binlen < SB_OVERHEAD || binlen > SB_MAX_BIN)
        goto out;

    plen = binlen - SB_OVERHEAD;
    if (!(plain = malloc(plen + 1))) goto out;
    if (crypto_secretbox_open_easy((unsigned char *)plain, bin + crypto_secretbox_NONCEBYTES,
                                   binlen - crypto_secretbox_NONCEBYTES, bin, key) != 0)
        goto out;
    plain[plen] = '\0';
    *out_plain = plain;
    plain = NULL;
    if (out_len) *out_len = plen;
    rc = 0;
out:
    if (plain) {
        sodium_memzero(plain, binlen - SB_OVERHEAD + 1);
        free(plain);
    }
    free(bin);
    return rc;
}

bool ct_equal_str(const char *a, const char *b)
{
    size_t la, lb;

    if (!a || !b) return false;
    la = strlen(a);
    lb = strlen(b);
    if (la != lb) return false;
    return sodium_memcmp(a, b, la) == 0;
}

void random_token_b64url(char *out, size_t nbytes_random)
{
    unsigned char rnd[RANDOM_TOKEN_MAX_BYTES];

    if (!out) return;
    if (nbytes_random > RANDOM_TOKEN_MAX_BYTES || sodium_init() < 0)
        abort(); /* programming error / unusable RNG: never hand out a weak token */
    randombytes_buf(rnd, nbytes_random);
    sodium_bin2base64(out, sodium_base64_ENCODED_LEN(nbytes_random,
                                                     sodium_base64_VARIANT_URLSAFE_NO_PADDING),
                      rnd, nbytes_random, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
    sodium_memzero(rnd, nbytes_random);
}
