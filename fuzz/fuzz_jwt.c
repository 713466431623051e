/* fuzz_jwt.c — bearer tokens and API keys: auth_bearer_token (the
 * Authorization header), jwt_verify_hs256, auth_verify_access (the key ring:
 * current secret, previous secret, Supabase secret), refresh_token_well_formed,
 * apikey_is_well_formed and apikey_hash.
 *
 * Input, by its first byte:
 *   'T' <token or header>   used as is (a random signature never verifies, so
 *                           this mostly exercises shape/header/base64 checks);
 *   'S' <header>.<payload>  the harness appends the correct HS256 signature,
 *                           so payload decoding and claim checks are reached;
 *   'J' <header JSON>\n<payload JSON>  the harness base64url-encodes both and
 *                           signs: the fuzzer mutates the JSON directly.
 *   other bytes: mode chosen by value, the rest as above.
 *
 * Invariants: JWT_OK only with a non-empty sub < 64 bytes, exp within
 * leeway of now, nbf/iat not in the future; a token that verifies can be
 * re-signed from its claims and verifies again to the same claims; the key
 * ring accepts exactly what one of its keys accepts; a well-formed API key
 * has the exact length and prefix. */
#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "identity/api_key_secret.h"
#include "identity/auth_tokens.h"
#include "fuzz_common.h"
#include "identity/jwt.h"

#define FJ_KEY "fuzz-jwt-secret-0123456789abcdef0123456789"
#define FJ_NOW 1717200000LL /* 2024-06-01 */
#define FJ_B64 sodium_base64_VARIANT_URLSAFE_NO_PADDING

/* token = "<h>.<p>." + base64url(HMAC-SHA256(key, "<h>.<p>")); malloc'd */
static char *fj_sign(const char *hp, size_t n)
{
    unsigned char mac[crypto_auth_hmacsha256_BYTES];
    crypto_auth_hmacsha256_state st;
    crypto_auth_hmacsha256_init(&st, (const unsigned char *)FJ_KEY, strlen(FJ_KEY));
    crypto_auth_hmacsha256_update(&st, (const unsigned char *)hp, n);
    crypto_auth_hmacsha256_final(&st, mac);
    size_t cap = n + 1 + sodium_base64_ENCODED_LEN(sizeof mac, FJ_B64);
    char *tok = malloc(cap);
    FUZZ_CHECK(tok != NULL);
    memcpy(tok, hp, n);
    tok[n] = '.';
    sodium_bin2base64(tok + n + 1, cap - n - 1, mac, sizeof mac, FJ_B64);
    return tok;
}

static char *fj_b64(const uint8_t *d, size_t n)
{
    size_t cap = sodium_base64_ENCODED_LEN(n, FJ_B64);
    char *s = malloc(cap);
    FUZZ_CHECK(s != NULL);
    sodium_bin2base64(s, cap, d, n, FJ_B64);
    return s;
}

