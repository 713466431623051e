/* config.c — owns parsing and validation of configuration values. */
#include "platform/config.h"
#include "platform/live_pub.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/un.h>

#include "platform/text.h"

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
    S(db_user, false), S(db_password, true), S(jwt_secret, true), S(jwt_secret_previous, true),
    S(supabase_jwt_secret, true),
    {"master_key", K_STR, offsetof(vs_config, master_key_hex), sizeof(((vs_config *)0)->master_key_hex), 0, 0, true},
    S(service_key, true), S(api_socket, false), I(workers, 1, 64), I(threads, 1, 256),
    {"max_body_bytes", K_INT, offsetof(vs_config, max_body_bytes), sizeof(long), 1024, 64L * 1024 * 1024, false},
    I(jwt_ttl_seconds, 60, 86400 * 30), S(log_level, false), I(mc_allow_http, 0, 1),
    I(mc_daily_quota, 1, 1000000), I(mc_timeout_seconds, 1, 600), I(login_max_failures, 1, 1000),
    I(login_window_seconds, 1, 86400), I(refresh_ttl_seconds, 300, 86400 * 365), I(password_opslimit, 1, 16),
    I(password_memlimit_kib, 8, 4 * 1024 * 1024), S(metrics_allow_cidr, false),
    I(login_ip_max_failures, 1, 100000), I(login_backoff_max_seconds, 0, 3600), I(service_key_max_failures, 1, 100000),
    S(mc_allowed_hosts, false), I(mc_allow_private, 0, 1), I(mc_check_concurrency, 1, 64),
    I(sync_triggers_per_minute, 1, 10000), I(sync_reconcile_minutes, 1, 1440), I(answer_cache_entries, 0, 4096),
    S(live_publish, false), S(change_board, false), I(zero_trip_lease_ms, 0, 3600000),
    S(smtp_url, false), S(smtp_from, false), S(smtp_user, false), S(smtp_password, true),
    I(smtp_require_tls, 0, 1), S(smtp_ca_file, false), S(public_url, false),
};

static const char *const log_levels[] = {"debug", "info", "warn", "error"};

static bool log_level_known(const char *v)
{
    for (size_t i = 0; i < sizeof log_levels / sizeof log_levels[0]; i++)
        if (strcmp(v, log_levels[i]) == 0)
            return true;
    return false;
}

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
    c->zero_trip_lease_ms = 1000;
    c->max_body_bytes = 256 * 1024;
    c->jwt_ttl_seconds = 3600;
    snprintf(c->log_level, sizeof c->log_level, "info");
    c->mc_daily_quota = 2500;
    c->mc_timeout_seconds = 20;
    c->login_max_failures = 5;
    c->login_window_seconds = 900;
    c->login_ip_max_failures = 30;
    c->login_backoff_max_seconds = 60;
    c->service_key_max_failures = 10;
    c->mc_check_concurrency = 2;
    c->sync_triggers_per_minute = 10;
    c->sync_reconcile_minutes = 60;
    c->answer_cache_entries = 64;
    c->refresh_ttl_seconds = 86400 * 30;
    c->password_opslimit = 2;          /* crypto_pwhash_OPSLIMIT_INTERACTIVE */
    c->password_memlimit_kib = 65536;  /* crypto_pwhash_MEMLIMIT_INTERACTIVE (64 MiB) */
    snprintf(c->metrics_allow_cidr, sizeof c->metrics_allow_cidr, "127.0.0.1,::1");
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
            if (strcmp(k->name, "log_level") == 0 && !log_level_known(value)) {
                snprintf(err, errsz, "config: log_level must be one of debug, info, warn, error");
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
    return config_validate(cfg, 0, err, errsz);
}

/* A FastCGI listen address as vs-api accepts it: an absolute unix socket path
 * that fits sockaddr_un, or [HOST]:PORT. */
static bool socket_address_ok(const char *v)
{
    if (v[0] == '/') {
        if (strlen(v) >= sizeof(((struct sockaddr_un *)0)->sun_path) || v[strlen(v) - 1] == '/')
            return false;
        for (const char *p = v; *p; p++)
            if (isspace((unsigned char)*p) || iscntrl((unsigned char)*p))
                return false;
        return true;
    }
    const char *colon = strrchr(v, ':');
    if (!colon || !colon[1] || strlen(colon + 1) > 5)
        return false;
    for (const char *p = colon + 1; *p; p++)
        if (!isdigit((unsigned char)*p))
            return false;
    long port = strtol(colon + 1, NULL, 10);
    for (const char *p = v; p < colon; p++)
        if (isspace((unsigned char)*p) || *p == '/')
            return false;
    return port >= 1 && port <= 65535;
}

static bool hex64(const char *v)
{
    if (strlen(v) != 64)
        return false;
    for (const char *p = v; *p; p++)
        if (!isxdigit((unsigned char)*p))
            return false;
    return true;
}

/* smtp_url / public_url: scheme://host[:port][/path], no user info (credentials
 * have their own keys, so the URL can be printed), no blanks or controls. */
