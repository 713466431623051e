/* test_jwt.c — unit tests for core/identity/jwt.c (HS256 sign/verify). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <limits.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "identity/auth_tokens.h"
#include "platform/config.h"
#include "identity/jwt.h"

#define B64URL sodium_base64_VARIANT_URLSAFE_NO_PADDING
#define NOW 1700000100LL

static const unsigned char KEY[] = "0123456789abcdef0123456789abcdef";
#define KEYLEN (sizeof KEY - 1)

static void b64url(const void *bin, size_t len, char *out, size_t outsz)
{
    assert_true(sodium_base64_ENCODED_LEN(len, B64URL) <= outsz);
    sodium_bin2base64(out, outsz, bin, len, B64URL);
}

/* Appends ".sig" to the signing input already in out (any text at all). */
static void append_sig(const unsigned char *key, size_t keylen, char *out, size_t outsz)
{
    char s[64];
    unsigned char mac[32];
    crypto_auth_hmacsha256_state st;
    size_t n = strlen(out);

    crypto_auth_hmacsha256_init(&st, key, keylen);
    crypto_auth_hmacsha256_update(&st, (const unsigned char *)out, n);
    crypto_auth_hmacsha256_final(&st, mac);
    b64url(mac, sizeof mac, s, sizeof s);
    assert_true(n + 1 + strlen(s) < outsz);
    strcat(out, ".");
    strcat(out, s);
}

/* Builds header.payload.signature from raw JSON text, signed with key. */
static void make_token(const char *header, const char *payload,
                       const unsigned char *key, size_t keylen,
                       char *out, size_t outsz)
{
    char h[8192], p[8192];
    int n;

    b64url(header, strlen(header), h, sizeof h);
    b64url(payload, strlen(payload), p, sizeof p);
    n = snprintf(out, outsz, "%s.%s", h, p);
    assert_true(n > 0 && (size_t)n < outsz);
    append_sig(key, keylen, out, outsz);
}

static jwt_status verify_json(const char *header, const char *payload)
{
    static char tok[16384];
    jwt_claims c;
    make_token(header, payload, KEY, KEYLEN, tok, sizeof tok);
    return jwt_verify_hs256(tok, KEY, KEYLEN, NOW, 60, &c);
}

#define HS256_HDR "{\"alg\":\"HS256\",\"typ\":\"JWT\"}"

static void test_round_trip(void **state)
{
    (void)state;
    char tok[JWT_MAX_TOKEN_LEN + 1];
    jwt_claims c;

    assert_int_equal(jwt_sign_hs256(KEY, KEYLEN, "user-1", "a@b.c", NOW - 10, NOW + 3600,
                                    tok, sizeof tok), 0);
    assert_int_equal(jwt_verify_hs256(tok, KEY, KEYLEN, NOW, 0, &c), JWT_OK);
    assert_string_equal(c.sub, "user-1");
    assert_string_equal(c.email, "a@b.c");
    assert_int_equal(c.iat, NOW - 10);
    assert_int_equal(c.exp, NOW + 3600);
    assert_int_equal(c.nbf, 0);
    assert_int_equal(jwt_verify_hs256(tok, KEY, KEYLEN, NOW, 0, NULL), JWT_OK);

    /* email omitted */
    assert_int_equal(jwt_sign_hs256(KEY, KEYLEN, "user-2", NULL, NOW, NOW + 60,
                                    tok, sizeof tok), 0);
    assert_int_equal(jwt_verify_hs256(tok, KEY, KEYLEN, NOW, 0, &c), JWT_OK);
    assert_string_equal(c.sub, "user-2");
    assert_string_equal(c.email, "");
}

/* Expected value computed independently (Python hmac/hashlib). */
static void test_sign_known_answer(void **state)
{
    (void)state;
    char tok[1024];
    assert_int_equal(jwt_sign_hs256(KEY, KEYLEN, "user-1", "a@b.c", 1700000000, 1700003600,
                                    tok, sizeof tok), 0);
    assert_string_equal(tok,
        "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9."
        "eyJzdWIiOiJ1c2VyLTEiLCJlbWFpbCI6ImFAYi5jIiwiaWF0IjoxNzAwMDAwMDAwLCJleHAiOjE3MDAwMDM2MDB9."
        "XvhbSlmch38xBp9oGeSUbl8Fs9SXnoSa7yaJaNfYgaw");
}

/* The session claim: written when given, read back; absent otherwise. */
static void test_sid_claim(void **state)
{
    (void)state;
    char tok[1024];
    jwt_claims c;
    assert_int_equal(jwt_sign_hs256_sid(KEY, KEYLEN, "user-1", NULL, "0190a8f0-1234-7abc-8def-0123456789ab", NOW,
                                        NOW + 60, tok, sizeof tok), 0);
    assert_int_equal(jwt_verify_hs256(tok, KEY, KEYLEN, NOW, 0, &c), JWT_OK);
    assert_string_equal(c.sid, "0190a8f0-1234-7abc-8def-0123456789ab");
    assert_int_equal(jwt_sign_hs256(KEY, KEYLEN, "user-1", NULL, NOW, NOW + 60, tok, sizeof tok), 0);
    assert_int_equal(jwt_verify_hs256(tok, KEY, KEYLEN, NOW, 0, &c), JWT_OK);
    assert_string_equal(c.sid, "");
    /* an empty or too long sid is refused at signing */
    assert_int_equal(jwt_sign_hs256_sid(KEY, KEYLEN, "user-1", NULL, "", NOW, NOW + 60, tok, sizeof tok), -1);
    char longsid[80];
    memset(longsid, 'a', sizeof longsid - 1);
    longsid[sizeof longsid - 1] = 0;
    assert_int_equal(jwt_sign_hs256_sid(KEY, KEYLEN, "user-1", NULL, longsid, NOW, NOW + 60, tok, sizeof tok), -1);
}

