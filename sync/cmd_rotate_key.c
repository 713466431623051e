/* cmd_rotate_key.c — `vs-sync rotate-master-key`: re-encrypt every secret
 * stored in MariaDB from the current master key to a new one.
 *
 *   vs-sync [--config FILE] rotate-master-key --new-key-file FILE
 *           [--old-key-file FILE] [--dry-run]
 *
 * The old key is the configured master_key unless --old-key-file is given;
 * keys are read from files (64 hex characters), never from the command line.
 * Everything happens in one transaction, with the rows locked:
 *   - integrations.credentials_enc, integrations.webhook_secret_enc,
 *     mc_tokens.access_token_enc, mc_tokens.refresh_token_enc,
 *     sms_numbers.mightycall_key_enc: decrypted with the old key and
 *     encrypted again with the new one;
 *   - integrations.key_fp (keyed hash of the MightyCall api_key under the
 *     master key) and the matching mc_request_counts rows: recomputed, so
 *     today's quota count carries over.
 * A value that already decrypts with the new key is left alone, so running it
 * again (or after a crash, which rolled everything back) is harmless. A value
 * that decrypts with neither key stops the run and changes nothing. Only
 * counts are printed, never key material or secrets.
 * Exit codes: 0 ok, 1 failed (nothing changed), 2 usage, 3 database unavailable. */
#include <getopt.h>
#include <jansson.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "commands.h"
#include "platform/db.h"
#include "mightycall/mc_quota.h"
#include "platform/secretbox.h"

/* Every secretbox column in the schema (sql/020, sql/040). */
static const struct enc_column {
    const char *table, *id, *column;
} ENC_COLUMNS[] = {
    {"integrations", "id", "credentials_enc"},
    {"integrations", "id", "webhook_secret_enc"},
    {"mc_tokens", "integration_id", "access_token_enc"},
    {"mc_tokens", "integration_id", "refresh_token_enc"},
    {"sms_numbers", "id", "mightycall_key_enc"},
};
#define N_ENC (sizeof ENC_COLUMNS / sizeof ENC_COLUMNS[0])

struct rotation {
    unsigned char old_key[32], new_key[32];
    vs_config old_cfg, new_cfg; /* for mc_key_fingerprint() */
    long rotated[N_ENC], already[N_ENC];
    long fp_updated, counts_moved;
    char err[512];
};

static void print_usage(FILE *to)
{
    fprintf(to, "usage: vs-sync rotate-master-key --new-key-file FILE [--old-key-file FILE] [--dry-run]\n"
                "  Re-encrypts every stored secret from the configured master_key (or --old-key-file)\n"
                "  to the key in --new-key-file (64 hex characters), in one transaction. Stop the API\n"
                "  and the sync timers first; afterwards install the new key as the master_key\n"
                "  credential on every host. --dry-run checks everything and changes nothing.\n");
}

