/* fuzz_common.h — helpers shared by the libFuzzer targets in fuzz/ and by
 * tests/unit/test_fuzz_regressions.c, which compiles every target into one
 * binary (each target's LLVMFuzzerTestOneInput renamed by a macro). So:
 * everything here is static inline behind the include guard, and each
 * target prefixes its own static helpers with its name. */
#ifndef VS_FUZZ_COMMON_H
#define VS_FUZZ_COMMON_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "platform/config.h"
#include "fcgi/http.h"

/* abort() is what libFuzzer reports as a crash; use it for broken invariants. */
#define FUZZ_CHECK(cond)                                                                                               \
    do {                                                                                                               \
        if (!(cond))                                                                                                   \
            abort();                                                                                                   \
    } while (0)

/* A NUL-terminated copy of the input (malloc'd; the caller frees). Embedded
 * NULs stay: C-string consumers simply stop there, as they would in the
 * product where every input arrives as a C string. */
static inline char *fuzz_cstr(const uint8_t *data, size_t size)
{
    char *s = malloc(size + 1);
    if (!s)
        abort();
    if (size)
        memcpy(s, data, size);
    s[size] = 0;
    return s;
}

/* Split the input at the first occurrence of byte sep: *rest points after it
 * (or to the end). Returns the length of the first part. */
static inline size_t fuzz_split(const uint8_t *data, size_t size, uint8_t sep, const uint8_t **rest, size_t *rest_len)
{
    const uint8_t *p = size ? memchr(data, sep, size) : NULL;
    size_t n = p ? (size_t)(p - data) : size;
    *rest = p ? p + 1 : data + size;
    *rest_len = p ? size - n - 1 : 0;
    return n;
}

/* A request as the worker builds it, without a database (db == NULL makes
 * every db_* call answer DB_UNAVAILABLE, so nothing reaches a server). */
static inline void fuzz_request(vs_request *r, const vs_config *cfg, const char *method, const char *path,
                                const char *query)
{
    static char *no_env[] = {NULL};
    memset(r, 0, sizeof *r);
    r->method = method;
    r->path = path;
    r->query = query;
    r->remote_addr = "127.0.0.1";
    r->envp = no_env;
    r->cfg = cfg;
}

/* A response must always be a well-formed SPEC §2 error or success. */
static inline void fuzz_response_check(vs_response *res)
{
    if (res->body) {
        FUZZ_CHECK(res->status >= 200 && res->status <= 599);
        if (res->status >= 400) {
            FUZZ_CHECK(json_is_string(json_object_get(res->body, "error")));
            FUZZ_CHECK(json_is_string(json_object_get(res->body, "code")));
        }
        char *s = json_dumps(res->body, JSON_COMPACT);
        FUZZ_CHECK(s != NULL);
        free(s);
    }
}

static inline void fuzz_response_reset(vs_response *res)
{
    fuzz_response_check(res);
    json_decref(res->body);
    memset(res, 0, sizeof *res);
}

#endif