/* RFC 7515 appendix A.1: signature must verify; it has no "sub". */
static void test_rfc7515_vector(void **state)
{
    (void)state;
    static const unsigned char k[64] = {
        0x03,0x23,0x35,0x4b,0x2b,0x0f,0xa5,0xbc,0x83,0x7e,0x06,0x65,0x77,0x7b,0xa6,0x8f,
        0x5a,0xb3,0x28,0xe6,0xf0,0x54,0xc9,0x28,0xa9,0x0f,0x84,0xb2,0xd2,0x50,0x2e,0xbf,
        0xd3,0xfb,0x5a,0x92,0xd2,0x06,0x47,0xef,0x96,0x8a,0xb4,0xc3,0x77,0x62,0x3d,0x22,
        0x3d,0x2e,0x21,0x72,0x05,0x2e,0x4f,0x08,0xc0,0xcd,0x9a,0xf5,0x67,0xd0,0x80,0xa3 };
    const char *t =
        "eyJ0eXAiOiJKV1QiLA0KICJhbGciOiJIUzI1NiJ9."
        "eyJpc3MiOiJqb2UiLA0KICJleHAiOjEzMDA4MTkzODAsDQogImh0dHA6Ly9leGFtcGxlLmNvbS9pc19yb290Ijp0cnVlfQ."
        "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
    assert_int_equal(jwt_verify_hs256(t, k, sizeof k, 1300819000, 0, NULL), JWT_MISSING_SUB);
    assert_int_equal(jwt_verify_hs256(t, KEY, KEYLEN, 1300819000, 0, NULL), JWT_BAD_SIGNATURE);
}

static void test_bad_alg(void **state)
{
    (void)state;
    const char *p = "{\"sub\":\"u\",\"exp\":1700003600}";
    assert_int_equal(verify_json("{\"alg\":\"none\",\"typ\":\"JWT\"}", p), JWT_BAD_ALG);
    assert_int_equal(verify_json("{\"alg\":\"None\"}", p), JWT_BAD_ALG);
    assert_int_equal(verify_json("{\"alg\":\"NONE\"}", p), JWT_BAD_ALG);
    assert_int_equal(verify_json("{\"alg\":\"HS512\",\"typ\":\"JWT\"}", p), JWT_BAD_ALG);
    assert_int_equal(verify_json("{\"alg\":\"RS256\",\"typ\":\"JWT\"}", p), JWT_BAD_ALG);
    assert_int_equal(verify_json("{\"alg\":\"hs256\"}", p), JWT_BAD_ALG);
    assert_int_equal(verify_json("{\"alg\":\"HS256 \"}", p), JWT_BAD_ALG);
    /* Jansson refuses \u0000 outright */
    assert_int_equal(verify_json("{\"alg\":\"HS256\\u0000\"}", p), JWT_MALFORMED);
    assert_int_equal(verify_json("{\"alg\":256}", p), JWT_BAD_ALG);
    assert_int_equal(verify_json("{\"alg\":null}", p), JWT_BAD_ALG);
    assert_int_equal(verify_json("{\"typ\":\"JWT\"}", p), JWT_BAD_ALG);
    assert_int_equal(verify_json("{}", p), JWT_BAD_ALG);
    /* typ is optional, but must be a string when present */
    assert_int_equal(verify_json("{\"alg\":\"HS256\",\"typ\":1}", p), JWT_MALFORMED);
    assert_int_equal(verify_json("{\"alg\":\"HS256\"}", p), JWT_OK);
    /* unknown critical extensions must be refused */
    assert_int_equal(verify_json("{\"alg\":\"HS256\",\"crit\":[\"b64\"],\"b64\":false}", p),
                     JWT_MALFORMED);

    /* classic unsigned alg=none token with an empty signature */
    char h[128], pl[256], tok[512];
    b64url("{\"alg\":\"none\"}", 14, h, sizeof h);
    b64url(p, strlen(p), pl, sizeof pl);
    snprintf(tok, sizeof tok, "%s.%s.", h, pl);
    assert_int_equal(jwt_verify_hs256(tok, KEY, KEYLEN, NOW, 0, NULL), JWT_BAD_ALG);
}

