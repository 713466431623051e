/* sms_numbers.c — owns the sms_numbers table and the choice of the sending
 * number and key for an SMS; see sms_numbers.h. */
#include "messaging/sms_numbers.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mightycall/integration.h"
#include "platform/log.h"
#include "platform/secretbox.h"

#define ROW_COLS                                                                                                  \
    "SELECT s.id, s.phone_number, s.label, s.is_default, "                                                        \
    "IF(s.mightycall_key_enc IS NULL, 'false', 'true') AS has_mightycall_key__json, "                             \
    "(SELECT p.id FROM phone_numbers p WHERE p.org_id = s.org_id AND p.number = s.phone_number "                  \
    "ORDER BY p.status = 'active' DESC, p.created_at LIMIT 1) AS phone_number_id, "                               \
    "s.key_updated_at AS key_updated_at, s.created_at, s.updated_at FROM sms_numbers s "

int sms_numbers_list(db_conn *db, const char *org_id, long long skip, int limit, json_t **rows, long long *total)
{
    db_param c[] = {DBP_STR(org_id)};
    int rc = db_query_int(db, "SELECT COUNT(*) FROM sms_numbers WHERE org_id = ?", c, 1, total);
    if (rc != DB_OK)
        return rc;
    db_param p[] = {DBP_STR(org_id), DBP_INT(limit), DBP_INT(skip)};
    return db_query(db, ROW_COLS "WHERE s.org_id = ? ORDER BY s.is_default DESC, s.created_at, s.id LIMIT ? OFFSET ?",
                    p, 3, rows);
}

struct upsert_arg {
    const vs_config *cfg;
    const char *org_id, *actor;
    const sms_number_input *in;
    const char *sealed; /* SMS_KEY_SET: the ciphertext */
    bool created;
    char id[37];
};

static int clear_default(db_conn *db, const char *org_id)
{
    db_param p[] = {DBP_STR(org_id)};
    return db_exec(db, "UPDATE sms_numbers SET is_default = 0 WHERE org_id = ? AND is_default = 1", p, 1, NULL);
}

static int upsert_tx(db_conn *db, void *arg)
{
    struct upsert_arg *a = arg;
    const sms_number_input *in = a->in;
    /* one writer per org at a time: "first number is the default" stays true */
    db_param o[] = {DBP_STR(a->org_id)};
    long long lock = 0;
    int rc = db_query_int(db, "SELECT COUNT(*) FROM orgs WHERE id = ? FOR UPDATE", o, 1, &lock);
    if (rc != DB_OK)
        return rc;
    json_t *row = NULL;
    db_param q[] = {DBP_STR(a->org_id), DBP_STR(in->phone)};
    rc = db_query_row(db, "SELECT id, is_default FROM sms_numbers WHERE org_id = ? AND phone_number = ? FOR UPDATE",
                      q, 2, &row);
    if (rc != DB_OK)
        return rc;
    if (!row) {
        long long count = 0;
        rc = db_query_int(db, "SELECT COUNT(*) FROM sms_numbers WHERE org_id = ?", o, 1, &count);
        if (rc != DB_OK)
            return rc;
        if (count >= SMS_NUMBERS_MAX)
            return SMS_NUMBER_TOO_MANY;
        bool make_default = in->is_default == 1 || count == 0;
        if (make_default && (rc = clear_default(db, a->org_id)) != DB_OK)
            return rc;
        json_t *ins = NULL;
        db_param v[] = {DBP_STR(a->org_id), DBP_STR(in->phone), DBP_STR(in->label ? in->label : ""),
                        DBP_INT(make_default),  DBP_STR(a->sealed), DBP_INT(a->sealed != NULL),
                        DBP_STR(a->actor)};
        rc = db_query_row(db,
                          "INSERT INTO sms_numbers (org_id, phone_number, label, is_default, mightycall_key_enc, "
                          "key_updated_at, created_by) VALUES (?, ?, ?, ?, ?, IF(?, NOW(3), NULL), ?) RETURNING id",
                          v, DB_NPARAMS(v), &ins);
        if (rc == DB_OK && ins)
            snprintf(a->id, sizeof a->id, "%s", json_string_value(json_object_get(ins, "id")));
        json_decref(ins);
        a->created = true;
        return rc;
    }
    snprintf(a->id, sizeof a->id, "%s", json_string_value(json_object_get(row, "id")));
    bool was_default = json_is_true(json_object_get(row, "is_default"));
    json_decref(row);
    if (in->is_default == 0 && was_default)
        return SMS_NUMBER_NEEDS_DEFAULT;
    if (in->is_default == 1 && !was_default) {
        if ((rc = clear_default(db, a->org_id)) != DB_OK)
            return rc;
        db_param d[] = {DBP_STR(a->id)};
        if ((rc = db_exec(db, "UPDATE sms_numbers SET is_default = 1 WHERE id = ?", d, 1, NULL)) != DB_OK)
            return rc;
    }
    if (in->label) {
        db_param l[] = {DBP_STR(in->label), DBP_STR(a->id)};
        if ((rc = db_exec(db, "UPDATE sms_numbers SET label = ? WHERE id = ?", l, 2, NULL)) != DB_OK)
            return rc;
    }
    if (in->key_action != SMS_KEY_KEEP) {
        db_param k[] = {DBP_STR(a->sealed), DBP_INT(a->sealed != NULL), DBP_STR(a->id)};
        rc = db_exec(db,
                     "UPDATE sms_numbers SET mightycall_key_enc = ?, key_updated_at = IF(?, NOW(3), NULL) "
                     "WHERE id = ?",
                     k, 3, NULL);
    }
    return rc;
}

