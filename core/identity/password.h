/* password.h — user password hashing (argon2id via libsodium) and policy. */
#ifndef VS_PASSWORD_H
#define VS_PASSWORD_H

#include <stdbool.h>
#include <stddef.h>

#define PASSWORD_MIN_LEN 8   /* bytes */
#define PASSWORD_MAX_LEN 256 /* bytes */
#define PASSWORD_HASH_SIZE 128 /* == crypto_pwhash_STRBYTES */

/* Hashes an acceptable password (see password_is_acceptable) into out as a
 * NUL-terminated "$argon2id$..." string. Returns 0, or -1 on bad input or
 * failure (e.g. out of memory). */
int password_hash(const char *password, char out[PASSWORD_HASH_SIZE]);

/* Constant-time verify; false on mismatch or any error. */
bool password_verify(const char *stored_hash, const char *password);

/* 8..256 bytes of valid UTF-8 (no overlongs, surrogates or > U+10FFFF). */
bool password_is_acceptable(const char *password);

/* Process-wide argon2id cost for new hashes. Defaults to
 * crypto_pwhash_OPSLIMIT_INTERACTIVE / crypto_pwhash_MEMLIMIT_INTERACTIVE.
 * Out-of-range values are clamped to libsodium's MIN/MAX. Thread-safe. */
void password_set_cost(unsigned long long opslimit, size_t memlimit);

/* Runs a full verify against a fixed hash made with the current cost, so a
 * login for an unknown user takes as long as a wrong password. Always
 * returns false. The first call after a cost change also builds that hash. */
bool password_dummy_verify(const char *password);

#endif
