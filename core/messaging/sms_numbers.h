/* sms_numbers.h — the texting numbers of an org (sms_numbers, seed 003): E.164
 * number, label, the default flag (exactly one default while the org has any
 * number) and an optional per-number MightyCall user key, sealed with the
 * master key (core/platform/secretbox.h) and never returned or logged.
 *
 * The per-number key is the MightyCall *user key* (client_secret) of the user
 * who owns that number; it is used with the org integration's api_key and
 * host. Without one, the integration's own credentials send. */
#ifndef VS_SMS_NUMBERS_H
#define VS_SMS_NUMBERS_H

#include <jansson.h>
#include <stdbool.h>

#include "platform/config.h"
#include "platform/db.h"
#include "platform/phone.h"

#define SMS_NUMBER_LABEL_MAX 200 /* characters */
#define SMS_NUMBER_KEY_MAX 256   /* bytes of a per-number key */
#define SMS_NUMBERS_MAX 500      /* numbers per org */

enum { SMS_KEY_KEEP = 0, SMS_KEY_SET, SMS_KEY_CLEAR };

typedef struct {
    const char *phone;   /* E.164 (normalised by the caller) */
    const char *label;   /* NULL = keep (new rows: "") */
    int is_default;      /* -1 = not given, 0, 1 */
    int key_action;      /* SMS_KEY_* */
    const char *key;     /* SMS_KEY_SET: the plaintext key */
} sms_number_input;

/* vs_result members (platform/result.h) under this module's names */
#define SMS_NUMBER_NEEDS_DEFAULT VS_ERR_CONFLICT /* would leave the org without a default */
#define SMS_NUMBER_TOO_MANY VS_ERR_LIMIT         /* SMS_NUMBERS_MAX reached */
#define SMS_NUMBER_SEAL_FAILED VS_ERR_SECRET     /* master key unusable */

/* Page of the org's numbers, default first then oldest: {id, phone_number,
 * label, is_default, has_mightycall_key, phone_number_id, created_at,
 * updated_at}. */
int sms_numbers_list(db_conn *db, const char *org_id, long long skip, int limit, json_t **rows, long long *total);

/* Create or update the number (by org and phone) in one transaction; the
 * first number of an org becomes its default, setting a default clears the
 * previous one. *out = the row as listed; *created tells which happened. */
int sms_number_upsert(db_conn *db, const vs_config *cfg, const char *org_id, const char *actor_user_id,
                      const sms_number_input *in, json_t **out, bool *created);

/* Delete; the oldest remaining number becomes the default if the default
 * went. *found false when no such number in the org. */
int sms_number_delete(db_conn *db, const char *org_id, const char *id, bool *found);

/* A sending identity resolved for a send. */
typedef struct {
    char id[37];                       /* sms_numbers.id, "" when not configured there */
    char phone[PHONE_E164_MAX + 1];
    bool has_key;
    char key[SMS_NUMBER_KEY_MAX + 1];  /* decrypted per-number key (wipe with sms_sender_wipe) */
} sms_sender;

/* The org's sender for phone (NULL = the default number). Looks in
 * sms_numbers, then (phone given) in the org's synced phone_numbers that may
 * text. *found false when neither knows it. Returns a DB_ code, or
 * SMS_NUMBER_SEAL_FAILED when the stored key cannot be decrypted. */
int sms_sender_resolve(db_conn *db, const vs_config *cfg, const char *org_id, const char *phone, sms_sender *out,
                       bool *found);
void sms_sender_wipe(sms_sender *s);

#endif