static void test_bad_signature(void **state)
{
    (void)state;
    char tok[1024], forged[1024], pl[512], *dot1, *dot2;
    unsigned char bin[512];
    size_t binlen;

    assert_int_equal(jwt_sign_hs256(KEY, KEYLEN, "user-1", NULL, NOW, NOW + 60,
                                    tok, sizeof tok), 0);

    /* wrong key */
    assert_int_equal(jwt_verify_hs256(tok, (const unsigned char *)"other-key", 9, NOW, 0, NULL),
                     JWT_BAD_SIGNATURE);
    assert_int_equal(jwt_verify_hs256(tok, KEY, KEYLEN - 1, NOW, 0, NULL), JWT_BAD_SIGNATURE);
    assert_int_equal(jwt_verify_hs256(tok, KEY, 0, NOW, 0, NULL), JWT_BAD_SIGNATURE);
    assert_int_equal(jwt_verify_hs256(tok, NULL, KEYLEN, NOW, 0, NULL), JWT_BAD_SIGNATURE);

    /* one flipped bit in the payload, original signature kept */
    dot1 = strchr(tok, '.');
    dot2 = strchr(dot1 + 1, '.');
    assert_int_equal(sodium_base642bin(bin, sizeof bin, dot1 + 1, (size_t)(dot2 - dot1 - 1),
                                       NULL, &binlen, NULL, B64URL), 0);
    for (size_t i = 0; i < binlen; i++) {
        for (int bit = 0; bit < 8; bit++) {
            bin[i] ^= (unsigned char)(1u << bit);
            b64url(bin, binlen, pl, sizeof pl);
            snprintf(forged, sizeof forged, "%.*s.%s%s", (int)(dot1 - tok), tok, pl, dot2);
            jwt_status s = jwt_verify_hs256(forged, KEY, KEYLEN, NOW, 0, NULL);
            assert_int_equal(s, JWT_BAD_SIGNATURE);
            bin[i] ^= (unsigned char)(1u << bit);
        }
    }

    /* a changed signature character */
    strcpy(forged, tok);
    char *last = forged + strlen(forged) - 2;
    *last = *last == 'A' ? 'B' : 'A';
    assert_int_equal(jwt_verify_hs256(forged, KEY, KEYLEN, NOW, 0, NULL), JWT_BAD_SIGNATURE);

    /* short (16-byte) and empty signatures */
    {
        unsigned char sixteen[16] = {0};
        char s16[32];
        b64url(sixteen, sizeof sixteen, s16, sizeof s16);
        snprintf(forged, sizeof forged, "%.*s.%s", (int)(dot2 - tok), tok, s16);
        assert_int_equal(jwt_verify_hs256(forged, KEY, KEYLEN, NOW, 0, NULL), JWT_BAD_SIGNATURE);
    }
    snprintf(forged, sizeof forged, "%.*s.", (int)(dot2 - tok), tok);
    assert_int_equal(jwt_verify_hs256(forged, KEY, KEYLEN, NOW, 0, NULL), JWT_BAD_SIGNATURE);
}

