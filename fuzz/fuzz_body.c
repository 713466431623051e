/* fuzz_body.c — validation of JSON request bodies, the way the handlers do it.
 *
 * Input: "<route>\n<body>". <route> names one of the body-taking routes below
 * (anything else picks one by a hash of the name); <body> is the raw request
 * body. The route is matched through the real route table (so path
 * parameters are filled as in production) and its handler is called with a
 * signed-in platform admin and NO database: every handler validates the body
 * first (body_object, field_string/enum/uuid, the handler-file validators
 * such as contacts' parse_contact or sms numbers' read_item, phone and e-mail
 * normalisation, org names and slugs) and only then reaches the database,
 * which answers DB_UNAVAILABLE (503). POST /integrations is left out (it would
 * call MightyCall with the credentials); its validators are called directly.
 *
 * The body is also given to the core validators directly, field by field
 * (every string value of the object through field_string/enum/uuid with tight
 * and loose bounds, is_email, user_email_normalize, phone_normalize,
 * name_problem, org_name_problem, slug_from_name, sms_input_recipients,
 * sms_input_message, sms_idempotency_key_ok, mc_base_url_valid).
 *
 * Invariants: every handler answers exactly one well-formed response
 * (4xx/5xx are SPEC §2 errors; a 400 about a field names it); validators
 * that succeed return values within their documented bounds. */
#include <stdio.h>
#include <string.h>

#include "fuzz_common.h"
#include "fcgi/input.h"
#include "platform/log.h"
#include "mightycall/mc_client.h"
#include "identity/names.h"
#include "identity/orgs.h"
#include "platform/phone.h"
#include "../fcgi/router.h"
#include "identity/slug.h"
#include "fcgi/sms_input.h"
#include "identity/users.h"

#define FB_ORG "6f1c2a3e-4b5d-4e6f-8a9b-0c1d2e3f4a5b"
#define FB_ID "0f9e8d7c-6b5a-4c3d-9e2f-1a0b9c8d7e6f"

static const struct {
    const char *name, *method, *path;
} fb_routes[] = {
    {"orgs.create", "POST", "/api/admin/orgs"},
    {"orgs.update", "PUT", "/api/admin/orgs/" FB_ORG},
    {"members.add", "POST", "/api/admin/orgs/" FB_ORG "/members"},
    {"api_keys.create", "POST", "/api/orgs/" FB_ORG "/api-keys"},
    {"contacts.create", "POST", "/api/orgs/" FB_ORG "/contacts"},
    {"sms_numbers.save", "POST", "/api/orgs/" FB_ORG "/sms/numbers"},
    {"sms.send", "POST", "/api/orgs/" FB_ORG "/sms/send"},
    {"sms_threads.reply", "POST", "/api/orgs/" FB_ORG "/sms/threads/" FB_ID "/messages"},
    {"agents.status", "PUT", "/api/orgs/" FB_ORG "/agents/" FB_ID "/status"},
    {"agents.my_status", "PUT", "/api/orgs/" FB_ORG "/agents/me/status"},
    {"phone.assign", "POST", "/api/orgs/" FB_ORG "/phone-numbers/" FB_ID "/assign"},
    {"auth.login", "POST", "/api/auth/login"},
    {"auth.refresh", "POST", "/api/auth/refresh"},
    {"auth.logout", "POST", "/api/auth/logout"},
    {"user.onboard", "POST", "/api/user/onboard"},
    {"mightycall.sync", "POST", "/api/admin/mightycall/sync"},
};
#define FB_NROUTES (sizeof fb_routes / sizeof fb_routes[0])

static size_t fb_pick(const char *name)
{
    for (size_t i = 0; i < FB_NROUTES; i++)
        if (strcmp(fb_routes[i].name, name) == 0)
            return i;
    unsigned h = 5381;
    for (const char *p = name; *p; p++)
        h = h * 33 + (unsigned char)*p;
    return h % FB_NROUTES;
}

static void fb_run_handler(size_t k, const char *body, size_t len, const vs_config *cfg)
{
    vs_request req;
    fuzz_request(&req, cfg, fb_routes[k].method, fb_routes[k].path, "");
    req.body = len ? body : NULL;
    req.body_len = len;
    req.who.kind = PRINCIPAL_USER;
    snprintf(req.who.user_id, sizeof req.who.user_id, "%s", FB_ID);
    snprintf(req.who.email, sizeof req.who.email, "%s", "admin@example.com");
    req.who.platform_admin = true;
    req.who.role_in_org = ORG_ROLE_ORG_ADMIN;
    const route *rt = NULL;
    FUZZ_CHECK(router_match(&req, &rt, NULL, 0) == 1 && rt);
    vs_response res;
    memset(&res, 0, sizeof res);
    rt->handler(&req, &res);
    FUZZ_CHECK(res.body != NULL); /* a handler always answers */
    /* no database: a 503 at the latest, never an internal error (logout of an
     * unknown token is a 200 by design) */
    FUZZ_CHECK(res.status != 500);
    if (res.status == 400) {
        json_t *d = json_object_get(res.body, "details");
        FUZZ_CHECK(json_is_object(d));
    }
    fuzz_response_reset(&res);
}

