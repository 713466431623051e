/* one_time_token.c — owns the format of link tokens (see one_time_token.h). */
#include "identity/one_time_token.h"

#include <sodium.h>
#include <string.h>

#include "platform/secretbox.h"

static void sha256_hex(const char *token, char hex[65])
{
    unsigned char h[crypto_hash_sha256_BYTES];
    crypto_hash_sha256(h, (const unsigned char *)token, strlen(token));
    sodium_bin2hex(hex, 65, h, sizeof h);
}

void ott_new(const char *prefix, char token[OTT_LEN + 1], char hash_hex[65])
{
    char body[sodium_base64_ENCODED_LEN(32, sodium_base64_VARIANT_URLSAFE_NO_PADDING)];
    _Static_assert(sizeof body - 1 + 4 == OTT_LEN, "one-time token layout");
    random_token_b64url(body, 32);
    memcpy(token, prefix, 4);
    memcpy(token + 4, body, OTT_LEN - 4);
    token[OTT_LEN] = 0;
    sodium_memzero(body, sizeof body);
    sha256_hex(token, hash_hex);
}

bool ott_hash(const char *prefix, const char *token, char hash_hex[65])
{
    hash_hex[0] = 0;
    if (!token || strnlen(token, OTT_LEN + 1) != OTT_LEN || strncmp(token, prefix, 4) != 0)
        return false;
    for (size_t i = 4; i < OTT_LEN; i++) {
        char ch = token[i];
        if (!((ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch == '-' ||
              ch == '_'))
            return false;
    }
    sha256_hex(token, hash_hex);
    return true;
}
