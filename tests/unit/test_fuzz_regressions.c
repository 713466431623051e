/* test_fuzz_regressions.c — replays the fuzz/ inputs through the libFuzzer
 * targets' own entry points (each fuzz/fuzz_<t>.c is compiled in here with
 * its LLVMFuzzerTestOneInput renamed), so `make test` (plain and ASan) checks
 * every committed seed (fuzz/corpus/<t>/) and every saved crash input
 * (fuzz/regressions/<t>/) without clang or libFuzzer. The targets abort() on
 * a broken invariant; the SIGABRT handler names the input first.
 *
 * Each bug a fuzzer found also has a named test below asserting the correct
 * answer, not only the absence of a crash. See docs/fuzzing.md. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <dirent.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#ifndef VS_FUZZ_DIR
#define VS_FUZZ_DIR "fuzz"
#endif

#define LLVMFuzzerTestOneInput fuzz_query_one
#include "../../fuzz/fuzz_query.c"
#undef LLVMFuzzerTestOneInput
#define LLVMFuzzerTestOneInput fuzz_router_one
#include "../../fuzz/fuzz_router.c"
#undef LLVMFuzzerTestOneInput
#define LLVMFuzzerTestOneInput fuzz_body_one
#include "../../fuzz/fuzz_body.c"
#undef LLVMFuzzerTestOneInput
#define LLVMFuzzerTestOneInput fuzz_jwt_one
#include "../../fuzz/fuzz_jwt.c"
#undef LLVMFuzzerTestOneInput
#define LLVMFuzzerTestOneInput fuzz_mc_one
#include "../../fuzz/fuzz_mc.c"
#undef LLVMFuzzerTestOneInput

typedef int (*fuzz_entry)(const uint8_t *data, size_t size);

static char current_input[1024];

static void on_abort(int sig)
{
    static const char pre[] = "\nfuzz regression: invariant broken (abort) on input ";
    ssize_t r = write(2, pre, sizeof pre - 1);
    r = write(2, current_input, strlen(current_input));
    r = write(2, "\n", 1);
    (void)r;
    signal(sig, SIG_DFL);
    raise(sig);
}

/* Feeds every regular file of VS_FUZZ_DIR/<sub>/<target>/ to fn; returns the count. */
static int replay_dir(const char *sub, const char *target, fuzz_entry fn)
{
    char dir[512];
    snprintf(dir, sizeof dir, "%s/%s/%s", getenv("VS_FUZZ_DIR") ? getenv("VS_FUZZ_DIR") : VS_FUZZ_DIR, sub, target);
    DIR *d = opendir(dir);
    if (!d)
        return 0;
    int n = 0;
    struct dirent *e;
    while ((e = readdir(d))) {
        if (e->d_name[0] == '.')
            continue;
        snprintf(current_input, sizeof current_input, "%s/%s", dir, e->d_name);
        FILE *f = fopen(current_input, "rb");
        assert_non_null(f);
        fseek(f, 0, SEEK_END);
        long len = ftell(f);
        fseek(f, 0, SEEK_SET);
        assert_true(len >= 0);
        uint8_t *buf = malloc((size_t)len + 1);
        assert_non_null(buf);
        assert_int_equal(fread(buf, 1, (size_t)len, f), (size_t)len);
        fclose(f);
        assert_int_equal(fn(buf, (size_t)len), 0);
        free(buf);
        n++;
    }
    closedir(d);
    current_input[0] = 0;
    return n;
}

static void replay(const char *target, fuzz_entry fn)
{
    int seeds = replay_dir("corpus", target, fn);
    replay_dir("regressions", target, fn);
    assert_true(seeds > 0); /* the seed corpus is committed: it must be found */
}

static void test_replay_query(void **state) { (void)state; replay("query", fuzz_query_one); }
static void test_replay_router(void **state) { (void)state; replay("router", fuzz_router_one); }
static void test_replay_body(void **state) { (void)state; replay("body", fuzz_body_one); }
static void test_replay_jwt(void **state) { (void)state; replay("jwt", fuzz_jwt_one); }
static void test_replay_mc(void **state) { (void)state; replay("mc", fuzz_mc_one); }

/* ---- the findings, with the answer they must get ---- */

/* body: a malformed body whose offending bytes are not UTF-8 made jansson's
 * error text unusable in the 400, which then went out as "{}" (no error, no
 * code). Found by fuzz_body (fuzz/regressions/body/malformed-json-non-utf8-error-text). */
