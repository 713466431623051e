/* test_input.c — unit tests for fcgi/input.c: JSON bodies and field
 * validation (each refusal is a 400 that names the field; a non-UUID path
 * parameter is a 404), and query_get() of fcgi/params.c (the raw decoded
 * value the access layer reads); the declared query parameters are
 * test_params.c's. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "fcgi/input.h"
#include "fcgi/params.h"
#include "http_check.h"

/* query_get on query q for name: returns its result, out holds the value. */
static int qget(const char *q, const char *name, char *out, size_t outsz, vs_response *res)
{
    vs_request r = test_request(q, NULL, NULL);
    return query_get(&r, res, name, out, outsz);
}

static void test_query_get_decoding(void **state)
{
    (void)state;
    vs_response res = {0};
    char out[64];

    assert_int_equal(qget("a=1&b=two&c=3", "b", out, sizeof out, &res), 1);
    assert_string_equal(out, "two");
    assert_int_equal(qget("a=1&b=two&c=3", "a", out, sizeof out, &res), 1);
    assert_string_equal(out, "1");
    assert_int_equal(qget("a=1&b=two&c=3", "c", out, sizeof out, &res), 1);
    assert_string_equal(out, "3");
    /* '+' is a space, %XX a byte (either case of hex digits) */
    assert_int_equal(qget("q=ann+smith%2c%2C%41", "q", out, sizeof out, &res), 1);
    assert_string_equal(out, "ann smith,,A");
    assert_int_equal(qget("q=%2B1%20212", "q", out, sizeof out, &res), 1);
    assert_string_equal(out, "+1 212");
    /* percent-encoded UTF-8 */
    assert_int_equal(qget("q=J%C3%B6rg", "q", out, sizeof out, &res), 1);
    assert_string_equal(out, "J\xc3\xb6rg");
    /* the first occurrence wins */
    assert_int_equal(qget("x=1&x=2", "x", out, sizeof out, &res), 1);
    assert_string_equal(out, "1");
    /* present without a value, or with an empty one */
    strcpy(out, "junk");
    assert_int_equal(qget("a=1&flag&b=2", "flag", out, sizeof out, &res), 1);
    assert_string_equal(out, "");
    strcpy(out, "junk");
    assert_int_equal(qget("flag=", "flag", out, sizeof out, &res), 1);
    assert_string_equal(out, "");
    /* a name that is a prefix or suffix of another is not it */
    assert_int_equal(qget("limitx=5&xlimit=6", "limit", out, sizeof out, &res), 0);
    assert_int_equal(qget("lim=5", "limit", out, sizeof out, &res), 0);
    /* absent, empty and NULL query */
    assert_int_equal(qget("a=1", "b", out, sizeof out, &res), 0);
    assert_int_equal(qget("", "b", out, sizeof out, &res), 0);
    assert_int_equal(qget(NULL, "b", out, sizeof out, &res), 0);
    assert_int_equal(qget("&&a=1&", "a", out, sizeof out, &res), 1);
    assert_string_equal(out, "1");
    expect_untouched(&res);
}

static void test_query_get_refusals(void **state)
{
    (void)state;
    vs_response res = {0};
    char out[8];

    /* bad percent-encoding: not hex, or cut off by the end of the value */
    assert_int_equal(qget("q=%zz", "q", out, sizeof out, &res), -1);
    expect_error_field(&res, 400, "q");
    assert_int_equal(qget("q=a%4", "q", out, sizeof out, &res), -1);
    expect_error_field(&res, 400, "q");
    assert_int_equal(qget("q=a%&b=1", "q", out, sizeof out, &res), -1);
    expect_error_field(&res, 400, "q");
    assert_int_equal(qget("q=a%4&b=1", "q", out, sizeof out, &res), -1); /* the '&' is not a hex digit */
    expect_error_field(&res, 400, "q");
    /* a NUL byte, a control character, bytes that are not UTF-8 */
    assert_int_equal(qget("q=a%00b", "q", out, sizeof out, &res), -1);
    expect_error_field(&res, 400, "q");
    assert_int_equal(qget("q=a%0Ab", "q", out, sizeof out, &res), -1);
    expect_error_field(&res, 400, "q");
    assert_int_equal(qget("q=%FF", "q", out, sizeof out, &res), -1);
    expect_error_field(&res, 400, "q");
    assert_int_equal(qget("q=%C3", "q", out, sizeof out, &res), -1);
    expect_error_field(&res, 400, "q");
    /* longer than the buffer (7 characters fit in 8 bytes) */
    assert_int_equal(qget("q=1234567", "q", out, sizeof out, &res), 1);
    assert_string_equal(out, "1234567");
    assert_int_equal(qget("q=12345678", "q", out, sizeof out, &res), -1);
    expect_error_field(&res, 400, "q");
    /* encoded bytes count once */
    assert_int_equal(qget("q=%41%42%43%44%45%46%47", "q", out, sizeof out, &res), 1);
    assert_string_equal(out, "ABCDEFG");
    /* a bad value of another parameter does not matter */
    assert_int_equal(qget("a=%zz&q=ok", "q", out, sizeof out, &res), 1);
    assert_string_equal(out, "ok");
    expect_untouched(&res);
}

