/* mc_client.c — owns the HTTP side of the MightyCall client: the CURL handle,
 * request building, quota reservation per exchange, retries with backoff,
 * 401 → one token refresh, response classification. Tokens: mc_token.c. */
#include <ctype.h>
#include <pthread.h>
#include <sodium.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "platform/log.h"
#include "mightycall/mc_internal.h"
#include "mightycall/mc_parse.h"
#include "mightycall/mc_quota.h"
#include "mightycall/mc_target.h"
#include "platform/secretbox.h"

static pthread_once_t curl_once = PTHREAD_ONCE_INIT;
static void curl_init_once(void) { curl_global_init(CURL_GLOBAL_DEFAULT); }

const char *mc_status_name(mc_status s)
{
    switch (s) {
    case MC_OK: return "ok";
    case MC_ERR_AUTH: return "auth";
    case MC_ERR_QUOTA: return "quota";
    case MC_ERR_UNAVAILABLE: return "unavailable";
    case MC_ERR_BAD_RESPONSE: return "bad_response";
    case MC_ERR_UPSTREAM: return "upstream";
    case MC_ERR_DB: return "db";
    default: return "internal";
    }
}

vs_result mc_status_result(mc_status s)
{
    switch (s) {
    case MC_OK: return VS_OK;
    case MC_ERR_QUOTA: return VS_ERR_QUOTA;
    case MC_ERR_UNAVAILABLE:
    case MC_ERR_DB: return VS_ERR_UPSTREAM_DOWN;
    case MC_ERR_INTERNAL: return VS_ERR_INTERNAL;
    default: return VS_ERR_UPSTREAM; /* refused credentials, bad answers, other 4xx */
    }
}

mc_status mc_fail(mc_error *err, mc_status st, int http_status, const char *fmt, ...)
{
    if (err) {
        err->status = st;
        err->http_status = http_status;
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(err->message, sizeof err->message, fmt, ap);
        va_end(ap);
    }
    return st;
}

static void scrub_one(char *s, const char *secret)
{
    size_t n = secret ? strlen(secret) : 0;
    if (n < 4)
        return;
    char *p;
    while ((p = strstr(s, secret)) != NULL) {
        memcpy(p, "***", 3);
        memmove(p + 3, p + n, strlen(p + n) + 1);
    }
}

void mc_scrub(const mc_client *c, char *s)
{
    scrub_one(s, c->creds.api_key);
    scrub_one(s, c->creds.user_key);
    scrub_one(s, c->token);
    for (char *p = s; *p; p++)
        if ((unsigned char)*p < 0x20)
            *p = ' ';
}

mc_client *mc_client_new(const vs_config *cfg, db_conn *db, const char *integration_id, const mc_credentials *creds)
{
    pthread_once(&curl_once, curl_init_once);
    mc_client *c = calloc(1, sizeof *c);
    if (!c)
        return NULL;
    c->cfg = cfg;
    c->db = db;
    c->creds = *creds;
    if (integration_id && *integration_id) {
        snprintf(c->integration_id, sizeof c->integration_id, "%s", integration_id);
        c->has_integration = true;
    }
    c->budget = cfg->mc_daily_quota;
    c->max_attempts = 5;
    c->policy = MC_BACKOFF_DEFAULT;
    if (secret_key_from_hex(cfg->master_key_hex, c->master) != 0 ||
        mc_key_fingerprint(cfg, creds->api_key, c->key_fp) != 0 || !(c->curl = curl_easy_init())) {
        mc_client_free(c);
        return NULL;
    }
    return c;
}

void mc_client_free(mc_client *c)
{
    if (!c)
        return;
    if (c->curl)
        curl_easy_cleanup(c->curl);
    curl_slist_free_all(c->pin);
    if (c->aux)
        db_close(c->aux);
    if (c->token) {
        sodium_memzero(c->token, strlen(c->token));
        free(c->token);
    }
    sodium_memzero(c, sizeof *c);
    free(c);
}

void mc_client_set_budget(mc_client *c, int limit) { c->budget = limit < 0 ? 0 : limit; }

void mc_client_set_timeout(mc_client *c, int seconds) { c->timeout_s = seconds > 0 ? seconds : 0; }

/* Resolve and check base_url's host once per client (mc_target.h); the
 * addresses are pinned for every request of this client. */
