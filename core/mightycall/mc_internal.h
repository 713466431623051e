/* mc_internal.h — private to mc_client.c and mc_token.c: the client struct and
 * the single-exchange primitive both use. Not for other modules. */
#ifndef VS_MC_INTERNAL_H
#define VS_MC_INTERNAL_H

#include <curl/curl.h>
#include <stdatomic.h>

#include "mightycall/mc_client.h"

struct mc_client {
    const vs_config *cfg;
    db_conn *db;
    db_conn *aux;          /* opened lazily: quota reservations while the token row is locked on db */
    char integration_id[40];
    bool has_integration;
    mc_credentials creds;
    char key_fp[65];
    unsigned char master[32];
    CURL *curl;
    int budget;
    int max_attempts;
    mc_backoff_policy policy;
    void (*hook)(void *arg, long wait_ms);
    void *hook_arg;
    atomic_int requests;   /* read by other threads while a fetch runs (mc_client_requests) */
    int token_requests;
    char *token;           /* current access token (malloc'd, wiped on free) */
    time_t token_until;    /* stop using it at this time */
    bool in_token_tx;      /* db holds the mc_tokens row lock */
    struct curl_slist *pin; /* CURLOPT_RESOLVE: the checked addresses of base_url's host (mc_target.h) */
    int timeout_s;         /* per-request timeout; 0 = cfg->mc_timeout_seconds */
};

typedef struct {
    long status;           /* HTTP status, 0 when no response */
    char *body;            /* NUL-terminated */
    size_t len;
    char retry_after[64];
    CURLcode cc;
    bool too_large;
} mc_http;

/* One HTTP exchange: reserve quota, send, receive (bounded). MC_OK means an
 * exchange happened (h->cc / h->status tell how it went); MC_ERR_QUOTA /
 * MC_ERR_DB mean nothing was sent. */
mc_status mc_http_exchange(mc_client *c, const char *method, const char *url, struct curl_slist *hdrs,
                           const char *body, size_t body_len, mc_http *h, mc_error *err);
void mc_http_free(mc_http *h);

/* Sleep ms (calling the wait hook first). */
void mc_sleep_ms(mc_client *c, long ms);


/* Replace any secret of c found in s by "***" (in place). */
void mc_scrub(const mc_client *c, char *s);

/* Make c->token usable: in memory, from mc_tokens, or by a (locked) refresh.
 * stale: a token MightyCall just rejected (never reused). */
mc_status mc_token_get(mc_client *c, const char *stale, mc_error *err);

/* A short description of a curl failure, without URLs. */
const char *mc_curl_reason(CURLcode cc);

/* mc_token.c's decisions, visible for tests/unit/test_mc_token.c:
 * seconds a token of lifetime expires_in is used (a margin of a tenth, at
 * most 300 s, before it expires); is c's in-memory token usable (present, not
 * expired, not the stale one); keep tok for usable_s seconds; append k=v to a
 * form body (URL-encoded); the token fields of an mc_tokens row (decrypted,
 * malloc'd or NULL) and its remaining seconds. */
long mc_token_usable_seconds(long expires_in);
bool mc_token_usable(const mc_client *c, const char *stale);
void mc_token_set(mc_client *c, const char *tok, long usable_s);
void mc_token_form_add(char *buf, size_t sz, const char *k, const char *v);
void mc_token_row(mc_client *c, json_t *row, char **tok, char **refresh, long *remaining);

#endif