/* Reads a 64-hex key file (surrounding whitespace ignored) into key. */
static int read_key_file(const char *path, unsigned char key[32], char *err, size_t errsz)
{
    char buf[256];
    FILE *f = fopen(path, "r");
    if (!f) {
        snprintf(err, errsz, "cannot open key file %s", path);
        return -1;
    }
    struct stat st;
    if (fstat(fileno(f), &st) == 0 && (st.st_mode & 0077))
        fprintf(stderr, "vs-sync rotate-master-key: warning: %s is readable by group or others (chmod 0600)\n",
                path);
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    fclose(f);
    buf[n] = 0;
    char *s = buf;
    while (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r')
        s++;
    size_t len = strlen(s);
    while (len && (s[len - 1] == ' ' || s[len - 1] == '\t' || s[len - 1] == '\n' || s[len - 1] == '\r'))
        s[--len] = 0;
    int rc = secret_key_from_hex(s, key);
    sodium_memzero(buf, sizeof buf);
    if (rc != 0)
        snprintf(err, errsz, "key file %s must hold exactly 64 hex characters (openssl rand -hex 32)", path);
    return rc;
}

static void key_to_cfg(const unsigned char key[32], vs_config *cfg)
{
    sodium_bin2hex(cfg->master_key_hex, sizeof cfg->master_key_hex, key, 32);
}

static void wipe_free(char *p)
{
    if (p) {
        sodium_memzero(p, strlen(p));
        free(p);
    }
}

/* One column of one table: every non-NULL value to the new key. */
static int rotate_column(db_conn *db, struct rotation *r, size_t ci)
{
    const struct enc_column *ec = &ENC_COLUMNS[ci];
    char sql[300];
    json_t *rows = NULL;
    snprintf(sql, sizeof sql, "SELECT %s AS id, %s AS v FROM %s WHERE %s IS NOT NULL ORDER BY %s FOR UPDATE", ec->id,
             ec->column, ec->table, ec->column, ec->id);
    int rc = db_query(db, sql, NULL, 0, &rows);
    if (rc != DB_OK) {
        snprintf(r->err, sizeof r->err, "cannot read %s.%s: %s", ec->table, ec->column, db_last_error(db));
        return rc;
    }
    snprintf(sql, sizeof sql, "UPDATE %s SET %s = ? WHERE %s = ?", ec->table, ec->column, ec->id);
    size_t i;
    json_t *row;
    json_array_foreach(rows, i, row)
    {
        const char *id = json_string_value(json_object_get(row, "id"));
        const char *enc = json_string_value(json_object_get(row, "v"));
        char *plain = NULL, *sealed = NULL;
        size_t len = 0;
        if (secret_decrypt(r->old_key, enc, &plain, &len) != 0) {
            if (secret_decrypt(r->new_key, enc, &plain, &len) == 0) {
                wipe_free(plain);
                r->already[ci]++;
                continue;
            }
            snprintf(r->err, sizeof r->err, "%s.%s of %s %s decrypts with neither the old nor the new key",
                     ec->table, ec->column, ec->id, id ? id : "?");
            rc = DB_ERROR;
            break;
        }
        int sr = secret_encrypt(r->new_key, plain, len, &sealed);
        if (plain) {
            sodium_memzero(plain, len);
            free(plain);
        }
        if (sr != 0) {
            snprintf(r->err, sizeof r->err, "cannot encrypt %s.%s of %s %s", ec->table, ec->column, ec->id, id);
            rc = DB_ERROR;
            break;
        }
        db_param p[] = {DBP_STR(sealed), DBP_STR(id)};
        rc = db_exec(db, sql, p, 2, NULL);
        free(sealed);
        if (rc != DB_OK) {
            snprintf(r->err, sizeof r->err, "cannot update %s.%s: %s", ec->table, ec->column, db_last_error(db));
            break;
        }
        r->rotated[ci]++;
    }
    json_decref(rows);
    return rc;
}

/* integrations.key_fp and the quota rows keyed by it (after the credentials
 * are under the new key). */
static int rotate_fingerprints(db_conn *db, struct rotation *r)
{
    json_t *rows = NULL;
    int rc = db_query(db, "SELECT id, key_fp, credentials_enc FROM integrations ORDER BY id FOR UPDATE", NULL, 0,
                      &rows);
    if (rc != DB_OK) {
        snprintf(r->err, sizeof r->err, "cannot read integrations: %s", db_last_error(db));
        return rc;
    }
    size_t i;
    json_t *row;
    json_array_foreach(rows, i, row)
    {
        const char *id = json_string_value(json_object_get(row, "id"));
        const char *stored = json_string_value(json_object_get(row, "key_fp"));
        char *plain = NULL, old_fp[65], new_fp[65];
        if (secret_decrypt(r->new_key, json_string_value(json_object_get(row, "credentials_enc")), &plain, NULL) !=
            0) {
            snprintf(r->err, sizeof r->err, "integrations.credentials_enc of id %s does not decrypt after rotation", id);
            rc = DB_ERROR;
            break;
        }
        json_t *creds = json_loads(plain, 0, NULL);
        wipe_free(plain);
        const char *api_key = json_string_value(json_object_get(creds, "api_key"));
        int fr = api_key ? mc_key_fingerprint(&r->old_cfg, api_key, old_fp) |
                               mc_key_fingerprint(&r->new_cfg, api_key, new_fp)
                         : -1;
        json_decref(creds); /* jansson frees (and does not wipe) its copy: as in core/mightycall/integration.c */
        if (fr != 0) {
            snprintf(r->err, sizeof r->err, "integrations.credentials_enc of id %s has no api_key", id);
            rc = DB_ERROR;
            break;
        }
        if (stored && strcmp(stored, new_fp) == 0)
            continue;
        db_param up[] = {DBP_STR(new_fp), DBP_STR(id)};
        if ((rc = db_exec(db, "UPDATE integrations SET key_fp = ? WHERE id = ?", up, 2, NULL)) != DB_OK) {
            snprintf(r->err, sizeof r->err, "cannot update integrations.key_fp: %s", db_last_error(db));
            break;
        }
        r->fp_updated++;
        unsigned long long moved = 0;
        db_param mv[] = {DBP_STR(new_fp), DBP_STR(old_fp)};
        if ((rc = db_exec(db, "UPDATE mc_request_counts SET key_fp = ? WHERE key_fp = ?", mv, 2, &moved)) !=
            DB_OK) {
            snprintf(r->err, sizeof r->err, "cannot update mc_request_counts: %s", db_last_error(db));
            break;
        }
        r->counts_moved += (long)moved;
    }
    sodium_memzero(&r->old_cfg.master_key_hex, sizeof r->old_cfg.master_key_hex);
    json_decref(rows);
    return rc;
}

int cmd_rotate_master_key(const vs_config *cfg, int argc, char **argv)
{
    const char *new_file = NULL, *old_file = NULL;
    int dry_run = 0;
    static const struct option opts[] = {{"new-key-file", required_argument, 0, 'n'},
                                         {"old-key-file", required_argument, 0, 'o'},
                                         {"dry-run", no_argument, 0, 'd'},
                                         {"help", no_argument, 0, 'h'},
                                         {0, 0, 0, 0}};
    int o;
    optind = 1;
    while ((o = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        switch (o) {
        case 'n': new_file = optarg; break;
        case 'o': old_file = optarg; break;
        case 'd': dry_run = 1; break;
        case 'h': print_usage(stdout); return EXIT_OK;
        default: print_usage(stderr); return EXIT_USAGE;
        }
    }
    if (!new_file || optind < argc) {
        fprintf(stderr, "vs-sync rotate-master-key: --new-key-file FILE is required (the key is never taken from "
                        "the command line)\n");
        print_usage(stderr);
        return EXIT_USAGE;
    }
    static struct rotation r;
    memset(&r, 0, sizeof r);
    int rc = EXIT_USAGE;
    if (old_file) {
        if (read_key_file(old_file, r.old_key, r.err, sizeof r.err) != 0)
            goto done;
    } else if (secret_key_from_hex(cfg->master_key_hex, r.old_key) != 0) {
        snprintf(r.err, sizeof r.err, "master_key is not configured (or not 64 hex characters); give --old-key-file");
        goto done;
    }
    if (read_key_file(new_file, r.new_key, r.err, sizeof r.err) != 0)
        goto done;
    if (sodium_memcmp(r.old_key, r.new_key, 32) == 0) {
        snprintf(r.err, sizeof r.err, "the new key is the current master key: nothing to rotate");
        goto done;
    }
    r.old_cfg = *cfg;
    r.new_cfg = *cfg;
    key_to_cfg(r.old_key, &r.old_cfg);
    key_to_cfg(r.new_key, &r.new_cfg);

    db_conn *db = db_open(cfg);
    int dr = db_begin(db);
    for (size_t ci = 0; dr == DB_OK && ci < N_ENC; ci++)
        dr = rotate_column(db, &r, ci);
    if (dr == DB_OK)
        dr = rotate_fingerprints(db, &r);
    if (dr == DB_OK && !dry_run)
        dr = db_commit(db);
    else if (db)
        db_rollback(db);
    if (dr != DB_OK && !r.err[0])
        snprintf(r.err, sizeof r.err, "database: %s", db_last_error(db));
    db_close(db);
    if (dr != DB_OK) {
        rc = dr == DB_UNAVAILABLE ? EXIT_UNAVAILABLE : EXIT_FAILURE_;
        goto done;
    }

    long total = 0, already = 0;
    for (size_t ci = 0; ci < N_ENC; ci++) {
        total += r.rotated[ci];
        already += r.already[ci];
        printf("rotate-master-key: %s.%s: %ld re-encrypted, %ld already under the new key\n", ENC_COLUMNS[ci].table,
               ENC_COLUMNS[ci].column, r.rotated[ci], r.already[ci]);
    }
    printf("rotate-master-key: %ld quota fingerprints updated, %ld quota counters carried over\n", r.fp_updated,
           r.counts_moved);
    printf("rotate-master-key: %s: %ld secrets re-encrypted, %ld already under the new key%s\n",
           dry_run ? "dry run, nothing changed" : "committed", total, already,
           dry_run || total + r.fp_updated == 0 ? "" : "; now install the new key as master_key on every host");
    rc = EXIT_OK;
done:
    if (rc != EXIT_OK)
        fprintf(stderr, "vs-sync rotate-master-key: %s%s\n", r.err,
                rc == EXIT_FAILURE_ || rc == EXIT_UNAVAILABLE ? "; nothing changed" : "");
    sodium_memzero(&r, sizeof r);
    return rc;
}
