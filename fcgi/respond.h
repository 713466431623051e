/* respond.h — the one writer: a vs_response becomes FastCGI output here.
 * request_id (may be NULL) goes out as X-Request-Id on every response. */
#ifndef VS_RESPOND_H
#define VS_RESPOND_H

#include <fcgiapp.h>

#include "http.h"

/* How a JSON tree body becomes text (and answer_cache.c remembers it so). */
#define RESPOND_JSON_FLAGS (JSON_COMPACT | JSON_ENSURE_ASCII | JSON_ENCODE_ANY | JSON_REAL_PRECISION(12))

void respond_write(FCGX_Request *fr, const vs_response *res, bool head_only, const char *request_id);

#endif