int sms_number_upsert(db_conn *db, const vs_config *cfg, const char *org_id, const char *actor_user_id,
                      const sms_number_input *in, json_t **out, bool *created)
{
    char *sealed = NULL;
    *out = NULL;
    *created = false;
    if (in->key_action == SMS_KEY_SET && integration_seal_string(cfg, in->key, &sealed) != 0)
        return SMS_NUMBER_SEAL_FAILED;
    struct upsert_arg a = {.cfg = cfg, .org_id = org_id, .actor = actor_user_id, .in = in, .sealed = sealed};
    int rc = db_transaction(db, upsert_tx, &a);
    free(sealed);
    if (rc != DB_OK)
        return rc;
    *created = a.created;
    db_param p[] = {DBP_STR(a.id), DBP_STR(org_id)};
    return db_query_row(db, ROW_COLS "WHERE s.id = ? AND s.org_id = ?", p, 2, out);
}

struct delete_arg {
    const char *org_id, *id;
    bool found;
};

static int delete_tx(db_conn *db, void *arg)
{
    struct delete_arg *a = arg;
    db_param o[] = {DBP_STR(a->org_id)};
    long long lock = 0;
    int rc = db_query_int(db, "SELECT COUNT(*) FROM orgs WHERE id = ? FOR UPDATE", o, 1, &lock);
    if (rc != DB_OK)
        return rc;
    unsigned long long n = 0;
    db_param p[] = {DBP_STR(a->id), DBP_STR(a->org_id)};
    rc = db_exec(db, "DELETE FROM sms_numbers WHERE id = ? AND org_id = ?", p, 2, &n);
    if (rc != DB_OK)
        return rc;
    a->found = n > 0;
    long long defaults = 0;
    rc = db_query_int(db, "SELECT COUNT(*) FROM sms_numbers WHERE org_id = ? AND is_default = 1", o, 1, &defaults);
    if (rc != DB_OK || defaults > 0)
        return rc;
    return db_exec(db,
                   "UPDATE sms_numbers SET is_default = 1 WHERE org_id = ? ORDER BY created_at, id LIMIT 1", o, 1,
                   NULL);
}

int sms_number_delete(db_conn *db, const char *org_id, const char *id, bool *found)
{
    struct delete_arg a = {.org_id = org_id, .id = id};
    int rc = db_transaction(db, delete_tx, &a);
    *found = a.found;
    return rc;
}

void sms_sender_wipe(sms_sender *s) { sodium_memzero(s, sizeof *s); }

int sms_sender_resolve(db_conn *db, const vs_config *cfg, const char *org_id, const char *phone, sms_sender *out,
                       bool *found)
{
    memset(out, 0, sizeof *out);
    *found = false;
    json_t *row = NULL;
    int rc;
    if (phone) {
        db_param p[] = {DBP_STR(org_id), DBP_STR(phone)};
        rc = db_query_row(db,
                          "SELECT id, phone_number, mightycall_key_enc FROM sms_numbers "
                          "WHERE org_id = ? AND phone_number = ?",
                          p, 2, &row);
    } else {
        db_param p[] = {DBP_STR(org_id)};
        rc = db_query_row(db,
                          "SELECT id, phone_number, mightycall_key_enc FROM sms_numbers "
                          "WHERE org_id = ? AND is_default = 1",
                          p, 1, &row);
    }
    if (rc != DB_OK)
        return rc;
    if (!row && phone) {
        /* a synced number of the org that may text */
        long long n = 0;
        db_param p[] = {DBP_STR(org_id), DBP_STR(phone)};
        rc = db_query_int(db,
                          "SELECT COUNT(*) FROM phone_numbers WHERE org_id = ? AND number = ? AND status = 'active' "
                          "AND sms_enabled = 1",
                          p, 2, &n);
        if (rc == DB_OK && n > 0) {
            *found = true;
            snprintf(out->phone, sizeof out->phone, "%s", phone);
        }
        return rc;
    }
    if (!row)
        return DB_OK;
    *found = true;
    snprintf(out->id, sizeof out->id, "%s", json_string_value(json_object_get(row, "id")));
    snprintf(out->phone, sizeof out->phone, "%s", json_string_value(json_object_get(row, "phone_number")));
    const char *enc = json_string_value(json_object_get(row, "mightycall_key_enc"));
    if (enc) {
        unsigned char key[32];
        char *plain = NULL;
        size_t len = 0;
        rc = SMS_NUMBER_SEAL_FAILED;
        if (secret_key_from_hex(cfg->master_key_hex, key) == 0 && secret_decrypt(key, enc, &plain, &len) == 0) {
            if (len <= SMS_NUMBER_KEY_MAX) {
                memcpy(out->key, plain, len);
                out->key[len] = 0;
                out->has_key = true;
                rc = DB_OK;
            }
            sodium_memzero(plain, len);
            free(plain);
        }
        sodium_memzero(key, sizeof key);
        if (rc != DB_OK)
            log_error("sms: the MightyCall key of SMS number %s cannot be decrypted (master key changed?)", out->id);
    }
    json_decref(row);
    return rc;
}