static void test_time_claims(void **state)
{
    (void)state;
    char p[256];
    jwt_claims c;
    char tok[1024];

    /* expired, and leeway boundary */
    snprintf(p, sizeof p, "{\"sub\":\"u\",\"exp\":%lld}", NOW - 61);
    assert_int_equal(verify_json(HS256_HDR, p), JWT_EXPIRED);
    snprintf(p, sizeof p, "{\"sub\":\"u\",\"exp\":%lld}", NOW - 60);
    assert_int_equal(verify_json(HS256_HDR, p), JWT_OK);
    assert_int_equal(jwt_sign_hs256(KEY, KEYLEN, "u", NULL, NOW - 100, NOW - 1, tok, sizeof tok), 0);
    assert_int_equal(jwt_verify_hs256(tok, KEY, KEYLEN, NOW, 0, &c), JWT_EXPIRED);
    assert_string_equal(c.sub, ""); /* out is not filled on failure */
    assert_int_equal(jwt_verify_hs256(tok, KEY, KEYLEN, NOW, -5, NULL), JWT_EXPIRED);
    assert_int_equal(jwt_verify_hs256(tok, KEY, KEYLEN, NOW, 1, NULL), JWT_OK);
    /* now == exp is still valid */
    assert_int_equal(jwt_verify_hs256(tok, KEY, KEYLEN, NOW - 1, 0, NULL), JWT_OK);

    /* nbf in the future */
    snprintf(p, sizeof p, "{\"sub\":\"u\",\"exp\":%lld,\"nbf\":%lld}", NOW + 3600, NOW + 61);
    assert_int_equal(verify_json(HS256_HDR, p), JWT_NOT_YET_VALID);
    snprintf(p, sizeof p, "{\"sub\":\"u\",\"exp\":%lld,\"nbf\":%lld}", NOW + 3600, NOW + 60);
    assert_int_equal(verify_json(HS256_HDR, p), JWT_OK);

    /* iat in the future */
    snprintf(p, sizeof p, "{\"sub\":\"u\",\"exp\":%lld,\"iat\":%lld}", NOW + 3600, NOW + 61);
    assert_int_equal(verify_json(HS256_HDR, p), JWT_NOT_YET_VALID);
    snprintf(p, sizeof p, "{\"sub\":\"u\",\"exp\":%lld,\"iat\":%lld}", NOW + 3600, NOW + 60);
    assert_int_equal(verify_json(HS256_HDR, p), JWT_OK);

    /* NumericDate may be fractional */
    snprintf(p, sizeof p, "{\"sub\":\"u\",\"exp\":%lld.5}", NOW + 10);
    assert_int_equal(verify_json(HS256_HDR, p), JWT_OK);

    /* exp missing or not numeric; bad types/ranges */
    assert_int_equal(verify_json(HS256_HDR, "{\"sub\":\"u\"}"), JWT_MALFORMED);
    assert_int_equal(verify_json(HS256_HDR, "{\"sub\":\"u\",\"exp\":\"1800000000\"}"), JWT_MALFORMED);
    assert_int_equal(verify_json(HS256_HDR, "{\"sub\":\"u\",\"exp\":null}"), JWT_MALFORMED);
    assert_int_equal(verify_json(HS256_HDR, "{\"sub\":\"u\",\"exp\":true}"), JWT_MALFORMED);
    assert_int_equal(verify_json(HS256_HDR, "{\"sub\":\"u\",\"exp\":-1}"), JWT_MALFORMED);
    assert_int_equal(verify_json(HS256_HDR, "{\"sub\":\"u\",\"exp\":1e300}"), JWT_MALFORMED);
    assert_int_equal(verify_json(HS256_HDR, "{\"sub\":\"u\",\"exp\":9223372036854775807}"),
                     JWT_MALFORMED);
    assert_int_equal(verify_json(HS256_HDR, "{\"sub\":\"u\",\"exp\":99999999999999999999999}"),
                     JWT_MALFORMED);
    assert_int_equal(verify_json(HS256_HDR, "{\"sub\":\"u\",\"exp\":1800000000,\"nbf\":\"x\"}"),
                     JWT_MALFORMED);
    assert_int_equal(verify_json(HS256_HDR, "{\"sub\":\"u\",\"exp\":1800000000,\"iat\":[]}"),
                     JWT_MALFORMED);

    /* extreme now / leeway must not overflow (UBSan) */
    assert_int_equal(jwt_sign_hs256(KEY, KEYLEN, "u", NULL, NOW, NOW + 60, tok, sizeof tok), 0);
    assert_int_equal(jwt_verify_hs256(tok, KEY, KEYLEN, LLONG_MAX, LLONG_MAX, NULL), JWT_EXPIRED);
    assert_int_equal(jwt_verify_hs256(tok, KEY, KEYLEN, LLONG_MIN, LLONG_MAX, NULL),
                     JWT_NOT_YET_VALID);
    assert_int_equal(jwt_verify_hs256(tok, KEY, KEYLEN, NOW, LLONG_MIN, NULL), JWT_OK);
}

static void test_sub_and_email(void **state)
{
    (void)state;
    char p[1024], s[300];

    assert_int_equal(verify_json(HS256_HDR, "{\"exp\":1800000000}"), JWT_MISSING_SUB);
    assert_int_equal(verify_json(HS256_HDR, "{\"sub\":\"\",\"exp\":1800000000}"), JWT_MISSING_SUB);
    assert_int_equal(verify_json(HS256_HDR, "{\"sub\":null,\"exp\":1800000000}"), JWT_MISSING_SUB);
    assert_int_equal(verify_json(HS256_HDR, "{\"sub\":42,\"exp\":1800000000}"), JWT_MISSING_SUB);
    assert_int_equal(verify_json(HS256_HDR, "{\"sub\":\"a\\u0000b\",\"exp\":1800000000}"),
                     JWT_MALFORMED);

    memset(s, 'x', 63); s[63] = '\0';
    snprintf(p, sizeof p, "{\"sub\":\"%s\",\"exp\":1800000000}", s);
    assert_int_equal(verify_json(HS256_HDR, p), JWT_OK);
    memset(s, 'x', 64); s[64] = '\0';
    snprintf(p, sizeof p, "{\"sub\":\"%s\",\"exp\":1800000000}", s);
    assert_int_equal(verify_json(HS256_HDR, p), JWT_MALFORMED);

    memset(s, 'e', 255); s[255] = '\0';
    snprintf(p, sizeof p, "{\"sub\":\"u\",\"email\":\"%s\",\"exp\":1800000000}", s);
    assert_int_equal(verify_json(HS256_HDR, p), JWT_OK);
    memset(s, 'e', 256); s[256] = '\0';
    snprintf(p, sizeof p, "{\"sub\":\"u\",\"email\":\"%s\",\"exp\":1800000000}", s);
    assert_int_equal(verify_json(HS256_HDR, p), JWT_MALFORMED);
    assert_int_equal(verify_json(HS256_HDR, "{\"sub\":\"u\",\"email\":7,\"exp\":1800000000}"),
                     JWT_MALFORMED);
    assert_int_equal(verify_json(HS256_HDR, "{\"sub\":\"u\",\"email\":null,\"exp\":1800000000}"),
                     JWT_OK);
}

