/* api_key_secret.h — organisation API keys: generation, storage hash, format check.
 *
 * A key is "vs_live_" followed by 43 base64url characters (32 random bytes).
 * Only the SHA-256 hex of the key and its 12-character display prefix are
 * stored; keys are high-entropy, so a fast hash is the right choice. */
#ifndef VS_API_KEY_SECRET_H
#define VS_API_KEY_SECRET_H

#include <stdbool.h>

#define APIKEY_LEN 51 /* "vs_live_" + 43 base64url chars of 32 random bytes */
#define APIKEY_PREFIX "vs_live_"
#define APIKEY_DISPLAY_PREFIX_LEN 12

/* Fills key (NUL-terminated), prefix (its first 12 chars) and hash_hex
 * (lowercase SHA-256 hex of key). Returns 0, or -1 if libsodium can't start. */
int apikey_generate(char key[APIKEY_LEN + 1], char prefix[16], char hash_hex[65]);

/* Lowercase SHA-256 hex of key (NULL hashes as ""; input capped at 1 KiB). */
void apikey_hash(const char *key, char hash_hex[65]);

/* Exact length, "vs_live_" prefix, base64url charset, canonical encoding. */
bool apikey_is_well_formed(const char *key);

#endif
