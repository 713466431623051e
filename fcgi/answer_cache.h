/* answer_cache.h — remembered answers of an org's data views, per worker
 * process, valid only under the ETag they were sent with (answer_cache.c). */
#ifndef VS_ANSWER_CACHE_H
#define VS_ANSWER_CACHE_H

#include <stdbool.h>

#include "etag.h"
#include "http.h"

#define ANSWER_KEY_MAX 1280

/* The lookup key of req (org, caller kind and role, route, raw query), or
 * false when the answer must not come from memory: remembering is off
 * (answer_cache_entries = 0), the caller asked for a fresh answer
 * (Cache-Control: no-cache or Pragma: no-cache), or the query is too long. */
bool answer_cache_key(const vs_request *req, const char *pattern, char key[ANSWER_KEY_MAX]);

/* Is an answer remembered under key (whatever its tag)? */
bool answer_cache_known(const char *key);

/* The answer remembered under key when it was sent with exactly tag: res is
 * filled (status 200, the body, its headers) and true returned. */
bool answer_cache_get(const char *key, const char *tag, vs_response *res);

/* Remember a 200 JSON answer of res under key and tag (replacing what key
 * held; the least recently used answers make room). */
void answer_cache_put(const char *key, const char *tag, const vs_response *res);

#endif