static void test_shape_and_size(void **state)
{
    (void)state;
    char *big = malloc(5001);
    char tok[1024], t2[1200];
    assert_non_null(big);

    assert_int_equal(jwt_sign_hs256(KEY, KEYLEN, "u", NULL, NOW, NOW + 60, tok, sizeof tok), 0);

    /* 5000-byte token (well-formed prefix, padded payload) */
    memset(big, 'A', 5000);
    big[5000] = '\0';
    memcpy(big, tok, strlen(tok));
    assert_int_equal(jwt_verify_hs256(big, KEY, KEYLEN, NOW, 0, NULL), JWT_TOO_LONG);
    big[4097] = '\0';
    assert_int_equal(jwt_verify_hs256(big, KEY, KEYLEN, NOW, 0, NULL), JWT_TOO_LONG);
    big[4096] = '\0';
    assert_int_not_equal(jwt_verify_hs256(big, KEY, KEYLEN, NOW, 0, NULL), JWT_TOO_LONG);
    free(big);

    /* two and four segments, empty, NULL */
    char *dot2 = strrchr(tok, '.');
    snprintf(t2, sizeof t2, "%.*s", (int)(dot2 - tok), tok);
    assert_int_equal(jwt_verify_hs256(t2, KEY, KEYLEN, NOW, 0, NULL), JWT_MALFORMED);
    snprintf(t2, sizeof t2, "%s.", tok);
    assert_int_equal(jwt_verify_hs256(t2, KEY, KEYLEN, NOW, 0, NULL), JWT_MALFORMED);
    snprintf(t2, sizeof t2, "%s.%s", tok, dot2 + 1);
    assert_int_equal(jwt_verify_hs256(t2, KEY, KEYLEN, NOW, 0, NULL), JWT_MALFORMED);
    assert_int_equal(jwt_verify_hs256("", KEY, KEYLEN, NOW, 0, NULL), JWT_MALFORMED);
    assert_int_equal(jwt_verify_hs256("..", KEY, KEYLEN, NOW, 0, NULL), JWT_MALFORMED);
    assert_int_equal(jwt_verify_hs256(NULL, KEY, KEYLEN, NOW, 0, NULL), JWT_MALFORMED);
    snprintf(t2, sizeof t2, ".%s", strchr(tok, '.') + 1);
    assert_int_equal(jwt_verify_hs256(t2, KEY, KEYLEN, NOW, 0, NULL), JWT_MALFORMED);
}

static void test_invalid_base64(void **state)
{
    (void)state;
    char tok[1024], t2[1200];
    char *dot1, *dot2;

    assert_int_equal(jwt_sign_hs256(KEY, KEYLEN, "u", NULL, NOW, NOW + 60, tok, sizeof tok), 0);
    dot1 = strchr(tok, '.');
    dot2 = strchr(dot1 + 1, '.');

    /* illegal characters in each segment */
    strcpy(t2, tok); t2[3] = '*';
    assert_int_equal(jwt_verify_hs256(t2, KEY, KEYLEN, NOW, 0, NULL), JWT_MALFORMED);
    /* the payload is covered by the MAC and only decoded once it checks out */
    strcpy(t2, tok); t2[(dot1 - tok) + 3] = '+';
    assert_int_equal(jwt_verify_hs256(t2, KEY, KEYLEN, NOW, 0, NULL), JWT_BAD_SIGNATURE);
    /* ...so a correctly signed but undecodable payload is malformed */
    snprintf(t2, sizeof t2, "%.*s.eyJzdWIi*OiJ1In0", (int)(dot1 - tok), tok);
    append_sig(KEY, KEYLEN, t2, sizeof t2);
    assert_int_equal(jwt_verify_hs256(t2, KEY, KEYLEN, NOW, 0, NULL), JWT_MALFORMED);
    snprintf(t2, sizeof t2, "%.*s.eyJzdWIiOiJ1In0=", (int)(dot1 - tok), tok);
    append_sig(KEY, KEYLEN, t2, sizeof t2);
    assert_int_equal(jwt_verify_hs256(t2, KEY, KEYLEN, NOW, 0, NULL), JWT_MALFORMED);
    snprintf(t2, sizeof t2, "%.*s.", (int)(dot1 - tok), tok);
    append_sig(KEY, KEYLEN, t2, sizeof t2);
    assert_int_equal(jwt_verify_hs256(t2, KEY, KEYLEN, NOW, 0, NULL), JWT_MALFORMED);
    /* header padding */
    snprintf(t2, sizeof t2, "eyJhbGciOiJIUzI1NiJ9=%s", dot1);
    assert_int_equal(jwt_verify_hs256(t2, KEY, KEYLEN, NOW, 0, NULL), JWT_MALFORMED);
    strcpy(t2, tok); t2[(dot2 - tok) + 3] = '/';
    assert_int_equal(jwt_verify_hs256(t2, KEY, KEYLEN, NOW, 0, NULL), JWT_MALFORMED);
    strcpy(t2, tok); t2[(dot2 - tok) + 3] = ' ';
    assert_int_equal(jwt_verify_hs256(t2, KEY, KEYLEN, NOW, 0, NULL), JWT_MALFORMED);
    /* padding is not allowed */
    snprintf(t2, sizeof t2, "%s=", tok);
    assert_int_equal(jwt_verify_hs256(t2, KEY, KEYLEN, NOW, 0, NULL), JWT_MALFORMED);
    /* impossible length (1 mod 4) in the signature */
    snprintf(t2, sizeof t2, "%sAA", tok);
    assert_int_equal(jwt_verify_hs256(t2, KEY, KEYLEN, NOW, 0, NULL), JWT_MALFORMED);
    /* decodable but 33 bytes long */
    snprintf(t2, sizeof t2, "%sA", tok);
    assert_int_equal(jwt_verify_hs256(t2, KEY, KEYLEN, NOW, 0, NULL), JWT_BAD_SIGNATURE);
    /* non-canonical last character of the signature (43 chars, low 2 bits set) */
    strcpy(t2, tok);
    {
        char *last = t2 + strlen(t2) - 1;
        static const char alpha[] =
            "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
        int v = (int)(strchr(alpha, *last) - alpha);
        *last = alpha[v | 1];
        if (*last == tok[strlen(tok) - 1]) *last = alpha[v | 2];
    }
    assert_int_equal(jwt_verify_hs256(t2, KEY, KEYLEN, NOW, 0, NULL), JWT_MALFORMED);
}