static bool url_ok(const char *v, const char *const schemes[])
{
    const char *rest = NULL;
    for (size_t i = 0; schemes[i] && !rest; i++)
        if (strncmp(v, schemes[i], strlen(schemes[i])) == 0)
            rest = v + strlen(schemes[i]);
    if (!rest || !*rest || *rest == '/')
        return false;
    for (const char *p = rest; *p; p++)
        if (*p == '@' || (unsigned char)*p <= ' ' || *p == 0x7f)
            return false;
    return true;
}

static int validate_mail(const vs_config *cfg, char *err, size_t errsz)
{
    static const char *const smtp_schemes[] = {"smtp://", "smtps://", NULL};
    static const char *const web_schemes[] = {"https://", "http://", NULL};
    if (cfg->smtp_url[0] && !url_ok(cfg->smtp_url, smtp_schemes)) {
        snprintf(err, errsz, "config: smtp_url must be smtp://HOST[:PORT] or smtps://HOST[:PORT] without user info "
                             "(credentials go in smtp_user and the smtp_password credential)");
        return -1;
    }
    if (cfg->smtp_url[0] && !is_email(cfg->smtp_from)) {
        snprintf(err, errsz, "config: smtp_from must be an e-mail address when smtp_url is set");
        return -1;
    }
    if (cfg->smtp_password[0] && !cfg->smtp_user[0]) {
        snprintf(err, errsz, "config: smtp_password is set but smtp_user is not");
        return -1;
    }
    if (cfg->public_url[0] && !url_ok(cfg->public_url, web_schemes)) {
        snprintf(err, errsz, "config: public_url must be an http(s):// address without user info");
        return -1;
    }
    return 0;
}

int config_validate(const vs_config *cfg, unsigned needs, char *err, size_t errsz)
{
    if (validate_mail(cfg, err, errsz) != 0)
        return -1;
    if (cfg->jwt_secret[0] && strlen(cfg->jwt_secret) < 32) {
        snprintf(err, errsz, "config: jwt_secret must be at least 32 bytes");
        return -1;
    }
    if (cfg->jwt_secret_previous[0] && strlen(cfg->jwt_secret_previous) < 32) {
        snprintf(err, errsz, "config: jwt_secret_previous must be at least 32 bytes");
        return -1;
    }
    if (cfg->supabase_jwt_secret[0] && strlen(cfg->supabase_jwt_secret) < 32) {
        snprintf(err, errsz, "config: supabase_jwt_secret must be at least 32 bytes");
        return -1;
    }
    if (cfg->service_key[0] && strlen(cfg->service_key) < 32) {
        snprintf(err, errsz, "config: service_key must be at least 32 bytes (openssl rand -hex 32)");
        return -1;
    }
    if (cfg->jwt_secret_previous[0] && !cfg->jwt_secret[0]) {
        snprintf(err, errsz, "config: jwt_secret_previous is set but jwt_secret is not");
        return -1;
    }
    if (cfg->master_key_hex[0] && !hex64(cfg->master_key_hex)) {
        snprintf(err, errsz, "config: master_key must be exactly 64 hex characters (32 bytes; openssl rand -hex 32)");
        return -1;
    }
    if (!log_level_known(cfg->log_level)) {
        snprintf(err, errsz, "config: log_level must be one of debug, info, warn, error");
        return -1;
    }
    if (!socket_address_ok(cfg->api_socket)) {
        snprintf(err, errsz, "config: api_socket must be an absolute unix socket path (at most %zu bytes) or HOST:PORT",
                 sizeof(((struct sockaddr_un *)0)->sun_path) - 1);
        return -1;
    }
    if (cfg->change_board[0] && (cfg->change_board[0] != '/' || strpbrk(cfg->change_board, " \t\r\n"))) {
        snprintf(err, errsz, "config: change_board must be an absolute file path (or empty: off)");
        return -1;
    }
    if (!live_pub_target_ok(cfg->live_publish)) {
        snprintf(err, errsz, "config: live_publish must be unix:/absolute/path.sock or http://127.0.0.1:PORT (loopback)");
        return -1;
    }
    if (cfg->db_socket[0] && cfg->db_socket[0] != '/') {
        snprintf(err, errsz, "config: db_socket must be an absolute path");
        return -1;
    }
    if ((needs & CONFIG_NEED_JWT_SECRET) && !cfg->jwt_secret[0]) {
        snprintf(err, errsz, "config: jwt_secret is required (credential file $CREDENTIALS_DIRECTORY/jwt_secret)");
        return -1;
    }
    if ((needs & CONFIG_NEED_MASTER_KEY) && !cfg->master_key_hex[0]) {
        snprintf(err, errsz, "config: master_key is required (credential file $CREDENTIALS_DIRECTORY/master_key)");
        return -1;
    }
    return 0;
}

void config_summary(const vs_config *cfg, FILE *to)
{
    for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++) {
        const struct key_def *k = &keys[i];
        const char *field = (const char *)cfg + k->offset;
        if (k->secret)
            fprintf(to, "  %-22s %s\n", k->name, field[0] ? "(secret, set)" : "(secret, not set)");
        else if (k->kind == K_STR)
            fprintf(to, "  %-22s %s\n", k->name, field[0] ? field : "(empty)");
        else if (k->size == sizeof(long))
            fprintf(to, "  %-22s %ld\n", k->name, *(const long *)field);
        else
            fprintf(to, "  %-22s %d\n", k->name, *(const int *)field);
    }
}
