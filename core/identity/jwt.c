/* jwt.c — HS256 JWT signing and verification (see jwt.h).
 *
 * Verification order: size → shape (three segments) → header (JSON object,
 * alg == "HS256", no "crit") → HMAC-SHA256 over "header.payload", compared
 * in constant time → payload claims. Nothing from the payload is trusted
 * before the signature checks out. */
#include "identity/jwt.h"

#include <jansson.h>
#include <math.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define B64URL sodium_base64_VARIANT_URLSAFE_NO_PADDING
#define JWT_SIG_LEN crypto_auth_hmacsha256_BYTES /* 32 */
#define JWT_MAX_DECODED ((JWT_MAX_TOKEN_LEN / 4) * 3 + 3)
#define JWT_MAX_TIME 253402300799LL /* 9999-12-31T23:59:59Z */

/* base64url of {"alg":"HS256","typ":"JWT"} */
static const char jwt_header_b64[] = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9";

const char *jwt_status_str(jwt_status s)
{
    switch (s) {
    case JWT_OK: return "ok";
    case JWT_MALFORMED: return "malformed token";
    case JWT_BAD_ALG: return "unsupported algorithm";
    case JWT_BAD_SIGNATURE: return "bad signature";
    case JWT_EXPIRED: return "token expired";
    case JWT_NOT_YET_VALID: return "token not yet valid";
    case JWT_MISSING_SUB: return "missing subject";
    case JWT_TOO_LONG: return "token too long";
    case JWT_BAD_AUDIENCE: return "wrong audience";
    }
    return "unknown";
}

static int hmac_sha256(const unsigned char *key, size_t keylen,
                       const char *msg, size_t msglen,
                       unsigned char mac[JWT_SIG_LEN])
{
    crypto_auth_hmacsha256_state st;
    int rc = -1;

    if (crypto_auth_hmacsha256_init(&st, key, keylen) != 0) goto out;
    if (crypto_auth_hmacsha256_update(&st, (const unsigned char *)msg, msglen) != 0) goto out;
    if (crypto_auth_hmacsha256_final(&st, mac) != 0) goto out;
    rc = 0;
out:
    sodium_memzero(&st, sizeof st);
    return rc;
}

/* Decodes exactly [s, s+len) as canonical unpadded base64url. */
static int b64url_decode(const char *s, size_t len, unsigned char *bin,
                         size_t binmax, size_t *binlen)
{
    const char *end = NULL;

    if (sodium_base642bin(bin, binmax, s, len, NULL, binlen, &end, B64URL) != 0)
        return -1;
    return end == s + len ? 0 : -1;
}

/* Decodes one segment and parses it as a JSON object, duplicates rejected. */
static json_t *segment_object(const char *s, size_t len)
{
    unsigned char buf[JWT_MAX_DECODED];
    size_t n = 0;
    json_error_t err;
    json_t *obj = NULL;

    if (len == 0 || b64url_decode(s, len, buf, sizeof buf, &n) != 0) goto out;
    obj = json_loadb((const char *)buf, n, JSON_REJECT_DUPLICATES, &err);
    if (obj && !json_is_object(obj)) {
        json_decref(obj);
        obj = NULL;
    }
out:
    sodium_memzero(buf, sizeof buf);
    return obj;
}

/* Reads an optional NumericDate claim: 0 absent, 1 present, -1 invalid. */
static int numeric_claim(json_t *payload, const char *name, long long *v)
{
    json_t *j = json_object_get(payload, name);
    *v = 0;
    if (!j) return 0;
    if (json_is_integer(j)) {
        json_int_t i = json_integer_value(j);
        if (i < 0 || i > JWT_MAX_TIME) return -1;
        *v = (long long)i;
        return 1;
    }
    if (json_is_real(j)) {
        double d = json_real_value(j);
        if (!isfinite(d) || d < 0 || d > (double)JWT_MAX_TIME) return -1;
        *v = (long long)d;
        return 1;
    }
    return -1;
}

/* Copies an optional string claim; -1 if not a string, too long or
 * containing NUL. JSON null counts as absent. */
static int string_claim(json_t *payload, const char *name, char *dst, size_t dstsz)
{
    json_t *j = json_object_get(payload, name);
    size_t n;

    dst[0] = '\0';
    if (!j || json_is_null(j)) return 0;
    if (!json_is_string(j)) return -1;
    n = json_string_length(j);
    if (n >= dstsz || memchr(json_string_value(j), '\0', n)) return -1;
    memcpy(dst, json_string_value(j), n);
    dst[n] = '\0';
    return 1;
}

/* aud (string, or array: "authenticated" when listed, else the first string)
 * and role, for the caller's checks; never fails verification by itself. */
