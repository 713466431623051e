/* test_mc_token.c — unit tests for core/mightycall/mc_token.c: the expiry
 * margin, the in-memory token decision, the form body, the decryption of an
 * mc_tokens row (mc_internal.h), and mc_token_get() of a client without a
 * token cache against a scripted HTTP server on loopback (what is sent, how
 * each answer is taken, what is retried). The shared cache in mc_tokens needs
 * MariaDB: tests/api/sync_*.test.mjs. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "mightycall/mc_internal.h"
#include "platform/secretbox.h"

#define MASTER_HEX "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f"

static void test_usable_seconds(void **state)
{
    (void)state;
    assert_int_equal(mc_token_usable_seconds(3600), 3300); /* margin capped at 300 s */
    assert_int_equal(mc_token_usable_seconds(86400), 86100);
    assert_int_equal(mc_token_usable_seconds(3000), 2700); /* a tenth */
    assert_int_equal(mc_token_usable_seconds(600), 540);
    assert_int_equal(mc_token_usable_seconds(60), 54);
    assert_int_equal(mc_token_usable_seconds(5), 5); /* a tenth of 5 s rounds to 0 */
    assert_int_equal(mc_token_usable_seconds(0), 0);
}

static void test_usable(void **state)
{
    (void)state;
    mc_client c;
    memset(&c, 0, sizeof c);
    assert_false(mc_token_usable(&c, NULL)); /* no token */
    mc_token_set(&c, "tok-1", 3600);
    assert_string_equal(c.token, "tok-1");
    assert_true(mc_token_usable(&c, NULL));
    assert_true(mc_token_usable(&c, "tok-0"));  /* another token was rejected */
    assert_false(mc_token_usable(&c, "tok-1")); /* this one was rejected */
    mc_token_set(&c, "tok-2", 0); /* no usable lifetime */
    assert_string_equal(c.token, "tok-2");
    assert_false(mc_token_usable(&c, NULL));
    mc_token_set(&c, "tok-3", -10);
    assert_false(mc_token_usable(&c, NULL));
    free(c.token);
}

static void test_form_add(void **state)
{
    (void)state;
    char form[200] = "";
    mc_token_form_add(form, sizeof form, "grant_type", "client_credentials");
    assert_string_equal(form, "grant_type=client_credentials");
    mc_token_form_add(form, sizeof form, "client_id", "a b&c=d?e");
    mc_token_form_add(form, sizeof form, "client_secret", "x/y+z");
    assert_null(strchr(form, '?'));
    assert_null(strchr(form, ' '));
    assert_null(strchr(form, '+'));
    assert_non_null(strstr(form, "grant_type=client_credentials&client_id=a"));
    /* the value's own '&', '=' and '?' are encoded, so the form has three pairs */
    int amps = 0, eqs = 0;
    for (const char *p = form; *p; p++)
        amps += *p == '&', eqs += *p == '=';
    assert_int_equal(amps, 2);
    assert_int_equal(eqs, 3);
    assert_non_null(strstr(form, "&client_secret=x%2Fy%2Bz"));
}

