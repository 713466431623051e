/* one_time_token.h — the random one-time tokens of invitation and
 * password-reset links: a 4-character kind prefix ("vsi_" invitation, "vsp_"
 * password reset) + 43 base64url characters (32 random bytes). Only the
 * SHA-256 hex of a token is stored. */
#ifndef VS_ONE_TIME_TOKEN_H
#define VS_ONE_TIME_TOKEN_H

#include <stdbool.h>

#define OTT_LEN 47 /* prefix (4) + 43 */
#define OTT_INVITE_PREFIX "vsi_"
#define OTT_RESET_PREFIX "vsp_"

/* New token with prefix (4 characters) and the hex SHA-256 to store. */
void ott_new(const char *prefix, char token[OTT_LEN + 1], char hash_hex[65]);

/* hash_hex of a presented token; false (hash_hex "") when it is not a
 * well-formed token of this prefix. */
bool ott_hash(const char *prefix, const char *token, char hash_hex[65]);

#endif