static mc_status pin_target(mc_client *c, mc_error *err)
{
    if (c->pin)
        return MC_OK;
    char entry[700];
    const char *why = NULL;
    if (mc_target_pin(c->cfg, c->creds.base_url, entry, sizeof entry, &why) != 0) {
        /* the reason goes to the log only: callers see one neutral message */
        log_warn("mightycall: request not sent to the integration's base_url: %s", why);
        return mc_fail(err, MC_ERR_UNAVAILABLE, 0, "could not connect to MightyCall");
    }
    c->pin = curl_slist_append(NULL, entry);
    return c->pin ? MC_OK : mc_fail(err, MC_ERR_INTERNAL, 0, "out of memory");
}

void mc_client_set_retry(mc_client *c, int max_attempts, const mc_backoff_policy *policy)
{
    c->max_attempts = max_attempts < 1 ? 1 : max_attempts;
    if (policy)
        c->policy = *policy;
}

void mc_client_set_wait_hook(mc_client *c, void (*hook)(void *arg, long wait_ms), void *arg)
{
    c->hook = hook;
    c->hook_arg = arg;
}

void mc_client_get_wait_hook(const mc_client *c, void (**hook)(void *arg, long wait_ms), void **arg)
{
    *hook = c->hook;
    *arg = c->hook_arg;
}

db_conn *mc_client_set_db(mc_client *c, db_conn *db)
{
    db_conn *old = c->db;
    c->db = db;
    return old;
}

int mc_client_requests(const mc_client *c) { return atomic_load(&c->requests); }
int mc_client_token_requests(const mc_client *c) { return c->token_requests; }

void mc_sleep_ms(mc_client *c, long ms)
{
    if (ms <= 0)
        return;
    if (c->hook && !c->in_token_tx) /* the hook may use db, which holds the token row lock now */
        c->hook(c->hook_arg, ms);
    struct timespec ts = {.tv_sec = ms / 1000, .tv_nsec = (ms % 1000) * 1000000L};
    while (nanosleep(&ts, &ts) != 0)
        ;
}

const char *mc_curl_reason(CURLcode cc)
{
    switch (cc) {
    case CURLE_OPERATION_TIMEDOUT: return "MightyCall did not answer in time";
    case CURLE_COULDNT_RESOLVE_HOST: return "the MightyCall host name could not be resolved";
    case CURLE_COULDNT_CONNECT: return "could not connect to MightyCall";
    case CURLE_GOT_NOTHING: return "MightyCall closed the connection without answering";
    case CURLE_RECV_ERROR:
    case CURLE_SEND_ERROR:
    case CURLE_PARTIAL_FILE: return "the connection to MightyCall was interrupted";
    case CURLE_SSL_CONNECT_ERROR:
    case CURLE_PEER_FAILED_VERIFICATION:
    case CURLE_SSL_CACERT_BADFILE:
    case CURLE_SSL_CERTPROBLEM: return "the TLS connection to MightyCall could not be verified";
    case CURLE_UNSUPPORTED_PROTOCOL: return "the MightyCall URL uses an unsupported protocol";
    default: return "the request to MightyCall failed";
    }
}

/* ---- one exchange ---- */

typedef struct {
    mc_http *h;
    size_t cap;
} sink;

static size_t on_body(char *ptr, size_t size, size_t nmemb, void *ud)
{
    sink *s = ud;
    size_t n = size * nmemb;
    if (s->h->len + n > (size_t)MC_MAX_RESPONSE_BYTES) {
        s->h->too_large = true;
        return 0; /* aborts the transfer */
    }
    if (s->h->len + n + 1 > s->cap) {
        size_t cap = s->cap ? s->cap : 16384;
        while (cap < s->h->len + n + 1)
            cap *= 2;
        char *b = realloc(s->h->body, cap);
        if (!b)
            return 0;
        s->h->body = b;
        s->cap = cap;
    }
    memcpy(s->h->body + s->h->len, ptr, n);
    s->h->len += n;
    s->h->body[s->h->len] = 0;
    return n;
}