static void test_row_tokens(void **state)
{
    (void)state;
    mc_client c;
    memset(&c, 0, sizeof c);
    assert_int_equal(secret_key_from_hex(MASTER_HEX, c.master), 0);
    char *a = NULL, *r = NULL, *tok, *refresh;
    long remaining;
    assert_int_equal(secret_encrypt(c.master, "access-1", 8, &a), 0);
    assert_int_equal(secret_encrypt(c.master, "refresh-1", 9, &r), 0);

    json_t *row = json_pack("{s:s, s:s, s:i}", "access_token_enc", a, "refresh_token_enc", r, "remaining", 1234);
    mc_token_row(&c, row, &tok, &refresh, &remaining);
    assert_string_equal(tok, "access-1");
    assert_string_equal(refresh, "refresh-1");
    assert_int_equal(remaining, 1234);
    free(tok);
    free(refresh);
    json_decref(row);

    /* a row just created by INSERT IGNORE: no tokens yet */
    row = json_pack("{s:n, s:n, s:i}", "access_token_enc", "refresh_token_enc", "remaining", 0);
    mc_token_row(&c, row, &tok, &refresh, &remaining);
    assert_null(tok);
    assert_null(refresh);
    assert_int_equal(remaining, 0);
    json_decref(row);

    /* encrypted with another master key, or damaged: not usable */
    mc_client other;
    memset(&other, 0, sizeof other);
    memset(other.master, 7, sizeof other.master);
    row = json_pack("{s:s, s:s, s:i}", "access_token_enc", a, "refresh_token_enc", "garbage", "remaining", 99);
    mc_token_row(&other, row, &tok, &refresh, &remaining);
    assert_null(tok);
    assert_null(refresh);
    json_decref(row);

    /* no row */
    tok = refresh = (char *)"x";
    mc_token_row(&c, NULL, &tok, &refresh, &remaining);
    assert_null(tok);
    assert_null(refresh);
    free(a);
    free(r);
}

/* ---- a scripted token endpoint on loopback ---- */

#define MAX_EXCHANGES 8
static struct {
    int fd, port;
    const char *replies[MAX_EXCHANGES]; /* full HTTP responses, in order */
    int nreplies;
    char requests[MAX_EXCHANGES][4096];
    int served;
    pthread_t thread;
} srv;

/* Accepts connections until script_done()'s empty one; the i-th request gets
 * replies[i] (past the script: closed without an answer). */
static void *serve(void *arg)
{
    (void)arg;
    for (int i = 0;; i++) {
        int c = accept(srv.fd, NULL, NULL);
        if (c < 0)
            return NULL;
        char scratch[4096];
        char *buf = i < MAX_EXCHANGES ? srv.requests[i] : scratch;
        size_t n = 0;
        long want = -1;
        while (n + 1 < sizeof scratch) {
            ssize_t k = read(c, buf + n, sizeof scratch - 1 - n);
            if (k <= 0)
                break;
            n += (size_t)k;
            buf[n] = 0;
            char *end = strstr(buf, "\r\n\r\n");
            if (end && want < 0) {
                const char *cl = strcasestr(buf, "\r\ncontent-length:");
                want = (long)(end + 4 - buf) + (cl && cl < end ? atol(cl + 17) : 0);
            }
            if (want >= 0 && (long)n >= want)
                break;
        }
        buf[n] = 0;
        if (n == 0) { /* script_done(): the client is through */
            close(c);
            return NULL;
        }
        if (i < srv.nreplies) {
            size_t len = strlen(srv.replies[i]);
            if (write(c, srv.replies[i], len) != (ssize_t)len)
                break;
        }
        close(c);
        srv.served = i + 1;
    }
    return NULL;
}

/* Serve these responses (NULL-terminated) to the next connections. */
static void script(const char *const *replies)
{
    memset(&srv.requests, 0, sizeof srv.requests);
    srv.nreplies = 0;
    srv.served = 0;
    while (replies[srv.nreplies])
        srv.replies[srv.nreplies] = replies[srv.nreplies], srv.nreplies++;
    assert_int_equal(pthread_create(&srv.thread, NULL, serve, NULL), 0);
}

/* The client made every exchange it was going to (its calls are synchronous):
 * end the script with an empty connection; the number of requests served. */
static int script_done(void)
{
    int s = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((uint16_t)srv.port),
                            .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    assert_int_equal(connect(s, (struct sockaddr *)&a, sizeof a), 0);
    shutdown(s, SHUT_WR);
    pthread_join(srv.thread, NULL);
    close(s);
    return srv.served;
}

static char reply_buf[MAX_EXCHANGES][1024];
static const char *reply(int slot, const char *status, const char *body)
{
    snprintf(reply_buf[slot], sizeof reply_buf[slot],
             "HTTP/1.1 %s\r\nContent-Type: application/json\r\nConnection: close\r\nContent-Length: %zu\r\n\r\n%s",
             status, strlen(body), body);
    return reply_buf[slot];
}