static void fj_verify(const char *token)
{
    const unsigned char *key = (const unsigned char *)FJ_KEY;
    size_t klen = strlen(FJ_KEY);
    jwt_claims c;
    jwt_status st = jwt_verify_hs256(token, key, klen, FJ_NOW, AUTH_LEEWAY_S, &c);
    FUZZ_CHECK(st >= JWT_OK && st <= JWT_TOO_LONG);
    FUZZ_CHECK(jwt_status_str(st) != NULL);
    if (st == JWT_OK) {
        size_t n = strlen(c.sub);
        FUZZ_CHECK(n > 0 && n < sizeof c.sub && strlen(c.email) < sizeof c.email);
        FUZZ_CHECK(c.exp + AUTH_LEEWAY_S >= FJ_NOW && c.nbf - AUTH_LEEWAY_S <= FJ_NOW && c.iat - AUTH_LEEWAY_S <= FJ_NOW);
        /* re-signing the claims gives a token that verifies to the same claims
         * (when they are valid UTF-8, which jwt_sign_hs256 requires) */
        char again[JWT_MAX_TOKEN_LEN + 1];
        if (jwt_sign_hs256(key, klen, c.sub, c.email[0] ? c.email : NULL, c.iat, c.exp, again, sizeof again) == 0) {
            jwt_claims d;
            FUZZ_CHECK(jwt_verify_hs256(again, key, klen, FJ_NOW, AUTH_LEEWAY_S, &d) == JWT_OK);
            FUZZ_CHECK(strcmp(c.sub, d.sub) == 0 && strcmp(c.email, d.email) == 0 && c.exp == d.exp &&
                       c.iat == d.iat);
        }
    } else {
        FUZZ_CHECK(c.sub[0] == 0 && c.exp == 0);
    }
    /* wrong key, no key, other leeways, no output */
    FUZZ_CHECK(jwt_verify_hs256(token, (const unsigned char *)"other", 5, FJ_NOW, 60, NULL) != JWT_OK);
    FUZZ_CHECK(jwt_verify_hs256(token, NULL, 0, FJ_NOW, 60, NULL) != JWT_OK);
    jwt_verify_hs256(token, key, klen, FJ_NOW, -5, NULL);
    jwt_verify_hs256(token, key, klen, FJ_NOW, 1LL << 62, NULL);
    jwt_verify_hs256(token, key, klen, 0, 0, NULL);
    jwt_verify_hs256(token, key, klen, (1LL << 62), 0, NULL);

    /* the ring: the fuzz key as the previous secret; Supabase's another key */
    vs_config cfg;
    memset(&cfg, 0, sizeof cfg);
    snprintf(cfg.jwt_secret, sizeof cfg.jwt_secret, "%s", "current-secret-0123456789abcdef0123456789");
    snprintf(cfg.jwt_secret_previous, sizeof cfg.jwt_secret_previous, "%s", FJ_KEY);
    snprintf(cfg.supabase_jwt_secret, sizeof cfg.supabase_jwt_secret, "%s", "supabase-secret-0123456789abcdef01234");
    jwt_claims rc;
    bool supabase = true;
    jwt_status rst = auth_verify_access(&cfg, token, FJ_NOW, &rc, &supabase);
    FUZZ_CHECK(rst != JWT_OK || !supabase);
    /* the current key fails the signature (or fails like any key would), so the
     * previous key decides: the same answer as verifying with it alone */
    FUZZ_CHECK(rst == st);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1 || size > 3 * JWT_MAX_TOKEN_LEN)
        return 0;
    if (sodium_init() < 0)
        abort();
    uint8_t mode = data[0];
    const uint8_t *d = data + 1;
    size_t n = size - 1;
    int m = mode == 'T' ? 0 : mode == 'S' ? 1 : mode == 'J' ? 2 : mode % 3;
    char *token;
    if (m == 0) {
        token = fuzz_cstr(d, n);
        /* as the Authorization header value */
        const char *t = auth_bearer_token(token);
        if (t) {
            FUZZ_CHECK(*t && *t != ' ' && *t != '\t');
            fj_verify(t);
        }
        /* refresh tokens and API keys arrive the same way */
        bool rt = refresh_token_well_formed(token);
        FUZZ_CHECK(!rt || (strlen(token) == REFRESH_TOKEN_LEN && !strncmp(token, REFRESH_PREFIX, 4)));
        bool ak = apikey_is_well_formed(token);
        FUZZ_CHECK(!ak || (strlen(token) == APIKEY_LEN && !strncmp(token, APIKEY_PREFIX, 8)));
        char hex[65];
        apikey_hash(token, hex);
        FUZZ_CHECK(strlen(hex) == 64);
    } else if (m == 1) {
        char *hp = fuzz_cstr(d, n);
        token = fj_sign(hp, strlen(hp));
        free(hp);
    } else {
        const uint8_t *p;
        size_t plen;
        size_t hlen = fuzz_split(d, n, '\n', &p, &plen);
        char *h64 = fj_b64(d, hlen), *p64 = fj_b64(p, plen);
        size_t hp_len = strlen(h64) + 1 + strlen(p64);
        char *hp = malloc(hp_len + 1);
        FUZZ_CHECK(hp != NULL);
        snprintf(hp, hp_len + 1, "%s.%s", h64, p64);
        token = fj_sign(hp, hp_len);
        free(h64);
        free(p64);
        free(hp);
    }
    fj_verify(token);
    free(token);
    return 0;
}