static void test_malformed_json_error_is_spec_error(void **state)
{
    (void)state;
    static const char body[] = "{\"name\":\",}i s\\\xf0\x9f\x91\x8b\"}";
    vs_request req;
    memset(&req, 0, sizeof req);
    req.body = body;
    req.body_len = sizeof body - 1;
    vs_response res;
    memset(&res, 0, sizeof res);
    assert_null(body_object(&req, &res));
    assert_int_equal(res.status, 400);
    assert_string_equal(json_string_value(json_object_get(res.body, "code")), "BAD_REQUEST");
    const char *msg = json_string_value(json_object_get(res.body, "error"));
    assert_non_null(msg);
    assert_non_null(strstr(msg, "malformed JSON"));
    assert_true(json_is_integer(json_object_get(json_object_get(res.body, "details"), "column")));
    json_decref(res.body);
    /* and resp_error itself never answers without error and code */
    memset(&res, 0, sizeof res);
    resp_error(&res, 400, "bad \xff message", NULL);
    assert_string_equal(json_string_value(json_object_get(res.body, "code")), "BAD_REQUEST");
    assert_non_null(json_string_value(json_object_get(res.body, "error")));
    json_decref(res.body);
}

/* mc: mc_parse_hms multiplied strtol's LONG_MAX (any long digit run) by 3600
 * — signed overflow; found by fuzz_mc (fuzz/regressions/mc/hms-hours-overflow).
 * Components are now bounded like .NET's TimeSpan. */
static void test_hms_out_of_range_is_malformed(void **state)
{
    (void)state;
    assert_int_equal(mc_parse_hms("8888888888888888888888888888888888888800:00:42"), -1);
    assert_int_equal(mc_parse_hms("99999999999999999999.00:00:00"), -1);
    assert_int_equal(mc_parse_hms("256204779:00:00"), -1);
    assert_int_equal(mc_parse_hms("10675200.00:00:00"), -1);
    /* the largest accepted values still work, and ordinary ones are unchanged */
    assert_int_equal(mc_parse_hms("256204778:59:59"), 256204778L * 3600 + 59 * 60 + 59);
    assert_int_equal(mc_parse_hms("10675199.23:59:59"), 10675199L * 86400 + 23 * 3600 + 59 * 60 + 59);
    assert_int_equal(mc_parse_hms("01:02:03.500"), 3724);
    assert_int_equal(mc_parse_hms("1.02:03:04"), 93784);
}

/* mc: a duration of INT64_MAX milliseconds overflowed in "+ 500" (UB), and a
 * real beyond long's range went through llround to a negative value instead
 * of -1 (fuzz/regressions/mc/duration-ms-int64-max-overflow and
 * call-durations-out-of-range). */
static void test_duration_fields_out_of_range(void **state)
{
    (void)state;
    json_t *v = json_integer(INT64_MAX);
    assert_int_equal(mc_duration_ms_field(v), INT64_MAX / 1000 + 1); /* …807 ms rounds up */
    assert_int_equal(mc_duration_s_field(v), INT64_MAX);
    json_decref(v);
    v = json_integer(1499);
    assert_int_equal(mc_duration_ms_field(v), 1);
    json_decref(v);
    v = json_integer(1500);
    assert_int_equal(mc_duration_ms_field(v), 2);
    json_decref(v);
    v = json_real(1e300);
    assert_int_equal(mc_duration_ms_field(v), -1);
    assert_int_equal(mc_duration_s_field(v), -1);
    json_decref(v);
    v = json_real(2500.4);
    assert_int_equal(mc_duration_ms_field(v), 3);
    assert_int_equal(mc_duration_s_field(v), 2500);
    json_decref(v);
    /* in a record: the call is kept, its duration is 0 (unknown), never negative */
    json_error_t e;
    json_t *c = json_loads("{\"id\":\"c2\",\"dateTimeUtc\":\"2024-05-31T18:00:37Z\",\"direction\":\"Outgoing\","
                           "\"duration\":1e300}",
                           0, &e);
    assert_non_null(c);
    mc_call call;
    assert_int_equal(mc_parse_call(c, &call), 0);
    assert_int_equal(call.duration_s, 0);
    json_decref(c);
}

int main(void)
{
    signal(SIGABRT, on_abort);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_replay_query),
        cmocka_unit_test(test_replay_router),
        cmocka_unit_test(test_replay_body),
        cmocka_unit_test(test_replay_jwt),
        cmocka_unit_test(test_replay_mc),
        cmocka_unit_test(test_malformed_json_error_is_spec_error),
        cmocka_unit_test(test_hms_out_of_range_is_malformed),
        cmocka_unit_test(test_duration_fields_out_of_range),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