static void test_non_object_and_duplicates(void **state)
{
    (void)state;
    const char *p = "{\"sub\":\"u\",\"exp\":1800000000}";
    assert_int_equal(verify_json("[\"HS256\"]", p), JWT_MALFORMED);
    assert_int_equal(verify_json("\"HS256\"", p), JWT_MALFORMED);
    assert_int_equal(verify_json("null", p), JWT_MALFORMED);
    assert_int_equal(verify_json("42", p), JWT_MALFORMED);
    assert_int_equal(verify_json("{\"alg\":\"HS256\"", p), JWT_MALFORMED);
    assert_int_equal(verify_json("{\"alg\":\"HS256\"} x", p), JWT_MALFORMED);
    assert_int_equal(verify_json(HS256_HDR, "[1,2,3]"), JWT_MALFORMED);
    assert_int_equal(verify_json(HS256_HDR, "\"sub\""), JWT_MALFORMED);
    assert_int_equal(verify_json(HS256_HDR, "not json"), JWT_MALFORMED);
    assert_int_equal(verify_json(HS256_HDR, "{\"sub\":\"u\",\"exp\":1800000000"), JWT_MALFORMED);

    /* duplicate keys: Jansson would silently keep one */
    assert_int_equal(verify_json("{\"alg\":\"HS256\",\"alg\":\"none\"}", p), JWT_MALFORMED);
    assert_int_equal(verify_json("{\"alg\":\"none\",\"alg\":\"HS256\"}", p), JWT_MALFORMED);
    assert_int_equal(verify_json(HS256_HDR,
                                 "{\"sub\":\"u\",\"sub\":\"admin\",\"exp\":1800000000}"),
                     JWT_MALFORMED);
    assert_int_equal(verify_json(HS256_HDR,
                                 "{\"sub\":\"u\",\"exp\":1,\"exp\":1800000000}"),
                     JWT_MALFORMED);
}

/* A Supabase-shaped access token, signed (by Python hmac) with the well-known
 * local-dev secret; extra claims and a "kid" header must be ignored. */
static void test_supabase_token(void **state)
{
    (void)state;
    static const char secret[] = "super-secret-jwt-token-with-at-least-32-characters-long";
    static const char tok[] =
        "eyJhbGciOiJIUzI1NiIsImtpZCI6IlF4MUFiMkNkM0VmNEdoNUkiLCJ0eXAiOiJKV1QifQ."
        "eyJpc3MiOiJodHRwczovL2FiY2RlZmdoaWprbG1ub3Auc3VwYWJhc2UuY28vYXV0aC92MSIsInN1YiI6IjhjNGY2"
        "YjBlLTNmMGEtNGI4ZS05ZDFhLTJiN2M1ZTZmN2E4MCIsImF1ZCI6ImF1dGhlbnRpY2F0ZWQiLCJleHAiOjE3MDAw"
        "MDM2MDAsImlhdCI6MTcwMDAwMDAwMCwiZW1haWwiOiJhZ2VudEB2aWN0b3J5LmV4YW1wbGUiLCJwaG9uZSI6IiIs"
        "ImFwcF9tZXRhZGF0YSI6eyJwcm92aWRlciI6ImVtYWlsIiwicHJvdmlkZXJzIjpbImVtYWlsIl19LCJ1c2VyX21l"
        "dGFkYXRhIjp7ImVtYWlsIjoiYWdlbnRAdmljdG9yeS5leGFtcGxlIiwiZW1haWxfdmVyaWZpZWQiOnRydWUsImZ1"
        "bGxfbmFtZSI6IkFkYSBBZ2VudCJ9LCJyb2xlIjoiYXV0aGVudGljYXRlZCIsImFhbCI6ImFhbDEiLCJhbXIiOlt7"
        "Im1ldGhvZCI6InBhc3N3b3JkIiwidGltZXN0YW1wIjoxNzAwMDAwMDAwfV0sInNlc3Npb25faWQiOiIwZjFlMmQz"
        "Yy00YjVhLTY5NzgtODc5Ni1hNWI0YzNkMmUxZjAiLCJpc19hbm9ueW1vdXMiOmZhbHNlfQ."
        "wI9Ozs25wJwlfQrv6RQdSIz4NW6nrsbP6eb8bFg8ODM";
    jwt_claims c;

    assert_int_equal(jwt_verify_hs256(tok, (const unsigned char *)secret, sizeof secret - 1,
                                      NOW, 30, &c), JWT_OK);
    assert_string_equal(c.sub, "8c4f6b0e-3f0a-4b8e-9d1a-2b7c5e6f7a80");
    assert_string_equal(c.email, "agent@victory.example");
    assert_int_equal(c.iat, 1700000000);
    assert_int_equal(c.exp, 1700003600);

    /* wrong key, and expiry */
    assert_int_equal(jwt_verify_hs256(tok, KEY, KEYLEN, NOW, 30, &c), JWT_BAD_SIGNATURE);
    assert_int_equal(jwt_verify_hs256(tok, (const unsigned char *)secret, sizeof secret - 1,
                                      1700003600 + 31, 30, &c), JWT_EXPIRED);
}