static json_t *body(const char *text, vs_response *res)
{
    vs_request r = test_request("", text, NULL);
    return body_object(&r, res);
}

static void test_body_object(void **state)
{
    (void)state;
    vs_response res = {0};
    json_t *v = body("{\"a\": 1, \"b\": [true]}", &res);
    assert_non_null(v);
    assert_int_equal(json_integer_value(json_object_get(v, "a")), 1);
    json_decref(v);
    v = body("{}", &res);
    assert_true(json_is_object(v));
    json_decref(v);
    expect_untouched(&res);

    /* empty, not JSON, not an object, duplicate keys */
    static const char *const bad[] = {"", "{", "{\"a\":}", "nul", "[1,2]", "\"text\"", "42", "null",
                                      "{\"a\":1,\"a\":2}", "{\"a\":1} trailing", NULL};
    for (const char *const *b = bad; *b; b++) {
        if ((v = body(*b, &res)) != NULL) {
            json_decref(v);
            fail_msg("'%s' accepted", *b);
        }
        expect_error_field(&res, 400, NULL);
    }
    /* no body at all */
    vs_request r = test_request("", NULL, NULL);
    assert_null(body_object(&r, &res));
    expect_error_field(&res, 400, NULL);

    /* malformed JSON reports where; the quoted bytes of the error stay printable ASCII */
    assert_null(body("{\"a\": \xff\xfe}", &res));
    assert_int_equal(res.status, 400);
    json_t *details = json_object_get(res.body, "details");
    assert_int_equal(json_integer_value(json_object_get(details, "line")), 1);
    assert_true(json_integer_value(json_object_get(details, "column")) > 0);
    const char *msg = json_string_value(json_object_get(res.body, "error"));
    assert_non_null(msg);
    assert_true(strncmp(msg, "malformed JSON: ", 16) == 0);
    for (const unsigned char *p = (const unsigned char *)msg; *p; p++)
        assert_true(*p >= 0x20 && *p < 0x7f);
    test_response_reset(&res);
}

static void test_field_string(void **state)
{
    (void)state;
    vs_response res = {0};
    json_t *o = json_pack("{s:s, s:s, s:s, s:i, s:n, s:s, s:s%}", "name", "Ann", "empty", "", "uml",
                          "\xc3\xa4\xc3\xb6\xc3\xbc", "num", 3, "nul", "ctl", "a\tb", "zero", "a\0b", (size_t)3);
    assert_non_null(o);
    const char *s = "unchanged";

    assert_true(field_string(o, "name", true, 1, 10, &s, &res));
    assert_string_equal(s, "Ann");
    /* bounds are inclusive and count characters, not bytes */
    assert_true(field_string(o, "name", true, 3, 3, &s, &res));
    assert_true(field_string(o, "uml", true, 3, 3, &s, &res));
    assert_string_equal(s, "\xc3\xa4\xc3\xb6\xc3\xbc");
    assert_true(field_string(o, "empty", true, 0, 5, &s, &res));
    assert_string_equal(s, "");
    /* absent or null optional field: NULL and fine */
    s = "unchanged";
    assert_true(field_string(o, "missing", false, 1, 10, &s, &res));
    assert_null(s);
    s = "unchanged";
    assert_true(field_string(o, "nul", false, 1, 10, &s, &res));
    assert_null(s);
    expect_untouched(&res);

    assert_false(field_string(o, "missing", true, 1, 10, &s, &res));
    assert_null(s);
    expect_error_field(&res, 400, "missing");
    assert_false(field_string(o, "nul", true, 1, 10, &s, &res));
    expect_error_field(&res, 400, "nul");
    assert_false(field_string(o, "num", false, 0, 10, &s, &res));
    expect_error_field(&res, 400, "num");
    assert_false(field_string(o, "name", true, 4, 10, &s, &res));
    expect_error_field(&res, 400, "name");
    assert_false(field_string(o, "name", true, 1, 2, &s, &res));
    expect_error_field(&res, 400, "name");
    assert_false(field_string(o, "uml", true, 1, 2, &s, &res));
    expect_error_field(&res, 400, "uml");
    assert_false(field_string(o, "empty", true, 1, 5, &s, &res));
    expect_error_field(&res, 400, "empty");
    assert_false(field_string(o, "ctl", true, 0, 10, &s, &res));
    expect_error_field(&res, 400, "ctl");
    assert_false(field_string(o, "zero", true, 0, 10, &s, &res));
    assert_null(s);
    expect_error_field(&res, 400, "zero");
    json_decref(o);
}

