/* config.c — owns parsing and validation of configuration values. */
#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *const VS_VERSION = "0.1.0";

enum kind { K_STR, K_INT };

struct key_def {
    const char *name;
    enum kind kind;
    size_t offset;
    size_t size;   /* for strings */
    long min, max; /* for ints */
    bool secret;
};

#define S(field, secret) {#field, K_STR, offsetof(vs_config, field), sizeof(((vs_config *)0)->field), 0, 0, secret}
#define I(field, lo, hi) {#field, K_INT, offsetof(vs_config, field), 0, lo, hi, false}

static const struct key_def keys[] = {
    S(db_host, false), I(db_port, 1, 65535), S(db_socket, false), S(db_name, false),
    S(db_user, false), S(db_password, true), S(jwt_secret, true), S(supabase_jwt_secret, true),
    {"master_key", K_STR, offsetof(vs_config, master_key_hex), sizeof(((vs_config *)0)->master_key_hex), 0, 0, true},
    S(service_key, true), S(api_socket, false), I(workers, 1, 64), I(threads, 1, 256),
    {"max_body_bytes", K_INT, offsetof(vs_config, max_body_bytes), sizeof(long), 1024, 64L * 1024 * 1024, false},
    I(jwt_ttl_seconds, 60, 86400 * 30), S(log_level, false), I(mc_allow_http, 0, 1),
    I(mc_daily_quota, 1, 1000000), I(mc_timeout_seconds, 1, 600), I(login_max_failures, 1, 1000),
    I(login_window_seconds, 1, 86400), I(refresh_ttl_seconds, 300, 86400 * 365), I(password_opslimit, 1, 16),
    I(password_memlimit_kib, 8, 4 * 1024 * 1024),
};

static void set_defaults(vs_config *c)
{
    memset(c, 0, sizeof *c);
    snprintf(c->db_host, sizeof c->db_host, "127.0.0.1");
    c->db_port = 3306;
    snprintf(c->db_name, sizeof c->db_name, "victorysync");
    snprintf(c->db_user, sizeof c->db_user, "victorysync");
    snprintf(c->api_socket, sizeof c->api_socket, "/run/victorysync/api.sock");
    c->workers = 2;
    c->threads = 8;
    c->max_body_bytes = 256 * 1024;
    c->jwt_ttl_seconds = 3600;
    snprintf(c->log_level, sizeof c->log_level, "info");
    c->mc_daily_quota = 2500;
    c->mc_timeout_seconds = 20;
    c->login_max_failures = 5;
    c->login_window_seconds = 900;
    c->refresh_ttl_seconds = 86400 * 30;
    c->password_opslimit = 2;          /* crypto_pwhash_OPSLIMIT_INTERACTIVE */
    c->password_memlimit_kib = 65536;  /* crypto_pwhash_MEMLIMIT_INTERACTIVE (64 MiB) */
}

int config_set(vs_config *cfg, const char *key, const char *value, char *err, size_t errsz)
{
    for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++) {
        const struct key_def *k = &keys[i];
        if (strcmp(k->name, key) != 0)
            continue;
        char *field = (char *)cfg + k->offset;
        if (k->kind == K_STR) {
            if (strlen(value) >= k->size) {
                snprintf(err, errsz, "config: value of %s is too long (max %zu)", key, k->size - 1);
                return -1;
            }
            memcpy(field, value, strlen(value) + 1);
            return 0;
        }
        char *end;
        errno = 0;
        long v = strtol(value, &end, 10);
        if (errno || end == value || *end || v < k->min || v > k->max) {
            snprintf(err, errsz, "config: %s must be an integer in [%ld, %ld]", key, k->min, k->max);
            return -1;
        }
        if (k->size == sizeof(long))
            *(long *)field = v;
        else
            *(int *)field = (int)v;
        return 0;
    }
    snprintf(err, errsz, "config: unknown key '%s'", key);
    return -1;
}

static char *trim(char *s)
{
    while (isspace((unsigned char)*s))
        s++;
    size_t n = strlen(s);
    while (n && isspace((unsigned char)s[n - 1]))
        s[--n] = 0;
    return s;
}

static int load_file(vs_config *cfg, const char *path, char *err, size_t errsz)
{
    FILE *f = fopen(path, "r");
    if (!f) {
        snprintf(err, errsz, "config: cannot open %s: %s", path, strerror(errno));
        return -1;
    }
    char line[1024];
    int lineno = 0, rc = 0;
    while (fgets(line, sizeof line, f)) {
        lineno++;
        char *s = trim(line);
        if (!*s || *s == '#')
            continue;
        char *eq = strchr(s, '=');
        if (!eq) {
            snprintf(err, errsz, "config: %s:%d: expected KEY=VALUE", path, lineno);
            rc = -1;
            break;
        }
        *eq = 0;
        if (config_set(cfg, trim(s), trim(eq + 1), err, errsz) != 0) {
            rc = -1;
            break;
        }
    }
    fclose(f);
    return rc;
}

/* Read one credential file (systemd LoadCredential=), trailing newline dropped. */
static int load_credential(vs_config *cfg, const char *dir, const struct key_def *k, char *err, size_t errsz)
{
    char path[512], buf[512];
    snprintf(path, sizeof path, "%s/%s", dir, k->name);
    FILE *f = fopen(path, "r");
    if (!f)
        return 0;
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    fclose(f);
    buf[n] = 0;
    return config_set(cfg, k->name, trim(buf), err, errsz);
}

int config_load(vs_config *cfg, const char *path, char *err, size_t errsz)
{
    set_defaults(cfg);
    if (!path)
        path = getenv("VS_CONFIG");
    if (path && *path && load_file(cfg, path, err, errsz) != 0)
        return -1;
    const char *cred_dir = getenv("CREDENTIALS_DIRECTORY");
    for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++) {
        char env[64] = "VS_";
        for (size_t j = 0; keys[i].name[j] && j + 4 < sizeof env; j++)
            env[3 + j] = (char)toupper((unsigned char)keys[i].name[j]), env[4 + j] = 0;
        const char *v = getenv(env);
        if (v && config_set(cfg, keys[i].name, v, err, errsz) != 0)
            return -1;
        if (keys[i].secret && cred_dir && load_credential(cfg, cred_dir, &keys[i], err, errsz) != 0)
            return -1;
    }
    if (strlen(cfg->jwt_secret) && strlen(cfg->jwt_secret) < 32) {
        snprintf(err, errsz, "config: jwt_secret must be at least 32 bytes");
        return -1;
    }
    return 0;
}