static size_t on_header(char *buf, size_t size, size_t nitems, void *ud)
{
    mc_http *h = ud;
    size_t n = size * nitems;
    if (n > 12 && strncasecmp(buf, "Retry-After:", 12) == 0) {
        size_t len = n - 12;
        if (len >= sizeof h->retry_after)
            len = sizeof h->retry_after - 1;
        memcpy(h->retry_after, buf + 12, len);
        h->retry_after[len] = 0;
        char *e = h->retry_after + strlen(h->retry_after);
        while (e > h->retry_after && (e[-1] == '\r' || e[-1] == '\n' || e[-1] == ' '))
            *--e = 0;
    } else if (n > 5 && strncasecmp(buf, "HTTP/", 5) == 0) {
        h->retry_after[0] = 0; /* a new response (e.g. after 100 Continue) */
    }
    return n;
}

void mc_http_free(mc_http *h)
{
    free(h->body);
    memset(h, 0, sizeof *h);
}

mc_status mc_http_exchange(mc_client *c, const char *method, const char *url, struct curl_slist *hdrs,
                           const char *body, size_t body_len, mc_http *h, mc_error *err)
{
    memset(h, 0, sizeof *h);
    mc_status pst = pin_target(c, err);
    if (pst != MC_OK)
        return pst;
    db_conn *q = c->db;
    if (c->in_token_tx) {
        if (!c->aux)
            c->aux = db_open(c->cfg);
        q = c->aux;
    }
    if (q) {
        int r = mc_quota_reserve(q, c->key_fp, c->has_integration ? c->integration_id : NULL, c->budget);
        if (r < 0)
            return mc_fail(err, MC_ERR_DB, 0, "the MightyCall request counter is unavailable (database error)");
        if (r == 0) {
            if (err)
                err->retry_at = mc_quota_reset_at(time(NULL));
            return mc_fail(err, MC_ERR_QUOTA, 0,
                           "the daily MightyCall request budget (%d requests) is used up; work resumes after 00:00 UTC",
                           c->budget);
        }
    }
    c->requests++;
    sink s = {.h = h, .cap = 0};
    CURL *k = c->curl;
    curl_easy_reset(k);
    curl_easy_setopt(k, CURLOPT_URL, url);
    curl_easy_setopt(k, CURLOPT_RESOLVE, c->pin); /* only the checked addresses */
    curl_easy_setopt(k, CURLOPT_CUSTOMREQUEST, method);
    if (strcmp(method, "GET") == 0)
        curl_easy_setopt(k, CURLOPT_HTTPGET, 1L);
    if (body) {
        curl_easy_setopt(k, CURLOPT_POSTFIELDS, body);
        curl_easy_setopt(k, CURLOPT_POSTFIELDSIZE, (long)body_len);
    }
    /* libcurl sends a request again by itself when the kept-alive connection
     * it reused closes before any byte of the answer (taking it for one that
     * died while idle). A POST may have been accepted by then — a second SMS
     * — so it always gets a connection of its own, which is never resent. */
    if (strcmp(method, "POST") == 0)
        curl_easy_setopt(k, CURLOPT_FRESH_CONNECT, 1L);
    curl_easy_setopt(k, CURLOPT_HTTPHEADER, hdrs);
#if LIBCURL_VERSION_NUM >= 0x075500
    curl_easy_setopt(k, CURLOPT_PROTOCOLS_STR, "http,https");
#else
    curl_easy_setopt(k, CURLOPT_PROTOCOLS, (long)(CURLPROTO_HTTP | CURLPROTO_HTTPS));
#endif
    curl_easy_setopt(k, CURLOPT_FOLLOWLOCATION, 0L);
    curl_easy_setopt(k, CURLOPT_SSL_VERIFYPEER, 1L);
    curl_easy_setopt(k, CURLOPT_SSL_VERIFYHOST, 2L);
    curl_easy_setopt(k, CURLOPT_NOSIGNAL, 1L);
    long t = c->timeout_s > 0 ? c->timeout_s : c->cfg->mc_timeout_seconds > 0 ? c->cfg->mc_timeout_seconds : 20;
    curl_easy_setopt(k, CURLOPT_TIMEOUT, t);
    curl_easy_setopt(k, CURLOPT_CONNECTTIMEOUT, t < 10 ? t : 10L);
    curl_easy_setopt(k, CURLOPT_ACCEPT_ENCODING, "");
    curl_easy_setopt(k, CURLOPT_MAXFILESIZE_LARGE, (curl_off_t)MC_MAX_RESPONSE_BYTES);
    curl_easy_setopt(k, CURLOPT_USERAGENT, "VictorySync/1 (+mightycall-sync)");
    curl_easy_setopt(k, CURLOPT_WRITEFUNCTION, on_body);
    curl_easy_setopt(k, CURLOPT_WRITEDATA, &s);
    curl_easy_setopt(k, CURLOPT_HEADERFUNCTION, on_header);
    curl_easy_setopt(k, CURLOPT_HEADERDATA, h);
    h->cc = curl_easy_perform(k);
    curl_easy_getinfo(k, CURLINFO_RESPONSE_CODE, &h->status);
    if (h->cc == CURLE_FILESIZE_EXCEEDED)
        h->too_large = true;
    if (!h->body) {
        h->body = calloc(1, 1);
        h->len = 0;
    }
    return MC_OK;
}