static void test_field_enum_uuid(void **state)
{
    (void)state;
    vs_response res = {0};
    static const char *const roles[] = {"admin", "agent", "viewer", NULL};
    json_t *o = json_pack("{s:s, s:s, s:s, s:s, s:s}", "role", "agent", "bad", "Agent", "id",
                          "123e4567-e89b-12d3-a456-426614174000", "badid", "123e4567-e89b-12d3-a456-42661417400z",
                          "short", "123e4567");
    const char *s = NULL;

    assert_true(field_enum(o, "role", true, roles, &s, &res));
    assert_string_equal(s, "agent");
    assert_true(field_enum(o, "missing", false, roles, &s, &res));
    assert_null(s);
    assert_true(field_uuid(o, "id", true, &s, &res));
    assert_string_equal(s, "123e4567-e89b-12d3-a456-426614174000");
    assert_true(field_uuid(o, "missing", false, &s, &res));
    assert_null(s);
    expect_untouched(&res);

    /* case matters; the reason lists the allowed values */
    assert_false(field_enum(o, "bad", true, roles, &s, &res));
    assert_null(s);
    assert_int_equal(res.status, 400);
    const char *reason = json_string_value(json_object_get(json_object_get(res.body, "details"), "reason"));
    assert_non_null(reason);
    assert_string_equal(reason, "must be one of: admin agent viewer");
    expect_error_field(&res, 400, "bad");
    assert_false(field_enum(o, "missing", true, roles, &s, &res));
    expect_error_field(&res, 400, "missing");

    assert_false(field_uuid(o, "badid", true, &s, &res));
    assert_null(s);
    expect_error_field(&res, 400, "badid");
    assert_false(field_uuid(o, "short", true, &s, &res));
    expect_error_field(&res, 400, "short");
    assert_false(field_uuid(o, "missing", true, &s, &res));
    expect_error_field(&res, 400, "missing");
    json_decref(o);
}

static void test_param_uuid(void **state)
{
    (void)state;
    vs_response res = {0};
    vs_request r = test_request("", NULL, NULL);
    r.param_names[0] = "orgId";
    strcpy(r.params[0], "123e4567-e89b-12d3-a456-426614174000");
    r.param_names[1] = "id";
    strcpy(r.params[1], "not-a-uuid");
    r.nparams = 2;
    const char *v = NULL;

    assert_true(param_uuid(&r, &res, "orgId", &v));
    assert_string_equal(v, "123e4567-e89b-12d3-a456-426614174000");
    expect_untouched(&res);
    /* not a UUID, or no such parameter: 404, since no such resource exists */
    assert_false(param_uuid(&r, &res, "id", &v));
    expect_error_field(&res, 404, NULL);
    assert_false(param_uuid(&r, &res, "userId", &v));
    expect_error_field(&res, 404, NULL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_query_get_decoding),
        cmocka_unit_test(test_query_get_refusals),
        cmocka_unit_test(test_body_object),
        cmocka_unit_test(test_field_string),
        cmocka_unit_test(test_field_enum_uuid),
        cmocka_unit_test(test_param_uuid),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
