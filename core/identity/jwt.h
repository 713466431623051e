/* jwt.h — HS256 JSON Web Tokens: signing and strict verification.
 *
 * Only HS256 is accepted; the header's "alg" must be exactly "HS256".
 * Verification is constant-time on the signature and rejects anything
 * oversized, non-canonical or ambiguous (duplicate JSON keys). aud and
 * role are read for the caller to check (auth_verify_access: Supabase
 * tokens must be for "authenticated"); other claims (session_id,
 * app_metadata, ...) are ignored. */
#ifndef VS_JWT_H
#define VS_JWT_H

#include <stddef.h>

#define JWT_MAX_TOKEN_LEN 4096 /* bytes, excluding the terminating NUL */
#define JWT_MAX_LEEWAY_S  86400LL /* larger leeway values are clamped */

typedef struct {
    char sub[64];
    char email[256];
    long long iat, exp, nbf; /* 0 when the claim was absent */
    char aud[64];  /* "" when absent or not a string; an array: "authenticated" when listed, else its first string */
    char role[32]; /* "" when absent; "?" when present but not a short string */
    char sid[64];  /* our session (refresh-token family) id; "" when absent */
} jwt_claims;

typedef enum {
    JWT_OK = 0,
    JWT_MALFORMED,
    JWT_BAD_ALG,
    JWT_BAD_SIGNATURE,
    JWT_EXPIRED,
    JWT_NOT_YET_VALID,
    JWT_MISSING_SUB,
    JWT_TOO_LONG,
    JWT_BAD_AUDIENCE /* a Supabase token not for aud/role "authenticated" (auth_verify_access) */
} jwt_status;

/* Writes a NUL-terminated token {"alg":"HS256","typ":"JWT"}.{sub,email,iat,exp}
 * into out. email may be NULL (claim omitted). sub must be 1..63 bytes,
 * email <= 255 bytes, both valid UTF-8. Returns 0, or -1 on bad input or
 * when out (or JWT_MAX_TOKEN_LEN) is too small. */
int jwt_sign_hs256(const unsigned char *key, size_t keylen, const char *sub,
                   const char *email, long long iat, long long exp,
                   char *out, size_t outsz);

/* Like jwt_sign_hs256, with the claim "sid" (the session: a refresh-token
 * family id, 1..63 bytes) unless sid is NULL. */
int jwt_sign_hs256_sid(const unsigned char *key, size_t keylen, const char *sub,
                       const char *email, const char *sid, long long iat, long long exp,
                       char *out, size_t outsz);

/* Verifies token against key at time now (unix seconds), allowing leeway_s
 * seconds of clock skew (negative → 0, clamped to JWT_MAX_LEEWAY_S).
 * out may be NULL; it is zeroed first and filled only on JWT_OK. */
jwt_status jwt_verify_hs256(const char *token, const unsigned char *key,
                            size_t keylen, long long now, long long leeway_s,
                            jwt_claims *out);

/* One HS256 key of a key ring (jwt_verify_hs256_any). */
typedef struct {
    const unsigned char *key;
    size_t len; /* 0: slot unused, skipped */
} jwt_key;

/* Verifies token against each key in order, for key rotation: the first key
 * whose signature matches decides (its claim checks included; a later key is
 * never a fallback for an expired token). Returns JWT_BAD_SIGNATURE when no
 * key matches. *which (may be NULL) is the index of the deciding key, or -1. */
jwt_status jwt_verify_hs256_any(const char *token, const jwt_key *keys, size_t nkeys,
                                long long now, long long leeway_s, jwt_claims *out,
                                int *which);

const char *jwt_status_str(jwt_status s);

#endif