/* ---- query strings and URLs ---- */

bool mc_qs_add(char *buf, size_t bufsz, const char *key, const char *value)
{
    static const char hex[] = "0123456789ABCDEF";
    size_t len = strlen(buf);
    char tmp[2048];
    size_t n = 0;
    tmp[n++] = strchr(buf, '?') ? '&' : '?';
    for (int pass = 0; pass < 2; pass++) {
        const char *s = pass == 0 ? key : value;
        for (; *s; s++) {
            unsigned char ch = (unsigned char)*s;
            if (n + 4 >= sizeof tmp)
                return false;
            if (isalnum(ch) || ch == '-' || ch == '_' || ch == '.' || ch == '~') {
                tmp[n++] = (char)ch;
            } else {
                tmp[n++] = '%';
                tmp[n++] = hex[ch >> 4];
                tmp[n++] = hex[ch & 15];
            }
        }
        if (pass == 0)
            tmp[n++] = '=';
    }
    if (len + n + 1 > bufsz)
        return false;
    memcpy(buf + len, tmp, n);
    buf[len + n] = 0;
    return true;
}

static bool host_is_loopback(const char *host, size_t n)
{
    if ((n == 9 && strncasecmp(host, "localhost", 9) == 0) || (n == 5 && strncmp(host, "[::1]", 5) == 0))
        return true;
    if (n >= 7 && strncmp(host, "127.", 4) == 0) {
        for (size_t i = 4; i < n; i++)
            if (!isdigit((unsigned char)host[i]) && host[i] != '.')
                return false;
        return true;
    }
    return false;
}

bool mc_base_url_valid(const char *url, bool allow_http, char out[257], const char **reason)
{
    *reason = "must be an https URL such as https://api.mightycall.com";
    if (!url || strlen(url) > 250)
        return false;
    bool https = strncasecmp(url, "https://", 8) == 0, http = strncasecmp(url, "http://", 7) == 0;
    if (!https && !http)
        return false;
    const char *host = url + (https ? 8 : 7);
    size_t hn = strcspn(host, "/");
    if (hn == 0)
        return false;
    for (const char *p = url; *p; p++)
        if ((unsigned char)*p <= 0x20 || *p == '@' || *p == '?' || *p == '#' || *p == '\\' || (unsigned char)*p >= 0x7f) {
            *reason = "must be a plain URL without credentials, spaces, query or fragment";
            return false;
        }
    /* host[:port] must look like a host name */
    size_t name_len = hn;
    const char *colon = memchr(host, ':', hn);
    if (host[0] != '[' && colon) {
        name_len = (size_t)(colon - host);
        for (const char *p = colon + 1; p < host + hn; p++)
            if (!isdigit((unsigned char)*p))
                return false;
        if (colon + 1 == host + hn)
            return false;
    }
    if (name_len == 0)
        return false;
    if (http && !(allow_http && host_is_loopback(host, name_len))) {
        *reason = allow_http ? "must use https (http is only allowed to a loopback simulator)" : "must use https";
        return false;
    }
    char buf[257];
    snprintf(buf, sizeof buf, "%s%.*s", https ? "https://" : "http://", (int)(strlen(host)), host);
    for (char *p = buf + (https ? 8 : 7); *p && *p != '/' && *p != ':'; p++)
        *p = (char)tolower((unsigned char)*p);
    size_t n = strlen(buf);
    while (n > 0 && buf[n - 1] == '/')
        buf[--n] = 0;
    /* people paste the API root: keep only the host part the client appends /v4/… to */
    if (n >= 7 && strcasecmp(buf + n - 7, "/v4/api") == 0)
        buf[n -= 7] = 0;
    if (n >= 3 && strcasecmp(buf + n - 3, "/v4") == 0)
        buf[n -= 3] = 0;
    snprintf(out, 257, "%s", buf);
    return true;
}