static vs_config cfg;
static mc_client *client;

static int setup(void **state)
{
    (void)state;
    srv.fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    socklen_t al = sizeof a;
    if (srv.fd < 0 || bind(srv.fd, (struct sockaddr *)&a, sizeof a) != 0 || listen(srv.fd, 8) != 0 ||
        getsockname(srv.fd, (struct sockaddr *)&a, &al) != 0)
        return -1;
    srv.port = ntohs(a.sin_port);
    snprintf(cfg.master_key_hex, sizeof cfg.master_key_hex, "%s", MASTER_HEX);
    cfg.mc_timeout_seconds = 10;
    cfg.mc_allow_http = 1; /* the scripted endpoint is a loopback http server (mc_target.h) */
    snprintf(cfg.mc_allowed_hosts, sizeof cfg.mc_allowed_hosts, "127.0.0.1");
    mc_credentials cr;
    memset(&cr, 0, sizeof cr);
    snprintf(cr.api_key, sizeof cr.api_key, "demo-api-key");
    snprintf(cr.user_key, sizeof cr.user_key, "user key/1");
    snprintf(cr.base_url, sizeof cr.base_url, "http://127.0.0.1:%d", srv.port);
    client = mc_client_new(&cfg, NULL, NULL, &cr); /* no database: token in memory only */
    if (!client)
        return -1;
    mc_backoff_policy quick = {.base_ms = 1, .cap_ms = 1, .max_wait_ms = 1000};
    mc_client_set_retry(client, 3, &quick);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    mc_client_free(client);
    close(srv.fd);
    return 0;
}

static void forget_token(void)
{
    mc_token_set(client, "old", -1);
}

static void test_get_client_credentials(void **state)
{
    (void)state;
    mc_error err;
    forget_token();
    const char *r[] = {reply(0, "200 OK", "{\"access_token\": \"AT-1\", \"refresh_token\": \"RT-1\", "
                                          "\"expires_in\": 3600, \"token_type\": \"Bearer\"}"),
                       NULL};
    script(r);
    time_t t0 = time(NULL);
    assert_int_equal(mc_token_get(client, NULL, &err), MC_OK);
    time_t t1 = time(NULL);
    assert_int_equal(script_done(), 1);

    const char *req = srv.requests[0];
    assert_true(strncmp(req, "POST /v4/auth/token HTTP/1.1\r\n", 30) == 0);
    assert_non_null(strcasestr(req, "\r\nx-api-key: demo-api-key\r\n"));
    assert_non_null(strcasestr(req, "\r\nContent-Type: application/x-www-form-urlencoded\r\n"));
    const char *body = strstr(req, "\r\n\r\n") + 4;
    assert_string_equal(body, "grant_type=client_credentials&client_id=demo-api-key&client_secret=user%20key%2F1");

    assert_string_equal(client->token, "AT-1");
    /* used until 300 s before it expires */
    assert_true(client->token_until >= t0 + 3300 && client->token_until <= t1 + 3300);
    assert_int_equal(mc_client_token_requests(client), 1);

    /* while usable it is reused without a request; a rejected one is replaced */
    assert_int_equal(mc_token_get(client, NULL, &err), MC_OK);
    assert_int_equal(mc_token_get(client, "AT-0", &err), MC_OK);
    assert_int_equal(mc_client_token_requests(client), 1);
    const char *r2[] = {reply(0, "200 OK", "{\"access_token\": \"AT-2\", \"expires_in\": \"120\"}"), NULL};
    script(r2);
    t0 = time(NULL);
    assert_int_equal(mc_token_get(client, "AT-1", &err), MC_OK);
    t1 = time(NULL);
    assert_int_equal(script_done(), 1);
    assert_string_equal(client->token, "AT-2");
    assert_true(client->token_until >= t0 + 108 && client->token_until <= t1 + 108); /* "120" as a string */
    assert_int_equal(mc_client_token_requests(client), 2);
}