static void test_sign_rejects(void **state)
{
    (void)state;
    char tok[1024], s[300];

    assert_int_equal(jwt_sign_hs256(NULL, 0, "u", NULL, NOW, NOW + 1, tok, sizeof tok), -1);
    assert_int_equal(jwt_sign_hs256(KEY, 0, "u", NULL, NOW, NOW + 1, tok, sizeof tok), -1);
    assert_int_equal(jwt_sign_hs256(KEY, KEYLEN, NULL, NULL, NOW, NOW + 1, tok, sizeof tok), -1);
    assert_int_equal(jwt_sign_hs256(KEY, KEYLEN, "", NULL, NOW, NOW + 1, tok, sizeof tok), -1);
    memset(s, 'x', 64); s[64] = '\0';
    assert_int_equal(jwt_sign_hs256(KEY, KEYLEN, s, NULL, NOW, NOW + 1, tok, sizeof tok), -1);
    memset(s, 'x', 256); s[256] = '\0';
    assert_int_equal(jwt_sign_hs256(KEY, KEYLEN, "u", s, NOW, NOW + 1, tok, sizeof tok), -1);
    assert_int_equal(jwt_sign_hs256(KEY, KEYLEN, "u\xff", NULL, NOW, NOW + 1, tok, sizeof tok), -1);
    assert_int_equal(jwt_sign_hs256(KEY, KEYLEN, "u", NULL, -1, NOW + 1, tok, sizeof tok), -1);
    assert_int_equal(jwt_sign_hs256(KEY, KEYLEN, "u", NULL, NOW, NOW + 1, tok, 20), -1);
    assert_string_equal(tok, "");
    assert_int_equal(jwt_sign_hs256(KEY, KEYLEN, "u", NULL, NOW, NOW + 1, NULL, 0), -1);

    /* exact-fit buffer works, one byte less doesn't */
    assert_int_equal(jwt_sign_hs256(KEY, KEYLEN, "u", NULL, NOW, NOW + 1, tok, sizeof tok), 0);
    size_t need = strlen(tok) + 1;
    char *exact = malloc(need);
    assert_non_null(exact);
    assert_int_equal(jwt_sign_hs256(KEY, KEYLEN, "u", NULL, NOW, NOW + 1, exact, need), 0);
    assert_string_equal(exact, tok);
    assert_int_equal(jwt_sign_hs256(KEY, KEYLEN, "u", NULL, NOW, NOW + 1, exact, need - 1), -1);
    free(exact);

    /* unicode email survives the round trip */
    jwt_claims c;
    assert_int_equal(jwt_sign_hs256(KEY, KEYLEN, "u", "z\xc3\xbc@example.com", NOW, NOW + 60,
                                    tok, sizeof tok), 0);
    assert_int_equal(jwt_verify_hs256(tok, KEY, KEYLEN, NOW, 0, &c), JWT_OK);
    assert_string_equal(c.email, "z\xc3\xbc@example.com");
}

static void test_status_str(void **state)
{
    (void)state;
    for (int s = JWT_OK; s <= JWT_TOO_LONG; s++) {
        assert_non_null(jwt_status_str((jwt_status)s));
        assert_string_not_equal(jwt_status_str((jwt_status)s), "unknown");
    }
    assert_string_equal(jwt_status_str((jwt_status)999), "unknown");
}

