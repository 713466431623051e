/* respond.h — the one writer: a vs_response becomes FastCGI output here.
 * request_id (may be NULL) goes out as X-Request-Id on every response. */
#ifndef VS_RESPOND_H
#define VS_RESPOND_H

#include <fcgiapp.h>

#include "http.h"

void respond_write(FCGX_Request *fr, const vs_response *res, bool head_only, const char *request_id);

#endif
