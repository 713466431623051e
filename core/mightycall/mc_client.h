/* mc_client.h — the MightyCall v4 client (libcurl + Jansson), used by vs-sync
 * and by API handlers that talk to MightyCall (integration checks, SMS send,
 * agent status).
 *
 * One client = one CURL handle (connections are reused), one set of
 * credentials. Every request — token requests too — first reserves one unit of
 * the daily quota in MariaDB (mc_quota.h); when the budget is gone the call
 * returns MC_ERR_QUOTA with the time the window resets, and nothing is sent.
 * The access token is cached in MariaDB (mc_tokens) and shared by every
 * process: a single refresher holds the token row lock while it asks MightyCall,
 * the others wait and reuse its token. A 401 refreshes the token once.
 * Timeouts, connection errors, malformed JSON, 5xx and 429 are retried with
 * exponential backoff and jitter, honouring Retry-After or the time named in a
 * 429 message. TLS is verified, redirects are not followed, responses are
 * capped at MC_MAX_RESPONSE_BYTES, and the timeout is config mc_timeout_seconds.
 *
 * Secrets (api_key, user_key, tokens) never appear in logs or in mc_error. The
 * db connection passed in must not be inside a transaction during calls. */
#ifndef VS_MC_CLIENT_H
#define VS_MC_CLIENT_H

#include <jansson.h>
#include <stdbool.h>
#include <time.h>

#include "platform/config.h"
#include "platform/db.h"
#include "mightycall/mc_backoff.h"

#define MC_MAX_RESPONSE_BYTES (16L * 1024 * 1024)
#define MC_DEFAULT_BASE_URL "https://api.mightycall.com"

typedef struct {
    char api_key[257];
    char user_key[257];
    char base_url[257]; /* scheme://host[:port][/prefix], no trailing slash */
} mc_credentials;

typedef enum {
    MC_OK = 0,
    MC_ERR_AUTH,         /* credentials refused (invalid_client) or token rejected after a refresh */
    MC_ERR_QUOTA,        /* daily budget exhausted (ours or MightyCall's); err.retry_at says when */
    MC_ERR_UNAVAILABLE,  /* unreachable, timeouts, 5xx, 429 — after every retry */
    MC_ERR_BAD_RESPONSE, /* malformed JSON, unexpected shape, response too large */
    MC_ERR_UPSTREAM,     /* any other 4xx: err.http_status and err.message */
    MC_ERR_DB,           /* the token cache or quota counter could not be used */
    MC_ERR_INTERNAL,
} mc_status;

typedef struct {
    mc_status status;
    int http_status;   /* last upstream HTTP status, 0 when none */
    time_t retry_at;   /* MC_ERR_QUOTA: when to try again (UTC) */
    char message[320]; /* plain words for users and logs; never a secret */
} mc_error;

typedef struct mc_client mc_client;

/* integration_id: the token cache row (mc_tokens) — may be NULL for a client
 * that keeps its token in memory only. creds are copied. NULL on failure
 * (bad master key, curl init). */
mc_client *mc_client_new(const vs_config *cfg, db_conn *db, const char *integration_id,
                         const mc_credentials *creds);
void mc_client_free(mc_client *c);

/* Stop at `limit` requests per UTC day instead of config mc_daily_quota
 * (vs-sync leaves headroom for interactive use). */
void mc_client_set_budget(mc_client *c, int limit);
/* Per-request timeout in seconds for this client (0 = cfg->mc_timeout_seconds). */
void mc_client_set_timeout(mc_client *c, int seconds);
/* Retry policy (tests and tools may shorten delays; attempts ≥ 1). */
void mc_client_set_retry(mc_client *c, int max_attempts, const mc_backoff_policy *policy);
/* Called before every backoff sleep (e.g. to renew a job lease). */
void mc_client_set_wait_hook(mc_client *c, void (*hook)(void *arg, long wait_ms), void *arg);
void mc_client_get_wait_hook(const mc_client *c, void (**hook)(void *arg, long wait_ms), void **arg);
/* Use db for the token cache and the quota counter from now on; returns the
 * connection used so far. A client may be handed to another thread for one
 * request (sync/prefetch.c) when it has a connection of its own there and
 * nobody else uses the client meanwhile; only mc_client_requests() may be
 * read concurrently. */
db_conn *mc_client_set_db(mc_client *c, db_conn *db);
/* Requests this client sent (token requests included); safe to read while
 * another thread runs a request on the client. */
int mc_client_requests(const mc_client *c);
/* Token requests this client sent. */
int mc_client_token_requests(const mc_client *c);

/* Store this client's current token in mc_tokens for integration_id (used
 * right after an integration is created with the token that verified it). */
int mc_client_persist_token(mc_client *c, const char *integration_id);

/* Make sure a valid access token exists (cached or new). Used to verify
 * credentials: invalid ones give MC_ERR_AUTH. */
mc_status mc_authenticate(mc_client *c, mc_error *err);

/* GET {base}/v4/api{path_query}; *out = parsed JSON root (caller decrefs). */
mc_status mc_get(mc_client *c, const char *path_query, json_t **out, mc_error *err);

/* Any method with an optional JSON body. A POST is retried only when
 * idempotency_key is given (sent as Idempotency-Key) or the connection was
 * never established. *http_status gets the final status (may be NULL). */
mc_status mc_request(mc_client *c, const char *method, const char *path_query, json_t *body,
                     const char *idempotency_key, json_t **out, int *http_status, mc_error *err);

/* Append "key=value" (URL-encoded) to a path with '?' or '&'. Returns false
 * when buf is too small (buf unchanged). */
bool mc_qs_add(char *buf, size_t bufsz, const char *key, const char *value);

/* Validate a base URL: https (or http to a loopback host when allow_http),
 * no user info, query or fragment. Writes the normalized form (no trailing
 * slash) into out. false with a reason for the API's 400. */
bool mc_base_url_valid(const char *url, bool allow_http, char out[257], const char **reason);

const char *mc_status_name(mc_status s);
/* A failed MightyCall call in the one result type (platform/result.h):
 * quota → VS_ERR_QUOTA, unreachable → VS_ERR_UPSTREAM_DOWN, our own failure
 * → VS_ERR_INTERNAL, anything else → VS_ERR_UPSTREAM. */
vs_result mc_status_result(mc_status s);

/* Fill err (status, http_status, message) and return st — for code layered on
 * the client that reports its own failures in the same form. */
mc_status mc_fail(mc_error *err, mc_status st, int http_status, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

#endif
