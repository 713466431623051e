/* config.h — process configuration for vs-api and vs-sync.
 * Sources, later wins: defaults, the KEY=VALUE file (--config or $VS_CONFIG),
 * environment variables VS_<KEY> (upper case), and for secrets the systemd
 * credential files $CREDENTIALS_DIRECTORY/<key>. Unknown keys are an error. */
#ifndef VS_CONFIG_H
#define VS_CONFIG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

typedef struct vs_config {
    char db_host[128];
    int db_port;
    char db_socket[256];
    char db_name[64];
    char db_user[64];
    char db_password[256];      /* secret */
    char jwt_secret[256];       /* secret: signs our own access tokens */
    char jwt_secret_previous[256]; /* secret, optional: the secret before the last rotation; its tokens
                                      still verify until they expire, nothing new is signed with it */
    char supabase_jwt_secret[256]; /* secret, optional: accept Supabase tokens */
    char master_key_hex[65];    /* secret: secretbox key for secrets at rest */
    char service_key[256];      /* secret: x-service-key for internal jobs */
    char api_socket[256];       /* FastCGI listen socket path (unless socket-activated) */
    int workers;                /* worker processes */
    int threads;                /* threads per worker process */
    long max_body_bytes;        /* request bodies above this get 413 */
    int jwt_ttl_seconds;
    char log_level[16];
    int mc_allow_http;          /* allow http:// MightyCall base URLs (loopback simulator only) */
    int mc_daily_quota;         /* MightyCall requests per api_key per UTC day */
    int mc_timeout_seconds;
    int login_max_failures;     /* failed logins per (account, client address) per window before 429 */
    int login_window_seconds;
    int login_ip_max_failures;  /* failed logins per client address (any account) per window before 429 */
    int login_backoff_max_seconds; /* cap of the per-account back-off of addresses that failed for it */
    int service_key_max_failures; /* wrong x-service-key per client address per login window before 429 */
    char mc_allowed_hosts[512]; /* extra MightyCall hosts (comma-separated) besides api/ccapi.mightycall.com */
    int mc_allow_private;       /* allow MightyCall hosts resolving to loopback/private/link-local addresses */
    int answer_cache_entries;   /* remembered answers of data views per worker process (fcgi/answer_cache.c); 0 = off */
    int mc_check_concurrency;   /* integration checks (network) running at once per worker process */
    int sync_triggers_per_minute; /* POST /api/mightycall/sync/:type per org per minute (after authentication) */
    int sync_reconcile_minutes; /* /calls and /voicemails are read at least this often even when the journal shows nothing new */
    int refresh_ttl_seconds;    /* lifetime of a refresh token (renewed by each rotation) */
    int password_opslimit;      /* argon2id passes for new password hashes (and the dummy verify) */
    int password_memlimit_kib;  /* argon2id memory for new password hashes, KiB */
    char metrics_allow_cidr[256]; /* sources that may GET /metrics without the service key */
    char change_board[256];     /* shared change counters of this host (platform/change_board.h); empty = off */
    int zero_trip_lease_ms;     /* an answer without a round trip relies on one at most this old (0 = always ask MariaDB) */
    char live_publish[256];     /* nginx nchan publisher: "unix:/path" or http://loopback:port; empty = push off */
    char smtp_url[256];         /* smtp://host:port (STARTTLS when offered) or smtps://host:port; empty: no mail,
                                   invitation links are shown once to the inviting admin instead */
    char smtp_from[256];        /* envelope and From: address of outgoing mail */
    char smtp_user[128];        /* SMTP AUTH user name (optional) */
    char smtp_password[256];    /* secret, optional: SMTP AUTH password (credential file smtp_password) */
    int smtp_require_tls;       /* 1: refuse to send over smtp:// unless STARTTLS succeeds */
    char smtp_ca_file[256];     /* CA bundle that verifies the mail server (default: the system store) */
    char public_url[256];       /* the dashboard's address, e.g. https://app.example.com (links in mail) */
} vs_config;

/* Fill cfg from all sources; on error writes a one-line reason to err. */
int config_load(vs_config *cfg, const char *path, char *err, size_t errsz);

/* Set a single key (used by the loaders and by tests). */
int config_set(vs_config *cfg, const char *key, const char *value, char *err, size_t errsz);

/* What a binary needs beyond a well-formed configuration (config_validate). */
enum { CONFIG_NEED_JWT_SECRET = 1u << 0, CONFIG_NEED_MASTER_KEY = 1u << 1 };

/* Checks the values as a whole (config_load runs it with needs = 0): secret
 * lengths and formats, log_level, socket paths, and the secrets in needs.
 * On error writes one line naming the key to err and returns -1. Never puts
 * a secret value into err. */
int config_validate(const vs_config *cfg, unsigned needs, char *err, size_t errsz);

/* Writes "config OK"-style summary lines: every non-secret setting, and for
 * each secret only whether it is set (never its value or length). */
void config_summary(const vs_config *cfg, FILE *to);

extern const char *const VS_VERSION;

#endif
