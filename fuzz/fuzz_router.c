/* fuzz_router.c — fcgi/router.c router_match() over the real route table
 * (fcgi/routes.c and every handlers/ file are linked, so the patterns are the
 * product's), with an arbitrary method and path. Matching only: no handler,
 * no authentication runs.
 *
 * Input: "METHOD PATH" (split at the first space; no space → GET and the whole
 * input as the path). Each input is matched with the dispatcher's 64-byte
 * Allow buffer, with tiny Allow buffers and with none.
 *
 * Invariants: a match names a route of that method (HEAD matches GET), has
 * at most MAX_PATH_PARAMS non-empty parameters of at most 36 bytes without
 * '/', each findable by name with req_param(); "path exists, other method"
 * lists at least one method in Allow and never the requested one; the result
 * does not depend on the Allow buffer. */
#include <stdio.h>
#include <string.h>

#include "fuzz_common.h"
#include "fcgi/input.h"
#include "../fcgi/router.h"

static int fr_match(const char *method, const char *path, char *allow, size_t allowsz, const route **rt,
                    vs_request *req, const vs_config *cfg)
{
    fuzz_request(req, cfg, method, path, "");
    *rt = NULL;
    return router_match(req, rt, allow, allowsz);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > 2048)
        return 0;
    const uint8_t *rest;
    size_t rest_len;
    size_t mlen = fuzz_split(data, size, ' ', &rest, &rest_len);
    char *method, *path;
    if (mlen == size) {
        method = fuzz_cstr((const uint8_t *)"GET", 3);
        path = fuzz_cstr(data, size);
    } else {
        method = fuzz_cstr(data, mlen);
        path = fuzz_cstr(rest, rest_len);
    }
    vs_config cfg;
    memset(&cfg, 0, sizeof cfg);
    vs_request req;
    const route *rt;
    char allow[64];
    int m = fr_match(method, path, allow, sizeof allow, &rt, &req, &cfg);
    FUZZ_CHECK(m >= -1 && m <= 1);
    if (m == 1) {
        FUZZ_CHECK(rt && rt->handler && rt->pattern);
        FUZZ_CHECK(strcmp(rt->method, method) == 0 || (strcmp(method, "HEAD") == 0 && strcmp(rt->method, "GET") == 0));
        FUZZ_CHECK(req.nparams >= 0 && req.nparams <= MAX_PATH_PARAMS);
        for (int i = 0; i < req.nparams; i++) {
            size_t n = strlen(req.params[i]);
            FUZZ_CHECK(n >= 1 && n <= UUID_STR_LEN && !strchr(req.params[i], '/'));
            FUZZ_CHECK(req.param_names[i][0] && !strchr(req.param_names[i], '/'));
            FUZZ_CHECK(req_param(&req, req.param_names[i]) != NULL);
            /* what a handler does first with an id */
            vs_response res = {0};
            const char *id;
            if (!param_uuid(&req, &res, req.param_names[i], &id))
                FUZZ_CHECK(res.status == 404);
            fuzz_response_reset(&res);
        }
        char pat[256];
        snprintf(pat, sizeof pat, "%s", rt->pattern);
        FUZZ_CHECK(strchr(pat, ':') ? req.nparams > 0 : req.nparams == 0);
    } else {
        FUZZ_CHECK(req.nparams == 0);
        if (m < 0) {
            FUZZ_CHECK(allow[0] != 0 && strlen(allow) < sizeof allow);
            if (strcmp(method, "HEAD") != 0) {
                /* the requested method is not among the allowed ones */
                char list[80];
                snprintf(list, sizeof list, ", %s, ", allow);
                char needle[80];
                snprintf(needle, sizeof needle, ", %.70s, ", method);
                FUZZ_CHECK(!method[0] || !strstr(list, needle));
            }
        } else {
            FUZZ_CHECK(allow[0] == 0);
        }
    }
    /* the same answer with small Allow buffers and without one */
    static const size_t sizes[] = {1, 2, 4, 9};
    for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
        char small[16];
        memset(small, 'x', sizeof small);
        const route *rt2;
        vs_request r2;
        FUZZ_CHECK(fr_match(method, path, small, sizes[i], &rt2, &r2, &cfg) == m && rt2 == rt);
        FUZZ_CHECK(strlen(small) < sizes[i]);
        for (size_t k = sizes[i]; k < sizeof small; k++)
            FUZZ_CHECK(small[k] == 'x');
    }
    const route *rt3;
    vs_request r3;
    FUZZ_CHECK(fr_match(method, path, NULL, 0, &rt3, &r3, &cfg) == m && rt3 == rt);
    free(method);
    free(path);
    return 0;
}