/* ---- requests ---- */

static long server_wait_s(const mc_http *h, json_t *j)
{
    long w = mc_retry_after_header(h->retry_after[0] ? h->retry_after : NULL, time(NULL));
    if (w < 0)
        w = mc_retry_after_message(mc_error_text(j), time(NULL));
    return w;
}

static void upstream_text(const mc_client *c, json_t *j, char *out, size_t outsz)
{
    const char *t = mc_error_text(j);
    if (!t) {
        json_t *ms = json_object_get(j, "modelState");
        const char *k;
        json_t *v;
        json_object_foreach(ms, k, v)
        {
            t = json_string_value(json_array_get(v, 0));
            break;
        }
    }
    snprintf(out, outsz, "%.200s", t ? t : "no details");
    mc_scrub(c, out);
}

mc_status mc_request(mc_client *c, const char *method, const char *path_query, json_t *body,
                     const char *idempotency_key, json_t **out, int *http_status, mc_error *err)
{
    if (out)
        *out = NULL;
    if (http_status)
        *http_status = 0;
    if (err)
        memset(err, 0, sizeof *err);
    bool is_get = strcmp(method, "GET") == 0 || strcmp(method, "HEAD") == 0;
    /* A POST is never repeated once it may have reached MightyCall: its API
     * knows no Idempotency-Key (the header is sent, for its logs only), so a
     * timeout, a 5xx or a malformed reply leaves the outcome to the caller. */
    bool retryable = is_get || strcmp(method, "PUT") == 0 || strcmp(method, "DELETE") == 0;
    char url[4096];
    if (snprintf(url, sizeof url, "%s/v4/api%s", c->creds.base_url, path_query) >= (int)sizeof url)
        return mc_fail(err, MC_ERR_INTERNAL, 0, "request URL too long");
    char *payload = body ? json_dumps(body, JSON_COMPACT) : NULL;
    size_t payload_len = payload ? strlen(payload) : 0;

    mc_status st = mc_token_get(c, NULL, err);
    bool refreshed = false;
    int attempt = 0;
    while (st == MC_OK) {
        attempt++;
        struct curl_slist *hdrs = NULL;
        char line[2400];
        snprintf(line, sizeof line, "Authorization: Bearer %s", c->token);
        hdrs = curl_slist_append(hdrs, line);
        snprintf(line, sizeof line, "x-api-key: %s", c->creds.api_key);
        hdrs = curl_slist_append(hdrs, line);
        hdrs = curl_slist_append(hdrs, "Accept: application/json");
        if (payload)
            hdrs = curl_slist_append(hdrs, "Content-Type: application/json");
        if (idempotency_key && *idempotency_key) {
            snprintf(line, sizeof line, "Idempotency-Key: %.200s", idempotency_key);
            hdrs = curl_slist_append(hdrs, line);
        }
        hdrs = curl_slist_append(hdrs, "Expect:");
        sodium_memzero(line, sizeof line);
        mc_http h;
        st = mc_http_exchange(c, method, url, hdrs, payload, payload_len, &h, err);
        curl_slist_free_all(hdrs);
        if (st != MC_OK)
            break;
        if (http_status)
            *http_status = (int)h.status;
        bool more = attempt < c->max_attempts;
        long wait_ms = -1;
        if (h.too_large) {
            st = mc_fail(err, MC_ERR_BAD_RESPONSE, (int)h.status, "MightyCall sent a response larger than %ld MiB",
                         MC_MAX_RESPONSE_BYTES >> 20);
        } else if (h.cc != CURLE_OK) {
            bool never_connected = h.cc == CURLE_COULDNT_CONNECT || h.cc == CURLE_COULDNT_RESOLVE_HOST;
            log_debug("mightycall: %s %s: %s (attempt %d)", method, path_query, curl_easy_strerror(h.cc), attempt);
            if (more && (retryable || never_connected) && h.cc != CURLE_UNSUPPORTED_PROTOCOL) {
                wait_ms = 0;
            } else {
                st = mc_fail(err, MC_ERR_UNAVAILABLE, 0, "%s%s", mc_curl_reason(h.cc),
                             attempt > 1 ? " (after retries)" : "");
            }
        } else if (h.status >= 200 && h.status < 300) {
            json_t *j = NULL;
            char perr[96];
            if (h.len == 0 || (h.len <= 4 && strspn(h.body, " \r\n\t") == h.len)) {
                j = json_null();
            } else if (mc_json_parse(h.body, h.len, &j, perr, sizeof perr) != 0) {
                log_warn("mightycall: %s %s: %s (attempt %d)", method, path_query, perr, attempt);
                if (more && retryable) {
                    wait_ms = 0;
                } else {
                    st = mc_fail(err, MC_ERR_BAD_RESPONSE, (int)h.status, "MightyCall sent malformed JSON (%s)", perr);
                }
            }
            if (j) {
                if (out)
                    *out = j;
                else
                    json_decref(j);
                mc_http_free(&h);
                break;
            }
        } else {
            json_t *j = NULL;
            char perr[96], text[240];
            if (mc_json_parse(h.body, h.len, &j, perr, sizeof perr) != 0)
                j = NULL;
            upstream_text(c, j, text, sizeof text);
            long sw = server_wait_s(&h, j);
            if (h.status == 401 && !refreshed) {
                refreshed = true;
                attempt--; /* a refresh is not a failed attempt */
                char *stale = c->token ? strdup(c->token) : NULL;
                log_info("mightycall: access token rejected; refreshing it once");
                st = mc_token_get(c, stale, err);
                if (stale) {
                    sodium_memzero(stale, strlen(stale));
                    free(stale);
                }
                json_decref(j);
                mc_http_free(&h);
                continue;
            } else if (h.status == 401) {
                st = mc_fail(err, MC_ERR_AUTH, 401, "MightyCall rejected the access token even after a refresh");
            } else if (h.status == 429 || (h.status == 403 && retryable)) {
                if (sw * 1000 > c->policy.max_wait_ms) {
                    if (err)
                        err->retry_at = mc_retry_at(sw);
                    st = mc_fail(err, MC_ERR_QUOTA, (int)h.status,
                                 "MightyCall's request limit is reached (%ld); it asks to retry in %ld s", h.status, sw);
                } else if (more) {
                    wait_ms = sw >= 0 ? sw * 1000 : -2;
                } else if (h.status == 403) {
                    if (err)
                        err->retry_at = sw >= 0 ? mc_retry_at(sw) : mc_quota_reset_at(time(NULL));
                    st = mc_fail(err, MC_ERR_QUOTA, 403,
                                 "MightyCall refused access (403: %s); treated as its daily quota being reached", text);
                } else {
                    st = mc_fail(err, MC_ERR_UNAVAILABLE, 429,
                                 "MightyCall kept answering 429 Too Many Requests after %d attempts", attempt);
                }
            } else if (h.status >= 500) {
                if (more && retryable)
                    wait_ms = sw >= 0 ? sw * 1000 : -2;
                else
                    st = mc_fail(err, MC_ERR_UNAVAILABLE, (int)h.status, "MightyCall answered %ld (server error)%s",
                                 h.status, attempt > 1 ? " after retries" : "");
            } else {
                st = mc_fail(err, MC_ERR_UPSTREAM, (int)h.status, "MightyCall answered %ld: %s", h.status, text);
                if (out && j) {
                    *out = j;
                    j = NULL;
                }
            }
            json_decref(j);
        }
        mc_http_free(&h);
        if (st != MC_OK)
            break;
        /* retry: wait_ms 0 = no server hint (exponential), -2 = same, >0 server wait */
        long delay = mc_backoff_delay_ms(&c->policy, attempt, wait_ms > 0 ? wait_ms : -1, mc_backoff_random());
        log_info("mightycall: %s %s failed (attempt %d of %d); retrying in %ld ms", method, path_query, attempt,
                 c->max_attempts, delay);
        mc_sleep_ms(c, delay);
    }
    if (payload) {
        sodium_memzero(payload, payload_len);
        free(payload);
    }
    if (err && st != MC_OK)
        mc_scrub(c, err->message);
    return st;
}

mc_status mc_get(mc_client *c, const char *path_query, json_t **out, mc_error *err)
{
    return mc_request(c, "GET", path_query, NULL, NULL, out, NULL, err);
}

mc_status mc_authenticate(mc_client *c, mc_error *err)
{
    if (err)
        memset(err, 0, sizeof *err);
    return mc_token_get(c, NULL, err);
}