static void read_aud_role(json_t *payload, jwt_claims *c)
{
    json_t *aud = json_object_get(payload, "aud");
    c->aud[0] = c->role[0] = '\0';
    if (json_is_string(aud)) {
        if (string_claim(payload, "aud", c->aud, sizeof c->aud) < 0) c->aud[0] = '\0';
    } else if (json_is_array(aud)) {
        size_t i;
        json_t *v;
        json_array_foreach(aud, i, v) {
            const char *s = json_string_value(v);
            if (!s || json_string_length(v) >= sizeof c->aud || memchr(s, '\0', json_string_length(v))) continue;
            if (strcmp(s, "authenticated") == 0 || c->aud[0] == '\0') snprintf(c->aud, sizeof c->aud, "%s", s);
            if (strcmp(s, "authenticated") == 0) break;
        }
    }
    json_t *role = json_object_get(payload, "role");
    if (role && !json_is_null(role) && string_claim(payload, "role", c->role, sizeof c->role) <= 0)
        snprintf(c->role, sizeof c->role, "?");
}

jwt_status jwt_verify_hs256(const char *token, const unsigned char *key,
                            size_t keylen, long long now, long long leeway_s,
                            jwt_claims *out)
{
    jwt_status st = JWT_MALFORMED;
    json_t *header = NULL, *payload = NULL, *alg;
    const char *dot1, *dot2, *sig;
    size_t len, siglen, sigbin_len = 0;
    unsigned char mac[JWT_SIG_LEN], sigbin[JWT_SIG_LEN + 3];
    jwt_claims c;
    int has_exp, has_nbf, has_iat, r;

    memset(&c, 0, sizeof c);
    if (out) memset(out, 0, sizeof *out);
    if (!token) goto out;
    len = strnlen(token, JWT_MAX_TOKEN_LEN + 1);
    if (len > JWT_MAX_TOKEN_LEN) { st = JWT_TOO_LONG; goto out; }
    if (sodium_init() < 0) goto out;

    /* Exactly three segments. */
    dot1 = memchr(token, '.', len);
    if (!dot1) goto out;
    dot2 = memchr(dot1 + 1, '.', len - (size_t)(dot1 + 1 - token));
    if (!dot2 || memchr(dot2 + 1, '.', len - (size_t)(dot2 + 1 - token))) goto out;
    sig = dot2 + 1;
    siglen = len - (size_t)(sig - token);

    /* Header: a JSON object whose alg is exactly "HS256". */
    header = segment_object(token, (size_t)(dot1 - token));
    if (!header) goto out;
    alg = json_object_get(header, "alg");
    if (!json_is_string(alg) || json_string_length(alg) != 5 ||
        strcmp(json_string_value(alg), "HS256") != 0) {
        st = JWT_BAD_ALG;
        goto out;
    }
    /* We implement no header extensions, so "crit" must be refused (RFC 7515
     * 4.1.11); a non-string typ is nonsense. */
    if (json_object_get(header, "crit")) goto out;
    if (json_object_get(header, "typ") && !json_is_string(json_object_get(header, "typ")))
        goto out;

    /* Signature, constant-time. */
    if (!key || keylen == 0) { st = JWT_BAD_SIGNATURE; goto out; }
    if (siglen == 0) { st = JWT_BAD_SIGNATURE; goto out; }
    if (b64url_decode(sig, siglen, sigbin, sizeof sigbin, &sigbin_len) != 0) goto out;
    if (hmac_sha256(key, keylen, token, (size_t)(dot2 - token), mac) != 0) goto out;
    if (sigbin_len != JWT_SIG_LEN || crypto_verify_32(mac, sigbin) != 0) {
        st = JWT_BAD_SIGNATURE;
        goto out;
    }

    /* Claims. */
    payload = segment_object(dot1 + 1, (size_t)(dot2 - dot1 - 1));
    if (!payload) goto out;
    if ((has_exp = numeric_claim(payload, "exp", &c.exp)) <= 0) goto out;
    if ((has_nbf = numeric_claim(payload, "nbf", &c.nbf)) < 0) goto out;
    if ((has_iat = numeric_claim(payload, "iat", &c.iat)) < 0) goto out;
    if (string_claim(payload, "email", c.email, sizeof c.email) < 0) goto out;
    if (string_claim(payload, "sid", c.sid, sizeof c.sid) < 0) goto out;
    r = string_claim(payload, "sub", c.sub, sizeof c.sub);
    if (r < 0 && json_is_string(json_object_get(payload, "sub"))) goto out; /* too long / NUL */
    if (r <= 0 || c.sub[0] == '\0') { st = JWT_MISSING_SUB; goto out; }
    read_aud_role(payload, &c);

    if (leeway_s < 0) leeway_s = 0;
    if (leeway_s > JWT_MAX_LEEWAY_S) leeway_s = JWT_MAX_LEEWAY_S;
    /* Claims are bounded to [0, JWT_MAX_TIME], so claim ± leeway can't overflow. */
    if (now > c.exp + leeway_s) { st = JWT_EXPIRED; goto out; }
    if (has_nbf && now < c.nbf - leeway_s) { st = JWT_NOT_YET_VALID; goto out; }
    if (has_iat && now < c.iat - leeway_s) { st = JWT_NOT_YET_VALID; goto out; }

    if (out) *out = c;
    st = JWT_OK;
out:
    json_decref(header);
    json_decref(payload);
    sodium_memzero(mac, sizeof mac);
    sodium_memzero(&c, sizeof c);
    return st;
}