/* Key ring: the first key whose signature matches decides. */
static void test_key_ring(void **state)
{
    (void)state;
    static const unsigned char OLD[] = "old-secret-old-secret-old-secret-0";
    static const unsigned char NEW[] = "new-secret-new-secret-new-secret-0";
    char told[JWT_MAX_TOKEN_LEN + 1], tnew[JWT_MAX_TOKEN_LEN + 1];
    jwt_claims c;
    int which = 99;

    assert_int_equal(jwt_sign_hs256(OLD, sizeof OLD - 1, "u-old", NULL, NOW - 100, NOW + 600, told, sizeof told), 0);
    assert_int_equal(jwt_sign_hs256(NEW, sizeof NEW - 1, "u-new", NULL, NOW - 100, NOW + 600, tnew, sizeof tnew), 0);
    const jwt_key ring[] = {{NEW, sizeof NEW - 1}, {NULL, 0}, {OLD, sizeof OLD - 1}};
    assert_int_equal(jwt_verify_hs256_any(tnew, ring, 3, NOW, 0, &c, &which), JWT_OK);
    assert_int_equal(which, 0);
    assert_string_equal(c.sub, "u-new");
    assert_int_equal(jwt_verify_hs256_any(told, ring, 3, NOW, 0, &c, &which), JWT_OK);
    assert_int_equal(which, 2);
    assert_string_equal(c.sub, "u-old");
    /* only the new key: the old token is refused */
    assert_int_equal(jwt_verify_hs256_any(told, ring, 1, NOW, 0, &c, &which), JWT_BAD_SIGNATURE);
    assert_int_equal(which, -1);
    assert_string_equal(c.sub, "");
    /* expiry is decided by the matching key, never skipped to the next */
    assert_int_equal(jwt_verify_hs256_any(told, ring, 3, NOW + 601, 0, &c, &which), JWT_EXPIRED);
    assert_int_equal(which, 2);
    /* no key at all: the answer a single empty key gives */
    const jwt_key none[] = {{NULL, 0}, {OLD, 0}};
    assert_int_equal(jwt_verify_hs256_any(told, none, 2, NOW, 0, &c, &which), JWT_BAD_SIGNATURE);
    assert_int_equal(jwt_verify_hs256_any("a.b", none, 2, NOW, 0, &c, &which), JWT_MALFORMED);
    assert_int_equal(jwt_verify_hs256_any(told, NULL, 0, NOW, 0, NULL, NULL), JWT_BAD_SIGNATURE);
}

/* jwt_secret rotation: jwt_secret_previous keeps its tokens valid until they
 * expire; new tokens are signed with jwt_secret only. */
static void test_secret_rotation(void **state)
{
    (void)state;
    static vs_config before, after;
    char err[256], told[JWT_MAX_TOKEN_LEN + 1], tnew[JWT_MAX_TOKEN_LEN + 1];
    jwt_claims c;
    bool supa = true;

    assert_int_equal(config_load(&before, NULL, err, sizeof err), 0);
    assert_int_equal(config_set(&before, "jwt_secret", "first-secret-first-secret-first-00", err, sizeof err), 0);
    before.jwt_ttl_seconds = 600;
    assert_int_equal(auth_issue_access(&before, "u-1", NULL, NOW, told, sizeof told), 0);

    after = before;
    assert_int_equal(config_set(&after, "jwt_secret", "second-secret-second-secret-second", err, sizeof err), 0);
    /* without the previous secret, the old token dies at once */
    assert_int_equal(auth_verify_access(&after, told, NOW + 10, &c, &supa), JWT_BAD_SIGNATURE);
    assert_int_equal(config_set(&after, "jwt_secret_previous", "first-secret-first-secret-first-00", err,
                                sizeof err), 0);
    assert_int_equal(config_validate(&after, CONFIG_NEED_JWT_SECRET, err, sizeof err), 0);
    assert_int_equal(auth_verify_access(&after, told, NOW + 10, &c, &supa), JWT_OK);
    assert_string_equal(c.sub, "u-1");
    assert_false(supa);
    /* until it expires */
    assert_int_equal(auth_verify_access(&after, told, NOW + 600 + AUTH_LEEWAY_S + 1, &c, &supa), JWT_EXPIRED);
    /* new tokens: signed with the new secret, which the old config refuses */
    assert_int_equal(auth_issue_access(&after, "u-2", NULL, NOW, tnew, sizeof tnew), 0);
    assert_int_equal(auth_verify_access(&after, tnew, NOW + 10, &c, &supa), JWT_OK);
    assert_int_equal(auth_verify_access(&before, tnew, NOW + 10, &c, &supa), JWT_BAD_SIGNATURE);
    /* a short previous secret is a config error naming the key */
    assert_int_equal(config_set(&after, "jwt_secret_previous", "short", err, sizeof err), 0);
    assert_int_equal(config_validate(&after, 0, err, sizeof err), -1);
    assert_non_null(strstr(err, "jwt_secret_previous"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_round_trip),
        cmocka_unit_test(test_sign_known_answer), cmocka_unit_test(test_sid_claim),
        cmocka_unit_test(test_rfc7515_vector),
        cmocka_unit_test(test_bad_alg),
        cmocka_unit_test(test_bad_signature),
        cmocka_unit_test(test_time_claims),
        cmocka_unit_test(test_sub_and_email),
        cmocka_unit_test(test_shape_and_size),
        cmocka_unit_test(test_invalid_base64),
        cmocka_unit_test(test_non_object_and_duplicates),
        cmocka_unit_test(test_supabase_token),
        cmocka_unit_test(test_sign_rejects),
        cmocka_unit_test(test_status_str),
        cmocka_unit_test(test_key_ring),
        cmocka_unit_test(test_secret_rotation),
    };
    if (sodium_init() < 0) return 1;
    return cmocka_run_group_tests(tests, NULL, NULL);
}