static void fb_string_checks(const char *key, json_t *v)
{
    const char *s = json_string_value(v);
    if (!s || strlen(s) != json_string_length(v))
        return;
    char out[300];
    if (user_email_normalize(s, out, sizeof out))
        FUZZ_CHECK(strlen(out) < sizeof out && strchr(out, '@'));
    is_email(s);
    char e164[PHONE_E164_MAX + 1];
    if (phone_normalize(s, e164) == PHONE_OK)
        FUZZ_CHECK(e164[0] == '+' && strlen(e164) >= 8 && strlen(e164) <= PHONE_E164_MAX && phone_is_e164(e164));
    else
        FUZZ_CHECK(e164[0] == 0);
    name_problem(s, 100);
    char slug[SLUG_MAX_BYTES];
    org_name_problem(s, slug);
    char sl[64];
    slug_from_name(s, sl, sizeof sl);
    char sl1[1];
    slug_from_name(s, sl1, sizeof sl1);
    sms_idempotency_key_ok(s);
    char url[257];
    const char *reason;
    if (mc_base_url_valid(s, strcmp(key, "base_url") == 0, url, &reason))
        FUZZ_CHECK(strlen(url) < sizeof url && (strncmp(url, "https://", 8) == 0 || strncmp(url, "http://", 7) == 0));
}

static void fb_fields(json_t *obj, vs_response *res)
{
    static const char *const fb_enum[] = {"agent", "manager", "org_admin", NULL};
    const char *key;
    json_t *v;
    json_object_foreach(obj, key, v)
    {
        const char *out;
        static const size_t bounds[][2] = {{0, 0}, {1, 1}, {1, 64}, {0, 4096}, {36, 36}};
        for (size_t b = 0; b < sizeof bounds / sizeof bounds[0]; b++) {
            if (field_string(obj, key, b & 1, bounds[b][0], bounds[b][1], &out, res) && out) {
                long n = utf8_chars(out);
                FUZZ_CHECK(n >= (long)bounds[b][0] && n <= (long)bounds[b][1]);
            }
            fuzz_response_reset(res);
        }
        if (field_enum(obj, key, true, fb_enum, &out, res))
            FUZZ_CHECK(out && (!strcmp(out, "agent") || !strcmp(out, "manager") || !strcmp(out, "org_admin")));
        fuzz_response_reset(res);
        if (field_uuid(obj, key, false, &out, res) && out)
            FUZZ_CHECK(is_uuid(out));
        fuzz_response_reset(res);
        fb_string_checks(key, v);
        if (json_is_object(v) && strcmp(key, "credentials") == 0)
            fb_fields(v, res);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static int once;
    if (!once) {
        once = 1;
        log_set_level((log_level)(LOG_ERROR + 1)); /* 503s log; keep the fuzzer's output readable */
    }
    if (size > 65536)
        return 0;
    const uint8_t *body;
    size_t body_len;
    size_t nlen = fuzz_split(data, size, '\n', &body, &body_len);
    char *name = fuzz_cstr(data, nlen);
    char *b = fuzz_cstr(body, body_len); /* handlers get body + length; the copy adds a NUL for the string checks */
    vs_config cfg;
    memset(&cfg, 0, sizeof cfg);
    cfg.max_body_bytes = 262144;
    cfg.jwt_ttl_seconds = 3600;
    cfg.mc_daily_quota = 2500;
    snprintf(cfg.master_key_hex, sizeof cfg.master_key_hex, "%s",
             "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff");
    snprintf(cfg.jwt_secret, sizeof cfg.jwt_secret, "%s", "fuzz-jwt-secret-fuzz-jwt-secret-0123456789");

    fb_run_handler(fb_pick(name), b, body_len, &cfg);

    /* the core validators, directly */
    vs_request req;
    fuzz_request(&req, &cfg, "POST", "/", "");
    req.body = b;
    req.body_len = body_len;
    vs_response res;
    memset(&res, 0, sizeof res);
    json_t *obj = body_object(&req, &res);
    FUZZ_CHECK((obj != NULL) == (res.body == NULL));
    if (!obj)
        FUZZ_CHECK(res.status == 400);
    fuzz_response_reset(&res);
    if (obj) {
        fb_fields(obj, &res);
        sms_send_req sr;
        memset(&sr, 0, sizeof sr);
        if (sms_input_recipients(obj, &sr, &res)) {
            FUZZ_CHECK(sr.nto >= 1 && sr.nto <= SMS_MAX_RECIPIENTS);
            for (int i = 0; i < sr.nto; i++)
                FUZZ_CHECK(phone_is_e164(sr.to[i]));
        }
        fuzz_response_reset(&res);
        if (sms_input_message(&req, obj, &sr, &res))
            FUZZ_CHECK(sr.message && utf8_chars(sr.message) >= 1);
        fuzz_response_reset(&res);
        json_decref(obj);
    }
    free(name);
    free(b);
    return 0;
}