int jwt_sign_hs256(const unsigned char *key, size_t keylen, const char *sub,
                   const char *email, long long iat, long long exp,
                   char *out, size_t outsz)
{
    return jwt_sign_hs256_sid(key, keylen, sub, email, NULL, iat, exp, out, outsz);
}

int jwt_sign_hs256_sid(const unsigned char *key, size_t keylen, const char *sub,
                       const char *email, const char *sid, long long iat, long long exp,
                       char *out, size_t outsz)
{
    int rc = -1;
    json_t *payload = NULL;
    char *pjson = NULL;
    size_t plen, hlen = sizeof jwt_header_b64 - 1, p64len, s64len, total, sublen;
    unsigned char mac[JWT_SIG_LEN];

    if (out && outsz) out[0] = '\0';
    if (!key || keylen == 0 || !sub || !out) goto out;
    sublen = strnlen(sub, sizeof(((jwt_claims *)0)->sub));
    if (sublen == 0 || sublen >= sizeof(((jwt_claims *)0)->sub)) goto out;
    if (email && strnlen(email, sizeof(((jwt_claims *)0)->email)) >= sizeof(((jwt_claims *)0)->email))
        goto out;
    if (sid && (!*sid || strnlen(sid, sizeof(((jwt_claims *)0)->sid)) >= sizeof(((jwt_claims *)0)->sid)))
        goto out;
    if (iat < 0 || iat > JWT_MAX_TIME || exp < 0 || exp > JWT_MAX_TIME) goto out;
    if (sodium_init() < 0) goto out;

    /* json_string() refuses invalid UTF-8, so a NULL anywhere fails the set. */
    payload = json_object();
    if (!payload ||
        json_object_set_new(payload, "sub", json_string(sub)) != 0 ||
        (email && json_object_set_new(payload, "email", json_string(email)) != 0) ||
        (sid && json_object_set_new(payload, "sid", json_string(sid)) != 0) ||
        json_object_set_new(payload, "iat", json_integer(iat)) != 0 ||
        json_object_set_new(payload, "exp", json_integer(exp)) != 0)
        goto out;
    pjson = json_dumps(payload, JSON_COMPACT | JSON_PRESERVE_ORDER);
    if (!pjson) goto out;
    plen = strlen(pjson);

    p64len = sodium_base64_ENCODED_LEN(plen, B64URL) - 1;
    s64len = sodium_base64_ENCODED_LEN(JWT_SIG_LEN, B64URL) - 1;
    total = hlen + 1 + p64len + 1 + s64len;
    if (total > JWT_MAX_TOKEN_LEN || total + 1 > outsz) goto out;

    memcpy(out, jwt_header_b64, hlen);
    out[hlen] = '.';
    sodium_bin2base64(out + hlen + 1, p64len + 1, (const unsigned char *)pjson, plen, B64URL);
    if (hmac_sha256(key, keylen, out, hlen + 1 + p64len, mac) != 0) goto out;
    out[hlen + 1 + p64len] = '.';
    sodium_bin2base64(out + hlen + 1 + p64len + 1, s64len + 1, mac, JWT_SIG_LEN, B64URL);
    rc = 0;
out:
    if (rc != 0 && out && outsz) out[0] = '\0';
    if (pjson) {
        sodium_memzero(pjson, strlen(pjson));
        free(pjson);
    }
    json_decref(payload);
    sodium_memzero(mac, sizeof mac);
    return rc;
}

jwt_status jwt_verify_hs256_any(const char *token, const jwt_key *keys, size_t nkeys,
                                long long now, long long leeway_s, jwt_claims *out,
                                int *which)
{
    jwt_status st;

    if (which) *which = -1;
    if (out) memset(out, 0, sizeof *out);
    size_t tried = 0;
    for (size_t i = 0; keys && i < nkeys; i++) {
        if (!keys[i].key || keys[i].len == 0) continue;
        tried++;
        st = jwt_verify_hs256(token, keys[i].key, keys[i].len, now, leeway_s, out);
        if (st != JWT_BAD_SIGNATURE) {
            if (which) *which = (int)i;
            return st;
        }
    }
    if (!tried) /* no key at all: the same answer as a single empty key */
        return jwt_verify_hs256(token, NULL, 0, now, leeway_s, out);
    return JWT_BAD_SIGNATURE;
}
