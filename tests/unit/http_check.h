/* http_check.h — helpers of the unit tests of fcgi/ code (test_input.c,
 * test_sms_input.c): build a vs_request and inspect a vs_response. Include
 * after <cmocka.h>. */
#ifndef VS_TEST_HTTP_CHECK_H
#define VS_TEST_HTTP_CHECK_H

#include <string.h>

#include "fcgi/http.h"

/* A request with the given query string, body and FastCGI params (headers). */
static inline vs_request test_request(const char *query, const char *body, char **envp)
{
    vs_request r;
    memset(&r, 0, sizeof r);
    r.method = "GET";
    r.path = "/";
    r.query = query;
    r.body = body;
    r.body_len = body ? strlen(body) : 0;
    r.envp = envp;
    return r;
}

static inline void test_response_reset(vs_response *res)
{
    json_decref(res->body);
    memset(res, 0, sizeof *res);
}

/* res is a SPEC §2 error with this status whose details name field (when not
 * NULL); the response is reset afterwards. */
static inline void expect_error_field(vs_response *res, int status, const char *field)
{
    assert_int_equal(res->status, status);
    assert_non_null(res->body);
    assert_non_null(json_string_value(json_object_get(res->body, "error")));
    assert_string_equal(json_string_value(json_object_get(res->body, "code")), http_status_code_name(status));
    json_t *details = json_object_get(res->body, "details");
    assert_true(json_is_object(details));
    if (field) {
        const char *got = json_string_value(json_object_get(details, "field"));
        if (!got || strcmp(got, field) != 0)
            fail_msg("details.field is '%s', want '%s'", got ? got : "(none)", field);
        assert_non_null(json_string_value(json_object_get(details, "reason")));
    }
    test_response_reset(res);
}

/* Nothing was written to res. */
static inline void expect_untouched(const vs_response *res)
{
    assert_int_equal(res->status, 0);
    assert_null(res->body);
    assert_int_equal(res->nextra, 0);
}

#endif
