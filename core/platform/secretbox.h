/* secretbox.h — secrets at rest (XSalsa20-Poly1305), constant-time string
 * compare and random URL-safe tokens. */
#ifndef VS_SECRETBOX_H
#define VS_SECRETBOX_H

#include <stdbool.h>
#include <stddef.h>

#define SECRET_MAX_PLAIN (64u * 1024u) /* bytes */
#define RANDOM_TOKEN_MAX_BYTES 1024u

/* Parses exactly 64 hex chars into key. Returns 0 or -1 (key zeroed). */
int secret_key_from_hex(const char *hex, unsigned char key[32]);

/* *out_b64 = malloc'd "v1:" + standard base64 (with padding) of
 * nonce || crypto_secretbox_easy(plain). plain may be NULL when len == 0.
 * Returns 0, or -1 (with *out_b64 = NULL) if len > SECRET_MAX_PLAIN or on
 * failure. */
int secret_encrypt(const unsigned char key[32], const void *plain, size_t len,
                   char **out_b64);

/* Inverse of secret_encrypt. *out_plain is malloc'd and NUL-terminated;
 * out_len may be NULL. Returns 0, or -1 (with *out_plain = NULL) on bad
 * format, tampering or wrong key. */
int secret_decrypt(const unsigned char key[32], const char *b64,
                   char **out_plain, size_t *out_len);

/* Constant-time equality of two C strings; only the lengths may leak.
 * NULL never equals anything. */
bool ct_equal_str(const char *a, const char *b);

/* Writes nbytes_random random bytes, base64url without padding, into out,
 * which must hold sodium_base64_ENCODED_LEN(nbytes_random,
 * sodium_base64_VARIANT_URLSAFE_NO_PADDING) bytes. nbytes_random must be
 * <= RANDOM_TOKEN_MAX_BYTES (aborts otherwise: a programming error). */
void random_token_b64url(char *out, size_t nbytes_random);

#endif