static void test_get_expires_in_default(void **state)
{
    (void)state;
    mc_error err;
    static const char *const bodies[] = {"{\"access_token\": \"AT-3\"}", "{\"access_token\": \"AT-3\", \"expires_in\": 0}",
                                         "{\"access_token\": \"AT-3\", \"expires_in\": -5}", NULL};
    for (const char *const *b = bodies; *b; b++) {
        forget_token();
        const char *r[] = {reply(0, "200 OK", *b), NULL};
        script(r);
        time_t t0 = time(NULL);
        assert_int_equal(mc_token_get(client, NULL, &err), MC_OK);
        time_t t1 = time(NULL);
        assert_int_equal(script_done(), 1);
        assert_true(client->token_until >= t0 + 3300 && client->token_until <= t1 + 3300); /* 3600 assumed */
    }
}

static void test_get_refusals(void **state)
{
    (void)state;
    mc_error err;

    /* credentials refused: no retry, MightyCall's word without our secrets */
    forget_token();
    const char *auth[] = {reply(0, "401 Unauthorized", "{\"error\": \"invalid_client demo-api-key\"}"),
                          reply(1, "200 OK", "{\"access_token\": \"never\"}"), NULL};
    script(auth);
    memset(&err, 0, sizeof err);
    assert_int_equal(mc_token_get(client, NULL, &err), MC_ERR_AUTH);
    assert_int_equal(script_done(), 1);
    assert_int_equal(err.http_status, 401);
    assert_non_null(strstr(err.message, "invalid_client"));
    assert_null(strstr(err.message, "demo-api-key"));
    assert_false(mc_token_usable(client, NULL));

    /* 200 without a token: a bad response, not retried */
    forget_token();
    const char *empty[] = {reply(0, "200 OK", "{\"access_token\": \"\"}"), reply(1, "200 OK", "{}"), NULL};
    script(empty);
    assert_int_equal(mc_token_get(client, NULL, &err), MC_ERR_BAD_RESPONSE);
    assert_int_equal(script_done(), 1);

    /* malformed JSON: retried (3 attempts here), then a bad response */
    forget_token();
    const char *bad[] = {reply(0, "200 OK", "{\"access_token\": "), reply(1, "200 OK", "not json"),
                         reply(2, "200 OK", "[1,"), reply(3, "200 OK", "{\"access_token\": \"late\"}"), NULL};
    script(bad);
    assert_int_equal(mc_token_get(client, NULL, &err), MC_ERR_BAD_RESPONSE);
    assert_int_equal(script_done(), 3);

    /* a 5xx then a token: the retry gets it */
    forget_token();
    const char *flaky[] = {reply(0, "503 Service Unavailable", "{}"), reply(1, "200 OK", "{\"access_token\": \"AT-4\"}"),
                           NULL};
    script(flaky);
    assert_int_equal(mc_token_get(client, NULL, &err), MC_OK);
    assert_int_equal(script_done(), 2);
    assert_string_equal(client->token, "AT-4");

    /* the connection closed without an answer: retried */
    forget_token();
    const char *dropped[] = {"", reply(1, "200 OK", "{\"access_token\": \"AT-5\"}"), NULL};
    script(dropped);
    assert_int_equal(mc_token_get(client, NULL, &err), MC_OK);
    assert_int_equal(script_done(), 2);
    assert_string_equal(client->token, "AT-5");

    /* another 4xx: MightyCall's refusal, not retried */
    forget_token();
    const char *other[] = {reply(0, "404 Not Found", "{}"), reply(1, "200 OK", "{\"access_token\": \"x\"}"), NULL};
    script(other);
    assert_int_equal(mc_token_get(client, NULL, &err), MC_ERR_UPSTREAM);
    assert_int_equal(script_done(), 1);
    assert_int_equal(err.http_status, 404);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_usable_seconds),
        cmocka_unit_test(test_usable),
        cmocka_unit_test(test_form_add),
        cmocka_unit_test(test_row_tokens),
        cmocka_unit_test(test_get_client_credentials),
        cmocka_unit_test(test_get_expires_in_default),
        cmocka_unit_test(test_get_refusals),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
